/*
 * test_krx_sessions.c - KRX sessions at boundary instants, normal and
 * shifted days.
 */
#include "stom/krx.h"
#include "stom/timeutil.h"
#include "test_support.h"

/* The UTC instant of hh:mm:ss KST on date. */
static int64_t kst(int32_t date, int hh, int mm, int ss)
{
    return stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + hh * 3600 + mm * 60 + ss;
}

typedef struct probe {
    int hh, mm, ss;
    stom_krx_session want;
} probe;

static void check_day(int32_t date, const probe *p, int n)
{
    for (int i = 0; i < n; i++) {
        stom_krx_session got = stom_krx_session_at(kst(date, p[i].hh, p[i].mm, p[i].ss));
        ck_assert_msg(got == p[i].want, "%d %02d:%02d:%02d: %s, want %s", (int)date, p[i].hh,
                      p[i].mm, p[i].ss, stom_krx_session_name(got),
                      stom_krx_session_name(p[i].want));
    }
}

START_TEST(a_normal_day_has_every_session_at_its_boundaries)
{
    static const probe p[] = {
        {0, 0, 0, STOM_KRX_CLOSED},
        {8, 29, 59, STOM_KRX_CLOSED},
        {8, 30, 0, STOM_KRX_PRE_CLOSE_PRICE},
        {8, 39, 59, STOM_KRX_PRE_CLOSE_PRICE},
        {8, 40, 0, STOM_KRX_OPENING_AUCTION},
        {8, 59, 59, STOM_KRX_OPENING_AUCTION},
        {9, 0, 0, STOM_KRX_CONTINUOUS},
        {15, 19, 59, STOM_KRX_CONTINUOUS},
        {15, 20, 0, STOM_KRX_CLOSING_AUCTION},
        {15, 29, 59, STOM_KRX_CLOSING_AUCTION},
        {15, 30, 0, STOM_KRX_CLOSED},
        {15, 39, 59, STOM_KRX_CLOSED},
        {15, 40, 0, STOM_KRX_AFTER_CLOSE_PRICE},
        {15, 59, 59, STOM_KRX_AFTER_CLOSE_PRICE},
        {16, 0, 0, STOM_KRX_AFTER_SINGLE_PRICE},
        {17, 59, 59, STOM_KRX_AFTER_SINGLE_PRICE},
        {18, 0, 0, STOM_KRX_CLOSED},
        {23, 59, 59, STOM_KRX_CLOSED},
    };
    check_day(20240603, p, (int)(sizeof(p) / sizeof(p[0])));
    ck_assert_int_eq(stom_krx_open_delay_minutes(20240603), 0);
}
END_TEST

START_TEST(the_continuous_open_is_midnight_utc)
{
    /* 2024-06-03 09:00 KST = 2024-06-03T00:00:00Z = 1,717,372,800. */
    ck_assert_int_eq(stom_krx_session_at(1717372800), STOM_KRX_CONTINUOUS);
    ck_assert_int_eq(stom_krx_session_at(1717372799), STOM_KRX_OPENING_AUCTION);
}
END_TEST

START_TEST(the_first_trading_day_of_2024_opens_at_ten)
{
    /*
     * Jan 1 is closed, so Jan 2 is the first trading day: the open and what
     * precedes it move 60 minutes late; the close stays at 15:20/15:30.
     */
    static const probe p[] = {
        {8, 30, 0, STOM_KRX_CLOSED},
        {9, 0, 0, STOM_KRX_CLOSED},
        {9, 29, 59, STOM_KRX_CLOSED},
        {9, 30, 0, STOM_KRX_PRE_CLOSE_PRICE},
        {9, 40, 0, STOM_KRX_OPENING_AUCTION},
        {9, 59, 59, STOM_KRX_OPENING_AUCTION},
        {10, 0, 0, STOM_KRX_CONTINUOUS},
        {15, 19, 59, STOM_KRX_CONTINUOUS},
        {15, 20, 0, STOM_KRX_CLOSING_AUCTION},
        {15, 30, 0, STOM_KRX_CLOSED},
        {15, 40, 0, STOM_KRX_AFTER_CLOSE_PRICE},
        {16, 0, 0, STOM_KRX_AFTER_SINGLE_PRICE},
        {17, 59, 59, STOM_KRX_AFTER_SINGLE_PRICE},
        {18, 0, 0, STOM_KRX_CLOSED},
    };
    check_day(20240102, p, (int)(sizeof(p) / sizeof(p[0])));
    ck_assert_int_eq(stom_krx_open_delay_minutes(20240102), 60);
    ck_assert_int_eq(stom_krx_close_delay_minutes(20240102), 0);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20240103), 0);
    ck_assert_int_eq(stom_krx_close_delay_minutes(20231116), 60); /* CSAT */
}
END_TEST

