/*
 * routes_auth.c - /api/v1/auth/... (register, login, refresh, logout, me)
 * and /api/v1/admin/users (docs/gateway-api.md, "Auth").
 *
 * Login answers an unknown user and a wrong password with the same 401 and
 * the same cost (gw_password_burn). An admin cannot disable or demote
 * themselves, so the last admin cannot lock everyone out by accident;
 * disabling a user revokes their refresh tokens at once (their access
 * tokens stop working on the next request: gw_authenticate reads the
 * disabled flag every time). Passwords and tokens are never logged.
 *
 * Thread-safety: handlers run on a worker thread with its own gw_ctx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "gw_auth.h"
#include "gw_user_cache.h"
#include "gw_users.h"
#include "gw_ws.h"

#define INVALID_LOGIN      "invalid username or password"
#define TOKEN_IN_MAX       128 /* longest refresh token read from a body */
#define USERS_PAGE_DEFAULT 100
#define USERS_PAGE_MAX     1000

/* A user as login and refresh need it. */
typedef struct login_row {
    gw_user user;
    bool disabled;
    char hash[128];
} login_row;

/* Replies 503 for STOM_EIO, else status with code and eb's message (field may be NULL). */
static void reply_rc(gw_response *res, int rc, int status, const char *code, const char *field,
                     const stom_errbuf *eb)
{
    if (rc == STOM_EIO)
        gw_reply_unavailable(res, "the database", eb);
    else
        gw_reply_error(res, status, code, field, "%s", eb->msg);
}

/* Issues an access token for user and replies with it and refresh (the login shape). */
static void reply_pair(gw_ctx *ctx, const gw_user *user, const char *refresh, gw_response *res)
{
    char *access = NULL;
    stom_errbuf eb;
    if (gw_access_issue(ctx->cfg, user, &access, &eb) != STOM_OK) {
        fprintf(stderr, "stom-gateway: cannot issue an access token: %s\n", eb.msg);
        gw_reply_error(res, 500, "internal", NULL, "cannot issue an access token");
        return;
    }
    gw_reply_json(res, 200,
                  json_pack("{s:s, s:s, s:s, s:i}", "access_token", access, "refresh_token",
                            refresh, "token_type", "bearer", "expires_in", ctx->cfg->access_ttl_s));
    free(access);
}

static void handle_register(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    const char *username, *email, *password;
    if (!body || !gw_json_string(body, "username", true, GW_USERNAME_MAX, &username, res) ||
        !gw_json_string(body, "email", true, GW_EMAIL_MAX, &email, res) ||
        !gw_json_string(body, "password", true, GW_PASSWORD_MAX, &password, res)) {
        json_decref(body);
        return;
    }
    int64_t id = 0;
    const char *field = NULL;
    stom_errbuf eb;
    int rc = gw_user_create_field(ctx, username, email, password, GW_ROLE_USER, &id, &field, &eb);
    json_decref(body);
    if (rc != STOM_OK) {
        reply_rc(res, rc,
                 rc == STOM_EINVAL   ? 400
                 : rc == STOM_ESTATE ? 409
                                     : 500,
                 rc == STOM_EINVAL   ? "invalid_field"
                 : rc == STOM_ESTATE ? "conflict"
                                     : "internal",
                 field, &eb);
        return;
    }
    json_t *user = gw_user_json(ctx, id, false, &rc, &eb);
    if (!user) {
        reply_rc(res, rc, 500, "internal", NULL, &eb);
        return;
    }
    snprintf(res->location, sizeof res->location, "/api/v1/auth/me");
    gw_reply_json(res, 201, user);
}

