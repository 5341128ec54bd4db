/*
 * metrics_stats.c - the small numeric rules every metric follows: running
 * mean/variance, ratios that are 0 (and flagged) when undefined, percent
 * changes and rounded integer averages of money.
 */
#include <math.h>

#include "metrics_internal.h"

void stom__metrics_stats_add(stom__metrics_stats *s, double x)
{
    s->n++;
    double delta = x - s->mean;
    s->mean += delta / (double)s->n;
    s->m2 += delta * (x - s->mean);
}

double stom__metrics_stats_stddev(const stom__metrics_stats *s)
{
    if (s->n < 2 || s->m2 <= 0)
        return 0;
    double sd = sqrt(s->m2 / (double)(s->n - 1));
    /* Equal returns computed from different equities differ only by rounding;
     * a spread that small is no variance, and dividing by it gives nonsense. */
    if (sd <= 1e-9 * fabs(s->mean) + 1e-15)
        return 0;
    return sd;
}

double stom__metrics_ratio(double num, double den, stom_metrics *m, uint32_t bit)
{
    if (den == 0) {
        m->undefined |= bit;
        return 0;
    }
    return stom__metrics_finite(num / den, m, bit);
}

double stom__metrics_finite(double v, stom_metrics *m, uint32_t bit)
{
    if (isfinite(v))
        return v;
    m->undefined |= bit;
    return 0;
}

double stom__metrics_change(int64_t prev, int64_t cur)
{
    if (prev <= 0)
        return 0;
    return (double)cur / (double)prev - 1.0;
}

int64_t stom__metrics_div_round(int64_t num, int64_t den)
{
    int64_t q = num / den, r = num % den;
    int64_t ar = r < 0 ? -r : r;
    /* ar >= den - ar is 2*|r| >= den without the overflow. */
    if (ar != 0 && ar >= den - ar)
        q += num < 0 ? -1 : 1;
    return q;
}
