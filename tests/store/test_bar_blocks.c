/*
 * test_bar_blocks.c - bars stored as blocks (bar_blocks, one row per
 * symbol, timeframe and day of minute bars): loads and counts of ranges
 * that start and end inside blocks, imports that merge with stored blocks
 * across block boundaries, re-imports that rewrite nothing, concurrent
 * imports of one series, and the table's own checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stom/store_bars.h"
#include "test_db.h"
#include "test_support.h"

/* 2024-01-02 00:00 UTC (09:00 KST): the start of a one-minute block. */
#define T0  1704153600LL
#define DAY 86400

static char url[512];
static stom_db *db;

static void setup(void)
{
    stom_test_db_create(url, sizeof url);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, url, &eb) == STOM_OK, "%s", eb.msg);
}

static void teardown(void)
{
    stom_db_close(db);
    stom_test_db_drop(url);
}

/* Bar i of a series: a minute after T0 each, values derived from i and salt. */
static void push_bar(stom_bars *b, int i, int salt)
{
    int64_t base = 10000 + i + 100000 * salt;
    stom_bars_push(b, T0 + 60 * i, base, base + 7, base - 3, base + 1, 1000 + i + salt);
}

/* Bars [first, first + n) of "005930" with salt (another salt: other values, same times). */
static void make_bars(stom_bars *b, int first, int n, int salt)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    for (int i = first; i < first + n; i++)
        push_bar(b, i, salt);
}

static stom_import_stats import(const stom_bars *b)
{
    stom_import_stats st = {0, 0, 0};
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_import_bars(db, b, "1m", &st, &eb) == STOM_OK, "%s", eb.msg);
    return st;
}

static int64_t count_range(int64_t from, int64_t to)
{
    int64_t n = -1;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_count_bars(db, "005930", "1m", from, to, &n, &eb) == STOM_OK, "%s",
                  eb.msg);
    return n;
}

static int64_t scalar(const char *sql)
{
    PGresult *res = PQexec(stom_db_conn(db), sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(res));
    int64_t v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

/* Loads [from, to) and checks it is exactly bars [first, first + n) of salt. */
static void expect_range(int64_t from, int64_t to, int first, int n, int salt)
{
    stom_bars out, want;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_load_bars(db, "005930", "1m", from, to, &out, &eb) == STOM_OK, "%s",
                  eb.msg);
    make_bars(&want, first, n, salt);
    ck_assert_uint_eq(out.len, want.len);
    for (size_t i = 0; i < want.len; i++) {
        ck_assert_int_eq(out.ts[i], want.ts[i]);
        ck_assert_int_eq(out.open[i], want.open[i]);
        ck_assert_int_eq(out.high[i], want.high[i]);
        ck_assert_int_eq(out.low[i], want.low[i]);
        ck_assert_int_eq(out.close[i], want.close[i]);
        ck_assert_int_eq(out.volume[i], want.volume[i]);
    }
    ck_assert_int_eq(count_range(from, to), n);
    stom_bars_free(&out);
    stom_bars_free(&want);
}

START_TEST(a_day_of_minute_bars_is_one_block)
{
    stom_bars b;
    make_bars(&b, 600, 3000, 0); /* 10:00 on day 0 to 12:39 on day 2 */
    import(&b);
    ck_assert_int_eq(scalar("SELECT count(*) FROM bar_blocks"), 3);
    ck_assert_int_eq(scalar("SELECT sum(n) FROM bar_blocks"), 3000);
    ck_assert_int_eq(scalar("SELECT n FROM bar_blocks WHERE block_start = 1704153600"), 840);
    ck_assert_int_eq(scalar("SELECT first_ts FROM bar_blocks ORDER BY block_start LIMIT 1"),
                     T0 + 600 * 60);
    ck_assert_int_eq(scalar("SELECT count(*) FROM bar_blocks WHERE octet_length(data) = 48 * n"),
                     3);
    stom_bars_free(&b);
}
END_TEST

