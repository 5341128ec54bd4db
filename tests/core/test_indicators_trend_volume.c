/*
 * test_indicators_trend_volume.c - true range, ATR, ADX (+DI/-DI), OBV, MFI
 * and VWAP against hand-worked values (Wilder's smoothing worked out with
 * the Python snippet quoted below), naive references, and streaming == batch.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stom/error.h"
#include "stom/indicators.h"
#include "test_support.h"

#define N_BARS 400

typedef struct bars {
    double high[N_BARS], low[N_BARS], close[N_BARS], volume[N_BARS];
} bars;

/* A reproducible whole-won random walk with an intraday range and volume,
 * and a five-bar halt (one price, no volume) every 47 bars. */
static void make_bars(bars *b, uint64_t seed)
{
    uint64_t s = seed;
    double price = 50000.0;
    for (size_t i = 0; i < N_BARS; i++) {
        double u[4];
        for (int k = 0; k < 4; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            u[k] = (double)(s >> 11) / 9007199254740992.0;
        }
        double open = price;
        if (i % 47 >= 42) {
            b->high[i] = b->low[i] = b->close[i] = price;
            b->volume[i] = 0.0;
            continue;
        }
        price = round(price * (1.0 + (u[0] - 0.5) * 0.04));
        b->close[i] = price;
        b->high[i] = fmax(open, price) + round(u[1] * 400.0);
        b->low[i] = fmin(open, price) - round(u[2] * 400.0);
        b->volume[i] = round(u[3] * 100000.0);
    }
}

static void assert_close_at(double got, double want, double rel, size_t i)
{
    if (isnan(want)) {
        ck_assert_msg(isnan(got), "bar %zu: got %.15g, want NaN", i, got);
        return;
    }
    double tol = rel * fmax(1.0, fabs(want));
    ck_assert_msg(fabs(got - want) <= tol, "bar %zu: got %.15g, want %.15g", i, got, want);
}

static void assert_series_same(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg((isnan(a[i]) && isnan(b[i])) || a[i] == b[i], "bar %zu: %.17g vs %.17g", i,
                      a[i], b[i]);
}

/*
 * Ten bars for the hand-worked ATR and ADX with period 3, computed by:
 *
 *   tr  = [None] + [max(H[i]-L[i], abs(H[i]-C[i-1]), abs(L[i]-C[i-1]))
 *                   for i in range(1, 10)]
 *   up  = [None] + [H[i]-H[i-1] for i in range(1, 10)]
 *   dn  = [None] + [L[i-1]-L[i] for i in range(1, 10)]
 *   pdm = [None] + [u if u > 0 and u > d else 0.0 for u, d in zip(up[1:], dn[1:])]
 *   mdm = [None] + [d if d > 0 and d > u else 0.0 for u, d in zip(up[1:], dn[1:])]
 *   # ATR: mean of TR[1..n] at bar n, then Wilder.
 *   atr = sum(tr[1:n+1]) / n; A = {n: atr}
 *   for i in range(n+1, 10): atr = (atr*(n-1) + tr[i]) / n; A[i] = atr
 *   # ADX (TA-Lib): sums of the first n-1 moves, then s = s - s/n + x.
 *   s = [sum(v[1:n]) for v in (tr, pdm, mdm)]
 *   dx = {}; P = {}; M = {}
 *   for i in range(n, 10):
 *       s = [x - x/n + v[i] for x, v in zip(s, (tr, pdm, mdm))]
 *       P[i] = 100*s[1]/s[0]; M[i] = 100*s[2]/s[0]
 *       dx[i] = 100*abs(P[i]-M[i])/(P[i]+M[i])
 *   adx = sum(dx[i] for i in range(n, 2*n)) / n; X = {2*n-1: adx}
 *   for i in range(2*n, 10): adx = (adx*(n-1) + dx[i]) / n; X[i] = adx
 *
 * (python3, n = 3; printed with '%.12f'.) By hand for bar 3: TR is
 * 1.5, 0.9, 0.7 on bars 1-3, so ATR = 3.1/3 = 1.0333. +DM is 1.0, 0.5, 0
 * and -DM 0, 0, 0.1. The sums of bars 1-2 are TR 2.4, +DM 1.5, -DM 0;
 * bar 3 smooths them to 2.4 - 0.8 + 0.7 = 2.3, 1.5 - 0.5 + 0 = 1.0 and
 * 0 + 0.1 = 0.1: +DI = 100/2.3 = 43.478, -DI = 10/2.3 = 4.348,
 * DX = 100 * 0.9 / 1.1 = 81.818.
 */
