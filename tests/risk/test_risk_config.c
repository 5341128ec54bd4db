/*
 * test_risk_config.c - the risk configuration as JSON: a good document sets
 * the limits the checks use, a bad one is refused whole with the field and
 * the value named, and reloading keeps positions and halts.
 */
#include <stdio.h>
#include <string.h>

#include "risk_fixture.h"
#include "test_support.h"

static stom_risk *risk;
static stom_instrument sam;

static void setup(void)
{
    stom_risk_create(&risk);
    sam = kospi("005930");
}

static void teardown(void)
{
    stom_risk_destroy(risk);
}

static int load(const char *json, stom_errbuf *eb)
{
    memset(eb, 0, sizeof *eb);
    return stom_risk_load_json(risk, json, strlen(json), eb);
}

static const char good[] =
    "{\"accounts\": {\"A\": {\"capital\": 100000000, \"max_order_value\": 10000000,"
    " \"daily_loss_stop_bp\": 300, \"max_orders_per_second\": 5, \"fat_finger_bp\": null,"
    " \"strategies\": {\"S\": {\"max_order_value\": 5000000, \"end_time\": \"15:10\","
    " \"liquidate_at_end\": true}}}}}";

START_TEST(a_good_document_sets_the_limits_the_checks_use)
{
    stom_errbuf eb;
    stom_risk_verdict v;
    bool liquidate = false;
    ck_assert_msg(load(good, &eb) == 0, "%s", eb.msg);
    stom_risk_order o = buy_at(&sam, "A", NULL, 1001, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.limit, 10000000);
    o.strategy = "S";
    o.qty = 501;
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.limit, 5000000);
    ck_assert(stom_risk_end_due(risk, "A", "S", kst_ns(DAY1, 15, 10, 0), &liquidate));
    ck_assert(liquidate);
    ck_assert(!stom_risk_end_due(risk, "A", "S", kst_ns(DAY1, 15, 9, 59), &liquidate));
}
END_TEST

/* Each bad document and the exact message it must give. */
static const struct {
    const char *json, *message;
} bad[] = {
    {"{\"accounts\": {\"A\": {\"max_order_value\": -5}}}",
     "risk.accounts.A.max_order_value: must be a positive amount of won, not -5"},
    {"{\"accounts\": {\"A\": {\"max_order_value\": \"10M\"}}}",
     "risk.accounts.A.max_order_value: must be a positive amount of won, not \"10M\""},
    {"{\"accounts\": {\"A\": {\"capital_per_trade\": 1.5}}}",
     "risk.accounts.A.capital_per_trade: must be a positive amount of won, not 1.5"},
    {"{\"accounts\": {\"A\": {\"max_ordr_value\": 5}}}",
     "risk.accounts.A.max_ordr_value: unknown key"},
    {"{\"accounts\": {\"A\": {\"strategies\": {\"S\": {\"fat_finger_bp\": 10001}}}}}",
     "risk.accounts.A.strategies.S.fat_finger_bp: must be a positive number of basis points up "
     "to 10000, not 10001"},
    {"{\"accounts\": {\"A\": {\"end_time\": \"25:00\"}}}",
     "risk.accounts.A.end_time: must be a KST time \"HH:MM\" or \"HH:MM:SS\", not \"25:00\""},
    {"{\"accounts\": {\"A\": {\"liquidate_at_end\": 1}}}",
     "risk.accounts.A.liquidate_at_end: must be true or false, not 1"},
    {"{\"accounts\": {\"A\": {\"max_orders_per_second\": 1001}}}",
     "risk.accounts.A.max_orders_per_second: must be a positive count up to 1000, not 1001"},
    {"{\"accounts\": {\"A\": {\"daily_loss_stop_bp\": 300}}}",
     "risk.accounts.A.capital: required (the daily stops and the drawdown switch are basis "
     "points of it), not unset"},
    {"{\"accounts\": {\"A\": {\"strategies\": []}}}",
     "risk.accounts.A.strategies: must be an object"},
    {"{\"accounts\": {\"A\": 5}}", "risk.accounts.A: must be an object"},
    {"{\"acounts\": {}}", "risk.acounts: unknown key"},
    {"[]", "risk: must be an object"},
};

