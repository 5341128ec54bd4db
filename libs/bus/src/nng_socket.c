/*
 * nng_socket.c - nng sockets for the bus: endpoints from specs, socket
 * options that avoid nng 1.5's pitfalls, framed sends and receives, and
 * requests with a deadline (their asynchronous form is nng_call.c).
 *
 * Every socket is opened the same way: parse the spec, check the options,
 * open the protocol, set the options (before listening or dialing, so that
 * dialers inherit the reconnect times), then listen or dial without
 * blocking. A REQ socket never resends unless asked (NNG_OPT_REQ_RESENDTIME
 * is NNG_DURATION_INFINITE): a resent request would run twice on a server
 * that is merely slow. Requests themselves are in nng_call.c.
 *
 * Received messages stay in their nng_msg: the decoded topic points into
 * it, so nothing is copied between nng and the caller.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>

#include "bus_internal.h"
#include "nng_internal.h"

#define LISTEN_PREFIX         "listen:"
#define DIAL_PREFIX           "dial:"
#define BUFFER_MSGS_DEFAULT   1024
#define RECONNECT_MAX_DEFAULT 1000
#define RECONNECT_MIN         100 /* nng's default first retry, kept unless max is lower */
#define SPEC_QUOTE_MAX        200 /* how much of a bad spec a message repeats */

/* ---- shared helpers (nng_internal.h) ------------------------------------ */

int stom__bus_nng_error(stom_errbuf *eb, int rv, const char *what)
{
    int err = STOM_EIO;
    if (rv == NNG_ETIMEDOUT)
        err = STOM_ETIMEDOUT;
    else if (rv == NNG_ENOMEM)
        err = STOM_ENOMEM;
    return stom_errorf(eb, err, "%s: %s", what, nng_strerror(rv));
}

int stom__bus_nng_encode(const char *topic, const Stom__V1__Envelope *env, nng_msg **out,
                         stom_errbuf *eb)
{
    if (topic == NULL || env == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no topic or no envelope given");
    size_t topic_len = stom__bus_strlen_max(topic, STOM_BUS_TOPIC_MAX + 1);
    int rc = stom_bus_topic_check(topic, topic_len, eb);
    if (rc != STOM_OK)
        return rc;
    size_t size = stom_bus_encoded_size(topic_len, env);
    nng_msg *m = NULL;
    int rv = nng_msg_alloc(&m, size);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "allocating a message");
    size_t len = 0;
    rc = stom_bus_encode_into(topic, topic_len, env, nng_msg_body(m), size, &len, eb);
    if (rc != STOM_OK) {
        nng_msg_free(m);
        return rc;
    }
    *out = m;
    return STOM_OK;
}

int stom__bus_nng_decode(nng_msg *m, size_t max_len, stom_bus_received *out, stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    void *body = nng_msg_body(m);
    size_t len = nng_msg_len(m);
    int rc = stom_bus_decode(body, len, max_len, &out->msg, eb);
    if (rc != STOM_OK) {
        nng_msg_free(m);
        return rc;
    }
    out->buf = body;
    out->len = len;
    out->nmsg = m;
    return STOM_OK;
}

