/*
 * test_broker_sim_process.c - the real stom-broker-sim process over the
 * broker protocol: a market order fills and its events arrive in sequence,
 * a repeated client order id gets the first answer and changes nothing, a
 * rejection names its rule with the protocol's code, a resting order is
 * listed and cancelled, the account and positions add up to the fills, and
 * trades are published.
 */
#include <stdio.h>

#ifdef STOM_BROKER_SIM_BIN

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stom/broker.h"
#include "stom/broker_client.h"
#include "test_proc.h"
#include "test_support.h"

#define REP "tcp://127.0.0.1:18560"
#define PUB "tcp://127.0.0.1:18561"

static char dir[64];
static pid_t sim;
static stom_broker_client *client;
static stom_broker_feed *feed;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-sim-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *argv[] = {
        "stom-broker-sim",  "--rep",     REP,    "--pub",  PUB,        "--start",
        "2024-01-02 10:00", "--step-ms", "20",   "--cash", "10000000", "--symbols",
        "005930:70000",     "--depth",   "3:10", NULL};
    sim = tp_spawn(dir, "sim", STOM_BROKER_SIM_BIN, argv, NULL);
    stom_errbuf eb = {{0}};
    stom_broker_client_options co = {.sender = "test-engine",
                                     .service = "broker-sim",
                                     .req_spec = REP,
                                     .timeout_ms = 3000,
                                     .attempts = 3};
    ck_assert_msg(stom_broker_client_open(&client, &co, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_msg(stom_broker_feed_open(&feed, "sim", PUB, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(stom_broker_feed_subscribe_orders(feed, "paper", &eb), STOM_OK);
    ck_assert_int_eq(stom_broker_feed_subscribe_md(feed, "005930", &eb), STOM_OK);
    /* The path prints every 20 ms: the first one received says the subscription is live, so
     * that no order event of the test is published before it (nng's slow joiner). */
    stom_broker_event e;
    int rc = STOM_ETIMEDOUT;
    for (int k = 0; k < 100 && rc == STOM_ETIMEDOUT; k++)
        rc = stom_broker_feed_recv(feed, 100, &e, &eb);
    if (rc != STOM_OK)
        tp_show_log(dir, "sim");
    ck_assert_msg(rc == STOM_OK, "no trade from stom-broker-sim: %s", eb.msg);
    stom_broker_event_free(&e);
}

static void teardown(void)
{
    stom_broker_feed_close(feed);
    stom_broker_client_close(client);
    int st = tp_end(&sim, SIGTERM);
    if (st)
        tp_show_log(dir, "sim");
    tp_remove_dir(dir);
}

static void call(Stom__V1__BrokerRequest *req, stom_broker_reply *r)
{
    stom_errbuf eb = {{0}};
    int rc = STOM_ETIMEDOUT;
    for (int tries = 0; tries < 20 && rc == STOM_ETIMEDOUT; tries++) /* the process starts */
        rc = stom_broker_client_call(client, req, r, &eb);
    if (rc != STOM_OK)
        tp_show_log(dir, "sim");
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
}

static Stom__V1__OrderRequest order(const char *id, Stom__V1__Side side, bool limit, int64_t price,
                                    int64_t qty)
{
    Stom__V1__OrderRequest o = STOM__V1__ORDER_REQUEST__INIT;
    o.client_order_id = (char *)id;
    o.account = (char *)"paper";
    o.symbol = (char *)"005930";
    o.has_side = o.has_type = o.has_qty = true;
    o.side = side;
    o.type =
        limit ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    o.qty = qty;
    o.has_price = limit;
    o.price = price;
    return o;
}

static void place(Stom__V1__OrderRequest *o, stom_broker_reply *r)
{
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_PLACE;
    req.place = o;
    call(&req, r);
}

/* The next order event for the account (trades are skipped), owned by *e. */
static const Stom__V1__OrderEvent *next_order_event(stom_broker_event *e)
{
    stom_errbuf eb = {{0}};
    for (;;) {
        ck_assert_msg(stom_broker_feed_recv(feed, 5000, e, &eb) == STOM_OK, "no event: %s", eb.msg);
        const Stom__V1__Envelope *env = e->rx.msg.env;
        if (env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT) {
            ck_assert_int_eq(e->status, STOM_BUS_SEQ_OK);
            return env->order_event;
        }
        stom_broker_event_free(e);
    }
}

START_TEST(a_market_buy_fills_and_its_events_arrive_in_order_once)
{
    Stom__V1__OrderRequest o = order("buy-1", STOM__V1__SIDE__SIDE_BUY, false, 0, 15);
    stom_broker_reply r = {0};
    place(&o, &r);
    ck_assert_ptr_null(r.reply->error);
    ck_assert_int_eq(r.reply->reply_case, STOM__V1__BROKER_REPLY__REPLY_PLACED);
    ck_assert_int_eq(r.reply->placed->status, STOM__V1__ORDER_STATUS__ORDER_STATUS_FILLED);
    char no[32];
    snprintf(no, sizeof no, "%s", r.reply->placed->broker_order_no);
    stom_broker_reply_free(&r);

    stom_broker_event e1, e2, e3;
    const Stom__V1__OrderEvent *acc = next_order_event(&e1);
    ck_assert_int_eq(acc->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED);
    ck_assert_str_eq(acc->client_order_id, "buy-1");
    const Stom__V1__OrderEvent *f1 = next_order_event(&e2); /* 10 at +1 tick */
    ck_assert_int_eq(f1->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED);
    ck_assert_int_eq(f1->fill_qty, 10);
    const Stom__V1__OrderEvent *f2 = next_order_event(&e3); /* 5 at +2 ticks */
    ck_assert_int_eq(f2->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED);
    ck_assert_int_eq(f2->cum_qty, 15);
    ck_assert_int_eq(f2->remaining_qty, 0);
    int64_t spent =
        f1->fill_qty * f1->fill_price + f1->fees + f2->fill_qty * f2->fill_price + f2->fees;
    stom_broker_event_free(&e1);
    stom_broker_event_free(&e2);
    stom_broker_event_free(&e3);

    /* The same client order id again: the first answer, nothing placed. */
    place(&o, &r);
    ck_assert_str_eq(r.reply->placed->broker_order_no, no);
    stom_broker_reply_free(&r);
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__PositionsRequest pr = STOM__V1__POSITIONS_REQUEST__INIT;
    pr.account = (char *)"paper";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS;
    req.positions = &pr;
    call(&req, &r);
    ck_assert_uint_eq(r.reply->positions->n_positions, 1);
    ck_assert_int_eq(r.reply->positions->positions[0]->qty, 15);
    stom_broker_reply_free(&r);
    Stom__V1__AccountRequest ar = STOM__V1__ACCOUNT_REQUEST__INIT;
    ar.account = (char *)"paper";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT;
    req.account = &ar;
    call(&req, &r);
    ck_assert_int_eq(r.reply->account->cash, 10000000 - spent);
    stom_broker_reply_free(&r);
}
END_TEST

START_TEST(a_rejection_names_its_rule_and_a_resting_order_is_cancelled)
{
    Stom__V1__OrderRequest bad = order("bad-1", STOM__V1__SIDE__SIDE_BUY, true, 70050, 1);
    stom_broker_reply r = {0};
    place(&bad, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_int_eq(r.reply->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_REJECTED);
    ck_assert_ptr_nonnull(strstr(r.reply->error->message, "tick grid"));
    stom_broker_reply_free(&r);
    Stom__V1__OrderRequest poor = order("poor-1", STOM__V1__SIDE__SIDE_BUY, true, 70000, 1000);
    place(&poor, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_int_eq(r.reply->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_INSUFFICIENT_FUNDS);
    stom_broker_reply_free(&r);

    Stom__V1__OrderRequest rest = order("rest-1", STOM__V1__SIDE__SIDE_BUY, true, 60000, 3);
    place(&rest, &r);
    ck_assert_msg(!r.reply->error, "%s", r.reply->error ? r.reply->error->message : "");
    ck_assert_int_eq(r.reply->placed->status, STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN);
    stom_broker_reply_free(&r);
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__OpenOrdersRequest oo = STOM__V1__OPEN_ORDERS_REQUEST__INIT;
    oo.account = (char *)"paper";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS;
    req.open_orders = &oo;
    call(&req, &r);
    ck_assert_uint_eq(r.reply->open_orders->n_orders, 1);
    ck_assert_str_eq(r.reply->open_orders->orders[0]->order->client_order_id, "rest-1");
    stom_broker_reply_free(&r);
    Stom__V1__CancelOrder cx = STOM__V1__CANCEL_ORDER__INIT;
    cx.client_order_id = (char *)"cancel-1";
    cx.orig_client_order_id = (char *)"rest-1";
    cx.account = (char *)"paper";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_CANCEL;
    req.cancel = &cx;
    call(&req, &r);
    ck_assert_ptr_null(r.reply->error);
    ck_assert_int_eq(r.reply->cancelled->status, STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED);
    stom_broker_reply_free(&r);
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS;
    req.open_orders = &oo; /* the request's kinds share one union */
    call(&req, &r);
    ck_assert_uint_eq(r.reply->open_orders->n_orders, 0);
    stom_broker_reply_free(&r);
    /* Every order's end reaches the feed: the two refusals, then rest-1's life. */
    const char *want_id[] = {"bad-1", "poor-1", "rest-1", "rest-1"};
    const Stom__V1__OrderEventKind want[] = {
        STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED,
        STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED,
        STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED,
        STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED};
    for (int k = 0; k < 4; k++) {
        stom_broker_event e;
        const Stom__V1__OrderEvent *ev = next_order_event(&e);
        ck_assert_int_eq(ev->kind, want[k]);
        ck_assert_str_eq(ev->client_order_id, want_id[k]);
        if (k == 0)
            ck_assert_ptr_nonnull(strstr(ev->reason, "tick grid"));
        stom_broker_event_free(&e);
    }
}
END_TEST

START_TEST(the_price_path_is_published_as_trades)
{
    stom_errbuf eb = {{0}};
    /* A request first, so that the process is up before the feed waits. */
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__QuoteRequest q = STOM__V1__QUOTE_REQUEST__INIT;
    q.symbol = (char *)"005930";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_QUOTE;
    req.quote = &q;
    stom_broker_reply r = {0};
    call(&req, &r);
    ck_assert_int_ge(r.reply->quote->last->price, 49000);
    stom_broker_reply_free(&r);
    int trades = 0;
    for (int k = 0; k < 200 && trades < 5; k++) {
        stom_broker_event e;
        ck_assert_msg(stom_broker_feed_recv(feed, 5000, &e, &eb) == STOM_OK, "%s", eb.msg);
        if (e.rx.msg.env->body_case == STOM__V1__ENVELOPE__BODY_TRADE) {
            const Stom__V1__Trade *t = e.rx.msg.env->trade;
            ck_assert_str_eq(t->symbol, "005930");
            ck_assert_int_ge(t->price, 49000);
            ck_assert_int_le(t->price, 91000);
            trades++;
        }
        stom_broker_event_free(&e);
    }
    ck_assert_int_eq(trades, 5);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("broker_sim_process");
    TCase *tc = tcase_create("process");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_market_buy_fills_and_its_events_arrive_in_order_once);
    tcase_add_test(tc, a_rejection_names_its_rule_and_a_resting_order_is_cancelled);
    tcase_add_test(tc, the_price_path_is_published_as_trades);
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
    puts("no stom-broker-sim in this build: nothing to test");
    return 0;
}

#endif
