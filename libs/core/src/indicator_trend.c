/*
 * indicator_trend.c - true range, ATR and ADX (+DI/-DI), all Wilder-smoothed
 * and aligned with TA-Lib so that backtests can be checked against it.
 *
 * The first bar has no previous close, so the first true range and the first
 * directional movement are on bar 1.
 *
 * ATR: the mean of the first period true ranges (bar period), then
 * atr += (tr - atr) / period.
 *
 * ADX works on Wilder *sums* rather than averages (the ratio +DM/TR is the
 * same): the sums start as plain sums of the first period-1 movements, and
 * from bar period on each bar does s = s - s/period + x and yields +DI, -DI
 * and DX. ADX is the mean of the first period DX values (bar 2*period-1),
 * then adx = (adx * (period-1) + dx) / period. A bar whose smoothed true
 * range or DI sum is zero has no direction: its DI and DX read 0; during the
 * seed it counts as a DX of 0, afterwards it leaves ADX unchanged (both as
 * in TA-Lib, which however tests "zero" with an absolute 1e-8 where stom
 * tests exact zero, as prices may be in any unit).
 */
#include "stom/indicators.h"

#include <math.h>
#include <string.h>

double stom_true_range(double high, double low, double prev_close)
{
    double range = high - low;
    double up = fabs(high - prev_close);
    double down = fabs(low - prev_close);
    return fmax(range, fmax(up, down));
}

/* ---- ATR ---- */

int stom_atr_init(stom_atr *a, int period)
{
    memset(a, 0, sizeof(*a));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom_ema_init_alpha(&a->avg, period, 1.0 / period);
    return 0;
}

double stom_atr_update(stom_atr *a, double high, double low, double close)
{
    double prev = a->prev_close;
    bool had_prev = a->has_prev;
    a->prev_close = close;
    a->has_prev = true;
    if (!had_prev)
        return NAN;
    double atr = stom_ema_update(&a->avg, stom_true_range(high, low, prev));
    a->ready = a->avg.ready;
    return atr;
}

int stom_atr_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *out)
{
    stom_atr a;
    if (n > 0 && (high == NULL || low == NULL || close == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_atr_init(&a, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_atr_update(&a, high[i], low[i], close[i]);
    return 0;
}

/* ---- ADX ---- */

int stom_adx_init(stom_adx *a, int period)
{
    memset(a, 0, sizeof(*a));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    a->period = period;
    a->adx = NAN;
    return 0;
}

/* Fills v's DI and DX from the current sums; returns false when undefined. */
static bool adx_direction(const stom_adx *a, stom_adx_value *v)
{
    v->plus_di = v->minus_di = v->dx = 0.0;
    if (a->tr_sum == 0.0)
        return false;
    v->plus_di = 100.0 * a->plus_sum / a->tr_sum;
    v->minus_di = 100.0 * a->minus_sum / a->tr_sum;
    double di_sum = v->plus_di + v->minus_di;
    if (di_sum == 0.0)
        return false;
    v->dx = 100.0 * fabs(v->plus_di - v->minus_di) / di_sum;
    return true;
}

/* Takes bar i's DX into the ADX: seed mean up to bar 2n-1, Wilder after. */
static void adx_take_dx(stom_adx *a, int64_t i, double dx, bool defined)
{
    int n = a->period;
    if (i < 2 * (int64_t)n - 1) {
        a->dx_sum += dx;
        return;
    }
    if (i == 2 * (int64_t)n - 1) {
        a->adx = (a->dx_sum + dx) / n;
        a->ready = true;
    } else if (defined) {
        a->adx = (a->adx * (n - 1) + dx) / n;
    }
}

stom_adx_value stom_adx_update(stom_adx *a, double high, double low, double close)
{
    stom_adx_value v = {NAN, NAN, NAN, NAN};
    int64_t i = a->bars++;
    double up = high - a->prev_high, down = a->prev_low - low;
    double tr = stom_true_range(high, low, a->prev_close);
    a->prev_high = high;
    a->prev_low = low;
    a->prev_close = close;
    if (i == 0)
        return v;
    /* Only the larger of the two moves counts, and only when positive. */
    double plus = up > 0.0 && up > down ? up : 0.0;
    double minus = down > 0.0 && down > up ? down : 0.0;
    int n = a->period;
    if (i >= n) {
        a->tr_sum -= a->tr_sum / n;
        a->plus_sum -= a->plus_sum / n;
        a->minus_sum -= a->minus_sum / n;
    }
    a->tr_sum += tr;
    a->plus_sum += plus;
    a->minus_sum += minus;
    if (i < n)
        return v;
    bool defined = adx_direction(a, &v);
    adx_take_dx(a, i, v.dx, defined);
    v.adx = a->adx;
    return v;
}

int stom_adx_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *adx, double *plus_di, double *minus_di)
{
    stom_adx a;
    if (n > 0 && (high == NULL || low == NULL || close == NULL))
        return STOM_EINVAL;
    int rc = stom_adx_init(&a, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        stom_adx_value v = stom_adx_update(&a, high[i], low[i], close[i]);
        if (adx != NULL)
            adx[i] = v.adx;
        if (plus_di != NULL)
            plus_di[i] = v.plus_di;
        if (minus_di != NULL)
            minus_di[i] = v.minus_di;
    }
    return 0;
}
