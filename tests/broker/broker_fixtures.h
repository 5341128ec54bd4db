/*
 * broker_fixtures.h - a minimal adapter built on stom_broker_server, a
 * serving thread, and request builders, shared by the broker tests.
 *
 * The adapter counts the calls of each handler and derives its answers from
 * the requests and those counts (a place's broker_order_no is "B<n>" for the
 * n-th call of the place handler), so a replayed answer differs from a fresh
 * one. Ports: 18500-18549 on 127.0.0.1, a few per test.
 *
 * Thread-safety: the handlers run on the serving thread; the counters are
 * read by the test thread after a reply or through poll_until, hence atomics.
 */
#ifndef STOM_BROKER_FIXTURES_H
#define STOM_BROKER_FIXTURES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "stom/broker.h"
#include "stom/broker_client.h"
#include "test_support.h"

#define N_KINDS 27 /* indexed by request case, 16..26 used */

typedef struct test_adapter {
    atomic_int calls[N_KINDS];
    int place_sleep_ms; /* the place handler sleeps this long (to provoke a REQ resend) */
    int fail_retryable; /* place calls answered RATE_LIMITED (retryable) before succeeding */
} test_adapter;

static inline int on_place(void *a, stom_broker_call *c, const Stom__V1__OrderRequest *in,
                           Stom__V1__OrderAck *out)
{
    test_adapter *t = a;
    int n = atomic_fetch_add(&t->calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE], 1) + 1;
    if (t->place_sleep_ms > 0)
        nng_msleep((nng_duration)t->place_sleep_ms);
    if (t->fail_retryable > 0) {
        t->fail_retryable--;
        return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_RATE_LIMITED, true, "429",
                                     "slow down");
    }
    char no[32];
    snprintf(no, sizeof no, "B%d", n);
    out->client_order_id = stom_broker_call_strdup(c, in->client_order_id);
    out->broker_order_no = stom_broker_call_strdup(c, no);
    out->has_status = 1;
    out->status = STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN;
    return 0;
}

/* Modify and cancel answer with the order they name. */
static inline int ack_of(stom_broker_call *c, const char *coid, const char *orig,
                         Stom__V1__OrderAck *out)
{
    out->client_order_id = stom_broker_call_strdup(c, coid);
    out->orig_broker_order_no = stom_broker_call_strdup(c, orig ? orig : "?");
    out->has_status = 1;
    out->status = STOM__V1__ORDER_STATUS__ORDER_STATUS_PENDING;
    return 0;
}

static inline int on_modify(void *a, stom_broker_call *c, const Stom__V1__ModifyOrder *in,
                            Stom__V1__OrderAck *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_MODIFY], 1);
    return ack_of(c, in->client_order_id, in->broker_order_no, out);
}

static inline int on_cancel(void *a, stom_broker_call *c, const Stom__V1__CancelOrder *in,
                            Stom__V1__OrderAck *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_CANCEL], 1);
    return ack_of(c, in->client_order_id, in->broker_order_no, out);
}

static inline int on_quote(void *a, stom_broker_call *c, const Stom__V1__QuoteRequest *in,
                           Stom__V1__QuoteReply *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_QUOTE], 1);
    Stom__V1__Trade *last = stom_broker_call_alloc(c, sizeof *last);
    stom__v1__trade__init(last);
    last->symbol = stom_broker_call_strdup(c, in->symbol ? in->symbol : "");
    last->has_price = 1;
    last->price = 71500;
    out->last = last;
    return 0;
}

static inline int on_bars(void *a, stom_broker_call *c, const Stom__V1__BarsRequest *in,
                          Stom__V1__BarsReply *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_BARS], 1);
    out->symbol = stom_broker_call_strdup(c, in->symbol ? in->symbol : "");
    out->n_bars = in->has_limit ? in->limit : 0;
    out->bars = stom_broker_call_alloc(c, out->n_bars * sizeof *out->bars + 1);
    for (size_t i = 0; i < out->n_bars; i++) {
        out->bars[i] = stom_broker_call_alloc(c, sizeof **out->bars);
        stom__v1__bar__init(out->bars[i]);
    }
    return 0;
}

static inline int on_account(void *a, stom_broker_call *c, const Stom__V1__AccountRequest *in,
                             Stom__V1__Account *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT], 1);
    out->account = stom_broker_call_strdup(c, in->account ? in->account : "");
    out->has_cash = 1;
    out->cash = 1000000;
    return 0;
}

static inline int on_positions(void *a, stom_broker_call *c, const Stom__V1__PositionsRequest *in,
                               Stom__V1__Positions *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS], 1);
    out->account = stom_broker_call_strdup(c, in->account ? in->account : "");
    return 0;
}

static inline int on_open_orders(void *a, stom_broker_call *c,
                                 const Stom__V1__OpenOrdersRequest *in, Stom__V1__OpenOrders *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS], 1);
    out->account = stom_broker_call_strdup(c, in->account ? in->account : "");
    return 0;
}

static inline int on_fills(void *a, stom_broker_call *c, const Stom__V1__FillsRequest *in,
                           Stom__V1__Fills *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_FILLS], 1);
    out->account = stom_broker_call_strdup(c, in->account ? in->account : "");
    return 0;
}

