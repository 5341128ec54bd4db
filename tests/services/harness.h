/*
 * harness.h - the backtester integration tests' scaffolding: a fresh
 * database with synthetic one-minute bars, the real stom-backtester
 * processes (a coordinator and N workers, started and ended by pid), and a
 * REQ client that submits jobs and waits for them. Logs and ipc sockets go
 * in a temp dir made in $TMPDIR (else /tmp): a program whose tests may fail
 * (and so end without their teardown) can point TMPDIR at a dir it removes.
 *
 * Helpers are static: each test program includes this header once.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_BT_HARNESS_H
#define STOM_TEST_BT_HARNESS_H

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stom/bus_nng.h"
#include "stom/store.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"
#include "test_db.h"
#include "test_proc.h"

#define H_MAX_WORKERS 4

typedef struct harness {
    char db[512];
    char dir[64];
    char listen[128], publish[128];
    pid_t coordinator;
    pid_t workers[H_MAX_WORKERS];
    int n_workers;
    nng_socket req;
    stom_bus_sender sender;
    int64_t from_ns, to_ns; /* the imported bars' period */
} harness;

/* days KRX-like sessions of 381 one-minute bars for symbol, on the 10-won grid. */
static void h_import(harness *h, const char *symbol, int days, uint64_t seed)
{
    stom_bars b;
    tp_synthetic_bars(&b, symbol, days, seed);
    stom_db *db = NULL;
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_connect(&db, h->db, &eb) == 0, "%s", eb.msg);
    ck_assert_msg(stom_store_import_bars(db, &b, "1m", NULL, &eb) == 0, "%s", eb.msg);
    stom_db_close(db);
    h->from_ns = b.ts[0] * 1000000000LL;
    h->to_ns = (b.ts[b.len - 1] + 60) * 1000000000LL;
    stom_bars_free(&b);
}

static void h_start_coordinator(harness *h)
{
    const char *argv[] = {"stom-backtester", "--coordinator", "--listen", h->listen,    "--publish",
                          h->publish,        "--database",    h->db,      "--lease-ms", "1500",
                          "--park-ms",       "300",           NULL};
    h->coordinator = tp_spawn(h->dir, "coordinator", STOM_BACKTESTER_BIN, argv, NULL);
}

static void h_start_worker(harness *h, const char *id)
{
    const char *argv[] = {"stom-backtester",
                          "--worker",
                          "--connect",
                          h->listen,
                          "--database",
                          h->db,
                          "--id",
                          id,
                          NULL};
    ck_assert_int_lt(h->n_workers, H_MAX_WORKERS);
    h->workers[h->n_workers++] = tp_spawn(h->dir, id, STOM_BACKTESTER_BIN, argv, NULL);
}

static void h_stop_workers(harness *h, int sig)
{
    for (int i = 0; i < h->n_workers; i++)
        tp_end(&h->workers[i], sig);
    h->n_workers = 0;
}

/* A fresh database and addresses; nothing started yet. */
static void h_init(harness *h, const char *tag)
{
    memset(h, 0, sizeof *h);
    stom_test_db_create(h->db, sizeof h->db);
    const char *tmp = getenv("TMPDIR");
    snprintf(h->dir, sizeof h->dir, "%s/stom-bt-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(h->dir));
    snprintf(h->listen, sizeof h->listen, "ipc://%s/%s-rpc", h->dir, tag);
    snprintf(h->publish, sizeof h->publish, "ipc://%s/%s-events", h->dir, tag);
    stom_errbuf eb = {0};
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    char spec[160];
    snprintf(spec, sizeof spec, "dial:%s", h->listen);
    ck_assert_msg(stom_bus_socket_open(&h->req, STOM_BUS_REQ, spec, &o, &eb) == 0, "%s", eb.msg);
    ck_assert_int_eq(stom_bus_sender_init(&h->sender, "test-client", &eb), 0);
}

static void h_fini(harness *h)
{
    h_stop_workers(h, SIGTERM);
    tp_end(&h->coordinator, SIGTERM);
    nng_close(h->req);
    stom_test_db_drop(h->db);
    tp_remove_dir(h->dir);
}

/* Fails the test with the coordinator's state and the end of its log. */
static void h_coordinator_failed(harness *h, const char *what)
{
    int st = 0;
    pid_t r = h->coordinator > 0 ? waitpid(h->coordinator, &st, WNOHANG) : 0;
    if (r == h->coordinator && r > 0) {
        fprintf(stderr, "the coordinator exited (%s %d)\n", WIFSIGNALED(st) ? "signal" : "status",
                WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        h->coordinator = 0;
    } else {
        fprintf(stderr, "the coordinator (pid %d) is running\n", (int)h->coordinator);
    }
    tp_show_log(h->dir, "coordinator");
    ck_abort_msg("%s", what);
}

/* Sends body, returns the reply (owned by *r). Retries while the coordinator starts. */
static const Stom__V1__Envelope *h_ask(harness *h, ProtobufCMessage *body, stom_bus_received *r)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &h->sender, 1);
        stom_bus_envelope_set_body(&env, body, NULL);
        stom_errbuf eb = {0};
        if (stom_bus_request(h->req, "rpc.backtester", &env, 2000, r, &eb) == 0)
            return r->msg.env;
        siginfo_t info = {0};
        if (h->coordinator > 0 &&
            waitid(P_PID, (id_t)h->coordinator, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == h->coordinator)
            h_coordinator_failed(h, "the coordinator exited");
        tp_sleep_ms(100);
    }
    h_coordinator_failed(h, "the coordinator never answered");
    return NULL;
}

