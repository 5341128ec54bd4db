/*
 * publish.c - what the engine tells the world: eng.* events for the
 * gateway's WebSocket, and the rows the gateway reads (positions, balances,
 * risk events and halts, surge alerts). Each eng.* topic has a sequence of
 * its own, so a subscriber to one topic sees gaps only when it lost messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/surge_pb.h"

enum { T_ORDERS, T_POSITIONS, T_RISK, T_STRATEGY, T_SURGE };
static const char *const TOPICS[] = {"eng.orders", "eng.positions", "eng.risk", "eng.strategy",
                                     "eng.surge"};

static void send_event(engine *e, int t, ProtobufCMessage *body)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &e->senders[t], eng_now_ns(e));
    stom_errbuf eb = {0};
    if (stom_bus_envelope_set_body(&env, body, &eb) ||
        stom_bus_publisher_send(e->publisher, TOPICS[t], &env, &eb))
        eng_log("publishing on %s: %s", TOPICS[t], eb.msg);
}

void eng_db_exec(engine *e, const char *sql, int n, const char *const *args, const char *what)
{
    stom_errbuf eb = {0};
    if (stom_db_pipe_send(e->pipe, sql, n, args, what, false, &eb))
        eng_log("%s", eb.msg);
}

/* "RISK_KIND_DAILY_LOSS" -> "daily_loss" (prefix is "RISK_KIND_"). */
static const char *enum_text(const ProtobufCEnumDescriptor *d, int v, size_t prefix, char *buf,
                             size_t len)
{
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
    const char *name = ev && strlen(ev->name) > prefix ? ev->name + prefix : "unspecified";
    size_t i = 0;
    for (; name[i] && i + 1 < len; i++)
        buf[i] = (char)tolower((unsigned char)name[i]);
    buf[i] = 0;
    return buf;
}

void eng_publish_order(engine *e, const oms_order *o, Stom__V1__OrderEventKind kind,
                       const oms_event *ev, int64_t fees, int64_t taxes, int64_t at_ns)
{
    Stom__V1__OrderEvent m = STOM__V1__ORDER_EVENT__INIT;
    m.has_kind = m.has_side = m.has_cum_qty = m.has_remaining_qty = m.has_ts_ns = 1;
    m.has_order_qty = 1;
    m.kind = kind;
    m.client_order_id = (char *)o->client_order_id;
    m.broker_order_no = o->broker_order_id[0] ? (char *)o->broker_order_id : NULL;
    m.account = (char *)o->account;
    m.symbol = (char *)o->symbol;
    m.side = o->side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
    m.cum_qty = o->filled_qty;
    m.remaining_qty = oms_state_final(o->state) ? 0 : o->qty - o->filled_qty;
    m.order_qty = o->qty;
    m.has_order_price = o->limit;
    m.order_price = o->limit_price;
    if (o->filled_qty > 0) {
        m.has_avg_price = 1;
        m.avg_price = (o->filled_value + o->filled_qty / 2) / o->filled_qty;
    }
    if (ev->kind == OMS_EV_FILL) {
        m.has_fill_qty = m.has_fill_price = m.has_fees = m.has_taxes = 1;
        m.fill_qty = ev->qty;
        m.fill_price = ev->price;
        m.fees = fees;
        m.taxes = taxes;
        m.fill_id = (char *)ev->fill_id;
    }
    m.reason = o->reason[0] ? (char *)o->reason : NULL;
    m.ts_ns = at_ns;
    send_event(e, T_ORDERS, &m.base);
}

/* Whether a broker's answer is the reply of kind want (else *why says what it is). */
static bool answer_is(int rc, const stom_broker_reply *rep, Stom__V1__BrokerReply__ReplyCase want,
                      const char **why)
{
    if (rc)
        return false;
    if (rep->reply->error) {
        *why = rep->reply->error->message ? rep->reply->error->message : "refused";
        return false;
    }
    if (rep->reply->reply_case != want) {
        *why = "an unexpected reply";
        return false;
    }
    return true;
}