static const double wh[] = {10.0, 11.0, 11.5, 11.2, 12.0, 12.4, 12.1, 11.6, 11.0, 11.4};
static const double wl[] = {9.0, 9.8, 10.6, 10.5, 11.1, 11.6, 11.3, 10.8, 10.2, 10.5};
static const double wc[] = {9.5, 10.8, 11.2, 10.9, 11.8, 12.0, 11.5, 11.0, 10.4, 11.2};

/* ---- ATR ---- */

START_TEST(true_range_includes_gaps_from_the_previous_close)
{
    ck_assert_double_eq(stom_true_range(12, 10, 11), 2.0); /* inside: high - low */
    ck_assert_double_eq(stom_true_range(12, 10, 7), 5.0);  /* gap up: high - prev */
    ck_assert_double_eq(stom_true_range(12, 10, 15), 5.0); /* gap down: prev - low */
    ck_assert_double_eq(stom_true_range(10, 10, 10), 0.0); /* halted */
}
END_TEST

START_TEST(atr_worked_by_hand_with_period_three)
{
    static const double want[] = {1.033333333333, 1.055555555556, 0.970370370370, 0.913580246914,
                                  0.875720164609, 0.850480109739, 0.900320073160};
    double out[10];
    ck_assert_int_eq(stom_atr_batch(wh, wl, wc, 10, 3, out), 0);
    for (size_t i = 0; i < 3; i++)
        ck_assert(isnan(out[i]));
    for (size_t i = 3; i < 10; i++)
        ck_assert_double_eq_tol(out[i], want[i - 3], 1e-11);
}
END_TEST

START_TEST(atr_matches_wilders_recursion_on_a_random_walk)
{
    static bars b;
    static double got[N_BARS];
    make_bars(&b, 31);
    const int n = 14;
    ck_assert_int_eq(stom_atr_batch(b.high, b.low, b.close, N_BARS, n, got), 0);
    double atr = 0.0;
    for (size_t i = 0; i < N_BARS; i++) {
        double want = NAN;
        if (i >= 1) {
            double tr = fmax(b.high[i], b.close[i - 1]) - fmin(b.low[i], b.close[i - 1]);
            if (i < (size_t)n)
                atr += tr;
            else if (i == (size_t)n)
                want = atr = (atr + tr) / n;
            else
                want = atr = (atr * (n - 1) + tr) / n;
        }
        assert_close_at(got[i], want, 1e-10, i);
    }
}
END_TEST

/* ---- ADX ---- */

START_TEST(adx_and_directional_indexes_worked_by_hand_with_period_three)
{
    static const double want_pdi[] = {43.478260869565, 55.696202531646, 53.913043478261,
                                      36.686390532544, 24.800000000000, 16.689098250336,
                                      25.550109500469};
    static const double want_mdi[] = {4.347826086957,  2.531645569620,  1.739130434783,
                                      13.165680473373, 29.150000000000, 44.145356662180,
                                      27.364688705809};
    static const double want_adx[] = {88.957509881423, 75.032009554974, 52.709013475327,
                                      50.183590104496, 34.598809117095};
    double adx[10], pdi[10], mdi[10];
    ck_assert_int_eq(stom_adx_batch(wh, wl, wc, 10, 3, adx, pdi, mdi), 0);
    for (size_t i = 0; i < 3; i++)
        ck_assert(isnan(pdi[i]) && isnan(mdi[i]));
    for (size_t i = 3; i < 10; i++) {
        ck_assert_double_eq_tol(pdi[i], want_pdi[i - 3], 1e-9);
        ck_assert_double_eq_tol(mdi[i], want_mdi[i - 3], 1e-9);
    }
    for (size_t i = 0; i < 5; i++)
        ck_assert(isnan(adx[i]));
    for (size_t i = 5; i < 10; i++)
        ck_assert_double_eq_tol(adx[i], want_adx[i - 5], 1e-9);
}
END_TEST

