/*
 * test_indicators.c - moving averages, MACD, Bollinger bands, highest/lowest
 * and rate of change, plus the contract every indicator shares (parameter
 * validation, NULL arrays, refused inits are safe to free).
 *
 * Each indicator is checked three ways: a few values worked by hand (the
 * arithmetic is in the comments), a naive O(n * period) reference written
 * differently from the library (whole-window loops, closed forms), and
 * streaming == batch. Oscillators are in test_indicators_oscillators.c,
 * ATR/ADX/volume indicators in test_indicators_trend_volume.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stom/error.h"
#include "stom/indicators.h"
#include "test_support.h"

#define N_BARS 500

/* A reproducible random walk of whole-won closes around 50,000 with flat
 * stretches, so that ties and repeated values occur as on real KRX data. */
static void make_closes(double *c, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    double price = 50000.0;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) / 9007199254740992.0;
        if (i % 41 >= 36)
            u = 0.5; /* five unchanged bars every 41 */
        price = round(price * (1.0 + (u - 0.5) * 0.04));
        c[i] = price;
    }
}

/* got and want agree to rel relative (or absolute near 0); NaN matches NaN. */
static void assert_close_at(double got, double want, double rel, size_t i)
{
    if (isnan(want)) {
        ck_assert_msg(isnan(got), "bar %zu: got %.15g, want NaN", i, got);
        return;
    }
    double tol = rel * fmax(1.0, fabs(want));
    ck_assert_msg(fabs(got - want) <= tol, "bar %zu: got %.15g, want %.15g", i, got, want);
}

static void assert_series_close(const double *got, const double *want, size_t n, double rel)
{
    for (size_t i = 0; i < n; i++)
        assert_close_at(got[i], want[i], rel, i);
}

/* Bitwise-equal values, treating every NaN as equal. */
static void assert_series_same(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg((isnan(a[i]) && isnan(b[i])) || a[i] == b[i], "bar %zu: %.17g vs %.17g", i,
                      a[i], b[i]);
}

/* ---- naive references ---- */

static void ref_sma(const double *x, size_t n, int p, double *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
        if (i + 1 < (size_t)p)
            continue;
        double s = 0.0;
        for (int j = 0; j < p; j++)
            s += x[i - j];
        out[i] = s / p;
    }
}

/* EMA as the closed form: seed * (1-a)^k + sum a * (1-a)^(t-j) * x[j]. */
static void ref_ema_alpha(const double *x, size_t n, int p, double a, double *out)
{
    for (size_t t = 0; t < n; t++) {
        out[t] = NAN;
        if (t + 1 < (size_t)p)
            continue;
        double seed = 0.0;
        for (int j = 0; j < p; j++)
            seed += x[j];
        double v = seed / p * pow(1.0 - a, (double)(t - (p - 1)));
        for (size_t j = (size_t)p; j <= t; j++)
            v += a * pow(1.0 - a, (double)(t - j)) * x[j];
        out[t] = v;
    }
}

static void ref_ema(const double *x, size_t n, int p, double *out)
{
    ref_ema_alpha(x, n, p, 2.0 / (p + 1), out);
}

static void ref_wma(const double *x, size_t n, int p, double *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
        if (i + 1 < (size_t)p)
            continue;
        double s = 0.0, w = 0.0;
        for (int j = 1; j <= p; j++) {
            s += j * x[i + 1 - (size_t)p + (size_t)(j - 1)];
            w += j;
        }
        out[i] = s / w;
    }
}

static double ref_extreme(const double *x, size_t i, int p, bool want_max)
{
    double m = x[i];
    for (int j = 1; j < p; j++) {
        double v = x[i - (size_t)j];
        m = want_max ? fmax(m, v) : fmin(m, v);
    }
    return m;
}

/* ---- SMA ---- */

START_TEST(sma_of_one_to_five_over_three_is_two_three_four)
{
    /* (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4. */
    const double in[] = {1, 2, 3, 4, 5};
    const double want[] = {NAN, NAN, 2, 3, 4};
    double out[5];
    ck_assert_int_eq(stom_sma_batch(in, 5, 3, out), 0);
    assert_series_close(out, want, 5, 1e-15);
}
END_TEST

