/*
 * sim_handlers.c - stom-broker-sim's answers to the broker protocol's
 * requests (docs/broker-sim.md). A place or cancel is one market operation
 * (sim_adapter_internal.h): saved and published before the reply.
 *
 * A place whose client order id the sim already has (from this run or,
 * with --database, an earlier one) is answered with the first answer
 * (libs/broker's idempotency table only lives in memory); the same id for
 * a different order is ALREADY_EXISTS.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_adapter_internal.h"

static Stom__V1__Side side_pb(int side)
{
    return side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
}

static char *broker_no(stom_broker_call *c, uint64_t id)
{
    char no[32];
    snprintf(no, sizeof no, "S%" PRIu64, id);
    return stom_broker_call_strdup(c, no);
}

static int symbol_index(const sim_adapter *a, const char *code)
{
    for (int s = 0; s < a->opt.market.n_symbols; s++)
        if (code && !strcmp(sim__code(a, s), code))
            return s;
    return -1;
}

static sim_stored_order *ref_by_client(sim_adapter *a, const char *id)
{
    for (size_t k = 0; id && k < a->n_refs; k++)
        if (!strcmp(a->refs[k].client_id, id))
            return &a->refs[k];
    return NULL;
}

static int check_account(sim_adapter *a, stom_broker_call *c, const char *account)
{
    if (account && !strcmp(account, a->account))
        return STOM_OK;
    return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, false, NULL,
                                 "no account '%s' here (this paper broker has '%s')",
                                 account ? account : "", a->account);
}

static Stom__V1__ErrorCode reject_code(sim_reject why)
{
    switch (why) {
    case SIM_REJECT_CLOSED:
        return STOM__V1__ERROR_CODE__ERROR_CODE_MARKET_CLOSED;
    case SIM_REJECT_FUNDS:
        return STOM__V1__ERROR_CODE__ERROR_CODE_INSUFFICIENT_FUNDS;
    case SIM_REJECT_INVALID:
        return STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT;
    default:
        return STOM__V1__ERROR_CODE__ERROR_CODE_REJECTED;
    }
}

static Stom__V1__OrderStatus status_of(const sim_order_view *v)
{
    return v->state == SIM_FILLED      ? STOM__V1__ORDER_STATUS__ORDER_STATUS_FILLED
           : v->state == SIM_CANCELLED ? STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED
           : v->filled                 ? STOM__V1__ORDER_STATUS__ORDER_STATUS_PARTIALLY_FILLED
                                       : STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN;
}

/* The answer r got first: its ack, or its refusal. */
static int first_answer(stom_broker_call *c, const sim_stored_order *r, Stom__V1__OrderAck *out)
{
    if (!r->rec.v.id)
        return stom_broker_call_fail(c, (Stom__V1__ErrorCode)r->ack_code, false, NULL, "%s",
                                     r->reason);
    out->client_order_id = stom_broker_call_strdup(c, r->client_id);
    out->broker_order_no = broker_no(c, r->rec.v.id);
    out->has_status = out->has_ts_ns = true;
    out->status = (Stom__V1__OrderStatus)r->ack_code;
    out->ts_ns = r->accepted_ns;
    return STOM_OK;
}

/* A place the sim has an order for: the first answer, or ALREADY_EXISTS when it differs. */
static int answer_again(stom_broker_call *c, const sim_stored_order *r, int s, int side, bool limit,
                        const Stom__V1__OrderRequest *in, Stom__V1__OrderAck *out)
{
    const sim_order_view *v = &r->rec.v;
    if (v->symbol != s || v->side != side || v->limit != limit || v->qty != in->qty ||
        v->price != (in->has_price ? in->price : 0))
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS, false,
                                     NULL, "client_order_id %s was already used for another order",
                                     r->client_id);
    return first_answer(c, r, out);
}

/* Records a refused place (saved with --database), publishes REJECTED and answers. */
static int refuse(sim_adapter *a, stom_broker_call *c, sim_stored_order *r, sim_reject why,
                  const char *msg, int64_t now)
{
    r->ack_code = reject_code(why);
    snprintf(r->reason, sizeof r->reason, "rejected: %s", msg);
    sim__op_settle(a, r);
    sim__publish_rejected(a, r, now);
    return first_answer(c, r, NULL);
}

