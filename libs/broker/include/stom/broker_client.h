/*
 * stom/broker_client.h - the engine's side of the broker protocol
 * (docs/broker-protocol.md): requests to an adapter with timeout and retry,
 * and feeds of its market data and order events with gap counting.
 *
 * Retrying is safe because every request is idempotent: reads and
 * subscriptions change nothing twice, and place/modify/cancel carry a
 * client_order_id that the adapter remembers (stom/broker.h), so a retried
 * place returns the first order's ack instead of a second order. That is also
 * why nng's REQ resend (a REQ socket sends the same request again when no
 * reply came within NNG_OPT_REQ_RESENDTIME) is harmless here, and why
 * resend_ms may be turned on: the copy reaches the adapter with the same
 * client_order_id. A retry after a timeout re-sends the same envelope bytes
 * (same request_id, same ids); only a reply's absence, never its content,
 * causes a retry.
 *
 * Thread-safety: a stom_broker_client may be shared by threads (each call
 * uses an nng context of its own; the request counter is locked). A
 * stom_broker_feed belongs to one thread, the one calling _recv.
 */
#ifndef STOM_BROKER_CLIENT_H
#define STOM_BROKER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/bus_nng.h"
#include "stom/error.h"

typedef struct stom_broker_client stom_broker_client;

#define STOM_BROKER_TIMEOUT_MS_DEFAULT 5000
#define STOM_BROKER_ATTEMPTS_DEFAULT   3

typedef struct stom_broker_client_options {
    const char *sender;   /* envelope sender, e.g. "engine" (required) */
    const char *service;  /* the adapter's sender name, for the topic rpc.<service>
                             ("broker-sim"; required) */
    const char *req_spec; /* a bare url dials; "listen:" for adapters that dial in */
    int timeout_ms;       /* per attempt; 0: STOM_BROKER_TIMEOUT_MS_DEFAULT */
    int attempts;         /* 1 = no retry; 0: STOM_BROKER_ATTEMPTS_DEFAULT */
    int resend_ms;        /* nng REQ resend inside one attempt; 0: off */
    int reconnect_max_ms; /* 0: libs/bus's default */
} stom_broker_client_options;

/* Opens the REQ socket and sets *out (only on success). Returns 0,
 * STOM_EINVAL or STOM_EIO. Borrows opt (strings copied). */
int stom_broker_client_open(stom_broker_client **out, const stom_broker_client_options *opt,
                            stom_errbuf *eb);
/* Closes the socket; no call may be running. NULL: no-op. */
void stom_broker_client_close(stom_broker_client *c);

/* A reply: reply points into rx and is owned with it. */
typedef struct stom_broker_reply {
    const Stom__V1__BrokerReply *reply;
    int attempts; /* how many sends it took */
    stom_bus_received rx;
} stom_broker_reply;

/*
 * Sends req (its request_id is set from the client's counter when unset) and
 * waits for the reply, retrying on a timeout or a dropped connection up to
 * attempts times with the same bytes. Returns 0 with *out filled (release
 * with stom_broker_reply_free) when a BrokerReply for this request_id came:
 * check out->reply->error, which says the adapter refused the request.
 * Otherwise *out is zeroed and the return is STOM_ETIMEDOUT (every attempt
 * timed out), STOM_EIO, STOM_EFORMAT (the adapter could not read the request
 * and answered with an Error envelope, or the answer was not a BrokerReply
 * for this request; eb quotes it) or an encode error. Borrows req; may write
 * req->request_id.
 */
int stom_broker_client_call(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                            stom_broker_reply *out, stom_errbuf *eb);
/* NULL or zeroed: no-op. */
void stom_broker_reply_free(stom_broker_reply *r);

/*
 * The same request without waiting, for a thread that must go on (the
 * engine's order path: the places of one burst travel together). _start
 * sends req and returns at once; notify(arg) then runs on one of nng's
 * threads when the outcome is in and must not block. _finish (from any
 * thread, after notify) fills *out exactly as stom_broker_client_call
 * would and frees the call; _abandon frees one whose answer is no longer
 * wanted (NULL: no-op). It is one attempt whose deadline is the client's
 * timeout times its attempts; nng still resends it on another connection
 * when the one it went out on drops. Borrows req (may write
 * req->request_id) only during _start.
 */
typedef struct stom_broker_inflight stom_broker_inflight;
int stom_broker_client_start(stom_broker_client *c, Stom__V1__BrokerRequest *req,
                             void (*notify)(void *arg), void *arg, stom_broker_inflight **out,
                             stom_errbuf *eb);
int stom_broker_client_finish(stom_broker_inflight *f, stom_broker_reply *out, stom_errbuf *eb);
void stom_broker_client_abandon(stom_broker_inflight *f);

/* The REQ socket, for tests and for callers that want raw requests. Borrowed. */
nng_socket stom_broker_client_socket(const stom_broker_client *c);

/* ---- feeds ---------------------------------------------------------------- */

typedef struct stom_broker_feed stom_broker_feed;

typedef struct stom_broker_feed_stats {
    uint64_t received;   /* messages returned by _recv */
    uint64_t gaps;       /* GAP events */
    uint64_t missing;    /* messages lost in gaps, summed */
    uint64_t duplicates; /* dropped as already seen */
    uint64_t restarts;   /* a topic's sender started again from 1 */
    uint64_t undecodable;
} stom_broker_feed_stats;

/*
 * Opens a SUB socket on spec (a bare url dials; "listen:" when adapters dial
 * in) for the adapter whose topic segment is broker ("sim") and sets *out.
 * Nothing is subscribed yet. Returns 0, STOM_EINVAL or STOM_EIO. Borrows
 * its arguments.
 */
int stom_broker_feed_open(stom_broker_feed **out, const char *broker, const char *spec,
                          stom_errbuf *eb);
void stom_broker_feed_close(stom_broker_feed *f);

/* Subscribes to md.<broker>.<symbol> exactly, or to every md.<broker>.
 * topic when symbol is NULL. 0, STOM_EINVAL or STOM_EIO. */
int stom_broker_feed_subscribe_md(stom_broker_feed *f, const char *symbol, stom_errbuf *eb);
/* Subscribes to ord.<broker>.<account> exactly (NULL: every account). */
int stom_broker_feed_subscribe_orders(stom_broker_feed *f, const char *account, stom_errbuf *eb);

/* One received message and how its sequence number relates to its topic's. */
typedef struct stom_broker_event {
    stom_bus_received rx;       /* owned: release with stom_broker_event_free */
    stom_bus_seq_status status; /* OK, GAP or RESTART (duplicates are dropped) */
    uint64_t gap;               /* messages lost just before this one */
} stom_broker_event;

/*
 * Waits up to timeout_ms (> 0) for the next message on a subscribed topic,
 * tracks its sequence per (sender, topic), drops duplicates, and fills *out.
 * Returns 0, STOM_ETIMEDOUT or STOM_EIO; undecodable messages are counted
 * and skipped.
 */
int stom_broker_feed_recv(stom_broker_feed *f, int timeout_ms, stom_broker_event *out,
                          stom_errbuf *eb);
void stom_broker_event_free(stom_broker_event *e);
void stom_broker_feed_get_stats(const stom_broker_feed *f, stom_broker_feed_stats *out);

#endif
