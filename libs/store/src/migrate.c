/*
 * migrate.c - the schema migrations built into this binary and the runner
 * that applies them.
 *
 * The migrations are libs/store/migrations/NNNN_name.sql, embedded at build
 * time (gen-migrations.cmake writes store_migrations.inc). The database
 * records what it has in schema_migrations(version, name, applied_at); its
 * version is the highest row. The runner holds a session advisory lock for
 * its whole run, so concurrent callers (several services starting at once)
 * apply each migration exactly once: the second caller waits, then finds
 * nothing left to do. Each migration runs in its own transaction together
 * with its schema_migrations row, so a failed one leaves no trace.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "store_migrations.inc"

/* pg_advisory_lock key: "stom_mig" in ASCII. */
#define MIGRATION_LOCK_KEY "8319396927203273063"

const stom_migration *stom_migrations(size_t *n)
{
    *n = sizeof MIGRATIONS / sizeof MIGRATIONS[0];
    return MIGRATIONS;
}

static int latest_version(void)
{
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    return m[n - 1].version;
}

int stom_db_schema_version(stom_db *db, int *version, stom_errbuf *eb)
{
    PGresult *res = NULL;
    int rc = stom_db_query(db, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL,
                           PGRES_TUPLES_OK, "reading the schema version", &res, eb);
    if (rc != STOM_OK)
        return rc;
    bool exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!exists) {
        *version = 0;
        return STOM_OK;
    }
    rc = stom_db_query(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL,
                       PGRES_TUPLES_OK, "reading the schema version", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return STOM_OK;
}

static int apply_one(stom_db *db, const stom_migration *m, stom_errbuf *eb)
{
    char what[128], version[16];
    snprintf(what, sizeof what, "migration %s failed (nothing of it was applied)", m->name);
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name};
    int rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    /* The file's statements run as one simple query; its status is the last one's. */
    PGresult *res = PQexec(stom_db_conn(db), m->sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = stom__db_fail(db, res, what, eb);
    else
        PQclear(res);
    if (rc == STOM_OK)
        rc = stom_db_query(db, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2,
                           params, PGRES_COMMAND_OK, what, NULL, eb);
    if (rc == STOM_OK)
        rc = stom_db_commit(db, eb);
    if (rc != STOM_OK)
        stom_db_rollback(db);
    return rc;
}

/* Everything after the lock is taken; the caller releases it. */
static int migrate_locked(stom_db *db, int *applied, int *version, stom_errbuf *eb)
{
    int rc = stom_db_exec(db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version integer PRIMARY KEY,"
                          " name text NOT NULL,"
                          " applied_at timestamptz NOT NULL DEFAULT now())",
                          eb);
    if (rc == STOM_OK)
        rc = stom_db_schema_version(db, version, eb);
    if (rc != STOM_OK)
        return rc;
    if (*version > latest_version())
        return stom_errorf(eb, STOM_ERANGE,
                           "the database's schema is version %d, newer than this stom knows "
                           "(up to %d): use the stom release that migrated it, or a newer one",
                           *version, latest_version());
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    for (size_t k = 0; k < n; k++) {
        if (m[k].version <= *version)
            continue;
        rc = apply_one(db, &m[k], eb);
        if (rc != STOM_OK)
            return rc;
        *version = m[k].version;
        (*applied)++;
    }
    return STOM_OK;
}

int stom_db_migrate(stom_db *db, int *applied, int *version, stom_errbuf *eb)
{
    int count = 0, now = 0;
    int rc = stom_db_exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", eb);
    if (rc != STOM_OK)
        return rc;
    rc = migrate_locked(db, &count, &now, eb);
    PQclear(PQexec(stom_db_conn(db), "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")"));
    if (applied != NULL)
        *applied = count;
    if (version != NULL)
        *version = now;
    return rc;
}
