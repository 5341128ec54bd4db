/*
 * test_indicators_oscillators.c - RSI, stochastic, Williams %R and CCI
 * against hand-worked values, naive references written differently from the
 * library, the midpoint convention for flat windows, and streaming == batch.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stom/error.h"
#include "stom/indicators.h"
#include "test_support.h"

#define N_BARS 400

typedef struct bars {
    double high[N_BARS], low[N_BARS], close[N_BARS];
} bars;

/* A reproducible whole-won random walk around 50,000 with an intraday range,
 * and a five-bar halt (high = low = close) every 47 bars. */
static void make_bars(bars *b, uint64_t seed)
{
    uint64_t s = seed;
    double price = 50000.0;
    for (size_t i = 0; i < N_BARS; i++) {
        double u[3];
        for (int k = 0; k < 3; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            u[k] = (double)(s >> 11) / 9007199254740992.0;
        }
        double open = price;
        if (i % 47 >= 42) {
            b->high[i] = b->low[i] = b->close[i] = price;
            continue;
        }
        price = round(price * (1.0 + (u[0] - 0.5) * 0.04));
        b->close[i] = price;
        b->high[i] = fmax(open, price) + round(u[1] * 400.0);
        b->low[i] = fmin(open, price) - round(u[2] * 400.0);
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

/* ---- naive references ---- */

/* Wilder's RSI in his own form: separate gain/loss series, sums for the
 * seed, then avg = (avg * (n-1) + x) / n. */
static void ref_rsi(const double *x, size_t len, int n, double *out)
{
    double g = 0.0, l = 0.0;
    for (size_t i = 0; i < len; i++) {
        out[i] = NAN;
        if (i == 0)
            continue;
        double up = fmax(x[i] - x[i - 1], 0.0), down = fmax(x[i - 1] - x[i], 0.0);
        if (i <= (size_t)n) {
            g += up;
            l += down;
            if (i < (size_t)n)
                continue;
            g /= n;
            l /= n;
        } else {
            g = (g * (n - 1) + up) / n;
            l = (l * (n - 1) + down) / n;
        }
        out[i] = g + l == 0.0 ? 50.0 : 100.0 * g / (g + l);
    }
}

static double window_max(const double *x, size_t i, int p)
{
    double m = -INFINITY;
    for (size_t j = i + 1 - (size_t)p; j <= i; j++)
        m = x[j] > m ? x[j] : m;
    return m;
}

static double window_min(const double *x, size_t i, int p)
{
    double m = INFINITY;
    for (size_t j = i + 1 - (size_t)p; j <= i; j++)
        m = x[j] < m ? x[j] : m;
    return m;
}

/* Mean of x[i-p+1..i] when all are defined, else NaN. */
static double window_mean(const double *x, size_t i, int p)
{
    if (i + 1 < (size_t)p)
        return NAN;
    double s = 0.0;
    for (size_t j = i + 1 - (size_t)p; j <= i; j++)
        s += x[j];
    return s / p;
}

static void ref_stochastic(const bars *b, int kp, int ks, int dp, double *k, double *d)
{
    static double raw[N_BARS];
    for (size_t i = 0; i < N_BARS; i++) {
        raw[i] = NAN;
        if (i + 1 < (size_t)kp)
            continue;
        double hi = window_max(b->high, i, kp), lo = window_min(b->low, i, kp);
        raw[i] = hi == lo ? 50.0 : (b->close[i] - lo) / (hi - lo) * 100.0;
    }
    for (size_t i = 0; i < N_BARS; i++)
        k[i] = window_mean(raw, i, ks); /* NaN raw values make it NaN too */
    for (size_t i = 0; i < N_BARS; i++)
        d[i] = window_mean(k, i, dp);
}

/* ---- RSI ---- */

START_TEST(rsi_reproduces_the_classic_fourteen_period_example)
{
    /* StockCharts' RSI example closes. Over the first 14 changes the gains
     * sum to 3.34 and the losses to 1.40, so the first RSI (bar 14) is
     * 100 * 3.34 / 4.74 = 70.4641. StockCharts prints 70.53 because it
     * rounds the averages; unrounded (as TA-Lib) the series is:
     *
     *   d = [b - a for a, b in zip(c, c[1:])]
     *   g = sum(max(x, 0) for x in d[:n]) / n
     *   l = sum(max(-x, 0) for x in d[:n]) / n
     *   out = [100 * g / (g + l)]
     *   for x in d[n:]:
     *       g = (g * (n - 1) + max(x, 0)) / n
     *       l = (l * (n - 1) + max(-x, 0)) / n
     *       out.append(100 * g / (g + l))
     *   print(', '.join('%.12f' % v for v in out))   # python3, n = 14
     */
    static const double c[] = {44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84,
                               46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.00, 46.03, 46.41,
                               46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03,
                               44.18, 44.22, 44.57, 43.42, 42.66, 43.13};
    static const double want[] = {
        70.464135021097, 66.249618553555, 66.480941834713, 69.346853162909, 66.294712658926,
        57.915020670086, 62.880718309962, 63.208788718288, 56.011584789548, 62.339929310898,
        54.670971377655, 50.386815195114, 40.019423791314, 41.492635404223, 41.902429678458,
        45.499497238680, 37.322778313380, 33.090482572723, 37.788771982058};
    enum { N = sizeof c / sizeof c[0] };
    double out[N];
    ck_assert_int_eq(stom_rsi_batch(c, N, 14, out), 0);
    for (size_t i = 0; i < 14; i++)
        ck_assert(isnan(out[i]));
    for (size_t i = 14; i < N; i++)
        ck_assert_double_eq_tol(out[i], want[i - 14], 1e-9);
}
END_TEST

START_TEST(rsi_matches_wilders_recursion_on_a_random_walk)
{
    static bars b;
    static double got[N_BARS], want[N_BARS];
    make_bars(&b, 21);
    const int periods[] = {1, 2, 14, 50};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        ck_assert_int_eq(stom_rsi_batch(b.close, N_BARS, periods[k], got), 0);
        ref_rsi(b.close, N_BARS, periods[k], want);
        for (size_t i = 0; i < N_BARS; i++)
            assert_close_at(got[i], want[i], 1e-9, i);
    }
}
END_TEST

START_TEST(rsi_reads_fifty_when_nothing_moves_and_its_bounds_on_one_way_moves)
{
    /* No gain and no loss: stom reads 50 where TA-Lib reads 0, so that an
     * "RSI < 30" rule does not buy a halted stock. */
    double flat[20], up[20], down[20], out[20];
    for (int i = 0; i < 20; i++) {
        flat[i] = 71000.0;
        up[i] = 1000.0 + i;
        down[i] = 1000.0 - i;
    }
    ck_assert_int_eq(stom_rsi_batch(flat, 20, 14, out), 0);
    ck_assert_double_eq(out[19], 50.0);
    ck_assert_int_eq(stom_rsi_batch(up, 20, 14, out), 0);
    ck_assert_double_eq(out[19], 100.0);
    ck_assert_int_eq(stom_rsi_batch(down, 20, 14, out), 0);
    ck_assert_double_eq(out[19], 0.0);
}
END_TEST

START_TEST(rsi_is_ready_from_bar_period_because_bar_zero_has_no_change)
{
    stom_rsi r;
    ck_assert_int_eq(stom_rsi_init(&r, 3), 0);
    const double x[] = {10, 11, 10, 12, 13};
    for (int i = 0; i < 5; i++) {
        double v = stom_rsi_update(&r, x[i]);
        ck_assert(r.ready == (i >= 3));
        ck_assert(isnan(v) == (i < 3));
    }
}
END_TEST

/* ---- stochastic and Williams %R ---- */

/* H, L, C of five bars for the hand-worked values below. */
static const double hand_high[] = {10, 12, 11, 13, 12};
static const double hand_low[] = {8, 9, 9, 10, 11};
static const double hand_close[] = {9, 11, 10, 12, 11};

START_TEST(stochastic_worked_by_hand_over_three_bars)
{
    /* k_period 3, no smoothing, d_period 2.
     * bar 2: HH 12, LL 8:  %K = 100 * (10-8) / 4 = 50.
     * bar 3: HH 13, LL 9:  %K = 100 * (12-9) / 4 = 75, %D = 62.5.
     * bar 4: HH 13, LL 9:  %K = 100 * (11-9) / 4 = 50, %D = 62.5. */
    double k[5], d[5];
    ck_assert_int_eq(stom_stochastic_batch(hand_high, hand_low, hand_close, 5, 3, 1, 2, k, d), 0);
    ck_assert(isnan(k[1]) && isnan(d[2]));
    ck_assert_double_eq_tol(k[2], 50.0, 1e-12);
    ck_assert_double_eq_tol(k[3], 75.0, 1e-12);
    ck_assert_double_eq_tol(d[3], 62.5, 1e-12);
    ck_assert_double_eq_tol(k[4], 50.0, 1e-12);
    ck_assert_double_eq_tol(d[4], 62.5, 1e-12);
}
END_TEST

START_TEST(stochastic_matches_naive_window_ranges_fast_and_slow)
{
    static bars b;
    static double k[N_BARS], d[N_BARS], wk[N_BARS], wd[N_BARS];
    make_bars(&b, 22);
    const int cfg[][3] = {{14, 3, 3}, {5, 1, 3}, {1, 1, 1}, {20, 5, 7}};
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
        ck_assert_int_eq(stom_stochastic_batch(b.high, b.low, b.close, N_BARS, cfg[c][0], cfg[c][1],
                                               cfg[c][2], k, d),
                         0);
        ref_stochastic(&b, cfg[c][0], cfg[c][1], cfg[c][2], wk, wd);
        for (size_t i = 0; i < N_BARS; i++) {
            assert_close_at(k[i], wk[i], 1e-11, i);
            assert_close_at(d[i], wd[i], 1e-11, i);
        }
    }
}
END_TEST

