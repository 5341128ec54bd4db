/*
 * test_sim_market.c - the simulated KRX market: market orders across the
 * book's levels, limit orders resting and filled by the path, every
 * rejection rule, cash and shares with exact fees and tax, cancels, a
 * path that is the same for the same seed; in replay mode, orders matched
 * against the first replayed trade at or after their decision time, late
 * or early, and a decision older than the trades kept refused.
 */
#include <stdio.h>
#include <string.h>

#include "sim_market.h"
#include "test_support.h"

/* 2024-01-02 (a trading day) 10:00 KST and 08:00 KST, in UTC nanoseconds. */
#define T_OPEN   ((1704157200LL) * 1000000000LL)
#define T_CLOSED ((1704150000LL) * 1000000000LL)

typedef struct seen {
    sim_fill fills[512];
    sim_print prints[64]; /* the first 64 */
    size_t n_fills, n_prints, n_done;
    sim_order_state last_state;
    char last_reason[SIM_REASON_MAX];
} seen;

static void on_fill(void *arg, const sim_fill *f)
{
    seen *s = arg;
    ck_assert_uint_lt(s->n_fills, 512);
    s->fills[s->n_fills++] = *f;
}

static void on_print(void *arg, const sim_print *p)
{
    seen *s = arg;
    if (s->n_prints < 64)
        s->prints[s->n_prints] = *p;
    s->n_prints++;
}

static void on_done(void *arg, uint64_t id, sim_order_state st, const char *reason)
{
    (void)id;
    seen *s = arg;
    s->n_done++;
    s->last_state = st;
    snprintf(s->last_reason, sizeof s->last_reason, "%s", reason);
}

static sim_market *market_of(seen *s, int64_t cash, uint64_t seed, bool replay)
{
    static const sim_symbol syms[] = {{"005930", STOM_BOARD_KOSPI, 70000},
                                      {"035720", STOM_BOARD_KOSPI, 50000}};
    sim_config cfg = {.seed = seed,
                      .symbols = syms,
                      .n_symbols = 2,
                      .cash = cash,
                      .depth_levels = 3,
                      .depth_qty = 10,
                      .replay = replay};
    stom_cost_model_default(&cfg.costs);
    sim_callbacks cb = {on_fill, on_print, on_done, s};
    memset(s, 0, sizeof *s);
    sim_market *m = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(sim_market_create(&m, &cfg, &cb, &eb) == STOM_OK, "%s", eb.msg);
    return m;
}

static sim_market *market(seen *s, int64_t cash, uint64_t seed)
{
    return market_of(s, cash, seed, false);
}

static uint64_t place(sim_market *m, int sym, int side, bool limit, int64_t price, int64_t qty)
{
    uint64_t id = 0;
    stom_errbuf eb = {{0}};
    ck_assert_msg(sim_market_place(m, sym, side, limit, price, qty, T_OPEN, &id, NULL, &eb) ==
                      STOM_OK,
                  "%s", eb.msg);
    return id;
}

static void refused(sim_market *m, int sym, int side, bool limit, int64_t price, int64_t qty,
                    int64_t now, sim_reject kind, const char *words)
{
    uint64_t id = 0;
    stom_errbuf eb = {{0}};
    sim_reject why = SIM_REJECT_NONE;
    int64_t cash = sim_market_cash(m);
    ck_assert_int_eq(sim_market_place(m, sym, side, limit, price, qty, now, &id, &why, &eb),
                     STOM_EINVAL);
    ck_assert_int_eq(why, kind);
    ck_assert_msg(strstr(eb.msg, words), "'%s' lacks '%s'", eb.msg, words);
    ck_assert_int_eq(sim_market_cash(m), cash);
}

START_TEST(a_market_buy_walks_the_book_and_pays_exact_costs)
{
    static seen s;
    sim_market *m = market(&s, 100000000, 1);
    uint64_t id = place(m, 0, 1, false, 0, 25);
    ck_assert_uint_eq(s.n_fills, 3); /* 10 at +1 tick, 10 at +2, 5 at +3 */
    ck_assert_int_eq(s.fills[0].price, 70100);
    ck_assert_int_eq(s.fills[1].price, 70200);
    ck_assert_int_eq(s.fills[2].price, 70300);
    ck_assert_int_eq(s.fills[2].qty, 5);
    int64_t spent = 0;
    for (size_t k = 0; k < s.n_fills; k++)
        spent += s.fills[k].qty * s.fills[k].price + s.fills[k].commission;
    ck_assert_int_eq(s.fills[0].commission, 105); /* 0.015% of 701,000, truncated */
    ck_assert_int_eq(sim_market_cash(m), 100000000 - spent);
    ck_assert_int_eq(sim_market_position(m, 0), 25);
    sim_order_view v;
    ck_assert(sim_market_order(m, id, &v));
    ck_assert_int_eq(v.state, SIM_FILLED);
    ck_assert_uint_eq(s.n_prints, 3);
    ck_assert_int_eq(sim_market_last(m, 0), 70300);
    sim_market_destroy(m);
}
END_TEST