/* ADX from precomputed TR/DM arrays and Wilder sums, bar by bar. */
static void ref_adx(const bars *b, int n, double *adx, double *pdi, double *mdi)
{
    static double tr[N_BARS], pdm[N_BARS], mdm[N_BARS];
    for (size_t i = 1; i < N_BARS; i++) {
        double up = b->high[i] - b->high[i - 1], dn = b->low[i - 1] - b->low[i];
        tr[i] = fmax(b->high[i], b->close[i - 1]) - fmin(b->low[i], b->close[i - 1]);
        pdm[i] = up > dn && up > 0 ? up : 0;
        mdm[i] = dn > up && dn > 0 ? dn : 0;
    }
    double st = 0, sp = 0, sm = 0, dxs = 0, a = NAN;
    for (size_t i = 0; i < N_BARS; i++) {
        adx[i] = pdi[i] = mdi[i] = NAN;
        if (i == 0)
            continue;
        st = i < (size_t)n ? st + tr[i] : st * (n - 1.0) / n + tr[i];
        sp = i < (size_t)n ? sp + pdm[i] : sp * (n - 1.0) / n + pdm[i];
        sm = i < (size_t)n ? sm + mdm[i] : sm * (n - 1.0) / n + mdm[i];
        if (i < (size_t)n)
            continue;
        pdi[i] = st > 0 ? 100 * sp / st : 0;
        mdi[i] = st > 0 ? 100 * sm / st : 0;
        double sum = pdi[i] + mdi[i];
        double dx = sum > 0 ? 100 * fabs(pdi[i] - mdi[i]) / sum : 0;
        if (i < 2 * (size_t)n - 1)
            dxs += dx;
        else if (i == 2 * (size_t)n - 1)
            a = (dxs + dx) / n;
        else if (sum > 0)
            a = (a * (n - 1) + dx) / n;
        adx[i] = a;
    }
}

START_TEST(adx_matches_wilder_sums_on_a_random_walk)
{
    static bars b;
    static double adx[N_BARS], pdi[N_BARS], mdi[N_BARS];
    static double wa[N_BARS], wp[N_BARS], wm[N_BARS];
    make_bars(&b, 32);
    const int periods[] = {1, 2, 14, 30};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        ck_assert_int_eq(stom_adx_batch(b.high, b.low, b.close, N_BARS, periods[k], adx, pdi, mdi),
                         0);
        ref_adx(&b, periods[k], wa, wp, wm);
        for (size_t i = 0; i < N_BARS; i++) {
            assert_close_at(adx[i], wa[i], 1e-9, i);
            assert_close_at(pdi[i], wp[i], 1e-9, i);
            assert_close_at(mdi[i], wm[i], 1e-9, i);
        }
    }
}
END_TEST

START_TEST(adx_of_a_market_that_never_moves_reads_zero)
{
    /* No range and no movement: DI and DX are 0 (no direction), the seed
     * ADX is 0 and stays there. */
    stom_adx a;
    ck_assert_int_eq(stom_adx_init(&a, 3), 0);
    stom_adx_value v = {0};
    for (int i = 0; i < 12; i++) {
        v = stom_adx_update(&a, 500, 500, 500);
        ck_assert(a.ready == (i >= 5));
    }
    ck_assert_double_eq(v.adx, 0.0);
    ck_assert_double_eq(v.plus_di, 0.0);
    ck_assert_double_eq(v.minus_di, 0.0);
    ck_assert_double_eq(v.dx, 0.0);
}
END_TEST

/* ---- OBV ---- */