START_TEST(first_trading_days_follow_the_calendar)
{
    ck_assert_int_eq(stom_krx_open_delay_minutes(20230102), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20250102), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20260102), 60);
    /* 2027: Jan 1 closed, Jan 2-3 weekend, so Monday Jan 4. */
    ck_assert_int_eq(stom_krx_open_delay_minutes(20270104), 60);
    /* Outside the table Jan 1 still counts: 2022-01-03 was the first. */
    ck_assert_int_eq(stom_krx_open_delay_minutes(20220103), 60);
    /* Closed days have no schedule to shift. */
    ck_assert_int_eq(stom_krx_open_delay_minutes(20240101), 0);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20231229), 0);
}
END_TEST

START_TEST(csat_days_open_at_ten_and_close_at_half_past_four)
{
    static const probe p[] = {
        {9, 0, 0, STOM_KRX_CLOSED},
        {9, 59, 59, STOM_KRX_OPENING_AUCTION},
        {10, 0, 0, STOM_KRX_CONTINUOUS},
        {16, 20, 0, STOM_KRX_CLOSING_AUCTION},
        {16, 29, 59, STOM_KRX_CLOSING_AUCTION},
        {16, 30, 0, STOM_KRX_CLOSED},
        {17, 0, 0, STOM_KRX_AFTER_SINGLE_PRICE},
    };
    check_day(20241114, p, (int)(sizeof(p) / sizeof(p[0])));
    ck_assert_int_eq(stom_krx_open_delay_minutes(20231116), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20241114), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20251113), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20261119), 60);
    ck_assert_int_eq(stom_krx_open_delay_minutes(20241115), 0);
}
END_TEST

START_TEST(holidays_and_weekends_are_closed_all_day)
{
    static const probe p[] = {
        {8, 30, 0, STOM_KRX_CLOSED},
        {10, 0, 0, STOM_KRX_CLOSED},
        {16, 0, 0, STOM_KRX_CLOSED},
    };
    check_day(20240917, p, (int)(sizeof(p) / sizeof(p[0]))); /* Chuseok */
    check_day(20240601, p, (int)(sizeof(p) / sizeof(p[0]))); /* Saturday */
    check_day(20241231, p, (int)(sizeof(p) / sizeof(p[0]))); /* year-end closing */
}
END_TEST

START_TEST(sessions_have_english_names)
{
    ck_assert_str_eq(stom_krx_session_name(STOM_KRX_CONTINUOUS), "continuous");
    ck_assert_str_eq(stom_krx_session_name(STOM_KRX_CLOSED), "closed");
    ck_assert_str_eq(stom_krx_session_name(STOM_KRX_AFTER_SINGLE_PRICE), "after_single_price");
    ck_assert_str_eq(stom_krx_session_name((stom_krx_session)42), "unknown");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("krx_sessions");
    TCase *tc = tcase_create("krx_sessions");
    tcase_add_test(tc, a_normal_day_has_every_session_at_its_boundaries);
    tcase_add_test(tc, the_continuous_open_is_midnight_utc);
    tcase_add_test(tc, the_first_trading_day_of_2024_opens_at_ten);
    tcase_add_test(tc, first_trading_days_follow_the_calendar);
    tcase_add_test(tc, csat_days_open_at_ten_and_close_at_half_past_four);
    tcase_add_test(tc, holidays_and_weekends_are_closed_all_day);
    tcase_add_test(tc, sessions_have_english_names);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
