/*
 * test_nng_socket.c - endpoints from specs, the options every bus socket
 * gets, requests with a deadline that are never resent, and PUB/SUB topic
 * filtering by prefix.
 */
#include "busnet_fixtures.h"

#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/req.h>

/* ---- endpoints ----------------------------------------------------------- */

START_TEST(an_endpoint_spec_says_whether_to_listen_or_dial)
{
    stom_bus_endpoint ep;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_endpoint_parse("listen:tcp://127.0.0.1:5560", false, &ep, &eb), 0);
    ck_assert(ep.listen);
    ck_assert_str_eq(ep.url, "tcp://127.0.0.1:5560");
    ck_assert_int_eq(stom_bus_endpoint_parse("dial:ipc:///run/stom/bt", true, &ep, &eb), 0);
    ck_assert(!ep.listen);
    ck_assert_str_eq(ep.url, "ipc:///run/stom/bt");
    ck_assert_int_eq(stom_bus_endpoint_parse("inproc://bus", true, &ep, &eb), 0);
    ck_assert(ep.listen);
    ck_assert_str_eq(ep.url, "inproc://bus");
    ck_assert_int_eq(stom_bus_endpoint_parse("inproc://bus", false, &ep, &eb), 0);
    ck_assert(!ep.listen);
}
END_TEST

START_TEST(a_bad_endpoint_spec_is_refused_with_the_spec_quoted)
{
    static const char *const bad[] = {
        "",     "listen:",   "dial:",          "tcp:/127.0.0.1:5560",
        "://x", "inproc://", "localhost:5560", "listen:dial:tcp://h:1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stom_bus_endpoint ep = {.listen = true, .url = "unchanged"};
        stom_errbuf eb = {{0}};
        int rc = stom_bus_endpoint_parse(bad[i], false, &ep, &eb);
        ck_assert_msg(rc == STOM_EINVAL, "'%s' gave %d", bad[i], rc);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
        ck_assert_msg(strstr(eb.msg, quoted) != NULL, "'%s' not quoted in: %s", bad[i], eb.msg);
        ck_assert_str_eq(ep.url, "unchanged");
    }
    stom_errbuf eb = {{0}};
    stom_bus_endpoint ep;
    ck_assert_int_eq(stom_bus_endpoint_parse(NULL, false, &ep, &eb), STOM_EINVAL);
}
END_TEST

START_TEST(an_endpoint_url_longer_than_the_limit_is_refused)
{
    char spec[STOM_BUS_URL_MAX + 32];
    int n = snprintf(spec, sizeof spec, "dial:ipc:///");
    memset(spec + n, 'a', sizeof spec - (size_t)n - 1);
    spec[sizeof spec - 1] = '\0';
    stom_bus_endpoint ep;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_endpoint_parse(spec, false, &ep, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "longer than"));
}
END_TEST

START_TEST(a_url_nng_cannot_use_is_refused_and_an_address_in_use_is_an_io_error)
{
    nng_socket s;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_REP, "listen:foo://x", NULL, &eb),
                     STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "foo://x"));
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_PUB, "tcp:", NULL, &eb), STOM_EINVAL);

    nng_socket first;
    ck_assert_int_eq(stom_bus_socket_open(&first, STOM_BUS_PUB, "inproc://taken", NULL, &eb), 0);
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_PUB, "inproc://taken", NULL, &eb), STOM_EIO);
    ck_assert_msg(strstr(eb.msg, "cannot listen on inproc://taken") != NULL, "%s", eb.msg);
    nng_close(first);
}
END_TEST

/* ---- options ------------------------------------------------------------- */

static nng_duration get_ms(nng_socket s, const char *opt)
{
    nng_duration d = 0;
    ck_assert_int_eq(nng_socket_get_ms(s, opt, &d), 0);
    return d;
}