/* Finds the user whose username (or email) is key; 0, STOM_ENOTFOUND or STOM_EIO. */
static int find_login(gw_ctx *ctx, const char *key, bool by_email, login_row *row, stom_errbuf *eb)
{
    const char *params[] = {key};
    PGresult *res = NULL;
    int rc = stom_db_query(ctx->db,
                           by_email ? "SELECT id, username, role, disabled, password_hash FROM "
                                      "users WHERE lower(email) = lower($1)"
                                    : "SELECT id, username, role, disabled, password_hash FROM "
                                      "users WHERE lower(username) = lower($1)",
                           1, params, PGRES_TUPLES_OK, "login", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return STOM_ENOTFOUND;
    }
    row->user.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(row->user.username, sizeof row->user.username, "%s", PQgetvalue(res, 0, 1));
    row->user.role = gw_role_parse(PQgetvalue(res, 0, 2));
    row->disabled = *PQgetvalue(res, 0, 3) == 't';
    /* A hash too long for the buffer cannot be an argon2 string of ours: it never matches. */
    snprintf(row->hash, sizeof row->hash, "%s", PQgetvalue(res, 0, 4));
    PQclear(res);
    return STOM_OK;
}

/* After a good password: a new hash when the parameters changed, and last_login_at. */
static int record_login(gw_ctx *ctx, const login_row *row, const char *password, bool rehash,
                        stom_errbuf *eb)
{
    char id[24], hash[128];
    snprintf(id, sizeof id, "%lld", (long long)row->user.id);
    const char *params[] = {id, NULL};
    if (rehash && gw_password_hash(password, hash) == STOM_OK)
        params[1] = hash;
    return stom_db_query(ctx->db,
                         "UPDATE users SET last_login_at = now(), "
                         "password_hash = coalesce($2, password_hash) WHERE id = $1",
                         2, params, PGRES_COMMAND_OK, "record login", NULL, eb);
}

/* Reads {username or email, password}; NULL after replying 400. */
static json_t *login_body(gw_ctx *ctx, gw_request *req, gw_response *res, const char **key,
                          bool *by_email, const char **password)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return NULL;
    *by_email = !json_object_get(body, "username") && json_object_get(body, "email");
    bool ok = *by_email ? gw_json_string(body, "email", true, GW_EMAIL_MAX, key, res)
                        : gw_json_string(body, "username", true, GW_EMAIL_MAX, key, res);
    if (ok && !gw_json_string(body, "password", true, GW_PASSWORD_MAX, password, res))
        ok = false;
    if (!ok) {
        json_decref(body);
        return NULL;
    }
    return body;
}

static void handle_login(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    const char *key, *password;
    bool by_email, rehash = false;
    json_t *body = login_body(ctx, req, res, &key, &by_email, &password);
    if (!body)
        return;
    login_row row = {0};
    stom_errbuf eb;
    int rc = find_login(ctx, key, by_email, &row, &eb);
    bool good = false;
    if (rc == STOM_ENOTFOUND)
        gw_password_burn(password);
    else if (rc == STOM_OK)
        good = gw_password_verify(row.hash, password, &rehash);
    if (good && !row.disabled)
        rc = record_login(ctx, &row, password, rehash, &eb);
    json_decref(body);
    char refresh[GW_REFRESH_TOKEN_LEN];
    if (rc == STOM_OK && good && !row.disabled)
        rc = gw_refresh_start(ctx, row.user.id, refresh, &eb);
    if (rc == STOM_EIO) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    if (!good) {
        gw_reply_error(res, 401, "unauthorized", NULL, INVALID_LOGIN);
        return;
    }
    if (row.disabled) {
        gw_reply_error(res, 401, "unauthorized", NULL, "account disabled");
        return;
    }
    reply_pair(ctx, &row.user, refresh, res);
}

/* The current state of user id for a refresh; 0, STOM_ENOTFOUND or STOM_EIO. */
static int load_user(gw_ctx *ctx, int64_t id, login_row *row, stom_errbuf *eb)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    const char *params[] = {text};
    PGresult *res = NULL;
    int rc = stom_db_query(ctx->db, "SELECT username, role, disabled FROM users WHERE id = $1", 1,
                           params, PGRES_TUPLES_OK, "user", &res, eb);
    if (rc != STOM_OK)
        return rc;
    rc = PQntuples(res) == 1 ? STOM_OK : STOM_ENOTFOUND;
    if (rc == STOM_OK) {
        row->user.id = id;
        snprintf(row->user.username, sizeof row->user.username, "%s", PQgetvalue(res, 0, 0));
        row->user.role = gw_role_parse(PQgetvalue(res, 0, 1));
        row->disabled = *PQgetvalue(res, 0, 2) == 't';
    }
    PQclear(res);
    return rc;
}