/* account's engine_positions rows as the broker has them. */
static void store_positions(engine *e, const char *account, const Stom__V1__Positions *ps)
{
    const char *del[] = {account};
    eng_db_exec(e, "DELETE FROM engine_positions WHERE account = $1", 1, del, "clearing positions");
    for (size_t i = 0; i < ps->n_positions; i++) {
        const Stom__V1__Position *p = ps->positions[i];
        if (!p->symbol || !p->qty)
            continue;
        char v[9][24];
        int64_t nums[] = {p->qty,          p->avg_price, p->last_price,
                          p->market_value, p->cost,      p->unrealized_pnl,
                          p->realized_pnl, p->fees,      p->taxes};
        for (int k = 0; k < 9; k++)
            snprintf(v[k], sizeof v[k], "%lld", (long long)nums[k]);
        const char *args[] = {account, p->symbol, v[0], v[1],
                              v[2],    v[3],      v[4], v[5],
                              v[6],    v[7],      v[8], p->strategy_id ? p->strategy_id : ""};
        eng_db_exec(e,
                    "INSERT INTO engine_positions (account, symbol, qty, avg_price, last_price, "
                    "market_value, cost, unrealized_pnl, realized_pnl, fees, taxes, strategy_id, "
                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())",
                    12, args, "storing a position");
    }
}

/* eng.positions for symbol of account: its position in ps, or flat (qty 0) when it has none. */
static void publish_position(engine *e, const char *account, const char *symbol,
                             const Stom__V1__Positions *ps, int64_t at_ns)
{
    Stom__V1__Position flat = STOM__V1__POSITION__INIT;
    Stom__V1__Position *mine = NULL;
    for (size_t i = 0; i < ps->n_positions && !mine; i++)
        if (ps->positions[i]->symbol && ps->positions[i]->qty &&
            !strcmp(ps->positions[i]->symbol, symbol))
            mine = ps->positions[i];
    if (!mine) {
        flat.account = (char *)account;
        flat.symbol = (char *)symbol;
        flat.has_qty = 1;
        mine = &flat;
    }
    mine->has_ts_ns = 1;
    mine->ts_ns = at_ns;
    send_event(e, T_POSITIONS, &mine->base);
}

void eng_positions_answered(engine *e, const char *account, int rc, const stom_broker_reply *rep,
                            const char *why)
{
    bool ok = answer_is(rc, rep, STOM__V1__BROKER_REPLY__REPLY_POSITIONS, &why);
    if (!ok)
        eng_log("positions of %s: %s (asked again)", account, why);
    else
        store_positions(e, account, rep->reply->positions);
    size_t kept = 0;
    for (size_t i = 0; i < e->n_changed; i++) {
        bool mine = e->changed[i].asked && !strcmp(e->changed[i].account, account);
        if (mine && ok) {
            publish_position(e, account, e->changed[i].symbol, rep->reply->positions,
                             eng_now_ns(e));
            continue;
        }
        e->changed[kept] = e->changed[i];
        e->changed[kept++].asked &= !mine; /* a failed answer: asked again on the next flush */
    }
    e->n_changed = kept;
}

void eng_position_changed(engine *e, const char *account, const char *symbol)
{
    for (size_t i = 0; i < e->n_changed; i++)
        if (!e->changed[i].asked && !strcmp(e->changed[i].account, account) &&
            !strcmp(e->changed[i].symbol, symbol))
            return;
    if (e->n_changed == ENG_MAX_CHANGED) { /* the rows still follow the account's next answer */
        eng_log("positions: more than %d changes waiting; the event of %s is not sent",
                ENG_MAX_CHANGED, symbol);
        return;
    }
    snprintf(e->changed[e->n_changed].account, OMS_TEXT_MAX, "%s", account);
    snprintf(e->changed[e->n_changed].symbol, OMS_TEXT_MAX, "%s", symbol);
    e->changed[e->n_changed++].asked = false;
}

