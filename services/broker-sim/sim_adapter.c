/*
 * sim_adapter.c - see sim_adapter.h.
 *
 * An order placed here gets a reference (client order id, request) by the
 * market's order id. The market fills a marketable order inside
 * sim_market_place, before its id is known, so events raised during a
 * place are held and published after ACCEPTED, in order.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_adapter.h"
#include "stom/alloc.h"

#define HELD_MAX 64 /* events of one place: a fill per book level, and an end */

typedef struct order_ref {
    uint64_t sim_id;
    char client_id[STOM_BROKER_ID_MAX + 1];
    int symbol, side;
    bool limit;
    int64_t qty, price;
    int64_t cum_qty, cum_value;
    int64_t accepted_ns;
} order_ref;

typedef struct held {
    bool is_fill;
    sim_fill fill;
    sim_order_state st;
    char reason[SIM_REASON_MAX];
} held;

struct sim_adapter {
    sim_adapter_options opt; /* opt.market.symbols points at symbols */
    sim_symbol *symbols;
    char account[STOM_BROKER_ID_MAX + 1];
    sim_market *market;
    stom_broker_server *server;
    order_ref *refs;
    size_t n_refs, cap_refs;
    Stom__V1__OrderEvent *fills; /* every fill, for FillsRequest (strings owned) */
    size_t n_fills, cap_fills;
    int64_t *cost; /* per symbol: what the position cost, for its average price */
    held held[HELD_MAX];
    size_t n_held;
    bool placing;
    int64_t mono_start_ns;
    atomic_bool stop;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The simulation's time now (UTC ns). */
static int64_t sim_now(const sim_adapter *a)
{
    return a->opt.start_ns + (mono_ns() - a->mono_start_ns) * a->opt.speed;
}

static order_ref *ref_by_sim(sim_adapter *a, uint64_t id)
{
    for (size_t k = 0; k < a->n_refs; k++)
        if (a->refs[k].sim_id == id)
            return &a->refs[k];
    return NULL;
}

static order_ref *ref_by_client(sim_adapter *a, const char *id)
{
    for (size_t k = 0; k < a->n_refs; k++)
        if (!strcmp(a->refs[k].client_id, id))
            return &a->refs[k];
    return NULL;
}

static int symbol_index(const sim_adapter *a, const char *code)
{
    for (int s = 0; s < a->opt.market.n_symbols; s++)
        if (code && !strcmp(a->opt.market.symbols[s].code, code))
            return s;
    return -1;
}

static const char *code_of(const sim_adapter *a, int s)
{
    return a->opt.market.symbols[s].code;
}

static Stom__V1__Side side_pb(int side)
{
    return side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
}

static void broker_no(uint64_t id, char *buf, size_t len)
{
    snprintf(buf, len, "S%" PRIu64, id);
}

/* The event of r in its current state; strings point into r and buf (borrowed). */
static Stom__V1__OrderEvent event_of(const sim_adapter *a, const order_ref *r,
                                     Stom__V1__OrderEventKind kind, char *no, size_t no_len)
{
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    broker_no(r->sim_id, no, no_len);
    ev.has_kind = true;
    ev.kind = kind;
    ev.client_order_id = (char *)r->client_id;
    ev.broker_order_no = no;
    ev.account = (char *)a->account;
    ev.symbol = (char *)code_of(a, r->symbol);
    ev.has_side = true;
    ev.side = side_pb(r->side);
    ev.has_cum_qty = ev.has_remaining_qty = ev.has_order_qty = true;
    ev.cum_qty = r->cum_qty;
    ev.remaining_qty = r->qty - r->cum_qty;
    ev.order_qty = r->qty;
    if (r->limit) {
        ev.has_order_price = true;
        ev.order_price = r->price;
    }
    if (r->cum_qty > 0) {
        ev.has_avg_price = true;
        ev.avg_price = (r->cum_value + r->cum_qty / 2) / r->cum_qty;
    }
    return ev;
}

static void publish(sim_adapter *a, const Stom__V1__OrderEvent *ev)
{
    stom_errbuf eb = {{0}};
    if (stom_broker_publish_order(a->server, a->account, ev, &eb) != STOM_OK)
        fprintf(stderr, "stom-broker-sim: order event not published: %s\n", eb.msg);
}

static void keep_fill(sim_adapter *a, const Stom__V1__OrderEvent *ev)
{
    if (a->n_fills == a->cap_fills) {
        a->cap_fills = a->cap_fills ? a->cap_fills * 2 : 64;
        a->fills = stom_xrealloc(a->fills, a->cap_fills * sizeof *a->fills);
    }
    Stom__V1__OrderEvent *k = &a->fills[a->n_fills++];
    *k = *ev;
    k->client_order_id = stom_xstrdup(ev->client_order_id);
    k->broker_order_no = stom_xstrdup(ev->broker_order_no);
    k->account = stom_xstrdup(ev->account);
    k->symbol = stom_xstrdup(ev->symbol);
    k->fill_id = stom_xstrdup(ev->fill_id);
}

static void publish_fill(sim_adapter *a, order_ref *r, const sim_fill *f)
{
    r->cum_qty += f->qty;
    r->cum_value += f->qty * f->price;
    a->cost[f->symbol] += f->side > 0 ? f->qty * f->price + f->commission : 0;
    char no[32], fill_id[32];
    Stom__V1__OrderEvent ev = event_of(
        a, r,
        r->cum_qty == r->qty ? STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED
                             : STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED,
        no, sizeof no);
    snprintf(fill_id, sizeof fill_id, "F%" PRIu64, f->fill_id);
    ev.fill_id = fill_id;
    ev.has_fill_qty = ev.has_fill_price = ev.has_fees = ev.has_taxes = ev.has_ts_ns = true;
    ev.fill_qty = f->qty;
    ev.fill_price = f->price;
    ev.fees = f->commission;
    ev.taxes = f->tax;
    ev.ts_ns = f->ts_ns;
    keep_fill(a, &ev);
    publish(a, &ev);
}

static void publish_end(sim_adapter *a, order_ref *r, sim_order_state st, const char *reason)
{
    if (st != SIM_CANCELLED)
        return; /* a fill to the full quantity said FILLED already */
    char no[32];
    Stom__V1__OrderEvent ev =
        event_of(a, r, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED, no, sizeof no);
    ev.reason = (char *)reason;
    publish(a, &ev);
}

/* ---- the market's callbacks ------------------------------------------------ */

static void on_fill(void *arg, const sim_fill *f)
{
    sim_adapter *a = arg;
    order_ref *r = ref_by_sim(a, f->order_id);
    if (a->placing && !r) {
        if (a->n_held < HELD_MAX)
            a->held[a->n_held++] = (held){.is_fill = true, .fill = *f};
        return;
    }
    if (r)
        publish_fill(a, r, f);
}

static void on_done(void *arg, uint64_t id, sim_order_state st, const char *reason)
{
    sim_adapter *a = arg;
    order_ref *r = ref_by_sim(a, id);
    if (a->placing && !r) {
        if (a->n_held < HELD_MAX) {
            held *h = &a->held[a->n_held++];
            *h = (held){.st = st};
            snprintf(h->reason, sizeof h->reason, "%s", reason);
        }
        return;
    }
    if (r)
        publish_end(a, r, st, reason);
}

static void on_print(void *arg, const sim_print *p)
{
    sim_adapter *a = arg;
    Stom__V1__Trade t = STOM__V1__TRADE__INIT;
    t.symbol = (char *)code_of(a, p->symbol);
    t.has_ts_ns = t.has_price = t.has_qty = true;
    t.ts_ns = p->ts_ns;
    t.price = p->price;
    t.qty = p->qty;
    stom_errbuf eb = {{0}};
    if (stom_broker_publish_md(a->server, t.symbol, &t.base, &eb) != STOM_OK)
        fprintf(stderr, "stom-broker-sim: trade not published: %s\n", eb.msg);
}

/* ---- handlers ------------------------------------------------------------ */

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

static order_ref *new_ref(sim_adapter *a)
{
    if (a->n_refs == a->cap_refs) {
        a->cap_refs = a->cap_refs ? a->cap_refs * 2 : 64;
        a->refs = stom_xrealloc(a->refs, a->cap_refs * sizeof *a->refs);
    }
    order_ref *r = &a->refs[a->n_refs++];
    memset(r, 0, sizeof *r);
    return r;
}

/* The REJECTED event of a refused place, so that order feeds see every order's end. */
static void publish_rejected(sim_adapter *a, const Stom__V1__OrderRequest *in, const char *reason,
                             int64_t now)
{
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    ev.has_kind = ev.has_order_qty = ev.has_ts_ns = true;
    ev.kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED;
    ev.client_order_id = in->client_order_id;
    ev.account = a->account;
    ev.symbol = in->symbol;
    ev.has_side = in->has_side;
    ev.side = in->side;
    ev.order_qty = in->qty;
    ev.reason = (char *)reason;
    ev.ts_ns = now;
    publish(a, &ev);
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
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, false,
                                     NULL, "%s",
                                     s < 0 ? "no such symbol here"
                                           : "only market and limit orders, "
                                             "buy or sell");
    int side = in->side == STOM__V1__SIDE__SIDE_BUY ? 1 : -1;
    int64_t now = sim_now(a);
    stom_errbuf eb = {{0}};
    uint64_t id = 0;
    sim_reject why = SIM_REJECT_NONE;
    a->placing = true;
    a->n_held = 0;
    int rc = sim_market_place(a->market, s, side, limit, limit ? in->price : 0, in->qty, now, &id,
                              &why, &eb);
    a->placing = false;
    if (rc != STOM_OK) {
        publish_rejected(a, in, eb.msg, now);
        return stom_broker_call_fail(c, reject_code(why), false, NULL, "rejected: %s", eb.msg);
    }
    order_ref *r = new_ref(a);
    *r = (order_ref){.sim_id = id,
                     .symbol = s,
                     .side = side,
                     .limit = limit,
                     .qty = in->qty,
                     .price = limit ? in->price : 0,
                     .accepted_ns = now};
    snprintf(r->client_id, sizeof r->client_id, "%s", in->client_order_id);
    char no[32];
    Stom__V1__OrderEvent ev =
        event_of(a, r, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED, no, sizeof no);
    publish(a, &ev);
    for (size_t k = 0; k < a->n_held; k++) {
        r = &a->refs[a->n_refs - 1]; /* publishing never moves refs, but stay exact */
        if (a->held[k].is_fill)
            publish_fill(a, r, &a->held[k].fill);
        else
            publish_end(a, r, a->held[k].st, a->held[k].reason);
    }
    sim_order_view v;
    sim_market_order(a->market, id, &v);
    out->client_order_id = stom_broker_call_strdup(c, in->client_order_id);
    out->broker_order_no = stom_broker_call_strdup(c, no);
    out->has_status = out->has_ts_ns = true;
    out->status = v.state == SIM_FILLED      ? STOM__V1__ORDER_STATUS__ORDER_STATUS_FILLED
                  : v.state == SIM_CANCELLED ? STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED
                  : v.filled                 ? STOM__V1__ORDER_STATUS__ORDER_STATUS_PARTIALLY_FILLED
                                             : STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN;
    out->ts_ns = now;
    return STOM_OK;
}

