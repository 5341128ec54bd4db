/*
 * gw_user_cache.h - the users' current role and disabled flag, kept for
 * GW_USER_CACHE_MS so that an authenticated request does not cost a
 * PostgreSQL round trip of its own.
 *
 * A change made through this gateway (an admin's PATCH) drops the entry at
 * once; a change made elsewhere (SQL, another gateway replica) is seen
 * within GW_USER_CACHE_MS. A direct-mapped table: a colliding user simply
 * replaces the entry.
 *
 * Thread-safety: every function may be called from any thread (one mutex).
 */
#ifndef STOM_GW_USER_CACHE_H
#define STOM_GW_USER_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "gw.h"

#define GW_USER_CACHE_MS    1000
#define GW_USER_CACHE_SLOTS 4096

/* Copies user id's cached state into *user and *disabled when fresh at now_ms. */
bool gw_user_cache_get(int64_t id, int64_t now_ms, gw_user *user, bool *disabled);
/* Stores user's state (user->id is the key) as loaded at now_ms. */
void gw_user_cache_put(const gw_user *user, bool disabled, int64_t now_ms);
/* Forgets user id (after a change of its role or disabled flag). */
void gw_user_cache_drop(int64_t id);

#endif