/* Prints carry the aggressor's side and the symbol's day totals, which start again each day. */
START_TEST(prints_carry_the_aggressor_and_the_days_totals)
{
    static seen s;
    sim_market *m = market(&s, 100000000, 1);
    place(m, 0, 1, false, 0, 25); /* a market buy: prints of 10, 10 and 5 */
    ck_assert_uint_eq(s.n_prints, 3);
    for (size_t k = 0; k < 3; k++)
        ck_assert_int_eq(s.prints[k].aggressor, 1);
    ck_assert_int_eq(s.prints[0].cum_qty, 10);
    ck_assert_int_eq(s.prints[2].cum_qty, 25);
    ck_assert_int_eq(s.prints[2].cum_value, 10 * 70100 + 10 * 70200 + 5 * 70300);
    sim_market_step(m, T_OPEN + 1000000000LL);
    ck_assert_uint_eq(s.n_prints, 5); /* one a symbol */
    const sim_print *p = &s.prints[3];
    ck_assert_int_eq(p->symbol, 0);
    ck_assert_int_eq(p->cum_qty, 25 + p->qty);
    ck_assert(p->aggressor == 1 || p->aggressor == -1);
    ck_assert(p->price > 70300 ? p->aggressor == 1 : p->price < 70300 ? p->aggressor == -1 : 1);
    ck_assert_int_eq(s.prints[4].cum_qty, s.prints[4].qty); /* the other symbol's first */
    sim_market_step(m, T_OPEN + 86400LL * 1000000000LL);    /* the next day: totals start again */
    ck_assert_int_eq(s.prints[5].cum_qty, s.prints[5].qty);
    ck_assert_int_eq(s.prints[5].cum_value, s.prints[5].qty * s.prints[5].price);
    sim_market_destroy(m);
}
END_TEST

START_TEST(a_market_order_too_big_for_the_book_fills_partly_and_ends)
{
    static seen s;
    sim_market *m = market(&s, 100000000, 1);
    place(m, 0, 1, false, 0, 100);
    ck_assert_int_eq(sim_market_position(m, 0), 30);
    ck_assert_int_eq(s.last_state, SIM_CANCELLED);
    ck_assert_ptr_nonnull(strstr(s.last_reason, "no more"));
    sim_market_destroy(m);
}
END_TEST

START_TEST(a_resting_limit_order_fills_when_the_path_reaches_it)
{
    static seen s;
    sim_market *m = market(&s, 100000000, 7);
    uint64_t id = place(m, 0, 1, true, 69500, 5); /* 5 ticks under the last: rests */
    ck_assert_uint_eq(s.n_fills, 0);
    int64_t t = T_OPEN;
    for (int k = 0; k < 20000 && s.n_fills == 0; k++)
        sim_market_step(m, t += 1000000000);
    ck_assert_uint_gt(s.n_fills, 0);
    ck_assert_int_eq(s.fills[0].price, 69500); /* at its limit */
    ck_assert_int_le(sim_market_last(m, 0), 69500);
    sim_order_view v;
    ck_assert(sim_market_order(m, id, &v));
    ck_assert_int_gt(v.filled, 0);
    sim_market_destroy(m);
}
END_TEST

START_TEST(every_rule_refuses_by_name_and_changes_nothing)
{
    static seen s;
    sim_market *m = market(&s, 1000000, 1);
    refused(m, 0, 1, true, 70050, 1, T_OPEN, SIM_REJECT_PRICE,
            "off the 100-won tick grid of 005930");
    refused(m, 0, 1, true, 91100, 1, T_OPEN, SIM_REJECT_PRICE,
            "outside today's limits 49000..91000");
    refused(m, 0, 1, true, 70000, 1, T_CLOSED, SIM_REJECT_CLOSED, "market closed");
    refused(m, 0, 1, true, 70000, 100, T_OPEN, SIM_REJECT_FUNDS, "not enough cash");
    refused(m, 0, -1, true, 70000, 1, T_OPEN, SIM_REJECT_FUNDS, "not enough shares");
    refused(m, 5, 1, true, 70000, 1, T_OPEN, SIM_REJECT_INVALID, "symbol 5 is not listed");
    refused(m, 0, 1, false, 70000, 1, T_OPEN, SIM_REJECT_INVALID, "carries no price");
    refused(m, 0, 1, true, 70000, 0, T_OPEN, SIM_REJECT_INVALID, "quantity 0");
    ck_assert_uint_eq(s.n_fills, 0);
    sim_market_destroy(m);
}
END_TEST

