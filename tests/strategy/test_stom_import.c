/*
 * test_stom_import.c - the STOM Python -> Lua importer: four realistic
 * strategies written for these tests (tests/fixtures/stom/NAME.py) translate
 * to the reviewed Lua next to them (NAME.translated.lua); every mapping and the
 * truthiness rule on small inputs; every construct outside the subset
 * refused with its exact "file:line: ..." message; the input limits. When
 * the Lua runtime (stom/lua_strategy.h) is built, each translation is also
 * backtested against the hand-written Lua version (NAME.lua) of the same
 * strategy and must trade identically.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/stom_import.h"
#include "test_support.h"

static const char *const examples[] = {"ma_pullback", "breakout_time_exit", "volume_surge",
                                       "rsi_rebound"};

static char *read_fixture(const char *rel)
{
    char path[512];
    stom_test_fixture_path(rel, path, sizeof path);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "open %s", path);
    static char buf[64 * 1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* Translates src named name; returns rc, *out owned on success. */
static int translate_named(const char *name, const char *src, char **out, stom_errbuf *eb)
{
    *out = NULL;
    return stom_import_stom(name, src, strlen(src), out, NULL, eb);
}

/* Translates src that must be accepted; returns the owned Lua. */
static char *translate_ok(const char *src)
{
    char *out;
    stom_errbuf eb = {{0}};
    int rc = translate_named("s.py", src, &out, &eb);
    ck_assert_msg(rc == 0, "refused: %s\n--- source:\n%s", eb.msg, src);
    return out;
}

/* Asserts the translation of src contains the text want (a line or more). */
static void assert_translates_to(const char *src, const char *want)
{
    char *out = translate_ok(src);
    ck_assert_msg(strstr(out, want) != NULL, "expected\n%s\n--- in:\n%s", want, out);
    free(out);
}

static void assert_refused(const char *src, int want_rc, const char *want_msg)
{
    char *out;
    stom_errbuf eb = {{0}};
    int rc = translate_named("bad.py", src, &out, &eb);
    ck_assert_msg(rc == want_rc, "rc %d (want %d) for:\n%s\nmessage: %s", rc, want_rc, src, eb.msg);
    ck_assert_str_eq(eb.msg, want_msg);
    ck_assert_ptr_null(out);
}

START_TEST(each_example_translates_to_its_reviewed_lua)
{
    char rel[128], path[512], *out;
    snprintf(rel, sizeof rel, "stom/%s.translated.lua", examples[_i]);
    char *want = read_fixture(rel);
    snprintf(rel, sizeof rel, "stom/%s.py", examples[_i]);
    stom_test_fixture_path(rel, path, sizeof path);
    stom_errbuf eb = {{0}};
    size_t len = 0;
    ck_assert_msg(stom_import_stom_file(path, &out, &len, &eb) == 0, "%s", eb.msg);
    ck_assert_uint_eq(len, strlen(out));
    ck_assert_str_eq(out, want);
    /* The path does not leak into the output: only the file's own name does. */
    ck_assert_ptr_null(strstr(out, "fixtures/"));
    free(out);
    free(want);
}
END_TEST

START_TEST(the_header_names_the_source_file_without_its_directory)
{
    char *out;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(translate_named("some/dir/전략.py", "매수 = True\n", &out, &eb), 0);
    ck_assert_ptr_nonnull(strstr(out, "-- Translated from 전략.py by `stom strategy import-stom`"));
    ck_assert_ptr_null(strstr(out, "some/dir"));
    free(out);
}
END_TEST

START_TEST(vars_ranges_become_params_with_the_best_value_as_default)
{
    const char *src = "self.vars[0] = [[5, 30, 5], 20]  # 기간\n"
                      "self.vars[3] = [[0.5, 2.5, 0.5], 1.5]\n"
                      "self.vars[1] = [[30, 30, 0], 30]\n"
                      "self.vars[2] = [[10, 2, -2], 6]\n"
                      "self.vars[4] = [[-3, -1, 1], -2]\n"
                      "# 매수전략\n"
                      "if 현재가 > 이동평균(self.vars[0]) * self.vars[3]:\n"
                      "    self.Buy()\n";
    char *out = translate_ok(src);
    const char *want =
        "params = {\n"
        "    var0 = {type = \"int\", default = 20, min = 5, max = 30, step = 5}, -- 기간 "
        "(self.vars[0] = [[5, 30, 5], 20])\n"
        "    var1 = {type = \"int\", default = 30, min = 30, max = 30, step = 1}, -- "
        "self.vars[1] = [[30, 30, 0], 30]\n"
        "    var2 = {type = \"int\", default = 6, min = 2, max = 10, step = 2}, -- "
        "self.vars[2] = [[10, 2, -2], 6]\n"
        "    var3 = {type = \"float\", default = 1.5, min = 0.5, max = 2.5, step = 0.5}, -- "
        "self.vars[3] = [[0.5, 2.5, 0.5], 1.5]\n"
        "    var4 = {type = \"int\", default = -2, min = -3, max = -1, step = 1}, -- "
        "self.vars[4] = [[-3, -1, 1], -2]\n"
        "}\n";
    ck_assert_msg(strstr(out, want) != NULL, "params in:\n%s", out);
    ck_assert_ptr_nonnull(strstr(out, "if 현재가 > 이동평균(params.var0) * params.var3 then\n"));
    free(out);
}
END_TEST

