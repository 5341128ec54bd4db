/*
 * coord_messages.c - the coordinator's replies and its bt.<job> events.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "coord_internal.h"

#define PROGRESS_EVERY_MS 100

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

void coord_reply_task(coordinator *c, stom_bus_pending *p, coord_job_entry *e, coord_task *t,
                      char (*known)[BT_ID_MAX], size_t n_known)
{
    coord_job *j = e->job;
    coord_task_msg m;
    Stom__V1__Lease lease = STOM__V1__LEASE__INIT;
    coord_job_task_msg(j, t, &m);
    lease.has_token = lease.has_attempt = lease.has_expires_ns = 1;
    lease.token = t->lease_token;
    lease.attempt = t->attempt;
    lease.expires_ns = bt_now_ns() + (t->lease_expires_ms - bt_mono_ms()) * 1000000;
    m.task.lease = &lease;
    bool knows = false;
    for (size_t i = 0; i < n_known; i++)
        knows = knows || !strcmp(known[i], j->job.id);
    if (!knows)
        m.task.job = j->job.spec;
    coord_reply(c, p, &m.task.base);
}

static void fill_progress(coordinator *c, coord_job_entry *e, Stom__V1__Progress *pr,
                          bt_pb_params *best)
{
    coord_job_progress(e->job, bt_mono_ms() - e->started_ms, e->results_at_start, pr, best);
    pr->has_workers = 1;
    pr->workers = (uint32_t)coord_active_workers(c);
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
