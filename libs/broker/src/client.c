/*
 * client.c - requests to a broker adapter with timeout and retry.
 *
 * Each attempt is one stom_bus_request (an nng context of its own, so
 * threads may share the client) with the same envelope: same seq, same
 * request_id, same client_order_id. A retry happens only when no reply came
 * (timeout, dropped connection); the adapter's idempotency table turns a
 * repeated place into the first answer (see stom/broker_client.h).
 *
 * Invariants: next_request_id and sender are guarded by mtx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "broker_internal.h"
#include "stom/alloc.h"
#include "stom/broker_client.h"

struct stom_broker_client {
    nng_socket req;
    nng_mtx *mtx;
    stom_bus_sender sender;
    stom_bus_topic topic; /* rpc.<service> */
    int timeout_ms;
    int attempts;
    uint64_t next_request_id;
};

static int open_socket(stom_broker_client *c, const stom_broker_client_options *opt,
                       stom_errbuf *eb)
{
    stom_bus_socket_options so;
    stom_bus_socket_options_default(&so);
    so.req_resend_ms = opt->resend_ms;
    so.reconnect_max_ms = opt->reconnect_max_ms;
    return stom_bus_socket_open(&c->req, STOM_BUS_REQ, opt->req_spec, &so, eb);
}

int stom_broker_client_open(stom_broker_client **out, const stom_broker_client_options *opt,
                            stom_errbuf *eb)
{
    if (opt == NULL || opt->sender == NULL || opt->service == NULL || opt->req_spec == NULL)
        return stom_errorf(eb, STOM_EINVAL, "broker client: sender, service, req_spec required");
    if (opt->timeout_ms < 0 || opt->attempts < 0 || opt->resend_ms < 0)
        return stom_errorf(eb, STOM_EINVAL, "broker client: negative timeout/attempts/resend");
    stom_broker_client *c = stom_xcalloc(1, sizeof *c);
    int rc = stom_bus_sender_init(&c->sender, opt->sender, eb);
    if (rc == STOM_OK)
        rc = stom_bus_topic_rpc(&c->topic, opt->service, eb);
    if (rc != STOM_OK) {
        free(c);
        return rc;
    }
    c->timeout_ms = opt->timeout_ms ? opt->timeout_ms : STOM_BROKER_TIMEOUT_MS_DEFAULT;
    c->attempts = opt->attempts ? opt->attempts : STOM_BROKER_ATTEMPTS_DEFAULT;
    /* Request ids start at the clock so that a restarted client does not
     * reuse the ids of its previous life within the adapter's view. */
    c->next_request_id = (uint64_t)stom__broker_now_ns();
    if (nng_mtx_alloc(&c->mtx) != 0) {
        free(c);
        return stom_errorf(eb, STOM_EIO, "broker client: no mutex");
    }
    rc = open_socket(c, opt, eb);
    if (rc != STOM_OK) {
        nng_mtx_free(c->mtx);
        free(c);
        return rc;
    }
    *out = c;
    return STOM_OK;
}

void stom_broker_client_close(stom_broker_client *c)
{
    if (c == NULL)
        return;
    nng_close(c->req);
    nng_mtx_free(c->mtx);
    free(c);
}

nng_socket stom_broker_client_socket(const stom_broker_client *c)
{
    return c->req;
}

void stom_broker_reply_free(stom_broker_reply *r)
{
    if (r == NULL)
        return;
    stom_bus_received_free(&r->rx);
    memset(r, 0, sizeof *r);
}

/* Checks that rx answers the request whose id and kind are given: a BrokerReply with that id,
 * mirroring its kind unless it carries an error. */