START_TEST(reservations_hold_cash_and_shares_until_an_order_ends)
{
    static seen s;
    sim_market *m = market(&s, 1000000, 1);
    uint64_t a = place(m, 0, 1, true, 60000, 10); /* rests, holds ~600,090 */
    refused(m, 0, 1, true, 60000, 10, T_OPEN, SIM_REJECT_FUNDS, "not enough cash");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(sim_market_cancel(m, a, &eb), STOM_OK);
    ck_assert_int_eq(sim_market_cancel(m, a, &eb), STOM_ESTATE);
    ck_assert_int_eq(sim_market_cancel(m, 999, &eb), STOM_ENOTFOUND);
    place(m, 0, 1, true, 70100, 10); /* marketable: fills at once */
    ck_assert_int_eq(sim_market_position(m, 0), 10);
    place(m, 0, -1, true, 80000, 6); /* rests, holds 6 shares */
    refused(m, 0, -1, true, 80000, 5, T_OPEN, SIM_REJECT_FUNDS,
            "not enough shares: selling 5 005930, 4 available");
    sim_market_destroy(m);
}
END_TEST

START_TEST(a_sell_pays_commission_and_the_day_s_tax)
{
    static seen s;
    sim_market *m = market(&s, 10000000, 1);
    place(m, 0, 1, false, 0, 10);
    int64_t before = sim_market_cash(m);
    s.n_fills = 0;
    place(m, 0, -1, false, 0, 10);
    ck_assert_uint_eq(s.n_fills, 1);
    const sim_fill *f = &s.fills[0];
    ck_assert_int_gt(f->tax, 0);
    ck_assert_int_eq(sim_market_cash(m), before + f->qty * f->price - f->commission - f->tax);
    ck_assert_int_eq(sim_market_position(m, 0), 0);
    sim_market_destroy(m);
}
END_TEST

START_TEST(the_path_is_the_same_for_the_same_seed_and_stays_in_the_limits)
{
    static seen s1, s2;
    sim_market *a = market(&s1, 0, 42), *b = market(&s2, 0, 42), *c = market(&s2, 0, 43);
    bool differs = false;
    int64_t t = T_OPEN;
    for (int k = 0; k < 5000; k++) {
        t += 100000000;
        sim_market_step(a, t);
        sim_market_step(b, t);
        sim_market_step(c, t);
        ck_assert_int_eq(sim_market_last(a, 0), sim_market_last(b, 0));
        ck_assert_int_ge(sim_market_last(a, 0), 49000);
        ck_assert_int_le(sim_market_last(a, 0), 91000);
        differs = differs || sim_market_last(a, 1) != sim_market_last(c, 1);
    }
    ck_assert(differs);
    sim_market_destroy(a);
    sim_market_destroy(b);
    sim_market_destroy(c);
}
END_TEST

#define SEC 1000000000LL

/* One replayed bar of 005930 at T_OPEN + at_s: open, low, high, close 15 s apart. */
static void replay_bar(sim_market *m, int64_t at_s, int64_t o, int64_t l, int64_t h, int64_t c)
{
    const int64_t px[] = {o, l, h, c};
    for (int k = 0; k < 4; k++)
        sim_market_trade(m, 0, T_OPEN + (at_s + 15 * k) * SEC, px[k], 100, k == 0);
}

static uint64_t place_at(sim_market *m, int side, bool limit, int64_t price, int64_t qty,
                         int64_t decided_ns)
{
    uint64_t id = 0;
    stom_errbuf eb = {{0}};
    ck_assert_msg(sim_market_place(m, 0, side, limit, price, qty, decided_ns, &id, NULL, &eb) ==
                      STOM_OK,
                  "%s", eb.msg);
    return id;
}

