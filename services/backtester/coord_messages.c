/*
 * coord_messages.c - the coordinator's replies and its bt.<job> events.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "coord_internal.h"

#define PROGRESS_EVERY_MS 100
#define NS_PER_S          1000000000LL

int coord_reply(coordinator *c, stom_bus_pending *p, ProtobufCMessage *body)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &c->sender, bt_now_ns());
    stom_errbuf eb = {0};
    int rc = stom_bus_envelope_set_body(&env, body, &eb);
    if (!rc)
        rc = stom_bus_server_reply(c->srv, p, "rpc.backtester", &env, &eb);
    else
        stom_bus_server_drop(c->srv, p);
    if (rc)
        bt_log("reply failed: %s", eb.msg);
    return rc;
}

void coord_reply_error(coordinator *c, stom_bus_pending *p, Stom__V1__ErrorCode code,
                       const char *msg)
{
    Stom__V1__Error err = STOM__V1__ERROR__INIT;
    err.has_code = 1;
    err.code = code;
    err.message = (char *)msg;
    coord_reply(c, p, &err.base);
}

void coord_reply_no_work(coordinator *c, stom_bus_pending *p)
{
    Stom__V1__NoWork nw = STOM__V1__NO_WORK__INIT;
    nw.has_retry_after_ms = 1;
    nw.retry_after_ms = 0;
    coord_reply(c, p, &nw.base);
}

static void set_period(Stom__V1__Period *p, int64_t from, int64_t to)
{
    stom__v1__period__init(p);
    p->has_from_ns = p->has_to_ns = 1;
    p->from_ns = from * NS_PER_S;
    p->to_ns = to * NS_PER_S;
}

void coord_reply_task(coordinator *c, stom_bus_pending *p, coord_job_entry *e, coord_task *t,
                      char (*known)[BT_ID_MAX], size_t n_known)
{
    coord_job *j = e->job;
    const stom_fold *fd = &j->plan.folds[t->fold];
    Stom__V1__Task task = STOM__V1__TASK__INIT;
    Stom__V1__Lease lease = STOM__V1__LEASE__INIT;
    Stom__V1__Fold fold = STOM__V1__FOLD__INIT;
    Stom__V1__Period train, valid, test;
    bt_pb_params params;
    bt_params_to_pb(j->job.def, &t->params, &params);
    lease.has_token = lease.has_attempt = lease.has_expires_ns = 1;
    lease.token = t->lease_token;
    lease.attempt = t->attempt;
    lease.expires_ns = bt_now_ns() + (t->lease_expires_ms - bt_mono_ms()) * 1000000;
    fold.has_index = fold.has_count = 1;
    fold.index = t->fold;
    fold.count = (uint32_t)j->plan.n_folds;
    set_period(&train, fd->train_from, fd->train_to);
    fold.train = &train;
    if (fd->valid_to > fd->valid_from) {
        set_period(&valid, fd->valid_from, fd->valid_to);
        fold.valid = &valid;
    }
    if (fd->test_to > fd->test_from) {
        set_period(&test, fd->test_from, fd->test_to);
        fold.test = &test;
    }
    task.job_id = j->job.id;
    task.has_task_id = task.has_phase = task.has_unit = task.has_candidate = 1;
    task.task_id = t->id;
    task.lease = &lease;
    task.n_params = params.n;
    task.params = params.ptrs;
    task.fold = &fold;
    task.phase =
        t->test ? STOM__V1__TASK_PHASE__TASK_PHASE_TEST : STOM__V1__TASK_PHASE__TASK_PHASE_SEARCH;
    task.unit = t->unit;
    task.candidate = t->candidate;
    task.has_want_details = 1;
    task.want_details = j->method == METHOD_SINGLE;
    bool knows = false;
    for (size_t i = 0; i < n_known; i++)
        knows = knows || !strcmp(known[i], j->job.id);
    if (!knows)
        task.job = j->job.spec;
    coord_reply(c, p, &task.base);
}

static void fill_progress(coordinator *c, coord_job_entry *e, Stom__V1__Progress *pr,
                          bt_pb_params *best)
{
    coord_job *j = e->job;
    stom__v1__progress__init(pr);
    pr->job_id = j->job.id;
    pr->has_state = pr->has_done = pr->has_total = pr->has_failed = 1;
    pr->state = j->state;
    pr->done = j->done;
    pr->total = j->total_estimate > j->n_tasks ? j->total_estimate : j->n_tasks;
    if (coord_job_complete(j))
        pr->total = j->n_tasks;
    pr->failed = j->failed;
    int64_t elapsed = bt_mono_ms() - e->started_ms;
    pr->has_elapsed_ms = pr->has_workers = 1;
    pr->elapsed_ms = elapsed;
    pr->workers = (uint32_t)coord_active_workers(c);
    uint64_t fresh = j->done - e->results_at_start;
    if (fresh > 0 && pr->total > pr->done) {
        pr->has_eta_ms = 1;
        pr->eta_ms = (int64_t)((double)elapsed / (double)fresh * (double)(pr->total - pr->done));
    }
    if (j->have_best) {
        pr->has_best_objective = 1;
        pr->best_objective = j->best_score;
        bt_params_to_pb(j->job.def, &j->best_params, best);
        pr->n_best_params = best->n;
        pr->best_params = best->ptrs;
    }
}

void coord_status_of(coordinator *c, coord_job_entry *e, Stom__V1__JobStatus *st,
                     Stom__V1__Progress *pr)
{
    static bt_pb_params best;
    static char topic[STOM_BUS_TOPIC_MAX + 1];
    stom__v1__job_status__init(st);
    fill_progress(c, e, pr, &best);
    st->job_id = e->job->job.id;
    st->has_state = 1;
    st->state = e->job->state;
    st->progress = pr;
    st->spec = e->job->job.spec;
    snprintf(topic, sizeof topic, "bt.%s", e->job->job.id);
    st->events_topic = topic;
}

static void publish(coordinator *c, const char *job_id, ProtobufCMessage *body)
{
    stom_bus_topic topic;
    stom_errbuf eb = {0};
    if (stom_bus_topic_bt(&topic, job_id, &eb))
        return;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &c->sender, bt_now_ns());
    if (stom_bus_envelope_set_body(&env, body, &eb) || stom_bus_send(c->pub, topic.str, &env, &eb))
        bt_log("publishing on %s failed: %s", topic.str, eb.msg);
}

void coord_publish_progress(coordinator *c, coord_job_entry *e, bool force)
{
    int64_t now = bt_mono_ms();
    if (!force && now - e->progress_ms < PROGRESS_EVERY_MS)
        return;
    e->progress_ms = now;
    Stom__V1__Progress pr;
    bt_pb_params best;
    fill_progress(c, e, &pr, &best);
    publish(c, e->job->job.id, &pr.base);
}

void coord_publish_result(coordinator *c, coord_job_entry *e)
{
    coord_job *j = e->job;
    Stom__V1__JobResult jr = STOM__V1__JOB_RESULT__INIT;
    bt_pb_params best;
    jr.job_id = j->job.id;
    jr.has_state = jr.has_tasks_done = jr.has_tasks_failed = jr.has_finished_ns = 1;
    jr.state = j->state;
    jr.tasks_done = j->done;
    jr.tasks_failed = j->failed;
    jr.finished_ns = bt_now_ns();
    if (j->have_best) {
        jr.has_best_objective = 1;
        jr.best_objective = j->best_score;
        bt_params_to_pb(j->job.def, &j->best_params, &best);
        jr.n_best_params = best.n;
        jr.best_params = best.ptrs;
    }
    publish(c, j->job.id, &jr.base);
}
