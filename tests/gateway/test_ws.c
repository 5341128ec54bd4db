/*
 * test_ws.c - the gateway's WebSocket hub through real sockets: a stand-in
 * lws server hosting gw_ws_protocol (support/ws_host.c), a real nng PUB
 * socket standing in for the coordinator's event socket, a fresh migrated
 * database for run ownership, and raw WebSocket clients
 * (support/ws_client.c).
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_ws.h"
#include "stom/bus_nng.h"
#include "stom/store.h"
#include "test_db.h"
#include "test_support.h"
#include "ws_client.h"
#include "ws_host.h"

#define WS_PORT  18200
#define PUB_PORT 18220
#define MD_PORT  18221 /* a broker's market data PUB */
#define SECRET   "test-secret-of-at-least-32-bytes-long!!"

static char db_url[512];
static char events_url[64];
static gw_config cfg;
static ws_host *host;
static nng_socket pub, md_pub;
static char market_url[64];
static stom_bus_sender sender;
static char tok_alice[1024], tok_bob[1024], tok_carol[1024], tok_dave[1024], tok_erin[1024];

static void issue(int64_t id, const char *name, gw_role role, char *out)
{
    gw_user u = {.id = id, .role = role};
    snprintf(u.username, sizeof u.username, "%s", name);
    char *t = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(gw_access_issue(&cfg, &u, &t, &eb), 0);
    snprintf(out, 1024, "%s", t);
    free(t);
}

static void setup(void)
{
    stom_test_db_create(db_url, sizeof db_url);
    stom_db *db = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_connect(&db, db_url, &eb), 0);
    ck_assert_int_eq(
        stom_db_exec(db,
                     "INSERT INTO users (id, username, email, password_hash, role) "
                     "VALUES (1, 'alice', 'a@x', 'x', 'user'), "
                     "(2, 'bob', 'b@x', 'x', 'user'), (3, 'carol', 'c@x', 'x', 'trader'), "
                     "(4, 'dave', 'd@x', 'x', 'trader'), (5, 'erin', 'e@x', 'x', 'admin');"
                     "INSERT INTO broker_accounts (account, broker, user_id) VALUES "
                     "('C-1', 'sim', 3), ('D-1', 'sim', 4);"
                     "INSERT INTO engine_strategies (instance_id, user_id, account, strategy_name, "
                     "symbols, timeframe, state) VALUES ('inst-c', 3, 'C-1', 'sma_cross', "
                     "'{005930}', '1m', 'running');"
                     "INSERT INTO runs (job_id, user_id, kind, strategy_name, request) "
                     "VALUES ('job-a', 1, 'backtest', 's', '{}')",
                     &eb),
        0);
    stom_db_close(db);
    snprintf(events_url, sizeof events_url, "tcp://127.0.0.1:%d", PUB_PORT);
    char spec[96];
    snprintf(spec, sizeof spec, "listen:%s", events_url);
    ck_assert_int_eq(stom_bus_socket_open(&pub, STOM_BUS_PUB, spec, NULL, &eb), 0);
    ck_assert_int_eq(stom_bus_sender_init(&sender, "test-coordinator", &eb), 0);
    snprintf(market_url, sizeof market_url, "tcp://127.0.0.1:%d", MD_PORT);
    snprintf(spec, sizeof spec, "listen:%s", market_url);
    ck_assert_int_eq(stom_bus_socket_open(&md_pub, STOM_BUS_PUB, spec, NULL, &eb), 0);
    cfg = (gw_config){.port = WS_PORT,
                      .bind = "127.0.0.1",
                      .jwt_secret = SECRET,
                      .issuer = GW_ISSUER_DEFAULT,
                      .audience = GW_AUDIENCE_DEFAULT,
                      .access_ttl_s = 900,
                      .database = db_url,
                      .coordinator_events = events_url,
                      .market = market_url};
    issue(1, "alice", GW_ROLE_USER, tok_alice);
    issue(2, "bob", GW_ROLE_USER, tok_bob);
    issue(3, "carol", GW_ROLE_TRADER, tok_carol);
    issue(4, "dave", GW_ROLE_TRADER, tok_dave);
    issue(5, "erin", GW_ROLE_ADMIN, tok_erin);
    ck_assert_int_eq(ws_host_start(&host, &cfg), 0);
}

static void teardown(void)
{
    ws_host_stop(host);
    nng_close(pub);
    nng_close(md_pub);
    stom_test_db_drop(db_url);
}

