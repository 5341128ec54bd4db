/*
 * test_optimize_cli.c - `stom optimize` and `stom jobs` as a user runs them:
 * usage errors with exit 2 and messages that say what is wrong, the job
 * spec a command line becomes (--dry-run), an unreachable coordinator, and
 * the whole conversation (submit, progress, results, jobs, Ctrl-C) against
 * the scripted coordinator of fake_coordinator.h.
 */
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_coordinator.h"
#include "test_support.h"

#define BASE "--data 005930 --timeframe 1d --period 2024-01-01:2024-12-31"

typedef struct result {
    int status;
    char out[1 << 16], err[8192];
} result;

static void slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Runs `stom <args>` through the shell; stdout and stderr are captured. */
static void run(result *r, const char *args)
{
    char err_path[] = "/tmp/stom-cli-test-XXXXXX";
    int fd = mkstemp(err_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s 2>%s", STOM_BIN, args, err_path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(r->out, 1, sizeof r->out - 1, p);
    r->out[n] = '\0';
    int st = pclose(p);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    slurp(err_path, r->err, sizeof r->err);
    unlink(err_path);
}

static void expect(const char *args, int status, const char *message)
{
    static result r;
    run(&r, args);
    ck_assert_msg(r.status == status, "stom %s: exit %d, wanted %d (%s)", args, r.status, status,
                  r.err);
    ck_assert_msg(strstr(r.err, message) != NULL, "stom %s: stderr '%s' lacks '%s'", args, r.err,
                  message);
}

static json_t *parse_json(const result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->out);
    return j;
}

/* ---- a coordinator per test (Check forks each test: the thread lives in the child) ---- */

static fake_coordinator *fake;
static char url[128];

static void fake_up(void)
{
    snprintf(url, sizeof url, "ipc:///tmp/stom-cli-optimize-%ld.ipc", (long)getpid());
    fake = fake_coordinator_start(url);
    ck_assert_ptr_nonnull(fake);
}

static void fake_down(void)
{
    fake_coordinator_stop(fake);
    fake = NULL;
    unlink(url + strlen("ipc://"));
}

/* ---- without a coordinator -------------------------------------------------------------- */

START_TEST(help_explains_both_commands_and_exits_0)
{
    static result r;
    run(&r, "optimize --help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Usage: stom optimize"));
    ck_assert_ptr_nonnull(strstr(r.out, "--split none|holdout|cv|test|walkforward"));
    ck_assert_ptr_nonnull(strstr(r.out, "--constraint"));
    run(&r, "jobs --help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "stom jobs cancel ID"));
    run(&r, "--help");
    ck_assert_ptr_nonnull(strstr(r.out, "optimize"));
    ck_assert_ptr_nonnull(strstr(r.out, "jobs"));
}
END_TEST

