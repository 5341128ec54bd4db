/*
 * test_risk_cli.c - `stom risk show|set|events` as a trader runs them.
 *
 * First without a gateway: --help, and the usage errors that name the bad
 * key or value (exit 2) before anything is sent. Then through the real
 * stom-gateway (gateway_fixture.h) on a fresh database, with no engine
 * running: settings are set key by key and from a file, shown as a trader
 * reads them (won with separators, percents, the STOM names), refused by
 * the engine's parser with the field named (exit 1), and another trader's
 * account is not found (exit 2); risk events are rows the engine writes,
 * inserted here as the engine would, read back newest first in KST.
 *
 * Ports 18700-18739. Built only where the gateway exists (STOM_GATEWAY_BIN).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#ifdef STOM_GATEWAY_BIN

#define GF_PORT_BASE  18700
#define GF_PORT_COUNT 40
#include "gateway_fixture.h"

START_TEST(risk_explains_itself_and_refuses_bad_settings_before_sending)
{
    static result r;
    stom(&r, "risk --help");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "Usage: stom risk show");
    stom(&r, "risk set --help");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "손실중지");
    stom(&r, "--help");
    EXPECT_OUT(&r, "  risk ");
    static const char *const cases[][2] = {
        {"risk", "stom risk needs show, set or events"},
        {"risk set", "needs KEY=VALUE settings"},
        {"risk set speed=3", "'speed=3' is not KEY=VALUE"},
        {"risk set capital=-5", "capital: '-5' is not a whole number of won"},
        {"risk set daily_loss_stop_bp=2.345%", "daily_loss_stop_bp: '2.345%' is not a percent"},
        {"risk set liquidate_at_end=yes", "liquidate_at_end: 'yes' is not true or false"},
        {"risk set capital=1 --file x.json", "KEY=VALUE settings or --file, not both"},
        {"risk show extra", "unexpected argument 'extra'"},
        {"risk events --limit 0", "--limit '0' must be a whole number"},
        {"risk events --file x", "--file is not an option of stom risk events"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        stom(&r, cases[k][0]);
        EXPECT_EXIT(&r, 2);
        EXPECT_ERR(&r, cases[k][1]);
    }
}
END_TEST

START_TEST(settings_are_set_shown_and_refused_with_the_field_named)
{
    static result r;
    gf_trader_with_account("kim");
    stom(&r, "risk show");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "계좌 sim-kim: 위험 설정 없음 no risk settings");

    stom(&r, "risk set capital=100,000,000 daily_loss_stop_bp=3% max_order_value=5000000 "
             "end_time=15:10 liquidate_at_end=true");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "stored; the engine is not running");
    EXPECT_OUT(&r, "투자원금 capital");
    EXPECT_OUT(&r, "100,000,000원");
    EXPECT_OUT(&r, "손실중지 daily loss stop");
    EXPECT_OUT(&r, "3.00% (300 bp)");
    EXPECT_OUT(&r, "5,000,000원");
    EXPECT_OUT(&r, "15:10");
    EXPECT_OUT(&r, "예 yes");

    /* A change keeps the other keys; none removes one. */
    stom(&r, "risk set --account sim-kim max_order_value=none max_positions=5");
    EXPECT_EXIT(&r, 0);
    stom(&r, "risk show --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    json_t *limits = json_object_get(j, "limits");
    ck_assert_int_eq(json_integer_value(json_object_get(limits, "capital")), 100000000);
    ck_assert_int_eq(json_integer_value(json_object_get(limits, "max_positions")), 5);
    ck_assert_ptr_null(json_object_get(limits, "max_order_value"));
    ck_assert_str_eq(json_string_value(json_object_get(j, "account")), "sim-kim");
    json_decref(j);

    char path[160];
    write_file("risk.json",
               "{\"capital\": 50000000, \"strategies\": {\"demo-sma\": {\"max_order_value\": "
               "1000000}}}",
               path, sizeof path);
    char args[256];
    snprintf(args, sizeof args, "risk set --file %s", path);
    stom(&r, args);
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "50,000,000원");
    EXPECT_OUT(&r, "전략 demo-sma");
    EXPECT_OUT(&r, "1,000,000원");
    EXPECT_NO_OUT(&r, "손실중지"); /* replaced whole */

    write_file("bad.json", "{\"capital\": 50000000, \"max_positions\": -1}", path, sizeof path);
    snprintf(args, sizeof args, "risk set --file %s", path);
    stom(&r, args);
    EXPECT_EXIT(&r, 1);
    EXPECT_ERR(&r, "max_positions");

    create_user("lee", "trader");
    gf_sql("INSERT INTO broker_accounts (account, broker, user_id, name, paper) SELECT 'sim-lee', "
           "'sim', id, 'x', true FROM users WHERE username = $1 RETURNING account",
           "lee");
    stom(&r, "risk show --account sim-lee");
    EXPECT_EXIT(&r, 2);
    stom(&r, "risk set --account sim-lee capital=1");
    EXPECT_EXIT(&r, 2);
}
END_TEST

START_TEST(risk_events_read_newest_first_in_kst_with_korean_kinds)
{
    static result r;
    gf_trader_with_account("park");
    stom(&r, "risk events");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "no risk events");
    gf_sql(
        "INSERT INTO risk_events (account, instance_id, kind, action, rule, symbol, limit_value, "
        "value, message, at) VALUES ($1, 'sma-1', 'order_size', 'block_order', "
        "'max_order_value', '005930', 5000000, 7100000, 'order value 7,100,000 over limit "
        "5,000,000', '2026-11-20 00:05:00+00') RETURNING id",
        "sim-park");
    gf_sql("INSERT INTO risk_events (account, kind, action, rule, limit_value, value, message, at) "
           "VALUES ($1, 'daily_loss', 'halt_trading', 'daily_loss_stop_bp', 300, 312, 'daily loss "
           "stop', '2026-11-20 01:00:00+00') RETURNING id",
           "sim-park");
    stom(&r, "risk events");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "손실중지 daily_loss");
    EXPECT_OUT(&r, "거래중지 halt_trading");
    EXPECT_OUT(&r, "주문한도 order_size");
    EXPECT_OUT(&r, "주문차단 block_order");
    EXPECT_OUT(&r, "2026-11-20 10:00:00");
    EXPECT_OUT(&r, "7,100,000");
    EXPECT_OUT(&r, "3.12%"); /* a _bp rule's value as a percent */
    ck_assert_msg(strstr(r.out, "daily_loss") < strstr(r.out, "order_size"), "newest first:\n%s",
                  r.out);
    stom(&r, "risk events --json --limit 1 --account sim-park");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    json_t *events = json_object_get(j, "events");
    ck_assert_int_eq((int)json_array_size(events), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(events, 0), "kind")),
                     "daily_loss");
    json_decref(j);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_risk");
    TCase *tc = tcase_create("without a gateway");
    tcase_add_checked_fixture(tc, gf_no_gateway, NULL);
    tcase_add_test(tc, risk_explains_itself_and_refuses_bad_settings_before_sending);
    suite_add_tcase(s, tc);
    tc = tcase_create("through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, settings_are_set_shown_and_refused_with_the_field_named);
    tcase_add_test(tc, risk_events_read_newest_first_in_kst_with_korean_kinds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}

#else

int main(void)
{
    puts("risk CLI test skipped: stom-gateway is not built");
    return 0;
}

#endif
