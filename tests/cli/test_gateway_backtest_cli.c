/*
 * test_gateway_backtest_cli.c - `stom backtest` (and `stom optimize` with
 * stored strategies) through the real stom-gateway, as a user runs them:
 * a run over the stored bars prints the report a local run over the same
 * bars prints, --json is the gateway's answer, flags of the other path and
 * strategies that are missing or another user's are refused by name,
 * Ctrl-C cancels the run on the gateway, and
 * the ranked and best-per-fold tables of an optimisation show the
 * parameters that were run.
 *
 * The processes are real (gateway_fixture.h): PostgreSQL and Redis of the
 * test services, a coordinator and a worker, the gateway on a port of
 * 18350-18399. Built only where the gateway exists (STOM_GATEWAY_BIN).
 */
#include <check.h>
#include <stdio.h>

#include "test_support.h"

#ifdef STOM_GATEWAY_BIN

#define GF_PORT_BASE 18350
#include "gateway_fixture.h"

/* The fixture's bars (005930, 20 days from seed 7) as a CSV file for --local; path set. */
static void write_fixture_csv(char *path, size_t len)
{
    stom_bars b;
    tp_synthetic_bars(&b, "005930", 20, 7);
    snprintf(path, len, "%s/005930.csv", h.dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("date,time,open,high,low,close,volume\n", f);
    for (size_t k = 0; k < b.len; k++) {
        int64_t t = b.ts[k];
        fprintf(f, "%d,%06d,%lld,%lld,%lld,%lld,%lld\n", stom_date_of(t, STOM_KST_OFFSET_MINUTES),
                stom_seconds_of_day(t, STOM_KST_OFFSET_MINUTES) / 3600 * 10000 +
                    stom_seconds_of_day(t, STOM_KST_OFFSET_MINUTES) / 60 % 60 * 100,
                (long long)b.open[k], (long long)b.high[k], (long long)b.low[k],
                (long long)b.close[k], (long long)b.volume[k]);
    }
    fclose(f);
    stom_bars_free(&b);
}

/* Runs `stom args` and checks that it exits 2 with want in its message. */
static void expect_refused(const char *args, const char *want)
{
    static result r;
    stom(&r, args);
    ck_assert_msg(r.status == 2, "%s: exit %d", args, r.status);
    ck_assert_msg(strstr(r.err, want), "%s: %s", args, r.err);
}

/* The report's metric rows: from the period row to the blank line before the last line. */
static void metric_rows(const char *report, char *out, size_t len)
{
    const char *from = strstr(report, "  기간 Period");
    ck_assert_msg(from != NULL, "no period row in:\n%s", report);
    const char *to = strstr(from, "\n\n  ");
    while (to && strstr(to + 2, "\n\n  "))
        to = strstr(to + 2, "\n\n  ");
    ck_assert_ptr_nonnull(to);
    snprintf(out, len, "%.*s", (int)(to - from), from);
}

START_TEST(a_gateway_backtest_prints_the_report_of_a_local_run_over_the_same_bars)
{
    static result r;
    static char local[1 << 14], remote[1 << 14];
    register_and_login("han");
    stom(&r, "backtest --data 005930 --timeframe 1m --strategy sma_cross --param fast=5 "
             "--param slow=20");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "stom backtest - sma_cross (fast=5, slow=20)"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "초기자금 Initial cash") && strstr(r.out, "10,000,000 원"), "%s",
                  r.out);
    ck_assert_msg(strstr(r.out, "KST") && strstr(r.out, "through the gateway: done"), "%s", r.out);
    metric_rows(r.out, remote, sizeof remote);

    char csv[160], args[512];
    write_fixture_csv(csv, sizeof csv);
    snprintf(args, sizeof args,
             "backtest --local --data %s --strategy sma_cross --param fast=5 --param slow=20", csv);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "local exit %d", r.status);
    metric_rows(r.out, local, sizeof local);
    ck_assert_msg(!strcmp(local, remote), "local:\n%s\ngateway:\n%s", local, remote);
}
END_TEST

