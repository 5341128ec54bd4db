/*
 * test_optimize_local.c - `stom optimize --local` as a user runs it: the
 * whole optimisation in the stom process on CSV files, with no server. A
 * grid prints the ranked table; --json counts and ranks the grid and does
 * not depend on --jobs; a walk-forward reports each window in and out of
 * sample; a constraint no set meets scores −∞; bad input says what is
 * wrong; Ctrl-C exits 130. And the same job run by the platform (the real
 * coordinator and worker on the same CSV imported into PostgreSQL) gives
 * the same ranked results and best sets.
 *
 * The bars are synthetic one-minute KRX sessions (tests/support/test_proc.h)
 * written as a CSV file, so no test depends on downloaded data.
 */
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* harness.h holds helpers this program does not call. */
#pragma GCC diagnostic ignored "-Wunused-function"

#include "harness.h"
#include "test_support.h"

#define SYMBOL "005930"
#define PERIOD "--timeframe 1m --period 2024-01-02:2024-01-31"
#define GRID   "--param fast=5:20:5 --param slow=20:60:10" /* 4 x 5 sets */
#define N_GRID 20

static char dir[64];  /* this test's temp dir */
static char csv[160]; /* dir/005930.csv: 20 sessions of one-minute bars */

typedef struct result {
    int status;
    char *out; /* owned, NUL-terminated */
    char err[1 << 14];
} result;

static void result_free(result *r)
{
    free(r->out);
    r->out = NULL;
}

/* Runs `stom <args>` through the shell; stdout (whole) and stderr are captured. */
static void run(result *r, const char *args)
{
    char err_path[96], cmd[4096];
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    snprintf(cmd, sizeof cmd, "%s %s 2>%s", STOM_BIN, args, err_path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t len = 0, cap = 1 << 16;
    r->out = malloc(cap);
    for (size_t n; (n = fread(r->out + len, 1, cap - len - 1, p)) > 0;) {
        len += n;
        if (cap - len - 1 == 0)
            r->out = realloc(r->out, cap *= 2);
    }
    r->out[len] = '\0';
    int st = pclose(p);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    stom_test_slurp(err_path, r->err, sizeof r->err);
}

/* `stom optimize --local --data <csv> PERIOD <args>`. */
static void local(result *r, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "optimize --local --strategy sma_cross --data %s " PERIOD " %s", csv,
             args);
    run(r, cmd);
}

static json_t *parse_json(const result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON (%s): %.300s", e.text, r->out);
    return j;
}

/* local() that must exit 0. */
static void local_ok(result *r, const char *args)
{
    local(r, args);
    ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
}

/* The --json object of local_ok(args) (owned). */
static json_t *local_json(const char *args)
{
    static result r;
    local_ok(&r, args);
    json_t *j = parse_json(&r);
    result_free(&r);
    return j;
}

/* days synthetic sessions of bars as a "date,time,open,high,low,close,volume" CSV (KST). */
static void write_csv(const char *path, int days, uint64_t seed)
{
    stom_bars b;
    tp_synthetic_bars(&b, SYMBOL, days, seed);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "date,time,open,high,low,close,volume\n");
    for (size_t i = 0; i < b.len; i++) {
        int32_t s = stom_seconds_of_day(b.ts[i], STOM_KST_OFFSET_MINUTES);
        fprintf(f, "%d,%02d%02d%02d,%lld,%lld,%lld,%lld,%lld\n",
                stom_date_of(b.ts[i], STOM_KST_OFFSET_MINUTES), s / 3600, s / 60 % 60, s % 60,
                (long long)b.open[i], (long long)b.high[i], (long long)b.low[i],
                (long long)b.close[i], (long long)b.volume[i]);
    }
    fclose(f);
    stom_bars_free(&b);
}

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-optlocal-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(csv, sizeof csv, "%s/%s.csv", dir, SYMBOL);
    write_csv(csv, 20, 7);
}

static void remove_dir(void)
{
    tp_remove_dir(dir);
}

/* ---- runs ---------------------------------------------------------------------- */

