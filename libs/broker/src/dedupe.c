/*
 * dedupe.c - the idempotency table: the first reply to each place, modify
 * and cancel, keyed by (account, client_order_id).
 *
 * Entries live in a ring in insertion order, indexed by a map from key to
 * entry. The table is bounded twice: by capacity (when full, the oldest
 * entry is evicted to make room) and by age (an entry older than ttl_ns is
 * treated as absent and replaced). Eviction of a live entry is the only way
 * a repeat could run its handler twice, so capacity should exceed the orders
 * an adapter takes within the clients' retry window many times over (the
 * default, 65536, is a busy trading day).
 *
 * Each entry also keeps the request's kind and a hash of its packed body, so
 * that the same id reused for a different request is told apart from a
 * retry of the same one.
 *
 * Invariants: ring[(head + i) % capacity] for i < count are the live
 * entries, oldest first; the map holds exactly those keys.
 */
#include <stdlib.h>
#include <string.h>

#include "broker_internal.h"
#include "stom/alloc.h"

typedef struct dedupe_entry {
    char *key;
    size_t key_len;
    int kind;
    uint64_t req_hash;
    int64_t at_ns;
    uint8_t *reply;
    size_t reply_len;
} dedupe_entry;

struct stom__broker_dedupe {
    dedupe_entry *ring;
    size_t capacity;
    size_t head;
    size_t count;
    int64_t ttl_ns;
    stom__broker_map index;
};

stom__broker_dedupe *stom__broker_dedupe_create(size_t capacity, int64_t ttl_ns)
{
    stom__broker_dedupe *d = stom_xcalloc(1, sizeof *d);
    d->ring = stom_xcalloc(capacity, sizeof *d->ring);
    d->capacity = capacity;
    d->ttl_ns = ttl_ns;
    stom__broker_map_init(&d->index);
    return d;
}

static void entry_clear(dedupe_entry *e)
{
    free(e->key);
    free(e->reply);
    memset(e, 0, sizeof *e);
}

void stom__broker_dedupe_destroy(stom__broker_dedupe *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->capacity; i++)
        entry_clear(&d->ring[i]);
    stom__broker_map_free(&d->index, NULL);
    free(d->ring);
    free(d);
}

/* Drops the oldest entry. */
static void evict_oldest(stom__broker_dedupe *d)
{
    dedupe_entry *e = &d->ring[d->head];
    stom__broker_map_remove(&d->index, e->key, e->key_len);
    entry_clear(e);
    d->head = (d->head + 1) % d->capacity;
    d->count--;
}

/* Drops entries older than the ttl; they are the oldest, so from the head. */
static void expire(stom__broker_dedupe *d, int64_t now_ns)
{
    while (d->count > 0 && now_ns - d->ring[d->head].at_ns > d->ttl_ns)
        evict_oldest(d);
}

stom__broker_dedupe_result stom__broker_dedupe_get(stom__broker_dedupe *d, const char *key,
                                                   size_t key_len, int kind, uint64_t req_hash,
                                                   int64_t now_ns, const uint8_t **reply,
                                                   size_t *reply_len)
{
    expire(d, now_ns);
    dedupe_entry *e = stom__broker_map_get(&d->index, key, key_len);
    if (e == NULL)
        return STOM__BROKER_DEDUPE_NEW;
    if (e->kind != kind || e->req_hash != req_hash)
        return STOM__BROKER_DEDUPE_CONFLICT;
    *reply = e->reply;
    *reply_len = e->reply_len;
    return STOM__BROKER_DEDUPE_REPLAY;
}

void stom__broker_dedupe_put(stom__broker_dedupe *d, const char *key, size_t key_len, int kind,
                             uint64_t req_hash, int64_t now_ns, const uint8_t *reply,
                             size_t reply_len)
{
    expire(d, now_ns);
    if (stom__broker_map_get(&d->index, key, key_len) != NULL)
        return; /* the first answer stays */
    if (d->count == d->capacity)
        evict_oldest(d);
    dedupe_entry *e = &d->ring[(d->head + d->count) % d->capacity];
    e->key = stom_xstrndup(key, key_len);
    e->key_len = key_len;
    e->kind = kind;
    e->req_hash = req_hash;
    e->at_ns = now_ns;
    e->reply = stom_xmalloc(reply_len > 0 ? reply_len : 1);
    memcpy(e->reply, reply, reply_len);
    e->reply_len = reply_len;
    d->count++;
    stom__broker_map_put(&d->index, key, key_len, e);
}

size_t stom__broker_dedupe_count(const stom__broker_dedupe *d)
{
    return d->count;
}