/* Asks the broker for the positions of account (without waiting); its changes are asked. */
static void ask_positions(engine *e, const char *account)
{
    Stom__V1__PositionsRequest pr = STOM__V1__POSITIONS_REQUEST__INIT;
    pr.account = (char *)account;
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS;
    br.positions = &pr;
    stom_errbuf eb = {0};
    if (eng_ticket_start(e, ENG_TICKET_POSITIONS, account, &br, &eb)) {
        eng_log("positions of %s: %s", account, eb.msg);
        return;
    }
    for (size_t i = 0; i < e->n_changed; i++)
        if (!strcmp(e->changed[i].account, account))
            e->changed[i].asked = true;
}

void eng_flush_changes(engine *e)
{
    for (size_t i = 0; i < e->n_changed; i++)
        if (!e->changed[i].asked &&
            !eng_ticket_pending(e, ENG_TICKET_POSITIONS, e->changed[i].account))
            ask_positions(e, e->changed[i].account);
    for (size_t i = 0; i < e->n_instances; i++) {
        eng_instance *in = e->instances[i];
        if (in->dirty) {
            in->dirty = false;
            eng_instance_set_state(e, in, in->state, in->message);
        }
    }
}

void eng_publish_strategy(engine *e, const eng_instance *in)
{
    Stom__V1__StrategyStatus st;
    eng_instance_status(in, &st);
    send_event(e, T_STRATEGY, &st.base);
}

void eng_publish_risk(engine *e, const stom_risk_verdict *v, const char *client_order_id,
                      int64_t at_ns)
{
    Stom__V1__RiskEvent ev;
    stom_risk_event_init(&ev, v, client_order_id, at_ns);
    send_event(e, T_RISK, &ev.base);
    char kind[40], action[40], lim[24], val[24], at[32];
    enum_text(&stom__v1__risk_kind__descriptor, v->kind, 10, kind, sizeof kind);
    enum_text(&stom__v1__risk_action__descriptor, v->action, 12, action, sizeof action);
    snprintf(lim, sizeof lim, "%lld", (long long)v->limit);
    snprintf(val, sizeof val, "%lld", (long long)v->value);
    snprintf(at, sizeof at, "%lld", (long long)(at_ns / 1000));
    const char *args[] = {v->account,
                          v->strategy,
                          kind,
                          action,
                          v->rule ? v->rule : "",
                          v->symbol,
                          client_order_id ? client_order_id : "",
                          lim,
                          val,
                          v->message,
                          at};
    eng_db_exec(
        e,
        "INSERT INTO risk_events (account, instance_id, kind, action, rule, symbol, "
        "client_order_id, limit_value, value, message, at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, to_timestamp($11::bigint / 1e6))",
        11, args, "storing a risk event");
    bool halt = v->action == STOM__V1__RISK_ACTION__RISK_ACTION_HALT_STRATEGY ||
                v->action == STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING;
    if (halt && !e->restoring_halts)
        eng_store_halt(e, v->account, v->strategy, kind, v->message);
}

void eng_store_halt(engine *e, const char *account, const char *strategy, const char *kind,
                    const char *reason)
{
    const char *h[] = {account ? account : "", strategy ? strategy : "", kind, reason};
    eng_db_exec(e,
                "INSERT INTO risk_halts (account, strategy, kind, reason) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (account, strategy) DO UPDATE SET kind = $3, reason = $4, at = now()",
                4, h, "storing a halt");
}

