/*
 * sim_market.h - the simulated KRX market inside stom-broker-sim: one
 * account, a few symbols, a synthetic price path, and continuous matching
 * of market and limit orders with KRX rules. Pure: no I/O and no clock of
 * its own (every call carries the time), deterministic for a seed.
 *
 * Book model: around the last price p the book offers depth_qty at each of
 * depth_levels ticks above p (asks) and below it (bids), never beyond the
 * day's price limits. A marketable order takes those levels in price order
 * (one fill per level, so a large order fills partly at several prices); a
 * market order's rest that the book cannot take within the limits is
 * cancelled. A limit order that does not cross rests; it fills when the
 * path trades at or through its price (at its price, up to the print's
 * quantity).
 *
 * Rejections, each with a reason naming the rule: unknown symbol, quantity
 * not above 0, price off the tick grid, price outside the day's limits,
 * market not in its continuous session (09:00-15:20 KST on trading days),
 * not enough cash (a buy reserves price x qty + commission; a market buy
 * is priced at the upper limit), not enough shares (sells reserve them).
 * Fees and taxes are libs/core's (stom/costs.h) for the session's date.
 *
 * Thread-safety: one thread per market; callbacks run on it.
 */
#ifndef STOM_SIM_MARKET_H
#define STOM_SIM_MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/costs.h"
#include "stom/error.h"
#include "stom/instrument.h"

#define SIM_REASON_MAX 160

typedef struct sim_symbol {
    char code[STOM_SYMBOL_MAX];
    stom_board board;
    int64_t ref_price; /* the previous close: the day's limits and the path's start */
} sim_symbol;

typedef struct sim_config {
    uint64_t seed;
    const sim_symbol *symbols; /* borrowed during create */
    int n_symbols;
    int64_t cash; /* the account's won */
    stom_cost_model costs;
    int depth_levels;  /* ticks of book on each side (>= 1) */
    int64_t depth_qty; /* quantity at each level (>= 1) */
} sim_config;

typedef enum sim_order_state { SIM_WORKING = 0, SIM_FILLED, SIM_CANCELLED } sim_order_state;

typedef struct sim_fill {
    uint64_t order_id, fill_id; /* fill ids count up across the market */
    int symbol, side;
    int64_t qty, price, commission, tax;
    int64_t ts_ns;
} sim_fill;

typedef struct sim_print { /* a trade of the synthetic market (market data) */
    int symbol;
    int64_t ts_ns, price, qty;
} sim_print;

typedef struct sim_callbacks {
    void (*fill)(void *arg, const sim_fill *f);
    void (*print)(void *arg, const sim_print *p);
    /* an order ended: filled, or cancelled (by request, or its rest with reason) */
    void (*done)(void *arg, uint64_t order_id, sim_order_state st, const char *reason);
    void *arg;
} sim_callbacks;

typedef struct sim_order_view {
    uint64_t id;
    int symbol, side;
    bool limit;
    int64_t price, qty, filled;
    sim_order_state state;
} sim_order_view;

/* Why an order was refused. */
typedef enum sim_reject {
    SIM_REJECT_NONE = 0,
    SIM_REJECT_INVALID, /* unknown symbol, side, quantity, a market order with a price */
    SIM_REJECT_PRICE,   /* off the tick grid or outside the day's limits */
    SIM_REJECT_CLOSED,  /* not the continuous session */
    SIM_REJECT_FUNDS    /* not enough cash or shares */
} sim_reject;

typedef struct sim_market sim_market;

/* 0, or STOM_EINVAL naming the bad setting. Copies cfg (symbols included). */
int sim_market_create(sim_market **out, const sim_config *cfg, const sim_callbacks *cb,
                      stom_errbuf *eb);
void sim_market_destroy(sim_market *m);

/*
 * Places an order at now_ns (UTC): side +1 buy / -1 sell, limit with price
 * (on the grid) or market (price 0). On acceptance returns 0 with *id set;
 * marketable parts fill at once (callbacks before the return). Otherwise
 * STOM_EINVAL with the rule in eb ("price 70,050 is off the 100-won tick
 * grid of 005930") and its kind in *why (may be NULL), and nothing changes.
 */
int sim_market_place(sim_market *m, int symbol, int side, bool limit, int64_t price, int64_t qty,
                     int64_t now_ns, uint64_t *id, sim_reject *why, stom_errbuf *eb);
/* Cancels a working order (done callback with CANCELLED). 0, or STOM_ENOTFOUND / STOM_ESTATE. */
int sim_market_cancel(sim_market *m, uint64_t id, stom_errbuf *eb);
/*
 * One step of the synthetic path at now_ns for every symbol: the price moves
 * a few ticks (within the limits), a print is published and resting orders
 * it reaches fill. Outside the continuous session nothing trades.
 */
void sim_market_step(sim_market *m, int64_t now_ns);

int64_t sim_market_cash(const sim_market *m);
int64_t sim_market_position(const sim_market *m, int symbol);
int64_t sim_market_last(const sim_market *m, int symbol);
/* Copies order id into *out; false when there is none. */
bool sim_market_order(const sim_market *m, uint64_t id, sim_order_view *out);

#endif