int64_t stom__bus_now_ns(void)
{
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- endpoints ------------------------------------------------------------ */

static int endpoint_refuse(const char *spec, const char *why, stom_errbuf *eb)
{
    size_t len = stom__bus_strlen_max(spec, SPEC_QUOTE_MAX);
    return stom_errorf(eb, STOM_EINVAL, "endpoint '%.*s%s' %s", (int)len, spec,
                       len == SPEC_QUOTE_MAX ? "..." : "", why);
}

/* A url scheme as RFC 3986 writes it: a letter, then letters, digits, '+',
 * '-' or '.' ("tcp", "ipc", "tls+tcp"). */
static bool scheme_valid(const char *s, size_t len)
{
    if (len == 0 || !isalpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return true;
}

int stom_bus_endpoint_parse(const char *spec, bool default_listen, stom_bus_endpoint *out,
                            stom_errbuf *eb)
{
    if (spec == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no endpoint given");
    bool listen = default_listen;
    const char *url = spec;
    if (strncmp(spec, LISTEN_PREFIX, strlen(LISTEN_PREFIX)) == 0) {
        listen = true;
        url = spec + strlen(LISTEN_PREFIX);
    } else if (strncmp(spec, DIAL_PREFIX, strlen(DIAL_PREFIX)) == 0) {
        listen = false;
        url = spec + strlen(DIAL_PREFIX);
    }
    size_t len = stom__bus_strlen_max(url, STOM_BUS_URL_MAX);
    if (len == 0)
        return endpoint_refuse(spec, "has no url", eb);
    if (len >= STOM_BUS_URL_MAX) {
        char why[64];
        snprintf(why, sizeof why, "has a url longer than %d bytes", STOM_BUS_URL_MAX - 1);
        return endpoint_refuse(spec, why, eb);
    }
    const char *sep = strstr(url, "://");
    if (sep == NULL || !scheme_valid(url, (size_t)(sep - url)) || sep[3] == '\0')
        return endpoint_refuse(spec,
                               "is not listen:<url>, dial:<url> or <url> with a url such as "
                               "tcp://127.0.0.1:5560, ipc:///path or inproc://name",
                               eb);
    out->listen = listen;
    memcpy(out->url, url, len + 1);
    return STOM_OK;
}

/* ---- opening sockets ------------------------------------------------------ */

void stom_bus_socket_options_default(stom_bus_socket_options *o)
{
    memset(o, 0, sizeof *o);
}

static const char *kind_name(stom_bus_kind kind)
{
    static const char *const names[] = {"REQ", "REP", "PUB", "SUB"};
    return (unsigned)kind < 4 ? names[kind] : "unknown";
}

static int options_check(const stom_bus_socket_options *o, stom_errbuf *eb)
{
    if (o->recv_timeout_ms < 0 || o->send_timeout_ms < 0 || o->req_resend_ms < 0 ||
        o->buffer_msgs < 0 || o->reconnect_max_ms < 0)
        return stom_errorf(eb, STOM_EINVAL, "socket options must not be negative");
    if (o->buffer_msgs > STOM_BUS_BUFFER_MSGS_MAX)
        return stom_errorf(eb, STOM_EINVAL, "buffer of %d messages exceeds nng's limit of %d",
                           o->buffer_msgs, STOM_BUS_BUFFER_MSGS_MAX);
    return STOM_OK;
}

static int protocol_open(nng_socket *s, stom_bus_kind kind)
{
    switch (kind) {
    case STOM_BUS_REQ:
        return nng_req0_open(s);
    case STOM_BUS_REP:
        return nng_rep0_open(s);
    case STOM_BUS_PUB:
        return nng_pub0_open(s);
    case STOM_BUS_SUB:
        return nng_sub0_open(s);
    }
    return NNG_ENOTSUP;
}

/* The options only one kind takes: resending for REQ, buffers for PUB/SUB. */
static int kind_options_set(nng_socket s, stom_bus_kind kind, const stom_bus_socket_options *o)
{
    int buffer = o->buffer_msgs > 0 ? o->buffer_msgs : BUFFER_MSGS_DEFAULT;
    switch (kind) {
    case STOM_BUS_REQ:
        return nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME,
                                 o->req_resend_ms > 0 ? o->req_resend_ms : NNG_DURATION_INFINITE);
    case STOM_BUS_PUB:
        return nng_socket_set_int(s, NNG_OPT_SENDBUF, buffer);
    case STOM_BUS_SUB:
        return nng_socket_set_int(s, NNG_OPT_RECVBUF, buffer);
    case STOM_BUS_REP:
        break;
    }
    return 0;
}

static int options_set(nng_socket s, stom_bus_kind kind, const stom_bus_socket_options *o,
                       stom_errbuf *eb)
{
    size_t max_msg = o->max_msg > 0 ? o->max_msg : STOM_BUS_MSG_MAX_DEFAULT;
    int reconnect = o->reconnect_max_ms > 0 ? o->reconnect_max_ms : RECONNECT_MAX_DEFAULT;
    int rv = nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, max_msg);
    if (rv == 0 && o->recv_timeout_ms > 0)
        rv = nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, o->recv_timeout_ms);
    if (rv == 0 && o->send_timeout_ms > 0)
        rv = nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, o->send_timeout_ms);
    if (rv == 0)
        rv = nng_socket_set_ms(s, NNG_OPT_RECONNMINT,
                               reconnect < RECONNECT_MIN ? reconnect : RECONNECT_MIN);
    if (rv == 0)
        rv = nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, reconnect);
    if (rv == 0)
        rv = kind_options_set(s, kind, o);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "setting socket options");
    return STOM_OK;
}

