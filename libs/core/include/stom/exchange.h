/*
 * stom/exchange.h - the simulated exchange a backtest trades against.
 *
 * It holds pending orders per symbol, matches them against each new bar with
 * the fill model below, charges costs and books fills in a portfolio.
 *
 * Fill model (docs/backtest.md has the full rules):
 * - Market orders fill at the next bar's open (STOM_FILL_NEXT_OPEN) or at the
 *   close of the bar that created them (STOM_FILL_CLOSE).
 * - Limit: buy fills at min(open, limit) when open <= limit, else at the
 *   limit when low <= limit (sells mirror). Stop: buy triggers when
 *   high >= stop and fills at max(open, stop) (a gap fills at the open).
 *   Stop-limit: the stop triggers it, then it rests as a limit; when it
 *   triggers inside a bar and the limit is below the stop, it can only fill
 *   from the next bar (the intrabar path is unknown).
 * - Market and stop fills get slippage; every fill is snapped to the tick
 *   grid against the order (buys up, sells down) and clamped inside the
 *   day's price limits (KRX: +-30% of the previous trading day's close).
 * - Optional participation cap: a fill takes at most pct% of the bar's
 *   volume; the rest stays pending (partial fills).
 * - Sized orders (qty 0) are sized at the fill price: all-in, percent of
 *   equity, fixed quantity or fixed amount, in whole units for stocks and
 *   never more than the cash allows for buys.
 *
 * Thread-safety: an exchange belongs to one thread.
 */
#ifndef STOM_EXCHANGE_H
#define STOM_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/costs.h"
#include "stom/error.h"
#include "stom/instrument.h"
#include "stom/order.h"
#include "stom/portfolio.h"

typedef enum stom_fill_timing {
    STOM_FILL_NEXT_OPEN = 0, /* market orders fill at the next bar's open */
    STOM_FILL_CLOSE          /* market orders fill at this bar's close */
} stom_fill_timing;

typedef enum stom_sizing_kind {
    STOM_SIZE_ALL_IN = 0, /* as much as cash (long) or equity (short) allows */
    STOM_SIZE_PCT,        /* value = equity * pct */
    STOM_SIZE_QTY,        /* a fixed quantity */
    STOM_SIZE_AMOUNT      /* value = a fixed cash amount */
} stom_sizing_kind;

typedef struct stom_sizing {
    stom_sizing_kind kind;
    int64_t value; /* PCT: basis points of equity (10000 = 100%); QTY: quantity units;
                      AMOUNT: cash units; ALL_IN: unused */
} stom_sizing;

typedef struct stom_exchange_config {
    stom_cost_model costs;
    stom_fill_timing fill;
    stom_sizing sizing;
    int participation_pct;  /* 0 = no cap, else 1..100 */
    bool price_limits;      /* enforce KRX daily limits (KRX instruments only) */
    int utc_offset_minutes; /* trade dates for tax and limits (KST = 540) */
} stom_exchange_config;

typedef struct stom_bar {
    int64_t ts, open, high, low, close, volume;
} stom_bar;

typedef struct stom_exchange stom_exchange;

/* Called for every fill after it is booked; may be NULL. Must not call back into the exchange. */
typedef void (*stom_fill_fn)(void *arg, const stom_fill *fill);

/*
 * Creates an exchange over n instruments (borrowed, must outlive it) with a
 * portfolio starting at initial_cash. Sets *out only on success; STOM_EINVAL
 * for a bad configuration (message in eb).
 */
int stom_exchange_create(stom_exchange **out, const stom_exchange_config *cfg,
                         const stom_instrument *insts, size_t n, int64_t initial_cash,
                         stom_errbuf *eb);
/* Releases everything. NULL is a no-op. */
void stom_exchange_destroy(stom_exchange *x);

/* Registers a callback for fills (strategies' on_fill). */
void stom_exchange_on_fill(stom_exchange *x, stom_fill_fn fn, void *arg);

/*
 * Queues order o (copied; id assigned and returned in *id if not NULL).
 * Market orders in STOM_FILL_CLOSE mode fill at the close of the current bar
 * when stom_exchange_close_bar runs. Returns 0 or STOM_EINVAL for a bad order.
 */
int stom_exchange_submit(stom_exchange *x, const stom_order *o, uint64_t *id);

/* Cancels every pending order of symbol. Returns how many were cancelled. */
size_t stom_exchange_cancel_all(stom_exchange *x, int symbol);

/* Pending orders of symbol. */
size_t stom_exchange_pending(const stom_exchange *x, int symbol);

/*
 * A new bar for symbol begins: updates the reference price and limits when
 * the trade date changed, then matches pending orders at this bar's prices.
 * Call before the strategy sees the bar.
 */
void stom_exchange_open_bar(stom_exchange *x, int symbol, const stom_bar *bar);

/*
 * The bar is complete and the strategy has run: fills close-mode market
 * orders at the close and marks the position at the close.
 */
void stom_exchange_close_bar(stom_exchange *x, int symbol, const stom_bar *bar);

/*
 * End of data: cancels pending orders and closes every open position at its
 * last mark with normal costs, marking the trades open_at_end.
 */
void stom_exchange_finish(stom_exchange *x, int64_t ts);

/* The portfolio (borrowed; valid until destroy). */
const stom_portfolio *stom_exchange_portfolio(const stom_exchange *x);

/* Orders refused at fill time (no cash, zero size) since creation. */
size_t stom_exchange_rejected(const stom_exchange *x);

#endif
