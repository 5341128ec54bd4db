/*
 * stom/bus_nng.h - nng sockets for the stom bus: endpoints from URLs,
 * sending and receiving framed envelopes (stom/bus.h), requests with a
 * deadline, and a REP server whose replies may be deferred (long-poll).
 *
 * Endpoints are written "listen:<url>" or "dial:<url>" (url as nng takes
 * it: tcp://127.0.0.1:5560, ipc:///path, inproc://name); a bare url listens
 * for REP and PUB sockets and dials for REQ and SUB. Dialing never fails
 * because the peer is not up yet (NNG_FLAG_NONBLOCK; nng reconnects, at
 * most every reconnect_max_ms).
 *
 * nng 1.5 pitfalls handled here (see STYLE.md): REQ resends a request after
 * NNG_OPT_REQ_RESENDTIME (default 60 s), so a long request would run twice
 * - REQ sockets opened here never resend unless asked; every socket gets
 * NNG_OPT_RECVMAXSZ; SUB subscriptions use an explicit length (no trailing
 * NUL); PUB/SUB buffers are raised from nng's tiny defaults.
 *
 * Thread-safety: nng sockets are thread-safe. stom_bus_request opens an nng
 * context of its own for each call, so threads may share one REQ socket for
 * requests; plain stom_bus_send/stom_bus_recv on a REQ socket carry one
 * request at a time (use one socket per thread for those). A
 * stom_bus_server is driven by one thread (the one calling
 * _next/_reply/_drop/_close); nng's threads only fill its queue and answer
 * malformed requests.
 */
#ifndef STOM_BUS_NNG_H
#define STOM_BUS_NNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nng/nng.h>

#include "stom/bus.h"
#include "stom/error.h"

typedef enum stom_bus_kind {
    STOM_BUS_REQ = 0,
    STOM_BUS_REP,
    STOM_BUS_PUB,
    STOM_BUS_SUB
} stom_bus_kind;

#define STOM_BUS_URL_MAX 256

typedef struct stom_bus_endpoint {
    bool listen;
    char url[STOM_BUS_URL_MAX];
} stom_bus_endpoint;

/*
 * Parses "listen:<url>", "dial:<url>" or "<url>" (then listen when
 * default_listen) into *out (set only on success). The url must be
 * "<scheme>://<something>" and shorter than STOM_BUS_URL_MAX. Returns 0 or
 * STOM_EINVAL with the spec quoted in eb. Borrows spec.
 */
int stom_bus_endpoint_parse(const char *spec, bool default_listen, stom_bus_endpoint *out,
                            stom_errbuf *eb);

/* nng's largest NNG_OPT_SENDBUF / NNG_OPT_RECVBUF, in messages. */
#define STOM_BUS_BUFFER_MSGS_MAX 8192

/* Negative values are refused with STOM_EINVAL. */
typedef struct stom_bus_socket_options {
    size_t max_msg;       /* NNG_OPT_RECVMAXSZ; 0: STOM_BUS_MSG_MAX_DEFAULT */
    int recv_timeout_ms;  /* 0: none (block) */
    int send_timeout_ms;  /* 0: none */
    int req_resend_ms;    /* REQ only; 0: never resend */
    int buffer_msgs;      /* PUB send / SUB recv buffer in messages, at most
                             STOM_BUS_BUFFER_MSGS_MAX; 0: 1024 */
    int reconnect_max_ms; /* 0: 1000 */
} stom_bus_socket_options;

/* Zeroes *o (every default above). */
void stom_bus_socket_options_default(stom_bus_socket_options *o);

/*
 * Opens a socket of kind on spec (see above) with opt (NULL: defaults) and
 * sets *out (only on success; close it with nng_close). Returns 0,
 * STOM_EINVAL (bad spec or options, or a url nng cannot use: unknown
 * scheme, bad address) or STOM_EIO (nng refused: address in use, ...; eb
 * says which url and nng's reason). Borrows spec and opt.
 */
int stom_bus_socket_open(nng_socket *out, stom_bus_kind kind, const char *spec,
                         const stom_bus_socket_options *opt, stom_errbuf *eb);