void eng_publish_surge(engine *e, const stom_surge_alert *a)
{
    Stom__V1__SurgeAlert m;
    char text[320];
    stom_surge_alert_to_pb(a, &m, text, sizeof text);
    send_event(e, T_SURGE, &m.base);
    char kind[24], v[8][24];
    enum_text(&stom__v1__surge_kind__descriptor, m.kind, 11, kind, sizeof kind);
    int64_t nums[] = {m.price,          m.change_bp,   m.window_ms, m.window_change_bp,
                      m.value_ratio_bp, m.strength_bp, m.day_value, a->ts_ns / 1000};
    for (int k = 0; k < 8; k++)
        snprintf(v[k], sizeof v[k], "%lld", (long long)nums[k]);
    const char *args[] = {m.symbol, kind, v[0], v[1], v[2], v[3], v[4], v[5], v[6], text, v[7]};
    eng_db_exec(
        e,
        "INSERT INTO surge_alerts (symbol, kind, price, change_bp, window_ms, window_change_bp, "
        "value_ratio_bp, strength_bp, day_value, score, message, at) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, 0, $10, to_timestamp($11::bigint / 1e6))",
        11, args, "storing a surge alert");
}

static void save_balance(engine *e, const char *account, const Stom__V1__Account *a)
{
    char v[4][24];
    int64_t nums[] = {a->cash, a->buying_power, a->equity, a->realized_pnl};
    for (int k = 0; k < 4; k++)
        snprintf(v[k], sizeof v[k], "%lld", (long long)nums[k]);
    const char *args[] = {account, v[0], v[1], v[2], v[3]};
    eng_db_exec(
        e,
        "INSERT INTO account_balances (account, cash, buying_power, equity, realized_pnl, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (account) DO UPDATE SET "
        "cash = $2, buying_power = $3, equity = $4, realized_pnl = $5, updated_at = now()",
        5, args, "storing a balance");
}

void eng_balances_answered(engine *e, const char *account, int rc, const stom_broker_reply *rep,
                           const char *why)
{
    if (rc && rc != STOM_EFORMAT) { /* no answer: down */
        eng_broker_down(e, why);
        return;
    }
    if (!e->broker_up) {
        eng_log("broker %s answers again", e->cfg->broker);
        e->reconcile_tried_ns = 0; /* reconciled on the next tick, not a second later */
    }
    e->broker_up = true;
    if (answer_is(rc, rep, STOM__V1__BROKER_REPLY__REPLY_ACCOUNT, &why))
        save_balance(e, account, rep->reply->account);
    else /* it answered, but does not know the account */
        eng_log("account %s: %s", account, why);
}

static void balances_request(const char *account, Stom__V1__AccountRequest *ar,
                             Stom__V1__BrokerRequest *br)
{
    stom__v1__account_request__init(ar);
    ar->account = (char *)account;
    stom__v1__broker_request__init(br);
    br->request_case = STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT;
    br->account = ar;
}

void eng_save_balances(engine *e)
{
    for (size_t i = 0; i < e->n_accounts; i++) {
        if (eng_ticket_pending(e, ENG_TICKET_BALANCES, e->accounts[i]))
            continue; /* the last question is still travelling */
        Stom__V1__AccountRequest ar;
        Stom__V1__BrokerRequest br;
        balances_request(e->accounts[i], &ar, &br);
        stom_errbuf eb = {0};
        if (eng_ticket_start(e, ENG_TICKET_BALANCES, e->accounts[i], &br, &eb))
            eng_broker_down(e, eb.msg);
    }
    if (e->n_accounts == 0)
        e->broker_up = true; /* nothing to ask about; orders need an account anyway */
}

void eng_save_balances_now(engine *e)
{
    for (size_t i = 0; i < e->n_accounts; i++) {
        Stom__V1__AccountRequest ar;
        Stom__V1__BrokerRequest br;
        balances_request(e->accounts[i], &ar, &br);
        stom_broker_reply rep;
        stom_errbuf eb = {0};
        int rc = stom_broker_client_call(e->broker, &br, &rep, &eb);
        eng_balances_answered(e, e->accounts[i], rc, &rep, eb.msg);
        stom_broker_reply_free(&rep);
        if (!e->broker_up)
            return;
    }
    if (e->n_accounts == 0)
        e->broker_up = true;
}