START_TEST(sma_matches_a_naive_window_mean_on_a_random_walk)
{
    static double c[N_BARS], got[N_BARS], want[N_BARS];
    make_closes(c, N_BARS, 1);
    const int periods[] = {1, 2, 5, 20, 60, 499, 500, 501};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        ck_assert_int_eq(stom_sma_batch(c, N_BARS, periods[k], got), 0);
        ref_sma(c, N_BARS, periods[k], want);
        assert_series_close(got, want, N_BARS, 1e-12);
    }
}
END_TEST

START_TEST(sma_does_not_drift_over_a_million_updates_far_from_zero)
{
    /* Values near 1e9 that move by fractions: an uncorrected running sum
     * loses the fractions within a few thousand updates. */
    enum { N = 1000000, P = 7 };
    double *x = malloc(N * sizeof(double));
    for (size_t i = 0; i < N; i++)
        x[i] = 1e9 + (double)(i % 13) * 0.37 - (double)(i % 7) * 0.11;
    stom_sma s;
    ck_assert_int_eq(stom_sma_init(&s, P), 0);
    double last = NAN;
    for (size_t i = 0; i < N; i++)
        last = stom_sma_update(&s, x[i]);
    double want = 0.0;
    for (size_t i = N - P; i < N; i++)
        want += x[i] - 1e9;
    want = 1e9 + want / P;
    ck_assert_double_eq_tol(last, want, 1e-6);
    stom_sma_free(&s);
    free(x);
}
END_TEST

START_TEST(a_window_of_the_largest_period_costs_constant_time_per_bar)
{
    /* O(n * period) would be 3e10 steps here and time out; O(1) is instant.
     * Decreasing input is the deque's worst case (it keeps every value). */
    enum { N = 300000, P = STOM_IND_MAX_PERIOD };
    double *x = malloc(N * sizeof(double)), *out = malloc(N * sizeof(double));
    for (size_t i = 0; i < N; i++)
        x[i] = (double)(N - i);
    ck_assert_int_eq(stom_sma_batch(x, N, P, out), 0);
    ck_assert_double_eq_tol(out[N - 1], (1.0 + P) / 2.0, 1e-9);
    /* The last window is P..1 oldest first: sum j*(P+1-j) / (P(P+1)/2)
     * = (P(P+1)(P+2)/6) / (P(P+1)/2) = (P+2)/3. */
    ck_assert_int_eq(stom_wma_batch(x, N, P, out), 0);
    ck_assert_double_eq_tol(out[N - 1], (P + 2.0) / 3.0, 1e-6);
    ck_assert_int_eq(stom_highest_batch(x, N, P, out), 0);
    ck_assert_double_eq(out[N - 1], (double)P);
    ck_assert_int_eq(stom_lowest_batch(x, N, P, out), 0);
    ck_assert_double_eq(out[N - 1], 1.0);
    ck_assert_int_eq(stom_bollinger_batch(x, N, P, 2.0, NULL, out, NULL), 0);
    ck_assert_double_eq_tol(out[N - 1], (1.0 + P) / 2.0, 1e-9);
    free(x);
    free(out);
}
END_TEST

/* ---- EMA ---- */

START_TEST(ema_is_seeded_with_the_sma_then_smooths_by_two_over_n_plus_one)
{
    /* period 3, alpha = 2/4 = 0.5. Bar 2: seed (2+4+6)/3 = 4.
     * Bar 3: 4 + 0.5*(8-4) = 6. Bar 4: 6 + 0.5*(20-6) = 13. */
    const double in[] = {2, 4, 6, 8, 20};
    const double want[] = {NAN, NAN, 4, 6, 13};
    double out[5];
    ck_assert_int_eq(stom_ema_batch(in, 5, 3, out), 0);
    assert_series_close(out, want, 5, 1e-15);
}
END_TEST

START_TEST(ema_matches_its_closed_form_weighted_sum)
{
    static double c[N_BARS], got[N_BARS], want[N_BARS];
    make_closes(c, N_BARS, 2);
    const int periods[] = {1, 3, 12, 26, 200};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        ck_assert_int_eq(stom_ema_batch(c, N_BARS, periods[k], got), 0);
        ref_ema(c, N_BARS, periods[k], want);
        assert_series_close(got, want, N_BARS, 1e-10);
    }
}
END_TEST

