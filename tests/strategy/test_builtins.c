/*
 * test_builtins.c - the built-in strategies, driven through their real
 * init/on_bar/on_fill by a small recording runner.
 *
 * The runner is a miniature exchange: the strategy's orders go into a book
 * and into a log ("5:buy 7:exit"), and at the open of the next bar market
 * orders fill at the open and buy stops at max(open, stop) when the high
 * reaches the stop. Sized orders (qty 0) buy or sell SIZED_QTY units. That
 * is the default next-open fill model, so the logs below show on which bar
 * each signal is taken, and positions evolve as in a backtest. End-to-end
 * runs through the real exchange belong to the backtest tests.
 *
 * Log words: buy / sell = market entry, "(rev)" when it closes an opposite
 * position first; exit = market exit_only order; stop+N = buy stop at next
 * open + N; cancel = pending orders cancelled. Fills: "2:+10@113".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/strategy.h"
#include "test_support.h"

#define SIZED_QTY 10
#define BOOK_MAX  8
#define LOG_MAX   512

typedef struct sim {
    stom_bars bars;
    stom_strategy_ctx ctx;
    const stom_strategy_def *def;
    void *state;
    stom_order book[BOOK_MAX];
    size_t n_book;
    stom_order last_submitted;
    char orders[LOG_MAX];
    char fills[LOG_MAX];
} sim;

static void log_add(char *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_add(char *log, const char *fmt, ...)
{
    size_t used = strlen(log);
    if (used > 0 && used + 1 < LOG_MAX)
        log[used++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(log + used, LOG_MAX - used, fmt, ap);
    va_end(ap);
}

static void describe(const stom_order *o, char *buf, size_t len)
{
    if (o->type == STOM_ORDER_STOP)
        snprintf(buf, len, "stop%+lld", (long long)o->stop_offset);
    else if (o->exit_only)
        snprintf(buf, len, "exit");
    else
        snprintf(buf, len, "%s%s", o->side > 0 ? "buy" : "sell", o->close_first ? "(rev)" : "");
}

static int sim_submit(stom_strategy_ctx *ctx, const stom_order *o)
{
    sim *m = ctx->runner;
    char what[32];
    ck_assert_uint_lt(m->n_book, BOOK_MAX);
    describe(o, what, sizeof what);
    log_add(m->orders, "%zu:%s", ctx->i, what);
    m->book[m->n_book++] = *o;
    m->last_submitted = *o;
    ctx->pending = m->n_book;
    return STOM_OK;
}

static size_t sim_cancel_all(stom_strategy_ctx *ctx)
{
    sim *m = ctx->runner;
    size_t n = m->n_book;
    if (n > 0)
        log_add(m->orders, "%zu:cancel", ctx->i);
    m->n_book = 0;
    ctx->pending = 0;
    return n;
}

static const stom_ctx_ops sim_ops = {sim_submit, sim_cancel_all};

static void sim_init(sim *m, bool allow_short)
{
    stom_instrument inst;
    memset(m, 0, sizeof *m);
    ck_assert_int_eq(stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI), 0);
    stom_bars_init(&m->bars, &inst);
    m->ctx.bars = &m->bars;
    m->ctx.allow_short = allow_short;
    m->ctx.pyramiding = 1;
    m->ctx.ops = &sim_ops;
    m->ctx.runner = m;
}

static void push_bar(sim *m, int64_t open, int64_t high, int64_t low, int64_t close)
{
    int64_t ts = 1700000000 + (int64_t)m->bars.len * 86400;
    stom_bars_push(&m->bars, ts, open, high, low, close, 1000);
}

/* Bars from closes alone: each opens at the previous close. */
static void push_closes(sim *m, const int64_t *closes, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int64_t open = k > 0 ? closes[k - 1] : closes[k];
        int64_t high = open > closes[k] ? open : closes[k];
        int64_t low = open < closes[k] ? open : closes[k];
        push_bar(m, open, high, low, closes[k]);
    }
}