static int h_place(void *adapter, stom_broker_call *c, const Stom__V1__OrderRequest *in,
                   Stom__V1__OrderAck *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    int s = symbol_index(a, in->symbol);
    bool limit = in->type == STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT;
    if (s < 0 || (!limit && in->type != STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET) ||
        (in->side != STOM__V1__SIDE__SIDE_BUY && in->side != STOM__V1__SIDE__SIDE_SELL))
        return stom_broker_call_fail(
            c, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, false, NULL, "%s",
            s < 0 ? "no such symbol here" : "only market and limit orders, buy or sell");
    int side = in->side == STOM__V1__SIDE__SIDE_BUY ? 1 : -1;
    const sim_stored_order *known = ref_by_client(a, in->client_order_id);
    if (known)
        return answer_again(c, known, s, side, limit, in, out);
    int64_t now = sim__now(a);
    /* Replay matches against the trade at or after the decision, however late it arrives. */
    int64_t decided = a->replay && in->has_ts_ns && in->ts_ns > 0 ? in->ts_ns : now;
    stom_errbuf eb = {{0}};
    uint64_t id = 0;
    sim_reject why = SIM_REJECT_NONE;
    sim__op_begin(a);
    int64_t price = in->has_price ? in->price : 0; /* a market order's price is refused */
    int rc = sim_market_place(a->market, s, side, limit, price, in->qty, decided, &id, &why, &eb);
    sim_stored_order *r = sim__ref_new(a, rc == STOM_OK ? id : 0);
    r->rec.v = (sim_order_view){.id = rc == STOM_OK ? id : 0,
                                .symbol = s,
                                .side = side,
                                .limit = limit,
                                .price = price,
                                .qty = in->qty,
                                .decision_ns = decided};
    r->accepted_ns = now;
    snprintf(r->client_id, sizeof r->client_id, "%s", in->client_order_id);
    if (rc != STOM_OK)
        return refuse(a, c, r, why, eb.msg, now);
    sim_order_view v;
    sim_market_order(a->market, id, &v);
    r->ack_code = status_of(&v);
    sim__op_settle(a, r);
    return first_answer(c, r, out);
}

static int h_cancel(void *adapter, stom_broker_call *c, const Stom__V1__CancelOrder *in,
                    Stom__V1__OrderAck *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    sim_stored_order *r = ref_by_client(a, in->orig_client_order_id);
    if (!r || !r->rec.v.id)
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, false, NULL,
                                     "no order '%s' to cancel",
                                     in->orig_client_order_id ? in->orig_client_order_id : "");
    stom_errbuf eb = {{0}};
    uint64_t id = r->rec.v.id;
    sim__op_begin(a);
    if (sim_market_cancel(a->market, id, &eb) != STOM_OK)
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_REJECTED, false, NULL,
                                     "%s", eb.msg);
    sim__op_settle(a, NULL);
    out->client_order_id = stom_broker_call_strdup(c, in->client_order_id);
    out->orig_broker_order_no = broker_no(c, id);
    out->has_status = out->has_ts_ns = true;
    out->status = STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED;
    out->ts_ns = sim__now(a);
    return STOM_OK;
}

static int64_t market_value(const sim_adapter *a)
{
    int64_t v = 0;
    for (int s = 0; s < a->opt.market.n_symbols; s++)
        v += sim_market_position(a->market, s) * sim_market_last(a->market, s);
    return v;
}

static int h_account(void *adapter, stom_broker_call *c, const Stom__V1__AccountRequest *in,
                     Stom__V1__Account *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    out->account = a->account;
    out->currency = (char *)"KRW";
    out->has_cash = out->has_equity = out->has_market_value = out->has_ts_ns = true;
    out->cash = sim_market_cash(a->market);
    out->market_value = market_value(a);
    out->equity = out->cash + out->market_value;
    out->ts_ns = sim__now(a);
    return STOM_OK;
}

static int h_positions(void *adapter, stom_broker_call *c, const Stom__V1__PositionsRequest *in,
                       Stom__V1__Positions *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    int n = a->opt.market.n_symbols;
    out->account = a->account;
    out->positions = stom_broker_call_alloc(c, (size_t)n * sizeof *out->positions);
    for (int s = 0; s < n; s++) {
        int64_t qty = sim_market_position(a->market, s);
        if (qty == 0)
            continue;
        Stom__V1__Position *p = stom_broker_call_alloc(c, sizeof *p);
        stom__v1__position__init(p);
        p->account = a->account;
        p->symbol = (char *)sim__code(a, s);
        p->has_qty = p->has_last_price = p->has_market_value = p->has_avg_price = true;
        p->qty = qty;
        p->last_price = sim_market_last(a->market, s);
        p->market_value = qty * p->last_price;
        p->avg_price = qty > 0 ? (a->cost[s] + qty / 2) / qty : 0;
        out->positions[out->n_positions++] = p;
    }
    return STOM_OK;
}