static int h_cancel(void *adapter, stom_broker_call *c, const Stom__V1__CancelOrder *in,
                    Stom__V1__OrderAck *out)
{
    sim_adapter *a = adapter;
    if (check_account(a, c, in->account))
        return STOM_EINVAL;
    order_ref *r = in->orig_client_order_id ? ref_by_client(a, in->orig_client_order_id) : NULL;
    if (!r)
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND, false, NULL,
                                     "no order '%s' to cancel",
                                     in->orig_client_order_id ? in->orig_client_order_id : "");
    stom_errbuf eb = {{0}};
    if (sim_market_cancel(a->market, r->sim_id, &eb) != STOM_OK)
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_REJECTED, false, NULL,
                                     "%s", eb.msg);
    char no[32];
    broker_no(r->sim_id, no, sizeof no);
    out->client_order_id = stom_broker_call_strdup(c, in->client_order_id);
    out->orig_broker_order_no = stom_broker_call_strdup(c, no);
    out->has_status = out->has_ts_ns = true;
    out->status = STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED;
    out->ts_ns = sim_now(a);
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
    out->ts_ns = sim_now(a);
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
        p->symbol = (char *)code_of(a, s);
        p->has_qty = p->has_last_price = p->has_market_value = p->has_avg_price = true;
        p->qty = qty;
        p->last_price = sim_market_last(a->market, s);
        p->market_value = qty * p->last_price;
        p->avg_price = qty > 0 ? (a->cost[s] + qty / 2) / qty : 0;
        out->positions[out->n_positions++] = p;
    }
    return STOM_OK;
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
        const order_ref *r = &a->refs[k];
        sim_order_view v;
        if (!sim_market_order(a->market, r->sim_id, &v) || v.state != SIM_WORKING ||
            (in->symbol && strcmp(in->symbol, code_of(a, r->symbol))))
            continue;
        Stom__V1__OpenOrder *o = stom_broker_call_alloc(c, sizeof *o);
        stom__v1__open_order__init(o);
        Stom__V1__OrderRequest *q = stom_broker_call_alloc(c, sizeof *q);
        stom__v1__order_request__init(q);
        q->client_order_id = (char *)r->client_id;
        q->account = a->account;
        q->symbol = (char *)code_of(a, r->symbol);
        q->has_side = q->has_type = q->has_qty = true;
        q->side = side_pb(r->side);
        q->type = r->limit ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT
                           : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
        q->qty = r->qty;
        q->has_price = r->limit;
        q->price = r->price;
        o->order = q;
        char no[32];
        broker_no(r->sim_id, no, sizeof no);
        o->broker_order_no = stom_broker_call_strdup(c, no);
        o->has_status = o->has_cum_qty = o->has_remaining_qty = o->has_accepted_ns = true;
        o->status = v.filled ? STOM__V1__ORDER_STATUS__ORDER_STATUS_PARTIALLY_FILLED
                             : STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN;
        o->cum_qty = v.filled;
        o->remaining_qty = v.qty - v.filled;
        o->accepted_ns = r->accepted_ns;
        out->orders[out->n_orders++] = o;
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
        Stom__V1__OrderEvent *f = &a->fills[k];
        if ((in->symbol && strcmp(in->symbol, f->symbol)) ||
            (in->has_from_ns && f->ts_ns < in->from_ns) || (in->has_to_ns && f->ts_ns >= in->to_ns))
            continue;
        out->fills[out->n_fills++] = f; /* unchanged until the handler returns */
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
    t->symbol = (char *)code_of(a, s);
    t->has_price = t->has_ts_ns = true;
    t->price = sim_market_last(a->market, s);
    t->ts_ns = sim_now(a);
    out->last = t;
    out->has_prev_close = true;
    out->prev_close = a->opt.market.symbols[s].ref_price;
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

