/*
 * test_connection.c - connecting, errors that name the server but never the
 * password, statements that fail with the server's message, transactions,
 * and resetting a lost connection with its reconnect hooks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/store.h"
#include "test_db.h"
#include "test_support.h"

static stom_db *open_db(const char *conninfo)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, conninfo, &eb) == STOM_OK, "%s", eb.msg);
    return db;
}

START_TEST(an_unreachable_server_is_named_without_its_password)
{
    stom_db *db = (stom_db *)&db;
    stom_errbuf eb = {{0}};
    int rc = stom_db_connect(
        &db, "host=127.0.0.1 port=1 dbname=nothing user=nobody password=hunter2 connect_timeout=2",
        &eb);
    ck_assert_int_eq(rc, STOM_EIO);
    ck_assert_ptr_eq(db, (stom_db *)&db); /* *out untouched on failure */
    ck_assert_msg(strstr(eb.msg, "port=1") != NULL, "%s", eb.msg);
    ck_assert_msg(strstr(eb.msg, "dbname=nothing") != NULL, "%s", eb.msg);
    ck_assert_msg(strstr(eb.msg, "hunter2") == NULL, "password in: %s", eb.msg);
}
END_TEST

START_TEST(without_a_connection_string_the_environment_then_the_default_is_used)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    setenv("STOM_DATABASE_URL", url, 1);
    stom_db *db = open_db(NULL);
    ck_assert_str_eq(stom_db_url(db), url);
    stom_db_close(db);
    unsetenv("STOM_DATABASE_URL");
    stom_errbuf eb = {{0}};
    stom_db *other = NULL;
    /* The default server may or may not run here; either way it is the one tried. */
    if (stom_db_connect(&other, NULL, &eb) == STOM_OK) {
        ck_assert_str_eq(stom_db_url(other), STOM_DB_URL_DEFAULT);
        stom_db_close(other);
    } else {
        ck_assert_msg(strstr(eb.msg, "port=54320") != NULL, "%s", eb.msg);
    }
    stom_db_close(NULL);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(a_connection_string_can_name_another_database_on_the_same_server)
{
    char out[256];
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_conninfo_with("host=127.0.0.1 port=5 dbname=a user=u", "dbname",
                                           "b c's", out, sizeof out, &eb),
                     STOM_OK);
    ck_assert_str_eq(out, "user='u' dbname='b c\\'s' host='127.0.0.1' port='5'");
    ck_assert_int_eq(
        stom_db_conninfo_with("postgresql://u@h:7/a", "dbname", "z", out, sizeof out, &eb),
        STOM_OK);
    ck_assert_str_eq(out, "user='u' dbname='z' host='h' port='7'");
    ck_assert_int_eq(stom_db_conninfo_with("host=h", "no_such_keyword", "x", out, sizeof out, &eb),
                     STOM_EINVAL);
    ck_assert_int_eq(stom_db_conninfo_with("host=h", "dbname", "x", out, 8, &eb), STOM_ERANGE);
}
END_TEST

