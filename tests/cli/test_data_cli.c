/*
 * test_data_cli.c - `stom db migrate` and `stom data import|list` run as a
 * user runs them, each test against a fresh database of the test server:
 * re-imports add nothing, a malformed file is refused with file:line and
 * changes nothing, the list reads well, and failures say what to do.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stom/store.h"
#include "test_db.h"
#include "test_support.h"

typedef struct result {
    int status;
    char out[1 << 16], err[4096];
} result;

static char url[512];

static void setup(void)
{
    stom_test_db_create(url, sizeof url);
}

static void teardown(void)
{
    stom_test_db_drop(url);
}

/* Runs `stom <args>` through the shell; stdout and stderr are captured. */
static void run(result *r, const char *args)
{
    r->status =
        stom_test_command(STOM_BIN, NULL, args, r->out, sizeof r->out, r->err, sizeof r->err);
}

/* Runs `stom <verb...> --database <the test's database> <rest>`. */
static void run_db(result *r, const char *verb, const char *rest)
{
    char args[2048];
    snprintf(args, sizeof args, "%s --database \"%s\" %s", verb, url, rest);
    run(r, args);
}

static json_t *json_out(const result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->out);
    return j;
}

static json_int_t field(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    ck_assert_msg(json_is_integer(v), "no integer %s", key);
    return json_integer_value(v);
}

START_TEST(importing_a_file_twice_adds_nothing_the_second_time)
{
    char file[512], rest[1024];
    stom_test_fixture_path("csv/intraday_date_time.csv", file, sizeof file);
    snprintf(rest, sizeof rest, "%s --symbol 005930 --timeframe 1m --json", file);
    static result r;
    run_db(&r, "data import", rest);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_out(&r);
    ck_assert_int_eq(field(j, "rows"), 5);
    ck_assert_int_eq(field(j, "new"), 5);
    ck_assert_int_eq(field(j, "already_stored"), 0);
    json_decref(j);
    run_db(&r, "data import", rest);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    j = json_out(&r);
    ck_assert_int_eq(field(j, "new"), 0);
    ck_assert_int_eq(field(j, "already_stored"), 5);
    json_decref(j);
    snprintf(rest, sizeof rest, "%s --symbol 005930 --timeframe 1m", file);
    run_db(&r, "data import", rest);
    ck_assert_msg(strstr(r.out, "5 rows, 0 new, 5 already stored") != NULL, "%s", r.out);
}
END_TEST

START_TEST(a_malformed_file_is_refused_with_file_and_line_and_the_list_is_unchanged)
{
    char good[512], bad[512], rest[1024];
    stom_test_fixture_path("csv/intraday_date_time.csv", good, sizeof good);
    stom_test_fixture_path("csv/high_below_low.csv", bad, sizeof bad);
    static result r, before;
    snprintf(rest, sizeof rest, "%s --symbol 005930 --timeframe 1m", good);
    run_db(&r, "data import", rest);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    run_db(&before, "data list", "--json");
    ck_assert_int_eq(before.status, 0);
    snprintf(rest, sizeof rest, "%s --symbol 000660 --timeframe 1d", bad);
    run_db(&r, "data import", rest);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "high_below_low.csv:3: high 76000 is below low 77000") != NULL,
                  "%s", r.err);
    ck_assert_msg(strstr(r.err, "nothing was stored") != NULL, "%s", r.err);
    run_db(&r, "data list", "--json");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, before.out);
}
END_TEST

/* 1,500 one-minute bars from 2024-01-02 09:00 KST, 390 a day. */
static void write_minutes(const char *path)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("Date,Time,Open,High,Low,Close,Volume\n", f);
    for (int m = 0; m < 1500; m++) {
        int day = 2 + m / 390, minute = 9 * 60 + m % 390;
        fprintf(f, "2024-01-%02d,%02d:%02d,%d,%d,%d,%d,%d\n", day, minute / 60, minute % 60,
                70000 + m, 70100 + m, 69900 + m, 70000 + m, 100 + m);
    }
    fclose(f);
}

