/*
 * test_server.c - the broker protocol server over real nng tcp sockets: every
 * request kind reaches its handler, a repeated place/modify/cancel is
 * answered from the idempotency table (also when nng's REQ resends), a new
 * client order id runs again, and malformed or incomplete requests are
 * answered with errors while the server keeps serving; the idempotency table
 * is bounded in size and age. Ports 18500-18519.
 */
#include "broker_fixtures.h"

/* Builds a request of kind with a body suitable for it; storage from the caller. */
typedef struct any_request {
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest place;
    Stom__V1__ModifyOrder modify;
    Stom__V1__CancelOrder cancel;
    Stom__V1__QuoteRequest quote;
    Stom__V1__BarsRequest bars;
    Stom__V1__AccountRequest account;
    Stom__V1__PositionsRequest positions;
    Stom__V1__OpenOrdersRequest open_orders;
    Stom__V1__FillsRequest fills;
    Stom__V1__Subscribe sub;
    char *symbols[2];
} any_request;

static void make_any(any_request *a, int kind)
{
    memset(a, 0, sizeof *a);
    make_place(&a->req, &a->place, "coid-place", 10);
    stom__v1__modify_order__init(&a->modify);
    a->modify.client_order_id = "coid-modify";
    a->modify.broker_order_no = "B1";
    stom__v1__cancel_order__init(&a->cancel);
    a->cancel.client_order_id = "coid-cancel";
    a->cancel.broker_order_no = "B1";
    stom__v1__quote_request__init(&a->quote);
    a->quote.symbol = "005930";
    stom__v1__bars_request__init(&a->bars);
    a->bars.symbol = "000660";
    a->bars.has_limit = 1;
    a->bars.limit = 3;
    stom__v1__account_request__init(&a->account);
    a->account.account = "55501234-01";
    stom__v1__positions_request__init(&a->positions);
    a->positions.account = "55501234-02";
    stom__v1__open_orders_request__init(&a->open_orders);
    a->open_orders.account = "55501234-03";
    stom__v1__fills_request__init(&a->fills);
    a->fills.account = "55501234-04";
    stom__v1__subscribe__init(&a->sub);
    a->symbols[0] = "005930";
    a->symbols[1] = "035720";
    a->sub.symbols = a->symbols;
    a->sub.n_symbols = 2;
    /* Every oneof member is a pointer at its own offset; set the one for kind. */
    void *bodies[N_KINDS] = {0};
    bodies[16] = &a->place, bodies[17] = &a->modify, bodies[18] = &a->cancel;
    bodies[19] = &a->quote, bodies[20] = &a->bars, bodies[21] = &a->account;
    bodies[22] = &a->positions, bodies[23] = &a->open_orders, bodies[24] = &a->fills;
    bodies[25] = &a->sub, bodies[26] = &a->sub;
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &stom__v1__broker_request__descriptor, (unsigned)kind);
    ck_assert_ptr_nonnull(f);
    a->req.place = NULL;
    *(void **)((char *)&a->req + f->offset) = bodies[kind];
    a->req.request_case = (Stom__V1__BrokerRequest__RequestCase)kind;
}

/* Checks a field of the reply that the test adapter derived from the request. */
static void check_echo(const Stom__V1__BrokerReply *r, int kind)
{
    switch (kind) {
    case STOM__V1__BROKER_REQUEST__REQUEST_PLACE:
        ck_assert_str_eq(r->placed->client_order_id, "coid-place");
        break;
    case STOM__V1__BROKER_REQUEST__REQUEST_CANCEL:
        ck_assert_str_eq(r->cancelled->client_order_id, "coid-cancel");
        break;
    case STOM__V1__BROKER_REQUEST__REQUEST_QUOTE:
        ck_assert_str_eq(r->quote->last->symbol, "005930");
        break;
    case STOM__V1__BROKER_REQUEST__REQUEST_BARS:
        ck_assert_uint_eq(r->bars->n_bars, 3);
        break;
    case STOM__V1__BROKER_REQUEST__REQUEST_FILLS:
        ck_assert_str_eq(r->fills->account, "55501234-04");
        break;
    case STOM__V1__BROKER_REQUEST__REQUEST_UNSUBSCRIBE:
        ck_assert_uint_eq(r->unsubscribed->n_topics, 2);
        ck_assert_str_eq(r->unsubscribed->topics[1], "md.test.035720");
        break;
    default:
        break;
    }
}

