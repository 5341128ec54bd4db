/*
 * routes_accounts.c - /api/v1/accounts, /positions, /accounts/{account}/risk,
 * /risk/events and /surge: the live engine's rows in PostgreSQL, read
 * scoped to the caller's accounts (trading_scope.h), and the risk settings
 * the gateway writes.
 *
 * Every route needs role trader or admin. Risk settings are validated by
 * the engine's own parser (stom_risk_load_json) before they are stored,
 * then the engine is told to read them again (EngineCommand RELOAD_RISK);
 * an engine that is not running reads them when it starts, so storing
 * still succeeds and the answer says the engine did not apply them yet.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "gw_engine.h"
#include "stom/alloc.h"
#include "stom/risk.h"
#include "trading_scope.h"

#define RISK_TEXT_MAX 65536 /* bytes of one account's settings as JSON */

static void list_accounts(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char owner[GW_SCOPE_OWNER_SZ];
    const char *v[] = {gw_scope_owner(req, owner)};
    json_t *rows = NULL;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(json_build_object('account', a.account, 'broker', a.broker, "
            "'name', a.name, 'paper', a.paper, 'user_id', a.user_id, 'halted', EXISTS (SELECT 1 "
            "FROM risk_halts h WHERE h.account IN (a.account, '') AND h.strategy = ''), "
            "'balance', CASE WHEN b.account IS NULL THEN NULL ELSE json_build_object('cash', "
            "b.cash, 'buying_power', b.buying_power, 'equity', b.equity, 'realized_pnl', "
            "b.realized_pnl, 'updated_at', to_char(b.updated_at" GW_SQL_KST ") END) ORDER BY "
            "a.account), '[]') FROM broker_accounts a LEFT JOIN "
            "account_balances b ON b.account = "
            "a.account WHERE ($1::bigint = 0 OR a.user_id = $1::bigint)",
            1, v, &rows, res))
        gw_reply_json(res, 200, json_pack("{s:o}", "accounts", rows));
}

static void list_positions(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char account[GW_ACCOUNT_MAX + 1], owner[GW_SCOPE_OWNER_SZ];
    if (!gw_scope_query_account(ctx, req, account, res))
        return;
    const char *v[] = {gw_scope_owner(req, owner), account};
    json_t *rows = NULL;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(json_build_object('account', account, 'symbol', symbol, "
            "'qty', qty, 'avg_price', avg_price, 'last_price', last_price, 'market_value', "
            "market_value, 'cost', cost, 'unrealized_pnl', unrealized_pnl, 'realized_pnl', "
            "realized_pnl, 'fees', fees, 'taxes', taxes, 'strategy_id', strategy_id, "
            "'updated_at', to_char(updated_at" GW_SQL_KST ") ORDER BY account, symbol), '[]') FROM "
            "engine_positions WHERE qty <> 0 AND (account = $2 OR $2 = '') "
            "AND " GW_SCOPE_ACCOUNTS("account", "$1"),
            2, v, &rows, res))
        gw_reply_json(res, 200, json_pack("{s:o}", "positions", rows));
}

/* The {account} path parameter, checked as the caller's. */
static bool path_account(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    return gw_scope_account(ctx, req, req->n_params ? req->params[0] : "", "account", res);
}

static void get_risk(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    if (!path_account(ctx, req, res))
        return;
    const char *v[] = {req->params[0]};
    json_t *row = NULL;
    if (gw_scope_query_json(ctx,
                            "SELECT json_build_object('account', $1::text, 'limits', (SELECT "
                            "limits FROM risk_settings WHERE account = $1), 'updated_at', (SELECT "
                            "to_char(updated_at" GW_SQL_KST
                            " FROM risk_settings WHERE account = $1))",
                            1, v, &row, res))
        gw_reply_json(res, 200, row);
}

/* Validates limits (one account's settings) with the engine's parser; 422 naming the field. */
static bool risk_valid(const char *account, const char *limits, gw_response *res)
{
    json_t *whole = json_pack("{s:{s:o}}", "accounts", account, json_loads(limits, 0, NULL));
    char *text = whole ? json_dumps(whole, JSON_COMPACT) : NULL;
    json_decref(whole);
    stom_risk *r = NULL;
    stom_errbuf eb = {0};
    int rc = text && stom_risk_create(&r) == 0 ? stom_risk_load_json(r, text, strlen(text), &eb)
                                               : STOM_ENOMEM;
    stom_risk_destroy(r);
    free(text);
    if (rc)
        gw_reply_error(res, 422, "invalid_risk", "limits", "%s",
                       eb.msg[0] ? eb.msg : "the settings could not be read");
    return rc == 0;
}

