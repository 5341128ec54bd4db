/*
 * test_lua_limits.c - the sandbox's limits: endless loops (JIT-compiled
 * ones included), runaway recursion, memory bombs and slow events are
 * stopped with a clear message that names file and line; a strategy that
 * catches the error with pcall still stops; the limits are configurable;
 * the process goes on and the next run is unaffected.
 */
#include <stdio.h>
#include <string.h>

#include "stom/backtest.h"
#include "stom/lua_strategy.h"
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

/* Loads and runs code under limits (NULL: defaults); the first failing code with eb, or 0. */
static int try_code(const char *code, const stom_lua_limits *limits, stom_errbuf *eb)
{
    stom_lua_strategy *s = NULL;
    eb->msg[0] = '\0';
    int rc = stom_lua_strategy_load(&s, "t.lua", code, strlen(code), limits, eb);
    if (rc != STOM_OK)
        return rc;
    stom_params p;
    stom_params_default(stom_lua_strategy_def(s), &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    rc = stom_backtest_run(stom_lua_strategy_def(s), &p, &bars, 1, &cfg, &res, eb);
    if (rc == STOM_OK)
        stom_backtest_result_free(&res);
    stom_lua_strategy_destroy(s);
    return rc;
}

static void assert_stopped(const char *code, const stom_lua_limits *limits, int rc,
                           const char *says)
{
    stom_errbuf eb;
    int got = try_code(code, limits, &eb);
    ck_assert_msg(got == rc, "rc %d for %s: %s", got, code, eb.msg);
    ck_assert_msg(strstr(eb.msg, says) == eb.msg, "'%s' said '%s'", code, eb.msg);
}

/* A strategy that trades: the process and later runs are fine. */
static void assert_next_run_is_fine(void)
{
    stom_errbuf eb;
    ck_assert_msg(try_code("function on_bar()\n  if bars_seen == 3 then buy() end\nend\n", NULL,
                           &eb) == STOM_OK,
                  "%s", eb.msg);
}

#define STEPS "strategy stopped: more than 10000000 steps in one event"

START_TEST(endless_loops_are_stopped_even_when_compiled)
{
    assert_stopped("function on_bar()\n  while true do end\nend\n", NULL, STOM_ESTATE,
                   "t.lua:2: " STEPS);
    assert_stopped("function on_bar()\n  local x = 0\n  repeat x = x + 1 until false\nend\n", NULL,
                   STOM_ESTATE, "t.lua:3: " STEPS);
    assert_stopped("function on_bar()\n  for i = 1, math.huge do end\nend\n", NULL, STOM_ESTATE,
                   "t.lua:2: " STEPS);
    assert_stopped("function on_bar()\n  ::top::\n  goto top\nend\n", NULL, STOM_ESTATE,
                   "t.lua:2: " STEPS);
    assert_stopped("function on_bar()\n  for k, v in pairs({1}) do while v do end end\nend\n", NULL,
                   STOM_ESTATE, "t.lua:2: " STEPS);
    /* Only on the fifth bar: by then on_bar itself is compiled. */
    assert_stopped("function on_bar()\n  local s = sma(2)\n  while bars_seen == 5 do s = s + 1 "
                   "end\nend\n",
                   NULL, STOM_ESTATE, "t.lua:3: " STEPS);
    assert_next_run_is_fine();
}
END_TEST

START_TEST(runaway_recursion_is_stopped)
{
    assert_stopped("local function f(n)\n  return f(n + 1)\nend\nfunction on_bar()\n  f(1)\nend\n",
                   NULL, STOM_ESTATE, "t.lua:1: " STEPS);
    assert_stopped("local function f(n)\n  return 1 + f(n + 1)\nend\nfunction on_bar()\n  f(1)\n"
                   "end\n",
                   NULL, STOM_ESTATE, "t.lua:1: stack overflow (runaway recursion?)");
    assert_stopped("local function f()\n  while true do pcall(f) end\nend\nfunction on_bar()\n"
                   "  f()\nend\n",
                   NULL, STOM_ESTATE, "t.lua:");
    assert_next_run_is_fine();
}
END_TEST

#define MEMORY "strategy stopped: it reached its memory limit of 64 MiB"

START_TEST(memory_bombs_are_stopped_by_the_memory_cap)
{
    assert_stopped("local t = {}\nfunction on_bar()\n  while true do t[#t + 1] = "
                   "string.rep('x', 1e6) .. #t end\nend\n",
                   NULL, STOM_ESTATE, "t.lua:3: " MEMORY);
    /* Stopped at a checkpoint (line 3), or by the hard ceiling inside the concatenation,
     * where LuaJIT cannot tell the line (then the function's first line). */
    stom_errbuf eb;
    ck_assert_int_eq(try_code("function on_bar()\n  local s = 'x'\n  while true do s = s .. s "
                              "end\nend\n",
                              NULL, &eb),
                     STOM_ESTATE);
    ck_assert_msg(strstr(eb.msg, "t.lua:3: " MEMORY) == eb.msg ||
                      strstr(eb.msg, "t.lua:1: " MEMORY) == eb.msg,
                  "%s", eb.msg);
    assert_stopped("function on_bar()\n  local t, i = {}, 0\n  while true do i = i + 1; t[i] = "
                   "{i} end\nend\n",
                   NULL, STOM_ESTATE, "t.lua:3: " MEMORY);
    /* Indicator windows live in C, and count against the same cap. */
    assert_stopped("function on_bar()\n  for n = 99000, 100000 do sma(n) end\nend\n", NULL,
                   STOM_ESTATE, "t.lua:2: " MEMORY);
    assert_stopped("function on_bar()\n  for n = 1, 300 do sma(n) end\nend\n", NULL, STOM_ESTATE,
                   "t.lua:2: sma: no room for another indicator series (at most 256");
    assert_stopped("local t = {}\nwhile true do t[#t + 1] = string.rep('y', 1e6) .. #t end\n"
                   "function on_bar() end\n",
                   NULL, STOM_EINVAL, "t.lua:2: " MEMORY);
    assert_next_run_is_fine();
}
END_TEST

START_TEST(limits_caught_with_pcall_still_stop_the_run)
{
    assert_stopped("function on_bar()\n  pcall(function() while true do end end)\nend\n", NULL,
                   STOM_ESTATE, "t.lua:1: " STEPS);
    assert_stopped("local t = {}\nfunction on_bar()\n  pcall(function()\n    while true do "
                   "t[#t + 1] = string.rep('x', 1e6) .. #t end\n  end)\n  t = {}\nend\n",
                   NULL, STOM_ESTATE, "t.lua:2: " MEMORY); /* at its next checkpoint */
    assert_next_run_is_fine();
}
END_TEST

START_TEST(a_slow_event_is_stopped_by_the_time_limit)
{
    stom_lua_limits limits;
    stom_lua_limits_default(&limits);
    limits.steps_per_event = 0;
    limits.ms_per_event = 50;
    assert_stopped("function on_bar()\n  while true do end\nend\n", &limits, STOM_ESTATE,
                   "t.lua:2: strategy stopped: one event ran longer than 50 ms");
    assert_next_run_is_fine();
}
END_TEST

START_TEST(limits_are_configurable)
{
    static const char loop[] = "function on_bar()\n  for i = 1, 5000 do end\nend\n";
    stom_lua_limits limits;
    stom_lua_limits_default(&limits);
    limits.steps_per_event = 1000;
    assert_stopped(loop, &limits, STOM_ESTATE,
                   "t.lua:2: strategy stopped: more than 1000 steps in one event");
    limits.steps_per_event = 100000;
    stom_errbuf eb;
    ck_assert_msg(try_code(loop, &limits, &eb) == STOM_OK, "%s", eb.msg);
    static const char big[] = "function on_bar()\n  local s = string.rep('x', 4e6)\nend\n";
    limits.memory_bytes = (size_t)2 << 20;
    assert_stopped(big, &limits, STOM_ESTATE,
                   "t.lua:2: strategy stopped: it reached its memory limit of 2 MiB");
    limits.memory_bytes = (size_t)64 << 20;
    ck_assert_msg(try_code(big, &limits, &eb) == STOM_OK, "%s", eb.msg);
    limits.memory_bytes = 4096;
    ck_assert_int_eq(try_code(big, &limits, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "t.lua: a memory limit must be at least 1 MiB");
}
END_TEST

START_TEST(without_limits_a_long_event_runs_to_its_end)
{
    stom_lua_limits none;
    stom_lua_limits_none(&none);
    stom_errbuf eb;
    ck_assert_msg(try_code("function on_bar()\n  local n = 0\n  for i = 1, 2e7 do n = n + 1 end\n"
                           "  if bars_seen == 3 then buy() end\nend\n",
                           &none, &eb) == STOM_OK,
                  "%s", eb.msg);
    /* The same loop trips the default budget. */
    ck_assert_int_eq(try_code("function on_bar()\n  for i = 1, 2e7 do end\nend\n", NULL, &eb),
                     STOM_ESTATE);
}
END_TEST

START_TEST(limits_apply_while_loading_and_in_init)
{
    assert_stopped("while true do end\nfunction on_bar() end\n", NULL, STOM_EINVAL,
                   "t.lua:1: " STEPS);
    assert_stopped("function init()\n  while true do end\nend\nfunction on_bar() end\n", NULL,
                   STOM_EINVAL, "t.lua:2: " STEPS);
    assert_next_run_is_fine();
}
END_TEST

START_TEST(the_woven_budget_keeps_the_code_s_meaning)
{
    static const char code[] =
        "local obj = {n = 0}\n"
        "function obj:add(a, ...) self.n = self.n + a + select('#', ...) return self end\n"
        "local s = [==[ while true do end ]==] -- function() do repeat ::x::\n"
        "local function sum(t)\n"
        "  local total = 0\n"
        "  for i = 1, #t do\n"
        "    if t[i] < 0 then goto continue end\n"
        "    local v = t[i]\n"
        "    total = total + v\n"
        "    ::continue::\n"
        "  end\n"
        "  return total\n"
        "end\n"
        "function on_bar()\n"
        "  local i = 0\n"
        "  repeat i = i + 1 until i >= 3\n"
        "  while i < 6 do i = i + 1 end\n"
        "  do local x = 1; i = i + x end\n"
        "  local f = function(...) return select('#', ...) end\n"
        "  obj:add(1, 2, 3)\n"
        "  local ok = sum({1, -2, 3}) == 4 and i == 7 and f(1, nil, 3) == 3\n"
        "  if not ok or s ~= ' while true do end ' or obj.n ~= 3 * bars_seen then\n"
        "    error('the code changed meaning')\n"
        "  end\n"
        "end\n";
    stom_errbuf eb;
    ck_assert_msg(try_code(code, NULL, &eb) == STOM_OK, "%s", eb.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lua_limits");
    TCase *tc = tcase_create("lua_limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, endless_loops_are_stopped_even_when_compiled);
    tcase_add_test(tc, runaway_recursion_is_stopped);
    tcase_add_test(tc, memory_bombs_are_stopped_by_the_memory_cap);
    tcase_add_test(tc, limits_caught_with_pcall_still_stop_the_run);
    tcase_add_test(tc, a_slow_event_is_stopped_by_the_time_limit);
    tcase_add_test(tc, limits_are_configurable);
    tcase_add_test(tc, without_limits_a_long_event_runs_to_its_end);
    tcase_add_test(tc, limits_apply_while_loading_and_in_init);
    tcase_add_test(tc, the_woven_budget_keeps_the_code_s_meaning);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
