/*
 * db_pipe.c - statements without waiting for their answers (stom/db_pipe.h).
 *
 * The connection is in pipeline mode and non-blocking. Every statement is
 * followed by a sync point, so the server answers each with its results
 * and then PGRES_PIPELINE_SYNC; the ring of entries in flight is popped at
 * each sync, in the order the statements were sent. A send flushes libpq's
 * buffer to the socket before it returns (waiting for the socket to take
 * it, and reading the server's answers meanwhile so neither side stalls).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/db_pipe.h"
#include "stom/timeutil.h"
#include "store_internal.h"

typedef struct pipe_entry {
    const char *label;
    bool critical;
} pipe_entry;

struct stom_db_pipe {
    stom_db *db;
    char *setup_sql;
    stom_db_pipe_failed_fn on_failure;
    void *arg;
    pipe_entry *ring; /* cap entries; n in flight from head */
    size_t cap, head, n;
    size_t sent, failed;
    bool broken; /* the connection was lost: reconnect before the next send */
};

static PGconn *conn_of(const stom_db_pipe *p)
{
    return stom_db_conn(p->db);
}

static void report(stom_db_pipe *p, const pipe_entry *en, const char *message)
{
    p->failed++;
    if (p->on_failure)
        p->on_failure(p->arg, en->label, en->critical, message);
}

/* Every statement in flight has an unknown fate now. */
static void lose_connection(stom_db_pipe *p)
{
    char why[300], msg[400];
    stom__pg_message(NULL, conn_of(p), why, sizeof why);
    snprintf(msg, sizeof msg,
             "lost the connection to PostgreSQL before its answer (%s); whether it was written "
             "is unknown",
             why);
    for (; p->n > 0; p->n--, p->head = (p->head + 1) % p->cap)
        report(p, &p->ring[p->head], msg);
    p->broken = true;
}

static int enter_pipeline(stom_db_pipe *p, stom_errbuf *eb)
{
    PGconn *c = conn_of(p);
    if (p->setup_sql && stom_db_exec(p->db, p->setup_sql, eb) != STOM_OK)
        return STOM_EIO;
    if (PQenterPipelineMode(c) != 1 || PQsetnonblocking(c, 1) != 0) {
        char why[300];
        return stom_errorf(eb, STOM_EIO, "cannot enter pipeline mode: %s",
                           stom__pg_message(NULL, c, why, sizeof why));
    }
    p->broken = false;
    return STOM_OK;
}

int stom_db_pipe_open(stom_db_pipe **out, const char *conninfo, const char *setup_sql,
                      stom_db_pipe_failed_fn on_failure, void *arg, stom_errbuf *eb)
{
    *out = NULL;
    stom_db_pipe *p = stom_xcalloc(1, sizeof *p);
    p->setup_sql = setup_sql ? stom_xstrdup(setup_sql) : NULL;
    p->on_failure = on_failure;
    p->arg = arg;
    p->cap = 64;
    p->ring = stom_xcalloc(p->cap, sizeof *p->ring);
    int rc = stom_db_connect(&p->db, conninfo, eb);
    if (rc == STOM_OK)
        rc = enter_pipeline(p, eb);
    if (rc != STOM_OK) {
        stom_db_pipe_close(p);
        return rc;
    }
    *out = p;
    return STOM_OK;
}

void stom_db_pipe_close(stom_db_pipe *p)
{
    if (p == NULL)
        return;
    if (p->db && !p->broken)
        stom_db_pipe_drain(p, 5000, NULL);
    stom_db_close(p->db);
    free(p->setup_sql);
    free(p->ring);
    free(p);
}

/* Takes the outcomes libpq has read; stops at the first that has not fully arrived. */
static void collect(stom_db_pipe *p)
{
    PGconn *c = conn_of(p);
    int nulls = 0;
    while (p->n > 0 && !PQisBusy(c) && nulls < 2) {
        PGresult *r = PQgetResult(c);
        if (r == NULL) { /* the end of one statement's results */
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            p->head = (p->head + 1) % p->cap;
            p->n--;
        } else if (st == PGRES_FATAL_ERROR || st == PGRES_PIPELINE_ABORTED ||
                   st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR) {
            char msg[400];
            report(p, &p->ring[p->head], stom__pg_message(r, c, msg, sizeof msg));
        }
        PQclear(r);
    }
}

