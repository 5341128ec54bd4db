/*
 * test_gateway_cli.c - `stom` through the real stom-gateway: register and
 * log in (the credentials file gets mode 0600; a wrong password says so),
 * push strategies and read their versions and diffs, import bar data as a
 * trader and list it, and run an optimisation with --json (the same report
 * shape as --local) and list the jobs. Each test case stands alone.
 *
 * It starts a coordinator and a worker like tests/services/harness.h, then
 * the gateway against the test services (gateway_fixture.h). The backtest
 * command through the gateway has its own program,
 * test_gateway_backtest_cli.c. Built only where the gateway
 * exists (STOM_GATEWAY_BIN); elsewhere the program reports nothing to run.
 */
#include <check.h>
#include <stdio.h>

#include "test_support.h"

#ifdef STOM_GATEWAY_BIN

#include "gateway_fixture.h"

START_TEST(a_wrong_password_says_so_and_stores_nothing)
{
    static result r;
    register_and_login("lee");
    stom(&r, "logout");
    ck_assert_int_eq(r.status, 0);
    stom_in(&r, "not the password", "login --username lee --password-stdin");
    ck_assert_int_ne(r.status, 0);
    ck_assert_msg(strstr(r.err, "wrong username or password") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "run `stom login`") == NULL, "%s", r.err);
    char path[160];
    struct stat st;
    snprintf(path, sizeof path, "%s/stom/credentials.json", config_dir);
    ck_assert_int_ne(stat(path, &st), 0);
    stom(&r, "whoami");
    ck_assert_int_ne(r.status, 0);
}
END_TEST

/* A small strategy; version 2 changes the threshold line. */
#define STRATEGY_V1                                                                                \
    "summary = \"buys when the close is over the open\"\n"                                         \
    "function on_bar()\n"                                                                          \
    "    if close > open + 10 then\n"                                                              \
    "        buy()\n"                                                                              \
    "    end\n"                                                                                    \
    "end\n"
#define STRATEGY_V2 "-- v2: a wider threshold\n" STRATEGY_V1

START_TEST(strategies_are_pushed_listed_versioned_and_diffed)
{
    static result r;
    register_and_login("park");
    char file[160], bad[512];
    write_file("rising.lua", STRATEGY_V1, file, sizeof file);
    char args[1024];
    snprintf(args, sizeof args, "strategy push %s --description 'close over open'", file);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "push exit %d", r.status);
    ck_assert_msg(strstr(r.out, "created strategy rising") && strstr(r.out, "version 1"), "%s",
                  r.out);

    write_file("rising.lua", STRATEGY_V2, file, sizeof file);
    snprintf(args, sizeof args, "strategy push %s --message 'a comment on top' --json", file);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "push exit %d", r.status);
    json_t *j = json_out(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 2);
    ck_assert(json_is_false(json_object_get(j, "created")));
    json_decref(j);

    stom(&r, "strategy list --json");
    ck_assert_int_eq(r.status, 0);
    j = json_out(&r);
    json_t *first = json_array_get(json_object_get(j, "strategies"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "name")), "rising");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "version")), 2);
    json_decref(j);
    stom(&r, "strategy list");
    ck_assert_msg(r.status == 0 && strstr(r.out, "rising") && strstr(r.out, "close over open"),
                  "%s", r.out);

    stom(&r, "strategy versions rising --json");
    ck_assert_int_eq(r.status, 0);
    j = json_out(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "versions")), 2);
    json_decref(j);
    stom(&r, "strategy versions rising");
    ck_assert_msg(r.status == 0 && strstr(r.out, "a comment on top"), "%s", r.out);

    stom(&r, "strategy diff rising");
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "+-- v2: a wider threshold"), "%s", r.out);
    stom(&r, "strategy diff rising 2 1");
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "--- v2: a wider threshold"), "%s", r.out);
    stom(&r, "strategy versions nosuch");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "no strategy named 'nosuch'"), "%s", r.err);

    stom_test_fixture_path("lua/check_syntax.lua", bad, sizeof bad);
    snprintf(args, sizeof args, "strategy push %s", bad);
    stom(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "check_syntax.lua:5: error:"), "%s", r.err);
    stom(&r, "strategy list --json");
    j = json_out(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "strategies")), 1);
    json_decref(j);
}
END_TEST

