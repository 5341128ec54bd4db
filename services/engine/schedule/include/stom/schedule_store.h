/*
 * stom/schedule_store.h - scheduled jobs in PostgreSQL (table schedules,
 * migration 0007) and the claim the engine runs to find what is due.
 *
 * Scope: functions that take an owner act on that user's jobs only; owner
 * 0 means every user's (an admin). A job of another user is reported as
 * STOM_ENOTFOUND, never as "forbidden", so ids do not leak.
 *
 * Claiming is at-most-once: the claim marks a job fired and moves its
 * next_fire_at in the same transaction that selects it, and two engines
 * claiming at once never both get a job (FOR UPDATE SKIP LOCKED, see
 * schedule_store.c). An engine that dies after the claim has lost the fire;
 * it is never repeated.
 *
 * Missed fires: a claim at now fires a job whose due time is on now's KST
 * date (late but the same trading day) once; a job whose due time is on an
 * earlier date is not fired: its missed_count grows, last_missed_at is set
 * to the due time, and it is rescheduled after now.
 *
 * Thread-safety: as stom_db (one connection per thread).
 */
#ifndef STOM_SCHEDULE_STORE_H
#define STOM_SCHEDULE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/schedule.h"
#include "stom/store.h"

#define STOM_SCHEDULE_CLAIM_MAX 100 /* jobs one claim returns at most; claim again for more */

/*
 * Stores job (borrowed) for job->owner; computes its next fire after now_ns
 * when enabled. On success sets job->id and job->next_fire_ns. Returns 0,
 * STOM_EINVAL (a field out of range, a job of that owner has the same
 * name, or no day to fire on; eb names the field) or STOM_EIO.
 */
int stom_schedule_add(stom_db *db, stom_schedule_job *job, int64_t now_ns, stom_errbuf *eb);

/*
 * Edits job->id of owner (0: any) to job's name, when, days, action, args
 * and enabled flag (borrowed; job->owner is ignored), keeping its fire
 * history; the next fire is computed again after now_ns. Sets
 * job->next_fire_ns. Returns 0, STOM_ENOTFOUND, STOM_EINVAL as
 * stom_schedule_add or STOM_EIO.
 */
int stom_schedule_update(stom_db *db, int64_t owner, stom_schedule_job *job, int64_t now_ns,
                         stom_errbuf *eb);

/* Lists owner's jobs (0: all) by id into *out (owned: stom_schedule_jobs_free). */
int stom_schedule_list(stom_db *db, int64_t owner, stom_schedule_jobs *out, stom_errbuf *eb);

/* Fetches job id of owner (0: any) into *out (owned args: stom_schedule_job_clear).
 * STOM_ENOTFOUND when there is none. */
int stom_schedule_get(stom_db *db, int64_t owner, int64_t id, stom_schedule_job *out,
                      stom_errbuf *eb);

/* Removes job id of owner (0: any). 0, STOM_ENOTFOUND or STOM_EIO. */
int stom_schedule_remove(stom_db *db, int64_t owner, int64_t id, stom_errbuf *eb);

/*
 * Enables or disables job id of owner (0: any). Enabling computes the next
 * fire after now_ns, so a job enabled late does not fire for a time that
 * has passed; disabling clears it; a job already in that state is left
 * as it is. 0, STOM_ENOTFOUND or STOM_EIO.
 */
int stom_schedule_set_enabled(stom_db *db, int64_t owner, int64_t id, bool enabled, int64_t now_ns,
                              stom_errbuf *eb);

/*
 * Claims the jobs due at now_ns (next_fire_at <= now), at most
 * STOM_SCHEDULE_CLAIM_MAX, in one transaction: each gets its next fire
 * after now; those due today (KST) are marked fired at now and returned in
 * *due (owned; each job's due_ns is the fire time it was due), those due on
 * an earlier day are recorded as missed (see above) and not returned.
 * *missed (may be NULL) gets how many were missed. Returns 0 or STOM_EIO
 * (nothing claimed).
 */
int stom_schedule_claim(stom_db *db, int64_t now_ns, stom_schedule_jobs *due, size_t *missed,
                        stom_errbuf *eb);

/* The engine's tick: stom_schedule_claim at clock's now. */
int stom_schedule_run_due(stom_db *db, stom_schedule_clock clock, stom_schedule_jobs *due,
                          size_t *missed, stom_errbuf *eb);

#endif
