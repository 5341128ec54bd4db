/*
 * engine_harness.h - the real stom-engine and stom-broker-sim processes on
 * loopback with a fresh test database holding one trader and one paper
 * account, a REQ socket to rpc.engine and a SUB socket on eng.*. Both
 * processes run on the same simulated KST clock (a session morning, 60x),
 * so one real second is one simulated minute: one 1-minute bar.
 *
 * Thread-safety: one harness per test, on the test's thread.
 */
#ifndef STOM_ENGINE_HARNESS_H
#define STOM_ENGINE_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/bus_nng.h"
#include "stom/store.h"
#include "test_db.h"
#include "test_proc.h"
#include "test_support.h"

/* The four loopback addresses come from CMake (they follow the test services' ports). */
#ifndef EH_SIM_REP
#define EH_SIM_REP "tcp://127.0.0.1:18570"
#define EH_SIM_PUB "tcp://127.0.0.1:18571"
#define EH_ENG_REP "tcp://127.0.0.1:18572"
#define EH_ENG_PUB "tcp://127.0.0.1:18573"
#endif
#define EH_START "2024-01-03 09:30"

typedef struct eng_harness {
    const char *start;       /* the simulated clock's start, KST */
    bool market_clock;       /* the engine follows the replayed trades' time */
    const char *coordinator; /* the engine's --coordinator; NULL: its default */
    const char *fault;       /* the engine's STOM_ENGINE_FAULT; NULL: none */
    char dir[96];
    char db[512];
    pid_t sim, engine;
    nng_socket req, events;
    stom_bus_sender sender;
    stom_db *conn;
} eng_harness;

static inline void eh_sql(eng_harness *h, const char *sql)
{
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_exec(h->conn, sql, &eb) == 0, "%s: %s", sql, eb.msg);
}

/* The first column of the first row of sql, as text (empty when no row). */
static inline void eh_value(eng_harness *h, const char *sql, char *out, size_t len)
{
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_query(h->conn, sql, 0, NULL, PGRES_TUPLES_OK, "test", &res, &eb) == 0,
                  "%s", eb.msg);
    snprintf(out, len, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
}

/* eh_value once it equals want, waiting up to 3 s: rows the engine writes after an event it
 * published (the journal, positions) reach PostgreSQL a moment later. */
static inline void eh_value_soon(eng_harness *h, const char *sql, const char *want, char *out,
                                 size_t len)
{
    for (int i = 0; i < 300; i++) {
        eh_value(h, sql, out, len);
        if (!strcmp(out, want))
            return;
        tp_sleep_ms(10);
    }
}

static inline long long eh_count(eng_harness *h, const char *sql)
{
    char v[32];
    eh_value(h, sql, v, sizeof v);
    return atoll(v);
}

static inline void eh_start_sim(eng_harness *h)
{
    const char *argv[] = {
        "stom-broker-sim", "--rep",     EH_SIM_REP,     "--pub",     EH_SIM_PUB, "--start",
        EH_START,          "--speed",   "60",           "--step-ms", "50",       "--cash",
        "100000000",       "--symbols", "005930:70000", NULL};
    h->sim = tp_spawn(h->dir, "sim", STOM_BROKER_SIM_BIN, argv, NULL);
}

static inline void eh_start_engine(eng_harness *h)
{
    const char *argv[24] = {"stom-engine", "--listen",     EH_ENG_REP, "--publish",
                            EH_ENG_PUB,    "--broker-req", EH_SIM_REP, "--broker-pub",
                            EH_SIM_PUB,    "--database",   h->db,      "--start",
                            h->start,      "--speed",      "60",       "--broker-timeout-ms",
                            "500"};
    size_t n = 17;
    if (h->market_clock)
        argv[n++] = "--market-clock";
    if (h->coordinator) {
        argv[n++] = "--coordinator";
        argv[n++] = h->coordinator;
    }
    char fault[64];
    snprintf(fault, sizeof fault, "STOM_ENGINE_FAULT=%s", h->fault ? h->fault : "");
    const char *env[] = {fault, NULL};
    h->engine = tp_spawn(h->dir, "engine", STOM_ENGINE_BIN, argv, env);
}

/* Whether the engine's log has a line containing text. */
static inline bool eh_log_has(eng_harness *h, const char *text)
{
    char path[128], line[2048];
    snprintf(path, sizeof path, "%s/engine.log", h->dir);
    FILE *f = fopen(path, "r");
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, text) != NULL;
    if (f)
        fclose(f);
    return found;
}

/* Waits (at most timeout_ms) for a log line containing text; fails the test showing the log. */
static inline void eh_wait_log(eng_harness *h, const char *text, int timeout_ms)
{
    for (int64_t end = stom_mono_ms() + timeout_ms; stom_mono_ms() < end; tp_sleep_ms(50))
        if (eh_log_has(h, text))
            return;
    tp_show_log(h->dir, "engine");
    ck_abort_msg("the engine never logged '%s'", text);
}

/* Sends body on rpc.engine and returns the reply's envelope (r owns it), retrying while the
 * engine starts. */
static inline const Stom__V1__Envelope *eh_ask(eng_harness *h, ProtobufCMessage *body,
                                               stom_bus_received *r)
{
    stom_errbuf eb = {{0}};
    for (int i = 0; i < 100; i++) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &h->sender, 1);
        stom_bus_envelope_set_body(&env, body, NULL);
        if (stom_bus_request(h->req, "rpc.engine", &env, 2000, r, &eb) == 0)
            return r->msg.env;
        tp_sleep_ms(100);
    }
    tp_show_log(h->dir, "engine");
    ck_abort_msg("the engine does not answer: %s", eb.msg);
    return NULL;
}