START_TEST(a_file_without_markers_is_buy_code_and_may_start_with_vars)
{
    char *out = translate_ok("self.vars[0] = [[1, 9, 1], 5]\n"
                             "매수 = 현재가 > self.vars[0]\n"
                             "if 매수:\n"
                             "    self.Buy()\n");
    ck_assert_ptr_nonnull(strstr(out, "var0 = {type = \"int\", default = 5"));
    ck_assert_ptr_nonnull(strstr(out, "local function 매수전략()\n"
                                      "    local 매수 = 현재가 > params.var0\n"));
    ck_assert_ptr_null(strstr(out, "매도전략"));
    ck_assert_ptr_nonnull(strstr(out, "function on_bar()\n"
                                      "    if 보유수량 == 0 then\n"
                                      "        매수전략()\n"
                                      "    end\n"
                                      "end\n"));
    free(out);
}
END_TEST

START_TEST(a_sell_only_file_runs_its_code_while_holding)
{
    assert_translates_to("# 매도전략\n"
                         "if 수익률 > 1:\n"
                         "    self.Sell()\n",
                         "function on_bar()\n"
                         "    if 보유수량 ~= 0 then\n"
                         "        매도전략()\n"
                         "    end\n"
                         "end\n");
}
END_TEST

START_TEST(chained_comparisons_become_and_of_pairs)
{
    assert_translates_to("if 90000 <= 시분초 < 150000 != 0:\n    self.Buy()\n",
                         "if (90000 <= 시분초) and (시분초 < 150000) and (150000 ~= 0) then\n");
}
END_TEST

START_TEST(arithmetic_maps_floor_division_power_and_keeps_grouping)
{
    assert_translates_to("a = 현재가 // 2 % 3\n"
                         "b = -2 ** 2\n"
                         "c = 2 ** -1\n"
                         "d = 2 ** 3 ** 2\n"
                         "e = (2 ** 3) ** 2\n"
                         "f = 현재가 - (시가 - 1) * (고가 + 저가) / 2\n"
                         "g = - -현재가 + +시가\n"
                         "h = (현재가 - 시가) - 1\n",
                         "    local a = math.floor(현재가 / 2) % 3\n"
                         "    local b = -2 ^ 2\n"
                         "    local c = 2 ^ (-1)\n"
                         "    local d = 2 ^ 3 ^ 2\n"
                         "    local e = (2 ^ 3) ^ 2\n"
                         "    local f = 현재가 - (시가 - 1) * (고가 + 저가) / 2\n"
                         "    local g = -(-현재가) + 시가\n"
                         "    local h = 현재가 - 시가 - 1\n");
}
END_TEST

START_TEST(literals_and_operators_map_to_lua)
{
    assert_translates_to(
        "a = 1_000 + .5 + 5. + 1e3 + 2.5E-2\n"
        "b = None\n"
        "c = 현재가 != 시가\n"
        "d = not 현재가 == 시가\n"
        "e = abs(등락율) + max(1, 2, 3) - min(고가, 저가)\n",
        "    local a = 1000 + 0.5 + 5.0 + 1e3 + 2.5E-2\n"
        "    local b = nil\n"
        "    local c = 현재가 ~= 시가\n"
        "    local d = not (현재가 == 시가)\n"
        "    local e = math.abs(등락율) + math.max(1, 2, 3) - math.min(고가, 저가)\n");
}
END_TEST

START_TEST(numbers_in_conditions_are_compared_with_zero)
{
    assert_translates_to("차이 = 현재가 - 시가\n"
                         "if 차이:\n"
                         "    self.Buy()\n"
                         "elif not 거래량 or 차이 and 등락율 > 1:\n"
                         "    pass\n",
                         "    if 차이 ~= 0 then\n"
                         "        buy()\n"
                         "    elseif not (거래량 ~= 0) or 차이 ~= 0 and 등락율 > 1 then\n"
                         "    end\n");
}
END_TEST

START_TEST(values_of_mixed_type_are_tested_with_truthy)
{
    char *out = translate_ok("x = None\n"
                             "if 현재가 > 시가:\n"
                             "    x = 현재가 - 시가\n"
                             "if x:\n"
                             "    self.Buy()\n");
    ck_assert_ptr_nonnull(strstr(out, "local function truthy(x)\n"
                                      "    return x ~= nil and x ~= false and x ~= 0\n"
                                      "end\n"));
    ck_assert_ptr_nonnull(strstr(out, "    if truthy(x) then\n"));
    free(out);
    out = translate_ok("if 현재가 > 1:\n    self.Buy()\n");
    ck_assert_ptr_null(strstr(out, "truthy"));
    free(out);
}
END_TEST

