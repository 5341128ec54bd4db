/*
 * sim_settle.c - a market operation's events, held while the market runs,
 * then applied to the orders, saved and published, in that order (see
 * sim_adapter_internal.h). Also the order events' shape.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_adapter_internal.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

/* ---- held events ------------------------------------------------------------ */

static sim__held *hold(sim_adapter *a)
{
    if (a->n_held == a->cap_held) {
        a->cap_held = a->cap_held ? a->cap_held * 2 : 64;
        a->held = stom_xrealloc(a->held, a->cap_held * sizeof *a->held);
    }
    sim__held *h = &a->held[a->n_held++];
    memset(h, 0, sizeof *h);
    return h;
}

void sim__op_begin(sim_adapter *a)
{
    a->n_held = 0;
}

void sim__on_fill(void *arg, const sim_fill *f)
{
    sim__held *h = hold(arg);
    h->is_fill = true;
    h->fill = *f;
    h->order_id = f->order_id;
}

void sim__on_done(void *arg, uint64_t id, sim_order_state st, const char *reason)
{
    sim__held *h = hold(arg);
    h->order_id = id;
    h->st = st;
    snprintf(h->reason, sizeof h->reason, "%s", reason);
}

void sim__on_print(void *arg, const sim_print *p)
{
    sim_adapter *a = arg;
    if (a->quiet)
        return;
    Stom__V1__Trade t = STOM__V1__TRADE__INIT;
    t.symbol = (char *)sim__code(a, p->symbol);
    t.has_ts_ns = t.has_price = t.has_qty = t.has_aggressor = t.has_cum_qty = t.has_cum_value =
        true;
    t.ts_ns = p->ts_ns;
    t.price = p->price;
    t.qty = p->qty;
    t.aggressor = p->aggressor > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
    t.cum_qty = p->cum_qty;
    t.cum_value = p->cum_value;
    stom_errbuf eb = {{0}};
    if (stom_broker_publish_md(a->server, t.symbol, &t.base, &eb) != STOM_OK)
        fprintf(stderr, "stom-broker-sim: trade not published: %s\n", eb.msg);
}

/* ---- events ----------------------------------------------------------------- */

static Stom__V1__Side side_pb(int side)
{
    return side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
}

/* The event of r with the order's totals cum_qty and cum_value; strings borrowed from r and no. */
static Stom__V1__OrderEvent event_of(const sim_adapter *a, const sim_stored_order *r,
                                     Stom__V1__OrderEventKind kind, int64_t cum_qty,
                                     int64_t cum_value, char *no, size_t no_len)
{
    const sim_order_view *v = &r->rec.v;
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    if (v->id)
        snprintf(no, no_len, "S%" PRIu64, v->id);
    ev.has_kind = ev.has_side = ev.has_order_qty = true;
    ev.kind = kind;
    ev.client_order_id = (char *)r->client_id;
    ev.broker_order_no = v->id ? no : NULL;
    ev.account = (char *)a->account;
    ev.symbol = (char *)sim__code(a, v->symbol);
    ev.side = side_pb(v->side);
    ev.order_qty = v->qty;
    if (!v->id)
        return ev;
    ev.has_cum_qty = ev.has_remaining_qty = true;
    ev.cum_qty = cum_qty;
    ev.remaining_qty = v->qty - cum_qty;
    ev.has_order_price = v->limit;
    ev.order_price = v->price;
    if (cum_qty > 0) {
        ev.has_avg_price = true;
        ev.avg_price = (cum_value + cum_qty / 2) / cum_qty;
    }
    return ev;
}

Stom__V1__OrderEvent sim__fill_event(const sim_adapter *a, const sim_stored_order *r,
                                     const sim_stored_fill *f, char *no, size_t no_len,
                                     char *fill_id, size_t id_len)
{
    Stom__V1__OrderEvent ev = event_of(
        a, r,
        f->cum_qty == r->rec.v.qty ? STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED
                                   : STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED,
        f->cum_qty, f->cum_value, no, no_len);
    snprintf(fill_id, id_len, "F%" PRIu64, f->fill_id);
    ev.fill_id = fill_id;
    ev.has_fill_qty = ev.has_fill_price = ev.has_fees = ev.has_taxes = ev.has_ts_ns = true;
    ev.fill_qty = f->qty;
    ev.fill_price = f->price;
    ev.fees = f->commission;
    ev.taxes = f->tax;
    ev.ts_ns = f->ts_ns;
    return ev;
}

static void publish(sim_adapter *a, const Stom__V1__OrderEvent *ev)
{
    stom_errbuf eb = {{0}};
    if (stom_broker_publish_order(a->server, a->account, ev, &eb) != STOM_OK)
        fprintf(stderr, "stom-broker-sim: order event not published: %s\n", eb.msg);
}

void sim__publish_rejected(sim_adapter *a, const sim_stored_order *r, int64_t now)
{
    char no[32];
    Stom__V1__OrderEvent ev =
        event_of(a, r, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, 0, 0, no, sizeof no);
    ev.reason = (char *)r->reason;
    ev.has_ts_ns = true;
    ev.ts_ns = now;
    publish(a, &ev);
}

/* ---- settling --------------------------------------------------------------- */