START_TEST(a_req_socket_never_resends_unless_asked)
{
    nng_socket s = req_open("dial:inproc://nobody");
    ck_assert_int_eq(get_ms(s, NNG_OPT_REQ_RESENDTIME), NNG_DURATION_INFINITE);
    size_t max = 0;
    ck_assert_int_eq(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &max), 0);
    ck_assert_uint_eq(max, STOM_BUS_MSG_MAX_DEFAULT);
    ck_assert_int_eq(get_ms(s, NNG_OPT_RECONNMAXT), 1000);
    nng_close(s);

    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.req_resend_ms = 250;
    o.max_msg = 1000;
    o.reconnect_max_ms = 50;
    o.recv_timeout_ms = 70;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_REQ, "inproc://nobody", &o, &eb), 0);
    ck_assert_int_eq(get_ms(s, NNG_OPT_REQ_RESENDTIME), 250);
    ck_assert_int_eq(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &max), 0);
    ck_assert_uint_eq(max, 1000);
    ck_assert_int_eq(get_ms(s, NNG_OPT_RECONNMAXT), 50);
    ck_assert_int_eq(get_ms(s, NNG_OPT_RECONNMINT), 50);
    ck_assert_int_eq(get_ms(s, NNG_OPT_RECVTIMEO), 70);
    nng_close(s);
}
END_TEST

START_TEST(pub_and_sub_buffers_are_raised_and_bounded)
{
    nng_socket pub, sub;
    stom_errbuf eb = {{0}};
    int v = 0;
    ck_assert_int_eq(stom_bus_socket_open(&pub, STOM_BUS_PUB, "inproc://buffers", NULL, &eb), 0);
    ck_assert_int_eq(nng_socket_get_int(pub, NNG_OPT_SENDBUF, &v), 0);
    ck_assert_int_eq(v, 1024);
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.buffer_msgs = 4096;
    ck_assert_int_eq(stom_bus_socket_open(&sub, STOM_BUS_SUB, "inproc://buffers", &o, &eb), 0);
    ck_assert_int_eq(nng_socket_get_int(sub, NNG_OPT_RECVBUF, &v), 0);
    ck_assert_int_eq(v, 4096);
    nng_close(sub);
    nng_close(pub);

    nng_socket s;
    o.buffer_msgs = STOM_BUS_BUFFER_MSGS_MAX + 1;
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_SUB, "inproc://x", &o, &eb), STOM_EINVAL);
    o.buffer_msgs = 0;
    o.recv_timeout_ms = -5;
    ck_assert_int_eq(stom_bus_socket_open(&s, STOM_BUS_SUB, "inproc://x", &o, &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_socket_open(&s, (stom_bus_kind)9, "inproc://x", NULL, &eb),
                     STOM_EINVAL);
}
END_TEST

/* ---- requests ------------------------------------------------------------ */

START_TEST(a_request_gets_its_reply)
{
    stom_bus_server *server = server_open("inproc://rpc", 4, 0);
    nng_socket req = req_open("inproc://rpc");
    echo_server e;
    echo_start(&e, server, 2);
    for (int i = 0; i < 2; i++) {
        stom_bus_sender s;
        stom_bus_sender_init(&s, "caller", NULL);
        Stom__V1__Envelope env;
        Stom__V1__JobControl jc;
        make_query(&env, &jc, &s, i == 0 ? "job-a" : "job-b");
        stom_bus_received r;
        stom_errbuf eb = {{0}};
        ck_assert_msg(stom_bus_request(req, RPC_TOPIC, &env, 5000, &r, &eb) == 0, "%s", eb.msg);
        ck_assert_int_eq(stom_bus_expect(&r.msg, STOM__V1__ENVELOPE__BODY_JOB_STATUS, &eb), 0);
        ck_assert_str_eq(msg_job_id(&r.msg), i == 0 ? "job-a" : "job-b");
        ck_assert_uint_eq(r.msg.env->reply_to, env.seq);
        ck_assert_int_eq((int)r.msg.topic_len, (int)strlen(RPC_TOPIC));
        ck_assert_ptr_eq(r.msg.topic, r.buf);
        stom_bus_received_free(&r);
        stom_bus_received_free(&r); /* zeroed: a no-op */
    }
    echo_join(&e);
    stom_bus_server_stats st;
    stom_bus_server_get_stats(server, &st);
    ck_assert_uint_eq(st.received, 2);
    ck_assert_uint_eq(st.replied, 2);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

START_TEST(a_request_nobody_answers_times_out_naming_the_topic)
{
    stom_bus_server *server = server_open("inproc://silent", 1, 0);
    nng_socket req = req_open("inproc://silent");
    stom_bus_sender s;
    stom_bus_sender_init(&s, "caller", NULL);
    Stom__V1__Envelope env;
    Stom__V1__JobControl jc;
    make_query(&env, &jc, &s, "job-a");
    stom_bus_received r;
    stom_errbuf eb = {{0}};
    nng_time t0 = nng_clock();
    ck_assert_int_eq(stom_bus_request(req, RPC_TOPIC, &env, 150, &r, &eb), STOM_ETIMEDOUT);
    nng_time took = nng_clock() - t0;
    ck_assert_str_eq(eb.msg, "no answer from rpc.test within 150 ms");
    ck_assert_msg(took >= 140 && took < 3000, "took %d ms", (int)took);
    ck_assert_ptr_null(r.msg.env);
    ck_assert_int_eq(stom_bus_request(req, RPC_TOPIC, &env, 0, &r, &eb), STOM_EINVAL);
    nng_close(req);
    stom_bus_server_close(server);
}
END_TEST

/*
 * Sends one request (resend_ms as the socket option, 0: the default) that the
 * server holds without answering while the client waits 400 ms, and returns
 * how many times the server received it.
 */
static int receipts_while_waiting(const char *url, int resend_ms)
{
    stom_bus_server *server = server_open(url, 8, 0);
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.req_resend_ms = resend_ms;
    nng_socket req;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&req, STOM_BUS_REQ, url, &o, &eb), 0);
    client c;
    client_start(&c, req, "job-slow", 400);
    int receipts = 0;
    stom_bus_pending *held[8];
    /* Poll until the client has given up: a resend would arrive meanwhile. */
    for (;;) {
        stom_bus_pending *p = NULL;
        if (stom_bus_server_next(server, 700, &p) != 0)
            break;
        ck_assert_str_eq(msg_job_id(stom_bus_pending_msg(p)), "job-slow");
        ck_assert_int_lt(receipts, 8);
        held[receipts++] = p;
    }
    client_join(&c);
    ck_assert_int_eq(c.rc, STOM_ETIMEDOUT);
    for (int i = 0; i < receipts; i++)
        stom_bus_server_drop(server, held[i]);
    nng_close(req);
    stom_bus_server_close(server);
    return receipts;
}

