/*
 * gw_pool.c - worker threads over a bounded, locked job queue, and a done
 * queue the service thread drains after being woken.
 *
 * Invariant: a job is in exactly one place - the submitter, the waiting
 * queue, a worker, the done queue, or the service thread after take_done.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "gw_coord.h"
#include "gw_metrics.h"
#include "gw_pool.h"
#include "gw_router.h"
#include "stom/alloc.h"

typedef struct job_list {
    gw_job *head, *tail;
    size_t len;
} job_list;

typedef struct worker worker;

struct gw_pool {
    const gw_config *cfg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job_list waiting, done;
    size_t queue_max;
    bool stopping;
    gw_pool_wake_fn wake;
    void *wake_arg;
    worker *workers;
    int n_workers; /* started */
};

struct worker {
    gw_pool *pool;
    gw_ctx ctx;
    pthread_t thread;
};

static void list_push(job_list *l, gw_job *j)
{
    j->next = NULL;
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
    l->len++;
}

static gw_job *list_pop(job_list *l)
{
    gw_job *j = l->head;
    if (!j)
        return NULL;
    l->head = j->next;
    if (!l->head)
        l->tail = NULL;
    l->len--;
    j->next = NULL;
    return j;
}

void gw_job_free(gw_job *job)
{
    if (!job)
        return;
    free(job->res.body);
    free(job->buf);
    free(job->body);
    free(job);
}

static void ctx_close(gw_ctx *ctx)
{
    stom_db_close(ctx->db);
    stom_redis_close(ctx->redis);
    gw_coord_close(ctx->coord);
    gw_coord_close(ctx->engine);
    ctx->db = NULL;
    ctx->redis = NULL;
    ctx->coord = NULL;
    ctx->engine = NULL;
}

int gw_ctx_prepare(gw_ctx *ctx, stom_errbuf *eb)
{
    if (!ctx->coord) {
        stom_errbuf ceb = {0};
        if (gw_coord_open(&ctx->coord, ctx->cfg->coordinator, &ceb))
            fprintf(stderr, "stom-gateway: worker %d: coordinator client: %s\n", ctx->worker,
                    ceb.msg);
    }
    if (!ctx->redis) {
        stom_errbuf reb = {0};
        if (stom_redis_connect(&ctx->redis, ctx->cfg->redis, &reb))
            ctx->redis = NULL; /* rate limits pass while Redis is down; tried again next time */
    }
    if (ctx->db)
        return stom_db_check(ctx->db, eb); /* resets a connection libpq reports bad */
    return stom_db_connect(&ctx->db, ctx->cfg->database, eb) ? STOM_EIO : 0;
}

static void run(gw_pool *p, gw_ctx *ctx, gw_job *job)
{
    gw_metrics_in_flight_add(1);
    gw_router_dispatch(ctx, &job->req, &job->res, job->started_ns);
    gw_metrics_in_flight_add(-1);
    pthread_mutex_lock(&p->mu);
    /* The service thread drains the whole done queue once woken, so only the job that finds
     * it empty needs to wake it: the others are collected in the same pass. */
    bool wake = p->done.head == NULL;
    list_push(&p->done, job);
    pthread_mutex_unlock(&p->mu);
    if (wake)
        p->wake(p->wake_arg);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    gw_pool *p = w->pool;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stopping && !p->waiting.head)
            pthread_cond_wait(&p->cv, &p->mu);
        gw_job *job = p->stopping ? NULL : list_pop(&p->waiting);
        gw_metrics_queue_depth((int64_t)p->waiting.len);
        pthread_mutex_unlock(&p->mu);
        if (!job)
            break;
        run(p, &w->ctx, job);
    }
    ctx_close(&w->ctx);
    return NULL;
}

int gw_pool_start(gw_pool **out, const gw_config *cfg, size_t queue_max, gw_pool_wake_fn wake,
                  void *arg, stom_errbuf *eb)
{
    gw_pool *p = stom_xcalloc(1, sizeof *p);
    p->cfg = cfg;
    p->queue_max = queue_max;
    p->wake = wake;
    p->wake_arg = arg;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->workers = stom_xcalloc((size_t)cfg->threads, sizeof *p->workers);
    for (int i = 0; i < cfg->threads; i++) {
        worker *w = &p->workers[i];
        w->pool = p;
        w->ctx.cfg = cfg;
        w->ctx.worker = i;
        if (pthread_create(&w->thread, NULL, worker_main, w)) {
            gw_pool_destroy(p);
            return stom_errorf(eb, STOM_EIO, "cannot start worker thread %d", i);
        }
        p->n_workers++;
    }
    *out = p;
    return 0;
}

static void free_list(job_list *l)
{
    for (gw_job *j; (j = list_pop(l));)
        gw_job_free(j);
}

void gw_pool_stop(gw_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_workers; i++)
        pthread_join(p->workers[i].thread, NULL);
    p->n_workers = 0;
    /* Jobs no worker took go back unanswered, so their owner can let go of them. */
    for (gw_job *j; (j = list_pop(&p->waiting));)
        list_push(&p->done, j);
}

void gw_pool_destroy(gw_pool *p)
{
    if (!p)
        return;
    gw_pool_stop(p);
    free_list(&p->done);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p);
}

int gw_pool_submit(gw_pool *p, gw_job *job)
{
    pthread_mutex_lock(&p->mu);
    bool full = p->waiting.len >= p->queue_max;
    if (!full) {
        list_push(&p->waiting, job);
        gw_metrics_queue_depth((int64_t)p->waiting.len);
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return full ? STOM_ETOOBIG : 0;
}

gw_job *gw_pool_take_done(gw_pool *p)
{
    pthread_mutex_lock(&p->mu);
    gw_job *j = list_pop(&p->done);
    pthread_mutex_unlock(&p->mu);
    return j;
}

size_t gw_pool_depth(gw_pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->waiting.len;
    pthread_mutex_unlock(&p->mu);
    return n;
}
