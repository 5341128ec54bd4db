/*
 * worker.c - the pull loop (worker.h). One REQ socket, never resent: a
 * pull that times out is simply asked again, carrying the same result.
 * Two requests may be in flight on it at once (each in its own context):
 * the prefetching pull and a result sent on its own.
 */
#include <malloc.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bt.h"
#include "stom/bus_nng.h"
#include "worker.h"
#include "worker_cache.h"

#define PULL_TIMEOUT_MS 15000
#define BACKOFF_MS      200

/* A result until the coordinator has it. */
typedef struct result_slot {
    bt_task_output out;
    bool full;
} result_slot;

typedef struct worker {
    const bt_worker_config *cfg;
    char id[BT_ID_MAX];
    nng_socket sock;
    stom_bus_sender sender;
    bt_cache cache;
    stom_db *db;
    /* At most two results wait: the one the pull in flight carries and the
     * one of the task running meanwhile. */
    result_slot results[2];
    stom_bus_call *pull; /* the pull in flight, or NULL */
    int pull_carries;    /* index of the result it carries, or -1 */
    bool down;           /* the coordinator did not answer last time */
    size_t tasks;
} worker;

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Logs trouble with the coordinator once per outage. */
static void note_answer(worker *w, int rc, const stom_errbuf *eb)
{
    if (rc && !w->down)
        bt_log("coordinator unreachable (%s); retrying", eb->msg);
    if (!rc && w->down)
        bt_log("coordinator reachable again");
    w->down = rc != 0;
}

static void result_delivered(worker *w, int i)
{
    bt_task_output_free(&w->results[i].out);
    w->results[i].full = false;
}

/* A waiting result that no request in flight carries, or -1. */
static int undelivered(const worker *w)
{
    for (int i = 0; i < 2; i++)
        if (w->results[i].full && i != w->pull_carries)
            return i;
    return -1;
}

/*
 * Asks for the next task without waiting for it; the pull carries a result
 * still to deliver. The job ids listed as known are those cached now: the
 * only change to the cache before the answer's task runs is opening the
 * current task's job, which happens before this.
 */
static void start_pull(worker *w)
{
    Stom__V1__WorkRequest req = STOM__V1__WORK_REQUEST__INIT;
    char *known[BT_CACHE_JOBS];
    req.worker_id = w->id;
    req.n_known_jobs = bt_cache_job_ids(&w->cache, known, BT_CACHE_JOBS);
    req.known_jobs = known;
    int carry = undelivered(w);
    if (carry >= 0)
        req.last_result = &w->results[carry].out.r;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &w->sender, bt_now_ns());
    stom_bus_envelope_set_body(&env, &req.base, NULL);
    stom_errbuf eb = {0};
    if (stom_bus_call_start(w->sock, "rpc.backtester", &env, PULL_TIMEOUT_MS, &w->pull, &eb)) {
        note_answer(w, 1, &eb);
        pause_ms(BACKOFF_MS);
        return;
    }
    w->pull_carries = carry;
}

/* Waits for the pull in flight; returns its task (pointing into reply) or NULL. */
static Stom__V1__Task *finish_pull(worker *w, stom_bus_received *reply)
{
    stom_errbuf eb = {0};
    int rc = stom_bus_call_finish(w->pull, reply, &eb);
    w->pull = NULL;
    note_answer(w, rc, &eb);
    int carried = w->pull_carries;
    w->pull_carries = -1;
    if (rc) {
        pause_ms(BACKOFF_MS);
        return NULL;
    }
    /* Any answer means the coordinator has the result. */
    if (carried >= 0)
        result_delivered(w, carried);
    Stom__V1__Envelope *got = reply->msg.env;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_TASK)
        return got->task;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_ERROR) {
        bt_log("coordinator refused the pull: %s", got->error->message ? got->error->message : "");
        pause_ms(BACKOFF_MS);
    }
    return NULL;
}

/* Hands every result no request carries to the coordinator now, without asking for work. */
static void deliver_results(worker *w)
{
    for (int i; (i = undelivered(w)) >= 0;) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &w->sender, bt_now_ns());
        stom_bus_envelope_set_body(&env, &w->results[i].out.r.base, NULL);
        stom_bus_received reply = {0};
        stom_errbuf eb = {0};
        int rc = stom_bus_request(w->sock, "rpc.backtester", &env, PULL_TIMEOUT_MS, &reply, &eb);
        note_answer(w, rc, &eb);
        stom_bus_received_free(&reply);
        if (!rc)
            result_delivered(w, i);
        else if (*w->cfg->stop) {
            bt_log("dropping the result of task %llu: %s",
                   (unsigned long long)w->results[i].out.r.task_id, eb.msg);
            result_delivered(w, i);
        } else
            pause_ms(BACKOFF_MS);
    }
}

