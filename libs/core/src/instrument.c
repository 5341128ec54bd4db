/*
 * instrument.c - default scales per market and name parsing.
 */
#include "stom/instrument.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "stom/error.h"
#include "stom/fixed.h"

static const char *const market_names[] = {"krx", "us", "crypto"};
static const char *const board_names[] = {"KOSPI", "KOSDAQ", "KONEX", "ETF", "ETN", "NONE"};

int stom_instrument_init(stom_instrument *out, const char *symbol, stom_market m, stom_board b)
{
    if ((int)m < 0 || m > STOM_MARKET_CRYPTO)
        return STOM_EINVAL;
    memset(out, 0, sizeof *out);
    snprintf(out->symbol, sizeof out->symbol, "%s", symbol ? symbol : "");
    out->market = m;
    out->board = m == STOM_MARKET_KRX ? b : STOM_BOARD_NONE;
    /* KRW: whole won and shares; US: cents and shares; crypto: cents and 1e-8 units. */
    out->price_decimals = m == STOM_MARKET_KRX ? 0 : 2;
    out->qty_decimals = m == STOM_MARKET_CRYPTO ? 8 : 0;
    return STOM_OK;
}

int stom_market_parse(const char *s, stom_market *out)
{
    for (int i = 0; i <= STOM_MARKET_CRYPTO; i++) {
        if (strcasecmp(s, market_names[i]) == 0) {
            *out = (stom_market)i;
            return STOM_OK;
        }
    }
    return STOM_ENOTFOUND;
}

int stom_board_parse(const char *s, stom_board *out)
{
    for (int i = 0; i < STOM_BOARD_NONE; i++) {
        if (strcasecmp(s, board_names[i]) == 0) {
            *out = (stom_board)i;
            return STOM_OK;
        }
    }
    return STOM_ENOTFOUND;
}

const char *stom_market_name(stom_market m)
{
    return (int)m >= 0 && m <= STOM_MARKET_CRYPTO ? market_names[m] : "?";
}

const char *stom_board_name(stom_board b)
{
    return (int)b >= 0 && b <= STOM_BOARD_NONE ? board_names[b] : "?";
}

int stom_instrument_notional(const stom_instrument *inst, int64_t price, int64_t qty, int64_t *out)
{
    int64_t v;
    if (__builtin_mul_overflow(price, qty, &v))
        return STOM_ERANGE;
    *out = inst->qty_decimals == 0 ? v : v / stom_pow10(inst->qty_decimals);
    return STOM_OK;
}
