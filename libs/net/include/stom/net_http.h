/*
 * stom/net_http.h - one HTTP request with libcurl: method, URL, an optional
 * bearer token and body; the answer's status, body and Retry-After.
 *
 * Every request has a connect timeout and a total timeout (libcurl has no
 * total timeout by default), and the answer's body is bounded: a body over
 * max_body is refused with STOM_ETOOBIG rather than read into memory. A
 * request that never reaches the server is an error value with a message
 * that says which URL and why ("connection refused"); any HTTP status,
 * 4xx and 5xx included, is a successful exchange the caller interprets.
 *
 * Thread-safety: stom_http_request may be called from several threads at
 * once (each call uses its own CURL handle); stom_net_global_init must run
 * once before any thread starts (the CLI calls it from main).
 */
#ifndef STOM_NET_HTTP_H
#define STOM_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "stom/error.h"

#define STOM_HTTP_CONNECT_TIMEOUT_MS 5000
#define STOM_HTTP_TIMEOUT_MS         60000
#define STOM_HTTP_BODY_MAX           (64u << 20)

typedef struct stom_http_request {
    const char *method;       /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *url;          /* absolute http:// or https:// URL */
    const char *bearer;       /* access token for Authorization, or NULL */
    const char *body;         /* request body (not NUL-terminated), or NULL */
    size_t body_len;          /* bytes of body */
    const char *content_type; /* of the body; NULL: application/json */
    long connect_timeout_ms;  /* 0: STOM_HTTP_CONNECT_TIMEOUT_MS */
    long timeout_ms;          /* whole exchange; 0: STOM_HTTP_TIMEOUT_MS */
    size_t max_body;          /* largest answer body; 0: STOM_HTTP_BODY_MAX */
} stom_http_request;

typedef struct stom_http_response {
    long status;        /* HTTP status (200, 404, ...) */
    char *body;         /* owned, NUL-terminated for convenience; never NULL after success */
    size_t body_len;    /* bytes of body, without the NUL */
    int retry_after_s;  /* Retry-After in seconds, or 0 */
    char location[256]; /* the Location header, or "" */
} stom_http_response;

/* Initialises libcurl for the process. Call once before other threads start. 0 or STOM_EIO. */
int stom_net_global_init(void);

/*
 * Performs req. On success (any HTTP status) fills *res, which the caller
 * releases with stom_http_response_free. Errors: STOM_EINVAL (no method or
 * URL), STOM_EIO (cannot connect or the connection broke: eb says why),
 * STOM_ETIMEDOUT, STOM_ETOOBIG (answer over max_body). Borrows req.
 */
int stom_http_request_do(const stom_http_request *req, stom_http_response *res, stom_errbuf *eb);

/* Releases res's body (res itself is the caller's). NULL is a no-op. */
void stom_http_response_free(stom_http_response *res);

/*
 * Appends s to buf (of len bytes, NUL-terminated) percent-encoded for a URL
 * query value. Returns false (buf unchanged) when it would not fit.
 */
bool stom_http_query_escape(char *buf, size_t len, const char *s);

#endif
