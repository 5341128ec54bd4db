/*
 * coord_db_query.c - the coordinator's reads (coord_db.h): jobs to resume,
 * stored results to replay, job status rows and ranked results pages.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coord_db.h"
#include "stom/alloc.h"

static uint8_t *bytea(PGresult *r, int row, int col, size_t *len)
{
    return PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), len);
}

int coord_db_unfinished(stom_db *db, coord_stored_job **out, size_t *n, stom_errbuf *eb)
{
    PGresult *r;
    int rc = stom_db_query(db,
                           "SELECT id, spec, state FROM jobs WHERE state IN ('queued', 'running', "
                           "'paused') ORDER BY submitted_at, id",
                           0, NULL, PGRES_TUPLES_OK, "reading unfinished jobs", &r, eb);
    if (rc)
        return rc;
    *n = (size_t)PQntuples(r);
    *out = stom_xcalloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        snprintf((*out)[i].id, sizeof(*out)[i].id, "%s", PQgetvalue(r, (int)i, 0));
        (*out)[i].spec = bytea(r, (int)i, 1, &(*out)[i].spec_len);
        (*out)[i].state = coord_state_parse(PQgetvalue(r, (int)i, 2));
    }
    PQclear(r);
    return 0;
}

void coord_stored_jobs_free(coord_stored_job *jobs, size_t n)
{
    for (size_t i = 0; jobs && i < n; i++)
        PQfreemem(jobs[i].spec);
    free(jobs);
}

int coord_db_each_result(stom_db *db, const char *id, coord_result_fn fn, void *arg,
                         stom_errbuf *eb)
{
    PGresult *r;
    const char *v[] = {id};
    int rc = stom_db_query(db,
                           "SELECT task_id, coalesce(objective, '-Infinity'), status = 'failed' "
                           "FROM results WHERE job_id = $1 ORDER BY task_id",
                           1, v, PGRES_TUPLES_OK, "reading stored results", &r, eb);
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        fn(arg, strtoull(PQgetvalue(r, i, 0), NULL, 10), strtod(PQgetvalue(r, i, 1), NULL),
           PQgetvalue(r, i, 2)[0] == 't');
    PQclear(r);
    return 0;
}

#define STATUS_COLUMNS                                                                             \
    "id, state, error, done_tasks, failed_tasks, total_tasks, best_objective, "                    \
    "(extract(epoch FROM submitted_at) * 1e9)::bigint, "                                           \
    "(extract(epoch FROM started_at) * 1e9)::bigint, "                                             \
    "(extract(epoch FROM finished_at) * 1e9)::bigint, spec"

static void status_from_row(PGresult *r, int i, Stom__V1__JobStatus *st)
{
    stom__v1__job_status__init(st);
    st->job_id = stom_xstrdup(PQgetvalue(r, i, 0));
    st->has_state = 1;
    st->state = coord_state_parse(PQgetvalue(r, i, 1));
    if (!PQgetisnull(r, i, 2)) {
        st->error = stom_xcalloc(1, sizeof *st->error);
        stom__v1__error__init(st->error);
        st->error->message = stom_xstrdup(PQgetvalue(r, i, 2));
    }
    Stom__V1__Progress *p = stom_xcalloc(1, sizeof *p);
    stom__v1__progress__init(p);
    p->job_id = st->job_id;
    p->has_state = p->has_done = p->has_total = p->has_failed = 1;
    p->state = st->state;
    p->done = strtoull(PQgetvalue(r, i, 3), NULL, 10);
    p->failed = strtoull(PQgetvalue(r, i, 4), NULL, 10);
    p->total = strtoull(PQgetvalue(r, i, 5), NULL, 10);
    if (!PQgetisnull(r, i, 6)) {
        p->has_best_objective = 1;
        p->best_objective = strtod(PQgetvalue(r, i, 6), NULL);
    }
    st->progress = p;
    int64_t *times[] = {&st->submitted_ns, &st->started_ns, &st->finished_ns};
    protobuf_c_boolean *has[] = {&st->has_submitted_ns, &st->has_started_ns, &st->has_finished_ns};
    for (int k = 0; k < 3; k++)
        if (!PQgetisnull(r, i, 7 + k)) {
            *has[k] = 1;
            *times[k] = strtoll(PQgetvalue(r, i, 7 + k), NULL, 10);
        }
    size_t len;
    uint8_t *spec = bytea(r, i, 10, &len);
    st->spec = stom__v1__job_spec__unpack(NULL, len, spec);
    PQfreemem(spec);
}

void coord_status_free(Stom__V1__JobStatus *st)
{
    if (!st)
        return;
    if (st->error)
        free(st->error->message);
    free(st->error);
    free(st->progress);
    if (st->spec)
        stom__v1__job_spec__free_unpacked(st->spec, NULL);
    free(st->job_id);
    free(st->events_topic);
    stom__v1__job_status__init(st);
}

int coord_db_job_status(stom_db *db, const char *id, Stom__V1__JobStatus *st, stom_errbuf *eb)
{
    PGresult *r;
    const char *v[] = {id};
    int rc = stom_db_query(db, "SELECT " STATUS_COLUMNS " FROM jobs WHERE id = $1", 1, v,
                           PGRES_TUPLES_OK, "reading a job", &r, eb);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return stom_errorf(eb, STOM_ENOTFOUND, "no job %s", id);
    }
    status_from_row(r, 0, st);
    PQclear(r);
    return 0;
}

int coord_db_list_jobs(stom_db *db, const char *owner, size_t limit, Stom__V1__JobStatus **out,
                       size_t *n, stom_errbuf *eb)
{
    PGresult *r;
    char lim[32];
    snprintf(lim, sizeof lim, "%zu", limit ? limit : 50);
    const char *v[] = {owner, lim};
    int rc =
        stom_db_query(db,
                      "SELECT " STATUS_COLUMNS " FROM jobs WHERE $1::text IS NULL OR owner = $1 "
                      "ORDER BY submitted_at DESC, id LIMIT $2",
                      2, v, PGRES_TUPLES_OK, "listing jobs", &r, eb);
    if (rc)
        return rc;
    *n = (size_t)PQntuples(r);
    *out = stom_xcalloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; i < *n; i++)
        status_from_row(r, (int)i, &(*out)[i]);
    PQclear(r);
    return 0;
}

static int unpack_results(PGresult *r, Stom__V1__TaskResult ***out, size_t *n)
{
    *n = (size_t)PQntuples(r);
    *out = stom_xcalloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        size_t len;
        uint8_t *b = bytea(r, (int)i, 0, &len);
        (*out)[i] = stom__v1__task_result__unpack(NULL, len, b);
        PQfreemem(b);
    }
    return 0;
}

int coord_db_results(stom_db *db, const char *id, size_t offset, size_t limit,
                     Stom__V1__TaskResult ***out, size_t *n, uint64_t *total, stom_errbuf *eb)
{
    PGresult *r;
    char off[32], lim[32];
    snprintf(off, sizeof off, "%zu", offset);
    snprintf(lim, sizeof lim, "%zu", limit);
    const char *v[] = {id, off, limit ? lim : NULL};
    /* The order of a page: coord_page_rank_cmp is the same order in C (for local runs). */
    int rc = stom_db_query(db,
                           "SELECT result FROM results WHERE job_id = $1 AND phase = 'search' "
                           "ORDER BY objective DESC NULLS LAST, task_id OFFSET $2 LIMIT $3",
                           3, v, PGRES_TUPLES_OK, "reading results", &r, eb);
    if (rc)
        return rc;
    unpack_results(r, out, n);
    PQclear(r);
    rc = stom_db_query(db, "SELECT count(*) FROM results WHERE job_id = $1 AND phase = 'search'", 1,
                       v, PGRES_TUPLES_OK, "counting results", &r, eb);
    if (!rc) {
        *total = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
    }
    return rc;
}

