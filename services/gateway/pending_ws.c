/*
 * pending_ws.c - TEMPORARY, deleted at merge: stand-ins for what other
 * branches implement (the six route tables as empty tables, and a minimal
 * gw_access_issue / gw_access_verify with libjwt), so that stom_gw links
 * into the WebSocket hub's test and bench on this branch. Nothing real
 * depends on this file.
 *
 * Thread-safety: reentrant.
 */
#include <errno.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_auth.h"

const gw_route gw_routes_health[] = {{NULL}};
const gw_route gw_routes_auth[] = {{NULL}};
const gw_route gw_routes_strategies[] = {{NULL}};
const gw_route gw_routes_runs[] = {{NULL}};
const gw_route gw_routes_data[] = {{NULL}};
const gw_route gw_routes_analytics[] = {{NULL}};

static const char *const role_names[] = {"none", "user", "trader", "admin"};

int gw_access_issue(const gw_config *cfg, const gw_user *user, char **out, stom_errbuf *eb)
{
    jwt_t *jwt = NULL;
    if (jwt_new(&jwt))
        return stom_errorf(eb, STOM_EIO, "jwt_new failed");
    char sub[24];
    snprintf(sub, sizeof sub, "%lld", (long long)user->id);
    time_t now = time(NULL);
    int rc = jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)cfg->jwt_secret,
                         (int)strlen(cfg->jwt_secret));
    rc = rc ? rc : jwt_add_grant(jwt, "iss", cfg->issuer);
    rc = rc ? rc : jwt_add_grant(jwt, "aud", cfg->audience);
    rc = rc ? rc : jwt_add_grant(jwt, "sub", sub);
    rc = rc ? rc : jwt_add_grant(jwt, "name", user->username);
    rc = rc ? rc
            : jwt_add_grant(jwt, "role", role_names[user->role <= GW_ROLE_ADMIN ? user->role : 0]);
    rc = rc ? rc : jwt_add_grant_int(jwt, "iat", (long)now);
    rc = rc ? rc : jwt_add_grant_int(jwt, "exp", (long)now + cfg->access_ttl_s);
    char *tok = rc ? NULL : jwt_encode_str(jwt);
    jwt_free(jwt);
    if (!tok)
        return stom_errorf(eb, STOM_EIO, "cannot sign the access token");
    *out = strdup(tok);
    free(tok);
    return 0;
}

static int check_claims(const gw_config *cfg, jwt_t *jwt, gw_user *user, stom_errbuf *eb)
{
    const char *iss = jwt_get_grant(jwt, "iss"), *aud = jwt_get_grant(jwt, "aud");
    const char *sub = jwt_get_grant(jwt, "sub"), *role = jwt_get_grant(jwt, "role");
    const char *name = jwt_get_grant(jwt, "name");
    errno = 0;
    long exp = jwt_get_grant_int(jwt, "exp");
    if (jwt_get_alg(jwt) != JWT_ALG_HS256)
        return stom_errorf(eb, STOM_EINVAL, "algorithm refused");
    if (!iss || strcmp(iss, cfg->issuer) != 0)
        return stom_errorf(eb, STOM_EINVAL, "wrong issuer");
    if (!aud || strcmp(aud, cfg->audience) != 0)
        return stom_errorf(eb, STOM_EINVAL, "wrong audience");
    if (errno || exp <= (long)time(NULL))
        return stom_errorf(eb, STOM_EINVAL, "expired");
    if (!sub || !role || !name)
        return stom_errorf(eb, STOM_EINVAL, "missing claims");
    memset(user, 0, sizeof *user);
    user->id = strtoll(sub, NULL, 10);
    snprintf(user->username, sizeof user->username, "%s", name);
    for (int r = GW_ROLE_USER; r <= GW_ROLE_ADMIN; r++)
        if (strcmp(role, role_names[r]) == 0)
            user->role = (gw_role)r;
    if (user->id <= 0 || user->role == GW_ROLE_NONE)
        return stom_errorf(eb, STOM_EINVAL, "invalid claims");
    return 0;
}

int gw_access_verify(const gw_config *cfg, const char *token, gw_user *user, stom_errbuf *eb)
{
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, (const unsigned char *)cfg->jwt_secret,
                   (int)strlen(cfg->jwt_secret)) != 0)
        return stom_errorf(eb, STOM_EINVAL, "malformed or forged token");
    gw_user u;
    int rc = check_claims(cfg, jwt, &u, eb);
    jwt_free(jwt);
    if (!rc)
        *user = u;
    return rc;
}
