/*
 * gateway_client.h - the `stom` commands' connection to stom-gateway: the
 * base URL (--url, else $STOM_URL, else the URL stored by `stom login`, else
 * http://127.0.0.1:8080), the stored tokens, JSON requests to /api/v1 and
 * the gateway's error shape turned into one line on stderr.
 *
 * A request that gets 401 while a refresh token is stored calls
 * /auth/refresh once, stores the new pair and retries; a second 401 says
 * "run `stom login`"; a 401 of the login itself says "wrong username or
 * password". A 429 or 503 with a short Retry-After is retried once
 * after waiting. Every function that fails has already printed why (with
 * how to fix it) and returns an exit code (cli.h).
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_GATEWAY_CLIENT_H
#define STOM_CLI_GATEWAY_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_store.h"

#define GATEWAY_URL_DEFAULT "http://127.0.0.1:8080"
#define GATEWAY_API         "/api/v1"

typedef struct gateway_client gateway_client;

/*
 * Opens a client. url_flag (borrowed, may be NULL) overrides the other
 * sources of the URL. need_login: the stored credentials must exist (else
 * "not logged in: run `stom login`" and EXIT_USAGE); otherwise they are
 * used when present. A credentials file with a bad mode always refuses.
 * On EXIT_OK *out is owned by the caller (gateway_client_close).
 */
int gateway_client_open(gateway_client **out, const char *url_flag, bool need_login);
void gateway_client_close(gateway_client *g);

/* The base URL in use ("http://127.0.0.1:8080", no trailing slash). Borrowed from g. */
const char *gateway_client_url(const gateway_client *g);
/* The stored credentials, or NULL when not logged in. Borrowed from g. */
const auth_credentials *gateway_client_credentials(const gateway_client *g);

/*
 * method path (relative to /api/v1, with its query) and a JSON body
 * (borrowed, may be NULL). On a 2xx answer returns EXIT_OK and *out (may be
 * NULL) owns the parsed body, or NULL for an empty one (204). Otherwise
 * prints "stom: <message> (<field>)" and returns EXIT_USAGE for 4xx,
 * EXIT_INTERNAL for 5xx and unreachable gateways. *status, when not NULL,
 * gets the HTTP status (0 when unreachable).
 */
int gateway_call(gateway_client *g, const char *method, const char *path, const json_t *body,
                 json_t **out, long *status);

/* The same with a raw body of content_type (the CSV upload). Borrows body. */
int gateway_call_raw(gateway_client *g, const char *method, const char *path, const char *body,
                     size_t len, const char *content_type, json_t **out, long *status);

/*
 * Stores (or replaces) the credentials for g's URL and username with this
 * token pair. Returns EXIT_OK, or EXIT_INTERNAL after printing why. Borrows.
 */
int gateway_client_store_tokens(gateway_client *g, const char *username, const json_t *tokens);

/* While quiet, a 404 answer is returned (EXIT_USAGE, *status 404) without a message. */
void gateway_client_quiet_404(gateway_client *g, bool quiet);

/*
 * While quiet, a 400 answer is returned (EXIT_USAGE, *status 400) without a
 * message, and its "error" object is kept for gateway_client_last_error.
 */
void gateway_client_quiet_400(gateway_client *g, bool quiet);
/* While quiet, a 503 answer is kept the same way (EXIT_USAGE, *status 503, last_error). */
void gateway_client_quiet_503(gateway_client *g, bool quiet);
/* The "error" object of the last 400 kept while quiet, or NULL. Borrowed; valid until the next one.
 */
const json_t *gateway_client_last_error(const gateway_client *g);

/* The WebSocket URL for g ("ws://host:port/api/v1/ws?token=..."), owned (free()). */
char *gateway_client_ws_url(const gateway_client *g);

/* Appends "?name=value" or "&name=value" (value percent-encoded) to path (of len). */
bool gateway_query_add(char *path, size_t len, const char *name, const char *value);

/* "2024-01-02T09:00:00+09:00" (or Z; the API's times) as UTC seconds; false for another shape. */
bool gateway_time_parse(const char *s, int64_t *out);

/* obj[key] when it is a string, else fallback. Borrowed from obj. */
const char *json_str(const json_t *obj, const char *key, const char *fallback);
/* Sets o[to] to j[from] (a new reference) when that is present and not null. */
void json_copy_key(json_t *o, const json_t *j, const char *from, const char *to);

#endif
