/*
 * orders.c - the order path (docs/engine.md): risk check, journal write
 * ahead (into PostgreSQL's socket, not waited for), broker request (a
 * strategy's without waiting for the answer), and then whatever the
 * broker answers or its order feed says, recorded in the journal before
 * anything else learns of it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/costs.h"

static eng_order *slot_for(engine *e)
{
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++)
        if (!e->orders[i].in_use)
            return &e->orders[i];
    return NULL;
}

eng_order *eng_order_find(engine *e, const char *client_order_id)
{
    for (size_t i = 0; client_order_id && i < ENG_MAX_ORDERS; i++)
        if (e->orders[i].in_use && !strcmp(e->orders[i].o.client_order_id, client_order_id))
            return &e->orders[i];
    return NULL;
}

size_t eng_orders_open(const engine *e, const eng_instance *owner)
{
    size_t n = 0;
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++)
        n += e->orders[i].in_use && (!owner || e->orders[i].owner == owner);
    return n;
}

void eng_orders_disown(engine *e, const eng_instance *in)
{
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++)
        if (e->orders[i].in_use && e->orders[i].owner == in)
            e->orders[i].owner = NULL;
}

static const char *strategy_of(const oms_order *o)
{
    return o->strategy[0] ? o->strategy : NULL;
}

static const stom_instrument *inst_of(engine *e, const char *symbol)
{
    int k = eng_symbol_index(e, symbol);
    return k >= 0 ? &e->symbols[k].inst : NULL;
}

bool eng_order_fill_seen(eng_order *w, const char *fill_id, bool remember)
{
    for (size_t i = 0; i < w->n_fill_ids; i++)
        if (!strcmp(w->fill_ids[i], fill_id))
            return true;
    if (remember) {
        w->fill_ids = stom_xrealloc(w->fill_ids, (w->n_fill_ids + 1) * sizeof *w->fill_ids);
        snprintf(w->fill_ids[w->n_fill_ids++], OMS_ID_MAX, "%s", fill_id);
    }
    return false;
}

void eng_order_release(eng_order *w)
{
    free(w->fill_ids);
    memset(w, 0, sizeof *w);
}

/*
 * Records ev: the journal statement goes to PostgreSQL's socket, then the
 * order changes in memory and everything it feeds learns of it. The engine
 * is the journal's only writer and holds the order, so it applies the event
 * itself; a fill it has recorded already changes nothing.
 */
static void record(engine *e, eng_order *w, const oms_event *ev, int64_t fees, int64_t taxes,
                   int64_t at)
{
    if (ev->kind == OMS_EV_FILL && eng_order_fill_seen(w, ev->fill_id, false))
        return;
    stom_errbuf eb = {0};
    oms_order next = w->o;
    if (oms_apply(&next, ev, &eb)) {
        /* A late acknowledgement or a repeated cancel is not an error worth more than a log. */
        eng_log("order %s: %s", w->o.client_order_id, eb.msg);
        return;
    }
    /* A failed write halts trading (the pipe reports it); the broker's word still counts. */
    if (oms_journal_send_event(e->pipe, &next, ev, at, &eb))
        eng_log("order %s: %s", w->o.client_order_id, eb.msg);
    if (ev->kind == OMS_EV_FILL)
        eng_order_fill_seen(w, ev->fill_id, true);
    w->o = next;
    eng_order_apply(e, w, ev, fees, taxes, at);
}

static void refuse(oms_order *o, const char *why)
{
    o->state = OMS_REJECTED;
    snprintf(o->reason, sizeof o->reason, "%s", why);
}

static void make_id(engine *e, char *out, size_t len)
{
    snprintf(out, len, "E%llx-%llu", (unsigned long long)e->id_base_ms,
             (unsigned long long)++e->order_counter);
}

/* The broker's answer to a place becomes a journal event. */
static void placed(engine *e, eng_order *w, const stom_broker_reply *rep, int64_t at)
{
    oms_event ev = {0};
    const Stom__V1__BrokerReply *r = rep->reply;
    if (r->error) {
        ev.kind = OMS_EV_REJECTED;
        snprintf(ev.reason, sizeof ev.reason, "%s", r->error->message ? r->error->message : "");
    } else {
        if (w->o.state >= OMS_ACCEPTED)
            return; /* the order feed said so first */
        ev.kind = OMS_EV_ACCEPTED;
        if (r->reply_case == STOM__V1__BROKER_REPLY__REPLY_PLACED && r->placed->broker_order_no)
            snprintf(ev.broker_order_id, sizeof ev.broker_order_id, "%s",
                     r->placed->broker_order_no);
    }
    record(e, w, &ev, 0, 0, at);
}

