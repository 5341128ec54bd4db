/*
 * routes_engine.c - GET /api/v1/engine/status: the live engine's own word
 * on whether it can trade (docs/gateway-api.md, "Live trading"): the broker
 * up or down, the journal reconciled, the halt of all trading, market data
 * lost in sequence gaps, and for each of the caller's accounts its halt,
 * with the caller's running instances.
 *
 * The engine is asked (EngineCommand STATUS on rpc.engine, once for all
 * trading and once per account of the caller) with a short timeout,
 * ENGINE_STATUS_TIMEOUT_MS: a status is the question "is it up", so an
 * engine that does not answer is a 503 at once, without Retry-After. A
 * trader sees their own accounts and instances only; the engine-wide
 * counts of instances and working orders are an admin's.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_time.h"
#include "gw_engine.h"
#include "trading_scope.h"

#define STOM_STR_(x)             #x
#define STOM_STR(x)              STOM_STR_(x)
#define ENGINE_STATUS_TIMEOUT_MS 1500
#define ENGINE_STATUS_ACCOUNTS   32 /* accounts asked about in one status (the SQL's LIMIT) */

/* The caller's running instances as the API shows them (engine_strategies rows). */
#define RUNNING_JSON                                                                               \
    "json_build_object('instance_id', instance_id, 'account', account, 'strategy', "               \
    "strategy_name, 'symbols', symbols, 'timeframe', timeframe, 'state', state, 'open_orders', "   \
    "open_orders, 'positions', positions, 'realized_pnl', realized_pnl, 'started_at', "            \
    "to_char(started_at" GW_SQL_KST ")"

/* STATUS for account ("" : all trading) into *reply. False with res set. */
static bool ask(gw_ctx *ctx, const gw_request *req, const char *account, stom_bus_received *reply,
                gw_response *res)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%" PRId64, req->user.id);
    Stom__V1__EngineCommand cmd = STOM__V1__ENGINE_COMMAND__INIT;
    cmd.has_action = true;
    cmd.action = STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS;
    cmd.account = (char *)account;
    cmd.requested_by = uid;
    if (gw_engine_call_within(ctx, &cmd.base, STOM__V1__ENVELOPE__BODY_ENGINE_STATUS,
                              ENGINE_STATUS_TIMEOUT_MS, reply, res))
        return true;
    if (res->status == 503) /* "down" is the answer: no Retry-After, and what to do about it */
        gw_reply_error(res, 503, "engine_unavailable", NULL,
                       "the engine is not running or did not answer within %d ms; start it with "
                       "`make up` (or run stom-engine listening at the gateway's --engine URL)",
                       ENGINE_STATUS_TIMEOUT_MS);
    res->retry_after_s = 0;
    return false;
}

/* The engine-wide part of the status; the counts only for an admin. */
static json_t *engine_json(const Stom__V1__EngineStatus *st, bool admin)
{
    json_t *o = json_pack(
        "{s:b, s:b, s:b, s:s, s:I, s:o}", "broker_up", st->broker_up, "reconciled",
        st->has_reconciled ? st->reconciled : st->broker_up, "halted", st->halted, "halt_reason",
        st->halt_reason ? st->halt_reason : "", "md_gaps", (json_int_t)st->md_gaps, "checked_at",
        st->has_ts_ns ? gw_api_time_json(st->ts_ns / 1000000000) : json_null());
    if (admin) {
        json_object_set_new(o, "strategies", json_integer(st->strategies));
        json_object_set_new(o, "open_orders", json_integer(st->open_orders));
    }
    return o;
}

/*
 * One account's halt, or why the engine does not tell it ({account, error}). Once the engine
 * stopped answering (*down) the other accounts are not asked: one timeout, not one each.
 */
static json_t *account_json(gw_ctx *ctx, const gw_request *req, const char *account, bool *down)
{
    stom_bus_received r = {0};
    gw_response res = {0};
    json_t *o = NULL;
    if (*down || !ask(ctx, req, account, &r, &res)) {
        *down = true;
        o = json_pack("{s:s, s:o, s:s}", "account", account, "halted", json_null(), "error",
                      "the engine did not answer for this account");
        free(res.body);
        return o;
    }
    const Stom__V1__EngineStatus *st = r.msg.env->engine_status;
    if (st->error)
        o = json_pack("{s:s, s:o, s:s}", "account", account, "halted", json_null(), "error",
                      st->error->message ? st->error->message : "the engine refused");
    else
        o = json_pack("{s:s, s:b, s:s}", "account", account, "halted", st->halted, "halt_reason",
                      st->halt_reason ? st->halt_reason : "");
    stom_bus_received_free(&r);
    return o;
}

/* The caller's accounts (an admin: all) and running instances, from PostgreSQL. */
static bool own_rows(gw_ctx *ctx, const gw_request *req, json_t **accounts, json_t **instances,
                     gw_response *res)
{
    char owner[GW_SCOPE_OWNER_SZ];
    const char *v[] = {gw_scope_owner(req, owner)};
    *accounts = *instances = NULL;
    if (!gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(account ORDER BY account), '[]') FROM "
            "(SELECT account FROM broker_accounts WHERE " GW_SCOPE_ACCOUNTS(
                "account", "$1") " ORDER BY account LIMIT " STOM_STR(ENGINE_STATUS_ACCOUNTS) ") a",
            1, v, accounts, res))
        return false;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(" RUNNING_JSON " ORDER BY started_at DESC, "
            "instance_id), '[]') FROM engine_strategies WHERE state IN "
            "('starting', 'running', 'paused') AND " GW_SCOPE_ACCOUNTS("account", "$1"),
            1, v, instances, res))
        return true;
    json_decref(*accounts);
    return false;
}

static void get_status(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    stom_bus_received r = {0};
    if (!ask(ctx, req, "", &r, res))
        return;
    const Stom__V1__EngineStatus *st = r.msg.env->engine_status;
    if (st->error) {
        gw_engine_reply_error(res, st->error, 502);
        stom_bus_received_free(&r);
        return;
    }
    json_t *body = engine_json(st, req->user.role == GW_ROLE_ADMIN);
    stom_bus_received_free(&r);
    json_t *accounts = NULL, *instances = NULL;
    if (!own_rows(ctx, req, &accounts, &instances, res)) {
        json_decref(body);
        return;
    }
    json_t *halts = json_array();
    size_t k;
    json_t *a;
    bool down = false;
    json_array_foreach(accounts, k, a)
        json_array_append_new(halts, account_json(ctx, req, json_string_value(a), &down));
    json_decref(accounts);
    json_object_set_new(body, "accounts", halts);
    json_object_set_new(body, "instances", instances);
    gw_reply_json(res, 200, body);
}

const gw_route gw_routes_engine[] = {
    {"GET", "/api/v1/engine/status", get_status, GW_TRADER, GW_LIMIT_USER,
     "The live engine's status: broker, reconciliation, halts, market-data gaps, your running "
     "instances (503 when it does not answer)",
     NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
