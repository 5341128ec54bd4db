/*
 * test_feed.c - market data and order events over real nng tcp sockets:
 * published messages arrive with consecutive per-topic sequence numbers, a
 * dropped one is counted as a gap, and an adapter that dials a listening
 * engine (the Windows-behind-NAT direction) serves requests and publishes.
 * Ports 18520-18539.
 */
#include "broker_fixtures.h"

#define ACCOUNT "55501234-01"

static stom_broker_feed *feed_open(const char *spec)
{
    stom_broker_feed *f = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_feed_open(&f, "test", spec, &eb) == 0, "%s", eb.msg);
    return f;
}

/* Publishes a trade of symbol at price. */
static int publish_trade(stom_broker_server *s, const char *symbol, int64_t price)
{
    Stom__V1__Trade tr = STOM__V1__TRADE__INIT;
    tr.symbol = (char *)symbol;
    tr.has_price = 1;
    tr.price = price;
    stom_errbuf eb = {{0}};
    int rc = stom_broker_publish_md(s, symbol, &tr.base, &eb);
    ck_assert_msg(rc == 0, "%s", eb.msg);
    return rc;
}

static void publish_fill(stom_broker_server *s, int64_t qty)
{
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    ev.has_kind = 1;
    ev.kind = STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED;
    ev.client_order_id = "ord-1";
    ev.account = ACCOUNT;
    ev.has_fill_qty = 1;
    ev.fill_qty = qty;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_publish_order(s, ACCOUNT, &ev, &eb) == 0, "%s", eb.msg);
}

/*
 * PUB/SUB connects asynchronously: publishes warm-up trades of symbol until
 * the feed receives one, so that later messages are not lost to a
 * subscription still in flight. Returns the seq of the last one received.
 */
static uint64_t warm_up(stom_broker_server *s, stom_broker_feed *f, const char *symbol)
{
    nng_time deadline = nng_clock() + 5000;
    while (nng_clock() < deadline) {
        publish_trade(s, symbol, 1);
        stom_broker_event ev;
        if (stom_broker_feed_recv(f, 50, &ev, NULL) == 0) {
            uint64_t seq = ev.rx.msg.env->seq;
            stom_broker_event_free(&ev);
            /* Drain the rest of the warm-up burst. */
            while (stom_broker_feed_recv(f, 100, &ev, NULL) == 0) {
                seq = ev.rx.msg.env->seq;
                stom_broker_event_free(&ev);
            }
            return seq;
        }
    }
    ck_abort_msg("the feed never received the warm-up");
    return 0;
}

/* Receives one message within 5 s and checks topic and seq. */
static void expect_next(stom_broker_feed *f, const char *topic, uint64_t seq)
{
    stom_broker_event ev;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_feed_recv(f, 5000, &ev, &eb) == 0, "%s", eb.msg);
    ck_assert_uint_eq(ev.rx.msg.topic_len, strlen(topic));
    ck_assert_int_eq(memcmp(ev.rx.msg.topic, topic, ev.rx.msg.topic_len), 0);
    ck_assert_uint_eq(ev.rx.msg.env->seq, seq);
    ck_assert_int_eq(ev.status, STOM_BUS_SEQ_OK);
    ck_assert_str_eq(ev.rx.msg.env->sender, "broker-test");
    stom_broker_event_free(&ev);
}

START_TEST(published_md_and_ord_arrive_with_consecutive_per_topic_seqs)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18520", "tcp://127.0.0.1:18521");
    stom_broker_feed *f = feed_open("tcp://127.0.0.1:18521");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_broker_feed_subscribe_md(f, "005930", &eb), 0);
    ck_assert_int_eq(stom_broker_feed_subscribe_orders(f, ACCOUNT, &eb), 0);
    uint64_t seq = warm_up(sv.server, f, "005930");
    for (int i = 0; i < 20; i++) {
        /* Another symbol's trades share the socket but not the numbering. */
        publish_trade(sv.server, "000660", 100 + i);
        publish_trade(sv.server, "005930", 71500 + i);
        publish_fill(sv.server, i + 1);
    }
    for (int i = 0; i < 20; i++) {
        expect_next(f, "md.test.005930", seq + 1 + (uint64_t)i);
        expect_next(f, "ord.test." ACCOUNT, (uint64_t)i + 1);
    }
    stom_broker_feed_stats fs;
    stom_broker_feed_get_stats(f, &fs);
    ck_assert_uint_eq(fs.gaps, 0);
    ck_assert_uint_eq(fs.missing, 0);
    ck_assert_uint_eq(fs.duplicates, 0);
    stom_broker_event ev;
    ck_assert_int_eq(stom_broker_feed_recv(f, 100, &ev, NULL), STOM_ETIMEDOUT); /* no 000660 */
    stom_broker_feed_close(f);
    serve_stop(&sv);
}
END_TEST

