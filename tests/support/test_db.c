/*
 * test_db.c - a fresh, migrated PostgreSQL database per test, and the test
 * Redis URL (see test_db.h).
 */
#include "test_db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stom/store.h"

#define HOW_TO_START                                                                               \
    "run the test through ctest (its stom_services fixture starts the servers), or start them "    \
    "with scripts/services.sh start --dir build/run-test --pg-port 54330 --redis-port 63800 and "  \
    "set STOM_TEST_PG_URL / STOM_TEST_REDIS_URL"

static const char *server_url(void)
{
    const char *url = getenv("STOM_TEST_PG_URL");
    if (url == NULL || url[0] == '\0')
        ck_abort_msg("STOM_TEST_PG_URL is not set: " HOW_TO_START);
    return url;
}

static stom_db *connect_or_abort(const char *conninfo)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    if (stom_db_connect(&db, conninfo, &eb) != STOM_OK)
        ck_abort_msg("the test PostgreSQL is unreachable (%s): %s", eb.msg, HOW_TO_START);
    return db;
}

static void exec_or_abort(stom_db *db, const char *sql)
{
    stom_errbuf eb = {{0}};
    if (stom_db_exec(db, sql, &eb) != STOM_OK)
        ck_abort_msg("%s: %s", sql, eb.msg);
}

void stom_test_db_create_empty(char *conninfo, size_t len)
{
    static unsigned counter;
    char name[64], sql[160];
    snprintf(name, sizeof name, "t_%ld_%u", (long)getpid(), counter++);
    stom_db *server = connect_or_abort(server_url());
    /* A database of this name can only be left over by a dead process with our pid. */
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    exec_or_abort(server, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    exec_or_abort(server, sql);
    stom_db_close(server);

    stom_errbuf eb = {{0}};
    if (stom_db_conninfo_with(server_url(), "dbname", name, conninfo, len, &eb) != STOM_OK)
        ck_abort_msg("%s", eb.msg);
}

void stom_test_db_create(char *conninfo, size_t len)
{
    stom_test_db_create_empty(conninfo, len);
    stom_errbuf eb = {{0}};
    stom_db *db = connect_or_abort(conninfo);
    if (stom_db_migrate(db, NULL, NULL, &eb) != STOM_OK)
        ck_abort_msg("migrating %s: %s", conninfo, eb.msg);
    stom_db_close(db);
}

void stom_test_db_drop(const char *conninfo)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
    if (opts == NULL)
        ck_abort_msg("cannot parse %s: %s", conninfo, err ? err : "out of memory");
    char sql[160] = "";
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        /* Only the databases made here: never the server's own. */
        if (o->val != NULL && strcmp(o->keyword, "dbname") == 0 && strncmp(o->val, "t_", 2) == 0)
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", o->val);
    }
    PQconninfoFree(opts);
    if (sql[0] == '\0')
        ck_abort_msg("%s names no test database (t_...)", conninfo);
    stom_db *server = connect_or_abort(server_url());
    exec_or_abort(server, sql);
    stom_db_close(server);
}

const char *stom_test_redis_url(void)
{
    const char *url = getenv("STOM_TEST_REDIS_URL");
    if (url == NULL || url[0] == '\0')
        ck_abort_msg("STOM_TEST_REDIS_URL is not set: " HOW_TO_START);
    return url;
}