START_TEST(obv_adds_up_days_volume_and_subtracts_down_days)
{
    /* Starts at the first volume (100); up +200 = 300; unchanged 300;
     * down -400 = -100; up +500 = 400. */
    const double c[] = {10, 11, 11, 9, 12};
    const double v[] = {100, 200, 300, 400, 500};
    const double want[] = {100, 300, 300, -100, 400};
    double out[5];
    ck_assert_int_eq(stom_obv_batch(c, v, 5, out), 0);
    assert_series_same(out, want, 5);
}
END_TEST

START_TEST(obv_matches_a_signed_volume_sum_on_a_random_walk)
{
    static bars b;
    static double got[N_BARS];
    make_bars(&b, 33);
    ck_assert_int_eq(stom_obv_batch(b.close, b.volume, N_BARS, got), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double want = b.volume[0];
        for (size_t j = 1; j <= i; j++) {
            double sign = (b.close[j] > b.close[j - 1]) - (b.close[j] < b.close[j - 1]);
            want += sign * b.volume[j];
        }
        ck_assert_double_eq(got[i], want);
    }
}
END_TEST

/* ---- MFI ---- */

START_TEST(mfi_worked_by_hand_with_period_two)
{
    /* One price per bar, so typical price = close: 10, 11, 10.5, 12 with
     * volumes 100, 200, 300, 400. Money flows: bar 1 +11*200 = 2200,
     * bar 2 -10.5*300 = 3150, bar 3 +12*400 = 4800.
     * bar 2: 100 * 2200 / (2200 + 3150) = 41.121495327103.
     * bar 3: 100 * 4800 / (4800 + 3150) = 60.377358490566. */
    const double p[] = {10, 11, 10.5, 12};
    const double v[] = {100, 200, 300, 400};
    double out[4];
    ck_assert_int_eq(stom_mfi_batch(p, p, p, v, 4, 2, out), 0);
    ck_assert(isnan(out[0]) && isnan(out[1]));
    ck_assert_double_eq_tol(out[2], 41.121495327103, 1e-10);
    ck_assert_double_eq_tol(out[3], 60.377358490566, 1e-10);
}
END_TEST

START_TEST(mfi_matches_naive_window_flows_on_a_random_walk)
{
    static bars b;
    static double tp[N_BARS], got[N_BARS];
    make_bars(&b, 34);
    for (size_t i = 0; i < N_BARS; i++)
        tp[i] = (b.high[i] + b.low[i] + b.close[i]) / 3.0;
    const int n = 14;
    ck_assert_int_eq(stom_mfi_batch(b.high, b.low, b.close, b.volume, N_BARS, n, got), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double want = NAN;
        if (i >= (size_t)n) {
            double pos = 0, neg = 0;
            for (size_t j = i + 1 - (size_t)n; j <= i; j++) {
                if (tp[j] > tp[j - 1])
                    pos += tp[j] * b.volume[j];
                if (tp[j] < tp[j - 1])
                    neg += tp[j] * b.volume[j];
            }
            /* The textbook ratio form; neg = 0 < pos gives 100 via inf. */
            want = pos + neg == 0 ? 50.0 : 100.0 - 100.0 / (1.0 + pos / neg);
        }
        assert_close_at(got[i], want, 1e-9, i);
    }
}
END_TEST

START_TEST(mfi_without_any_money_flow_reads_fifty)
{
    double p[6] = {9, 9, 9, 9, 9, 9}, v[6] = {0, 5, 5, 5, 5, 5}, out[6];
    ck_assert_int_eq(stom_mfi_batch(p, p, p, v, 6, 3, out), 0);
    ck_assert_double_eq(out[5], 50.0);
}
END_TEST

/* ---- VWAP ---- */

START_TEST(vwap_weights_typical_price_by_volume_and_restarts_each_session)
{
    /* Session 1: (10*100 + 12*300) / 400 = 4600 / 400 = 11.5.
     * Session 2 starts on bar 2: only 20*50 / 50 = 20.
     * Bar 3 has no volume: still 20. Bar 4 starts a session with no
     * volume: undefined (NaN). */
    const double p[] = {10, 12, 20, 30, 40};
    const double v[] = {100, 300, 50, 0, 0};
    const bool reset[] = {false, false, true, false, true};
    double out[5];
    ck_assert_int_eq(stom_vwap_batch(p, p, p, v, reset, 5, out), 0);
    ck_assert_double_eq_tol(out[0], 10.0, 1e-12);
    ck_assert_double_eq_tol(out[1], 11.5, 1e-12);
    ck_assert_double_eq_tol(out[2], 20.0, 1e-12);
    ck_assert_double_eq_tol(out[3], 20.0, 1e-12);
    ck_assert(isnan(out[4]));
}
END_TEST

