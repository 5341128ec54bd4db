/*
 * test_bars_store.c - bars in PostgreSQL: import (counts, re-import adds
 * nothing, refusals store nothing), the list of data sets, and loading
 * (exact round trip, half-open ranges, not found versus empty).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/store_bars.h"
#include "test_db.h"
#include "test_support.h"

/* 2024-01-02 09:00 KST in UTC seconds. */
#define T0 1704153600LL

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

/* n one-minute bars of symbol from T0 + first minutes, with distinct values in every column. */
static void make_bars(stom_bars *b, const char *symbol, stom_market m, int first, int n)
{
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, m, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    for (int i = first; i < first + n; i++)
        stom_bars_push(b, T0 + 60 * i, 10000 + i, 10100 + 2 * i, 9900 + i, 10050 + i, 1000 + i);
}

static stom_import_stats import(const stom_bars *b, const char *tf)
{
    stom_import_stats st = {0, 0, 0};
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_import_bars(db, b, tf, &st, &eb) == STOM_OK, "%s", eb.msg);
    return st;
}

static int64_t count(const char *symbol, const char *tf)
{
    int64_t n = -1;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_count_bars(db, symbol, tf, INT64_MIN, INT64_MAX, &n, &eb) == STOM_OK,
                  "%s", eb.msg);
    return n;
}

static int64_t scalar(const char *sql)
{
    PGresult *res = PQexec(stom_db_conn(db), sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    int64_t v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

START_TEST(importing_stores_every_bar_and_counts_them_as_new)
{
    stom_bars b;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 500);
    stom_import_stats st = import(&b, "1m");
    ck_assert_uint_eq(st.rows, 500);
    ck_assert_uint_eq(st.inserted, 500);
    ck_assert_uint_eq(st.existing, 0);
    ck_assert_int_eq(count("005930", "1m"), 500);
    ck_assert_int_eq(count("005930", "1d"), 0);
    stom_bars_free(&b);
}
END_TEST

START_TEST(re_importing_the_same_bars_adds_nothing)
{
    stom_bars b;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 300);
    import(&b, "1m");
    stom_import_stats st = import(&b, "1m");
    ck_assert_uint_eq(st.rows, 300);
    ck_assert_uint_eq(st.inserted, 0);
    ck_assert_uint_eq(st.existing, 300);
    ck_assert_int_eq(count("005930", "1m"), 300);
    stom_bars_free(&b);
}
END_TEST

