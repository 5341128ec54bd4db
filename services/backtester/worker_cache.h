/*
 * worker_cache.h - what a worker keeps between tasks: the jobs it has seen
 * (their specs, strategies, and the bars of their period) and the bar data
 * sets themselves, loaded from PostgreSQL once each.
 *
 * A job's series are shallow copies of cached data sets; evicting a data
 * set therefore forgets every job (they are re-opened from the next task's
 * spec, which is cheap). The coordinator sends a job's spec again whenever
 * the worker stops listing it in known_jobs.
 *
 * Thread-safety: owned by the worker's thread.
 */
#ifndef STOM_BT_WORKER_CACHE_H
#define STOM_BT_WORKER_CACHE_H

#include <stddef.h>

#include "bt.h"
#include "stom/store.h"

#define BT_CACHE_JOBS 8

typedef struct bt_cached_job {
    bt_job job;
    stom_bars *series; /* owned array of shallow copies */
    size_t n;
    int64_t used;
} bt_cached_job;

typedef struct bt_dataset {
    char symbol[16];
    char timeframe[8];
    int64_t from_ts, to_ts;
    stom_bars bars; /* owned */
    int64_t used;
} bt_dataset;

typedef struct bt_cache {
    bt_cached_job jobs[BT_CACHE_JOBS];
    size_t n_jobs;
    bt_dataset *sets;
    size_t n_sets, cap_sets;
    size_t bytes, budget;
    int64_t clock;
    uint64_t loads, hits;
} bt_cache;

void bt_cache_init(bt_cache *c, size_t budget);
void bt_cache_free(bt_cache *c);

/* The cached job with id, or NULL. */
bt_cached_job *bt_cache_find_job(bt_cache *c, const char *id);

/*
 * Opens spec as a job and loads its bars (through db, connecting lazily
 * when *db is NULL). Returns the cached job, or NULL with eb saying why
 * (bad spec, database unreachable, symbol not stored, no bars in the period).
 */
bt_cached_job *bt_cache_open_job(bt_cache *c, const Stom__V1__JobSpec *spec, const char *id,
                                 stom_db **db, const char *database, stom_errbuf *eb);

/* Writes the ids of the cached jobs into ids (at most cap) and returns how many. */
size_t bt_cache_job_ids(const bt_cache *c, char **ids, size_t cap);

#endif