START_TEST(each_request_kind_reaches_its_handler_and_gets_its_reply)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18500", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18500", 5000, 0);
    for (int kind = 16; kind <= 26; kind++) {
        any_request a;
        make_any(&a, kind);
        stom_broker_reply r;
        call_ok(c, &a.req, &r);
        ck_assert_msg(r.reply->error == NULL, "kind %d: %s", kind, r.reply->error->message);
        ck_assert_int_eq((int)r.reply->reply_case, kind);
        ck_assert_uint_eq(r.reply->request_id, a.req.request_id);
        check_echo(r.reply, kind);
        stom_broker_reply_free(&r);
        ck_assert_int_eq(atomic_load(&t.calls[kind]), 1);
    }
    ck_assert_uint_eq(server_stats(&sv).handled, 11);
    /* Modify and cancel are remembered like place: repeats do not reach the handler. */
    for (int kind = 17; kind <= 18; kind++) {
        any_request a;
        make_any(&a, kind);
        stom_broker_reply r;
        call_ok(c, &a.req, &r);
        ck_assert_ptr_null(r.reply->error);
        ck_assert_int_eq((int)r.reply->reply_case, kind);
        stom_broker_reply_free(&r);
        ck_assert_int_eq(atomic_load(&t.calls[kind]), 1);
    }
    ck_assert_uint_eq(server_stats(&sv).replayed, 2);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

/* Places coid (qty 10) with a fresh request id and returns the broker_order_no. */
static void place_once(stom_broker_client *c, const char *coid, char *no, size_t len)
{
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest o;
    make_place(&req, &o, coid, 10);
    stom_broker_reply r;
    call_ok(c, &req, &r);
    ck_assert_msg(r.reply->error == NULL, "%s", r.reply->error->message);
    ck_assert_uint_eq(r.reply->request_id, req.request_id);
    ck_assert_str_eq(r.reply->placed->client_order_id, coid);
    snprintf(no, len, "%s", r.reply->placed->broker_order_no);
    stom_broker_reply_free(&r);
}

START_TEST(a_repeated_place_gets_the_first_answer_and_a_new_id_runs_again)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18501", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18501", 5000, 0);
    char first[32], again[32], other[32];
    place_once(c, "ord-1", first, sizeof first);
    place_once(c, "ord-1", again, sizeof again);
    ck_assert_str_eq(again, first);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 1);
    place_once(c, "ord-2", other, sizeof other);
    ck_assert_str_ne(other, first);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 2);
    stom_broker_server_stats st = server_stats(&sv);
    ck_assert_uint_eq(st.replayed, 1);
    ck_assert_uint_eq(st.dedupe_entries, 2);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(a_client_order_id_reused_for_another_order_is_refused)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18502", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18502", 5000, 0);
    char first[32];
    place_once(c, "ord-1", first, sizeof first);
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest o;
    make_place(&req, &o, "ord-1", 20); /* another quantity under the same id */
    stom_broker_reply r;
    call_ok(c, &req, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_int_eq(r.reply->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 1);
    stom_broker_reply_free(&r);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(a_req_resend_of_a_slow_place_is_answered_from_the_table)
{
    test_adapter t = {0};
    t.place_sleep_ms = 400; /* nng resends after 100 ms, so the copy waits behind it */
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18503", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18503", 5000, 100);
    char first[32];
    place_once(c, "slow-1", first, sizeof first);
    ck_assert_str_eq(first, "B1");
    /* The resent copies are answered after the client already has its reply. */
    ck_assert_msg(poll_until(replayed_of, &sv, 1), "no resend reached the server");
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 1);
    /* The server goes first: nng 1.5's nng_close of a REQ socket can hang
     * while answers to its resent copies are still arriving (nng #1813). */
    serve_stop(&sv);
    stom_broker_client_close(c);
}
END_TEST