START_TEST(vwap_matches_a_sum_from_the_session_start_on_a_random_walk)
{
    static bars b;
    static double got[N_BARS], got_one[N_BARS];
    static bool reset[N_BARS];
    make_bars(&b, 35);
    for (size_t i = 0; i < N_BARS; i++)
        reset[i] = i % 60 == 0;
    ck_assert_int_eq(stom_vwap_batch(b.high, b.low, b.close, b.volume, reset, N_BARS, got), 0);
    ck_assert_int_eq(stom_vwap_batch(b.high, b.low, b.close, b.volume, NULL, N_BARS, got_one), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double pv = 0, vol = 0, pv1 = 0, vol1 = 0;
        for (size_t j = 0; j <= i; j++) {
            double tp = (b.high[j] + b.low[j] + b.close[j]) / 3.0;
            pv1 += tp * b.volume[j];
            vol1 += b.volume[j];
            if (j >= i - i % 60) {
                pv += tp * b.volume[j];
                vol += b.volume[j];
            }
        }
        assert_close_at(got[i], vol > 0 ? pv / vol : NAN, 1e-11, i);
        assert_close_at(got_one[i], vol1 > 0 ? pv1 / vol1 : NAN, 1e-11, i);
    }
}
END_TEST

/* ---- shared contract ---- */

START_TEST(streaming_updates_give_exactly_the_batch_numbers)
{
    static bars b;
    static double s[5][N_BARS], bt[5][N_BARS];
    make_bars(&b, 36);
    stom_atr a;
    stom_adx x;
    stom_obv o;
    stom_mfi m;
    stom_vwap v;
    ck_assert_int_eq(stom_atr_init(&a, 7), 0);
    ck_assert_int_eq(stom_adx_init(&x, 7), 0);
    stom_obv_init(&o);
    ck_assert_int_eq(stom_mfi_init(&m, 7), 0);
    stom_vwap_init(&v);
    for (size_t i = 0; i < N_BARS; i++) {
        double h = b.high[i], l = b.low[i], c = b.close[i], vol = b.volume[i];
        s[0][i] = stom_atr_update(&a, h, l, c);
        s[1][i] = stom_adx_update(&x, h, l, c).adx;
        s[2][i] = stom_obv_update(&o, c, vol);
        s[3][i] = stom_mfi_update(&m, h, l, c, vol);
        s[4][i] = stom_vwap_update(&v, h, l, c, vol, false);
    }
    stom_atr_batch(b.high, b.low, b.close, N_BARS, 7, bt[0]);
    stom_adx_batch(b.high, b.low, b.close, N_BARS, 7, bt[1], NULL, NULL);
    stom_obv_batch(b.close, b.volume, N_BARS, bt[2]);
    stom_mfi_batch(b.high, b.low, b.close, b.volume, N_BARS, 7, bt[3]);
    stom_vwap_batch(b.high, b.low, b.close, b.volume, NULL, N_BARS, bt[4]);
    for (int k = 0; k < 5; k++)
        assert_series_same(s[k], bt[k], N_BARS);
    stom_mfi_free(&m);
}
END_TEST

