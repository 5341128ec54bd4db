/*
 * test_schedule_json.c - a job from JSON: defaults, every field's
 * validation with the field named in the message, and the way back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/schedule.h"
#include "stom/schedule_args.h"
#include "test_support.h"

static int parse(const char *text, stom_schedule_job *job, stom_errbuf *eb)
{
    return stom_schedule_job_from_json(text, strlen(text), job, eb);
}

START_TEST(a_minimal_job_fires_every_trading_day_and_is_enabled)
{
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_msg(parse("{\"name\":\"bars\",\"when\":\"after_close\",\"action\":\"liquidate\"}",
                        &job, &eb) == STOM_OK,
                  "%s", eb.msg);
    ck_assert_str_eq(job.name, "bars");
    ck_assert_int_eq(job.when.anchor, STOM_SCHEDULE_AFTER_CLOSE);
    ck_assert_uint_eq(job.days, STOM_SCHEDULE_EVERY_DAY);
    ck_assert_int_eq(job.action, STOM_SCHEDULE_LIQUIDATE);
    ck_assert_str_eq(job.args, "{}");
    ck_assert(job.enabled);
    stom_schedule_job_clear(&job);
    ck_assert_ptr_null(job.args);
}
END_TEST

START_TEST(record_bars_args_name_symbols_a_timeframe_and_until_the_close_by_default)
{
    static const char args[] = "{\"symbols\":[\"005930\",\"000660\"],\"timeframe\":\"1m\"}";
    stom_record_args r;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_record_args_parse(args, sizeof args - 1, &r, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_uint_eq(r.n_symbols, 2);
    ck_assert_str_eq(r.symbols[1], "000660");
    ck_assert_int_eq(r.timeframe_s, 60);
    ck_assert_int_eq(r.until.anchor, STOM_SCHEDULE_CLOSE);
    static const char later[] =
        "{\"symbols\":[\"005930\"],\"timeframe\":\"1s\",\"until\":\"10:15\"}";
    ck_assert_int_eq(stom_record_args_parse(later, sizeof later - 1, &r, &eb), STOM_OK);
    ck_assert_int_eq(r.until.anchor, STOM_SCHEDULE_AT_TIME);
    ck_assert_int_eq(r.until.minutes, 10 * 60 + 15);
    stom_backtest_args b;
    ck_assert_int_eq(stom_backtest_args_parse("{\"run\":\"r1\"}", 12, &b, &eb), STOM_OK);
    ck_assert_str_eq(b.run, "r1");
}
END_TEST

START_TEST(a_full_job_keeps_its_days_args_and_enabled_flag)
{
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_msg(parse("{\"name\":\"시가 매수\",\"when\":\"open+5\",\"days\":[\"mon\",\"fri\"],"
                        "\"action\":\"start_strategy\",\"args\":{\"strategy\":\"sma\",\"qty\":3},"
                        "\"enabled\":false}",
                        &job, &eb) == STOM_OK,
                  "%s", eb.msg);
    ck_assert_uint_eq(job.days, (1u << 0) | (1u << 4));
    ck_assert_int_eq(job.when.minutes, 5);
    ck_assert_str_eq(job.args, "{\"qty\":3,\"strategy\":\"sma\"}");
    ck_assert(!job.enabled);
    char *text = stom_schedule_job_to_json(&job);
    ck_assert_ptr_nonnull(strstr(text, "\"when\":\"open+5\""));
    ck_assert_ptr_nonnull(strstr(text, "\"days\":[\"mon\",\"fri\"]"));
    ck_assert_ptr_nonnull(strstr(text, "\"next_fire_ns\":null"));
    free(text);
    stom_schedule_job_clear(&job);
}
END_TEST

START_TEST(bad_jobs_are_refused_with_the_field_named)
{
    static const struct {
        const char *json, *prefix;
    } cases[] = {
        {"{\"when\":\"open\",\"action\":\"liquidate\"}", "name: "},
        {"{\"name\":\"x\",\"when\":\"25:00\",\"action\":\"liquidate\"}",
         "when: 25:00 is not a time of day"},
        {"{\"name\":\"x\",\"when\":9,\"action\":\"liquidate\"}", "when: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"days\":[\"sat\"],\"action\":\"liquidate\"}",
         "days: sat is not a KRX trading weekday"},
        {"{\"name\":\"x\",\"when\":\"open\",\"days\":[],\"action\":\"liquidate\"}", "days: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"buy\"}", "action: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"start_strategy\"}", "args.strategy: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"run_backtest\",\"args\":{\"run\":\"\"}}",
         "args.run: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"run_backtest\",\"args\":{\"run\":\"r1\","
         "\"at\":1}}",
         "args.at: unknown key"},
        {"{\"name\":\"x\",\"when\":\"close\",\"action\":\"record_bars\"}", "args.symbols: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"record_bars\",\"args\":{\"symbols\":"
         "[\"005930\"],\"timeframe\":\"5m\"}}",
         "args.timeframe: 5m is not one of 1s, 1m, 1d"},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"record_bars\",\"args\":{\"symbols\":"
         "[\"005930\",\"005930\"],\"timeframe\":\"1m\"}}",
         "args.symbols[1]: 005930 is listed twice"},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"record_bars\",\"args\":{\"symbols\":"
         "[\"005930\"],\"timeframe\":\"1m\",\"until\":\"25:00\"}}",
         "args.until: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"liquidate\",\"args\":[1]}", "args: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"liquidate\",\"enabled\":\"yes\"}",
         "enabled: "},
        {"{\"name\":\"x\",\"when\":\"open\",\"action\":\"liquidate\",\"at\":1}",
         "at: is not a field"},
        {"{\"name\":\"x\",\"name\":\"y\",\"when\":\"open\",\"action\":\"liquidate\"}", "job: "},
        {"[1]", "job: must be a JSON object"},
        {"{\"name\":", "job: "},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        stom_schedule_job job = {.id = 77};
        stom_errbuf eb = {{0}};
        ck_assert_int_ne(parse(cases[k].json, &job, &eb), STOM_OK);
        ck_assert_msg(strncmp(eb.msg, cases[k].prefix, strlen(cases[k].prefix)) == 0,
                      "%s gave \"%s\"", cases[k].json, eb.msg);
        ck_assert_int_eq(job.id, 77); /* untouched */
    }
}
END_TEST

START_TEST(an_oversized_name_or_args_is_refused)
{
    char text[4 * STOM_SCHEDULE_ARGS_MAX];
    char big[STOM_SCHEDULE_ARGS_MAX + 16];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(text, sizeof text,
             "{\"name\":\"x\",\"when\":\"open\",\"action\":\"liquidate\",\"args\":{\"a\":\"%s\"}}",
             big);
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse(text, &job, &eb), STOM_ETOOBIG);
    ck_assert_ptr_nonnull(strstr(eb.msg, "args: "));
    big[STOM_SCHEDULE_NAME_MAX + 1] = '\0';
    snprintf(text, sizeof text, "{\"name\":\"%s\",\"when\":\"open\",\"action\":\"liquidate\"}",
             big);
    ck_assert_int_eq(parse(text, &job, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "name: "));
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("schedule_json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, a_minimal_job_fires_every_trading_day_and_is_enabled);
    tcase_add_test(tc, a_full_job_keeps_its_days_args_and_enabled_flag);
    tcase_add_test(tc, record_bars_args_name_symbols_a_timeframe_and_until_the_close_by_default);
    tcase_add_test(tc, bad_jobs_are_refused_with_the_field_named);
    tcase_add_test(tc, an_oversized_name_or_args_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(json_suite());
}