static bool store_risk(gw_ctx *ctx, const gw_request *req, const char *limits, gw_response *res)
{
    char uid[GW_SCOPE_OWNER_SZ];
    snprintf(uid, sizeof uid, "%lld", (long long)req->user.id);
    const char *v[] = {req->params[0], limits, uid};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query(ctx->db,
                      "INSERT INTO risk_settings (account, limits, updated_by) VALUES ($1, "
                      "$2::jsonb, $3) ON CONFLICT (account) DO UPDATE SET limits = "
                      "EXCLUDED.limits, updated_by = EXCLUDED.updated_by, updated_at = now()",
                      3, v, PGRES_COMMAND_OK, "storing risk settings", &r, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    PQclear(r);
    return true;
}

static void put_risk(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    if (!path_account(ctx, req, res))
        return;
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    char *limits = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (strlen(limits) > RISK_TEXT_MAX)
        gw_reply_error(res, 413, "too_large", NULL, "risk settings are limited to %d bytes",
                       RISK_TEXT_MAX);
    else if (risk_valid(req->params[0], limits, res) && store_risk(ctx, req, limits, res)) {
        json_t *status = NULL;
        gw_response engine_res = {0};
        bool applied =
            gw_engine_command(ctx, req, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RELOAD_RISK, NULL,
                              NULL, NULL, &status, &engine_res);
        json_decref(status);
        free(engine_res.body);
        gw_reply_json(res, 200,
                      json_pack("{s:s, s:o, s:b, s:s}", "account", req->params[0], "limits",
                                json_loads(limits, 0, NULL), "applied", applied, "message",
                                applied
                                    ? "stored; the engine applies them now"
                                    : "stored; the engine is not running and applies them when it "
                                      "starts"));
    }
    free(limits);
}

static void list_risk_events(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char account[GW_ACCOUNT_MAX + 1], owner[GW_SCOPE_OWNER_SZ], limit[24], offset[24];
    if (!gw_scope_query_account(ctx, req, account, res) || !gw_scope_page(req, limit, offset, res))
        return;
    const char *v[] = {gw_scope_owner(req, owner), account, limit, offset};
    json_t *rows = NULL;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(json_build_object('id', id, 'account', account, "
            "'instance_id', instance_id, 'kind', kind, 'action', action, 'rule', rule, 'symbol', "
            "symbol, 'client_order_id', client_order_id, 'limit', limit_value, 'value', value, "
            "'message', message, 'at', to_char(at" GW_SQL_KST ") ORDER BY at DESC, id DESC), '[]') "
            "FROM (SELECT * FROM risk_events WHERE (account = $2 OR $2 = '') "
            "AND " GW_SCOPE_ACCOUNTS("account",
                                     "$1") " ORDER BY at DESC, id DESC LIMIT $3::int OFFSET "
                                           "$4::int) e",
            4, v, &rows, res))
        gw_reply_json(res, 200, json_pack("{s:o}", "events", rows));
}

static void list_surge(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char limit[24], offset[24];
    if (!gw_scope_page(req, limit, offset, res))
        return;
    const char *v[] = {limit, offset};
    json_t *rows = NULL;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(json_build_object('id', id, 'symbol', symbol, 'kind', kind, "
            "'price', price, 'change_bp', change_bp, 'window_ms', window_ms, 'window_change_bp', "
            "window_change_bp, 'value_ratio_bp', value_ratio_bp, 'strength_bp', strength_bp, "
            "'day_value', day_value, 'score', score, 'message', message, 'at', "
            "to_char(at" GW_SQL_KST
            ") ORDER BY at DESC, id DESC), '[]') FROM (SELECT * FROM surge_alerts "
            "ORDER BY at DESC, id DESC LIMIT $1::int OFFSET $2::int) s",
            2, v, &rows, res))
        gw_reply_json(res, 200, json_pack("{s:o}", "alerts", rows));
}

const gw_route gw_routes_accounts[] = {
    {"GET", "/api/v1/accounts", list_accounts, GW_TRADER, GW_LIMIT_USER,
     "Your broker accounts with their balances (admin: all)", NULL},
    {"GET", "/api/v1/positions", list_positions, GW_TRADER, GW_LIMIT_USER,
     "Open positions of your accounts (or of one)", "account"},
    {"GET", "/api/v1/accounts/{account}/risk", get_risk, GW_TRADER, GW_LIMIT_USER,
     "An account's risk settings (docs/risk.md)", NULL},
    {"PUT", "/api/v1/accounts/{account}/risk", put_risk, GW_TRADER, GW_LIMIT_USER,
     "Replace an account's risk settings (validated, then reloaded by the engine)", NULL},
    {"GET", "/api/v1/risk/events", list_risk_events, GW_TRADER, GW_LIMIT_USER,
     "Risk events of your accounts, newest first", "account,limit#,offset#"},
    {"GET", "/api/v1/surge", list_surge, GW_TRADER, GW_LIMIT_USER,
     "Surge alerts (급등주), newest first", "limit#,offset#"},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
