/*
 * test_bar_builder.c - live bars from trades: OHLCV, completion by a later
 * trade or by the clock, late trades, KST day alignment, several symbols,
 * consistency between timeframes, and refused input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bar_builder.h"
#include "test_support.h"

#define NS    1000000000LL
#define KST_S (9 * 3600)
/* 2024-01-02 09:00:00 KST in UTC seconds. */
#define OPEN_S 1704153600LL

typedef struct got {
    eng_bar bars[4096];
    size_t n;
} got;

static void collect(void *arg, const eng_bar *bar)
{
    got *g = arg;
    ck_assert_uint_lt(g->n, sizeof g->bars / sizeof g->bars[0]);
    g->bars[g->n++] = *bar;
}

static bar_builder *builder(int64_t tf, int symbols, got *g)
{
    bar_builder *b = NULL;
    stom_errbuf eb = {{0}};
    memset(g, 0, sizeof *g);
    ck_assert_msg(bar_builder_create(&b, tf, symbols, collect, g, &eb) == STOM_OK, "%s", eb.msg);
    return b;
}

static void trade(bar_builder *b, int symbol, int64_t s, int64_t price, int64_t qty)
{
    stom_errbuf eb = {{0}};
    ck_assert_msg(bar_builder_trade(b, symbol, s * NS, price, qty, &eb) == STOM_OK, "%s", eb.msg);
}

static void expect_bar(const eng_bar *bar, int64_t start, int64_t o, int64_t h, int64_t l,
                       int64_t c, int64_t v)
{
    ck_assert_int_eq(bar->start_s, start);
    ck_assert_int_eq(bar->open, o);
    ck_assert_int_eq(bar->high, h);
    ck_assert_int_eq(bar->low, l);
    ck_assert_int_eq(bar->close, c);
    ck_assert_int_eq(bar->volume, v);
}

START_TEST(a_minute_of_trades_is_one_bar_completed_by_the_next_minute)
{
    static got g;
    bar_builder *b = builder(60, 1, &g);
    trade(b, 0, OPEN_S + 1, 70000, 10);
    trade(b, 0, OPEN_S + 20, 70300, 5);
    trade(b, 0, OPEN_S + 30, 69900, 7);
    trade(b, 0, OPEN_S + 59, 70100, 1);
    ck_assert_uint_eq(g.n, 0);
    trade(b, 0, OPEN_S + 60, 70200, 2);
    ck_assert_uint_eq(g.n, 1);
    expect_bar(&g.bars[0], OPEN_S, 70000, 70300, 69900, 70100, 23);
    ck_assert_uint_eq(g.bars[0].trades, 4);
    /* 09:02 and 09:03 have no trades: no bars; the clock completes 09:01 at 09:02:00. */
    bar_builder_advance(b, (OPEN_S + 119) * NS);
    ck_assert_uint_eq(g.n, 1);
    bar_builder_advance(b, (OPEN_S + 120) * NS);
    ck_assert_uint_eq(g.n, 2);
    expect_bar(&g.bars[1], OPEN_S + 60, 70200, 70200, 70200, 70200, 2);
    bar_builder_advance(b, (OPEN_S + 300) * NS);
    ck_assert_uint_eq(g.n, 2);
    bar_builder_destroy(b);
}
END_TEST

START_TEST(a_trade_for_a_completed_bar_is_late_and_counted)
{
    static got g;
    bar_builder *b = builder(60, 1, &g);
    trade(b, 0, OPEN_S + 5, 100, 1);
    trade(b, 0, OPEN_S + 65, 101, 1); /* completes 09:00 */
    trade(b, 0, OPEN_S + 50, 999, 1); /* late for 09:00 */
    ck_assert_uint_eq(bar_builder_late(b), 1);
    bar_builder_advance(b, (OPEN_S + 120) * NS);
    ck_assert_uint_eq(g.n, 2);
    expect_bar(&g.bars[0], OPEN_S, 100, 100, 100, 100, 1);
    expect_bar(&g.bars[1], OPEN_S + 60, 101, 101, 101, 101, 1);
    bar_builder_destroy(b);
}
END_TEST