/* Subscribe and unsubscribe answer with one topic per symbol. */
static inline int topics_of(stom_broker_call *c, const Stom__V1__Subscribe *in,
                            Stom__V1__SubscribeReply *out)
{
    out->n_topics = in->n_symbols;
    out->topics = stom_broker_call_alloc(c, in->n_symbols * sizeof(char *) + 1);
    for (size_t i = 0; i < in->n_symbols; i++) {
        char t[160];
        snprintf(t, sizeof t, "md.test.%s", in->symbols[i]);
        out->topics[i] = stom_broker_call_strdup(c, t);
    }
    return 0;
}

static inline int on_subscribe(void *a, stom_broker_call *c, const Stom__V1__Subscribe *in,
                               Stom__V1__SubscribeReply *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_SUBSCRIBE], 1);
    return topics_of(c, in, out);
}

static inline int on_unsubscribe(void *a, stom_broker_call *c, const Stom__V1__Subscribe *in,
                                 Stom__V1__SubscribeReply *out)
{
    atomic_fetch_add(&((test_adapter *)a)->calls[STOM__V1__BROKER_REQUEST__REQUEST_UNSUBSCRIBE], 1);
    return topics_of(c, in, out);
}

static const stom_broker_handlers test_handlers = {
    on_place,     on_modify,      on_cancel, on_quote,     on_bars,       on_account,
    on_positions, on_open_orders, on_fills,  on_subscribe, on_unsubscribe};

/* ---- a serving thread ------------------------------------------------------ */

typedef struct served {
    stom_broker_server *server;
    pthread_t thread;
} served;

static inline void *serve_run(void *arg)
{
    stom_broker_server_run(arg);
    return NULL;
}

/* Opens a server for adapter t with options o and serves it from a thread. */
static inline void serve_start_opts(served *sv, test_adapter *t, const stom_broker_handlers *h,
                                    const stom_broker_server_options *o)
{
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_server_open(&sv->server, o, h, t, &eb) == 0, "%s", eb.msg);
    ck_assert_int_eq(pthread_create(&sv->thread, NULL, serve_run, sv->server), 0);
}

/* Opens a server for adapter t on rep/pub (pub may be NULL) and serves it from a thread. */
static inline void serve_start(served *sv, test_adapter *t, const stom_broker_handlers *h,
                               const char *rep, const char *pub)
{
    stom_broker_server_options o = {0};
    o.broker = "test";
    o.rep_spec = rep;
    o.pub_spec = pub;
    o.reconnect_max_ms = 100;
    serve_start_opts(sv, t, h, &o);
}

static inline void serve_stop(served *sv)
{
    stom_broker_server_stop(sv->server);
    pthread_join(sv->thread, NULL);
    stom_broker_server_close(sv->server);
}

static inline stom_broker_server_stats server_stats(const served *sv)
{
    stom_broker_server_stats st;
    stom_broker_server_get_stats(sv->server, &st);
    return st;
}

/* ---- the client ------------------------------------------------------------ */

static inline stom_broker_client *client_open(const char *spec, int timeout_ms, int resend_ms)
{
    stom_broker_client_options o = {0};
    o.sender = "engine-test";
    o.service = "broker-test";
    o.req_spec = spec;
    o.timeout_ms = timeout_ms;
    o.resend_ms = resend_ms;
    o.reconnect_max_ms = 100;
    stom_broker_client *c = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_client_open(&c, &o, &eb) == 0, "%s", eb.msg);
    return c;
}

/* A place of qty shares of 005930 under client order id coid. The request
 * borrows the caller's storage. */
static inline void make_place(Stom__V1__BrokerRequest *req, Stom__V1__OrderRequest *o,
                              const char *coid, int64_t qty)
{
    stom__v1__broker_request__init(req);
    stom__v1__order_request__init(o);
    o->client_order_id = (char *)coid;
    o->account = "55501234-01";
    o->symbol = "005930";
    o->has_side = 1;
    o->side = STOM__V1__SIDE__SIDE_BUY;
    o->has_type = 1;
    o->type = STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT;
    o->has_qty = 1;
    o->qty = qty;
    o->has_price = 1;
    o->price = 71500;
    req->request_case = STOM__V1__BROKER_REQUEST__REQUEST_PLACE;
    req->place = o;
}

/* Calls req and expects a reply (possibly an error reply). */
static inline void call_ok(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                           stom_broker_reply *r)
{
    stom_errbuf eb = {{0}};
    int rc = stom_broker_client_call(c, req, r, &eb);
    ck_assert_msg(rc == 0, "call failed: %s (%s)", stom_strerror(rc), eb.msg);
}

/* Waits up to 5 s for *counter to reach want, reading it through get. */
static inline bool poll_until(uint64_t (*get)(const served *), const served *sv, uint64_t want)
{
    nng_time deadline = nng_clock() + 5000;
    while (get(sv) < want) {
        if (nng_clock() > deadline)
            return false;
        nng_msleep(5);
    }
    return true;
}

static inline uint64_t replayed_of(const served *sv)
{
    return server_stats(sv).replayed;
}

#endif
