/*
 * test_risk_check.c - the pre-trade rules of stom_risk_check: each blocks
 * what it should and allows what it should, exactly at the limit included,
 * with a message that names the rule, the limit and the value, and a
 * strategy's limit narrowing its account's.
 */
#include <stdio.h>
#include <string.h>

#include "risk_fixture.h"
#include "stom/krx.h"
#include "test_support.h"

static stom_risk *risk;
static stom_instrument sam, hynix, kakao;

static void setup(void)
{
    stom_risk_create(&risk);
    sam = kospi("005930");
    hynix = kospi("000660");
    kakao = kospi("035720");
}

static void teardown(void)
{
    stom_risk_destroy(risk);
}

/* Sets limits of account (and strategy when not NULL) with one field changed by the caller. */
static void set(const char *account, const char *strategy, const stom_risk_limits *l)
{
    stom_errbuf eb = {{0}};
    int rc = stom_risk_set_limits(risk, account, strategy, l, &eb);
    ck_assert_msg(rc == 0, "set_limits: %s", eb.msg);
}

static void set_open(const char *account)
{
    stom_risk_limits l;
    stom_risk_limits_init(&l);
    set(account, NULL, &l);
}

static void fill(const char *strategy, const stom_instrument *in, int side, int64_t qty,
                 int64_t price)
{
    stom_risk_fill f = {"A", strategy, in, side, qty, price, 0, kst_ns(DAY1, 9, 30, 0)};
    ck_assert_int_eq(stom_risk_fill_apply(risk, &f), 0);
}

START_TEST(an_order_over_the_max_order_value_is_blocked_and_one_at_it_allowed)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_order_value = 10000000;
    set("A", NULL, &l);
    stom_risk_order at = buy_at(&sam, "A", NULL, 1000, 10000);
    ck_assert(stom_risk_check(risk, &at, &v));
    ck_assert(v.allowed);
    stom_risk_order over = buy_at(&sam, "A", NULL, 1250, 10000);
    ck_assert(!stom_risk_check(risk, &over, &v));
    ck_assert_str_eq(v.message, "max_order_value: order value 12,500,000 won is over the "
                                "10,000,000 won limit of account A");
    ck_assert_str_eq(v.rule, "max_order_value");
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_ORDER_SIZE);
    ck_assert_int_eq(v.action, STOM__V1__RISK_ACTION__RISK_ACTION_BLOCK_ORDER);
    ck_assert_int_eq(v.limit, 10000000);
    ck_assert_int_eq(v.value, 12500000);
}
END_TEST

START_TEST(a_strategy_limit_narrows_the_account_limit_but_never_widens_it)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_order_value = 10000000;
    set("A", NULL, &l);
    l.max_order_value = 5000000;
    set("A", "S", &l);
    l.max_order_value = 20000000;
    set("A", "W", &l);
    stom_risk_order o = buy_at(&sam, "A", "S", 600, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_ptr_nonnull(strstr(v.message, "5,000,000 won limit of strategy S (account A)"));
    o.strategy = NULL;
    ck_assert(stom_risk_check(risk, &o, &v));
    o = buy_at(&sam, "A", "W", 1200, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_ptr_nonnull(strstr(v.message, "10,000,000 won limit of account A"));
    o.strategy = "unconfigured";
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.limit, 10000000);
}
END_TEST

START_TEST(capital_per_trade_limits_entries_but_not_exits)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.capital_per_trade = 2000000;
    set("A", NULL, &l);
    fill("S", &sam, 1, 300, 10000);
    stom_risk_order o = buy_at(&sam, "A", "S", 200, 10000);
    ck_assert(stom_risk_check(risk, &o, &v));
    o.qty = 201;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.message, "capital_per_trade: entry value 2,010,000 won is over the "
                                "2,000,000 won limit of account A");
    o.side = -1;
    o.qty = 300;
    ck_assert_msg(stom_risk_check(risk, &o, &v), "exit blocked: %s", v.message);
}
END_TEST

