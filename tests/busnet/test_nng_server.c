/*
 * test_nng_server.c - the REP server holds several requests at once and
 * answers them in any order, answers a malformed request with an Error on
 * "rpc.error" without disturbing the others, refuses oversized requests,
 * and releases everything it holds when closed.
 */
#include "busnet_fixtures.h"

#include <nng/protocol/reqrep0/req.h>

/* Takes the next request within 5 s. */
static stom_bus_pending *next_request(stom_bus_server *server)
{
    stom_bus_pending *p = NULL;
    ck_assert_int_eq(stom_bus_server_next(server, 5000, &p), 0);
    return p;
}

static stom_bus_server_stats stats_of(stom_bus_server *server)
{
    stom_bus_server_stats st;
    stom_bus_server_get_stats(server, &st);
    return st;
}

START_TEST(requests_in_flight_are_answered_in_any_order)
{
    stom_bus_server *server = server_open("inproc://deferred", 3, 0);
    nng_socket req = req_open("inproc://deferred"); /* shared by the three clients */
    client c[3];
    client_start(&c[0], req, "job-0", 5000);
    client_start(&c[1], req, "job-1", 5000);
    client_start(&c[2], req, "job-2", 5000);
    stom_bus_pending *held[3];
    for (int i = 0; i < 3; i++)
        held[i] = next_request(server);
    /* All three are held at once; answer the newest first. */
    stom_bus_sender s;
    stom_bus_sender_init(&s, "test-server", NULL);
    for (int i = 2; i >= 0; i--)
        reply_status(server, held[i], &s);
    for (int i = 0; i < 3; i++) {
        client_join(&c[i]);
        ck_assert_msg(c[i].rc == 0, "%s: %s", c[i].job_id, c[i].eb.msg);
        ck_assert_str_eq(c[i].answer, c[i].job_id);
    }
    stom_bus_server_stats st = stats_of(server);
    ck_assert_uint_eq(st.received, 3);
    ck_assert_uint_eq(st.replied, 3);
    ck_assert_uint_eq(st.malformed, 0);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

/* Starts a query for job_id on req without waiting for its answer. */
static stom_bus_call *call_start(nng_socket req, const char *job_id, int timeout_ms)
{
    stom_bus_sender s;
    stom_bus_sender_init(&s, "client", NULL);
    Stom__V1__Envelope env;
    Stom__V1__JobControl jc;
    make_query(&env, &jc, &s, job_id);
    stom_bus_call *c = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_call_start(req, RPC_TOPIC, &env, timeout_ms, &c, &eb) == 0, "%s",
                  eb.msg);
    return c;
}

START_TEST(calls_started_from_one_thread_finish_with_their_own_answers)
{
    stom_bus_server *server = server_open("inproc://calls", 3, 0);
    nng_socket req = req_open("inproc://calls");
    stom_bus_call *a = call_start(req, "job-a", 5000);
    stom_bus_call *b = call_start(req, "job-b", 5000);
    stom_bus_call *gone = call_start(req, "job-gone", 5000);
    stom_bus_pending *held[3];
    for (int i = 0; i < 3; i++)
        held[i] = next_request(server);
    ck_assert(!stom_bus_call_ready(a));
    ck_assert(!stom_bus_call_ready(b));
    stom_bus_call_abandon(gone); /* its late answer must reach nobody */
    stom_bus_sender s;
    stom_bus_sender_init(&s, "test-server", NULL);
    for (int i = 2; i >= 0; i--)
        reply_status(server, held[i], &s);
    stom_bus_received r;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_call_finish(b, &r, &eb) == 0, "%s", eb.msg);
    ck_assert_str_eq(msg_job_id(&r.msg), "job-b");
    stom_bus_received_free(&r);
    while (!stom_bus_call_ready(a))
        nng_msleep(1);
    ck_assert_msg(stom_bus_call_finish(a, &r, &eb) == 0, "%s", eb.msg);
    ck_assert_str_eq(msg_job_id(&r.msg), "job-a");
    stom_bus_received_free(&r);

    /* An unanswered call times out with the topic named; the server's copy is dropped. */
    stom_bus_call *late = call_start(req, "job-late", 100);
    stom_bus_pending *p = next_request(server);
    ck_assert_int_eq(stom_bus_call_finish(late, &r, &eb), STOM_ETIMEDOUT);
    ck_assert_msg(strstr(eb.msg, "no answer from " RPC_TOPIC " within 100 ms"), "%s", eb.msg);
    ck_assert_ptr_null(r.msg.env);
    stom_bus_server_drop(server, p);
    stom_bus_call_abandon(NULL);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

