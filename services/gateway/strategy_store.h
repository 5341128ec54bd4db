/*
 * strategy_store.h - users' strategies and their versions in PostgreSQL
 * (tables strategies and strategy_versions, migration 0006), as the
 * gateway's strategy routes need them.
 *
 * Every function is scoped by the owner's user id: another user's strategy
 * is STOM_ENOTFOUND exactly like a missing one. A strategy always has at
 * least one version; strategies.version is the latest. Rows come back as
 * JSON objects in the REST API's shapes (times RFC 3339 in KST).
 * Duplicate names (per user, case-insensitive) are STOM_ESTATE.
 *
 * Thread-safety: as stom/store.h: the stom_db belongs to the calling thread.
 */
#ifndef STOM_GW_STRATEGY_STORE_H
#define STOM_GW_STRATEGY_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "stom/store.h"

/* What a create or an update writes; NULL members are left as they were (update). */
typedef struct gw_strategy_edit {
    const char *name;
    const char *description;
    const char *code;
    const char *params; /* JSON object text of default values */
    const char *message;
} gw_strategy_edit;

/*
 * The user's strategies, by name: *out = [{id, name, description, version,
 * created_at, updated_at}] (owned). 0 or STOM_EIO.
 */
int gw_strategy_store_list(stom_db *db, int64_t user_id, json_t **out, stom_errbuf *eb);

/*
 * The strategy id at its latest version: *out = {id, name, description,
 * language, version, code, params, message, created_at, updated_at}
 * (owned). 0, STOM_ENOTFOUND or STOM_EIO.
 */
int gw_strategy_store_get(stom_db *db, int64_t user_id, int64_t id, json_t **out, stom_errbuf *eb);

/*
 * Creates a strategy (name and code required) with version 1, in one
 * transaction; *id gets its id. 0, STOM_ESTATE (the user has one of that
 * name) or STOM_EIO. Borrows e.
 */
int gw_strategy_store_create(stom_db *db, int64_t user_id, const gw_strategy_edit *e, int64_t *id,
                             stom_errbuf *eb);

/*
 * Adds the next version of strategy id, in one transaction: the strategy
 * row's version and updated_at (and name or description when given) change
 * and a version row is written with e's code and params, or the previous
 * version's where NULL. *version (may be NULL) gets the new version.
 * 0, STOM_ENOTFOUND, STOM_ESTATE (renamed onto another of the user's
 * names) or STOM_EIO. Borrows e.
 */
int gw_strategy_store_update(stom_db *db, int64_t user_id, int64_t id, const gw_strategy_edit *e,
                             int *version, stom_errbuf *eb);

/* Deletes strategy id with its versions. 0, STOM_ENOTFOUND or STOM_EIO. */
int gw_strategy_store_delete(stom_db *db, int64_t user_id, int64_t id, stom_errbuf *eb);

/*
 * The versions of strategy id, newest first: *out = [{version, message,
 * created_at}] (owned). 0, STOM_ENOTFOUND or STOM_EIO.
 */
int gw_strategy_store_versions(stom_db *db, int64_t user_id, int64_t id, json_t **out,
                               stom_errbuf *eb);

/*
 * One version of strategy id: *out = {version, code, params, message,
 * created_at} (owned). 0, STOM_ENOTFOUND (no such strategy or version;
 * eb says which) or STOM_EIO.
 */
int gw_strategy_store_version(stom_db *db, int64_t user_id, int64_t id, int version, json_t **out,
                              stom_errbuf *eb);

#endif