size_t stom_db_pipe_poll(stom_db_pipe *p)
{
    if (p->n == 0 || p->broken)
        return p->n;
    if (PQconsumeInput(conn_of(p)) != 1) {
        lose_connection(p);
        return 0;
    }
    collect(p);
    return p->n;
}

static int wait_socket(stom_db_pipe *p, short events, int timeout_ms)
{
    struct pollfd fd = {.fd = PQsocket(conn_of(p)), .events = events};
    return poll(&fd, 1, timeout_ms) > 0 ? fd.revents : 0;
}

int stom_db_pipe_drain(stom_db_pipe *p, int timeout_ms, stom_errbuf *eb)
{
    int64_t end = stom_mono_ms() + timeout_ms;
    while (stom_db_pipe_poll(p) > 0) {
        int64_t left = end - stom_mono_ms();
        if (left <= 0)
            return stom_errorf(eb, STOM_ETIMEDOUT,
                               "PostgreSQL has not answered %zu statement(s) within %d ms", p->n,
                               timeout_ms);
        wait_socket(p, POLLIN, (int)left);
    }
    return STOM_OK;
}

/* Puts libpq's buffer into the socket; 0, or -1 when the connection is gone. */
static int flush_all(stom_db_pipe *p)
{
    PGconn *c = conn_of(p);
    int r;
    while ((r = PQflush(c)) == 1) {
        int ev = wait_socket(p, POLLIN | POLLOUT, 1000);
        if ((ev & POLLIN) && PQconsumeInput(c) != 1)
            return -1;
    }
    return r;
}

static int reconnect(stom_db_pipe *p, stom_errbuf *eb)
{
    PQreset(conn_of(p));
    if (PQstatus(conn_of(p)) != CONNECTION_OK) {
        char why[300];
        return stom_errorf(eb, STOM_EIO, "PostgreSQL is not reachable again: %s",
                           stom__pg_message(NULL, conn_of(p), why, sizeof why));
    }
    return enter_pipeline(p, eb);
}

static void push(stom_db_pipe *p, const char *label, bool critical)
{
    if (p->n == p->cap) { /* grow, keeping the order from head */
        pipe_entry *bigger = stom_xcalloc(p->cap * 2, sizeof *bigger);
        for (size_t k = 0; k < p->n; k++)
            bigger[k] = p->ring[(p->head + k) % p->cap];
        free(p->ring);
        p->ring = bigger;
        p->head = 0;
        p->cap *= 2;
    }
    p->ring[(p->head + p->n++) % p->cap] = (pipe_entry){label, critical};
}

int stom_db_pipe_send(stom_db_pipe *p, const char *sql, int nparams, const char *const *params,
                      const char *label, bool critical, stom_errbuf *eb)
{
    if (p->broken) {
        int rc = reconnect(p, eb);
        if (rc != STOM_OK)
            return rc;
    }
    PGconn *c = conn_of(p);
    push(p, label, critical);
    p->sent++;
    if (PQsendQueryParams(c, sql, nparams, NULL, params, NULL, NULL, 0) != 1 ||
        PQpipelineSync(c) != 1 || flush_all(p) != 0) {
        char why[300];
        stom__pg_message(NULL, c, why, sizeof why);
        lose_connection(p); /* reports this statement too */
        return stom_errorf(eb, STOM_EIO, "%s: the connection to PostgreSQL broke: %s", label, why);
    }
    if (p->n > 32) /* keep the ring short when nobody polls for a while */
        stom_db_pipe_poll(p);
    return STOM_OK;
}

size_t stom_db_pipe_in_flight(const stom_db_pipe *p)
{
    return p->n;
}

void stom_db_pipe_counts(const stom_db_pipe *p, size_t *sent, size_t *failed)
{
    *sent = p->sent;
    *failed = p->failed;
}