/* Sends len bytes on a plain nng REQ socket dialing url and returns the
 * decoded answer (which the caller frees). */
static void raw_request(const char *url, const void *bytes, size_t len, stom_bus_received *out)
{
    nng_socket raw;
    ck_assert_int_eq(nng_req0_open(&raw), 0);
    ck_assert_int_eq(nng_socket_set_ms(raw, NNG_OPT_RECVTIMEO, 5000), 0);
    ck_assert_int_eq(nng_dial(raw, url, NULL, 0), 0);
    ck_assert_int_eq(nng_send(raw, (void *)bytes, len, 0), 0);
    nng_msg *m = NULL;
    ck_assert_int_eq(nng_recvmsg(raw, &m, 0), 0);
    stom_errbuf eb = {{0}};
    stom_bus_decode(nng_msg_body(m), nng_msg_len(m), 0, &out->msg, &eb);
    ck_assert_msg(out->msg.env != NULL, "%s", eb.msg);
    out->nmsg = m;
    out->buf = nng_msg_body(m);
    out->len = nng_msg_len(m);
    nng_close(raw);
}

/* Checks that r is the server's refusal and that its message mentions needle. */
static void assert_refusal(const stom_bus_received *r, uint64_t seq, const char *needle)
{
    ck_assert_int_eq((int)r->msg.topic_len, 9);
    ck_assert_int_eq(memcmp(r->msg.topic, "rpc.error", 9), 0);
    const Stom__V1__Envelope *env = r->msg.env;
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_ERROR);
    ck_assert_str_eq(env->sender, "test-server");
    ck_assert_uint_eq(env->seq, seq);
    ck_assert(env->error->has_code);
    ck_assert_int_eq(env->error->code, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT);
    ck_assert_msg(strstr(env->error->message, needle) != NULL, "'%s' does not mention '%s'",
                  env->error->message, needle);
}