/* ---- helpers ------------------------------------------------------------ */

static void open_client(ws_client *c, const char *target, int rcvbuf)
{
    ck_assert_msg(ws_client_connect(c, WS_PORT, target, rcvbuf, 5000) == 0, "upgrade of %s refused",
                  target);
}

/* The next frame, which must be a text frame holding a JSON object (returned owned). */
static json_t *next_json(ws_client *c)
{
    ws_frame f;
    ck_assert_int_eq(ws_client_recv(c, &f, 10000), 1);
    ck_assert_msg(f.opcode == WS_OP_TEXT, "expected text, got opcode %d (%s)", f.opcode,
                  f.len > 2 ? f.data + 2 : "");
    json_t *j = json_loads(f.data, 0, NULL);
    ck_assert_msg(j != NULL, "not JSON: %s", f.data);
    ws_frame_free(&f);
    return j;
}

static const char *str_of(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* Expects the next message to have type (and code, when not NULL). */
static void expect(ws_client *c, const char *type, const char *code)
{
    json_t *j = next_json(c);
    ck_assert_str_eq(str_of(j, "type"), type);
    if (code)
        ck_assert_str_eq(str_of(j, "code"), code);
    json_decref(j);
}

static void auth(ws_client *c, const char *token)
{
    char msg[1200];
    snprintf(msg, sizeof msg, "{\"type\":\"auth\",\"token\":\"%s\"}", token);
    ck_assert_int_eq(ws_client_send_text(c, msg), 0);
    expect(c, "authenticated", NULL);
}

static void send_sub(ws_client *c, const char *type, const char *topic)
{
    char msg[256];
    snprintf(msg, sizeof msg, "{\"type\":\"%s\",\"topic\":\"%s\"}", type, topic);
    ck_assert_int_eq(ws_client_send_text(c, msg), 0);
}

/* Expects a close frame with code and reason (connection end without one fails). */
static void expect_close(ws_client *c, int code, const char *reason)
{
    ws_frame f;
    for (;;) {
        ck_assert_int_eq(ws_client_recv(c, &f, 15000), 1);
        if (f.opcode == WS_OP_CLOSE)
            break;
        ws_frame_free(&f);
    }
    ck_assert_int_eq(f.close_code, code);
    ck_assert_uint_eq(f.len, 2 + strlen(reason));
    ck_assert_int_eq(memcmp(f.data + 2, reason, strlen(reason)), 0);
    ws_frame_free(&f);
}

static void publish_progress(const char *job, uint64_t done)
{
    Stom__V1__Progress p = STOM__V1__PROGRESS__INIT;
    p.job_id = (char *)job;
    p.has_done = 1;
    p.done = done;
    p.has_total = 1;
    p.total = 1000000;
    Stom__V1__Envelope env;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    stom_bus_envelope_init(&env, &sender, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &p.base, NULL), 0);
    stom_bus_topic t;
    ck_assert_int_eq(stom_bus_topic_bt(&t, job, NULL), 0);
    stom_errbuf eb;
    ck_assert_msg(stom_bus_send(pub, t.str, &env, &eb) == 0, "%s", eb.msg);
}

static gw_ws_stats stats(void)
{
    gw_ws_stats s;
    gw_ws_get_stats(ws_host_hub(host), &s);
    return s;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(an_unauthenticated_client_is_refused)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    send_sub(&c, "subscribe", "surge");
    expect(&c, "error", "unauthorized");
    expect_close(&c, 1008, "unauthorized");
    ws_client_close(&c);

    open_client(&c, "/api/v1/ws?token=not.a.jwt", 0);
    expect(&c, "error", "unauthorized");
    expect_close(&c, 1008, "unauthorized");
    ws_client_close(&c);

    /* A token signed with another key is forged. */
    gw_config other = cfg;
    other.jwt_secret = "another-secret-of-at-least-32-bytes-long";
    gw_user u = {.id = 1, .role = GW_ROLE_ADMIN};
    char *forged = NULL;
    ck_assert_int_eq(gw_access_issue(&other, &u, &forged, NULL), 0);
    open_client(&c, "/api/v1/ws", 0);
    char msg[1200];
    snprintf(msg, sizeof msg, "{\"type\":\"auth\",\"token\":\"%s\"}", forged);
    free(forged);
    ck_assert_int_eq(ws_client_send_text(&c, msg), 0);
    expect(&c, "error", "unauthorized");
    expect_close(&c, 1008, "unauthorized");
    ws_client_close(&c);

    ck_assert_int_eq(ws_client_connect(&c, WS_PORT, "/not/a/ws/path", 0, 5000), -1);
}
END_TEST