START_TEST(a_trader_imports_data_and_lists_it_and_a_bad_file_names_its_line)
{
    static result r;
    create_user("choi", "trader");
    stom_in(&r, PASSWORD, "login --username choi --password-stdin");
    ck_assert_int_eq(r.status, 0);
    char file[512], args[1024];
    stom_test_fixture_path("csv/intraday_date_time.csv", file, sizeof file);
    snprintf(args, sizeof args, "data import %s --symbol 000660 --timeframe 1m --json", file);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "import exit %d", r.status);
    json_t *j = json_out(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "rows")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "new")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(j, "market")), "KOSPI");
    json_decref(j);

    stom(&r, "data list --json");
    ck_assert_int_eq(r.status, 0);
    j = json_out(&r);
    bool found = false;
    size_t k;
    json_t *set;
    json_array_foreach(j, k, set)
    {
        if (!strcmp(json_string_value(json_object_get(set, "symbol")), "000660")) {
            found = true;
            ck_assert_int_eq(json_integer_value(json_object_get(set, "rows")), 5);
            ck_assert_str_eq(json_string_value(json_object_get(set, "first")),
                             "2024-01-02T09:00:00+09:00");
        }
    }
    ck_assert_msg(found, "000660 not listed: %s", r.out);
    json_decref(j);
    stom(&r, "data list");
    ck_assert_msg(strstr(r.out, "000660") && strstr(r.out, "2024-01-02 09:00"), "%s", r.out);

    stom_test_fixture_path("csv/high_below_low.csv", file, sizeof file);
    snprintf(args, sizeof args, "data import %s --symbol 000661 --timeframe 1d", file);
    stom(&r, args);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "high_below_low.csv: line 3"), "%s", r.err);
    stom(&r, "data list");
    ck_assert_msg(strstr(r.out, "000661") == NULL, "%s", r.out);
}
END_TEST

START_TEST(a_plain_user_cannot_import_and_is_told_why)
{
    static result r;
    register_and_login("jung");
    char file[512], args[1024];
    stom_test_fixture_path("csv/intraday_date_time.csv", file, sizeof file);
    snprintf(args, sizeof args, "data import %s --symbol 000660 --timeframe 1m", file);
    stom(&r, args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "trader"), "%s", r.err);
}
END_TEST

START_TEST(register_login_optimize_and_list_jobs_through_the_gateway)
{
    static result r;
    register_and_login("kim");
    char path[160];
    snprintf(path, sizeof path, "%s/stom/credentials.json", config_dir);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    stom(&r, "whoami --json");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"kim\""));

    stom(&r, "optimize --strategy sma_cross --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-31 --param fast=3:5:1 --param slow=20 --json");
    ck_assert_msg(r.status == 0, "optimize exit %d: %s", r.status, r.out);
    json_t *j = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "done");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), 3);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "results")), 3);
    ck_assert_ptr_nonnull(
        json_object_get(json_array_get(json_object_get(j, "results"), 0), "metrics"));
    json_decref(j);

    stom(&r, "jobs list --json");
    ck_assert_int_eq(r.status, 0);
    j = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_ge((int)json_array_size(json_object_get(j, "jobs")), 1);
    json_decref(j);

    stom(&r, "logout");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_ne(stat(path, &st), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_gateway");
    TCase *tc = tcase_create("accounts, strategies and data");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_wrong_password_says_so_and_stores_nothing);
    tcase_add_test(tc, strategies_are_pushed_listed_versioned_and_diffed);
    tcase_add_test(tc, a_trader_imports_data_and_lists_it_and_a_bad_file_names_its_line);
    tcase_add_test(tc, a_plain_user_cannot_import_and_is_told_why);
    suite_add_tcase(s, tc);
    /* Needs the gateway's backtest routes; its own case so that the others pass without them. */
    tc = tcase_create("optimize through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, register_login_optimize_and_list_jobs_through_the_gateway);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}

#else

int main(void)
{
    puts("no stom-gateway in this build: nothing to test");
    return 0;
}

#endif