START_TEST(ema_with_alpha_one_over_n_is_wilders_running_average)
{
    /* Wilder: avg = (avg * (n-1) + x) / n after the SMA seed, written
     * here in Wilder's own form. */
    static double c[N_BARS];
    make_closes(c, N_BARS, 3);
    const int n = 14;
    stom_ema e;
    ck_assert_int_eq(stom_ema_init_alpha(&e, n, 1.0 / n), 0);
    double avg = 0.0;
    for (size_t i = 0; i < N_BARS; i++) {
        double got = stom_ema_update(&e, c[i]);
        if (i + 1 < (size_t)n) {
            avg += c[i];
            ck_assert(isnan(got) && !e.ready);
            continue;
        }
        avg = i + 1 == (size_t)n ? (avg + c[i]) / n : (avg * (n - 1) + c[i]) / n;
        ck_assert(e.ready);
        assert_close_at(got, avg, 1e-12, i);
    }
}
END_TEST

/* ---- WMA ---- */

START_TEST(wma_weights_the_newest_value_most)
{
    /* period 3, weights 1,2,3 over 6: (1*1+2*2+3*3)/6 = 14/6,
     * (1*2+2*3+3*4)/6 = 20/6, (1*3+2*4+3*10)/6 = 41/6. */
    const double in[] = {1, 2, 3, 4, 10};
    const double want[] = {NAN, NAN, 14.0 / 6, 20.0 / 6, 41.0 / 6};
    double out[5];
    ck_assert_int_eq(stom_wma_batch(in, 5, 3, out), 0);
    assert_series_close(out, want, 5, 1e-15);
}
END_TEST

START_TEST(wma_matches_a_naive_weighted_window)
{
    static double c[N_BARS], got[N_BARS], want[N_BARS];
    make_closes(c, N_BARS, 4);
    const int periods[] = {1, 2, 9, 30, 250};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        ck_assert_int_eq(stom_wma_batch(c, N_BARS, periods[k], got), 0);
        ref_wma(c, N_BARS, periods[k], want);
        assert_series_close(got, want, N_BARS, 1e-11);
    }
}
END_TEST

/* ---- MACD ---- */

START_TEST(macd_worked_by_hand_with_periods_two_three_two)
{
    /* in 1,2,4,8,16; slow EMA(3) alpha 1/2, fast EMA(2) alpha 2/3 fed from
     * bar 1, signal EMA(2) alpha 2/3 (checked with Python fractions).
     * bar 2: slow (1+2+4)/3 = 7/3, fast (2+4)/2 = 3, macd 2/3.
     * bar 3: slow 7/3 + (8-7/3)/2 = 31/6, fast 3 + 2/3*(8-3) = 19/3,
     *        macd 7/6, signal (2/3+7/6)/2 = 11/12, hist 1/4.
     * bar 4: slow 127/12, fast 115/9, macd 79/36, signal 191/108,
     *        hist 23/54. */
    const double in[] = {1, 2, 4, 8, 16};
    const double want_macd[] = {NAN, NAN, 2.0 / 3, 7.0 / 6, 79.0 / 36};
    const double want_signal[] = {NAN, NAN, NAN, 11.0 / 12, 191.0 / 108};
    const double want_hist[] = {NAN, NAN, NAN, 1.0 / 4, 23.0 / 54};
    double m[5], s[5], h[5];
    ck_assert_int_eq(stom_macd_batch(in, 5, 2, 3, 2, m, s, h), 0);
    assert_series_close(m, want_macd, 5, 1e-14);
    assert_series_close(s, want_signal, 5, 1e-14);
    assert_series_close(h, want_hist, 5, 1e-14);
}
END_TEST

