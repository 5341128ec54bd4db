/*
 * gw_ratelimit.c - fixed one-minute windows counted in Redis.
 *
 * Key "stom:rl:<bucket>:<minute since the epoch>", incremented atomically
 * with a time to live of one window on creation (stom_redis_incr_expire).
 * A fixed window lets a client make up to twice the limit across a window
 * boundary; that is accepted for its simplicity.
 *
 * Leases: a generous limit is not counted one request at a time. The
 * process reserves LEASE(per_min) hits of a bucket's window with one INCRBY
 * and spends them locally, so Redis sees one command per lease. Limits up
 * to LEASE_EXACT a minute (the auth routes') lease one hit: they are exact.
 * With several gateway processes a client may pass the limit by the
 * unspent leases of the others (at most 2% of the limit each). A window
 * found used up is remembered, so a client that keeps knocking costs no
 * Redis command until the next window.
 * Redis being down lets every request pass: limits protect the API, they
 * must not take it down. The outage is logged once, and again after Redis
 * came back and failed anew.
 *
 * Thread-safety: reentrant; the lease table has a mutex, the "logged" flag
 * is atomic.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw_auth.h"

#define WINDOW_S    60
#define LEASE_EXACT 100 /* limits up to this are counted hit by hit */
#define LEASE_MAX   64
#define LEASE_SLOTS 1024

/* A bucket's window's hits reserved in Redis and not yet spent here. */
typedef struct lease {
    char key[192]; /* "" when empty */
    int left;
    bool exhausted; /* the window is used up: refuse without asking Redis again */
} lease;

typedef enum lease_state { LEASE_NONE, LEASE_SPENT, LEASE_EXHAUSTED } lease_state;

static lease leases[LEASE_SLOTS];
static pthread_mutex_t leases_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool outage_logged;

static int lease_size(int per_min)
{
    int k = per_min <= LEASE_EXACT ? 1 : per_min / 50;
    return k > LEASE_MAX ? LEASE_MAX : k;
}

static lease *slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return &leases[h % LEASE_SLOTS];
}

/* Spends one leased hit of key: SPENT, NONE (ask Redis) or EXHAUSTED (known used up). */
static lease_state spend_lease(const char *key)
{
    pthread_mutex_lock(&leases_lock);
    lease *l = slot_of(key);
    lease_state st = LEASE_NONE;
    if (strcmp(l->key, key) == 0) {
        if (l->exhausted)
            st = LEASE_EXHAUSTED;
        else if (l->left > 0) {
            l->left--;
            st = LEASE_SPENT;
        }
    }
    pthread_mutex_unlock(&leases_lock);
    return st;
}

static void keep_lease(const char *key, int left, bool exhausted)
{
    pthread_mutex_lock(&leases_lock);
    lease *l = slot_of(key);
    snprintf(l->key, sizeof l->key, "%s", key);
    l->left = left;
    l->exhausted = exhausted;
    pthread_mutex_unlock(&leases_lock);
}

static bool refuse(int per_min, time_t now, gw_response *res)
{
    int retry = (int)(WINDOW_S - now % WINDOW_S);
    gw_reply_error(res, 429, "rate_limited", NULL,
                   "too many requests: at most %d a minute; retry in %d s", per_min, retry);
    res->retry_after_s = retry;
    return false;
}

bool gw_rate_allow(gw_ctx *ctx, const char *bucket, int per_min, gw_response *res)
{
    if (per_min <= 0)
        return true; /* no limit configured */
    time_t now = time(NULL);
    char key[192];
    snprintf(key, sizeof key, "stom:rl:%.150s:%lld", bucket, (long long)(now / WINDOW_S));
    lease_state st = spend_lease(key);
    if (st != LEASE_NONE)
        return st == LEASE_SPENT || refuse(per_min, now, res);
    int k = lease_size(per_min);
    long long count = 0;
    stom_errbuf eb;
    if (!ctx->redis ||
        stom_redis_incrby_expire(ctx->redis, key, k, WINDOW_S, &count, &eb) != STOM_OK) {
        if (!atomic_exchange(&outage_logged, true))
            fprintf(stderr, "stom-gateway: rate limits off, Redis unavailable: %s\n",
                    ctx->redis ? eb.msg : "not connected");
        return true;
    }
    atomic_store(&outage_logged, false);
    long long first = count - k + 1; /* the first hit of this lease */
    if (first <= per_min) {
        long long granted = count <= per_min ? k : per_min - first + 1;
        keep_lease(key, (int)granted - 1, false);
        return true;
    }
    keep_lease(key, 0, true);
    return refuse(per_min, now, res);
}
