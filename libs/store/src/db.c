/*
 * db.c - the PostgreSQL connection: resolving the connection string,
 * connecting with a bounded timeout, and resetting a broken connection
 * followed by the reconnect hooks (libpq forgets prepared statements on
 * PQreset, so modules prepare theirs again there).
 *
 * Messages describe the server by host, port, database and user only: the
 * connection string may hold a password and is never quoted back.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

/* Seconds; a connection string's own connect_timeout wins. */
#define DEFAULT_CONNECT_TIMEOUT "5"

/* NOTICEs ("relation already exists, skipping") are not errors: dropped. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const char *resolve_conninfo(const char *conninfo)
{
    if (conninfo != NULL)
        return conninfo;
    const char *env = getenv("STOM_DATABASE_URL");
    return env != NULL && env[0] != '\0' ? env : STOM_DB_URL_DEFAULT;
}

char *stom__conninfo_describe(const char *conninfo, char *buf, size_t len)
{
    static const char *const shown[] = {"host", "hostaddr", "port", "dbname", "user"};
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
    PQfreemem(err);
    if (opts == NULL) {
        snprintf(buf, len, "(an unparsable connection string)");
        return buf;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
        for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
            if (o->val != NULL && strcmp(o->keyword, shown[k]) == 0 && used < len)
                used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
                                         o->keyword, o->val);
        }
    }
    PQconninfoFree(opts);
    if (buf[0] == '\0')
        snprintf(buf, len, "(libpq defaults)");
    return buf;
}

/* Appends " key='value'" with ' and \ escaped as libpq wants. False when full. */
static bool append_option(char *out, size_t len, size_t *used, const char *key, const char *val)
{
    int n = snprintf(out + *used, len - *used, "%s%s='", *used ? " " : "", key);
    if (n < 0 || (size_t)n >= len - *used)
        return false;
    *used += (size_t)n;
    for (const char *p = val; *p; p++) {
        if (*used + 3 >= len)
            return false;
        if (*p == '\'' || *p == '\\')
            out[(*used)++] = '\\';
        out[(*used)++] = *p;
    }
    out[(*used)++] = '\'';
    out[*used] = '\0';
    return true;
}

int stom_db_conninfo_with(const char *conninfo, const char *keyword, const char *value, char *out,
                          size_t len, stom_errbuf *eb)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(resolve_conninfo(conninfo), &err);
    if (opts == NULL) {
        stom_errorf(eb, STOM_EINVAL, "invalid PostgreSQL connection string: %s",
                    err ? err : "out of memory");
        PQfreemem(err);
        return STOM_EINVAL;
    }
    size_t used = 0;
    bool ok = len > 0, found = false;
    if (ok)
        out[0] = '\0';
    for (PQconninfoOption *o = opts; ok && o->keyword != NULL; o++) {
        bool replace = strcmp(o->keyword, keyword) == 0;
        found = found || replace;
        const char *v = replace ? value : o->val;
        if (v != NULL)
            ok = append_option(out, len, &used, o->keyword, v);
    }
    PQconninfoFree(opts);
    if (ok && !found)
        return stom_errorf(eb, STOM_EINVAL, "'%s' is not a libpq connection keyword", keyword);
    return ok ? STOM_OK : stom_errorf(eb, STOM_ERANGE, "connection string longer than %zu", len);
}

int stom_db_connect(stom_db **out, const char *conninfo, stom_errbuf *eb)
{
    const char *url = resolve_conninfo(conninfo);
    /* Later keywords override earlier ones, so the caller's string wins. */
    const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *const vals[] = {DEFAULT_CONNECT_TIMEOUT, "stom", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (conn == NULL)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory connecting to PostgreSQL");
    if (PQstatus(conn) != CONNECTION_OK) {
        char where[256], why[512];
        stom_errorf(eb, STOM_EIO, "cannot connect to PostgreSQL at %s: %s",
                    stom__conninfo_describe(url, where, sizeof where),
                    stom__pg_message(NULL, conn, why, sizeof why));
        PQfinish(conn);
        return STOM_EIO;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    stom_db *db = stom_xcalloc(1, sizeof *db);
    db->conn = conn;
    db->url = stom_xstrdup(url);
    *out = db;
    return STOM_OK;
}

void stom_db_close(stom_db *db)
{
    if (db == NULL)
        return;
    stom__db_forget_prepared(db);
    free(db->prepared);
    PQfinish(db->conn);
    free(db->url);
    free(db);
}

PGconn *stom_db_conn(stom_db *db)
{
    return db->conn;
}

const char *stom_db_url(const stom_db *db)
{
    return db->url;
}

int stom_db_on_reconnect(stom_db *db, stom_db_reconnect_fn fn, void *arg, stom_errbuf *eb)
{
    if (db->n_hooks == STOM_DB_MAX_HOOKS)
        return stom_errorf(eb, STOM_ERANGE, "at most %d reconnect hooks", STOM_DB_MAX_HOOKS);
    db->hooks[db->n_hooks++] = (stom__reconnect_hook){fn, arg};
    return STOM_OK;
}

int stom_db_check(stom_db *db, stom_errbuf *eb)
{
    if (PQstatus(db->conn) == CONNECTION_OK)
        return STOM_OK;
    PQreset(db->conn);
    stom__db_forget_prepared(db); /* the new session has none of them */
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char where[256], why[512];
        return stom_errorf(eb, STOM_EIO, "lost PostgreSQL at %s and cannot reconnect: %s",
                           stom__conninfo_describe(db->url, where, sizeof where),
                           stom__pg_message(NULL, db->conn, why, sizeof why));
    }
    for (size_t k = 0; k < db->n_hooks; k++) {
        int rc = db->hooks[k].fn(db, db->hooks[k].arg, eb);
        if (rc != STOM_OK)
            return rc;
    }
    return STOM_OK;
}