static void book_fill(sim *m, int side, int64_t qty, int64_t price)
{
    int64_t before = m->ctx.position;
    m->ctx.position += side * qty;
    if (m->ctx.position == 0)
        m->ctx.entries = 0;
    else if (before * side >= 0)
        m->ctx.entries++;
    log_add(m->fills, "%zu:%+lld@%lld", m->ctx.i, (long long)(side * qty), (long long)price);
    stom_fill f = {.side = side, .qty = qty, .price = price, .ts = m->bars.ts[m->ctx.i]};
    if (m->def->on_fill != NULL)
        m->def->on_fill(m->state, &m->ctx, &f);
}

/* Whether o fills at bar i's prices, and at what price. */
static bool fill_price(const sim *m, size_t i, const stom_order *o, int64_t *price)
{
    int64_t open = m->bars.open[i];
    if (o->type == STOM_ORDER_MARKET) {
        *price = open;
        return true;
    }
    ck_assert_int_eq(o->type, STOM_ORDER_STOP);
    ck_assert_int_eq(o->side, +1); /* the built-ins only place buy stops */
    int64_t stop = o->stop_from_open ? open + o->stop_offset : o->stop_price;
    *price = open > stop ? open : stop;
    return m->bars.high[i] >= stop;
}

/* Bar i opens: every pending order that can fill does, in submission order. */
static void sim_open_bar(sim *m, size_t i)
{
    size_t kept = 0;
    m->ctx.i = i;
    for (size_t k = 0; k < m->n_book; k++) {
        stom_order o = m->book[k];
        int64_t price;
        if (!fill_price(m, i, &o, &price)) {
            m->book[kept++] = o;
            continue;
        }
        if (o.close_first && m->ctx.position * o.side < 0)
            book_fill(m, o.side, o.side * -m->ctx.position, price);
        int64_t qty = o.qty > 0 ? o.qty : SIZED_QTY;
        int64_t held = m->ctx.position < 0 ? -m->ctx.position : m->ctx.position;
        if (o.exit_only && qty > held)
            qty = held;
        if (qty > 0)
            book_fill(m, o.side, qty, price);
    }
    m->n_book = kept;
    m->ctx.pending = kept;
}

/* Runs def over the bars with parameters p; init must accept them. */
static void sim_run(sim *m, const stom_strategy_def *def, const stom_params *p)
{
    stom_errbuf eb = {{0}};
    m->def = def;
    m->state = calloc(1, def->state_size);
    ck_assert_ptr_nonnull(m->state);
    int rc = def->init(m->state, p, &eb);
    ck_assert_msg(rc == STOM_OK, "init refused: %s", eb.msg);
    for (size_t i = 0; i < m->bars.len; i++) {
        sim_open_bar(m, i);
        m->ctx.i = i;
        def->on_bar(m->state, &m->ctx);
    }
    if (def->fini != NULL)
        def->fini(m->state);
    free(m->state);
    m->state = NULL;
}

static void sim_free(sim *m)
{
    stom_bars_free(&m->bars);
}

/* The defaults of def with "name=value" assignments applied (NULL-terminated). */
static stom_params params_of(const stom_strategy_def *def, ...)
{
    stom_params p;
    stom_errbuf eb = {{0}};
    stom_params_default(def, &p);
    va_list ap;
    va_start(ap, def);
    for (const char *a = va_arg(ap, const char *); a != NULL; a = va_arg(ap, const char *)) {
        int rc = stom_params_set(def, &p, a, &eb);
        ck_assert_msg(rc == STOM_OK, "%s: %s", a, eb.msg);
    }
    va_end(ap);
    return p;
}

/* Runs def over closes and returns nothing; the logs stay in *m. */
static void run_closes(sim *m, const stom_strategy_def *def, const stom_params *p,
                       const int64_t *closes, size_t n, bool allow_short)
{
    sim_init(m, allow_short);
    push_closes(m, closes, n);
    sim_run(m, def, p);
}

