/*
 * test_optimize_cli.c - `stom optimize` and `stom jobs` as a user runs them:
 * usage errors with exit 2 and messages that say what is wrong, the job
 * spec a command line becomes (--dry-run), an unreachable coordinator, and
 * the whole conversation (submit, progress, results, jobs, Ctrl-C) with the
 * real coordinator and a worker over bars in the test PostgreSQL, started
 * as tests/services/harness.h starts them.
 */
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The backtester harness: this test uses its processes, its database and its socket. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "harness.h"
#include "stom/fixed.h"
#include "test_support.h"

#define BASE "--data 005930 --timeframe 1d --period 2024-01-01:2024-12-31"

typedef struct result {
    int status;
    char args[2048], out[1 << 16], err[8192];
} result;

/* A new empty file in $TMPDIR (main's temp dir); returns its descriptor, its path in path. */
static int temp_file(const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s-XXXXXX", getenv("TMPDIR"), name);
    int fd = mkstemp(path);
    ck_assert_msg(fd >= 0, "mkstemp %s", path);
    return fd;
}

/* Runs `stom <args>` through the shell; stdout and stderr are captured. */
static void run(result *r, const char *args)
{
    snprintf(r->args, sizeof r->args, "%s", args);
    r->status =
        stom_test_command(STOM_BIN, NULL, args, r->out, sizeof r->out, r->err, sizeof r->err);
}

/* Fails unless the command exited with status and its stderr holds message. */
static void expect_result(const result *r, int status, const char *message)
{
    ck_assert_msg(r->status == status, "stom %s: exit %d, wanted %d (%s)", r->args, r->status,
                  status, r->err);
    ck_assert_msg(strstr(r->err, message) != NULL, "stom %s: stderr '%s' lacks '%s'", r->args,
                  r->err, message);
}

static void expect(const char *args, int status, const char *message)
{
    static result r;
    run(&r, args);
    expect_result(&r, status, message);
}

static json_t *parse_json(const result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->out);
    return j;
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
    char vars[256], cmd[1024];
    int fd = temp_file("vars", vars, sizeof vars);
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

/* ---- against the real coordinator and worker ------------------------------------------------- */

/*
 * Each test gets what tests/services/harness.h sets up: a fresh database
 * holding BAR_DAYS sessions of synthetic one-minute bars of 005930 (from
 * 2024-01-02), a coordinator listening in the harness's temp dir and one
 * worker. The figures the CLI prints are checked against the rows the
 * worker stored.
 */
#define BAR_DAYS 25
#define BARS     "--data 005930 --timeframe 1m --period 2024-01-02:2024-02-05"
#define SMA      "--strategy sma_cross " BARS
#define GRID3    SMA " --param fast=5:15:5 --param slow=20"

/* The ranked search rows' net profit (TG), best first, as the CLI ranks them. */
#define RANKED_TG                                                                                  \
    "SELECT string_agg(metrics->>'net_profit', ',' ORDER BY objective DESC NULLS LAST, task_id) "  \
    "FROM results WHERE job_id = $1 AND phase = 'search'"

static harness h;

/* The coordinator's newest job (id "" when none), asked over the harness's socket. */
static Stom__V1__JobState newest_job(char *id, size_t len, uint64_t *done)
{
    Stom__V1__JobListQuery q = STOM__V1__JOB_LIST_QUERY__INIT;
    q.has_limit = true;
    q.limit = 1;
    stom_bus_received r = {0};
    const Stom__V1__Envelope *env = h_ask(&h, &q.base, &r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_JOB_LIST);
    const Stom__V1__JobStatus *st = env->job_list->n_jobs ? env->job_list->jobs[0] : NULL;
    Stom__V1__JobState state = st ? st->state : STOM__V1__JOB_STATE__JOB_STATE_UNSPECIFIED;
    snprintf(id, len, "%s", st ? st->job_id : "");
    *done = st && st->progress ? st->progress->done : 0;
    stom_bus_received_free(&r);
    return state;
}

static void coordinator_up(void)
{
    h_init(&h, "cli");
    h_import(&h, "005930", BAR_DAYS, 7);
    h_start_coordinator(&h);
    h_start_worker(&h, "w1");
    char id[64];
    uint64_t done;
    newest_job(id, sizeof id, &done); /* returns once the coordinator answers */
    ck_assert_str_eq(id, "");
}

static void coordinator_down(void)
{
    h_fini(&h);
}

