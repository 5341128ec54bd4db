/*
 * test_lua_sandbox.c - what a Lua strategy cannot do: every way out of the
 * sandbox (io, os, require, load*, dofile, debug, string.dump, the FFI and
 * jit, collectgarbage, setfenv/getfenv, metatables, raw access to the
 * environment) fails with a clear "file:line:" error that stops only that
 * run; later runs in the same process are unaffected and see nothing an
 * earlier run left behind. Also: market values are read-only, snapshot-only
 * names say which data they need, and every error names file and line.
 */
#include <stdio.h>
#include <string.h>

#include "stom/backtest.h"
#include "stom/lua_strategy.h"
#include "stom/vocabulary.h"
#include "test_support.h"

static stom_bars bars;

static void setup(void)
{
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_instrument inst;
    stom_instrument_init(&inst, "TEST01", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(&bars, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bars_load_csv(&bars, path, &opt, NULL, &eb) == 0, "%s", eb.msg);
}

static void teardown(void)
{
    stom_bars_free(&bars);
}

/* Loads and runs code as "t.lua"; returns the first failing code with eb, or 0. */
static int try_code(const char *code, stom_errbuf *eb)
{
    stom_lua_strategy *s = NULL;
    eb->msg[0] = '\0';
    int rc = stom_lua_strategy_load(&s, "t.lua", code, strlen(code), NULL, eb);
    if (rc != STOM_OK)
        return rc;
    const stom_strategy_def *def = stom_lua_strategy_def(s);
    stom_params p;
    stom_params_default(def, &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    rc = stom_backtest_run(def, &p, &bars, 1, &cfg, &res, eb);
    if (rc == STOM_OK)
        stom_backtest_result_free(&res);
    stom_lua_strategy_destroy(s);
    return rc;
}

/* A healthy run after a failed one: sma_cross(2, 3) on the same bars, 2 trades. */
static void assert_next_run_is_fine(void)
{
    static const char sma[] =
        "params = {fast = {type = 'int', default = 2, min = 1, max = 9},\n"
        "          slow = {type = 'int', default = 3, min = 2, max = 9}}\n"
        "function on_bar()\n"
        "  local f, s, fp, sp = sma(params.fast), sma(params.slow), sma(params.fast, 1), "
        "sma(params.slow, 1)\n"
        "  if crossover(f, s, fp, sp) then buy() elseif crossunder(f, s, fp, sp) then sell() end\n"
        "end\n";
    stom_lua_strategy *s = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_lua_strategy_load(&s, "sma.lua", sma, strlen(sma), NULL, &eb) == 0, "%s",
                  eb.msg);
    stom_params p;
    stom_params_default(stom_lua_strategy_def(s), &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    ck_assert_int_eq(stom_backtest_run(stom_lua_strategy_def(s), &p, &bars, 1, &cfg, &res, &eb), 0);
    ck_assert_uint_eq(res.n_trades, 2);
    stom_backtest_result_free(&res);
    stom_lua_strategy_destroy(s);
}

typedef struct escape {
    const char *code; /* line 2 of on_bar's body */
    const char *says;
} escape;

static const escape escapes[] = {
    {"io.open('/etc/passwd')", "t.lua:3: io is not available in strategies (sandbox)"},
    {"os.execute('true')", "t.lua:3: os is not available in strategies (sandbox)"},
    {"require('ffi')", "t.lua:3: require is not available in strategies (sandbox)"},
    {"load('return 1')", "t.lua:3: load is not available in strategies (sandbox)"},
    {"loadstring('return 1')", "t.lua:3: loadstring is not available in strategies (sandbox)"},
    {"dofile('/etc/passwd')", "t.lua:3: dofile is not available in strategies (sandbox)"},
    {"loadfile('/etc/passwd')", "t.lua:3: loadfile is not available in strategies (sandbox)"},
    {"debug.getinfo(1)", "t.lua:3: debug is not available in strategies (sandbox)"},
    {"string.dump(on_bar)", "t.lua:3: string.dump is not available in strategies (sandbox)"},
    {"local d = ('').dump", "t.lua:3: string.dump is not available in strategies (sandbox)"},
    {"collectgarbage('stop')", "t.lua:3: collectgarbage is not available in strategies"},
    {"collectgarbage('setpause', 1)", "t.lua:3: collectgarbage is not available in strategies"},
    {"setfenv(1, {})", "t.lua:3: setfenv is not available in strategies (sandbox)"},
    {"local e = getfenv(sma)", "t.lua:3: getfenv is not available in strategies (sandbox)"},
    {"ffi.new('int[1]')", "t.lua:3: ffi is not available in strategies (sandbox)"},
    {"jit.off()", "t.lua:3: jit is not available in strategies (sandbox)"},
    {"getmetatable('').__index.rep = nil", "t.lua:3: getmetatable is not available in"},
    {"local i = ('').__index", "t.lua:3: string.__index is not available in strategies"},
    {"setmetatable(_G, {})", "t.lua:3: setmetatable is not available in strategies"},
    {"rawset(_G, 'leak', 1)", "t.lua:3: rawset is not available in strategies (sandbox)"},
    {"local g = _G", "t.lua:3: _G is not available in strategies (sandbox)"},
    {"coroutine.wrap(on_bar)()", "t.lua:3: coroutine is not available in strategies"},
    {"package.loaded.ffi.C.abort()", "t.lua:3: package is not available in strategies"},
    {"print('hi')", "t.lua:3: print is not available in strategies (sandbox)"},
    {"newproxy(true)", "t.lua:3: newproxy is not available in strategies (sandbox)"},
    {"math.evil()", "t.lua:3: math.evil is not available in strategies (sandbox)"},
    {"string.gsub('a', '.', 'b')", "t.lua:3: string.gsub is not available in strategies"},
    {"__stom_b = nil", "t.lua:3: names starting with __stom are reserved"},
};

START_TEST(every_escape_fails_with_a_clear_error_and_the_next_run_is_unaffected)
{
    for (size_t k = 0; k < sizeof escapes / sizeof escapes[0]; k++) {
        char code[512];
        snprintf(code, sizeof code, "function on_bar()\n  local x = 1\n  %s\nend\n",
                 escapes[k].code);
        stom_errbuf eb;
        int rc = try_code(code, &eb);
        ck_assert_msg(rc != STOM_OK, "escape %zu ran: %s", k, escapes[k].code);
        ck_assert_msg(strstr(eb.msg, escapes[k].says) != NULL, "escape '%s' said '%s'",
                      escapes[k].code, eb.msg);
        assert_next_run_is_fine();
    }
}
END_TEST

START_TEST(a_run_sees_nothing_an_earlier_run_left_behind)
{
    static const char code[] =
        "function on_bar()\n"
        "  if bars_seen == 1 then\n"
        "    if marker ~= nil then error('a global leaked from an earlier run') end\n"
        "    if string.upper('x') ~= 'X' then error('string.upper was changed') end\n"
        "    marker = true\n"
        "    string.upper = function() return 'evil' end\n"
        "    if ('x'):upper() ~= 'X' then error('the string metatable was reached') end\n"
        "    math.floor = nil\n"
        "  end\n"
        "end\n";
    stom_lua_strategy *s = NULL;
    stom_errbuf eb = {{0}};
    ck_assert(stom_lua_strategy_load(&s, "t.lua", code, strlen(code), NULL, &eb) == 0);
    stom_params p;
    stom_params_default(stom_lua_strategy_def(s), &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    for (int run = 0; run < 3; run++) {
        stom_backtest_result res;
        int rc = stom_backtest_run(stom_lua_strategy_def(s), &p, &bars, 1, &cfg, &res, &eb);
        ck_assert_msg(rc == 0, "run %d: %s", run, eb.msg);
        stom_backtest_result_free(&res);
    }
    stom_lua_strategy_destroy(s);
}
END_TEST

START_TEST(string_methods_and_the_safe_library_work)
{
    static const char code[] =
        "function on_bar()\n"
        "  local s = string.format('%d:%s', 12, ('ab'):rep(2, '-'))\n"
        "  if s ~= '12:ab-ab' or s:sub(1, 2) ~= '12' or #s ~= 8 then error(s) end\n"
        "  if string.find('a.b', '.', 1) ~= 2 then error('find is plain') end\n"
        "  local t = {3, 1, 2}\n"
        "  table.sort(t, function(a, b) return a > b end)\n"
        "  if table.concat(t, ',') ~= '3,2,1' or math.max(1, 5) ~= 5 then error('lib') end\n"
        "  local ok, err = pcall(error, 'caught')\n"
        "  if ok or not tostring(err):find('caught') then error('pcall') end\n"
        "  for k, v in pairs({a = 1}) do assert(k == 'a' and v == 1 and type(v) == 'number') end\n"
        "  assert(select('#', unpack({1, 2})) == 2 and tonumber('7') == 7 and next({}) == nil)\n"
        "end\n";
    stom_errbuf eb;
    ck_assert_msg(try_code(code, &eb) == STOM_OK, "%s", eb.msg);
}
END_TEST

START_TEST(market_values_are_read_only)
{
    stom_errbuf eb;
    ck_assert_int_eq(try_code("function on_bar()\n  close = 1\nend\n", &eb), STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "t.lua:2: 'close' is a market value and cannot be assigned");
    ck_assert_int_eq(try_code("function on_bar()\n  현재가 = 1\nend\n", &eb), STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "t.lua:2: '현재가' is a market value and cannot be assigned");
    ck_assert_int_eq(try_code("function on_bar(bar)\n\n  bar.close = 1\nend\n", &eb), STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "t.lua:3: the bar is read-only");
}
END_TEST

START_TEST(snapshot_only_names_say_which_data_they_need)
{
    stom_errbuf eb;
    ck_assert_int_eq(try_code("function on_bar()\n  local x = 1\n  if 체결강도 > 100 then buy() "
                              "end\nend\n",
                              &eb),
                     STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "t.lua:3: 체결강도 (strength) needs 1-second snapshot data; this "
                             "data set has bars only");
    size_t n = 0;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    for (size_t k = 0; k < n; k++) {
        if (all[k].needs != STOM_DATA_SNAPSHOT)
            continue;
        const char *names[2] = {all[k].english, all[k].korean};
        for (int i = 0; i < 2 && names[i]; i++) {
            char code[256], want[256];
            snprintf(code, sizeof code, "function on_bar()\n  local v = %s\nend\n", names[i]);
            snprintf(want, sizeof want, "t.lua:2: %s (%s) needs 1-second snapshot data", names[i],
                     names[1 - i] ? names[1 - i] : names[i]);
            ck_assert_int_eq(try_code(code, &eb), STOM_ESTATE);
            ck_assert_msg(strstr(eb.msg, want) == eb.msg, "%s: %s", names[i], eb.msg);
        }
    }
}
END_TEST

typedef struct located {
    const char *code;
    int rc;
    const char *says;
} located;

static const located locations[] = {
    {"x = 1\n\nfunction on_bar()\n  local t = nil\n  return t.field\nend\n", STOM_ESTATE,
     "t.lua:5: attempt to index local 't' (a nil value)"},
    {"local function helper(n)\n  local v = sma(n)\n  return v\nend\nfunction on_bar()\n"
     "  helper(0)\nend\n",
     STOM_ESTATE, "t.lua:2: sma: the period must be a whole number from 1 to 100000, got 0"},
    {"function on_bar()\n  if bars_seen == 3 then\n    error('my own message')\n  end\nend\n",
     STOM_ESTATE, "t.lua:3: my own message"},
    {"function on_bar()\n  if bars_seen == 2 then buy(1) end\nend\nfunction on_fill(f)\n"
     "  error('fill at ' .. f.price)\nend\n",
     STOM_ESTATE, "t.lua:5: fill at 9900"},
    {"function init(p)\n\n  error('no')\nend\nfunction on_bar() end\n", STOM_EINVAL, "t.lua:3: no"},
    {"local x = close\nfunction on_bar() end\n", STOM_EINVAL,
     "t.lua:1: close is only available once bars arrive"},
    {"function on_bar()\n  if x then\nend\n", STOM_EFORMAT, "t.lua:4: 'end' expected (to close"},
    {"function on_bar()\n  buy('ten')\nend\n", STOM_ESTATE,
     "t.lua:2: buy: the quantity must be a positive number, got ten"},
    {"function on_bar()\n  error({})\nend\n", STOM_ESTATE,
     "t.lua:2: the strategy raised an error that is not a string (table)"},
    {"local function on_bar() end\n", STOM_EINVAL, "t.lua: the strategy defines no on_bar"},
};

START_TEST(errors_carry_file_and_line)
{
    for (size_t k = 0; k < sizeof locations / sizeof locations[0]; k++) {
        stom_errbuf eb;
        int rc = try_code(locations[k].code, &eb);
        ck_assert_msg(rc == locations[k].rc, "case %zu: rc %d, %s", k, rc, eb.msg);
        ck_assert_msg(strstr(eb.msg, locations[k].says) == eb.msg, "case %zu said '%s'", k, eb.msg);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lua_sandbox");
    TCase *tc = tcase_create("lua_sandbox");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_escape_fails_with_a_clear_error_and_the_next_run_is_unaffected);
    tcase_add_test(tc, a_run_sees_nothing_an_earlier_run_left_behind);
    tcase_add_test(tc, string_methods_and_the_safe_library_work);
    tcase_add_test(tc, market_values_are_read_only);
    tcase_add_test(tc, snapshot_only_names_say_which_data_they_need);
    tcase_add_test(tc, errors_carry_file_and_line);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