START_TEST(a_grid_over_sma_cross_prints_the_ranked_table)
{
    static result r;
    local_ok(&r, GRID " --top 5");
    ck_assert_msg(strstr(r.out, "job local"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "순위 Ranking: 5 of 20, best first"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "fast="), "%s", r.out);
    ck_assert_msg(strstr(r.out, SYMBOL " (1m bars)"), "%s", r.out);
    ck_assert_msg(strstr(r.err, "local 완료 done: 20 evaluated"), "%s", r.err);
    result_free(&r);
}
END_TEST

/* Objectives as the report prints them: numbers, then nulls (−∞ or no score). */
static void assert_ranked(json_t *results)
{
    double last = INFINITY;
    bool seen_null = false;
    for (size_t k = 0; k < json_array_size(results); k++) {
        json_t *o = json_object_get(json_array_get(results, k), "objective");
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(results, k), "rank")),
                         (json_int_t)k + 1);
        if (json_is_null(o)) {
            seen_null = true;
            continue;
        }
        ck_assert_msg(!seen_null, "a score after a null at rank %zu", k + 1);
        ck_assert_msg(json_number_value(o) <= last, "rank %zu beats the one above", k + 1);
        last = json_number_value(o);
    }
}

START_TEST(json_counts_the_grid_ranks_it_and_does_not_depend_on_jobs)
{
    static result one, four;
    local_ok(&one, GRID " --json --top 0 --jobs 1");
    local_ok(&four, GRID " --json --top 0 --jobs 4");
    ck_assert_msg(strcmp(one.out, four.out) == 0, "--jobs 1 and --jobs 4 differ");
    json_t *j = parse_json(&one);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), N_GRID);
    ck_assert_str_eq(json_string_value(json_object_get(j, "method")), "grid");
    json_t *results = json_object_get(j, "results");
    ck_assert_int_eq(json_array_size(results), N_GRID);
    assert_ranked(results);
    ck_assert_msg(json_is_number(json_object_get(json_array_get(results, 0), "objective")),
                  "the best set has no score");
    json_decref(j);
    result_free(&one);
    result_free(&four);
}
END_TEST

START_TEST(a_walkforward_reports_each_window_in_and_out_of_sample)
{
    static result r;
    json_t *j =
        local_json(GRID " --split walkforward --train-weeks 1 --test-weeks 1 --json --top 3");
    json_t *best = json_object_get(j, "best");
    ck_assert_msg(json_array_size(best) >= 2, "%zu windows", json_array_size(best));
    for (size_t k = 0; k < json_array_size(best); k++) {
        json_t *b = json_array_get(best, k);
        ck_assert_int_eq(json_integer_value(json_object_get(b, "unit")), (json_int_t)k);
        json_t *periods = json_object_get(b, "periods");
        ck_assert(json_is_array(json_object_get(periods, "train")));
        ck_assert(json_is_array(json_object_get(periods, "test")));
        ck_assert(json_is_object(json_object_get(b, "in_sample")));
        ck_assert(json_is_object(json_object_get(b, "out_of_sample")));
    }
    json_decref(j);
    local_ok(&r, GRID " --split walkforward --train-weeks 1 --test-weeks 1");
    ck_assert_msg(strstr(r.out, "구간별 최적 Best per fold") && strstr(r.out, "OOS"), "%s", r.out);
    result_free(&r);
}
END_TEST

START_TEST(a_constraint_no_set_meets_scores_minus_infinity)
{
    static result r;
    json_t *j = local_json(GRID " --constraint 'tc>=1000000' --json --top 0");
    json_t *results = json_object_get(j, "results");
    ck_assert_int_eq(json_array_size(results), N_GRID);
    for (size_t k = 0; k < N_GRID; k++) {
        json_t *o = json_array_get(results, k);
        ck_assert(json_is_null(json_object_get(o, "objective")));
        ck_assert(json_is_false(json_object_get(o, "constraints_met")));
    }
    json_decref(j);
    local_ok(&r, GRID " --constraint 'tc>=1000000' --top 3");
    ck_assert_msg(strstr(r.out, "−∞"), "%s", r.out);
    result_free(&r);
}
END_TEST

