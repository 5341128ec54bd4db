/*
 * test_strategy_check.c - the strategy "code test" (stom_strategy_check):
 * syntax errors, unknown and sandboxed names, argument counts, the params
 * schema and on_bar, each at its line; clean files in English and Korean
 * pass; locals and names inside strings and comments are not globals.
 *
 * Broken files are fixtures (tests/fixtures/lua/check_*.lua) whose comments
 * say which line is wrong; small cases are written inline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/strategy_check.h"
#include "test_support.h"

static stom_check_report report;

/* Each check replaces the previous report. */
static void check_text(const char *code)
{
    stom_check_report_free(&report);
    ck_assert_int_eq(stom_strategy_check("test.lua", code, strlen(code), &report), STOM_OK);
}

static void check_fixture(const char *name)
{
    char path[512], rel[128];
    snprintf(rel, sizeof rel, "lua/%s", name);
    stom_test_fixture_path(rel, path, sizeof path);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    stom_check_report_free(&report);
    ck_assert_int_eq(stom_strategy_check(name, buf, n, &report), STOM_OK);
}

/* The report as text, for failure messages. */
static const char *dump(void)
{
    static char out[8192];
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < report.n_issues && used < sizeof out - 1; i++) {
        used +=
            (size_t)stom_check_issue_format("f", &report.issues[i], out + used, sizeof out - used);
        if (used < sizeof out - 1)
            out[used++] = '\n';
        out[used < sizeof out ? used : sizeof out - 1] = '\0';
    }
    return out;
}

/* True when an issue of this severity at this line contains text. */
static bool has(int line, stom_check_severity sev, const char *text)
{
    for (size_t i = 0; i < report.n_issues; i++) {
        const stom_check_issue *is = &report.issues[i];
        if (is->line == line && is->severity == sev && strstr(is->message, text))
            return true;
    }
    return false;
}

#define EXPECT_ERROR(line, text)                                                                   \
    ck_assert_msg(has((line), STOM_CHECK_ERROR, (text)), "no error '%s' at line %d in:\n%s",       \
                  (text), (line), dump())
#define EXPECT_WARNING(line, text)                                                                 \
    ck_assert_msg(has((line), STOM_CHECK_WARNING, (text)), "no warning '%s' at line %d in:\n%s",   \
                  (text), (line), dump())
#define EXPECT_CLEAN()                                                                             \
    ck_assert_msg(report.errors == 0 && report.warnings == 0, "expected no problems:\n%s", dump())

static void teardown(void)
{
    stom_check_report_free(&report);
}

START_TEST(a_syntax_error_is_reported_at_its_line_in_luajits_words)
{
    check_fixture("check_syntax.lua");
    ck_assert_uint_eq(report.errors, 1);
    EXPECT_ERROR(5, "unexpected symbol near 'then'");
    /* The chunk name is not repeated inside the message. */
    ck_assert_ptr_null(strstr(report.issues[0].message, "check_syntax"));
    ck_assert_ptr_null(strstr(report.issues[0].message, "[string"));
}
END_TEST

START_TEST(unknown_names_are_reported_at_their_lines_with_a_close_name)
{
    check_fixture("check_unknown.lua");
    EXPECT_ERROR(4, "unknown name 'clse'; did you mean 'close'?");
    EXPECT_ERROR(5, "unknown name 'qty_of_choice'");
    ck_assert_uint_eq(report.errors, 3);
}
END_TEST

START_TEST(a_korean_unknown_name_is_reported_once_with_its_other_lines)
{
    check_fixture("check_unknown.lua");
    EXPECT_ERROR(8, "unknown name '체결강도평균'");
    EXPECT_ERROR(8, "(also on line 9)");
    ck_assert(!has(9, STOM_CHECK_ERROR, "체결강도평균"));
}
END_TEST

START_TEST(sandboxed_names_such_as_os_execute_are_reported_as_unavailable)
{
    check_fixture("check_sandbox.lua");
    EXPECT_ERROR(3, "os.execute is not available in strategies (sandbox)");
    EXPECT_ERROR(4, "io.open is not available in strategies (sandbox)");
    EXPECT_ERROR(5, "string.dump is not available in strategies (sandbox)");
    EXPECT_ERROR(6, "require is not available in strategies (sandbox)");
    EXPECT_ERROR(7, "math.sqroot does not exist");
    ck_assert_uint_eq(report.errors, 5);
}
END_TEST

