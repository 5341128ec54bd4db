/*
 * gw_json_out.h - JSON text of a jansson value, byte for byte what
 * json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY) writes,
 * in a fraction of its time: one growing buffer instead of a callback per
 * token. Every answer body goes through it.
 *
 * Thread-safety: reentrant (v must not change meanwhile).
 */
#ifndef STOM_GW_JSON_OUT_H
#define STOM_GW_JSON_OUT_H

#include <jansson.h>
#include <stddef.h>

/* Nesting deeper than this is refused (NULL), as the gateway never builds such a value. */
#define GW_JSON_OUT_MAX_DEPTH 256

/* The text of v (owned, NUL-terminated, free()) and its length in *len (may be NULL);
 * NULL when v is NULL or nested deeper than GW_JSON_OUT_MAX_DEPTH. */
char *gw_json_out(const json_t *v, size_t *len);

#endif
