/*
 * test_risk_halt.c - what halts trading and what resumes it: the daily loss
 * and profit stops and the drawdown switch fed by fills and marks, the
 * operator's kill switch, resuming by a trader, and a new KST trading day
 * that resets daily figures but no halt.
 */
#include <stdio.h>
#include <string.h>

#include "risk_fixture.h"
#include "test_support.h"

static stom_risk *risk;
static stom_instrument sam;
static stom_risk_verdict events[8];
static int nevents;

static void on_event(void *arg, const stom_risk_verdict *ev)
{
    (void)arg;
    if (nevents < 8)
        events[nevents] = *ev;
    nevents++;
}

static void setup(void)
{
    stom_risk_create(&risk);
    stom_risk_on_event(risk, on_event, NULL);
    sam = kospi("005930");
    nevents = 0;
}

static void teardown(void)
{
    stom_risk_destroy(risk);
}

static void set(const char *strategy, const stom_risk_limits *l)
{
    stom_errbuf eb = {{0}};
    int rc = stom_risk_set_limits(risk, "A", strategy, l, &eb);
    ck_assert_msg(rc == 0, "set_limits: %s", eb.msg);
}

/* Account A with 100,000,000 won of capital and the given daily loss stop. */
static void account_with_loss_stop(int64_t bp)
{
    stom_risk_limits l;
    stom_risk_limits_init(&l);
    l.capital = 100000000;
    l.daily_loss_stop_bp = bp;
    set(NULL, &l);
}

static void fill_at(const char *strategy, int side, int64_t qty, int64_t price, int64_t fees,
                    int64_t now)
{
    stom_risk_fill f = {"A", strategy, &sam, side, qty, price, fees, now};
    ck_assert_int_eq(stom_risk_fill_apply(risk, &f), 0);
}

static bool can_buy(const char *strategy, int64_t now)
{
    stom_risk_verdict v;
    stom_risk_order o = buy_at(&sam, "A", strategy, 1, 10000);
    o.now_ns = now;
    return stom_risk_check(risk, &o, &v);
}

START_TEST(fills_book_exact_realised_pnl_with_fees)
{
    stom_risk_figures fig;
    account_with_loss_stop(STOM_RISK_UNSET);
    fill_at("S", 1, 100, 10000, 150, kst_ns(DAY1, 9, 0, 0));
    fill_at("S", -1, 100, 10500, 1000, kst_ns(DAY1, 9, 5, 0));
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", "S", &fig), 0);
    ck_assert_int_eq(fig.pnl_total, 50000 - 150 - 1000);
    ck_assert_int_eq(fig.positions, 0);
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", NULL, &fig), 0);
    ck_assert_int_eq(fig.pnl_today, 48850);
    ck_assert_int_eq(fig.day, DAY1);
}
END_TEST

START_TEST(the_daily_loss_stop_halts_at_the_limit_and_stays_halted_until_resumed)
{
    char reason[320];
    account_with_loss_stop(300);
    fill_at("S", 1, 1000, 10000, 0, kst_ns(DAY1, 9, 0, 0));
    stom_risk_mark(risk, "005930", 7001, kst_ns(DAY1, 9, 1, 0));
    ck_assert_int_eq(nevents, 0);
    ck_assert(can_buy("S", kst_ns(DAY1, 9, 1, 1)));
    stom_risk_mark(risk, "005930", 7000, kst_ns(DAY1, 9, 2, 0));
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(events[0].kind, STOM__V1__RISK_KIND__RISK_KIND_DAILY_LOSS);
    ck_assert_int_eq(events[0].action, STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING);
    ck_assert_int_eq(events[0].limit, 300);
    ck_assert_int_eq(events[0].value, 300);
    ck_assert_str_eq(events[0].message,
                     "daily_loss_stop_bp: daily loss 3,000,000 won (3.00% of 100,000,000 won) "
                     "reached the 3.00% stop of account A");
    ck_assert(!can_buy("S", kst_ns(DAY1, 9, 3, 0)));
    ck_assert(stom_risk_halted(risk, "A", "S", reason, sizeof reason));
    ck_assert_ptr_nonnull(strstr(reason, "daily_loss_stop_bp"));
    /* Recovering does not lift it, and neither does a new day. */
    stom_risk_mark(risk, "005930", 10000, kst_ns(DAY1, 10, 0, 0));
    ck_assert(!can_buy("S", kst_ns(DAY1, 10, 0, 1)));
    ck_assert(!can_buy("S", kst_ns(DAY2, 9, 0, 0)));
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(stom_risk_resume(risk, "A", NULL, "", kst_ns(DAY2, 9, 1, 0)), STOM_EINVAL);
    ck_assert_int_eq(stom_risk_resume(risk, "A", NULL, "kim", kst_ns(DAY2, 9, 1, 0)), 0);
    ck_assert(can_buy("S", kst_ns(DAY2, 9, 1, 1)));
}
END_TEST