START_TEST(a_client_subscribes_and_unsubscribes_within_its_role)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    send_sub(&c, "subscribe", "market.005930");
    expect(&c, "subscribed", NULL);
    send_sub(&c, "subscribe", "surge");
    expect(&c, "error", "forbidden");
    send_sub(&c, "subscribe", "risk");
    expect(&c, "error", "forbidden");
    send_sub(&c, "subscribe", "strategy");
    expect(&c, "error", "forbidden");
    send_sub(&c, "unsubscribe", "market.005930");
    expect(&c, "unsubscribed", NULL);
    send_sub(&c, "unsubscribe", "market.005930");
    expect(&c, "error", "not_subscribed");
    send_sub(&c, "subscribe", "market.bad symbol");
    expect(&c, "error", "invalid_topic");
    send_sub(&c, "subscribe", "secrets");
    expect(&c, "error", "invalid_topic");
    send_sub(&c, "subscribe", "orders");
    expect(&c, "error", "forbidden");
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"auth\",\"token\":\"x\"}"), 0);
    expect(&c, "error", "invalid_message");
    ws_client_close(&c);

    /* A trader's shortcut path subscribes right after the ?token= authentication. */
    char target[1200];
    snprintf(target, sizeof target, "/ws/orders?token=%s", tok_carol);
    open_client(&c, target, 0);
    expect(&c, "authenticated", NULL);
    json_t *j = next_json(&c);
    ck_assert_str_eq(str_of(j, "type"), "subscribed");
    ck_assert_str_eq(str_of(j, "topic"), "orders");
    json_decref(j);
    send_sub(&c, "subscribe", "positions");
    expect(&c, "subscribed", NULL);
    send_sub(&c, "subscribe", "risk");
    expect(&c, "subscribed", NULL);
    send_sub(&c, "subscribe", "strategy");
    expect(&c, "subscribed", NULL);
    send_sub(&c, "subscribe", "surge");
    expect(&c, "subscribed", NULL);
    ws_client_close(&c);
}
END_TEST

START_TEST(backtest_events_arrive_in_order_with_seq)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    send_sub(&c, "subscribe", "backtest.job-a");
    json_t *j = next_json(&c);
    ck_assert_str_eq(str_of(j, "type"), "subscribed");
    ck_assert_str_eq(str_of(j, "topic"), "backtest.job-a");
    json_decref(j);

    /* The SUB socket dials in the background: probe (done 0) until one arrives. */
    uint64_t last_seq = 0;
    for (int i = 0; i < 200 && last_seq == 0; i++) {
        publish_progress("job-a", 0);
        ws_frame f;
        if (ws_client_recv(&c, &f, 50) == 1) {
            json_t *e = json_loads(f.data, 0, NULL);
            last_seq = (uint64_t)json_integer_value(json_object_get(e, "seq"));
            json_decref(e);
            ws_frame_free(&f);
        }
    }
    ck_assert_uint_gt(last_seq, 0);
    /* 500 events in bursts of 100: a burst stays within the client's queue (GW_WS_QUEUE). */
    const int n = 500;
    int want = 1;
    for (int burst = 0; burst < n / 100; burst++) {
        for (int i = 1; i <= 100; i++)
            publish_progress("job-a", (uint64_t)(burst * 100 + i));
        while (want <= (burst + 1) * 100) {
            json_t *e = next_json(&c);
            ck_assert_str_eq(str_of(e, "type"), "event");
            ck_assert_str_eq(str_of(e, "topic"), "backtest.job-a");
            uint64_t seq = (uint64_t)json_integer_value(json_object_get(e, "seq"));
            ck_assert_uint_eq(seq, last_seq + 1);
            last_seq = seq;
            json_t *data = json_object_get(e, "data");
            ck_assert_str_eq(str_of(data, "job_id"), "job-a");
            json_int_t done = json_integer_value(json_object_get(data, "done"));
            if (done != 0) { /* a late probe may still come first */
                ck_assert_int_eq(done, want);
                want++;
            }
            json_decref(e);
        }
    }
    ws_client_close(&c);
}
END_TEST

