/*
 * test_broker_sim_process.c - the real stom-broker-sim process over the
 * broker protocol: a market order fills and its events arrive in sequence,
 * a repeated client order id gets the first answer and changes nothing, a
 * rejection names its rule with the protocol's code, a resting order is
 * listed and cancelled, the account and positions add up to the fills, and
 * trades are published, and bytes that are no request, requests without
 * the fields they need and orders of no sense are refused, leaving the
 * sim serving with its account unchanged.
 */
#include <stdio.h>

#ifdef STOM_BROKER_SIM_BIN

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

#include "sim_harness.h"
#include "test_support.h"

#define REP "tcp://127.0.0.1:18560"
#define PUB "tcp://127.0.0.1:18561"

static char dir[64];
static pid_t sim;
static sim_conn conn;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-sim-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *argv[] = {
        "stom-broker-sim",  "--rep",     REP,    "--pub",  PUB,        "--start",
        "2024-01-02 10:00", "--step-ms", "20",   "--cash", "10000000", "--symbols",
        "005930:70000",     "--depth",   "3:10", NULL};
    sim = tp_spawn(dir, "sim", STOM_BROKER_SIM_BIN, argv, NULL);
    const char *symbols[] = {"005930", NULL};
    sim_conn_open(&conn, dir, &sim, REP, PUB, symbols);
    /* The path prints every 20 ms: the first one received says the subscription is live, so
     * that no order event of the test is published before it (nng's slow joiner). */
    stom_errbuf eb = {{0}};
    stom_broker_event e;
    int rc = STOM_ETIMEDOUT;
    for (int k = 0; k < 100 && rc == STOM_ETIMEDOUT; k++)
        rc = stom_broker_feed_recv(conn.feed, 100, &e, &eb);
    if (rc != STOM_OK)
        tp_show_log(dir, "sim");
    ck_assert_msg(rc == STOM_OK, "no trade from stom-broker-sim: %s", eb.msg);
    stom_broker_event_free(&e);
}

static void teardown(void)
{
    sim_conn_close(&conn);
    int st = tp_end(&sim, SIGTERM);
    if (st)
        tp_show_log(dir, "sim");
    tp_remove_dir(dir);
}

static void call(Stom__V1__BrokerRequest *req, stom_broker_reply *r)
{
    sim_call(&conn, req, r);
}

static Stom__V1__OrderRequest order(const char *id, Stom__V1__Side side, bool limit, int64_t price,
                                    int64_t qty)
{
    return sim_order(id, "005930", side, limit, price, qty);
}

static void place(Stom__V1__OrderRequest *o, stom_broker_reply *r)
{
    sim_place(&conn, o, r);
}

static const Stom__V1__OrderEvent *next_order_event(stom_broker_event *e)
{
    return sim_next_order_event(&conn, e);
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
        ck_assert_msg(stom_broker_feed_recv(conn.feed, 5000, &e, &eb) == STOM_OK, "%s", eb.msg);
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

/* Sends raw bytes on a REQ socket of its own and returns the reply's length (-1: none). */
static int raw_request(const void *bytes, size_t len)
{
    nng_socket s;
    ck_assert_int_eq(nng_req0_open(&s), 0);
    nng_setopt_ms(s, NNG_OPT_RECVTIMEO, 3000);
    ck_assert_int_eq(nng_dial(s, REP, NULL, 0), 0);
    ck_assert_int_eq(nng_send(s, (void *)bytes, len, 0), 0);
    char *buf = NULL;
    size_t got = 0;
    int rc = nng_recv(s, &buf, &got, NNG_FLAG_ALLOC);
    if (rc == 0)
        nng_free(buf, got);
    nng_close(s);
    return rc == 0 ? (int)got : -1;
}

START_TEST(malformed_requests_are_refused_and_the_sim_serves_on_unchanged)
{
    stom_broker_reply r = {0};
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT, &r);
    int64_t cash = r.reply->account->cash;
    stom_broker_reply_free(&r);
    /* Bytes that are no envelope, and an empty message: answered (an Error), not fatal. */
    const unsigned char junk[] = {0xff, 0x00, 0x13, 0x37, 0x0a, 0xff, 0xff, 0xff};
    ck_assert_int_gt(raw_request(junk, sizeof junk), 0);
    ck_assert_int_gt(raw_request("", 0), 0);
    /* A place without a client order id, one of a negative quantity, a market order with a
     * price, an unknown symbol: each refused with INVALID_ARGUMENT. */
    Stom__V1__OrderRequest no_id = order(NULL, STOM__V1__SIDE__SIDE_BUY, false, 0, 1);
    Stom__V1__OrderRequest negative = order("neg-1", STOM__V1__SIDE__SIDE_BUY, false, 0, -5);
    Stom__V1__OrderRequest priced = order("px-1", STOM__V1__SIDE__SIDE_BUY, false, 0, 1);
    priced.has_price = true;
    priced.price = 70000;
    Stom__V1__OrderRequest unknown = order("sym-1", STOM__V1__SIDE__SIDE_BUY, false, 0, 1);
    unknown.symbol = (char *)"NOPE";
    Stom__V1__OrderRequest *bad[] = {&no_id, &negative, &priced, &unknown};
    for (size_t k = 0; k < 4; k++) {
        place(bad[k], &r);
        ck_assert_ptr_nonnull(r.reply->error);
        ck_assert_int_eq(r.reply->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT);
        ck_assert_str_ne(r.reply->error->message, "");
        stom_broker_reply_free(&r);
    }
    /* The sim still answers, with the account as it was. */
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT, &r);
    ck_assert_int_eq(r.reply->account->cash, cash);
    stom_broker_reply_free(&r);
    ck_assert(!tp_exited(&sim, &(int){0}));
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
    tcase_add_test(tc, malformed_requests_are_refused_and_the_sim_serves_on_unchanged);
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