/* Subscribes a SUB socket to every topic starting with prefix (len bytes;
 * 0 bytes subscribes to everything; append the 0x00 separator for one exact
 * topic). 0, STOM_EINVAL (prefix NULL with len > 0) or STOM_EIO. Borrows
 * prefix. */
int stom_bus_subscribe(nng_socket s, const char *prefix, size_t len, stom_errbuf *eb);

/*
 * Encodes env under topic and sends it. Returns 0, the encoder's errors,
 * STOM_ETIMEDOUT, or STOM_EIO. Borrows topic and env.
 */
int stom_bus_send(nng_socket s, const char *topic, const Stom__V1__Envelope *env, stom_errbuf *eb);

/* A received and decoded message; owns the nng message whose bytes (buf,
 * len) msg.topic points into. */
typedef struct stom_bus_received {
    stom_bus_msg msg;
    void *buf; /* the raw bytes, inside nmsg */
    size_t len;
    nng_msg *nmsg; /* owned */
} stom_bus_received;

/*
 * Receives one message and decodes it (max_len as stom_bus_decode; 0 the
 * default). Returns 0, STOM_ETIMEDOUT (the socket's receive timeout
 * passed), STOM_EIO, or a decode error (the message is consumed and
 * dropped). Release *out with stom_bus_received_free.
 */
int stom_bus_recv(nng_socket s, size_t max_len, stom_bus_received *out, stom_errbuf *eb);
/* NULL or zeroed: no-op. */
void stom_bus_received_free(stom_bus_received *r);

/*
 * One request on a REQ socket, in an nng context of its own: sends env
 * under topic, waits up to timeout_ms (> 0; sending and receiving
 * together) for the reply and decodes it into *reply (zeroed on failure;
 * release with stom_bus_received_free). Returns 0, STOM_EINVAL,
 * STOM_ETIMEDOUT ("no answer from <topic> within N ms"), STOM_EIO (the
 * peer's connection dropped: with resend off the request is not retried
 * elsewhere) or an encode/decode error. Not resent unless the socket was
 * opened with req_resend_ms. A reply whose body is an Error (a server
 * refused the request, see below) is returned as any other reply. Borrows
 * topic and env.
 */
int stom_bus_request(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                     int timeout_ms, stom_bus_received *reply, stom_errbuf *eb);

/*
 * The same request in two halves, for a caller with other work to do while
 * the answer travels (a worker prefetching its next task). _start sends env
 * and returns at once with *out owning the call; _finish waits for the
 * outcome, fills *reply exactly as stom_bus_request would, and frees the
 * call; _ready says, without waiting, whether _finish would return at once;
 * _abandon frees a call whose answer is no longer wanted (NULL is a no-op).
 * Several calls may be in flight on one socket. A call is used by one
 * thread at a time; start, finish or abandon it from any thread.
 */
typedef struct stom_bus_call stom_bus_call;
int stom_bus_call_start(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                        int timeout_ms, stom_bus_call **out, stom_errbuf *eb);
/* As _start, and notify(arg) runs once the outcome is in (reply, failure or timeout), on one of
 * nng's threads: it must not block (push the call into a queue and wake its owner). */
int stom_bus_call_start_notify(nng_socket req, const char *topic, const Stom__V1__Envelope *env,
                               int timeout_ms, void (*notify)(void *arg), void *arg,
                               stom_bus_call **out, stom_errbuf *eb);
bool stom_bus_call_ready(stom_bus_call *c);
int stom_bus_call_finish(stom_bus_call *c, stom_bus_received *reply, stom_errbuf *eb);
void stom_bus_call_abandon(stom_bus_call *c);

/*
 * A PUB socket's sends on a thread of their own, for a thread that must not
 * stop for nng's hand-offs (tens of microseconds a send on a small machine):
 * _send encodes env under topic at once (env may be released on return) and
 * queues it; the publisher's thread sends queued messages in order. At most
 * max_queued wait (0: 65,536); a send beyond that is dropped, counted, and
 * refused with STOM_ETOOBIG. _close sends what is queued, then stops the
 * thread; the socket stays the caller's (close it after). Thread-safety:
 * _send and _counts from any thread.
 */
typedef struct stom_bus_publisher stom_bus_publisher;
int stom_bus_publisher_open(stom_bus_publisher **out, nng_socket pub, size_t max_queued,
                            stom_errbuf *eb);
