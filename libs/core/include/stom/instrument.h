/*
 * stom/instrument.h - what is traded and how its numbers are scaled.
 *
 * Prices and quantities are integers (see stom/fixed.h). An instrument says
 * how many decimal places each carries: KRX stocks trade in whole won and
 * whole shares (0, 0); US stocks in cents and whole shares (2, 0); crypto per
 * market (BTC/USDT: 2, 8). Cash is kept in the price's units.
 *
 * Thread-safety: plain values; the functions are pure.
 */
#ifndef STOM_INSTRUMENT_H
#define STOM_INSTRUMENT_H

#include <stdint.h>

typedef enum stom_market {
    STOM_MARKET_KRX = 0, /* Korea Exchange: KRW, tick table, +-30% limits, sell tax */
    STOM_MARKET_US,      /* US equities: cents, no limits, no tax */
    STOM_MARKET_CRYPTO   /* 24/7 spot: per-market scales, no limits, no tax */
} stom_market;

/* The KRX board decides the tick table (ETF/ETN flat 5 won) and the tax rate. */
typedef enum stom_board {
    STOM_BOARD_KOSPI = 0,
    STOM_BOARD_KOSDAQ,
    STOM_BOARD_KONEX,
    STOM_BOARD_ETF,
    STOM_BOARD_ETN,
    STOM_BOARD_NONE /* not a KRX listing */
} stom_board;

#define STOM_SYMBOL_MAX 32

typedef struct stom_instrument {
    char symbol[STOM_SYMBOL_MAX]; /* KRX short code "005930" (a string: may hold letters) */
    stom_market market;
    stom_board board;
    int price_decimals; /* price units = price * 10^price_decimals */
    int qty_decimals;   /* quantity units = quantity * 10^qty_decimals */
} stom_instrument;

/*
 * Fills *out with the default scales of market m for symbol (truncated to
 * STOM_SYMBOL_MAX-1 bytes). Returns 0 or STOM_EINVAL for an unknown market.
 */
int stom_instrument_init(stom_instrument *out, const char *symbol, stom_market m, stom_board b);

/* Parses "krx", "us" or "crypto" (any case). Returns 0 or STOM_ENOTFOUND. */
int stom_market_parse(const char *s, stom_market *out);
/* Parses "KOSPI", "KOSDAQ", "KONEX", "ETF", "ETN" (any case). 0 or STOM_ENOTFOUND. */
int stom_board_parse(const char *s, stom_board *out);
/* Returns the lower-case name of m ("krx"). */
const char *stom_market_name(stom_market m);
/* Returns the upper-case name of b ("KOSPI"). */
const char *stom_board_name(stom_board b);

/*
 * Cash value of qty units at price: price * qty / 10^qty_decimals, truncated.
 * Sets *out and returns 0, or STOM_ERANGE on overflow.
 */
int stom_instrument_notional(const stom_instrument *inst, int64_t price, int64_t qty, int64_t *out);

#endif
