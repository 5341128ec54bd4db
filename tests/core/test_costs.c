/*
 * test_costs.c - commission, sell tax, rate parsing and slippage, to the won.
 *
 * Rates are per STOM_RATE_SCALE (1e8): 0.015% = 15,000, 0.20% = 200,000.
 */
#include <stdint.h>

#include "stom/costs.h"
#include "stom/error.h"
#include "test_support.h"

static stom_instrument krx(stom_board b)
{
    stom_instrument i;
    stom_instrument_init(&i, "005930", STOM_MARKET_KRX, b);
    return i;
}

static stom_instrument other(stom_market m)
{
    stom_instrument i;
    stom_instrument_init(&i, "X", m, STOM_BOARD_NONE);
    return i;
}

START_TEST(the_default_model_charges_0_015_percent_auto_tax_and_no_slippage)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    ck_assert_int_eq(m.commission_rate, 15000);
    ck_assert_int_eq(m.tax_mode, STOM_TAX_AUTO);
    ck_assert_int_eq(m.slippage_mode, STOM_SLIPPAGE_NONE);
}
END_TEST

START_TEST(commission_is_truncated_below_one_won)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    /* 1,234,567 x 0.015% = 185.18505 -> 185. */
    ck_assert_int_eq(stom_commission(&m, 1234567), 185);
    /* 66,666 x 0.015% = 9.9999 -> 9. */
    ck_assert_int_eq(stom_commission(&m, 66666), 9);
    ck_assert_int_eq(stom_commission(&m, 66667), 10); /* 10.00005 */
    /* 10^15 x 0.015% = 150,000,000,000 exactly. */
    ck_assert_int_eq(stom_commission(&m, 1000000000000000LL), 150000000000LL);
    /* 0.004% of 99,999 = 3.99996 -> 3. */
    m.commission_rate = 4000;
    ck_assert_int_eq(stom_commission(&m, 99999), 3);
    ck_assert_int_eq(stom_commission(&m, 0), 0);
    ck_assert_int_eq(stom_commission(&m, -5000000), 0);
    m.commission_rate = 0;
    ck_assert_int_eq(stom_commission(&m, 1234567), 0);
}
END_TEST

START_TEST(kospi_and_kosdaq_tax_changes_on_each_table_date)
{
    static const struct {
        int32_t date;
        int64_t rate;
    } rows[] = {
        {20150101, 300000}, {20190602, 300000}, {20190603, 250000}, {20201231, 250000},
        {20210101, 230000}, {20221231, 230000}, {20230101, 200000}, {20231231, 200000},
        {20240101, 180000}, {20241231, 180000}, {20250101, 150000}, {20251231, 150000},
        {20260101, 200000}, {20301231, 200000},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KOSPI, rows[i].date), rows[i].rate);
        ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KOSDAQ, rows[i].date), rows[i].rate);
    }
}
END_TEST

START_TEST(konex_pays_0_10_percent_since_june_2019_and_funds_pay_none)
{
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KONEX, 20190602), 300000);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KONEX, 20190603), 100000);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KONEX, 20250101), 100000);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_KONEX, 20260101), 100000);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_ETF, 20240101), 0);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_ETN, 20180101), 0);
    ck_assert_int_eq(stom_krx_sell_tax_rate(STOM_BOARD_NONE, 20240101), 0);
}
END_TEST

START_TEST(sell_tax_follows_board_and_date_and_is_truncated)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    stom_instrument kospi = krx(STOM_BOARD_KOSPI), konex = krx(STOM_BOARD_KONEX);
    stom_instrument etf = krx(STOM_BOARD_ETF);
    /* 1,234,567 x 0.18% = 2,222.2206 -> 2,222; x 0.15% = 1,851.8505 -> 1,851. */
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20241231, 1234567), 2222);
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20250102, 1234567), 1851);
    /* x 0.20% = 2,469.134 -> 2,469 (2023 and again 2026). */
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20230601, 1234567), 2469);
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20260102, 1234567), 2469);
    /* KONEX x 0.10% = 1,234.567 -> 1,234. */
    ck_assert_int_eq(stom_sell_tax(&m, &konex, 20250102, 1234567), 1234);
    ck_assert_int_eq(stom_sell_tax(&m, &etf, 20250102, 1234567), 0);
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20250102, 0), 0);
}
END_TEST

START_TEST(non_krx_instruments_pay_no_auto_tax_but_fixed_tax_applies_to_all)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    stom_instrument us = other(STOM_MARKET_US), kospi = krx(STOM_BOARD_KOSPI);
    ck_assert_int_eq(stom_sell_tax(&m, &us, 20250102, 1234567), 0);
    m.tax_mode = STOM_TAX_FIXED;
    m.tax_rate = 250000; /* 0.25% */
    /* 1,234,567 cents x 0.25% = 3,086.4175 -> 3,086. */
    ck_assert_int_eq(stom_sell_tax(&m, &us, 20250102, 1234567), 3086);
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20250102, 1234567), 3086);
    m.tax_mode = STOM_TAX_NONE;
    ck_assert_int_eq(stom_sell_tax(&m, &kospi, 20250102, 1234567), 0);
}
END_TEST

