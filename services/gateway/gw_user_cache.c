/*
 * gw_user_cache.c - see gw_user_cache.h.
 */
#include <pthread.h>

#include "gw_user_cache.h"

typedef struct entry {
    gw_user user; /* user.id 0: empty */
    bool disabled;
    int64_t loaded_ms;
} entry;

static entry slots[GW_USER_CACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static entry *slot_of(int64_t id)
{
    return &slots[(uint64_t)id % GW_USER_CACHE_SLOTS];
}

bool gw_user_cache_get(int64_t id, int64_t now_ms, gw_user *user, bool *disabled)
{
    pthread_mutex_lock(&lock);
    const entry *e = slot_of(id);
    bool fresh =
        e->user.id == id && now_ms - e->loaded_ms < GW_USER_CACHE_MS && now_ms >= e->loaded_ms;
    if (fresh) {
        *user = e->user;
        *disabled = e->disabled;
    }
    pthread_mutex_unlock(&lock);
    return fresh;
}

void gw_user_cache_put(const gw_user *user, bool disabled, int64_t now_ms)
{
    pthread_mutex_lock(&lock);
    *slot_of(user->id) = (entry){*user, disabled, now_ms};
    pthread_mutex_unlock(&lock);
}

void gw_user_cache_drop(int64_t id)
{
    pthread_mutex_lock(&lock);
    entry *e = slot_of(id);
    if (e->user.id == id)
        *e = (entry){0};
    pthread_mutex_unlock(&lock);
}
