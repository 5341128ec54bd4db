/*
 * indicator_volume.c - indicators that weigh price by volume: on-balance
 * volume, money flow index and VWAP.
 *
 * OBV starts at the first bar's volume (TA-Lib) and adds or subtracts each
 * later bar's volume by the sign of the close-to-close change.
 *
 * MFI keeps the last period positive and negative money flows (typical price
 * times volume, by the sign of the typical-price change; an unchanged typical
 * price is neither) in two rings with compensated running sums, recomputed
 * whenever the rings wrap like the SMA's. A window without any flow (no
 * volume, or an unchanged price) reads 50 where TA-Lib reads 0; see
 * indicator_oscillator.c for why.
 *
 * VWAP accumulates typical price times volume since the caller's last
 * session start; the caller knows the calendar (KRX sessions, a crypto UTC
 * day), so the reset is a flag per bar rather than a rule in here.
 */
#include "stom/indicators.h"

#include <math.h>
#include <string.h>

static double typical_price(double high, double low, double close)
{
    return (high + low + close) / 3.0;
}

/* ---- OBV ---- */

void stom_obv_init(stom_obv *o)
{
    memset(o, 0, sizeof(*o));
}

double stom_obv_update(stom_obv *o, double close, double volume)
{
    if (!o->ready)
        o->value = volume;
    else if (close > o->prev_close)
        o->value += volume;
    else if (close < o->prev_close)
        o->value -= volume;
    o->prev_close = close;
    o->ready = true;
    return o->value;
}

int stom_obv_batch(const double *close, const double *volume, size_t n, double *out)
{
    stom_obv o;
    if (n > 0 && (close == NULL || volume == NULL || out == NULL))
        return STOM_EINVAL;
    stom_obv_init(&o);
    for (size_t i = 0; i < n; i++)
        out[i] = stom_obv_update(&o, close[i], volume[i]);
    return 0;
}

/* ---- MFI ---- */

int stom_mfi_init(stom_mfi *m, int period)
{
    memset(m, 0, sizeof(*m));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__ring_init(&m->pos, period);
    stom__ring_init(&m->neg, period);
    return 0;
}

/* Pushes one flow into ring r and its compensated sum (*sum, *comp). */
static void mfi_push(stom__ring *r, double *sum, double *comp, double flow)
{
    double old;
    if (stom__ring_push(r, flow, &old))
        stom__sum_add(sum, comp, -old);
    stom__sum_add(sum, comp, flow);
    if (r->head == 0) {
        *sum = stom__sum(r->buf, r->cap);
        *comp = 0.0;
    }
}

double stom_mfi_update(stom_mfi *m, double high, double low, double close, double volume)
{
    double tp = typical_price(high, low, close);
    double prev = m->prev_tp;
    bool had_prev = m->has_prev;
    m->prev_tp = tp;
    m->has_prev = true;
    if (!had_prev)
        return NAN;
    double flow = tp * volume;
    mfi_push(&m->pos, &m->pos_sum, &m->pos_comp, tp > prev ? flow : 0.0);
    mfi_push(&m->neg, &m->neg_sum, &m->neg_comp, tp < prev ? flow : 0.0);
    m->ready = m->pos.len == m->pos.cap;
    if (!m->ready)
        return NAN;
    /* Sums of non-negative flows; rounding must not make them negative. */
    double pos = fmax(m->pos_sum + m->pos_comp, 0.0);
    double neg = fmax(m->neg_sum + m->neg_comp, 0.0);
    return pos + neg > 0.0 ? 100.0 * pos / (pos + neg) : 50.0;
}

void stom_mfi_free(stom_mfi *m)
{
    if (m == NULL)
        return;
    stom__ring_free(&m->pos);
    stom__ring_free(&m->neg);
}

int stom_mfi_batch(const double *high, const double *low, const double *close, const double *volume,
                   size_t n, int period, double *out)
{
    stom_mfi m;
    if (n > 0 && (high == NULL || low == NULL || close == NULL || volume == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_mfi_init(&m, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_mfi_update(&m, high[i], low[i], close[i], volume[i]);
    stom_mfi_free(&m);
    return 0;
}

/* ---- VWAP ---- */

void stom_vwap_init(stom_vwap *v)
{
    memset(v, 0, sizeof(*v));
}

double stom_vwap_update(stom_vwap *v, double high, double low, double close, double volume,
                        bool new_session)
{
    if (new_session) {
        v->pv = 0.0;
        v->volume = 0.0;
    }
    v->pv += typical_price(high, low, close) * volume;
    v->volume += volume;
    v->ready = v->volume > 0.0;
    return v->ready ? v->pv / v->volume : NAN;
}

int stom_vwap_batch(const double *high, const double *low, const double *close,
                    const double *volume, const bool *new_session, size_t n, double *out)
{
    stom_vwap v;
    if (n > 0 && (high == NULL || low == NULL || close == NULL || volume == NULL || out == NULL))
        return STOM_EINVAL;
    stom_vwap_init(&v);
    for (size_t i = 0; i < n; i++) {
        bool reset = new_session != NULL && new_session[i];
        out[i] = stom_vwap_update(&v, high[i], low[i], close[i], volume[i], reset);
    }
    return 0;
}