START_TEST(a_backtest_of_another_user_is_refused)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_bob);
    send_sub(&c, "subscribe", "backtest.job-a");
    json_t *other = next_json(&c);
    ck_assert_str_eq(str_of(other, "type"), "error");
    ck_assert_str_eq(str_of(other, "code"), "forbidden");
    send_sub(&c, "subscribe", "backtest.no-such-job");
    json_t *missing = next_json(&c);
    ck_assert_str_eq(str_of(missing, "code"), "forbidden");
    /* The same words either way: nobody learns which runs exist. */
    ck_assert_str_eq(str_of(other, "message"), str_of(missing, "message"));
    json_decref(other);
    json_decref(missing);
    /* Nothing of job-a reaches bob. */
    for (int i = 0; i < 20; i++)
        publish_progress("job-a", 1);
    ws_frame f;
    ck_assert_int_eq(ws_client_recv(&c, &f, 300), 0);
    ws_client_close(&c);
}
END_TEST

START_TEST(an_account_change_closes_its_sessions_and_new_ones_follow_the_account)
{
    ws_client a1, a2, b;
    open_client(&a1, "/api/v1/ws", 0);
    open_client(&a2, "/api/v1/ws", 0);
    open_client(&b, "/api/v1/ws", 0);
    auth(&a1, tok_alice);
    auth(&a2, tok_alice);
    auth(&b, tok_bob);
    /* What an admin's PATCH /admin/users/1 does once the row is written. */
    stom_db *db = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_connect(&db, db_url, &eb), 0);
    ck_assert_int_eq(stom_db_exec(db, "UPDATE users SET disabled = true WHERE id = 1", &eb), 0);
    stom_db_close(db);
    gw_ws_user_changed(ws_host_hub(host), 1);
    expect_close(&a1, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account changed");
    expect_close(&a2, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account changed");
    ws_client_close(&a1);
    ws_client_close(&a2);
    /* bob's session is untouched. */
    ck_assert_int_eq(ws_client_send_text(&b, "{\"type\":\"ping\"}"), 0);
    expect(&b, "pong", NULL);
    ws_client_close(&b);
    /* alice's token is still unexpired, but the account check closes her new session. */
    ws_client again;
    open_client(&again, "/api/v1/ws", 0);
    auth(&again, tok_alice);
    expect(&again, "error", "unauthorized");
    expect_close(&again, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account disabled");
    ws_client_close(&again);
    /* carol's token says trader; demoted since, her session does not keep the trader's topics. */
    ck_assert_int_eq(stom_db_connect(&db, db_url, &eb), 0);
    ck_assert_int_eq(stom_db_exec(db, "UPDATE users SET role = 'user' WHERE id = 3", &eb), 0);
    stom_db_close(db);
    ws_client carol;
    open_client(&carol, "/api/v1/ws", 0);
    auth(&carol, tok_carol);
    expect_close(&carol, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account changed");
    ws_client_close(&carol);
}
END_TEST

START_TEST(ping_is_answered_as_json_and_as_a_control_frame)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"ping\"}"), 0);
    expect(&c, "pong", NULL);
    ck_assert_int_eq(ws_client_send(&c, WS_OP_PING, "hello", 5, true), 0);
    ws_frame f;
    ck_assert_int_eq(ws_client_recv(&c, &f, 5000), 1);
    ck_assert_int_eq(f.opcode, WS_OP_PONG);
    ck_assert_str_eq(f.data, "hello");
    ws_frame_free(&f);
    ws_client_close(&c);
}
END_TEST

START_TEST(bad_messages_get_errors_and_the_connection_stays_usable)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\": \"subscribe\", \"topic\": "), 0);
    expect(&c, "error", "invalid_json");
    ck_assert_int_eq(ws_client_send_text(&c, "[1,2,3]"), 0);
    expect(&c, "error", "invalid_message");
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"ping\",\"type\":\"x\"}"), 0);
    expect(&c, "error", "invalid_json");
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"launch\"}"), 0);
    expect(&c, "error", "unknown_type");
    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"subscribe\"}"), 0);
    expect(&c, "error", "invalid_message");
    ck_assert_int_eq(ws_client_send(&c, WS_OP_BINARY, "\x01\x02", 2, true), 0);
    expect(&c, "error", "invalid_message");
    /* A huge message, in one frame and in fragments. */
    size_t big = GW_WS_MSG_MAX + 5000;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    huge[0] = '{';
    ck_assert_int_eq(ws_client_send(&c, WS_OP_TEXT, huge, big, true), 0);
    expect(&c, "error", "too_large");
    ck_assert_int_eq(ws_client_send(&c, WS_OP_TEXT, huge, big / 2, false), 0);
    ck_assert_int_eq(ws_client_send(&c, 0, huge, big / 2, true), 0);
    expect(&c, "error", "too_large");
    free(huge);
    /* A fragmented message within the limit is put together. */
    ck_assert_int_eq(ws_client_send(&c, WS_OP_TEXT, "{\"type\":", 8, false), 0);
    ck_assert_int_eq(ws_client_send(&c, 0, "\"ping\"}", 7, true), 0);
    expect(&c, "pong", NULL);
    send_sub(&c, "subscribe", "market.005930");
    expect(&c, "subscribed", NULL);
    ws_client_close(&c);
}
END_TEST

