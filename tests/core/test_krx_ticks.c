/*
 * test_krx_ticks.c - KRX tick tables, rounding, stepping and daily limits.
 *
 * Dates: 20240603 is under the unified table (since 2023-01-25), 20221229
 * and 20230124 under the 2010-era tables.
 */
#include "stom/krx.h"
#include "test_support.h"

#define NEW 20240603
#define OLD 20221229

/* Asserts the tick at each price of a {price, tick} list. */
static void check_ticks(const int64_t (*rows)[2], int n, stom_board b, int32_t date)
{
    for (int i = 0; i < n; i++)
        ck_assert_msg(stom_krx_tick_size(rows[i][0], b, date) == rows[i][1],
                      "board %d date %d price %lld: tick %lld, want %lld", (int)b, (int)date,
                      (long long)rows[i][0], (long long)stom_krx_tick_size(rows[i][0], b, date),
                      (long long)rows[i][1]);
}

START_TEST(every_unified_band_and_boundary_has_its_tick_on_every_stock_board)
{
    static const int64_t rows[][2] = {
        {1, 1},        {1999, 1},     {2000, 5},      {4995, 5},        {4999, 5},
        {5000, 10},    {19990, 10},   {19999, 10},    {20000, 50},      {49950, 50},
        {49999, 50},   {50000, 100},  {199900, 100},  {199999, 100},    {200000, 500},
        {499500, 500}, {499999, 500}, {500000, 1000}, {10000000, 1000},
    };
    int n = (int)(sizeof(rows) / sizeof(rows[0]));
    check_ticks(rows, n, STOM_BOARD_KOSPI, NEW);
    check_ticks(rows, n, STOM_BOARD_KOSDAQ, NEW);
    check_ticks(rows, n, STOM_BOARD_KONEX, NEW);
    /* The first day of the unified table. */
    check_ticks(rows, n, STOM_BOARD_KOSDAQ, 20230125);
}
END_TEST

START_TEST(kospi_before_2023_01_25_uses_the_2010_table)
{
    static const int64_t rows[][2] = {
        {999, 1},      {1000, 5},      {4999, 5},       {5000, 10},   {9999, 10},
        {10000, 50},   {49999, 50},    {50000, 100},    {99999, 100}, {100000, 500},
        {499999, 500}, {500000, 1000}, {2000000, 1000},
    };
    check_ticks(rows, (int)(sizeof(rows) / sizeof(rows[0])), STOM_BOARD_KOSPI, OLD);
    check_ticks(rows, (int)(sizeof(rows) / sizeof(rows[0])), STOM_BOARD_KOSPI, 20230124);
    /* 1,500 won: 5 won the day before the reform, 1 won from that day. */
    ck_assert_int_eq(stom_krx_tick_size(1500, STOM_BOARD_KOSPI, 20230124), 5);
    ck_assert_int_eq(stom_krx_tick_size(1500, STOM_BOARD_KOSPI, 20230125), 1);
}
END_TEST

START_TEST(kosdaq_and_konex_before_2023_01_25_stop_at_a_100_won_tick)
{
    static const int64_t rows[][2] = {
        {999, 1},    {1000, 5},   {4999, 5},    {5000, 10},    {9999, 10},
        {10000, 50}, {49999, 50}, {50000, 100}, {100000, 100}, {600000, 100},
    };
    check_ticks(rows, (int)(sizeof(rows) / sizeof(rows[0])), STOM_BOARD_KOSDAQ, OLD);
    check_ticks(rows, (int)(sizeof(rows) / sizeof(rows[0])), STOM_BOARD_KONEX, OLD);
}
END_TEST

START_TEST(etf_and_etn_move_in_5_won_at_every_price_and_date)
{
    static const int64_t prices[] = {5, 1000, 1999, 2000, 50000, 600000};
    for (size_t i = 0; i < sizeof(prices) / sizeof(prices[0]); i++) {
        ck_assert_int_eq(stom_krx_tick_size(prices[i], STOM_BOARD_ETF, NEW), 5);
        ck_assert_int_eq(stom_krx_tick_size(prices[i], STOM_BOARD_ETN, NEW), 5);
        ck_assert_int_eq(stom_krx_tick_size(prices[i], STOM_BOARD_ETF, OLD), 5);
    }
    ck_assert(stom_krx_on_tick(10005, STOM_BOARD_ETF, NEW));
    ck_assert(!stom_krx_on_tick(10003, STOM_BOARD_ETF, NEW));
}
END_TEST

