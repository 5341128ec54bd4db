/*
 * stom/broker.h - the adapter side of the broker protocol (docs/broker-protocol.md).
 *
 * An adapter (broker-sim, broker-ls, broker-kiwoom) opens a stom_broker_server
 * with two endpoints: a REP socket on which it answers BrokerRequests and a
 * PUB socket on which it publishes market data (md.<broker>.<symbol>) and
 * order events (ord.<broker>.<account>). Either endpoint may listen or dial
 * ("listen:tcp://..." / "dial:tcp://..."), so an adapter behind NAT dials out
 * to an engine that listens.
 *
 * The serve loop takes one request at a time from libs/bus's REP server,
 * checks it, and calls the adapter's handler for its kind. What the framework
 * answers itself, without calling a handler:
 *   - bytes that are not a stom envelope: libs/bus answers on rpc.error with
 *     an Error (INVALID_ARGUMENT) and the loop never sees them;
 *   - an envelope whose body is not a broker_request, a request with no kind
 *     or a kind this build does not know, a place/modify/cancel without a
 *     usable client_order_id, a modify/cancel naming no order: a BrokerReply
 *     with error INVALID_ARGUMENT (UNIMPLEMENTED for an unknown kind) and a
 *     message saying what was wrong;
 *   - a kind whose handler is NULL: UNIMPLEMENTED;
 *   - a place/modify/cancel whose (account, client_order_id) was answered
 *     before: the first reply again, with the new request_id (see
 *     "Idempotency" below).
 *
 * Idempotency. The server remembers the replies to place, modify and cancel
 * in a table keyed by (account, client_order_id): at most dedupe_capacity
 * entries (oldest evicted first) for at most dedupe_ttl_ms each. A repeat
 * with the same kind and the same request bytes gets the remembered reply; a
 * repeat that differs (another kind, or another order under the same id) gets
 * ALREADY_EXISTS. Replies whose error is marked retryable are not remembered,
 * so a retry after RATE_LIMITED or UNAVAILABLE reaches the handler again: a
 * handler must only mark an error retryable when no order reached the broker.
 * The table lives in memory; keeping ids across restarts is the adapter's
 * business (it can ask its broker for the order by client order id).
 *
 * Thread-safety: the serve functions (_serve_once, _run) belong to one
 * thread, and every handler runs on that thread, one request at a time, so
 * handlers need no locks among themselves but must not block for long (the
 * client's timeout runs meanwhile). _stop, _get_stats and the _publish
 * functions are safe from any thread (publishing is serialised by a mutex;
 * the messages go out from a thread of the server's own, in order, so a
 * handler that publishes does not wait for nng's hand-offs).
 */
#ifndef STOM_BROKER_H
#define STOM_BROKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/bus.h"
#include "stom/error.h"

/* Longest client_order_id and account accepted, in bytes. */
#define STOM_BROKER_ID_MAX 64
/* Default size and expiry of the idempotency table. */
#define STOM_BROKER_DEDUPE_CAPACITY_DEFAULT 65536
#define STOM_BROKER_DEDUPE_TTL_MS_DEFAULT   (24 * 60 * 60 * 1000)

typedef struct stom_broker_server stom_broker_server;
typedef struct stom_broker_call stom_broker_call;

/*
 * The handlers, one per request kind; NULL ones answer UNIMPLEMENTED. Each
 * gets the adapter pointer given at open, the call (for memory and errors),
 * the request body (borrowed, valid during the call) and a reply body the
 * framework initialised. A handler fills *out and returns 0, or returns
 * stom_broker_call_fail(...). Memory the reply points to must outlive the
 * call: take it from stom_broker_call_alloc/_strdup, or point at data of the
 * adapter that stays unchanged until the handler returns to the loop.
 */
typedef struct stom_broker_handlers {
    int (*place)(void *adapter, stom_broker_call *c, const Stom__V1__OrderRequest *in,
                 Stom__V1__OrderAck *out);
    int (*modify)(void *adapter, stom_broker_call *c, const Stom__V1__ModifyOrder *in,
                  Stom__V1__OrderAck *out);
    int (*cancel)(void *adapter, stom_broker_call *c, const Stom__V1__CancelOrder *in,
                  Stom__V1__OrderAck *out);
    int (*quote)(void *adapter, stom_broker_call *c, const Stom__V1__QuoteRequest *in,
                 Stom__V1__QuoteReply *out);
    int (*bars)(void *adapter, stom_broker_call *c, const Stom__V1__BarsRequest *in,
                Stom__V1__BarsReply *out);
    int (*account)(void *adapter, stom_broker_call *c, const Stom__V1__AccountRequest *in,
                   Stom__V1__Account *out);
    int (*positions)(void *adapter, stom_broker_call *c, const Stom__V1__PositionsRequest *in,
                     Stom__V1__Positions *out);
    int (*open_orders)(void *adapter, stom_broker_call *c, const Stom__V1__OpenOrdersRequest *in,
                       Stom__V1__OpenOrders *out);
    int (*fills)(void *adapter, stom_broker_call *c, const Stom__V1__FillsRequest *in,
                 Stom__V1__Fills *out);
    int (*subscribe)(void *adapter, stom_broker_call *c, const Stom__V1__Subscribe *in,
                     Stom__V1__SubscribeReply *out);
    int (*unsubscribe)(void *adapter, stom_broker_call *c, const Stom__V1__Subscribe *in,
                       Stom__V1__SubscribeReply *out);
} stom_broker_handlers;

