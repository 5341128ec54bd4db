/*
 * nng_server.c - a REP server whose replies may be deferred.
 *
 * The server owns n nng REP contexts. Each context (a stom_bus_pending) goes
 * round one cycle, driven by two aios:
 *
 *   receiving --(recv_aio: well-formed)--> queued --(_next)--> held
 *   held --(_reply)--> sending --(send_aio done)--> receiving
 *   held --(_drop)--> receiving
 *   receiving --(recv_aio: malformed)--> sending (an Error on "rpc.error")
 *
 * nng's threads run the aio callbacks; they decode, queue and wake the
 * server thread, or answer a malformed request themselves, and never block.
 * The server thread takes requests from the queue, answers or drops them.
 * Ownership of a context passes between the two sides at exactly two
 * points: the queue (under the mutex, callback to server thread) and the
 * start of an aio operation (server thread to nng). A callback does nothing
 * with its context after handing it over, because the other side may already
 * be using it.
 *
 * Shutdown closes the socket first (every pending operation then ends with
 * NNG_ECLOSED and nothing is re-armed, because `closing` is set), stops
 * every aio (waiting for running callbacks), and only then frees requests,
 * aios, the condition variable and the mutex.
 *
 * Invariants: `head`/`tail`, `closing`, `error_sender` and `stats` are
 * guarded by `mtx`; a context's `req` belongs to whichever side holds the
 * context.
 */
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "nng_internal.h"
#include "stom/alloc.h"

#define ERROR_TOPIC "rpc.error"

struct stom_bus_pending {
    stom_bus_server *server;
    nng_ctx ctx;
    nng_aio *recv_aio;
    nng_aio *send_aio;
    stom_bus_received req;  /* the request, while queued or held */
    stom_bus_pending *next; /* in the server's queue */
};

struct stom_bus_server {
    nng_socket sock;
    bool sock_open;
    nng_mtx *mtx;
    nng_cv *cv;
    size_t max_msg;
    stom_bus_pending *contexts;
    size_t n_contexts;
    stom_bus_pending *head; /* well-formed requests waiting for _next, oldest first */
    stom_bus_pending *tail;
    bool closing;
    stom_bus_sender error_sender; /* numbers the Error answers to malformed requests */
    stom_bus_server_stats stats;
};

/* ---- callbacks (nng's threads) ------------------------------------------- */

static bool server_closing(stom_bus_server *s)
{
    nng_mtx_lock(s->mtx);
    bool closing = s->closing;
    nng_mtx_unlock(s->mtx);
    return closing;
}

/* Returns p's context to receiving, unless the server is shutting down. */
static void context_rearm(stom_bus_pending *p)
{
    if (!server_closing(p->server))
        nng_ctx_recv(p->ctx, p->recv_aio);
}

/* Starts sending m (taken) as p's answer; the send callback re-arms p. */
static void context_send(stom_bus_pending *p, nng_msg *m)
{
    nng_aio_set_msg(p->send_aio, m);
    nng_ctx_send(p->ctx, p->send_aio);
}

/* Hands p to the server thread. p must not be touched afterwards. */
static void queue_push(stom_bus_server *s, stom_bus_pending *p)
{
    nng_mtx_lock(s->mtx);
    p->next = NULL;
    if (s->tail != NULL)
        s->tail->next = p;
    else
        s->head = p;
    s->tail = p;
    nng_cv_wake1(s->cv);
    nng_mtx_unlock(s->mtx);
}

/* Builds the Error answer to a request the decoder refused with why. */
static int error_answer(stom_bus_server *s, const char *why, nng_msg **out)
{
    Stom__V1__Error error = STOM__V1__ERROR__INIT;
    error.has_code = 1;
    error.code = STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT;
    error.message = (char *)why;
    Stom__V1__Envelope env;
    /* The sender's name never changes after open; only its seq needs the lock. */
    nng_mtx_lock(s->mtx);
    s->stats.malformed++;
    stom_bus_envelope_init(&env, &s->error_sender, stom__bus_now_ns());
    nng_mtx_unlock(s->mtx);
    env.body_case = STOM__V1__ENVELOPE__BODY_ERROR;
    env.error = &error;
    return stom__bus_nng_encode(ERROR_TOPIC, &env, out, NULL);
}