int stom_bus_publisher_send(stom_bus_publisher *p, const char *topic, const Stom__V1__Envelope *env,
                            stom_errbuf *eb);
void stom_bus_publisher_counts(stom_bus_publisher *p, uint64_t *sent, uint64_t *dropped,
                               uint64_t *failed);
/* NULL: no-op. */
void stom_bus_publisher_close(stom_bus_publisher *p);

/* ---- REP server with deferred replies ------------------------------------ */

typedef struct stom_bus_server stom_bus_server;
typedef struct stom_bus_pending stom_bus_pending;

typedef struct stom_bus_server_stats {
    uint64_t received;    /* well-formed requests handed out by _next */
    uint64_t malformed;   /* refused by the decoder (answered with an error, see below) */
    uint64_t replied;     /* _reply calls whose reply was handed to nng */
    uint64_t dropped;     /* _drop calls, and _reply calls whose reply did not encode */
    uint64_t send_failed; /* replies (or error answers) nng could not send */
} stom_bus_server_stats;

/* How many requests a server holds at once unless told otherwise, and at most. */
#define STOM_BUS_SERVER_CONTEXTS_DEFAULT 64
#define STOM_BUS_SERVER_CONTEXTS_MAX     4096
/* How long nng may take to hand a reply to the transport before it is given up. */
#define STOM_BUS_SERVER_SEND_MS 10000

/*
 * Opens a REP socket on spec (bare url: listen) with n_contexts (1 to
 * STOM_BUS_SERVER_CONTEXTS_MAX; 0: STOM_BUS_SERVER_CONTEXTS_DEFAULT)
 * requests in flight at once: each context receives one request and holds
 * it until the server thread replies or drops it, so replies may come in
 * any order and much later (long-poll). max_msg bounds requests, at the
 * socket (NNG_OPT_RECVMAXSZ: over a transport nng drops the connection) and
 * again at decoding (inproc does not enforce the socket limit) (0:
 * STOM_BUS_MSG_MAX_DEFAULT).
 *
 * A request that does not decode is never handed out: it is counted in
 * stats.malformed and answered at once, on topic "rpc.error", with an
 * envelope (from sender) whose body is an Error (INVALID_ARGUMENT, the
 * decoder's message), so one bad peer costs nothing but a context turn
 * and learns what was wrong.
 *
 * Sets *out only on success. Returns 0, STOM_EINVAL (spec, sender or
 * n_contexts) or STOM_EIO. Borrows spec and sender (copied).
 */
int stom_bus_server_open(stom_bus_server **out, const char *spec, const char *sender,
                         size_t n_contexts, size_t max_msg, stom_errbuf *eb);
/*
 * Closes the socket, waits for nng's callbacks to finish and frees
 * everything, pending requests (queued or held by the server thread)
 * included: pointers from _next are invalid afterwards. NULL: no-op.
 */
void stom_bus_server_close(stom_bus_server *s);

/*
 * Waits up to timeout_ms (0: do not wait; negative: without limit) for the
 * next well-formed request, oldest first. Returns 0 with *out (owned by the
 * server; the caller must _reply or _drop it) or STOM_ETIMEDOUT.
 */
int stom_bus_server_next(stom_bus_server *s, int timeout_ms, stom_bus_pending **out);
/* The decoded request. Valid until _reply or _drop. */
const stom_bus_msg *stom_bus_pending_msg(const stom_bus_pending *p);
/*
 * Answers p with env under topic and returns p's context to receiving once
 * nng has sent the reply (asynchronously: a send failure shows only in
 * stats.send_failed). env may borrow from p's request. Returns 0 or an
 * encode error (then p is dropped). p is released either way. Borrows
 * topic and env.
 */
int stom_bus_server_reply(stom_bus_server *s, stom_bus_pending *p, const char *topic,
                          const Stom__V1__Envelope *env, stom_errbuf *eb);
/* Releases p without answering (the requester times out). */
void stom_bus_server_drop(stom_bus_server *s, stom_bus_pending *p);
/* A copy of the counters. Safe from any thread. */
void stom_bus_server_get_stats(stom_bus_server *s, stom_bus_server_stats *out);

#endif