/* Publishes n padded events on "surge", never more than 64 ahead of what the fast reader saw. */
typedef struct pacer {
    int n;
    atomic_int fast_seen;
} pacer;

static json_t *padded(int i, size_t pad)
{
    char *p = malloc(pad + 1);
    memset(p, 'x', pad);
    p[pad] = '\0';
    json_t *j = json_pack("{s:i,s:s}", "i", i, "pad", p);
    free(p);
    return j;
}

static void *pace_publisher(void *arg)
{
    pacer *p = arg;
    for (int i = 1; i <= p->n; i++) {
        while (i - atomic_load(&p->fast_seen) > 64)
            sleep_ms(1);
        json_t *j = padded(i, 16384);
        gw_ws_publish(ws_host_hub(host), "surge", j);
        json_decref(j);
    }
    return NULL;
}

START_TEST(a_slow_client_is_disconnected_while_others_keep_receiving)
{
    ws_client fast, slow;
    open_client(&fast, "/api/v1/ws", 0);
    open_client(&slow, "/api/v1/ws", 4096);
    auth(&fast, tok_carol);
    auth(&slow, tok_dave);
    send_sub(&fast, "subscribe", "surge");
    expect(&fast, "subscribed", NULL);
    send_sub(&slow, "subscribe", "surge");
    expect(&slow, "subscribed", NULL);

    pacer p = {.n = 1500};
    atomic_init(&p.fast_seen, 0);
    pthread_t th;
    pthread_create(&th, NULL, pace_publisher, &p);
    for (int i = 1; i <= p.n; i++) {
        json_t *e = next_json(&fast);
        ck_assert_int_eq(json_integer_value(json_object_get(e, "seq")), i);
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(e, "data"), "i")), i);
        json_decref(e);
        atomic_store(&p.fast_seen, i);
    }
    pthread_join(th, NULL);
    ck_assert_uint_eq(stats().disconnected_slow, 1);
    /* Once it reads again, the slow client finds the reason after what was already sent. */
    expect_close(&slow, 1008, "too slow");
    ws_client_close(&slow);
    ck_assert_int_eq(ws_client_send_text(&fast, "{\"type\":\"ping\"}"), 0);
    expect(&fast, "pong", NULL);
    ws_client_close(&fast);
}
END_TEST

/* Publishes body on bus topic as the engine would. */
static void publish_engine(const char *topic, ProtobufCMessage *body)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &sender, 1);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, body, NULL), 0);
    stom_errbuf eb;
    ck_assert_msg(stom_bus_send(pub, topic, &env, &eb) == 0, "%s", eb.msg);
}

static void publish_order(const char *account)
{
    Stom__V1__OrderEvent e = STOM__V1__ORDER_EVENT__INIT;
    e.account = (char *)account;
    e.client_order_id = (char *)"m-test";
    publish_engine("eng.orders", &e.base);
}

static void publish_surge(const char *message)
{
    Stom__V1__SurgeAlert a = STOM__V1__SURGE_ALERT__INIT;
    a.symbol = (char *)"005930";
    a.message = (char *)message;
    publish_engine("eng.surge", &a.base);
}