START_TEST(json_is_the_gateways_answer_with_metrics_trades_and_the_request)
{
    static result r;
    register_and_login("yoon");
    stom(&r, "backtest --data 005930 --timeframe 1m --strategy sma_cross --param fast=3 "
             "--period 2024-01-02:2024-01-12 --cash 5,000,000 --commission 0.02 --json");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_out(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "done");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "id")));
    json_t *metrics = json_object_get(j, "metrics");
    json_t *standard = json_object_get(metrics, "standard");
    ck_assert_int_eq(json_integer_value(json_object_get(standard, "initial_cash")), 5000000);
    ck_assert(json_is_integer(json_object_get(standard, "net_profit")));
    ck_assert(json_equal(json_object_get(standard, "net_profit"),
                         json_object_get(json_object_get(metrics, "stom"), "TG")));
    ck_assert(json_is_array(json_object_get(j, "trades")));
    ck_assert(json_is_array(json_object_get(j, "equity")));
    json_t *req = json_object_get(j, "request");
    ck_assert_str_eq(json_string_value(json_object_get(req, "strategy")), "sma_cross");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(req, "params"), "fast")),
                     3);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(req, "period"), "to")),
                     "2024-01-12");
    double bp = json_number_value(json_object_get(json_object_get(req, "costs"), "commission_bp"));
    ck_assert_msg(bp > 1.999 && bp < 2.001, "commission_bp %g", bp);
    json_decref(j);
}
END_TEST

START_TEST(flags_of_the_local_path_are_refused_by_name)
{
    static result r;
    register_and_login("seo");
    const char *flags[] = {"--tax none", "--trades-csv t.csv", "--market us", "--allow-short"};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        char args[256], name[32];
        snprintf(args, sizeof args, "backtest --data 005930 --timeframe 1m --strategy sma_cross %s",
                 flags[k]);
        snprintf(name, sizeof name, "%.*s", (int)strcspn(flags[k], " "), flags[k]);
        stom(&r, args);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(strstr(r.err, name) && strstr(r.err, "add --local"), "%s", r.err);
    }
    expect_refused("backtest --data 005930.csv --timeframe 1m --strategy sma_cross",
                   "005930.csv is a file");
    expect_refused("backtest --data 005930 --timeframe 1m --strategy-file x.lua",
                   "stom strategy push");
    stom(&r, "jobs list --json");
    json_t *j = json_out(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "jobs")), 0);
    json_decref(j);
}
END_TEST

/* The state of the caller's only run in `stom jobs list --json`, or "" while there is none. */
static void only_run_state(char *state, size_t len)
{
    static result r;
    stom(&r, "jobs list --json");
    ck_assert_int_eq(r.status, 0);
    json_t *j = json_out(&r);
    json_t *run = json_array_get(json_object_get(j, "jobs"), 0);
    snprintf(state, len, "%s", run ? json_string_value(json_object_get(run, "state")) : "");
    json_decref(j);
}

START_TEST(ctrl_c_cancels_the_run_on_the_gateway)
{
    register_and_login("ohm");
    h_stop_workers(&h, SIGTERM); /* nobody takes the job: it waits in the queue */
    const char *argv[] = {"stom", "backtest",   "--data",    "005930", "--timeframe",
                          "1m",   "--strategy", "sma_cross", NULL};
    pid_t pid = tp_spawn(h.dir, "stom-backtest", STOM_BIN, argv, NULL);
    char state[32] = "";
    for (int64_t end = stom_mono_ms() + 20000; !state[0] && stom_mono_ms() < end; tp_sleep_ms(50))
        only_run_state(state, sizeof state);
    ck_assert_msg(state[0], "the run was never listed");
    kill(pid, SIGINT);
    int st = tp_end(&pid, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "wait status %d", st);
    only_run_state(state, sizeof state);
    ck_assert_str_eq(state, "cancelled");
    if (!getenv("STOM_TEST_VERBOSE")) {
        char log[160], text[4096];
        snprintf(log, sizeof log, "%s/stom-backtest.log", h.dir);
        stom_test_slurp(log, text, sizeof text);
        ck_assert_msg(strstr(text, "interrupted (Ctrl-C): cancelled run"), "%s", text);
    }
}
END_TEST

/* Pushes the Lua fixture (tests/fixtures/lua/...) as name for the logged-in user; its id. */
static long long push(const char *fixture, const char *name)
{
    static result r;
    char lua[512], args[1024];
    stom_test_fixture_path(fixture, lua, sizeof lua);
    snprintf(args, sizeof args, "strategy push %s --name %s --json", lua, name);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "push exit %d", r.status);
    json_t *j = json_out(&r);
    long long id = (long long)json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    ck_assert_int_gt(id, 0);
    return id;
}

/* The fixture's sma_cross in Lua (fast default 10, slow default 30). */
static long long push_sma(const char *name)
{
    return push("lua/sma_cross_ko.lua", name);
}

