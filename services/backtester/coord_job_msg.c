/*
 * coord_job_msg.c - the messages a planned job gives: a task as a worker
 * receives it, and the job's progress (coord_job.h). Pure: the caller
 * passes the elapsed time.
 */
#include <string.h>

#include "coord_job.h"

#define NS_PER_S 1000000000LL

static void set_period(Stom__V1__Period *p, int64_t from, int64_t to)
{
    stom__v1__period__init(p);
    p->has_from_ns = p->has_to_ns = 1;
    p->from_ns = from * NS_PER_S;
    p->to_ns = to * NS_PER_S;
}

static void set_fold(const coord_job *j, const coord_task *t, coord_task_msg *m)
{
    const stom_fold *fd = &j->plan.folds[t->fold];
    Stom__V1__Fold *fold = &m->fold;
    stom__v1__fold__init(fold);
    fold->has_index = fold->has_count = 1;
    fold->index = t->fold;
    fold->count = (uint32_t)j->plan.n_folds;
    set_period(&m->train, fd->train_from, fd->train_to);
    fold->train = &m->train;
    if (fd->valid_to > fd->valid_from) {
        set_period(&m->valid, fd->valid_from, fd->valid_to);
        fold->valid = &m->valid;
    }
    if (fd->test_to > fd->test_from) {
        set_period(&m->test, fd->test_from, fd->test_to);
        fold->test = &m->test;
    }
}

void coord_job_task_msg(const coord_job *j, const coord_task *t, coord_task_msg *m)
{
    memset(m, 0, sizeof *m);
    Stom__V1__Task *task = &m->task;
    stom__v1__task__init(task);
    bt_params_to_pb(j->job.def, &t->params, &m->params);
    set_fold(j, t, m);
    task->job_id = (char *)j->job.id;
    task->has_task_id = task->has_phase = task->has_unit = task->has_candidate = 1;
    task->task_id = t->id;
    task->n_params = m->params.n;
    task->params = m->params.ptrs;
    task->fold = &m->fold;
    task->phase =
        t->test ? STOM__V1__TASK_PHASE__TASK_PHASE_TEST : STOM__V1__TASK_PHASE__TASK_PHASE_SEARCH;
    task->unit = t->unit;
    task->candidate = t->candidate;
    task->has_want_details = 1;
    task->want_details = j->method == METHOD_SINGLE;
}

void coord_job_progress(const coord_job *j, int64_t elapsed_ms, uint64_t done_before,
                        Stom__V1__Progress *pr, bt_pb_params *best)
{
    stom__v1__progress__init(pr);
    pr->job_id = (char *)j->job.id;
    pr->has_state = pr->has_done = pr->has_total = pr->has_failed = 1;
    pr->state = j->state;
    pr->done = j->done;
    pr->total = j->total_estimate > j->n_tasks ? j->total_estimate : j->n_tasks;
    if (coord_job_complete(j))
        pr->total = j->n_tasks;
    pr->failed = j->failed;
    pr->has_elapsed_ms = 1;
    pr->elapsed_ms = elapsed_ms;
    uint64_t fresh = j->done > done_before ? j->done - done_before : 0;
    if (fresh > 0 && pr->total > pr->done) {
        pr->has_eta_ms = 1;
        pr->eta_ms = (int64_t)((double)elapsed_ms / (double)fresh * (double)(pr->total - pr->done));
    }
    if (j->have_best) {
        pr->has_best_objective = 1;
        pr->best_objective = j->best_score;
        bt_params_to_pb(j->job.def, &j->best_params, best);
        pr->n_best_params = best->n;
        pr->best_params = best->ptrs;
    }
}
