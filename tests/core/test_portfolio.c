/*
 * test_portfolio.c - booking fills: cash, pro-rata trade shares, shorts,
 * marks, and refusal of fills that would cross zero.
 */
#include "stom/error.h"
#include "stom/portfolio.h"
#include "test_support.h"

static stom_fill fill(int side, int64_t qty, int64_t price, int64_t fee, int64_t tax, int64_t ts)
{
    stom_fill f = {.symbol = 0,
                   .side = side,
                   .qty = qty,
                   .price = price,
                   .value = qty * price,
                   .fee = fee,
                   .tax = tax,
                   .ts = ts};
    return f;
}

START_TEST(three_exits_share_the_entry_value_and_fees_exactly)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "A", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_portfolio p;
    stom_portfolio_init(&p, &inst, 1, 1000000);
    /* Buy 10 at 1,001 (10,010 won) with a 7-won fee; sell 3, 3, 4 at 1,100. */
    stom_fill buy = fill(+1, 10, 1001, 7, 0, 100);
    ck_assert_int_eq(stom_portfolio_apply(&p, &buy, false), 0);
    for (int k = 0; k < 3; k++) {
        stom_fill sell = fill(-1, k < 2 ? 3 : 4, 1100, 1, 2, 200 + k);
        ck_assert_int_eq(stom_portfolio_apply(&p, &sell, false), 0);
    }
    ck_assert_uint_eq(p.n_trades, 3);
    /* Shares of 10,010: 3,003 and 3,003 (10,010 * 3/10), then the rest 4,004. */
    ck_assert_int_eq(p.trades[0].entry_value, 3003);
    ck_assert_int_eq(p.trades[2].entry_value, 4004);
    /* Fee shares of 7: 2 (7 * 3/10 = 2.1), 2 (5 * 3/7 = 2.14), then the rest 3; plus 1 each. */
    ck_assert_int_eq(p.trades[0].fees, 3);
    ck_assert_int_eq(p.trades[1].fees, 3);
    ck_assert_int_eq(p.trades[2].fees, 4);
    ck_assert_int_eq(p.trades[0].entry_price, 1001);
    int64_t sum = 0;
    for (size_t k = 0; k < p.n_trades; k++)
        sum += p.trades[k].pnl;
    ck_assert_int_eq(p.cash, 1000000 + sum);
    ck_assert_int_eq(p.open_positions, 0);
    stom_portfolio_free(&p);
}
END_TEST

START_TEST(a_short_gains_when_the_price_falls_and_pays_tax_on_its_entry)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "A", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_portfolio p;
    stom_portfolio_init(&p, &inst, 1, 100000);
    stom_fill sell = fill(-1, 10, 5000, 7, 90, 1);
    stom_portfolio_apply(&p, &sell, false);
    ck_assert_int_eq(p.pos[0].qty, -10);
    stom_portfolio_mark(&p, 0, 4500);
    /* Cash 100,000 + 50,000 - 97 = 149,903; short marked at 45,000. */
    ck_assert_int_eq(stom_portfolio_equity(&p), 149903 - 45000);
    stom_fill cover = fill(+1, 10, 4500, 6, 0, 2);
    stom_portfolio_apply(&p, &cover, true);
    ck_assert_int_eq(p.trades[0].side, -1);
    /* pnl = -(45,000 - 50,000) - (7 + 6) - 90 = 4,897 */
    ck_assert_int_eq(p.trades[0].pnl, 4897);
    ck_assert(p.trades[0].open_at_end);
    ck_assert_int_eq(p.cash, 100000 + 4897);
    stom_portfolio_free(&p);
}
END_TEST

START_TEST(a_fill_that_would_cross_zero_is_refused_and_changes_nothing)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "A", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_portfolio p;
    stom_portfolio_init(&p, &inst, 1, 100000);
    stom_fill buy = fill(+1, 5, 1000, 0, 0, 1);
    stom_portfolio_apply(&p, &buy, false);
    stom_fill too_big = fill(-1, 6, 1000, 0, 0, 2);
    ck_assert_int_eq(stom_portfolio_apply(&p, &too_big, false), STOM_EINVAL);
    stom_fill zero = fill(-1, 0, 1000, 0, 0, 2);
    ck_assert_int_eq(stom_portfolio_apply(&p, &zero, false), STOM_EINVAL);
    ck_assert_int_eq(p.pos[0].qty, 5);
    ck_assert_int_eq(p.cash, 95000);
    stom_portfolio_free(&p);
    stom_portfolio_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("portfolio");
    TCase *tc = tcase_create("portfolio");
    tcase_add_test(tc, three_exits_share_the_entry_value_and_fees_exactly);
    tcase_add_test(tc, a_short_gains_when_the_price_falls_and_pays_tax_on_its_entry);
    tcase_add_test(tc, a_fill_that_would_cross_zero_is_refused_and_changes_nothing);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
