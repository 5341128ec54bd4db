/*
 * test_sim_replay.c - stored bars as trades: a bar builder fed the trades
 * of each bar rebuilds the bar exactly (open, high, low, close, volume) for
 * minute and daily bars, flat bars and bars with little volume; the trades
 * lie inside the bar's interval (a daily bar's in its continuous session)
 * and open with the bar's open.
 */
#include <stdio.h>
#include <string.h>

#include "bar_builder.h"
#include "sim_replay.h"
#include "test_proc.h"
#include "test_support.h"

#define NS 1000000000LL

typedef struct built {
    eng_bar bars[1024];
    size_t n;
} built;

static void sink(void *arg, const eng_bar *bar)
{
    built *b = arg;
    ck_assert_uint_lt(b->n, 1024);
    b->bars[b->n++] = *bar;
}

/* Feeds every bar of b as trades to a builder of timeframe_s and checks each rebuilt bar. */
static void rebuilds(const stom_bars *b, int64_t timeframe_s)
{
    static built out;
    memset(&out, 0, sizeof out);
    bar_builder *bb = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(bar_builder_create(&bb, timeframe_s, 1, sink, &out, &eb), STOM_OK);
    size_t replayed = 0;
    for (size_t k = 0; k < b->len; k++) {
        sim_replay_trade t[SIM_REPLAY_POINTS];
        size_t n = sim_replay_bar_trades(b, k, timeframe_s, t);
        ck_assert_uint_ge(n, b->volume[k] > 0 ? 1 : 0);
        for (size_t i = 0; i < n; i++) {
            int64_t start = timeframe_s < 86400 ? b->ts[k] : b->ts[k] + 9 * 3600;
            int64_t len = timeframe_s < 86400 ? timeframe_s : 6 * 3600 + 20 * 60;
            ck_assert_int_ge(t[i].ts_ns, start * NS);
            ck_assert_int_lt(t[i].ts_ns, (start + len) * NS);
            ck_assert(t[i].opens_bar == (i == 0));
            ck_assert_int_eq(bar_builder_trade(bb, 0, t[i].ts_ns, t[i].price, t[i].qty, &eb),
                             STOM_OK);
        }
        replayed += n > 0;
    }
    bar_builder_advance(bb, (b->ts[b->len - 1] + 2 * 86400) * NS);
    ck_assert_uint_eq(out.n, replayed);
    for (size_t k = 0, j = 0; k < b->len; k++) {
        if (b->volume[k] == 0)
            continue;
        const eng_bar *r = &out.bars[j++];
        ck_assert_int_eq(r->start_s, b->ts[k]);
        ck_assert_int_eq(r->open, b->open[k]);
        ck_assert_int_eq(r->high, b->high[k]);
        ck_assert_int_eq(r->low, b->low[k]);
        ck_assert_int_eq(r->close, b->close[k]);
        ck_assert_int_eq(r->volume, b->volume[k]);
    }
    ck_assert_uint_eq(bar_builder_late(bb), 0);
    bar_builder_destroy(bb);
}

START_TEST(minute_bars_are_rebuilt_exactly_from_their_trades)
{
    stom_bars b;
    tp_synthetic_bars(&b, "005930", 2, 7);
    rebuilds(&b, 60);
    stom_bars_free(&b);
}
END_TEST

START_TEST(flat_bars_and_bars_with_little_volume_are_rebuilt_exactly)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars b;
    stom_bars_init(&b, &inst);
    int64_t t0 = stom_midnight_utc(20240102, STOM_KST_OFFSET_MINUTES) + 9 * 3600;
    stom_bars_push(&b, t0, 70000, 70000, 70000, 70000, 1);      /* one trade */
    stom_bars_push(&b, t0 + 60, 70000, 70100, 70000, 70100, 2); /* open = low, close = high */
    stom_bars_push(&b, t0 + 120, 70100, 70300, 69900, 70000, 4);
    stom_bars_push(&b, t0 + 180, 70000, 70000, 70000, 70000, 0); /* nothing traded: no bar */
    stom_bars_push(&b, t0 + 240, 70000, 70200, 69800, 70100, 1000003);
    rebuilds(&b, 60);
    stom_bars_free(&b);
}
END_TEST

START_TEST(daily_bars_trade_in_their_day_s_session_and_are_rebuilt_exactly)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars b;
    stom_bars_init(&b, &inst);
    int64_t day = stom_midnight_utc(20240102, STOM_KST_OFFSET_MINUTES);
    stom_bars_push(&b, day, 70000, 71000, 69000, 69500, 1234567);
    stom_bars_push(&b, day + 86400, 69500, 70500, 69400, 70400, 7654321);
    rebuilds(&b, 86400);
    sim_replay_trade t[SIM_REPLAY_POINTS];
    ck_assert_uint_eq(sim_replay_bar_trades(&b, 0, 86400, t), 4);
    ck_assert_int_eq(t[0].ts_ns, (day + 9 * 3600) * NS); /* 09:00 KST */
    stom_bars_free(&b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_replay");
    TCase *tc = tcase_create("bars_as_trades");
    tcase_add_test(tc, minute_bars_are_rebuilt_exactly_from_their_trades);
    tcase_add_test(tc, flat_bars_and_bars_with_little_volume_are_rebuilt_exactly);
    tcase_add_test(tc, daily_bars_trade_in_their_day_s_session_and_are_rebuilt_exactly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