int coord_db_units(stom_db *db, const char *id, uint32_t **units, uint64_t **candidates, size_t *n,
                   stom_errbuf *eb)
{
    PGresult *r;
    const char *v[] = {id};
    int rc = stom_db_query(
        db, "SELECT unit, best_candidate FROM job_units WHERE job_id = $1 ORDER BY unit", 1, v,
        PGRES_TUPLES_OK, "reading units", &r, eb);
    if (rc)
        return rc;
    *n = (size_t)PQntuples(r);
    *units = stom_xcalloc(*n ? *n : 1, sizeof **units);
    *candidates = stom_xcalloc(*n ? *n : 1, sizeof **candidates);
    for (size_t i = 0; i < *n; i++) {
        (*units)[i] = (uint32_t)strtoul(PQgetvalue(r, (int)i, 0), NULL, 10);
        (*candidates)[i] = strtoull(PQgetvalue(r, (int)i, 1), NULL, 10);
    }
    PQclear(r);
    return 0;
}

int coord_db_unit_results(stom_db *db, const char *id, uint32_t unit, uint64_t candidate, bool test,
                          Stom__V1__TaskResult ***out, size_t *n, stom_errbuf *eb)
{
    PGresult *r;
    char u[16], c[32];
    snprintf(u, sizeof u, "%u", unit);
    snprintf(c, sizeof c, "%" PRIu64, candidate);
    const char *v[] = {id, u, c, test ? "test" : "search"};
    int rc = stom_db_query(
        db,
        "SELECT result FROM results WHERE job_id = $1 AND unit = $2 AND candidate = $3 "
        "AND phase = $4 ORDER BY fold",
        4, v, PGRES_TUPLES_OK, "reading a unit's results", &r, eb);
    if (rc)
        return rc;
    unpack_results(r, out, n);
    PQclear(r);
    return 0;
}

int coord_db_max_task(stom_db *db, const char *id, uint64_t *max, stom_errbuf *eb)
{
    PGresult *r;
    const char *v[] = {id};
    int rc = stom_db_query(db, "SELECT coalesce(max(task_id), 0) FROM tasks WHERE job_id = $1", 1,
                           v, PGRES_TUPLES_OK, "reading tasks", &r, eb);
    if (rc)
        return rc;
    *max = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}
