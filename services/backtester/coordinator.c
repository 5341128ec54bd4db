/*
 * coordinator.c - the coordinator's loop, job lifecycle, leases and resume
 * after a restart (coordinator.h).
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coord_internal.h"
#include "stom/alloc.h"
#include "stom/v1/envelope.pb-c.h"

#define LOOP_WAIT_MS  50
#define SAVE_EVERY_MS 250

coord_job_entry *coord_find(coordinator *c, const char *id)
{
    for (size_t i = 0; i < c->n_jobs; i++)
        if (!strcmp(c->jobs[i].job->job.id, id))
            return &c->jobs[i];
    return NULL;
}

void coord_saw_worker(coordinator *c, const char *id)
{
    int64_t now = bt_mono_ms();
    for (size_t i = 0; i < c->n_workers; i++)
        if (!strcmp(c->workers[i].id, id)) {
            c->workers[i].last_ms = now;
            return;
        }
    size_t slot = c->n_workers < COORD_MAX_WORKERS ? c->n_workers++ : 0;
    for (size_t i = 0; i < c->n_workers; i++)
        if (c->workers[i].last_ms < c->workers[slot].last_ms)
            slot = i;
    snprintf(c->workers[slot].id, sizeof c->workers[slot].id, "%s", id);
    c->workers[slot].last_ms = now;
}

size_t coord_active_workers(coordinator *c)
{
    size_t n = 0;
    int64_t now = bt_mono_ms();
    for (size_t i = 0; i < c->n_workers; i++)
        n += now - c->workers[i].last_ms < 10000;
    return n;
}

static void save_job(coordinator *c, coord_job_entry *e, const char *error)
{
    coord_queue_job_update(&c->writes, e->job, error);
    e->saved_ms = bt_mono_ms();
}

int coord_flush(coordinator *c)
{
    stom_errbuf eb = {0};
    bool was_failing = c->writes.retry_ms != 0;
    int rc = coord_writes_flush(&c->writes, c->db, bt_mono_ms(), &eb);
    if (rc && !was_failing)
        bt_log("cannot store %zu queued writes yet (%s); retrying", c->writes.n, eb.msg);
    else if (!rc && was_failing)
        bt_log("queued writes stored");
    return rc;
}

/* Stores the tasks planned since first and every newly decided unit. */
static void store_plan(coordinator *c, coord_job *j, size_t first)
{
    stom_errbuf eb = {0};
    if (j->n_tasks > first && coord_db_insert_tasks(c->db, j, first, &eb))
        bt_log("job %s: %s", j->job.id, eb.msg);
    for (size_t u = 0; u < j->plan.n_units; u++)
        if (j->best[u].decided && !j->best[u].stored) {
            if (coord_db_store_unit(c->db, j, u, &eb))
                bt_log("job %s: %s", j->job.id, eb.msg);
            j->best[u].stored = true;
        }
}

static void advance(coordinator *c, coord_job_entry *e)
{
    coord_job *j = e->job;
    size_t first = j->n_tasks;
    coord_job_advance(j);
    store_plan(c, j, first);
    if (coord_job_complete(j))
        coord_finish(c, e, STOM__V1__JOB_STATE__JOB_STATE_DONE, NULL);
}

static coord_job_entry *add_entry(coordinator *c, coord_job *j)
{
    if (c->n_jobs == c->cap_jobs) {
        c->cap_jobs = c->cap_jobs ? 2 * c->cap_jobs : 8;
        c->jobs = stom_xrealloc(c->jobs, c->cap_jobs * sizeof *c->jobs);
    }
    coord_job_entry *e = &c->jobs[c->n_jobs++];
    memset(e, 0, sizeof *e);
    e->job = j;
    e->started_ms = bt_mono_ms();
    return e;
}

void coord_activate(coordinator *c, coord_job *j)
{
    coord_job_entry *e = add_entry(c, j);
    j->state = STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
    bt_log("job %s: %s %s, %zu unit(s), about %llu tasks", j->job.id, coord_method_name(j->method),
           j->job.def->name, j->plan.n_units, (unsigned long long)j->total_estimate);
    char id[BT_ID_MAX];
    snprintf(id, sizeof id, "%s", j->job.id);
    advance(c, e);
    e = coord_find(c, id);
    if (e) {
        save_job(c, e, NULL);
        coord_publish_progress(c, e, true);
    }
}

void coord_finish(coordinator *c, coord_job_entry *e, Stom__V1__JobState state, const char *error)
{
    coord_job *j = e->job;
    j->state = state;
    save_job(c, e, error);
    /* Whoever reads the final event may read the results next. */
    coord_flush(c);
    coord_publish_progress(c, e, true);
    coord_publish_result(c, e);
    bt_log("job %s: %s after %zu tasks (%zu failed)%s%s", j->job.id, coord_state_name(state),
           j->done, j->failed, error ? ": " : "", error ? error : "");
    coord_job_destroy(j);
    *e = c->jobs[--c->n_jobs];
}

