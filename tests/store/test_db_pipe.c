/*
 * test_db_pipe.c - statements sent without waiting (stom/db_pipe.h): they
 * run in order, each in its own transaction; a failing one is reported with
 * its label and the server's message and the ones after it still run; a
 * lost connection reports what was in flight and the next send reconnects;
 * a statement is in the server's hands once send returns, even if the
 * sender never waits for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stom/db_pipe.h"
#include "stom/store.h"
#include "test_db.h"
#include "test_support.h"

typedef struct failures {
    int n, critical;
    char label[128], message[512];
} failures;

static void on_failure(void *arg, const char *label, bool critical, const char *message)
{
    failures *f = arg;
    f->n++;
    f->critical += critical;
    snprintf(f->label, sizeof f->label, "%s", label);
    snprintf(f->message, sizeof f->message, "%s", message);
}

static stom_db *open_db(const char *url)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, url, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_msg(stom_db_exec(db, "CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY, v text)",
                               &eb) == STOM_OK,
                  "%s", eb.msg);
    return db;
}

static long long count(stom_db *db, const char *sql)
{
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_query(db, sql, 0, NULL, PGRES_TUPLES_OK, "count", &res, &eb) == 0, "%s",
                  eb.msg);
    long long n = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

static void insert(stom_db_pipe *p, int k, const char *v, bool critical)
{
    char key[16];
    snprintf(key, sizeof key, "%d", k);
    const char *params[] = {key, v};
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_pipe_send(p, "INSERT INTO t (k, v) VALUES ($1, $2)", 2, params,
                                    "inserting a row", critical, &eb) == STOM_OK,
                  "%s", eb.msg);
}

START_TEST(statements_run_in_order_and_a_failure_names_itself_without_stopping_the_rest)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    failures f = {0};
    stom_db_pipe *p = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_pipe_open(&p, url, "SET synchronous_commit = off", on_failure, &f, &eb) ==
                      STOM_OK,
                  "%s", eb.msg);
    for (int k = 1; k <= 200; k++)
        insert(p, k, "first", false);
    insert(p, 7, "again", true); /* a duplicate key: fails alone */
    const char *up[] = {"7"};
    ck_assert_int_eq(stom_db_pipe_send(p, "UPDATE t SET v = 'last' WHERE k = $1", 1, up,
                                       "updating a row", false, &eb),
                     STOM_OK);
    ck_assert_int_eq(stom_db_pipe_drain(p, 10000, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_pipe_in_flight(p), 0);
    ck_assert_int_eq(f.n, 1);
    ck_assert_int_eq(f.critical, 1);
    ck_assert_str_eq(f.label, "inserting a row");
    ck_assert_msg(strstr(f.message, "duplicate key") != NULL, "%s", f.message);
    ck_assert_int_eq(count(db, "SELECT count(*) FROM t"), 200);
    ck_assert_int_eq(count(db, "SELECT count(*) FROM t WHERE k = 7 AND v = 'last'"), 1);
    size_t sent = 0, failed = 0;
    stom_db_pipe_counts(p, &sent, &failed);
    ck_assert_uint_eq(sent, 202);
    ck_assert_uint_eq(failed, 1);
    stom_db_pipe_close(p);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(a_statement_sent_is_written_though_its_sender_never_waits)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_db_pipe *p = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_pipe_open(&p, url, NULL, NULL, NULL, &eb), STOM_OK);
    for (int k = 1; k <= 50; k++)
        insert(p, k, "x", true);
    /* No poll, no drain: the rows arrive all the same. */
    long long n = 0;
    for (int i = 0; i < 500 && n < 50; i++) {
        n = count(db, "SELECT count(*) FROM t");
        if (n < 50) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    ck_assert_int_eq(n, 50);
    stom_db_pipe_close(p);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(a_lost_connection_reports_what_was_in_flight_and_the_next_send_reconnects)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    failures f = {0};
    stom_db_pipe *p = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_pipe_open(&p, url, NULL, on_failure, &f, &eb), STOM_OK);
    /* The pipe's own session ends itself; the statement behind it never gets an answer. */
    ck_assert_int_eq(stom_db_pipe_send(p, "SELECT pg_terminate_backend(pg_backend_pid())", 0, NULL,
                                       "ending the session", false, &eb),
                     STOM_OK);
    insert(p, 1, "lost?", true);
    stom_db_pipe_drain(p, 5000, &eb);
    ck_assert_int_eq(stom_db_pipe_in_flight(p), 0);
    ck_assert_int_ge(f.n, 1);
    ck_assert_msg(strstr(f.message, "connection") != NULL, "%s", f.message);
    insert(p, 2, "after", false);
    ck_assert_int_eq(stom_db_pipe_drain(p, 5000, &eb), STOM_OK);
    ck_assert_int_eq(count(db, "SELECT count(*) FROM t WHERE k = 2"), 1);
    stom_db_pipe_close(p);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(an_unreachable_server_is_refused_at_open)
{
    stom_db_pipe *p = (stom_db_pipe *)&p;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_pipe_open(&p,
                                       "host=127.0.0.1 port=1 dbname=x user=y connect_timeout=2",
                                       NULL, NULL, NULL, &eb),
                     STOM_EIO);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(eb.msg, "port=1") != NULL, "%s", eb.msg);
    stom_db_pipe_close(NULL);
}
END_TEST

static Suite *pipe_suite(void)
{
    Suite *s = suite_create("db_pipe");
    TCase *tc = tcase_create("db_pipe");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc,
                   statements_run_in_order_and_a_failure_names_itself_without_stopping_the_rest);
    tcase_add_test(tc, a_statement_sent_is_written_though_its_sender_never_waits);
    tcase_add_test(tc, a_lost_connection_reports_what_was_in_flight_and_the_next_send_reconnects);
    tcase_add_test(tc, an_unreachable_server_is_refused_at_open);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(pipe_suite());
}