START_TEST(boolean_and_or_outside_conditions_are_kept)
{
    assert_translates_to("a = 현재가 > 1 and (시가 > 1 or 고가 > 1)\n"
                         "b = a or not a\n",
                         "    local a = 현재가 > 1 and (시가 > 1 or 고가 > 1)\n"
                         "    local b = a or not a\n");
}
END_TEST

START_TEST(locals_first_set_inside_a_block_are_declared_at_the_top)
{
    assert_translates_to("if 현재가 > 1:\n"
                         "    y = 1\n"
                         "else:  # 나머지\n"
                         "    y = 2\n"
                         "z = y + 1\n"
                         "if z > 1:\n"
                         "    self.Buy()\n",
                         "local function 매수전략()\n"
                         "    local y\n"
                         "    if 현재가 > 1 then\n"
                         "        y = 1\n"
                         "    else  -- 나머지\n"
                         "        y = 2\n"
                         "    end\n"
                         "    local z = y + 1\n");
}
END_TEST

START_TEST(augmented_assignment_spells_out_the_operation)
{
    assert_translates_to("x = 1\nx += 2 * 3\nx -= 1 + 2\nx //= 2\nx **= 2\n",
                         "    local x = 1\n"
                         "    x = x + 2 * 3\n"
                         "    x = x - (1 + 2)\n"
                         "    x = math.floor(x / 2)\n"
                         "    x = x ^ 2\n");
}
END_TEST

START_TEST(comments_blank_lines_and_continuations_survive)
{
    assert_translates_to("# 첫 줄 설명\n"
                         "매수 = True\n"
                         "\n"
                         "if not (현재가 > 시가 and\n"
                         "        거래량 > 0):  # 양봉\n"
                         "    # 음봉 제외\n"
                         "    매수 = False\n"
                         "x = 현재가 + \\\n"
                         "    시가\n"
                         "#[[ 긴 주석 아님\n",
                         "    -- 첫 줄 설명\n"
                         "    local 매수 = true\n"
                         "\n"
                         "    if not (현재가 > 시가 and 거래량 > 0) then  -- 양봉\n"
                         "        -- 음봉 제외\n"
                         "        매수 = false\n"
                         "    end\n"
                         "    local x = 현재가 + 시가\n"
                         "    -- [[ 긴 주석 아님\n");
}
END_TEST

START_TEST(one_line_suites_semicolons_and_pass_are_accepted)
{
    assert_translates_to("매수 = True; 보조 = 1;\n"
                         "if 현재가 < 1: 매수 = False\n"
                         "elif 현재가 < 2: pass\n"
                         "else: 보조 = 2\n"
                         "if 매수: self.Buy()\n",
                         "    local 매수 = true\n"
                         "    local 보조 = 1\n"
                         "    if 현재가 < 1 then\n"
                         "        매수 = false\n"
                         "    elseif 현재가 < 2 then\n"
                         "    else\n"
                         "        보조 = 2\n"
                         "    end\n"
                         "    if 매수 then\n"
                         "        buy()\n"
                         "    end\n");
}
END_TEST

START_TEST(english_vocabulary_names_work_like_the_korean_ones)
{
    assert_translates_to(
        "if close > sma(5, 1) and crossover(close, sma(5), close_n(1), sma(5, 1)):\n"
        "    self.Buy()\n",
        "    if close > sma(5, 1) and truthy(crossover(close, sma(5), close_n(1), "
        "sma(5, 1))) then\n");
}
END_TEST

START_TEST(crlf_tabs_and_a_bom_translate_like_plain_text)
{
    char *plain = translate_ok("if 현재가 > 1:\n        매수 = 1\n        self.Buy()\n");
    char *crlf = translate_ok("\xef\xbb\xbfif 현재가 > 1:\r\n\t매수 = 1\r\n\tself.Buy()\r\n");
    ck_assert_str_eq(plain, crlf);
    free(plain);
    free(crlf);
}
END_TEST

START_TEST(an_error_in_the_sell_code_names_its_line_in_the_file)
{
    assert_refused("self.vars[0] = [[1, 3, 1], 2]\n"
                   "\n"
                   "# 매수전략\n"
                   "if 현재가 > 1:\n"
                   "    self.Buy()\n"
                   "\n"
                   "# 매도전략\n"
                   "if 수익률 > self.vars[0]:\n"
                   "    for x in 고가:\n"
                   "        pass\n",
                   STOM_ETYPE, "bad.py:9: cannot translate for loop");
}
END_TEST

