/*
 * control.c - requests on rpc.engine (docs/engine.md, "Interfaces"):
 * StrategyControl, manual OrderRequests and EngineCommands. Every request
 * gets its reply body; a refusal says why in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

static void reply(engine *e, stom_bus_pending *p, ProtobufCMessage *body)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &e->senders[0], eng_now_ns(e));
    stom_errbuf eb = {0};
    if (stom_bus_envelope_set_body(&env, body, &eb) ||
        stom_bus_server_reply(e->srv, p, "rpc.engine", &env, &eb))
        eng_log("reply: %s", eb.msg);
}

static Stom__V1__ErrorCode code_of(int rc)
{
    switch (rc) {
    case STOM_ENOTFOUND:
        return STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND;
    case STOM_ESTATE:
        return STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS;
    case STOM_EIO:
    case STOM_ETIMEDOUT:
        return STOM__V1__ERROR_CODE__ERROR_CODE_UNAVAILABLE;
    default:
        return STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT;
    }
}

/* ---- strategies ------------------------------------------------------------ */

static void strategy(engine *e, stom_bus_pending *p, const Stom__V1__StrategyControl *sc)
{
    Stom__V1__StrategyStatus st = STOM__V1__STRATEGY_STATUS__INIT;
    Stom__V1__Error err = STOM__V1__ERROR__INIT;
    stom_errbuf eb = {0};
    int rc = 0;
    eng_instance *in = eng_instance_find(e, sc->instance_id);
    switch (sc->action) {
    case STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_START:
        rc = eng_instance_start(e, sc, false, &in, &eb);
        break;
    case STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP:
        if (!in)
            break;
        {
            char name[sizeof in->strategy_name];
            snprintf(name, sizeof name, "%s", in->strategy_name);
            eng_instance_stop(e, in, sc->has_liquidate && sc->liquidate,
                              sc->reason && sc->reason[0] ? sc->reason : "stopped on request");
            st.has_state = st.has_ts_ns = 1;
            st.state = STOM__V1__STRATEGY_STATE__STRATEGY_STATE_STOPPED;
            st.instance_id = sc->instance_id;
            st.strategy_name = name;
            st.message = "stopped";
            st.ts_ns = eng_now_ns(e);
            reply(e, p, &st.base);
            return;
        }
    case STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_PAUSE:
    case STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_RESUME:
        if (in)
            eng_instance_set_state(e, in,
                                   sc->action == STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_PAUSE
                                       ? STOM__V1__STRATEGY_STATE__STRATEGY_STATE_PAUSED
                                       : STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING,
                                   sc->reason);
        break;
    case STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_QUERY:
        break;
    default:
        rc = stom_errorf(&eb, STOM_EINVAL, "action must be START, STOP, PAUSE, RESUME or QUERY");
    }
    if (!rc && !in)
        rc = stom_errorf(&eb, STOM_ENOTFOUND, "no running instance '%s'",
                         sc->instance_id ? sc->instance_id : "");
    if (rc) {
        st.instance_id = sc->instance_id;
        err.has_code = 1;
        err.code = code_of(rc);
        err.message = eb.msg;
        st.error = &err;
    } else
        eng_instance_status(in, &st);
    reply(e, p, &st.base);
}

/* ---- manual orders ----------------------------------------------------------- */

static bool account_known(const engine *e, const char *account)
{
    for (size_t i = 0; account && i < e->n_accounts; i++)
        if (!strcmp(e->accounts[i], account))
            return true;
    return false;
}

static const char *check_order(const engine *e, const Stom__V1__OrderRequest *r)
{
    if (!account_known(e, r->account))
        return "account: not an account of this engine's broker";
    if (!r->symbol || !r->symbol[0] || strlen(r->symbol) >= STOM_SYMBOL_MAX)
        return "symbol: required, a KRX code such as 005930";
    if (!r->has_side ||
        (r->side != STOM__V1__SIDE__SIDE_BUY && r->side != STOM__V1__SIDE__SIDE_SELL))
        return "side: must be buy or sell";
    if (!r->has_qty || r->qty <= 0)
        return "qty: must be above 0";
    bool limit = r->has_type && r->type == STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT;
    if (r->has_type && !limit && r->type != STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET)
        return "type: must be market or limit";
    if (limit && (!r->has_price || r->price <= 0))
        return "price: a limit order needs a price above 0";
    if (!limit && r->has_price)
        return "price: a market order takes no price";
    if (r->client_order_id && (strlen(r->client_order_id) == 0 || strlen(r->client_order_id) >= 48))
        return "client_order_id: 1 to 47 characters";
    return NULL;
}

