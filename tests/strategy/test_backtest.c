/*
 * test_backtest.c - the backtest runner end to end: a hand-checked run whose
 * every trade is worked out to the won below, a real-data run checked
 * against an independent calculation, and run-level invariants.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/backtest.h"
#include "stom/costs.h"
#include "stom/timeutil.h"
#include "test_support.h"

static void load(const char *path, const char *symbol, stom_bars *b)
{
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    stom_errbuf eb = {{0}};
    int rc = stom_bars_load_csv(b, path, &opt, NULL, &eb);
    ck_assert_msg(rc == 0, "load %s: %s", path, eb.msg);
}

static void run_sma(const stom_bars *b, size_t n, int fast, int slow, int64_t cash,
                    stom_backtest_result *res)
{
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p;
    stom_params_default(def, &p);
    p.v[0] = fast;
    p.v[1] = slow;
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    cfg.initial_cash = cash;
    stom_errbuf eb = {{0}};
    int rc = stom_backtest_run(def, &p, b, n, &cfg, res, &eb);
    ck_assert_msg(rc == 0, "run: %s", eb.msg);
}

/*
 * sma_cross fast=2 slow=3 on tests/fixtures/backtest/hand_checked.csv, cash
 * 1,000,000 won, commission 0.015%, KOSPI sell tax 0.18% (2024), all-in.
 * Cross test: diff = sum2 * 3 - sum3 * 2 (fast > slow  <=>  diff > 0).
 *   03-06 diff = 19,700*3 - 29,700*2 = -300
 *   03-07 diff = 20,000*3 - 29,900*2 =  200  crossover  -> buy at 03-08 open 10,250
 *   03-12 diff = 20,900*3 - 31,400*2 = -100  crossunder -> sell at 03-13 open 10,150
 *   03-14 diff = 19,600*3 - 29,800*2 = -800
 *   03-15 diff = 20,000*3 - 29,900*2 =  200  crossover  -> buy at 03-18 open 10,350
 *   03-19 the data ends: closed at the last close 10,350 (open_at_end).
 * Trade 1: 97 shares (98 x 10,250 = 1,004,500 > cash).
 *   buy  97 x 10,250 = 994,250, fee 149.1375 -> 149; cash 1,000,000 - 994,399 = 5,601
 *   sell 97 x 10,150 = 984,550, fee 147.6825 -> 147, tax 1,772.19 -> 1,772
 *   cash 5,601 + 984,550 - 147 - 1,772 = 988,232
 *   pnl = 984,550 - 994,250 - (149 + 147) - 1,772 = -11,768
 * Trade 2: 95 shares (95 x 10,350 = 983,250 + fee 147 = 983,397 <= 988,232;
 *   96 shares = 993,600 > cash). Cash 988,232 - 983,397 = 4,835.
 *   close 95 x 10,350 = 983,250, fee 147, tax 1,769.85 -> 1,769
 *   pnl = 0 - (147 + 147) - 1,769 = -2,063; cash 4,835 + 983,250 - 1,916 = 986,169
 * Final equity 986,169 = 1,000,000 - 11,768 - 2,063. Fees 590, taxes 3,541.
 */
START_TEST(the_hand_checked_sma_cross_run_matches_to_the_won)
{
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_bars b;
    load(path, "TEST01", &b);
    stom_backtest_result res;
    run_sma(&b, 1, 2, 3, 1000000, &res);
    ck_assert_uint_eq(res.n_trades, 2);
    const stom_trade *t = res.trades;
    ck_assert_int_eq(t[0].qty, 97);
    ck_assert_int_eq(t[0].entry_price, 10250);
    ck_assert_int_eq(t[0].exit_price, 10150);
    ck_assert_int_eq(stom_date_of(t[0].entry_ts, STOM_KST_OFFSET_MINUTES), 20240308);
    ck_assert_int_eq(stom_date_of(t[0].exit_ts, STOM_KST_OFFSET_MINUTES), 20240313);
    ck_assert_int_eq(t[0].fees, 296);
    ck_assert_int_eq(t[0].taxes, 1772);
    ck_assert_int_eq(t[0].pnl, -11768);
    ck_assert(!t[0].open_at_end);
    ck_assert_int_eq(t[1].qty, 95);
    ck_assert_int_eq(t[1].entry_price, 10350);
    ck_assert_int_eq(t[1].exit_price, 10350);
    ck_assert_int_eq(t[1].fees, 294);
    ck_assert_int_eq(t[1].taxes, 1769);
    ck_assert_int_eq(t[1].pnl, -2063);
    ck_assert(t[1].open_at_end);
    ck_assert_int_eq(res.metrics.final_equity, 986169);
    ck_assert_int_eq(res.metrics.fees, 590);
    ck_assert_int_eq(res.metrics.taxes, 3541);
    ck_assert_uint_eq(res.metrics.wins, 0);
    stom_backtest_result_free(&res);
    stom_bars_free(&b);
}
END_TEST

