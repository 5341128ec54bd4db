/*
 * indicator_band.c - MACD and Bollinger bands, the two indicators built from
 * a moving average plus something around it.
 *
 * MACD follows TA-Lib's alignment: the fast EMA is fed only from bar
 * slow-fast on, so that both EMAs produce their SMA seed on the same bar
 * (slow-1). Starting the fast EMA at bar 0 instead would give different
 * numbers for the first few hundred bars, and backtests compared with
 * TA-Lib would disagree.
 *
 * Bollinger bands keep the window's mean and sum of squared deviations (M2)
 * and update both in O(1) when a value replaces the oldest (the sliding form
 * of Welford's method, which does not cancel catastrophically the way
 * sum-of-squares minus square-of-sum does on prices near 70,000 that move by
 * 10). Like the SMA, both are recomputed from the window every time the ring
 * wraps, so rounding never accumulates past one window.
 */
#include "stom/indicators.h"

#include <math.h>
#include <string.h>

/* ---- MACD ---- */

int stom_macd_init(stom_macd *m, int fast, int slow, int signal)
{
    memset(m, 0, sizeof(*m));
    if (!stom__period_ok(fast) || !stom__period_ok(slow) || !stom__period_ok(signal) ||
        fast >= slow)
        return STOM_EINVAL;
    stom_ema_init(&m->fast, fast);
    stom_ema_init(&m->slow, slow);
    stom_ema_init(&m->signal, signal);
    m->fast_delay = slow - fast;
    return 0;
}

stom_macd_value stom_macd_update(stom_macd *m, double x)
{
    stom_macd_value v = {NAN, NAN, NAN};
    double fast = NAN;
    double slow = stom_ema_update(&m->slow, x);
    if (m->fast_delay > 0)
        m->fast_delay--;
    else
        fast = stom_ema_update(&m->fast, x);
    if (!m->slow.ready)
        return v;
    v.macd = fast - slow;
    v.signal = stom_ema_update(&m->signal, v.macd);
    m->ready = m->signal.ready;
    if (m->ready)
        v.hist = v.macd - v.signal;
    return v;
}

int stom_macd_batch(const double *in, size_t n, int fast, int slow, int signal, double *macd,
                    double *signal_out, double *hist)
{
    stom_macd m;
    if (n > 0 && in == NULL)
        return STOM_EINVAL;
    int rc = stom_macd_init(&m, fast, slow, signal);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        stom_macd_value v = stom_macd_update(&m, in[i]);
        if (macd != NULL)
            macd[i] = v.macd;
        if (signal_out != NULL)
            signal_out[i] = v.signal;
        if (hist != NULL)
            hist[i] = v.hist;
    }
    return 0;
}

/* ---- Bollinger bands ---- */

int stom_bollinger_init(stom_bollinger *b, int period, double k)
{
    memset(b, 0, sizeof(*b));
    if (!stom__period_ok(period) || !isfinite(k) || k < 0.0)
        return STOM_EINVAL;
    stom__ring_init(&b->win, period);
    b->k = k;
    return 0;
}

/* Exact two-pass mean and M2 of a full window. */
static void bollinger_recompute(stom_bollinger *b)
{
    int n = b->win.cap;
    double mean = stom__sum(b->win.buf, n) / n;
    double m2 = 0.0, comp = 0.0;
    for (int i = 0; i < n; i++) {
        double d = b->win.buf[i] - mean;
        stom__sum_add(&m2, &comp, d * d);
    }
    b->mean = mean;
    b->m2 = m2 + comp;
}

stom_bollinger_value stom_bollinger_update(stom_bollinger *b, double x)
{
    stom_bollinger_value v = {NAN, NAN, NAN};
    double old;
    if (stom__ring_push(&b->win, x, &old)) {
        double mean = b->mean + (x - old) / b->win.cap;
        b->m2 += (x - old) * (x - mean + old - b->mean);
        b->mean = mean;
    } else {
        double d = x - b->mean;
        b->mean += d / b->win.len;
        b->m2 += d * (x - b->mean);
    }
    if (b->win.head == 0)
        bollinger_recompute(b);
    b->ready = b->win.len == b->win.cap;
    if (!b->ready)
        return v;
    /* Rounding can leave M2 a hair below zero on a flat window. */
    double width = b->k * sqrt(fmax(b->m2, 0.0) / b->win.cap);
    v.middle = b->mean;
    v.upper = b->mean + width;
    v.lower = b->mean - width;
    return v;
}

void stom_bollinger_free(stom_bollinger *b)
{
    if (b != NULL)
        stom__ring_free(&b->win);
}

int stom_bollinger_batch(const double *in, size_t n, int period, double k, double *upper,
                         double *middle, double *lower)
{
    stom_bollinger b;
    if (n > 0 && in == NULL)
        return STOM_EINVAL;
    int rc = stom_bollinger_init(&b, period, k);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        stom_bollinger_value v = stom_bollinger_update(&b, in[i]);
        if (upper != NULL)
            upper[i] = v.upper;
        if (middle != NULL)
            middle[i] = v.middle;
        if (lower != NULL)
            lower[i] = v.lower;
    }
    stom_bollinger_free(&b);
    return 0;
}