START_TEST(a_request_is_not_resent_while_the_client_waits)
{
    ck_assert_int_eq(receipts_while_waiting("inproc://once", 0), 1);
}
END_TEST

START_TEST(a_request_on_a_socket_asked_to_resend_arrives_again)
{
    /* The control for the test above: the count does see resends. (nng 1.5
     * runs a resend timer per request; later versions check once a second.) */
    ck_assert_int_ge(receipts_while_waiting("inproc://again", 60), 3);
}
END_TEST

START_TEST(a_client_may_dial_before_the_server_listens)
{
    ipc_dir dir;
    ipc_dir_make(&dir);
    char dial[320], listen[320];
    ipc_url(&dir, "dial:", "rpc.sock", dial, sizeof dial);
    ipc_url(&dir, "listen:", "rpc.sock", listen, sizeof listen);
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.reconnect_max_ms = 20;
    nng_socket req;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_socket_open(&req, STOM_BUS_REQ, dial, &o, &eb) == 0, "%s", eb.msg);
    stom_bus_server *server = server_open(listen, 2, 0);
    echo_server e;
    echo_start(&e, server, 1);
    client c;
    client_start(&c, req, "job-late", 5000);
    client_join(&c);
    echo_join(&e);
    ck_assert_msg(c.rc == 0, "%s", c.eb.msg);
    ck_assert_str_eq(c.answer, "job-late");
    nng_close(req);
    stom_bus_server_close(server);
    ipc_dir_remove(&dir, (const char *const[]){"rpc.sock", NULL});
}
END_TEST

/* ---- PUB/SUB ------------------------------------------------------------- */

typedef struct pubsub {
    nng_socket pub, sub;
    stom_bus_sender sender;
} pubsub;

static void pubsub_open(pubsub *ps, const char *url)
{
    stom_errbuf eb = {{0}};
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.recv_timeout_ms = 20;
    ck_assert_int_eq(stom_bus_socket_open(&ps->pub, STOM_BUS_PUB, url, NULL, &eb), 0);
    ck_assert_int_eq(stom_bus_socket_open(&ps->sub, STOM_BUS_SUB, url, &o, &eb), 0);
    stom_bus_sender_init(&ps->sender, "publisher", NULL);
}

static void publish(pubsub *ps, const char *topic, const char *job_id)
{
    Stom__V1__Envelope env;
    Stom__V1__JobControl jc;
    make_query(&env, &jc, &ps->sender, job_id);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_send(ps->pub, topic, &env, &eb) == 0, "%s", eb.msg);
}

/* Receives one message within the socket's short timeout; copies its topic
 * and job_id. Returns false on timeout. */