/*
 * An independent long-only sma_cross: averages in doubles recomputed from
 * scratch, crossings per TradingView, market orders at the next open,
 * all-in whole shares, commission 0.015% and the KRX sell tax by year, each
 * truncated below one won, the last position closed at the last close.
 */
typedef struct ref_trade {
    int64_t entry_ts, exit_ts, qty, pnl;
} ref_trade;

static double naive_sma(const int64_t *c, size_t i, int n)
{
    double sum = 0;
    for (int k = 0; k < n; k++)
        sum += (double)c[i - (size_t)k];
    return sum / n;
}

static int64_t ref_tax(int64_t value, int64_t ts)
{
    int year = stom_date_of(ts, STOM_KST_OFFSET_MINUTES) / 10000;
    int64_t per_100k = year == 2023 ? 200 : year == 2024 ? 180 : year == 2025 ? 150 : 200;
    return value * per_100k / 100000;
}

static size_t reference_run(const stom_bars *b, int fast, int slow, int64_t cash, ref_trade *out,
                            int64_t *final_cash)
{
    size_t n = 0;
    int64_t qty = 0, entry_cost = 0, entry_fee = 0, entry_ts = 0;
    for (size_t i = (size_t)slow; i + 1 < b->len; i++) {
        double f0 = naive_sma(b->close, i - 1, fast), s0 = naive_sma(b->close, i - 1, slow);
        double f1 = naive_sma(b->close, i, fast), s1 = naive_sma(b->close, i, slow);
        int64_t px = b->open[i + 1];
        if (qty == 0 && f0 <= s0 && f1 > s1) {
            qty = (int64_t)((double)cash / ((double)px * 1.00015));
            while (qty * px + qty * px * 15 / 100000 > cash)
                qty--;
            entry_cost = qty * px;
            entry_fee = entry_cost * 15 / 100000;
            cash -= entry_cost + entry_fee;
            entry_ts = b->ts[i + 1];
        } else if (qty > 0 && f0 >= s0 && f1 < s1) {
            int64_t v = qty * px, fee = v * 15 / 100000, tax = ref_tax(v, b->ts[i + 1]);
            cash += v - fee - tax;
            out[n++] =
                (ref_trade){entry_ts, b->ts[i + 1], qty, v - entry_cost - entry_fee - fee - tax};
            qty = 0;
        }
    }
    if (qty > 0) {
        int64_t v = qty * b->close[b->len - 1], fee = v * 15 / 100000;
        int64_t tax = ref_tax(v, b->ts[b->len - 1]);
        cash += v - fee - tax;
        out[n++] =
            (ref_trade){entry_ts, b->ts[b->len - 1], qty, v - entry_cost - entry_fee - fee - tax};
    }
    *final_cash = cash;
    return n;
}

static void check_against_reference(const char *rel, int fast, int slow)
{
    char path[512];
    if (!stom_test_shared_path(rel, path, sizeof path)) {
        printf("skipped: %s is not present (../shared/data absent)\n", rel);
        return;
    }
    stom_bars b;
    load(path, "REAL", &b);
    stom_backtest_result res;
    run_sma(&b, 1, fast, slow, 10000000, &res);
    ref_trade *ref = calloc(b.len, sizeof *ref);
    int64_t final_cash = 0;
    size_t n = reference_run(&b, fast, slow, 10000000, ref, &final_cash);
    ck_assert_uint_gt(n, 3);
    ck_assert_uint_eq(res.n_trades, n);
    for (size_t k = 0; k < n; k++) {
        ck_assert_int_eq(res.trades[k].entry_ts, ref[k].entry_ts);
        ck_assert_int_eq(res.trades[k].exit_ts, ref[k].exit_ts);
        ck_assert_int_eq(res.trades[k].qty, ref[k].qty);
        ck_assert_int_eq(res.trades[k].pnl, ref[k].pnl);
    }
    ck_assert_int_eq(res.metrics.final_equity, final_cash);
    free(ref);
    stom_backtest_result_free(&res);
    stom_bars_free(&b);
}

