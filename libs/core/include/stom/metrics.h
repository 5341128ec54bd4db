/*
 * stom/metrics.h - the backtest report's numbers, computed from an equity
 * series and the closed trades. Definitions, with formulas, are in
 * docs/metrics.md; STOM's own metrics keep their STOM names (linear CAGR,
 * TPI) next to the standard ones (compound CAGR, Sharpe, ...).
 *
 * Money stays integer (cash units); ratios and statistics are doubles.
 *
 * Thread-safety: stom_metrics_compute is pure (reads its input, writes its
 * output); distinct outputs may be computed concurrently.
 */
#ifndef STOM_METRICS_H
#define STOM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/trade.h"

typedef struct stom_metrics_input {
    /* One point per step of the backtest's timeline, in time order. */
    size_t n;
    const int64_t *ts;        /* UTC seconds */
    const int64_t *equity;    /* cash + marked positions, cash units, after costs */
    const int32_t *positions; /* open positions at the point (exposure, MH); may be NULL */
    const stom_trade *trades; /* closed trades in exit order (incl. open_at_end ones) */
    size_t n_trades;
    int64_t initial_cash;
    int64_t fees_total;          /* all commission paid, cash units */
    int64_t taxes_total;         /* all sell tax paid */
    double buy_hold_return_pct;  /* first-to-last close of the traded symbols, equal weight */
    int utc_offset_minutes;      /* calendar for days and months (KST = 540) */
    int trading_days_per_year;   /* annualization: 252 for stocks, 365 for crypto */
    int stom_cagr_days_per_year; /* STOM linear CAGR: 250 for stocks, 365 for crypto */
    int cash_decimals;           /* decimals of cash units (0 for KRW) */
    bool skip_drawdown_series;   /* leave drawdown_pct NULL (the figures are still computed) */
} stom_metrics_input;

typedef struct stom_monthly_return {
    int year, month;   /* calendar month at utc_offset_minutes */
    double return_pct; /* equity change over the month (from the previous month's end) */
} stom_monthly_return;

typedef struct stom_metrics {
    int64_t start_ts, end_ts;
    double duration_days;  /* (end - start) in days */
    int64_t calendar_days; /* dates from start to end inclusive (>= 1): the days of both CAGRs */
    size_t trading_days;   /* distinct dates with a point: daily returns, ATC */
    int64_t initial_cash, final_equity, net_profit;
    int64_t peak_equity; /* highest equity, initial_cash included */
    double total_return_pct;
    double cagr_pct;      /* compound, %: ((final/initial)^(365.25/days) - 1) * 100 */
    double stom_cagr_pct; /* STOM linear: total_return_pct / days * stom_cagr_days_per_year */
    double annual_return_pct, annual_volatility_pct; /* from daily returns */
    double sharpe, sortino, calmar;
    double max_drawdown_pct;     /* positive number: 12.5 means -12.5% */
    int64_t max_drawdown_amount; /* positive cash units; largest on its own (may be another DD) */
    int64_t max_drawdown_peak_ts, max_drawdown_trough_ts; /* of the max_drawdown_pct one */
    double max_drawdown_duration_days, avg_drawdown_duration_days;
    size_t trades, wins, losses;
    double win_rate_pct;
    double best_trade_pct, worst_trade_pct, avg_trade_pct;
    double avg_win_pct, avg_loss_pct; /* avg_loss_pct is negative */
    int64_t avg_win_amount, avg_loss_amount;
    double payoff_ratio, profit_factor, expectancy; /* expectancy in cash units per trade */
    double sqn;
    size_t max_consecutive_wins, max_consecutive_losses;
    double exposure_pct;
    double avg_holding_days, max_holding_days;
    int64_t fees, taxes;
    double buy_hold_return_pct;
    double tpi; /* STOM: win rate (0..1) * (1 + avg win % / |avg loss %|) */
    int max_concurrent_positions;
    double trades_per_day;        /* STOM ATC */
    stom_monthly_return *monthly; /* owned */
    size_t n_monthly;
    double *drawdown_pct; /* owned, n points: equity / running peak - 1, in percent (<= 0);
                             the running peak starts at initial_cash */
    size_t n_drawdown;
    uint32_t undefined; /* STOM_METRIC_UNDEF_* bits: ratios reported as 0 because undefined */
} stom_metrics;

/*
 * Bits of stom_metrics.undefined. A set bit means the value beside it is 0
 * only because the ratio has no value (a zero denominator, or a result too
 * large for a double); a report shows "n/a" (or "inf" for profit factor
 * with gross profit and no loss) instead of the 0.
 */
enum {
    STOM_METRIC_UNDEF_CAGR = 1u << 0,
    STOM_METRIC_UNDEF_ANNUAL_RETURN = 1u << 1,
    STOM_METRIC_UNDEF_VOLATILITY = 1u << 2,
    STOM_METRIC_UNDEF_SHARPE = 1u << 3,
    STOM_METRIC_UNDEF_SORTINO = 1u << 4,
    STOM_METRIC_UNDEF_CALMAR = 1u << 5,
    STOM_METRIC_UNDEF_PAYOFF = 1u << 6,
    STOM_METRIC_UNDEF_PROFIT_FACTOR = 1u << 7,
    STOM_METRIC_UNDEF_SQN = 1u << 8,
    STOM_METRIC_UNDEF_TPI = 1u << 9,
    STOM_METRIC_UNDEF_EXPOSURE = 1u << 10 /* positions was NULL (also max concurrent) */
};

/*
 * Computes every metric of in into *out (zeroed first, also on failure).
 * Borrows in; out owns its arrays, released by stom_metrics_free. Returns 0,
 * or STOM_EINVAL when in->n is 0 or initial_cash <= 0, when ts or equity is
 * NULL (or trades with n_trades > 0), when ts decreases, when a trade exits
 * before it enters, or when trading_days_per_year, stom_cagr_days_per_year
 * or |utc_offset_minutes| (< 1440) is out of range. Undefined ratios (no
 * losing trade for profit_factor, no variance for Sharpe) are reported as
 * 0, flagged in out->undefined and documented so.
 */
int stom_metrics_compute(const stom_metrics_input *in, stom_metrics *out);
/* Releases what stom_metrics_compute allocated. NULL is a no-op. */
void stom_metrics_free(stom_metrics *m);

#endif
