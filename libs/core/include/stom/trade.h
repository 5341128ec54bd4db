/*
 * stom/trade.h - a closed round trip, as the portfolio records it.
 *
 * A trade opens when a position leaves zero and closes with each fill that
 * reduces it: a partial exit closes a trade of the exited quantity, carrying
 * its pro-rata share of the entry cost and entry fees. A position still open
 * at the end of a backtest is closed at the last close and marked open_at_end.
 *
 * Money is in the instrument's cash units (won for KRX).
 *
 * Thread-safety: plain value.
 */
#ifndef STOM_TRADE_H
#define STOM_TRADE_H

#include <stdbool.h>
#include <stdint.h>

#include "stom/instrument.h"

typedef struct stom_trade {
    char symbol[STOM_SYMBOL_MAX];
    int side;            /* +1 long, -1 short */
    int64_t qty;         /* quantity units, > 0 */
    int64_t entry_ts;    /* UTC seconds of the first entry fill */
    int64_t exit_ts;     /* UTC seconds of the closing fill */
    int64_t entry_price; /* average entry price, price units (rounded to nearest) */
    int64_t exit_price;  /* exit fill price, price units */
    int64_t entry_value; /* cash paid (long) or received (short) at entry, before fees */
    int64_t exit_value;  /* cash received (long) or paid (short) at exit, before fees */
    int64_t fees;        /* commission, entry share + exit */
    int64_t taxes;       /* sell tax (on the long exit or the short entry) */
    int64_t pnl;         /* net: side*(exit_value-entry_value) - fees - taxes */
    bool open_at_end;    /* closed by the end of the data, not by a signal */
} stom_trade;

/* Net return of the trade in percent of entry_value (0 when entry_value is 0). */
double stom_trade_return_pct(const stom_trade *t);

#endif