/* Each construct outside the subset, with the message the user sees. */
static const struct refusal {
    const char *src;
    int rc;
    const char *msg;
} refusals[] = {
    {"for i in range(3):\n    pass\n", STOM_ETYPE, "bad.py:1: cannot translate for loop"},
    {"x = 1\nwhile x:\n    pass\n", STOM_ETYPE, "bad.py:2: cannot translate while loop"},
    {"def f():\n    pass\n", STOM_ETYPE, "bad.py:1: cannot translate function definition (def)"},
    {"class A:\n    pass\n", STOM_ETYPE, "bad.py:1: cannot translate class definition"},
    {"x = lambda: 1\n", STOM_ETYPE, "bad.py:1: cannot translate lambda"},
    {"import math\n", STOM_ETYPE, "bad.py:1: cannot translate import"},
    {"from math import floor\n", STOM_ETYPE, "bad.py:1: cannot translate import"},
    {"try:\n    pass\nexcept:\n    pass\n", STOM_ETYPE, "bad.py:1: cannot translate try statement"},
    {"with x:\n    pass\n", STOM_ETYPE, "bad.py:1: cannot translate with statement"},
    {"return\n", STOM_ETYPE, "bad.py:1: cannot translate return statement"},
    {"global x\n", STOM_ETYPE, "bad.py:1: cannot translate global statement"},
    {"매수 = True\nx = self.price\n", STOM_ETYPE,
     "bad.py:2: cannot translate attribute access self.price"},
    {"x = 현재가.real\n", STOM_ETYPE, "bad.py:1: cannot translate attribute access .real"},
    {"x = 현재가[0]\n", STOM_ETYPE,
     "bad.py:1: cannot translate subscript (only self.vars[n] is supported)"},
    {"x = self.vars[0][1]\n", STOM_ETYPE,
     "bad.py:1: cannot translate subscript (only self.vars[n] is supported)"},
    {"x = self.vars[i]\n", STOM_ETYPE,
     "bad.py:1: cannot translate self.vars index (write a whole number from 0 to 999)"},
    {"x = '삼성전자'\n", STOM_ETYPE, "bad.py:1: cannot translate string"},
    {"x = f\"{현재가}\"\n", STOM_ETYPE, "bad.py:1: cannot translate string"},
    {"x = [1, 2]\n", STOM_ETYPE, "bad.py:1: cannot translate list"},
    {"x = {1: 2}\n", STOM_ETYPE, "bad.py:1: cannot translate dict or set"},
    {"x = (1, 2)\n", STOM_ETYPE, "bad.py:1: cannot translate tuple"},
    {"x = 0x10\n", STOM_ETYPE, "bad.py:1: cannot translate number 0x10 (only decimal numbers)"},
    {"x = 1j\n", STOM_ETYPE, "bad.py:1: cannot translate number 1j (only decimal numbers)"},
    {"x = 1\ny = 없는변수 + x\n", STOM_ETYPE, "bad.py:2: unknown name 없는변수"},
    {"x = BUY_LONG\n", STOM_ETYPE, "bad.py:1: unknown name BUY_LONG"},
    {"x = print(1)\n", STOM_ETYPE, "bad.py:1: unknown name print"},
    {"x = x + 1\n", STOM_ETYPE, "bad.py:1: unknown name x"},
    {"x = 이동평균(1, 2, 3)\n", STOM_ETYPE, "bad.py:1: 이동평균 takes 1 to 2 arguments, got 3"},
    {"x = 현재가N()\n", STOM_ETYPE, "bad.py:1: 현재가N takes 1 argument, got 0"},
    {"x = 상향돌파(1, 2)\n", STOM_ETYPE, "bad.py:1: 상향돌파 takes 4 arguments, got 2"},
    {"x = abs(1, 2)\n", STOM_ETYPE, "bad.py:1: abs takes 1 argument, got 2"},
    {"x = max(1)\n", STOM_ETYPE, "bad.py:1: max takes 2 or more arguments, got 1"},
    {"x = 현재가()\n", STOM_ETYPE,
     "bad.py:1: 현재가 is a value, not a function (write 현재가 without parentheses)"},
    {"x = 이동평균\n", STOM_ETYPE,
     "bad.py:1: 이동평균 is a function: call it as 이동평균(n[, back])"},
    {"x = 1\ny = x()\n", STOM_ETYPE, "bad.py:2: cannot call x (a local value)"},
    {"x = 이동평균(n=5)\n", STOM_ETYPE,
     "bad.py:1: cannot translate keyword argument (pass arguments by position)"},
    {"x = 이동평균(*a)\n", STOM_ETYPE, "bad.py:1: cannot translate argument unpacking (*args)"},
    {"x = 매수(1)\n", STOM_ETYPE,
     "bad.py:1: cannot translate a call of the action 매수 (write self.Buy() or self.Sell() as a "
     "statement)"},
    {"x = 청산\n", STOM_ETYPE,
     "bad.py:1: cannot translate 청산 as a value (it is an order action)"},
    {"if 매도:\n    self.Sell()\n", STOM_ETYPE, "bad.py:1: 매도 is read before it is assigned"},
    {"이동평균(5)\n", STOM_ETYPE,
     "bad.py:1: cannot translate expression statement (only assignments, if, pass, self.Buy() "
     "and self.Sell())"},
    {"self.Buy(BUY_LONG)\n", STOM_ETYPE, "bad.py:1: cannot translate self.Buy with arguments"},
    {"x = self.Buy()\n", STOM_ETYPE,
     "bad.py:1: cannot translate self.Buy inside an expression (write it as a statement)"},
    {"x = self\n", STOM_ETYPE,
     "bad.py:1: cannot translate self outside self.Buy(), self.Sell() and self.vars[n]"},
    {"x = self.vars[3]\n", STOM_ETYPE,
     "bad.py:1: self.vars[3] has no range (declare self.vars[3] = [[start, end, step], best] at "
     "the top)"},
    {"x = 1 if 현재가 > 0 else 2\n", STOM_ETYPE,
     "bad.py:1: cannot translate conditional expression (x if c else y)"},
    {"x = 현재가 in 고가\n", STOM_ETYPE, "bad.py:1: cannot translate operator 'in'"},
    {"x = 현재가 is None\n", STOM_ETYPE, "bad.py:1: cannot translate operator 'is'"},
    {"x = 현재가 | 1\n", STOM_ETYPE, "bad.py:1: cannot translate operator |"},
    {"x = ~현재가\n", STOM_ETYPE, "bad.py:1: cannot translate operator ~"},
    {"x = 현재가 @ 시가\n", STOM_ETYPE, "bad.py:1: cannot translate operator @"},
    {"현재가 = 1\n", STOM_ETYPE, "bad.py:1: cannot assign to 현재가 (a vocabulary name)"},
    {"buy = 1\n", STOM_ETYPE, "bad.py:1: cannot assign to buy (a vocabulary name)"},
    {"end = 1\n", STOM_ETYPE, "bad.py:1: cannot assign to end (a Lua keyword)"},
    {"params = 1\n", STOM_ETYPE,
     "bad.py:1: cannot assign to params (the translation uses this name)"},
    {"truthy = 1\n", STOM_ETYPE,
     "bad.py:1: cannot assign to truthy (the translation uses this name)"},
    {"a, b = 1, 2\n", STOM_ETYPE, "bad.py:1: cannot translate tuple assignment"},
    {"a = b = 1\n", STOM_ETYPE, "bad.py:1: cannot translate chained assignment (a = b = ...)"},
    {"a: int = 1\n", STOM_ETYPE, "bad.py:1: cannot translate annotated assignment"},
    {"x = 1\nx.y = 2\n", STOM_ETYPE, "bad.py:2: cannot translate attribute access .y"},
    {"x = 1\ny = x and 2\n", STOM_ETYPE,
     "bad.py:2: cannot translate 'and' on values that are not all True/False outside an if "
     "condition"},
    {"y = 현재가 or 시가 > 1\n", STOM_ETYPE,
     "bad.py:1: cannot translate 'or' on values that are not all True/False outside an if "
     "condition"},
    {"x = True + 1\n", STOM_ETYPE, "bad.py:1: cannot translate arithmetic on True/False or None"},
    {"x = -None\n", STOM_ETYPE, "bad.py:1: cannot translate arithmetic on True/False or None"},
    {"x = (현재가 > 1) < 2\n", STOM_ETYPE, "bad.py:1: cannot translate '<' on True/False or None"},
    {"x = (현재가 > 1) == 1\n", STOM_ETYPE,
     "bad.py:1: cannot translate comparing True/False with a number"},
    {"매수 = True\n# 매수전략\nself.Buy()\n", STOM_ETYPE,
     "bad.py:1: cannot translate code before # 매수전략 (only self.vars ranges and comments may "
     "come first)"},
    {"# 매수전략\n매수 = True\nself.vars[0] = [[1, 5, 1], 3]\n", STOM_ETYPE,
     "bad.py:3: cannot translate self.vars[0] = ... here (ranges go at the top of the file, "
     "before any code)"},
    {"self.vars[0] = [[1, 2, 3, 4], 3]\n", STOM_ETYPE,
     "bad.py:1: cannot translate a GA value list (write [[start, end, step], best])"},
    {"self.vars[0] = [1, 5, 1]\n", STOM_ETYPE,
     "bad.py:1: cannot translate this self.vars value (write [[start, end, step], best])"},
    {"self.vars[0] = [[1, 10, 1], 20]\n매수 = True\n", STOM_EINVAL,
     "bad.py:1: self.vars[0]: best 20 is outside [1, 10]"},
    {"self.vars[0] = [[1, 10, 0], 5]\n", STOM_EINVAL,
     "bad.py:1: self.vars[0]: step 0 needs start = end (a fixed value)"},
    {"self.vars[0] = [[1, 10, -1], 5]\n", STOM_EINVAL,
     "bad.py:1: self.vars[0]: step -1 does not lead from 1 to 10"},
    {"self.vars[2] = [[1, 2, 1], 1]\nself.vars[2] = [[1, 2, 1], 1]\n", STOM_EINVAL,
     "bad.py:2: self.vars[2] is declared twice (line 1)"},
    {"# 매수전략\n매수 = True\n# 매수전략\n", STOM_EFORMAT,
     "bad.py:3: a second # 매수전략 section (the first starts at line 1)"},
    {"if 현재가 > 1\n    self.Buy()\n", STOM_EFORMAT,
     "bad.py:1: syntax error: unexpected end of line (expected ':' at the end of the if line)"},
    {"if 현재가 > 1:\nself.Buy()\n", STOM_EFORMAT,
     "bad.py:2: syntax error: expected an indented block after line 1"},
    {"if 현재가 > 1:\n    x = 1\n  y = 2\n", STOM_EFORMAT,
     "bad.py:3: syntax error: unindent does not match any outer indentation level"},
    {"x = 1\n    y = 2\n", STOM_EFORMAT,
     "bad.py:2: syntax error: unexpected indent (check the indentation)"},
    {"else:\n    pass\n", STOM_EFORMAT,
     "bad.py:1: syntax error: unexpected 'else' (no if before it at this indentation)"},
    {"x = (1 +\n\n", STOM_EFORMAT, "bad.py:1: syntax error: '(' is never closed"},
    {"x = 1 <> 2\n", STOM_EFORMAT, "bad.py:1: syntax error: unexpected '<>' after the statement"},
    {"x = 1 +\n", STOM_EFORMAT,
     "bad.py:1: syntax error: unexpected end of line where a value should be"},
    {"x = $\n", STOM_EFORMAT, "bad.py:1: syntax error: unexpected character '$'"},
    {"x = 1\n\xff\n", STOM_EFORMAT,
     "bad.py:2: not UTF-8 text or holds a NUL byte (save the file as UTF-8, not CP949)"},
    {"self.vars[0] = [[1, 2, 1], 1]\n# 설명만\n", STOM_EEMPTY,
     "bad.py: no buy or sell code to translate (write it after # 매수전략 and # 매도전략)"},
};

