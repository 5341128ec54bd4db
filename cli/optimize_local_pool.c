/*
 * optimize_local_pool.c - the threads of `stom optimize --local`
 * (optimize_local.h). They play the platform's workers: each takes the next
 * task of the batch, runs it with bt_task_run on its own bt_job, and leaves
 * the result packed as the coordinator stores it. The main thread plays the
 * coordinator: it plans batches and records results with coord_job.
 *
 * One mutex guards the hand-out (next, end), the results array and the
 * job; `work` wakes threads when a batch is out, `finished` wakes the main
 * thread when the last task of a batch ends (or of a stopped run). SIGINT is blocked in the
 * threads, so Ctrl-C reaches the main thread, which stops handing out tasks.
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "optimize_local.h"
#include "stom/alloc.h"

#define MAX_THREADS 1024

typedef struct local_thread {
    local_pool *pool;
    pthread_t id;
    char name[32]; /* the worker id in its results ("local-1"); not stored */
} local_thread;

struct local_pool {
    coord_job *job;
    const bt_series_set *data;
    pthread_mutex_t mu;
    pthread_cond_t work, finished;
    size_t next, end;      /* tasks [next, end) are not taken yet */
    size_t running;        /* taken and not finished */
    size_t recorded;       /* the batch's results recorded up to here */
    local_result *results; /* one per planned task */
    size_t cap_results;
    bool quit;
    local_thread *threads;
    size_t n_threads;
};

/* Takes the next task as its message (built under the lock: the job may not change meanwhile). */
static bool take(local_pool *p, coord_task_msg *m, size_t *index)
{
    pthread_mutex_lock(&p->mu);
    while (!p->quit && p->next >= p->end)
        pthread_cond_wait(&p->work, &p->mu);
    bool got = !p->quit;
    if (got) {
        *index = p->next++;
        p->running++;
        coord_job_task_msg(p->job, &p->job->tasks[*index], m);
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

static void keep_result(const bt_task_output *out, local_result *r)
{
    Stom__V1__TaskResult stored;
    coord_page_stored_result(&out->r, &stored);
    r->len = protobuf_c_message_get_packed_size(&stored.base);
    r->packed = stom_xmalloc(r->len ? r->len : 1);
    protobuf_c_message_pack(&stored.base, r->packed);
    r->key = coord_page_rank_key(&out->r);
    /* What the coordinator records for a result (coord_record). */
    r->score = out->r.has_objective ? out->r.objective : -INFINITY;
    r->failed = out->r.status == STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    r->done = true;
}

static void finish(local_pool *p, size_t index, const local_result *r)
{
    pthread_mutex_lock(&p->mu);
    p->results[index] = *r;
    p->running--;
    /* Only the batch's end wakes the main thread: between ends it records on its own
     * ticks, so short tasks do not cost a wake-up each. */
    if (p->running == 0 && p->next >= p->end)
        pthread_cond_signal(&p->finished);
    pthread_mutex_unlock(&p->mu);
}

static void *thread_main(void *arg)
{
    local_thread *t = arg;
    local_pool *p = t->pool;
    bt_job job;
    stom_errbuf eb = {{0}};
    /* The spec is never changed while threads run: reading it here needs no lock. */
    int open_rc = bt_job_open(&job, p->job->job.spec, &eb);
    coord_task_msg m;
    size_t index;
    while (take(p, &m, &index)) {
        bt_task_output out;
        local_result r = {0};
        if (open_rc == 0)
            bt_task_run(&job, &m.task, p->data, t->name, &out);
        else
            bt_task_run_failed(&job, &m.task, t->name, eb.msg, &out);
        keep_result(&out, &r);
        bt_task_output_free(&out);
        finish(p, index, &r);
    }
    bt_job_close(&job);
    return NULL;
}

static size_t start_threads(local_pool *p, size_t n)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    p->threads = stom_xcalloc(n, sizeof *p->threads);
    for (size_t k = 0; k < n; k++) {
        local_thread *t = &p->threads[p->n_threads];
        t->pool = p;
        snprintf(t->name, sizeof t->name, "local-%zu", k + 1);
        if (pthread_create(&t->id, NULL, thread_main, t) == 0)
            p->n_threads++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return p->n_threads;
}

int local_pool_start(local_pool **out, coord_job *j, const bt_series_set *data, size_t n_threads)
{
    local_pool *p = stom_xcalloc(1, sizeof *p);
    pthread_condattr_t ca;
    p->job = j;
    p->data = data;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->finished, &ca);
    pthread_condattr_destroy(&ca);
    n_threads = n_threads < 1 ? 1 : n_threads > MAX_THREADS ? MAX_THREADS : n_threads;
    if (start_threads(p, n_threads) == 0) {
        cli_error("cannot start a thread for the local run");
        local_pool_destroy(p);
        return EXIT_INTERNAL;
    }
    *out = p;
    return EXIT_OK;
}

size_t local_pool_advance(local_pool *p)
{
    pthread_mutex_lock(&p->mu);
    coord_job *j = p->job;
    size_t first = j->n_tasks;
    size_t n = coord_job_advance(j);
    if (j->n_tasks > p->cap_results) {
        size_t cap = j->n_tasks * 2;
        p->results = stom_xrealloc(p->results, cap * sizeof *p->results);
        memset(p->results + p->cap_results, 0, (cap - p->cap_results) * sizeof *p->results);
        p->cap_results = cap;
    }
    p->next = p->recorded = first;
    p->end = j->n_tasks;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    return n;
}

static void wait_finished(local_pool *p, int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&p->finished, &p->mu, &until);
}

/* Records finished results in task order up to the first unfinished one. */
static void record_ready(local_pool *p)
{
    coord_job *j = p->job;
    while (p->recorded < p->end && p->results[p->recorded].done) {
        const local_result *r = &p->results[p->recorded];
        coord_job_record(j, j->tasks[p->recorded].id, r->score, r->failed);
        p->recorded++;
    }
}

bool local_pool_collect(local_pool *p, int wait_ms)
{
    pthread_mutex_lock(&p->mu);
    record_ready(p);
    if (p->recorded < p->end) {
        wait_finished(p, wait_ms);
        record_ready(p);
    }
    bool complete = p->recorded >= p->end;
    pthread_mutex_unlock(&p->mu);
    return complete;
}

void local_pool_stop(local_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->end = p->next;
    while (p->running > 0)
        pthread_cond_wait(&p->finished, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

const local_result *local_pool_results(const local_pool *p)
{
    return p->results;
}

void local_pool_destroy(local_pool *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t k = 0; k < p->n_threads; k++)
        pthread_join(p->threads[k].id, NULL);
    for (size_t k = 0; k < p->cap_results; k++)
        free(p->results[k].packed);
    free(p->results);
    free(p->threads);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