START_TEST(a_retryable_error_is_not_remembered)
{
    test_adapter t = {0};
    t.fail_retryable = 1;
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18504", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18504", 5000, 0);
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest o;
    make_place(&req, &o, "limited", 10);
    stom_broker_reply r;
    call_ok(c, &req, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_int_eq(r.reply->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_RATE_LIMITED);
    ck_assert(r.reply->error->retryable);
    ck_assert_str_eq(r.reply->error->detail_code, "429");
    stom_broker_reply_free(&r);
    char no[32];
    place_once(c, "limited", no, sizeof no);
    ck_assert_str_eq(no, "B2");
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 2);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

/* Sends len raw bytes on a REQ socket (libs/bus's, which sends bytes as they
 * are) and returns the decoded answer. */
static void raw_request(const char *url, const void *bytes, size_t len, stom_bus_received *out)
{
    stom_bus_socket_options so;
    stom_bus_socket_options_default(&so);
    so.recv_timeout_ms = 5000;
    nng_socket raw;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_socket_open(&raw, STOM_BUS_REQ, url, &so, &eb) == 0, "%s", eb.msg);
    ck_assert_int_eq(nng_send(raw, (void *)bytes, len, 0), 0);
    ck_assert_msg(stom_bus_recv(raw, 0, out, &eb) == 0, "%s", eb.msg);
    nng_close(raw);
}