static void handle_refresh(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    const char *token;
    if (!body || !gw_json_string(body, "refresh_token", true, TOKEN_IN_MAX, &token, res)) {
        json_decref(body);
        return;
    }
    char next[GW_REFRESH_TOKEN_LEN];
    int64_t user_id = 0;
    stom_errbuf eb;
    int rc = gw_refresh_rotate(ctx, token, &user_id, next, &eb);
    json_decref(body);
    if (rc == STOM_ESTATE) {
        gw_reply_error(res, 401, "token_reused", NULL, "%s", eb.msg);
        return;
    }
    if (rc != STOM_OK) {
        reply_rc(res, rc, 401, "unauthorized", NULL, &eb);
        return;
    }
    login_row row = {0};
    rc = load_user(ctx, user_id, &row, &eb);
    if (rc == STOM_OK && row.disabled) {
        /* Disabled by hand in SQL: the revocation the admin route does is still owed. */
        rc = gw_refresh_revoke(ctx, next, &eb);
        if (rc == STOM_OK) {
            gw_reply_error(res, 401, "unauthorized", NULL, "account disabled");
            return;
        }
    }
    if (rc != STOM_OK) {
        reply_rc(res, rc, 401, "unauthorized", NULL, &eb);
        return;
    }
    reply_pair(ctx, &row.user, next, res);
}

static void handle_logout(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    const char *token;
    if (!body || !gw_json_string(body, "refresh_token", true, TOKEN_IN_MAX, &token, res)) {
        json_decref(body);
        return;
    }
    stom_errbuf eb;
    int rc = gw_refresh_revoke(ctx, token, &eb);
    json_decref(body);
    if (rc != STOM_OK) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    gw_reply_empty(res, 204);
}

static void handle_me(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int rc;
    stom_errbuf eb;
    json_t *user = gw_user_json(ctx, req->user.id, false, &rc, &eb);
    if (!user) {
        reply_rc(res, rc, 404, "not_found", NULL, &eb);
        return;
    }
    gw_reply_json(res, 200, user);
}

static void handle_list_users(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t limit = USERS_PAGE_DEFAULT, offset = 0, total = 0;
    if (!gw_api_query_int_or_400(req, "limit", 1, USERS_PAGE_MAX, &limit, res) ||
        !gw_api_query_int_or_400(req, "offset", 0, INT32_MAX, &offset, res))
        return;
    int rc;
    stom_errbuf eb;
    json_t *users = gw_users_list_json(ctx, limit, offset, &total, &rc, &eb);
    if (!users) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    gw_reply_json(res, 200,
                  json_pack("{s:o, s:I, s:I, s:I}", "users", users, "total", (json_int_t)total,
                            "limit", (json_int_t)limit, "offset", (json_int_t)offset));
}

/* The optional boolean obj[name]; false after replying 400 when it is not one. */
static bool json_opt_bool(const json_t *obj, const char *name, const char **out, gw_response *res)
{
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_boolean(v)) {
        gw_reply_error(res, 400, "invalid_field", name, "%s must be true or false", name);
        return false;
    }
    *out = json_is_true(v) ? "true" : "false";
    return true;
}

/* Reads {role?, disabled?} as SQL text parameters (NULL: unchanged); false after a 400. */
static bool patch_fields(const json_t *body, const gw_request *req, int64_t id, const char **role,
                         const char **disabled, gw_response *res)
{
    if (!gw_json_string(body, "role", false, 16, role, res) ||
        !json_opt_bool(body, "disabled", disabled, res))
        return false;
    if (*role && gw_role_parse(*role) == GW_ROLE_NONE) {
        gw_reply_error(res, 400, "invalid_field", "role", "role must be user, trader or admin");
        return false;
    }
    if (!*role && !*disabled) {
        gw_reply_error(res, 400, "invalid_field", NULL, "give role or disabled to change");
        return false;
    }
    if (id == req->user.id && *disabled && strcmp(*disabled, "true") == 0) {
        gw_reply_error(res, 400, "invalid_field", "disabled", "an admin cannot disable themselves");
        return false;
    }
    if (id == req->user.id && *role && gw_role_parse(*role) != GW_ROLE_ADMIN) {
        gw_reply_error(res, 400, "invalid_field", "role", "an admin cannot demote themselves");
        return false;
    }
    return true;
}

