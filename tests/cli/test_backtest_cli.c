/*
 * test_backtest_cli.c - `stom` as a user runs it: the hand-checked run
 * through --json and --trades-csv, exit codes for usage and data errors, and
 * messages that name what was wrong.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

typedef struct result {
    int status;
    char out[1 << 16], err[4096];
} result;

/* Runs `stom <args>` through the shell; stdout and stderr are captured. */
static void run(result *r, const char *args)
{
    r->status =
        stom_test_command(STOM_BIN, NULL, args, r->out, sizeof r->out, r->err, sizeof r->err);
}

static void fixture(const char *rel, char *buf, size_t len)
{
    stom_test_fixture_path(rel, buf, len);
}

START_TEST(the_hand_checked_run_reports_its_figures_in_json)
{
    char data[512], cmd[1024];
    fixture("backtest/hand_checked.csv", data, sizeof data);
    snprintf(cmd, sizeof cmd,
             "backtest --local --data %s --strategy sma_cross --param fast=2 --param slow=3 "
             "--cash 1,000,000 --json",
             data);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON: %s", e.text);
    const char *keys[] = {"trades",
                          "final_equity",
                          "return_pct",
                          "cagr_pct",
                          "max_drawdown_pct",
                          "max_drawdown_amount",
                          "win_rate_pct",
                          "profit_factor",
                          "sharpe",
                          "sortino",
                          "fees",
                          "taxes",
                          "tpi"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        ck_assert_msg(json_object_get(j, keys[k]) != NULL, "missing key %s", keys[k]);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "trades")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "final_equity")), 986169);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "fees")), 590);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "taxes")), 3541);
    json_decref(j);
}
END_TEST

START_TEST(the_trades_csv_has_one_row_per_trade_with_the_open_one_marked)
{
    char data[512], cmd[1024], csv[] = "/tmp/stom-trades-XXXXXX";
    fixture("backtest/hand_checked.csv", data, sizeof data);
    close(mkstemp(csv));
    snprintf(cmd, sizeof cmd,
             "backtest --local --data %s --strategy sma_cross --param fast=2 --param slow=3 "
             "--cash 1000000 --trades-csv %s",
             data, csv);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "986,169"));
    char text[4096];
    stom_test_slurp(csv, text, sizeof text);
    unlink(csv);
    ck_assert_str_eq(
        text,
        "symbol,side,qty,entry_time,entry_price,exit_time,exit_price,pnl,fees,taxes,status\n"
        "hand_checked,long,97,2024-03-08T00:00:00+09:00,10250,2024-03-13T00:00:00+09:00,10150,"
        "-11768,296,1772,closed\n"
        "hand_checked,long,95,2024-03-18T00:00:00+09:00,10350,2024-03-19T00:00:00+09:00,10350,"
        "-2063,294,1769,open_at_end\n");
}
END_TEST

static void expect(const char *args, int status, const char *message)
{
    static result r;
    run(&r, args);
    ck_assert_msg(r.status == status, "stom %s: exit %d, wanted %d (%s)", args, r.status, status,
                  r.err);
    ck_assert_msg(strstr(r.err, message) != NULL, "stom %s: stderr '%s' lacks '%s'", args, r.err,
                  message);
}

START_TEST(a_lua_strategy_file_runs_the_hand_checked_case_like_the_built_in)
{
    char data[512], lua[512], cmd[2048];
    fixture("backtest/hand_checked.csv", data, sizeof data);
    fixture("lua/sma_cross_ko.lua", lua, sizeof lua);
    snprintf(cmd, sizeof cmd,
             "backtest --local --data %s --strategy-file %s --param fast=2 --param slow=3 "
             "--cash 1000000 --json",
             data, lua);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_loads(r.out, JSON_REJECT_DUPLICATES, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "trades")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "final_equity")), 986169);
    json_decref(j);
}
END_TEST

START_TEST(a_lua_strategy_that_fails_mid_run_exits_1_with_file_and_line)
{
    char data[512], lua[512], cmd[2048];
    fixture("backtest/hand_checked.csv", data, sizeof data);
    fixture("lua/runtime_error.lua", lua, sizeof lua);
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy-file %s", data, lua);
    expect(cmd, 1, "runtime_error.lua:4:");
    expect(cmd, 1, "the strategy gave up on bar 4");
    fixture("lua/check_syntax.lua", lua, sizeof lua);
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy-file %s", data, lua);
    expect(cmd, 2, "check_syntax.lua:");
}
END_TEST