START_TEST(a_stored_strategy_runs_by_name_and_by_id_and_checks_its_params)
{
    static result r;
    register_and_login("kang");
    long long id = push_sma("mysma");
    stom(&r, "backtest --data 005930 --timeframe 1m --strategy mysma --param fast=4 "
             "--period 2024-01-02:2024-01-10");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "stom backtest - mysma (fast=4, slow=30)"), "%s", r.out);
    char args[256];
    snprintf(args, sizeof args,
             "backtest --data 005930 --timeframe 1m --strategy-id %lld --param fast=4 --json", id);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_out(&r);
    json_t *s = json_object_get(json_object_get(j, "request"), "strategy");
    ck_assert_int_eq(json_integer_value(json_object_get(s, "id")), id);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "version")), 1);
    json_decref(j);
    snprintf(args, sizeof args,
             "backtest --data 005930 --timeframe 1m --strategy-id %lld --param nope=1", id);
    expect_refused(args, "no parameter 'nope'");
}
END_TEST

START_TEST(a_stored_strategy_that_fails_mid_run_exits_1_with_its_line)
{
    static result r;
    register_and_login("lim");
    push("lua/runtime_error.lua", "broken");
    stom(&r, "backtest --data 005930 --timeframe 1m --strategy broken");
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "broken:4:") && strstr(r.err, "gave up on bar 4"), "%s", r.err);
    ck_assert_msg(strstr(r.out, "초기자금") == NULL, "%s", r.out);
}
END_TEST

START_TEST(unknown_and_other_users_strategies_are_not_found)
{
    register_and_login("moon");
    long long id = push_sma("private");
    register_and_login("shin"); /* the stored login is now shin's */
    expect_refused("backtest --data 005930 --timeframe 1m --strategy-id 999999",
                   "no strategy with id 999999");
    char args[256], want[64];
    snprintf(want, sizeof want, "no strategy with id %lld", id);
    snprintf(args, sizeof args, "backtest --data 005930 --timeframe 1m --strategy-id %lld", id);
    expect_refused(args, want);
    snprintf(args, sizeof args,
             "optimize --strategy-id %lld --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-12 --param fast=3:5",
             id);
    expect_refused(args, want);
    expect_refused("backtest --data 005930 --timeframe 1m --strategy private",
                   "no stored strategy of that name");
}
END_TEST

START_TEST(optimize_runs_a_stored_strategy_by_id)
{
    static result r;
    register_and_login("jang");
    long long id = push_sma("tuned");
    char args[512];
    snprintf(args, sizeof args,
             "optimize --strategy-id %lld --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-19 --param fast=3:5:1 --param slow=20 --json",
             id);
    stom(&r, args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_out(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "done");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), 3);
    json_decref(j);
    snprintf(args, sizeof args,
             "optimize --strategy-id %lld --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-19 --param fast=3:5:1 --dry-run",
             id);
    stom(&r, args);
    ck_assert_int_eq(r.status, 0);
    j = json_out(&r);
    json_t *s = json_object_get(j, "strategy");
    ck_assert_int_eq(json_integer_value(json_object_get(s, "id")), id);
    ck_assert_ptr_null(json_object_get(j, "strategy_code"));
    json_decref(j);
}
END_TEST

/* The best set of each walk-forward unit, and the ranked sets, name their parameters. */
START_TEST(the_tables_of_an_optimisation_show_the_parameters_that_ran)
{
    static result r;
    register_and_login("bae");
    stom(&r, "optimize --strategy sma_cross --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-29 --param fast=3:5:1 --param slow=20 "
             "--split walkforward --train-weeks 2 --test-weeks 1");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    const char *best = strstr(r.out, "Best per fold");
    ck_assert_msg(best != NULL, "no best-per-fold table:\n%s", r.out);
    ck_assert_msg(strstr(best, "fast=") && strstr(best, "slow=20"), "%s", best);
    ck_assert_msg(strstr(r.out, "(defaults)") == NULL, "%s", r.out);
    ck_assert_msg(strstr(best, "2024-01-"), "no fold periods:\n%s", best);
    const char *units = strstr(r.out, "unit/fold");
    ck_assert_msg(units && units < best, "no unit/fold column in the ranking:\n%s", r.out);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_gateway_backtest");
    TCase *tc = tcase_create("backtest through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, a_gateway_backtest_prints_the_report_of_a_local_run_over_the_same_bars);
    tcase_add_test(tc, json_is_the_gateways_answer_with_metrics_trades_and_the_request);
    tcase_add_test(tc, flags_of_the_local_path_are_refused_by_name);
    tcase_add_test(tc, a_stored_strategy_runs_by_name_and_by_id_and_checks_its_params);
    tcase_add_test(tc, unknown_and_other_users_strategies_are_not_found);
    tcase_add_test(tc, ctrl_c_cancels_the_run_on_the_gateway);
    tcase_add_test(tc, a_stored_strategy_that_fails_mid_run_exits_1_with_its_line);
    suite_add_tcase(s, tc);
    tc = tcase_create("optimize through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, optimize_runs_a_stored_strategy_by_id);
    tcase_add_test(tc, the_tables_of_an_optimisation_show_the_parameters_that_ran);
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
