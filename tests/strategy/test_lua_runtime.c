/*
 * test_lua_runtime.c - Lua strategies run like the C built-ins: the same
 * trades as the built-in sma_cross to the won (hand-checked data, real KRX
 * data, generated minute bars, shorts, close fills, two symbols), Korean
 * and English names give the same results, every vocabulary name is bound,
 * indicators are the C indicators, and running ahead of the engine sees
 * exactly what running bar by bar sees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/backtest.h"
#include "stom/indicators.h"
#include "stom/krx.h"
#include "stom/lua_strategy.h"
#include "stom/timeutil.h"
#include "stom/vocabulary.h"
#include "test_support.h"

static void load_csv(const char *path, stom_bars *b)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "TEST01", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bars_load_csv(b, path, &opt, NULL, &eb) == 0, "%s: %s", path, eb.msg);
}

static void load_fixture(const char *rel, stom_bars *b)
{
    char path[512];
    stom_test_fixture_path(rel, path, sizeof path);
    load_csv(path, b);
}

/* n one-minute bars of a seeded random walk on the KRX tick grid (as bench/). */
static void make_bars(stom_bars *b, size_t n, uint64_t seed)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "GEN", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    stom_bars_reserve(b, n);
    int32_t date = 20240102;
    int minute = 0;
    int64_t price = 50000;
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        int64_t ts = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + 9 * 3600 + minute * 60;
        int64_t tick = stom_krx_tick_size(price, STOM_BOARD_KOSPI, date);
        int64_t open = price, close = price + ((int64_t)(seed % 7) - 3) * tick;
        close = close < 1000 ? 1000 : close;
        int64_t high = (open > close ? open : close) + tick;
        int64_t low = (open < close ? open : close) - tick;
        stom_bars_push(b, ts, open, high, low, close, 1000 + (int64_t)(seed % 5000));
        price = close;
        if (++minute == 381) {
            minute = 0;
            date = stom_date_from_days(stom_days_of_date(date) + 1);
        }
    }
}

static stom_lua_strategy *load_lua_file(const char *rel)
{
    char path[512];
    stom_test_fixture_path(rel, path, sizeof path);
    stom_lua_strategy *s = NULL;
    stom_errbuf eb = {{0}};
    int rc = stom_lua_strategy_load_file(&s, path, NULL, &eb);
    ck_assert_msg(rc == 0, "load %s: %s", rel, eb.msg);
    return s;
}

static stom_lua_strategy *load_lua(const char *code)
{
    stom_lua_strategy *s = NULL;
    stom_errbuf eb = {{0}};
    int rc = stom_lua_strategy_load(&s, "t.lua", code, strlen(code), NULL, &eb);
    ck_assert_msg(rc == 0, "load: %s", eb.msg);
    return s;
}

/* Runs def with fast/slow (its first two parameters, when it has them). */
static int run(const stom_strategy_def *def, int fast, int slow, const stom_bars *b, size_t n,
               const stom_backtest_config *cfg, stom_backtest_result *res, stom_errbuf *eb)
{
    stom_params p;
    stom_params_default(def, &p);
    if (def->n_params >= 2 && fast > 0) {
        p.v[0] = fast;
        p.v[1] = slow;
    }
    return stom_backtest_run(def, &p, b, n, cfg, res, eb);
}

static void assert_same_run(const stom_backtest_result *a, const stom_backtest_result *b)
{
    ck_assert_uint_eq(a->n_trades, b->n_trades);
    for (size_t k = 0; k < a->n_trades; k++) {
        ck_assert_int_eq(a->trades[k].entry_ts, b->trades[k].entry_ts);
        ck_assert_int_eq(a->trades[k].exit_ts, b->trades[k].exit_ts);
        ck_assert_int_eq(a->trades[k].qty, b->trades[k].qty);
        ck_assert_int_eq(a->trades[k].pnl, b->trades[k].pnl);
    }
    ck_assert_int_eq(memcmp(a->trades, b->trades, a->n_trades * sizeof *a->trades), 0);
    ck_assert_uint_eq(a->n, b->n);
    ck_assert_int_eq(memcmp(a->equity, b->equity, a->n * sizeof *a->equity), 0);
    ck_assert_int_eq(a->metrics.final_equity, b->metrics.final_equity);
}