START_TEST(in_replay_a_market_order_fills_whole_at_the_first_trade_at_or_after_its_decision)
{
    static seen s;
    sim_market *m = market_of(&s, 100000000, 1, true);
    replay_bar(m, 0, 70000, 69800, 70300, 70100);
    ck_assert_uint_eq(s.n_prints, 4);
    /* Decided at +10 s and arriving after the bar: the +15 s trade (69,800), all 500. */
    uint64_t late = place_at(m, 1, false, 0, 500, T_OPEN + 10 * SEC);
    ck_assert_uint_eq(s.n_fills, 1);
    ck_assert_int_eq(s.fills[0].price, 69800);
    ck_assert_int_eq(s.fills[0].qty, 500);
    ck_assert_int_eq(s.fills[0].ts_ns, T_OPEN + 15 * SEC);
    ck_assert_int_eq(s.fills[0].commission, 5235); /* 0.015% of 34,900,000 */
    /* Decided after the last trade: it waits for the next bar's open. */
    uint64_t early = place_at(m, 1, false, 0, 10, T_OPEN + 50 * SEC);
    ck_assert_uint_eq(s.n_fills, 1);
    replay_bar(m, 60, 70200, 70200, 70400, 70300);
    ck_assert_uint_eq(s.n_fills, 2);
    ck_assert_int_eq(s.fills[1].price, 70200);
    ck_assert_int_eq(s.fills[1].ts_ns, T_OPEN + 60 * SEC);
    sim_order_view v;
    ck_assert(sim_market_order(m, late, &v) && v.state == SIM_FILLED);
    ck_assert(sim_market_order(m, early, &v) && v.state == SIM_FILLED);
    ck_assert_int_eq(sim_market_position(m, 0), 510);
    sim_market_destroy(m);
}
END_TEST

START_TEST(in_replay_a_limit_order_fills_at_its_price_or_at_an_open_that_gaps_through_it)
{
    static seen s;
    sim_market *m = market_of(&s, 100000000, 1, true);
    place_at(m, 1, true, 69900, 5, T_OPEN); /* the low 69,800 reaches it: at 69,900 */
    place_at(m, 1, true, 69000, 5, T_OPEN); /* never reached */
    ck_assert_uint_eq(s.n_fills, 0);
    replay_bar(m, 0, 70000, 69800, 70300, 70100);
    ck_assert_uint_eq(s.n_fills, 1);
    ck_assert_int_eq(s.fills[0].price, 69900);
    ck_assert_int_eq(s.fills[0].ts_ns, T_OPEN + 15 * SEC);
    /* The next bar opens at 68,900, through 69,000: the open's price. */
    replay_bar(m, 60, 68900, 68800, 69100, 69000);
    ck_assert_uint_eq(s.n_fills, 2);
    ck_assert_int_eq(s.fills[1].price, 68900);
    ck_assert_int_eq(s.fills[1].ts_ns, T_OPEN + 60 * SEC);
    sim_market_destroy(m);
}
END_TEST

START_TEST(in_replay_a_decision_older_than_the_trades_kept_is_refused)
{
    static seen s;
    sim_market *m = market_of(&s, 100000000, 1, true);
    for (int k = 0; k <= SIM_REPLAY_KEEP; k++)
        sim_market_trade(m, 0, T_OPEN + k * SEC, 70000, 1, true);
    refused(m, 0, 1, false, 0, 1, T_OPEN, SIM_REJECT_INVALID, "older than the replayed trades");
    place_at(m, 1, false, 0, 1, T_OPEN + 1 * SEC); /* the oldest kept */
    ck_assert_uint_eq(s.n_fills, 1);
    ck_assert_int_eq(s.fills[0].ts_ns, T_OPEN + 1 * SEC);
    sim_market_destroy(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_market");
    TCase *tc = tcase_create("market");
    tcase_add_test(tc, a_market_buy_walks_the_book_and_pays_exact_costs);
    tcase_add_test(tc, prints_carry_the_aggressor_and_the_days_totals);
    tcase_add_test(tc, a_market_order_too_big_for_the_book_fills_partly_and_ends);
    tcase_add_test(tc, a_resting_limit_order_fills_when_the_path_reaches_it);
    tcase_add_test(tc, every_rule_refuses_by_name_and_changes_nothing);
    tcase_add_test(tc, reservations_hold_cash_and_shares_until_an_order_ends);
    tcase_add_test(tc, a_sell_pays_commission_and_the_day_s_tax);
    tcase_add_test(tc, the_path_is_the_same_for_the_same_seed_and_stays_in_the_limits);
    tcase_add_test(
        tc, in_replay_a_market_order_fills_whole_at_the_first_trade_at_or_after_its_decision);
    tcase_add_test(tc,
                   in_replay_a_limit_order_fills_at_its_price_or_at_an_open_that_gaps_through_it);
    tcase_add_test(tc, in_replay_a_decision_older_than_the_trades_kept_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
