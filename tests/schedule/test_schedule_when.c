/*
 * test_schedule_when.c - when a scheduled job fires, without a database:
 * the "when" text, anchors on ordinary, late-opening and CSAT days, and
 * the next fire over weekends and real KRX holidays (설날 and 추석 2024,
 * found through the calendar, not written here).
 */
#include <string.h>

#include "stom/krx.h"
#include "stom/schedule.h"
#include "stom/timeutil.h"
#include "schedule_kst.h"
#include "test_support.h"

static stom_schedule_job job_at(const char *when)
{
    stom_schedule_job job = {.days = STOM_SCHEDULE_EVERY_DAY, .enabled = true};
    ck_assert_int_eq(stom_schedule_when_parse(when, strlen(when), &job.when, NULL), STOM_OK);
    return job;
}

/* The weekday holidays of year whose name contains word, in date order. */
static int holidays_named(int year, const char *word, int32_t *out, int cap)
{
    int n = 0;
    for (int64_t d = stom_days_from_civil(year, 1, 1); d < stom_days_from_civil(year + 1, 1, 1);
         d++) {
        const char *name = stom_krx_holiday_name(stom_date_from_days(d));
        if (name && strstr(name, word) && n < cap)
            out[n++] = stom_date_from_days(d);
    }
    return n;
}

/* An ordinary trading day of 2024: not the year's first, not a CSAT day. */
static int32_t ordinary_day(void)
{
    int32_t d = stom_krx_next_trading_day(20240305);
    ck_assert(stom_krx_open_delay_minutes(d) == 0 && stom_krx_close_delay_minutes(d) == 0);
    return d;
}

START_TEST(a_job_at_open_fires_at_nine_on_a_trading_day)
{
    stom_schedule_job job = job_at("open");
    int32_t day = ordinary_day();
    int64_t next = stom_schedule_next_fire(&job, kst(day, 0, 0));
    ck_assert_int_eq(date_of(next), day);
    ck_assert_int_eq(minute_of(next), 9 * 60);
    /* At the fire time itself the next one is the following trading day's. */
    ck_assert_int_eq(date_of(stom_schedule_next_fire(&job, next)), stom_krx_next_trading_day(day));
}
END_TEST

START_TEST(a_job_never_fires_on_a_weekend)
{
    stom_schedule_job job = job_at("open");
    int32_t friday = 20240308;
    ck_assert_int_eq(stom_weekday_from_days(stom_days_of_date(friday)), 4);
    int64_t next = stom_schedule_next_fire(&job, kst(friday, 9, 1));
    int weekday = stom_weekday_from_days(stom_days_of_date(date_of(next)));
    ck_assert_int_lt(weekday, 5);
    ck_assert_int_eq(date_of(next), stom_krx_next_trading_day(friday));
    ck_assert_int_gt(date_of(next), 20240310);
}
END_TEST

START_TEST(a_job_skips_seollal_and_chuseok_2024_to_the_next_trading_day)
{
    const char *names[] = {"설날", "추석"};
    stom_schedule_job job = job_at("open");
    for (int k = 0; k < 2; k++) {
        int32_t days[8];
        int n = holidays_named(2024, names[k], days, 8);
        ck_assert_int_ge(n, 1);
        int32_t before = stom_krx_prev_trading_day(days[0]);
        int64_t next = stom_schedule_next_fire(&job, kst(before, 9, 0));
        int32_t fired = date_of(next);
        ck_assert(stom_krx_is_trading_day(fired));
        ck_assert_int_gt(fired, days[n - 1]);
        ck_assert_int_eq(fired, stom_krx_next_trading_day(days[n - 1]));
        for (int h = 0; h < n; h++)
            ck_assert_int_ne(fired, days[h]);
    }
}
END_TEST

START_TEST(a_year_of_fires_is_exactly_the_year_of_trading_days)
{
    stom_schedule_job job = job_at("close-10");
    int expected = 0, fires = 0;
    for (int64_t d = stom_days_from_civil(2024, 1, 1); d < stom_days_from_civil(2025, 1, 1); d++)
        expected += stom_krx_is_trading_day(stom_date_from_days(d));
    int64_t t = kst(20231231, 23, 0);
    for (t = stom_schedule_next_fire(&job, t); date_of(t) < 20250101;
         t = stom_schedule_next_fire(&job, t)) {
        ck_assert_msg(stom_krx_is_trading_day(date_of(t)), "fired on %d", date_of(t));
        ck_assert_ptr_null(stom_krx_holiday_name(date_of(t)));
        fires++;
    }
    ck_assert_int_gt(expected, 200);
    ck_assert_int_eq(fires, expected);
}
END_TEST