/* init's verdict on p; the message is copied to msg. */
static int init_verdict(const stom_strategy_def *def, const stom_params *p, char *msg, size_t len)
{
    stom_errbuf eb = {{0}};
    void *state = calloc(1, def->state_size);
    ck_assert_ptr_nonnull(state);
    int rc = def->init(state, p, &eb);
    if (def->fini != NULL)
        def->fini(state);
    free(state);
    snprintf(msg, len, "%s", eb.msg);
    return rc;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- every built-in ---- */

START_TEST(every_builtin_is_found_by_name_and_accepts_its_defaults)
{
    const stom_strategy_def *const *all = stom_strategy_builtins();
    size_t count = 0;
    for (; all[count] != NULL; count++) {
        const stom_strategy_def *def = all[count];
        stom_params p;
        char msg[512];
        ck_assert_ptr_eq(stom_strategy_find(def->name), def);
        ck_assert(def->summary != NULL && def->summary[0] != '\0');
        ck_assert(def->init != NULL && def->on_bar != NULL);
        stom_params_default(def, &p);
        ck_assert_msg(init_verdict(def, &p, msg, sizeof msg) == STOM_OK, "%s: %s", def->name, msg);
    }
    ck_assert_uint_eq(count, 5);
}
END_TEST

START_TEST(every_parameter_schema_has_a_default_inside_its_range)
{
    const stom_strategy_def *const *all = stom_strategy_builtins();
    for (size_t k = 0; all[k] != NULL; k++) {
        ck_assert_uint_le(all[k]->n_params, STOM_MAX_PARAMS);
        for (size_t j = 0; j < all[k]->n_params; j++) {
            const stom_param_spec *s = &all[k]->params[j];
            ck_assert_msg(s->min <= s->def && s->def <= s->max, "%s.%s", all[k]->name, s->name);
            ck_assert_msg(s->step > 0 && s->help != NULL, "%s.%s", all[k]->name, s->name);
            if (s->type == STOM_PARAM_INT)
                ck_assert_msg(s->def == (double)(long long)s->def, "%s.%s", all[k]->name, s->name);
        }
    }
}
END_TEST

/* ---- sma_cross (the reference built-in) ---- */

/*
 * fast=2, slow=3. Bar 4: sums 10+13=23 and 10+10+13=33, 23*3 - 33*2 = 3 > 0
 * after 0 on bar 3: crossover. Bar 6: sums 7+7=14 and 13+7+7=27,
 * 14*3 - 27*2 = -12 < 0 after 20*3 - 30*2 = 0 on bar 5: crossunder.
 */
static const int64_t sma_path[] = {10, 10, 10, 10, 13, 7, 7, 7};

START_TEST(sma_cross_buys_the_crossover_and_exits_or_reverses_on_the_crossunder)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p = params_of(def, "fast=2", "slow=3", NULL);
    run_closes(&m, def, &p, sma_path, N(sma_path), false);
    ck_assert_str_eq(m.orders, "4:buy 6:exit");
    sim_free(&m);
    run_closes(&m, def, &p, sma_path, N(sma_path), true);
    ck_assert_str_eq(m.orders, "4:buy 6:sell(rev)");
    ck_assert_str_eq(m.fills, "5:+10@13 7:-10@7 7:-10@7");
    sim_free(&m);
}
END_TEST

/* ---- rsi_reversion ---- */

/*
 * RSI(3), Wilder with TA-Lib seeding: the first averages are the plain means
 * of the first 3 changes, then avg = (avg * 2 + change) / 3.
 *
 * bar close chg  avg gain          avg loss              RSI = 100 g / (g + l)
 *  3    91   -3  0                 (3+3+3)/3 = 3         0      (first value)
 *  4    92   +1  (0*2+1)/3 = 1/3   (3*2+0)/3 = 2         100/7 = 14.29
 *  5    94   +2  (2/3+2)/3 = 8/9   (4+0)/3 = 4/3         40     crosses up 30
 *  6    97   +3  (16/9+3)/3=43/27  (8/3)/3 = 8/9         64.18
 *  7   100   +3  167/81            16/27                 77.67  above 70
 *  8    98   -2  334/243           (32/27+2)/3 = 86/81   56.42  crosses down 70
 *  9    95   -3  668/729           415/243               34.92
 * 10    92   -3  1336/2187         1559/729              22.22  below 30
 * 11    96   +4  11420/6561        3118/2187             54.97  crosses up 30
 */
static const int64_t rsi_path[] = {100, 97, 94, 91, 92, 94, 97, 100, 98, 95, 92, 96};

START_TEST(rsi_reversion_buys_the_cross_up_through_oversold_and_exits_above_overbought)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("rsi_reversion");
    stom_params p = params_of(def, "period=3", "oversold=30", "overbought=70", NULL);
    run_closes(&m, def, &p, rsi_path, N(rsi_path), false);
    /* Bar 8's cross down through 70 would be a short: not without allow_short. */
    ck_assert_str_eq(m.orders, "5:buy 7:exit 11:buy");
    ck_assert_str_eq(m.fills, "6:+10@94 8:-10@100");
    sim_free(&m);
}
END_TEST