/* The result must answer the task as planned: same unit, candidate and phase. */
static bool matches(const coord_task *t, const Stom__V1__TaskResult *r)
{
    bool test = r->phase == STOM__V1__TASK_PHASE__TASK_PHASE_TEST;
    return r->unit == t->unit && r->candidate == t->candidate && test == t->test &&
           r->fold_index == t->fold;
}

bool coord_record(coordinator *c, const Stom__V1__TaskResult *r)
{
    coord_job_entry *e = r->job_id ? coord_find(c, r->job_id) : NULL;
    coord_task *t = e ? coord_job_task(e->job, r->task_id) : NULL;
    if (!t || !matches(t, r)) {
        c->stale++;
        return false;
    }
    if (t->state == TASK_DONE) {
        c->duplicates++;
        return false;
    }
    coord_queue_result(&c->writes, e->job, r);
    bool failed = r->status == STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    coord_job_record(e->job, r->task_id, r->has_objective ? r->objective : -INFINITY, failed);
    if (failed)
        bt_log("job %s task %llu failed: %s", r->job_id, (unsigned long long)r->task_id,
               r->error ? r->error : "");
    char id[BT_ID_MAX];
    snprintf(id, sizeof id, "%s", r->job_id);
    advance(c, e);
    e = coord_find(c, id);
    if (e) {
        if (bt_mono_ms() - e->saved_ms >= SAVE_EVERY_MS)
            save_job(c, e, NULL);
        coord_publish_progress(c, e, false);
    }
    return true;
}

static uint64_t next_token(coordinator *c)
{
    /* xorshift64*: tokens only need to differ between leases. */
    uint64_t x = c->token_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    c->token_state = x;
    return (x * 0x2545F4914F6CDD1DULL) >> 1;
}

coord_task *coord_lease(coordinator *c, const char *worker, coord_job_entry **which)
{
    for (size_t i = 0; i < c->n_jobs; i++) {
        coord_job *j = c->jobs[i].job;
        if (j->state != STOM__V1__JOB_STATE__JOB_STATE_RUNNING)
            continue;
        coord_task *t = coord_job_next_pending(j);
        if (!t)
            continue;
        int lease = c->cfg->lease_ms > 0 ? c->cfg->lease_ms : 30000;
        t->state = TASK_LEASED;
        t->attempt++;
        t->lease_token = next_token(c);
        t->lease_expires_ms = bt_mono_ms() + lease;
        coord_queue_lease(&c->writes, j, t, worker);
        *which = &c->jobs[i];
        return t;
    }
    return NULL;
}

/* Leases whose worker went quiet: the task becomes pending again. */
static void expire_leases(coordinator *c)
{
    int64_t now = bt_mono_ms();
    bool freed = false;
    for (size_t i = 0; i < c->n_jobs; i++) {
        coord_job *j = c->jobs[i].job;
        for (size_t k = j->batch_first; k < j->n_tasks; k++) {
            coord_task *t = &j->tasks[k];
            if (t->state != TASK_LEASED || t->lease_expires_ms > now)
                continue;
            t->state = TASK_PENDING;
            freed = true;
            bt_log("job %s task %llu: lease %u expired; issuing it again", j->job.id,
                   (unsigned long long)t->id, t->attempt);
        }
    }
    if (freed)
        coord_serve_waiters(c, false);
}

typedef struct replay_state {
    uint64_t *ids;
    double *scores;
    bool *failed;
    size_t n, cap;
} replay_state;

static void collect(void *arg, uint64_t id, double objective, bool failed)
{
    replay_state *s = arg;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->ids = stom_xrealloc(s->ids, s->cap * sizeof *s->ids);
        s->scores = stom_xrealloc(s->scores, s->cap * sizeof *s->scores);
        s->failed = stom_xrealloc(s->failed, s->cap * sizeof *s->failed);
    }
    s->ids[s->n] = id;
    s->scores[s->n] = objective;
    s->failed[s->n++] = failed;
}

/* Plans j again and feeds it its stored results, batch by batch. */
static void replay(coord_job *j, const replay_state *s)
{
    size_t k = 0;
    for (;;) {
        size_t first = j->n_tasks;
        if (!coord_job_advance(j))
            return;
        for (size_t i = first; i < j->n_tasks; i++) {
            while (k < s->n && s->ids[k] < j->tasks[i].id)
                k++;
            if (k < s->n && s->ids[k] == j->tasks[i].id)
                coord_job_record(j, s->ids[k], s->scores[k], s->failed[k]);
        }
        if (j->batch_done < j->n_tasks - j->batch_first)
            return;
    }
}