START_TEST(macd_starts_the_fast_ema_so_both_seed_on_the_same_bar)
{
    /* TA-Lib alignment: fast EMA over in[slow-fast..], slow over in[0..],
     * signal over macd[slow-1..]; built from the closed-form reference. */
    static double c[N_BARS], fast[N_BARS], slow[N_BARS], macd[N_BARS], sig[N_BARS];
    static double got_m[N_BARS], got_s[N_BARS], got_h[N_BARS];
    make_closes(c, N_BARS, 5);
    const int f = 12, sl = 26, sg = 9;
    ref_ema(c + (sl - f), N_BARS - (sl - f), f, fast);
    ref_ema(c, N_BARS, sl, slow);
    for (size_t i = 0; i < N_BARS; i++)
        macd[i] = i + 1 < (size_t)sl ? NAN : fast[i - (sl - f)] - slow[i];
    for (size_t i = 0; i < N_BARS; i++)
        sig[i] = NAN;
    ref_ema(macd + sl - 1, N_BARS - (sl - 1), sg, sig + sl - 1);
    ck_assert_int_eq(stom_macd_batch(c, N_BARS, f, sl, sg, got_m, got_s, got_h), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        assert_close_at(got_m[i], macd[i], 1e-9, i);
        assert_close_at(got_s[i], sig[i], 1e-9, i);
        assert_close_at(got_h[i], macd[i] - sig[i], 1e-9, i);
    }
    ck_assert(isnan(got_s[sl + sg - 3]) && !isnan(got_s[sl + sg - 2]));
}
END_TEST

/* ---- Bollinger bands ---- */

START_TEST(bollinger_of_the_textbook_eight_values_is_five_plus_minus_four)
{
    /* 2,4,4,4,5,5,7,9: mean 40/8 = 5, squared deviations 9+1+1+1+0+0+4+16
     * = 32, population variance 32/8 = 4, sd 2; k = 2 gives 5 +/- 4. */
    const double in[] = {2, 4, 4, 4, 5, 5, 7, 9};
    double up[8], mid[8], lo[8];
    ck_assert_int_eq(stom_bollinger_batch(in, 8, 8, 2.0, up, mid, lo), 0);
    ck_assert(isnan(mid[6]) && isnan(up[6]) && isnan(lo[6]));
    ck_assert_double_eq_tol(mid[7], 5.0, 1e-15);
    ck_assert_double_eq_tol(up[7], 9.0, 1e-14);
    ck_assert_double_eq_tol(lo[7], 1.0, 1e-14);
}
END_TEST

START_TEST(bollinger_matches_a_two_pass_standard_deviation)
{
    static double c[N_BARS], up[N_BARS], mid[N_BARS], lo[N_BARS];
    make_closes(c, N_BARS, 6);
    const int p = 20;
    const double k = 2.5;
    ck_assert_int_eq(stom_bollinger_batch(c, N_BARS, p, k, up, mid, lo), 0);
    for (size_t i = (size_t)p - 1; i < N_BARS; i++) {
        double mean = 0.0, var = 0.0;
        for (int j = 0; j < p; j++)
            mean += c[i - (size_t)j] / p;
        for (int j = 0; j < p; j++)
            var += (c[i - (size_t)j] - mean) * (c[i - (size_t)j] - mean) / p;
        assert_close_at(mid[i], mean, 1e-12, i);
        /* The band width is compared on its own scale, not the price's. */
        ck_assert_msg(fabs((up[i] - mid[i]) - k * sqrt(var)) <= 1e-7 * fmax(1.0, sqrt(var)),
                      "bar %zu", i);
        ck_assert_msg(fabs((mid[i] - lo[i]) - k * sqrt(var)) <= 1e-7 * fmax(1.0, sqrt(var)),
                      "bar %zu", i);
    }
}
END_TEST

START_TEST(bollinger_of_a_flat_window_has_zero_width_not_nan)
{
    stom_bollinger b;
    ck_assert_int_eq(stom_bollinger_init(&b, 5, 2.0), 0);
    stom_bollinger_value v = {0};
    for (int i = 0; i < 50; i++)
        v = stom_bollinger_update(&b, 71300.0 + (i < 20 ? i % 3 : 0));
    ck_assert_double_eq(v.middle, 71300.0);
    ck_assert_double_eq(v.upper, 71300.0);
    ck_assert_double_eq(v.lower, 71300.0);
    stom_bollinger_free(&b);
}
END_TEST

/* ---- highest / lowest ---- */

START_TEST(highest_and_lowest_of_pi_digits_over_three)
{
    /* windows: [3,1,4] [1,4,1] [4,1,5] [1,5,9] [5,9,2] [9,2,6] */
    const double in[] = {3, 1, 4, 1, 5, 9, 2, 6};
    const double want_hi[] = {NAN, NAN, 4, 4, 5, 9, 9, 9};
    const double want_lo[] = {NAN, NAN, 1, 1, 1, 1, 2, 2};
    double hi[8], lo[8];
    ck_assert_int_eq(stom_highest_batch(in, 8, 3, hi), 0);
    ck_assert_int_eq(stom_lowest_batch(in, 8, 3, lo), 0);
    assert_series_same(hi, want_hi, 8);
    assert_series_same(lo, want_lo, 8);
}
END_TEST

