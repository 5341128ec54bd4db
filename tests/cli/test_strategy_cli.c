/*
 * test_strategy_cli.c - `stom strategy` as a user runs it: `check` prints
 * FILE:LINE: error: lines and a summary with exit 1 on errors, 0 when clean,
 * 2 on usage errors and 3 for unreadable or oversized files; `--json`;
 * `vocabulary`; and the vocabulary table in docs/strategy-language.md is
 * exactly what `stom strategy vocabulary --markdown` prints, so the two
 * cannot drift apart (scripts/gen-strategy-docs.sh regenerates it).
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
    char out[1 << 17], err[4096];
} result;

/* Runs `stom <args>` through the shell; stdout and stderr are captured. */
static void run(result *r, const char *args)
{
    r->status =
        stom_test_command(STOM_BIN, NULL, args, r->out, sizeof r->out, r->err, sizeof r->err);
}

/* Runs `stom strategy check <fixture> <flags>`. */
static void check_fixture(result *r, const char *name, const char *flags)
{
    char rel[128], path[512], args[1024];
    snprintf(rel, sizeof rel, "lua/%s", name);
    stom_test_fixture_path(rel, path, sizeof path);
    snprintf(args, sizeof args, "strategy check %s %s", path, flags);
    run(r, args);
}

#define EXPECT_OUT(r, text)                                                                        \
    ck_assert_msg(strstr((r)->out, (text)) != NULL, "stdout lacks '%s':\n%s", (text), (r)->out)
#define EXPECT_ERR(r, text)                                                                        \
    ck_assert_msg(strstr((r)->err, (text)) != NULL, "stderr lacks '%s':\n%s", (text), (r)->err)

START_TEST(check_prints_file_line_error_lines_and_a_summary_and_exits_1)
{
    static result r;
    check_fixture(&r, "check_unknown.lua", "");
    ck_assert_int_eq(r.status, 1);
    EXPECT_OUT(&r, "check_unknown.lua:4: error: unknown name 'clse'; did you mean 'close'?\n");
    EXPECT_OUT(&r, "check_unknown.lua:8: error: unknown name '체결강도평균'");
    EXPECT_OUT(&r, "\n3 errors, 0 warnings\n");
}
END_TEST

START_TEST(check_reports_a_syntax_error_at_its_line)
{
    static result r;
    check_fixture(&r, "check_syntax.lua", "");
    ck_assert_int_eq(r.status, 1);
    EXPECT_OUT(&r, "check_syntax.lua:5: error: unexpected symbol near 'then'\n");
    EXPECT_OUT(&r, "1 error, 0 warnings\n");
}
END_TEST

START_TEST(check_passes_clean_files_in_both_languages_with_exit_0)
{
    static result r;
    check_fixture(&r, "check_clean_en.lua", "");
    ck_assert_msg(r.status == 0, "exit %d:\n%s", r.status, r.out);
    ck_assert_str_eq(r.out, "ok: no problems\n");
    check_fixture(&r, "check_clean_ko.lua", "");
    ck_assert_msg(r.status == 0, "exit %d:\n%s", r.status, r.out);
    ck_assert_str_eq(r.out, "ok: no problems\n");
}
END_TEST

START_TEST(check_reports_a_missing_on_bar_without_a_line)
{
    static result r;
    check_fixture(&r, "check_no_on_bar.lua", "");
    ck_assert_int_eq(r.status, 1);
    EXPECT_OUT(&r, "check_no_on_bar.lua: error: no on_bar function");
}
END_TEST

START_TEST(check_json_lists_problems_params_and_data_needs)
{
    static result r;
    check_fixture(&r, "check_sandbox.lua", "--json");
    ck_assert_int_eq(r.status, 1);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON: %s\n%s", e.text, r.out);
    ck_assert(json_is_false(json_object_get(j, "ok")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "errors")), 5);
    json_t *first = json_array_get(json_object_get(j, "problems"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "line")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(first, "severity")), "error");
    ck_assert_str_eq(json_string_value(json_object_get(first, "message")),
                     "os.execute is not available in strategies (sandbox)");
    json_decref(j);

    check_fixture(&r, "check_clean_ko.lua", "--json");
    ck_assert_int_eq(r.status, 0);
    j = json_loads(r.out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON: %s", e.text);
    ck_assert(json_is_true(json_object_get(j, "ok")));
    ck_assert_str_eq(json_string_value(json_object_get(j, "needs")), "snapshot");
    json_t *p = json_array_get(json_object_get(j, "params"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(p, "name")), "기간");
    ck_assert_str_eq(json_string_value(json_object_get(p, "type")), "int");
    ck_assert_double_eq(json_number_value(json_object_get(p, "default")), 20);
    json_decref(j);
}
END_TEST

