/*
 * backtest_submit.c - the run_backtest submitter (backtest_submit.h): a
 * locked queue of requests, a thread that loads the saved run, submits its
 * JobSpec under a new id and records the new run.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "backtest_submit.h"
#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/schedule_args.h"

#define QUEUE_MAX 64

typedef struct submit_request {
    int64_t job_id, owner;
    char name[STOM_SCHEDULE_NAME_MAX + 1];
    char run[STOM_RUN_ID_MAX + 1];
} submit_request;

struct eng_backtests {
    const char *conninfo;
    stom_db *db; /* the thread's, opened on first use */
    nng_socket req;
    stom_bus_sender sender;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    submit_request queue[QUEUE_MAX];
    size_t head, n;
    bool stop;
};

/* A saved run: its owner's user name and the JobSpec it ran (owned). */
typedef struct saved_run {
    char username[128];
    Stom__V1__JobSpec *spec;
} saved_run;

static int load_run(eng_backtests *b, const submit_request *q, saved_run *out, stom_errbuf *eb)
{
    char owner[24];
    snprintf(owner, sizeof owner, "%lld", (long long)q->owner);
    const char *args[] = {q->run, owner};
    PGresult *res = NULL;
    int rc = stom_db_query(b->db,
                           "SELECT r.kind, u.username, j.spec FROM runs r JOIN users u ON u.id = "
                           "r.user_id JOIN jobs j ON j.id = r.job_id WHERE r.job_id = $1 AND "
                           "r.user_id = $2::bigint",
                           2, args, PGRES_TUPLES_OK, "reading the saved run", &res, eb);
    if (rc)
        return rc;
    if (PQntuples(res) != 1)
        rc = stom_errorf(eb, STOM_ENOTFOUND,
                         "args.run: the owner (user %s) has no saved run '%s' (`stom jobs` lists "
                         "them)",
                         owner, q->run);
    else if (strcmp(PQgetvalue(res, 0, 0), "backtest") != 0)
        rc = stom_errorf(eb, STOM_EINVAL, "args.run: '%s' is an optimization, not a backtest",
                         q->run);
    size_t n = 0;
    unsigned char *bytes =
        rc ? NULL : PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &n);
    if (!rc) {
        snprintf(out->username, sizeof out->username, "%s", PQgetvalue(res, 0, 1));
        out->spec = bytes ? stom__v1__job_spec__unpack(NULL, n, bytes) : NULL;
        if (!out->spec)
            rc = stom_errorf(eb, STOM_EFORMAT, "the stored JobSpec of run '%s' does not decode",
                             q->run);
    }
    PQfreemem(bytes);
    PQclear(res);
    return rc;
}

/* "s" and 22 characters of the coordinator's id alphabet: 132 random bits. */
static int new_id(char out[24], stom_errbuf *eb)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char bytes[22];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
        return stom_errorf(eb, STOM_EIO, "the random source failed");
    out[0] = 's';
    for (size_t i = 0; i < sizeof bytes; i++)
        out[i + 1] = alphabet[bytes[i] & 63];
    out[23] = '\0';
    return 0;
}

/* Sends spec; 0 when the coordinator accepted it. */
static int send_spec(eng_backtests *b, Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &b->sender, 1);
    stom_bus_envelope_set_body(&env, &spec->base, NULL);
    stom_bus_received r = {0};
    stom_errbuf why = {0};
    int rc = stom_bus_request(b->req, "rpc.backtester", &env, ENG_BACKTEST_TIMEOUT_MS, &r, &why);
    if (rc)
        return stom_errorf(eb, rc, "the backtest coordinator did not answer: %s", why.msg);
    const Stom__V1__Envelope *got = r.msg.env;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_ERROR)
        rc = stom_errorf(eb, STOM_EFORMAT, "the coordinator refused the job: %s",
                         got->error->message ? got->error->message : "no reason");
    else if (got->body_case != STOM__V1__ENVELOPE__BODY_JOB_STATUS)
        rc = stom_errorf(eb, STOM_EFORMAT, "the coordinator answered %s, not JobStatus",
                         stom_bus_body_name((stom_bus_body)got->body_case));
    else if (got->job_status->error)
        rc = stom_errorf(eb, STOM_EFORMAT, "the coordinator refused the job: %s",
                         got->job_status->error->message ? got->job_status->error->message
                                                         : "no reason");
    stom_bus_received_free(&r);
    return rc;
}

/* Best effort: the coordinator cancels job id (its answer is not needed). */
static void cancel_job(eng_backtests *b, const char *id)
{
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = (char *)id;
    jc.has_action = 1;
    jc.action = STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &b->sender, 1);
    stom_bus_envelope_set_body(&env, &jc.base, NULL);
    stom_bus_received r = {0};
    stom_errbuf eb = {0};
    if (stom_bus_request(b->req, "rpc.backtester", &env, ENG_BACKTEST_TIMEOUT_MS, &r, &eb) == 0)
        stom_bus_received_free(&r);
    else
        eng_log("run %s could not be recorded and its cancel failed: %s", id, eb.msg);
}