START_TEST(wrong_argument_counts_are_reported_with_the_allowed_range)
{
    check_fixture("check_args.lua");
    EXPECT_ERROR(3, "sma takes 1 to 2 arguments, got 0: sma(n[, back])");
    EXPECT_ERROR(4, "이동평균 takes 1 to 2 arguments, got 3");
    EXPECT_ERROR(6, "crossover takes 4 arguments, got 2");
    EXPECT_ERROR(10, "close_position takes no arguments, got 1");
}
END_TEST

START_TEST(a_value_called_like_a_function_is_an_error)
{
    check_fixture("check_args.lua");
    EXPECT_ERROR(5, "현재가 is a value, not a function");
}
END_TEST

START_TEST(arguments_ending_in_a_call_are_counted_as_a_minimum)
{
    /* sma(5, select(...)) may pass 1 or more values; sma(1, 2, unpack(t)) at least 2. */
    check_fixture("check_args.lua");
    ck_assert(!has(8, STOM_CHECK_ERROR, ""));
    ck_assert(!has(9, STOM_CHECK_ERROR, ""));
    check_text("function on_bar() local t = {1} local a = sma(1, 2, 3, unpack(t)) end");
    EXPECT_ERROR(1, "got at least 3");
}
END_TEST

START_TEST(every_bad_schema_entry_is_reported_at_its_line)
{
    check_fixture("check_schema.lua");
    EXPECT_ERROR(4, "params.badtype: unknown type 'integer' (int, float or bool)");
    EXPECT_ERROR(5, "params.outside: default 500 is outside min..max (1..100)");
    EXPECT_ERROR(6, "params.inverted: min 5 is greater than max 0");
    EXPECT_ERROR(7, "params.zerostep: step must be greater than 0");
    EXPECT_ERROR(8, "params.fraction.default must be a whole number");
    EXPECT_ERROR(9, "params.computed.default must be a literal");
    EXPECT_ERROR(10, "params.nomax has no max");
    EXPECT_ERROR(11, "params.boolnum.default must be true or false");
    EXPECT_ERROR(12, "unknown key 'dflt'");
    EXPECT_ERROR(16, "params.nothere is not declared");
    ck_assert(!has(3, STOM_CHECK_ERROR, ""));
    ck_assert_uint_eq(report.errors, 10);
    /* A schema with errors is not returned. */
    ck_assert_uint_eq(report.n_params, 0);
}
END_TEST

START_TEST(the_params_table_must_be_written_out_once_at_the_top_level)
{
    check_text("local function make() return {} end\nparams = make()\nfunction on_bar() end");
    EXPECT_ERROR(2, "params must be a table written out in the file");
    check_text("params = {}\nparams = {}\nfunction on_bar() end");
    EXPECT_ERROR(2, "params is assigned more than once (first on line 1)");
    check_text("params = {{type = \"int\"}}\nfunction on_bar() end");
    EXPECT_ERROR(1, "params entries need a name");
    check_text("params = {\n a = {type = \"int\", default = 1, min = 0, max = 2},\n"
               " a = {type = \"int\", default = 1, min = 0, max = 2}}\n"
               "function on_bar() local x = params.a end");
    EXPECT_ERROR(3, "params.a is declared twice (first on line 2)");
}
END_TEST

START_TEST(a_missing_on_bar_is_an_error_about_the_whole_file)
{
    check_fixture("check_no_on_bar.lua");
    ck_assert_uint_eq(report.errors, 1);
    EXPECT_ERROR(0, "no on_bar function");
    check_text("");
    EXPECT_ERROR(0, "no on_bar function");
}
END_TEST

START_TEST(a_local_on_bar_is_reported_where_it_is_declared)
{
    check_text("-- x\nlocal function on_bar() end");
    EXPECT_ERROR(2, "'local' hides on_bar from stom");
    ck_assert_uint_eq(report.errors, 1);
    check_text("on_bar = function() end");
    EXPECT_CLEAN();
}
END_TEST