START_TEST(the_list_shows_each_series_in_kst_with_thousands_separators)
{
    char csv[] = "/tmp/stom-data-list-XXXXXX", rest[1024];
    close(mkstemp(csv));
    write_minutes(csv);
    static result r;
    snprintf(rest, sizeof rest, "%s --symbol 005930 --timeframe 1m", csv);
    run_db(&r, "data import", rest);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "1,500 rows, 1,500 new, 0 already stored") != NULL, "%s", r.out);
    snprintf(rest, sizeof rest, "%s --symbol 091990 --timeframe 1d --market KOSDAQ", csv);
    run_db(&r, "data import", rest);
    unlink(csv);
    run_db(&r, "data list", "");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out,
                     "SYMBOL  TIMEFRAME  MARKET  FIRST (KST)       LAST (KST)         ROWS\n"
                     "005930  1m         KOSPI   2024-01-02 09:00  2024-01-05 14:29  1,500\n"
                     "091990  1d         KOSDAQ  2024-01-02 09:00  2024-01-05 14:29  1,500\n");
    run_db(&r, "data list", "--json");
    json_t *j = json_out(&r);
    ck_assert_uint_eq(json_array_size(j), 2);
    json_t *first = json_array_get(j, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "first")),
                     "2024-01-02T09:00:00+09:00");
    ck_assert_int_eq(field(first, "rows"), 1500);
    json_decref(j);
}
END_TEST

START_TEST(an_empty_database_lists_nothing_and_says_how_to_import)
{
    static result r;
    run_db(&r, "data list", "");
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "stom data import FILE") != NULL, "%s", r.out);
    run_db(&r, "data list", "--json");
    ck_assert_str_eq(r.out, "[]\n");
}
END_TEST

START_TEST(db_migrate_reports_what_it_applied_and_the_version)
{
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    static result r;
    /* The fixture's database is migrated already: nothing to do. */
    run_db(&r, "db migrate", "--json");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_t *j = json_out(&r);
    ck_assert_int_eq(field(j, "applied"), 0);
    ck_assert_int_eq(field(j, "version"), m[n - 1].version);
    json_decref(j);
    char empty[512], args[1024];
    stom_test_db_create_empty(empty, sizeof empty);
    snprintf(args, sizeof args, "data list --database \"%s\"", empty);
    run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "run `stom db migrate`") != NULL, "%s", r.err);
    snprintf(args, sizeof args, "db migrate --database \"%s\"", empty);
    run(&r, args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    char expect[64];
    snprintf(expect, sizeof expect, "applied %zu migration%s; schema version %d\n", n,
             n == 1 ? "" : "s", m[n - 1].version);
    ck_assert_str_eq(r.out, expect);
    stom_test_db_drop(empty);
}
END_TEST

START_TEST(an_unreachable_database_says_how_to_start_the_services)
{
    static result r;
    run(&r, "data list --database 'host=127.0.0.1 port=1 dbname=stom user=stom'");
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "host=127.0.0.1 port=1") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "make up") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "STOM_DATABASE_URL") != NULL, "%s", r.err);
    run(&r, "db migrate --database 'host=127.0.0.1 port=1'");
    ck_assert_int_eq(r.status, 1);
}
END_TEST

START_TEST(usage_errors_exit_2_naming_what_is_wrong)
{
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"data import x.csv --symbol 005930", "needs FILE, --symbol and --timeframe"},
        {"data import x.csv --symbol 005930 --timeframe 5m", "timeframe '5m'"},
        {"data import x.csv --symbol 'a b' --timeframe 1d", "symbol 'a b'"},
        {"data import x.csv --symbol 005930 --timeframe 1d --market NYSE", "--market 'NYSE'"},
        {"data import x.csv --symbol", "--symbol needs a value"},
        {"data list --symbol 005930", "takes only --json, --url, --local and --database"},
        {"data frobnicate", "unknown verb 'frobnicate'"},
        {"db fix", "unknown verb 'fix'"},
    };
    static result r;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run(&r, cases[k].args);
        ck_assert_msg(r.status == 2, "%s: exit %d", cases[k].args, r.status);
        ck_assert_msg(strstr(r.err, cases[k].message) != NULL, "%s: %s", cases[k].args, r.err);
    }
    run(&r, "data import /nonexistent/x.csv --symbol 005930 --timeframe 1d");
    ck_assert_int_eq(r.status, 3);
    run(&r, "data --help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "stom data import FILE --symbol CODE --timeframe"));
    run(&r, "db --help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "stom db migrate"));
}
END_TEST

static Suite *data_cli_suite(void)
{
    Suite *s = suite_create("data_cli");
    TCase *tc = tcase_create("data_cli");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, importing_a_file_twice_adds_nothing_the_second_time);
    tcase_add_test(tc, a_malformed_file_is_refused_with_file_and_line_and_the_list_is_unchanged);
    tcase_add_test(tc, the_list_shows_each_series_in_kst_with_thousands_separators);
    tcase_add_test(tc, an_empty_database_lists_nothing_and_says_how_to_import);
    tcase_add_test(tc, db_migrate_reports_what_it_applied_and_the_version);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, an_unreachable_database_says_how_to_start_the_services);
    tcase_add_test(tc, usage_errors_exit_2_naming_what_is_wrong);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(data_cli_suite());
}