/* Calls req and checks the error reply's code and that its message mentions needle. */
static void expect_error(stom_broker_client *c, Stom__V1__BrokerRequest *req, int code,
                         const char *needle)
{
    stom_broker_reply r;
    call_ok(c, req, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_int_eq(r.reply->error->code, code);
    ck_assert_msg(strstr(r.reply->error->message, needle) != NULL, "'%s' lacks '%s'",
                  r.reply->error->message, needle);
    ck_assert_uint_eq(r.reply->request_id, req->request_id);
    stom_broker_reply_free(&r);
}

START_TEST(malformed_and_incomplete_requests_get_errors_and_serving_goes_on)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18505", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18505", 5000, 0);

    stom_bus_received rx = {0};
    raw_request("tcp://127.0.0.1:18505", "rpc.broker-test\0garbage!", 24, &rx);
    ck_assert_int_eq(rx.msg.env->body_case, STOM__V1__ENVELOPE__BODY_ERROR);
    stom_bus_received_free(&rx);

    Stom__V1__BrokerRequest empty = STOM__V1__BROKER_REQUEST__INIT;
    expect_error(c, &empty, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, "no request kind");

    /* A kind from a newer protocol: field 40, which this build does not know. */
    Stom__V1__BrokerRequest newer = STOM__V1__BROKER_REQUEST__INIT;
    uint8_t empty_len = 0; /* protobuf-c writes an unknown field's bytes as they are */
    ProtobufCMessageUnknownField uf = {40, PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED, 1, &empty_len};
    newer.base.n_unknown_fields = 1;
    newer.base.unknown_fields = &uf;
    expect_error(c, &newer, STOM__V1__ERROR_CODE__ERROR_CODE_UNIMPLEMENTED, "unknown request kind");

    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest o;
    make_place(&req, &o, NULL, 10);
    expect_error(c, &req, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT,
                 "place.client_order_id is missing");

    any_request a;
    make_any(&a, STOM__V1__BROKER_REQUEST__REQUEST_CANCEL);
    a.cancel.broker_order_no = NULL;
    expect_error(c, &a.req, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, "names no order");

    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 0);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_CANCEL]), 0);
    char no[32];
    place_once(c, "after-the-bad-ones", no, sizeof no);
    ck_assert_str_eq(no, "B1");
    stom_broker_server_stats st = server_stats(&sv);
    ck_assert_uint_eq(st.malformed, 1);
    ck_assert_uint_eq(st.refused, 4);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(a_kind_without_a_handler_is_unimplemented)
{
    test_adapter t = {0};
    stom_broker_handlers only_place = {0};
    only_place.place = on_place;
    served sv;
    serve_start(&sv, &t, &only_place, "tcp://127.0.0.1:18506", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18506", 5000, 0);
    any_request a;
    make_any(&a, STOM__V1__BROKER_REQUEST__REQUEST_BARS);
    expect_error(c, &a.req, STOM__V1__ERROR_CODE__ERROR_CODE_UNIMPLEMENTED, "bars");
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(a_call_to_no_adapter_times_out_after_its_attempts)
{
    stom_broker_client_options o = {0};
    o.sender = "engine-test";
    o.service = "broker-test";
    o.req_spec = "tcp://127.0.0.1:18507";
    o.timeout_ms = 100;
    o.attempts = 2;
    stom_broker_client *c = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_broker_client_open(&c, &o, &eb), 0);
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest ord;
    make_place(&req, &ord, "nobody-home", 10);
    stom_broker_reply r;
    nng_time t0 = nng_clock();
    ck_assert_int_eq(stom_broker_client_call(c, &req, &r, &eb), STOM_ETIMEDOUT);
    ck_assert_int_ge((int)(nng_clock() - t0), 200);
    ck_assert_ptr_null(r.reply);
    stom_broker_client_close(c);
}
END_TEST

static void count_notify(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(places_sent_without_waiting_get_their_own_answers_after_notify)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18511", NULL);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18511", 5000, 0);
    const char *ids[] = {"async-1", "async-2", "async-1"}; /* the third repeats the first */
    stom_broker_inflight *f[3];
    atomic_int notified = 0;
    stom_errbuf eb = {{0}};
    for (int i = 0; i < 3; i++) {
        Stom__V1__BrokerRequest req;
        Stom__V1__OrderRequest ord;
        make_place(&req, &ord, ids[i], 10);
        ck_assert_msg(stom_broker_client_start(c, &req, count_notify, &notified, &f[i], &eb) == 0,
                      "%s", eb.msg);
    }
    for (int i = 0; i < 500 && atomic_load(&notified) < 3; i++)
        nng_msleep(10);
    ck_assert_int_eq(atomic_load(&notified), 3);
    char nos[3][32];
    for (int i = 0; i < 3; i++) {
        stom_broker_reply r;
        ck_assert_msg(stom_broker_client_finish(f[i], &r, &eb) == 0, "%s", eb.msg);
        ck_assert_str_eq(r.reply->placed->client_order_id, ids[i]);
        snprintf(nos[i], sizeof nos[i], "%s", r.reply->placed->broker_order_no);
        stom_broker_reply_free(&r);
    }
    ck_assert_str_eq(nos[2], nos[0]); /* the repeat got the first answer */
    ck_assert_str_ne(nos[1], nos[0]);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 2);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(a_place_sent_without_waiting_to_no_adapter_times_out_and_notifies)
{
    stom_broker_client *c = client_open("tcp://127.0.0.1:18512", 100, 0);
    Stom__V1__BrokerRequest req;
    Stom__V1__OrderRequest ord;
    make_place(&req, &ord, "nobody-home", 10);
    atomic_int notified = 0;
    stom_broker_inflight *f = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_broker_client_start(c, &req, count_notify, &notified, &f, &eb), 0);
    for (int i = 0; i < 300 && !atomic_load(&notified); i++)
        nng_msleep(10);
    ck_assert_int_eq(atomic_load(&notified), 1);
    stom_broker_reply r;
    ck_assert_int_eq(stom_broker_client_finish(f, &r, &eb), STOM_ETIMEDOUT);
    ck_assert_ptr_null(r.reply);
    /* One abandoned before its answer is freed without waiting for it. */
    ck_assert_int_eq(stom_broker_client_start(c, &req, NULL, NULL, &f, &eb), 0);
    stom_broker_client_abandon(f);
    stom_broker_client_abandon(NULL);
    stom_broker_client_close(c);
}
END_TEST