static int check_reply(const stom_broker_client *c, uint64_t request_id, int request_case,
                       const stom_bus_received *rx, stom_errbuf *eb)
{
    const Stom__V1__Envelope *env = rx->msg.env;
    if (env->body_case == STOM__V1__ENVELOPE__BODY_ERROR)
        return stom_errorf(eb, STOM_EFORMAT, "%s refused the request: %s", c->topic.str,
                           env->error->message ? env->error->message : "(no message)");
    if (env->body_case != STOM__V1__ENVELOPE__BODY_BROKER_REPLY)
        return stom_errorf(eb, STOM_EFORMAT, "%s answered with %s, not a broker_reply",
                           c->topic.str, stom_bus_body_name(env->body_case));
    const Stom__V1__BrokerReply *r = env->broker_reply;
    if (!r->has_request_id || r->request_id != request_id)
        return stom_errorf(eb, STOM_EFORMAT, "%s answered another request_id", c->topic.str);
    if (r->error == NULL && (int)r->reply_case != request_case)
        return stom_errorf(eb, STOM_EFORMAT, "%s answered kind %d to kind %d", c->topic.str,
                           (int)r->reply_case, request_case);
    return STOM_OK;
}

/* Fills env from the client's sender with req as its body. */
static void build_envelope(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                           Stom__V1__Envelope *env)
{
    nng_mtx_lock(c->mtx);
    if (!req->has_request_id) {
        req->has_request_id = 1;
        req->request_id = ++c->next_request_id;
    }
    stom_bus_envelope_init(env, &c->sender, stom__broker_now_ns());
    nng_mtx_unlock(c->mtx);
    env->body_case = STOM__V1__ENVELOPE__BODY_BROKER_REQUEST;
    env->broker_request = req;
}

/* The end of a call whose transport said rc: out's reply checked against the request, or
 * freed. */
static int checked(const stom_broker_client *c, uint64_t request_id, int request_case, int rc,
                   stom_broker_reply *out, stom_errbuf *eb)
{
    if (rc == STOM_OK)
        rc = check_reply(c, request_id, request_case, &out->rx, eb);
    if (rc != STOM_OK) {
        stom_broker_reply_free(out);
        return rc;
    }
    out->reply = out->rx.msg.env->broker_reply;
    return STOM_OK;
}

int stom_broker_client_call(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                            stom_broker_reply *out, stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    if (req == NULL)
        return stom_errorf(eb, STOM_EINVAL, "broker client: no request");
    Stom__V1__Envelope env;
    build_envelope(c, req, &env);
    int rc = STOM_ETIMEDOUT;
    for (int attempt = 1; attempt <= c->attempts; attempt++) {
        rc = stom_bus_request(c->req, c->topic.str, &env, c->timeout_ms, &out->rx, eb);
        out->attempts = attempt;
        if (rc != STOM_ETIMEDOUT && rc != STOM_EIO)
            break;
    }
    return checked(c, req->request_id, (int)req->request_case, rc, out, eb);
}

struct stom_broker_inflight {
    stom_broker_client *client;
    stom_bus_call *call;
    uint64_t request_id;
    int request_case;
};

int stom_broker_client_start(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                             void (*notify)(void *arg), void *arg, stom_broker_inflight **out,
                             stom_errbuf *eb)
{
    *out = NULL;
    if (req == NULL)
        return stom_errorf(eb, STOM_EINVAL, "broker client: no request");
    Stom__V1__Envelope env;
    build_envelope(c, req, &env);
    stom_broker_inflight *f = stom_xcalloc(1, sizeof *f);
    f->client = c;
    f->request_id = req->request_id;
    f->request_case = (int)req->request_case;
    int rc = stom_bus_call_start_notify(c->req, c->topic.str, &env, c->timeout_ms * c->attempts,
                                        notify, arg, &f->call, eb);
    if (rc != STOM_OK) {
        free(f);
        return rc;
    }
    *out = f;
    return STOM_OK;
}

int stom_broker_client_finish(stom_broker_inflight *f, stom_broker_reply *out, stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    int rc = stom_bus_call_finish(f->call, &out->rx, eb);
    out->attempts = 1;
    rc = checked(f->client, f->request_id, f->request_case, rc, out, eb);
    free(f);
    return rc;
}

void stom_broker_client_abandon(stom_broker_inflight *f)
{
    if (f == NULL)
        return;
    stom_bus_call_abandon(f->call);
    free(f);
}
