/*
 * schedule_claim.c - the claim of due jobs, which the engine runs on every
 * tick (stom_schedule_run_due).
 *
 * Why two engines never fire a job twice: the claim selects due rows with
 * FOR UPDATE SKIP LOCKED and, in the same transaction, moves each row's
 * next_fire_at past now before committing. A second claimer running at the
 * same time skips the rows the first has locked instead of waiting for
 * them; one that reads a row after the first committed sees next_fire_at >
 * now (PostgreSQL re-checks the WHERE clause on the newest row version
 * when it locks a row in READ COMMITTED), so the row no longer qualifies.
 * Either way each due fire is returned to exactly one claimer.
 *
 * Missed fires (the engine was down at the fire time): a job due on now's
 * KST date fires once, late; one due on an earlier date is recorded as
 * missed (missed_count, last_missed_at = the due time) and not returned.
 * Both get their next fire after now, so a long outage never produces a
 * burst of catch-up fires.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "schedule_internal.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

static const char claim_select[] =
    "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE enabled AND next_fire_at <= $1::timestamptz "
    "ORDER BY next_fire_at, id LIMIT 100 FOR UPDATE SKIP LOCKED";

/* $1 id, $2 next fire, $3 fired (else missed), $4 now, $5 the due time. A next fire of
 * NULL (no day left to fire on) disables the job, as the table's CHECK requires. */
static const char claim_update[] =
    "UPDATE schedules SET next_fire_at = $2::timestamptz, enabled = $2::timestamptz IS NOT NULL, "
    "last_fired_at = CASE WHEN $3 THEN $4::timestamptz ELSE last_fired_at END, "
    "last_missed_at = CASE WHEN $3 THEN last_missed_at ELSE $5::timestamptz END, "
    "missed_count = missed_count + CASE WHEN $3 THEN 0 ELSE 1 END, updated_at = now() "
    "WHERE id = $1";

_Static_assert(STOM_SCHEDULE_CLAIM_MAX == 100, "claim_select's LIMIT");

static int32_t kst_date(int64_t ns)
{
    return stom_date_of(ns / STOM_NS_PER_SEC, STOM_KST_OFFSET_MINUTES);
}

/* Moves job (a locked due row) on; true in *fired when it fires now. */
static int advance(stom_db *db, stom_schedule_job *job, int64_t now_ns, bool *fired,
                   stom_errbuf *eb)
{
    job->due_ns = job->next_fire_ns;
    *fired = kst_date(job->due_ns) == kst_date(now_ns);
    int64_t next = stom_schedule_next_fire(job, now_ns);
    char id[24], at_next[SCHEDULE_TS_TEXT], at_now[SCHEDULE_TS_TEXT], at_due[SCHEDULE_TS_TEXT];
    snprintf(id, sizeof id, "%" PRId64, job->id);
    const char *params[] = {id, stom__schedule_timestamp(next, at_next, sizeof at_next),
                            *fired ? "true" : "false",
                            stom__schedule_timestamp(now_ns, at_now, sizeof at_now),
                            stom__schedule_timestamp(job->due_ns, at_due, sizeof at_due)};
    int rc = stom_db_query_prepared(db, claim_update, 5, params, PGRES_COMMAND_OK, "claim schedule",
                                    NULL, eb);
    if (rc == STOM_OK && *fired) {
        job->last_fired_ns = now_ns;
        job->next_fire_ns = next;
        job->enabled = next != 0;
    }
    return rc;
}

/* Advances every row of res; keeps the fired ones in *due (owned). */
static int advance_all(stom_db *db, PGresult *res, int64_t now_ns, stom_schedule_jobs *due,
                       size_t *missed, stom_errbuf *eb)
{
    int rows = PQntuples(res);
    stom_schedule_jobs list = {stom_xcalloc(rows ? (size_t)rows : 1, sizeof *list.v), 0};
    int rc = STOM_OK;
    for (int r = 0; r < rows && rc == STOM_OK; r++) {
        stom_schedule_job job;
        bool fired = false;
        rc = stom__schedule_job_from_row(res, r, &job, eb);
        if (rc == STOM_OK)
            rc = advance(db, &job, now_ns, &fired, eb);
        if (rc == STOM_OK && fired)
            list.v[list.n++] = job;
        else
            stom_schedule_job_clear(&job);
        *missed += rc == STOM_OK && !fired;
    }
    if (rc != STOM_OK) {
        stom_schedule_jobs_free(&list);
        return rc;
    }
    *due = list;
    return STOM_OK;
}

int stom_schedule_claim(stom_db *db, int64_t now_ns, stom_schedule_jobs *due, size_t *missed,
                        stom_errbuf *eb)
{
    char at_now[SCHEDULE_TS_TEXT];
    const char *params[] = {stom__schedule_timestamp(now_ns, at_now, sizeof at_now)};
    size_t n_missed = 0;
    stom_schedule_jobs list = {0};
    PGresult *res = NULL;
    int rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    rc = stom_db_query_prepared(db, claim_select, 1, params, PGRES_TUPLES_OK, "claim schedules",
                                &res, eb);
    if (rc == STOM_OK)
        rc = advance_all(db, res, now_ns, &list, &n_missed, eb);
    PQclear(res);
    if (rc == STOM_OK)
        rc = stom_db_commit(db, eb);
    if (rc != STOM_OK) {
        stom_db_rollback(db);
        stom_schedule_jobs_free(&list);
        return rc;
    }
    *due = list;
    if (missed)
        *missed = n_missed;
    return STOM_OK;
}

int stom_schedule_run_due(stom_db *db, stom_schedule_clock clock, stom_schedule_jobs *due,
                          size_t *missed, stom_errbuf *eb)
{
    return stom_schedule_claim(db, clock.fn(clock.arg), due, missed, eb);
}
