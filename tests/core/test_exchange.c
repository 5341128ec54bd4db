/*
 * test_exchange.c - the simulated exchange's fill model, sizing and costs.
 *
 * Unless a test says otherwise: one KOSPI stock, trade date 2024-03-05 (tax
 * 0.18%), commission 0.015%, cash 1,000,000 won, no price limits known yet.
 */
#include <string.h>

#include "stom/exchange.h"
#include "stom/krx.h"
#include "stom/timeutil.h"
#include "test_support.h"

#define DAY0 (stom_midnight_utc(20240305, STOM_KST_OFFSET_MINUTES) + 9 * 3600)

static stom_instrument inst;
static stom_exchange *x;
static stom_fill fills[16];
static size_t n_fills;

static void record_fill(void *arg, const stom_fill *f)
{
    (void)arg;
    fills[n_fills++] = *f;
}

static void open_exchange(stom_exchange_config *cfg)
{
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_errbuf eb;
    ck_assert_int_eq(stom_exchange_create(&x, cfg, &inst, 1, 1000000, &eb), 0);
    n_fills = 0;
    stom_exchange_on_fill(x, record_fill, NULL);
}

static void default_config(stom_exchange_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    stom_cost_model_default(&cfg->costs);
    cfg->sizing.kind = STOM_SIZE_ALL_IN;
    cfg->price_limits = true;
    cfg->utc_offset_minutes = STOM_KST_OFFSET_MINUTES;
}

static void setup(void)
{
    stom_exchange_config cfg;
    default_config(&cfg);
    open_exchange(&cfg);
}

static void teardown(void)
{
    stom_exchange_destroy(x);
    x = NULL;
}

static stom_bar bar(int day, int64_t o, int64_t h, int64_t l, int64_t c, int64_t v)
{
    stom_bar b = {DAY0 + day * 86400, o, h, l, c, v};
    return b;
}

/* Opens and closes bar b as the backtest runner does, with no strategy action. */
static void pass(const stom_bar *b)
{
    stom_exchange_open_bar(x, 0, b);
    stom_exchange_close_bar(x, 0, b);
}

static void submit(int side, stom_order_type type, int64_t qty, int64_t limit, int64_t stop)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = side;
    o.type = type;
    o.qty = qty;
    o.limit_price = limit;
    o.stop_price = stop;
    ck_assert_int_eq(stom_exchange_submit(x, &o, NULL), 0);
}

START_TEST(a_market_order_fills_at_the_next_open_with_commission_truncated)
{
    stom_bar b0 = bar(0, 10000, 10100, 9900, 10000, 1000);
    pass(&b0);
    submit(+1, STOM_ORDER_MARKET, 10, 0, 0);
    stom_bar b1 = bar(1, 10050, 10200, 10000, 10100, 1000);
    pass(&b1);
    ck_assert_uint_eq(n_fills, 1);
    /* 10 x 10,050 = 100,500; 0.015% = 15.075 -> 15 won. */
    ck_assert_int_eq(fills[0].price, 10050);
    ck_assert_int_eq(fills[0].value, 100500);
    ck_assert_int_eq(fills[0].fee, 15);
    ck_assert_int_eq(fills[0].tax, 0);
    ck_assert_int_eq(stom_exchange_portfolio(x)->cash, 1000000 - 100515);
}
END_TEST

START_TEST(a_sell_pays_the_dated_sell_tax)
{
    stom_bar b0 = bar(0, 10000, 10100, 9900, 10000, 1000);
    pass(&b0);
    submit(+1, STOM_ORDER_MARKET, 10, 0, 0);
    stom_bar b1 = bar(1, 10000, 10000, 10000, 10000, 1000);
    pass(&b1);
    submit(-1, STOM_ORDER_MARKET, 10, 0, 0);
    stom_bar b2 = bar(2, 11000, 11000, 11000, 11000, 1000);
    pass(&b2);
    ck_assert_uint_eq(n_fills, 2);
    /* 110,000 won sold in 2024: fee 16.5 -> 16, tax 0.18% = 198. */
    ck_assert_int_eq(fills[1].fee, 16);
    ck_assert_int_eq(fills[1].tax, 198);
    const stom_portfolio *p = stom_exchange_portfolio(x);
    ck_assert_uint_eq(p->n_trades, 1);
    /* pnl = 110,000 - 100,000 - (15 + 16) - 198 = 9,771 */
    ck_assert_int_eq(p->trades[0].pnl, 9771);
    ck_assert_int_eq(p->cash, 1000000 + 9771);
}
END_TEST

