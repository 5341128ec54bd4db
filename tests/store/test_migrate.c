/*
 * test_migrate.c - the embedded migrations and their runner: a fresh
 * database reaches the latest version, a second run applies nothing,
 * concurrent runs apply each migration once, and a database migrated by a
 * newer stom is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static int latest(void)
{
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    return m[n - 1].version;
}

START_TEST(the_built_in_migrations_are_numbered_in_file_name_order)
{
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(m[0].version, 1);
    ck_assert_str_eq(m[0].name, "0001_bars.sql");
    ck_assert_ptr_nonnull(strstr(m[0].sql, "CREATE TABLE bars"));
    for (size_t k = 1; k < n; k++) {
        char prefix[8];
        snprintf(prefix, sizeof prefix, "%04d_", m[k].version);
        ck_assert_int_gt(m[k].version, m[k - 1].version);
        ck_assert_msg(strncmp(m[k].name, prefix, 5) == 0, "%s is not %s*", m[k].name, prefix);
        ck_assert_uint_gt(strlen(m[k].sql), 0);
    }
}
END_TEST

START_TEST(a_fresh_database_is_migrated_to_the_latest_version)
{
    char url[512];
    stom_test_db_create_empty(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    int applied = -1, version = -1;
    ck_assert_int_eq(stom_db_schema_version(db, &version, &eb), STOM_OK);
    ck_assert_int_eq(version, 0);
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    size_t n;
    stom_migrations(&n);
    ck_assert_int_eq(applied, (int)n);
    ck_assert_int_eq(version, latest());
    ck_assert_int_eq(stom_db_exec(db, "SELECT symbol, ts FROM bars LIMIT 0", &eb), STOM_OK);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(migrating_a_second_time_applies_nothing_and_keeps_the_version)
{
    char url[512];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    int applied = -1, version = -1;
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(applied, 0);
    ck_assert_int_eq(version, latest());
    ck_assert_int_eq(stom_db_schema_version(db, &version, &eb), STOM_OK);
    ck_assert_int_eq(version, latest());
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(concurrent_migrations_apply_each_migration_once)
{
    char url[512];
    stom_test_db_create_empty(url, sizeof url);
    enum { RUNNERS = 4 };
    int fds[RUNNERS][2];
    pid_t pids[RUNNERS];
    for (int k = 0; k < RUNNERS; k++) {
        ck_assert_int_eq(pipe(fds[k]), 0);
        pids[k] = fork();
        ck_assert_int_ge(pids[k], 0);
        if (pids[k] == 0) {
            stom_db *db = NULL;
            int applied = -1;
            if (stom_db_connect(&db, url, NULL) != STOM_OK ||
                stom_db_migrate(db, &applied, NULL, NULL) != STOM_OK)
                applied = -1;
            ssize_t w = write(fds[k][1], &applied, sizeof applied);
            _exit(w == sizeof applied ? 0 : 1);
        }
        close(fds[k][1]);
    }
    int total = 0;
    for (int k = 0; k < RUNNERS; k++) {
        int applied = -1;
        ck_assert_int_eq(read(fds[k][0], &applied, sizeof applied), (ssize_t)sizeof applied);
        ck_assert_int_ge(applied, 0);
        total += applied;
        close(fds[k][0]);
        waitpid(pids[k], NULL, 0);
    }
    size_t n;
    stom_migrations(&n);
    ck_assert_int_eq(total, (int)n);
    stom_test_db_drop(url);
}
END_TEST

START_TEST(a_database_newer_than_this_binary_is_refused)
{
    char url[512], sql[256];
    stom_test_db_create(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations (version, name) VALUES (%d, 'from_the_future.sql')",
             latest() + 1);
    ck_assert_int_eq(stom_db_exec(db, sql, &eb), STOM_OK);
    int applied = -1, version = -1;
    ck_assert_int_eq(stom_db_migrate(db, &applied, &version, &eb), STOM_ERANGE);
    ck_assert_int_eq(applied, 0);
    ck_assert_int_eq(version, latest() + 1);
    ck_assert_msg(strstr(eb.msg, "newer") != NULL, "%s", eb.msg);
    char expect[64];
    snprintf(expect, sizeof expect, "version %d", latest() + 1);
    ck_assert_msg(strstr(eb.msg, expect) != NULL, "%s", eb.msg);
    stom_db_close(db);
    stom_test_db_drop(url);
}
END_TEST

static Suite *migrate_suite(void)
{
    Suite *s = suite_create("migrate");
    TCase *tc = tcase_create("migrate");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_built_in_migrations_are_numbered_in_file_name_order);
    tcase_add_test(tc, a_fresh_database_is_migrated_to_the_latest_version);
    tcase_add_test(tc, migrating_a_second_time_applies_nothing_and_keeps_the_version);
    tcase_add_test(tc, concurrent_migrations_apply_each_migration_once);
    tcase_add_test(tc, a_database_newer_than_this_binary_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(migrate_suite());
}
