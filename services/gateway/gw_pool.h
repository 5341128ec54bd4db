/*
 * gw_pool.h - the gateway's worker threads and the jobs they run.
 *
 * The service thread turns each complete request into a gw_job and submits
 * it; a worker runs it through the router with its own gw_ctx and puts it
 * on the done queue and, when that queue was empty, calls the wake function
 * (lws_cancel_service): the service thread, once woken, collects every
 * finished job with gw_pool_take_done until it returns NULL. The queue of
 * waiting jobs is bounded: a full queue refuses at once (the caller answers
 * 503) rather than letting latency grow without limit.
 *
 * Each worker's connections are opened when first needed and re-opened
 * after failures (gw_ctx_prepare), so the gateway recovers by itself when
 * PostgreSQL, Redis or the coordinator come back.
 *
 * Thread-safety: gw_pool_submit, gw_pool_take_done and gw_pool_depth may be
 * called from any thread; start, stop and destroy from the thread that
 * owns the pool. A gw_job belongs to whoever holds it: the submitter until submit
 * succeeds, then the pool, then the caller of gw_pool_take_done.
 */
#ifndef STOM_GW_POOL_H
#define STOM_GW_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "gw.h"

typedef struct gw_job {
    gw_request req;
    gw_response res;
    char *buf;          /* owned: path, query and headers copied from the connection */
    char *body;         /* owned: the body (req.body points here) */
    int64_t started_ns; /* when the request was complete (CLOCK_MONOTONIC) */
    /* The service thread's bookkeeping; workers never touch these. */
    void *conn;    /* the connection's session, valid unless orphaned */
    bool orphaned; /* the connection closed while the job ran: discard the answer */
    struct gw_job *next;
} gw_job;

typedef struct gw_pool gw_pool;
typedef void (*gw_pool_wake_fn)(void *arg);

/*
 * Starts cfg->threads workers with a queue of queue_max jobs; wake(arg) is
 * called (from a worker) after each finished job. 0 or STOM_EIO. Borrows
 * cfg (it must outlive the pool).
 */
int gw_pool_start(gw_pool **out, const gw_config *cfg, size_t queue_max, gw_pool_wake_fn wake,
                  void *arg, stom_errbuf *eb);
/* Stops the workers after their current job; jobs still waiting move to the done queue
 * unanswered (status 0) for gw_pool_take_done. NULL is a no-op. */
void gw_pool_stop(gw_pool *p);
/* Stops the pool if needed and frees it with the jobs still in it. NULL is a no-op. */
void gw_pool_destroy(gw_pool *p);
/* Takes job. 0, or STOM_ETOOBIG when the queue is full (job stays the caller's). */
int gw_pool_submit(gw_pool *p, gw_job *job);
/* Returns one finished job (owned) or NULL. */
gw_job *gw_pool_take_done(gw_pool *p);
/* Jobs waiting for a worker. */
size_t gw_pool_depth(gw_pool *p);
/* Frees job and everything it owns. NULL is a no-op. */
void gw_job_free(gw_job *job);

/*
 * Makes ctx's connections usable: connects PostgreSQL when it has no
 * connection (or resets one libpq reports bad), connects Redis when it has
 * none (a Redis that is down leaves ctx->redis NULL: callers must accept
 * that), opens the coordinator client. Returns 0, or STOM_EIO when
 * PostgreSQL cannot be reached (ctx->db may then be NULL; the next call
 * tries again). Worker thread only.
 */
int gw_ctx_prepare(gw_ctx *ctx, stom_errbuf *eb);

#endif