void eng_broker_down(engine *e, const char *why)
{
    if (!e->broker_up)
        return;
    e->broker_up = false;
    e->reconciled = false;
    stom_risk_verdict v = {.allowed = false,
                           .kind = STOM__V1__RISK_KIND__RISK_KIND_BROKER_DISCONNECTED,
                           .action = STOM__V1__RISK_ACTION__RISK_ACTION_BLOCK_ORDER,
                           .rule = "broker"};
    snprintf(v.message, sizeof v.message,
             "broker %s is not answering (%s): new orders are blocked until it is back and "
             "reconciled",
             e->cfg->broker, why);
    eng_log("%s", v.message);
    eng_publish_risk(e, &v, NULL, eng_now_ns(e));
}

int eng_broker_ask(engine *e, Stom__V1__BrokerRequest *br, Stom__V1__BrokerReply__ReplyCase want,
                   stom_broker_reply *rep, stom_errbuf *eb)
{
    int rc = stom_broker_client_call(e->broker, br, rep, eb);
    if (rc)
        return rc;
    if (rep->reply->error || rep->reply->reply_case != want) {
        rc =
            stom_errorf(eb, STOM_EFORMAT, "the broker refused: %s",
                        rep->reply->error && rep->reply->error->message ? rep->reply->error->message
                                                                        : "unexpected reply");
        stom_broker_reply_free(rep);
    }
    return rc;
}

/* The journal's form of request r, pending. */
static void order_of(engine *e, const eng_order_request *r, oms_order *o)
{
    memset(o, 0, sizeof *o);
    if (r->client_order_id)
        snprintf(o->client_order_id, sizeof o->client_order_id, "%s", r->client_order_id);
    else
        make_id(e, o->client_order_id, sizeof o->client_order_id);
    snprintf(o->broker, sizeof o->broker, "%s", e->cfg->broker);
    snprintf(o->account, sizeof o->account, "%s", r->account);
    snprintf(o->strategy, sizeof o->strategy, "%s", r->owner ? r->owner->id : "");
    snprintf(o->symbol, sizeof o->symbol, "%s", e->symbols[r->sym].code);
    o->side = r->side;
    o->limit = r->limit_price > 0;
    o->qty = r->qty;
    o->limit_price = r->limit_price;
    o->state = OMS_PENDING;
}

/* The risk manager's answer; a block is published and becomes o's rejection. */
static bool risk_allows(engine *e, const eng_order_request *r, oms_order *o, int64_t now)
{
    /* First: a symbol's first order asks the broker, whose quote may also give its last price. */
    int64_t ref_price = eng_symbol_ref_price(e, r->sym);
    const eng_symbol *sym = &e->symbols[r->sym];
    stom_risk_order ro = {.account = o->account,
                          .strategy = strategy_of(o),
                          .inst = &sym->inst,
                          .side = o->side,
                          .qty = o->qty,
                          .limit_price = o->limit_price,
                          .last_price = sym->last_price,
                          .ref_price = ref_price,
                          .liquidation = r->liquidation,
                          .now_ns = now};
    stom_risk_verdict v;
    if (stom_risk_check(e->risk, &ro, &v))
        return true;
    eng_publish_risk(e, &v, o->client_order_id, now);
    refuse(o, v.message);
    return false;
}

/* Journals o ahead, already 'sent' (in PostgreSQL's socket when this returns), and keeps it
 * as working order *out. */
static int journal_ahead(engine *e, const eng_order_request *r, const oms_order *o, int64_t now,
                         eng_order **out, stom_errbuf *eb)
{
    eng_order *w = slot_for(e);
    int rc = !w ? stom_errorf(eb, STOM_ETOOBIG, "%d orders are working already", ENG_MAX_ORDERS)
                : oms_journal_send_sent(e->pipe, o, now, eb);
    if (rc) {
        stom_risk_release(e->risk, o->account, strategy_of(o), o->symbol, o->side, o->qty);
        return rc;
    }
    eng_order_release(w);
    w->in_use = true;
    w->o = *o;
    w->owner = r->owner;
    w->slot = r->slot;
    if (r->owner) {
        r->owner->slots[r->slot].ctx.pending++;
        r->owner->slots[r->slot].market_pending += !o->limit;
    }
    oms_event sent = {.kind = OMS_EV_SENT};
    oms_apply(&w->o, &sent, NULL);
    *out = w;
    return 0;
}