/* Runs `stom ARGS --coordinator URL` against the harness's coordinator; ARGS printf-style. */
static void remote(result *r, const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    ck_assert(n > 0 && (size_t)n + sizeof h.listen + 16 < sizeof args);
    snprintf(args + n, sizeof args - (size_t)n, " --coordinator %s", h.listen);
    run(r, args);
}

/* The first job id ("j-" and 12 hex digits) in text. */
static void job_id_in(const char *text, char *id, size_t len)
{
    const char *p = strstr(text, "j-");
    ck_assert_msg(p && strspn(p + 2, "0123456789abcdef") == 12, "no job id in: %s", text);
    snprintf(id, len, "%.14s", p);
}

/* The first comma-separated item of a RANKED_TG list, written as the CLI writes money. */
static void money(const char *list, char *out, size_t len)
{
    ck_assert_msg(list[0] == '-' || (list[0] >= '0' && list[0] <= '9'), "not a number: '%s'", list);
    stom_fixed_format(strtoll(list, NULL, 10), 0, true, out, len);
}

START_TEST(the_environment_names_the_coordinator)
{
    h_spec s;
    char err[256];
    h_spec_init(&s, &h, "env-named-job", "005930");
    s.spec.n_search = 0; /* one backtest: the list needs a job, not work */
    s.spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
    h_submit(&h, &s, err, sizeof err);
    ck_assert_msg(err[0] == '\0', "job refused: %s", err);
    setenv("STOM_COORDINATOR_URL", h.listen, 1); /* this test's process only */
    static result r;
    run(&r, "jobs list --local");
    expect_result(&r, 0, "");
    ck_assert_msg(strstr(r.out, "env-named-job") != NULL, "%s", r.out);
}
END_TEST

START_TEST(a_finished_job_prints_the_ranked_table_with_stom_figures)
{
    static result r;
    char id[32], tgs[256], best[64];
    remote(&r, "optimize " GRID3);
    expect_result(&r, 0, "완료 done: 3 evaluated");
    /* Off a terminal only the summary line goes to stderr. */
    ck_assert_ptr_null(strstr(r.err, "\r"));
    job_id_in(r.out, id, sizeof id);
    h_sql(&h, RANKED_TG, id, tgs, sizeof tgs);
    money(tgs, best, sizeof best);
    char head[64];
    snprintf(head, sizeof head, "job %s (완료 done)", id);
    const char *want[] = {head,
                          "sma_cross",
                          "grid",
                          "3 sets",
                          "TG 순이익",
                          "순위 Ranking: 3 of 3",
                          "MDD %",
                          "fast=5 slow=20",
                          "fast=10 slow=20",
                          "fast=15 slow=20",
                          best};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(r.out, want[k]) != NULL, "output lacks '%s':\n%s", want[k], r.out);
    /* The best set comes first: its row is the first with parameters. */
    const char *first = strstr(r.out, "fast=");
    const char *eol = strchr(first, '\n');
    const char *at = strstr(first, best);
    ck_assert_msg(at != NULL && at < eol, "rank 1 is not TG %s:\n%s", best, r.out);

    /* A constraint no set can meet: every row scores −∞ and says why. */
    remote(&r, "optimize " GRID3 " --constraint 'tc>=100000'");
    expect_result(&r, 0, "3 evaluated");
    const char *broken[] = {"violated: tc>=100000", "−∞"};
    for (size_t k = 0; k < 2; k++)
        ck_assert_msg(strstr(r.out, broken[k]) != NULL, "output lacks '%s':\n%s", broken[k], r.out);
}
END_TEST

