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
    q->head[0] = q->head[1] = q->tail[0] = q->tail[1] = NULL;
    q->n = 0;
}

void eng_inbox_destroy(eng_inbox *q)
{
    for (int l = 0; l < 2; l++)
        for (eng_item *it = q->head[l], *next; it; it = next) {
            next = it->next;
            eng_inbox_item_free(it);
        }
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

void eng_inbox_push(eng_inbox *q, eng_item *item, bool ahead)
{
    int l = ahead ? 0 : 1;
    item->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail[l])
        q->tail[l]->next = item;
    else
        q->head[l] = item;
    q->tail[l] = item;
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
    while (!q->n && timeout_ms > 0)
        if (pthread_cond_timedwait(&q->cv, &q->mu, &until) != 0)
            break;
    int l = q->head[0] ? 0 : 1;
    eng_item *it = q->head[l];
    if (it) {
        q->head[l] = it->next;
        if (!q->head[l])
            q->tail[l] = NULL;
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