START_TEST(ranges_that_start_and_end_inside_blocks_load_and_count_exactly)
{
    stom_bars b;
    make_bars(&b, 600, 3000, 0);
    import(&b);
    /* Mid day 0 to mid day 2: the two edge blocks trimmed, the middle one whole. */
    expect_range(T0 + 60 * 700, T0 + 60 * 3000, 700, 2300, 0);
    /* Within one block, and ends between bars. */
    expect_range(T0 + 60 * 1500 + 1, T0 + 60 * 1510 + 30, 1501, 10, 0);
    /* A block's first bar to its last, end excluded. */
    expect_range(T0 + DAY, T0 + 2 * DAY, 1440, 1440, 0);
    /* From before the first bar and to after the last. */
    expect_range(INT64_MIN, INT64_MAX, 600, 3000, 0);
    expect_range(T0 - 10 * DAY, T0 + 60 * 601, 600, 1, 0);
    ck_assert_int_eq(count_range(T0, T0 + 60 * 600), 0);
    ck_assert_int_eq(count_range(T0 + 60 * 3600, INT64_MAX), 0);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_range_between_the_bars_of_one_block_or_between_blocks_is_empty)
{
    stom_bars b;
    make_bars(&b, 0, 10, 0);
    push_bar(&b, 5000, 0); /* day 3 */
    import(&b);
    stom_bars out;
    stom_errbuf eb = {{0}};
    /* Inside day 0's block, after its last bar. */
    ck_assert_int_eq(
        stom_store_load_bars(db, "005930", "1m", T0 + 60 * 10, T0 + 60 * 20, &out, &eb),
        STOM_EEMPTY);
    ck_assert_uint_eq(out.len, 0);
    /* Between the blocks, and between two bars 60 s apart. */
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", T0 + DAY, T0 + 2 * DAY, &out, &eb),
                     STOM_EEMPTY);
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", T0 + 1, T0 + 59, &out, &eb),
                     STOM_EEMPTY);
    ck_assert_int_eq(count_range(T0 + 1, T0 + 59), 0);
    expect_range(T0 + 60 * 9, T0 + 60 * 5000, 9, 1, 0); /* bar 5000 is the excluded end */
    stom_bars_free(&b);
}
END_TEST

START_TEST(an_overlapping_import_across_blocks_adds_exactly_the_new_bars)
{
    /* Stored: [1300, 1400) and [1500, 1600), across the day boundary at bar 1440. */
    stom_bars a1, a2, b;
    make_bars(&a1, 1300, 100, 0);
    make_bars(&a2, 1500, 100, 0);
    import(&a1);
    import(&a2);
    /* Incoming [1350, 1550) with other values: 100 new, 100 stored that must win. */
    make_bars(&b, 1350, 200, 1);
    stom_import_stats st = import(&b);
    ck_assert_uint_eq(st.rows, 200);
    ck_assert_uint_eq(st.inserted, 100);
    ck_assert_uint_eq(st.existing, 100);
    expect_range(T0 + 60 * 1300, T0 + 60 * 1400, 1300, 100, 0);
    expect_range(T0 + 60 * 1400, T0 + 60 * 1500, 1400, 100, 1);
    expect_range(T0 + 60 * 1500, T0 + 60 * 1600, 1500, 100, 0);
    ck_assert_int_eq(count_range(INT64_MIN, INT64_MAX), 300);
    ck_assert_int_eq(scalar("SELECT count(*) FROM bar_blocks"), 2);
    /* Once more: everything is stored now. */
    st = import(&b);
    ck_assert_uint_eq(st.inserted, 0);
    ck_assert_uint_eq(st.existing, 200);
    stom_bars_free(&a1);
    stom_bars_free(&a2);
    stom_bars_free(&b);
}
END_TEST

