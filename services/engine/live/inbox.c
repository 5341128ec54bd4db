/*
 * inbox.c - the engine's queue of work from its receiving threads (inbox.h).
 */
#include "inbox.h"

#include <stdlib.h>
#include <time.h>

void eng_inbox_init(eng_inbox *q)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cv, &a);
    pthread_condattr_destroy(&a);
    q->head = q->tail = NULL;
    q->n = 0;
}

void eng_inbox_destroy(eng_inbox *q)
{
    for (eng_item *it = q->head, *next; it; it = next) {
        next = it->next;
        eng_inbox_item_free(it);
    }
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

void eng_inbox_push(eng_inbox *q, eng_item *item)
{
    item->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail)
        q->tail->next = item;
    else
        q->head = item;
    q->tail = item;
    q->n++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

eng_item *eng_inbox_pop(eng_inbox *q, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->mu);
    while (!q->head && timeout_ms > 0)
        if (pthread_cond_timedwait(&q->cv, &q->mu, &until) != 0)
            break;
    eng_item *it = q->head;
    if (it) {
        q->head = it->next;
        if (!q->head)
            q->tail = NULL;
        q->n--;
    }
    pthread_mutex_unlock(&q->mu);
    return it;
}

void eng_inbox_item_free(eng_item *item)
{
    if (!item)
        return;
    if (item->kind == ENG_ITEM_FEED)
        stom_broker_event_free(&item->feed);
    free(item);
}