/* Listens or dials; a url nng cannot use at all is the caller's mistake
 * (STOM_EINVAL), anything else (address in use, no such directory) STOM_EIO. */
static int endpoint_start(nng_socket s, const stom_bus_endpoint *ep, stom_errbuf *eb)
{
    int rv = ep->listen ? nng_listen(s, ep->url, NULL, 0)
                        : nng_dial(s, ep->url, NULL, NNG_FLAG_NONBLOCK);
    if (rv == 0)
        return STOM_OK;
    int err = STOM_EIO;
    if (rv == NNG_EADDRINVAL || rv == NNG_ENOTSUP || rv == NNG_EINVAL)
        err = STOM_EINVAL;
    return stom_errorf(eb, err, "cannot %s %s: %s", ep->listen ? "listen on" : "dial", ep->url,
                       nng_strerror(rv));
}

int stom_bus_socket_open(nng_socket *out, stom_bus_kind kind, const char *spec,
                         const stom_bus_socket_options *opt, stom_errbuf *eb)
{
    stom_bus_socket_options defaults;
    if (opt == NULL) {
        stom_bus_socket_options_default(&defaults);
        opt = &defaults;
    }
    if ((unsigned)kind > STOM_BUS_SUB)
        return stom_errorf(eb, STOM_EINVAL, "socket kind %d does not exist", (int)kind);
    stom_bus_endpoint ep;
    bool default_listen = kind == STOM_BUS_REP || kind == STOM_BUS_PUB;
    int rc = stom_bus_endpoint_parse(spec, default_listen, &ep, eb);
    if (rc == STOM_OK)
        rc = options_check(opt, eb);
    if (rc != STOM_OK)
        return rc;
    nng_socket s;
    int rv = protocol_open(&s, kind);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, kind_name(kind));
    rc = options_set(s, kind, opt, eb);
    if (rc == STOM_OK)
        rc = endpoint_start(s, &ep, eb);
    if (rc != STOM_OK) {
        nng_close(s);
        return rc;
    }
    *out = s;
    return STOM_OK;
}

int stom_bus_subscribe(nng_socket s, const char *prefix, size_t len, stom_errbuf *eb)
{
    if (prefix == NULL && len > 0)
        return stom_errorf(eb, STOM_EINVAL, "no subscription prefix given");
    /* nng_socket_set with an explicit length: nng_setopt_string would also
     * subscribe the trailing NUL, which only matches one exact topic. */
    int rv = nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, len > 0 ? prefix : "", len);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "subscribing");
    return STOM_OK;
}

/* ---- sending and receiving ---------------------------------------------- */

int stom_bus_send(nng_socket s, const char *topic, const Stom__V1__Envelope *env, stom_errbuf *eb)
{
    nng_msg *m = NULL;
    int rc = stom__bus_nng_encode(topic, env, &m, eb);
    if (rc != STOM_OK)
        return rc;
    int rv = nng_sendmsg(s, m, 0);
    if (rv != 0) {
        nng_msg_free(m); /* nng takes the message only on success */
        return stom__bus_nng_error(eb, rv, "sending");
    }
    return STOM_OK;
}