START_TEST(a_malformed_request_is_answered_with_an_error_and_others_are_unaffected)
{
    stom_bus_server *server = server_open("inproc://strict", 2, 0);
    nng_socket req = req_open("inproc://strict");
    client good;
    client_start(&good, req, "job-good", 5000);
    stom_bus_pending *held = next_request(server); /* in flight while the bad one arrives */

    static const char garbage[] = "rpc.test\0this is not protobuf";
    stom_bus_received r;
    raw_request("inproc://strict", garbage, sizeof garbage - 1, &r);
    assert_refusal(&r, 1, "not protobuf");
    stom_bus_received_free(&r);
    static const uint8_t no_topic[] = {0xff, 0x01, 0x02};
    raw_request("inproc://strict", no_topic, sizeof no_topic, &r);
    assert_refusal(&r, 2, "topic");
    stom_bus_received_free(&r);

    stom_bus_server_stats st = stats_of(server);
    ck_assert_uint_eq(st.malformed, 2);
    ck_assert_uint_eq(st.received, 1);
    stom_bus_pending *none = NULL;
    ck_assert_int_eq(stom_bus_server_next(server, 0, &none), STOM_ETIMEDOUT);
    ck_assert_str_eq(msg_job_id(stom_bus_pending_msg(held)), "job-good");
    stom_bus_sender s;
    stom_bus_sender_init(&s, "test-server", NULL);
    reply_status(server, held, &s);
    client_join(&good);
    ck_assert_msg(good.rc == 0, "%s", good.eb.msg);
    ck_assert_str_eq(good.answer, "job-good");
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

/* A JobSpec request of about size bytes. */
static void make_big_request(Stom__V1__Envelope *env, Stom__V1__JobSpec *spec, char *code,
                             size_t size, stom_bus_sender *s)
{
    memset(code, 'x', size);
    code[size] = '\0';
    stom__v1__job_spec__init(spec);
    spec->job_id = "job-big";
    spec->strategy_code = code;
    stom_bus_envelope_init(env, s, TS_NS);
    ck_assert_int_eq(stom_bus_envelope_set_body(env, &spec->base, NULL), 0);
}

START_TEST(an_oversized_request_over_ipc_is_refused_at_the_socket)
{
    ipc_dir dir;
    ipc_dir_make(&dir);
    char url[320];
    ipc_url(&dir, "", "big.sock", url, sizeof url);
    stom_bus_server *server = server_open(url, 2, 1024);
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.reconnect_max_ms = 20;
    nng_socket req;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&req, STOM_BUS_REQ, url, &o, &eb), 0);

    static char code[4096 + 1];
    stom_bus_sender s;
    stom_bus_sender_init(&s, "client", NULL);
    Stom__V1__Envelope env;
    Stom__V1__JobSpec spec;
    make_big_request(&env, &spec, code, 4096, &s);
    stom_bus_received r;
    /* nng drops the connection; with resend off the request fails at once. */
    int rc = stom_bus_request(req, RPC_TOPIC, &env, 5000, &r, &eb);
    ck_assert_msg(rc == STOM_EIO, "got %d: %s", rc, eb.msg);
    stom_bus_pending *none = NULL;
    ck_assert_int_eq(stom_bus_server_next(server, 0, &none), STOM_ETIMEDOUT);

    /* The client reconnects and a request of normal size goes through. */
    echo_server e;
    echo_start(&e, server, 1);
    client c;
    client_start(&c, req, "job-small", 5000);
    client_join(&c);
    echo_join(&e);
    ck_assert_msg(c.rc == 0, "%s", c.eb.msg);
    ck_assert_uint_eq(stats_of(server).received, 1);
    nng_close(req);
    stom_bus_server_close(server);
    ipc_dir_remove(&dir, (const char *const[]){"big.sock", NULL});
}
END_TEST

START_TEST(an_oversized_request_over_inproc_is_answered_with_an_error)
{
    /* inproc does not enforce NNG_OPT_RECVMAXSZ; the decoder's bound does. */
    stom_bus_server *server = server_open("inproc://big", 1, 1024);
    nng_socket req = req_open("inproc://big");
    static char code[4096 + 1];
    stom_bus_sender s;
    stom_bus_sender_init(&s, "client", NULL);
    Stom__V1__Envelope env;
    Stom__V1__JobSpec spec;
    make_big_request(&env, &spec, code, 4096, &s);
    stom_bus_received r;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_request(req, RPC_TOPIC, &env, 5000, &r, &eb) == 0, "%s", eb.msg);
    assert_refusal(&r, 1, "exceeds the limit of 1024 bytes");
    stom_bus_received_free(&r);
    ck_assert_uint_eq(stats_of(server).malformed, 1);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