START_TEST(williams_r_worked_by_hand_over_three_bars)
{
    /* %R = -100 * (HH - C) / (HH - LL):
     * bar 2: -100 * (12-10) / 4 = -50; bar 3: -100 * (13-12) / 4 = -25;
     * bar 4: -100 * (13-11) / 4 = -50. */
    const double want[] = {NAN, NAN, -50, -25, -50};
    double out[5];
    ck_assert_int_eq(stom_williams_r_batch(hand_high, hand_low, hand_close, 5, 3, out), 0);
    for (size_t i = 0; i < 5; i++)
        assert_close_at(out[i], want[i], 1e-12, i);
}
END_TEST

START_TEST(williams_r_matches_a_naive_window_range)
{
    static bars b;
    static double got[N_BARS];
    make_bars(&b, 23);
    const int p = 14;
    ck_assert_int_eq(stom_williams_r_batch(b.high, b.low, b.close, N_BARS, p, got), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double want = NAN;
        if (i + 1 >= (size_t)p) {
            double hi = window_max(b.high, i, p), lo = window_min(b.low, i, p);
            want = hi == lo ? -50.0 : (b.close[i] - hi) / (hi - lo) * 100.0;
        }
        assert_close_at(got[i], want, 1e-11, i);
    }
}
END_TEST

