/*
 * stom/store_redis.h - the small part of Redis stom needs: connect from a
 * URL, PING, and string keys with a time to live. Redis only holds what may
 * be lost (progress snapshots, rate-limit buckets, token state).
 *
 * URLs are "redis://host:port" (no TLS, no password: hiredis 0.14 has
 * neither TLS nor options connect). NULL means STOM_REDIS_URL from the
 * environment, else STOM_REDIS_URL_DEFAULT. After an I/O error the context
 * is dead until reconnected: every call here reconnects once before giving
 * up.
 *
 * Thread-safety: one stom_redis per thread.
 */
#ifndef STOM_STORE_REDIS_H
#define STOM_STORE_REDIS_H

#include <stddef.h>

#include "stom/error.h"

#define STOM_REDIS_URL_DEFAULT "redis://127.0.0.1:63790"

typedef struct stom_redis stom_redis;

/* Connects (timeout 2 s, also for every command) and sets *out. Returns 0 or
 * STOM_EINVAL (bad URL) / STOM_EIO (unreachable, eb says where). Borrows url. */
int stom_redis_connect(stom_redis **out, const char *url, stom_errbuf *eb);
/* Closes the connection. NULL is a no-op. */
void stom_redis_close(stom_redis *r);
/* PING. 0 or STOM_EIO. */
int stom_redis_ping(stom_redis *r, stom_errbuf *eb);
/* SET key value [EX ttl_s] (ttl_s 0: no expiry). Binary-safe value (borrowed).
 * 0, STOM_EINVAL (negative ttl_s) or STOM_EIO. */
int stom_redis_set(stom_redis *r, const char *key, const void *value, size_t len, int ttl_s,
                   stom_errbuf *eb);
/* GET key into a new buffer *out (owned, free(), NUL-terminated) of *len bytes.
 * Returns 0, STOM_ENOTFOUND when the key is absent, or STOM_EIO. */
int stom_redis_get(stom_redis *r, const char *key, char **out, size_t *len, stom_errbuf *eb);
/* DEL key (absent is fine). 0 or STOM_EIO. */
int stom_redis_del(stom_redis *r, const char *key, stom_errbuf *eb);
/* TTL key: *ttl_s gets the seconds left, 0 when the key never expires.
 * Returns 0, STOM_ENOTFOUND when the key is absent, or STOM_EIO. */
int stom_redis_ttl(stom_redis *r, const char *key, int *ttl_s, stom_errbuf *eb);
/*
 * INCR key, and EXPIRE key ttl_s when this call created it, atomically (one
 * Lua script, so a counter never outlives its window for lack of a TTL).
 * *count gets the value after the increment. For counters that may be
 * approximate (rate limits): after an I/O failure the command is sent once
 * more, which can count one hit twice. 0, STOM_EINVAL (ttl_s <= 0) or STOM_EIO.
 */
int stom_redis_incr_expire(stom_redis *r, const char *key, int ttl_s, long long *count,
                           stom_errbuf *eb);
/* As stom_redis_incr_expire, adding by (> 0) instead of 1. */
int stom_redis_incrby_expire(stom_redis *r, const char *key, int by, int ttl_s, long long *count,
                             stom_errbuf *eb);

#endif
