/*
 * metrics_returns.c - growth of the equity: the two CAGRs and the
 * statistics of daily returns (annual return and volatility, Sharpe,
 * Sortino) plus Calmar.
 *
 * Daily returns: the series is resampled to its last point of each
 * calendar day at utc_offset_minutes; the first day is measured from
 * initial_cash, every later day from the previous day's close, so there are
 * trading_days returns. Days without a point are not days of the series
 * (a weekend is no zero-return day). Annualization uses
 * trading_days_per_year (N): annual return compounds the geometric mean
 * daily return N times, volatility is the sample stddev times sqrt(N).
 */
#include <math.h>
#include <stdbool.h>

#include "metrics_internal.h"
#include "stom/timeutil.h"

typedef struct daily_returns {
    stom__metrics_stats stats;
    double downside_sq; /* sum of squared negative returns (target 0) */
    double log_growth;  /* sum of log(1 + r) */
    bool wiped_out;     /* a day ended with equity <= 0 */
} daily_returns;

static void add_day(daily_returns *d, int64_t prev_close, int64_t close)
{
    double r = stom__metrics_change(prev_close, close);
    stom__metrics_stats_add(&d->stats, r);
    if (r < 0)
        d->downside_sq += r * r;
    if (close <= 0)
        d->wiped_out = true;
    else
        d->log_growth += log1p(r);
}

static void collect_days(const stom_metrics_input *in, const stom__metrics_days *days,
                         daily_returns *d)
{
    int64_t prev_close = in->initial_cash;
    for (size_t k = 0; k < days->n; k++) {
        int64_t close = in->equity[days->last[k]];
        add_day(d, prev_close, close);
        prev_close = close;
    }
}

static void annualize(const daily_returns *d, int per_year, stom_metrics *m)
{
    double days = (double)d->stats.n;
    double sqrt_n = sqrt((double)per_year);
    if (d->wiped_out)
        m->annual_return_pct = -100.0;
    else
        m->annual_return_pct = stom__metrics_finite(expm1(d->log_growth * per_year / days) * 100.0,
                                                    m, STOM_METRIC_UNDEF_ANNUAL_RETURN);
    double sd = stom__metrics_stats_stddev(&d->stats);
    if (d->stats.n < 2)
        m->undefined |= STOM_METRIC_UNDEF_VOLATILITY;
    m->annual_volatility_pct = sd * sqrt_n * 100.0;
    m->sharpe = stom__metrics_ratio(d->stats.mean, sd, m, STOM_METRIC_UNDEF_SHARPE) * sqrt_n;
    double downside = sqrt(d->downside_sq / days);
    m->sortino =
        stom__metrics_ratio(d->stats.mean, downside, m, STOM_METRIC_UNDEF_SORTINO) * sqrt_n;
}

static void growth_rates(const stom_metrics_input *in, stom_metrics *m)
{
    double days = (double)m->calendar_days;
    if (m->final_equity <= 0) {
        m->cagr_pct = -100.0;
    } else {
        double growth = (double)m->final_equity / (double)m->initial_cash;
        m->cagr_pct = stom__metrics_finite((pow(growth, 365.25 / days) - 1.0) * 100.0, m,
                                           STOM_METRIC_UNDEF_CAGR);
    }
    m->stom_cagr_pct = m->total_return_pct / days * in->stom_cagr_days_per_year;
}

void stom__metrics_returns(const stom_metrics_input *in, const stom__metrics_days *days,
                           stom_metrics *m)
{
    daily_returns d = {0};
    collect_days(in, days, &d);
    m->trading_days = d.stats.n;
    annualize(&d, in->trading_days_per_year, m);
    growth_rates(in, m);
    if (m->undefined & STOM_METRIC_UNDEF_CAGR)
        m->undefined |= STOM_METRIC_UNDEF_CALMAR;
    else
        m->calmar =
            stom__metrics_ratio(m->cagr_pct, m->max_drawdown_pct, m, STOM_METRIC_UNDEF_CALMAR);
}
