/*
 * optimize_local.h - the parts of `stom optimize --local`
 * (optimize_local.c drives them): a pool of threads that run a planned
 * job's tasks with the workers' task code, and the results page built from
 * what they returned, as the coordinator would answer results_query.
 *
 * Thread-safety: the main thread owns the coord_job and drives the pool.
 * The pool's threads read the job's tasks only under the pool's lock, and
 * the pool changes the job (plans a batch, records results) only under
 * that lock, so the job never changes under a thread that reads it.
 */
#ifndef STOM_CLI_OPTIMIZE_LOCAL_H
#define STOM_CLI_OPTIMIZE_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt.h"
#include "coord_job.h"
#include "coord_page.h"

/* One task's result as the coordinator stores it (packed), and its score. */
typedef struct local_result {
    uint8_t *packed; /* owned: the TaskResult as coord_page_stored_result keeps it */
    size_t len;
    coord_rank_key key;
    double score; /* what the planner records: the objective, -inf without one */
    bool failed;
    bool done;
} local_result;

typedef struct local_pool local_pool;

/*
 * Starts n_threads threads (at least one) that run tasks of j over data;
 * each opens its own bt_job from j's spec (a Lua strategy is not shared
 * between threads). Borrows j and data until local_pool_destroy.
 * EXIT_OK or EXIT_INTERNAL (no thread could start; message printed).
 */
int local_pool_start(local_pool **out, coord_job *j, const bt_series_set *data, size_t n_threads);

/* Plans j's next batch and hands it to the threads. Returns its tasks; 0 when
 * no batch is left (the job is complete, or the planner planned nothing). */
size_t local_pool_advance(local_pool *p);

/*
 * Waits at most wait_ms for results, then records the batch's finished
 * results into j in task order (so the planner sees the same sequence
 * whatever the number of threads). True when the whole batch is recorded.
 */
bool local_pool_collect(local_pool *p, int wait_ms);

/* Hands out no more tasks and waits for those running (Ctrl-C). */
void local_pool_stop(local_pool *p);

/* The results so far, one per planned task, indexed like j->tasks. Borrowed. */
const local_result *local_pool_results(const local_pool *p);

/* Ends the threads and frees the results. NULL is a no-op. */
void local_pool_destroy(local_pool *p);

/* A finished job's results page and the storage it points into. */
typedef struct local_page {
    Stom__V1__ResultsPage page;
    Stom__V1__TaskResult **results; /* owned: the page's ranked results */
    Stom__V1__TaskResult **keep;    /* owned: the results the best rows point into */
    size_t n_keep;
    coord_best_rows best;
} local_page;

/*
 * Builds the page results_query would answer for j: its search results
 * ranked as the coordinator ranks them (at most top; 0: all; total counts
 * them all) and each decided unit's best set per fold with its test and the
 * fold's periods. Borrows j, results and status (page.status). EXIT_OK, or
 * EXIT_INTERNAL when a kept result does not unpack.
 */
int local_page_build(local_page *pg, const coord_job *j, const local_result *results, uint32_t top,
                     Stom__V1__JobStatus *status);
void local_page_free(local_page *pg);

#endif