/* Books a held fill into its order, the position mirror and the fills; returns the order. */
static sim_stored_order *apply_fill(sim_adapter *a, const sim_fill *f)
{
    sim_stored_order *r = sim__ref_by_id(a, f->order_id);
    int s = f->symbol;
    r->rec.v.filled += f->qty;
    r->cum_value += f->qty * f->price;
    if (f->side > 0) {
        a->cost[s] += f->qty * f->price + f->commission;
    } else if (a->pos[s] > 0) { /* a sale takes its share of the cost */
        a->cost[s] -= a->cost[s] * (f->qty < a->pos[s] ? f->qty : a->pos[s]) / a->pos[s];
    }
    a->pos[s] += f->side * f->qty;
    if (a->n_fills == a->cap_fills) {
        a->cap_fills = a->cap_fills ? a->cap_fills * 2 : 64;
        a->fills = stom_xrealloc(a->fills, a->cap_fills * sizeof *a->fills);
    }
    sim_stored_fill *k = &a->fills[a->n_fills++];
    *k = (sim_stored_fill){.fill_id = f->fill_id,
                           .order_id = f->order_id,
                           .symbol = s,
                           .side = f->side,
                           .qty = f->qty,
                           .price = f->price,
                           .commission = f->commission,
                           .tax = f->tax,
                           .ts_ns = f->ts_ns,
                           .cum_qty = r->rec.v.filled,
                           .cum_value = r->cum_value};
    snprintf(k->client_id, sizeof k->client_id, "%s", r->client_id);
    return r;
}

/* Adds p to list (*n entries, room for one more) unless it is there. */
static void add_once(const sim_stored_order **list, size_t *n, const sim_stored_order *p)
{
    for (size_t k = 0; k < *n; k++)
        if (list[k] == p)
            return;
    list[(*n)++] = p;
}

static void save(sim_adapter *a, const sim_stored_order **orders, size_t n_orders,
                 size_t first_fill)
{
    if (!a->store)
        return;
    int n_sym = a->opt.market.n_symbols, *symbols = stom_xcalloc((size_t)n_sym, sizeof *symbols);
    size_t n_touched = 0;
    for (int s = 0; s < n_sym; s++)
        for (size_t k = first_fill; k < a->n_fills; k++)
            if (a->fills[k].symbol == s) {
                symbols[n_touched++] = s;
                break;
            }
    sim_store_change c = {.cash = sim_market_cash(a->market),
                          .last_fill_id = sim_market_last_fill_id(a->market),
                          .clock_ns = a->clock_ns,
                          .orders = orders,
                          .n_orders = n_orders,
                          .fills = a->fills + first_fill,
                          .n_fills = a->n_fills - first_fill,
                          .symbols = symbols,
                          .qty = a->pos,
                          .cost = a->cost,
                          .n_symbols = n_touched};
    stom_errbuf eb = {{0}};
    int rc = sim_store_save(a->store, &c, &eb);
    free(symbols);
    if (rc != STOM_OK) {
        fprintf(stderr,
                "stom-broker-sim: stopping: a change could not be saved, and nothing "
                "unsaved is answered (%s)\n",
                eb.msg);
        exit(3);
    }
    a->clock_saved_mono_ns = stom_mono_ns();
}

static void publish_held(sim_adapter *a, size_t first_fill)
{
    size_t f = first_fill;
    for (size_t k = 0; k < a->n_held; k++) {
        const sim__held *h = &a->held[k];
        const sim_stored_order *r = sim__ref_by_id(a, h->order_id);
        char no[32], fill_id[32];
        if (h->is_fill) {
            Stom__V1__OrderEvent ev =
                sim__fill_event(a, r, &a->fills[f++], no, sizeof no, fill_id, sizeof fill_id);
            publish(a, &ev);
        } else if (h->st == SIM_CANCELLED) { /* a fill to the full quantity said FILLED */
            Stom__V1__OrderEvent ev =
                event_of(a, r, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED,
                         r->rec.v.filled, r->cum_value, no, sizeof no);
            ev.reason = (char *)h->reason;
            publish(a, &ev);
        }
    }
}

void sim__op_settle(sim_adapter *a, sim_stored_order *placed)
{
    if (!placed && a->n_held == 0)
        return; /* nothing changed */
    const sim_stored_order **touched =
        stom_xcalloc(a->n_held + 1, sizeof *touched); /* orders to save */
    size_t n_touched = 0, first_fill = a->n_fills;
    if (placed)
        touched[n_touched++] = placed;
    for (size_t k = 0; k < a->n_held; k++) {
        sim_stored_order *r = a->held[k].is_fill ? apply_fill(a, &a->held[k].fill)
                                                 : sim__ref_by_id(a, a->held[k].order_id);
        add_once(touched, &n_touched, r);
    }
    for (size_t k = 0; k < n_touched; k++) { /* state and reservation as the market has them */
        sim_stored_order *r = (sim_stored_order *)touched[k];
        if (r->rec.v.id)
            sim_market_order_record(a->market, r->rec.v.id, &r->rec);
    }
    save(a, touched, n_touched, first_fill);
    free(touched);
    if (placed && placed->rec.v.id) {
        char no[32];
        Stom__V1__OrderEvent ev = event_of(
            a, placed, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED, 0, 0, no, sizeof no);
        ev.has_ts_ns = true;
        ev.ts_ns = placed->accepted_ns;
        publish(a, &ev);
    }
    publish_held(a, first_fill);
    a->n_held = 0;
}