START_TEST(clean_strategies_in_english_and_korean_pass)
{
    check_fixture("check_clean_en.lua");
    EXPECT_CLEAN();
    ck_assert_uint_eq(report.n_params, 4);
    ck_assert_str_eq(report.params[0].name, "fast");
    ck_assert_str_eq(report.params[0].help, "fast SMA length");
    ck_assert_int_eq(report.params[2].type, STOM_PARAM_FLOAT);
    ck_assert_double_eq(report.params[2].def, 70.5);
    ck_assert_int_eq(report.params[3].type, STOM_PARAM_BOOL);
    ck_assert(!report.needs_snapshot);
    stom_check_report_free(&report);
    check_fixture("check_clean_ko.lua");
    EXPECT_CLEAN();
    ck_assert_uint_eq(report.n_params, 2);
    ck_assert_str_eq(report.params[0].name, "기간");
    ck_assert_double_eq(report.params[1].def, -2.5);
    ck_assert(report.needs_snapshot); /* 체결강도 */
}
END_TEST

START_TEST(locals_parameters_loop_variables_and_nested_functions_are_not_globals)
{
    check_fixture("check_scopes.lua");
    EXPECT_ERROR(22, "unknown name 'y'");
    EXPECT_ERROR(25, "unknown name 'z'");
    ck_assert_msg(report.errors == 2 && report.warnings == 0, "%s", dump());
}
END_TEST

START_TEST(names_inside_strings_and_comments_are_ignored)
{
    check_text("-- os.execute(nope1)\n--[==[ nope2\n]] ]==]\nfunction on_bar()\n"
               "  local a = \"nope3 \\\" nope4\" .. 'nope5 \\' x' .. [[nope6\n]]\n"
               "  local b = [=[ ]] nope7 ]=] -- nope8\nend");
    EXPECT_CLEAN();
}
END_TEST

START_TEST(only_the_first_name_of_a_chain_is_a_global)
{
    check_text("local t = {}\nfunction on_bar()\n  t.undefined_a = t.undefined_b\n"
               "  t:undefined_c(t[undefined_d])\n  local s = (\"x\"):rep(2)\nend");
    EXPECT_ERROR(4, "unknown name 'undefined_d'");
    ck_assert_msg(report.errors == 1, "%s", dump());
}
END_TEST

START_TEST(helpers_and_globals_defined_anywhere_in_the_file_are_known)
{
    check_text("function on_bar()\n  if signal() then buy() end\n  seen = (seen or 0) + 1\nend\n"
               "function signal() return close > open end\nfunction on_fill(f) last = f end");
    EXPECT_CLEAN();
}
END_TEST

START_TEST(assigning_to_a_vocabulary_name_is_an_error)
{
    /* STOM's Python style: 매수 = True ... if 매수: self.Buy(). */
    check_text("function on_bar()\n  매수 = true\n  close = 1\nend");
    EXPECT_ERROR(2, "매수 is the buy action: call 매수() instead of assigning to it");
    EXPECT_ERROR(3, "cannot assign to close: it is a vocabulary name (field)");
    check_text("function on_bar()\n  math = nil\nend");
    EXPECT_ERROR(2, "cannot assign to math");
}
END_TEST

START_TEST(market_values_and_calls_before_the_first_bar_are_errors)
{
    /* The runtime fails these: no bar exists at the top level or in init. */
    check_text("local p = close\nlocal avg = sma\nfunction init(p)\n  local x = 이동평균(5)\n"
               "  local function later() return 현재가 end\nend\nfunction on_bar() end");
    EXPECT_ERROR(1, "close is only available once bars arrive (in on_bar or on_fill), not at "
                    "the top level");
    EXPECT_ERROR(4, "이동평균 is only available once bars arrive (in on_bar or on_fill), not in "
                    "init");
    /* A function named without calling it is only a warning; a closure runs later. */
    EXPECT_WARNING(2, "sma is a function: call it as sma(n[, back])");
    ck_assert_msg(report.errors == 2 && report.warnings == 1, "%s", dump());
}
END_TEST

START_TEST(a_function_used_as_a_value_is_a_warning)
{
    check_text("function on_bar()\n  if 매수 then end\nend");
    EXPECT_WARNING(2, "매수 is a function: call it as 매수([qty[, limit_price]])");
    ck_assert_uint_eq(report.errors, 0);
}
END_TEST

