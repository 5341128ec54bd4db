/*
 * test_lua_params.c - loading Lua strategies: the `params` schema becomes
 * the def's stom_param_spec table (in the file's order, with the built-ins'
 * rules and defaults), values reach the strategy by name and are checked
 * against the schema, and every refusal (syntax, schema, missing on_bar,
 * size) names the file and, where there is one, the line.
 */
#include <stdio.h>
#include <string.h>

#include "stom/backtest.h"
#include "stom/lua_strategy.h"
#include "test_support.h"

static int load(const char *code, stom_lua_strategy **out, stom_errbuf *eb)
{
    eb->msg[0] = '\0';
    *out = NULL;
    return stom_lua_strategy_load(out, "dir/t.lua", code, strlen(code), NULL, eb);
}

START_TEST(the_schema_becomes_param_specs_in_file_order)
{
    static const char code[] =
        "summary = 'a demo'\n"
        "params = {\n"
        "    slow = {type = 'int', default = 30, min = 2, max = 5000, step = 2, help = 'long'},\n"
        "    fast = {type = 'int', default = 10, min = 1, max = 1000},\n"
        "    width = {type = 'float', default = 2.5, min = 0.5, max = 5.5},\n"
        "    shorts = {type = 'bool', default = true},\n"
        "    ['기간'] = {type = 'int', default = 20, min = 5, max = 120, step = 5},\n"
        "}\n"
        "function on_bar() end\n";
    stom_lua_strategy *s;
    stom_errbuf eb;
    ck_assert_msg(load(code, &s, &eb) == 0, "%s", eb.msg);
    const stom_strategy_def *def = stom_lua_strategy_def(s);
    ck_assert_str_eq(def->name, "t");
    ck_assert_str_eq(def->summary, "a demo");
    ck_assert_uint_eq(def->n_params, 5);
    const stom_param_spec *p = def->params;
    ck_assert_str_eq(p[0].name, "slow");
    ck_assert_int_eq(p[0].type, STOM_PARAM_INT);
    ck_assert_double_eq(p[0].def, 30);
    ck_assert_double_eq(p[0].step, 2);
    ck_assert_str_eq(p[0].help, "long");
    ck_assert_str_eq(p[1].name, "fast");
    ck_assert_double_eq(p[1].step, 1); /* int: step 1 by default */
    ck_assert_str_eq(p[2].name, "width");
    ck_assert_int_eq(p[2].type, STOM_PARAM_FLOAT);
    ck_assert_double_eq(p[2].step, 0.5); /* float: (max - min) / 10 */
    ck_assert_str_eq(p[3].name, "shorts");
    ck_assert_int_eq(p[3].type, STOM_PARAM_BOOL);
    ck_assert_double_eq(p[3].def, 1);
    ck_assert_double_eq(p[3].max, 1);
    ck_assert_str_eq(p[4].name, "기간");
    stom_lua_strategy_destroy(s);
}
END_TEST

