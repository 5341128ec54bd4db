/*
 * indicator_oscillator.c - bounded oscillators: RSI, stochastic, Williams %R,
 * and the (unbounded) CCI.
 *
 * RSI uses Wilder's smoothing seeded the TA-Lib way: the first average gain
 * and loss (at bar period) are the plain means of the first period changes,
 * then avg += (x - avg) / period. The stochastic and %R ranges come from
 * the O(1) highest/lowest deques.
 *
 * Degenerate windows: when an oscillator's denominator is zero (no gains and
 * no losses, or high == low over the whole range) there is no position to
 * report. TA-Lib returns 0 (RSI 0, %K 0, %R 0), which reads as an extreme
 * and fires "oversold" rules on a halted or limit-locked stock. stom returns
 * the midpoint instead (50, or -50 for %R) so that threshold rules stay
 * quiet. CCI's zero deviation gives 0, which already is its midpoint.
 */
#include "stom/indicators.h"

#include <math.h>
#include <string.h>

/* ---- RSI ---- */

int stom_rsi_init(stom_rsi *r, int period)
{
    memset(r, 0, sizeof(*r));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom_ema_init_alpha(&r->gain, period, 1.0 / period);
    stom_ema_init_alpha(&r->loss, period, 1.0 / period);
    return 0;
}

double stom_rsi_update(stom_rsi *r, double x)
{
    if (!r->has_prev) {
        r->has_prev = true;
        r->prev = x;
        return NAN;
    }
    double d = x - r->prev;
    r->prev = x;
    double gain = stom_ema_update(&r->gain, d > 0.0 ? d : 0.0);
    double loss = stom_ema_update(&r->loss, d < 0.0 ? -d : 0.0);
    r->ready = r->gain.ready;
    if (!r->ready)
        return NAN;
    double total = gain + loss;
    return total > 0.0 ? 100.0 * gain / total : 50.0;
}

int stom_rsi_batch(const double *in, size_t n, int period, double *out)
{
    stom_rsi r;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_rsi_init(&r, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_rsi_update(&r, in[i]);
    return 0;
}

/* ---- Stochastic ---- */

int stom_stochastic_init(stom_stochastic *s, int k_period, int k_smooth, int d_period)
{
    memset(s, 0, sizeof(*s));
    if (!stom__period_ok(k_period) || !stom__period_ok(k_smooth) || !stom__period_ok(d_period))
        return STOM_EINVAL;
    stom_highest_init(&s->hh, k_period);
    stom_lowest_init(&s->ll, k_period);
    stom_sma_init(&s->k_avg, k_smooth);
    stom_sma_init(&s->d_avg, d_period);
    return 0;
}

stom_stochastic_value stom_stochastic_update(stom_stochastic *s, double high, double low,
                                             double close)
{
    stom_stochastic_value v = {NAN, NAN};
    double hi = stom_highest_update(&s->hh, high);
    double lo = stom_lowest_update(&s->ll, low);
    if (!s->hh.ready)
        return v;
    double raw = hi > lo ? 100.0 * (close - lo) / (hi - lo) : 50.0;
    double k = stom_sma_update(&s->k_avg, raw);
    if (!s->k_avg.ready)
        return v;
    v.k = k;
    double d = stom_sma_update(&s->d_avg, k);
    s->ready = s->d_avg.ready;
    if (s->ready)
        v.d = d;
    return v;
}

void stom_stochastic_free(stom_stochastic *s)
{
    if (s == NULL)
        return;
    stom_highest_free(&s->hh);
    stom_lowest_free(&s->ll);
    stom_sma_free(&s->k_avg);
    stom_sma_free(&s->d_avg);
}

int stom_stochastic_batch(const double *high, const double *low, const double *close, size_t n,
                          int k_period, int k_smooth, int d_period, double *k, double *d)
{
    stom_stochastic s;
    if (n > 0 && (high == NULL || low == NULL || close == NULL))
        return STOM_EINVAL;
    int rc = stom_stochastic_init(&s, k_period, k_smooth, d_period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        stom_stochastic_value v = stom_stochastic_update(&s, high[i], low[i], close[i]);
        if (k != NULL)
            k[i] = v.k;
        if (d != NULL)
            d[i] = v.d;
    }
    stom_stochastic_free(&s);
    return 0;
}

/* ---- Williams %R ---- */

int stom_williams_r_init(stom_williams_r *w, int period)
{
    memset(w, 0, sizeof(*w));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom_highest_init(&w->hh, period);
    stom_lowest_init(&w->ll, period);
    return 0;
}

double stom_williams_r_update(stom_williams_r *w, double high, double low, double close)
{
    double hi = stom_highest_update(&w->hh, high);
    double lo = stom_lowest_update(&w->ll, low);
    w->ready = w->hh.ready;
    if (!w->ready)
        return NAN;
    return hi > lo ? -100.0 * (hi - close) / (hi - lo) : -50.0;
}

void stom_williams_r_free(stom_williams_r *w)
{
    if (w == NULL)
        return;
    stom_highest_free(&w->hh);
    stom_lowest_free(&w->ll);
}

int stom_williams_r_batch(const double *high, const double *low, const double *close, size_t n,
                          int period, double *out)
{
    stom_williams_r w;
    if (n > 0 && (high == NULL || low == NULL || close == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_williams_r_init(&w, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_williams_r_update(&w, high[i], low[i], close[i]);
    stom_williams_r_free(&w);
    return 0;
}

/* ---- CCI ---- */

int stom_cci_init(stom_cci *c, int period)
{
    memset(c, 0, sizeof(*c));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__ring_init(&c->win, period);
    return 0;
}

double stom_cci_update(stom_cci *c, double high, double low, double close)
{
    double tp = (high + low + close) / 3.0;
    double old;
    stom__ring_push(&c->win, tp, &old);
    c->ready = c->win.len == c->win.cap;
    if (!c->ready)
        return NAN;
    /* The mean absolute deviation needs every value against the current
     * mean, so this is O(period) per update whatever we do; the mean is
     * recomputed in the same pass budget and never drifts. */
    int n = c->win.cap;
    double mean = stom__sum(c->win.buf, n) / n;
    double dev = 0.0, comp = 0.0;
    for (int i = 0; i < n; i++)
        stom__sum_add(&dev, &comp, fabs(c->win.buf[i] - mean));
    double mad = (dev + comp) / n;
    return mad > 0.0 ? (tp - mean) / (0.015 * mad) : 0.0;
}

void stom_cci_free(stom_cci *c)
{
    if (c != NULL)
        stom__ring_free(&c->win);
}

int stom_cci_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *out)
{
    stom_cci c;
    if (n > 0 && (high == NULL || low == NULL || close == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_cci_init(&c, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_cci_update(&c, high[i], low[i], close[i]);
    stom_cci_free(&c);
    return 0;
}