START_TEST(an_overlapping_import_adds_only_the_new_bars_and_keeps_the_stored_ones)
{
    stom_bars a, b;
    make_bars(&a, "005930", STOM_MARKET_KRX, 0, 100);
    make_bars(&b, "005930", STOM_MARKET_KRX, 50, 100);
    b.close[0] = b.high[0]; /* a different value for a bar already stored */
    import(&a, "1m");
    stom_import_stats st = import(&b, "1m");
    ck_assert_uint_eq(st.inserted, 50);
    ck_assert_uint_eq(st.existing, 50);
    ck_assert_int_eq(count("005930", "1m"), 150);
    stom_bars out;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", b.ts[0], b.ts[0] + 1, &out, &eb),
                     STOM_OK);
    ck_assert_uint_eq(out.len, 1);
    ck_assert_int_eq(out.close[0], a.close[50]);
    stom_bars_free(&out);
    stom_bars_free(&a);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_malformed_csv_is_refused_whole_with_file_and_line_and_nothing_is_stored)
{
    static const char csv[] = "Date,Open,High,Low,Close,Volume\n"
                              "2024-01-02,100,110,90,105,1000\n"
                              "2024-01-03,105,115,95,110,1200\n"
                              "2024-01-04,110,100,105,108,900\n"; /* high below low */
    stom_instrument inst;
    stom_instrument_init(&inst, "000660", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars b;
    stom_bars_init(&b, &inst);
    stom_errbuf eb = {{0}};
    int rc = stom_bars_parse_csv(&b, csv, sizeof csv - 1, "prices.csv", NULL, NULL, &eb);
    ck_assert_int_eq(rc, STOM_EFORMAT);
    ck_assert_msg(strncmp(eb.msg, "prices.csv:4:", 13) == 0, "%s", eb.msg);
    ck_assert_uint_eq(b.len, 0);
    /* What the loader left (nothing) cannot be stored either. */
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1d", NULL, &eb), STOM_EINVAL);
    ck_assert_int_eq(count("000660", "1d"), 0);
    ck_assert_int_eq(scalar("SELECT count(*) FROM instruments"), 0);
    stom_bars_free(&b);
}
END_TEST

START_TEST(bars_out_of_order_or_outside_their_range_are_refused_naming_the_bar)
{
    stom_bars b;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 10);
    stom_errbuf eb = {{0}};
    b.ts[4] = b.ts[3];
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "bar 5") != NULL, "%s", eb.msg);
    b.ts[4] = b.ts[3] + 60;
    b.open[7] = b.high[7] + 1;
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "bar 8") != NULL && strstr(eb.msg, "open"), "%s", eb.msg);
    ck_assert_int_eq(stom_store_import_bars(db, &b, "5m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "1s, 1m, 1d") != NULL, "%s", eb.msg);
    b.ts[0] = INT64_MIN; /* before the earliest time a block can hold */
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "bar 1") != NULL && strstr(eb.msg, "earliest"), "%s", eb.msg);
    ck_assert_int_eq(scalar("SELECT count(*) FROM instruments"), 0);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_failure_in_the_middle_of_an_import_leaves_nothing_stored)
{
    stom_errbuf eb = {{0}};
    /*
     * 2000 minutes from T0 (a UTC midnight) fill two day blocks; the server
     * refuses the second: the first block and the instrument row must go too.
     */
    ck_assert_int_eq(
        stom_db_exec(db,
                     "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "RAISE EXCEPTION 'block refused by the test'; END $$;"
                     "CREATE TRIGGER refuse BEFORE INSERT ON bar_blocks FOR EACH ROW "
                     "WHEN (NEW.block_start = 1704153600 + 86400) EXECUTE FUNCTION refuse()",
                     &eb),
        STOM_OK);
    stom_bars b;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 2000);
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1m", NULL, &eb), STOM_EIO);
    ck_assert_msg(strstr(eb.msg, "block refused by the test") != NULL, "%s", eb.msg);
    ck_assert_int_eq(count("005930", "1m"), 0);
    ck_assert_int_eq(scalar("SELECT count(*) FROM bar_blocks"), 0);
    ck_assert_int_eq(scalar("SELECT count(*) FROM instruments"), 0);
    /* The connection is usable afterwards. */
    ck_assert_int_eq(stom_db_exec(db, "DROP TRIGGER refuse ON bar_blocks", &eb), STOM_OK);
    ck_assert_uint_eq(import(&b, "1m").inserted, 2000);
    stom_bars_free(&b);
}
END_TEST