/* Updates user id and, when it is now disabled, revokes its refresh tokens, in one
 * transaction. 0, STOM_ENOTFOUND or STOM_EIO. */
static int update_user(gw_ctx *ctx, int64_t id, const char *role, const char *disabled,
                       stom_errbuf *eb)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    const char *params[] = {text, role, disabled};
    PGresult *res = NULL;
    int rc = stom_db_begin(ctx->db, eb);
    if (rc == STOM_OK)
        rc = stom_db_query(ctx->db,
                           "UPDATE users SET role = coalesce($2, role), "
                           "disabled = coalesce($3::boolean, disabled) WHERE id = $1 RETURNING "
                           "disabled",
                           3, params, PGRES_TUPLES_OK, "update user", &res, eb);
    if (rc == STOM_OK && PQntuples(res) != 1)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "no user %lld", (long long)id);
    if (rc == STOM_OK && *PQgetvalue(res, 0, 0) == 't')
        rc = gw_refresh_revoke_user(ctx, id, eb);
    PQclear(res);
    if (rc == STOM_OK)
        rc = stom_db_commit(ctx->db, eb);
    else
        stom_db_rollback(ctx->db);
    gw_user_cache_drop(id); /* even after a failure: the next request reads the row */
    gw_ws_hub *hub = gw_ws_current();
    if (rc == STOM_OK && hub)
        gw_ws_user_changed(hub, id); /* their WebSockets sign in again under the new state */
    return rc;
}

static void handle_patch_user(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!gw_param_id(req, 0, &id)) {
        gw_reply_error(res, 404, "not_found", NULL, "no such user");
        return;
    }
    json_t *body = gw_body_json(ctx, req, res);
    const char *role, *disabled;
    if (!body || !patch_fields(body, req, id, &role, &disabled, res)) {
        json_decref(body);
        return;
    }
    stom_errbuf eb;
    int rc = update_user(ctx, id, role, disabled, &eb);
    json_decref(body);
    if (rc != STOM_OK) {
        reply_rc(res, rc, 404, "not_found", NULL, &eb);
        return;
    }
    json_t *user = gw_user_json(ctx, id, true, &rc, &eb);
    if (!user) {
        reply_rc(res, rc, 404, "not_found", NULL, &eb);
        return;
    }
    gw_reply_json(res, 200, user);
}

const gw_route gw_routes_auth[] = {
    {"POST", "/api/v1/auth/register", handle_register, GW_PUBLIC, GW_LIMIT_AUTH_IP,
     "Create an account (role user)", NULL},
    {"POST", "/api/v1/auth/login", handle_login, GW_PUBLIC, GW_LIMIT_AUTH_IP,
     "Log in with username or email and password; returns an access and a refresh token", NULL},
    {"POST", "/api/v1/auth/refresh", handle_refresh, GW_PUBLIC, GW_LIMIT_AUTH_IP,
     "Trade a refresh token for a new token pair (the old refresh token is spent)", NULL},
    {"POST", "/api/v1/auth/logout", handle_logout, GW_PUBLIC, GW_LIMIT_AUTH_IP,
     "Revoke a refresh token and every token of its login", NULL},
    {"GET", "/api/v1/auth/me", handle_me, GW_USER, GW_LIMIT_USER, "The calling user", NULL},
    {"GET", "/api/v1/admin/users", handle_list_users, GW_ADMIN, GW_LIMIT_USER, "List all users",
     "limit#,offset#"},
    {"PATCH", "/api/v1/admin/users/{id}", handle_patch_user, GW_ADMIN, GW_LIMIT_USER,
     "Change a user's role or disable them", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
