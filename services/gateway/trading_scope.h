/*
 * trading_scope.h - what a trading route's caller may see: the broker
 * accounts they own (broker_accounts.user_id), or every account for an
 * admin (docs/engine.md "Authorization"). Another user's account is
 * answered 404 exactly like one that does not exist, so accounts do not
 * leak.
 *
 * The SQL of the trading routes takes the caller's scope as a parameter,
 * the decimal user id or "0" for an admin (gw_scope_owner), and filters
 * with GW_SCOPE_ACCOUNTS. Rows are built as JSON by PostgreSQL
 * (json_build_object, times as RFC 3339 in KST with GW_SQL_KST) and
 * parsed once here.
 *
 * Thread-safety: reentrant; ctx belongs to the calling worker.
 */
#ifndef STOM_GW_TRADING_SCOPE_H
#define STOM_GW_TRADING_SCOPE_H

#include "gw.h"

#define GW_ACCOUNT_MAX    64  /* bytes of an account id */
#define GW_PAGE_DEFAULT   50  /* rows of a list without ?limit= */
#define GW_PAGE_MAX       500 /* rows of a list at most */
#define GW_SCOPE_OWNER_SZ 24  /* buffer for gw_scope_owner */

/* An SQL condition: the account column col is one the caller ($n, gw_scope_owner) may see. */
#define GW_SCOPE_ACCOUNTS(col, n)                                                                  \
    "(" n "::bigint = 0 OR " col " IN (SELECT account FROM broker_accounts WHERE user_id = " n     \
    "::bigint))"
/* Completes "to_char(col" into timestamptz col as RFC 3339 text in KST
 * ("2024-01-02T09:00:00+09:00"): "'at', to_char(at" GW_SQL_KST ", ...". */
#define GW_SQL_KST                                                                                 \
    " AT TIME ZONE 'UTC' + interval '9 hours', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+09:00\"')"

/* Writes the caller's scope into out: "0" for an admin, their user id otherwise. Returns out. */
char *gw_scope_owner(const gw_request *req, char out[GW_SCOPE_OWNER_SZ]);

/*
 * Checks that account (from a path, a query or a body; field names it in
 * errors) is well formed (1 to GW_ACCOUNT_MAX printable ASCII bytes) and
 * one the caller may act on. False with res set: 400 naming field, 404 for
 * an account that is not theirs or does not exist, 503 database.
 */
bool gw_scope_account(gw_ctx *ctx, const gw_request *req, const char *account, const char *field,
                      gw_response *res);

/*
 * Runs sql (one row, one column: JSON text) with params and parses the
 * value into *out (owned). False with res set (503) when the database
 * fails.
 */
bool gw_scope_query_json(gw_ctx *ctx, const char *sql, int n, const char *const *params,
                         json_t **out, gw_response *res);

/*
 * Reads ?limit= (1..GW_PAGE_MAX, default GW_PAGE_DEFAULT) and ?offset= (>= 0, default 0)
 * as decimal text into limit and offset (24 bytes each). False with res set (400).
 */
bool gw_scope_page(const gw_request *req, char limit[24], char offset[24], gw_response *res);

/*
 * Reads the optional ?account= into account (GW_ACCOUNT_MAX + 1 bytes, "" when absent) and
 * checks it with gw_scope_account. False with res set.
 */
bool gw_scope_query_account(gw_ctx *ctx, const gw_request *req, char *account, gw_response *res);

#endif
