/*
 * gw_users.c - gateway accounts: field rules, creating users, and users as
 * JSON (see gw_users.h).
 *
 * Duplicates are found by the unique indexes on lower(username) and
 * lower(email): the insert uses ON CONFLICT DO NOTHING, and when it inserts
 * nothing a second query says which of the two is taken. Checking first and
 * inserting after would race with a concurrent registration.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_auth.h"
#include "gw_users.h"

/* Times in the API are RFC 3339 in KST (docs/gateway-api.md). */
#define KST(col) "to_char(" col " AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+09:00\"')"
#define USER_COLUMNS                                                                               \
    "id, username, email, role, disabled, " KST("created_at") ", " KST("last_login_at")

static const char *const role_names[] = {"none", "user", "trader", "admin"};

const char *gw_role_name(gw_role role)
{
    return role >= GW_ROLE_NONE && role <= GW_ROLE_ADMIN ? role_names[role] : "none";
}

gw_role gw_role_parse(const char *name)
{
    for (int r = GW_ROLE_USER; name && r <= GW_ROLE_ADMIN; r++)
        if (strcmp(name, role_names[r]) == 0)
            return (gw_role)r;
    return GW_ROLE_NONE;
}

int gw_username_check(const char *username, stom_errbuf *eb)
{
    size_t len = username ? strlen(username) : 0;
    if (len < GW_USERNAME_MIN || len > GW_USERNAME_MAX)
        return stom_errorf(eb, STOM_EINVAL, "username must be %d to %d characters long",
                           GW_USERNAME_MIN, GW_USERNAME_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)username[i];
        if (!(isalnum(c) && c < 0x80) && c != '_' && c != '.' && c != '-')
            return stom_errorf(eb, STOM_EINVAL,
                               "username may only contain letters, digits, '_', '.' and '-'");
    }
    return STOM_OK;
}

/* A sanity check, not RFC 5322: one '@', something before it, a dot inside the domain. */
int gw_email_check(const char *email, stom_errbuf *eb)
{
    size_t len = email ? strlen(email) : 0;
    if (len == 0 || len > GW_EMAIL_MAX)
        return stom_errorf(eb, STOM_EINVAL, "email must be 1 to %d bytes long", GW_EMAIL_MAX);
    const char *at = strchr(email, '@');
    bool ok = at && at != email && strchr(at + 1, '@') == NULL;
    const char *dot = ok ? strrchr(at + 1, '.') : NULL;
    ok = ok && dot && dot > at + 1 && dot[1] != '\0';
    for (size_t i = 0; ok && i < len; i++)
        ok = !isspace((unsigned char)email[i]) && !iscntrl((unsigned char)email[i]);
    if (!ok)
        return stom_errorf(eb, STOM_EINVAL, "email must look like name@example.com");
    return STOM_OK;
}

int gw_password_check(const char *password, stom_errbuf *eb)
{
    size_t len = password ? strlen(password) : 0;
    if (len < GW_PASSWORD_MIN || len > GW_PASSWORD_MAX)
        return stom_errorf(eb, STOM_EINVAL, "password must be %d to %d bytes long", GW_PASSWORD_MIN,
                           GW_PASSWORD_MAX);
    return STOM_OK;
}

static int check_fields(const char *username, const char *email, const char *password, gw_role role,
                        const char **field, stom_errbuf *eb)
{
    if (gw_username_check(username, eb) != STOM_OK)
        *field = "username";
    else if (gw_email_check(email, eb) != STOM_OK)
        *field = "email";
    else if (gw_password_check(password, eb) != STOM_OK)
        *field = "password";
    else if (role < GW_ROLE_USER || role > GW_ROLE_ADMIN)
        *field = "role";
    else
        return STOM_OK;
    if (strcmp(*field, "role") == 0)
        stom_errorf(eb, STOM_EINVAL, "role must be user, trader or admin");
    return STOM_EINVAL;
}

/* After an insert that conflicted: which of username and email is taken. */
static int name_taken(gw_ctx *ctx, const char *username, const char *email, const char **field,
                      stom_errbuf *eb)
{
    const char *params[] = {username, email};
    PGresult *res = NULL;
    int rc = stom_db_query(ctx->db,
                           "SELECT bool_or(lower(username) = lower($1)) FROM users "
                           "WHERE lower(username) = lower($1) OR lower(email) = lower($2)",
                           2, params, PGRES_TUPLES_OK, "users", &res, eb);
    if (rc != STOM_OK)
        return rc;
    bool user = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    *field = user ? "username" : "email";
    return stom_errorf(eb, STOM_ESTATE, "%s is already taken", *field);
}