START_TEST(each_construct_outside_the_subset_is_refused_with_file_and_line)
{
    assert_refused(refusals[_i].src, refusals[_i].rc, refusals[_i].msg);
}
END_TEST

START_TEST(more_than_sixteen_vars_ranges_are_refused)
{
    char src[2048] = "";
    for (int k = 0; k <= 16; k++)
        snprintf(src + strlen(src), sizeof src - strlen(src), "self.vars[%d] = [[1, 2, 1], 1]\n",
                 k);
    strcat(src, "매수 = True\n");
    assert_refused(src, STOM_ETOOBIG, "bad.py:17: more than 16 self.vars ranges");
}
END_TEST

START_TEST(input_over_the_size_limit_is_refused_before_parsing)
{
    size_t len = STOM_IMPORT_MAX_BYTES + 1;
    char *src = malloc(len);
    memset(src, '#', len);
    char *out = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_import_stom("big.py", src, len, &out, NULL, &eb), STOM_ETOOBIG);
    ck_assert_str_eq(eb.msg, "big.py: larger than 1048576 bytes");
    ck_assert_ptr_null(out);
    free(src);
}
END_TEST

START_TEST(nesting_deeper_than_the_limit_is_refused)
{
    static char src[64 * 1024];
    src[0] = '\0';
    strcat(src, "x = ");
    for (int k = 0; k < 200; k++)
        strcat(src, "(");
    strcat(src, "1");
    for (int k = 0; k < 200; k++)
        strcat(src, ")");
    strcat(src, "\n");
    assert_refused(src, STOM_ETOOBIG, "bad.py:1: nesting deeper than 64");
    src[0] = '\0';
    for (int k = 0; k < 70; k++) {
        for (int s = 0; s < k; s++)
            strcat(src, " ");
        strcat(src, "if 현재가 > 1:\n");
    }
    for (int s = 0; s < 70; s++)
        strcat(src, " ");
    strcat(src, "pass\n");
    char *out;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(translate_named("bad.py", src, &out, &eb), STOM_ETOOBIG);
    ck_assert_ptr_nonnull(strstr(eb.msg, "deeper than 64"));
}
END_TEST