START_TEST(on_tick_follows_the_band_of_the_price)
{
    ck_assert(stom_krx_on_tick(1999, STOM_BOARD_KOSPI, NEW));
    ck_assert(stom_krx_on_tick(2005, STOM_BOARD_KOSPI, NEW));
    ck_assert(!stom_krx_on_tick(2001, STOM_BOARD_KOSPI, NEW));
    ck_assert(stom_krx_on_tick(10040, STOM_BOARD_KOSPI, NEW));
    ck_assert(!stom_krx_on_tick(10040, STOM_BOARD_KOSPI, OLD)); /* 50-won band then */
    ck_assert(stom_krx_on_tick(72100, STOM_BOARD_KOSPI, NEW));
    ck_assert(!stom_krx_on_tick(72150, STOM_BOARD_KOSPI, NEW));
    ck_assert(!stom_krx_on_tick(0, STOM_BOARD_KOSPI, NEW));
    ck_assert(!stom_krx_on_tick(-10, STOM_BOARD_KOSPI, NEW));
}
END_TEST

START_TEST(rounding_goes_down_up_or_to_the_nearest_tick_with_ties_up)
{
    stom_board k = STOM_BOARD_KOSPI;
    /* 10,041 at a 10-won tick: 10,040 below, 10,050 above, 1 vs 9 away. */
    ck_assert_int_eq(stom_krx_round_to_tick(10041, k, NEW, -1), 10040);
    ck_assert_int_eq(stom_krx_round_to_tick(10041, k, NEW, 1), 10050);
    ck_assert_int_eq(stom_krx_round_to_tick(10041, k, NEW, 0), 10040);
    /* 10,045: 5 either way, the tie goes up. */
    ck_assert_int_eq(stom_krx_round_to_tick(10045, k, NEW, 0), 10050);
    /* A grid price stays in every direction. */
    ck_assert_int_eq(stom_krx_round_to_tick(10040, k, NEW, 1), 10040);
    ck_assert_int_eq(stom_krx_round_to_tick(1999, k, NEW, 1), 1999);
    ck_assert_int_eq(stom_krx_round_to_tick(1999, k, NEW, 0), 1999);
    /* The header's example: 10,040 in the old 50-won band snaps up to 10,050. */
    ck_assert_int_eq(stom_krx_round_to_tick(10040, k, OLD, 1), 10050);
    ck_assert_int_eq(stom_krx_round_to_tick(10040, k, OLD, 0), 10050);
    ck_assert_int_eq(stom_krx_round_to_tick(10040, k, OLD, -1), 10000);
}
END_TEST

START_TEST(rounding_respects_band_boundaries)
{
    stom_board k = STOM_BOARD_KOSPI;
    /* 2,001 is in the 5-won band: 2,000 below, 2,005 above. */
    ck_assert_int_eq(stom_krx_round_to_tick(2001, k, NEW, -1), 2000);
    ck_assert_int_eq(stom_krx_round_to_tick(2001, k, NEW, 1), 2005);
    ck_assert_int_eq(stom_krx_round_to_tick(2003, k, NEW, 0), 2005);
    /* 19,995 in the 10-won band rounds up onto the boundary 20,000. */
    ck_assert_int_eq(stom_krx_round_to_tick(19995, k, NEW, 1), 20000);
    ck_assert_int_eq(stom_krx_round_to_tick(19995, k, NEW, 0), 20000);
    ck_assert_int_eq(stom_krx_round_to_tick(19995, k, NEW, -1), 19990);
    /* 49,990 in the 50-won band: 49,950 is 40 away, 50,000 is 10 away. */
    ck_assert_int_eq(stom_krx_round_to_tick(49990, k, NEW, 0), 50000);
    ck_assert_int_eq(stom_krx_round_to_tick(49990, k, NEW, -1), 49950);
    /* 499,800 in the 500-won band: 499,500 or 500,000. */
    ck_assert_int_eq(stom_krx_round_to_tick(499800, k, NEW, 0), 500000);
    ck_assert_int_eq(stom_krx_round_to_tick(500400, k, NEW, 0), 500000);
    ck_assert_int_eq(stom_krx_round_to_tick(500500, k, NEW, 0), 501000);
}
END_TEST

