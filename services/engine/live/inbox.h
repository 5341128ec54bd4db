/*
 * inbox.h - what reaches the engine's thread: market data and order events
 * from the broker feed, requests on rpc.engine, and the news that a broker
 * request sent without waiting has its answer. Two receiving threads and nng's
 * callbacks push, the engine's thread pops in arrival order, so the engine itself
 * never shares state with another thread.
 *
 * Order events and requests go ahead of market data: a fill the broker made
 * at a trade already queued behind others (a late order at a replaying
 * broker, or a burst of ticks) reaches the engine, and its strategy's
 * position, before the bars that follow it.
 *
 * Ownership: a pushed item's payload belongs to the inbox until popped,
 * then to the popper (eng_inbox_item_free releases it). Items left at
 * close are released there.
 * Thread-safety: push and pop from any threads (one mutex).
 */
#ifndef STOM_ENG_INBOX_H
#define STOM_ENG_INBOX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "stom/broker_client.h"
#include "stom/bus_nng.h"

typedef enum eng_item_kind {
    ENG_ITEM_FEED = 1, /* a broker feed message (market data or an order event) */
    ENG_ITEM_REQUEST,  /* a request on rpc.engine, to be answered or dropped */
    ENG_ITEM_REPLY     /* the broker's answer to a request sent without waiting is in */
} eng_item_kind;

typedef struct eng_item {
    eng_item_kind kind;
    stom_broker_event feed;    /* FEED: owned */
    stom_bus_pending *request; /* REQUEST: owned by the server until answered */
    void *ticket;              /* REPLY: the engine's record of the request (borrowed) */
    struct eng_item *next;
} eng_item;

typedef struct eng_inbox {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    eng_item *head[2], *tail[2]; /* [0] ahead: order events and requests; [1] market data */
    size_t n;
} eng_inbox;

void eng_inbox_init(eng_inbox *q);
/* Releases what is still queued (requests are dropped by the server's close). */
void eng_inbox_destroy(eng_inbox *q);
/* Takes item (heap-allocated by the caller with malloc) and wakes the popper; ahead puts it
 * in the lane that is served first. */
void eng_inbox_push(eng_inbox *q, eng_item *item, bool ahead);
/* The oldest item of the first lane that has one, waiting up to timeout_ms (0: do not wait); NULL
 * when none came. */
eng_item *eng_inbox_pop(eng_inbox *q, int timeout_ms);
/* Frees a popped feed item (a request must have been answered or dropped). */
void eng_inbox_item_free(eng_item *item);

#endif