/* The open order r (working in the market as v) in the call's memory. */
static Stom__V1__OpenOrder *open_order(sim_adapter *a, stom_broker_call *c,
                                       const sim_stored_order *r, const sim_order_view *v)
{
    Stom__V1__OpenOrder *o = stom_broker_call_alloc(c, sizeof *o);
    stom__v1__open_order__init(o);
    Stom__V1__OrderRequest *q = stom_broker_call_alloc(c, sizeof *q);
    stom__v1__order_request__init(q);
    q->client_order_id = (char *)r->client_id;
    q->account = a->account;
    q->symbol = (char *)sim__code(a, v->symbol);
    q->has_side = q->has_type = q->has_qty = q->has_ts_ns = true;
    q->side = side_pb(v->side);
    q->type =
        v->limit ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    q->qty = v->qty;
    q->has_price = v->limit;
    q->price = v->price;
    q->ts_ns = v->decision_ns;
    o->order = q;
    o->broker_order_no = broker_no(c, v->id);
    o->has_status = o->has_cum_qty = o->has_remaining_qty = o->has_accepted_ns = true;
    o->status = status_of(v);
    o->cum_qty = v->filled;
    o->remaining_qty = v->qty - v->filled;
    o->accepted_ns = r->accepted_ns;
    return o;
}

static int h_open_orders(void *adapter, stom_broker_call *c, const Stom__V1__OpenOrdersRequest *in,
                         Stom__V1__OpenOrders *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    out->account = a->account;
    out->orders = stom_broker_call_alloc(c, (a->n_refs + 1) * sizeof *out->orders);
    for (size_t k = 0; k < a->n_refs; k++) {
        const sim_stored_order *r = &a->refs[k];
        sim_order_view v;
        if (!r->rec.v.id || !sim_market_order(a->market, r->rec.v.id, &v) ||
            v.state != SIM_WORKING || (in->symbol && strcmp(in->symbol, sim__code(a, v.symbol))))
            continue;
        out->orders[out->n_orders++] = open_order(a, c, r, &v);
    }
    return STOM_OK;
}

static int h_fills(void *adapter, stom_broker_call *c, const Stom__V1__FillsRequest *in,
                   Stom__V1__Fills *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    out->account = a->account;
    out->fills = stom_broker_call_alloc(c, (a->n_fills + 1) * sizeof *out->fills);
    for (size_t k = 0; k < a->n_fills; k++) {
        const sim_stored_fill *f = &a->fills[k];
        if ((in->symbol && strcmp(in->symbol, sim__code(a, f->symbol))) ||
            (in->has_from_ns && f->ts_ns < in->from_ns) || (in->has_to_ns && f->ts_ns >= in->to_ns))
            continue;
        Stom__V1__OrderEvent *ev = stom_broker_call_alloc(c, sizeof *ev);
        char *no = stom_broker_call_alloc(c, 32), *fill_id = stom_broker_call_alloc(c, 32);
        *ev = sim__fill_event(a, sim__ref_by_id(a, f->order_id), f, no, 32, fill_id, 32);
        ev->client_order_id = (char *)f->client_id;
        out->fills[out->n_fills++] = ev;
    }
    return STOM_OK;
}

static int h_quote(void *adapter, stom_broker_call *c, const Stom__V1__QuoteRequest *in,
                   Stom__V1__QuoteReply *out)
{
    sim_adapter *a = adapter;
    int s = symbol_index(a, in->symbol);
    if (s < 0)
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, false, NULL,
                                     "no symbol '%s' here", in->symbol ? in->symbol : "");
    Stom__V1__Trade *t = stom_broker_call_alloc(c, sizeof *t);
    stom__v1__trade__init(t);
    t->symbol = (char *)sim__code(a, s);
    t->has_price = t->has_ts_ns = true;
    t->price = sim_market_last(a->market, s);
    t->ts_ns = sim__now(a);
    out->last = t;
    out->has_prev_close = true;
    out->prev_close = sim_market_reference(a->market, s);
    return STOM_OK;
}

/* Every symbol's trades are published all the time: a subscription needs no work here. */
static int h_subscribe(void *adapter, stom_broker_call *c, const Stom__V1__Subscribe *in,
                       Stom__V1__SubscribeReply *out)
{
    (void)adapter;
    (void)c;
    (void)in;
    (void)out;
    return STOM_OK;
}

const stom_broker_handlers sim__handlers = {.place = h_place,
                                            .cancel = h_cancel,
                                            .quote = h_quote,
                                            .account = h_account,
                                            .positions = h_positions,
                                            .open_orders = h_open_orders,
                                            .fills = h_fills,
                                            .subscribe = h_subscribe,
                                            .unsubscribe = h_subscribe};