/* Reads c's events until the surge alert "end"; returns "topic:account-or-instance" lines. */
static void collect_until_end(ws_client *c, char *out, size_t len)
{
    out[0] = '\0';
    for (;;) {
        json_t *e = next_json(c);
        ck_assert_str_eq(str_of(e, "type"), "event");
        json_t *data = json_object_get(e, "data");
        const char *topic = str_of(e, "topic");
        bool end = !strcmp(topic, "surge") && !strcmp(str_of(data, "message"), "end");
        const char *who = !strcmp(topic, "strategy") ? str_of(data, "instance_id")
                          : !strcmp(topic, "surge")  ? ""
                                                     : str_of(data, "account");
        if (strcmp(str_of(data, "message"), "probe"))
            snprintf(out + strlen(out), len - strlen(out), "%s:%s\n", topic, who);
        json_decref(e);
        if (end)
            return;
    }
}

START_TEST(engine_events_reach_only_their_accounts_owner_and_admins)
{
    static const char *const topics[] = {"orders", "positions", "risk", "strategy", "surge"};
    ws_client carol, dave, erin;
    ws_client *all[] = {&carol, &dave, &erin};
    const char *toks[] = {tok_carol, tok_dave, tok_erin};
    for (size_t i = 0; i < 3; i++) {
        open_client(all[i], "/api/v1/ws", 0);
        auth(all[i], toks[i]);
        for (size_t t = 0; t < 5; t++) {
            send_sub(all[i], "subscribe", topics[t]);
            expect(all[i], "subscribed", NULL);
        }
    }
    /* The SUB socket dials in the background: probe until carol hears one. */
    bool heard = false;
    for (int i = 0; i < 200 && !heard; i++) {
        publish_surge("probe");
        ws_frame f;
        if (ws_client_recv(&carol, &f, 50) == 1) {
            heard = true;
            ws_frame_free(&f);
        }
    }
    ck_assert(heard);
    publish_order("C-1");
    publish_order("D-1");
    publish_order("X-9"); /* nobody's account: admins only */
    Stom__V1__Position p = STOM__V1__POSITION__INIT;
    p.account = (char *)"D-1";
    publish_engine("eng.positions", &p.base);
    Stom__V1__RiskEvent halt_all = STOM__V1__RISK_EVENT__INIT;
    halt_all.message = (char *)"all trading halted";
    publish_engine("eng.risk", &halt_all.base);
    Stom__V1__RiskEvent r = STOM__V1__RISK_EVENT__INIT;
    r.account = (char *)"C-1";
    publish_engine("eng.risk", &r.base);
    Stom__V1__StrategyStatus st = STOM__V1__STRATEGY_STATUS__INIT;
    st.instance_id = (char *)"inst-c";
    publish_engine("eng.strategy", &st.base);
    publish_surge("end");

    char got[1024];
    collect_until_end(&carol, got, sizeof got);
    ck_assert_str_eq(got, "orders:C-1\nrisk:\nrisk:C-1\nstrategy:inst-c\nsurge:\n");
    collect_until_end(&dave, got, sizeof got);
    ck_assert_str_eq(got, "orders:D-1\npositions:D-1\nrisk:\nsurge:\n");
    collect_until_end(&erin, got, sizeof got);
    ck_assert_str_eq(got, "orders:C-1\norders:D-1\norders:X-9\npositions:D-1\nrisk:\nrisk:C-1\n"
                          "strategy:inst-c\nsurge:\n");
    for (size_t i = 0; i < 3; i++)
        ws_client_close(all[i]);
}
END_TEST

START_TEST(market_topics_are_conflated_to_the_latest_value)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 4096);
    auth(&c, tok_alice);
    send_sub(&c, "subscribe", "market.005930");
    expect(&c, "subscribed", NULL);
    send_sub(&c, "subscribe", "market.000660");
    expect(&c, "subscribed", NULL);

    /* The client does not read while 3,000 updates come: its queue must overflow without them. */
    const int n = 3000;
    uint64_t in0 = stats().messages_in;
    for (int i = 1; i <= n; i++) {
        json_t *j = padded(i, 4096);
        gw_ws_publish(ws_host_hub(host), i % 2 ? "market.005930" : "market.000660", j);
        json_decref(j);
    }
    for (int i = 0; i < 2000 && stats().messages_in < in0 + (uint64_t)n; i++)
        sleep_ms(10);
    ck_assert_uint_eq(stats().messages_in, in0 + (uint64_t)n);

    ck_assert_int_eq(ws_client_send_text(&c, "{\"type\":\"ping\"}"), 0);
    int got = 0, last_odd = 0, last_even = 0;
    for (;;) {
        json_t *e = next_json(&c);
        if (strcmp(str_of(e, "type"), "pong") == 0) {
            json_decref(e);
            break;
        }
        ck_assert_str_eq(str_of(e, "type"), "event");
        int i = (int)json_integer_value(json_object_get(json_object_get(e, "data"), "i"));
        int *last = strcmp(str_of(e, "topic"), "market.005930") == 0 ? &last_odd : &last_even;
        ck_assert_int_gt(i, *last); /* never older than what came before */
        *last = i;
        got++;
        json_decref(e);
    }
    ck_assert_int_eq(last_odd, n - 1);
    ck_assert_int_eq(last_even, n);
    ck_assert_int_lt(got, n);
    gw_ws_stats s = stats();
    ck_assert_uint_eq(s.dropped_conflated, (uint64_t)(n - got));
    ck_assert_uint_eq(s.disconnected_slow, 0);
    ws_client_close(&c);
}
END_TEST

