/*
 * routes_health.c - liveness, readiness, metrics, the OpenAPI document and
 * the Swagger UI (/docs).
 *
 * /readyz asks each dependency something cheap: PostgreSQL SELECT 1, Redis
 * PING, the coordinator a job list of one. /docs serves the swagger-ui-dist
 * files fetched at build time (or DIR/swagger-ui under --static-dir) through
 * gw_static.c, which serves only plain names directly in that directory.
 *
 * Thread-safety: handlers run on workers with their own gw_ctx.
 */
#include <stdio.h>
#include <string.h>

#include "gw_coord.h"
#include "gw_metrics.h"
#include "gw_pool.h"
#include "gw_router.h"
#include "gw_static.h"
#include "gw_ws.h"

static void healthz(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)ctx;
    (void)req;
    gw_reply_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

static const char *check_postgres(gw_ctx *ctx)
{
    stom_errbuf eb = {0};
    PGresult *r = NULL;
    if (gw_ctx_prepare(ctx, &eb) ||
        stom_db_query(ctx->db, "SELECT 1", 0, NULL, PGRES_TUPLES_OK, "readyz", &r, &eb)) {
        fprintf(stderr, "stom-gateway: readyz: PostgreSQL: %s\n", eb.msg);
        return NULL;
    }
    PQclear(r);
    return "ok";
}

static const char *check_redis(gw_ctx *ctx)
{
    stom_errbuf eb = {0};
    if (!ctx->redis && stom_redis_connect(&ctx->redis, ctx->cfg->redis, &eb)) {
        ctx->redis = NULL;
    } else if (!stom_redis_ping(ctx->redis, &eb)) {
        return "ok";
    }
    fprintf(stderr, "stom-gateway: readyz: Redis: %s\n", eb.msg);
    return NULL;
}

static const char *check_coordinator(gw_ctx *ctx)
{
    stom_errbuf eb = {0};
    if (!ctx->coord && gw_coord_open(&ctx->coord, ctx->cfg->coordinator, &eb)) {
        fprintf(stderr, "stom-gateway: readyz: coordinator: %s\n", eb.msg);
        return NULL;
    }
    Stom__V1__JobListQuery q = STOM__V1__JOB_LIST_QUERY__INIT;
    q.has_limit = 1;
    q.limit = 1;
    stom_bus_received reply = {0};
    if (gw_coord_call(ctx->coord, &q.base, STOM__V1__ENVELOPE__BODY_JOB_LIST, &reply, &eb)) {
        fprintf(stderr, "stom-gateway: readyz: coordinator: %s\n", eb.msg);
        return NULL;
    }
    stom_bus_received_free(&reply);
    return "ok";
}

static void readyz(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)req;
    const char *names[] = {"postgres", "redis", "coordinator"};
    const char *states[] = {check_postgres(ctx), check_redis(ctx), check_coordinator(ctx)};
    json_t *body = json_object();
    char down[96] = "";
    for (size_t i = 0; i < 3; i++) {
        json_object_set_new(body, names[i], json_string(states[i] ? "ok" : "down"));
        if (!states[i])
            snprintf(down + strlen(down), sizeof down - strlen(down), "%s%s", down[0] ? ", " : "",
                     names[i]);
    }
    if (!down[0]) {
        json_object_set_new(body, "status", json_string("ready"));
        gw_reply_json(res, 200, body);
        return;
    }
    char message[160];
    snprintf(message, sizeof message, "not ready: %s down", down);
    json_object_set_new(body, "status", json_string("unavailable"));
    json_object_set_new(
        body, "error",
        json_pack("{s:s, s:s, s:{}}", "code", "unavailable", "message", message, "fields"));
    gw_reply_json(res, 503, body);
    res->retry_after_s = 1;
}

static void metrics(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)ctx;
    (void)req;
    gw_ws_hub *hub = gw_ws_current();
    if (hub) {
        gw_ws_stats st;
        gw_ws_get_stats(hub, &st);
        gw_metrics_ws(st.clients, st.queued);
    }
    gw_reply_empty(res, 200);
    res->body = gw_metrics_render(&res->body_len);
    res->content_type = "text/plain; version=0.0.4";
}

