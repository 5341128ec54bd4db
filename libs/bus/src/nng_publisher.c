/*
 * nng_publisher.c - a PUB socket's sends on a thread of their own
 * (stom_bus_publisher_*, stom/bus_nng.h).
 *
 * _send encodes on the caller's thread (so the envelope may borrow from the
 * caller) and queues the nng message; the publisher's thread hands queued
 * messages to nng in the order they were queued. A full queue drops the
 * message and counts it, as a PUB socket drops for a slow subscriber: the
 * envelope's sequence number shows the gap to every subscriber.
 */
#include <pthread.h>
#include <stdlib.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "nng_internal.h"
#include "stom/alloc.h"

typedef struct queued {
    nng_msg *m;
    struct queued *next;
} queued;

struct stom_bus_publisher {
    nng_socket sock;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    queued *head, *tail; /* under mu */
    size_t n, max;
    bool closing;
    uint64_t sent, dropped, failed; /* under mu */
};

static void *publisher_main(void *arg)
{
    stom_bus_publisher *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->closing)
            pthread_cond_wait(&p->cv, &p->mu);
        queued *q = p->head;
        if (!q)
            break; /* closing, and everything queued is out */
        p->head = q->next;
        if (!p->head)
            p->tail = NULL;
        p->n--;
        pthread_mutex_unlock(&p->mu);
        int rv = nng_sendmsg(p->sock, q->m, 0);
        if (rv != 0)
            nng_msg_free(q->m); /* nng takes the message only on success */
        free(q);
        pthread_mutex_lock(&p->mu);
        if (rv == 0)
            p->sent++;
        else
            p->failed++;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int stom_bus_publisher_open(stom_bus_publisher **out, nng_socket pub, size_t max_queued,
                            stom_errbuf *eb)
{
    stom_bus_publisher *p = stom_xcalloc(1, sizeof *p);
    p->sock = pub;
    p->max = max_queued ? max_queued : 65536;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, publisher_main, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return stom_errorf(eb, STOM_EIO, "cannot start the publishing thread");
    }
    *out = p;
    return STOM_OK;
}

int stom_bus_publisher_send(stom_bus_publisher *p, const char *topic, const Stom__V1__Envelope *env,
                            stom_errbuf *eb)
{
    nng_msg *m = NULL;
    int rc = stom__bus_nng_encode(topic, env, &m, eb);
    if (rc != STOM_OK)
        return rc;
    queued *q = stom_xmalloc(sizeof *q);
    q->m = m;
    q->next = NULL;
    pthread_mutex_lock(&p->mu);
    bool full = p->n >= p->max;
    if (full) {
        p->dropped++;
    } else {
        if (p->tail)
            p->tail->next = q;
        else
            p->head = q;
        p->tail = q;
        p->n++;
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    if (full) {
        nng_msg_free(m);
        free(q);
        return stom_errorf(eb, STOM_ETOOBIG, "%s: %zu messages are waiting to be published", topic,
                           p->max);
    }
    return STOM_OK;
}

void stom_bus_publisher_counts(stom_bus_publisher *p, uint64_t *sent, uint64_t *dropped,
                               uint64_t *failed)
{
    pthread_mutex_lock(&p->mu);
    *sent = p->sent;
    *dropped = p->dropped;
    *failed = p->failed;
    pthread_mutex_unlock(&p->mu);
}

void stom_bus_publisher_close(stom_bus_publisher *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
