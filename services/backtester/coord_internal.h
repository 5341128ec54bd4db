/*
 * coord_internal.h - the coordinator's state, shared by coordinator.c (the
 * loop, leases, resuming), coord_handlers.c (one function per request body)
 * and coord_messages.c (building replies and events).
 *
 * Thread-safety: everything here belongs to the coordinator's thread.
 */
#ifndef STOM_BT_COORD_INTERNAL_H
#define STOM_BT_COORD_INTERNAL_H

#include <nng/nng.h>

#include "coord_db.h"
#include "coord_job.h"
#include "coordinator.h"
#include "stom/bus_nng.h"

#define COORD_MAX_WAITERS 256
#define COORD_MAX_KNOWN   8
#define COORD_MAX_WORKERS 64

/* A worker's pull waiting for work. */
typedef struct coord_waiter {
    stom_bus_pending *p;
    int64_t deadline_ms;
    char worker[BT_ID_MAX];
    char known[COORD_MAX_KNOWN][BT_ID_MAX];
    size_t n_known;
} coord_waiter;

typedef struct coord_worker_seen {
    char id[BT_ID_MAX];
    int64_t last_ms;
} coord_worker_seen;

typedef struct coord_job_entry {
    coord_job *job;
    int64_t started_ms;
    int64_t progress_ms;       /* last progress published */
    int64_t saved_ms;          /* last job row update */
    uint64_t results_at_start; /* results replayed on resume (for the ETA) */
} coord_job_entry;

typedef struct coordinator {
    const bt_coordinator_config *cfg;
    stom_db *db;
    stom_bus_server *srv;
    nng_socket pub;
    stom_bus_sender sender;
    coord_job_entry *jobs;
    size_t n_jobs, cap_jobs;
    coord_waiter waiters[COORD_MAX_WAITERS];
    size_t n_waiters;
    coord_worker_seen workers[COORD_MAX_WORKERS];
    size_t n_workers;
    coord_writes writes; /* the pull path's rows, written behind (coord_writes.h) */
    uint64_t token_state;
    uint64_t duplicates, stale;
} coordinator;

/* coordinator.c */
coord_job_entry *coord_find(coordinator *c, const char *id);
/* Makes a new job (already stored) active; plans its first batch. */
void coord_activate(coordinator *c, coord_job *j);
/* Writes what is queued now (before reading rows the queue may hold); logs a failure. 0 or
 * STOM_EIO. */
int coord_flush(coordinator *c);
/* Records r (its rows are queued); returns true when it was new. */
bool coord_record(coordinator *c, const Stom__V1__TaskResult *r);
/* Leases the first pending task of a running job to worker; NULL when none. */
coord_task *coord_lease(coordinator *c, const char *worker, coord_job_entry **which);
/* Ends job e (state DONE, FAILED or CANCELLED) and forgets it. */
void coord_finish(coordinator *c, coord_job_entry *e, Stom__V1__JobState state, const char *error);
void coord_saw_worker(coordinator *c, const char *id);
size_t coord_active_workers(coordinator *c);

/* coord_handlers.c: answers p (always: reply, park or drop). */
void coord_handle(coordinator *c, stom_bus_pending *p);
/* Answers parked pulls that now have work, or whose wait is over. */
void coord_serve_waiters(coordinator *c, bool deadline_only);

/* coord_messages.c */
int coord_reply(coordinator *c, stom_bus_pending *p, ProtobufCMessage *body);
void coord_reply_error(coordinator *c, stom_bus_pending *p, Stom__V1__ErrorCode code,
                       const char *msg);
/* Replies with task t of job e to a pull that knows known jobs. */
void coord_reply_task(coordinator *c, stom_bus_pending *p, coord_job_entry *e, coord_task *t,
                      char (*known)[BT_ID_MAX], size_t n_known);
void coord_reply_no_work(coordinator *c, stom_bus_pending *p);
/* The in-memory status of an active job. st's storage is static until the next call. */
void coord_status_of(coordinator *c, coord_job_entry *e, Stom__V1__JobStatus *st,
                     Stom__V1__Progress *pr);
void coord_publish_progress(coordinator *c, coord_job_entry *e, bool force);
void coord_publish_result(coordinator *c, coord_job_entry *e);

#endif