START_TEST(a_flat_range_reads_the_midpoint_not_an_extreme)
{
    /* high == low == close over the whole window: TA-Lib would report
     * %K 0 and %R 0; stom reports 50 and -50. */
    double p[6] = {700, 700, 700, 700, 700, 700}, k[6], d[6], r[6];
    ck_assert_int_eq(stom_stochastic_batch(p, p, p, 6, 3, 1, 3, k, d), 0);
    ck_assert_double_eq(k[5], 50.0);
    ck_assert_double_eq(d[5], 50.0);
    ck_assert_int_eq(stom_williams_r_batch(p, p, p, 6, 3, r), 0);
    ck_assert_double_eq(r[5], -50.0);
}
END_TEST

/* ---- CCI ---- */

START_TEST(cci_worked_by_hand_with_one_price_per_bar)
{
    /* high = low = close, so the typical price is the close. period 3:
     * bar 2: window 1,2,3, mean 2, mean |dev| (1+0+1)/3 = 2/3,
     *        CCI = (3-2) / (0.015 * 2/3) = 1 / 0.01 = 100.
     * bar 3: window 2,3,5, mean 10/3, mean |dev| (4/3+1/3+5/3)/3 = 10/9,
     *        CCI = (5/3) / (0.015 * 10/9) = (5/3) / (1/60) = 100.
     * bar 4: window 3,5,1, mean 3, mean |dev| (0+2+2)/3 = 4/3,
     *        CCI = (1-3) / (0.015 * 4/3) = -2 / 0.02 = -100. */
    const double x[] = {1, 2, 3, 5, 1};
    const double want[] = {NAN, NAN, 100, 100, -100};
    double out[5];
    ck_assert_int_eq(stom_cci_batch(x, x, x, 5, 3, out), 0);
    for (size_t i = 0; i < 5; i++)
        assert_close_at(out[i], want[i], 1e-12, i);
}
END_TEST