START_TEST(rounding_never_returns_less_than_one_tick)
{
    ck_assert_int_eq(stom_krx_round_to_tick(0, STOM_BOARD_KOSPI, NEW, -1), 1);
    ck_assert_int_eq(stom_krx_round_to_tick(-50, STOM_BOARD_KOSPI, NEW, 0), 1);
    /* An ETF at 2 won is nearer 0 than 5, but 5 is the smallest price. */
    ck_assert_int_eq(stom_krx_round_to_tick(2, STOM_BOARD_ETF, NEW, 0), 5);
    ck_assert_int_eq(stom_krx_round_to_tick(7, STOM_BOARD_ETF, NEW, -1), 5);
    ck_assert_int_eq(stom_krx_round_to_tick(10002, STOM_BOARD_ETF, NEW, 0), 10000);
    ck_assert_int_eq(stom_krx_round_to_tick(10003, STOM_BOARD_ETF, NEW, 0), 10005);
}
END_TEST

START_TEST(stepping_crosses_a_band_boundary_one_grid_price_at_a_time)
{
    stom_board k = STOM_BOARD_KOSPI;
    ck_assert_int_eq(stom_krx_step_ticks(19990, 1, k, NEW), 20000);
    ck_assert_int_eq(stom_krx_step_ticks(20000, -1, k, NEW), 19990);
    ck_assert_int_eq(stom_krx_step_ticks(19990, 2, k, NEW), 20050);
    ck_assert_int_eq(stom_krx_step_ticks(20050, -2, k, NEW), 19990);
    /* 1,998 -> 1,999 -> 2,000 -> 2,005. */
    ck_assert_int_eq(stom_krx_step_ticks(1998, 3, k, NEW), 2005);
    ck_assert_int_eq(stom_krx_step_ticks(2005, -3, k, NEW), 1998);
    /* Old KOSDAQ table: 49,950 + 1 = 50,000, + 2 = 50,100; 50,000 - 1 = 49,950. */
    ck_assert_int_eq(stom_krx_step_ticks(49950, 2, STOM_BOARD_KOSDAQ, OLD), 50100);
    ck_assert_int_eq(stom_krx_step_ticks(50000, -1, STOM_BOARD_KOSDAQ, OLD), 49950);
}
END_TEST

START_TEST(long_steps_walk_through_every_band)
{
    stom_board k = STOM_BOARD_KOSPI;
    /*
     * From 1,999: 1 step to 2,000; 600 x 5 to 5,000; 1,500 x 10 to 20,000;
     * 600 x 50 to 50,000; 1,500 x 100 to 200,000; 600 x 500 to 500,000:
     * 4,801 steps, and one more is 501,000.
     */
    ck_assert_int_eq(stom_krx_step_ticks(1999, 4801, k, NEW), 500000);
    ck_assert_int_eq(stom_krx_step_ticks(1999, 4802, k, NEW), 501000);
    ck_assert_int_eq(stom_krx_step_ticks(501000, -4802, k, NEW), 1999);
    ck_assert_int_eq(stom_krx_step_ticks(1999, 2000000000, k, NEW),
                     500000 + (int64_t)(2000000000 - 4801) * 1000);
}
END_TEST

START_TEST(stepping_snaps_toward_the_move_first_and_stops_at_the_smallest_tick)
{
    stom_board k = STOM_BOARD_KOSPI;
    /* Old table, 10,041: up snaps to 10,050 then +50; down snaps to 10,000 then -10. */
    ck_assert_int_eq(stom_krx_step_ticks(10041, 1, k, OLD), 10100);
    ck_assert_int_eq(stom_krx_step_ticks(10041, -1, k, OLD), 9990);
    /* Zero steps: the nearest grid price. */
    ck_assert_int_eq(stom_krx_step_ticks(10041, 0, k, OLD), 10050);
    ck_assert_int_eq(stom_krx_step_ticks(10041, 0, k, NEW), 10040);
    ck_assert_int_eq(stom_krx_step_ticks(3, -10, k, NEW), 1);
    ck_assert_int_eq(stom_krx_step_ticks(10, -5, STOM_BOARD_ETF, NEW), 5);
    ck_assert_int_eq(stom_krx_step_ticks(1, -2147483647 - 1, k, NEW), 1);
}
END_TEST

