/*
 * sim_market_replay.c - the market's replay mode (see sim_market.h):
 * replayed trades kept per symbol in a ring, orders matched against the
 * first trade at or after their decision time; and restoring a saved
 * market after a restart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_market_internal.h"

static void keep(sim__kept *k, int64_t ts_ns, int64_t price, bool opens_bar)
{
    if (k->n == SIM_REPLAY_KEEP) {
        k->dropped_ts = k->ring[k->head].ts_ns;
        k->head = (k->head + 1) % SIM_REPLAY_KEEP;
        k->n--;
    }
    k->ring[(k->head + k->n) % SIM_REPLAY_KEEP] = (sim__kept_trade){ts_ns, price, opens_bar};
    k->n++;
}

/*
 * The price o fills at on a trade at price, or 0 when the trade does not
 * reach it: a market order takes the trade's price; a limit order fills at
 * its own price when the trade is at or through it, or at the trade's when
 * the trade opens a bar (a gap through the limit fills at the open, as in
 * a backtest).
 */
static int64_t reach(const sim_order_record *o, int64_t price, bool opens_bar)
{
    if (!o->v.limit)
        return price;
    bool through = o->v.side > 0 ? price <= o->v.price : price >= o->v.price;
    if (!through)
        return 0;
    return opens_bar ? price : o->v.price;
}

/* Fills what is left of o at price (replay has no depth: all of it at once). */
static void fill_rest(sim_market *m, sim_order_record *o, int64_t price, int64_t ts_ns)
{
    sim__market_fill(m, o, o->v.qty - o->v.filled, price, ts_ns, false);
}

void sim_market_trade(sim_market *m, int symbol, int64_t ts_ns, int64_t price, int64_t qty,
                      bool opens_bar)
{
    if (!m->cfg.replay || symbol < 0 || symbol >= m->cfg.n_symbols || price <= 0)
        return;
    keep(&m->kept[symbol], ts_ns, price, opens_bar);
    m->last[symbol] = price;
    sim_print p = {.symbol = symbol, .ts_ns = ts_ns, .price = price, .qty = qty};
    if (m->cb.print)
        m->cb.print(m->cb.arg, &p);
    for (size_t k = 0; k < m->n_orders; k++) {
        sim_order_record *o = &m->orders[k];
        if (o->v.symbol != symbol || o->v.state != SIM_WORKING || o->v.decision_ns > ts_ns)
            continue;
        int64_t at = reach(o, price, opens_bar);
        if (at > 0)
            fill_rest(m, o, at, ts_ns);
    }
}

void sim__market_match_kept(sim_market *m, sim_order_record *o)
{
    const sim__kept *k = &m->kept[o->v.symbol];
    for (size_t i = 0; i < k->n && o->v.state == SIM_WORKING; i++) {
        const sim__kept_trade *t = &k->ring[(k->head + i) % SIM_REPLAY_KEEP];
        int64_t at = t->ts_ns >= o->v.decision_ns ? reach(o, t->price, t->opens_bar) : 0;
        if (at > 0)
            fill_rest(m, o, at, t->ts_ns);
    }
}

int sim__market_check_kept(const sim_market *m, int s, int64_t decision_ns, stom_errbuf *eb)
{
    if (decision_ns > m->kept[s].dropped_ts)
        return STOM_OK;
    return stom_errorf(eb, STOM_EINVAL,
                       "decision time %lld ns is older than the replayed trades of %s still kept "
                       "(the last %d; the newest dropped was at %lld ns)",
                       (long long)decision_ns, m->symbols[s].code, SIM_REPLAY_KEEP,
                       (long long)m->kept[s].dropped_ts);
}

void sim_market_set_reference(sim_market *m, int symbol, int64_t ref_price)
{
    if (symbol >= 0 && symbol < m->cfg.n_symbols && ref_price > 0)
        m->symbols[symbol].ref_price = ref_price;
}

/* ---- restoring ------------------------------------------------------------ */

void sim_market_restore_account(sim_market *m, int64_t cash, const int64_t *positions,
                                uint64_t last_fill_id)
{
    m->cash = cash;
    memcpy(m->position, positions, (size_t)m->cfg.n_symbols * sizeof *m->position);
    m->next_fill = last_fill_id;
}

int sim_market_restore_order(sim_market *m, const sim_order_record *r, stom_errbuf *eb)
{
    if (r->v.id != m->n_orders + 1)
        return stom_errorf(eb, STOM_EINVAL, "order %llu is out of sequence (expected %zu)",
                           (unsigned long long)r->v.id, m->n_orders + 1);
    if (r->v.symbol < 0 || r->v.symbol >= m->cfg.n_symbols)
        return stom_errorf(eb, STOM_EINVAL, "order %llu: symbol %d is not listed here",
                           (unsigned long long)r->v.id, r->v.symbol);
    sim_order_record *o = sim__market_new_order(m);
    if (!o)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for orders");
    *o = *r;
    if (o->v.state != SIM_WORKING)
        o->reserved = 0;
    else if (o->v.side > 0)
        m->reserved_cash += o->reserved;
    else
        m->reserved_shares[o->v.symbol] += o->reserved;
    return STOM_OK;
}

bool sim_market_order_record(const sim_market *m, uint64_t id, sim_order_record *out)
{
    if (id < 1 || id > m->n_orders)
        return false;
    *out = m->orders[id - 1];
    return true;
}

uint64_t sim_market_last_fill_id(const sim_market *m)
{
    return m->next_fill;
}
