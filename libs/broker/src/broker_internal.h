/*
 * broker_internal.h - what the files of libs/broker share: a small string
 * map, the idempotency table and the clock.
 *
 * Thread-safety: a stom__broker_map and a stom__broker_dedupe belong to
 * whoever holds them (the serve thread, or the holder of the publish mutex).
 */
#ifndef STOM_BROKER_INTERNAL_H
#define STOM_BROKER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- a map from byte strings to pointers ---------------------------------- */

typedef struct stom__broker_map_node stom__broker_map_node;

typedef struct stom__broker_map {
    stom__broker_map_node **buckets;
    size_t n_buckets; /* a power of two */
    size_t count;
} stom__broker_map;

void stom__broker_map_init(stom__broker_map *m);
/* Frees the nodes and keys; calls free_value on each value when not NULL. */
void stom__broker_map_free(stom__broker_map *m, void (*free_value)(void *));
/* The value stored under key (len bytes), or NULL. */
void *stom__broker_map_get(const stom__broker_map *m, const void *key, size_t len);
/* Stores value under key (copied), replacing an earlier value. */
void stom__broker_map_put(stom__broker_map *m, const void *key, size_t len, void *value);
/* Removes key; returns its value or NULL. */
void *stom__broker_map_remove(stom__broker_map *m, const void *key, size_t len);

/* ---- the idempotency table ------------------------------------------------ */

typedef struct stom__broker_dedupe stom__broker_dedupe;

typedef enum stom__broker_dedupe_result {
    STOM__BROKER_DEDUPE_NEW = 0, /* not seen (or expired): run the handler */
    STOM__BROKER_DEDUPE_REPLAY,  /* seen with the same request: *reply is the first answer */
    STOM__BROKER_DEDUPE_CONFLICT /* seen with another request under the same key */
} stom__broker_dedupe_result;

stom__broker_dedupe *stom__broker_dedupe_create(size_t capacity, int64_t ttl_ns);
void stom__broker_dedupe_destroy(stom__broker_dedupe *d);
/* Looks key up at now_ns. For REPLAY, *reply and *reply_len borrow the stored
 * packed BrokerReply (valid until the next _put). */
stom__broker_dedupe_result stom__broker_dedupe_get(stom__broker_dedupe *d, const char *key,
                                                   size_t key_len, int kind, uint64_t req_hash,
                                                   int64_t now_ns, const uint8_t **reply,
                                                   size_t *reply_len);
/* Remembers reply (copied) for key, evicting the oldest entry when full. */
void stom__broker_dedupe_put(stom__broker_dedupe *d, const char *key, size_t key_len, int kind,
                             uint64_t req_hash, int64_t now_ns, const uint8_t *reply,
                             size_t reply_len);
size_t stom__broker_dedupe_count(const stom__broker_dedupe *d);

/* FNV-1a, 64 bits. */
uint64_t stom__broker_hash(const void *data, size_t len);

/* UTC now in nanoseconds (C11 timespec_get). */
int64_t stom__broker_now_ns(void);

#endif
