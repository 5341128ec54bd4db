/*
 * pending.c - TEMPORARY placeholders so that the HTTP core links on its own
 * branch; DELETE THIS FILE at merge. The real route tables, gw_authenticate
 * and gw_rate_allow come from the auth, strategies, runs, data and
 * analytics parts of the gateway. Nothing may depend on what this file does:
 * it refuses every authenticated request and never rate-limits.
 *
 * Thread-safety: constant tables and reentrant functions.
 */
#include "gw_auth.h"

const gw_route gw_routes_auth[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_strategies[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_runs[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_data[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_analytics[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};

int gw_auth_init(void)
{
    return 0;
}

bool gw_authenticate(gw_ctx *ctx, gw_request *req, gw_access need, gw_response *res)
{
    (void)ctx;
    (void)req;
    (void)need;
    gw_reply_error(res, 401, "unauthorized", NULL, "authentication is not built yet");
    return false;
}

bool gw_rate_allow(gw_ctx *ctx, const char *bucket, int per_min, gw_response *res)
{
    (void)ctx;
    (void)bucket;
    (void)per_min;
    (void)res;
    return true;
}
