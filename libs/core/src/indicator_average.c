/*
 * indicator_average.c - simple, exponential and weighted moving averages.
 *
 * SMA and WMA are O(1) per update: they keep running sums of the window and
 * correct them as values enter and leave. Running sums drift (each update
 * rounds, and an inf or NaN would stay in them forever), so both are
 * recomputed from the window every time the ring wraps, which costs period
 * additions every period updates: still O(1) amortized, and the error never
 * spans more than one window. SMA's running sum is also compensated
 * (Neumaier), so between recomputations it is as good as an exact sum.
 *
 * EMA follows TA-Lib: the first value (at bar period-1) is the SMA of the
 * first period inputs, then value += alpha * (x - value).
 */
#include "stom/indicators.h"

#include <math.h>
#include <string.h>

/* ---- SMA ---- */

int stom_sma_init(stom_sma *s, int period)
{
    memset(s, 0, sizeof(*s));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__ring_init(&s->win, period);
    return 0;
}

double stom_sma_update(stom_sma *s, double x)
{
    double old;
    if (stom__ring_push(&s->win, x, &old))
        stom__sum_add(&s->sum, &s->comp, -old);
    stom__sum_add(&s->sum, &s->comp, x);
    /* head is back at 0 exactly when the ring is full and has just wrapped. */
    if (s->win.head == 0) {
        s->sum = stom__sum(s->win.buf, s->win.cap);
        s->comp = 0.0;
    }
    s->ready = s->win.len == s->win.cap;
    return s->ready ? (s->sum + s->comp) / s->win.cap : NAN;
}

void stom_sma_free(stom_sma *s)
{
    if (s != NULL)
        stom__ring_free(&s->win);
}

int stom_sma_batch(const double *in, size_t n, int period, double *out)
{
    stom_sma s;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_sma_init(&s, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_sma_update(&s, in[i]);
    stom_sma_free(&s);
    return 0;
}

/* ---- EMA ---- */

int stom_ema_init_alpha(stom_ema *e, int period, double alpha)
{
    memset(e, 0, sizeof(*e));
    /* Written so that a NaN alpha fails the test too. */
    if (!stom__period_ok(period) || !(alpha > 0.0 && alpha <= 1.0))
        return STOM_EINVAL;
    e->alpha = alpha;
    e->period = period;
    e->value = NAN;
    return 0;
}

int stom_ema_init(stom_ema *e, int period)
{
    return stom_ema_init_alpha(e, period, 2.0 / (period + 1.0));
}

double stom_ema_update(stom_ema *e, double x)
{
    if (e->ready) {
        e->value += e->alpha * (x - e->value);
        return e->value;
    }
    e->seed_sum += x;
    if (++e->count < e->period)
        return NAN;
    e->value = e->seed_sum / e->period;
    e->ready = true;
    return e->value;
}

int stom_ema_batch(const double *in, size_t n, int period, double *out)
{
    stom_ema e;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_ema_init(&e, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_ema_update(&e, in[i]);
    return 0;
}

/* ---- WMA ---- */

int stom_wma_init(stom_wma *w, int period)
{
    memset(w, 0, sizeof(*w));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__ring_init(&w->win, period);
    return 0;
}

/* Recomputes both sums from a full ring whose oldest value is in slot 0. */
static void wma_recompute(stom_wma *w)
{
    double wsum = 0.0, comp = 0.0;
    for (int i = 0; i < w->win.cap; i++)
        stom__sum_add(&wsum, &comp, (i + 1.0) * w->win.buf[i]);
    w->wsum = wsum + comp;
    w->sum = stom__sum(w->win.buf, w->win.cap);
}

double stom_wma_update(stom_wma *w, double x)
{
    int n = w->win.cap;
    double old;
    if (stom__ring_push(&w->win, x, &old)) {
        /* Sliding by one lowers every weight by one (the oldest drops from 1
         * to 0 and leaves) and the newcomer enters with weight n. */
        w->wsum += n * x - w->sum;
        w->sum += x - old;
    } else {
        w->wsum += w->win.len * x;
        w->sum += x;
    }
    if (w->win.head == 0)
        wma_recompute(w);
    w->ready = w->win.len == n;
    return w->ready ? w->wsum / (n * (n + 1.0) / 2.0) : NAN;
}

void stom_wma_free(stom_wma *w)
{
    if (w != NULL)
        stom__ring_free(&w->win);
}

int stom_wma_batch(const double *in, size_t n, int period, double *out)
{
    stom_wma w;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_wma_init(&w, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_wma_update(&w, in[i]);
    stom_wma_free(&w);
    return 0;
}