START_TEST(library_functions_the_sandbox_withholds_are_reported)
{
    check_text("function on_bar()\n  local a = string.gsub('a', 'a', 'b')\n"
               "  local b = table.getn({})\n  local c = string.format('%d', math.random(3))\n"
               "  local d = string.nosuch\nend");
    EXPECT_ERROR(2, "string.gsub is not available in strategies (sandbox)");
    EXPECT_ERROR(3, "table.getn is not available in strategies (sandbox)");
    EXPECT_ERROR(5, "string.nosuch does not exist");
    ck_assert_msg(report.errors == 3, "%s", dump());
}
END_TEST

START_TEST(an_unread_parameter_is_a_warning)
{
    check_text("params = {\n  n = {type = \"int\", default = 1, min = 0, max = 2},\n"
               "  m = {type = \"int\", default = 1, min = 0, max = 2}}\n"
               "function on_bar() local x = params[\"n\"] end");
    EXPECT_WARNING(3, "parameter m is declared but never read");
    ck_assert_uint_eq(report.warnings, 1);
    ck_assert_uint_eq(report.errors, 0);
}
END_TEST

START_TEST(names_reserved_for_the_runtime_are_errors)
{
    check_text("function on_bar()\n  local __stom_b = 1\nend");
    EXPECT_ERROR(2, "__stom_b: names starting with __stom are reserved");
}
END_TEST

/* A name in place of a syntax error must land on the line LuaJIT reports. */
START_TEST(lines_are_counted_as_luajit_counts_them)
{
    static const char *const prefix[] = {"\xEF\xBB\xBF-- bom\r\n", "#!/usr/bin/luajit\n",
                                         "local s = 'a\\\nb'\n",   "local s = \"\\z\n\n  x\"\n",
                                         "--[[\n\n]]\n",           "local s = [==[\n]]\n]==]\n",
                                         "x = 1\r\rx = 2\n\r",     "local s = [[\r\n\r\n]]\n"};
    for (size_t k = 0; k < sizeof prefix / sizeof prefix[0]; k++) {
        char code[256];
        snprintf(code, sizeof code, "%sfunction on_bar() = end", prefix[k]);
        check_text(code);
        ck_assert_uint_eq(report.n_issues, 1);
        int syntax_line = report.issues[0].line;
        stom_check_report_free(&report);
        snprintf(code, sizeof code, "%sfunction on_bar() local v = undefined_x end", prefix[k]);
        check_text(code);
        ck_assert_msg(syntax_line > 0 && has(syntax_line, STOM_CHECK_ERROR, "undefined_x"),
                      "prefix %zu: LuaJIT says line %d:\n%s", k, syntax_line, dump());
        stom_check_report_free(&report);
    }
}
END_TEST

START_TEST(oversized_input_and_bytecode_are_refused)
{
    size_t len = STOM_CHECK_MAX_BYTES + 1;
    char *big = malloc(len);
    memset(big, ' ', len);
    ck_assert_int_eq(stom_strategy_check("big.lua", big, len, &report), STOM_ETOOBIG);
    free(big);
    EXPECT_ERROR(0, "larger than 1 MiB");
    stom_check_report_free(&report);
    check_text("\033LJ\002binary");
    EXPECT_ERROR(0, "precompiled Lua bytecode");
}
END_TEST

START_TEST(every_prefix_of_a_clean_file_is_checked_without_crashing)
{
    static const char code[] =
        "params = {n = {type = \"int\", default = 2, min = 1, max = 9, help = 'h\\'x'}}\n"
        "local t = {a = 1, [2] = 'x', 3; f = function(...) return ... end}\n"
        "function t.g:h(a) return self, a end\n--[=[ c ]=] goto l ::l::\n"
        "function on_bar() for i = 1, params.n do local v = sma(i, 1) end\n"
        "  repeat local d = 1 until d == 1 while false do break end\n"
        "  if -close < #'x' then buy() elseif not open then sell(1) else end end\n";
    for (size_t n = 0; n <= sizeof code - 1; n++) {
        ck_assert_int_eq(stom_strategy_check("p.lua", code, n, &report), STOM_OK);
        stom_check_report_free(&report);
    }
    check_text(code);
    EXPECT_CLEAN();
}
END_TEST