START_TEST(rsi_reversion_mirrors_into_shorts_only_when_the_run_allows_them)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("rsi_reversion");
    stom_params p = params_of(def, "period=3", NULL);
    run_closes(&m, def, &p, rsi_path, N(rsi_path), true);
    ck_assert_str_eq(m.orders, "5:buy 7:exit 8:sell 10:exit 11:buy");
    ck_assert_str_eq(m.fills, "6:+10@94 8:-10@100 9:-10@98 11:+10@92");
    sim_free(&m);
}
END_TEST

START_TEST(rsi_reversion_places_no_order_while_rsi_warms_up)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("rsi_reversion");
    stom_params p = params_of(def, "period=3", NULL);
    /* Through bar 4 RSI has at most two values (0, then 14.29): no cross yet. */
    run_closes(&m, def, &p, rsi_path, 5, true);
    ck_assert_str_eq(m.orders, "");
    sim_free(&m);
    /* RSI(14) needs 15 closes; the 12-bar path never has a value. */
    p = params_of(def, "period=14", NULL);
    run_closes(&m, def, &p, rsi_path, N(rsi_path), true);
    ck_assert_str_eq(m.orders, "");
    sim_free(&m);
}
END_TEST

START_TEST(rsi_reversion_refuses_oversold_not_below_overbought)
{
    char msg[512];
    const stom_strategy_def *def = stom_strategy_find("rsi_reversion");
    stom_params p = params_of(def, "oversold=70", "overbought=30", NULL);
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
    ck_assert_str_eq(msg,
                     "rsi_reversion needs oversold < overbought (got oversold=70 overbought=30)");
    p = params_of(def, "oversold=50", "overbought=50", NULL);
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
}
END_TEST

/* ---- bollinger_breakout ---- */

/*
 * period=3, k=1, population deviation.
 *
 * bar close window       mean     sd                  upper    lower
 *  2    98  100 102 98   100      sqrt(8/3)  = 1.633  101.633   98.367
 *  3   104  102 98 104   101.333  sqrt(56/9) = 2.494  103.828   98.839  104 > upper: buy
 *  4   105  98 104 105   102.333  sqrt(86/9) = 3.091  105.424   99.242
 *  5   104  104 105 104  104.333  sqrt(2/9)  = 0.471  104.805  103.862  104 < middle: exit
 *  6   100  105 104 100  103      sqrt(14/3) = 2.160  105.160  100.840  100 < lower, 104 >=
 *                                                                        103.862 before: short
 *  7    99  104 100 99   101      2.160               103.160   98.840
 *  8   100  100 99 100    99.667  0.471               100.138   99.195  100 > middle: cover
 *  9   101  99 100 101   100      sqrt(2/3)  = 0.816  100.816   99.184  101 > upper, 100 <=
 *                                                                        100.138 before: buy
 */
static const int64_t bb_path[] = {100, 102, 98, 104, 105, 104, 100, 99, 100, 101};

START_TEST(bollinger_breakout_buys_above_the_upper_band_and_exits_below_the_middle)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("bollinger_breakout");
    stom_params p = params_of(def, "period=3", "k=1", NULL);
    run_closes(&m, def, &p, bb_path, N(bb_path), false);
    ck_assert_str_eq(m.orders, "3:buy 5:exit 9:buy");
    sim_free(&m);
}
END_TEST

START_TEST(bollinger_breakout_shorts_below_the_lower_band_only_when_allowed)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("bollinger_breakout");
    stom_params p = params_of(def, "period=3", "k=1", NULL);
    run_closes(&m, def, &p, bb_path, N(bb_path), true);
    ck_assert_str_eq(m.orders, "3:buy 5:exit 6:sell 8:exit 9:buy");
    sim_free(&m);
}
END_TEST

/*
 * Bar 5 closes at 103: window 104 105 103, mean 104, sd sqrt(2/3) = 0.816,
 * lower 103.184, and bar 4's close 105 was above its lower band 99.242.
 */
