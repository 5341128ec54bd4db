/*
 * gw_ws_queue.h - the WebSocket hub's outgoing messages and the bounded
 * per-client queue they wait in (internal to the hub).
 *
 * A gw_ws_msg is one text frame's payload with LWS_PRE bytes of headroom in
 * front (lws_write writes its frame header there). One event is built once
 * and shared by every subscriber's queue: it is reference counted, and the
 * count is touched only on the lws service thread.
 *
 * A queue holds at most GW_WS_QUEUE messages in order. A message with a
 * conflation key (market topics: the key is the topic) replaces a queued
 * message with the same key instead of taking a new slot, so a client that
 * falls behind on market data sees the latest value per topic, in the place
 * of the older one. Every other message takes a slot; a full queue refuses
 * it and the hub disconnects the client ("too slow").
 *
 * Thread-safety: none; messages and queues belong to the lws service thread.
 */
#ifndef STOM_GW_WS_QUEUE_H
#define STOM_GW_WS_QUEUE_H

#include <stddef.h>

#include "gw_ws.h"

typedef struct gw_ws_msg {
    int refs;
    const void *key; /* conflation key, NULL: never conflated */
    size_t len;      /* payload bytes, after LWS_PRE bytes of headroom */
    unsigned char buf[];
} gw_ws_msg;

/* A new message holding a copy of text (len bytes), one reference (returned owned). */
gw_ws_msg *gw__ws_msg_new(const char *text, size_t len, const void *key);
/* Adds a reference; returns m. */
gw_ws_msg *gw__ws_msg_ref(gw_ws_msg *m);
/* Drops a reference, freeing m at the last one. NULL: no-op. */
void gw__ws_msg_unref(gw_ws_msg *m);
/* The payload (buf + LWS_PRE). */
unsigned char *gw__ws_msg_payload(gw_ws_msg *m);

typedef struct gw_ws_queue {
    gw_ws_msg *items[GW_WS_QUEUE];
    size_t head, count;
} gw_ws_queue;

typedef enum gw_ws_push {
    GW_WS_PUSH_QUEUED = 0, /* took a new slot */
    GW_WS_PUSH_CONFLATED,  /* replaced a queued message with the same key */
    GW_WS_PUSH_FULL        /* refused: no slot and nothing to conflate with */
} gw_ws_push;

/* Queues m; on QUEUED and CONFLATED the queue keeps a new reference of m (borrows the caller's). */
gw_ws_push gw__ws_queue_push(gw_ws_queue *q, gw_ws_msg *m);
/* The oldest message (returned owned: unref it), or NULL when empty. */
gw_ws_msg *gw__ws_queue_pop(gw_ws_queue *q);
/* Drops every queued message. */
void gw__ws_queue_clear(gw_ws_queue *q);

#endif