START_TEST(a_missing_file_is_an_io_error)
{
    char *out = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_import_stom_file("no/such/file.py", &out, NULL, &eb), STOM_EIO);
    ck_assert_ptr_nonnull(strstr(eb.msg, "no/such/file.py"));
    ck_assert_ptr_null(out);
}
END_TEST

/* The code test (stom strategy check), when it is built: translations are clean Lua. */
#if defined(__has_include)
#if __has_include("stom/strategy_check.h")
#define HAVE_STRATEGY_CHECK 1
#endif
#endif

#ifdef HAVE_STRATEGY_CHECK
#include "stom/strategy_check.h"

START_TEST(each_translation_passes_the_strategy_check_cleanly)
{
    char rel[128], path[512], *lua;
    size_t len;
    stom_errbuf eb = {{0}};
    snprintf(rel, sizeof rel, "stom/%s.py", examples[_i]);
    stom_test_fixture_path(rel, path, sizeof path);
    ck_assert_msg(stom_import_stom_file(path, &lua, &len, &eb) == 0, "%s", eb.msg);
    stom_check_report r;
    ck_assert_int_eq(stom_strategy_check("translated.lua", lua, len, &r), 0);
    for (size_t k = 0; k < r.n_issues; k++) {
        char line[600];
        stom_check_issue_format("translated.lua", &r.issues[k], line, sizeof line);
        fprintf(stderr, "%s: %s\n", examples[_i], line);
    }
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_uint_eq(r.warnings, 0);
    ck_assert_uint_eq(r.n_params, 3);
    stom_check_report_free(&r);
    free(lua);
}
END_TEST
#endif