START_TEST(bollinger_breakout_reverses_a_long_when_the_close_breaks_the_lower_band)
{
    sim m;
    static const int64_t path[] = {100, 102, 98, 104, 105, 103};
    const stom_strategy_def *def = stom_strategy_find("bollinger_breakout");
    stom_params p = params_of(def, "period=3", "k=1", NULL);
    run_closes(&m, def, &p, path, N(path), true);
    ck_assert_str_eq(m.orders, "3:buy 5:sell(rev)");
    sim_free(&m);
    run_closes(&m, def, &p, path, N(path), false);
    ck_assert_str_eq(m.orders, "3:buy 5:exit");
    sim_free(&m);
}
END_TEST

/*
 * Bar 2 (110) is far above its band (mean 103.333 + 4.714 = 108.047), but
 * it is the first bar with bands, so there is no previous band to cross.
 */
START_TEST(bollinger_breakout_needs_a_previous_band_before_the_first_cross)
{
    sim m;
    static const int64_t path[] = {100, 100, 110, 111};
    const stom_strategy_def *def = stom_strategy_find("bollinger_breakout");
    stom_params p = params_of(def, "period=3", "k=1", NULL);
    run_closes(&m, def, &p, path, N(path), true);
    ck_assert_str_eq(m.orders, "");
    sim_free(&m);
}
END_TEST

START_TEST(bollinger_breakout_refuses_bands_of_zero_width)
{
    char msg[512];
    const stom_strategy_def *def = stom_strategy_find("bollinger_breakout");
    stom_params p = params_of(def, NULL);
    p.v[1] = 0; /* below the schema's minimum: what a caller skipping stom_params_set gets */
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
    ck_assert_str_eq(msg, "bollinger_breakout needs period >= 2 and k > 0 (got period=20 k=0)");
}
END_TEST

/* ---- volatility_breakout ---- */

/*
 * k=0.5. Each flat bar places a stop at next open + round(0.5 * range):
 *
 * bar  O   H   L   C    range  stop for the next bar    what happens
 *  0  100 110  90 105   20     +10                       -
 *  1  104 112 100 108   12     +6   (after a cancel)     104+10 = 114 > 112: no fill
 *  2  107 120 105 118   -      -                         107+6 = 113 <= 120: bought at 113,
 *                                                        held 1 bar: exit on the close
 *  3  119 125 112 113   13     +7   (6.5 rounds up)      sold at the open 119
 *  4  114 121 110 120   -      -                         114+7 = 121 <= 121: bought at 121
 *  5  122 124 120 121   4      +2                        sold at the open 122
 */
static void push_vb_path(sim *m)
{
    push_bar(m, 100, 110, 90, 105);
    push_bar(m, 104, 112, 100, 108);
    push_bar(m, 107, 120, 105, 118);
    push_bar(m, 119, 125, 112, 113);
    push_bar(m, 114, 121, 110, 120);
    push_bar(m, 122, 124, 120, 121);
}

START_TEST(volatility_breakout_buys_next_open_plus_k_ranges_and_sells_at_the_following_open)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("volatility_breakout");
    stom_params p = params_of(def, "k=0.5", NULL);
    sim_init(&m, false);
    push_vb_path(&m);
    sim_run(&m, def, &p);
    ck_assert_str_eq(m.orders, "0:stop+10 1:cancel 1:stop+6 2:exit 3:stop+7 4:exit 5:stop+2");
    ck_assert_str_eq(m.fills, "2:+10@113 3:-10@119 4:+10@121 5:-10@122");
    sim_free(&m);
}
END_TEST

START_TEST(volatility_breakout_stop_is_sized_by_the_run_and_set_from_the_next_open)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("volatility_breakout");
    stom_params p = params_of(def, NULL);
    sim_init(&m, false);
    push_bar(&m, 100, 110, 90, 105);
    sim_run(&m, def, &p);
    ck_assert_int_eq(m.last_submitted.type, STOM_ORDER_STOP);
    ck_assert_int_eq(m.last_submitted.side, +1);
    ck_assert_int_eq(m.last_submitted.qty, 0);
    ck_assert(m.last_submitted.stop_from_open);
    ck_assert_int_eq(m.last_submitted.stop_offset, 10);
    ck_assert(!m.last_submitted.exit_only && !m.last_submitted.close_first);
    sim_free(&m);
}
END_TEST

