/*
 * coord_job.h - one job as the coordinator sees it: its search units, the
 * batches of candidates it cuts them into, the tasks (candidate x fold) of
 * each batch and their leases. No I/O and no clock of its own: the caller
 * passes the time, so the planning is a pure function of the JobSpec and
 * the scores recorded, in task order.
 *
 * Batches run one after another (the next one is planned when the last
 * task of the current one is recorded): a genetic generation needs the
 * scores of the previous one, a unit's test needs its best set, and task
 * ids then follow one deterministic order. That order is what lets a
 * restarted coordinator replay a job: it plans again from the spec and
 * feeds the stored results task by task (coord_job_record), arriving at the
 * same state with the same ids.
 *
 * Scores: a task's score is its result's objective (-inf when it failed or
 * broke a constraint); a candidate's score is the mean of its folds'
 * scores in the unit (-inf if any is -inf); the unit's best is the highest
 * score, the lowest candidate index on ties.
 *
 * The planner lives in the library stom_bt: the coordinator runs it for
 * the platform, and `stom optimize --local` runs the same planner in the
 * CLI, which is why a local run gives the platform's results.
 *
 * Thread-safety: a coord_job belongs to one thread (the coordinator's, or
 * the CLI's main thread); other threads may read its tasks only while that
 * thread neither advances nor records.
 */
#ifndef STOM_BT_COORD_JOB_H
#define STOM_BT_COORD_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt.h"

typedef enum coord_task_state { TASK_PENDING = 0, TASK_LEASED, TASK_DONE } coord_task_state;

typedef struct coord_task {
    uint64_t id; /* 1, 2, 3 ... within the job */
    uint32_t unit, fold;
    bool test;          /* test phase */
    uint64_t candidate; /* within the unit */
    stom_params params;
    coord_task_state state;
    uint64_t lease_token;
    int64_t lease_expires_ms; /* monotonic */
    uint32_t attempt;
    double score;
    bool failed;
} coord_task;

typedef enum coord_method {
    METHOD_SINGLE = 0,
    METHOD_GRID,
    METHOD_RANDOM,
    METHOD_GENETIC
} coord_method;

typedef struct coord_unit_best {
    bool decided;
    bool stored; /* the coordinator wrote it to job_units */
    uint64_t candidate;
    double score;
    stom_params params;
} coord_unit_best;

typedef struct coord_job {
    bt_job job;
    coord_method method;
    stom_opt_space space;
    stom_plan plan;
    stom_ga *ga;
    stom_params *samples; /* random: the unit's candidates */
    size_t n_samples;
    Stom__V1__JobState state;
    coord_task *tasks;
    size_t n_tasks, cap_tasks;
    size_t unit;                    /* the unit being searched or tested */
    bool testing;                   /* the unit's test batch is out */
    uint64_t next_candidate;        /* of the unit: how many candidates were planned */
    size_t batch_first, batch_done; /* tasks of the current batch: [batch_first, n_tasks) */
    coord_unit_best *best;          /* one per unit */
    size_t done, failed;            /* tasks recorded */
    uint64_t total_estimate;
    double best_score; /* over search results, for progress */
    stom_params best_params;
    bool have_best;
} coord_job;

/*
 * Checks spec and plans the job: its strategy, space, folds and units.
 * Plans no task yet (call coord_job_advance). Returns 0 or STOM_EINVAL /
 * STOM_ENOTFOUND / STOM_ETOOBIG with eb saying what is wrong. Borrows spec.
 */
int coord_job_create(coord_job **out, const Stom__V1__JobSpec *spec, const char *id,
                     stom_errbuf *eb);
void coord_job_destroy(coord_job *j);

/*
 * Plans the next batch when the current one is complete (or none was
 * planned yet). Returns the number of new tasks, appended at
 * j->tasks[n_tasks - returned ..]; 0 when the current batch is still
 * running or the job is complete (coord_job_complete).
 */
size_t coord_job_advance(coord_job *j);

/* True when every unit is decided and tested. */
bool coord_job_complete(const coord_job *j);

/* The task with id, or NULL. */
coord_task *coord_job_task(coord_job *j, uint64_t id);

/*
 * Records task id's score (failed: the task failed). Returns true when the
 * task was not done before (the result counts), false for a duplicate or an
 * unknown id.
 */
bool coord_job_record(coord_job *j, uint64_t id, double score, bool failed);

/* The first pending task, or NULL. */
coord_task *coord_job_next_pending(coord_job *j);

/* The folds and units of spec's period and validation (no strategy is
 * loaded). 0 or STOM_EINVAL as stom_plan_make. Release with stom_plan_free. */
int coord_spec_plan(const Stom__V1__JobSpec *spec, stom_plan *plan, stom_errbuf *eb);

/* "grid", "random", "genetic", "single". */
const char *coord_method_name(coord_method m);

/* ---- messages of a job (coord_job_msg.c) ------------------------------------ */

/* A Task message and the storage it points into. */
typedef struct coord_task_msg {
    Stom__V1__Task task;
    Stom__V1__Fold fold;
    Stom__V1__Period train, valid, test;
    bt_pb_params params;
} coord_task_msg;

/*
 * Fills *m with task t of j as a worker receives it: id, phase, unit,
 * candidate, parameters, the fold's periods and want_details. Neither the
 * lease nor the spec is set (the coordinator adds them). m->task borrows j
 * (the job id) and points into m.
 */
void coord_job_task_msg(const coord_job *j, const coord_task *t, coord_task_msg *m);

/*
 * Fills *pr with j's progress: state, done, failed, total (the estimate
 * until the job is complete), the best objective and its parameters (into
 * *best, which pr points into), the elapsed time and an ETA from the
 * results recorded since done_before (results replayed on resume are not
 * evidence of speed). Workers are not set. pr borrows j (the job id).
 */
void coord_job_progress(const coord_job *j, int64_t elapsed_ms, uint64_t done_before,
                        Stom__V1__Progress *pr, bt_pb_params *best);

#endif