START_TEST(an_instrument_stored_with_other_scales_is_refused)
{
    stom_bars krx, us;
    make_bars(&krx, "ABC", STOM_MARKET_KRX, 0, 10);
    make_bars(&us, "ABC", STOM_MARKET_US, 10, 10);
    import(&krx, "1m");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_import_bars(db, &us, "1m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "ABC is stored as krx KOSPI") != NULL, "%s", eb.msg);
    ck_assert_int_eq(count("ABC", "1m"), 10);
    ck_assert_int_eq(scalar("SELECT price_decimals FROM instruments WHERE symbol = 'ABC'"), 0);
    stom_bars_free(&krx);
    stom_bars_free(&us);
}
END_TEST

START_TEST(a_symbol_that_cannot_be_stored_is_refused_before_the_database)
{
    stom_bars b;
    make_bars(&b, "bad symbol", STOM_MARKET_KRX, 0, 3);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_import_bars(db, &b, "1m", NULL, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, "symbol 'bad symbol'") != NULL, "%s", eb.msg);
    ck_assert_int_eq(stom_symbol_check("BTC/USDT", &eb), STOM_OK);
    ck_assert_int_eq(stom_symbol_check("0088M0", &eb), STOM_OK);
    ck_assert_int_eq(stom_symbol_check("-X", &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_symbol_check("", &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_symbol_check("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", &eb), STOM_EINVAL);
    stom_bars_free(&b);
}
END_TEST

START_TEST(the_list_has_one_row_per_symbol_and_timeframe_in_order)
{
    stom_bars a, b, c;
    make_bars(&a, "005930", STOM_MARKET_KRX, 0, 381);
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 3);
    make_bars(&c, "AAPL", STOM_MARKET_US, 10, 20);
    import(&c, "1m");
    import(&a, "1m");
    import(&b, "1d");
    stom_data_set *sets = NULL;
    size_t n = 0;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_list_data(db, &sets, &n, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(sets[0].symbol, "005930");
    ck_assert_str_eq(sets[0].timeframe, "1d");
    ck_assert_str_eq(sets[1].timeframe, "1m");
    ck_assert_str_eq(sets[1].market, "krx");
    ck_assert_str_eq(sets[1].board, "KOSPI");
    ck_assert_int_eq(sets[1].first_ts, T0);
    ck_assert_int_eq(sets[1].last_ts, T0 + 60 * 380);
    ck_assert_int_eq(sets[1].rows, 381);
    ck_assert_str_eq(sets[2].symbol, "AAPL");
    ck_assert_str_eq(sets[2].market, "us");
    ck_assert_str_eq(sets[2].board, "NONE");
    ck_assert_int_eq(sets[2].first_ts, T0 + 600);
    ck_assert_int_eq(sets[2].rows, 20);
    free(sets);
    stom_bars_free(&a);
    stom_bars_free(&b);
    stom_bars_free(&c);
}
END_TEST

START_TEST(an_empty_database_lists_nothing)
{
    stom_data_set *sets = NULL;
    size_t n = 99;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_list_data(db, &sets, &n, &eb), STOM_OK);
    ck_assert_uint_eq(n, 0);
    free(sets);
}
END_TEST

START_TEST(loading_returns_every_column_exactly_as_imported)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "BTC-USDT", STOM_MARKET_CRYPTO, STOM_BOARD_NONE);
    stom_bars in;
    stom_bars_init(&in, &inst);
    /* Extremes of every column: before 1970, the largest int64, zero prices. */
    stom_bars_push(&in, -86400, 0, 0, 0, 0, 0);
    stom_bars_push(&in, 0, 1, INT64_MAX, 1, INT64_MAX, INT64_MAX);
    stom_bars_push(&in, T0, 4321098765432, 4321098765439, 4321098765430, 4321098765431,
                   123456789012345678);
    stom_bars_push(&in, INT64_MAX / 2, 7, 9, 5, 8, 1);
    import(&in, "1s");
    stom_bars out;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_load_bars(db, "BTC-USDT", "1s", INT64_MIN, INT64_MAX, &out, &eb) ==
                      STOM_OK,
                  "%s", eb.msg);
    ck_assert_str_eq(out.inst.symbol, "BTC-USDT");
    ck_assert_int_eq(out.inst.market, STOM_MARKET_CRYPTO);
    ck_assert_int_eq(out.inst.board, STOM_BOARD_NONE);
    ck_assert_int_eq(out.inst.price_decimals, inst.price_decimals);
    ck_assert_int_eq(out.inst.qty_decimals, inst.qty_decimals);
    ck_assert_uint_eq(out.len, in.len);
    for (size_t i = 0; i < in.len; i++) {
        ck_assert_int_eq(out.ts[i], in.ts[i]);
        ck_assert_int_eq(out.open[i], in.open[i]);
        ck_assert_int_eq(out.high[i], in.high[i]);
        ck_assert_int_eq(out.low[i], in.low[i]);
        ck_assert_int_eq(out.close[i], in.close[i]);
        ck_assert_int_eq(out.volume[i], in.volume[i]);
    }
    stom_bars_free(&in);
    stom_bars_free(&out);
}
END_TEST

START_TEST(a_range_includes_its_start_and_excludes_its_end)
{
    stom_bars b, out;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 10);
    import(&b, "1m");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", b.ts[2], b.ts[5], &out, &eb),
                     STOM_OK);
    ck_assert_uint_eq(out.len, 3);
    ck_assert_int_eq(out.ts[0], b.ts[2]);
    ck_assert_int_eq(out.ts[2], b.ts[4]);
    ck_assert_int_eq(out.close[1], b.close[3]);
    stom_bars_free(&out);
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", b.ts[2] + 1, b.ts[3] + 1, &out, &eb),
                     STOM_OK);
    ck_assert_uint_eq(out.len, 1);
    ck_assert_int_eq(out.ts[0], b.ts[3]);
    stom_bars_free(&out);
    int64_t n = -1;
    ck_assert_int_eq(stom_store_count_bars(db, "005930", "1m", b.ts[2], b.ts[5], &n, &eb), STOM_OK);
    ck_assert_int_eq(n, 3);
    stom_bars_free(&b);
}
END_TEST

