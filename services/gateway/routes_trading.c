/*
 * routes_trading.c - /api/v1/trading/strategies: the strategy instances
 * the engine runs (engine_strategies, scoped to the caller's accounts) and
 * their controls (StrategyControl START, STOP, PAUSE, RESUME to the engine).
 *
 * An instance of another user's account answers 404 like one that does
 * not exist; the gateway checks before it asks the engine, and the engine
 * checks again (requested_by).
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gw_engine.h"
#include "strategy_start.h"
#include "trading_scope.h"

/* One engine_strategies row as the API shows it. */
#define INSTANCE_JSON                                                                              \
    "json_build_object('instance_id', instance_id, 'user_id', user_id, 'account', account, "       \
    "'strategy', strategy_name, 'strategy_id', strategy_id, 'strategy_version', "                  \
    "strategy_version, 'params', params, 'symbols', symbols, 'timeframe', timeframe, "             \
    "'order_qty', order_qty, 'order_amount', order_amount, 'state', state, 'message', message, "   \
    "'realized_pnl', realized_pnl, 'open_orders', open_orders, 'positions', positions, "           \
    "'started_at', to_char(started_at" GW_SQL_KST ", 'stopped_at', to_char(stopped_at" GW_SQL_KST  \
    ", 'updated_at', to_char(updated_at" GW_SQL_KST ")"

static void list_instances(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char account[GW_ACCOUNT_MAX + 1], owner[GW_SCOPE_OWNER_SZ];
    if (!gw_scope_query_account(ctx, req, account, res))
        return;
    const char *v[] = {gw_scope_owner(req, owner), account};
    json_t *rows = NULL;
    if (gw_scope_query_json(ctx,
                            "SELECT coalesce(json_agg(" INSTANCE_JSON " ORDER BY started_at DESC, "
                            "instance_id), '[]') FROM engine_strategies WHERE (account = $2 OR "
                            "$2 = '') AND " GW_SCOPE_ACCOUNTS("account", "$1"),
                            2, v, &rows, res))
        gw_reply_json(res, 200, json_pack("{s:o}", "strategies", rows));
}

static json_t *status_json(const Stom__V1__StrategyStatus *st)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "instance_id",
        st->instance_id ? st->instance_id : "", "state", gw_engine_strategy_state_name(st->state),
        "strategy", st->strategy_name ? st->strategy_name : "", "message",
        st->message ? st->message : "", "open_orders", (json_int_t)st->open_orders, "positions",
        (json_int_t)st->positions, "realized_pnl", (json_int_t)st->realized_pnl);
}

/* Sends ctl to the engine; answers status with its StrategyStatus, or the engine's refusal. */
static void control(gw_ctx *ctx, Stom__V1__StrategyControl *ctl, int status, gw_response *res)
{
    stom_bus_received r = {0};
    if (!gw_engine_call(ctx, &ctl->base, STOM__V1__ENVELOPE__BODY_STRATEGY_STATUS, &r, res))
        return;
    const Stom__V1__StrategyStatus *st = r.msg.env->strategy_status;
    if (st->error)
        gw_engine_reply_error(res, st->error, 422);
    else
        gw_reply_json(res, status, status_json(st));
    if (status == 201 && !st->error && st->instance_id)
        snprintf(res->location, sizeof res->location, "/api/v1/trading/strategies/%.64s",
                 st->instance_id);
    stom_bus_received_free(&r);
}

static void start_instance(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    gw_strategy_start s;
    if (gw_strategy_start_read(ctx, req, body, &s, res))
        control(ctx, &s.msg, 201, res);
    gw_strategy_start_free(&s);
    json_decref(body);
}

/* The {id} instance, when the caller may see it; false with res set (404, 503). */
static bool find_instance(gw_ctx *ctx, const gw_request *req, gw_response *res)
{
    const char *id = req->params[0];
    if (!gw_instance_id_valid(id)) {
        gw_reply_error(res, 404, "not_found", NULL, "no strategy instance %.64s", id);
        return false;
    }
    char owner[GW_SCOPE_OWNER_SZ];
    const char *v[] = {id, gw_scope_owner(req, owner)};
    json_t *found = NULL;
    if (!gw_scope_query_json(ctx,
                             "SELECT to_json(EXISTS (SELECT 1 FROM engine_strategies WHERE "
                             "instance_id = $1 AND " GW_SCOPE_ACCOUNTS("account", "$2") "))",
                             2, v, &found, res))
        return false;
    bool ok = json_is_true(found);
    json_decref(found);
    if (!ok)
        gw_reply_error(res, 404, "not_found", NULL, "no strategy instance %s", id);
    return ok;
}

static void act(gw_ctx *ctx, gw_request *req, gw_response *res, Stom__V1__StrategyAction action)
{
    static const char *const stop_fields[] = {"liquidate", NULL};
    static const char *const no_fields[] = {NULL};
    bool stop = action == STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP;
    json_t *body = req->body_len ? gw_body_json(ctx, req, res) : json_object();
    if (!body)
        return;
    json_t *liquidate = json_object_get(body, "liquidate");
    if (!gw_json_only(body, stop ? stop_fields : no_fields, res)) {
        json_decref(body);
        return;
    }
    if (liquidate && !json_is_boolean(liquidate)) {
        gw_reply_error(res, 400, "invalid_field", "liquidate", "liquidate must be true or false");
    } else if (find_instance(ctx, req, res)) {
        char uid[24];
        snprintf(uid, sizeof uid, "%" PRId64, req->user.id);
        Stom__V1__StrategyControl ctl = STOM__V1__STRATEGY_CONTROL__INIT;
        ctl.instance_id = (char *)req->params[0];
        ctl.has_action = true;
        ctl.action = action;
        ctl.has_liquidate = liquidate != NULL;
        ctl.liquidate = json_is_true(liquidate);
        ctl.requested_by = uid;
        control(ctx, &ctl, 200, res);
    }
    json_decref(body);
}

static void stop_instance(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    act(ctx, req, res, STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP);
}

static void pause_instance(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    act(ctx, req, res, STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_PAUSE);
}

static void resume_instance(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    act(ctx, req, res, STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_RESUME);
}

const gw_route gw_routes_trading[] = {
    {"GET", "/api/v1/trading/strategies", list_instances, GW_TRADER, GW_LIMIT_USER,
     "Strategy instances of your accounts with state and P&L", "account"},
    {"POST", "/api/v1/trading/strategies", start_instance, GW_TRADER, GW_LIMIT_USER,
     "Start a strategy instance on one of your accounts (201)", NULL},
    {"POST", "/api/v1/trading/strategies/{id}/stop", stop_instance, GW_TRADER, GW_LIMIT_USER,
     "Stop an instance (cancels its open orders; liquidate sells its positions)", NULL},
    {"POST", "/api/v1/trading/strategies/{id}/pause", pause_instance, GW_TRADER, GW_LIMIT_USER,
     "Pause an instance (no new entries)", NULL},
    {"POST", "/api/v1/trading/strategies/{id}/resume", resume_instance, GW_TRADER, GW_LIMIT_USER,
     "Resume a paused instance", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