/* ---- lifecycle ------------------------------------------------------------ */

int sim_adapter_open(sim_adapter **out, const sim_adapter_options *opt, stom_errbuf *eb)
{
    if (!opt->account || !*opt->account || strlen(opt->account) > STOM_BROKER_ID_MAX)
        return stom_errorf(eb, STOM_EINVAL, "account: a name of 1 to %d bytes is needed",
                           STOM_BROKER_ID_MAX);
    if (opt->speed < 1 || opt->step_ms < 1)
        return stom_errorf(eb, STOM_EINVAL, "speed %d and step %d ms must be at least 1",
                           opt->speed, opt->step_ms);
    if (opt->market.n_symbols < 1 || !opt->market.symbols)
        return stom_errorf(eb, STOM_EINVAL, "symbols: at least one is needed");
    sim_adapter *a = stom_xcalloc(1, sizeof *a);
    a->opt = *opt;
    a->symbols = stom_xcalloc((size_t)opt->market.n_symbols, sizeof *a->symbols);
    memcpy(a->symbols, opt->market.symbols, (size_t)opt->market.n_symbols * sizeof *a->symbols);
    a->opt.market.symbols = a->symbols;
    snprintf(a->account, sizeof a->account, "%s", opt->account);
    sim_callbacks cb = {on_fill, on_print, on_done, a};
    int rc = sim_market_create(&a->market, &opt->market, &cb, eb);
    if (rc == STOM_OK) {
        a->cost = stom_xcalloc((size_t)opt->market.n_symbols, sizeof *a->cost);
        stom_broker_handlers h = {.place = h_place,
                                  .cancel = h_cancel,
                                  .quote = h_quote,
                                  .account = h_account,
                                  .positions = h_positions,
                                  .open_orders = h_open_orders,
                                  .fills = h_fills,
                                  .subscribe = h_subscribe,
                                  .unsubscribe = h_subscribe};
        stom_broker_server_options so = {
            .broker = "sim", .rep_spec = opt->rep_spec, .pub_spec = opt->pub_spec};
        rc = stom_broker_server_open(&a->server, &so, &h, a, eb);
    }
    if (rc != STOM_OK) {
        sim_adapter_close(a);
        return rc;
    }
    a->mono_start_ns = mono_ns();
    *out = a;
    return STOM_OK;
}

void sim_adapter_close(sim_adapter *a)
{
    if (!a)
        return;
    stom_broker_server_close(a->server);
    sim_market_destroy(a->market);
    for (size_t k = 0; k < a->n_fills; k++) {
        free(a->fills[k].client_order_id);
        free(a->fills[k].broker_order_no);
        free(a->fills[k].account);
        free(a->fills[k].symbol);
        free(a->fills[k].fill_id);
    }
    free(a->fills);
    free(a->refs);
    free(a->cost);
    free(a->symbols);
    free(a);
}

void sim_adapter_run(sim_adapter *a)
{
    int64_t next_step = mono_ns();
    while (!atomic_load(&a->stop)) {
        int64_t now = mono_ns();
        if (now >= next_step) {
            sim_market_step(a->market, sim_now(a));
            next_step = now + (int64_t)a->opt.step_ms * 1000000;
        }
        int wait_ms = (int)((next_step - mono_ns()) / 1000000);
        stom_broker_server_serve_once(a->server, wait_ms > 0 ? (wait_ms < 100 ? wait_ms : 100) : 0);
    }
}

void sim_adapter_stop(sim_adapter *a)
{
    atomic_store(&a->stop, true);
}