START_TEST(a_day_bar_is_a_kst_calendar_day)
{
    static got g;
    bar_builder *b = builder(86400, 1, &g);
    int64_t kst_midnight = OPEN_S - 9 * 3600 + 86400; /* 2024-01-03 00:00 KST */
    trade(b, 0, kst_midnight - 60, 50, 1);            /* 23:59 KST on the 2nd */
    trade(b, 0, kst_midnight + 60, 60, 1);            /* 00:01 KST on the 3rd */
    ck_assert_uint_eq(g.n, 1);
    ck_assert_int_eq(g.bars[0].start_s, kst_midnight - 86400);
    ck_assert_int_eq((g.bars[0].start_s + KST_S) % 86400, 0);
    bar_builder_destroy(b);
}
END_TEST

START_TEST(symbols_do_not_interfere)
{
    static got g;
    bar_builder *b = builder(60, 3, &g);
    trade(b, 0, OPEN_S + 1, 10, 1);
    trade(b, 2, OPEN_S + 2, 30, 3);
    trade(b, 2, OPEN_S + 61, 31, 1); /* completes symbol 2 only */
    ck_assert_uint_eq(g.n, 1);
    ck_assert_int_eq(g.bars[0].symbol, 2);
    bar_builder_advance(b, (OPEN_S + 60) * NS); /* symbol 0's minute has ended */
    ck_assert_uint_eq(g.n, 2);
    ck_assert_int_eq(g.bars[1].symbol, 0);
    expect_bar(&g.bars[1], OPEN_S, 10, 10, 10, 10, 1);
    bar_builder_destroy(b);
}
END_TEST

/* Five-minute bars equal five-minute aggregates of the one-minute bars of the same trades. */
START_TEST(five_minute_bars_agree_with_one_minute_bars)
{
    static got one, five;
    bar_builder *b1 = builder(60, 1, &one), *b5 = builder(300, 1, &five);
    srand(11);
    int64_t t = OPEN_S, price = 50000;
    for (int i = 0; i < 3000; i++) {
        t += rand() % 7;
        price += (rand() % 5 - 2) * 50;
        int64_t qty = 1 + rand() % 20;
        trade(b1, 0, t, price, qty);
        trade(b5, 0, t, price, qty);
    }
    bar_builder_advance(b1, (t + 600) * NS);
    bar_builder_advance(b5, (t + 600) * NS);
    size_t k = 0;
    for (size_t i = 0; i < five.n; i++) {
        const eng_bar *f = &five.bars[i];
        eng_bar agg = {0};
        bool first = true;
        for (; k < one.n && one.bars[k].start_s < f->start_s + 300; k++) {
            const eng_bar *m = &one.bars[k];
            ck_assert_int_ge(m->start_s, f->start_s);
            if (first)
                agg = *m;
            agg.high = m->high > agg.high ? m->high : agg.high;
            agg.low = m->low < agg.low ? m->low : agg.low;
            agg.close = m->close;
            if (!first)
                agg.volume += m->volume;
            first = false;
        }
        expect_bar(f, f->start_s, agg.open, agg.high, agg.low, agg.close, agg.volume);
    }
    ck_assert_uint_eq(k, one.n);
    ck_assert_uint_gt(five.n, 10);
    bar_builder_destroy(b1);
    bar_builder_destroy(b5);
}
END_TEST

START_TEST(bad_input_is_refused_by_name)
{
    static got g;
    bar_builder *b = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(bar_builder_create(&b, 7, 1, collect, &g, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "timeframe 7"));
    ck_assert_int_eq(bar_builder_create(&b, 60, 0, collect, &g, &eb), STOM_EINVAL);
    b = builder(60, 2, &g);
    ck_assert_int_eq(bar_builder_trade(b, 2, OPEN_S * NS, 100, 1, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "symbol 2"));
    ck_assert_int_eq(bar_builder_trade(b, 0, OPEN_S * NS, 0, 1, &eb), STOM_EINVAL);
    ck_assert_int_eq(bar_builder_trade(b, 0, OPEN_S * NS, 100, -1, &eb), STOM_EINVAL);
    bar_builder_advance(b, (OPEN_S + 3600) * NS);
    ck_assert_uint_eq(g.n, 0); /* nothing was taken */
    bar_builder_destroy(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bar_builder");
    TCase *tc = tcase_create("bars");
    tcase_add_test(tc, a_minute_of_trades_is_one_bar_completed_by_the_next_minute);
    tcase_add_test(tc, a_trade_for_a_completed_bar_is_late_and_counted);
    tcase_add_test(tc, a_day_bar_is_a_kst_calendar_day);
    tcase_add_test(tc, symbols_do_not_interfere);
    tcase_add_test(tc, five_minute_bars_agree_with_one_minute_bars);
    tcase_add_test(tc, bad_input_is_refused_by_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
