/*
 * map.c - a chained hash map from byte strings to pointers, and the hash and
 * clock the rest of libs/broker uses.
 *
 * The map holds the server's per-topic senders, the feed's per-topic
 * sequence trackers and the idempotency table's index. It doubles its
 * buckets when it holds more entries than buckets, so lookups stay O(1).
 *
 * Invariants: n_buckets is a power of two; every node's key is its own copy.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker_internal.h"
#include "stom/alloc.h"

struct stom__broker_map_node {
    stom__broker_map_node *next;
    uint64_t hash;
    void *value;
    size_t len;
    unsigned char key[];
};

uint64_t stom__broker_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int64_t stom__broker_now_ns(void)
{
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void stom__broker_map_init(stom__broker_map *m)
{
    m->n_buckets = 16;
    m->buckets = stom_xcalloc(m->n_buckets, sizeof *m->buckets);
    m->count = 0;
}

void stom__broker_map_free(stom__broker_map *m, void (*free_value)(void *))
{
    for (size_t i = 0; m->buckets != NULL && i < m->n_buckets; i++) {
        stom__broker_map_node *n = m->buckets[i];
        while (n != NULL) {
            stom__broker_map_node *next = n->next;
            if (free_value != NULL)
                free_value(n->value);
            free(n);
            n = next;
        }
    }
    free(m->buckets);
    m->buckets = NULL;
    m->count = 0;
}

static stom__broker_map_node **map_slot(const stom__broker_map *m, const void *key, size_t len,
                                        uint64_t h)
{
    stom__broker_map_node **at = &m->buckets[h & (m->n_buckets - 1)];
    while (*at != NULL &&
           !((*at)->hash == h && (*at)->len == len && memcmp((*at)->key, key, len) == 0))
        at = &(*at)->next;
    return at;
}

void *stom__broker_map_get(const stom__broker_map *m, const void *key, size_t len)
{
    stom__broker_map_node *n = *map_slot(m, key, len, stom__broker_hash(key, len));
    return n != NULL ? n->value : NULL;
}

/* Doubles the buckets and rehashes every node into them. */
static void map_grow(stom__broker_map *m)
{
    size_t n_new = m->n_buckets * 2;
    stom__broker_map_node **nb = stom_xcalloc(n_new, sizeof *nb);
    for (size_t i = 0; i < m->n_buckets; i++) {
        stom__broker_map_node *n = m->buckets[i];
        while (n != NULL) {
            stom__broker_map_node *next = n->next;
            n->next = nb[n->hash & (n_new - 1)];
            nb[n->hash & (n_new - 1)] = n;
            n = next;
        }
    }
    free(m->buckets);
    m->buckets = nb;
    m->n_buckets = n_new;
}

void stom__broker_map_put(stom__broker_map *m, const void *key, size_t len, void *value)
{
    uint64_t h = stom__broker_hash(key, len);
    stom__broker_map_node **at = map_slot(m, key, len, h);
    if (*at != NULL) {
        (*at)->value = value;
        return;
    }
    stom__broker_map_node *n = stom_xmalloc(sizeof *n + len);
    n->next = NULL;
    n->hash = h;
    n->value = value;
    n->len = len;
    memcpy(n->key, key, len);
    *at = n;
    if (++m->count > m->n_buckets)
        map_grow(m);
}

void *stom__broker_map_remove(stom__broker_map *m, const void *key, size_t len)
{
    stom__broker_map_node **at = map_slot(m, key, len, stom__broker_hash(key, len));
    stom__broker_map_node *n = *at;
    if (n == NULL)
        return NULL;
    *at = n->next;
    void *value = n->value;
    free(n);
    m->count--;
    return value;
}