/* The cached job of t, opened from the spec t carries when it is new here. */
static bt_cached_job *job_of(worker *w, const Stom__V1__Task *t, stom_errbuf *eb)
{
    const char *job_id = t->job_id ? t->job_id : "";
    bt_cached_job *j = bt_cache_find_job(&w->cache, job_id);
    if (!j && t->job)
        j = bt_cache_open_job(&w->cache, t->job, job_id, &w->db, w->cfg->database, eb);
    else if (!j)
        stom_errorf(eb, STOM_ENOTFOUND, "job %s: the task came without its spec", job_id);
    return j;
}

static void run(worker *w, const Stom__V1__Task *t, bt_cached_job *j, const char *why)
{
    int64_t t0 = bt_mono_ms();
    if (undelivered(w) >= 0 && w->results[0].full && w->results[1].full)
        deliver_results(w); /* both slots taken: the older one could not be delivered */
    int i = w->results[0].full ? 1 : 0;
    bt_task_output *out = &w->results[i].out;
    if (j) {
        bt_series_set data = {j->series, j->n};
        bt_task_run(&j->job, t, &data, w->id, out);
    } else {
        /* The job cannot run here: report the reason as the task's failure. */
        bt_job none = {0};
        snprintf(none.id, sizeof none.id, "%s", t->job_id ? t->job_id : "");
        bt_task_run_failed(&none, t, w->id, why, out);
    }
    out->r.has_elapsed_ms = 1;
    out->r.elapsed_ms = bt_mono_ms() - t0;
    w->results[i].full = true;
    w->tasks++;
}

/* True when no further task should be asked for. */
static bool stopping(const worker *w, size_t more)
{
    return *w->cfg->stop || (w->cfg->max_tasks && w->tasks + more >= w->cfg->max_tasks);
}

/*
 * One turn: take the answer of the pull in flight; with a task, ask for
 * the next one before running this one, so the coordinator's answer
 * travels while the worker computes. When the task is done and the next
 * answer has not come (no work yet: the pull waits on the coordinator),
 * the result goes over on its own rather than waiting with the pull.
 */
static void turn(worker *w)
{
    stom_bus_received reply = {0};
    Stom__V1__Task *t = finish_pull(w, &reply);
    if (t) {
        stom_errbuf eb = {0};
        bt_cached_job *j = job_of(w, t, &eb);
        if (!stopping(w, 1))
            start_pull(w);
        run(w, t, j, eb.msg);
        if (w->pull && !stom_bus_call_ready(w->pull))
            deliver_results(w);
    }
    stom_bus_received_free(&reply);
}

static int open_worker(worker *w, const bt_worker_config *cfg)
{
    memset(w, 0, sizeof *w);
    w->cfg = cfg;
    w->pull_carries = -1;
    if (cfg->worker_id)
        snprintf(w->id, sizeof w->id, "%s", cfg->worker_id);
    else {
        char host[32] = "host";
        gethostname(host, sizeof host - 1);
        snprintf(w->id, sizeof w->id, "w-%s-%ld", host, (long)getpid());
    }
    stom_errbuf eb = {0};
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    char spec[STOM_BUS_URL_MAX + 8];
    snprintf(spec, sizeof spec, "%s%s", strncmp(cfg->coordinator, "dial:", 5) ? "dial:" : "",
             cfg->coordinator);
    if (stom_bus_sender_init(&w->sender, w->id, &eb) ||
        stom_bus_socket_open(&w->sock, STOM_BUS_REQ, spec, &opt, &eb)) {
        bt_log("cannot start: %s", eb.msg);
        return 1;
    }
    bt_cache_init(&w->cache, cfg->cache_bytes);
    return 0;
}

/*
 * Every task allocates a run's per-bar series (tens of MB for a million
 * bars) and frees them. With glibc's defaults those either come from fresh
 * mmaps or are trimmed off the heap after each task, so every task paid
 * page faults for them again: about a third of its time. Keeping them in
 * the heap and never trimming it makes later tasks reuse warm pages.
 */
static void keep_task_memory(void)
{
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

int bt_worker_run(const bt_worker_config *cfg)
{
    keep_task_memory();
    if (cfg->nice > 0 && setpriority(PRIO_PROCESS, 0, cfg->nice) != 0)
        bt_log("cannot lower the worker's priority to nice %d; running as is", cfg->nice);
    worker w;
    if (open_worker(&w, cfg))
        return 1;
    bt_log("worker %s pulling from %s", w.id, cfg->coordinator);
    for (;;) {
        if (!w.pull && !stopping(&w, 0))
            start_pull(&w);
        if (!w.pull && stopping(&w, 0))
            break;
        if (w.pull)
            turn(&w);
    }
    deliver_results(&w);
    bt_log("worker %s stops after %zu tasks (bar loads %llu, cache hits %llu)", w.id, w.tasks,
           (unsigned long long)w.cache.loads, (unsigned long long)w.cache.hits);
    bt_cache_free(&w.cache);
    stom_db_close(w.db);
    nng_close(w.sock);
    return 0;
}