START_TEST(max_position_value_counts_what_is_held_plus_the_order)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_position_value = 10000000;
    set("A", NULL, &l);
    fill("S", &sam, 1, 800, 10000);
    stom_risk_order o = buy_at(&sam, "A", "S", 201, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_POSITION_LIMIT);
    ck_assert_int_eq(v.value, 10010000);
    ck_assert_str_eq(v.message, "max_position_value: position in 005930 would be 10,010,000 won, "
                                "over the 10,000,000 won limit of account A");
    o.qty = 200;
    ck_assert(stom_risk_check(risk, &o, &v));
}
END_TEST

START_TEST(entries_in_flight_count_until_filled_or_released)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_position_value = 10000000;
    l.max_positions = 2;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", "S", 600, 10000);
    ck_assert(stom_risk_check(risk, &o, &v));
    o.qty = 401;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.value, 10010000);
    /* A fill of 100 moves working to held: the total is the same. */
    fill("S", &sam, 1, 100, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(stom_risk_release(risk, "A", "S", "005930", 1, 500), 0);
    ck_assert_msg(stom_risk_check(risk, &o, &v), "%s", v.message);
    /* Two symbols in flight fill max_positions; releasing one frees a place. */
    o = buy_at(&hynix, "A", "S", 1, 100000);
    ck_assert(stom_risk_check(risk, &o, &v));
    o = buy_at(&kakao, "A", "T", 1, 40000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "max_positions");
    ck_assert_int_eq(stom_risk_release(risk, "A", "S", "000660", 1, 1), 0);
    ck_assert(stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(stom_risk_release(risk, "A", "X", "000660", 1, 1), STOM_ENOTFOUND);
}
END_TEST

START_TEST(max_positions_blocks_a_new_symbol_but_not_adding_to_a_held_one)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    set("A", NULL, &l);
    l.max_positions = 2;
    set("A", "S", &l);
    fill("S", &sam, 1, 10, 10000);
    stom_risk_order o = buy_at(&hynix, "A", "S", 1, 100000);
    ck_assert(stom_risk_check(risk, &o, &v));
    fill("S", &hynix, 1, 1, 100000);
    o = buy_at(&kakao, "A", "S", 1, 40000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.value, 3);
    ck_assert_int_eq(v.limit, 2);
    ck_assert_str_eq(v.message, "max_positions: a new position in 035720 would make 3 positions, "
                                "over the limit of 2 of strategy S (account A)");
    o = buy_at(&sam, "A", "S", 1, 10000);
    ck_assert(stom_risk_check(risk, &o, &v));
    /* Another strategy of the account has its own count. */
    o = buy_at(&kakao, "A", "T", 1, 40000);
    ck_assert(stom_risk_check(risk, &o, &v));
}
END_TEST

START_TEST(a_price_off_the_tick_grid_is_blocked)
{
    stom_risk_verdict v;
    set_open("A");
    stom_risk_order o = buy_at(&sam, "A", NULL, 1, 10005);
    o.ref_price = 10000;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND);
    ck_assert_int_eq(v.limit, stom_krx_tick_size(10005, STOM_BOARD_KOSPI, DAY1));
    ck_assert_str_eq(v.message, "tick_grid: price 10,005 won is off the 10-won tick grid of "
                                "005930 (KOSPI)");
    o.limit_price = 10010;
    ck_assert(stom_risk_check(risk, &o, &v));
}
END_TEST