START_TEST(percentages_parse_exactly_into_rate_units)
{
    static const struct {
        const char *s;
        int64_t rate;
    } ok[] = {
        {"0.015", 15000},        {"0.25", 250000}, {"100", 100000000}, {"0", 0},
        {"0.000001", 1},         {".5", 500000},   {"5.", 5000000},    {"0.015%", 15000},
        {"1.5000000", 1500000},  {"+0.2", 200000}, {"-0", 0},          {"007", 7000000},
        {"99.999999", 99999999},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t r = -1;
        ck_assert_msg(stom_rate_parse_pct(ok[i].s, &r) == 0, "%s refused", ok[i].s);
        ck_assert_msg(r == ok[i].rate, "%s -> %lld", ok[i].s, (long long)r);
    }
}
END_TEST

START_TEST(malformed_or_out_of_range_percentages_are_refused_untouched)
{
    static const struct {
        const char *s;
        int err;
    } bad[] = {
        {"", STOM_EFORMAT},
        {".", STOM_EFORMAT},
        {"abc", STOM_EFORMAT},
        {"1.2.3", STOM_EFORMAT},
        {" 1", STOM_EFORMAT},
        {"1 ", STOM_EFORMAT},
        {"0.0000001", STOM_EFORMAT},
        {"1e2", STOM_EFORMAT},
        {"%", STOM_EFORMAT},
        {"100.000001", STOM_ERANGE},
        {"101", STOM_ERANGE},
        {"-0.1", STOM_ERANGE},
        {"99999999999999999999999", STOM_ERANGE},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t r = 77;
        ck_assert_msg(stom_rate_parse_pct(bad[i].s, &r) == bad[i].err, "%s", bad[i].s);
        ck_assert_int_eq(r, 77);
    }
    ck_assert_int_eq(stom_rate_parse_pct(NULL, NULL), STOM_EFORMAT);
}
END_TEST

START_TEST(tick_slippage_moves_along_the_krx_grid_against_the_order)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    stom_instrument k = krx(STOM_BOARD_KOSPI);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 19990, 1), 19990); /* none */
    m.slippage_mode = STOM_SLIPPAGE_TICKS;
    m.slippage_ticks = 1;
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 19990, 1), 20000);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 20000, -1), 19990);
    m.slippage_ticks = 2;
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 19990, 1), 20050);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 3, -1), 1);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 19990, 0), 19990);
}
END_TEST

START_TEST(tick_slippage_elsewhere_is_one_price_unit_per_tick)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    stom_instrument us = other(STOM_MARKET_US), btc = other(STOM_MARKET_CRYPTO);
    m.slippage_mode = STOM_SLIPPAGE_TICKS;
    m.slippage_ticks = 3;
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10001, 1), 10004);
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10001, -1), 9998);
    ck_assert_int_eq(stom_slipped_price(&m, &btc, 20240603, 2, -1), 1);
}
END_TEST

START_TEST(bps_slippage_is_rounded_against_the_order)
{
    stom_cost_model m;
    stom_cost_model_default(&m);
    stom_instrument k = krx(STOM_BOARD_KOSPI), us = other(STOM_MARKET_US);
    m.slippage_mode = STOM_SLIPPAGE_BPS;
    m.slippage_bps = 15;
    /* 10,000 +/- 15 = 10,015 / 9,985, then to the 10-won grid: 10,020 / 9,980. */
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 10000, 1), 10020);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 10000, -1), 9980);
    /* 55,500 x 10 bp = 55.5: 55,555.5 up to 55,556 -> 55,600; 55,444.5 -> 55,400. */
    m.slippage_bps = 10;
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 55500, 1), 55600);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 55500, -1), 55400);
    /* US cents: 10,001 x 5 bp = 5.0005 -> buy 10,007, sell 9,995. */
    m.slippage_bps = 5;
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10001, 1), 10007);
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10001, -1), 9995);
    /* An exact move is not rounded further: 10,000 x 5 bp = 5. */
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10000, 1), 10005);
    /* Selling with 100% or more slippage still leaves one unit / one tick. */
    m.slippage_bps = 20000;
    ck_assert_int_eq(stom_slipped_price(&m, &us, 20240603, 10000, -1), 1);
    ck_assert_int_eq(stom_slipped_price(&m, &k, 20240603, 10000, -1), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("costs");
    TCase *tc = tcase_create("costs");
    tcase_add_test(tc, the_default_model_charges_0_015_percent_auto_tax_and_no_slippage);
    tcase_add_test(tc, commission_is_truncated_below_one_won);
    tcase_add_test(tc, kospi_and_kosdaq_tax_changes_on_each_table_date);
    tcase_add_test(tc, konex_pays_0_10_percent_since_june_2019_and_funds_pay_none);
    tcase_add_test(tc, sell_tax_follows_board_and_date_and_is_truncated);
    tcase_add_test(tc, non_krx_instruments_pay_no_auto_tax_but_fixed_tax_applies_to_all);
    tcase_add_test(tc, percentages_parse_exactly_into_rate_units);
    tcase_add_test(tc, malformed_or_out_of_range_percentages_are_refused_untouched);
    tcase_add_test(tc, tick_slippage_moves_along_the_krx_grid_against_the_order);
    tcase_add_test(tc, tick_slippage_elsewhere_is_one_price_unit_per_tick);
    tcase_add_test(tc, bps_slippage_is_rounded_against_the_order);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