/* A request that did not decode: answer it at once from this callback. */
static void refuse(stom_bus_pending *p, const char *why)
{
    nng_msg *m = NULL;
    if (error_answer(p->server, why, &m) != STOM_OK) {
        context_rearm(p);
        return;
    }
    context_send(p, m);
}

static void on_recv(void *arg)
{
    stom_bus_pending *p = arg;
    int rv = nng_aio_result(p->recv_aio);
    if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
        return; /* shutting down */
    if (rv != 0) {
        context_rearm(p);
        return;
    }
    nng_msg *m = nng_aio_get_msg(p->recv_aio);
    nng_aio_set_msg(p->recv_aio, NULL);
    stom_errbuf why = {{0}};
    if (stom__bus_nng_decode(m, p->server->max_msg, &p->req, &why) == STOM_OK)
        queue_push(p->server, p);
    else
        refuse(p, why.msg);
}

static void on_sent(void *arg)
{
    stom_bus_pending *p = arg;
    int rv = nng_aio_result(p->send_aio);
    if (rv != 0) {
        /* nng gives the message back when it could not send it. */
        nng_msg *unsent = nng_aio_get_msg(p->send_aio);
        nng_aio_set_msg(p->send_aio, NULL);
        if (unsent != NULL)
            nng_msg_free(unsent);
        nng_mtx_lock(p->server->mtx);
        p->server->stats.send_failed++;
        nng_mtx_unlock(p->server->mtx);
    }
    context_rearm(p);
}

/* ---- opening and closing ------------------------------------------------- */

static int context_start(stom_bus_server *s, stom_bus_pending *p, stom_errbuf *eb)
{
    p->server = s;
    int rv = nng_ctx_open(&p->ctx, s->sock);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "opening a REP context");
    rv = nng_aio_alloc(&p->recv_aio, on_recv, p);
    if (rv == 0)
        rv = nng_aio_alloc(&p->send_aio, on_sent, p);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "allocating an aio");
    nng_aio_set_timeout(p->send_aio, STOM_BUS_SERVER_SEND_MS);
    nng_ctx_recv(p->ctx, p->recv_aio);
    return STOM_OK;
}

static int server_sync_alloc(stom_bus_server *s, stom_errbuf *eb)
{
    int rv = nng_mtx_alloc(&s->mtx);
    if (rv == 0)
        rv = nng_cv_alloc(&s->cv, s->mtx);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "allocating the server's lock");
    return STOM_OK;
}

int stom_bus_server_open(stom_bus_server **out, const char *spec, const char *sender,
                         size_t n_contexts, size_t max_msg, stom_errbuf *eb)
{
    stom_bus_sender error_sender;
    if (stom_bus_sender_init(&error_sender, sender, eb) != STOM_OK)
        return STOM_EINVAL;
    if (n_contexts == 0)
        n_contexts = STOM_BUS_SERVER_CONTEXTS_DEFAULT;
    if (n_contexts > STOM_BUS_SERVER_CONTEXTS_MAX)
        return stom_errorf(eb, STOM_EINVAL, "%zu contexts exceed the limit of %d", n_contexts,
                           STOM_BUS_SERVER_CONTEXTS_MAX);
    stom_bus_server *s = stom_xcalloc(1, sizeof *s);
    s->error_sender = error_sender;
    s->max_msg = max_msg > 0 ? max_msg : STOM_BUS_MSG_MAX_DEFAULT;
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.max_msg = s->max_msg;
    int rc = server_sync_alloc(s, eb);
    if (rc == STOM_OK)
        rc = stom_bus_socket_open(&s->sock, STOM_BUS_REP, spec, &o, eb);
    if (rc != STOM_OK)
        goto fail;
    s->sock_open = true;
    s->contexts = stom_xcalloc(n_contexts, sizeof *s->contexts);
    s->n_contexts = n_contexts;
    for (size_t i = 0; i < n_contexts; i++) {
        rc = context_start(s, &s->contexts[i], eb);
        if (rc != STOM_OK)
            goto fail;
    }
    *out = s;
    return STOM_OK;
fail:
    stom_bus_server_close(s);
    return rc;
}

