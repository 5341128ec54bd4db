/*
 * stom/costs.h - commission, sell tax and slippage, exact in cash units.
 *
 * Rates are integers in units of 1e-8 (STOM_RATE_SCALE): 0.015% is 15,000.
 * Commission is charged on both sides at the account's rate; the securities
 * transaction tax (증권거래세 + 농특세) only on sells, from a date-versioned
 * table per board (KOSPI/KOSDAQ 0.20% in 2023, 0.18% 2024, 0.15% 2025,
 * 0.20% from 2026-01-01; KONEX 0.10%; ETF/ETN exempt). Both are truncated
 * below one won (원 미만 절사), the way Korean brokers bill them.
 * Slippage moves a fill price against the order by N ticks or by basis
 * points snapped to the grid.
 *
 * Thread-safety: pure functions; a stom_cost_model is a plain value.
 */
#ifndef STOM_COSTS_H
#define STOM_COSTS_H

#include <stdint.h>

#include "stom/instrument.h"

#define STOM_RATE_SCALE 100000000 /* 1e8: a rate of 1.0 (100%) */

typedef enum stom_tax_mode {
    STOM_TAX_AUTO = 0, /* the KRX table by board and trade date (no tax outside KRX) */
    STOM_TAX_NONE,
    STOM_TAX_FIXED /* tax_rate on every sell */
} stom_tax_mode;

typedef enum stom_slippage_mode {
    STOM_SLIPPAGE_NONE = 0,
    STOM_SLIPPAGE_TICKS,
    STOM_SLIPPAGE_BPS
} stom_slippage_mode;

typedef struct stom_cost_model {
    int64_t commission_rate; /* per STOM_RATE_SCALE, both sides; default 15,000 (0.015%) */
    stom_tax_mode tax_mode;
    int64_t tax_rate; /* for STOM_TAX_FIXED, per STOM_RATE_SCALE */
    stom_slippage_mode slippage_mode;
    int slippage_ticks; /* >= 0 */
    int slippage_bps;   /* >= 0, 1 bp = 0.01% */
} stom_cost_model;

/* The defaults: 0.015% commission, automatic tax, no slippage. */
void stom_cost_model_default(stom_cost_model *m);

/*
 * Parses a percentage such as "0.015" (meaning 0.015%) exactly into a rate
 * per STOM_RATE_SCALE. Accepts 0..100 with up to 6 decimals. Returns 0,
 * STOM_EFORMAT or STOM_ERANGE.
 */
int stom_rate_parse_pct(const char *s, int64_t *rate);

/* Commission on a trade value (cash units): value * rate, truncated below one unit. */
int64_t stom_commission(const stom_cost_model *m, int64_t value);

/* The table's sell-tax rate for board on date (YYYYMMDD), per STOM_RATE_SCALE. */
int64_t stom_krx_sell_tax_rate(stom_board board, int32_t date);

/* Sell tax on a sell of `value` for inst on date under m's tax mode, truncated. */
int64_t stom_sell_tax(const stom_cost_model *m, const stom_instrument *inst, int32_t date,
                      int64_t value);

/*
 * The fill price after slippage: side > 0 (buy) moves up, side < 0 down.
 * KRX prices stay on the tick grid (bps are rounded against the order to a
 * tick); other markets move in price units. Never returns less than one unit.
 */
int64_t stom_slipped_price(const stom_cost_model *m, const stom_instrument *inst, int32_t date,
                           int64_t price, int side);

#endif
