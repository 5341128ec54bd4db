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
    return in->n > 0 && in->ts != NULL && in->equity != NULL && trades_valid(in);
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

static void add_day(stom__metrics_days *d, size_t *cap, size_t last, int32_t date)
{
    if (d->n == *cap) {
        *cap *= 2;
        d->last = stom_xrealloc(d->last, *cap * sizeof *d->last);
        d->date = stom_xrealloc(d->date, *cap * sizeof *d->date);
    }
    d->last[d->n] = last;
    d->date[d->n++] = date;
}

/*
 * One pass over the points (a backtest's series are millions long): checks
 * that ts never goes back, finds the last point of each calendar day, and
 * counts the exposure. Exposure counts points (bars), not seconds: see
 * docs/metrics.md. Returns false, with d freed, when ts goes back.
 */
static bool scan_points(const stom_metrics_input *in, stom__metrics_days *d, stom_metrics *m)
{
    size_t cap = 64, held = 0;
    int max_positions = 0;
    d->n = 0;
    d->last = stom_xmalloc(cap * sizeof *d->last);
    d->date = stom_xmalloc(cap * sizeof *d->date);
    stom_day_cursor c;
    stom_day_cursor_init(&c, in->utc_offset_minutes);
    int32_t day = stom_day_cursor_date(&c, in->ts[0]);
    for (size_t i = 0; i + 1 < in->n; i++) {
        if (in->ts[i + 1] < in->ts[i]) {
            stom__metrics_days_free(d);
            return false;
        }
        int32_t next = stom_day_cursor_date(&c, in->ts[i + 1]);
        if (next != day) {
            add_day(d, &cap, i, day);
            day = next;
        }
    }
    add_day(d, &cap, in->n - 1, day);
    if (in->positions == NULL) {
        m->undefined |= STOM_METRIC_UNDEF_EXPOSURE;
        return true;
    }
    for (size_t i = 0; i < in->n; i++) {
        held += in->positions[i] > 0;
        max_positions = in->positions[i] > max_positions ? in->positions[i] : max_positions;
    }
    m->max_concurrent_positions = max_positions;
    m->exposure_pct = (double)held / (double)in->n * 100.0;
    return true;
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
    if (!scan_points(in, &days, out)) {
        memset(out, 0, sizeof(*out));
        return STOM_EINVAL;
    }
    compute_context(in, out);
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