START_TEST(highest_and_lowest_match_a_naive_scan_of_the_window)
{
    static double c[N_BARS], hi[N_BARS], lo[N_BARS];
    make_closes(c, N_BARS, 7);
    const int periods[] = {1, 2, 3, 10, 55, 500};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        int p = periods[k];
        ck_assert_int_eq(stom_highest_batch(c, N_BARS, p, hi), 0);
        ck_assert_int_eq(stom_lowest_batch(c, N_BARS, p, lo), 0);
        for (size_t i = 0; i < N_BARS; i++) {
            if (i + 1 < (size_t)p) {
                ck_assert(isnan(hi[i]) && isnan(lo[i]));
                continue;
            }
            ck_assert_double_eq(hi[i], ref_extreme(c, i, p, true));
            ck_assert_double_eq(lo[i], ref_extreme(c, i, p, false));
        }
    }
}
END_TEST

/* ---- rate of change ---- */

START_TEST(roc_is_percent_change_against_period_bars_ago)
{
    /* period 1: 110/100 - 1 = +10 %, 99/110 - 1 = -10 %, 0/99 - 1 = -100 %,
     * then a zero base (5 against 0) is undefined: NaN, not 0 or inf.
     * period 2: 99/100 - 1 = -1 %. */
    const double in[] = {100, 110, 99, 0, 5};
    double out[5];
    ck_assert_int_eq(stom_roc_batch(in, 5, 1, out), 0);
    ck_assert(isnan(out[0]));
    ck_assert_double_eq_tol(out[1], 10.0, 1e-12);
    ck_assert_double_eq_tol(out[2], -10.0, 1e-12);
    ck_assert_double_eq_tol(out[3], -100.0, 1e-12);
    ck_assert(isnan(out[4]));
    ck_assert_int_eq(stom_roc_batch(in, 5, 2, out), 0);
    ck_assert(isnan(out[1]));
    ck_assert_double_eq_tol(out[2], -1.0, 1e-12);
}
END_TEST

START_TEST(roc_matches_a_direct_ratio_on_a_random_walk)
{
    static double c[N_BARS], got[N_BARS];
    make_closes(c, N_BARS, 8);
    const int p = 12;
    ck_assert_int_eq(stom_roc_batch(c, N_BARS, p, got), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double want = i < (size_t)p ? NAN : (c[i] / c[i - p] - 1.0) * 100.0;
        assert_close_at(got[i], want, 1e-12, i);
    }
}
END_TEST

/* ---- shared contract ---- */

START_TEST(warm_up_ends_on_the_documented_bar)
{
    /* First defined bar (0-based): SMA/EMA/WMA/highest/lowest period-1,
     * ROC period, Bollinger period-1, MACD signal slow+signal-2. */
    static double c[N_BARS], out[N_BARS];
    make_closes(c, N_BARS, 9);
    const int p = 10;
    int (*single[])(const double *, size_t, int, double *) = {
        stom_sma_batch, stom_ema_batch, stom_wma_batch, stom_highest_batch, stom_lowest_batch};
    for (size_t k = 0; k < sizeof single / sizeof single[0]; k++) {
        ck_assert_int_eq(single[k](c, N_BARS, p, out), 0);
        ck_assert(isnan(out[p - 2]) && !isnan(out[p - 1]));
    }
    ck_assert_int_eq(stom_roc_batch(c, N_BARS, p, out), 0);
    ck_assert(isnan(out[p - 1]) && !isnan(out[p]));
    ck_assert_int_eq(stom_bollinger_batch(c, N_BARS, p, 2.0, out, NULL, NULL), 0);
    ck_assert(isnan(out[p - 2]) && !isnan(out[p - 1]));
    stom_macd m;
    ck_assert_int_eq(stom_macd_init(&m, 3, 5, 4), 0);
    for (int i = 0; i < 8; i++) {
        stom_macd_value v = stom_macd_update(&m, c[i]);
        ck_assert(isnan(v.macd) == (i < 4));
        ck_assert(m.ready == (i >= 7) && isnan(v.signal) == (i < 7));
    }
}
END_TEST