int stom_bus_recv(nng_socket s, size_t max_len, stom_bus_received *out, stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    nng_msg *m = NULL;
    int rv = nng_recvmsg(s, &m, 0);
    if (rv != 0)
        return stom__bus_nng_error(eb, rv, "receiving");
    return stom__bus_nng_decode(m, max_len, out, eb);
}

void stom_bus_received_free(stom_bus_received *r)
{
    if (r == NULL)
        return;
    stom_bus_msg_free(&r->msg);
    if (r->nmsg != NULL)
        nng_msg_free(r->nmsg);
    memset(r, 0, sizeof *r);
}

/* ---- requests ------------------------------------------------------------ */

int stom__bus_request_error(int rv, const char *topic, int timeout_ms, stom_errbuf *eb)
{
    if (rv == NNG_ETIMEDOUT)
        return stom_errorf(eb, STOM_ETIMEDOUT, "no answer from %s within %d ms", topic, timeout_ms);
    return stom_errorf(eb, STOM_EIO, "request to %s: %s", topic, nng_strerror(rv));
}

nng_duration stom__bus_remaining_ms(nng_time deadline)
{
    nng_time now = nng_clock();
    return now < deadline ? (nng_duration)(deadline - now) : 0;
}

/* Sends m (taken) on ctx and waits for the reply until deadline. */
static int request_run(nng_ctx ctx, nng_aio *aio, nng_msg *m, nng_time deadline, nng_msg **reply)
{
    nng_duration left = stom__bus_remaining_ms(deadline);
    if (left == 0) {
        nng_msg_free(m);
        return NNG_ETIMEDOUT;
    }
    nng_aio_set_msg(aio, m);
    nng_aio_set_timeout(aio, left);
    nng_ctx_send(ctx, aio);
    nng_aio_wait(aio);
    int rv = nng_aio_result(aio);
    if (rv != 0) {
        nng_msg *unsent = nng_aio_get_msg(aio); /* still ours when the send failed */
        if (unsent != NULL)
            nng_msg_free(unsent);
        return rv;
    }
    left = stom__bus_remaining_ms(deadline);
    if (left == 0)
        return NNG_ETIMEDOUT;
    nng_aio_set_timeout(aio, left);
    nng_ctx_recv(ctx, aio);
    nng_aio_wait(aio);
    rv = nng_aio_result(aio);
    if (rv == 0)
        *reply = nng_aio_get_msg(aio);
    return rv;
}

int stom_bus_request(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                     int timeout_ms, stom_bus_received *reply, stom_errbuf *eb)
{
    memset(reply, 0, sizeof *reply);
    if (timeout_ms <= 0)
        return stom_errorf(eb, STOM_EINVAL, "a request needs a timeout above 0 ms, not %d",
                           timeout_ms);
    nng_time deadline = nng_clock() + (nng_time)timeout_ms;
    nng_msg *m = NULL;
    int rc = stom__bus_nng_encode(topic, env, &m, eb);
    if (rc != STOM_OK)
        return rc;
    nng_ctx ctx;
    nng_aio *aio = NULL;
    int rv = nng_ctx_open(&ctx, req);
    if (rv != 0) {
        nng_msg_free(m);
        return stom__bus_nng_error(eb, rv, "opening a request context");
    }
    rv = nng_aio_alloc(&aio, NULL, NULL);
    if (rv != 0) {
        nng_msg_free(m);
        nng_ctx_close(ctx);
        return stom__bus_nng_error(eb, rv, "allocating an aio");
    }
    nng_msg *answer = NULL;
    rv = request_run(ctx, aio, m, deadline, &answer);
    nng_aio_free(aio);
    nng_ctx_close(ctx);
    if (rv != 0)
        return stom__bus_request_error(rv, topic, timeout_ms, eb);
    /* The socket's own limit bounds the reply (0, a limit nng does not know,
     * falls back to the decoder's default). */
    size_t max_len = 0;
    if (nng_socket_get_size(req, NNG_OPT_RECVMAXSZ, &max_len) != 0)
        max_len = 0;
    return stom__bus_nng_decode(answer, max_len, reply, eb);
}
