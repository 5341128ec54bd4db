/*
 * sim_harness.h - what the tests of the real stom-broker-sim process
 * share: a broker client and a feed on the sim's sockets, requests of each
 * kind, and the next order event of the feed.
 *
 * Helpers are static inline: include this header from a test. A sim_conn
 * knows the test's temp dir (the sim's log) and its pid variable, so that a
 * call to a sim that died fails at once, showing the log.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_SIM_HARNESS_H
#define STOM_TEST_SIM_HARNESS_H

#include <check.h>
#include <string.h>

#include "stom/broker.h"
#include "stom/broker_client.h"
#include "test_proc.h"

typedef struct sim_conn {
    const char *dir; /* the test's temp dir, where the sim's log is */
    pid_t *sim;      /* the sim's pid (the test's variable), to tell a dead sim from a slow one */
    stom_broker_client *client;
    stom_broker_feed *feed;
} sim_conn;

/* Opens a client on rep and a feed on pub (a bare url dials, "listen:" listens) subscribed to
 * the paper account's orders and to symbols (NULL-terminated). */
static inline void sim_conn_open(sim_conn *c, const char *dir, pid_t *sim, const char *rep,
                                 const char *pub, const char *const *symbols)
{
    stom_errbuf eb = {{0}};
    c->dir = dir;
    c->sim = sim;
    stom_broker_client_options co = {.sender = "test-engine",
                                     .service = "broker-sim",
                                     .req_spec = rep,
                                     .timeout_ms = 3000,
                                     .attempts = 3};
    ck_assert_msg(stom_broker_client_open(&c->client, &co, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_msg(stom_broker_feed_open(&c->feed, "sim", pub, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(stom_broker_feed_subscribe_orders(c->feed, "paper", &eb), STOM_OK);
    for (size_t k = 0; symbols && symbols[k]; k++)
        ck_assert_int_eq(stom_broker_feed_subscribe_md(c->feed, symbols[k], &eb), STOM_OK);
}

static inline void sim_conn_close(sim_conn *c)
{
    stom_broker_feed_close(c->feed);
    stom_broker_client_close(c->client);
    memset(c, 0, sizeof *c);
}

/* Sends req and waits for its reply in *r (release with stom_broker_reply_free); retries while
 * the process starts. */
static inline void sim_call(sim_conn *c, Stom__V1__BrokerRequest *req, stom_broker_reply *r)
{
    stom_errbuf eb = {{0}};
    int rc = STOM_ETIMEDOUT;
    int status = 0;
    for (int tries = 0; tries < 20 && rc == STOM_ETIMEDOUT; tries++) {
        rc = stom_broker_client_call(c->client, req, r, &eb);
        if (rc != STOM_OK && tp_exited(c->sim, &status)) {
            tp_show_log(c->dir, "sim");
            ck_abort_msg("stom-broker-sim exited (status %d)", status);
        }
    }
    if (rc != STOM_OK)
        tp_show_log(c->dir, "sim");
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
}

static inline Stom__V1__OrderRequest sim_order(const char *id, const char *symbol,
                                               Stom__V1__Side side, bool limit, int64_t price,
                                               int64_t qty)
{
    Stom__V1__OrderRequest o = STOM__V1__ORDER_REQUEST__INIT;
    o.client_order_id = (char *)id;
    o.account = (char *)"paper";
    o.symbol = (char *)symbol;
    o.has_side = o.has_type = o.has_qty = true;
    o.side = side;
    o.type =
        limit ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    o.qty = qty;
    o.has_price = limit;
    o.price = price;
    return o;
}

static inline void sim_place(sim_conn *c, Stom__V1__OrderRequest *o, stom_broker_reply *r)
{
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_PLACE;
    req.place = o;
    sim_call(c, &req, r);
}

/* A request of the paper account of kind (ACCOUNT, POSITIONS, OPEN_ORDERS or FILLS). */
static inline void sim_ask(sim_conn *c, Stom__V1__BrokerRequest__RequestCase kind,
                           stom_broker_reply *r)
{
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__AccountRequest ar = STOM__V1__ACCOUNT_REQUEST__INIT;
    Stom__V1__PositionsRequest pr = STOM__V1__POSITIONS_REQUEST__INIT;
    Stom__V1__OpenOrdersRequest oo = STOM__V1__OPEN_ORDERS_REQUEST__INIT;
    Stom__V1__FillsRequest fr = STOM__V1__FILLS_REQUEST__INIT;
    ar.account = pr.account = oo.account = fr.account = (char *)"paper";
    req.request_case = kind;
    if (kind == STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT)
        req.account = &ar;
    else if (kind == STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS)
        req.positions = &pr;
    else if (kind == STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS)
        req.open_orders = &oo;
    else
        req.fills = &fr;
    sim_call(c, &req, r);
    ck_assert_msg(!r->reply->error, "%s", r->reply->error ? r->reply->error->message : "");
}

/* The next order event for the account (trades are skipped), owned by *e. */
static inline const Stom__V1__OrderEvent *sim_next_order_event(sim_conn *c, stom_broker_event *e)
{
    stom_errbuf eb = {{0}};
    for (;;) {
        int rc = stom_broker_feed_recv(c->feed, 5000, e, &eb);
        if (rc != STOM_OK)
            tp_show_log(c->dir, "sim");
        ck_assert_msg(rc == STOM_OK, "no event: %s", eb.msg);
        const Stom__V1__Envelope *env = e->rx.msg.env;
        if (env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT) {
            ck_assert_int_eq(e->status, STOM_BUS_SEQ_OK);
            return env->order_event;
        }
        stom_broker_event_free(e);
    }
}

#endif