/* The Lua file and the C built-in sma_cross make exactly the same run. */
static void assert_same_as_c(const char *lua_rel, const stom_bars *b, size_t n, int fast, int slow,
                             const stom_backtest_config *cfg, size_t min_trades)
{
    stom_lua_strategy *s = load_lua_file(lua_rel);
    stom_backtest_result lua_res, c_res;
    stom_errbuf eb = {{0}};
    ck_assert_msg(run(stom_lua_strategy_def(s), fast, slow, b, n, cfg, &lua_res, &eb) == 0, "%s",
                  eb.msg);
    ck_assert_msg(run(stom_strategy_find("sma_cross"), fast, slow, b, n, cfg, &c_res, &eb) == 0,
                  "%s", eb.msg);
    ck_assert_uint_ge(c_res.n_trades, min_trades);
    assert_same_run(&lua_res, &c_res);
    stom_backtest_result_free(&lua_res);
    stom_backtest_result_free(&c_res);
    stom_lua_strategy_destroy(s);
}

START_TEST(lua_sma_cross_makes_the_hand_checked_trades_to_the_won)
{
    stom_bars b;
    load_fixture("backtest/hand_checked.csv", &b);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    cfg.initial_cash = 1000000;
    stom_lua_strategy *s = load_lua_file("lua/sma_cross.lua");
    stom_backtest_result res;
    stom_errbuf eb = {{0}};
    ck_assert_msg(run(stom_lua_strategy_def(s), 2, 3, &b, 1, &cfg, &res, &eb) == 0, "%s", eb.msg);
    /* The figures of tests/strategy/test_backtest.c, worked out by hand. */
    ck_assert_uint_eq(res.n_trades, 2);
    ck_assert_int_eq(res.trades[0].qty, 97);
    ck_assert_int_eq(res.trades[0].pnl, -11768);
    ck_assert_int_eq(res.trades[1].qty, 95);
    ck_assert_int_eq(res.trades[1].pnl, -2063);
    ck_assert_int_eq(res.metrics.final_equity, 986169);
    stom_backtest_result_free(&res);
    stom_lua_strategy_destroy(s);
    assert_same_as_c("lua/sma_cross.lua", &b, 1, 2, 3, &cfg, 2);
    assert_same_as_c("lua/sma_cross_ko.lua", &b, 1, 2, 3, &cfg, 2);
    stom_bars_free(&b);
}
END_TEST

static void check_real(const char *rel, int fast, int slow)
{
    char path[512];
    if (!stom_test_shared_path(rel, path, sizeof path)) {
        printf("skipped: %s is not present (../shared/data absent)\n", rel);
        return;
    }
    stom_bars b;
    load_csv(path, &b);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    assert_same_as_c("lua/sma_cross.lua", &b, 1, fast, slow, &cfg, 4);
    assert_same_as_c("lua/sma_cross_ko.lua", &b, 1, fast, slow, &cfg, 4);
    cfg.allow_short = true; /* sell() reverses into a short, as the built-in does */
    assert_same_as_c("lua/sma_cross.lua", &b, 1, fast, slow, &cfg, 8);
    cfg.exchange.fill = STOM_FILL_CLOSE;
    assert_same_as_c("lua/sma_cross.lua", &b, 1, fast, slow, &cfg, 8);
    stom_bars_free(&b);
}

START_TEST(lua_sma_cross_matches_the_c_built_in_on_real_samsung_data)
{
    check_real("krx-daily/invest_kr_pykrx/005930.csv", 5, 20);
}
END_TEST

START_TEST(lua_sma_cross_matches_the_c_built_in_on_real_sk_hynix_data)
{
    check_real("krx-daily/invest_kr_pykrx/000660.csv", 10, 30);
}
END_TEST

