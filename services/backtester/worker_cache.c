/*
 * worker_cache.c - the worker's jobs and bar data sets (worker_cache.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "worker_cache.h"

static size_t bars_bytes(const stom_bars *b)
{
    return b->len * 6 * sizeof(int64_t);
}

void bt_cache_init(bt_cache *c, size_t budget)
{
    memset(c, 0, sizeof *c);
    c->budget = budget ? budget : (size_t)1 << 30;
}

static void drop_jobs(bt_cache *c)
{
    for (size_t i = 0; i < c->n_jobs; i++) {
        bt_job_close(&c->jobs[i].job);
        free(c->jobs[i].series);
    }
    c->n_jobs = 0;
}

void bt_cache_free(bt_cache *c)
{
    drop_jobs(c);
    for (size_t i = 0; i < c->n_sets; i++)
        stom_bars_free(&c->sets[i].bars);
    free(c->sets);
    memset(c, 0, sizeof *c);
}

bt_cached_job *bt_cache_find_job(bt_cache *c, const char *id)
{
    for (size_t i = 0; i < c->n_jobs; i++)
        if (!strcmp(c->jobs[i].job.id, id)) {
            c->jobs[i].used = ++c->clock;
            return &c->jobs[i];
        }
    return NULL;
}

static bool job_uses(const bt_cached_job *j, const bt_dataset *d)
{
    for (size_t k = 0; k < j->n; k++)
        if (j->series[k].ts == d->bars.ts)
            return true;
    return false;
}

/* Drops every job but keep (which moves to slot 0). */
static void drop_other_jobs(bt_cache *c, bt_cached_job *keep)
{
    bt_cached_job saved = *keep;
    for (size_t i = 0; i < c->n_jobs; i++)
        if (&c->jobs[i] != keep) {
            bt_job_close(&c->jobs[i].job);
            free(c->jobs[i].series);
        }
    c->jobs[0] = saved;
    c->n_jobs = 1;
}

/* Frees least recently used data sets that keep does not use until the
 * cache fits its budget; every other job goes with them. Returns keep's
 * (possibly new) address. */
static bt_cached_job *trim(bt_cache *c, bt_cached_job *keep)
{
    while (c->bytes > c->budget) {
        size_t lru = c->n_sets;
        for (size_t i = 0; i < c->n_sets; i++)
            if (!job_uses(keep, &c->sets[i]) &&
                (lru == c->n_sets || c->sets[i].used < c->sets[lru].used))
                lru = i;
        if (lru == c->n_sets)
            break; /* everything left belongs to this job */
        drop_other_jobs(c, keep);
        keep = &c->jobs[0];
        c->bytes -= bars_bytes(&c->sets[lru].bars);
        stom_bars_free(&c->sets[lru].bars);
        c->sets[lru] = c->sets[--c->n_sets];
    }
    return keep;
}

static const stom_bars *find_or_load(bt_cache *c, const char *symbol, const bt_job *job,
                                     stom_db *db, stom_errbuf *eb)
{
    for (size_t i = 0; i < c->n_sets; i++) {
        bt_dataset *d = &c->sets[i];
        if (!strcmp(d->symbol, symbol) && !strcmp(d->timeframe, job->timeframe) &&
            d->from_ts == job->from_ts && d->to_ts == job->to_ts) {
            d->used = ++c->clock;
            c->hits++;
            return &d->bars;
        }
    }
    stom_bars bars;
    if (stom_store_load_bars(db, symbol, job->timeframe, job->from_ts, job->to_ts, &bars, eb))
        return NULL;
    if (c->n_sets == c->cap_sets) {
        c->cap_sets = c->cap_sets ? 2 * c->cap_sets : 8;
        c->sets = stom_xrealloc(c->sets, c->cap_sets * sizeof *c->sets);
    }
    bt_dataset *d = &c->sets[c->n_sets++];
    memset(d, 0, sizeof *d);
    snprintf(d->symbol, sizeof d->symbol, "%s", symbol);
    snprintf(d->timeframe, sizeof d->timeframe, "%s", job->timeframe);
    d->from_ts = job->from_ts;
    d->to_ts = job->to_ts;
    d->bars = bars;
    d->used = ++c->clock;
    c->bytes += bars_bytes(&bars);
    c->loads++;
    return &d->bars;
}

static bt_cached_job *new_slot(bt_cache *c)
{
    if (c->n_jobs == BT_CACHE_JOBS) {
        size_t lru = 0;
        for (size_t i = 1; i < c->n_jobs; i++)
            if (c->jobs[i].used < c->jobs[lru].used)
                lru = i;
        bt_job_close(&c->jobs[lru].job);
        free(c->jobs[lru].series);
        c->jobs[lru] = c->jobs[--c->n_jobs];
    }
    bt_cached_job *j = &c->jobs[c->n_jobs];
    memset(j, 0, sizeof *j);
    return j;
}

/* Loads every symbol of job into j->series; 0 or the load's error. */
static int load_series(bt_cache *c, bt_cached_job *j, stom_db *db, stom_errbuf *eb)
{
    const Stom__V1__JobSpec *spec = j->job.spec;
    j->series = stom_xcalloc(spec->n_symbols, sizeof *j->series);
    for (size_t i = 0; i < spec->n_symbols; i++) {
        const stom_bars *b = find_or_load(c, spec->symbols[i], &j->job, db, eb);
        if (!b)
            return STOM_ENOTFOUND;
        j->series[j->n++] = *b;
    }
    return 0;
}

bt_cached_job *bt_cache_open_job(bt_cache *c, const Stom__V1__JobSpec *spec, const char *id,
                                 stom_db **db, const char *database, stom_errbuf *eb)
{
    if (!*db && stom_db_connect(db, database, eb))
        return NULL;
    bt_cached_job *j = new_slot(c);
    if (bt_job_open(&j->job, spec, eb))
        return NULL;
    snprintf(j->job.id, sizeof j->job.id, "%s", id);
    c->n_jobs++;
    if (load_series(c, j, *db, eb)) {
        bt_job_close(&j->job);
        free(j->series);
        *j = c->jobs[--c->n_jobs];
        return NULL;
    }
    j = trim(c, j);
    j->used = ++c->clock;
    return j;
}

size_t bt_cache_job_ids(const bt_cache *c, char **ids, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_jobs && n < cap; i++)
        ids[n++] = (char *)c->jobs[i].job.id;
    return n;
}
