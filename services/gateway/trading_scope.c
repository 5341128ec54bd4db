/*
 * trading_scope.c - the caller's accounts and the small readers every
 * trading route shares (see trading_scope.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "trading_scope.h"

char *gw_scope_owner(const gw_request *req, char out[GW_SCOPE_OWNER_SZ])
{
    snprintf(out, GW_SCOPE_OWNER_SZ, "%" PRId64,
             req->user.role == GW_ROLE_ADMIN ? (int64_t)0 : req->user.id);
    return out;
}

static bool account_well_formed(const char *account)
{
    size_t n = strlen(account);
    if (n == 0 || n > GW_ACCOUNT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (account[i] <= ' ' || account[i] > '~')
            return false;
    return true;
}

bool gw_scope_account(gw_ctx *ctx, const gw_request *req, const char *account, const char *field,
                      gw_response *res)
{
    if (!account_well_formed(account)) {
        gw_reply_error(res, 400, "invalid_field", field,
                       "%s must be an account id: 1 to %d printable characters without spaces",
                       field, GW_ACCOUNT_MAX);
        return false;
    }
    char owner[GW_SCOPE_OWNER_SZ];
    const char *v[] = {account, gw_scope_owner(req, owner)};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(ctx->db,
                               "SELECT 1 FROM broker_accounts WHERE account = $1 AND "
                               "($2::bigint = 0 OR user_id = $2::bigint)",
                               2, v, PGRES_TUPLES_OK, "reading the account", &r, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (!found)
        gw_reply_error(res, 404, "not_found", field, "no account %s", account);
    return found;
}

bool gw_scope_query_json(gw_ctx *ctx, const char *sql, int n, const char *const *params,
                         json_t **out, gw_response *res)
{
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(ctx->db, sql, n, params, PGRES_TUPLES_OK, "reading trading rows", &r,
                               &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    json_t *j =
        PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
            ? json_loadb(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), JSON_DECODE_ANY, NULL)
            : NULL;
    PQclear(r);
    if (!j) {
        gw_reply_error(res, 500, "internal", NULL, "the database gave no rows as JSON");
        return false;
    }
    *out = j;
    return true;
}

bool gw_scope_page(const gw_request *req, char limit[24], char offset[24], gw_response *res)
{
    int64_t l = GW_PAGE_DEFAULT, o = 0;
    if (!gw_api_query_int_or_400(req, "limit", 1, GW_PAGE_MAX, &l, res) ||
        !gw_api_query_int_or_400(req, "offset", 0, INT32_MAX, &o, res))
        return false;
    snprintf(limit, 24, "%" PRId64, l);
    snprintf(offset, 24, "%" PRId64, o);
    return true;
}

bool gw_scope_query_account(gw_ctx *ctx, const gw_request *req, char *account, gw_response *res)
{
    account[0] = '\0';
    char *v = gw_api_query(req, "account");
    if (!v)
        return true;
    bool ok = gw_scope_account(ctx, req, v, "account", res);
    if (ok)
        snprintf(account, GW_ACCOUNT_MAX + 1, "%s", v);
    free(v);
    return ok;
}
