/*
 * gw_router.c - route matching over every table, then the checks every
 * route gets before its handler (rate limit, access), then the handler.
 *
 * Patterns are literal segments and {name} segments; a {name} matches one
 * non-empty segment and is captured into req->params in pattern order.
 * A trailing slash is not ignored ("/healthz/" is another path).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_metrics.h"
#include "gw_pool.h"
#include "gw_router.h"
#include "stom/timeutil.h"

const gw_route *const gw_route_tables[] = {
    gw_routes_health,
    gw_routes_auth,
    gw_routes_strategies,
    gw_routes_runs,
    gw_routes_data,
    gw_routes_analytics,
    gw_routes_accounts,
    gw_routes_orders,
    gw_routes_trading,
    gw_routes_schedules,
    gw_routes_engine,
    gw_routes_web,
    NULL,
};

/*
 * Matches path against pattern; captures go into buf (a copy of path whose
 * '/' after a capture become NUL). Returns the number of captures or -1.
 */
static int match(const char *pattern, const char *path, char *buf, const char **params)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            size_t seg = strcspn(s, "/");
            if (seg == 0 || n == GW_MAX_PARAMS)
                return -1;
            params[n++] = buf + (s - path);
            s += seg;
            p = strchr(p, '}');
            if (!p)
                return -1;
            p++;
            continue;
        }
        if (*p != *s)
            return -1;
        p++;
        s++;
    }
    if (*p || *s)
        return -1;
    for (int i = 0; i < n; i++) /* cut the captured segments out of the copy */
        ((char *)params[i])[strcspn(params[i], "/")] = '\0';
    return n;
}

static void add_allow(char *allow, size_t len, const char *method)
{
    if (strstr(allow, method))
        return;
    size_t used = strlen(allow);
    snprintf(allow + used, len - used, "%s%s", used ? ", " : "", method);
}

const gw_route *gw_router_match(gw_request *req, char *params_buf, size_t len, int *status,
                                char *allow, size_t allow_len)
{
    const char *params[GW_MAX_PARAMS];
    if (strlen(req->path) >= len) {
        *status = 404;
        return NULL;
    }
    snprintf(params_buf, len, "%s", req->path);
    allow[0] = '\0';
    for (size_t t = 0; gw_route_tables[t]; t++) {
        for (const gw_route *r = gw_route_tables[t]; r->method; r++) {
            int n = match(r->pattern, req->path, params_buf, params);
            if (n < 0)
                continue;
            if (strcmp(r->method, req->method)) {
                add_allow(allow, allow_len, r->method);
                snprintf(params_buf, len, "%s", req->path); /* undo the cuts */
                continue;
            }
            memcpy(req->params, params, (size_t)n * sizeof *params);
            req->n_params = (size_t)n;
            req->route = r->pattern;
            return r;
        }
    }
    *status = allow[0] ? 405 : 404;
    return NULL;
}

static bool rate_limit_ip(gw_ctx *ctx, const gw_request *req, gw_response *res)
{
    char bucket[80];
    snprintf(bucket, sizeof bucket, "auth:%s", req->client_ip);
    return gw_rate_allow(ctx, bucket, ctx->cfg->auth_per_min, res);
}

static bool rate_limit_user(gw_ctx *ctx, const gw_request *req, gw_response *res)
{
    char bucket[48];
    snprintf(bucket, sizeof bucket, "user:%lld", (long long)req->user.id);
    return gw_rate_allow(ctx, bucket, ctx->cfg->user_per_min, res);
}

static bool in_table(const gw_route *table, const gw_route *r)
{
    for (const gw_route *t = table; t->method; t++)
        if (t == r)
            return true;
    return false;
}

/* The checks before the handler; false with res set when one refuses. */
static bool admit(gw_ctx *ctx, const gw_route *r, gw_request *req, gw_response *res)
{
    /* Health routes check their dependencies themselves and must answer when they are down; the
     * web UI's files need none (the page then shows what its API calls say). */
    stom_errbuf eb = {0};
    bool needs_db = !in_table(gw_routes_health, r) && !in_table(gw_routes_web, r);
    if (needs_db && gw_ctx_prepare(ctx, &eb)) {
        gw_reply_unavailable(res, "PostgreSQL", &eb);
        return false;
    }
    if (r->limit == GW_LIMIT_AUTH_IP && !rate_limit_ip(ctx, req, res))
        return false;
    if (r->access != GW_PUBLIC && !gw_authenticate(ctx, req, r->access, res))
        return false;
    if (r->limit == GW_LIMIT_USER && req->user.id > 0 && !rate_limit_user(ctx, req, res))
        return false;
    return true;
}

void gw_router_dispatch(gw_ctx *ctx, gw_request *req, gw_response *res, int64_t started_ns)
{
    char buf[1024], allow[64];
    int status = 0;
    const gw_route *r = gw_router_match(req, buf, sizeof buf, &status, allow, sizeof allow);
    if (!r && status == 405)
        gw_reply_error(res, 405, "method_not_allowed", NULL, "%s is not allowed on %.200s; use %s",
                       req->method, req->path, allow);
    else if (!r)
        gw_reply_error(res, 404, "not_found", NULL, "no route %.200s", req->path);
    else if (admit(ctx, r, req, res))
        r->handler(ctx, req, res);
    if (res->status == 0)
        gw_reply_error(res, 500, "internal", NULL, "the handler gave no answer");
    gw_metrics_request(r ? r->pattern : NULL, req->method, res->status,
                       (double)(stom_mono_ns() - started_ns) / 1e9);
}
