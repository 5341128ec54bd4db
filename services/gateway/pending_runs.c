/*
 * pending_runs.c - TEMPORARY: stand-ins for what other branches of issue 5
 * define (the health, auth, strategies and data route tables and the
 * gw_auth.h functions), so that stom_gw links on the gw-runs branch alone.
 * Nothing real calls these; this file is deleted at merge.
 *
 * Thread-safety: nothing here has state.
 */
#include "gw_auth.h"

const gw_route gw_routes_health[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_auth[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_strategies[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_data[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};

int gw_auth_init(void)
{
    return STOM_EIO;
}

int gw_password_hash(const char *password, char out[128])
{
    (void)password;
    out[0] = '\0';
    return STOM_ENOMEM;
}

bool gw_password_verify(const char *hash, const char *password, bool *rehash)
{
    (void)hash;
    (void)password;
    *rehash = false;
    return false;
}

void gw_password_burn(const char *password)
{
    (void)password;
}

int gw_access_issue(const gw_config *cfg, const gw_user *user, char **out, stom_errbuf *eb)
{
    (void)cfg;
    (void)user;
    *out = NULL;
    return stom_errorf(eb, STOM_EIO, "not on this branch");
}

int gw_access_verify(const gw_config *cfg, const char *token, gw_user *user, stom_errbuf *eb)
{
    (void)cfg;
    (void)token;
    (void)user;
    return stom_errorf(eb, STOM_EINVAL, "not on this branch");
}

int gw_refresh_start(gw_ctx *ctx, int64_t user_id, char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    (void)ctx;
    (void)user_id;
    out[0] = '\0';
    return stom_errorf(eb, STOM_EIO, "not on this branch");
}

int gw_refresh_rotate(gw_ctx *ctx, const char *token, int64_t *user_id,
                      char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    (void)ctx;
    (void)token;
    (void)user_id;
    out[0] = '\0';
    return stom_errorf(eb, STOM_ENOTFOUND, "not on this branch");
}

int gw_refresh_revoke(gw_ctx *ctx, const char *token, stom_errbuf *eb)
{
    (void)ctx;
    (void)token;
    return stom_errorf(eb, STOM_EIO, "not on this branch");
}

int gw_refresh_revoke_user(gw_ctx *ctx, int64_t user_id, stom_errbuf *eb)
{
    (void)ctx;
    (void)user_id;
    return stom_errorf(eb, STOM_EIO, "not on this branch");
}

bool gw_authenticate(gw_ctx *ctx, gw_request *req, gw_access need, gw_response *res)
{
    (void)ctx;
    (void)req;
    (void)need;
    gw_reply_error(res, 401, "unauthorized", NULL, "authentication is not on this branch");
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