/*
 * Identical trades: built only when the Lua runtime is (stom/lua_strategy.h).
 * Each example's translation and its hand-written Lua run over the same
 * generated minute bars with their defaults and must produce the same
 * trades to the second and the won.
 */
#if defined(__has_include)
#if __has_include("stom/lua_strategy.h")
#define HAVE_LUA_RUNTIME 1
#endif
#endif

#ifdef HAVE_LUA_RUNTIME
#include "stom/backtest.h"
#include "stom/krx.h"
#include "stom/lua_strategy.h"
#include "stom/timeutil.h"

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/*
 * Five KRX days of minute bars (09:00-15:20) from a random walk in whole
 * ticks whose drift turns every 40 bars (so RSI reaches its extremes), with
 * a volume burst now and then (and a price push with it), so that every
 * example has entries and exits of each kind.
 */
static void make_minute_bars(stom_bars *b)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "IMPORT", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    rng_state = 0x9E3779B97F4A7C15ull;
    int32_t date = 20240304;
    int64_t price = 50000, drift = 0;
    for (int day = 0; day < 5; day++) {
        int64_t midnight = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES);
        for (int minute = 0; minute < 381; minute++) {
            int64_t tick = stom_krx_tick_size(price, STOM_BOARD_KOSPI, date);
            if (minute % 40 == 0)
                drift = (int64_t)(rng_next() % 5) - 2;
            bool burst = rng_next() % 40 == 0;
            int64_t step = (int64_t)(rng_next() % 9) - 4 + drift + (burst ? 6 : 0);
            int64_t open = price, close = price + step * tick;
            int64_t high = (open > close ? open : close) + tick;
            int64_t low = (open < close ? open : close) - tick;
            int64_t volume = 1000 + (int64_t)(rng_next() % 4000) * (burst ? 6 : 1);
            stom_bars_push(b, midnight + 9 * 3600 + minute * 60, open, high, low, close, volume);
            price = close;
        }
        date = stom_date_from_days(stom_days_of_date(date) + 1);
    }
}

static stom_lua_strategy *load_lua(const char *name, const char *code, size_t len)
{
    stom_lua_strategy *s = NULL;
    stom_errbuf eb = {{0}};
    int rc = stom_lua_strategy_load(&s, name, code, len, NULL, &eb);
    ck_assert_msg(rc == 0, "load %s: %s", name, eb.msg);
    return s;
}

/* Runs s over b with its defaults, or with every parameter at its maximum. */
static void run_lua(const stom_lua_strategy *s, const stom_bars *b, bool at_max,
                    stom_backtest_result *res)
{
    const stom_strategy_def *def = stom_lua_strategy_def(s);
    stom_params p;
    stom_params_default(def, &p);
    for (size_t k = 0; at_max && k < def->n_params; k++)
        p.v[k] = def->params[k].max;
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_errbuf eb = {{0}};
    int rc = stom_backtest_run(def, &p, b, 1, &cfg, res, &eb);
    ck_assert_msg(rc == 0, "run %s: %s", def->name, eb.msg);
}

static void assert_same_trades(const char *what, const stom_backtest_result *x,
                               const stom_backtest_result *y)
{
    ck_assert_msg(x->n_trades == y->n_trades, "%s: %zu trades translated, %zu by hand", what,
                  x->n_trades, y->n_trades);
    for (size_t k = 0; k < x->n_trades; k++) {
        const stom_trade *t = &x->trades[k], *u = &y->trades[k];
        ck_assert_msg(t->entry_ts == u->entry_ts && t->exit_ts == u->exit_ts && t->qty == u->qty &&
                          t->entry_price == u->entry_price && t->exit_price == u->exit_price &&
                          t->pnl == u->pnl,
                      "%s: trade %zu differs", what, k);
    }
    ck_assert_int_eq(x->equity[x->n - 1], y->equity[y->n - 1]);
}

