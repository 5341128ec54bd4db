/*
 * db_exec.c - running statements and turning their failures into
 * STOM_EIO with the server's message on one line; transactions.
 */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

const char stom__copy_signature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', 0};

/* Copies s into buf with newlines and tabs folded into single spaces. */
static void one_line(const char *s, char *buf, size_t len)
{
    size_t n = 0;
    bool space = false;
    for (; *s && n + 1 < len; s++) {
        bool ws = *s == '\n' || *s == '\t' || *s == '\r' || *s == ' ';
        if (ws && (space || n == 0))
            continue;
        buf[n++] = ws ? ' ' : *s;
        space = ws;
    }
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

char *stom__pg_message(PGresult *res, PGconn *conn, char *buf, size_t len)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary != NULL) {
        const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
        char joined[1024];
        snprintf(joined, sizeof joined, detail ? "%s (%s)" : "%s", primary, detail);
        one_line(joined, buf, len);
        return buf;
    }
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (msg[0] == '\0' && conn != NULL)
        msg = PQerrorMessage(conn);
    if (strncmp(msg, "ERROR:", 6) == 0)
        msg += 6;
    one_line(msg[0] ? msg : "no answer from the server", buf, len);
    return buf;
}

int stom__db_fail(stom_db *db, PGresult *res, const char *what, stom_errbuf *eb)
{
    char why[512];
    stom__pg_message(res, stom_db_conn(db), why, sizeof why);
    PQclear(res);
    return stom_errorf(eb, STOM_EIO, "%s: %s", what, why);
}

int stom__db_want(stom_db *db, PGresult *res, ExecStatusType want, const char *what, PGresult **out,
                  stom_errbuf *eb)
{
    if (res == NULL || PQresultStatus(res) != want)
        return stom__db_fail(db, res, what, eb);
    if (out != NULL)
        *out = res;
    else
        PQclear(res);
    return STOM_OK;
}

int stom_db_query(stom_db *db, const char *sql, int nparams, const char *const *params,
                  ExecStatusType want, const char *what, PGresult **out, stom_errbuf *eb)
{
    PGresult *res = PQexecParams(stom_db_conn(db), sql, nparams, NULL, params, NULL, NULL, 0);
    return stom__db_want(db, res, want, what, out, eb);
}

int stom__db_query_binary(stom_db *db, const char *sql, int nparams, const char *const *params,
                          const char *what, PGresult **out, stom_errbuf *eb)
{
    PGresult *res = PQexecParams(stom_db_conn(db), sql, nparams, NULL, params, NULL, NULL, 1);
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
        return stom__db_fail(db, res, what, eb);
    *out = res;
    return STOM_OK;
}

int stom_db_copy_begin(stom_db *db, const char *sql, const char *what, stom_errbuf *eb)
{
    return stom_db_query(db, sql, 0, NULL, PGRES_COPY_IN, what, NULL, eb);
}

int stom_db_copy_end(stom_db *db, bool sent, const char *what, stom_errbuf *eb)
{
    PGconn *conn = stom_db_conn(db);
    int rc = STOM_OK;
    if (PQputCopyEnd(conn, sent ? NULL : "stom: sending the rows failed") != 1)
        rc = stom__db_fail(db, NULL, what, eb);
    PGresult *res = PQgetResult(conn);
    if (rc == STOM_OK && (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK))
        rc = stom__db_fail(db, res, what, eb);
    else
        PQclear(res);
    while ((res = PQgetResult(conn)) != NULL)
        PQclear(res);
    return rc;
}

int stom_db_exec(stom_db *db, const char *sql, stom_errbuf *eb)
{
    PGresult *res = PQexec(stom_db_conn(db), sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char why[512];
        stom__pg_message(res, stom_db_conn(db), why, sizeof why);
        PQclear(res);
        return stom_errorf(eb, STOM_EIO, "%s", why);
    }
    PQclear(res);
    return STOM_OK;
}

int stom_db_result_ok(PGresult *res, ExecStatusType want, const char *what, stom_errbuf *eb)
{
    if (res != NULL && PQresultStatus(res) == want)
        return STOM_OK;
    char why[512];
    return stom_errorf(eb, STOM_EIO, "%s: %s", what, stom__pg_message(res, NULL, why, sizeof why));
}

int stom_db_begin(stom_db *db, stom_errbuf *eb)
{
    return stom_db_exec(db, "BEGIN", eb);
}

int stom_db_commit(stom_db *db, stom_errbuf *eb)
{
    PGresult *res = PQexec(stom_db_conn(db), "COMMIT");
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
        return stom__db_fail(db, res, "COMMIT", eb);
    /* COMMIT of a transaction an error aborted "succeeds" as ROLLBACK. */
    bool rolled_back = strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
    PQclear(res);
    if (rolled_back)
        return stom_errorf(eb, STOM_EIO,
                           "COMMIT: the transaction was rolled back by an earlier "
                           "error");
    return STOM_OK;
}

void stom_db_rollback(stom_db *db)
{
    PQclear(PQexec(stom_db_conn(db), "ROLLBACK"));
}
