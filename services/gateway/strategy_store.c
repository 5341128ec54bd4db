/*
 * strategy_store.c - the SQL of users' strategies (see strategy_store.h).
 *
 * Every statement names the owner (user_id = $2) next to the id, so no
 * path reaches another user's row. Creates and updates run in explicit
 * transactions: the update locks the strategy row first (UPDATE ...
 * RETURNING version), so two concurrent updates get consecutive versions
 * and each copies what its predecessor wrote. Statements are prepared per
 * connection (stom_db_exec_prepared): listing runs on every page view.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_time.h"
#include "strategy_store.h"

#define SQLSTATE_UNIQUE_VIOLATION "23505"

/* As stom_db_query_prepared, but a unique violation is STOM_ESTATE. */
static int run(stom_db *db, const char *sql, int n, const char *const *params, ExecStatusType want,
               const char *what, PGresult **out, stom_errbuf *eb)
{
    PGresult *res = stom_db_exec_prepared(db, sql, n, params);
    if (res && PQresultStatus(res) == want) {
        if (out)
            *out = res;
        else
            PQclear(res);
        return STOM_OK;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int rc;
    if (state && !strcmp(state, SQLSTATE_UNIQUE_VIOLATION))
        rc = stom_errorf(eb, STOM_ESTATE, "%s: a strategy of that name exists", what);
    else if (res)
        rc = stom_db_result_ok(res, want, what, eb);
    else
        rc = stom_errorf(eb, STOM_EIO, "%s: %s", what, PQerrorMessage(stom_db_conn(db)));
    PQclear(res);
    return rc;
}

static json_t *col_string(PGresult *res, int row, const char *name)
{
    return json_string(PQgetvalue(res, row, PQfnumber(res, name)));
}

static json_t *col_int(PGresult *res, int row, const char *name)
{
    return json_integer(strtoll(PQgetvalue(res, row, PQfnumber(res, name)), NULL, 10));
}

static json_t *col_time(PGresult *res, int row, const char *name)
{
    return gw_api_time_json(strtoll(PQgetvalue(res, row, PQfnumber(res, name)), NULL, 10));
}

/* A jsonb column; the database only holds valid JSON, an empty object stands in otherwise. */
static json_t *col_json(PGresult *res, int row, const char *name)
{
    const char *text = PQgetvalue(res, row, PQfnumber(res, name));
    json_t *j = json_loads(text, 0, NULL);
    return j ? j : json_object();
}

/* Whole seconds, truncated as RFC 3339 times show them (a cast would round). */
#define EPOCH(col) "floor(extract(epoch FROM " col "))::bigint"

int gw_strategy_store_list(stom_db *db, int64_t user_id, json_t **out, stom_errbuf *eb)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    const char *params[] = {uid};
    PGresult *res;
    int rc =
        run(db,
            "SELECT id, name, description, version, " EPOCH("created_at") " AS created_at, " EPOCH(
                "updated_at") " AS updated_at FROM strategies WHERE user_id = $1"
                              " ORDER BY lower(name), id",
            1, params, PGRES_TUPLES_OK, "listing strategies", &res, eb);
    if (rc != STOM_OK)
        return rc;
    json_t *list = json_array();
    for (int r = 0; r < PQntuples(res); r++)
        json_array_append_new(list,
                              json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                                        col_int(res, r, "id"), "name", col_string(res, r, "name"),
                                        "description", col_string(res, r, "description"), "version",
                                        col_int(res, r, "version"), "created_at",
                                        col_time(res, r, "created_at"), "updated_at",
                                        col_time(res, r, "updated_at")));
    PQclear(res);
    *out = list;
    return STOM_OK;
}

int gw_strategy_store_get(stom_db *db, int64_t user_id, int64_t id, json_t **out, stom_errbuf *eb)
{
    char sid[24], uid[24];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    const char *params[] = {sid, uid};
    PGresult *res;
    int rc =
        run(db,
            "SELECT s.id, s.name, s.description, s.language, s.version, v.code,"
            " v.params::text AS params, v.message, " EPOCH("s.created_at") " AS created_at, " EPOCH(
                "s.updated_at") " AS updated_at FROM strategies s JOIN strategy_versions v"
                                " ON v.strategy_id = s.id AND v.version = s.version"
                                " WHERE s.id = $1 AND s.user_id = $2",
            2, params, PGRES_TUPLES_OK, "reading the strategy", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "no strategy %" PRId64, id);
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     col_int(res, 0, "id"), "name", col_string(res, 0, "name"), "description",
                     col_string(res, 0, "description"), "language", col_string(res, 0, "language"),
                     "version", col_int(res, 0, "version"), "code", col_string(res, 0, "code"),
                     "params", col_json(res, 0, "params"), "message", col_string(res, 0, "message"),
                     "created_at", col_time(res, 0, "created_at"), "updated_at",
                     col_time(res, 0, "updated_at"));
    PQclear(res);
    return STOM_OK;
}