START_TEST(lua_sma_cross_matches_the_c_built_in_on_generated_minute_bars)
{
    stom_bars b;
    make_bars(&b, 60000, 0x9E3779B97F4A7C15ull);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    assert_same_as_c("lua/sma_cross.lua", &b, 1, 10, 30, &cfg, 100);
    assert_same_as_c("lua/sma_cross.lua", &b, 1, 3, 7, &cfg, 100);
    cfg.allow_short = true;
    cfg.exchange.sizing.kind = STOM_SIZE_PCT;
    cfg.exchange.sizing.value = 5000;
    assert_same_as_c("lua/sma_cross_ko.lua", &b, 1, 20, 60, &cfg, 50);
    stom_bars_free(&b);
}
END_TEST

START_TEST(two_symbols_share_the_account_as_with_the_built_in)
{
    stom_bars b[2];
    make_bars(&b[0], 5000, 11);
    make_bars(&b[1], 5000, 12345);
    snprintf(b[1].inst.symbol, sizeof b[1].inst.symbol, "GEN2");
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    cfg.exchange.sizing.kind = STOM_SIZE_PCT;
    cfg.exchange.sizing.value = 4000;
    assert_same_as_c("lua/sma_cross.lua", b, 2, 5, 15, &cfg, 40);
    stom_bars_free(&b[0]);
    stom_bars_free(&b[1]);
}
END_TEST

/* Runs code (a def taking no fast/slow) and returns the result; fails the test on an error. */
static void run_code(const char *code, const stom_bars *b, const stom_backtest_config *cfg,
                     stom_backtest_result *res)
{
    stom_lua_strategy *s = load_lua(code);
    stom_errbuf eb = {{0}};
    int rc = run(stom_lua_strategy_def(s), 0, 0, b, 1, cfg, res, &eb);
    ck_assert_msg(rc == 0, "run: %s", eb.msg);
    stom_lua_strategy_destroy(s);
}

START_TEST(korean_and_english_names_give_the_same_results)
{
    stom_bars b;
    make_bars(&b, 20000, 777);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result en, ko;
    stom_lua_strategy *s_en = load_lua_file("lua/position_en.lua");
    stom_lua_strategy *s_ko = load_lua_file("lua/position_ko.lua");
    stom_errbuf eb = {{0}};
    ck_assert_msg(run(stom_lua_strategy_def(s_en), 0, 0, &b, 1, &cfg, &en, &eb) == 0, "%s", eb.msg);
    ck_assert_msg(run(stom_lua_strategy_def(s_ko), 0, 0, &b, 1, &cfg, &ko, &eb) == 0, "%s", eb.msg);
    ck_assert_uint_gt(en.n_trades, 20);
    assert_same_run(&en, &ko);
    stom_backtest_result_free(&en);
    stom_backtest_result_free(&ko);
    stom_lua_strategy_destroy(s_en);
    stom_lua_strategy_destroy(s_ko);
    stom_bars_free(&b);
}
END_TEST

/* A Lua expression that uses vocabulary entry e under name. */
static void use_of(const stom_vocab_entry *e, const char *name, char *out, size_t len)
{
    switch (e->kind) {
    case STOM_VOCAB_LOOKBACK:
        snprintf(out, len, "%s(1)", name);
        break;
    case STOM_VOCAB_WINDOW:
    case STOM_VOCAB_INDICATOR:
        snprintf(out, len, e->min_args ? "%s(3)" : "%s()", name);
        break;
    case STOM_VOCAB_HELPER:
        snprintf(out, len, "%s(1, 2, 3, 4)", name);
        break;
    default:
        snprintf(out, len, "%s", name);
        break;
    }
}

