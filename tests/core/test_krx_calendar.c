/*
 * test_krx_calendar.c - KRX trading days, the holiday table and the
 * yearly closures.
 */
#include "stom/krx.h"
#include "stom/timeutil.h"
#include "test_support.h"

START_TEST(weekends_are_closed_and_weekdays_open)
{
    ck_assert(!stom_krx_is_trading_day(20240601)); /* Saturday */
    ck_assert(!stom_krx_is_trading_day(20240602)); /* Sunday */
    ck_assert(stom_krx_is_trading_day(20240603));  /* Monday */
    ck_assert(stom_krx_is_trading_day(20240607));  /* Friday */
    ck_assert_ptr_null(stom_krx_holiday_name(20240601));
    ck_assert_ptr_null(stom_krx_holiday_name(20240603));
}
END_TEST

START_TEST(table_holidays_are_closed_and_named)
{
    ck_assert(!stom_krx_is_trading_day(20240410));
    ck_assert_str_eq(stom_krx_holiday_name(20240410),
                     "National Assembly election (국회의원 선거일)");
    ck_assert(!stom_krx_is_trading_day(20231002));
    ck_assert_str_eq(stom_krx_holiday_name(20231002), "Temporary holiday (임시공휴일)");
    ck_assert(!stom_krx_is_trading_day(20250603));
    ck_assert(!stom_krx_is_trading_day(20260817));
    ck_assert(!stom_krx_is_trading_day(20271227));
    ck_assert_str_eq(stom_krx_holiday_name(20271227),
                     "Christmas substitute holiday (성탄절 대체공휴일)");
    /* The day after Chuseok 2025 (Oct 10) was not made a holiday. */
    ck_assert(stom_krx_is_trading_day(20251010));
}
END_TEST

START_TEST(each_year_of_the_table_has_its_count_of_closed_weekdays)
{
    /* Closed weekdays per year in krx-holidays.tsv, yearly closures included. */
    static const int want[] = {15, 18, 19, 16, 14};
    int first, last;
    stom_krx_calendar_years(&first, &last);
    ck_assert_int_eq(first, 2023);
    ck_assert_int_eq(last, 2027);
    for (int y = first; y <= last; y++) {
        int named = 0;
        int64_t from = stom_days_from_civil(y, 1, 1), to = stom_days_from_civil(y + 1, 1, 1);
        for (int64_t d = from; d < to; d++) {
            int32_t date = stom_date_from_days(d);
            if (stom_krx_holiday_name(date) == NULL)
                continue;
            named++;
            ck_assert_msg(stom_weekday_from_days(d) < 5, "%d is a weekend", (int)date);
            ck_assert(!stom_krx_is_trading_day(date));
        }
        ck_assert_msg(named == want[y - first], "%d: %d closed weekdays", y, named);
    }
}
END_TEST

START_TEST(next_and_prev_trading_day_skip_holidays_and_weekends)
{
    /* Seollal 2024: Fri 9 closed, 10-11 weekend, Mon 12 substitute. */
    ck_assert_int_eq(stom_krx_next_trading_day(20240208), 20240213);
    ck_assert_int_eq(stom_krx_prev_trading_day(20240213), 20240208);
    /* Chuseok 2025: Oct 3 to Oct 9 closed (7 days in a row). */
    ck_assert_int_eq(stom_krx_next_trading_day(20251002), 20251010);
    ck_assert_int_eq(stom_krx_prev_trading_day(20251010), 20251002);
    /* Year end 2023: Dec 29 closed, 30-31 weekend, Jan 1 closed. */
    ck_assert_int_eq(stom_krx_next_trading_day(20231228), 20240102);
    ck_assert_int_eq(stom_krx_prev_trading_day(20240102), 20231228);
    /* Strictly after / before: a trading day is not its own neighbour. */
    ck_assert_int_eq(stom_krx_next_trading_day(20240603), 20240604);
    ck_assert_int_eq(stom_krx_prev_trading_day(20240603), 20240531);
    /* From a non-trading day. */
    ck_assert_int_eq(stom_krx_next_trading_day(20240601), 20240603);
    ck_assert_int_eq(stom_krx_prev_trading_day(20240602), 20240531);
}
END_TEST

START_TEST(new_year_and_the_year_end_closing_day_hold_in_every_year)
{
    /* 2022-12-31 was a Saturday, so Friday Dec 30 was the closing day. */
    ck_assert(!stom_krx_is_trading_day(20221230));
    ck_assert_str_eq(stom_krx_holiday_name(20221230), "Year-end closing (연말 휴장일)");
    ck_assert(stom_krx_is_trading_day(20221229));
    /* 2028-12-31 is a Sunday: Friday Dec 29. */
    ck_assert(!stom_krx_is_trading_day(20281229));
    ck_assert(stom_krx_is_trading_day(20281228));
    ck_assert(!stom_krx_is_trading_day(20301231)); /* a Tuesday */
    ck_assert(!stom_krx_is_trading_day(20210101)); /* a Friday */
    ck_assert_str_eq(stom_krx_holiday_name(20210101), "New Year's Day (신정)");
    ck_assert_ptr_null(stom_krx_holiday_name(20220101)); /* a Saturday */
    ck_assert_int_eq(stom_krx_next_trading_day(20201231), 20210104);
}
END_TEST

START_TEST(outside_the_table_only_weekends_and_yearly_closures_are_known)
{
    /* Chuseok 2022 (Sep 9) and Seollal 2028 (Jan 26) are not in the table. */
    ck_assert(stom_krx_is_trading_day(20220909));
    ck_assert(stom_krx_is_trading_day(20280126));
    ck_assert_ptr_null(stom_krx_holiday_name(20220909));
}
END_TEST

START_TEST(invalid_dates_are_not_trading_days)
{
    ck_assert(!stom_krx_is_trading_day(20230230));
    ck_assert(!stom_krx_is_trading_day(20231301));
    ck_assert(!stom_krx_is_trading_day(0));
    ck_assert_ptr_null(stom_krx_holiday_name(20230230));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("krx_calendar");
    TCase *tc = tcase_create("krx_calendar");
    tcase_add_test(tc, weekends_are_closed_and_weekdays_open);
    tcase_add_test(tc, table_holidays_are_closed_and_named);
    tcase_add_test(tc, each_year_of_the_table_has_its_count_of_closed_weekdays);
    tcase_add_test(tc, next_and_prev_trading_day_skip_holidays_and_weekends);
    tcase_add_test(tc, new_year_and_the_year_end_closing_day_hold_in_every_year);
    tcase_add_test(tc, outside_the_table_only_weekends_and_yearly_closures_are_known);
    tcase_add_test(tc, invalid_dates_are_not_trading_days);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