/* The new runs row (a copy of the saved one) and the submit, in one transaction. */
static int submit_run(eng_backtests *b, const submit_request *q, saved_run *s, const char *id,
                      stom_errbuf *eb)
{
    free(s->spec->job_id);
    free(s->spec->owner);
    s->spec->job_id = stom_xstrdup(id);
    s->spec->owner = stom_xstrdup(s->username);
    s->spec->has_submitted_ns = 0;
    const char *args[] = {id, q->run};
    PGresult *res = NULL;
    int rc = stom_db_begin(b->db, eb);
    if (!rc)
        rc = stom_db_query(b->db,
                           "INSERT INTO runs (job_id, user_id, kind, strategy_id, "
                           "strategy_version, strategy_name, strategy_code, request) SELECT $1, "
                           "user_id, kind, strategy_id, strategy_version, strategy_name, "
                           "strategy_code, request FROM runs WHERE job_id = $2",
                           2, args, PGRES_COMMAND_OK, "recording the new run", &res, eb);
    PQclear(res);
    if (!rc)
        rc = send_spec(b, s->spec, eb);
    if (!rc && (rc = stom_db_commit(b->db, eb)) != 0)
        cancel_job(b, id); /* it runs but could not be recorded as the owner's: stop it */
    else if (rc)
        stom_db_rollback(b->db);
    return rc;
}

static void carry_out(eng_backtests *b, const submit_request *q)
{
    stom_errbuf eb = {0};
    saved_run s = {0};
    char id[24];
    int rc = b->db ? 0 : stom_db_connect(&b->db, b->conninfo, &eb);
    if (!rc)
        rc = load_run(b, q, &s, &eb);
    if (!rc)
        rc = new_id(id, &eb);
    if (!rc)
        rc = submit_run(b, q, &s, id, &eb);
    if (rc)
        eng_log("scheduled job %lld (%s) failed: run_backtest of '%s': %s", (long long)q->job_id,
                q->name, q->run, eb.msg);
    else
        eng_log("scheduled job %lld (%s): run_backtest submitted run %s (a re-run of %s for %s)",
                (long long)q->job_id, q->name, id, q->run, s.username);
    if (s.spec)
        stom__v1__job_spec__free_unpacked(s.spec, NULL);
}

static void *submitter_main(void *arg)
{
    eng_backtests *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop) {
        if (b->n == 0) {
            pthread_cond_wait(&b->wake, &b->lock);
            continue;
        }
        submit_request q = b->queue[b->head];
        b->head = (b->head + 1) % QUEUE_MAX;
        b->n--;
        pthread_mutex_unlock(&b->lock);
        carry_out(b, &q);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

int eng_backtests_open(eng_backtests **out, const char *url, const char *conninfo, stom_errbuf *eb)
{
    eng_backtests *b = stom_xcalloc(1, sizeof *b);
    b->conninfo = conninfo;
    char spec[STOM_BUS_URL_MAX + 8];
    snprintf(spec, sizeof spec, "dial:%s", url);
    int rc = stom_bus_sender_init(&b->sender, "engine", eb);
    if (!rc)
        rc = stom_bus_socket_open(&b->req, STOM_BUS_REQ, spec, NULL, eb);
    if (rc) {
        free(b);
        return rc;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    pthread_create(&b->thread, NULL, submitter_main, b);
    *out = b;
    return 0;
}

void eng_backtests_submit(eng_backtests *b, int64_t job_id, const char *name, int64_t owner,
                          const char *run)
{
    pthread_mutex_lock(&b->lock);
    bool full = b->n == QUEUE_MAX;
    if (!full) {
        submit_request *q = &b->queue[(b->head + b->n++) % QUEUE_MAX];
        *q = (submit_request){.job_id = job_id, .owner = owner};
        snprintf(q->name, sizeof q->name, "%s", name);
        snprintf(q->run, sizeof q->run, "%s", run);
        pthread_cond_signal(&b->wake);
    }
    pthread_mutex_unlock(&b->lock);
    if (full)
        eng_log("scheduled job %lld (%s) failed: %d backtests wait to be submitted already",
                (long long)job_id, name, QUEUE_MAX);
}

void eng_backtests_close(eng_backtests *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->stop = true;
    size_t dropped = b->n;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->thread, NULL);
    if (dropped)
        eng_log("%zu scheduled backtest(s) not submitted: the engine stopped", dropped);
    nng_close(b->req);
    stom_db_close(b->db);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->wake);
    free(b);
}
