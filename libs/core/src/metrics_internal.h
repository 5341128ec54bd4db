/*
 * metrics_internal.h - what the metrics*.c files share (not installed).
 *
 * stom_metrics_compute (metrics.c) validates the input and runs the parts
 * in order: context, drawdown, returns (needs the max drawdown for Calmar),
 * trades (needs trading_days for ATC), monthly. Each part writes only its
 * own fields of stom_metrics.
 *
 * Thread-safety: pure functions.
 */
#ifndef STOM_METRICS_INTERNAL_H
#define STOM_METRICS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "stom/metrics.h"

#define STOM__SECONDS_PER_DAY 86400.0

/* Running mean and variance (Welford): stable for long series. */
typedef struct stom__metrics_stats {
    size_t n;
    double mean, m2;
} stom__metrics_stats;

void stom__metrics_stats_add(stom__metrics_stats *s, double x);
/* Sample standard deviation (n - 1); 0 with fewer than 2 values or rounding noise. */
double stom__metrics_stats_stddev(const stom__metrics_stats *s);

/* num / den, or 0 with bit set in m->undefined when den is 0 or the result is not finite. */
double stom__metrics_ratio(double num, double den, stom_metrics *m, uint32_t bit);
/* v, or 0 with bit set in m->undefined when v is not finite. */
double stom__metrics_finite(double v, stom_metrics *m, uint32_t bit);
/* cur / prev - 1 as a fraction; 0 when prev <= 0 (no base to measure from). */
double stom__metrics_change(int64_t prev, int64_t cur);
/* num / den rounded to the nearest integer, halves away from zero; den > 0. */
int64_t stom__metrics_div_round(int64_t num, int64_t den);

/*
 * The last point of each calendar day at utc_offset_minutes, found in one
 * pass: daily returns and the monthly table read days, not points.
 */
typedef struct stom__metrics_days {
    size_t n;
    size_t *last;  /* owned: index of the day's last point */
    int32_t *date; /* owned: YYYYMMDD of that day */
} stom__metrics_days;

void stom__metrics_days_free(stom__metrics_days *d);

/* Max drawdown (% and amount), its dates, durations and the drawdown series. */
void stom__metrics_drawdown(const stom_metrics_input *in, stom_metrics *m);
/* trading_days, CAGRs, daily-return statistics, Sharpe, Sortino and Calmar. */
void stom__metrics_returns(const stom_metrics_input *in, const stom__metrics_days *days,
                           stom_metrics *m);
/* Everything computed from the closed trades, and ATC. */
void stom__metrics_trades(const stom_metrics_input *in, stom_metrics *m);
/* The month-end to month-end table. */
void stom__metrics_monthly(const stom_metrics_input *in, const stom__metrics_days *days,
                           stom_metrics *m);

#endif
