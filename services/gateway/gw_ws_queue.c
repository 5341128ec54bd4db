/*
 * gw_ws_queue.c - shared outgoing messages and the bounded per-client
 * queue with market conflation (see gw_ws_queue.h).
 */
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "gw_ws_queue.h"
#include "stom/alloc.h"

gw_ws_msg *gw__ws_msg_new(const char *text, size_t len, const void *key)
{
    gw_ws_msg *m = stom_xmalloc(sizeof *m + LWS_PRE + len);
    m->refs = 1;
    m->key = key;
    m->len = len;
    memcpy(m->buf + LWS_PRE, text, len);
    return m;
}

gw_ws_msg *gw__ws_msg_ref(gw_ws_msg *m)
{
    m->refs++;
    return m;
}

void gw__ws_msg_unref(gw_ws_msg *m)
{
    if (m && --m->refs == 0)
        free(m);
}

unsigned char *gw__ws_msg_payload(gw_ws_msg *m)
{
    return m->buf + LWS_PRE;
}

gw_ws_push gw__ws_queue_push(gw_ws_queue *q, gw_ws_msg *m)
{
    if (m->key) {
        /* At most one queued message per key exists, so the first hit is the only one. */
        for (size_t i = 0; i < q->count; i++) {
            size_t at = (q->head + i) % GW_WS_QUEUE;
            if (q->items[at]->key == m->key) {
                gw__ws_msg_unref(q->items[at]);
                q->items[at] = gw__ws_msg_ref(m);
                return GW_WS_PUSH_CONFLATED;
            }
        }
    }
    if (q->count == GW_WS_QUEUE)
        return GW_WS_PUSH_FULL;
    q->items[(q->head + q->count) % GW_WS_QUEUE] = gw__ws_msg_ref(m);
    q->count++;
    return GW_WS_PUSH_QUEUED;
}

gw_ws_msg *gw__ws_queue_pop(gw_ws_queue *q)
{
    if (!q->count)
        return NULL;
    gw_ws_msg *m = q->items[q->head];
    q->items[q->head] = NULL;
    q->head = (q->head + 1) % GW_WS_QUEUE;
    q->count--;
    return m;
}

void gw__ws_queue_clear(gw_ws_queue *q)
{
    gw_ws_msg *m;
    while ((m = gw__ws_queue_pop(q)))
        gw__ws_msg_unref(m);
    q->head = 0;
}
