/*
 * db_prepared.c - statements prepared on first use per connection and
 * found again by their SQL text (see stom_db_query_prepared in
 * stom/store.h).
 *
 * The table is searched linearly by a 64-bit FNV-1a hash of the text, then
 * compared in full: a server prepares a few dozen statements at most.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

/* SQLSTATE invalid_sql_statement_name: the session has no statement of that name. */
#define SQLSTATE_NO_SUCH_STATEMENT "26000"

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void stom__db_forget_prepared(stom_db *db)
{
    for (size_t k = 0; k < db->n_prepared; k++)
        free(db->prepared[k].sql);
    db->n_prepared = 0;
}

static stom__prepared *find(stom_db *db, const char *sql, uint64_t hash)
{
    for (size_t k = 0; k < db->n_prepared; k++)
        if (db->prepared[k].hash == hash && strcmp(db->prepared[k].sql, sql) == 0)
            return &db->prepared[k];
    return NULL;
}

static void forget(stom_db *db, stom__prepared *p)
{
    free(p->sql);
    *p = db->prepared[--db->n_prepared];
}

/* Prepares sql on the connection. The entry, or NULL with *failed set to the server's refusal
 * (owned) when it has one; NULL with *failed NULL when the table is full. */
static stom__prepared *prepare(stom_db *db, const char *sql, uint64_t hash, int nparams,
                               PGresult **failed)
{
    *failed = NULL;
    if (db->n_prepared == STOM_DB_PREPARED_MAX)
        return NULL;
    char name[sizeof db->prepared->name];
    snprintf(name, sizeof name, "stom_%u", db->next_statement++);
    PGresult *res = PQprepare(db->conn, name, sql, nparams, NULL);
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
        *failed = res;
        return NULL;
    }
    PQclear(res);
    if (db->n_prepared == db->cap_prepared) {
        db->cap_prepared = db->cap_prepared ? db->cap_prepared * 2 : 16;
        db->prepared = stom_xrealloc(db->prepared, db->cap_prepared * sizeof *db->prepared);
    }
    stom__prepared *p = &db->prepared[db->n_prepared++];
    p->sql = stom_xstrdup(sql);
    p->hash = hash;
    memcpy(p->name, name, sizeof name);
    return p;
}

static bool statement_unknown(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL && strcmp(state, SQLSTATE_NO_SUCH_STATEMENT) == 0;
}

PGresult *stom_db_exec_prepared(stom_db *db, const char *sql, int nparams,
                                const char *const *params)
{
    uint64_t hash = text_hash(sql);
    for (int attempt = 0;; attempt++) {
        stom__prepared *p = find(db, sql, hash);
        PGresult *failed = NULL;
        if (p == NULL && (p = prepare(db, sql, hash, nparams, &failed)) == NULL)
            return failed ? failed
                          : PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
        PGresult *res = PQexecPrepared(db->conn, p->name, nparams, params, NULL, NULL, 0);
        if (attempt > 0 || !statement_unknown(res))
            return res;
        PQclear(res);
        forget(db, p);
    }
}

int stom_db_query_prepared(stom_db *db, const char *sql, int nparams, const char *const *params,
                           ExecStatusType want, const char *what, PGresult **out, stom_errbuf *eb)
{
    return stom__db_want(db, stom_db_exec_prepared(db, sql, nparams, params), want, what, out, eb);
}
