/*
 * metrics.c - the backtest report's numbers (stom/metrics.h): input
 * validation, the context of the run (period, equity, exposure) and the
 * order in which the other metrics*.c parts run.
 *
 * Conventions shared by every part (docs/metrics.md has the formulas):
 * - The equity series opens with a virtual point (start_ts, initial_cash):
 *   the running peak, the first daily return and the first monthly return
 *   are measured from initial_cash, so costs of the first step count.
 * - Days and months are calendar dates at utc_offset_minutes.
 * - Money stays int64; statistics are doubles. A ratio whose denominator is
 *   0 (or whose value is not finite) is reported as 0 with its
 *   STOM_METRIC_UNDEF_* bit set, so JSON output stays finite and a report
 *   can still say "n/a".
 */
#include "stom/metrics.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_internal.h"
#include "stom/alloc.h"
#include "stom/error.h"
#include "stom/timeutil.h"

static bool series_valid(const stom_metrics_input *in)
{
    if (in->n == 0 || in->ts == NULL || in->equity == NULL)
        return false;
    for (size_t i = 1; i < in->n; i++) {
        if (in->ts[i] < in->ts[i - 1])
            return false;
    }
    return true;
}

static bool trades_valid(const stom_metrics_input *in)
{
    if (in->n_trades > 0 && in->trades == NULL)
        return false;
    for (size_t i = 0; i < in->n_trades; i++) {
        if (in->trades[i].exit_ts < in->trades[i].entry_ts)
            return false;
    }
    return true;
}

static bool input_valid(const stom_metrics_input *in)
{
    if (in->initial_cash <= 0 || in->trading_days_per_year <= 0 || in->stom_cagr_days_per_year <= 0)
        return false;
    if (in->utc_offset_minutes <= -1440 || in->utc_offset_minutes >= 1440)
        return false;
    return series_valid(in) && trades_valid(in);
}

static void compute_context(const stom_metrics_input *in, stom_metrics *m)
{
    m->start_ts = in->ts[0];
    m->end_ts = in->ts[in->n - 1];
    m->duration_days = (double)(m->end_ts - m->start_ts) / STOM__SECONDS_PER_DAY;
    int off = in->utc_offset_minutes;
    m->calendar_days = stom_days_of_date(stom_date_of(m->end_ts, off)) -
                       stom_days_of_date(stom_date_of(m->start_ts, off)) + 1;
    m->initial_cash = in->initial_cash;
    m->final_equity = in->equity[in->n - 1];
    m->net_profit = m->final_equity - m->initial_cash;
    m->total_return_pct = (double)m->net_profit / (double)m->initial_cash * 100.0;
    m->fees = in->fees_total;
    m->taxes = in->taxes_total;
    m->buy_hold_return_pct = in->buy_hold_return_pct;
}

/* Exposure counts points (bars), not seconds: see docs/metrics.md. */
static void compute_exposure(const stom_metrics_input *in, stom_metrics *m)
{
    if (in->positions == NULL) {
        m->undefined |= STOM_METRIC_UNDEF_EXPOSURE;
        return;
    }
    size_t held = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (in->positions[i] > 0)
            held++;
        if (in->positions[i] > m->max_concurrent_positions)
            m->max_concurrent_positions = in->positions[i];
    }
    m->exposure_pct = (double)held / (double)in->n * 100.0;
}

void stom__metrics_days_build(const stom_metrics_input *in, stom__metrics_days *d)
{
    size_t cap = 64;
    d->n = 0;
    d->last = stom_xmalloc(cap * sizeof *d->last);
    d->date = stom_xmalloc(cap * sizeof *d->date);
    stom_day_cursor c;
    stom_day_cursor_init(&c, in->utc_offset_minutes);
    int32_t day = stom_day_cursor_date(&c, in->ts[0]);
    for (size_t i = 0; i < in->n; i++) {
        int32_t next = i + 1 < in->n ? stom_day_cursor_date(&c, in->ts[i + 1]) : 0;
        if (next == day)
            continue;
        if (d->n == cap) {
            cap *= 2;
            d->last = stom_xrealloc(d->last, cap * sizeof *d->last);
            d->date = stom_xrealloc(d->date, cap * sizeof *d->date);
        }
        d->last[d->n] = i;
        d->date[d->n++] = day;
        day = next;
    }
}

void stom__metrics_days_free(stom__metrics_days *d)
{
    free(d->last);
    free(d->date);
}

int stom_metrics_compute(const stom_metrics_input *in, stom_metrics *out)
{
    if (out == NULL)
        return STOM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (in == NULL || !input_valid(in))
        return STOM_EINVAL;
    stom__metrics_days days;
    stom__metrics_days_build(in, &days);
    compute_context(in, out);
    compute_exposure(in, out);
    stom__metrics_drawdown(in, out); /* also sets peak_equity */
    stom__metrics_returns(in, &days, out);
    stom__metrics_trades(in, out);
    stom__metrics_monthly(in, &days, out);
    stom__metrics_days_free(&days);
    return 0;
}

void stom_metrics_free(stom_metrics *m)
{
    if (m == NULL)
        return;
    free(m->monthly);
    free(m->drawdown_pct);
    m->monthly = NULL;
    m->n_monthly = 0;
    m->drawdown_pct = NULL;
    m->n_drawdown = 0;
}