static Stom__V1__OrderEventKind kind_of(oms_state s)
{
    switch (s) {
    case OMS_FILLED:
        return STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED;
    case OMS_PARTIALLY_FILLED:
        return STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED;
    case OMS_CANCELLED:
        return STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED;
    case OMS_REJECTED:
        return STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED;
    default:
        return STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED;
    }
}

static void manual_order(engine *e, stom_bus_pending *p, const Stom__V1__OrderRequest *r)
{
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    ev.has_kind = 1;
    ev.kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED;
    ev.client_order_id = r->client_order_id;
    ev.account = r->account;
    ev.symbol = r->symbol;
    oms_order o;
    stom_errbuf eb = {0};
    const char *bad = check_order(e, r);
    int sym = bad ? -1 : eng_symbol_index(e, r->symbol);
    if (!bad && sym < 0)
        bad = "symbol: not a symbol code the engine can watch";
    if (bad) {
        ev.reason = (char *)bad;
        ev.detail_code = "invalid_argument";
        reply(e, p, &ev.base);
        return;
    }
    eng_order_request req = {.account = r->account,
                             .client_order_id = r->client_order_id,
                             .sym = sym,
                             .side = r->side == STOM__V1__SIDE__SIDE_BUY ? 1 : -1,
                             .qty = r->qty,
                             .limit_price = r->has_price ? r->price : 0,
                             .decided_ns = r->has_ts_ns ? r->ts_ns : 0};
    if (eng_order_send(e, &req, &o, &eb) != 0) {
        ev.reason = eb.msg;
        ev.detail_code = "unavailable";
        reply(e, p, &ev.base);
        return;
    }
    ev.kind = kind_of(o.state);
    ev.client_order_id = o.client_order_id;
    ev.broker_order_no = o.broker_order_id[0] ? o.broker_order_id : NULL;
    ev.has_side = ev.has_cum_qty = ev.has_order_qty = ev.has_remaining_qty = 1;
    ev.side = r->side;
    ev.cum_qty = o.filled_qty;
    ev.order_qty = o.qty;
    ev.remaining_qty = oms_state_final(o.state) ? 0 : o.qty - o.filled_qty;
    ev.reason = o.reason[0] ? o.reason : NULL;
    if (o.state == OMS_REJECTED)
        ev.detail_code = e->broker_up ? "rejected" : "unavailable";
    else if (o.state == OMS_SENT)
        ev.detail_code = "unavailable";
    reply(e, p, &ev.base);
}

/* ---- operator commands ------------------------------------------------------ */

static void clear_halts(engine *e, const char *account, const char *instance)
{
    const char *args[] = {account ? account : "", instance ? instance : ""};
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(e->db,
                               "DELETE FROM risk_halts WHERE ($1 = '' OR account = $1) AND ($2 "
                               "= '' OR strategy = $2)",
                               2, args, PGRES_COMMAND_OK, "clearing halts", NULL, &eb))
        eng_log("%s", eb.msg);
}