START_TEST(usage_errors_exit_2_and_say_what_is_wrong)
{
    expect("optimize --strategy nope " BASE, 2, "built-ins: sma_cross");
    expect("optimize " BASE, 2, "--strategy NAME or --strategy-file");
    expect("optimize --strategy sma_cross " BASE " --param fast", 2, "is not NAME=VALUE");
    expect("optimize --strategy sma_cross " BASE " --param fast=a:b", 2,
           "a range is START:END or START:END:STEP");
    expect("optimize --strategy sma_cross " BASE " --param fast=20:5", 2, "END is below START");
    expect("optimize --strategy sma_cross " BASE " --param x=1:5", 2,
           "strategy sma_cross has no parameter 'x' (valid: fast, slow)");
    expect("optimize --strategy sma_cross " BASE " --param fast=0", 2, "out of range 1..1000");
    expect("optimize --strategy sma_cross " BASE " --param fast=1:2000", 2,
           "outside the parameter's range 1..1000");
    expect("optimize --strategy sma_cross " BASE " --method grid", 2, "narrow the --param ranges");
    expect("optimize --strategy sma_cross --data 005930 --timeframe 1d --period 2024-13-01:2024-"
           "12-31",
           2, "is not FROM:TO with dates as YYYY-MM-DD");
    expect("optimize --strategy sma_cross --data 005930 --timeframe 1d --period "
           "2024-05-01:2024-01-01",
           2, "ends before it starts");
    expect("optimize --strategy sma_cross --data 005930 --timeframe 1d", 2,
           "--period FROM:TO is required");
    expect("optimize --strategy sma_cross --data 005930 --timeframe 5m --period "
           "2024-01-01:2024-12-31",
           2, "not one of 1m, 1d, 1s");
    expect("optimize --strategy sma_cross " BASE " --objective best", 2,
           "unknown objective 'best'");
    expect("optimize --strategy sma_cross " BASE " --constraint 'drawdown<=10'", 2,
           "unknown metric 'drawdown'");
    expect("optimize --strategy sma_cross " BASE " --split walkforward --train-weeks 8", 2,
           "walkforward needs --train-weeks N and --test-weeks M");
    expect("optimize --strategy sma_cross " BASE " --split walkforward --train-weeks 40 "
           "--test-weeks 20",
           2, "period has 52 weeks");
    expect("optimize --strategy sma_cross " BASE " --split holdout", 2,
           "holdout needs --valid-weeks N");
    expect("optimize --strategy sma_cross " BASE " --train-weeks 4", 2,
           "--train-weeks applies only with --split");
    expect("optimize --strategy sma_cross " BASE " --param fast=5:9 --population 9", 2,
           "--population applies only to --method genetic");
    expect("optimize --strategy sma_cross " BASE " --commission 50", 2,
           "--commission '50' is not a percentage");
    expect("optimize --strategy sma_cross " BASE " --frobnicate", 2,
           "unknown option '--frobnicate'");
    expect("jobs", 2, "jobs needs list, show ID or cancel ID");
    expect("jobs show", 2, "needs a job id");
}
END_TEST

START_TEST(a_lua_file_that_does_not_load_or_lacks_the_parameter_exits_2)
{
    char lua[512], cmd[1024];
    stom_test_fixture_path("lua/check_syntax.lua", lua, sizeof lua);
    snprintf(cmd, sizeof cmd, "optimize --strategy-file %s " BASE, lua);
    expect(cmd, 2, "check_syntax.lua:");
    stom_test_fixture_path("lua/sma_cross_ko.lua", lua, sizeof lua);
    snprintf(cmd, sizeof cmd, "optimize --strategy-file %s " BASE " --param nope=1:3", lua);
    expect(cmd, 2, "has no parameter 'nope' (valid: fast, slow)");
    expect("optimize --strategy-file /nonexistent/x.lua " BASE, 3, "cannot open");
}
END_TEST

static const char *string_at(json_t *o, const char *path)
{
    return json_string_value(json_object_get(o, path));
}

/* Without --local the dry run prints the body of POST /optimizations (docs/gateway-api.md). */
START_TEST(the_dry_run_without_local_shows_the_gateway_request)
{
    static result r;
    run(&r, "optimize --strategy sma_cross --data 005930,000660 --timeframe 1d "
            "--period 2024-01-01:2024-12-31 --param fast=5:20:5 --param slow=40 "
            "--constraint 'mdd <= 10' --objective sharpe --method random --samples 7 --seed 3 "
            "--split holdout --valid-weeks 8 --commission 0.015 --cash 5,000,000 --dry-run");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = parse_json(&r);
    ck_assert_str_eq(string_at(j, "strategy"), "sma_cross");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "symbols"), 1)), "000660");
    ck_assert_str_eq(string_at(j, "timeframe"), "1d");
    json_t *period = json_object_get(j, "period");
    ck_assert_str_eq(string_at(period, "from"), "2024-01-01");
    ck_assert_str_eq(string_at(period, "to"), "2024-12-31");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "params"), "slow")), 40);
    json_t *fast = json_object_get(json_object_get(j, "search"), "fast");
    ck_assert_int_eq(json_integer_value(json_object_get(fast, "start")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(fast, "end")), 20);
    ck_assert_int_eq(json_integer_value(json_object_get(fast, "step")), 5);
    ck_assert_str_eq(string_at(j, "method"), "random");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "samples")), 7);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "seed")), 3);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "constraints"), 0)),
                     "mdd<=10");
    json_t *split = json_object_get(j, "split");
    ck_assert_str_eq(string_at(split, "kind"), "holdout");
    ck_assert_int_eq(json_integer_value(json_object_get(split, "valid_weeks")), 8);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "initial_cash")), 5000000);
    ck_assert(
        fabs(json_number_value(json_object_get(json_object_get(j, "costs"), "commission_bp")) -
             1.5) < 1e-9);
    ck_assert_ptr_null(json_object_get(j, "job_id"));
    json_decref(j);
}
END_TEST

