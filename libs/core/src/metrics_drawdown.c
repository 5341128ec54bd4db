/*
 * metrics_drawdown.c - peak-to-trough losses of the equity series.
 *
 * The running peak starts at initial_cash (the virtual opening point at
 * start_ts) and moves to every point whose equity reaches it, so a
 * drawdown period runs from the last time equity stood at its peak until
 * the first point that regains the peak; an unrecovered period runs until
 * end_ts. The max drawdown in percent and in cash are tracked separately:
 * the largest loss in won can come from a later, larger-equity drawdown
 * than the largest loss in percent.
 */
#include <stdbool.h>

#include "metrics_internal.h"
#include "stom/alloc.h"

typedef struct drawdown_walk {
    int64_t peak, peak_ts;
    int64_t trough; /* lowest equity since the peak: only a new low can set a record */
    bool in_drawdown;
    size_t periods;
    double sum_days;
} drawdown_walk;

static void end_period(drawdown_walk *w, int64_t ts, stom_metrics *m)
{
    double days = (double)(ts - w->peak_ts) / STOM__SECONDS_PER_DAY;
    if (days > m->max_drawdown_duration_days)
        m->max_drawdown_duration_days = days;
    w->sum_days += days;
    w->periods++;
    w->in_drawdown = false;
}

/*
 * For one peak the loss grows as equity falls, so only a point below the
 * period's trough can beat the records: the others skip the division.
 */
static void below_peak(drawdown_walk *w, int64_t equity, int64_t ts, stom_metrics *m)
{
    w->in_drawdown = true;
    if (equity >= w->trough)
        return;
    w->trough = equity;
    int64_t amount = w->peak - equity;
    double pct = (double)amount / (double)w->peak * 100.0;
    if (pct > m->max_drawdown_pct) {
        m->max_drawdown_pct = pct;
        m->max_drawdown_peak_ts = w->peak_ts;
        m->max_drawdown_trough_ts = ts;
    }
    if (amount > m->max_drawdown_amount)
        m->max_drawdown_amount = amount;
}

void stom__metrics_drawdown(const stom_metrics_input *in, stom_metrics *m)
{
    drawdown_walk w = {.peak = in->initial_cash, .peak_ts = in->ts[0], .trough = in->initial_cash};
    if (!in->skip_drawdown_series) {
        m->drawdown_pct = stom_xmalloc(in->n * sizeof(*m->drawdown_pct));
        m->n_drawdown = in->n;
    }
    for (size_t i = 0; i < in->n; i++) {
        int64_t equity = in->equity[i], ts = in->ts[i];
        if (equity >= w.peak) {
            if (w.in_drawdown)
                end_period(&w, ts, m);
            w.peak = w.trough = equity;
            w.peak_ts = ts;
        } else {
            below_peak(&w, equity, ts, m);
        }
        /* The peak is always >= initial_cash > 0, so the division is safe. */
        if (m->drawdown_pct != NULL)
            m->drawdown_pct[i] = -(double)(w.peak - equity) / (double)w.peak * 100.0;
    }
    if (w.in_drawdown)
        end_period(&w, m->end_ts, m);
    /* The running peak never falls and starts at initial_cash: it ends as the peak equity. */
    m->peak_equity = w.peak;
    if (w.periods > 0)
        m->avg_drawdown_duration_days = w.sum_days / (double)w.periods;
}
