/*
 * worker.c - the pull loop (worker.h). One REQ socket, never resent: a
 * pull that times out is simply asked again, carrying the same result.
 */
#include <malloc.h>
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

typedef struct worker {
    const bt_worker_config *cfg;
    char id[BT_ID_MAX];
    nng_socket sock;
    stom_bus_sender sender;
    bt_cache cache;
    stom_db *db;
    bt_task_output out; /* the last result, until delivered */
    bool have_result;
    size_t tasks;
} worker;

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Sends env and waits for the answer; logs trouble once per outage. */
static int ask(worker *w, Stom__V1__Envelope *env, stom_bus_received *reply)
{
    static bool down;
    stom_errbuf eb = {0};
    int rc = stom_bus_request(w->sock, "rpc.backtester", env, PULL_TIMEOUT_MS, reply, &eb);
    if (rc && !down)
        bt_log("coordinator unreachable (%s); retrying", eb.msg);
    if (!rc && down)
        bt_log("coordinator reachable again");
    down = rc != 0;
    return rc;
}

static Stom__V1__Task *pull(worker *w, stom_bus_received *reply)
{
    Stom__V1__WorkRequest req = STOM__V1__WORK_REQUEST__INIT;
    char *known[BT_CACHE_JOBS];
    req.worker_id = w->id;
    req.n_known_jobs = bt_cache_job_ids(&w->cache, known, BT_CACHE_JOBS);
    req.known_jobs = known;
    if (w->have_result)
        req.last_result = &w->out.r;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &w->sender, bt_now_ns());
    stom_bus_envelope_set_body(&env, &req.base, NULL);
    if (ask(w, &env, reply)) {
        pause_ms(BACKOFF_MS);
        return NULL;
    }
    /* Any answer means the coordinator has the result. */
    if (w->have_result) {
        bt_task_output_free(&w->out);
        w->have_result = false;
    }
    Stom__V1__Envelope *got = reply->msg.env;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_TASK)
        return got->task;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_ERROR) {
        bt_log("coordinator refused the pull: %s", got->error->message ? got->error->message : "");
        pause_ms(BACKOFF_MS);
    }
    return NULL;
}

static void run(worker *w, const Stom__V1__Task *t)
{
    int64_t t0 = bt_mono_ms();
    stom_errbuf eb = {0};
    const char *job_id = t->job_id ? t->job_id : "";
    bt_cached_job *j = bt_cache_find_job(&w->cache, job_id);
    if (!j && t->job)
        j = bt_cache_open_job(&w->cache, t->job, job_id, &w->db, w->cfg->database, &eb);
    else if (!j)
        stom_errorf(&eb, STOM_ENOTFOUND, "job %s: the task came without its spec", job_id);
    if (j) {
        bt_series_set data = {j->series, j->n};
        bt_task_run(&j->job, t, &data, w->id, &w->out);
    } else {
        /* The job cannot run here: report the reason as the task's failure. */
        bt_job none = {0};
        snprintf(none.id, sizeof none.id, "%s", job_id);
        bt_task_run_failed(&none, t, w->id, eb.msg, &w->out);
    }
    w->out.r.has_elapsed_ms = 1;
    w->out.r.elapsed_ms = bt_mono_ms() - t0;
    w->have_result = true;
    w->tasks++;
}

/* At shutdown: hand the last result over without asking for more. */
static void deliver_last(worker *w)
{
    if (!w->have_result)
        return;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &w->sender, bt_now_ns());
    stom_bus_envelope_set_body(&env, &w->out.r.base, NULL);
    stom_bus_received reply = {0};
    if (!ask(w, &env, &reply))
        stom_bus_received_free(&reply);
    bt_task_output_free(&w->out);
    w->have_result = false;
}

static int open_worker(worker *w, const bt_worker_config *cfg)
{
    memset(w, 0, sizeof *w);
    w->cfg = cfg;
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
    worker w;
    if (open_worker(&w, cfg))
        return 1;
    bt_log("worker %s pulling from %s", w.id, cfg->coordinator);
    while (!*cfg->stop && !(cfg->max_tasks && w.tasks >= cfg->max_tasks)) {
        stom_bus_received reply = {0};
        Stom__V1__Task *t = pull(&w, &reply);
        if (t)
            run(&w, t);
        stom_bus_received_free(&reply);
    }
    deliver_last(&w);
    bt_log("worker %s stops after %zu tasks (bar loads %llu, cache hits %llu)", w.id, w.tasks,
           (unsigned long long)w.cache.loads, (unsigned long long)w.cache.hits);
    bt_cache_free(&w.cache);
    stom_db_close(w.db);
    nng_close(w.sock);
    return 0;
}