START_TEST(warm_up_ends_on_the_documented_bar)
{
    /* ATR and MFI from bar period (bar 0 has no previous bar), ADX's DI
     * from bar period and ADX from bar 2*period-1, OBV and VWAP at once. */
    static bars b;
    static double o1[N_BARS], o2[N_BARS], o3[N_BARS];
    make_bars(&b, 37);
    const int p = 5;
    ck_assert_int_eq(stom_atr_batch(b.high, b.low, b.close, N_BARS, p, o1), 0);
    ck_assert(isnan(o1[p - 1]) && !isnan(o1[p]));
    ck_assert_int_eq(stom_mfi_batch(b.high, b.low, b.close, b.volume, N_BARS, p, o1), 0);
    ck_assert(isnan(o1[p - 1]) && !isnan(o1[p]));
    ck_assert_int_eq(stom_adx_batch(b.high, b.low, b.close, N_BARS, p, o1, o2, o3), 0);
    ck_assert(isnan(o2[p - 1]) && !isnan(o2[p]) && isnan(o3[p - 1]) && !isnan(o3[p]));
    ck_assert(isnan(o1[2 * p - 2]) && !isnan(o1[2 * p - 1]));
    ck_assert_int_eq(stom_obv_batch(b.close, b.volume, N_BARS, o1), 0);
    ck_assert(!isnan(o1[0]));
}
END_TEST

START_TEST(bad_parameters_and_null_arrays_are_refused)
{
    const int bad[] = {0, -7, STOM_IND_MAX_PERIOD + 1};
    double x[2] = {1, 2}, out[2];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        stom_atr a;
        stom_adx d;
        stom_mfi m;
        ck_assert_int_eq(stom_atr_init(&a, bad[k]), STOM_EINVAL);
        ck_assert_int_eq(stom_adx_init(&d, bad[k]), STOM_EINVAL);
        ck_assert_int_eq(stom_mfi_init(&m, bad[k]), STOM_EINVAL);
        stom_mfi_free(&m);
        ck_assert_int_eq(stom_atr_batch(x, x, x, 2, bad[k], out), STOM_EINVAL);
        ck_assert_int_eq(stom_adx_batch(x, x, x, 2, bad[k], out, NULL, NULL), STOM_EINVAL);
        ck_assert_int_eq(stom_mfi_batch(x, x, x, x, 2, bad[k], out), STOM_EINVAL);
    }
    ck_assert_int_eq(stom_atr_batch(x, NULL, x, 2, 3, out), STOM_EINVAL);
    ck_assert_int_eq(stom_adx_batch(NULL, x, x, 2, 3, out, NULL, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_obv_batch(x, NULL, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_mfi_batch(x, x, x, NULL, 2, 3, out), STOM_EINVAL);
    ck_assert_int_eq(stom_vwap_batch(x, x, x, x, NULL, 2, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_vwap_batch(NULL, NULL, NULL, NULL, NULL, 0, NULL), 0);
    stom_mfi_free(NULL);
}
END_TEST

static Suite *trend_volume_suite(void)
{
    Suite *s = suite_create("indicators_trend_volume");
    TCase *tc = tcase_create("trend_volume");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, true_range_includes_gaps_from_the_previous_close);
    tcase_add_test(tc, atr_worked_by_hand_with_period_three);
    tcase_add_test(tc, atr_matches_wilders_recursion_on_a_random_walk);
    tcase_add_test(tc, adx_and_directional_indexes_worked_by_hand_with_period_three);
    tcase_add_test(tc, adx_matches_wilder_sums_on_a_random_walk);
    tcase_add_test(tc, adx_of_a_market_that_never_moves_reads_zero);
    tcase_add_test(tc, obv_adds_up_days_volume_and_subtracts_down_days);
    tcase_add_test(tc, obv_matches_a_signed_volume_sum_on_a_random_walk);
    tcase_add_test(tc, mfi_worked_by_hand_with_period_two);
    tcase_add_test(tc, mfi_matches_naive_window_flows_on_a_random_walk);
    tcase_add_test(tc, mfi_without_any_money_flow_reads_fifty);
    tcase_add_test(tc, vwap_weights_typical_price_by_volume_and_restarts_each_session);
    tcase_add_test(tc, vwap_matches_a_sum_from_the_session_start_on_a_random_walk);
    tcase_add_test(tc, streaming_updates_give_exactly_the_batch_numbers);
    tcase_add_test(tc, warm_up_ends_on_the_documented_bar);
    tcase_add_test(tc, bad_parameters_and_null_arrays_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = trend_volume_suite();
    return stom_test_run(s);
}