static void ws_stats(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)ctx;
    (void)req;
    gw_ws_hub *hub = gw_ws_current();
    if (!hub) {
        gw_reply_unavailable(res, "the WebSocket hub", NULL);
        return;
    }
    json_t *stats = NULL;
    gw_ws_stats_json(hub, &stats);
    gw_reply_json(res, 200, stats);
}

static void openapi(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)ctx;
    (void)req;
    gw_reply_json(res, 200, gw_openapi_document());
}

/* ---- /docs -------------------------------------------------------------- */

#define CSP_DOCS                                                                                   \
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "                 \
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"

/* The Swagger UI directory: --static-dir's swagger-ui, else the one fetched at build time. */
static void ui_dir(const gw_config *cfg, char *out, size_t len)
{
#ifdef STOM_SWAGGER_UI_DIR
    gw_static_dir(cfg, "swagger-ui", STOM_SWAGGER_UI_DIR, out, len);
#else
    gw_static_dir(cfg, "swagger-ui", "", out, len);
#endif
}

static bool ui_present(const gw_config *cfg)
{
    char dir[512];
    ui_dir(cfg, dir, sizeof dir);
    return gw_static_exists(dir, "swagger-ui-bundle.js");
}

static const char index_html[] = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<title>stom API</title>"
                                 "<link rel=\"stylesheet\" href=\"/docs/swagger-ui.css\"></head>\n"
                                 "<body><div id=\"swagger-ui\"></div>"
                                 "<script src=\"/docs/swagger-ui-bundle.js\"></script>"
                                 "<script src=\"/docs/stom-init.js\"></script></body></html>\n";

/* External, not inline, so that the page's Content-Security-Policy needs no 'unsafe-inline'. */
static const char init_js[] =
    "window.onload = function () {\n"
    "  window.ui = SwaggerUIBundle({url: '/api/v1/openapi.json', dom_id: '#swagger-ui'});\n"
    "};\n";

static const char missing_html[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>stom API</title>"
    "</head><body><h1>Swagger UI is not available</h1>"
    "<p>The swagger-ui-dist package was not fetched when stom-gateway was built (npm or the "
    "network was missing). Rebuild with npm available, or pass --static-dir DIR with the "
    "files in DIR/swagger-ui. The API description is at "
    "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>\n";

/* The Swagger UI's pages and files: revalidated, and allowed to run their own scripts. */
static void docs_headers(gw_response *res)
{
    res->cache_control = "no-cache";
    res->csp = CSP_DOCS;
}

static void docs(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)req;
    if (!ui_present(ctx->cfg))
        gw_static_reply_text(res, 503, "text/html; charset=utf-8", missing_html);
    else
        gw_static_reply_text(res, 200, "text/html; charset=utf-8", index_html);
    docs_headers(res);
}

static void docs_file(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    const char *name = req->params[0];
    char dir[512];
    ui_dir(ctx->cfg, dir, sizeof dir);
    if (!strcmp(name, "stom-init.js"))
        gw_static_reply_text(res, 200, "text/javascript; charset=utf-8", init_js);
    else if (!ui_present(ctx->cfg))
        gw_reply_error(res, 404, "not_found", NULL, "no file %.200s", req->path);
    else
        gw_static_send(res, dir, name, req->path);
    docs_headers(res);
}

const gw_route gw_routes_health[] = {
    {"GET", "/healthz", healthz, GW_PUBLIC, GW_LIMIT_NONE, "Liveness: the process answers", NULL},
    {"GET", "/readyz", readyz, GW_PUBLIC, GW_LIMIT_NONE,
     "Readiness: PostgreSQL, Redis and the coordinator answer", NULL},
    {"GET", "/metrics", metrics, GW_PUBLIC, GW_LIMIT_NONE, "Prometheus metrics", NULL},
    {"GET", "/api/v1/openapi.json", openapi, GW_PUBLIC, GW_LIMIT_NONE,
     "This API's OpenAPI 3.0 description", NULL},
    {"GET", "/api/v1/ws/stats", ws_stats, GW_ADMIN, GW_LIMIT_USER,
     "WebSocket hub counters: clients, queued, delivered, dropped (admin)", NULL},
    {"GET", "/docs", docs, GW_PUBLIC, GW_LIMIT_NONE, "Swagger UI", NULL},
    {"GET", "/docs/{file}", docs_file, GW_PUBLIC, GW_LIMIT_NONE, "Swagger UI's files", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