START_TEST(streaming_updates_give_exactly_the_batch_numbers)
{
    static double c[N_BARS], batch[N_BARS];
    make_closes(c, N_BARS, 10);
    stom_sma s;
    stom_wma w;
    stom_roc r;
    stom_bollinger b;
    stom_sma_init(&s, 15);
    stom_wma_init(&w, 15);
    stom_roc_init(&r, 15);
    stom_bollinger_init(&b, 15, 2.0);
    double sv[N_BARS], wv[N_BARS], rv[N_BARS], bv[N_BARS];
    for (size_t i = 0; i < N_BARS; i++) {
        sv[i] = stom_sma_update(&s, c[i]);
        wv[i] = stom_wma_update(&w, c[i]);
        rv[i] = stom_roc_update(&r, c[i]);
        bv[i] = stom_bollinger_update(&b, c[i]).lower;
    }
    stom_sma_batch(c, N_BARS, 15, batch);
    assert_series_same(sv, batch, N_BARS);
    stom_wma_batch(c, N_BARS, 15, batch);
    assert_series_same(wv, batch, N_BARS);
    stom_roc_batch(c, N_BARS, 15, batch);
    assert_series_same(rv, batch, N_BARS);
    stom_bollinger_batch(c, N_BARS, 15, 2.0, NULL, NULL, batch);
    assert_series_same(bv, batch, N_BARS);
    stom_sma_free(&s);
    stom_wma_free(&w);
    stom_roc_free(&r);
    stom_bollinger_free(&b);
}
END_TEST

START_TEST(batch_output_may_overwrite_its_input)
{
    static double c[N_BARS], want[N_BARS];
    make_closes(c, N_BARS, 11);
    ck_assert_int_eq(stom_ema_batch(c, N_BARS, 20, want), 0);
    ck_assert_int_eq(stom_ema_batch(c, N_BARS, 20, c), 0);
    assert_series_same(c, want, N_BARS);
}
END_TEST

START_TEST(bad_periods_are_refused_and_the_refused_struct_frees_safely)
{
    const int bad[] = {0, -1, -2147483647 - 1, STOM_IND_MAX_PERIOD + 1};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int p = bad[k];
        stom_sma s;
        stom_ema e;
        stom_wma w;
        stom_bollinger b;
        stom_highest h;
        stom_lowest l;
        stom_roc r;
        stom_macd m;
        ck_assert_int_eq(stom_sma_init(&s, p), STOM_EINVAL);
        ck_assert_int_eq(stom_ema_init(&e, p), STOM_EINVAL);
        ck_assert_int_eq(stom_wma_init(&w, p), STOM_EINVAL);
        ck_assert_int_eq(stom_bollinger_init(&b, p, 2.0), STOM_EINVAL);
        ck_assert_int_eq(stom_highest_init(&h, p), STOM_EINVAL);
        ck_assert_int_eq(stom_lowest_init(&l, p), STOM_EINVAL);
        ck_assert_int_eq(stom_roc_init(&r, p), STOM_EINVAL);
        ck_assert_int_eq(stom_macd_init(&m, p, 26, 9), STOM_EINVAL);
        ck_assert_int_eq(stom_macd_init(&m, 12, 26, p), STOM_EINVAL);
        stom_sma_free(&s);
        stom_wma_free(&w);
        stom_bollinger_free(&b);
        stom_highest_free(&h);
        stom_lowest_free(&l);
        stom_roc_free(&r);
        double in[1] = {1}, out[1] = {42};
        ck_assert_int_eq(stom_sma_batch(in, 1, p, out), STOM_EINVAL);
        ck_assert_double_eq(out[0], 42); /* untouched */
    }
    stom_sma s;
    ck_assert_int_eq(stom_sma_init(&s, STOM_IND_MAX_PERIOD), 0);
    stom_sma_free(&s);
    stom_sma_free(NULL);
}
END_TEST