/* The broker's place request for w, decided at decided_ns. */
static void place_request(const eng_order *w, int64_t decided_ns, Stom__V1__OrderRequest *req)
{
    stom__v1__order_request__init(req);
    req->client_order_id = (char *)w->o.client_order_id;
    req->account = (char *)w->o.account;
    req->symbol = (char *)w->o.symbol;
    req->has_side = req->has_type = req->has_qty = req->has_ts_ns = 1;
    req->side = w->o.side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
    req->type = w->o.limit ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT
                           : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    req->qty = w->o.qty;
    req->has_price = w->o.limit;
    req->price = w->o.limit_price;
    req->strategy_id = (char *)w->o.strategy;
    req->ts_ns = decided_ns;
}

/* A test's fault point (STOM_ENGINE_FAULT): the process dies here, as under a SIGKILL. */
static void fault_point(const engine *e, const char *where)
{
    if (e->cfg->fault && !strcmp(e->cfg->fault, where)) {
        eng_log("STOM_ENGINE_FAULT=%s: killing myself", where);
        raise(SIGKILL);
    }
}

/* The broker did not answer a place: unknown whether it arrived. The journal says sent;
 * reconciliation decides once the broker is back. */
static void place_unanswered(engine *e, const eng_order *w, const char *why, oms_order *o)
{
    eng_broker_down(e, why);
    if (!o || !w)
        return;
    *o = w->o;
    snprintf(
        o->reason, sizeof o->reason,
        "sent, but the broker did not answer (%.60s); it is reconciled when the broker is back",
        why);
}

/* Sends w to the broker and records its answer; o gets the order as it then is. */
static void send_and_wait(engine *e, eng_order *w, Stom__V1__BrokerRequest *br, oms_order *o)
{
    stom_broker_reply rep;
    stom_errbuf beb = {0};
    if (stom_broker_client_call(e->broker, br, &rep, &beb) != 0) {
        place_unanswered(e, w, beb.msg, o);
        return;
    }
    fault_point(e, "before-ack");
    placed(e, w, &rep, eng_now_ns(e));
    stom_broker_reply_free(&rep);
    *o = w->o;
}

/* Sends w to the broker without waiting: its answer comes through the inbox. */
static void send_ahead(engine *e, eng_order *w, Stom__V1__BrokerRequest *br, oms_order *o)
{
    stom_errbuf beb = {0};
    int rc = eng_ticket_start(e, ENG_TICKET_PLACE, w->o.client_order_id, br, &beb);
    if (rc == STOM_ETOOBIG) { /* more places travelling than orders can work: wait then */
        send_and_wait(e, w, br, o);
        return;
    }
    if (rc)
        place_unanswered(e, w, beb.msg, o);
    else
        *o = w->o;
}

void eng_place_answered(engine *e, const char *client_order_id, int rc,
                        const stom_broker_reply *rep, const char *why)
{
    eng_order *w = eng_order_find(e, client_order_id);
    if (rc)
        place_unanswered(e, w, why, NULL);
    else if (w) /* else it became final already, from the order feed */
        placed(e, w, rep, eng_now_ns(e));
}

/* Sends w: a strategy's order without waiting for the broker's answer (the orders of one
 * burst travel together), a trader's with it (the request that placed it gets the answer). */
static void send_to_broker(engine *e, eng_order *w, int64_t decided_ns, oms_order *o)
{
    Stom__V1__OrderRequest req;
    place_request(w, decided_ns, &req);
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_PLACE;
    br.place = &req;
    if (w->owner)
        send_ahead(e, w, &br, o);
    else
        send_and_wait(e, w, &br, o);
}

/* Whether client_order_id is an order already (in *o as it is now). */
static bool repeated(engine *e, const char *client_order_id, oms_order *o)
{
    eng_order *w = eng_order_find(e, client_order_id);
    if (w) {
        *o = w->o;
        return true;
    }
    eng_db_settle(e);
    return oms_journal_get(e->db, client_order_id, o, NULL) == 0;
}