static inline Stom__V1__EngineStatus *eh_command(eng_harness *h, Stom__V1__EngineAction action,
                                                 const char *account, const char *reason,
                                                 stom_bus_received *r)
{
    Stom__V1__EngineCommand c = STOM__V1__ENGINE_COMMAND__INIT;
    c.has_action = 1;
    c.action = action;
    c.account = (char *)account;
    c.reason = (char *)reason;
    c.requested_by = "1";
    const Stom__V1__Envelope *env = eh_ask(h, &c.base, r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_ENGINE_STATUS);
    return env->engine_status;
}

/* Waits until the engine says the broker is up and the journal reconciled. */
static inline void eh_wait_ready(eng_harness *h)
{
    for (int i = 0; i < 100; i++) {
        stom_bus_received r;
        Stom__V1__EngineStatus *st =
            eh_command(h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS, NULL, NULL, &r);
        bool up = st->broker_up && st->reconciled; /* orders pass only once both are true */
        stom_bus_received_free(&r);
        if (up)
            return;
        tp_sleep_ms(100);
    }
    tp_show_log(h->dir, "engine");
    ck_abort_msg("the engine never saw the broker");
}

/* A manual order; returns the engine's OrderEvent reply (r owns it). */
static inline const Stom__V1__OrderEvent *eh_order(eng_harness *h, const char *id, int side,
                                                   int64_t qty, int64_t price, stom_bus_received *r)
{
    Stom__V1__OrderRequest o = STOM__V1__ORDER_REQUEST__INIT;
    o.client_order_id = (char *)id;
    o.account = "paper";
    o.symbol = "005930";
    o.has_side = o.has_qty = o.has_type = 1;
    o.side = side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
    o.qty = qty;
    o.type =
        price ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    o.has_price = price != 0;
    o.price = price;
    const Stom__V1__Envelope *env = eh_ask(h, &o.base, r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_ORDER_EVENT);
    return env->order_event;
}

/* The next eng.* event whose body is want, within timeout_ms; NULL when none came. */
static inline const Stom__V1__Envelope *eh_event(eng_harness *h, Stom__V1__Envelope__BodyCase want,
                                                 int timeout_ms, stom_bus_received *r)
{
    for (int64_t end = stom_mono_ms() + timeout_ms; stom_mono_ms() < end;)
        if (stom_bus_recv(h->events, 0, r, NULL) == 0) {
            if (r->msg.env->body_case == want)
                return r->msg.env;
            stom_bus_received_free(r);
        }
    return NULL;
}

/* The directory the tests' own directories go under, made and reaped in the runner's process
 * (eh_base_open, eh_base_close: each engine test case's unchecked fixture), so that a test
 * that fails leaves no process or file behind. */
static char eh_base[64];

static inline void eh_base_open(void)
{
    snprintf(eh_base, sizeof eh_base, "/tmp/stom-eng-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(eh_base));
}

static inline void eh_base_close(void)
{
    tp_reap_dirs(eh_base);
}

/* The database and sockets, nothing started (eh_start_sim, eh_start_engine, eh_wait_ready). */
static inline void eh_prepare(eng_harness *h, const char *start)
{
    memset(h, 0, sizeof *h);
    h->start = start;
    snprintf(h->dir, sizeof h->dir, "%s/t-XXXXXX", eh_base[0] ? eh_base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(h->dir));
    stom_test_db_create(h->db, sizeof h->db);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&h->conn, h->db, &eb) == 0, "%s", eb.msg);
    eh_sql(h, "INSERT INTO users (id, username, email, password_hash, role) VALUES "
              "(1, 'trader', 'trader@example.com', 'x', 'trader')");
    eh_sql(h, "INSERT INTO broker_accounts (account, broker, user_id, name, paper) VALUES "
              "('paper', 'sim', 1, '모의투자', true)");
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.recv_timeout_ms = 100;
    ck_assert_int_eq(stom_bus_sender_init(&h->sender, "test", &eb), 0);
    ck_assert_msg(stom_bus_socket_open(&h->req, STOM_BUS_REQ, "dial:" EH_ENG_REP, NULL, &eb) == 0,
                  "%s", eb.msg);
    ck_assert_msg(stom_bus_socket_open(&h->events, STOM_BUS_SUB, "dial:" EH_ENG_PUB, &o, &eb) == 0,
                  "%s", eb.msg);
    ck_assert_int_eq(stom_bus_subscribe(h->events, "eng.", 4, &eb), 0);
}

/* Everything started on a session morning. */
static inline void eh_init(eng_harness *h)
{
    eh_prepare(h, EH_START);
    eh_start_sim(h);
    eh_start_engine(h);
    eh_wait_ready(h);
}

static inline void eh_fini(eng_harness *h)
{
    if (tp_end(&h->engine, SIGTERM))
        tp_show_log(h->dir, "engine");
    tp_end(&h->sim, SIGTERM);
    nng_close(h->req);
    nng_close(h->events);
    stom_db_close(h->conn);
    stom_test_db_drop(h->db);
    tp_remove_dir(h->dir);
}

#endif
