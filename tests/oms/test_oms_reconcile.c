/*
 * test_oms_reconcile.c - the journal's open orders against a broker's word
 * after a restart: what is brought up to date, and every kind of mismatch
 * that must halt trading instead of being guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms.h"
#include "test_support.h"

static oms_order jorder(const char *id, oms_state state, int64_t qty, int64_t filled)
{
    oms_order o = {.side = 1, .qty = qty, .state = state, .filled_qty = filled};
    snprintf(o.client_order_id, sizeof o.client_order_id, "%s", id);
    snprintf(o.broker, sizeof o.broker, "sim");
    snprintf(o.account, sizeof o.account, "A");
    snprintf(o.symbol, sizeof o.symbol, "005930");
    o.filled_value = filled * 1000;
    return o;
}

static oms_broker_order bopen(const char *id, const char *broker_id, int64_t filled)
{
    oms_broker_order b = {.filled_qty = filled};
    snprintf(b.client_order_id, sizeof b.client_order_id, "%s", id);
    snprintf(b.broker_order_id, sizeof b.broker_order_id, "%s", broker_id);
    return b;
}

static oms_broker_fill bfill(const char *id, const char *fill_id, int64_t qty)
{
    oms_broker_fill f = {.qty = qty, .price = 1000};
    snprintf(f.client_order_id, sizeof f.client_order_id, "%s", id);
    snprintf(f.fill_id, sizeof f.fill_id, "%s", fill_id);
    return f;
}

typedef struct outcome {
    oms_recon_item *items;
    size_t n;
} outcome;

static outcome run(const oms_order *j, size_t nj, const oms_broker_fill *jf, size_t njf,
                   const oms_broker_order *open, size_t no, const oms_broker_fill *fills, size_t nf)
{
    outcome r = {0};
    ck_assert_int_eq(oms_reconcile(j, nj, jf, njf, open, no, fills, nf, &r.items, &r.n), STOM_OK);
    return r;
}

static void expect_apply(const outcome *r, size_t i, const char *id, oms_event_kind kind)
{
    ck_assert_msg(i < r->n, "only %zu items", r->n);
    ck_assert_msg(r->items[i].kind == OMS_RECON_APPLY, "item %zu is a mismatch: %s", i,
                  r->items[i].message);
    ck_assert_str_eq(r->items[i].client_order_id, id);
    ck_assert_str_eq(oms_event_name(r->items[i].event.kind), oms_event_name(kind));
}

static void expect_mismatch(const outcome *r, const char *words)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].kind == OMS_RECON_MISMATCH && strstr(r->items[i].message, words))
            return;
    ck_abort_msg("no mismatch saying '%s' among %zu items", words, r->n);
}

static size_t mismatches(const outcome *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->items[i].kind == OMS_RECON_MISMATCH;
    return n;
}

START_TEST(unsent_orders_are_rejected_and_working_ones_accepted)
{
    oms_order j[] = {jorder("p", OMS_PENDING, 5, 0), jorder("s", OMS_SENT, 5, 0),
                     jorder("w", OMS_SENT, 5, 0)};
    oms_broker_order open[] = {bopen("w", "B-9", 0)};
    outcome r = run(j, 3, NULL, 0, open, 1, NULL, 0);
    ck_assert_uint_eq(r.n, 3);
    expect_apply(&r, 0, "p", OMS_EV_REJECTED);
    ck_assert_str_eq(r.items[0].event.reason, "not sent before the engine stopped");
    expect_apply(&r, 1, "s", OMS_EV_REJECTED);
    expect_apply(&r, 2, "w", OMS_EV_ACCEPTED);
    ck_assert_str_eq(r.items[2].event.broker_order_id, "B-9");
    free(r.items);
}
END_TEST

START_TEST(missing_fills_are_added_and_ended_orders_closed)
{
    /* a: partly filled in the journal (fill f1), the broker has f1 and f2 and still works it.
     * b: accepted, filled wholly at the broker while the engine was down.
     * c: partly filled, the broker no longer works it (expired at the close). */
    oms_order j[] = {jorder("a", OMS_PARTIALLY_FILLED, 10, 2), jorder("b", OMS_ACCEPTED, 4, 0),
                     jorder("c", OMS_PARTIALLY_FILLED, 6, 1)};
    oms_broker_fill jf[] = {bfill("a", "f1", 2), bfill("c", "g1", 1)};
    oms_broker_order open[] = {bopen("a", "B-1", 5)};
    oms_broker_fill fills[] = {bfill("a", "f1", 2), bfill("a", "f2", 3), bfill("b", "h1", 4),
                               bfill("c", "g1", 1)};
    outcome r = run(j, 3, jf, 2, open, 1, fills, 4);
    ck_assert_uint_eq(mismatches(&r), 0);
    ck_assert_uint_eq(r.n, 3);
    expect_apply(&r, 0, "a", OMS_EV_FILL);
    ck_assert_str_eq(r.items[0].event.fill_id, "f2");
    expect_apply(&r, 1, "b", OMS_EV_FILL); /* b becomes filled: nothing to close */
    expect_apply(&r, 2, "c", OMS_EV_CANCELLED);
    ck_assert_str_eq(r.items[2].event.reason, "ended at the broker");
    free(r.items);
}
END_TEST

START_TEST(what_cannot_be_matched_is_a_mismatch)
{
    oms_order j[] = {jorder("x", OMS_ACCEPTED, 5, 0), jorder("y", OMS_PARTIALLY_FILLED, 5, 2),
                     jorder("z", OMS_ACCEPTED, 5, 0)};
    oms_broker_fill jf[] = {bfill("y", "lost", 2)};
    oms_broker_order open[] = {bopen("stranger", "B-5", 0), bopen("z", "B-6", 4)};
    oms_broker_fill fills[] = {bfill("x", "k1", 4), bfill("x", "k2", 4), bfill("ghost", "k3", 1)};
    outcome r = run(j, 3, jf, 1, open, 2, fills, 3);
    expect_mismatch(&r, "4 is over the 1 still open"); /* x overfilled */
    expect_mismatch(&r, "journal has fill lost of order y, which the broker does not report");
    expect_mismatch(&r, "the broker says order z has 4 filled, its fills add up to 0");
    expect_mismatch(&r, "the broker works order stranger (broker id B-5)");
    expect_mismatch(&r, "fill k3 of order ghost");
    free(r.items);
}
END_TEST

START_TEST(nothing_to_do_when_the_journal_agrees)
{
    oms_order j[] = {jorder("a", OMS_PARTIALLY_FILLED, 10, 2)};
    oms_broker_fill jf[] = {bfill("a", "f1", 2)};
    oms_broker_order open[] = {bopen("a", "B-1", 2)};
    oms_broker_fill fills[] = {bfill("a", "f1", 2)};
    outcome r = run(j, 1, jf, 1, open, 1, fills, 1);
    ck_assert_uint_eq(r.n, 0);
    free(r.items);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("oms_reconcile");
    TCase *tc = tcase_create("reconcile");
    tcase_add_test(tc, unsent_orders_are_rejected_and_working_ones_accepted);
    tcase_add_test(tc, missing_fills_are_added_and_ended_orders_closed);
    tcase_add_test(tc, what_cannot_be_matched_is_a_mismatch);
    tcase_add_test(tc, nothing_to_do_when_the_journal_agrees);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
