/*
 * busnet_fixtures.h - envelopes, temporary ipc directories, a serving
 * thread and a requesting thread shared by the bus socket tests.
 *
 * Thread-safety: each helper object belongs to the test that made it; the
 * thread helpers hand their results back through pthread_join.
 */
#ifndef STOM_BUSNET_FIXTURES_H
#define STOM_BUSNET_FIXTURES_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "stom/bus_nng.h"
#include "test_support.h"

#define TS_NS     1718582400123456789LL /* 2024-06-17 00:00:00.123456789 UTC */
#define RPC_TOPIC "rpc.test"

/* ---- envelopes ----------------------------------------------------------- */

/* A request: a JobControl (QUERY) for job_id, from sender s. Everything
 * borrows from the caller's storage. */
static inline void make_query(Stom__V1__Envelope *env, Stom__V1__JobControl *jc, stom_bus_sender *s,
                              const char *job_id)
{
    stom__v1__job_control__init(jc);
    jc->job_id = (char *)job_id;
    jc->has_action = 1;
    jc->action = STOM__V1__JOB_ACTION__JOB_ACTION_QUERY;
    stom_bus_envelope_init(env, s, TS_NS);
    ck_assert_int_eq(stom_bus_envelope_set_body(env, &jc->base, NULL), 0);
}

/* The job_id a decoded request (job_control) or reply (job_status) names. */
static inline const char *msg_job_id(const stom_bus_msg *m)
{
    if (m->env->body_case == STOM__V1__ENVELOPE__BODY_JOB_CONTROL)
        return m->env->job_control->job_id;
    if (m->env->body_case == STOM__V1__ENVELOPE__BODY_JOB_STATUS)
        return m->env->job_status->job_id;
    return "(other body)";
}

/* Answers p with a JobStatus naming the request's job; the reply borrows
 * the request's strings (the contract allows it). */
static inline void reply_status(stom_bus_server *server, stom_bus_pending *p, stom_bus_sender *s)
{
    const stom_bus_msg *req = stom_bus_pending_msg(p);
    Stom__V1__JobStatus st = STOM__V1__JOB_STATUS__INIT;
    st.job_id = (char *)msg_job_id(req);
    st.has_state = 1;
    st.state = STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, s, TS_NS);
    env.has_reply_to = 1;
    env.reply_to = req->env->seq;
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &st.base, NULL), 0);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_server_reply(server, p, RPC_TOPIC, &env, &eb) == 0, "%s", eb.msg);
}

/* ---- temporary ipc directories ------------------------------------------- */

typedef struct ipc_dir {
    char path[256];
} ipc_dir;

static inline void ipc_dir_make(ipc_dir *d)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(d->path, sizeof d->path, "%s/stom-busnet-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
}

/* Writes "<prefix>ipc://<dir>/<name>" into buf. */
static inline void ipc_url(const ipc_dir *d, const char *prefix, const char *name, char *buf,
                           size_t len)
{
    snprintf(buf, len, "%sipc://%s/%s", prefix, d->path, name);
}

/* Removes the directory and the socket files named in names (NULL-terminated). */
static inline void ipc_dir_remove(ipc_dir *d, const char *const *names)
{
    char path[320];
    for (size_t i = 0; names[i] != NULL; i++) {
        snprintf(path, sizeof path, "%s/%s", d->path, names[i]);
        unlink(path);
    }
    rmdir(d->path);
}

/* ---- a serving thread ---------------------------------------------------- */

typedef struct echo_server {
    stom_bus_server *server;
    int n; /* requests to answer */
    int answered;
    pthread_t thread;
} echo_server;

static inline void *echo_run(void *arg)
{
    echo_server *e = arg;
    stom_bus_sender s;
    stom_bus_sender_init(&s, "echo", NULL);
    for (; e->answered < e->n; e->answered++) {
        stom_bus_pending *p = NULL;
        if (stom_bus_server_next(e->server, 5000, &p) != 0)
            break;
        reply_status(e->server, p, &s);
    }
    return NULL;
}

/* Answers n requests on server from a thread of its own. */
static inline void echo_start(echo_server *e, stom_bus_server *server, int n)
{
    e->server = server;
    e->n = n;
    e->answered = 0;
    ck_assert_int_eq(pthread_create(&e->thread, NULL, echo_run, e), 0);
}

static inline void echo_join(echo_server *e)
{
    pthread_join(e->thread, NULL);
}

/* ---- a requesting thread ------------------------------------------------- */

typedef struct client {
    nng_socket req;
    char job_id[32];
    int timeout_ms;
    int rc;
    char answer[32]; /* the job_id of the reply */
    stom_errbuf eb;
    pthread_t thread;
} client;

static inline void *client_run(void *arg)
{
    client *c = arg;
    stom_bus_sender s;
    stom_bus_sender_init(&s, "client", NULL);
    Stom__V1__Envelope env;
    Stom__V1__JobControl jc;
    make_query(&env, &jc, &s, c->job_id);
    stom_bus_received r;
    c->rc = stom_bus_request(c->req, RPC_TOPIC, &env, c->timeout_ms, &r, &c->eb);
    if (c->rc == 0)
        snprintf(c->answer, sizeof c->answer, "%s", msg_job_id(&r.msg));
    stom_bus_received_free(&r);
    return NULL;
}

/* Sends a request for job_id on req from a thread of its own. */
static inline void client_start(client *c, nng_socket req, const char *job_id, int timeout_ms)
{
    memset(c, 0, sizeof *c);
    c->req = req;
    snprintf(c->job_id, sizeof c->job_id, "%s", job_id);
    c->timeout_ms = timeout_ms;
    ck_assert_int_eq(pthread_create(&c->thread, NULL, client_run, c), 0);
}

static inline void client_join(client *c)
{
    pthread_join(c->thread, NULL);
}

/* Opens a REQ socket dialing spec with default options. */
static inline nng_socket req_open(const char *spec)
{
    nng_socket s;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_socket_open(&s, STOM_BUS_REQ, spec, NULL, &eb) == 0, "%s", eb.msg);
    return s;
}

/* Opens a server on spec with n contexts and the default size limit. */
static inline stom_bus_server *server_open(const char *spec, size_t n, size_t max_msg)
{
    stom_bus_server *server = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_bus_server_open(&server, spec, "test-server", n, max_msg, &eb) == 0, "%s",
                  eb.msg);
    return server;
}

#endif