START_TEST(sma_cross_on_real_samsung_data_matches_an_independent_calculation)
{
    /* 005930 Samsung Electronics, 2023-12-05 .. 2025-06-17, pykrx daily. */
    check_against_reference("krx-daily/invest_kr_pykrx/005930.csv", 5, 20);
}
END_TEST

START_TEST(sma_cross_on_real_sk_hynix_data_matches_an_independent_calculation)
{
    check_against_reference("krx-daily/invest_kr_pykrx/000660.csv", 10, 30);
}
END_TEST

START_TEST(a_run_is_reproducible_and_its_trades_add_up_to_the_final_equity)
{
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_bars b;
    load(path, "TEST01", &b);
    stom_backtest_result r1, r2;
    run_sma(&b, 1, 2, 3, 1000000, &r1);
    run_sma(&b, 1, 2, 3, 1000000, &r2);
    ck_assert_uint_eq(r1.n_trades, r2.n_trades);
    ck_assert_int_eq(memcmp(r1.trades, r2.trades, r1.n_trades * sizeof *r1.trades), 0);
    ck_assert_int_eq(memcmp(r1.equity, r2.equity, r1.n * sizeof *r1.equity), 0);
    int64_t sum = 0;
    for (size_t k = 0; k < r1.n_trades; k++)
        sum += r1.trades[k].pnl;
    ck_assert_int_eq(r1.metrics.final_equity, 1000000 + sum);
    stom_backtest_result_free(&r1);
    stom_backtest_result_free(&r2);
    stom_bars_free(&b);
}
END_TEST

START_TEST(two_symbols_share_one_cash_account_on_a_merged_timeline)
{
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_bars b[2];
    load(path, "AAA", &b[0]);
    load(path, "BBB", &b[1]);
    stom_backtest_result res;
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p;
    stom_params_default(def, &p);
    p.v[0] = 2;
    p.v[1] = 3;
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    cfg.initial_cash = 1000000;
    cfg.exchange.sizing.kind = STOM_SIZE_PCT;
    cfg.exchange.sizing.value = 4000; /* 40% of equity each */
    stom_errbuf eb;
    ck_assert_int_eq(stom_backtest_run(def, &p, b, 2, &cfg, &res, &eb), 0);
    ck_assert_uint_eq(res.n, b[0].len); /* same timestamps: one point each */
    ck_assert_uint_eq(res.n_trades, 4);
    ck_assert_int_eq(res.metrics.max_concurrent_positions, 2);
    int64_t sum = 0;
    for (size_t k = 0; k < res.n_trades; k++)
        sum += res.trades[k].pnl;
    ck_assert_int_eq(res.metrics.final_equity, 1000000 + sum);
    stom_backtest_result_free(&res);
    stom_bars_free(&b[0]);
    stom_bars_free(&b[1]);
}
END_TEST

START_TEST(refused_parameters_and_empty_data_are_clear_errors)
{
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p;
    stom_params_default(def, &p);
    p.v[0] = 30;
    p.v[1] = 10;
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_bars b;
    load(path, "TEST01", &b);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_backtest_run(def, &p, &b, 1, &cfg, &res, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "fast < slow"));
    stom_params_default(def, &p);
    stom_bars_slice(&b, 0, 1);
    ck_assert_int_eq(stom_backtest_run(def, &p, &b, 1, &cfg, &res, &eb), STOM_EEMPTY);
    stom_bars_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("backtest");
    TCase *tc = tcase_create("backtest");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_hand_checked_sma_cross_run_matches_to_the_won);
    tcase_add_test(tc, sma_cross_on_real_samsung_data_matches_an_independent_calculation);
    tcase_add_test(tc, sma_cross_on_real_sk_hynix_data_matches_an_independent_calculation);
    tcase_add_test(tc, a_run_is_reproducible_and_its_trades_add_up_to_the_final_equity);
    tcase_add_test(tc, two_symbols_share_one_cash_account_on_a_merged_timeline);
    tcase_add_test(tc, refused_parameters_and_empty_data_are_clear_errors);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