START_TEST(after_a_resume_the_same_days_loss_does_not_halt_again_but_the_next_days_does)
{
    account_with_loss_stop(300);
    fill_at("S", 1, 1000, 10000, 0, kst_ns(DAY1, 9, 0, 0));
    stom_risk_mark(risk, "005930", 6900, kst_ns(DAY1, 9, 2, 0));
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(stom_risk_resume(risk, "A", NULL, "kim", kst_ns(DAY1, 9, 3, 0)), 0);
    stom_risk_mark(risk, "005930", 6000, kst_ns(DAY1, 9, 4, 0));
    ck_assert_int_eq(nevents, 1);
    ck_assert(can_buy("S", kst_ns(DAY1, 9, 5, 0)));
    stom_risk_mark(risk, "005930", 3000, kst_ns(DAY2, 9, 4, 0));
    ck_assert_int_eq(nevents, 2);
    ck_assert(!can_buy("S", kst_ns(DAY2, 9, 5, 0)));
}
END_TEST

START_TEST(a_new_trading_day_resets_the_daily_figures)
{
    stom_risk_figures fig;
    account_with_loss_stop(300);
    fill_at("S", 1, 1000, 10000, 0, kst_ns(DAY1, 9, 0, 0));
    stom_risk_mark(risk, "005930", 8000, kst_ns(DAY1, 15, 30, 0));
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", NULL, &fig), 0);
    ck_assert_int_eq(fig.pnl_today, -2000000);
    ck_assert_int_eq(fig.day, DAY1);
    /* A Saturday mark belongs to Monday's trading day: the day rolls, nothing moved. */
    stom_risk_mark(risk, "005930", 8000, kst_ns(20261121, 12, 0, 0));
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", NULL, &fig), 0);
    ck_assert_int_eq(fig.day, DAY2);
    ck_assert_int_eq(fig.pnl_today, 0);
    /* Another 2,000,000 lost the next day: 4,000,000 in total, 2,000,000 today, no halt. */
    stom_risk_mark(risk, "005930", 6000, kst_ns(DAY2, 9, 10, 0));
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", NULL, &fig), 0);
    ck_assert_int_eq(fig.day, DAY2);
    ck_assert_int_eq(fig.pnl_today, -2000000);
    ck_assert_int_eq(fig.pnl_total, -4000000);
    ck_assert_int_eq(nevents, 0);
    ck_assert(can_buy("S", kst_ns(DAY2, 9, 11, 0)));
}
END_TEST

START_TEST(a_strategy_stop_halts_that_strategy_only)
{
    stom_risk_limits l;
    account_with_loss_stop(STOM_RISK_UNSET);
    stom_risk_limits_init(&l);
    l.capital = 10000000;
    l.daily_profit_stop_bp = 1000;
    set("S", &l);
    fill_at("S", 1, 100, 10000, 0, kst_ns(DAY1, 9, 0, 0));
    stom_risk_mark(risk, "005930", 19990, kst_ns(DAY1, 9, 1, 0));
    ck_assert_int_eq(nevents, 0);
    stom_risk_mark(risk, "005930", 20000, kst_ns(DAY1, 9, 2, 0));
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(events[0].action, STOM__V1__RISK_ACTION__RISK_ACTION_HALT_STRATEGY);
    ck_assert_str_eq(events[0].rule, "daily_profit_stop_bp");
    ck_assert_int_eq(events[0].kind, STOM__V1__RISK_KIND__RISK_KIND_DAILY_PROFIT);
    ck_assert_str_eq(events[0].strategy, "S");
    ck_assert(!can_buy("S", kst_ns(DAY1, 9, 3, 0)));
    ck_assert(can_buy("T", kst_ns(DAY1, 9, 3, 0)));
    ck_assert(can_buy(NULL, kst_ns(DAY1, 9, 3, 0)));
}
END_TEST