/*
 * The two versions name their parameters differently (var0 vs ma) but
 * declare them in the same order with the same ranges, so index k is the
 * same parameter in both.
 */
START_TEST(each_translation_trades_like_its_hand_written_lua)
{
    char rel[128], path[512], *lua;
    size_t len;
    stom_errbuf eb = {{0}};
    snprintf(rel, sizeof rel, "stom/%s.py", examples[_i]);
    stom_test_fixture_path(rel, path, sizeof path);
    ck_assert_msg(stom_import_stom_file(path, &lua, &len, &eb) == 0, "%s", eb.msg);
    snprintf(rel, sizeof rel, "stom/%s.lua", examples[_i]);
    char *hand = read_fixture(rel);
    stom_lua_strategy *translated = load_lua("translated.lua", lua, len);
    stom_lua_strategy *reference = load_lua(rel, hand, strlen(hand));
    stom_bars b;
    make_minute_bars(&b);
    for (int at_max = 0; at_max < 2; at_max++) {
        stom_backtest_result x, y;
        run_lua(translated, &b, at_max, &x);
        run_lua(reference, &b, at_max, &y);
        char what[96];
        snprintf(what, sizeof what, "%s with %s", examples[_i],
                 at_max ? "every parameter at its maximum" : "the defaults");
        ck_assert_msg(y.n_trades >= 5, "%s: the reference made only %zu trades", what, y.n_trades);
        assert_same_trades(what, &x, &y);
        stom_backtest_result_free(&x);
        stom_backtest_result_free(&y);
    }
    stom_bars_free(&b);
    stom_lua_strategy_destroy(translated);
    stom_lua_strategy_destroy(reference);
    free(hand);
    free(lua);
}
END_TEST

static void add_trade_tests(Suite *s)
{
    TCase *tc = tcase_create("trades");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, each_translation_trades_like_its_hand_written_lua, 0,
                        (int)(sizeof examples / sizeof examples[0]));
    suite_add_tcase(s, tc);
}
#endif

static Suite *suite(void)
{
    Suite *s = suite_create("stom_import");
    TCase *tc = tcase_create("translation");
    int n_examples = (int)(sizeof examples / sizeof examples[0]);
    tcase_add_loop_test(tc, each_example_translates_to_its_reviewed_lua, 0, n_examples);
    tcase_add_test(tc, the_header_names_the_source_file_without_its_directory);
    tcase_add_test(tc, vars_ranges_become_params_with_the_best_value_as_default);
    tcase_add_test(tc, a_file_without_markers_is_buy_code_and_may_start_with_vars);
    tcase_add_test(tc, a_sell_only_file_runs_its_code_while_holding);
    tcase_add_test(tc, chained_comparisons_become_and_of_pairs);
    tcase_add_test(tc, arithmetic_maps_floor_division_power_and_keeps_grouping);
    tcase_add_test(tc, literals_and_operators_map_to_lua);
    tcase_add_test(tc, numbers_in_conditions_are_compared_with_zero);
    tcase_add_test(tc, values_of_mixed_type_are_tested_with_truthy);
    tcase_add_test(tc, boolean_and_or_outside_conditions_are_kept);
    tcase_add_test(tc, locals_first_set_inside_a_block_are_declared_at_the_top);
    tcase_add_test(tc, augmented_assignment_spells_out_the_operation);
    tcase_add_test(tc, comments_blank_lines_and_continuations_survive);
    tcase_add_test(tc, one_line_suites_semicolons_and_pass_are_accepted);
    tcase_add_test(tc, english_vocabulary_names_work_like_the_korean_ones);
    tcase_add_test(tc, crlf_tabs_and_a_bom_translate_like_plain_text);
    suite_add_tcase(s, tc);
    TCase *bad = tcase_create("refusals");
    tcase_add_test(bad, an_error_in_the_sell_code_names_its_line_in_the_file);
    tcase_add_loop_test(bad, each_construct_outside_the_subset_is_refused_with_file_and_line, 0,
                        (int)(sizeof refusals / sizeof refusals[0]));
    tcase_add_test(bad, more_than_sixteen_vars_ranges_are_refused);
    tcase_add_test(bad, input_over_the_size_limit_is_refused_before_parsing);
    tcase_add_test(bad, nesting_deeper_than_the_limit_is_refused);
    tcase_add_test(bad, a_missing_file_is_an_io_error);
    suite_add_tcase(s, bad);
#ifdef HAVE_STRATEGY_CHECK
    TCase *chk = tcase_create("check");
    tcase_add_loop_test(chk, each_translation_passes_the_strategy_check_cleanly, 0,
                        (int)(sizeof examples / sizeof examples[0]));
    suite_add_tcase(s, chk);
#endif
#ifdef HAVE_LUA_RUNTIME
    add_trade_tests(s);
#endif
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