/*
 * k=0.35, range 90: 0.35 * 90 = 31.5 on paper, rounds up to 32. In doubles
 * the product is 31.499999999999996 and would round to 31.
 */
START_TEST(volatility_breakout_rounds_k_times_range_as_on_paper)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("volatility_breakout");
    stom_params p = params_of(def, "k=0.35", NULL);
    sim_init(&m, false);
    push_bar(&m, 1000, 1050, 960, 1000);
    sim_run(&m, def, &p);
    ck_assert_str_eq(m.orders, "0:stop+32");
    sim_free(&m);
}
END_TEST

/*
 * hold=2: bought at 113 in bar 2, kept through bar 3's close (exit order),
 * sold at bar 4's open 114. Bar 4 is flat again: range 11, stop +6 (5.5
 * rounds up); bar 5 opens at 122, 128 > 124: no fill, cancelled.
 */
START_TEST(volatility_breakout_holds_for_the_given_number_of_bars)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("volatility_breakout");
    stom_params p = params_of(def, "k=0.5", "hold=2", NULL);
    sim_init(&m, true);
    push_vb_path(&m);
    sim_run(&m, def, &p);
    ck_assert_str_eq(m.orders, "0:stop+10 1:cancel 1:stop+6 3:exit 4:stop+6 5:cancel 5:stop+2");
    ck_assert_str_eq(m.fills, "2:+10@113 4:-10@114");
    sim_free(&m);
}
END_TEST

START_TEST(volatility_breakout_refuses_a_hold_below_one_bar_and_a_non_positive_k)
{
    char msg[512];
    const stom_strategy_def *def = stom_strategy_find("volatility_breakout");
    stom_params p = params_of(def, NULL);
    p.v[1] = 0;
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
    ck_assert_str_eq(msg, "volatility_breakout needs 0 < k <= 100 and hold >= 1 (got k=0.5 "
                          "hold=0)");
    p = params_of(def, NULL);
    p.v[0] = -0.5;
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
}
END_TEST

/* ---- momentum ---- */

/*
 * lookback=3, threshold=5, exit_threshold=0. ROC = 100 (c[i] - c[i-3]) / c[i-3]:
 *
 * bar close  c[i-3]  ROC
 *  3   100   100      0
 *  4   106   100      6     > 5: buy
 *  5   107   100      7     already long
 *  6   108   100      8     already long
 *  7   105   106     -0.94  < 0: exit
 *  8   100   107     -6.54  < -5: short (when allowed)
 *  9    98   108     -9.26  already short
 * 10   101   105     -3.81  still < 0: keep the short
 * 11   101   100      1     > 0: cover
 */
static const int64_t mom_path[] = {100, 100, 100, 100, 106, 107, 108, 105, 100, 98, 101, 101};

START_TEST(momentum_buys_above_the_threshold_and_exits_when_roc_turns_negative)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "lookback=3", "threshold=5", NULL);
    run_closes(&m, def, &p, mom_path, N(mom_path), false);
    ck_assert_str_eq(m.orders, "4:buy 7:exit");
    sim_free(&m);
}
END_TEST

START_TEST(momentum_shorts_below_minus_threshold_only_when_allowed)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "lookback=3", "threshold=5", NULL);
    run_closes(&m, def, &p, mom_path, N(mom_path), true);
    ck_assert_str_eq(m.orders, "4:buy 7:exit 8:sell 11:exit");
    sim_free(&m);
}
END_TEST

START_TEST(momentum_does_not_pyramid_while_roc_stays_above_the_threshold)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "lookback=3", "threshold=5", NULL);
    sim_init(&m, false);
    m.ctx.pyramiding = 3;
    push_closes(&m, mom_path, N(mom_path));
    sim_run(&m, def, &p);
    ck_assert_str_eq(m.orders, "4:buy 7:exit");
    sim_free(&m);
}
END_TEST

/* Bars 1 and 2 rise 10% and 20% on bar 0, but ROC(3) first exists at bar 3 (30%). */
START_TEST(momentum_places_no_order_before_lookback_bars_have_passed)
{
    sim m;
    static const int64_t path[] = {100, 110, 120, 130};
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "lookback=3", "threshold=5", NULL);
    run_closes(&m, def, &p, path, N(path), true);
    ck_assert_str_eq(m.orders, "3:buy");
    sim_free(&m);
}
END_TEST