typedef struct stom_broker_server_options {
    const char *broker;     /* topic segment: "sim", "ls", "kiwoom" (required) */
    const char *sender;     /* envelope sender; NULL: "broker-<broker>" */
    const char *rep_spec;   /* request endpoint; a bare url listens (required) */
    const char *pub_spec;   /* publish endpoint; a bare url listens; NULL: no PUB */
    size_t max_msg;         /* largest request; 0: STOM_BUS_MSG_MAX_DEFAULT */
    size_t dedupe_capacity; /* 0: STOM_BROKER_DEDUPE_CAPACITY_DEFAULT */
    int64_t dedupe_ttl_ms;  /* 0: STOM_BROKER_DEDUPE_TTL_MS_DEFAULT */
    int reconnect_max_ms;   /* for dialing endpoints; 0: libs/bus's default */
    int pub_buffer_msgs;    /* PUB send buffer; 0: libs/bus's default */
} stom_broker_server_options;

typedef struct stom_broker_server_stats {
    uint64_t requests;  /* well-formed envelopes taken from the REP socket */
    uint64_t handled;   /* handler calls */
    uint64_t replayed;  /* repeats answered from the idempotency table */
    uint64_t refused;   /* answered with an error by the framework itself */
    uint64_t malformed; /* undecodable bytes (answered by libs/bus on rpc.error) */
    uint64_t published; /* messages queued for the PUB socket */
    uint64_t publish_failed;
    uint64_t dedupe_entries; /* entries now in the idempotency table */
    uint64_t subscribers;    /* peers connected to the PUB socket now (its nng pipes) */
} stom_broker_server_stats;

/*
 * Opens both sockets and sets *out (only on success). handlers is copied;
 * adapter is passed to every handler and never touched by the framework.
 * Returns 0, STOM_EINVAL (options; eb names the field) or STOM_EIO (a socket
 * could not be opened). Borrows opt and its strings (copied).
 */
int stom_broker_server_open(stom_broker_server **out, const stom_broker_server_options *opt,
                            const stom_broker_handlers *handlers, void *adapter, stom_errbuf *eb);

/* Closes both sockets and frees everything. Not while _run is running on
 * another thread: _stop it and join first. NULL: no-op. */
void stom_broker_server_close(stom_broker_server *s);

/*
 * Waits up to timeout_ms (negative: without limit) for one request and
 * answers it. Returns 0 when one was answered, STOM_ETIMEDOUT when none came.
 */
int stom_broker_server_serve_once(stom_broker_server *s, int timeout_ms);

/* Serves until stom_broker_server_stop; returns 0. */
int stom_broker_server_run(stom_broker_server *s);

/* Makes _run return within about 100 ms. Safe from any thread. */
void stom_broker_server_stop(stom_broker_server *s);

/* A copy of the counters. Safe from any thread. */
void stom_broker_server_get_stats(stom_broker_server *s, stom_broker_server_stats *out);

/*
 * Publishes body (a Trade, Quote, Snapshot or Bar) on md.<broker>.<symbol>,
 * or an OrderEvent on ord.<broker>.<account>. Each topic has its own sequence
 * numbers 1, 2, 3 ... (see docs/broker-protocol.md). Returns 0, STOM_EINVAL
 * (bad symbol/account, wrong body type), STOM_ESTATE (no PUB endpoint) or
 * STOM_ETOOBIG (65,536 messages wait to go out: dropped, and the sequence
 * shows the gap). Borrows everything. Safe from any thread.
 */
int stom_broker_publish_md(stom_broker_server *s, const char *symbol, ProtobufCMessage *body,
                           stom_errbuf *eb);
int stom_broker_publish_order(stom_broker_server *s, const char *account,
                              const Stom__V1__OrderEvent *ev, stom_errbuf *eb);

/* ---- inside a handler ---------------------------------------------------- */

/*
 * n zeroed bytes that live until the reply has been encoded. Aborts on OOM
 * (stom_xmalloc). Returns owned-by-the-call memory.
 */
void *stom_broker_call_alloc(stom_broker_call *c, size_t n);
/* A copy of s (NUL-terminated) with the call's lifetime. */
char *stom_broker_call_strdup(stom_broker_call *c, const char *s);

/*
 * Makes the reply an error: code (a STOM__V1__ERROR_CODE__*), whether the
 * same request may succeed later, the broker's own code (may be NULL) and a
 * message for people. Returns STOM_EINVAL, for `return
 * stom_broker_call_fail(...)`. A handler that returns non-zero without
 * calling it is answered INTERNAL.
 */
int stom_broker_call_fail(stom_broker_call *c, Stom__V1__ErrorCode code, bool retryable,
                          const char *detail_code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The request's envelope sender (the client's name). Borrowed for the call. */
const char *stom_broker_call_sender(const stom_broker_call *c);

#endif