START_TEST(usage_errors_exit_2_and_list_the_valid_choices)
{
    char data[512], cmd[1024];
    fixture("backtest/hand_checked.csv", data, sizeof data);
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy nope", data);
    expect(cmd, 2, "built-ins: sma_cross, rsi_reversion");
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy sma_cross --param x=1", data);
    expect(cmd, 2, "valid: fast, slow");
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy sma_cross --param fast=0",
             data);
    expect(cmd, 2, "out of range 1..1000");
    snprintf(cmd, sizeof cmd,
             "backtest --local --data %s --strategy sma_cross --param fast=9 --param slow=3", data);
    expect(cmd, 2, "fast < slow");
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy sma_cross --sizing half",
             data);
    expect(cmd, 2, "all-in, pct:P");
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy sma_cross --market tse", data);
    expect(cmd, 2, "krx, us, crypto");
    expect("backtest --local --strategy sma_cross", 2, "--data FILE is required");
    expect("backtest --local --data x.csv --strategy sma_cross --frobnicate", 2,
           "unknown option '--frobnicate'");
    expect("frobnicate", 2, "unknown command");
}
END_TEST

START_TEST(data_errors_exit_3_and_name_the_file_and_line)
{
    char data[512], cmd[1024];
    fixture("backtest/high_below_low.csv", data, sizeof data);
    snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy sma_cross", data);
    expect(cmd, 3, "high_below_low.csv:3: high 90 is below low 95");
    expect("backtest --local --data /nonexistent/prices.csv --strategy sma_cross", 3,
           "/nonexistent/prices.csv: cannot open");
    fixture("backtest/hand_checked.csv", data, sizeof data);
    snprintf(cmd, sizeof cmd,
             "backtest --local --data %s --strategy sma_cross --period 2030-01-01:2030-02-01",
             data);
    expect(cmd, 3, "no bars between 2030-01-01 and 2030-02-01");
}
END_TEST

START_TEST(help_explains_every_flag_with_an_example)
{
    static result r;
    run(&r, "backtest --help");
    ck_assert_int_eq(r.status, 0);
    const char *flags[] = {"--local",          "--data",        "--strategy",    "--param",
                           "--period",         "--cash",        "--commission",  "--tax",
                           "--slippage-ticks", "--sizing",      "--allow-short", "--fill",
                           "--market",         "--json",        "--trades-csv",  "--equity-csv",
                           "Examples:",        "--strategy-id", "--timeframe",   "--url"};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        ck_assert_msg(strstr(r.out, flags[k]) != NULL, "help lacks %s", flags[k]);
    run(&r, "strategies --json");
    ck_assert_int_eq(r.status, 0);
    json_t *j = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_uint_eq(json_array_size(j), 5);
    json_decref(j);
}
END_TEST

START_TEST(a_real_kospi_file_runs_every_builtin)
{
    char data[512], cmd[1024];
    if (!stom_test_shared_path("krx-daily/invest_kr_pykrx/005930.csv", data, sizeof data)) {
        printf("skipped: ../shared/data is absent\n");
        return;
    }
    const char *names[] = {"sma_cross", "rsi_reversion", "bollinger_breakout",
                           "volatility_breakout", "momentum"};
    for (size_t k = 0; k < 5; k++) {
        snprintf(cmd, sizeof cmd, "backtest --local --data %s --strategy %s --json", data,
                 names[k]);
        static result r;
        run(&r, cmd);
        ck_assert_msg(r.status == 0, "%s: exit %d: %s", names[k], r.status, r.err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("backtest");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_hand_checked_run_reports_its_figures_in_json);
    tcase_add_test(tc, the_trades_csv_has_one_row_per_trade_with_the_open_one_marked);
    tcase_add_test(tc, a_lua_strategy_file_runs_the_hand_checked_case_like_the_built_in);
    tcase_add_test(tc, a_lua_strategy_that_fails_mid_run_exits_1_with_file_and_line);
    tcase_add_test(tc, usage_errors_exit_2_and_list_the_valid_choices);
    tcase_add_test(tc, data_errors_exit_3_and_name_the_file_and_line);
    tcase_add_test(tc, help_explains_every_flag_with_an_example);
    tcase_add_test(tc, a_real_kospi_file_runs_every_builtin);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
