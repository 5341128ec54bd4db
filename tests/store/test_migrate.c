/*
 * test_migrate.c - the embedded migrations and their runner: a fresh
 * database reaches the latest version, a second run applies nothing,
 * concurrent runs apply each migration once, a database migrated by a
 * newer stom is refused, and a database with bars in the one-row-per-bar
 * table of 0001 upgrades to bar blocks (0003) without losing any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stom/store.h"
#include "stom/store_bars.h"
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
    ck_assert_int_eq(
        stom_db_exec(db, "SELECT symbol, block_start, n, data FROM bar_blocks LIMIT 0", &eb),
        STOM_OK);
    ck_assert_int_eq(stom_db_exec(db, "SELECT 1 FROM bars", &eb), STOM_EIO); /* gone since 0003 */
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

/*
 * The runner applies everything there is, so the old schema is made by hand:
 * the embedded 0001 and 0002 run, and are recorded, as the runner would
 * (its schema_migrations table is created here first with its columns).
 */
static void migrate_to_version_2(stom_db *db)
{
    size_t n;
    const stom_migration *m = stom_migrations(&n);
    ck_assert_uint_ge(n, 3);
    ck_assert_str_eq(m[2].name, "0003_bar_blocks.sql");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_db_exec(db,
                                  "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
                                  " name text NOT NULL,"
                                  " applied_at timestamptz NOT NULL DEFAULT now())",
                                  &eb),
                     STOM_OK);
    for (int k = 0; k < 2; k++) {
        char sql[128];
        ck_assert_msg(stom_db_exec(db, m[k].sql, &eb) == STOM_OK, "%s: %s", m[k].name, eb.msg);
        snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, '%s')", m[k].version,
                 m[k].name);
        ck_assert_int_eq(stom_db_exec(db, sql, &eb), STOM_OK);
    }
}

/* Old rows: minutes across three days, dailies before and after 1970, seconds across an hour. */
static const char OLD_ROWS[] =
    "INSERT INTO instruments (symbol, market, board, price_decimals, qty_decimals) VALUES"
    " ('005930', 'krx', 'KOSPI', 0, 0), ('BTC-USDT', 'crypto', 'NONE', 2, 8);"
    "INSERT INTO bars SELECT '005930', '1m', 1704153600 + 60 * g + 30 * (g % 2),"
    " 1000 + g, 2000 + 3 * g, 500 + g, 1500 + 2 * g, g * 7 FROM generate_series(0, 3999) g;"
    "INSERT INTO bars SELECT '005930', '1d', -86400 * 40 + 86400 * g, 10 * g, 10 * g + 9, 10 * g,"
    " 10 * g + 5, g FROM generate_series(0, 79) g;"
    "INSERT INTO bars SELECT 'BTC-USDT', '1s', 1704153600 - 1800 + g, g, g + 2, 0, g + 1, "
    " 9223372036854775807 - g FROM generate_series(0, 3599) g";

/* The expected bar g of each old series (as OLD_ROWS made them). */
static void old_bar(const char *tf, int64_t g, int64_t v[6])
{
    if (strcmp(tf, "1m") == 0) {
        int64_t m[6] = {1704153600 + 60 * g + 30 * (g % 2),
                        1000 + g,
                        2000 + 3 * g,
                        500 + g,
                        1500 + 2 * g,
                        g * 7};
        memcpy(v, m, sizeof m);
    } else if (strcmp(tf, "1d") == 0) {
        int64_t d[6] = {-86400 * 40 + 86400 * g, 10 * g, 10 * g + 9, 10 * g, 10 * g + 5, g};
        memcpy(v, d, sizeof d);
    } else {
        int64_t s[6] = {1704153600 - 1800 + g, g, g + 2, 0, g + 1, INT64_MAX - g};
        memcpy(v, s, sizeof s);
    }
}

static void expect_old_series(stom_db *db, const char *symbol, const char *tf, size_t n)
{
    stom_bars out;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_load_bars(db, symbol, tf, INT64_MIN, INT64_MAX, &out, &eb) == STOM_OK,
                  "%s", eb.msg);
    ck_assert_uint_eq(out.len, n);
    for (size_t g = 0; g < n; g++) {
        int64_t v[6];
        old_bar(tf, (int64_t)g, v);
        ck_assert_int_eq(out.ts[g], v[0]);
        ck_assert_int_eq(out.open[g], v[1]);
        ck_assert_int_eq(out.high[g], v[2]);
        ck_assert_int_eq(out.low[g], v[3]);
        ck_assert_int_eq(out.close[g], v[4]);
        ck_assert_int_eq(out.volume[g], v[5]);
    }
    stom_bars_free(&out);
}

START_TEST(bars_stored_one_per_row_upgrade_to_blocks_without_loss)
{
    char url[512];
    stom_test_db_create_empty(url, sizeof url);
    stom_db *db = open_db(url);
    stom_errbuf eb = {{0}};
    migrate_to_version_2(db);
    ck_assert_msg(stom_db_exec(db, OLD_ROWS, &eb) == STOM_OK, "%s", eb.msg);
    int applied = -1, version = -1;
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(version, latest());
    size_t all;
    stom_migrations(&all);
    ck_assert_int_eq(applied, (int)all - 2);
    expect_old_series(db, "005930", "1m", 4000);
    expect_old_series(db, "005930", "1d", 80);
    expect_old_series(db, "BTC-USDT", "1s", 3600);
    /* 1m: days 0-2 (4000 bars run to 02:39 of day 2 plus 30 s); 1d: two 1024-day blocks, one
     * before 1970; 1s: two hours. */
    ck_assert_int_eq(stom_db_exec(db,
                                  "DO $$ BEGIN IF (SELECT string_agg(timeframe || n, ','"
                                  " ORDER BY symbol, timeframe, block_start) FROM bar_blocks)"
                                  " <> '1d40,1d40,1m1440,1m1440,1m1120,1s1800,1s1800'"
                                  " THEN RAISE EXCEPTION 'blocks: %', (SELECT string_agg("
                                  "timeframe || n, ',' ORDER BY symbol, timeframe, block_start)"
                                  " FROM bar_blocks); END IF; END $$",
                                  &eb),
                     STOM_OK);
    stom_data_set *sets = NULL;
    size_t n = 0;
    ck_assert_int_eq(stom_store_list_data(db, &sets, &n, &eb), STOM_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(sets[1].rows, 4000);
    ck_assert_int_eq(sets[1].first_ts, 1704153600);
    ck_assert_int_eq(sets[0].first_ts, -86400 * 40);
    free(sets);
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
    tcase_add_test(tc, bars_stored_one_per_row_upgrade_to_blocks_without_loss);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(migrate_suite());
}