START_TEST(a_price_outside_the_days_band_is_blocked_and_the_band_edges_allowed)
{
    stom_risk_verdict v;
    int64_t lo, hi;
    set_open("A");
    stom_krx_price_limits(10000, STOM_BOARD_KOSPI, DAY1, &lo, &hi);
    ck_assert_int_eq(hi, 13000);
    ck_assert_int_eq(lo, 7000);
    stom_risk_order o = buy_at(&sam, "A", NULL, 1, hi);
    o.ref_price = 10000;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.limit_price = lo;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.limit_price = stom_krx_step_ticks(hi, 1, STOM_BOARD_KOSPI, DAY1);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.message,
                     "price_band: price 13,010 won is outside the day's band 7,000 to 13,000 won "
                     "of 005930");
    o.limit_price = stom_krx_step_ticks(lo, -1, STOM_BOARD_KOSPI, DAY1);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.limit, lo);
    o.limit_price = 10000;
    o.ref_price = 0;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "price_band");
}
END_TEST

START_TEST(a_limit_price_too_far_from_the_last_price_is_a_fat_finger)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.fat_finger_bp = 500;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", NULL, 1, 10500);
    o.last_price = 10000;
    o.ref_price = 10000;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.limit_price = 9500;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.limit_price = 10510;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.value, 510);
    ck_assert_str_eq(v.message, "fat_finger_bp: limit price 10,510 won is 5.10% from the last "
                                "price 10,000 won, over the 5.00% limit of account A");
    o.last_price = 0;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "fat_finger_bp");
}
END_TEST

START_TEST(orders_per_second_use_a_sliding_one_second_window)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    const int64_t ms = 1000000;
    stom_risk_limits_init(&l);
    l.max_orders_per_second = 3;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", NULL, 1, 10000);
    int64_t t0 = o.now_ns;
    for (int i = 0; i < 3; i++) {
        o.now_ns = t0 + i * 100 * ms;
        ck_assert_msg(stom_risk_check(risk, &o, &v), "order %d: %s", i, v.message);
    }
    o.now_ns = t0 + 999 * ms;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_ORDER_RATE);
    ck_assert_str_eq(v.message, "max_orders_per_second: this would be order 4 in one second, "
                                "over the limit of 3 of account A");
    /* The first order leaves the window exactly one second later; the blocked one never counted. */
    o.now_ns = t0 + 1000 * ms;
    ck_assert(stom_risk_check(risk, &o, &v));
    ck_assert(!stom_risk_check(risk, &o, &v));
    o.now_ns = t0 + 1100 * ms;
    ck_assert(stom_risk_check(risk, &o, &v));
}
END_TEST

START_TEST(past_the_end_time_entries_are_blocked_and_liquidation_is_asked)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    bool liquidate = false;
    stom_risk_limits_init(&l);
    set("A", NULL, &l);
    l.end_time_s = 15 * 3600 + 10 * 60;
    l.liquidate_at_end = 1;
    set("A", "S", &l);
    fill("S", &sam, 1, 10, 10000);
    stom_risk_order o = buy_at(&sam, "A", "S", 1, 10000);
    o.now_ns = kst_ns(DAY1, 15, 9, 59);
    ck_assert(stom_risk_check(risk, &o, &v));
    ck_assert(!stom_risk_end_due(risk, "A", "S", o.now_ns, &liquidate));
    o.now_ns = kst_ns(DAY1, 15, 10, 0);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_SESSION);
    ck_assert(v.liquidate);
    ck_assert_str_eq(v.message, "end_time: 15:10:00 KST is past the end time 15:10:00 of "
                                "strategy S (account A); new entries are blocked and its "
                                "positions are to be liquidated");
    ck_assert(stom_risk_end_due(risk, "A", "S", o.now_ns, &liquidate));
    ck_assert(liquidate);
    o.side = -1;
    ck_assert_msg(stom_risk_check(risk, &o, &v), "exit blocked: %s", v.message);
    /* The account itself has no end time. */
    ck_assert(!stom_risk_end_due(risk, "A", NULL, o.now_ns, &liquidate));
}
END_TEST

START_TEST(an_account_without_configuration_is_blocked)
{
    stom_risk_verdict v;
    stom_risk_order o = buy_at(&sam, "B", NULL, 1, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.message, "account: B has no risk configuration");
}
END_TEST

