/*
 * schedule_store.c - the schedules table: add, list, get, remove,
 * enable/disable, and the claim of due jobs (stom/schedule_store.h).
 *
 * Instants cross the boundary in microseconds: as UTC timestamp text on
 * the way in, as extract(epoch) * 1e6 on the way out; fire times are whole
 * minutes, so nothing is rounded. The next fire is always
 * computed here, in C, from the KRX calendar of libs/core: SQL never
 * decides which days trade.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/timeutil.h"
#include "schedule_internal.h"

const char *stom__schedule_timestamp(int64_t ns, char *buf, size_t len)
{
    if (ns == 0)
        return NULL;
    char civil[24];
    stom_format_time(ns / STOM_NS_PER_SEC, 0, false, civil, sizeof civil);
    snprintf(buf, len, "%s.%06d+00", civil, (int)(ns % STOM_NS_PER_SEC / 1000));
    return buf;
}

static int64_t column_ns(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10) * 1000;
}

/* Reads row of res (SCHEDULE_COLUMNS) into *job; args owned. */
int stom__schedule_job_from_row(PGresult *res, int row, stom_schedule_job *job, stom_errbuf *eb)
{
    *job = (stom_schedule_job){0};
    const char *when = PQgetvalue(res, row, 3), *action = PQgetvalue(res, row, 5);
    if (stom_schedule_when_parse(when, strlen(when), &job->when, eb) != STOM_OK ||
        stom_schedule_action_parse(action, strlen(action), &job->action) != STOM_OK)
        return stom_errorf(eb, STOM_EFORMAT, "schedules row %s: bad when or action",
                           PQgetvalue(res, row, 0));
    job->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    job->owner = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    snprintf(job->name, sizeof job->name, "%s", PQgetvalue(res, row, 2));
    job->days = (unsigned)strtoul(PQgetvalue(res, row, 4), NULL, 10);
    job->args = stom_xstrdup(PQgetvalue(res, row, 6));
    job->enabled = PQgetvalue(res, row, 7)[0] == 't';
    job->last_fired_ns = column_ns(res, row, 8);
    job->next_fire_ns = column_ns(res, row, 9);
    return STOM_OK;
}

/* Every row of res into *out (owned). */
static int jobs_from_result(PGresult *res, stom_schedule_jobs *out, stom_errbuf *eb)
{
    int rows = PQntuples(res);
    stom_schedule_jobs list = {stom_xcalloc(rows ? (size_t)rows : 1, sizeof *list.v), 0};
    for (int r = 0; r < rows; r++, list.n++) {
        int rc = stom__schedule_job_from_row(res, r, &list.v[r], eb);
        if (rc != STOM_OK) {
            stom_schedule_jobs_free(&list);
            return rc;
        }
    }
    *out = list;
    return STOM_OK;
}

/* A job built in C rather than parsed from JSON gets the same limits. */
static int check_job(const stom_schedule_job *job, stom_errbuf *eb)
{
    stom_schedule_when w = job->when;
    bool at_time = w.anchor == STOM_SCHEDULE_AT_TIME;
    if (job->name[0] == '\0')
        return stom_errorf(eb, STOM_EINVAL, "name: must be a non-empty string");
    if (job->days == 0 || job->days > STOM_SCHEDULE_EVERY_DAY)
        return stom_errorf(eb, STOM_EINVAL, "days: must hold weekdays mon..fri");
    if (!stom_schedule_action_name(job->action))
        return stom_errorf(eb, STOM_EINVAL, "action: unknown");
    if (!stom_schedule_anchor_name(w.anchor) || (at_time && (w.minutes < 0 || w.minutes >= 1440)) ||
        (!at_time &&
         (w.minutes < -STOM_SCHEDULE_OFFSET_MAX || w.minutes > STOM_SCHEDULE_OFFSET_MAX)))
        return stom_errorf(eb, STOM_EINVAL, "when: out of range");
    return STOM_OK;
}

/*
 * Runs sql, an INSERT or UPDATE ... RETURNING id with n parameters: $1 the
 * owner, $2..$7 the job's fields, $8 its next fire and (n = 9) $9 its id; sets
 * job->id and job->next_fire_ns. No row back is STOM_ENOTFOUND.
 */
static int write_job(stom_db *db, const char *sql, int n, int64_t owner, stom_schedule_job *job,
                     int64_t now_ns, const char *what, stom_errbuf *eb)
{
    int rc = check_job(job, eb);
    if (rc != STOM_OK)
        return rc;
    int64_t next = job->enabled ? stom_schedule_next_fire(job, now_ns) : 0;
    if (job->enabled && next == 0)
        return stom_errorf(eb, STOM_EINVAL, "days: no trading day to fire on");
    char who[24], days[8], when[STOM_SCHEDULE_WHEN_TEXT], at[SCHEDULE_TS_TEXT], id[24];
    snprintf(who, sizeof who, "%" PRId64, owner);
    snprintf(days, sizeof days, "%u", job->days);
    snprintf(id, sizeof id, "%" PRId64, job->id);
    const char *params[] = {who,
                            job->name,
                            stom_schedule_when_format(job->when, when, sizeof when),
                            days,
                            stom_schedule_action_name(job->action),
                            job->args ? job->args : "{}",
                            job->enabled ? "true" : "false",
                            stom__schedule_timestamp(next, at, sizeof at),
                            id};
    PGresult *res = stom_db_exec_prepared(db, sql, n, params);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    rc = state && strcmp(state, "23505") == 0
             ? stom_errorf(eb, STOM_EINVAL, "name: %s already names a job", job->name)
             : stom_db_result_ok(res, PGRES_TUPLES_OK, what, eb);
    if (rc == STOM_OK && PQntuples(res) == 0)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "schedule %" PRId64 ": no such job", job->id);
    if (rc == STOM_OK) {
        job->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        job->next_fire_ns = next;
    }
    PQclear(res);
    return rc;
}