START_TEST(cci_matches_a_naive_mean_deviation)
{
    static bars b;
    static double tp[N_BARS], got[N_BARS];
    make_bars(&b, 24);
    for (size_t i = 0; i < N_BARS; i++)
        tp[i] = (b.high[i] + b.low[i] + b.close[i]) / 3.0;
    const int p = 20;
    ck_assert_int_eq(stom_cci_batch(b.high, b.low, b.close, N_BARS, p, got), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        double want = NAN;
        if (i + 1 >= (size_t)p) {
            double mean = window_mean(tp, i, p), mad = 0.0;
            for (size_t j = i + 1 - (size_t)p; j <= i; j++)
                mad += fabs(tp[j] - mean) / p;
            want = mad == 0.0 ? 0.0 : (tp[i] - mean) / mad / 0.015;
        }
        assert_close_at(got[i], want, 1e-9, i);
    }
}
END_TEST

START_TEST(cci_of_a_flat_window_is_zero)
{
    double x[4] = {5, 5, 5, 5}, out[4];
    ck_assert_int_eq(stom_cci_batch(x, x, x, 4, 3, out), 0);
    ck_assert_double_eq(out[3], 0.0);
}
END_TEST

/* ---- shared contract ---- */

START_TEST(streaming_updates_give_exactly_the_batch_numbers)
{
    static bars b;
    static double sr[N_BARS], sk[N_BARS], sd[N_BARS], sw[N_BARS], sc[N_BARS];
    static double br[N_BARS], bk[N_BARS], bd[N_BARS], bw[N_BARS], bc[N_BARS];
    make_bars(&b, 25);
    stom_rsi r;
    stom_stochastic st;
    stom_williams_r w;
    stom_cci c;
    ck_assert_int_eq(stom_rsi_init(&r, 9), 0);
    ck_assert_int_eq(stom_stochastic_init(&st, 9, 3, 4), 0);
    ck_assert_int_eq(stom_williams_r_init(&w, 9), 0);
    ck_assert_int_eq(stom_cci_init(&c, 9), 0);
    for (size_t i = 0; i < N_BARS; i++) {
        sr[i] = stom_rsi_update(&r, b.close[i]);
        stom_stochastic_value v = stom_stochastic_update(&st, b.high[i], b.low[i], b.close[i]);
        sk[i] = v.k;
        sd[i] = v.d;
        sw[i] = stom_williams_r_update(&w, b.high[i], b.low[i], b.close[i]);
        sc[i] = stom_cci_update(&c, b.high[i], b.low[i], b.close[i]);
    }
    stom_rsi_batch(b.close, N_BARS, 9, br);
    stom_stochastic_batch(b.high, b.low, b.close, N_BARS, 9, 3, 4, bk, bd);
    stom_williams_r_batch(b.high, b.low, b.close, N_BARS, 9, bw);
    stom_cci_batch(b.high, b.low, b.close, N_BARS, 9, bc);
    assert_series_same(sr, br, N_BARS);
    assert_series_same(sk, bk, N_BARS);
    assert_series_same(sd, bd, N_BARS);
    assert_series_same(sw, bw, N_BARS);
    assert_series_same(sc, bc, N_BARS);
    stom_stochastic_free(&st);
    stom_williams_r_free(&w);
    stom_cci_free(&c);
}
END_TEST

