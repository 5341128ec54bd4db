/*
 * gw_ratelimit.c - fixed one-minute windows counted in Redis.
 *
 * Key "stom:rl:<bucket>:<minute since the epoch>", incremented atomically
 * with a time to live of one window on creation (stom_redis_incr_expire).
 * A fixed window lets a client make up to twice the limit across a window
 * boundary; that is accepted for its simplicity (one command per request).
 * Redis being down lets every request pass: limits protect the API, they
 * must not take it down. The outage is logged once, and again after Redis
 * came back and failed anew.
 *
 * Thread-safety: reentrant; the "logged" flag is atomic.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "gw_auth.h"

#define WINDOW_S 60

static atomic_bool outage_logged;

bool gw_rate_allow(gw_ctx *ctx, const char *bucket, int per_min, gw_response *res)
{
    if (per_min <= 0)
        return true; /* no limit configured */
    time_t now = time(NULL);
    char key[192];
    snprintf(key, sizeof key, "stom:rl:%.150s:%lld", bucket, (long long)(now / WINDOW_S));
    long long count = 0;
    stom_errbuf eb;
    if (!ctx->redis || stom_redis_incr_expire(ctx->redis, key, WINDOW_S, &count, &eb) != STOM_OK) {
        if (!atomic_exchange(&outage_logged, true))
            fprintf(stderr, "stom-gateway: rate limits off, Redis unavailable: %s\n",
                    ctx->redis ? eb.msg : "not connected");
        return true;
    }
    atomic_store(&outage_logged, false);
    if (count <= per_min)
        return true;
    int retry = (int)(WINDOW_S - now % WINDOW_S);
    gw_reply_error(res, 429, "rate_limited", NULL,
                   "too many requests: at most %d a minute; retry in %d s", per_min, retry);
    res->retry_after_s = retry;
    return false;
}
