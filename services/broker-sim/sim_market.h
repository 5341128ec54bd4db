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
 * Replay mode (config.replay): there is no path and no book. The trades
 * come from outside (sim_market_trade, stored bars replayed) and an order
 * is matched against the first trade at or after its decision time (the
 * now_ns it was placed with), whether that trade comes later or was already
 * replayed (each symbol keeps its last SIM_REPLAY_KEEP trades): a market
 * order fills its whole quantity at that trade's price; a limit order fills
 * its whole quantity at the first such trade at or through its price, at
 * its price (at the trade's price when the trade opens a bar and gaps
 * through the limit, as a backtest fills at a gapping open). An order
 * whose decision time is older than the trades kept is refused.
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

#define SIM_REASON_MAX  160
#define SIM_REPLAY_KEEP 1024 /* replayed trades kept per symbol for late orders */

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
    bool replay;       /* trades come from sim_market_trade; no path, no book */
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
    int aggressor;              /* +1 the buyer lifted the ask, -1 the seller hit the bid */
    int64_t cum_qty, cum_value; /* the symbol's day so far, this print included */
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
    int64_t decision_ns; /* the now_ns it was placed with */
} sim_order_view;

/* An order with its reservation: what a restart needs to restore it exactly. */
typedef struct sim_order_record {
    sim_order_view v;
    int64_t bound;    /* buys: the price the reservation assumed (limit, or the upper limit) */
    int64_t reserved; /* cash (buys) or shares (sells) still reserved */
} sim_order_record;

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

/*
 * Replay mode: one replayed trade of symbol at ts_ns (opens_bar: the first
 * trade of its bar). It is printed, kept for late orders, and the working
 * orders of the symbol decided at or before ts_ns that it reaches fill.
 */
void sim_market_trade(sim_market *m, int symbol, int64_t ts_ns, int64_t price, int64_t qty,
                      bool opens_bar);
/* Sets symbol's reference price (the previous close): the day's limits follow it. */
void sim_market_set_reference(sim_market *m, int symbol, int64_t ref_price);

/*
 * Restoring a saved market (a restart): the account first, then every
 * order in id order (ids 1, 2, 3 ...). _restore_order fails with
 * STOM_EINVAL when an id is out of sequence or the symbol unknown.
 */
void sim_market_restore_account(sim_market *m, int64_t cash, const int64_t *positions,
                                uint64_t last_fill_id);
int sim_market_restore_order(sim_market *m, const sim_order_record *r, stom_errbuf *eb);
/* Copies order id with its reservation into *out; false when there is none. */
bool sim_market_order_record(const sim_market *m, uint64_t id, sim_order_record *out);
/* The last fill id handed out (0 before the first). */
uint64_t sim_market_last_fill_id(const sim_market *m);

int64_t sim_market_cash(const sim_market *m);
int64_t sim_market_position(const sim_market *m, int symbol);
int64_t sim_market_last(const sim_market *m, int symbol);
/* The day's reference price (기준가: the previous close) of symbol; 0 for a bad index. */
int64_t sim_market_reference(const sim_market *m, int symbol);
/* Copies order id into *out; false when there is none. */
bool sim_market_order(const sim_market *m, uint64_t id, sim_order_view *out);

#endif