START_TEST(an_unknown_series_is_not_found_and_a_range_without_bars_is_empty)
{
    stom_bars b, out;
    make_bars(&b, "005930", STOM_MARKET_KRX, 0, 10);
    import(&b, "1m");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_load_bars(db, "000660", "1m", 0, INT64_MAX, &out, &eb),
                     STOM_ENOTFOUND);
    ck_assert_msg(strstr(eb.msg, "000660 is not stored") != NULL, "%s", eb.msg);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1d", 0, INT64_MAX, &out, &eb),
                     STOM_ENOTFOUND);
    ck_assert_msg(strstr(eb.msg, "no 1d bars of 005930") != NULL, "%s", eb.msg);
    ck_assert_int_eq(
        stom_store_load_bars(db, "005930", "1m", b.ts[9] + 1, b.ts[9] + 86400, &out, &eb),
        STOM_EEMPTY);
    ck_assert_msg(strstr(eb.msg, "from 2024-01-02 09:09:01 up to 2024-01-03 09:09:00") != NULL,
                  "%s", eb.msg);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", b.ts[0], b.ts[0], &out, &eb),
                     STOM_EEMPTY);
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "2m", 0, 1, &out, &eb), STOM_EINVAL);
    stom_bars_free(&out);
    stom_bars_free(&b);
}
END_TEST

START_TEST(bars_imported_later_for_an_earlier_period_load_in_time_order)
{
    stom_bars late, early, out;
    make_bars(&late, "005930", STOM_MARKET_KRX, 1000, 200);
    make_bars(&early, "005930", STOM_MARKET_KRX, 0, 200);
    import(&late, "1m");
    import(&early, "1m");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_store_load_bars(db, "005930", "1m", INT64_MIN, INT64_MAX, &out, &eb),
                     STOM_OK);
    ck_assert_uint_eq(out.len, 400);
    for (size_t i = 1; i < out.len; i++)
        ck_assert_int_gt(out.ts[i], out.ts[i - 1]);
    ck_assert_int_eq(out.open[0], early.open[0]);
    ck_assert_int_eq(out.volume[399], late.volume[199]);
    ck_assert_int_eq(out.high[200], late.high[0]);
    stom_bars_free(&late);
    stom_bars_free(&early);
    stom_bars_free(&out);
}
END_TEST

static Suite *bars_store_suite(void)
{
    Suite *s = suite_create("bars_store");
    TCase *tc = tcase_create("import");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, importing_stores_every_bar_and_counts_them_as_new);
    tcase_add_test(tc, re_importing_the_same_bars_adds_nothing);
    tcase_add_test(tc, an_overlapping_import_adds_only_the_new_bars_and_keeps_the_stored_ones);
    tcase_add_test(tc, a_malformed_csv_is_refused_whole_with_file_and_line_and_nothing_is_stored);
    tcase_add_test(tc, bars_out_of_order_or_outside_their_range_are_refused_naming_the_bar);
    tcase_add_test(tc, a_failure_in_the_middle_of_an_import_leaves_nothing_stored);
    tcase_add_test(tc, an_instrument_stored_with_other_scales_is_refused);
    tcase_add_test(tc, a_symbol_that_cannot_be_stored_is_refused_before_the_database);
    suite_add_tcase(s, tc);
    tc = tcase_create("list_and_load");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_list_has_one_row_per_symbol_and_timeframe_in_order);
    tcase_add_test(tc, an_empty_database_lists_nothing);
    tcase_add_test(tc, loading_returns_every_column_exactly_as_imported);
    tcase_add_test(tc, a_range_includes_its_start_and_excludes_its_end);
    tcase_add_test(tc, an_unknown_series_is_not_found_and_a_range_without_bars_is_empty);
    tcase_add_test(tc, bars_imported_later_for_an_earlier_period_load_in_time_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(bars_store_suite());
}