static bool receive(pubsub *ps, char *topic, char *job_id)
{
    stom_bus_received r;
    stom_errbuf eb = {{0}};
    int rc = stom_bus_recv(ps->sub, 0, &r, &eb);
    if (rc == STOM_ETIMEDOUT)
        return false;
    ck_assert_msg(rc == 0, "%s", eb.msg);
    snprintf(topic, 64, "%.*s", (int)r.msg.topic_len, r.msg.topic);
    snprintf(job_id, 64, "%s", msg_job_id(&r.msg));
    stom_bus_received_free(&r);
    return true;
}

/* PUB drops what it sends before the subscriber is connected: publishes
 * "probe" on topic until one arrives, within a deadline. */
static void wait_connected(pubsub *ps, const char *topic)
{
    nng_time deadline = nng_clock() + 5000;
    char t[64], j[64];
    for (;;) {
        publish(ps, topic, "probe");
        if (receive(ps, t, j))
            return;
        ck_assert_msg(nng_clock() < deadline, "subscriber never connected");
    }
}

/* Publishes the messages in order after a connection probe and returns the
 * job_ids received, space-separated, up to and including "last". */
static void deliveries(pubsub *ps, const char *probe_topic, const char *const *topics, char *out,
                       size_t len)
{
    wait_connected(ps, probe_topic);
    for (size_t i = 0; topics[i] != NULL; i++)
        publish(ps, topics[i], topics[i + 1] ? topics[i] : "last");
    out[0] = '\0';
    nng_time deadline = nng_clock() + 5000;
    char t[64], j[64];
    while (nng_clock() < deadline) {
        if (!receive(ps, t, j) || strcmp(j, "probe") == 0)
            continue;
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", used ? " " : "", j);
        if (strcmp(j, "last") == 0)
            return;
    }
    ck_abort_msg("'last' never arrived: got '%s'", out);
}

START_TEST(a_subscription_to_a_topic_and_its_separator_matches_that_topic_only)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://exact");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "bt.job1\0", 8, &eb), 0);
    char got[256];
    deliveries(&ps, "bt.job1", (const char *const[]){"bt.job10", "bt.job1x", "bt.job1", NULL}, got,
               sizeof got);
    ck_assert_str_eq(got, "last");
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(a_publisher_thread_sends_in_order_and_sends_what_is_queued_before_it_closes)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://publisher");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "", 0, &eb), 0);
    /* Until the subscriber is connected a PUB socket drops what it sends: probe first. */
    char topic[64], id[64];
    bool through = false;
    for (int i = 0; i < 200 && !through; i++) {
        publish(&ps, "bt.x", "probe");
        through = receive(&ps, topic, id);
    }
    ck_assert(through);
    while (receive(&ps, topic, id)) /* probes still on their way */
        ;
    nng_socket_set_ms(ps.sub, NNG_OPT_RECVTIMEO, 2000);
    stom_bus_publisher *p = NULL;
    ck_assert_int_eq(stom_bus_publisher_open(&p, ps.pub, 0, &eb), 0);
    for (int i = 0; i < 500; i++) {
        char job[16];
        snprintf(job, sizeof job, "job-%d", i);
        Stom__V1__Envelope env;
        Stom__V1__JobControl jc;
        make_query(&env, &jc, &ps.sender, job);
        ck_assert_msg(stom_bus_publisher_send(p, "bt.x", &env, &eb) == 0, "%s", eb.msg);
    }
    stom_bus_publisher_close(p); /* returns once all 500 are with nng */
    for (int i = 0; i < 500; i++) {
        char want[16];
        ck_assert_msg(receive(&ps, topic, id), "message %d did not arrive", i);
        snprintf(want, sizeof want, "job-%d", i);
        ck_assert_str_eq(id, want);
    }
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(a_subscription_without_the_separator_matches_longer_topics_too)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://prefix");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "bt.job1", 7, &eb), 0);
    char got[256];
    deliveries(&ps, "bt.job1",
               (const char *const[]){"bt.job10", "bt.job2", "md.ls.005930", "bt.job1", NULL}, got,
               sizeof got);
    ck_assert_str_eq(got, "bt.job10 last");
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(a_subscription_to_a_family_and_dot_matches_everything_under_it)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://family");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "bt.", 3, &eb), 0);
    char got[256];
    deliveries(&ps, "bt.probe",
               (const char *const[]){"bt.job10", "btx.job1", "md.bt.x", "bt.job1", NULL}, got,
               sizeof got);
    ck_assert_str_eq(got, "bt.job10 last");
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, NULL, 3, &eb), STOM_EINVAL);
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(receiving_past_the_socket_timeout_returns_timedout)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://quiet");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "", 0, &eb), 0);
    stom_bus_received r;
    ck_assert_int_eq(stom_bus_recv(ps.sub, 0, &r, &eb), STOM_ETIMEDOUT);
    ck_assert_ptr_null(r.nmsg);
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(a_malformed_published_message_is_consumed_with_the_decoders_error)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://garbage");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_subscribe(ps.sub, "bt.", 3, &eb), 0);
    wait_connected(&ps, "bt.probe");
    static const char garbage[] = "bt.job1\0this is not protobuf";
    ck_assert_int_eq(nng_send(ps.pub, (void *)garbage, sizeof garbage - 1, 0), 0);
    publish(&ps, "bt.job1", "after");
    /* Leftover probes may come first; the garbage comes before "after". */
    stom_bus_received r;
    int rc;
    nng_time deadline = nng_clock() + 5000;
    while ((rc = stom_bus_recv(ps.sub, 0, &r, &eb)) == 0 || rc == STOM_ETIMEDOUT) {
        if (rc == 0) {
            ck_assert_str_eq(msg_job_id(&r.msg), "probe");
            stom_bus_received_free(&r);
        }
        ck_assert(nng_clock() < deadline);
    }
    ck_assert_int_eq(rc, STOM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(eb.msg, "not protobuf"));
    ck_assert_int_eq(stom_bus_recv(ps.sub, 0, &r, &eb), 0);
    ck_assert_str_eq(msg_job_id(&r.msg), "after");
    stom_bus_received_free(&r);
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