START_TEST(a_market_order_is_valued_at_the_last_price_and_blocked_without_one)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_order_value = 1000000;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", NULL, 100, 10000);
    o.limit_price = 0;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.last_price = 10010;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.value, 1001000);
    o.last_price = 0;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "max_order_value");
}
END_TEST

START_TEST(a_liquidation_skips_size_limits_but_not_the_tick_grid)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    stom_risk_limits_init(&l);
    l.max_order_value = 1000;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", NULL, 100, 10000);
    o.side = -1;
    o.liquidation = true;
    ck_assert(stom_risk_check(risk, &o, &v));
    o.limit_price = 10001;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "tick_grid");
}
END_TEST

START_TEST(a_breach_becomes_the_risk_event_the_engine_publishes)
{
    stom_risk_limits l;
    stom_risk_verdict v;
    uint8_t buf[1024];
    stom_risk_limits_init(&l);
    l.max_order_value = 10000000;
    set("A", NULL, &l);
    stom_risk_order o = buy_at(&sam, "A", "S", 1250, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    Stom__V1__RiskEvent ev;
    stom_risk_event_init(&ev, &v, "c-17", o.now_ns);
    size_t n = stom__v1__risk_event__pack(&ev, buf);
    ck_assert_uint_le(n, sizeof buf);
    Stom__V1__RiskEvent *back = stom__v1__risk_event__unpack(NULL, n, buf);
    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(back->kind, STOM__V1__RISK_KIND__RISK_KIND_ORDER_SIZE);
    ck_assert_int_eq(back->action, STOM__V1__RISK_ACTION__RISK_ACTION_BLOCK_ORDER);
    ck_assert_str_eq(back->rule, "max_order_value");
    ck_assert_str_eq(back->account, "A");
    ck_assert_str_eq(back->instance_id, "S");
    ck_assert_str_eq(back->symbol, "005930");
    ck_assert_str_eq(back->client_order_id, "c-17");
    ck_assert_int_eq(back->limit, 10000000);
    ck_assert_int_eq(back->value, 12500000);
    ck_assert_int_eq(back->ts_ns, o.now_ns);
    ck_assert_str_eq(back->message, v.message);
    stom__v1__risk_event__free_unpacked(back, NULL);
}
END_TEST

static Suite *check_suite(void)
{
    Suite *s = suite_create("risk_check");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_order_over_the_max_order_value_is_blocked_and_one_at_it_allowed);
    tcase_add_test(tc, a_strategy_limit_narrows_the_account_limit_but_never_widens_it);
    tcase_add_test(tc, capital_per_trade_limits_entries_but_not_exits);
    tcase_add_test(tc, max_position_value_counts_what_is_held_plus_the_order);
    tcase_add_test(tc, entries_in_flight_count_until_filled_or_released);
    tcase_add_test(tc, max_positions_blocks_a_new_symbol_but_not_adding_to_a_held_one);
    tcase_add_test(tc, a_price_off_the_tick_grid_is_blocked);
    tcase_add_test(tc, a_price_outside_the_days_band_is_blocked_and_the_band_edges_allowed);
    tcase_add_test(tc, a_limit_price_too_far_from_the_last_price_is_a_fat_finger);
    tcase_add_test(tc, orders_per_second_use_a_sliding_one_second_window);
    tcase_add_test(tc, past_the_end_time_entries_are_blocked_and_liquidation_is_asked);
    tcase_add_test(tc, an_account_without_configuration_is_blocked);
    tcase_add_test(tc, a_market_order_is_valued_at_the_last_price_and_blocked_without_one);
    tcase_add_test(tc, a_liquidation_skips_size_limits_but_not_the_tick_grid);
    tcase_add_test(tc, a_breach_becomes_the_risk_event_the_engine_publishes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(check_suite());
}