START_TEST(a_failing_statement_reports_the_server_message)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_exec(db, "SELECT * FROM no_such_table", &eb), STOM_EIO);
    ck_assert_str_eq(eb.msg, "relation \"no_such_table\" does not exist");
    PGresult *res = PQexec(stom_db_conn(db), "SELECT 1/0");
    ck_assert_int_eq(stom_db_result_ok(res, PGRES_TUPLES_OK, "dividing", &eb), STOM_EIO);
    ck_assert_str_eq(eb.msg, "dividing: division by zero");
    PQclear(res);
    res = PQexec(stom_db_conn(db), "SELECT 1");
    ck_assert_int_eq(stom_db_result_ok(res, PGRES_TUPLES_OK, "one", &eb), STOM_OK);
    PQclear(res);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(a_transaction_commits_or_rolls_back_as_a_whole)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_exec(db, "CREATE TABLE t (x int PRIMARY KEY)", &eb), STOM_OK);
    ck_assert_int_eq(stom_db_begin(db, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(db, "INSERT INTO t VALUES (1)", &eb), STOM_OK);
    stom_db_rollback(db);
    ck_assert_int_eq(stom_db_begin(db, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(db, "INSERT INTO t VALUES (2)", &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(db, "INSERT INTO t VALUES (2)", &eb), STOM_EIO);
    /* COMMIT after an error is a ROLLBACK: reported, not taken for success. */
    ck_assert_int_eq(stom_db_commit(db, &eb), STOM_EIO);
    ck_assert_msg(strstr(eb.msg, "rolled back") != NULL, "%s", eb.msg);
    ck_assert_int_eq(stom_db_begin(db, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(db, "INSERT INTO t VALUES (3)", &eb), STOM_OK);
    ck_assert_int_eq(stom_db_commit(db, &eb), STOM_OK);
    PGresult *res = PQexec(stom_db_conn(db), "SELECT string_agg(x::text, ',') FROM t");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "3");
    PQclear(res);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

static int count_reconnects(stom_db *db, void *arg, stom_errbuf *eb)
{
    (void)eb;
    ck_assert_int_eq(PQstatus(stom_db_conn(db)), CONNECTION_OK);
    (*(int *)arg)++;
    return STOM_OK;
}

START_TEST(a_lost_connection_is_reset_and_the_reconnect_hooks_run)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    int first = 0, second = 0;
    ck_assert_int_eq(stom_db_on_reconnect(db, count_reconnects, &first, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_on_reconnect(db, count_reconnects, &second, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_check(db, &eb), STOM_OK);
    ck_assert_int_eq(first, 0);
    /* The server ends this session, as a restart or an administrator would. */
    stom_db_exec(db, "SELECT pg_terminate_backend(pg_backend_pid())", &eb);
    ck_assert_int_eq(stom_db_exec(db, "SELECT 1", &eb), STOM_EIO);
    ck_assert_int_eq(stom_db_check(db, &eb), STOM_OK);
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(second, 1);
    ck_assert_int_eq(stom_db_exec(db, "SELECT 1", &eb), STOM_OK);
    for (int k = 2; k < 8; k++)
        ck_assert_int_eq(stom_db_on_reconnect(db, count_reconnects, &first, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_on_reconnect(db, count_reconnects, &first, &eb), STOM_ERANGE);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

/* How many statements this session has prepared (pg_prepared_statements). */
static int prepared_count(stom_db *db)
{
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_query(db, "SELECT count(*) FROM pg_prepared_statements", 0, NULL,
                                   PGRES_TUPLES_OK, "counting", &res, &eb),
                     STOM_OK);
    int n = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

static int prepared_sum(stom_db *db, const char *a, const char *b)
{
    const char *params[] = {a, b};
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_query_prepared(db, "SELECT $1::int + $2::int", 2, params, PGRES_TUPLES_OK,
                                         "adding", &res, &eb) == STOM_OK,
                  "%s", eb.msg);
    int n = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

START_TEST(prepared_statements_are_prepared_once_and_again_after_a_reset)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(prepared_sum(db, "1", "2"), 3);
    ck_assert_int_eq(prepared_sum(db, "40", "2"), 42);
    ck_assert_int_eq(prepared_count(db), 1); /* the second call reused the first's */

    /* The server forgets them (DISCARD ALL, as a pooler does): prepared again once. */
    ck_assert_int_eq(stom_db_exec(db, "DISCARD ALL", &eb), STOM_OK);
    ck_assert_int_eq(prepared_sum(db, "5", "5"), 10);
    ck_assert_int_eq(prepared_count(db), 1);

    /* A lost connection: after the reset the new session prepares it again. */
    stom_db_exec(db, "SELECT pg_terminate_backend(pg_backend_pid())", &eb);
    ck_assert_int_eq(stom_db_check(db, &eb), STOM_OK);
    ck_assert_int_eq(prepared_count(db), 0);
    ck_assert_int_eq(prepared_sum(db, "1", "1"), 2);
    ck_assert_int_eq(prepared_count(db), 1);

    /* A statement the server refuses is the caller's error, with the server's message. */
    PGresult *res = NULL;
    ck_assert_int_eq(stom_db_query_prepared(db, "SELECT * FROM no_such_table", 0, NULL,
                                            PGRES_TUPLES_OK, "reading", &res, &eb),
                     STOM_EIO);
    ck_assert_msg(strstr(eb.msg, "reading: ") && strstr(eb.msg, "no_such_table"), "%s", eb.msg);

    /* Past STOM_DB_PREPARED_MAX distinct statements, the rest still run, unprepared. */
    for (int k = 0; k < STOM_DB_PREPARED_MAX + 5; k++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", k);
        ck_assert_int_eq(stom_db_query_prepared(db, sql, 0, NULL, PGRES_TUPLES_OK, "k", &res, &eb),
                         STOM_OK);
        ck_assert_int_eq(atoi(PQgetvalue(res, 0, 0)), k);
        PQclear(res);
    }
    ck_assert_int_eq(prepared_count(db), STOM_DB_PREPARED_MAX);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

static Suite *connection_suite(void)
{
    Suite *s = suite_create("connection");
    TCase *tc = tcase_create("connection");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, an_unreachable_server_is_named_without_its_password);
    tcase_add_test(tc, without_a_connection_string_the_environment_then_the_default_is_used);
    tcase_add_test(tc, a_connection_string_can_name_another_database_on_the_same_server);
    tcase_add_test(tc, a_failing_statement_reports_the_server_message);
    tcase_add_test(tc, a_transaction_commits_or_rolls_back_as_a_whole);
    tcase_add_test(tc, a_lost_connection_is_reset_and_the_reconnect_hooks_run);
    tcase_add_test(tc, prepared_statements_are_prepared_once_and_again_after_a_reset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(connection_suite());
}