static const char insert_sql[] =
    "INSERT INTO schedules (user_id, name, when_spec, days, action, args, enabled, next_fire_at) "
    "VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::timestamptz) RETURNING id";

static const char update_sql[] =
    "UPDATE schedules SET name = $2, when_spec = $3, days = $4, action = $5, args = $6::jsonb, "
    "enabled = $7, next_fire_at = $8::timestamptz, updated_at = now() "
    "WHERE id = $9 AND ($1::bigint = 0 OR user_id = $1) RETURNING id";

int stom_schedule_add(stom_db *db, stom_schedule_job *job, int64_t now_ns, stom_errbuf *eb)
{
    return write_job(db, insert_sql, 8, job->owner, job, now_ns, "add schedule", eb);
}

int stom_schedule_update(stom_db *db, int64_t owner, stom_schedule_job *job, int64_t now_ns,
                         stom_errbuf *eb)
{
    return write_job(db, update_sql, 9, owner, job, now_ns, "update schedule", eb);
}

int stom_schedule_list(stom_db *db, int64_t owner, stom_schedule_jobs *out, stom_errbuf *eb)
{
    char who[24];
    snprintf(who, sizeof who, "%" PRId64, owner);
    const char *params[] = {who};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(db,
                                    "SELECT " SCHEDULE_COLUMNS " FROM schedules "
                                    "WHERE $1::bigint = 0 OR user_id = $1 ORDER BY id",
                                    1, params, PGRES_TUPLES_OK, "list schedules", &res, eb);
    if (rc == STOM_OK)
        rc = jobs_from_result(res, out, eb);
    PQclear(res);
    return rc;
}

int stom_schedule_get(stom_db *db, int64_t owner, int64_t id, stom_schedule_job *out,
                      stom_errbuf *eb)
{
    char who[24], job[24];
    snprintf(who, sizeof who, "%" PRId64, owner);
    snprintf(job, sizeof job, "%" PRId64, id);
    const char *params[] = {who, job};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(db,
                                    "SELECT " SCHEDULE_COLUMNS " FROM schedules "
                                    "WHERE id = $2 AND ($1::bigint = 0 OR user_id = $1)",
                                    2, params, PGRES_TUPLES_OK, "get schedule", &res, eb);
    if (rc == STOM_OK && PQntuples(res) == 0)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "schedule %" PRId64 ": no such job", id);
    if (rc == STOM_OK)
        rc = stom__schedule_job_from_row(res, 0, out, eb);
    PQclear(res);
    return rc;
}

/* Runs a command on job id of owner that must touch one row. */
static int change_one(stom_db *db, const char *sql, int n, const char *const *params, int64_t id,
                      const char *what, stom_errbuf *eb)
{
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(db, sql, n, params, PGRES_COMMAND_OK, what, &res, eb);
    if (rc == STOM_OK && strcmp(PQcmdTuples(res), "1") != 0)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "schedule %" PRId64 ": no such job", id);
    PQclear(res);
    return rc;
}

int stom_schedule_remove(stom_db *db, int64_t owner, int64_t id, stom_errbuf *eb)
{
    char who[24], job[24];
    snprintf(who, sizeof who, "%" PRId64, owner);
    snprintf(job, sizeof job, "%" PRId64, id);
    const char *params[] = {who, job};
    return change_one(db,
                      "DELETE FROM schedules WHERE id = $2 AND ($1::bigint = 0 OR user_id = $1)", 2,
                      params, id, "remove schedule", eb);
}

int stom_schedule_set_enabled(stom_db *db, int64_t owner, int64_t id, bool enabled, int64_t now_ns,
                              stom_errbuf *eb)
{
    stom_schedule_job job;
    int rc = stom_schedule_get(db, owner, id, &job, eb);
    if (rc != STOM_OK)
        return rc;
    int64_t next = enabled ? stom_schedule_next_fire(&job, now_ns) : 0;
    stom_schedule_job_clear(&job);
    if (enabled && next == 0)
        return stom_errorf(eb, STOM_EINVAL, "days: no trading day to fire on");
    char who[24], num[24], at[SCHEDULE_TS_TEXT];
    snprintf(who, sizeof who, "%" PRId64, owner);
    snprintf(num, sizeof num, "%" PRId64, id);
    const char *params[4] = {who, num, enabled ? "true" : "false",
                             stom__schedule_timestamp(next, at, sizeof at)};
    /* Enabling an enabled job keeps its next fire, so a due fire is not lost. */
    return change_one(db,
                      "UPDATE schedules SET next_fire_at = CASE WHEN enabled = $3 THEN "
                      "next_fire_at ELSE $4::timestamptz END, enabled = $3, updated_at = now() "
                      "WHERE id = $2 AND ($1::bigint = 0 OR user_id = $1)",
                      4, params, id, "enable schedule", eb);
}