/* "block_start:xmin,..." of every stored block: a rewritten block gets another xmin. */
static char *block_versions(void)
{
    PGresult *res =
        PQexec(stom_db_conn(db), "SELECT string_agg(block_start || ':' || xmin::text, ','"
                                 " ORDER BY block_start) FROM bar_blocks");
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    char *v = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

START_TEST(a_re_import_rewrites_no_block_and_a_new_bar_rewrites_only_its_own)
{
    stom_bars b, one;
    make_bars(&b, 0, 3000, 0); /* days 0, 1 and 2 */
    import(&b);
    char *before = block_versions();
    ck_assert_uint_eq(import(&b).inserted, 0);
    char *after = block_versions();
    ck_assert_str_eq(after, before);
    /* A bar between two stored ones of day 1: only that block changes. */
    make_bars(&one, 0, 0, 0);
    stom_bars_push(&one, T0 + 60 * 2000 + 30, 5, 5, 5, 5, 5);
    ck_assert_uint_eq(import(&one).inserted, 1);
    char *last = block_versions();
    char *day0 = strtok(before, ","), *day1 = strtok(NULL, ","), *day2 = strtok(NULL, ",");
    ck_assert_ptr_nonnull(strstr(last, day0));
    ck_assert_ptr_null(strstr(last, day1));
    ck_assert_ptr_nonnull(strstr(last, day2));
    ck_assert_int_eq(scalar("SELECT n FROM bar_blocks WHERE block_start = 1704153600 + 86400"),
                     1441);
    expect_range(T0 + 60 * 1999, T0 + 60 * 2000 + 30, 1999, 2, 0);
    stom_bars out;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(
        stom_store_load_bars(db, "005930", "1m", T0 + 60 * 2000 + 1, T0 + 60 * 2001, &out, &eb),
        STOM_OK);
    ck_assert_uint_eq(out.len, 1);
    ck_assert_int_eq(out.ts[0], T0 + 60 * 2000 + 30);
    ck_assert_int_eq(out.close[0], 5);
    ck_assert_int_eq(count_range(INT64_MIN, INT64_MAX), 3001);
    free(before);
    free(after);
    free(last);
    stom_bars_free(&out);
    stom_bars_free(&b);
    stom_bars_free(&one);
}
END_TEST

/* Child: imports bars [first, first + n) on its own connection; writes the new count to fd. */
static void import_in_child(int first, int n, int fd)
{
    stom_db *own = NULL;
    stom_bars b;
    stom_import_stats st = {0, 0, 0};
    make_bars(&b, first, n, first);
    long added = -1;
    if (stom_db_connect(&own, url, NULL) == STOM_OK &&
        stom_store_import_bars(own, &b, "1m", &st, NULL) == STOM_OK)
        added = (long)st.inserted;
    stom_db_close(own);
    ssize_t w = write(fd, &added, sizeof added);
    _exit(w == sizeof added ? 0 : 1);
}

START_TEST(concurrent_imports_of_one_series_lose_no_bar_and_count_each_once)
{
    enum { IMPORTERS = 4 };
    int fds[IMPORTERS][2];
    pid_t pids[IMPORTERS];
    for (int k = 0; k < IMPORTERS; k++) {
        ck_assert_int_eq(pipe(fds[k]), 0);
        pids[k] = fork();
        ck_assert_int_ge(pids[k], 0);
        if (pids[k] == 0)
            import_in_child(1000 * k, 1500, fds[k][1]); /* overlapping, across blocks */
        close(fds[k][1]);
    }
    long total = 0;
    for (int k = 0; k < IMPORTERS; k++) {
        long added = -1;
        ck_assert_int_eq(read(fds[k][0], &added, sizeof added), (ssize_t)sizeof added);
        ck_assert_int_ge(added, 0);
        total += added;
        close(fds[k][0]);
        waitpid(pids[k], NULL, 0);
    }
    ck_assert_int_eq(total, 1000 * (IMPORTERS - 1) + 1500);
    ck_assert_int_eq(count_range(INT64_MIN, INT64_MAX), total);
    stom_bars out;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", INT64_MIN, INT64_MAX, &out, &eb),
                     STOM_OK);
    for (size_t i = 0; i < out.len; i++)
        ck_assert_int_eq(out.ts[i], T0 + 60 * (int64_t)i);
    stom_bars_free(&out);
}
END_TEST

START_TEST(the_table_refuses_a_block_whose_data_or_times_do_not_fit)
{
    static const char *const bad[] = {
        /* data not 48 bytes per bar */
        "INSERT INTO bar_blocks VALUES ('X', '1m', 0, 0, 0, 1, '\\x00')",
        /* last bar beyond the block's day */
        "INSERT INTO bar_blocks VALUES ('X', '1m', 0, 0, 86400, 2, decode(repeat('00', 96), "
        "'hex'))",
        /* a block start that is no multiple of the span */
        "INSERT INTO bar_blocks VALUES ('X', '1s', 60, 60, 60, 1, decode(repeat('00', 48), 'hex'))",
        /* an empty block */
        "INSERT INTO bar_blocks VALUES ('X', '1d', 0, 0, 0, 0, '\\x')",
    };
    stom_errbuf eb = {{0}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(stom_db_exec(db, bad[k], &eb) == STOM_EIO, "accepted: %s", bad[k]);
    ck_assert_int_eq(stom_db_exec(db,
                                  "INSERT INTO bar_blocks VALUES ('X', '1d', -88473600, -86400,"
                                  " -86400, 1, decode(repeat('00', 48), 'hex'))",
                                  &eb),
                     STOM_OK);
    ck_assert_int_eq(scalar("SELECT bar_block_span('1s') + bar_block_span('1m')"), 3600 + DAY);
    ck_assert_int_eq(scalar("SELECT bar_block_span('1d')"), 1024 * DAY);
}
END_TEST

static Suite *bar_blocks_suite(void)
{
    Suite *s = suite_create("bar_blocks");
    TCase *tc = tcase_create("ranges");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_day_of_minute_bars_is_one_block);
    tcase_add_test(tc, ranges_that_start_and_end_inside_blocks_load_and_count_exactly);
    tcase_add_test(tc, a_range_between_the_bars_of_one_block_or_between_blocks_is_empty);
    suite_add_tcase(s, tc);
    tc = tcase_create("merge");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_overlapping_import_across_blocks_adds_exactly_the_new_bars);
    tcase_add_test(tc, a_re_import_rewrites_no_block_and_a_new_bar_rewrites_only_its_own);
    tcase_add_test(tc, concurrent_imports_of_one_series_lose_no_bar_and_count_each_once);
    tcase_add_test(tc, the_table_refuses_a_block_whose_data_or_times_do_not_fit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(bar_blocks_suite());
}