int eng_order_send(engine *e, const eng_order_request *r, oms_order *o, stom_errbuf *eb)
{
    order_of(e, r, o);
    int64_t now = eng_now_ns(e);
    if (r->client_order_id && repeated(e, r->client_order_id, o))
        return 0; /* a repeated request: the order as it is, never a second one */
    if (!e->broker_up || !e->reconciled) {
        refuse(o, e->broker_up ? "the engine is reconciling with the broker; try again shortly"
                               : "the broker is down: orders are blocked until it is back");
        return 0;
    }
    if (!risk_allows(e, r, o, now))
        return 0;
    eng_order *w = NULL;
    int rc = journal_ahead(e, r, o, now, &w, eb);
    if (rc)
        return rc;
    fault_point(e, "after-journal");
    send_to_broker(e, w, r->decided_ns ? r->decided_ns : now, o);
    return 0;
}

int eng_order_cancel(engine *e, const char *client_order_id, stom_errbuf *eb)
{
    eng_order *w = eng_order_find(e, client_order_id);
    if (!w)
        return stom_errorf(eb, STOM_ENOTFOUND, "no working order %s", client_order_id);
    Stom__V1__CancelOrder c = STOM__V1__CANCEL_ORDER__INIT;
    char id[OMS_ID_MAX + 8];
    snprintf(id, sizeof id, "%s.c", w->o.client_order_id);
    c.client_order_id = id;
    c.orig_client_order_id = w->o.client_order_id;
    c.broker_order_no = w->o.broker_order_id[0] ? w->o.broker_order_id : NULL;
    c.account = w->o.account;
    c.symbol = w->o.symbol;
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_CANCEL;
    br.cancel = &c;
    stom_broker_reply rep;
    int rc = stom_broker_client_call(e->broker, &br, &rep, eb);
    if (rc) {
        eng_broker_down(e, eb->msg);
        return rc;
    }
    if (rep.reply->error)
        rc = stom_errorf(eb, STOM_ESTATE, "the broker refused the cancel: %s",
                         rep.reply->error->message ? rep.reply->error->message : "");
    stom_broker_reply_free(&rep);
    return rc; /* the CANCELLED event comes on the order feed */
}

size_t eng_orders_cancel_all(engine *e, const eng_instance *owner, int slot, const char *account)
{
    size_t n = 0;
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++) {
        eng_order *w = &e->orders[i];
        if (!w->in_use || (owner && (w->owner != owner || (slot >= 0 && w->slot != slot))) ||
            (!owner && account && strcmp(w->o.account, account)))
            continue;
        stom_errbuf eb = {0};
        if (eng_order_cancel(e, w->o.client_order_id, &eb) == 0)
            n++;
        else
            eng_log("cancel of %s: %s", w->o.client_order_id, eb.msg);
    }
    return n;
}

/* ---- what the broker says ------------------------------------------------- */

static void on_fill(engine *e, eng_order *w, const oms_event *ev, int64_t fees, int64_t taxes,
                    int64_t at)
{
    const stom_instrument *inst = inst_of(e, w->o.symbol);
    stom_risk_fill f = {.account = w->o.account,
                        .strategy = strategy_of(&w->o),
                        .inst = inst,
                        .side = w->o.side,
                        .qty = ev->qty,
                        .price = ev->price,
                        .fees = fees + taxes,
                        .now_ns = at};
    if (inst && stom_risk_fill_apply(e->risk, &f) != 0)
        eng_log("risk manager could not book the fill of %s", w->o.client_order_id);
    eng_instance *in = w->owner;
    if (!in)
        return;
    stom_strategy_ctx *ctx = &in->slots[w->slot].ctx;
    int64_t before = ctx->position;
    ctx->position += w->o.side * ev->qty;
    if (ctx->position == 0)
        ctx->entries = 0;
    else if ((ctx->position > 0) == (w->o.side > 0) && llabs(ctx->position) > llabs(before) &&
             (before == 0 || (before > 0) == (ctx->position > 0)))
        ctx->entries += w->o.filled_qty == ev->qty; /* the order's first fill opens or adds */
    stom_risk_figures fig;
    if (stom_risk_figures_get(e->risk, in->account, in->id, &fig) == 0)
        in->realized_pnl = fig.pnl_today;
    if (in->def->on_fill) {
        stom_fill sf = {.symbol = w->slot,
                        .side = w->o.side,
                        .qty = ev->qty,
                        .price = ev->price,
                        .value = ev->qty * ev->price,
                        .fee = fees,
                        .tax = taxes,
                        .ts = at / 1000000000LL};
        in->def->on_fill(in->states +
                             (size_t)w->slot * (in->def->state_size ? in->def->state_size : 1),
                         ctx, &sf);
    }
}

