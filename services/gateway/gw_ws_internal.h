/*
 * gw_ws_internal.h - the WebSocket hub's shared internals: the hub, one
 * connected client, and the functions gw_ws.c (hub, inbox, fan-out) and
 * gw_ws_session.c (one client's protocol) call in each other.
 *
 * Invariants: a client is in hub->clients from ESTABLISHED to CLOSED; every
 * topic in client->topics holds one subscription on its registry entry;
 * hub->stats.queued is the sum of the clients' queue lengths; a closing
 * client gets no new events and is closed once its queue is written (a
 * "too slow" client's queue is dropped first).
 *
 * Thread-safety: hub->lock guards the inbox and hub->context (the only
 * things other threads touch) and nothing else; clients, topics and
 * messages belong to the lws service thread; stats are atomics.
 */
#ifndef STOM_GW_WS_INTERNAL_H
#define STOM_GW_WS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "gw_ws.h"
#include "gw_ws_check.h"
#include "gw_ws_queue.h"
#include "gw_ws_sub.h"
#include "gw_ws_topic.h"

#define GW_WS_INBOX_MAX      65536 /* events and answers waiting for the service thread */
#define GW_WS_AUTH_TIMEOUT_S 10    /* to send {"type":"auth"} after connecting */
#define GW_WS_CLOSE_GRACE_S  5     /* for a closing client to take its close frame */
#define GW_WS_AFTER_AUTH_MAX 1024  /* topics a shortcut path subscribes, comma-separated */

typedef struct gw_ws_client {
    struct gw_ws_client *prev, *next; /* hub->clients */
    struct lws *wsi;
    uint64_t id; /* unique in the hub: answers from the checker find their client by it */
    bool authed;
    bool closing;
    enum lws_close_status close_status;
    char close_reason[32];
    gw_user user;
    char after_auth[GW_WS_AFTER_AUTH_MAX]; /* topics to subscribe once authenticated */
    gw_ws_topic *topics[GW_WS_TOPICS_MAX];
    size_t n_topics;
    size_t checks; /* ownership checks in flight */
    gw_ws_queue q;
    char *rx; /* a fragmented message being received (GW_WS_MSG_MAX bytes), or NULL */
    size_t rx_len;
    bool rx_active, rx_over, rx_binary;
} gw_ws_client;

typedef struct gw_ws_counters {
    atomic_uint_fast64_t clients, messages_in, messages_out, dropped_conflated, disconnected_slow,
        queued, dropped_overload;
} gw_ws_counters;

typedef struct gw_ws_item gw_ws_item; /* an inbox entry (gw_ws.c) */

struct gw_ws_hub {
    const gw_config *cfg;
    pthread_mutex_t lock;
    struct lws_context *context; /* under lock: NULL before attach and after destroy */
    gw_ws_item *in_head, *in_tail;
    size_t in_count;
    gw_ws_client *clients;
    uint64_t next_id;
    gw_ws_topics topics;
    gw_ws_check *check; /* NULL without a database */
    gw_ws_sub *sub;     /* NULL without event sockets */
    gw_ws_counters stats;
};

/* ---- gw_ws.c, for sessions and the bus reader ------------------------- */

/* gw_ws_publish for the sessions that may see owner's events (gw_ws_owner.h). Any thread. */
void gw__ws_publish_scoped(gw_ws_hub *hub, const char *topic, const json_t *data, int64_t owner);

/* Queues m (borrowed) for c; a full queue makes c "too slow". */
void gw__ws_enqueue(gw_ws_hub *hub, gw_ws_client *c, gw_ws_msg *m);
/* Starts closing c with status and reason once its queue is written. */
void gw__ws_close_after_flush(gw_ws_client *c, enum lws_close_status status, const char *reason);

/* ---- gw_ws_session.c, for the hub's callback -------------------------- */

/* LWS_CALLBACK_ESTABLISHED: registers c, reads the path and a ?token=. */
void gw__ws_session_open(gw_ws_hub *hub, gw_ws_client *c, struct lws *wsi);
/* LWS_CALLBACK_RECEIVE: one piece of a client message. */
void gw__ws_session_receive(gw_ws_hub *hub, gw_ws_client *c, const void *in, size_t len);
/* LWS_CALLBACK_SERVER_WRITEABLE: writes one message or closes. -1 closes the connection. */
int gw__ws_session_writeable(gw_ws_hub *hub, gw_ws_client *c);
/* LWS_CALLBACK_CLOSED: unregisters c and releases what it holds. */
void gw__ws_session_closed(gw_ws_hub *hub, gw_ws_client *c);
/* A check's answer for c (found by id by the hub): a topic's owner, or (topic "") c's account
 * with its current role. */
void gw__ws_session_checked(gw_ws_hub *hub, gw_ws_client *c, const char *topic, gw_ws_verdict v,
                            gw_role role);
/* Whether the path (NUL-terminated, without query) is one of the hub's. */
bool gw__ws_path_ok(const char *path);

#endif
