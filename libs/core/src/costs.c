/*
 * costs.c - commission, securities transaction tax and slippage, exact in
 * cash units (see stom/costs.h and docs/krx-rules.md).
 *
 * Rounding rule, as Korean brokers bill: commission and tax are each
 * value * rate truncated below one cash unit (원 미만 절사), computed with
 * stom_muldiv_trunc so no 128-bit integer or double is involved. Rates
 * outside 0..100% are clamped into it, which keeps the arithmetic exact for
 * every positive int64 value (the result never exceeds the value).
 *
 * The sell-tax table is date-versioned const data per board: each row is
 * the rate in force from its date (YYYYMMDD, inclusive) until the next row.
 */
#include <stdbool.h>
#include <stddef.h>

#include "stom/costs.h"
#include "stom/error.h"
#include "stom/fixed.h"
#include "stom/krx.h"

typedef struct tax_period {
    int32_t from; /* first date the rate applies */
    int64_t rate; /* per STOM_RATE_SCALE: 0.20% = 200,000 */
} tax_period;

/*
 * KOSPI (증권거래세 + 농어촌특별세 0.15%) and KOSDAQ (거래세 only) have had
 * the same total since 1996: 0.30%; 0.25% from 2019-06-03; 0.23% 2021-2022;
 * 0.20% 2023; 0.18% 2024; 0.15% 2025; 0.20% again from 2026-01-01.
 */
static const tax_period listed_tax[] = {
    {0, 300000},        {20190603, 250000}, {20210101, 230000}, {20230101, 200000},
    {20240101, 180000}, {20250101, 150000}, {20260101, 200000},
};

/* KONEX: 0.30% until the 2019-06-03 cut, 0.10% since. */
static const tax_period konex_tax[] = {{0, 300000}, {20190603, 100000}};

#define PERIODS(t) (t), sizeof(t) / sizeof((t)[0])

static int64_t rate_on(const tax_period *t, size_t n, int32_t date)
{
    int64_t rate = 0;
    for (size_t i = 0; i < n && t[i].from <= date; i++)
        rate = t[i].rate;
    return rate;
}

/* value * rate / STOM_RATE_SCALE truncated below one unit; 0 for value <= 0. */
static int64_t charge(int64_t value, int64_t rate)
{
    if (value <= 0 || rate <= 0)
        return 0;
    if (rate > STOM_RATE_SCALE)
        rate = STOM_RATE_SCALE;
    return stom_muldiv_trunc(value, rate, STOM_RATE_SCALE);
}

void stom_cost_model_default(stom_cost_model *m)
{
    *m = (stom_cost_model){
        .commission_rate = 15000,
        .tax_mode = STOM_TAX_AUTO,
        .tax_rate = 0,
        .slippage_mode = STOM_SLIPPAGE_NONE,
        .slippage_ticks = 0,
        .slippage_bps = 0,
    };
}

int64_t stom_commission(const stom_cost_model *m, int64_t value)
{
    return m ? charge(value, m->commission_rate) : 0;
}

int64_t stom_krx_sell_tax_rate(stom_board board, int32_t date)
{
    switch (board) {
    case STOM_BOARD_KOSPI:
    case STOM_BOARD_KOSDAQ:
        return rate_on(PERIODS(listed_tax), date);
    case STOM_BOARD_KONEX:
        return rate_on(PERIODS(konex_tax), date);
    case STOM_BOARD_ETF: /* exempt from 증권거래세 */
    case STOM_BOARD_ETN:
    case STOM_BOARD_NONE:
        return 0;
    }
    return 0;
}

int64_t stom_sell_tax(const stom_cost_model *m, const stom_instrument *inst, int32_t date,
                      int64_t value)
{
    if (!m || m->tax_mode == STOM_TAX_NONE)
        return 0;
    if (m->tax_mode == STOM_TAX_FIXED)
        return charge(value, m->tax_rate);
    if (!inst || inst->market != STOM_MARKET_KRX)
        return 0; /* AUTO: the KRX table only applies to KRX listings */
    return charge(value, stom_krx_sell_tax_rate(inst->board, date));
}