/* ---- bad input ----------------------------------------------------------------- */

START_TEST(a_malformed_csv_names_its_file_and_line)
{
    char bad[160], cmd[512];
    snprintf(bad, sizeof bad, "%s/000660.csv", dir);
    FILE *f = fopen(bad, "w");
    ck_assert_ptr_nonnull(f);
    fputs("Date,Open,High,Low,Close,Volume\n2024-01-02,78200,79800,78200,79600,17142847\n"
          "2024-01-03,78500,76000,77000,77000,21753644\n",
          f);
    fclose(f);
    static result r;
    snprintf(cmd, sizeof cmd,
             "optimize --local --strategy sma_cross --data %s,%s --timeframe 1d "
             "--period 2024-01-01:2024-01-31 " GRID,
             csv, bad);
    run(&r, cmd);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "000660.csv:3: high 76000 is below low"), "%s", r.err);
    result_free(&r);
}
END_TEST

START_TEST(usage_errors_say_what_to_do)
{
    static result r;
    local(&r, GRID " --jobs 0");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--jobs '0' must be a whole number from 1"), "%s", r.err);
    result_free(&r);
    run(&r, "optimize --local --strategy sma_cross --data 005930 " PERIOD " " GRID);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "looks like a symbol") && strstr(r.err, "CSV files") &&
                      strstr(r.err, "drop --local"),
                  "%s", r.err);
    result_free(&r);
    run(&r, "optimize --local --strategy sma_cross " PERIOD " " GRID);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--local needs --data") && strstr(r.err, "FILE.csv"), "%s", r.err);
    result_free(&r);
    run(&r, "optimize --strategy sma_cross --data 005930 " PERIOD " --jobs 2 "
            "--coordinator ipc:///tmp/stom-no-coordinator-here.ipc");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--jobs applies only with --local"), "%s", r.err);
    result_free(&r);
}
END_TEST

/* Waits until pid runs more than one thread (the pool is up, Ctrl-C is caught). */
static bool pool_started(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    for (int64_t end = stom_mono_ms() + 20000; stom_mono_ms() < end; tp_sleep_ms(10)) {
        FILE *f = fopen(path, "r");
        int threads = 0;
        while (f && fgets(line, sizeof line, f))
            if (sscanf(line, "Threads: %d", &threads) == 1)
                break;
        if (f)
            fclose(f);
        if (threads > 1)
            return true;
    }
    return false;
}

START_TEST(ctrl_c_stops_the_run_and_exits_130)
{
    char args_csv[200];
    snprintf(args_csv, sizeof args_csv, "%s", csv);
    const char *argv[] = {"stom",
                          "optimize",
                          "--local",
                          "--strategy",
                          "sma_cross",
                          "--data",
                          args_csv,
                          "--timeframe",
                          "1m",
                          "--period",
                          "2024-01-02:2024-01-31",
                          "--param",
                          "fast=2:60",
                          "--param",
                          "slow=61:200",
                          "--jobs",
                          "2",
                          NULL};
    pid_t pid = tp_spawn(dir, "interrupted", STOM_BIN, argv, NULL);
    ck_assert_msg(pool_started(pid), "the run never started its threads");
    kill(pid, SIGINT);
    int st = 0;
    bool ended = false;
    for (int64_t end = stom_mono_ms() + 30000; !ended && stom_mono_ms() < end; tp_sleep_ms(20))
        ended = tp_exited(&pid, &st);
    if (!ended)
        tp_end(&pid, SIGKILL);
    ck_assert_msg(ended, "still running 30 s after Ctrl-C");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "status %d", st);
    char log[4096], path[128];
    snprintf(path, sizeof path, "%s/interrupted.log", dir);
    stom_test_slurp(path, log, sizeof log);
    ck_assert_msg(strstr(log, "interrupted (Ctrl-C)"), "%s", log);
}
END_TEST

