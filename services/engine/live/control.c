/*
 * control.c - requests on rpc.engine (docs/engine.md, "Interfaces"):
 * StrategyControl, manual OrderRequests and EngineCommands. Every request
 * gets its reply body; a refusal says why in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Answers p once what the request wrote is in PostgreSQL: a caller that reads the rows next
 * (the gateway, a test) sees them. */
static void reply(engine *e, stom_bus_pending *p, ProtobufCMessage *body)
{
    eng_db_settle(e);
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
    eng_db_exec(e,
                "DELETE FROM risk_halts WHERE ($1 = '' OR account = $1) AND ($2 = '' OR strategy = "
                "$2)",
                2, args, "clearing halts");
}

/* What an EngineCommand acts on: an instance, an account, or (neither) all trading. */
typedef struct cmd_scope {
    const char *account, *instance;
    const char *who;  /* the requesting user, or "operator" */
    const char *name; /* for messages: the instance, the account or "all trading" */
} cmd_scope;

static cmd_scope scope_of(const Stom__V1__EngineCommand *c)
{
    cmd_scope sc;
    sc.account = c->account && c->account[0] ? c->account : NULL;
    sc.instance = c->instance_id && c->instance_id[0] ? c->instance_id : NULL;
    sc.who = c->requested_by && c->requested_by[0] ? c->requested_by : "operator";
    sc.name = sc.instance ? sc.instance : sc.account ? sc.account : "all trading";
    return sc;
}

static int kill_switch(engine *e, const cmd_scope *sc, const char *reason, int64_t now, char *msg,
                       size_t len)
{
    char why[300];
    snprintf(why, sizeof why, "kill switch by user %s: %s", sc->who,
             reason && reason[0] ? reason : "no reason given");
    int rc = stom_risk_halt(e->risk, sc->account, sc->instance, why, now);
    if (!rc) /* the reason as given, so that a restart does not wrap it again */
        eng_store_halt(e, sc->account, sc->instance, "kill_switch", why);
    size_t n = eng_orders_cancel_all(e, sc->instance ? eng_instance_find(e, sc->instance) : NULL,
                                     -1, sc->account);
    snprintf(msg, len, "halted %s; %zu open orders cancelled", sc->name, n);
    return rc;
}

/* Carries out c; msg says what was done. 0 or STOM_E* with eb. */
static int carry_out(engine *e, const Stom__V1__EngineCommand *c, const cmd_scope *sc, int64_t now,
                     char *msg, size_t len, stom_errbuf *eb)
{
    int rc = 0;
    switch (c->action) {
    case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS:
        return 0;
    case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL:
        return kill_switch(e, sc, c->reason, now, msg, len);
    case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME:
        rc = stom_risk_resume(e->risk, sc->account, sc->instance, sc->who, now);
        if (!rc) {
            clear_halts(e, sc->account, sc->instance);
            snprintf(msg, len, "resumed %s", sc->name);
        }
        return rc;
    case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_CANCEL_ORDER:
        rc = eng_order_cancel(e, c->client_order_id ? c->client_order_id : "", eb);
        if (!rc)
            snprintf(msg, len, "cancel of %s sent", c->client_order_id);
        return rc;
    case STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RELOAD_RISK:
        rc = eng_load_risk(e, eb);
        if (!rc)
            snprintf(msg, len, "risk settings reloaded");
        return rc;
    default:
        return stom_errorf(eb, STOM_EINVAL,
                           "action must be STATUS, KILL, RESUME, CANCEL_ORDER or RELOAD_RISK");
    }
}

/* The engine's figures for the scope into st (strings borrowed from reason). */
static void status_of(engine *e, const cmd_scope *sc, int64_t now, Stom__V1__EngineStatus *st,
                      char *reason, size_t len)
{
    reason[0] = 0;
    st->has_broker_up = st->has_halted = st->has_strategies = st->has_open_orders = 1;
    st->broker_up = e->broker_up;
    st->has_reconciled = 1;
    st->reconciled = e->reconciled;
    st->halted =
        stom_risk_halted(e->risk, sc->account ? sc->account : "", sc->instance, reason, len);
    st->halt_reason = reason[0] ? reason : NULL;
    st->strategies = (int32_t)e->n_instances;
    st->open_orders = (int32_t)eng_orders_open(e, NULL);
    stom_broker_feed_stats fs;
    stom_broker_feed_get_stats(e->feed, &fs);
    st->has_md_gaps = 1;
    st->md_gaps = fs.missing;
    st->has_ts_ns = 1;
    st->ts_ns = now;
}

static void command(engine *e, stom_bus_pending *p, const Stom__V1__EngineCommand *c)
{
    Stom__V1__EngineStatus st = STOM__V1__ENGINE_STATUS__INIT;
    Stom__V1__Error err = STOM__V1__ERROR__INIT;
    stom_errbuf eb = {0};
    char msg[320] = "", reason[256];
    cmd_scope sc = scope_of(c);
    int64_t now = eng_now_ns(e);
    int rc;
    if (sc.account && !account_known(e, sc.account))
        rc = stom_errorf(&eb, STOM_ENOTFOUND, "account '%s' is not traded by this engine",
                         sc.account);
    else if (sc.instance && !eng_instance_find(e, sc.instance))
        rc = stom_errorf(&eb, STOM_ENOTFOUND, "no running instance '%s'", sc.instance);
    else
        rc = carry_out(e, c, &sc, now, msg, sizeof msg, &eb);
    if (rc && !eb.msg[0])
        snprintf(eb.msg, sizeof eb.msg, "nothing to do for %s", sc.name);
    status_of(e, &sc, now, &st, reason, sizeof reason);
    st.message = msg[0] ? msg : NULL;
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