/* A JobSpec for sma_cross on symbol over the imported period. */
typedef struct h_spec {
    Stom__V1__JobSpec spec;
    Stom__V1__Period period;
    Stom__V1__ParamRange ranges[2];
    Stom__V1__ParamRange *range_ptrs[2];
    Stom__V1__Validation validation;
    char *symbols[1];
} h_spec;

static void h_spec_init(h_spec *s, harness *h, const char *id, const char *symbol)
{
    memset(s, 0, sizeof *s);
    stom__v1__job_spec__init(&s->spec);
    stom__v1__period__init(&s->period);
    s->spec.job_id = (char *)id;
    s->spec.strategy_name = "sma_cross";
    s->symbols[0] = (char *)symbol;
    s->spec.n_symbols = 1;
    s->spec.symbols = s->symbols;
    s->spec.has_timeframe = 1;
    s->spec.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1;
    s->period.has_from_ns = s->period.has_to_ns = 1;
    s->period.from_ns = h->from_ns;
    s->period.to_ns = h->to_ns;
    s->spec.period = &s->period;
    s->spec.has_objective = 1;
    s->spec.objective = STOM__V1__OBJECTIVE__OBJECTIVE_TG;
    const char *names[] = {"fast", "slow"};
    double lo[] = {5, 20}, hi[] = {5 + 9, 20 + 9};
    for (int i = 0; i < 2; i++) {
        stom__v1__param_range__init(&s->ranges[i]);
        s->ranges[i].name = (char *)names[i];
        s->ranges[i].has_min_value = s->ranges[i].has_max_value = s->ranges[i].has_step = 1;
        s->ranges[i].min_value = lo[i];
        s->ranges[i].max_value = hi[i];
        s->ranges[i].step = 1;
        s->range_ptrs[i] = &s->ranges[i];
    }
    s->spec.n_search = 2;
    s->spec.search = s->range_ptrs;
    s->spec.has_method = 1;
    s->spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    stom__v1__validation__init(&s->validation);
}

/* Submits; returns the status's error message ("" when accepted). */
static void h_submit(harness *h, h_spec *s, char *error, size_t len)
{
    stom_bus_received r = {0};
    const Stom__V1__Envelope *env = h_ask(h, &s->spec.base, &r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_JOB_STATUS);
    const Stom__V1__JobStatus *st = env->job_status;
    snprintf(error, len, "%s", st->error && st->error->message ? st->error->message : "");
    stom_bus_received_free(&r);
}

/* Polls the job until it ends (deadline seconds); returns its final state. */
static Stom__V1__JobState h_wait(harness *h, const char *id, int deadline_s, uint64_t *done)
{
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = (char *)id;
    jc.has_action = 1;
    jc.action = STOM__V1__JOB_ACTION__JOB_ACTION_QUERY;
    for (int i = 0; i < deadline_s * 20; i++) {
        stom_bus_received r = {0};
        const Stom__V1__Envelope *env = h_ask(h, &jc.base, &r);
        ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_JOB_STATUS);
        Stom__V1__JobState s = env->job_status->state;
        if (done && env->job_status->progress)
            *done = env->job_status->progress->done;
        stom_bus_received_free(&r);
        if (s == STOM__V1__JOB_STATE__JOB_STATE_DONE ||
            s == STOM__V1__JOB_STATE__JOB_STATE_FAILED ||
            s == STOM__V1__JOB_STATE__JOB_STATE_CANCELLED)
            return s;
        tp_sleep_ms(50);
    }
    ck_abort_msg("job %s did not end within %d s", id, deadline_s);
    return STOM__V1__JOB_STATE__JOB_STATE_UNSPECIFIED;
}

/* One text value of a SQL query on the test database. */
static void h_sql(harness *h, const char *sql, const char *arg, char *out, size_t len)
{
    stom_db *db = NULL;
    stom_errbuf eb = {0};
    ck_assert_msg(stom_db_connect(&db, h->db, &eb) == 0, "%s", eb.msg);
    const char *v[] = {arg};
    PGresult *r = PQexecParams(stom_db_conn(db), sql, arg ? 1 : 0, NULL, v, NULL, NULL, 0);
    ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(stom_db_conn(db)));
    snprintf(out, len, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    stom_db_close(db);
}

/* A digest of a job's result rows: everything but the job id. */
static void h_digest(harness *h, const char *id, char *out, size_t len)
{
    h_sql(h,
          "SELECT count(*) || ':' || md5(string_agg(task_id || '|' || unit || '|' || fold || '|' "
          "|| phase || '|' || candidate || '|' || params::text || '|' || status || '|' || "
          "coalesce(objective::text, '') || '|' || coalesce(valid_objective::text, '') || '|' || "
          "coalesce(test_objective::text, '') || '|' || coalesce(metrics::text, '') || '|' || "
          "coalesce(valid_metrics::text, '') || '|' || coalesce(test_metrics::text, '') || '|' "
          "|| encode(result, 'hex'), ',' ORDER BY task_id)) FROM results WHERE job_id = $1",
          id, out, len);
}

#endif