START_TEST(check_usage_errors_exit_2)
{
    static result r;
    run(&r, "strategy check");
    ck_assert_int_eq(r.status, 2);
    EXPECT_ERR(&r, "needs a FILE");
    run(&r, "strategy check a.lua --fast");
    ck_assert_int_eq(r.status, 2);
    EXPECT_ERR(&r, "unknown option '--fast'");
    run(&r, "strategy frobnicate");
    ck_assert_int_eq(r.status, 2);
    EXPECT_ERR(&r, "verbs: check, import-stom, vocabulary");
    run(&r, "strategy");
    ck_assert_int_eq(r.status, 2);
}
END_TEST

START_TEST(check_exits_3_when_the_file_cannot_be_read_or_is_too_big)
{
    static result r;
    run(&r, "strategy check /nonexistent/strategy.lua");
    ck_assert_int_eq(r.status, 3);
    EXPECT_ERR(&r, "cannot read /nonexistent/strategy.lua");
    char big[] = "/tmp/stom-big-XXXXXX";
    int fd = mkstemp(big);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1024 * 1024 + 1), 0);
    close(fd);
    char args[256];
    snprintf(args, sizeof args, "strategy check %s", big);
    run(&r, args);
    unlink(big);
    ck_assert_int_eq(r.status, 3);
    EXPECT_ERR(&r, "larger than");
}
END_TEST

START_TEST(import_stom_is_dispatched_to_the_importer)
{
    static result r;
    run(&r, "strategy import-stom --help");
    ck_assert_ptr_null(strstr(r.err, "unknown strategy verb"));
    run(&r, "--help");
    EXPECT_OUT(&r, "strategy ");
}
END_TEST

START_TEST(vocabulary_prints_every_name_as_text_markdown_and_json)
{
    static result r;
    run(&r, "strategy vocabulary");
    ck_assert_int_eq(r.status, 0);
    EXPECT_OUT(&r, "sma");
    EXPECT_OUT(&r, "이동평균");
    run(&r, "strategy vocabulary --markdown");
    ck_assert_int_eq(r.status, 0);
    EXPECT_OUT(&r, "| English | 한국어 | arguments | needs | description | 설명 |\n");
    EXPECT_OUT(&r, "| `close` | `현재가` | — | bars |");
    EXPECT_OUT(&r, "| `sma` | `이동평균` | `(n[, back])` | bars |");
    EXPECT_OUT(&r, "| `strength` | `체결강도` | — | snapshot |");
    run(&r, "strategy vocabulary --json");
    ck_assert_int_eq(r.status, 0);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(json_is_array(j), "not a JSON array: %s", e.text);
    ck_assert_int_gt((int)json_array_size(j), 40);
    json_t *first = json_array_get(j, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "english")), "close");
    ck_assert_str_eq(json_string_value(json_object_get(first, "korean")), "현재가");
    json_decref(j);
    run(&r, "strategy vocabulary --html");
    ck_assert_int_eq(r.status, 2);
}
END_TEST

/* The text between the markers, without the marker lines themselves. */
static char *between_markers(char *doc)
{
    static const char begin[] = "<!-- vocabulary:begin -->\n", end[] = "<!-- vocabulary:end -->";
    char *b = strstr(doc, begin);
    ck_assert_msg(b != NULL, "docs/strategy-language.md lacks %s", begin);
    b += sizeof begin - 1;
    char *e = strstr(b, end);
    ck_assert_msg(e != NULL, "docs/strategy-language.md lacks %s", end);
    *e = '\0';
    return b;
}

START_TEST(the_vocabulary_table_in_the_docs_is_the_generated_one)
{
    static result r;
    static char doc[1 << 18];
    run(&r, "strategy vocabulary --markdown");
    ck_assert_int_eq(r.status, 0);
    stom_test_slurp(STOM_DOCS_DIR "/strategy-language.md", doc, sizeof doc);
    ck_assert_msg(doc[0], "cannot read docs/strategy-language.md");
    ck_assert_msg(!strcmp(between_markers(doc), r.out),
                  "docs/strategy-language.md's vocabulary table differs from `stom strategy "
                  "vocabulary --markdown`: run scripts/gen-strategy-docs.sh");
}
END_TEST

static Suite *strategy_cli_suite(void)
{
    Suite *s = suite_create("cli_strategy");
    TCase *tc = tcase_create("strategy");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, check_prints_file_line_error_lines_and_a_summary_and_exits_1);
    tcase_add_test(tc, check_reports_a_syntax_error_at_its_line);
    tcase_add_test(tc, check_passes_clean_files_in_both_languages_with_exit_0);
    tcase_add_test(tc, check_reports_a_missing_on_bar_without_a_line);
    tcase_add_test(tc, check_json_lists_problems_params_and_data_needs);
    tcase_add_test(tc, check_usage_errors_exit_2);
    tcase_add_test(tc, check_exits_3_when_the_file_cannot_be_read_or_is_too_big);
    tcase_add_test(tc, import_stom_is_dispatched_to_the_importer);
    tcase_add_test(tc, vocabulary_prints_every_name_as_text_markdown_and_json);
    tcase_add_test(tc, the_vocabulary_table_in_the_docs_is_the_generated_one);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(strategy_cli_suite());
}