START_TEST(sending_an_envelope_a_receiver_would_refuse_fails_before_the_socket)
{
    pubsub ps;
    pubsub_open(&ps, "inproc://refuse");
    Stom__V1__Envelope env;
    Stom__V1__JobControl jc;
    make_query(&env, &jc, &ps.sender, "job");
    env.has_seq = 0;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_send(ps.pub, "bt.job", &env, &eb), STOM_EFORMAT);
    ck_assert_int_eq(stom_bus_send(ps.pub, "bad topic", &env, &eb), STOM_EFORMAT);
    ck_assert_int_eq(stom_bus_send(ps.pub, "bt.job", NULL, &eb), STOM_EINVAL);
    nng_close(ps.sub);
    nng_close(ps.pub);
}
END_TEST

static Suite *nng_socket_suite(void)
{
    Suite *s = suite_create("busnet_nng_socket");
    TCase *tc = tcase_create("endpoints");
    tcase_add_test(tc, an_endpoint_spec_says_whether_to_listen_or_dial);
    tcase_add_test(tc, a_bad_endpoint_spec_is_refused_with_the_spec_quoted);
    tcase_add_test(tc, an_endpoint_url_longer_than_the_limit_is_refused);
    tcase_add_test(tc, a_url_nng_cannot_use_is_refused_and_an_address_in_use_is_an_io_error);
    tcase_add_test(tc, a_req_socket_never_resends_unless_asked);
    tcase_add_test(tc, pub_and_sub_buffers_are_raised_and_bounded);
    suite_add_tcase(s, tc);
    tc = tcase_create("requests");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, a_request_gets_its_reply);
    tcase_add_test(tc, a_request_nobody_answers_times_out_naming_the_topic);
    tcase_add_test(tc, a_request_is_not_resent_while_the_client_waits);
    tcase_add_test(tc, a_request_on_a_socket_asked_to_resend_arrives_again);
    tcase_add_test(tc, a_client_may_dial_before_the_server_listens);
    suite_add_tcase(s, tc);
    tc = tcase_create("pubsub");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, a_subscription_to_a_topic_and_its_separator_matches_that_topic_only);
    tcase_add_test(tc, a_subscription_without_the_separator_matches_longer_topics_too);
    tcase_add_test(tc, a_subscription_to_a_family_and_dot_matches_everything_under_it);
    tcase_add_test(tc, receiving_past_the_socket_timeout_returns_timedout);
    tcase_add_test(tc, a_malformed_published_message_is_consumed_with_the_decoders_error);
    tcase_add_test(tc, sending_an_envelope_a_receiver_would_refuse_fails_before_the_socket);
    tcase_add_test(tc, a_publisher_thread_sends_in_order_and_sends_what_is_queued_before_it_closes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(nng_socket_suite());
}