static void command(engine *e, stom_bus_pending *p, const Stom__V1__EngineCommand *c)
{
    Stom__V1__EngineStatus st = STOM__V1__ENGINE_STATUS__INIT;
    Stom__V1__Error err = STOM__V1__ERROR__INIT;
    stom_errbuf eb = {0};
    char msg[320] = "";
    int rc = 0;
    const char *account = c->account && c->account[0] ? c->account : NULL;
    const char *instance = c->instance_id && c->instance_id[0] ? c->instance_id : NULL;
    const char *who = c->requested_by && c->requested_by[0] ? c->requested_by : "operator";
    int64_t now = eng_now_ns(e);
    if (account && !account_known(e, account))
        rc = stom_errorf(&eb, STOM_ENOTFOUND, "account '%s' is not traded by this engine", account);
    else if (instance && !eng_instance_find(e, instance))
        rc = stom_errorf(&eb, STOM_ENOTFOUND, "no running instance '%s'", instance);
    else
        switch (c->action) {
        case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS:
            break;
        case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL: {
            char why[300];
            snprintf(why, sizeof why, "kill switch by user %s: %s", who,
                     c->reason && c->reason[0] ? c->reason : "no reason given");
            rc = stom_risk_halt(e->risk, account, instance, why, now);
            if (!rc) /* the reason as given, so that a restart does not wrap it again */
                eng_store_halt(e, account, instance, "kill_switch", why);
            size_t n = eng_orders_cancel_all(e, instance ? eng_instance_find(e, instance) : NULL,
                                             -1, account);
            snprintf(msg, sizeof msg, "halted %s; %zu open orders cancelled",
                     instance  ? instance
                     : account ? account
                               : "all trading",
                     n);
            break;
        }
        case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME:
            rc = stom_risk_resume(e->risk, account, instance, who, now);
            if (!rc) {
                clear_halts(e, account, instance);
                snprintf(msg, sizeof msg, "resumed %s",
                         instance  ? instance
                         : account ? account
                                   : "all trading");
            }
            break;
        case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_CANCEL_ORDER:
            rc = eng_order_cancel(e, c->client_order_id ? c->client_order_id : "", &eb);
            if (!rc)
                snprintf(msg, sizeof msg, "cancel of %s sent", c->client_order_id);
            break;
        case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RELOAD_RISK:
            rc = eng_load_risk(e, &eb);
            if (!rc)
                snprintf(msg, sizeof msg, "risk settings reloaded");
            break;
        default:
            rc = stom_errorf(&eb, STOM_EINVAL,
                             "action must be STATUS, KILL, RESUME, CANCEL_ORDER or RELOAD_RISK");
        }
    if (rc && !eb.msg[0])
        snprintf(eb.msg, sizeof eb.msg, "nothing to do for %s",
                 instance  ? instance
                 : account ? account
                           : "all trading");
    char reason[256] = "";
    st.has_broker_up = st.has_halted = st.has_strategies = st.has_open_orders = 1;
    st.broker_up = e->broker_up;
    st.halted = stom_risk_halted(e->risk, account ? account : "", instance, reason, sizeof reason);
    st.halt_reason = reason[0] ? reason : NULL;
    st.strategies = (int32_t)e->n_instances;
    st.open_orders = (int32_t)eng_orders_open(e, NULL);
    stom_broker_feed_stats fs;
    stom_broker_feed_get_stats(e->feed, &fs);
    st.has_md_gaps = 1;
    st.md_gaps = fs.missing;
    st.message = msg[0] ? msg : NULL;
    st.has_ts_ns = 1;
    st.ts_ns = now;
    if (rc) {
        err.has_code = 1;
        err.code = code_of(rc);
        err.message = eb.msg;
        st.error = &err;
    }
    reply(e, p, &st.base);
}

void eng_on_request(engine *e, stom_bus_pending *p)
{
    const Stom__V1__Envelope *env = stom_bus_pending_msg(p)->env;
    switch (env->body_case) {
    case STOM__V1__ENVELOPE__BODY_STRATEGY_CONTROL:
        strategy(e, p, env->strategy_control);
        return;
    case STOM__V1__ENVELOPE__BODY_ORDER_REQUEST:
        manual_order(e, p, env->order_request);
        return;
    case STOM__V1__ENVELOPE__BODY_ENGINE_COMMAND:
        command(e, p, env->engine_command);
        return;
    default: {
        Stom__V1__Error err = STOM__V1__ERROR__INIT;
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the engine does not take a %s (it takes strategy_control, order_request and "
                 "engine_command)",
                 stom_bus_body_name(env->body_case));
        err.has_code = 1;
        err.code = STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT;
        err.message = msg;
        reply(e, p, &err.base);
    }
    }
}