/* Sends a trade on topic from sender snd with the given seq (the ones skipped are "lost"). */
static void raw_send(nng_socket pub, stom_bus_sender *snd, const char *topic, uint64_t seq)
{
    snd->last_seq = seq - 1;
    Stom__V1__Trade tr = STOM__V1__TRADE__INIT;
    tr.symbol = "005930";
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, snd, 1);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &tr.base, NULL), 0);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_send(pub, topic, &env, &eb) == 0, "%s", eb.msg);
}

START_TEST(a_dropped_message_is_counted_as_a_gap)
{
    nng_socket pub;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&pub, STOM_BUS_PUB, "tcp://127.0.0.1:18522", NULL, &eb),
                     0);
    stom_broker_feed *f = feed_open("tcp://127.0.0.1:18522");
    ck_assert_int_eq(stom_broker_feed_subscribe_md(f, NULL, &eb), 0);
    stom_bus_sender warm, snd;
    stom_bus_sender_init(&warm, "broker-test", NULL);
    stom_bus_sender_init(&snd, "broker-test", NULL);
    /* Warm-up on a topic of its own until the subscription is live. */
    stom_broker_event ev;
    bool live = false;
    for (int i = 0; i < 100 && !live; i++) {
        raw_send(pub, &warm, "md.test.WARM", (uint64_t)i + 1);
        live = stom_broker_feed_recv(f, 50, &ev, NULL) == 0;
        if (live)
            stom_broker_event_free(&ev);
    }
    ck_assert(live);
    while (stom_broker_feed_recv(f, 100, &ev, NULL) == 0)
        stom_broker_event_free(&ev);
    stom_broker_feed_stats before;
    stom_broker_feed_get_stats(f, &before);
    const uint64_t seqs[] = {1, 2, 4, 5, 5, 8};
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
        raw_send(pub, &snd, "md.test.005930", seqs[i]);
    const stom_bus_seq_status want[] = {STOM_BUS_SEQ_OK, STOM_BUS_SEQ_OK, STOM_BUS_SEQ_GAP,
                                        STOM_BUS_SEQ_OK, STOM_BUS_SEQ_GAP};
    const uint64_t gap[] = {0, 0, 1, 0, 2};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(stom_broker_feed_recv(f, 5000, &ev, &eb), 0);
        ck_assert_int_eq(ev.status, want[i]);
        ck_assert_uint_eq(ev.gap, gap[i]);
        stom_broker_event_free(&ev);
    }
    stom_broker_feed_stats fs;
    stom_broker_feed_get_stats(f, &fs);
    ck_assert_uint_eq(fs.gaps - before.gaps, 2);
    ck_assert_uint_eq(fs.missing - before.missing, 3);
    ck_assert_uint_eq(fs.duplicates - before.duplicates, 1); /* the second 5 */
    stom_broker_feed_close(f);
    nng_close(pub);
}
END_TEST

START_TEST(an_adapter_that_dials_a_listening_engine_serves_and_publishes)
{
    /* The engine listens on both endpoints; the adapter dials out to them. */
    stom_broker_client *c = client_open("listen:tcp://127.0.0.1:18530", 5000, 0);
    stom_broker_feed *f = feed_open("listen:tcp://127.0.0.1:18531");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_broker_feed_subscribe_orders(f, ACCOUNT, &eb), 0);
    ck_assert_int_eq(stom_broker_feed_subscribe_md(f, "005930", &eb), 0);
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "dial:tcp://127.0.0.1:18530",
                "dial:tcp://127.0.0.1:18531");
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest o;
    make_place(&req, &o, "dialed-1", 10);
    stom_broker_reply r;
    call_ok(c, &req, &r);
    ck_assert_ptr_null(r.reply->error);
    ck_assert_str_eq(r.reply->placed->broker_order_no, "B1");
    stom_broker_reply_free(&r);
    warm_up(sv.server, f, "005930");
    publish_fill(sv.server, 10);
    expect_next(f, "ord.test." ACCOUNT, 1);
    stom_broker_feed_close(f);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

static Suite *broker_feed_suite(void)
{
    Suite *s = suite_create("broker_feed");
    TCase *tc = tcase_create("feed");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, published_md_and_ord_arrive_with_consecutive_per_topic_seqs);
    tcase_add_test(tc, a_dropped_message_is_counted_as_a_gap);
    tcase_add_test(tc, an_adapter_that_dials_a_listening_engine_serves_and_publishes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(broker_feed_suite());
}