void eng_order_apply(engine *e, eng_order *w, const oms_event *ev, int64_t fees, int64_t taxes,
                     int64_t at)
{
    Stom__V1__OrderEventKind kind = 0;
    switch (ev->kind) {
    case OMS_EV_SENT:
        return;
    case OMS_EV_ACCEPTED:
        kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED;
        break;
    case OMS_EV_REJECTED:
        kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED;
        break;
    case OMS_EV_CANCELLED:
        kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED;
        break;
    case OMS_EV_FILL:
        kind = w->o.state == OMS_FILLED
                   ? STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED
                   : STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED;
        on_fill(e, w, ev, fees, taxes, at);
        break;
    }
    eng_publish_order(e, &w->o, kind, ev, fees, taxes, at);
    if (ev->kind == OMS_EV_FILL) /* refreshed from the broker off the order path */
        eng_position_changed(e, w->o.account, w->o.symbol);
    if (!oms_state_final(w->o.state))
        return;
    int64_t rest = w->o.qty - w->o.filled_qty;
    if (rest > 0)
        stom_risk_release(e->risk, w->o.account, strategy_of(&w->o), w->o.symbol, w->o.side, rest);
    eng_instance *in = w->owner;
    int slot_k = w->slot;
    bool limit = w->o.limit;
    eng_order_release(w);
    if (in) {
        eng_slot *slot = &in->slots[slot_k];
        if (slot->ctx.pending > 0)
            slot->ctx.pending--;
        if (!limit && slot->market_pending > 0)
            slot->market_pending--;
        in->dirty = true; /* its row and status go out on the next tick */
        eng_slot_run(in, (size_t)slot_k);
    }
}

void eng_on_order_event(engine *e, const Stom__V1__OrderEvent *oe)
{
    eng_order *w = eng_order_find(e, oe->client_order_id);
    if (!w)
        return; /* final already, or not this engine's */
    oms_event ev = {0};
    switch (oe->kind) {
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED:
        if (w->o.state >= OMS_ACCEPTED)
            return; /* the place reply said so already */
        ev.kind = OMS_EV_ACCEPTED;
        snprintf(ev.broker_order_id, sizeof ev.broker_order_id, "%s",
                 oe->broker_order_no ? oe->broker_order_no : "");
        break;
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED:
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED:
        ev.kind = OMS_EV_FILL;
        snprintf(ev.fill_id, sizeof ev.fill_id, "%s", oe->fill_id ? oe->fill_id : "");
        ev.qty = oe->fill_qty;
        ev.price = oe->fill_price;
        if (w->o.state < OMS_ACCEPTED) { /* a fill before the acknowledgement implies it */
            oms_event acc = {.kind = OMS_EV_ACCEPTED};
            snprintf(acc.broker_order_id, sizeof acc.broker_order_id, "%s",
                     oe->broker_order_no ? oe->broker_order_no : "");
            record(e, w, &acc, 0, 0, oe->ts_ns);
        }
        break;
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED:
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_EXPIRED:
        ev.kind = OMS_EV_CANCELLED;
        snprintf(ev.reason, sizeof ev.reason, "%s", oe->reason ? oe->reason : "");
        break;
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED:
        if (w->o.state == OMS_REJECTED)
            return;
        ev.kind = OMS_EV_REJECTED;
        snprintf(ev.reason, sizeof ev.reason, "%s", oe->reason ? oe->reason : "");
        break;
    default:
        return;
    }
    record(e, w, &ev, oe->has_fees ? oe->fees : 0, oe->has_taxes ? oe->taxes : 0,
           oe->has_ts_ns ? oe->ts_ns : eng_now_ns(e));
}