START_TEST(bad_secondary_parameters_are_refused)
{
    stom_ema e;
    stom_macd m;
    stom_bollinger b;
    ck_assert_int_eq(stom_ema_init_alpha(&e, 5, 0.0), STOM_EINVAL);
    ck_assert_int_eq(stom_ema_init_alpha(&e, 5, 1.5), STOM_EINVAL);
    ck_assert_int_eq(stom_ema_init_alpha(&e, 5, NAN), STOM_EINVAL);
    ck_assert_int_eq(stom_ema_init_alpha(&e, 5, 1.0), 0);
    ck_assert_int_eq(stom_macd_init(&m, 26, 12, 9), STOM_EINVAL);
    ck_assert_int_eq(stom_macd_init(&m, 12, 12, 9), STOM_EINVAL);
    ck_assert_int_eq(stom_bollinger_init(&b, 20, -1.0), STOM_EINVAL);
    ck_assert_int_eq(stom_bollinger_init(&b, 20, NAN), STOM_EINVAL);
    ck_assert_int_eq(stom_bollinger_init(&b, 20, INFINITY), STOM_EINVAL);
    stom_bollinger_free(&b);
}
END_TEST

START_TEST(null_arrays_are_refused_unless_the_input_is_empty)
{
    double in[3] = {1, 2, 3}, out[3];
    ck_assert_int_eq(stom_sma_batch(NULL, 3, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_sma_batch(in, 3, 2, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_sma_batch(NULL, 0, 2, NULL), 0);
    ck_assert_int_eq(stom_ema_batch(NULL, 3, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_wma_batch(in, 3, 2, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_highest_batch(NULL, 3, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_lowest_batch(NULL, 3, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_roc_batch(NULL, 3, 2, out), STOM_EINVAL);
    ck_assert_int_eq(stom_macd_batch(NULL, 3, 1, 2, 1, out, NULL, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_macd_batch(in, 3, 1, 2, 1, NULL, NULL, NULL), 0);
    ck_assert_int_eq(stom_bollinger_batch(NULL, 3, 2, 2.0, out, NULL, NULL), STOM_EINVAL);
}
END_TEST

static Suite *indicators_suite(void)
{
    Suite *s = suite_create("indicators");
    TCase *tc = tcase_create("averages_and_windows");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, sma_of_one_to_five_over_three_is_two_three_four);
    tcase_add_test(tc, sma_matches_a_naive_window_mean_on_a_random_walk);
    tcase_add_test(tc, sma_does_not_drift_over_a_million_updates_far_from_zero);
    tcase_add_test(tc, a_window_of_the_largest_period_costs_constant_time_per_bar);
    tcase_add_test(tc, ema_is_seeded_with_the_sma_then_smooths_by_two_over_n_plus_one);
    tcase_add_test(tc, ema_matches_its_closed_form_weighted_sum);
    tcase_add_test(tc, ema_with_alpha_one_over_n_is_wilders_running_average);
    tcase_add_test(tc, wma_weights_the_newest_value_most);
    tcase_add_test(tc, wma_matches_a_naive_weighted_window);
    tcase_add_test(tc, macd_worked_by_hand_with_periods_two_three_two);
    tcase_add_test(tc, macd_starts_the_fast_ema_so_both_seed_on_the_same_bar);
    tcase_add_test(tc, bollinger_of_the_textbook_eight_values_is_five_plus_minus_four);
    tcase_add_test(tc, bollinger_matches_a_two_pass_standard_deviation);
    tcase_add_test(tc, bollinger_of_a_flat_window_has_zero_width_not_nan);
    tcase_add_test(tc, highest_and_lowest_of_pi_digits_over_three);
    tcase_add_test(tc, highest_and_lowest_match_a_naive_scan_of_the_window);
    tcase_add_test(tc, roc_is_percent_change_against_period_bars_ago);
    tcase_add_test(tc, roc_matches_a_direct_ratio_on_a_random_walk);
    tcase_add_test(tc, warm_up_ends_on_the_documented_bar);
    tcase_add_test(tc, streaming_updates_give_exactly_the_batch_numbers);
    tcase_add_test(tc, batch_output_may_overwrite_its_input);
    tcase_add_test(tc, bad_periods_are_refused_and_the_refused_struct_frees_safely);
    tcase_add_test(tc, bad_secondary_parameters_are_refused);
    tcase_add_test(tc, null_arrays_are_refused_unless_the_input_is_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = indicators_suite();
    return stom_test_run(s);
}
