/*
 * gw_static.h - serving files from a directory: the Swagger UI under /docs
 * (routes_health.c) and the web UI under / and /assets (routes_web.c).
 *
 * Only plain file names directly in a directory are served (no '/', no
 * leading '.'), so no request can reach outside it; files are read whole
 * into the answer, up to GW_STATIC_FILE_MAX bytes.
 *
 * Thread-safety: reentrant; every function works on its caller's response.
 */
#ifndef STOM_GW_STATIC_H
#define STOM_GW_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "gw.h"

#define GW_STATIC_FILE_MAX ((size_t)16 << 20)

/*
 * The directory of a static tree: --static-dir's sub ("swagger-ui", "web")
 * when the gateway was given one, else built (the build tree's copy; may be
 * "" when the build has none). Writes at most len bytes into out.
 */
void gw_static_dir(const gw_config *cfg, const char *sub, const char *built, char *out, size_t len);

/* Whether dir/name is a regular file (false when dir is ""). Borrows both. */
bool gw_static_exists(const char *dir, const char *name);

/* Whether name is one we serve: letters, digits, '.', '-', '_', not starting with '.'. */
bool gw_static_plain_name(const char *name);

/* The Content-Type of a file name by its extension (a static string; octet-stream if unknown). */
const char *gw_static_type(const char *name);

/*
 * Answers with dir/name: 200, its bytes and the type of its name, or a 404
 * in the error shape naming shown (the request path) when name is not plain
 * or the file is missing, not a regular file or over GW_STATIC_FILE_MAX.
 * Borrows everything.
 */
void gw_static_send(gw_response *res, const char *dir, const char *name, const char *shown);

/* Answers with status, a static Content-Type and a copy of text. Borrows text. */
void gw_static_reply_text(gw_response *res, int status, const char *type, const char *text);

#endif
