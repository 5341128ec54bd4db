/*
 * test_oms_journal.c - the order journal in a real PostgreSQL: written
 * ahead once, events recorded with the state in one transaction, a fill
 * reported twice counted once, refused events writing nothing, concurrent
 * recorders taking turns, and the open orders and fills read back for
 * reconciliation.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms.h"
#include "test_db.h"
#include "test_support.h"

static char url[512];
static stom_db *db;

static void setup(void)
{
    stom_test_db_create(url, sizeof url);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, url, &eb) == STOM_OK, "%s", eb.msg);
}

static void teardown(void)
{
    stom_db_close(db);
    stom_test_db_drop(url);
}

static oms_order order(const char *id, int64_t qty)
{
    oms_order o = {.side = -1, .limit = true, .qty = qty, .limit_price = 55500};
    snprintf(o.client_order_id, sizeof o.client_order_id, "%s", id);
    snprintf(o.broker, sizeof o.broker, "sim");
    snprintf(o.account, sizeof o.account, "A-1");
    snprintf(o.strategy, sizeof o.strategy, "sma_cross");
    snprintf(o.symbol, sizeof o.symbol, "005930");
    return o;
}

static int record(const char *id, oms_event e, oms_order *o, bool *applied)
{
    stom_errbuf eb = {{0}};
    return oms_journal_record(db, id, &e, 1700000000000000000LL, o, applied, &eb);
}

static oms_event fill(const char *fill_id, int64_t qty)
{
    oms_event e = {.kind = OMS_EV_FILL, .qty = qty, .price = 55500};
    snprintf(e.fill_id, sizeof e.fill_id, "%s", fill_id);
    return e;
}

START_TEST(an_order_is_written_once_before_it_is_sent)
{
    stom_errbuf eb = {{0}};
    oms_order o = order("w-1", 10);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1, &eb), STOM_OK);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 2, &eb), STOM_ESTATE);
    ck_assert_ptr_nonnull(strstr(eb.msg, "w-1"));
    oms_order back;
    ck_assert_int_eq(oms_journal_get(db, "w-1", &back, &eb), STOM_OK);
    ck_assert_str_eq(oms_state_name(back.state), "pending");
    ck_assert_int_eq(back.side, -1);
    ck_assert(back.limit);
    ck_assert_int_eq(back.limit_price, 55500);
    ck_assert_str_eq(back.strategy, "sma_cross");
    o = order("w-2", 0);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1, &eb), STOM_EINVAL);
    ck_assert_int_eq(oms_journal_get(db, "w-2", &back, &eb), STOM_ENOTFOUND);
}
END_TEST

START_TEST(an_order_written_as_sent_has_its_sent_event_in_one_statement)
{
    stom_errbuf eb = {{0}};
    oms_order o = order("s-1", 10);
    ck_assert_int_eq(oms_journal_write_sent(db, &o, 1, &eb), STOM_OK);
    ck_assert_int_eq(oms_journal_write_sent(db, &o, 2, &eb), STOM_ESTATE);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 2, &eb), STOM_ESTATE);
    oms_order back;
    ck_assert_int_eq(oms_journal_get(db, "s-1", &back, &eb), STOM_OK);
    ck_assert_str_eq(oms_state_name(back.state), "sent");
    ck_assert_int_eq(back.events, 1);
    /* The next event is number 2, as after write_ahead and a recorded 'sent'. */
    oms_event acc = {.kind = OMS_EV_ACCEPTED};
    snprintf(acc.broker_order_id, sizeof acc.broker_order_id, "B1");
    bool applied = false;
    ck_assert_int_eq(record("s-1", acc, &back, &applied), STOM_OK);
    ck_assert(applied);
    ck_assert_int_eq(back.events, 2);
    o = order("s-2", 0);
    ck_assert_int_eq(oms_journal_write_sent(db, &o, 1, &eb), STOM_EINVAL);
    ck_assert_int_eq(oms_journal_get(db, "s-2", &back, &eb), STOM_ENOTFOUND);
}
END_TEST

