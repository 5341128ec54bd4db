/*
 * metrics_monthly.c - the monthly returns table (the report's heatmap).
 *
 * One row per calendar month at utc_offset_minutes that has at least one
 * point, in time order. A month's return compares its last point's equity
 * with the previous row's last point (initial_cash for the first row), so a
 * month without data gets no row and the next row spans the gap: no
 * return is invented for a month the series never saw.
 */
#include "metrics_internal.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

void stom__metrics_monthly(const stom_metrics_input *in, const stom__metrics_days *days,
                           stom_metrics *m)
{
    m->monthly = stom_xcalloc(days->n, sizeof(*m->monthly));
    int64_t prev_close = in->initial_cash;
    for (size_t k = 0; k < days->n; k++) {
        int32_t month = days->date[k] / 100;
        if (k + 1 < days->n && days->date[k + 1] / 100 == month)
            continue;
        int64_t close = in->equity[days->last[k]];
        stom_monthly_return *row = &m->monthly[m->n_monthly++];
        row->year = month / 100;
        row->month = month % 100;
        row->return_pct = stom__metrics_change(prev_close, close) * 100.0;
        prev_close = close;
    }
}