START_TEST(price_limits_are_the_grid_prices_inside_plus_minus_30_percent)
{
    int64_t lo, hi;
    stom_board k = STOM_BOARD_KOSPI;
    /* 10,000: 13,000 and 7,000 exactly, both on the 10-won grid. */
    stom_krx_price_limits(10000, k, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 13000);
    ck_assert_int_eq(lo, 7000);
    /* 55,500: 72,150 -> highest tick <= it is 72,100; 38,850 is on the 50-won grid. */
    stom_krx_price_limits(55500, k, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 72100);
    ck_assert_int_eq(lo, 38850);
    /* 3,333: 4,332.9 -> 4,330 (5-won tick); 2,333.1 -> 2,335. */
    stom_krx_price_limits(3333, k, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 4330);
    ck_assert_int_eq(lo, 2335);
    /* 15,550: 20,215 -> 20,200 (50-won band); 10,885 -> 10,890. */
    stom_krx_price_limits(15550, k, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 20200);
    ck_assert_int_eq(lo, 10890);
    /* 400,000: 520,000 (1,000-won band) and 280,000 (500-won band). */
    stom_krx_price_limits(400000, k, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 520000);
    ck_assert_int_eq(lo, 280000);
}
END_TEST

START_TEST(price_limits_use_the_board_and_date_grid)
{
    int64_t lo, hi;
    /* Old KOSDAQ, 9,990: 12,987 -> 12,950 (50-won band); 6,993 -> 7,000 (10-won band). */
    stom_krx_price_limits(9990, STOM_BOARD_KOSDAQ, OLD, &lo, &hi);
    ck_assert_int_eq(hi, 12950);
    ck_assert_int_eq(lo, 7000);
    /* The same reference under the unified table: 12,987 -> 12,980; 6,993 -> 7,000. */
    stom_krx_price_limits(9990, STOM_BOARD_KOSDAQ, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 12980);
    ck_assert_int_eq(lo, 7000);
    /* ETF, 10,005: 13,006.5 -> 13,005; 7,003.5 -> 7,005. */
    stom_krx_price_limits(10005, STOM_BOARD_ETF, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 13005);
    ck_assert_int_eq(lo, 7005);
    /* KONEX moves 15%: 10,000 -> 11,500 and 8,500; 55,500 -> 63,825 -> 63,800, 47,175 -> 47,200. */
    stom_krx_price_limits(10000, STOM_BOARD_KONEX, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 11500);
    ck_assert_int_eq(lo, 8500);
    stom_krx_price_limits(55500, STOM_BOARD_KONEX, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 63800);
    ck_assert_int_eq(lo, 47200);
    /* 1,003 in the 1-won band: 1,303.9 -> 1,303; 702.1 rounds up to 703. */
    stom_krx_price_limits(1003, STOM_BOARD_KOSPI, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 1303);
    ck_assert_int_eq(lo, 703);
    /* 1 won: 1.3 -> 1 and 0.7 -> 1. */
    stom_krx_price_limits(1, STOM_BOARD_KOSPI, NEW, &lo, &hi);
    ck_assert_int_eq(hi, 1);
    ck_assert_int_eq(lo, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("krx_ticks");
    TCase *tc = tcase_create("krx_ticks");
    tcase_add_test(tc, every_unified_band_and_boundary_has_its_tick_on_every_stock_board);
    tcase_add_test(tc, kospi_before_2023_01_25_uses_the_2010_table);
    tcase_add_test(tc, kosdaq_and_konex_before_2023_01_25_stop_at_a_100_won_tick);
    tcase_add_test(tc, etf_and_etn_move_in_5_won_at_every_price_and_date);
    tcase_add_test(tc, on_tick_follows_the_band_of_the_price);
    tcase_add_test(tc, rounding_goes_down_up_or_to_the_nearest_tick_with_ties_up);
    tcase_add_test(tc, rounding_respects_band_boundaries);
    tcase_add_test(tc, rounding_never_returns_less_than_one_tick);
    tcase_add_test(tc, stepping_crosses_a_band_boundary_one_grid_price_at_a_time);
    tcase_add_test(tc, long_steps_walk_through_every_band);
    tcase_add_test(tc, stepping_snaps_toward_the_move_first_and_stops_at_the_smallest_tick);
    tcase_add_test(tc, price_limits_are_the_grid_prices_inside_plus_minus_30_percent);
    tcase_add_test(tc, price_limits_use_the_board_and_date_grid);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