START_TEST(deep_nesting_is_checked_without_exhausting_the_stack)
{
    static char code[4096];
    size_t n = (size_t)snprintf(code, sizeof code, "function on_bar() local x = ");
    for (int k = 0; k < 150; k++)
        code[n++] = '(';
    code[n++] = '1';
    for (int k = 0; k < 150; k++)
        code[n++] = ')';
    memcpy(code + n, " end", 5);
    check_text(code);
    ck_assert_msg(report.errors == 0, "%s", dump());
}
END_TEST

START_TEST(at_most_the_issue_limit_is_kept_but_all_are_counted)
{
    static char code[8192];
    size_t n = (size_t)snprintf(code, sizeof code, "function on_bar()\n");
    for (int k = 0; k < 150; k++)
        n += (size_t)snprintf(code + n, sizeof code - n, "local v%d = unknown_%d\n", k, k);
    snprintf(code + n, sizeof code - n, "end\n");
    check_text(code);
    ck_assert_uint_eq(report.errors, 150);
    ck_assert_uint_eq(report.n_issues, STOM_CHECK_MAX_ISSUES);
    ck_assert_int_le(report.issues[0].line, report.issues[STOM_CHECK_MAX_ISSUES - 1].line);
}
END_TEST

START_TEST(an_issue_formats_as_file_line_severity_message)
{
    char buf[128];
    stom_check_issue at = {12, STOM_CHECK_ERROR, "unknown name 'x'"};
    stom_check_issue whole = {0, STOM_CHECK_WARNING, "w"};
    stom_check_issue_format("s.lua", &at, buf, sizeof buf);
    ck_assert_str_eq(buf, "s.lua:12: error: unknown name 'x'");
    stom_check_issue_format("s.lua", &whole, buf, sizeof buf);
    ck_assert_str_eq(buf, "s.lua: warning: w");
    stom_check_report_free(NULL);
}
END_TEST

static Suite *check_suite(void)
{
    Suite *s = suite_create("strategy_check");
    TCase *tc = tcase_create("check");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_syntax_error_is_reported_at_its_line_in_luajits_words);
    tcase_add_test(tc, unknown_names_are_reported_at_their_lines_with_a_close_name);
    tcase_add_test(tc, a_korean_unknown_name_is_reported_once_with_its_other_lines);
    tcase_add_test(tc, sandboxed_names_such_as_os_execute_are_reported_as_unavailable);
    tcase_add_test(tc, wrong_argument_counts_are_reported_with_the_allowed_range);
    tcase_add_test(tc, a_value_called_like_a_function_is_an_error);
    tcase_add_test(tc, arguments_ending_in_a_call_are_counted_as_a_minimum);
    tcase_add_test(tc, every_bad_schema_entry_is_reported_at_its_line);
    tcase_add_test(tc, the_params_table_must_be_written_out_once_at_the_top_level);
    tcase_add_test(tc, a_missing_on_bar_is_an_error_about_the_whole_file);
    tcase_add_test(tc, a_local_on_bar_is_reported_where_it_is_declared);
    tcase_add_test(tc, clean_strategies_in_english_and_korean_pass);
    tcase_add_test(tc, locals_parameters_loop_variables_and_nested_functions_are_not_globals);
    tcase_add_test(tc, names_inside_strings_and_comments_are_ignored);
    tcase_add_test(tc, only_the_first_name_of_a_chain_is_a_global);
    tcase_add_test(tc, helpers_and_globals_defined_anywhere_in_the_file_are_known);
    tcase_add_test(tc, assigning_to_a_vocabulary_name_is_an_error);
    tcase_add_test(tc, market_values_and_calls_before_the_first_bar_are_errors);
    tcase_add_test(tc, a_function_used_as_a_value_is_a_warning);
    tcase_add_test(tc, library_functions_the_sandbox_withholds_are_reported);
    tcase_add_test(tc, an_unread_parameter_is_a_warning);
    tcase_add_test(tc, names_reserved_for_the_runtime_are_errors);
    tcase_add_test(tc, lines_are_counted_as_luajit_counts_them);
    tcase_add_test(tc, oversized_input_and_bytecode_are_refused);
    tcase_add_test(tc, every_prefix_of_a_clean_file_is_checked_without_crashing);
    tcase_add_test(tc, deep_nesting_is_checked_without_exhausting_the_stack);
    tcase_add_test(tc, at_most_the_issue_limit_is_kept_but_all_are_counted);
    tcase_add_test(tc, an_issue_formats_as_file_line_severity_message);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(check_suite());
}