/* No stored login: the command says to log in (or use --local), exit 2, nothing sent. */
START_TEST(without_a_login_the_gateway_path_says_run_stom_login)
{
    setenv("XDG_CONFIG_HOME", "/nonexistent-stom-test", 1);
    unsetenv("STOM_URL");
    expect("optimize --strategy sma_cross " BASE, 2, "run `stom login`");
    expect("jobs list --url http://127.0.0.1:9", 2, "run `stom login`");
}
END_TEST

START_TEST(the_dry_run_shows_the_job_spec_the_command_line_becomes)
{
    static result r;
    run(&r, "optimize --strategy sma_cross --data 005930,000660 --timeframe 1d "
            "--period 2024-01-01:2024-12-31 --param fast=5:20:5 --param slow=40 "
            "--constraint 'mdd <= 10' --constraint 'wr=40:60' --objective sharpe "
            "--split holdout --valid-weeks 8 --commission 0.015 --cash 5,000,000 "
            "--fill close --size-pct 50 --coordinator ipc:///tmp/stom-no-coordinator-here.ipc "
            "--dry-run");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = parse_json(&r);
    const char *id = string_at(j, "job_id");
    ck_assert_msg(id && strlen(id) == 14 && !strncmp(id, "j-", 2) &&
                      strspn(id + 2, "0123456789abcdef") == 12,
                  "job id %s", id ? id : "(none)");
    json_t *period = json_object_get(j, "period");
    /* 2024-01-01 00:00 KST to 2025-01-01 00:00 KST, in UTC nanoseconds. */
    ck_assert(json_integer_value(json_object_get(period, "from_ns")) ==
              INT64_C(1704034800000000000));
    ck_assert(json_integer_value(json_object_get(period, "to_ns")) == INT64_C(1735657200000000000));
    json_t *range = json_array_get(json_object_get(j, "search"), 0);
    ck_assert_str_eq(string_at(range, "name"), "fast");
    ck_assert(json_number_value(json_object_get(range, "step")) == 5);
    ck_assert(json_number_value(json_object_get(range, "max_value")) == 20);
    json_t *fixed = json_array_get(json_object_get(j, "params"), 0);
    ck_assert_str_eq(string_at(fixed, "name"), "slow");
    ck_assert_int_eq(json_integer_value(json_object_get(fixed, "int_value")), 40);
    json_t *c0 = json_array_get(json_object_get(j, "constraints"), 0);
    ck_assert_str_eq(string_at(c0, "metric"), "mdd");
    ck_assert(json_number_value(json_object_get(c0, "max_value")) == 10);
    ck_assert_ptr_null(json_object_get(c0, "min_value"));
    json_t *c1 = json_array_get(json_object_get(j, "constraints"), 1);
    ck_assert(json_number_value(json_object_get(c1, "min_value")) == 40);
    ck_assert(json_number_value(json_object_get(c1, "max_value")) == 60);
    ck_assert_str_eq(string_at(j, "method"), "OPTIMIZE_METHOD_GRID");
    ck_assert_str_eq(string_at(j, "objective"), "OBJECTIVE_SHARPE");
    json_t *v = json_object_get(j, "validation");
    ck_assert_str_eq(string_at(v, "scheme"), "VALIDATION_SCHEME_HOLDOUT");
    ck_assert_int_eq(json_integer_value(json_object_get(v, "valid_weeks")), 8);
    json_t *costs = json_object_get(j, "costs");
    ck_assert_int_eq(json_integer_value(json_object_get(costs, "commission_rate")), 15000);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "initial_cash")), 5000000);
    ck_assert(json_is_true(json_object_get(j, "fill_on_close")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "size_pct_bp")), 5000);
    json_decref(j);
}
END_TEST