START_TEST(a_bad_document_is_refused_with_the_field_and_value_named)
{
    stom_errbuf eb;
    int rc = load(bad[_i].json, &eb);
    ck_assert_int_lt(rc, 0);
    ck_assert_str_eq(eb.msg, bad[_i].message);
}
END_TEST

START_TEST(malformed_json_and_duplicate_keys_are_refused)
{
    stom_errbuf eb;
    ck_assert_int_eq(load("{\"accounts\": {", &eb), STOM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(eb.msg, "risk: line 1"));
    ck_assert_int_eq(load("{\"accounts\": {\"A\": {\"capital\": 1, \"capital\": 2}}}", &eb),
                     STOM_EFORMAT);
}
END_TEST

START_TEST(a_refused_document_changes_nothing)
{
    stom_errbuf eb;
    stom_risk_verdict v;
    ck_assert_int_eq(load(good, &eb), 0);
    ck_assert_int_lt(load("{\"accounts\": {\"A\": {}, \"B\": {\"max_positions\": 0}}}", &eb), 0);
    ck_assert_str_eq(eb.msg, "risk.accounts.B.max_positions: must be a positive count, not 0");
    stom_risk_order o = buy_at(&sam, "A", NULL, 1001, 10000);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_int_eq(v.limit, 10000000);
    o.account = "B";
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.rule, "account");
}
END_TEST

START_TEST(reloading_keeps_positions_and_halts_and_drops_accounts_left_out)
{
    stom_errbuf eb;
    stom_risk_verdict v;
    stom_risk_figures fig;
    ck_assert_int_eq(load(good, &eb), 0);
    stom_risk_fill f = {"A", "S", &sam, 1, 10, 10000, 0, kst_ns(DAY1, 9, 0, 0)};
    ck_assert_int_eq(stom_risk_fill_apply(risk, &f), 0);
    ck_assert_int_eq(stom_risk_halt(risk, "A", "S", "check", kst_ns(DAY1, 9, 1, 0)), 0);
    ck_assert_int_eq(load("{\"accounts\": {\"A\": {}, \"B\": {}}}", &eb), 0);
    ck_assert_int_eq(stom_risk_figures_get(risk, "A", "S", &fig), 0);
    ck_assert_int_eq(fig.positions, 1);
    ck_assert(stom_risk_halted(risk, "A", "S", NULL, 0));
    stom_risk_order o = buy_at(&sam, "A", NULL, 1001, 10000);
    ck_assert_msg(stom_risk_check(risk, &o, &v), "%s", v.message);
    ck_assert_int_eq(load("{\"accounts\": {\"B\": {}}}", &eb), 0);
    ck_assert(!stom_risk_check(risk, &o, &v));
    ck_assert_str_eq(v.message, "account: A has no risk configuration");
}
END_TEST

START_TEST(set_limits_refuses_what_the_json_loader_refuses)
{
    stom_errbuf eb = {{0}};
    stom_risk_limits l;
    stom_risk_limits_init(&l);
    l.max_order_value = 0;
    ck_assert_int_eq(stom_risk_set_limits(risk, "A", NULL, &l, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "risk.accounts.A.max_order_value: must be a positive amount of won "
                             "up to 100000000000000, not 0");
    stom_risk_limits_init(&l);
    ck_assert_int_eq(stom_risk_set_limits(risk, "A", "S", &l, &eb), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_risk_set_limits(risk, "", NULL, &l, &eb), STOM_EINVAL);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("risk_config");
    TCase *tc = tcase_create("json");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_good_document_sets_the_limits_the_checks_use);
    tcase_add_loop_test(tc, a_bad_document_is_refused_with_the_field_and_value_named, 0,
                        (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, malformed_json_and_duplicate_keys_are_refused);
    tcase_add_test(tc, a_refused_document_changes_nothing);
    tcase_add_test(tc, reloading_keeps_positions_and_halts_and_drops_accounts_left_out);
    tcase_add_test(tc, set_limits_refuses_what_the_json_loader_refuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(config_suite());
}
