/*
 * test_instrument.c - market defaults, names and notional value.
 */
#include <stdlib.h>

#include "stom/error.h"
#include "stom/instrument.h"
#include "test_support.h"

START_TEST(krx_stocks_trade_in_whole_won_and_shares)
{
    stom_instrument i;
    ck_assert_int_eq(stom_instrument_init(&i, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI), 0);
    ck_assert_str_eq(i.symbol, "005930");
    ck_assert_int_eq(i.price_decimals, 0);
    ck_assert_int_eq(i.qty_decimals, 0);
    int64_t v;
    ck_assert_int_eq(stom_instrument_notional(&i, 71500, 13, &v), 0);
    ck_assert_int_eq(v, 929500);
}
END_TEST

START_TEST(us_prices_are_cents_and_crypto_quantities_have_eight_decimals)
{
    stom_instrument us, btc;
    ck_assert_int_eq(stom_instrument_init(&us, "GOOG", STOM_MARKET_US, STOM_BOARD_KOSPI), 0);
    ck_assert_int_eq(us.price_decimals, 2);
    ck_assert_int_eq(us.board, STOM_BOARD_NONE);
    ck_assert_int_eq(stom_instrument_init(&btc, "BTCUSDT", STOM_MARKET_CRYPTO, STOM_BOARD_NONE), 0);
    ck_assert_int_eq(btc.qty_decimals, 8);
    int64_t v;
    /* 0.5 BTC at 60,000.00 USDT = 30,000.00 USDT = 3,000,000 cents. */
    ck_assert_int_eq(stom_instrument_notional(&btc, 6000000, 50000000, &v), 0);
    ck_assert_int_eq(v, 3000000);
}
END_TEST

START_TEST(names_parse_in_any_case_and_unknown_names_are_refused)
{
    stom_market m;
    stom_board b;
    ck_assert_int_eq(stom_market_parse("KRX", &m), 0);
    ck_assert_int_eq(m, STOM_MARKET_KRX);
    ck_assert_int_eq(stom_market_parse("nyse", &m), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_board_parse("kosdaq", &b), 0);
    ck_assert_int_eq(b, STOM_BOARD_KOSDAQ);
    ck_assert_int_eq(stom_board_parse("nasdaq", &b), STOM_ENOTFOUND);
    ck_assert_str_eq(stom_market_name(STOM_MARKET_CRYPTO), "crypto");
}
END_TEST

START_TEST(notional_overflow_is_an_error_not_a_wrong_number)
{
    stom_instrument i;
    stom_instrument_init(&i, "X", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    int64_t v;
    ck_assert_int_eq(stom_instrument_notional(&i, INT64_MAX / 2, 3, &v), STOM_ERANGE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("instrument");
    TCase *tc = tcase_create("instrument");
    tcase_add_test(tc, krx_stocks_trade_in_whole_won_and_shares);
    tcase_add_test(tc, us_prices_are_cents_and_crypto_quantities_have_eight_decimals);
    tcase_add_test(tc, names_parse_in_any_case_and_unknown_names_are_refused);
    tcase_add_test(tc, notional_overflow_is_an_error_not_a_wrong_number);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
