/*
 * oms_reconcile.c - the journal against the broker after a restart (see
 * oms_reconcile in oms.h). Pure: it only lists what to record.
 *
 * Each open journal order is replayed on a copy as the items are listed,
 * so the list is exactly what oms_apply will accept in order, and a fill
 * that would overfill an order shows up as a mismatch here, not later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms.h"

typedef struct list {
    oms_recon_item *items;
    size_t n, cap;
    bool oom;
} list;

static oms_recon_item *push(list *l, oms_recon_kind kind, const char *id)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        oms_recon_item *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) {
            l->oom = true;
            return NULL;
        }
        l->items = grown;
        l->cap = cap;
    }
    oms_recon_item *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->client_order_id, sizeof it->client_order_id, "%s", id);
    return it;
}

static void mismatch(list *l, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void mismatch(list *l, const char *id, const char *fmt, ...)
{
    oms_recon_item *it = push(l, OMS_RECON_MISMATCH, id);
    if (!it)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof it->message, fmt, ap);
    va_end(ap);
}

/* Lists e for o and applies it to o; a refusal becomes a mismatch. */
static void apply(list *l, oms_order *o, const oms_event *e)
{
    stom_errbuf eb = {{0}};
    if (oms_apply(o, e, &eb) != STOM_OK) {
        mismatch(l, o->client_order_id, "%s", eb.msg);
        return;
    }
    oms_recon_item *it = push(l, OMS_RECON_APPLY, o->client_order_id);
    if (it)
        it->event = *e;
}

static const oms_broker_order *find_open(const oms_broker_order *open, size_t n, const char *id)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(open[k].client_order_id, id))
            return &open[k];
    return NULL;
}

static const oms_order *find_journal(const oms_order *j, size_t n, const char *id)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(j[k].client_order_id, id))
            return &j[k];
    return NULL;
}

static void acknowledge(list *l, oms_order *o, const char *broker_order_id)
{
    if (o->state != OMS_PENDING && o->state != OMS_SENT)
        return;
    oms_event e = {.kind = OMS_EV_ACCEPTED};
    snprintf(e.broker_order_id, sizeof e.broker_order_id, "%s", broker_order_id);
    apply(l, o, &e);
}

static bool has_fill(const oms_broker_fill *fills, size_t n, const char *id, const char *fill_id)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(fills[k].client_order_id, id) && !strcmp(fills[k].fill_id, fill_id))
            return true;
    return false;
}

typedef struct broker_word {
    const oms_broker_fill *journaled;
    size_t n_journaled;
    const oms_broker_order *open;
    size_t n_open;
    const oms_broker_fill *fills;
    size_t n_fills;
} broker_word;

/* The journal's fills of o the broker does not report are mismatches. */
static void check_journaled(list *l, const oms_order *o, const broker_word *w)
{
    for (size_t k = 0; k < w->n_journaled; k++)
        if (!strcmp(w->journaled[k].client_order_id, o->client_order_id) &&
            !has_fill(w->fills, w->n_fills, o->client_order_id, w->journaled[k].fill_id))
            mismatch(l, o->client_order_id,
                     "the journal has fill %s of order %s, which the broker does not report",
                     w->journaled[k].fill_id, o->client_order_id);
}

/* Brings one journal order up to date with the broker's word about it. */
static void reconcile_order(list *l, oms_order o, const broker_word *w)
{
    const oms_broker_order *working = find_open(w->open, w->n_open, o.client_order_id);
    int64_t broker_filled = 0;
    bool new_fill = false;
    for (size_t k = 0; k < w->n_fills; k++)
        if (!strcmp(w->fills[k].client_order_id, o.client_order_id)) {
            broker_filled += w->fills[k].qty;
            new_fill = new_fill || !has_fill(w->journaled, w->n_journaled, o.client_order_id,
                                             w->fills[k].fill_id);
        }
    check_journaled(l, &o, w);
    if (working || new_fill)
        acknowledge(l, &o, working ? working->broker_order_id : o.broker_order_id);
    for (size_t k = 0; k < w->n_fills; k++) {
        const oms_broker_fill *f = &w->fills[k];
        if (strcmp(f->client_order_id, o.client_order_id) ||
            has_fill(w->journaled, w->n_journaled, o.client_order_id, f->fill_id))
            continue;
        oms_event e = {.kind = OMS_EV_FILL, .qty = f->qty, .price = f->price};
        snprintf(e.fill_id, sizeof e.fill_id, "%s", f->fill_id);
        apply(l, &o, &e);
    }
    if (working && working->filled_qty != broker_filled)
        mismatch(l, o.client_order_id,
                 "the broker says order %s has %lld filled, its fills add up to %lld",
                 o.client_order_id, (long long)working->filled_qty, (long long)broker_filled);
    if (working || oms_state_final(o.state))
        return;
    oms_event end = {0};
    if (o.state == OMS_PENDING || o.state == OMS_SENT) {
        end.kind = OMS_EV_REJECTED;
        snprintf(end.reason, sizeof end.reason, "not sent before the engine stopped");
    } else {
        end.kind = OMS_EV_CANCELLED;
        snprintf(end.reason, sizeof end.reason, "ended at the broker");
    }
    apply(l, &o, &end);
}

int oms_reconcile(const oms_order *journal, size_t n_journal, const oms_broker_fill *journaled,
                  size_t n_journaled, const oms_broker_order *open, size_t n_open,
                  const oms_broker_fill *fills, size_t n_fills, oms_recon_item **out, size_t *n)
{
    list l = {0};
    const broker_word w = {journaled, n_journaled, open, n_open, fills, n_fills};
    for (size_t k = 0; k < n_journal; k++)
        reconcile_order(&l, journal[k], &w);
    for (size_t k = 0; k < n_open; k++)
        if (!find_journal(journal, n_journal, open[k].client_order_id))
            mismatch(&l, open[k].client_order_id,
                     "the broker works order %s (broker id %s), which the journal has not open",
                     open[k].client_order_id, open[k].broker_order_id);
    for (size_t k = 0; k < n_fills; k++)
        if (!find_journal(journal, n_journal, fills[k].client_order_id))
            mismatch(&l, fills[k].client_order_id,
                     "the broker reports fill %s of order %s, which the journal has not open",
                     fills[k].fill_id, fills[k].client_order_id);
    if (l.oom) {
        free(l.items);
        return STOM_ENOMEM;
    }
    *out = l.items;
    *n = l.n;
    return STOM_OK;
}
