/*
 * coord_db.h - the coordinator's rows (libs/store/migrations/0002_jobs.sql):
 * jobs, tasks and their leases, results (once each), task runs, trades and
 * equity of single runs, units' best sets; and the queries behind
 * `stom jobs` and the results pages. The writes of the pull path are
 * queued (coord_writes.h); the others run at once.
 *
 * Thread-safety: the coordinator's thread, with its own stom_db.
 */
#ifndef STOM_BT_COORD_DB_H
#define STOM_BT_COORD_DB_H

#include <stdbool.h>

#include "coord_job.h"
#include "coord_writes.h"
#include "stom/store.h"

/* "queued", "running", ... for a JobState. */
const char *coord_state_name(Stom__V1__JobState s);
Stom__V1__JobState coord_state_parse(const char *s);

/*
 * Inserts the job (spec packed) unless its id exists. *created says which.
 * Returns 0 or STOM_EIO.
 */
int coord_db_insert_job(stom_db *db, const coord_job *j, bool *created, stom_errbuf *eb);
/* Queues the job's state, counters and best objective (and started/finished times). */
void coord_queue_job_update(coord_writes *q, const coord_job *j, const char *error);
/* Inserts tasks [first, j->n_tasks) as pending rows. */
int coord_db_insert_tasks(stom_db *db, const coord_job *j, size_t first, stom_errbuf *eb);
/* Queues t's lease (attempt, token, expiry, worker). */
void coord_queue_lease(coord_writes *q, const coord_job *j, const coord_task *t,
                       const char *worker);
/*
 * Queues r (its task must exist) to be stored once: the result row and,
 * only when it is new, the task's state, the run (worker, elapsed) and,
 * when r carries them, trades and equity.
 */
void coord_queue_result(coord_writes *q, const coord_job *j, const Stom__V1__TaskResult *r);
/* Stores unit u's decided best set. */
int coord_db_store_unit(stom_db *db, const coord_job *j, size_t u, stom_errbuf *eb);

/* A stored job to resume: its id and packed spec (owned, free()). */
typedef struct coord_stored_job {
    char id[BT_ID_MAX];
    uint8_t *spec;
    size_t spec_len;
    Stom__V1__JobState state;
} coord_stored_job;

/* Unfinished jobs (queued, running, paused) in submission order. *out owned. */
int coord_db_unfinished(stom_db *db, coord_stored_job **out, size_t *n, stom_errbuf *eb);
void coord_stored_jobs_free(coord_stored_job *jobs, size_t n);

/* Calls fn(arg, task_id, objective, failed) for each stored result of job id, by task id. */
typedef void (*coord_result_fn)(void *arg, uint64_t task_id, double objective, bool failed);
int coord_db_each_result(stom_db *db, const char *id, coord_result_fn fn, void *arg,
                         stom_errbuf *eb);

/* A job's status row (for jobs list/show when it is not in memory). Fills st
 * (strings owned by the caller's arena: released by coord_status_free).
 * STOM_ENOTFOUND when there is no such job. */
int coord_db_job_status(stom_db *db, const char *id, Stom__V1__JobStatus *st, stom_errbuf *eb);
void coord_status_free(Stom__V1__JobStatus *st);
/* The newest jobs (owner NULL: all), at most limit; *out owned (coord_status_free each, free). */
int coord_db_list_jobs(stom_db *db, const char *owner, size_t limit, Stom__V1__JobStatus **out,
                       size_t *n, stom_errbuf *eb);

/*
 * The ranked search results of job id (best objective first, then task
 * id) from offset, at most limit (0: all) as unpacked TaskResults (owned:
 * free each with stom__v1__task_result__free_unpacked, then the array), and
 * the number of search results in *total.
 */
int coord_db_results(stom_db *db, const char *id, size_t offset, size_t limit,
                     Stom__V1__TaskResult ***out, size_t *n, uint64_t *total, stom_errbuf *eb);
/* The highest task id stored for job id (0 when none). */
int coord_db_max_task(stom_db *db, const char *id, uint64_t *max, stom_errbuf *eb);
/* The decided units of job id: unit, best candidate (arrays owned). */
int coord_db_units(stom_db *db, const char *id, uint32_t **units, uint64_t **candidates, size_t *n,
                   stom_errbuf *eb);
/* Task ids of (unit, candidate, phase) results of job id, by fold. */
int coord_db_unit_results(stom_db *db, const char *id, uint32_t unit, uint64_t candidate, bool test,
                          Stom__V1__TaskResult ***out, size_t *n, stom_errbuf *eb);

#endif