START_TEST(a_buy_limit_fills_at_the_open_when_the_bar_gaps_below_it)
{
    submit(+1, STOM_ORDER_LIMIT, 1, 10000, 0);
    stom_bar gap = bar(0, 9800, 9900, 9700, 9850, 1000);
    pass(&gap);
    ck_assert_uint_eq(n_fills, 1);
    ck_assert_int_eq(fills[0].price, 9800);
}
END_TEST

START_TEST(a_buy_limit_fills_at_its_price_when_the_low_touches_it)
{
    submit(+1, STOM_ORDER_LIMIT, 1, 10000, 0);
    stom_bar above = bar(0, 10200, 10300, 10050, 10100, 1000);
    pass(&above);
    ck_assert_uint_eq(n_fills, 0);
    stom_bar touch = bar(1, 10200, 10300, 9950, 10100, 1000);
    pass(&touch);
    ck_assert_uint_eq(n_fills, 1);
    ck_assert_int_eq(fills[0].price, 10000);
}
END_TEST

START_TEST(a_buy_stop_fills_at_the_open_on_a_gap_up_and_at_the_stop_otherwise)
{
    submit(+1, STOM_ORDER_STOP, 1, 0, 10500);
    stom_bar gap = bar(0, 10700, 10800, 10600, 10700, 1000);
    pass(&gap);
    ck_assert_int_eq(fills[0].price, 10700);
    submit(-1, STOM_ORDER_STOP, 1, 0, 10300);
    stom_bar through = bar(1, 10600, 10650, 10200, 10250, 1000);
    pass(&through);
    ck_assert_uint_eq(n_fills, 2);
    ck_assert_int_eq(fills[1].price, 10300);
}
END_TEST

START_TEST(a_stop_limit_triggered_inside_a_bar_with_a_lower_limit_waits_a_bar)
{
    /* Stop 10,500, limit 10,400: the bar trades through 10,500 from below. */
    submit(+1, STOM_ORDER_STOP_LIMIT, 1, 10400, 10500);
    stom_bar trig = bar(0, 10300, 10600, 10250, 10550, 1000);
    pass(&trig);
    ck_assert_uint_eq(n_fills, 0);
    ck_assert_uint_eq(stom_exchange_pending(x, 0), 1);
    stom_bar back = bar(1, 10500, 10550, 10350, 10450, 1000);
    pass(&back);
    ck_assert_uint_eq(n_fills, 1);
    ck_assert_int_eq(fills[0].price, 10400);
}
END_TEST

START_TEST(a_stop_from_the_open_sets_its_level_at_the_next_bars_open)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = 1;
    o.type = STOM_ORDER_STOP;
    o.qty = 1;
    o.stop_from_open = true;
    o.stop_offset = 250;
    ck_assert_int_eq(stom_exchange_submit(x, &o, NULL), 0);
    /* Open 10,000 + 250 = 10,250, reached by the high of 10,400. */
    stom_bar b = bar(0, 10000, 10400, 9950, 10300, 1000);
    pass(&b);
    ck_assert_uint_eq(n_fills, 1);
    ck_assert_int_eq(fills[0].price, 10250);
}
END_TEST

START_TEST(slippage_moves_a_market_fill_by_ticks_across_a_tick_band)
{
    stom_exchange_destroy(x);
    stom_exchange_config cfg;
    default_config(&cfg);
    cfg.costs.slippage_mode = STOM_SLIPPAGE_TICKS;
    cfg.costs.slippage_ticks = 2;
    open_exchange(&cfg);
    submit(+1, STOM_ORDER_MARKET, 1, 0, 0);
    /* 19,990 + 1 tick (10) = 20,000, + 1 tick (50) = 20,050. */
    stom_bar b = bar(0, 19990, 20100, 19900, 20000, 1000);
    pass(&b);
    ck_assert_int_eq(fills[0].price, 20050);
}
END_TEST

START_TEST(fills_are_clamped_inside_the_daily_price_limits)
{
    stom_bar b0 = bar(0, 10000, 10000, 10000, 10000, 1000);
    pass(&b0);
    submit(+1, STOM_ORDER_MARKET, 1, 0, 0);
    /* The reference is 10,000, so the upper limit is 13,000; the data says 13,500. */
    stom_bar b1 = bar(1, 13500, 13500, 13000, 13000, 1000);
    pass(&b1);
    ck_assert_int_eq(fills[0].price, 13000);
}
END_TEST

