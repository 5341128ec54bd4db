/*
 * test_oms_order.c - the order state machine: every allowed transition,
 * every refused one, partial and complete fills, overfills, and the order
 * checks that name the bad field.
 */
#include <stdio.h>
#include <string.h>

#include "oms.h"
#include "test_support.h"

static oms_order new_order(int64_t qty)
{
    oms_order o = {.side = 1, .limit = true, .qty = qty, .limit_price = 70000};
    snprintf(o.client_order_id, sizeof o.client_order_id, "c-1");
    snprintf(o.broker, sizeof o.broker, "sim");
    snprintf(o.account, sizeof o.account, "A");
    snprintf(o.symbol, sizeof o.symbol, "005930");
    return o;
}

static oms_event ev(oms_event_kind kind)
{
    return (oms_event){.kind = kind};
}

static oms_event fill(const char *id, int64_t qty, int64_t price)
{
    oms_event e = {.kind = OMS_EV_FILL, .qty = qty, .price = price};
    snprintf(e.fill_id, sizeof e.fill_id, "%s", id);
    return e;
}

static void ok(oms_order *o, oms_event e, oms_state want)
{
    stom_errbuf eb = {{0}};
    ck_assert_msg(oms_apply(o, &e, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_str_eq(oms_state_name(o->state), oms_state_name(want));
}

static void refused(oms_order *o, oms_event e, int want_rc, const char *words)
{
    stom_errbuf eb = {{0}};
    oms_order before = *o;
    ck_assert_int_eq(oms_apply(o, &e, &eb), want_rc);
    ck_assert_msg(strstr(eb.msg, words), "message '%s' lacks '%s'", eb.msg, words);
    ck_assert_int_eq(memcmp(&before, o, sizeof before), 0); /* unchanged */
}

START_TEST(an_order_is_sent_accepted_partly_then_wholly_filled)
{
    oms_order o = new_order(10);
    ok(&o, ev(OMS_EV_SENT), OMS_SENT);
    oms_event acc = ev(OMS_EV_ACCEPTED);
    snprintf(acc.broker_order_id, sizeof acc.broker_order_id, "B-77");
    ok(&o, acc, OMS_ACCEPTED);
    ck_assert_str_eq(o.broker_order_id, "B-77");
    ok(&o, fill("f1", 4, 70000), OMS_PARTIALLY_FILLED);
    ok(&o, fill("f2", 6, 69900), OMS_FILLED);
    ck_assert_int_eq(o.filled_qty, 10);
    ck_assert_int_eq(o.filled_value, 4 * 70000 + 6 * 69900);
    ck_assert_int_eq(o.events, 4);
    ck_assert(oms_state_final(o.state));
    refused(&o, ev(OMS_EV_CANCELLED), STOM_ESTATE, "which is filled");
    refused(&o, fill("f3", 1, 70000), STOM_ESTATE, "which is filled");
}
END_TEST

START_TEST(a_fill_before_the_acknowledgement_and_a_late_acknowledgement)
{
    oms_order o = new_order(10);
    ok(&o, ev(OMS_EV_SENT), OMS_SENT);
    ok(&o, fill("f1", 3, 70000), OMS_PARTIALLY_FILLED);
    oms_event acc = ev(OMS_EV_ACCEPTED);
    snprintf(acc.broker_order_id, sizeof acc.broker_order_id, "B-1");
    ok(&o, acc, OMS_PARTIALLY_FILLED); /* late: only the broker's id */
    ck_assert_str_eq(o.broker_order_id, "B-1");
    ok(&o, ev(OMS_EV_CANCELLED), OMS_CANCELLED);
    ck_assert_int_eq(o.filled_qty, 3);
}
END_TEST

START_TEST(events_out_of_order_are_refused_and_change_nothing)
{
    oms_order o = new_order(10);
    refused(&o, fill("f1", 1, 70000), STOM_ESTATE, "fill of order c-1, which is pending");
    refused(&o, ev(OMS_EV_CANCELLED), STOM_ESTATE, "which is pending");
    ok(&o, ev(OMS_EV_SENT), OMS_SENT);
    refused(&o, ev(OMS_EV_SENT), STOM_ESTATE, "sent of order c-1, which is sent");
    oms_event rej = ev(OMS_EV_REJECTED);
    snprintf(rej.reason, sizeof rej.reason, "price off the tick grid");
    ok(&o, rej, OMS_REJECTED);
    ck_assert_str_eq(o.reason, "price off the tick grid");
    refused(&o, ev(OMS_EV_ACCEPTED), STOM_ESTATE, "which is rejected");
}
END_TEST

START_TEST(overfills_and_malformed_fills_are_refused)
{
    oms_order o = new_order(10);
    ok(&o, ev(OMS_EV_SENT), OMS_SENT);
    ok(&o, fill("f1", 7, 70000), OMS_PARTIALLY_FILLED);
    refused(&o, fill("f2", 4, 70000), STOM_EINVAL, "4 is over the 3 still open (of 10)");
    refused(&o, fill("f2", 0, 70000), STOM_EINVAL, "above 0");
    refused(&o, fill("f2", 1, 0), STOM_EINVAL, "above 0");
    refused(&o, fill("", 1, 70000), STOM_EINVAL, "fill id");
    ok(&o, fill("f2", 3, 70000), OMS_FILLED);
}
END_TEST

START_TEST(order_checks_name_the_field)
{
    stom_errbuf eb = {{0}};
    oms_order o = new_order(10);
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_OK);
    o.qty = 0;
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "qty"));
    o = new_order(10);
    o.side = 2;
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "side"));
    o = new_order(10);
    o.limit_price = 0;
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "limit_price"));
    o = new_order(10);
    o.limit = false; /* a market order with a price */
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_EINVAL);
    o.account[0] = '\0';
    ck_assert_int_eq(oms_order_check(&o, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "account"));
}
END_TEST

START_TEST(names_round_trip)
{
    for (int s = OMS_PENDING; s <= OMS_REJECTED; s++) {
        oms_state back;
        ck_assert(oms_state_parse(oms_state_name((oms_state)s), &back));
        ck_assert_int_eq(back, s);
    }
    for (int k = OMS_EV_SENT; k <= OMS_EV_CANCELLED; k++) {
        oms_event_kind back;
        ck_assert(oms_event_parse(oms_event_name((oms_event_kind)k), &back));
        ck_assert_int_eq(back, k);
    }
    oms_state s;
    ck_assert(!oms_state_parse("open", &s));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("oms_order");
    TCase *tc = tcase_create("order");
    tcase_add_test(tc, an_order_is_sent_accepted_partly_then_wholly_filled);
    tcase_add_test(tc, a_fill_before_the_acknowledgement_and_a_late_acknowledgement);
    tcase_add_test(tc, events_out_of_order_are_refused_and_change_nothing);
    tcase_add_test(tc, overfills_and_malformed_fills_are_refused);
    tcase_add_test(tc, order_checks_name_the_field);
    tcase_add_test(tc, names_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