static void resume_one(coordinator *c, const coord_stored_job *sj)
{
    stom_errbuf eb = {0};
    Stom__V1__JobSpec *spec = stom__v1__job_spec__unpack(NULL, sj->spec_len, sj->spec);
    coord_job *j = NULL;
    int rc = spec ? coord_job_create(&j, spec, sj->id, &eb)
                  : stom_errorf(&eb, STOM_EFORMAT, "stored spec does not decode");
    if (spec)
        stom__v1__job_spec__free_unpacked(spec, NULL);
    if (rc) {
        const char *v[] = {sj->id, eb.msg};
        PQclear(PQexecParams(stom_db_conn(c->db),
                             "UPDATE jobs SET state = 'failed', error = $2, finished_at = now() "
                             "WHERE id = $1",
                             2, NULL, v, NULL, NULL, 0));
        bt_log("job %s cannot resume: %s", sj->id, eb.msg);
        return;
    }
    replay_state s = {0};
    uint64_t stored_tasks = 0;
    if (coord_db_each_result(c->db, sj->id, collect, &s, &eb) ||
        coord_db_max_task(c->db, sj->id, &stored_tasks, &eb))
        bt_log("job %s: %s", sj->id, eb.msg);
    replay(j, &s);
    coord_job_entry *e = add_entry(c, j);
    e->results_at_start = j->done;
    j->state = sj->state == STOM__V1__JOB_STATE__JOB_STATE_PAUSED
                   ? STOM__V1__JOB_STATE__JOB_STATE_PAUSED
                   : STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
    bt_log("job %s resumed: %zu of %zu planned tasks already done", sj->id, j->done, j->n_tasks);
    store_plan(c, j, stored_tasks < j->n_tasks ? (size_t)stored_tasks : j->n_tasks);
    free(s.ids);
    free(s.scores);
    free(s.failed);
    if (coord_job_complete(j))
        coord_finish(c, e, STOM__V1__JOB_STATE__JOB_STATE_DONE, NULL);
    else
        save_job(c, e, NULL);
}

static int resume(coordinator *c)
{
    stom_errbuf eb = {0};
    coord_stored_job *jobs = NULL;
    size_t n = 0;
    if (coord_db_unfinished(c->db, &jobs, &n, &eb)) {
        bt_log("cannot read unfinished jobs: %s", eb.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        resume_one(c, &jobs[i]);
    coord_stored_jobs_free(jobs, n);
    return 0;
}

static uint64_t random_seed(void)
{
    uint64_t x = (uint64_t)bt_now_ns() ^ ((uint64_t)getpid() << 32);
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        if (read(fd, &x, sizeof x) != (ssize_t)sizeof x)
            x ^= 0x9E3779B97F4A7C15ULL;
        close(fd);
    }
    return x ? x : 1;
}

static int open_coordinator(coordinator *c, const bt_coordinator_config *cfg)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->token_state = random_seed();
    stom_errbuf eb = {0};
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    int rc = stom_db_connect(&c->db, cfg->database, &eb);
    if (!rc)
        rc = stom_db_exec(c->db, "SET synchronous_commit = off", &eb);
    if (!rc)
        rc = stom_bus_sender_init(&c->sender, "bt-coordinator", &eb);
    if (!rc)
        rc = stom_bus_server_open(&c->srv, cfg->listen, "bt-coordinator", 128, 0, &eb);
    if (!rc)
        rc = stom_bus_socket_open(&c->pub, STOM_BUS_PUB, cfg->publish, &opt, &eb);
    if (rc) {
        bt_log("cannot start: %s", eb.msg);
        return 1;
    }
    return 0;
}

static void close_coordinator(coordinator *c)
{
    for (size_t i = 0; i < c->n_waiters; i++)
        stom_bus_server_drop(c->srv, c->waiters[i].p);
    for (size_t i = 0; i < c->n_jobs; i++)
        save_job(c, &c->jobs[i], NULL);
    if (c->db)
        coord_flush(c);
    coord_writes_free(&c->writes);
    for (size_t i = 0; i < c->n_jobs; i++)
        coord_job_destroy(c->jobs[i].job);
    free(c->jobs);
    stom_bus_server_close(c->srv);
    nng_close(c->pub);
    stom_db_close(c->db);
}

int bt_coordinator_run(const bt_coordinator_config *cfg)
{
    coordinator c;
    if (open_coordinator(&c, cfg)) {
        close_coordinator(&c);
        return 1;
    }
    if (resume(&c)) {
        close_coordinator(&c);
        return 1;
    }
    bt_log("coordinator listening on %s, publishing on %s", cfg->listen, cfg->publish);
    int64_t last_tick = 0;
    while (!*cfg->stop) {
        stom_bus_pending *p = NULL;
        int wait = coord_writes_wait_ms(&c.writes, bt_mono_ms());
        if (stom_bus_server_next(c.srv, wait < 0 || wait > LOOP_WAIT_MS ? LOOP_WAIT_MS : wait,
                                 &p) == 0)
            coord_handle(&c, p);
        int64_t now = bt_mono_ms();
        if (coord_writes_due(&c.writes, now))
            coord_flush(&c);
        if (now - last_tick >= LOOP_WAIT_MS) {
            expire_leases(&c);
            coord_serve_waiters(&c, true);
            for (size_t i = 0; i < c.n_jobs; i++)
                coord_publish_progress(&c, &c.jobs[i], false);
            last_tick = now;
        }
    }
    stom_bus_server_stats st;
    stom_bus_server_get_stats(c.srv, &st);
    bt_log("coordinator stops: %llu requests, %llu malformed, %llu duplicate results",
           (unsigned long long)st.received, (unsigned long long)st.malformed,
           (unsigned long long)c.duplicates);
    close_coordinator(&c);
    return 0;
}