START_TEST(vars_text_becomes_ranges_and_fixed_values_and_param_wins)
{
    char vars[] = "/tmp/stom-vars-XXXXXX", cmd[1024];
    int fd = mkstemp(vars);
    ck_assert_int_ge(fd, 0);
    const char text[] = "self.vars[0] = [[5, 30, 5], 20]\nself.vars[1] = [[40, 40, 0], 40]\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (int)(sizeof text - 1));
    close(fd);
    static result r;
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross " BASE
             " --vars %s --coordinator ipc:///tmp/stom-no-coordinator-here.ipc --dry-run",
             vars);
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = parse_json(&r);
    json_t *range = json_array_get(json_object_get(j, "search"), 0);
    ck_assert_str_eq(string_at(range, "name"), "fast");
    ck_assert(json_number_value(json_object_get(range, "max_value")) == 30);
    json_t *fixed = json_array_get(json_object_get(j, "params"), 0);
    ck_assert_str_eq(string_at(fixed, "name"), "slow");
    json_decref(j);
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross " BASE
             " --vars %s --param fast=3,5,8 --coordinator ipc:///tmp/stom-no-coordinator-here.ipc "
             "--dry-run",
             vars);
    run(&r, cmd);
    j = parse_json(&r);
    range = json_array_get(json_object_get(j, "search"), 0);
    ck_assert_int_eq((int)json_array_size(json_object_get(range, "values")), 3);
    json_decref(j);
    unlink(vars);
}
END_TEST

START_TEST(an_unreachable_coordinator_exits_1_and_says_how_to_start_it)
{
    expect("optimize --strategy sma_cross " BASE
           " --coordinator ipc:///tmp/stom-no-coordinator-here.ipc",
           1, "no answer from the coordinator at ipc:///tmp/stom-no-coordinator-here.ipc");
    expect("optimize --strategy sma_cross " BASE
           " --coordinator ipc:///tmp/stom-no-coordinator-here.ipc",
           1, "start it with `make up`");
    expect("jobs list --coordinator ipc:///tmp/stom-no-coordinator-here.ipc", 1,
           "STOM_COORDINATOR_URL");
    static result r;
    run(&r, "optimize --strategy sma_cross " BASE " --coordinator listen:tcp://x:1");
    ck_assert_int_eq(r.status, 2);
}
END_TEST

START_TEST(the_environment_names_the_coordinator)
{
    static result r;
    char env_cmd[512];
    snprintf(env_cmd, sizeof env_cmd, "STOM_COORDINATOR_URL=%s %s jobs list --local", url,
             STOM_BIN);
    FILE *p = popen(env_cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(r.out, 1, sizeof r.out - 1, p);
    r.out[n] = '\0';
    ck_assert_int_eq(pclose(p), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "j-000000000001"));
}
END_TEST

/* ---- against the fake coordinator ------------------------------------------------------------ */

START_TEST(a_finished_job_prints_the_ranked_table_with_stom_figures)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross " BASE
             " --param fast=5:15:5 --constraint 'mdd<=10' --coordinator %s",
             url);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    const char *want[] = {"job j-",
                          "sma_cross",
                          "grid",
                          "3 sets",
                          "0:42",
                          "TG 순이익",
                          "1,234,567",
                          "−∞",
                          "violated: mdd<=10",
                          "failed: strategy.lua:7",
                          "Best per fold",
                          "2024-01-01~2024-03-31",
                          "-50,000"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(r.out, want[k]) != NULL, "output lacks '%s':\n%s", want[k], r.out);
    /* Off a terminal only the summary line goes to stderr. */
    ck_assert_msg(strstr(r.err, "완료 done: 3 evaluated") != NULL, "stderr: %s", r.err);
    ck_assert_ptr_null(strstr(r.err, "\r"));
    ck_assert_int_eq(fake_coordinator_submits(fake), 1);
    ck_assert_int_ge(fake_coordinator_queries(fake), 2);
}
END_TEST