/* Every name but the actions and snapshot fields, English == Korean on every bar. */
static void append_comparisons(char *code, size_t len)
{
    size_t n = 0, used = strlen(code);
    const stom_vocab_entry *all = stom_vocab_all(&n);
    for (size_t k = 0; k < n; k++) {
        const stom_vocab_entry *e = &all[k];
        if (e->kind == STOM_VOCAB_ACTION || e->needs == STOM_DATA_SNAPSHOT)
            continue;
        char en[64], ko[64];
        use_of(e, e->english, en, sizeof en);
        use_of(e, e->korean ? e->korean : e->english, ko, sizeof ko);
        used +=
            (size_t)snprintf(code + used, len - used, "  same(%s, %s, '%s')\n", en, ko, e->english);
    }
}

START_TEST(every_vocabulary_name_is_bound_in_english_and_korean)
{
    static char code[16384];
    snprintf(code, sizeof code,
             "local function same(a, b, what)\n"
             "  if not (a == b or (a ~= a and b ~= b)) then\n"
             "    error(what .. ': ' .. tostring(a) .. ' ~= ' .. tostring(b))\n"
             "  end\n"
             "end\n"
             "function on_bar()\n"
             "  if bars_seen == 4 then buy() elseif bars_seen == 6 then 청산() end\n"
             "  if bars_seen == 8 then 매수(10, 10000) elseif bars_seen == 10 then sell(5) end\n"
             "  if bars_seen == 11 then 매도() elseif bars_seen == 12 then close_position() end\n");
    append_comparisons(code, sizeof code);
    strncat(code, "end\n", sizeof code - strlen(code) - 1);
    stom_bars b;
    load_fixture("backtest/hand_checked.csv", &b);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    run_code(code, &b, &cfg, &res);
    ck_assert_uint_ge(res.n_trades, 2);
    stom_backtest_result_free(&res);
    stom_bars_free(&b);
}
END_TEST

/* Runs code that raises "v1 v2 ..." at bar `at` and parses the numbers. */
static size_t values_at(const char *exprs, const stom_bars *b, int at, double *out, size_t max)
{
    char code[2048];
    snprintf(code, sizeof code,
             "function on_bar()\n"
             "  if bars_seen == %d then\n"
             "    local v, s = {%s}, ''\n"
             "    for i = 1, #v do s = s .. string.format('%%.17g ', v[i]) end\n"
             "    error('values: ' .. s)\n"
             "  end\n"
             "end\n",
             at + 1, exprs);
    stom_lua_strategy *s = load_lua(code);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(run(stom_lua_strategy_def(s), 0, 0, b, 1, &cfg, &res, &eb), STOM_ESTATE);
    stom_lua_strategy_destroy(s);
    const char *p = strstr(eb.msg, "values: ");
    ck_assert_msg(p != NULL, "%s", eb.msg);
    p += 8;
    size_t n = 0;
    for (char *end; n < max; p = end) {
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[n++] = v;
    }
    return n;
}

