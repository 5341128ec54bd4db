/*
 * run_harness.h - scaffolding of the gateway's run-route tests: a fresh
 * database with synthetic one-minute bars, the real stom-backtester
 * processes (a coordinator and one worker on ipc:// URLs in a temp dir,
 * started and ended by pid), a worker's gw_ctx on them, two users, and
 * calls of route handlers as the router would make them (after it filled
 * req->user). Adapted from tests/services/harness.h.
 *
 * Helpers are static: one test program includes this header once.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_GW_RUN_HARNESS_H
#define STOM_TEST_GW_RUN_HARNESS_H

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gw.h"
#include "gw_coord.h"
#include "stom/store.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"
#include "test_db.h"
#include "test_proc.h"
#include "route_lookup.h"

typedef struct run_harness {
    char db[512];
    char dir[64];
    char listen[128], publish[128];
    pid_t coordinator, worker;
    gw_config cfg;
    gw_ctx ctx;
    gw_user alice, bob;
} run_harness;

/* days KRX-like sessions of one-minute bars of symbol, stored through the context's connection. */
static void rh_import(run_harness *h, const char *symbol, int days, uint64_t seed)
{
    stom_bars b;
    tp_synthetic_bars(&b, symbol, days, seed);
    stom_errbuf eb = {0};
    ck_assert_msg(stom_store_import_bars(h->ctx.db, &b, "1m", NULL, &eb) == 0, "%s", eb.msg);
    stom_bars_free(&b);
}

static int64_t rh_user(run_harness *h, const char *name, gw_user *u)
{
    char email[96];
    snprintf(email, sizeof email, "%s@example.com", name);
    const char *v[] = {name, email};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_query(h->ctx.db,
                                "INSERT INTO users (username, email, password_hash) VALUES ($1, "
                                "$2, 'not-a-hash') RETURNING id",
                                2, v, PGRES_TUPLES_OK, "user", &r, &eb) == 0,
                  "%s", eb.msg);
    memset(u, 0, sizeof *u);
    u->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    snprintf(u->username, sizeof u->username, "%s", name);
    u->role = GW_ROLE_USER;
    PQclear(r);
    return u->id;
}

/* Waits until the coordinator answers a request (any answer), or fails the test. */
static void rh_wait_coordinator(run_harness *h)
{
    for (int i = 0; i < 100; i++) {
        Stom__V1__JobListQuery q = STOM__V1__JOB_LIST_QUERY__INIT;
        stom_bus_received r = {0};
        stom_errbuf eb = {0};
        int rc = gw_coord_call(h->ctx.coord, &q.base, STOM__V1__ENVELOPE__BODY_JOB_LIST, &r, &eb);
        if (rc == 0) {
            stom_bus_received_free(&r);
            return;
        }
        tp_sleep_ms(100);
    }
    tp_show_log(h->dir, "coordinator");
    ck_abort_msg("the coordinator never answered");
}

/*
 * In the parent (an unchecked fixture): a database with bars of 005930 over
 * 20 sessions, two users, a coordinator and a worker. nng and libpq are not
 * used across fork, so the parent keeps no socket or connection open.
 */
static void rh_start(run_harness *h)
{
    memset(h, 0, sizeof *h);
    stom_test_db_create(h->db, sizeof h->db);
    snprintf(h->dir, sizeof h->dir, "/tmp/stom-gwruns-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(h->dir));
    snprintf(h->listen, sizeof h->listen, "ipc://%s/rpc", h->dir);
    snprintf(h->publish, sizeof h->publish, "ipc://%s/events", h->dir);
    h->cfg.json_depth_max = 32;
    h->cfg.body_max = 1 << 20;
    h->ctx.cfg = &h->cfg;
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_connect(&h->ctx.db, h->db, &eb) == 0, "%s", eb.msg);
    rh_import(h, "005930", 20, 7);
    rh_user(h, "alice", &h->alice);
    rh_user(h, "bob", &h->bob);
    stom_db_close(h->ctx.db);
    h->ctx.db = NULL;
    const char *coord[] = {"stom-backtester", "--coordinator", "--listen",   h->listen,
                           "--publish",       h->publish,      "--database", h->db,
                           "--park-ms",       "200",           NULL};
    h->coordinator = tp_spawn(h->dir, "coordinator", STOM_BACKTESTER_BIN, coord, NULL);
    const char *worker[] = {"stom-backtester",
                            "--worker",
                            "--connect",
                            h->listen,
                            "--database",
                            h->db,
                            "--id",
                            "w1",
                            NULL};
    h->worker = tp_spawn(h->dir, "worker", STOM_BACKTESTER_BIN, worker, NULL);
}

static void rh_stop(run_harness *h)
{
    tp_end(&h->worker, SIGTERM);
    tp_end(&h->coordinator, SIGTERM);
    stom_test_db_drop(h->db);
    tp_remove_dir(h->dir);
}

/* In each test's child (a checked fixture): the worker context's connections. */
static void rh_open(run_harness *h)
{
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_connect(&h->ctx.db, h->db, &eb) == 0, "%s", eb.msg);
    ck_assert_msg(gw_coord_open(&h->ctx.coord, h->listen, &eb) == 0, "%s", eb.msg);
    rh_wait_coordinator(h);
}

static void rh_close(run_harness *h)
{
    gw_coord_close(h->ctx.coord);
    stom_db_close(h->ctx.db);
    h->ctx.coord = NULL;
    h->ctx.db = NULL;
}

/* A handler's answer: status and parsed body (owned; NULL when there was none). */
typedef struct rh_answer {
    int status;
    json_t *body;
    char location[128];
} rh_answer;

/*
 * Calls handler as the router would for user: method, path (the matched
 * pattern's path), id as the path parameter (or NULL), query, body (NUL-terminated JSON or NULL).
 */
static rh_answer rh_call(run_harness *h, gw_handler handler, const gw_user *user,
                         const char *method, const char *id, const char *query, const char *body)
{
    gw_request req;
    memset(&req, 0, sizeof req);
    snprintf(req.method, sizeof req.method, "%s", method);
    req.path = "/api/v1/test";
    req.query = query ? query : "";
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.content_type = "application/json";
    snprintf(req.client_ip, sizeof req.client_ip, "127.0.0.1");
    if (id) {
        req.params[0] = id;
        req.n_params = 1;
    }
    req.user = *user;
    gw_response res;
    memset(&res, 0, sizeof res);
    handler(&h->ctx, &req, &res);
    rh_answer a = {res.status, NULL, ""};
    snprintf(a.location, sizeof a.location, "%s", res.location);
    if (res.body) {
        json_error_t err;
        a.body = json_loadb(res.body, res.body_len, 0, &err);
        ck_assert_msg(a.body != NULL, "the answer is not JSON: %.*s", (int)res.body_len, res.body);
    }
    free(res.body);
    return a;
}

/* The handler of the route method + pattern in table. */
static gw_handler rh_route(const gw_route *table, const char *method, const char *pattern)
{
    const gw_route *r = test_route(table, method, pattern);
    ck_assert_int_eq(r->access, GW_USER);
    ck_assert_int_eq(r->limit, GW_LIMIT_USER);
    return r->handler;
}

/* One text value of a SQL query on the test database ("" when no row). */
static void rh_sql(run_harness *h, const char *sql, const char *arg, char *out, size_t len)
{
    const char *v[] = {arg};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_query(h->ctx.db, sql, arg ? 1 : 0, v, PGRES_TUPLES_OK, "test", &r, &eb) ==
                      0,
                  "%s", eb.msg);
    snprintf(out, len, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
}

#endif
