/*
 * gw.h - the gateway's contract between its HTTP core and its routes.
 *
 * stom-gateway runs one libwebsockets service thread, which only parses
 * requests, enforces the size limits and writes responses, and a pool of
 * worker threads, which run the route handlers (everything that touches
 * PostgreSQL, Redis or nng). A complete request (headers and the whole
 * body) becomes a gw_request handed to a worker; the handler fills a
 * gw_response; the service thread writes it. The event loop never blocks.
 *
 * Routes are tables of gw_route (routes_*.c). Before a handler runs, the
 * router has matched the path (path parameters in req->params), checked the
 * access token and role the route requires (req->user), and applied the
 * route's rate limit; a handler only does its own work and may assume the
 * user is authenticated when the route says so, and (outside the health
 * routes) that ctx->db is connected: the router checked it just before.
 * Handlers answer another user's object with 404, never 403.
 *
 * Thread-safety: a gw_request and its gw_response belong to the worker
 * running the handler; a gw_ctx belongs to one worker thread; gw_config is
 * read-only after start.
 */
#ifndef STOM_GW_H
#define STOM_GW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/store.h"
#include "stom/store_redis.h"

#define GW_MAX_PARAMS           4
#define GW_MAX_CORS             8
#define GW_MARKET_URLS_MAX      4 /* --market: brokers' PUBs the WebSocket hub dials */
#define GW_MARKET_URLS_MAX_TEXT "4"
#define GW_ISSUER_DEFAULT       "stom"
#define GW_AUDIENCE_DEFAULT     "stom-api"

/* Roles in increasing power; a route needing GW_ROLE_USER admits all three. */
typedef enum gw_role { GW_ROLE_NONE = 0, GW_ROLE_USER, GW_ROLE_TRADER, GW_ROLE_ADMIN } gw_role;

/* What a route asks of its caller before the handler runs. */
typedef enum gw_access {
    GW_PUBLIC = 0, /* no token needed (health, login, register, docs, the web UI) */
    GW_USER,       /* a valid access token of an enabled user */
    GW_TRADER,     /* ... with role trader or admin */
    GW_ADMIN       /* ... with role admin */
} gw_access;

/* The rate-limit bucket a route counts against. */
typedef enum gw_limit { GW_LIMIT_NONE = 0, GW_LIMIT_AUTH_IP, GW_LIMIT_USER } gw_limit;

typedef struct gw_config {
    int port;                       /* HTTP and WebSocket port (8080) */
    const char *bind;               /* interface address ("127.0.0.1") */
    bool dev;                       /* dev mode: a fixed secret is allowed */
    const char *jwt_secret;         /* HS256 key, >= 32 bytes */
    const char *issuer, *audience;  /* "iss" and "aud" issued and required */
    int access_ttl_s;               /* 900 */
    int refresh_ttl_s;              /* 30 days */
    const char *database;           /* libpq conninfo */
    const char *redis;              /* redis://host:port */
    const char *coordinator;        /* the coordinator's REP URL */
    const char *coordinator_events; /* the coordinator's PUB URL */
    const char *cors[GW_MAX_CORS];  /* allowed origins */
    size_t n_cors;
    size_t body_max;        /* request body limit (1 MiB) */
    size_t upload_max;      /* CSV upload limit (64 MiB) */
    int json_depth_max;     /* 32 */
    int auth_per_min;       /* per IP on auth routes (20) */
    int user_per_min;       /* per user elsewhere (600) */
    int threads;            /* worker threads (4) */
    const char *static_dir; /* Swagger UI and web UI files, or NULL */

    const char *engine;        /* the live engine's REP URL (rpc.engine) */
    const char *engine_events; /* the engine's PUB URL (eng.* for the WebSocket hub) */
    const char *market; /* the brokers' PUB URLs, comma-separated (md.* for the hub); may be NULL */
} gw_config;

/* The caller, once the router has checked the access token. */
typedef struct gw_user {
    int64_t id; /* 0: anonymous */
    char username[64];
    gw_role role;
} gw_user;

typedef struct gw_request {
    char method[8];    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;  /* without the query, percent-decoded, NUL-terminated */
    const char *query; /* raw query string without '?', "" when none */
    const char *body;  /* body bytes (not NUL-terminated), NULL when none */
    size_t body_len;
    const char *authorization; /* the Authorization header or NULL */
    const char *content_type;  /* or NULL */
    char client_ip[48];
    const char *params[GW_MAX_PARAMS]; /* path parameters ({id}) in pattern order */
    size_t n_params;
    gw_user user;
    const char *route; /* the matched pattern, for metrics ("/api/v1/strategies/{id}") */
} gw_request;