START_TEST(an_off_grid_price_is_snapped_against_the_order)
{
    submit(+1, STOM_ORDER_MARKET, 1, 0, 0);
    stom_bar b = bar(0, 10043, 10100, 10000, 10050, 1000);
    pass(&b);
    ck_assert_int_eq(fills[0].price, 10050);
    submit(-1, STOM_ORDER_MARKET, 1, 0, 0);
    stom_bar c = bar(1, 10047, 10100, 10000, 10050, 1000);
    pass(&c);
    ck_assert_int_eq(fills[1].price, 10040);
}
END_TEST

START_TEST(a_participation_cap_splits_an_order_into_partial_fills)
{
    stom_exchange_destroy(x);
    stom_exchange_config cfg;
    default_config(&cfg);
    cfg.participation_pct = 10;
    open_exchange(&cfg);
    submit(+1, STOM_ORDER_MARKET, 25, 0, 0);
    stom_bar b = bar(0, 10000, 10000, 10000, 10000, 100); /* 10% of 100 = 10 */
    pass(&b);
    pass(&b);
    ck_assert_uint_eq(n_fills, 2);
    ck_assert_int_eq(fills[0].qty, 10);
    ck_assert_uint_eq(stom_exchange_pending(x, 0), 1);
    pass(&b);
    ck_assert_uint_eq(n_fills, 3);
    ck_assert_int_eq(fills[2].qty, 5);
    ck_assert_uint_eq(stom_exchange_pending(x, 0), 0);
    ck_assert_int_eq(stom_exchange_portfolio(x)->pos[0].qty, 25);
}
END_TEST

START_TEST(all_in_sizing_buys_the_most_whole_shares_the_cash_pays_for_with_fees)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = 1;
    ck_assert_int_eq(stom_exchange_submit(x, &o, NULL), 0);
    stom_bar b = bar(0, 10250, 10300, 10200, 10250, 1000);
    pass(&b);
    /* 97 x 10,250 = 994,250 + fee 149 = 994,399 <= 1,000,000; 98 shares cost 1,004,650. */
    ck_assert_int_eq(fills[0].qty, 97);
    ck_assert_int_eq(stom_exchange_portfolio(x)->cash, 5601);
}
END_TEST

START_TEST(a_reversal_closes_the_long_and_opens_a_short_as_two_fills)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = 1;
    o.qty = 10;
    stom_exchange_submit(x, &o, NULL);
    stom_bar b = bar(0, 10000, 10000, 10000, 10000, 1000);
    pass(&b);
    memset(&o, 0, sizeof o);
    o.side = -1;
    o.close_first = true; /* sized: close 10, then short with all the equity */
    stom_exchange_submit(x, &o, NULL);
    pass(&b);
    ck_assert_uint_eq(n_fills, 3);
    ck_assert_int_eq(fills[1].qty, 10);
    ck_assert(fills[2].qty > 90);
    const stom_portfolio *p = stom_exchange_portfolio(x);
    ck_assert_int_eq(p->pos[0].qty, -fills[2].qty);
    ck_assert_uint_eq(p->n_trades, 1);
    ck_assert_int_eq(p->trades[0].side, 1);
}
END_TEST

START_TEST(a_partial_exit_closes_a_trade_with_its_share_of_the_entry_fees)
{
    submit(+1, STOM_ORDER_MARKET, 3, 0, 0);
    stom_bar b = bar(0, 10000, 10000, 10000, 10000, 1000);
    pass(&b); /* 30,000 won, fee 4.5 -> 4 */
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = -1;
    o.qty = 1;
    o.exit_only = true;
    stom_exchange_submit(x, &o, NULL);
    pass(&b);
    const stom_portfolio *p = stom_exchange_portfolio(x);
    ck_assert_uint_eq(p->n_trades, 1);
    ck_assert_int_eq(p->trades[0].qty, 1);
    /* Entry fee share 4 * 1/3 = 1 (truncated); exit fee of 10,000 = 1.5 -> 1; tax 18. */
    ck_assert_int_eq(p->trades[0].fees, 2);
    ck_assert_int_eq(p->trades[0].taxes, 18);
    ck_assert_int_eq(p->pos[0].qty, 2);
    ck_assert_int_eq(p->pos[0].entry_fees, 3);
}
END_TEST