/* exit_threshold=-2: bar 7's -0.94% is not low enough to leave the long. */
START_TEST(momentum_exits_below_a_chosen_exit_threshold)
{
    sim m;
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "lookback=3", "threshold=5", "exit_threshold=-2", NULL);
    run_closes(&m, def, &p, mom_path, N(mom_path), false);
    ck_assert_str_eq(m.orders, "4:buy 8:exit");
    sim_free(&m);
}
END_TEST

START_TEST(momentum_refuses_an_exit_threshold_not_below_the_threshold)
{
    char msg[512];
    const stom_strategy_def *def = stom_strategy_find("momentum");
    stom_params p = params_of(def, "threshold=5", "exit_threshold=5", NULL);
    ck_assert_int_eq(init_verdict(def, &p, msg, sizeof msg), STOM_EINVAL);
    ck_assert_str_eq(msg, "momentum needs exit_threshold < threshold (got threshold=5 "
                          "exit_threshold=5)");
}
END_TEST

static Suite *builtins_suite(void)
{
    Suite *s = suite_create("strategy_builtins");
    TCase *all = tcase_create("registry");
    tcase_add_test(all, every_builtin_is_found_by_name_and_accepts_its_defaults);
    tcase_add_test(all, every_parameter_schema_has_a_default_inside_its_range);
    tcase_add_test(all, sma_cross_buys_the_crossover_and_exits_or_reverses_on_the_crossunder);
    suite_add_tcase(s, all);

    TCase *rsi = tcase_create("rsi_reversion");
    tcase_add_test(rsi,
                   rsi_reversion_buys_the_cross_up_through_oversold_and_exits_above_overbought);
    tcase_add_test(rsi, rsi_reversion_mirrors_into_shorts_only_when_the_run_allows_them);
    tcase_add_test(rsi, rsi_reversion_places_no_order_while_rsi_warms_up);
    tcase_add_test(rsi, rsi_reversion_refuses_oversold_not_below_overbought);
    suite_add_tcase(s, rsi);

    TCase *bb = tcase_create("bollinger_breakout");
    tcase_add_test(bb, bollinger_breakout_buys_above_the_upper_band_and_exits_below_the_middle);
    tcase_add_test(bb, bollinger_breakout_shorts_below_the_lower_band_only_when_allowed);
    tcase_add_test(bb, bollinger_breakout_reverses_a_long_when_the_close_breaks_the_lower_band);
    tcase_add_test(bb, bollinger_breakout_needs_a_previous_band_before_the_first_cross);
    tcase_add_test(bb, bollinger_breakout_refuses_bands_of_zero_width);
    suite_add_tcase(s, bb);

    TCase *vb = tcase_create("volatility_breakout");
    tcase_add_test(
        vb, volatility_breakout_buys_next_open_plus_k_ranges_and_sells_at_the_following_open);
    tcase_add_test(vb, volatility_breakout_stop_is_sized_by_the_run_and_set_from_the_next_open);
    tcase_add_test(vb, volatility_breakout_rounds_k_times_range_as_on_paper);
    tcase_add_test(vb, volatility_breakout_holds_for_the_given_number_of_bars);
    tcase_add_test(vb, volatility_breakout_refuses_a_hold_below_one_bar_and_a_non_positive_k);
    suite_add_tcase(s, vb);

    TCase *mom = tcase_create("momentum");
    tcase_add_test(mom, momentum_buys_above_the_threshold_and_exits_when_roc_turns_negative);
    tcase_add_test(mom, momentum_shorts_below_minus_threshold_only_when_allowed);
    tcase_add_test(mom, momentum_does_not_pyramid_while_roc_stays_above_the_threshold);
    tcase_add_test(mom, momentum_places_no_order_before_lookback_bars_have_passed);
    tcase_add_test(mom, momentum_exits_below_a_chosen_exit_threshold);
    tcase_add_test(mom, momentum_refuses_an_exit_threshold_not_below_the_threshold);
    suite_add_tcase(s, mom);
    return s;
}

int main(void)
{
    return stom_test_run(builtins_suite());
}