int gw_user_create_field(gw_ctx *ctx, const char *username, const char *email, const char *password,
                         gw_role role, int64_t *id, const char **field, stom_errbuf *eb)
{
    const char *ignored;
    field = field ? field : &ignored;
    *field = NULL;
    int rc = check_fields(username, email, password, role, field, eb);
    if (rc != STOM_OK)
        return rc;
    char hash[128];
    if (gw_password_hash(password, hash) != STOM_OK)
        return stom_errorf(eb, STOM_ENOMEM, "cannot hash the password (out of memory)");
    const char *params[] = {username, email, hash, gw_role_name(role)};
    PGresult *res = NULL;
    rc = stom_db_query(ctx->db,
                       "INSERT INTO users (username, email, password_hash, role) "
                       "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
                       4, params, PGRES_TUPLES_OK, "insert user", &res, eb);
    if (rc != STOM_OK)
        return rc;
    bool inserted = PQntuples(res) == 1;
    if (inserted)
        *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return inserted ? STOM_OK : name_taken(ctx, username, email, field, eb);
}

int gw_user_create(gw_ctx *ctx, const char *username, const char *email, const char *password,
                   gw_role role, int64_t *id, stom_errbuf *eb)
{
    return gw_user_create_field(ctx, username, email, password, role, id, NULL, eb);
}

static json_t *nullable_string(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? json_null() : json_string(PQgetvalue(res, row, col));
}

/* One row of USER_COLUMNS as JSON. */
static json_t *row_json(PGresult *res, int row, bool admin_view)
{
    json_t *u = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
                          (json_int_t)strtoll(PQgetvalue(res, row, 0), NULL, 10), "username",
                          PQgetvalue(res, row, 1), "email", PQgetvalue(res, row, 2), "role",
                          PQgetvalue(res, row, 3), "created_at", nullable_string(res, row, 5));
    if (admin_view) {
        json_object_set_new(u, "disabled", json_boolean(strcmp(PQgetvalue(res, row, 4), "t") == 0));
        json_object_set_new(u, "last_login_at", nullable_string(res, row, 6));
    }
    return u;
}

json_t *gw_user_json(gw_ctx *ctx, int64_t id, bool admin_view, int *rc, stom_errbuf *eb)
{
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    const char *params[] = {id_text};
    PGresult *res = NULL;
    *rc = stom_db_query(ctx->db, "SELECT " USER_COLUMNS " FROM users WHERE id = $1", 1, params,
                        PGRES_TUPLES_OK, "user", &res, eb);
    if (*rc != STOM_OK)
        return NULL;
    json_t *u = NULL;
    if (PQntuples(res) == 1)
        u = row_json(res, 0, admin_view);
    else
        *rc = stom_errorf(eb, STOM_ENOTFOUND, "no user %lld", (long long)id);
    PQclear(res);
    return u;
}

json_t *gw_users_list_json(gw_ctx *ctx, int64_t limit, int64_t offset, int64_t *total, int *rc,
                           stom_errbuf *eb)
{
    char lim[24], off[24];
    snprintf(lim, sizeof lim, "%lld", (long long)limit);
    snprintf(off, sizeof off, "%lld", (long long)offset);
    const char *params[] = {lim, off};
    PGresult *count = NULL, *page = NULL;
    *rc = stom_db_query(ctx->db, "SELECT count(*) FROM users", 0, NULL, PGRES_TUPLES_OK,
                        "counting users", &count, eb);
    if (*rc == STOM_OK)
        *rc = stom_db_query(ctx->db,
                            "SELECT " USER_COLUMNS " FROM users ORDER BY id LIMIT $1 OFFSET $2", 2,
                            params, PGRES_TUPLES_OK, "users", &page, eb);
    json_t *users = NULL;
    if (*rc == STOM_OK) {
        *total = strtoll(PQgetvalue(count, 0, 0), NULL, 10);
        users = json_array();
        for (int i = 0; i < PQntuples(page); i++)
            json_array_append_new(users, row_json(page, i, true));
    }
    PQclear(count);
    PQclear(page);
    return users;
}