START_TEST(json_output_is_one_object_with_results_and_best_per_fold)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross " BASE " --param fast=5:15:5 --json --coordinator %s",
             url);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = parse_json(&r);
    ck_assert_str_eq(string_at(j, "job"), fake_coordinator_last_job(fake));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), 3);
    json_t *results = json_object_get(j, "results");
    ck_assert_int_eq((int)json_array_size(results), 3);
    json_t *first = json_array_get(results, 0);
    ck_assert(json_number_value(json_object_get(first, "objective")) == 1234567);
    ck_assert(json_is_true(json_object_get(first, "constraints_met")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(first, "params"), "fast")),
                     5);
    json_t *m = json_object_get(first, "metrics");
    ck_assert_int_eq(json_integer_value(json_object_get(m, "net_profit")), 1234567);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "trades")), 42);
    ck_assert(json_is_null(json_object_get(first, "valid_metrics")));
    json_t *second = json_array_get(results, 1);
    ck_assert(json_is_null(json_object_get(second, "objective")));
    ck_assert(json_is_false(json_object_get(second, "constraints_met")));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(second, "violated"), 0)),
                     "mdd<=10");
    json_t *third = json_array_get(results, 2);
    ck_assert(json_is_true(json_object_get(third, "failed")));
    json_t *best = json_array_get(json_object_get(j, "best"), 0);
    json_t *train = json_object_get(json_object_get(best, "periods"), "train");
    ck_assert_str_eq(json_string_value(json_array_get(train, 0)), "2024-01-01");
    ck_assert_str_eq(json_string_value(json_array_get(train, 1)), "2024-03-31");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(best, "out_of_sample"), "net_profit")),
        -50000);
    json_decref(j);
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross " BASE " --param fast=5:15:5 --json --top 1 "
             "--coordinator %s",
             url);
    run(&r, cmd);
    j = parse_json(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "results")), 1);
    json_decref(j);
}
END_TEST

START_TEST(a_refused_job_exits_2_and_a_failed_job_exits_1_with_the_reason)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross --data REFUSED --timeframe 1d --period "
             "2024-01-01:2024-12-31 --coordinator %s",
             url);
    expect(cmd, 2, "job refused: no 1d bars of REFUSED");
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross --data FAILS --timeframe 1d --period "
             "2024-01-01:2024-12-31 --coordinator %s",
             url);
    expect(cmd, 1, "failed: strategy.lua:3: boom");
}
END_TEST

START_TEST(no_wait_prints_the_job_id_and_returns_at_once)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "optimize --strategy sma_cross --data HANG --timeframe 1d --period "
             "2024-01-01:2024-12-31 --no-wait --coordinator %s",
             url);
    static result r;
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_int_eq(fake_coordinator_submits(fake), 1);
    char want[80];
    snprintf(want, sizeof want, "%s\n", fake_coordinator_last_job(fake));
    ck_assert_str_eq(r.out, want);
    ck_assert_int_eq(fake_coordinator_queries(fake), 0);
}
END_TEST