/* ---- the same job on the platform ---------------------------------------------- */

static harness h;

/* The coordinator and a worker on a fresh database holding the CSV's bars, imported by
 * `stom data import` as a user would. */
static void platform_up(void)
{
    make_dir();
    h_init(&h, "optlocal");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s data import %s --symbol " SYMBOL " --timeframe 1m --database '%s' >/dev/null",
             STOM_BIN, csv, h.db);
    ck_assert_msg(system(cmd) == 0, "import failed: %s", cmd);
    h_start_coordinator(&h);
    h_start_worker(&h, "w1");
    h_start_worker(&h, "w2");
}

static void platform_down(void)
{
    h_fini(&h);
    remove_dir();
}

/* The results and best sets of `--json --top 0` for args, locally or on the platform. */
static json_t *job_json(bool platform, const char *args)
{
    static result r;
    char cmd[2048];
    if (platform)
        snprintf(cmd, sizeof cmd,
                 "optimize --coordinator %s --strategy sma_cross --data " SYMBOL " " PERIOD
                 " %s --json --top 0",
                 h.listen, args);
    else
        snprintf(cmd, sizeof cmd,
                 "optimize --local --strategy sma_cross --data %s " PERIOD " %s --json --top 0",
                 csv, args);
    run(&r, cmd);
    if (r.status != 0 && platform)
        tp_show_log(h.dir, "coordinator");
    ck_assert_msg(r.status == 0, "%s exit %d: %s", platform ? "platform" : "local", r.status,
                  r.err);
    json_t *j = parse_json(&r);
    result_free(&r);
    return j;
}

static void assert_same(const char *args)
{
    json_t *here = job_json(false, args), *there = job_json(true, args);
    const char *keys[] = {"evaluated", "failed", "results", "best"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *a = json_object_get(here, keys[k]), *b = json_object_get(there, keys[k]);
        ck_assert_ptr_nonnull(a);
        if (!json_equal(a, b)) {
            char *ta = json_dumps(a, JSON_COMPACT), *tb = json_dumps(b, JSON_COMPACT);
            ck_abort_msg("%s differs with %s:\nlocal    %.600s\nplatform %.600s", keys[k], args, ta,
                         tb);
        }
    }
    ck_assert_int_gt(json_array_size(json_object_get(here, "results")), 0);
    json_decref(here);
    json_decref(there);
}

START_TEST(a_grid_gives_the_platforms_ranked_results)
{
    assert_same(GRID " --constraint 'mdd<=3'");
}
END_TEST

START_TEST(a_walkforward_gives_the_platforms_windows)
{
    assert_same(GRID " --split walkforward --train-weeks 1 --test-weeks 1 --objective sharpe");
}
END_TEST

START_TEST(a_genetic_search_gives_the_platforms_sets)
{
    assert_same("--param fast=2:30 --param slow=31:120 --method genetic --samples 60 --seed 5 "
                "--split holdout --valid-weeks 1");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stom optimize --local");
    TCase *tc = tcase_create("runs here");
    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_grid_over_sma_cross_prints_the_ranked_table);
    tcase_add_test(tc, json_counts_the_grid_ranks_it_and_does_not_depend_on_jobs);
    tcase_add_test(tc, a_walkforward_reports_each_window_in_and_out_of_sample);
    tcase_add_test(tc, a_constraint_no_set_meets_scores_minus_infinity);
    tcase_add_test(tc, a_malformed_csv_names_its_file_and_line);
    tcase_add_test(tc, usage_errors_say_what_to_do);
    tcase_add_test(tc, ctrl_c_stops_the_run_and_exits_130);
    suite_add_tcase(s, tc);
    tc = tcase_create("the same as the platform");
    tcase_add_unchecked_fixture(tc, platform_up, platform_down);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, a_grid_gives_the_platforms_ranked_results);
    tcase_add_test(tc, a_walkforward_gives_the_platforms_windows);
    tcase_add_test(tc, a_genetic_search_gives_the_platforms_sets);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