int gw_strategy_store_create(stom_db *db, int64_t user_id, const gw_strategy_edit *e, int64_t *id,
                             stom_errbuf *eb)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    const char *row[] = {uid, e->name, e->description};
    PGresult *res = NULL;
    int rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    rc = run(db,
             "INSERT INTO strategies (user_id, name, description)"
             " VALUES ($1, $2, COALESCE($3, '')) RETURNING id",
             3, row, PGRES_TUPLES_OK, "creating the strategy", &res, eb);
    if (rc != STOM_OK)
        goto fail;
    const char *version[] = {PQgetvalue(res, 0, 0), e->code, e->params, e->message};
    rc = run(db,
             "INSERT INTO strategy_versions (strategy_id, version, code, params, message)"
             " VALUES ($1, 1, $2, COALESCE($3::jsonb, '{}'), COALESCE($4, ''))",
             4, version, PGRES_COMMAND_OK, "writing version 1", NULL, eb);
    if (rc != STOM_OK)
        goto fail;
    if ((rc = stom_db_commit(db, eb)) != STOM_OK)
        goto fail;
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return STOM_OK;
fail:
    stom_db_rollback(db);
    PQclear(res);
    return rc;
}

/* Bumps the strategy row (locking it) and returns its new version in *version. */
static int bump_version(stom_db *db, const char *sid, const char *uid, const gw_strategy_edit *e,
                        int *version, stom_errbuf *eb)
{
    const char *params[] = {sid, uid, e->name, e->description};
    PGresult *res;
    int rc = run(db,
                 "UPDATE strategies SET version = version + 1, updated_at = now(),"
                 " name = COALESCE($3, name), description = COALESCE($4, description)"
                 " WHERE id = $1 AND user_id = $2 RETURNING version",
                 4, params, PGRES_TUPLES_OK, "updating the strategy", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 0)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "no strategy %s", sid);
    else
        *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

int gw_strategy_store_update(stom_db *db, int64_t user_id, int64_t id, const gw_strategy_edit *e,
                             int *version, stom_errbuf *eb)
{
    char sid[24], uid[24], ver[16];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    int v = 0;
    int rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    if ((rc = bump_version(db, sid, uid, e, &v, eb)) != STOM_OK)
        goto fail;
    snprintf(ver, sizeof ver, "%d", v);
    const char *params[] = {sid, ver, e->code, e->params, e->message};
    rc = run(db,
             "INSERT INTO strategy_versions (strategy_id, version, code, params, message)"
             " SELECT strategy_id, $2::int, COALESCE($3, code), COALESCE($4::jsonb, params),"
             " COALESCE($5, '') FROM strategy_versions"
             " WHERE strategy_id = $1 AND version = $2::int - 1",
             5, params, PGRES_COMMAND_OK, "writing the new version", NULL, eb);
    if (rc != STOM_OK)
        goto fail;
    if ((rc = stom_db_commit(db, eb)) != STOM_OK)
        goto fail;
    if (version)
        *version = v;
    return STOM_OK;
fail:
    stom_db_rollback(db);
    return rc;
}

int gw_strategy_store_delete(stom_db *db, int64_t user_id, int64_t id, stom_errbuf *eb)
{
    char sid[24], uid[24];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    const char *params[] = {sid, uid};
    PGresult *res;
    int rc = run(db, "DELETE FROM strategies WHERE id = $1 AND user_id = $2", 2, params,
                 PGRES_COMMAND_OK, "deleting the strategy", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (strcmp(PQcmdTuples(res), "0") == 0)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "no strategy %" PRId64, id);
    PQclear(res);
    return rc;
}

int gw_strategy_store_versions(stom_db *db, int64_t user_id, int64_t id, json_t **out,
                               stom_errbuf *eb)
{
    char sid[24], uid[24];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    const char *params[] = {sid, uid};
    PGresult *res;
    int rc = run(
        db,
        "SELECT v.version, v.message, " EPOCH(
            "v.created_at") " AS created_at"
                            " FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id"
                            " WHERE s.id = $1 AND s.user_id = $2 ORDER BY v.version DESC",
        2, params, PGRES_TUPLES_OK, "listing versions", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "no strategy %" PRId64, id);
    }
    json_t *list = json_array();
    for (int r = 0; r < PQntuples(res); r++)
        json_array_append_new(list,
                              json_pack("{s:o, s:o, s:o}", "version", col_int(res, r, "version"),
                                        "message", col_string(res, r, "message"), "created_at",
                                        col_time(res, r, "created_at")));
    PQclear(res);
    *out = list;
    return STOM_OK;
}

int gw_strategy_store_version(stom_db *db, int64_t user_id, int64_t id, int version, json_t **out,
                              stom_errbuf *eb)
{
    char sid[24], uid[24], ver[16];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, user_id);
    snprintf(ver, sizeof ver, "%d", version);
    const char *params[] = {sid, uid, ver};
    PGresult *res;
    int rc = run(db,
                 "SELECT v.version, v.code, v.params::text AS params, v.message, " EPOCH(
                     "v.created_at") " AS created_at FROM strategies s"
                                     " LEFT JOIN strategy_versions v ON v.strategy_id = s.id AND "
                                     "v.version = $3::int"
                                     " WHERE s.id = $1 AND s.user_id = $2",
                 3, params, PGRES_TUPLES_OK, "reading the version", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
        rc = PQntuples(res) == 0
                 ? stom_errorf(eb, STOM_ENOTFOUND, "no strategy %" PRId64, id)
                 : stom_errorf(eb, STOM_ENOTFOUND, "strategy %" PRId64 " has no version %d", id,
                               version);
        PQclear(res);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "version", col_int(res, 0, "version"), "code",
                     col_string(res, 0, "code"), "params", col_json(res, 0, "params"), "message",
                     col_string(res, 0, "message"), "created_at", col_time(res, 0, "created_at"));
    PQclear(res);
    return STOM_OK;
}