START_TEST(indicators_are_the_c_indicators_at_every_look_back)
{
    enum { N = 400, AT = 399 };
    stom_bars b;
    make_bars(&b, N, 4242);
    static double c[N], h[N], l[N], v[N], o1[N], o2[N], o3[N];
    for (size_t i = 0; i < N; i++)
        c[i] = (double)b.close[i], h[i] = (double)b.high[i], l[i] = (double)b.low[i],
        v[i] = (double)b.volume[i];
    double got[16];
    size_t n = values_at("sma(14), sma(14, 3), ema(10), rsi(14), rsi(14, 7), atr(14), "
                         "bb_upper(20), bb_lower(20, 2.5, 1), macd(), macd_signal(12, 26, 9, 2), "
                         "cci(20), mfi(14), willr(14), adx(14), obv(), highest(20, 1)",
                         &b, AT, got, 16);
    ck_assert_uint_eq(n, 16);
    stom_sma_batch(c, N, 14, o1);
    ck_assert_double_eq(got[0], o1[AT]);
    ck_assert_double_eq(got[1], o1[AT - 3]);
    stom_ema_batch(c, N, 10, o1);
    ck_assert_double_eq(got[2], o1[AT]);
    stom_rsi_batch(c, N, 14, o1);
    ck_assert_double_eq(got[3], o1[AT]);
    ck_assert_double_eq(got[4], o1[AT - 7]);
    stom_atr_batch(h, l, c, N, 14, o1);
    ck_assert_double_eq(got[5], o1[AT]);
    stom_bollinger_batch(c, N, 20, 2, o1, NULL, NULL);
    ck_assert_double_eq(got[6], o1[AT]);
    stom_bollinger_batch(c, N, 20, 2.5, NULL, NULL, o1);
    ck_assert_double_eq(got[7], o1[AT - 1]);
    stom_macd_batch(c, N, 12, 26, 9, o1, o2, NULL);
    ck_assert_double_eq(got[8], o1[AT]);
    ck_assert_double_eq(got[9], o2[AT - 2]);
    stom_cci_batch(h, l, c, N, 20, o1);
    ck_assert_double_eq(got[10], o1[AT]);
    stom_mfi_batch(h, l, c, v, N, 14, o1);
    ck_assert_double_eq(got[11], o1[AT]);
    stom_williams_r_batch(h, l, c, N, 14, o1);
    ck_assert_double_eq(got[12], o1[AT]);
    stom_adx_batch(h, l, c, N, 14, o1, o2, o3);
    ck_assert_double_eq(got[13], o1[AT]);
    stom_obv_batch(c, v, N, o1);
    ck_assert_double_eq(got[14], o1[AT]);
    stom_highest_batch(c, N, 20, o1);
    ck_assert_double_eq(got[15], o1[AT - 1]);
    stom_bars_free(&b);
}
END_TEST

START_TEST(fields_and_day_values_are_read_from_the_bars)
{
    enum { AT = 500 }; /* the second session: 381 bars a day */
    stom_bars b;
    make_bars(&b, 800, 99);
    double got[12];
    size_t n = values_at("close, open, high_n(2), volume, day_open, day_high, day_low, "
                         "change_pct, bars_seen, time, tick_size, change_over(10)",
                         &b, AT, got, 12);
    ck_assert_uint_eq(n, 12);
    ck_assert_double_eq(got[0], (double)b.close[AT]);
    ck_assert_double_eq(got[1], (double)b.open[AT]);
    ck_assert_double_eq(got[2], (double)b.high[AT - 2]);
    ck_assert_double_eq(got[3], (double)b.volume[AT]);
    double day_high = 0, day_low = 1e18;
    for (size_t i = 381; i <= AT; i++) {
        day_high = fmax(day_high, (double)b.high[i]);
        day_low = fmin(day_low, (double)b.low[i]);
    }
    ck_assert_double_eq(got[4], (double)b.open[381]);
    ck_assert_double_eq(got[5], day_high);
    ck_assert_double_eq(got[6], day_low);
    double prev = (double)b.close[380];
    ck_assert_double_eq_tol(got[7], ((double)b.close[AT] - prev) / prev * 100, 1e-12);
    ck_assert_double_eq(got[8], AT + 1);
    int minute = AT - 381; /* the session opens at 09:00 */
    ck_assert_double_eq(got[9], (9 + minute / 60) * 10000 + minute % 60 * 100);
    ck_assert_double_eq(got[10],
                        (double)stom_krx_tick_size(b.close[AT], STOM_BOARD_KOSPI, 20240103));
    double c0 = (double)b.close[AT - 10];
    ck_assert_double_eq_tol(got[11], ((double)b.close[AT] - c0) / c0 * 100, 1e-12);
    stom_bars_free(&b);
}
END_TEST

/* sma_cross that reads the account on every bar, so it waits for the engine each time. */
static const char lockstep[] =
    "params = {fast = {type = 'int', default = 10, min = 1, max = 100},\n"
    "          slow = {type = 'int', default = 30, min = 2, max = 300}}\n"
    "function on_bar()\n"
    "  if equity <= 0 or cash < 0 then error('no money') end\n"
    "  local f, s = sma(params.fast), sma(params.slow)\n"
    "  local fp, sp = sma(params.fast, 1), sma(params.slow, 1)\n"
    "  if crossover(f, s, fp, sp) then buy() elseif crossunder(f, s, fp, sp) then sell() end\n"
    "end\n";