/* ---- percentages ---------------------------------------------------------- */

/* Reads the integer digits at *p into *v, which stops growing past 1,000. Returns the count. */
static int read_whole(const char **p, int64_t *v)
{
    int count = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, count++)
        if (*v <= 1000)
            *v = *v * 10 + (**p - '0');
    return count;
}

/*
 * Reads the decimals at *p as millionths into *v: the first 6 digits are
 * kept and padded to 6; *inexact is set when a later digit is not '0'.
 * Returns the count.
 */
static int read_micros(const char **p, int64_t *v, bool *inexact)
{
    int count = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, count++) {
        if (count < 6)
            *v = *v * 10 + (**p - '0');
        else if (**p != '0')
            *inexact = true;
    }
    for (int i = count; i < 6; i++)
        *v *= 10;
    return count;
}

/*
 * "12.345678" (optional sign, optional trailing '%') is 12,345,678 rate
 * units: a percent is 10^6 units (STOM_RATE_SCALE / 100). Decimals beyond
 * the 6th must be zeros; anything else would need rounding and is refused
 * as a format error. Negative values other than zero are out of range.
 */
int stom_rate_parse_pct(const char *s, int64_t *rate)
{
    if (!s)
        return STOM_EFORMAT;
    if (!rate)
        return STOM_EINVAL;
    const char *p = s;
    bool negative = *p == '-', inexact = false;
    if (*p == '-' || *p == '+')
        p++;
    int64_t whole = 0, micros = 0;
    int digits = read_whole(&p, &whole);
    if (*p == '.') {
        p++;
        digits += read_micros(&p, &micros, &inexact);
    }
    if (*p == '%')
        p++;
    if (*p != '\0' || digits == 0 || inexact)
        return STOM_EFORMAT;
    if (whole > 100)
        return STOM_ERANGE;
    int64_t v = whole * 1000000 + micros;
    if (v > 100 * (int64_t)1000000 || (negative && v != 0))
        return STOM_ERANGE;
    *rate = v;
    return STOM_OK;
}

/* ---- slippage -------------------------------------------------------------- */

static int64_t at_least_one(int64_t v)
{
    return v < 1 ? 1 : v;
}

/* n price units against the order, off the KRX grid. */
static int64_t slip_units(int64_t price, int side, int64_t n)
{
    if (side > 0)
        return price > INT64_MAX - n ? INT64_MAX : price + n;
    return at_least_one(price - n);
}

/*
 * price moved by bps basis points against the order, rounded against it:
 * a buy pays at least price * (1 + bps/10^4) (ceiling), a sell receives at
 * most price * (1 - bps/10^4) (floor); on KRX the result then snaps to the
 * grid the same way. bps is capped at 10,000 (100%).
 */
static int64_t slip_bps(int64_t price, int side, int bps, const stom_instrument *inst, int32_t date)
{
    int64_t b = bps > 10000 ? 10000 : bps;
    int64_t move = stom_muldiv_trunc(price, b, 10000);
    /* price * b has a remainder mod 10^4 exactly when this is non-zero. */
    if ((price % 10000) * b % 10000 != 0)
        move++;
    int64_t target = slip_units(price, side, move);
    if (inst && inst->market == STOM_MARKET_KRX)
        return stom_krx_round_to_tick(target, inst->board, date, side > 0 ? 1 : -1);
    return target;
}

int64_t stom_slipped_price(const stom_cost_model *m, const stom_instrument *inst, int32_t date,
                           int64_t price, int side)
{
    if (price < 1)
        return 1;
    if (!m || side == 0)
        return price;
    if (m->slippage_mode == STOM_SLIPPAGE_TICKS && m->slippage_ticks > 0) {
        if (inst && inst->market == STOM_MARKET_KRX)
            return stom_krx_step_ticks(price, side > 0 ? m->slippage_ticks : -m->slippage_ticks,
                                       inst->board, date);
        return slip_units(price, side, m->slippage_ticks);
    }
    if (m->slippage_mode == STOM_SLIPPAGE_BPS && m->slippage_bps > 0)
        return slip_bps(price, side, m->slippage_bps, inst, date);
    return price;
}