START_TEST(json_output_is_one_object_with_results_and_best_per_fold)
{
    static result r;
    remote(&r, "optimize " GRID3 " --split walkforward --train-weeks 2 --test-weeks 1 --json");
    expect_result(&r, 0, "");
    json_t *j = parse_json(&r);
    const char *id = string_at(j, "job");
    char rows[32], tests[32], tgs[256], oos[256];
    h_sql(&h, "SELECT count(*) FROM results WHERE job_id = $1 AND phase = 'search'", id, rows,
          sizeof rows);
    h_sql(&h, "SELECT count(*) FROM results WHERE job_id = $1 AND phase = 'test'", id, tests,
          sizeof tests);
    ck_assert_int_ge(atoi(tests), 2);
    ck_assert_int_eq(atoi(rows), 3 * atoi(tests)); /* three sets searched in each window */
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), atoi(rows));
    json_t *results = json_object_get(j, "results");
    ck_assert_int_eq((int)json_array_size(results), atoi(rows));
    h_sql(&h, RANKED_TG, id, tgs, sizeof tgs);
    json_t *first = json_array_get(results, 0);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(first, "metrics"), "net_profit")),
        strtoll(tgs, NULL, 10));
    ck_assert(json_is_integer(json_object_get(json_object_get(first, "params"), "fast")));
    /* One best set per window, tested on the weeks after its training weeks. */
    json_t *best = json_object_get(j, "best");
    ck_assert_int_eq((int)json_array_size(best), atoi(tests));
    h_sql(&h,
          "SELECT string_agg(test_metrics->>'net_profit', ',' ORDER BY fold) FROM results "
          "WHERE job_id = $1 AND phase = 'test'",
          id, oos, sizeof oos);
    char got[256] = "";
    size_t k, used = 0;
    json_t *b;
    const char *last_test = "";
    json_array_foreach(best, k, b)
    {
        json_t *periods = json_object_get(b, "periods");
        const char *train_to =
            json_string_value(json_array_get(json_object_get(periods, "train"), 1));
        const char *test_from =
            json_string_value(json_array_get(json_object_get(periods, "test"), 0));
        ck_assert_msg(train_to && test_from && strcmp(train_to, test_from) < 0 &&
                          strcmp(last_test, test_from) < 0,
                      "fold %zu: train to %s, test from %s", k, train_to, test_from);
        last_test = test_from;
        json_t *np = json_object_get(json_object_get(b, "out_of_sample"), "net_profit");
        ck_assert(json_is_integer(np));
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%lld", k ? "," : "",
                                 (long long)json_integer_value(np));
    }
    ck_assert_str_eq(got, oos);
    json_decref(j);

    remote(&r, "optimize " GRID3 " --json --top 1");
    expect_result(&r, 0, "");
    j = parse_json(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), 3);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "results")), 1);
    json_decref(j);
}
END_TEST

START_TEST(a_refused_job_exits_2_and_a_failed_job_exits_1_with_the_reason)
{
    static result r;
    char jobs[16];
    /* The CLI cannot know which bars are stored; the coordinator refuses before storing a job. */
    remote(&r, "optimize --strategy sma_cross --data 000660 --timeframe 1m "
               "--period 2024-01-02:2024-02-05");
    expect_result(&r, 2, "job refused: no 1m bars of 000660 in the job's period");
    h_sql(&h, "SELECT count(*) FROM jobs", NULL, jobs, sizeof jobs);
    ck_assert_str_eq(jobs, "0");

    /* The strategy raises an error on its fourth bar (line 4): the run fails with it. */
    char lua[512];
    stom_test_fixture_path("lua/runtime_error.lua", lua, sizeof lua);
    remote(&r, "optimize --strategy-file %s " BARS, lua);
    expect_result(&r, 1, "failed (the note column says why)");
    ck_assert_msg(strstr(r.err, "(1 failed)") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.out, "runtime_error.lua:4: the strategy gave up on bar 4"), "%s", r.out);
    remote(&r, "optimize --strategy-file %s " BARS " --json", lua);
    expect_result(&r, 1, "failed");
    json_t *j = parse_json(&r);
    json_t *run0 = json_array_get(json_object_get(j, "results"), 0);
    ck_assert(json_is_true(json_object_get(run0, "failed")));
    const char *why = string_at(run0, "error");
    ck_assert_msg(why && strstr(why, "runtime_error.lua:4: the strategy gave up"), "%s", r.out);
    json_decref(j);
}
END_TEST

START_TEST(no_wait_prints_the_job_id_and_returns_at_once)
{
    /* Without a worker the job cannot end: a CLI that waited would never return. */
    h_stop_workers(&h, SIGTERM);
    static result r;
    remote(&r, "optimize " GRID3 " --no-wait");
    expect_result(&r, 0, "submitted");
    char id[32], newest[64], line[48];
    job_id_in(r.out, id, sizeof id);
    snprintf(line, sizeof line, "%s\n", id);
    ck_assert_str_eq(r.out, line);
    uint64_t done = 1;
    ck_assert_int_eq(newest_job(newest, sizeof newest, &done),
                     STOM__V1__JOB_STATE__JOB_STATE_RUNNING);
    ck_assert_str_eq(newest, id);
    ck_assert(done == 0);
}
END_TEST