START_TEST(stochastic_k_and_d_become_defined_on_the_documented_bars)
{
    /* %K from bar k_period + k_smooth - 2 = 5, %D d_period - 1 = 2 later. */
    static bars b;
    make_bars(&b, 26);
    stom_stochastic s;
    ck_assert_int_eq(stom_stochastic_init(&s, 4, 3, 3), 0);
    for (int i = 0; i < 10; i++) {
        stom_stochastic_value v = stom_stochastic_update(&s, b.high[i], b.low[i], b.close[i]);
        ck_assert(isnan(v.k) == (i < 5));
        ck_assert(isnan(v.d) == (i < 7) && s.ready == (i >= 7));
    }
    stom_stochastic_free(&s);
}
END_TEST

START_TEST(bad_parameters_and_null_arrays_are_refused)
{
    const int bad[] = {0, -3, STOM_IND_MAX_PERIOD + 1};
    double x[2] = {1, 2}, out[2];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int p = bad[k];
        stom_rsi r;
        stom_stochastic s;
        stom_williams_r w;
        stom_cci c;
        ck_assert_int_eq(stom_rsi_init(&r, p), STOM_EINVAL);
        ck_assert_int_eq(stom_stochastic_init(&s, p, 3, 3), STOM_EINVAL);
        ck_assert_int_eq(stom_stochastic_init(&s, 14, p, 3), STOM_EINVAL);
        ck_assert_int_eq(stom_stochastic_init(&s, 14, 3, p), STOM_EINVAL);
        stom_stochastic_free(&s);
        ck_assert_int_eq(stom_williams_r_init(&w, p), STOM_EINVAL);
        stom_williams_r_free(&w);
        ck_assert_int_eq(stom_cci_init(&c, p), STOM_EINVAL);
        stom_cci_free(&c);
        ck_assert_int_eq(stom_rsi_batch(x, 2, p, out), STOM_EINVAL);
    }
    ck_assert_int_eq(stom_rsi_batch(NULL, 2, 14, out), STOM_EINVAL);
    ck_assert_int_eq(stom_stochastic_batch(x, NULL, x, 2, 1, 1, 1, out, out), STOM_EINVAL);
    ck_assert_int_eq(stom_stochastic_batch(x, x, x, 2, 1, 1, 1, NULL, NULL), 0);
    ck_assert_int_eq(stom_williams_r_batch(x, x, NULL, 2, 1, out), STOM_EINVAL);
    ck_assert_int_eq(stom_cci_batch(x, x, x, 2, 1, NULL), STOM_EINVAL);
    ck_assert_int_eq(stom_cci_batch(NULL, NULL, NULL, 0, 1, NULL), 0);
    stom_stochastic_free(NULL);
    stom_williams_r_free(NULL);
    stom_cci_free(NULL);
}
END_TEST

static Suite *oscillators_suite(void)
{
    Suite *s = suite_create("indicators_oscillators");
    TCase *tc = tcase_create("oscillators");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, rsi_reproduces_the_classic_fourteen_period_example);
    tcase_add_test(tc, rsi_matches_wilders_recursion_on_a_random_walk);
    tcase_add_test(tc, rsi_reads_fifty_when_nothing_moves_and_its_bounds_on_one_way_moves);
    tcase_add_test(tc, rsi_is_ready_from_bar_period_because_bar_zero_has_no_change);
    tcase_add_test(tc, stochastic_worked_by_hand_over_three_bars);
    tcase_add_test(tc, stochastic_matches_naive_window_ranges_fast_and_slow);
    tcase_add_test(tc, williams_r_worked_by_hand_over_three_bars);
    tcase_add_test(tc, williams_r_matches_a_naive_window_range);
    tcase_add_test(tc, a_flat_range_reads_the_midpoint_not_an_extreme);
    tcase_add_test(tc, cci_worked_by_hand_with_one_price_per_bar);
    tcase_add_test(tc, cci_matches_a_naive_mean_deviation);
    tcase_add_test(tc, cci_of_a_flat_window_is_zero);
    tcase_add_test(tc, streaming_updates_give_exactly_the_batch_numbers);
    tcase_add_test(tc, stochastic_k_and_d_become_defined_on_the_documented_bars);
    tcase_add_test(tc, bad_parameters_and_null_arrays_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = oscillators_suite();
    return stom_test_run(s);
}
