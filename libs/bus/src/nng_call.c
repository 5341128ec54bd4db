/*
 * nng_call.c - a request in flight (stom_bus_call_*, stom/bus_nng.h).
 *
 * A call owns an nng context and an aio. The aio's callback runs the two
 * steps of a request: when the send completes it starts the receive with
 * what is left of the deadline; when the receive completes (or either step
 * fails) it records the outcome and wakes the waiter. The callback never
 * blocks: it only starts an operation or signals.
 *
 * Each request runs in an nng context of its own, so its deadline is a
 * per-call aio timeout rather than a socket option, several can be in
 * flight on one socket, and a late reply to an abandoned request can never
 * be taken for the answer to another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "nng_internal.h"

struct stom_bus_call {
    nng_socket sock;
    nng_ctx ctx;
    nng_aio *aio;
    nng_mtx *mu;
    nng_cv *cv;
    nng_time deadline;
    int timeout_ms;
    char topic[STOM_BUS_TOPIC_MAX + 1];
    bool receiving; /* the send is done; the aio now waits for the reply */
    bool done;      /* under mu */
    int rv;         /* nng's result, once done */
    nng_msg *answer;
    void (*notify)(void *arg); /* NULL: none */
    void *notify_arg;
};

static void finish(stom_bus_call *c, int rv, nng_msg *answer)
{
    nng_mtx_lock(c->mu);
    c->rv = rv;
    c->answer = answer;
    c->done = true;
    nng_cv_wake(c->cv);
    nng_mtx_unlock(c->mu);
    if (c->notify != NULL) /* the owner may finish c now: nng_aio_free waits for this callback */
        c->notify(c->notify_arg);
}

static void call_step(void *arg)
{
    stom_bus_call *c = arg;
    int rv = nng_aio_result(c->aio);
    if (!c->receiving) {
        if (rv != 0) {
            nng_msg *unsent = nng_aio_get_msg(c->aio); /* still ours when the send failed */
            if (unsent != NULL)
                nng_msg_free(unsent);
            finish(c, rv, NULL);
            return;
        }
        nng_duration left = stom__bus_remaining_ms(c->deadline);
        if (left == 0) {
            finish(c, NNG_ETIMEDOUT, NULL);
            return;
        }
        c->receiving = true;
        nng_aio_set_timeout(c->aio, left);
        nng_ctx_recv(c->ctx, c->aio);
        return;
    }
    finish(c, rv, rv == 0 ? nng_aio_get_msg(c->aio) : NULL);
}

static void call_free(stom_bus_call *c)
{
    if (c->aio != NULL)
        nng_aio_free(c->aio); /* stops the aio and waits for its callback */
    if (c->answer != NULL)
        nng_msg_free(c->answer);
    nng_ctx_close(c->ctx);
    if (c->cv != NULL)
        nng_cv_free(c->cv);
    if (c->mu != NULL)
        nng_mtx_free(c->mu);
    free(c);
}

int stom_bus_call_start(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                        int timeout_ms, stom_bus_call **out, stom_errbuf *eb)
{
    return stom_bus_call_start_notify(req, topic, env, timeout_ms, NULL, NULL, out, eb);
}

int stom_bus_call_start_notify(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                               int timeout_ms, void (*notify)(void *arg), void *arg,
                               stom_bus_call **out, stom_errbuf *eb)
{
    *out = NULL;
    if (timeout_ms <= 0)
        return stom_errorf(eb, STOM_EINVAL, "a request needs a timeout above 0 ms, not %d",
                           timeout_ms);
    nng_msg *m = NULL;
    int rc = stom__bus_nng_encode(topic, env, &m, eb);
    if (rc != STOM_OK)
        return rc;
    stom_bus_call *c = calloc(1, sizeof *c);
    if (c == NULL) {
        nng_msg_free(m);
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for a request to %s", topic);
    }
    c->sock = req;
    c->notify = notify;
    c->notify_arg = arg;
    c->timeout_ms = timeout_ms;
    c->deadline = nng_clock() + (nng_time)timeout_ms;
    snprintf(c->topic, sizeof c->topic, "%s", topic);
    int rv = nng_ctx_open(&c->ctx, req);
    const char *what = "opening a request context";
    if (rv == 0) {
        what = "allocating a request's aio";
        rv = nng_mtx_alloc(&c->mu);
        if (rv == 0)
            rv = nng_cv_alloc(&c->cv, c->mu);
        if (rv == 0)
            rv = nng_aio_alloc(&c->aio, call_step, c);
    }
    if (rv != 0) {
        nng_msg_free(m);
        call_free(c);
        return stom__bus_nng_error(eb, rv, what);
    }
    nng_aio_set_msg(c->aio, m);
    nng_aio_set_timeout(c->aio, (nng_duration)timeout_ms);
    nng_ctx_send(c->ctx, c->aio);
    *out = c;
    return STOM_OK;
}

bool stom_bus_call_ready(stom_bus_call *c)
{
    nng_mtx_lock(c->mu);
    bool done = c->done;
    nng_mtx_unlock(c->mu);
    return done;
}

int stom_bus_call_finish(stom_bus_call *c, stom_bus_received *reply, stom_errbuf *eb)
{
    memset(reply, 0, sizeof *reply);
    nng_mtx_lock(c->mu);
    while (!c->done)
        nng_cv_wait(c->cv);
    nng_mtx_unlock(c->mu);
    int rv = c->rv;
    nng_msg *answer = c->answer;
    c->answer = NULL;
    int rc;
    if (rv != 0)
        rc = stom__bus_request_error(rv, c->topic, c->timeout_ms, eb);
    else {
        /* The socket's own limit bounds the reply (0, a limit nng does not
         * know, falls back to the decoder's default). */
        size_t max_len = 0;
        if (nng_socket_get_size(c->sock, NNG_OPT_RECVMAXSZ, &max_len) != 0)
            max_len = 0;
        rc = stom__bus_nng_decode(answer, max_len, reply, eb);
    }
    call_free(c);
    return rc;
}

void stom_bus_call_abandon(stom_bus_call *c)
{
    if (c != NULL)
        call_free(c);
}