START_TEST(jobs_list_show_and_cancel_talk_to_the_coordinator)
{
    char cmd[512];
    static result r;
    snprintf(cmd, sizeof cmd, "jobs list --coordinator %s", url);
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    const char *want[] = {"j-000000000002", "실행 running",     "완료 done", "412/1,000",
                          "TG 1,234,567",   "2024-06-01 09:00", "sma_cross"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(r.out, want[k]) != NULL, "list lacks '%s':\n%s", want[k], r.out);
    snprintf(cmd, sizeof cmd, "jobs list --json --coordinator %s", url);
    run(&r, cmd);
    json_t *j = parse_json(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "jobs")), 2);
    json_decref(j);
    snprintf(cmd, sizeof cmd, "jobs show j-000000000001 --coordinator %s", url);
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "job j-000000000001"));
    ck_assert_ptr_nonnull(strstr(r.out, "1,234,567"));
    snprintf(cmd, sizeof cmd, "jobs cancel j-000000000002 --coordinator %s", url);
    run(&r, cmd);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "cancelled"));
    ck_assert_int_eq(fake_coordinator_cancels(fake), 1);
    snprintf(cmd, sizeof cmd, "jobs show j-nope --coordinator %s", url);
    expect(cmd, 2, "no job 'j-nope'");
    snprintf(cmd, sizeof cmd, "jobs cancel j-nope --coordinator %s", url);
    expect(cmd, 2, "no job 'j-nope'");
}
END_TEST

/* Waits (polling, with a deadline) until the coordinator has answered a progress query. */
static bool wait_for_query(int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        if (fake_coordinator_queries(fake) > 0)
            return true;
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    return false;
}

START_TEST(ctrl_c_while_waiting_cancels_the_job_and_exits_130)
{
    char err_path[] = "/tmp/stom-cli-test-XXXXXX";
    int fd = mkstemp(err_path);
    ck_assert_int_ge(fd, 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fd, STDERR_FILENO);
        execl(STOM_BIN, STOM_BIN, "optimize", "--strategy", "sma_cross", "--data", "HANG",
              "--timeframe", "1d", "--period", "2024-01-01:2024-12-31", "--coordinator", url,
              (char *)NULL);
        _exit(127);
    }
    close(fd);
    ck_assert_msg(wait_for_query(10000), "the CLI never asked for progress");
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    char err[4096];
    slurp(err_path, err, sizeof err);
    unlink(err_path);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "status %d: %s", st, err);
    ck_assert_msg(strstr(err, "interrupted (Ctrl-C): cancelled job j-") != NULL, "%s", err);
    ck_assert_int_eq(fake_coordinator_cancels(fake), 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_optimize");
    TCase *local = tcase_create("without a coordinator");
    tcase_set_timeout(local, 60);
    tcase_add_test(local, help_explains_both_commands_and_exits_0);
    tcase_add_test(local, usage_errors_exit_2_and_say_what_is_wrong);
    tcase_add_test(local, a_lua_file_that_does_not_load_or_lacks_the_parameter_exits_2);
    tcase_add_test(local, the_dry_run_shows_the_job_spec_the_command_line_becomes);
    tcase_add_test(local, the_dry_run_without_local_shows_the_gateway_request);
    tcase_add_test(local, without_a_login_the_gateway_path_says_run_stom_login);
    tcase_add_test(local, vars_text_becomes_ranges_and_fixed_values_and_param_wins);
    tcase_add_test(local, an_unreachable_coordinator_exits_1_and_says_how_to_start_it);
    suite_add_tcase(s, local);
    TCase *remote = tcase_create("with a coordinator");
    tcase_set_timeout(remote, 60);
    tcase_add_checked_fixture(remote, fake_up, fake_down);
    tcase_add_test(remote, the_environment_names_the_coordinator);
    tcase_add_test(remote, a_finished_job_prints_the_ranked_table_with_stom_figures);
    tcase_add_test(remote, json_output_is_one_object_with_results_and_best_per_fold);
    tcase_add_test(remote, a_refused_job_exits_2_and_a_failed_job_exits_1_with_the_reason);
    tcase_add_test(remote, no_wait_prints_the_job_id_and_returns_at_once);
    tcase_add_test(remote, jobs_list_show_and_cancel_talk_to_the_coordinator);
    tcase_add_test(remote, ctrl_c_while_waiting_cancels_the_job_and_exits_130);
    suite_add_tcase(s, remote);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
