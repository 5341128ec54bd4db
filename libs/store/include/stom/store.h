/*
 * stom/store.h - the PostgreSQL connection every stom process uses, and the
 * versioned schema migrations kept in the repository (libs/store/migrations,
 * NNNN_name.sql, embedded in the library at build time).
 *
 * Connection strings are libpq conninfo ("host=127.0.0.1 port=54320
 * dbname=stom user=stom") or URLs ("postgresql://..."). When a caller passes
 * NULL, STOM_DATABASE_URL from the environment is used, and without it
 * STOM_DB_URL_DEFAULT (the private server `make up` starts).
 *
 * A connection is re-established when libpq reports it bad: stom_db_check
 * calls PQreset and then every registered reconnect hook, which is where
 * prepared statements are prepared again (libpq forgets them on reset).
 * Error messages never contain the password of the connection string.
 *
 * Thread-safety: one stom_db per thread (libpq's rule); distinct stom_db
 * values may be used concurrently.
 */
#ifndef STOM_STORE_H
#define STOM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "stom/error.h"

#define STOM_DB_URL_DEFAULT "host=127.0.0.1 port=54320 dbname=stom user=stom"

typedef struct stom_db stom_db;

/* Called after a successful reconnect with the hook's arg; returns 0 or a
 * negative STOM_E* (the reconnect then fails). */
typedef int (*stom_db_reconnect_fn)(stom_db *db, void *arg, stom_errbuf *eb);

/*
 * Connects to conninfo (NULL: the environment or the default, see above)
 * and sets *out. Returns 0, or STOM_EIO with eb saying which server could
 * not be reached and why (without the password). Borrows conninfo.
 */
int stom_db_connect(stom_db **out, const char *conninfo, stom_errbuf *eb);
/*
 * Writes into out (len bytes) conninfo (NULL: the environment or the
 * default) as a libpq key=value string with keyword set to value, e.g. the
 * same server with another dbname. Returns 0, STOM_EINVAL (unparsable
 * string, unknown keyword) or STOM_ERANGE (out too small). Borrows all.
 */
int stom_db_conninfo_with(const char *conninfo, const char *keyword, const char *value, char *out,
                          size_t len, stom_errbuf *eb);
/* Closes the connection. NULL is a no-op. */
void stom_db_close(stom_db *db);
/* The libpq connection, for modules that run their own statements. Borrowed. */
PGconn *stom_db_conn(stom_db *db);
/* The conninfo stom_db_connect used (the resolved default when it was NULL). */
const char *stom_db_url(const stom_db *db);
/* Registers a reconnect hook (at most 8). Hooks run in registration order. */
int stom_db_on_reconnect(stom_db *db, stom_db_reconnect_fn fn, void *arg, stom_errbuf *eb);
/* Returns 0 when the connection is good, resetting it (and running the hooks)
 * when it is not; STOM_EIO when the server stays unreachable. */
int stom_db_check(stom_db *db, stom_errbuf *eb);

/*
 * Runs sql (one or more statements, no parameters, no result rows wanted).
 * Returns 0 or STOM_EIO with eb holding PostgreSQL's message.
 */
int stom_db_exec(stom_db *db, const char *sql, stom_errbuf *eb);
/*
 * Checks a PGresult: returns 0 when its status is want (PGRES_COMMAND_OK or
 * PGRES_TUPLES_OK), otherwise STOM_EIO with "<what>: <server message>" in
 * eb. Does not clear res.
 */
int stom_db_result_ok(PGresult *res, ExecStatusType want, const char *what, stom_errbuf *eb);

/*
 * Runs one statement with text parameters (params[k] NULL means SQL NULL;
 * bytea as "\\x" hex text) and checks it reached want. Returns 0 with *out
 * set (owned, PQclear) or STOM_EIO with "<what>: <server message>" in eb.
 * out may be NULL for commands.
 */
int stom_db_query(stom_db *db, const char *sql, int nparams, const char *const *params,
                  ExecStatusType want, const char *what, PGresult **out, stom_errbuf *eb);

/*
 * As stom_db_query, but the statement is prepared on this connection the
 * first time it runs there and executed by name afterwards, so PostgreSQL
 * parses and plans it once per connection rather than once per call. For
 * the statements a server runs on every request. The SQL text is the key
 * (copied); at most STOM_DB_PREPARED_MAX statements per connection are
 * kept, further ones simply run unprepared. A reconnect forgets them and
 * they are prepared again on next use; a statement the server no longer
 * knows (DISCARD ALL, a pooler) is prepared again once.
 */
#define STOM_DB_PREPARED_MAX 128
int stom_db_query_prepared(stom_db *db, const char *sql, int nparams, const char *const *params,
                           ExecStatusType want, const char *what, PGresult **out, stom_errbuf *eb);
/* The raw form of stom_db_query_prepared: PQexecParams' contract (NULL only when out of
 * memory), for callers that inspect the failure themselves (SQLSTATE). Owned. */
PGresult *stom_db_exec_prepared(stom_db *db, const char *sql, int nparams,
                                const char *const *params);

/*
 * COPY ... FROM STDIN in two calls around the caller's PQputCopyData:
 * _begin starts it (sql is the COPY statement); _end finishes it, aborting
 * when sent is false, and collects the result, where libpq reports COPY
 * errors (only after the end). Both return 0 or STOM_EIO with what in eb.
 */
int stom_db_copy_begin(stom_db *db, const char *sql, const char *what, stom_errbuf *eb);
int stom_db_copy_end(stom_db *db, bool sent, const char *what, stom_errbuf *eb);

/* BEGIN / COMMIT / ROLLBACK. Rollback never fails (errors are ignored). */
int stom_db_begin(stom_db *db, stom_errbuf *eb);
int stom_db_commit(stom_db *db, stom_errbuf *eb);
void stom_db_rollback(stom_db *db);

/* ---- migrations -------------------------------------------------------- */

typedef struct stom_migration {
    int version;      /* NNNN of the file name */
    const char *name; /* "0001_bars.sql" */
    const char *sql;
} stom_migration;

/* The migrations built into this binary, in version order (static storage). */
const stom_migration *stom_migrations(size_t *n);

/*
 * Applies every migration newer than the database's version, each in its
 * own transaction together with its row in schema_migrations, under an
 * advisory lock so that concurrent callers apply each migration once.
 * Idempotent: a second call applies nothing. *applied (may be NULL) gets the
 * number applied, *version (may be NULL) the schema version afterwards.
 * Returns 0, or STOM_EIO naming the migration that failed (nothing of it is
 * kept), or STOM_ERANGE when the database is newer than this binary.
 */
int stom_db_migrate(stom_db *db, int *applied, int *version, stom_errbuf *eb);
/* The database's schema version (0 before the first migration). */
int stom_db_schema_version(stom_db *db, int *version, stom_errbuf *eb);

#endif