void stom_bus_server_close(stom_bus_server *s)
{
    if (s == NULL)
        return;
    if (s->mtx != NULL) {
        nng_mtx_lock(s->mtx);
        s->closing = true;
        nng_mtx_unlock(s->mtx);
    }
    if (s->sock_open)
        nng_close(s->sock); /* closes every context; pending operations end */
    /* Receive first: a receive callback may still start a send (an Error
     * answer), whose callback the second stop then waits for. */
    for (size_t i = 0; i < s->n_contexts; i++) {
        if (s->contexts[i].recv_aio != NULL)
            nng_aio_stop(s->contexts[i].recv_aio);
        if (s->contexts[i].send_aio != NULL)
            nng_aio_stop(s->contexts[i].send_aio);
    }
    for (size_t i = 0; i < s->n_contexts; i++) {
        stom_bus_pending *p = &s->contexts[i];
        if (p->recv_aio != NULL)
            nng_aio_free(p->recv_aio);
        if (p->send_aio != NULL)
            nng_aio_free(p->send_aio);
        stom_bus_received_free(&p->req);
    }
    free(s->contexts);
    if (s->cv != NULL)
        nng_cv_free(s->cv);
    if (s->mtx != NULL)
        nng_mtx_free(s->mtx);
    free(s);
}

/* ---- the server thread --------------------------------------------------- */

static stom_bus_pending *queue_pop(stom_bus_server *s)
{
    stom_bus_pending *p = s->head;
    if (p == NULL)
        return NULL;
    s->head = p->next;
    if (s->head == NULL)
        s->tail = NULL;
    p->next = NULL;
    return p;
}

int stom_bus_server_next(stom_bus_server *s, int timeout_ms, stom_bus_pending **out)
{
    nng_time deadline = nng_clock() + (nng_time)(timeout_ms > 0 ? timeout_ms : 0);
    nng_mtx_lock(s->mtx);
    while (s->head == NULL && timeout_ms != 0) {
        if (timeout_ms < 0)
            nng_cv_wait(s->cv);
        else if (nng_cv_until(s->cv, deadline) == NNG_ETIMEDOUT)
            break;
    }
    stom_bus_pending *p = queue_pop(s);
    if (p != NULL)
        s->stats.received++;
    nng_mtx_unlock(s->mtx);
    if (p == NULL)
        return STOM_ETIMEDOUT;
    *out = p;
    return STOM_OK;
}

const stom_bus_msg *stom_bus_pending_msg(const stom_bus_pending *p)
{
    return &p->req.msg;
}

static void count(stom_bus_server *s, uint64_t *counter)
{
    nng_mtx_lock(s->mtx);
    (*counter)++;
    nng_mtx_unlock(s->mtx);
}

int stom_bus_server_reply(stom_bus_server *s, stom_bus_pending *p, const char *topic,
                          const Stom__V1__Envelope *env, stom_errbuf *eb)
{
    /* Encode before releasing the request: env may borrow from it. */
    nng_msg *m = NULL;
    int rc = stom__bus_nng_encode(topic, env, &m, eb);
    stom_bus_received_free(&p->req);
    if (rc != STOM_OK) {
        count(s, &s->stats.dropped);
        context_rearm(p);
        return rc;
    }
    count(s, &s->stats.replied);
    context_send(p, m);
    return STOM_OK;
}

void stom_bus_server_drop(stom_bus_server *s, stom_bus_pending *p)
{
    stom_bus_received_free(&p->req);
    count(s, &s->stats.dropped);
    /* Receiving again on a REP context abandons the unanswered request. */
    context_rearm(p);
}

void stom_bus_server_get_stats(stom_bus_server *s, stom_bus_server_stats *out)
{
    nng_mtx_lock(s->mtx);
    *out = s->stats;
    nng_mtx_unlock(s->mtx);
}