START_TEST(a_dropped_request_times_out_and_its_context_serves_again)
{
    stom_bus_server *server = server_open("inproc://drop", 1, 0);
    nng_socket req = req_open("inproc://drop");
    client first;
    client_start(&first, req, "job-dropped", 300);
    stom_bus_server_drop(server, next_request(server));
    client_join(&first);
    ck_assert_int_eq(first.rc, STOM_ETIMEDOUT);

    echo_server e;
    echo_start(&e, server, 1);
    client second;
    client_start(&second, req, "job-next", 5000);
    client_join(&second);
    echo_join(&e);
    ck_assert_msg(second.rc == 0, "%s", second.eb.msg);
    ck_assert_str_eq(second.answer, "job-next");
    stom_bus_server_stats st = stats_of(server);
    ck_assert_uint_eq(st.dropped, 1);
    ck_assert_uint_eq(st.replied, 1);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

START_TEST(a_reply_that_does_not_encode_drops_the_request)
{
    stom_bus_server *server = server_open("inproc://noencode", 1, 0);
    nng_socket req = req_open("inproc://noencode");
    client c;
    client_start(&c, req, "job-a", 300);
    stom_bus_pending *p = next_request(server);
    Stom__V1__Envelope empty = STOM__V1__ENVELOPE__INIT; /* no header, no body */
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_server_reply(server, p, RPC_TOPIC, &empty, &eb), STOM_EFORMAT);
    client_join(&c);
    ck_assert_int_eq(c.rc, STOM_ETIMEDOUT);
    ck_assert_uint_eq(stats_of(server).dropped, 1);
    ck_assert_uint_eq(stats_of(server).replied, 0);

    echo_server e;
    echo_start(&e, server, 1);
    client_start(&c, req, "job-b", 5000);
    client_join(&c);
    echo_join(&e);
    ck_assert_msg(c.rc == 0, "%s", c.eb.msg);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

START_TEST(closing_with_requests_pending_releases_them)
{
    stom_bus_server *server = server_open("inproc://closing", 4, 0);
    nng_socket req = req_open("inproc://closing");
    client c[4];
    for (int i = 0; i < 4; i++) {
        char job[16];
        snprintf(job, sizeof job, "job-%d", i);
        client_start(&c[i], req, job, 5000);
    }
    /* Two held by this thread; the others queued or still on their way. */
    next_request(server);
    next_request(server);
    stom_bus_server_close(server);
    for (int i = 0; i < 4; i++) {
        client_join(&c[i]);
        ck_assert_msg(c[i].rc == STOM_EIO || c[i].rc == STOM_ETIMEDOUT, "%d: %s", c[i].rc,
                      c[i].eb.msg);
    }
    nng_close(req);
}
END_TEST

START_TEST(waiting_with_no_request_returns_timedout_after_the_timeout)
{
    stom_bus_server *server = server_open("inproc://idle", 1, 0);
    stom_bus_pending *p = NULL;
    ck_assert_int_eq(stom_bus_server_next(server, 0, &p), STOM_ETIMEDOUT);
    nng_time t0 = nng_clock();
    ck_assert_int_eq(stom_bus_server_next(server, 50, &p), STOM_ETIMEDOUT);
    ck_assert_int_ge(nng_clock() - t0, 45);
    ck_assert_ptr_null(p);
    stom_bus_server_close(server);
    stom_bus_server_close(NULL);
}
END_TEST

START_TEST(opening_a_server_refuses_bad_arguments)
{
    stom_bus_server *server = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_server_open(&server, "inproc://a", "", 1, 0, &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_server_open(&server, "inproc://a", "srv", 5000, 0, &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_server_open(&server, "nowhere", "srv", 1, 0, &eb), STOM_EINVAL);
    ck_assert_ptr_null(server);
    stom_bus_server *first = server_open("inproc://busy", 2, 0);
    ck_assert_int_eq(stom_bus_server_open(&server, "inproc://busy", "srv", 2, 0, &eb), STOM_EIO);
    ck_assert_ptr_null(server);
    stom_bus_server_close(first);
}
END_TEST

static Suite *nng_server_suite(void)
{
    Suite *s = suite_create("busnet_nng_server");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, requests_in_flight_are_answered_in_any_order);
    tcase_add_test(tc, calls_started_from_one_thread_finish_with_their_own_answers);
    tcase_add_test(tc, a_malformed_request_is_answered_with_an_error_and_others_are_unaffected);
    tcase_add_test(tc, an_oversized_request_over_ipc_is_refused_at_the_socket);
    tcase_add_test(tc, an_oversized_request_over_inproc_is_answered_with_an_error);
    tcase_add_test(tc, a_dropped_request_times_out_and_its_context_serves_again);
    tcase_add_test(tc, a_reply_that_does_not_encode_drops_the_request);
    tcase_add_test(tc, closing_with_requests_pending_releases_them);
    tcase_add_test(tc, waiting_with_no_request_returns_timedout_after_the_timeout);
    tcase_add_test(tc, opening_a_server_refuses_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(nng_server_suite());
}