START_TEST(jobs_list_show_and_cancel_talk_to_the_coordinator)
{
    static result r;
    char done_id[32], running_id[32], tgs[256], best[64], when[32];
    remote(&r, "optimize " GRID3);
    expect_result(&r, 0, "");
    job_id_in(r.out, done_id, sizeof done_id);
    h_stop_workers(&h, SIGTERM); /* the next job stays running */
    remote(&r, "optimize " GRID3 " --no-wait");
    expect_result(&r, 0, "");
    job_id_in(r.out, running_id, sizeof running_id);
    h_sql(&h, RANKED_TG, done_id, tgs, sizeof tgs);
    money(tgs, best, sizeof best);
    char best_cell[80];
    snprintf(best_cell, sizeof best_cell, "TG %s", best);
    h_sql(&h,
          "SELECT to_char(submitted_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') FROM jobs "
          "WHERE id = $1",
          done_id, when, sizeof when);

    remote(&r, "jobs list");
    expect_result(&r, 0, "");
    const char *want[] = {done_id, running_id, "실행 running", "완료 done", "3/3",
                          "0/3",   best_cell,  when,           "sma_cross", "grid"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(r.out, want[k]) != NULL, "list lacks '%s':\n%s", want[k], r.out);
    ck_assert_msg(strstr(r.out, running_id) < strstr(r.out, done_id), "not newest first:\n%s",
                  r.out);
    remote(&r, "jobs list --json");
    json_t *j = parse_json(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "jobs")), 2);
    json_decref(j);

    remote(&r, "jobs show %s", done_id);
    expect_result(&r, 0, "");
    ck_assert_msg(strstr(r.out, "완료 done") && strstr(r.out, best), "%s", r.out);
    remote(&r, "jobs cancel %s", running_id);
    expect_result(&r, 0, "");
    ck_assert_msg(strstr(r.out, "cancelled"), "%s", r.out);
    remote(&r, "jobs show %s", running_id);
    expect_result(&r, 0, "");
    ck_assert_msg(strstr(r.out, "취소 cancelled"), "%s", r.out);
    remote(&r, "jobs cancel %s", done_id);
    expect_result(&r, 0, "");
    ck_assert_msg(strstr(r.out, "had already finished (완료 done)"), "%s", r.out);
    remote(&r, "jobs show j-nope");
    expect_result(&r, 2, "no job 'j-nope'");
    remote(&r, "jobs cancel j-nope");
    expect_result(&r, 2, "no job 'j-nope'");
}
END_TEST

START_TEST(ctrl_c_while_waiting_cancels_the_job_and_exits_130)
{
    /* 3,600 sets: far more than the worker runs before the signal arrives. */
    const char *argv[] = {
        "stom",    "optimize",    "--strategy", "sma_cross",   "--data",
        "005930",  "--timeframe", "1m",         "--period",    "2024-01-02:2024-02-05",
        "--param", "fast=2:61",   "--param",    "slow=62:121", "--coordinator",
        h.listen,  NULL};
    pid_t pid = tp_spawn(h.dir, "stom", STOM_BIN, argv, NULL);
    /* Poll until the worker has finished some of the job, so that the CLI is waiting on it. */
    char id[64] = "";
    uint64_t done = 0;
    int st = 0;
    for (int64_t end = stom_mono_ms() + 30000; stom_mono_ms() < end; tp_sleep_ms(20)) {
        ck_assert_msg(!tp_exited(&pid, &st), "stom exited early (status %d)", st);
        if (newest_job(id, sizeof id, &done) == STOM__V1__JOB_STATE__JOB_STATE_RUNNING && done > 0)
            break;
    }
    ck_assert_msg(done > 0, "the job never made progress");
    st = tp_end(&pid, SIGINT);
    char log[160], err[4096], want[128];
    snprintf(log, sizeof log, "%s/stom.log", h.dir);
    stom_test_slurp(log, err, sizeof err);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "status %d: %s", st, err);
    snprintf(want, sizeof want, "interrupted (Ctrl-C): cancelled job %s", id);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    static result r;
    remote(&r, "jobs show %s --json", id);
    expect_result(&r, 0, "");
    json_t *j = parse_json(&r);
    ck_assert_str_eq(string_at(j, "state"), "cancelled");
    ck_assert_int_lt(json_integer_value(json_object_get(j, "evaluated")), 3600);
    json_decref(j);
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
    TCase *remote = tcase_create("with the real coordinator and a worker");
    tcase_set_timeout(remote, 120);
    tcase_add_checked_fixture(remote, coordinator_up, coordinator_down);
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
    /* The tests' and the harness's files go in one temp dir, removed here even when a test
     * failed: Check ends a failed test's process without its teardown. */
    char tmp[] = "/tmp/stom-cli-XXXXXX";
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    setenv("TMPDIR", tmp, 1);
    int rc = stom_test_run(suite());
    tp_remove_dir(tmp);
    return rc;
}