static void assert_lockstep_same_as_c(const stom_bars *b, size_t n, const stom_backtest_config *cfg)
{
    stom_lua_strategy *s = load_lua(lockstep);
    stom_backtest_result slow_res, c_res;
    stom_errbuf eb = {{0}};
    ck_assert_msg(run(stom_lua_strategy_def(s), 10, 30, b, n, cfg, &slow_res, &eb) == 0, "%s",
                  eb.msg);
    ck_assert(run(stom_strategy_find("sma_cross"), 10, 30, b, n, cfg, &c_res, &eb) == 0);
    ck_assert_uint_gt(c_res.n_trades, 10);
    assert_same_run(&slow_res, &c_res);
    stom_backtest_result_free(&slow_res);
    stom_backtest_result_free(&c_res);
    stom_lua_strategy_destroy(s);
}

START_TEST(running_ahead_sees_what_a_bar_by_bar_run_sees)
{
    stom_bars b[2];
    make_bars(&b[0], 20000, 31337);
    make_bars(&b[1], 20000, 4711);
    snprintf(b[1].inst.symbol, sizeof b[1].inst.symbol, "GEN2");
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    assert_lockstep_same_as_c(b, 1, &cfg);
    cfg.exchange.sizing.kind = STOM_SIZE_PCT; /* two symbols: the account is shared */
    cfg.exchange.sizing.value = 4000;
    assert_lockstep_same_as_c(b, 2, &cfg);
    stom_bars_free(&b[0]);
    stom_bars_free(&b[1]);
}
END_TEST

START_TEST(on_fill_sees_each_fill_and_can_place_orders)
{
    /* Buys every 40 bars; on the buy fill rests a limit sell 1% up; counts fills. */
    static const char code[] =
        "fills = 0\n"
        "function on_bar()\n"
        "  if position_qty == 0 and bars_seen % 40 == 0 then buy(10) end\n"
        "  if bars_seen == 3000 and fills < 4 then error('only ' .. fills .. ' fills') end\n"
        "end\n"
        "function on_fill(f)\n"
        "  fills = fills + 1\n"
        "  if f.qty <= 0 or f.price <= 0 or f.time <= 0 then error('bad fill') end\n"
        "  if f.side == 'buy' then sell(f.qty, f.price * 1.01) end\n"
        "end\n";
    stom_bars b;
    make_bars(&b, 3000, 2024);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    stom_backtest_result res;
    run_code(code, &b, &cfg, &res);
    ck_assert_uint_gt(res.n_trades, 2);
    for (size_t k = 0; k + 1 < res.n_trades; k++) {
        ck_assert_int_eq(res.trades[k].qty, 10);
        ck_assert_int_ge(res.trades[k].exit_price * 100, res.trades[k].entry_price * 101 - 100);
    }
    stom_backtest_result_free(&res);
    stom_bars_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lua_runtime");
    TCase *tc = tcase_create("lua_runtime");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, lua_sma_cross_makes_the_hand_checked_trades_to_the_won);
    tcase_add_test(tc, lua_sma_cross_matches_the_c_built_in_on_real_samsung_data);
    tcase_add_test(tc, lua_sma_cross_matches_the_c_built_in_on_real_sk_hynix_data);
    tcase_add_test(tc, lua_sma_cross_matches_the_c_built_in_on_generated_minute_bars);
    tcase_add_test(tc, two_symbols_share_the_account_as_with_the_built_in);
    tcase_add_test(tc, korean_and_english_names_give_the_same_results);
    tcase_add_test(tc, every_vocabulary_name_is_bound_in_english_and_korean);
    tcase_add_test(tc, indicators_are_the_c_indicators_at_every_look_back);
    tcase_add_test(tc, fields_and_day_values_are_read_from_the_bars);
    tcase_add_test(tc, running_ahead_sees_what_a_bar_by_bar_run_sees);
    tcase_add_test(tc, on_fill_sees_each_fill_and_can_place_orders);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