START_TEST(closing_everything_makes_cash_equal_initial_cash_plus_trade_pnl)
{
    submit(+1, STOM_ORDER_MARKET, 7, 0, 0);
    stom_bar b0 = bar(0, 12340, 12400, 12300, 12350, 1000);
    pass(&b0);
    submit(-1, STOM_ORDER_MARKET, 3, 0, 0);
    stom_bar b1 = bar(1, 12560, 12600, 12500, 12550, 1000);
    pass(&b1);
    stom_exchange_finish(x, b1.ts);
    const stom_portfolio *p = stom_exchange_portfolio(x);
    int64_t sum = 0;
    for (size_t k = 0; k < p->n_trades; k++)
        sum += p->trades[k].pnl;
    ck_assert_uint_eq(p->n_trades, 2);
    ck_assert(p->trades[1].open_at_end);
    ck_assert_int_eq(p->cash, 1000000 + sum);
}
END_TEST

START_TEST(a_buy_larger_than_the_cash_is_cut_to_what_the_cash_pays_for)
{
    submit(+1, STOM_ORDER_MARKET, 500, 0, 0);
    stom_bar b = bar(0, 10000, 10000, 10000, 10000, 1000);
    pass(&b);
    /* 99 x 10,000 + fee 148 = 990,148; 100 shares would cost 1,000,150. */
    ck_assert_int_eq(fills[0].qty, 99);
}
END_TEST

START_TEST(close_fill_mode_fills_market_orders_at_the_signal_bars_close)
{
    stom_exchange_destroy(x);
    stom_exchange_config cfg;
    default_config(&cfg);
    cfg.fill = STOM_FILL_CLOSE;
    open_exchange(&cfg);
    stom_bar b = bar(0, 10000, 10200, 9900, 10100, 1000);
    stom_exchange_open_bar(x, 0, &b);
    submit(+1, STOM_ORDER_MARKET, 1, 0, 0);
    stom_exchange_close_bar(x, 0, &b);
    ck_assert_uint_eq(n_fills, 1);
    ck_assert_int_eq(fills[0].price, 10100);
}
END_TEST

START_TEST(bad_orders_and_configurations_are_refused)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = 2;
    ck_assert_int_eq(stom_exchange_submit(x, &o, NULL), STOM_EINVAL);
    o.side = 1;
    o.type = STOM_ORDER_LIMIT; /* no limit price */
    ck_assert_int_eq(stom_exchange_submit(x, &o, NULL), STOM_EINVAL);
    stom_exchange_config cfg;
    default_config(&cfg);
    cfg.participation_pct = 150;
    stom_exchange *y = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(stom_exchange_create(&y, &cfg, &inst, 1, 1000, &eb), STOM_EINVAL);
    ck_assert_ptr_null(y);
    ck_assert_ptr_nonnull(strstr(eb.msg, "participation"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exchange");
    TCase *tc = tcase_create("fills");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_market_order_fills_at_the_next_open_with_commission_truncated);
    tcase_add_test(tc, a_sell_pays_the_dated_sell_tax);
    tcase_add_test(tc, a_buy_limit_fills_at_the_open_when_the_bar_gaps_below_it);
    tcase_add_test(tc, a_buy_limit_fills_at_its_price_when_the_low_touches_it);
    tcase_add_test(tc, a_buy_stop_fills_at_the_open_on_a_gap_up_and_at_the_stop_otherwise);
    tcase_add_test(tc, a_stop_limit_triggered_inside_a_bar_with_a_lower_limit_waits_a_bar);
    tcase_add_test(tc, a_stop_from_the_open_sets_its_level_at_the_next_bars_open);
    tcase_add_test(tc, slippage_moves_a_market_fill_by_ticks_across_a_tick_band);
    tcase_add_test(tc, fills_are_clamped_inside_the_daily_price_limits);
    tcase_add_test(tc, an_off_grid_price_is_snapped_against_the_order);
    tcase_add_test(tc, a_participation_cap_splits_an_order_into_partial_fills);
    tcase_add_test(tc, all_in_sizing_buys_the_most_whole_shares_the_cash_pays_for_with_fees);
    tcase_add_test(tc, a_reversal_closes_the_long_and_opens_a_short_as_two_fills);
    tcase_add_test(tc, a_partial_exit_closes_a_trade_with_its_share_of_the_entry_fees);
    tcase_add_test(tc, closing_everything_makes_cash_equal_initial_cash_plus_trade_pnl);
    tcase_add_test(tc, a_buy_larger_than_the_cash_is_cut_to_what_the_cash_pays_for);
    tcase_add_test(tc, close_fill_mode_fills_market_orders_at_the_signal_bars_close);
    tcase_add_test(tc, bad_orders_and_configurations_are_refused);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