START_TEST(values_reach_the_strategy_by_name_and_are_checked)
{
    /* init and on_bar see the values; on_bar reports them through an error. */
    static const char code[] =
        "params = {n = {type = 'int', default = 3, min = 1, max = 9},\n"
        "          k = {type = 'float', default = 1.5, min = 0, max = 4, step = 0.25},\n"
        "          on = {type = 'bool', default = false}}\n"
        "local seen\n"
        "function init(p) seen = p.n * 10 end\n"
        "function on_bar()\n"
        "  error(string.format('n=%d k=%g on=%s seen=%d', params.n, params.k, tostring(params.on),"
        " seen))\n"
        "end\n";
    stom_lua_strategy *s;
    stom_errbuf eb;
    ck_assert_msg(load(code, &s, &eb) == 0, "%s", eb.msg);
    const stom_strategy_def *def = stom_lua_strategy_def(s);
    stom_params p;
    stom_params_default(def, &p);
    ck_assert_int_eq(stom_params_set(def, &p, "n=7", &eb), 0);
    ck_assert_int_eq(stom_params_set(def, &p, "k=2.75", &eb), 0);
    ck_assert_int_eq(stom_params_set(def, &p, "on=true", &eb), 0);
    ck_assert_int_eq(stom_params_set(def, &p, "n=10", &eb), STOM_ERANGE);
    ck_assert_int_eq(stom_params_set(def, &p, "nope=1", &eb), STOM_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(eb.msg, "valid: n, k, on"));
    char path[512];
    stom_test_fixture_path("backtest/hand_checked.csv", path, sizeof path);
    stom_instrument inst;
    stom_instrument_init(&inst, "TEST01", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars b;
    stom_bars_init(&b, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    ck_assert(stom_bars_load_csv(&b, path, &opt, NULL, &eb) == 0);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    ck_assert_int_eq(stom_backtest_run(def, &p, &b, 1, &cfg, &res, &eb), STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "dir/t.lua:7: n=7 k=2.75 on=true seen=70");
    stom_bars_free(&b);
    stom_lua_strategy_destroy(s);
}
END_TEST

typedef struct refusal {
    const char *code;
    int rc;
    const char *says;
} refusal;

#define ENTRY(body) "params = {\n  x = " body ",\n}\nfunction on_bar() end\n"

static const refusal refusals[] = {
    {ENTRY("{type = 'integer', default = 1, min = 0, max = 2}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: type must be \"int\", \"float\" or \"bool\""},
    {ENTRY("{type = 'int', default = 500, min = 1, max = 100}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: default 500 is outside [1, 100]"},
    {ENTRY("{type = 'float', default = 1, min = 5, max = 0}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: min 5 is above max 0"},
    {ENTRY("{type = 'float', default = 1, min = 0, max = 2, step = 0}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: step must be above 0"},
    {ENTRY("{type = 'int', default = 2.5, min = 0, max = 10}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: an int parameter needs whole default, min, max and step"},
    {ENTRY("{type = 'int', default = 1, min = 0}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: int and float parameters need default, min and max"},
    {ENTRY("{type = 'bool', default = 1}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: a bool parameter needs default = true or false"},
    {ENTRY("{type = 'bool', default = true, max = 1}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: a bool parameter takes only a default"},
    {ENTRY("{type = 'int', dflt = 1, default = 1, min = 0, max = 9}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: unknown key 'dflt' (keys: type, default, min, max, step, help)"},
    {ENTRY("{type = 'int', default = 'one', min = 0, max = 9}"), STOM_EINVAL,
     "dir/t.lua:2: params.x: default must be a number"},
    {ENTRY("5"), STOM_EINVAL, "dir/t.lua:2: params.x: must be a table such as"},
    {"params = 5\nfunction on_bar() end\n", STOM_EINVAL, "dir/t.lua: params must be a table"},
    {"params = {[1] = {type = 'int', default = 1, min = 0, max = 2}}\nfunction on_bar() end\n",
     STOM_EINVAL, "dir/t.lua: params keys must be names"},
    {"function on_bar()\n  if x then\nend\n", STOM_EFORMAT,
     "dir/t.lua:4: 'end' expected (to close 'function' at line 1) near '<eof>'"},
    {"x = 1\n", STOM_EINVAL,
     "dir/t.lua: the strategy defines no on_bar function (a global: function on_bar() ... end)"},
    {"on_bar = 5\n", STOM_EINVAL, "dir/t.lua: the strategy defines no on_bar function"},
};

START_TEST(refused_files_name_the_file_and_line)
{
    for (size_t k = 0; k < sizeof refusals / sizeof refusals[0]; k++) {
        stom_lua_strategy *s;
        stom_errbuf eb;
        int rc = load(refusals[k].code, &s, &eb);
        ck_assert_msg(rc == refusals[k].rc, "case %zu: rc %d (%s)", k, rc, eb.msg);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(eb.msg, refusals[k].says) == eb.msg, "case %zu said '%s'", k, eb.msg);
    }
}
END_TEST

START_TEST(too_many_parameters_and_too_much_code_are_refused)
{
    char code[4096];
    size_t used = (size_t)snprintf(code, sizeof code, "params = {\n");
    for (int k = 0; k < STOM_MAX_PARAMS + 1; k++)
        used += (size_t)snprintf(code + used, sizeof code - used,
                                 "  p%d = {type = 'int', default = 1, min = 0, max = 2},\n", k);
    snprintf(code + used, sizeof code - used, "}\nfunction on_bar() end\n");
    stom_lua_strategy *s;
    stom_errbuf eb;
    ck_assert_int_eq(load(code, &s, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "dir/t.lua: at most 16 parameters");
    static char big[(1 << 20) + 16];
    memset(big, ' ', sizeof big);
    ck_assert_int_eq(stom_lua_strategy_load(&s, "big.lua", big, sizeof big, NULL, &eb),
                     STOM_ETOOBIG);
    ck_assert_ptr_nonnull(strstr(eb.msg, "big.lua: 1048592 bytes of code; at most 1048576"));
}
END_TEST

START_TEST(a_file_is_read_named_and_may_start_with_a_byte_order_mark)
{
    char path[512];
    stom_test_fixture_path("lua/sma_cross_ko.lua", path, sizeof path);
    stom_lua_strategy *s = NULL;
    stom_errbuf eb;
    ck_assert_msg(stom_lua_strategy_load_file(&s, path, NULL, &eb) == 0, "%s", eb.msg);
    ck_assert_str_eq(stom_lua_strategy_def(s)->name, "sma_cross_ko");
    ck_assert_uint_eq(stom_lua_strategy_def(s)->n_params, 2);
    stom_lua_strategy_destroy(s);
    ck_assert_int_eq(stom_lua_strategy_load_file(&s, "no/such/file.lua", NULL, &eb), STOM_EIO);
    ck_assert_ptr_nonnull(strstr(eb.msg, "cannot read no/such/file.lua"));
    static const char bom[] = "\xEF\xBB\xBF"
                              "function on_bar() end\n";
    ck_assert_msg(load(bom, &s, &eb) == 0, "%s", eb.msg);
    stom_lua_strategy_destroy(s);
    stom_lua_strategy_destroy(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lua_params");
    TCase *tc = tcase_create("lua_params");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_schema_becomes_param_specs_in_file_order);
    tcase_add_test(tc, values_reach_the_strategy_by_name_and_are_checked);
    tcase_add_test(tc, refused_files_name_the_file_and_line);
    tcase_add_test(tc, too_many_parameters_and_too_much_code_are_refused);
    tcase_add_test(tc, a_file_is_read_named_and_may_start_with_a_byte_order_mark);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