START_TEST(events_move_the_state_and_a_repeated_fill_counts_once)
{
    stom_errbuf eb = {{0}};
    oms_order o = order("e-1", 10);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1, &eb), STOM_OK);
    bool applied = false;
    ck_assert_int_eq(record("e-1", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    ck_assert(applied);
    ck_assert_int_eq(record("e-1", fill("F1", 4), &o, &applied), STOM_OK);
    ck_assert(applied);
    ck_assert_int_eq(record("e-1", fill("F1", 4), &o, &applied), STOM_OK); /* reported again */
    ck_assert(!applied);
    ck_assert_int_eq(o.filled_qty, 4);
    /* A refused event writes nothing. */
    ck_assert_int_eq(record("e-1", fill("F2", 7), &o, &applied), STOM_EINVAL);
    ck_assert(!applied);
    ck_assert_int_eq(record("e-1", fill("F2", 6), &o, &applied), STOM_OK);
    oms_order back;
    ck_assert_int_eq(oms_journal_get(db, "e-1", &back, &eb), STOM_OK);
    ck_assert_str_eq(oms_state_name(back.state), "filled");
    ck_assert_int_eq(back.filled_qty, 10);
    ck_assert_int_eq(back.filled_value, 10 * 55500);
    ck_assert_int_eq(back.events, 3); /* sent, F1, F2 */
    ck_assert_int_eq(record("e-1", (oms_event){.kind = OMS_EV_CANCELLED}, &o, &applied),
                     STOM_ESTATE);
    ck_assert_int_eq(record("nope", (oms_event){.kind = OMS_EV_SENT}, &o, &applied),
                     STOM_ENOTFOUND);
}
END_TEST

/* Many threads record distinct fills of one order at once: every fill counts, none twice. */
typedef struct racer {
    int index;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    stom_db *mine = NULL;
    stom_errbuf eb = {{0}};
    if (stom_db_connect(&mine, url, &eb) != STOM_OK)
        return (void *)1;
    long failures = 0;
    for (int k = 0; k < 10; k++) {
        char id[32];
        snprintf(id, sizeof id, "T%d-%d", r->index, k);
        oms_event e = fill(id, 1);
        oms_order o;
        bool applied = false;
        failures += oms_journal_record(mine, "r-1", &e, 1, &o, &applied, &eb) != STOM_OK;
        /* and once more, as a broker repeating itself */
        failures += oms_journal_record(mine, "r-1", &e, 1, &o, &applied, &eb) != STOM_OK;
        failures += applied;
    }
    stom_db_close(mine);
    return (void *)failures;
}

START_TEST(concurrent_recorders_take_turns)
{
    stom_errbuf eb = {{0}};
    oms_order o = order("r-1", 40);
    ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1, &eb), STOM_OK);
    bool applied;
    ck_assert_int_eq(record("r-1", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    pthread_t t[4];
    racer r[4];
    for (int i = 0; i < 4; i++) {
        r[i].index = i;
        ck_assert_int_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *failures;
        pthread_join(t[i], &failures);
        ck_assert_int_eq((long)failures, 0);
    }
    oms_order back;
    ck_assert_int_eq(oms_journal_get(db, "r-1", &back, &eb), STOM_OK);
    ck_assert_int_eq(back.filled_qty, 40);
    ck_assert_str_eq(oms_state_name(back.state), "filled");
    ck_assert_int_eq(back.events, 41);
}
END_TEST

START_TEST(open_orders_and_their_fills_are_read_back)
{
    stom_errbuf eb = {{0}};
    const char *ids[] = {"o-1", "o-2", "o-3"};
    for (int i = 0; i < 3; i++) {
        oms_order o = order(ids[i], 5);
        ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1000 + i, &eb), STOM_OK);
    }
    oms_order o;
    bool applied;
    ck_assert_int_eq(record("o-1", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    ck_assert_int_eq(record("o-1", fill("a", 2), &o, &applied), STOM_OK);
    ck_assert_int_eq(record("o-2", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    ck_assert_int_eq(record("o-2", fill("b", 5), &o, &applied), STOM_OK); /* filled: final */
    oms_order *open = NULL;
    size_t n = 0;
    ck_assert_int_eq(oms_journal_open_orders(db, "sim", &open, &n, &eb), STOM_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(open[0].client_order_id, "o-1");
    ck_assert_str_eq(open[1].client_order_id, "o-3");
    ck_assert_str_eq(oms_state_name(open[1].state), "pending");
    free(open);
    oms_broker_fill *fills = NULL;
    ck_assert_int_eq(oms_journal_open_fills(db, "sim", &fills, &n, &eb), STOM_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(fills[0].fill_id, "a");
    ck_assert_int_eq(fills[0].qty, 2);
    free(fills);
    ck_assert_int_eq(oms_journal_open_orders(db, "other", &open, &n, &eb), STOM_OK);
    ck_assert_uint_eq(n, 0);
    free(open);
}
END_TEST

/* After a restart: the journal's open orders and fills, the broker's word, the items recorded. */
START_TEST(reconciliation_brings_the_journal_up_to_date)
{
    stom_errbuf eb = {{0}};
    oms_order o;
    bool applied;
    const char *ids[] = {"k-sent", "k-part", "k-never"};
    for (int i = 0; i < 3; i++) {
        o = order(ids[i], 6);
        ck_assert_int_eq(oms_journal_write_ahead(db, &o, 1000 + i, &eb), STOM_OK);
    }
    ck_assert_int_eq(record("k-sent", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    ck_assert_int_eq(record("k-part", (oms_event){.kind = OMS_EV_SENT}, &o, &applied), STOM_OK);
    ck_assert_int_eq(record("k-part", fill("p1", 2), &o, &applied), STOM_OK);
    /* The engine stops. Meanwhile the broker filled k-sent wholly and k-part once more, then
     * ended k-part; k-never never reached it. */
    oms_broker_fill broker[] = {
        {.qty = 6, .price = 55500}, {.qty = 2, .price = 55500}, {.qty = 1, .price = 55400}};
    snprintf(broker[0].client_order_id, OMS_ID_MAX, "k-sent");
    snprintf(broker[0].fill_id, OMS_ID_MAX, "s1");
    snprintf(broker[1].client_order_id, OMS_ID_MAX, "k-part");
    snprintf(broker[1].fill_id, OMS_ID_MAX, "p1");
    snprintf(broker[2].client_order_id, OMS_ID_MAX, "k-part");
    snprintf(broker[2].fill_id, OMS_ID_MAX, "p2");
    oms_order *open = NULL;
    oms_broker_fill *journaled = NULL;
    size_t n_open = 0, n_journaled = 0, n = 0;
    ck_assert_int_eq(oms_journal_open_orders(db, "sim", &open, &n_open, &eb), STOM_OK);
    ck_assert_int_eq(oms_journal_open_fills(db, "sim", &journaled, &n_journaled, &eb), STOM_OK);
    oms_recon_item *items = NULL;
    ck_assert_int_eq(
        oms_reconcile(open, n_open, journaled, n_journaled, NULL, 0, broker, 3, &items, &n),
        STOM_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(items[i].kind == OMS_RECON_APPLY, "%s", items[i].message);
        ck_assert_int_eq(record(items[i].client_order_id, items[i].event, &o, &applied), STOM_OK);
        ck_assert(applied);
    }
    free(items);
    free(open);
    free(journaled);
    const char *want[] = {"filled", "cancelled", "rejected"};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(oms_journal_get(db, ids[i], &o, &eb), STOM_OK);
        ck_assert_str_eq(oms_state_name(o.state), want[i]);
    }
    ck_assert_int_eq(oms_journal_get(db, "k-part", &o, &eb), STOM_OK);
    ck_assert_int_eq(o.filled_qty, 3);
    ck_assert_int_eq(o.filled_value, 2 * 55500 + 55400);
    ck_assert_int_eq(oms_journal_open_orders(db, "sim", &open, &n_open, &eb), STOM_OK);
    ck_assert_uint_eq(n_open, 0);
    free(open);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("oms_journal");
    TCase *tc = tcase_create("journal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, an_order_is_written_once_before_it_is_sent);
    tcase_add_test(tc, an_order_written_as_sent_has_its_sent_event_in_one_statement);
    tcase_add_test(tc, events_move_the_state_and_a_repeated_fill_counts_once);
    tcase_add_test(tc, concurrent_recorders_take_turns);
    tcase_add_test(tc, open_orders_and_their_fills_are_read_back);
    tcase_add_test(tc, reconciliation_brings_the_journal_up_to_date);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