typedef struct gw_response {
    int status;
    char *body; /* owned (free()), may be NULL */
    size_t body_len;
    const char *content_type; /* static string; default application/json */
    int retry_after_s;        /* > 0: a Retry-After header */
    char location[128];       /* "" or a Location header */
    /* Static strings overriding the API's Cache-Control (no-store) and Content-Security-Policy
     * (nothing may load) for pages and files a browser renders; NULL: the API's. */
    const char *cache_control;
    const char *csp;
} gw_response;

struct gw_coord; /* the coordinator client (gw_coord.h) */

/* One worker thread's connections; they reconnect on their own after a failure. */
typedef struct gw_ctx {
    const gw_config *cfg;
    stom_db *db;
    stom_redis *redis;
    struct gw_coord *coord;
    struct gw_coord *engine; /* the engine client (gw_engine.h), opened when first needed */
    int worker;              /* index in the pool */
} gw_ctx;

typedef void (*gw_handler)(gw_ctx *ctx, gw_request *req, gw_response *res);

typedef struct gw_route {
    const char *method;
    const char *pattern; /* "/api/v1/strategies/{id}/versions" */
    gw_handler handler;
    gw_access access;
    gw_limit limit;
    const char *summary; /* one line for the OpenAPI document */
    /* The query parameters, for the OpenAPI document: comma-separated names, each followed by
     * '#' when an integer and '!' when required ("symbol!,from,limit#"); NULL: none. */
    const char *query;
} gw_route;

/* ---- responses (gw_response.c) ---------------------------------------- */

/* Sets res to status with body as JSON. Takes body (json_decref'd). */
void gw_reply_json(gw_response *res, int status, json_t *body);
/*
 * Sets res to {"error": {"code", "message", "fields"}}. code is a short
 * machine name ("invalid_field", "not_found"); field, when not NULL, names
 * the offending field: fields becomes {field: message}. printf-style message.
 */
void gw_reply_error(gw_response *res, int status, const char *code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* 503 {"error": {"code": "unavailable"}} naming what is down (logs eb, never the client's data). */
void gw_reply_unavailable(gw_response *res, const char *what, const stom_errbuf *eb);
/* Sets res to status with no body (204 and the like). */
void gw_reply_empty(gw_response *res, int status);

/* ---- requests (gw_request.c) ------------------------------------------ */

/*
 * Parses the body as a JSON object within cfg's depth limit, rejecting
 * duplicate keys. Returns the object (owned) or NULL after setting res to a
 * 400 naming the line and column (or 415 when the content type is not JSON).
 */
json_t *gw_body_json(const gw_ctx *ctx, const gw_request *req, gw_response *res);
/*
 * Copies the query parameter name (percent-decoded) into out. Returns true
 * when present. A value longer than len - 1 is refused (false and *too_long).
 */
bool gw_query(const gw_request *req, const char *name, char *out, size_t len);
/* Reads path parameter i as a positive int64 id; false when it is not one. */
bool gw_param_id(const gw_request *req, size_t i, int64_t *id);

/*
 * JSON field readers for handlers: each reads obj[name], and on a missing
 * (when required) or mistyped value sets res to a 400 naming the field and
 * returns false. Strings are borrowed from obj; max_len bounds them (UTF-8 bytes).
 */
bool gw_json_string(const json_t *obj, const char *name, bool required, size_t max_len,
                    const char **out, gw_response *res);
bool gw_json_int(const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
                 int64_t *out, gw_response *res);
/* Writes prefix and n (<= 64) random base64url characters (6 bits each) into out (n + 2
 * bytes): the ids the gateway makes ("r..." jobs, "m-..." manual orders). False when the
 * system has no randomness to give. */
bool gw_random_id(char prefix, size_t n, char *out);
/* Refuses (400 naming it, listing fields) a key of obj that is not in fields (NULL-terminated). */
bool gw_json_only(const json_t *obj, const char *const *fields, gw_response *res);

/* ---- the route tables (routes_*.c) ------------------------------------- */

extern const gw_route gw_routes_health[];     /* /healthz, /readyz, /metrics, openapi, docs */
extern const gw_route gw_routes_web[];        /* the browser UI: / and /assets/{file} */
extern const gw_route gw_routes_auth[];       /* /api/v1/auth/... and admin users */
extern const gw_route gw_routes_strategies[]; /* /api/v1/strategies... */
extern const gw_route gw_routes_runs[];       /* /api/v1/backtests..., /api/v1/optimizations... */
extern const gw_route gw_routes_data[];       /* /api/v1/data/... */
extern const gw_route gw_routes_analytics[];  /* /api/v1/analytics/... */
extern const gw_route gw_routes_accounts[];   /* /api/v1/accounts, positions, risk, surge */
extern const gw_route gw_routes_orders[];     /* /api/v1/orders, kill, resume */
extern const gw_route gw_routes_trading[];    /* /api/v1/trading/strategies... */
extern const gw_route gw_routes_schedules[];  /* /api/v1/schedules... */
extern const gw_route gw_routes_engine[];     /* /api/v1/engine/status */
/* Each table ends with an entry whose method is NULL. */

#endif
