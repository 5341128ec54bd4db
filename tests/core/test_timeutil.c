/*
 * test_timeutil.c - civil dates, fixed-offset conversions and the day cursor.
 */
#include "stom/error.h"
#include "stom/timeutil.h"
#include "test_support.h"

#define KST STOM_KST_OFFSET_MINUTES

START_TEST(civil_dates_round_trip_across_leap_years_and_the_epoch)
{
    ck_assert_int_eq(stom_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(stom_days_from_civil(2000, 3, 1) - stom_days_from_civil(2000, 2, 28), 2);
    ck_assert_int_eq(stom_days_from_civil(1900, 3, 1) - stom_days_from_civil(1900, 2, 28), 1);
    for (int64_t d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        stom_civil_from_days(d, &y, &m, &dd);
        ck_assert_int_eq(stom_days_from_civil(y, m, dd), d);
    }
    ck_assert_int_eq(stom_weekday_from_days(stom_days_of_date(20240304)), 0); /* a Monday */
    ck_assert_int_eq(stom_weekday_from_days(stom_days_of_date(20241222)), 6); /* a Sunday */
}
END_TEST

START_TEST(a_kst_date_begins_at_15_utc_the_day_before)
{
    int64_t midnight = stom_midnight_utc(20240102, KST);
    ck_assert_int_eq(midnight, 1704121200); /* 2024-01-01T15:00:00Z */
    ck_assert_int_eq(stom_date_of(midnight, KST), 20240102);
    ck_assert_int_eq(stom_date_of(midnight - 1, KST), 20240101);
    ck_assert_int_eq(stom_seconds_of_day(midnight + 9 * 3600, KST), 9 * 3600);
    ck_assert_int_eq(stom_date_of(-1, 0), 19691231);
    char buf[32];
    ck_assert_str_eq(stom_format_time(midnight + 9 * 3600 + 61, KST, false, buf, sizeof buf),
                     "2024-01-02 09:01:01");
    ck_assert_str_eq(stom_format_time(midnight, KST, true, buf, sizeof buf), "2024-01-02");
}
END_TEST

START_TEST(dates_parse_in_both_forms_and_impossible_dates_are_refused)
{
    int32_t d;
    ck_assert_int_eq(stom_parse_date("2024-02-29", 10, &d), 0);
    ck_assert_int_eq(d, 20240229);
    ck_assert_int_eq(stom_parse_date("20240229", 8, &d), 0);
    ck_assert_int_eq(stom_parse_date("2023-02-29", 10, &d), STOM_EFORMAT);
    ck_assert_int_eq(stom_parse_date("2024-13-01", 10, &d), STOM_EFORMAT);
    ck_assert_int_eq(stom_parse_date("2024/01/01", 10, &d), STOM_EFORMAT);
    ck_assert_int_eq(stom_parse_date("2024-1-1", 8, &d), STOM_EFORMAT);
}
END_TEST

START_TEST(the_day_cursor_agrees_with_stom_date_of_in_any_order)
{
    stom_day_cursor c;
    stom_day_cursor_init(&c, KST);
    int64_t t0 = stom_midnight_utc(20231229, KST) - 3600;
    for (int64_t t = t0; t < t0 + 10 * 86400; t += 1234)
        ck_assert_int_eq(stom_day_cursor_date(&c, t), stom_date_of(t, KST));
    /* Going backwards recomputes too. */
    ck_assert_int_eq(stom_day_cursor_date(&c, t0), 20231228);
    ck_assert_int_eq(stom_day_cursor_date(&c, t0 + 3600), 20231229);
}
END_TEST

START_TEST(error_values_have_descriptions_and_messages_are_formatted)
{
    ck_assert_str_eq(stom_strerror(STOM_EFORMAT), "malformed input");
    ck_assert_str_eq(stom_strerror(-999), "unknown error");
    stom_errbuf eb;
    ck_assert_int_eq(stom_errorf(&eb, STOM_ERANGE, "x=%d", 5), STOM_ERANGE);
    ck_assert_str_eq(eb.msg, "x=5");
    ck_assert_int_eq(stom_errorf(NULL, STOM_EIO, "ignored"), STOM_EIO);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timeutil");
    TCase *tc = tcase_create("timeutil");
    tcase_add_test(tc, civil_dates_round_trip_across_leap_years_and_the_epoch);
    tcase_add_test(tc, a_kst_date_begins_at_15_utc_the_day_before);
    tcase_add_test(tc, dates_parse_in_both_forms_and_impossible_dates_are_refused);
    tcase_add_test(tc, the_day_cursor_agrees_with_stom_date_of_in_any_order);
    tcase_add_test(tc, error_values_have_descriptions_and_messages_are_formatted);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
