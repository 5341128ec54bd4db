/*
 * bar_builder.h - bars of any timeframe built from live trades, the way the
 * stored bars a backtest reads are built, so that a strategy sees the same
 * bars live and in a backtest.
 *
 * A bar covers [start, start + timeframe) where start is a multiple of the
 * timeframe counted from KST midnight (a 1-day bar is a KST calendar day).
 * Its open is the first trade's price by time (ties: arrival order), high and
 * low the extremes, close the last, volume the sum. A period without trades
 * has no bar (as in KRX minute data). A bar is complete, and handed to the
 * sink, when a trade of a later period arrives for its symbol or when the
 * clock passes its end (bar_builder_advance); after that, a trade for that
 * period is late: it is dropped and counted (bar_builder_late).
 *
 * Thread-safety: one thread per builder; the sink runs on that thread.
 */
#ifndef STOM_BAR_BUILDER_H
#define STOM_BAR_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"

typedef struct eng_bar {
    int symbol;      /* the caller's index */
    int64_t start_s; /* UTC seconds of the period's start */
    int64_t open, high, low, close;
    int64_t volume;
    uint32_t trades;
} eng_bar;

/* Receives each complete bar (borrowed for the call). */
typedef void (*bar_sink)(void *arg, const eng_bar *bar);

typedef struct bar_builder bar_builder;

/*
 * A builder of timeframe_s-second bars (1 s to 1 day, dividing a day evenly:
 * 1, 5, 60, 180, 300, 3600, 86400, ...) for symbols 0..n_symbols-1, handing
 * complete bars to sink(arg). 0, or STOM_EINVAL naming the bad value.
 */
int bar_builder_create(bar_builder **out, int64_t timeframe_s, int n_symbols, bar_sink sink,
                       void *arg, stom_errbuf *eb);
void bar_builder_destroy(bar_builder *b);

/* One trade: UTC nanoseconds, price (price units, > 0), quantity (> 0). STOM_EINVAL for a bad
 * symbol, price or quantity (nothing changes); a late trade is 0 and counted. */
int bar_builder_trade(bar_builder *b, int symbol, int64_t ts_ns, int64_t price, int64_t qty,
                      stom_errbuf *eb);
/* The clock reached now_ns: completes every bar whose period has ended, in symbol order. */
void bar_builder_advance(bar_builder *b, int64_t now_ns);
/* Trades dropped because their period's bar was already complete. */
uint64_t bar_builder_late(const bar_builder *b);

#endif