/* A broker's trades (md.<broker>.<symbol> on its PUB, --market) reach market.<symbol>. */
START_TEST(a_brokers_trades_reach_the_market_topic_of_their_symbol)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    send_sub(&c, "subscribe", "market.005930");
    expect(&c, "subscribed", NULL);
    Stom__V1__Trade t = STOM__V1__TRADE__INIT;
    t.symbol = (char *)"005930";
    t.has_price = t.has_qty = t.has_cum_qty = true;
    t.price = 70100;
    t.qty = 7;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &sender, 1);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &t.base, NULL), 0);
    stom_errbuf eb;
    /* A SUB drops what was sent before it connected: publish until one arrives. */
    json_t *e = NULL;
    for (int i = 0; i < 200 && !e; i++) {
        t.cum_qty = i + 1;
        ck_assert_msg(stom_bus_send(md_pub, "md.sim.005930", &env, &eb) == 0, "%s", eb.msg);
        ck_assert_msg(stom_bus_send(md_pub, "md.sim.000660", &env, &eb) == 0, "%s", eb.msg);
        ws_frame f;
        if (ws_client_recv(&c, &f, 50) == 1) {
            e = json_loads(f.data, 0, NULL);
            ws_frame_free(&f);
        }
    }
    ck_assert_msg(e != NULL, "no market event in 10 s");
    ck_assert_str_eq(str_of(e, "type"), "event");
    ck_assert_str_eq(str_of(e, "topic"), "market.005930");
    json_t *data = json_object_get(e, "data");
    ck_assert_str_eq(json_string_value(json_object_get(data, "symbol")), "005930");
    ck_assert_int_eq(json_integer_value(json_object_get(data, "price")), 70100);
    ck_assert_int_eq(json_integer_value(json_object_get(data, "qty")), 7);
    json_decref(e);
    ws_client_close(&c);
}
END_TEST

START_TEST(stats_are_counted_and_shown_as_json)
{
    ws_client c;
    open_client(&c, "/api/v1/ws", 0);
    auth(&c, tok_alice);
    for (int i = 0; i < 100 && stats().clients != 1; i++)
        sleep_ms(10);
    json_t *j = NULL;
    gw_ws_stats_json(ws_host_hub(host), &j);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "clients")), 1);
    ck_assert_ptr_nonnull(json_object_get(j, "disconnected_slow"));
    json_decref(j);
    ws_client_close(&c);
    for (int i = 0; i < 500 && stats().clients != 0; i++)
        sleep_ms(10);
    ck_assert_uint_eq(stats().clients, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gateway_ws");
    TCase *tc = tcase_create("ws");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, an_unauthenticated_client_is_refused);
    tcase_add_test(tc, a_client_subscribes_and_unsubscribes_within_its_role);
    tcase_add_test(tc, backtest_events_arrive_in_order_with_seq);
    tcase_add_test(tc, a_backtest_of_another_user_is_refused);
    tcase_add_test(tc, engine_events_reach_only_their_accounts_owner_and_admins);
    tcase_add_test(tc, an_account_change_closes_its_sessions_and_new_ones_follow_the_account);
    tcase_add_test(tc, ping_is_answered_as_json_and_as_a_control_frame);
    tcase_add_test(tc, bad_messages_get_errors_and_the_connection_stays_usable);
    tcase_add_test(tc, a_slow_client_is_disconnected_while_others_keep_receiving);
    tcase_add_test(tc, market_topics_are_conflated_to_the_latest_value);
    tcase_add_test(tc, a_brokers_trades_reach_the_market_topic_of_their_symbol);
    tcase_add_test(tc, stats_are_counted_and_shown_as_json);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