START_TEST(close_minus_ten_is_ten_minutes_before_the_close)
{
    stom_schedule_job job = job_at("close-10");
    int32_t day = ordinary_day();
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job.when, day)), 15 * 60 + 20);
    /* CSAT day (the calendar's delay, 60 on 2024-11-14): the close is an hour late. */
    int32_t csat = 20241114;
    int delay = stom_krx_close_delay_minutes(csat);
    ck_assert_int_gt(delay, 0);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job.when, csat)), 15 * 60 + 20 + delay);
    int64_t next = stom_schedule_next_fire(&job, kst(csat, 15, 25));
    ck_assert_int_eq(date_of(next), csat);
}
END_TEST

START_TEST(anchors_move_with_a_late_open_and_fixed_times_do_not)
{
    int32_t first = stom_krx_next_trading_day(20231231);
    int delay = stom_krx_open_delay_minutes(first);
    ck_assert_int_gt(delay, 0);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job_at("open").when, first)), 9 * 60 + delay);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job_at("pre_open").when, first)),
                     8 * 60 + 30 + delay);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job_at("close").when, first)), 15 * 60 + 30);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job_at("09:05").when, first)), 9 * 60 + 5);
    ck_assert_int_eq(minute_of(stom_schedule_fire_on(job_at("after_close+30").when, first)),
                     18 * 60 + 30);
}
END_TEST

START_TEST(weekdays_narrow_the_days_a_job_fires_on)
{
    stom_schedule_job job = job_at("open");
    job.days = 1u << 2; /* Wednesday */
    int64_t t = kst(20240101, 0, 0);
    for (int k = 0; k < 20; k++) {
        t = stom_schedule_next_fire(&job, t);
        ck_assert_int_eq(stom_weekday_from_days(stom_days_of_date(date_of(t))), 2);
        ck_assert(stom_krx_is_trading_day(date_of(t)));
    }
    job.days = 0;
    ck_assert_int_eq(stom_schedule_next_fire(&job, kst(20240101, 0, 0)), 0);
}
END_TEST

START_TEST(when_texts_parse_and_format_back)
{
    const char *good[] = {"09:05",    "00:00",       "23:59",          "open",
                          "close-10", "pre_open+15", "after_close-240"};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        stom_schedule_when w;
        char buf[STOM_SCHEDULE_WHEN_TEXT];
        ck_assert_int_eq(stom_schedule_when_parse(good[k], strlen(good[k]), &w, NULL), STOM_OK);
        ck_assert_str_eq(stom_schedule_when_format(w, buf, sizeof buf), good[k]);
    }
    stom_schedule_when w;
    ck_assert_int_eq(stom_schedule_when_parse("9:05", 4, &w, NULL), STOM_OK);
    ck_assert_int_eq(w.minutes, 9 * 60 + 5);
}
END_TEST

START_TEST(bad_when_texts_are_refused_with_the_field_named)
{
    const char *bad[] = {"25:00", "12:60", "open+",    "opens", "close-241",
                         "",      "9:5",   "close*10", "noon"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        stom_schedule_when w;
        stom_errbuf eb = {{0}};
        ck_assert_int_eq(stom_schedule_when_parse(bad[k], strlen(bad[k]), &w, &eb), STOM_EINVAL);
        ck_assert_msg(strncmp(eb.msg, "when: ", 6) == 0, "%s: %s", bad[k], eb.msg);
    }
    stom_errbuf eb = {{0}};
    stom_schedule_when w;
    stom_schedule_when_parse("25:00", 5, &w, &eb);
    ck_assert_str_eq(eb.msg, "when: 25:00 is not a time of day");
}
END_TEST

static Suite *when_suite(void)
{
    Suite *s = suite_create("schedule_when");
    TCase *tc = tcase_create("when");
    tcase_add_test(tc, a_job_at_open_fires_at_nine_on_a_trading_day);
    tcase_add_test(tc, a_job_never_fires_on_a_weekend);
    tcase_add_test(tc, a_job_skips_seollal_and_chuseok_2024_to_the_next_trading_day);
    tcase_add_test(tc, a_year_of_fires_is_exactly_the_year_of_trading_days);
    tcase_add_test(tc, close_minus_ten_is_ten_minutes_before_the_close);
    tcase_add_test(tc, anchors_move_with_a_late_open_and_fixed_times_do_not);
    tcase_add_test(tc, weekdays_narrow_the_days_a_job_fires_on);
    tcase_add_test(tc, when_texts_parse_and_format_back);
    tcase_add_test(tc, bad_when_texts_are_refused_with_the_field_named);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(when_suite());
}