START_TEST(the_drawdown_switch_halts_when_equity_falls_the_limit_below_its_peak)
{
    stom_risk_limits l;
    account_with_loss_stop(STOM_RISK_UNSET);
    stom_risk_limits_init(&l);
    l.capital = 10000000;
    l.max_drawdown_bp = 1000;
    set("S", &l);
    fill_at("S", 1, 1000, 10000, 0, kst_ns(DAY1, 9, 0, 0));
    stom_risk_mark(risk, "005930", 12000, kst_ns(DAY1, 9, 1, 0));
    stom_risk_mark(risk, "005930", 10810, kst_ns(DAY1, 9, 2, 0));
    ck_assert_int_eq(nevents, 0);
    stom_risk_mark(risk, "005930", 10800, kst_ns(DAY1, 9, 3, 0));
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(events[0].kind, STOM__V1__RISK_KIND__RISK_KIND_DRAWDOWN);
    ck_assert_int_eq(events[0].value, 1000);
    ck_assert_str_eq(events[0].message,
                     "max_drawdown_bp: equity 10,800,000 won is 10.00% below its peak "
                     "12,000,000 won, reaching the 10.00% drawdown limit of strategy S "
                     "(account A)");
    ck_assert(!can_buy("S", kst_ns(DAY2, 9, 0, 0)));
}
END_TEST

START_TEST(the_kill_switch_halts_until_a_trader_resumes_even_across_days)
{
    account_with_loss_stop(STOM_RISK_UNSET);
    ck_assert_int_eq(stom_risk_halt(risk, "A", "S", "runaway", kst_ns(DAY1, 9, 0, 0)), 0);
    ck_assert_int_eq(nevents, 1);
    ck_assert_int_eq(events[0].action, STOM__V1__RISK_ACTION__RISK_ACTION_HALT_STRATEGY);
    ck_assert_str_eq(events[0].message,
                     "kill_switch: strategy S (account A) halted by an operator: runaway");
    ck_assert(!can_buy("S", kst_ns(DAY1, 9, 1, 0)));
    ck_assert(can_buy("T", kst_ns(DAY1, 9, 1, 0)));
    ck_assert(!can_buy("S", kst_ns(DAY2, 9, 1, 0)));
    ck_assert_int_eq(stom_risk_resume(risk, "A", "S", "kim", kst_ns(DAY2, 9, 2, 0)), 0);
    ck_assert(can_buy("S", kst_ns(DAY2, 9, 3, 0)));
    ck_assert_int_eq(stom_risk_halt(risk, "B", NULL, "x", kst_ns(DAY2, 9, 3, 0)), STOM_ENOTFOUND);
}
END_TEST

START_TEST(halt_all_blocks_every_account_but_lets_liquidations_through)
{
    stom_risk_verdict v;
    account_with_loss_stop(STOM_RISK_UNSET);
    ck_assert_int_eq(stom_risk_halt(risk, NULL, NULL, "exchange outage", kst_ns(DAY1, 9, 0, 0)), 0);
    ck_assert_int_eq(events[0].action, STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING);
    stom_risk_order o = buy_at(&sam, "A", NULL, 1, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.kind, STOM__V1__RISK_KIND__RISK_KIND_KILL_SWITCH);
    ck_assert_ptr_nonnull(strstr(v.message, "exchange outage"));
    o.side = -1;
    o.liquidation = true;
    ck_assert(stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(stom_risk_resume(risk, NULL, NULL, "kim", kst_ns(DAY1, 9, 5, 0)), 0);
    ck_assert(can_buy(NULL, kst_ns(DAY1, 9, 6, 0)));
}
END_TEST

static Suite *halt_suite(void)
{
    Suite *s = suite_create("risk_halt");
    TCase *tc = tcase_create("halts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fills_book_exact_realised_pnl_with_fees);
    tcase_add_test(tc, the_daily_loss_stop_halts_at_the_limit_and_stays_halted_until_resumed);
    tcase_add_test(tc,
                   after_a_resume_the_same_days_loss_does_not_halt_again_but_the_next_days_does);
    tcase_add_test(tc, a_new_trading_day_resets_the_daily_figures);
    tcase_add_test(tc, a_strategy_stop_halts_that_strategy_only);
    tcase_add_test(tc, the_drawdown_switch_halts_when_equity_falls_the_limit_below_its_peak);
    tcase_add_test(tc, the_kill_switch_halts_until_a_trader_resumes_even_across_days);
    tcase_add_test(tc, halt_all_blocks_every_account_but_lets_liquidations_through);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(halt_suite());
}
