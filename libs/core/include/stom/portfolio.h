/*
 * stom/portfolio.h - cash, positions and closed trades, exact in cash units.
 *
 * The portfolio books fills. Buying costs value + fee; selling brings
 * value - fee - tax. A position keeps the entry value, entry fees and entry
 * taxes of its open quantity; a fill that reduces it closes a trade of the
 * reduced quantity with its pro-rata share of those (integer shares, the
 * last exit taking the remainder), so that for a run that ends flat
 *     final cash = initial cash + sum of trade pnl,   exactly.
 * Equity is cash plus every position marked at its symbol's last price.
 *
 * Thread-safety: a portfolio belongs to one thread.
 */
#ifndef STOM_PORTFOLIO_H
#define STOM_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>

#include "stom/instrument.h"
#include "stom/order.h"
#include "stom/trade.h"

typedef struct stom_position {
    int64_t qty;         /* signed quantity units: > 0 long, < 0 short */
    int64_t entry_value; /* cash units paid (long) or received (short) for the open qty */
    int64_t entry_fees;  /* commission of the open qty not yet assigned to a trade */
    int64_t entry_taxes; /* sell tax of a short entry not yet assigned to a trade */
    int64_t entry_ts;    /* first entry of the current position */
    int entries;         /* fills that opened or added (pyramiding count) */
    int64_t last_price;  /* mark price, price units */
} stom_position;

typedef struct stom_portfolio {
    const stom_instrument *insts; /* borrowed, n_symbols */
    size_t n_symbols;
    stom_position *pos; /* owned, n_symbols */
    int64_t cash, initial_cash;
    int64_t fees, taxes;    /* paid so far */
    int32_t open_positions; /* symbols with qty != 0 */
    stom_trade *trades;     /* owned, in exit order */
    size_t n_trades, cap_trades;
} stom_portfolio;

/* Sets up an empty portfolio over n instruments (borrowed; must outlive it). */
void stom_portfolio_init(stom_portfolio *p, const stom_instrument *insts, size_t n,
                         int64_t initial_cash);
/* Releases positions and trades. NULL is a no-op. */
void stom_portfolio_free(stom_portfolio *p);

/*
 * Books fill f (its value, fee and tax already computed). A fill that crosses
 * zero must not happen: the exchange splits reversals. Returns 0, or
 * STOM_EINVAL for a fill that crosses zero or has qty <= 0.
 */
int stom_portfolio_apply(stom_portfolio *p, const stom_fill *f, bool open_at_end);

/* Sets the mark price of symbol. */
void stom_portfolio_mark(stom_portfolio *p, int symbol, int64_t price);

/* Cash plus every position at its mark, cash units. */
int64_t stom_portfolio_equity(const stom_portfolio *p);

/* Value of symbol's position at price, cash units (signed: a short is negative). */
int64_t stom_portfolio_value_at(const stom_portfolio *p, int symbol, int64_t price);

/* Value of all open positions at their marks (signed: shorts are negative). */
int64_t stom_portfolio_market_value(const stom_portfolio *p);

#endif
