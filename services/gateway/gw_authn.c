/*
 * gw_authn.c - the router's authentication step: the Bearer token, the
 * user's current state and the route's role.
 *
 * The token's role claim is not trusted: the role and the disabled flag
 * come from users, read at most GW_USER_CACHE_MS earlier (gw_user_cache.h),
 * so demoting or disabling someone takes effect within a second rather
 * than when their access token expires (at once through this gateway).
 *
 * Thread-safety: reentrant; the gw_ctx belongs to the calling thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_user_cache.h"
#include "gw_users.h"
#include "stom/timeutil.h"

static const gw_role needed_role[] = {
    [GW_PUBLIC] = GW_ROLE_NONE,
    [GW_USER] = GW_ROLE_USER,
    [GW_TRADER] = GW_ROLE_TRADER,
    [GW_ADMIN] = GW_ROLE_ADMIN,
};

/* The token of "Bearer <token>", or NULL with res set to a 401. */
static const char *bearer_token(const gw_request *req, gw_response *res)
{
    const char *h = req->authorization;
    if (!h || !*h) {
        gw_reply_error(res, 401, "unauthorized", NULL,
                       "missing Authorization header: send 'Authorization: Bearer <access token>'");
        return NULL;
    }
    if (strncasecmp(h, "Bearer ", 7) != 0) {
        gw_reply_error(res, 401, "unauthorized", NULL,
                       "the Authorization header must be 'Bearer <access token>'");
        return NULL;
    }
    h += 7;
    while (*h == ' ')
        h++;
    if (!*h) {
        gw_reply_error(res, 401, "unauthorized", NULL, "the Bearer access token is empty");
        return NULL;
    }
    return h;
}

/* Reads role and disabled of req->user.id from users; false with res set when down. */
static bool load_user(gw_ctx *ctx, gw_request *req, bool *found, bool *disabled, gw_response *res)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)req->user.id);
    const char *params[] = {id};
    PGresult *r = NULL;
    stom_errbuf eb;
    if (stom_db_query(ctx->db, "SELECT username, role, disabled FROM users WHERE id = $1", 1,
                      params, PGRES_TUPLES_OK, "user", &r, &eb) != STOM_OK) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    *found = PQntuples(r) == 1;
    *disabled = *found && *PQgetvalue(r, 0, 2) == 't';
    if (*found) {
        snprintf(req->user.username, sizeof req->user.username, "%s", PQgetvalue(r, 0, 0));
        req->user.role = gw_role_parse(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return true;
}

/* Fills role and name of req->user.id (cached or loaded); false with res set. */
static bool reload_user(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t now = stom_mono_ms();
    bool found = true, disabled = false;
    if (!gw_user_cache_get(req->user.id, now, &req->user, &disabled)) {
        if (!load_user(ctx, req, &found, &disabled, res))
            return false;
        if (found)
            gw_user_cache_put(&req->user, disabled, now);
    }
    if (!found)
        gw_reply_error(res, 401, "unauthorized", NULL, "the access token's user no longer exists");
    else if (disabled)
        gw_reply_error(res, 401, "unauthorized", NULL, "account disabled");
    return found && !disabled;
}

bool gw_authenticate(gw_ctx *ctx, gw_request *req, gw_access need, gw_response *res)
{
    req->user = (gw_user){0};
    if (need == GW_PUBLIC)
        return true;
    const char *token = bearer_token(req, res);
    if (!token)
        return false;
    gw_user claimed = {0};
    stom_errbuf eb;
    if (gw_access_verify(ctx->cfg, token, &claimed, &eb) != STOM_OK) {
        gw_reply_error(res, 401, "unauthorized", NULL, "invalid access token: %s", eb.msg);
        return false;
    }
    req->user.id = claimed.id;
    if (!reload_user(ctx, req, res)) {
        req->user = (gw_user){0};
        return false;
    }
    gw_role need_role = need >= GW_PUBLIC && need <= GW_ADMIN ? needed_role[need] : GW_ROLE_ADMIN;
    if (req->user.role < need_role) {
        gw_reply_error(res, 403, "forbidden", NULL, "this route needs the %s role",
                       gw_role_name(need_role));
        return false;
    }
    return true;
}