START_TEST(the_table_is_bounded_and_evicts_the_oldest_id)
{
    test_adapter t = {0};
    stom_broker_server_options o = {0};
    o.broker = "test";
    o.rep_spec = "tcp://127.0.0.1:18508";
    o.dedupe_capacity = 2;
    served sv;
    serve_start_opts(&sv, &t, &test_handlers, &o);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18508", 5000, 0);
    char no[4][32];
    place_once(c, "a", no[0], sizeof no[0]);
    place_once(c, "b", no[1], sizeof no[1]);
    place_once(c, "c", no[2], sizeof no[2]); /* evicts a */
    ck_assert_uint_eq(server_stats(&sv).dedupe_entries, 2);
    place_once(c, "c", no[3], sizeof no[3]);
    ck_assert_str_eq(no[3], no[2]); /* still remembered */
    place_once(c, "a", no[3], sizeof no[3]);
    ck_assert_str_ne(no[3], no[0]); /* forgotten: the handler ran again */
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 4);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(an_id_older_than_the_ttl_is_forgotten)
{
    test_adapter t = {0};
    stom_broker_server_options o = {0};
    o.broker = "test";
    o.rep_spec = "tcp://127.0.0.1:18510";
    o.dedupe_ttl_ms = 50;
    served sv;
    serve_start_opts(&sv, &t, &test_handlers, &o);
    stom_broker_client *c = client_open("tcp://127.0.0.1:18510", 5000, 0);
    char first[32], again[32];
    place_once(c, "old", first, sizeof first);
    nng_msleep(120); /* waiting for the entry to age, not for a server */
    place_once(c, "old", again, sizeof again);
    ck_assert_str_ne(again, first);
    ck_assert_int_eq(atomic_load(&t.calls[STOM__V1__BROKER_REQUEST__REQUEST_PLACE]), 2);
    stom_broker_client_close(c);
    serve_stop(&sv);
}
END_TEST

START_TEST(an_envelope_that_is_not_a_broker_request_gets_an_error_reply)
{
    test_adapter t = {0};
    served sv;
    serve_start(&sv, &t, &test_handlers, "tcp://127.0.0.1:18509", NULL);
    nng_socket req;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&req, STOM_BUS_REQ, "tcp://127.0.0.1:18509", NULL, &eb),
                     0);
    stom_bus_sender snd;
    stom_bus_sender_init(&snd, "engine-test", NULL);
    Stom__V1__Trade tr = STOM__V1__TRADE__INIT;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &snd, 1);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &tr.base, NULL), 0);
    stom_bus_received rx;
    ck_assert_msg(stom_bus_request(req, "rpc.broker-test", &env, 5000, &rx, &eb) == 0, "%s",
                  eb.msg);
    ck_assert_int_eq(rx.msg.env->body_case, STOM__V1__ENVELOPE__BODY_BROKER_REPLY);
    ck_assert_ptr_nonnull(rx.msg.env->broker_reply->error);
    ck_assert_ptr_nonnull(strstr(rx.msg.env->broker_reply->error->message, "got trade"));
    ck_assert_uint_eq(rx.msg.env->reply_to, env.seq);
    stom_bus_received_free(&rx);
    nng_close(req);
    serve_stop(&sv);
}
END_TEST

static Suite *broker_server_suite(void)
{
    Suite *s = suite_create("broker_server");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, each_request_kind_reaches_its_handler_and_gets_its_reply);
    tcase_add_test(tc, a_repeated_place_gets_the_first_answer_and_a_new_id_runs_again);
    tcase_add_test(tc, a_client_order_id_reused_for_another_order_is_refused);
    tcase_add_test(tc, a_req_resend_of_a_slow_place_is_answered_from_the_table);
    tcase_add_test(tc, a_retryable_error_is_not_remembered);
    tcase_add_test(tc, malformed_and_incomplete_requests_get_errors_and_serving_goes_on);
    tcase_add_test(tc, a_kind_without_a_handler_is_unimplemented);
    tcase_add_test(tc, a_call_to_no_adapter_times_out_after_its_attempts);
    tcase_add_test(tc, the_table_is_bounded_and_evicts_the_oldest_id);
    tcase_add_test(tc, an_id_older_than_the_ttl_is_forgotten);
    tcase_add_test(tc, an_envelope_that_is_not_a_broker_request_gets_an_error_reply);
    tcase_add_test(tc, places_sent_without_waiting_get_their_own_answers_after_notify);
    tcase_add_test(tc, a_place_sent_without_waiting_to_no_adapter_times_out_and_notifies);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(broker_server_suite());
}
