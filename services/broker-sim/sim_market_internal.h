/*
 * sim_market_internal.h - what sim_market.c (account, orders, book) and
 * sim_market_replay.c (replayed trades, restoring a saved market) share:
 * the market object and the fill and end of an order.
 *
 * Invariants: orders[k].v.id == k + 1 (time priority is id order);
 * reserved_cash and reserved_shares are the sums of the working orders'
 * reservations; kept[s] is a ring of the last SIM_REPLAY_KEEP trades of
 * symbol s, oldest at kept_head[s].
 *
 * Thread-safety: as sim_market.h.
 */
#ifndef STOM_SIM_MARKET_INTERNAL_H
#define STOM_SIM_MARKET_INTERNAL_H

#include "sim_market.h"

typedef struct sim__kept_trade {
    int64_t ts_ns, price;
    bool opens_bar;
} sim__kept_trade;

typedef struct sim__kept {
    sim__kept_trade ring[SIM_REPLAY_KEEP];
    size_t head, n;
    int64_t dropped_ts; /* the newest trade no longer kept (INT64_MIN: none) */
} sim__kept;

struct sim_market {
    sim_config cfg;
    sim_symbol *symbols;
    stom_instrument *inst;
    sim_callbacks cb;
    int64_t *last, *position, *reserved_shares;
    int64_t *cum_qty, *cum_value; /* per symbol, the day of cum_date */
    int32_t *cum_date;
    int64_t cash, reserved_cash;
    sim_order_record *orders;
    size_t n_orders, cap;
    uint64_t next_fill;
    uint64_t rng;
    sim__kept *kept; /* replay mode: per symbol */
};

/* Publishes a print of symbol s (the day's totals counted), by the aggressor's side. */
void sim__market_print(sim_market *m, int s, int64_t now_ns, int64_t price, int64_t qty,
                       int aggressor);
/* One fill of o at price; a taker's fill (publish) is also a print of the market. */
void sim__market_fill(sim_market *m, sim_order_record *o, int64_t qty, int64_t price,
                      int64_t now_ns, bool publish);
/* Appends an order slot (zeroed, id set); NULL when out of memory. */
sim_order_record *sim__market_new_order(sim_market *m);
/* Cash a buy of qty at price holds back: the value and its commission. */
int64_t sim__market_buy_cost(const sim_market *m, int64_t price, int64_t qty);
/* Replay mode: fills o from the kept trades at or after its decision time, if one reaches it. */
void sim__market_match_kept(sim_market *m, sim_order_record *o);
/* Replay mode: why an order decided at decision_ns cannot be matched any more, or 0. */
int sim__market_check_kept(const sim_market *m, int s, int64_t decision_ns, stom_errbuf *eb);

#endif
