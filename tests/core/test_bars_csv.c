/*
 * test_bars_csv.c - the bar series and its CSV loader: every accepted
 * format, every refusal with its exact "file:line: what" message, and the
 * real files under ../shared/data (skipped with a note when absent).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/bars.h"
#include "stom/error.h"
#include "stom/instrument.h"
#include "test_support.h"

/* 2024-01-02 00:00 KST, 2024-01-02 00:00 UTC and 2020-02-18 09:00 KST in UTC seconds. */
#define KST_20240102      1704121200
#define UTC_20240102      1704153600
#define KST_20200218_0900 1581984000
#define DAY               86400

static stom_instrument krx(void)
{
    stom_instrument i;
    stom_instrument_init(&i, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    return i;
}

static stom_instrument us(void)
{
    stom_instrument i;
    stom_instrument_init(&i, "GOOG", STOM_MARKET_US, STOM_BOARD_NONE);
    return i;
}

/* Parses text as "mem.csv" into a fresh KRX series *b. */
static int parse_with(const char *text, const stom_csv_options *opt, stom_bars *b,
                      stom_csv_stats *st, stom_errbuf *eb)
{
    stom_instrument inst = krx();
    stom_bars_init(b, &inst);
    return stom_bars_parse_csv(b, text, strlen(text), "mem.csv", opt, st, eb);
}

static void expect_refused_with(const char *text, const stom_csv_options *opt, int want_rc,
                                const char *want_msg)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    int rc = parse_with(text, opt, &b, NULL, &eb);
    ck_assert_msg(rc == want_rc, "rc %d (%s), want %d", rc, eb.msg, want_rc);
    ck_assert_str_eq(eb.msg, want_msg);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_null(b.ts);
    ck_assert_ptr_null(b.close);
}

static void expect_refused(const char *text, const char *want_msg)
{
    expect_refused_with(text, NULL, STOM_EFORMAT, want_msg);
}

/* Loads tests/fixtures/csv/<rel> into *b with inst; fails the test unless it loads. */
static void load_fixture(const char *rel, const stom_instrument *inst, stom_bars *b,
                         stom_csv_stats *st)
{
    char path[512];
    stom_errbuf eb = {{0}};
    stom_test_fixture_path(rel, path, sizeof path);
    stom_bars_init(b, inst);
    int rc = stom_bars_load_csv(b, path, NULL, st, &eb);
    ck_assert_msg(rc == 0, "%s: rc %d: %s", rel, rc, eb.msg);
}

/* The invariants stom/bars.h promises after every successful load. */
static void check_invariants(const char *what, const stom_bars *b)
{
    ck_assert_msg(b->len >= 1, "%s: empty", what);
    for (size_t i = 0; i < b->len; i++) {
        ck_assert_msg(i == 0 || b->ts[i] > b->ts[i - 1], "%s: bar %zu out of order", what, i);
        ck_assert_msg(0 <= b->low[i] && b->low[i] <= b->open[i] && b->open[i] <= b->high[i] &&
                          b->low[i] <= b->close[i] && b->close[i] <= b->high[i],
                      "%s: bar %zu outside its range", what, i);
        ck_assert_msg(b->volume[i] >= 0, "%s: bar %zu negative volume", what, i);
    }
}

/* ---- the series ------------------------------------------------------------------------- */

START_TEST(a_series_grows_on_push_and_slices_in_place)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_bars_init(&b, &inst);
    ck_assert_str_eq(b.inst.symbol, "005930");
    ck_assert_uint_eq(b.len, 0);
    for (int i = 0; i < 100; i++)
        stom_bars_push(&b, 1000 + i * 60, 100 + i, 110 + i, 90 + i, 105 + i, i);
    ck_assert_uint_eq(b.len, 100);
    ck_assert_uint_ge(b.cap, 100);
    ck_assert_uint_eq(stom_bars_slice(&b, 1000 + 10 * 60, 1000 + 20 * 60), 10);
    ck_assert_int_eq(b.ts[0], 1000 + 10 * 60);
    ck_assert_int_eq(b.close[9], 105 + 19);
    ck_assert_int_eq(b.volume[9], 19);
    stom_bars_free(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_null(b.ts);
    ck_assert_str_eq(b.inst.symbol, "005930");
    stom_bars_free(&b);
    stom_bars_free(NULL);
}
END_TEST

START_TEST(reserve_never_shrinks_and_keeps_the_bars)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_bars_init(&b, &inst);
    stom_bars_reserve(&b, 1000);
    ck_assert_uint_eq(b.cap, 1000);
    stom_bars_push(&b, 1, 2, 3, 1, 2, 5);
    stom_bars_reserve(&b, 10);
    ck_assert_uint_eq(b.cap, 1000);
    ck_assert_int_eq(b.high[0], 3);
    stom_bars_free(&b);
}
END_TEST

START_TEST(default_options_are_kst_4096_byte_lines_and_100_million_rows)
{
    stom_csv_options o;
    stom_csv_options_default(&o);
    ck_assert_int_eq(o.utc_offset_minutes, 540);
    ck_assert_uint_eq(o.max_line_bytes, 4096);
    ck_assert_uint_eq(o.max_rows, 100000000);
}
END_TEST

/* ---- accepted formats ------------------------------------------------------------------- */

START_TEST(a_yahoo_daily_file_loads_and_adj_close_is_ignored)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_csv_stats st;
    load_fixture("csv/yahoo_daily.csv", &inst, &b, &st);
    ck_assert_uint_eq(b.len, 3);
    ck_assert_uint_eq(st.rows, 3);
    ck_assert_uint_eq(st.skipped_halt, 0);
    ck_assert_int_eq(b.ts[0], KST_20240102);
    ck_assert_int_eq(b.ts[2], KST_20240102 + 2 * DAY);
    ck_assert_int_eq(b.open[0], 78200);
    ck_assert_int_eq(b.high[0], 79800);
    ck_assert_int_eq(b.low[1], 77000);
    ck_assert_int_eq(b.close[2], 76600);
    ck_assert_int_eq(b.volume[1], 21753644);
    stom_bars_free(&b);
}
END_TEST

START_TEST(dates_without_a_time_are_midnight_at_the_configured_offset)
{
    stom_csv_options o;
    stom_csv_options_default(&o);
    o.utc_offset_minutes = 0;
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(
        parse_with("Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n", &o, &b, NULL, &eb),
        0);
    ck_assert_int_eq(b.ts[0], UTC_20240102);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_date_and_time_file_accepts_every_clock_spelling)
{
    stom_instrument inst = krx();
    stom_bars b;
    load_fixture("csv/intraday_date_time.csv", &inst, &b, NULL);
    ck_assert_uint_eq(b.len, 5);
    /* 090000, 090100, 0902, 09:03, 09:04:30 on 2024-01-02 KST. */
    ck_assert_int_eq(b.ts[0], UTC_20240102);
    ck_assert_int_eq(b.ts[1], UTC_20240102 + 60);
    ck_assert_int_eq(b.ts[2], UTC_20240102 + 120);
    ck_assert_int_eq(b.ts[3], UTC_20240102 + 180);
    ck_assert_int_eq(b.ts[4], UTC_20240102 + 270);
    ck_assert_int_eq(b.volume[4], 10);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_one_digit_hour_and_compact_hmmss_times_are_read)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with("Date,Time,Open,High,Low,Close,Volume\n"
                                "2024-01-02,9:00,1,1,1,1,1\n"
                                "2024-01-02,90100,1,1,1,1,1\n"
                                "2024-01-02,902,1,1,1,1,1\n",
                                NULL, &b, NULL, &eb),
                     0);
    ck_assert_int_eq(b.ts[0], UTC_20240102);
    ck_assert_int_eq(b.ts[1], UTC_20240102 + 60);
    ck_assert_int_eq(b.ts[2], UTC_20240102 + 120);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_datetime_column_with_a_plus_nine_offset_loads_decimal_won_prices)
{
    stom_instrument inst = krx();
    stom_bars b;
    load_fixture("csv/datetime_offset.csv", &inst, &b, NULL);
    ck_assert_uint_eq(b.len, 3);
    ck_assert_int_eq(b.ts[0], KST_20200218_0900);
    ck_assert_int_eq(b.ts[2], KST_20200218_0900 + 600);
    ck_assert_int_eq(b.open[0], 186500);
    ck_assert_int_eq(b.volume[0], 0);
    /* 185999.5 rounds half away from zero to 186000 won. */
    ck_assert_int_eq(b.close[2], 186000);
    stom_bars_free(&b);
}
END_TEST

START_TEST(timestamps_in_z_or_another_offset_are_converted_to_utc)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with("Datetime,Open,High,Low,Close,Volume\n"
                                "2020-03-02T14:30:00Z,1,1,1,1,1\n"
                                "2020-03-02 09:35:00-05:00,1,1,1,1,1\n"
                                "2020-03-02 23:40:00+0900,1,1,1,1,1\n"
                                "2020-03-02 23:45:00,1,1,1,1,1\n"
                                "2020-03-02 14:50:00.000000Z,1,1,1,1,1\n",
                                NULL, &b, NULL, &eb),
                     0);
    ck_assert_int_eq(b.ts[0], 1583159400);
    ck_assert_int_eq(b.ts[1], 1583159400 + 300);
    ck_assert_int_eq(b.ts[2], 1583159400 + 600);
    /* No offset: the loader's (KST). */
    ck_assert_int_eq(b.ts[3], 1583159400 + 900);
    ck_assert_int_eq(b.ts[4], 1583159400 + 1200);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_korean_export_with_ilja_and_yyyymmdd_dates_loads)
{
    stom_instrument inst = krx();
    stom_bars b;
    load_fixture("csv/korean_ilja.csv", &inst, &b, NULL);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(b.ts[0], KST_20240102);
    ck_assert_int_eq(b.close[1], 77000);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_bom_and_crlf_line_endings_are_handled)
{
    stom_instrument inst = krx();
    stom_bars b;
    load_fixture("csv/korean_bom_crlf.csv", &inst, &b, NULL);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(b.ts[1], KST_20240102 + DAY);
    ck_assert_int_eq(b.volume[1], 21753644);
    stom_bars_free(&b);
}
END_TEST

START_TEST(quoted_fields_with_thousands_separators_load)
{
    stom_instrument inst = krx();
    stom_bars b;
    load_fixture("csv/quoted_thousands.csv", &inst, &b, NULL);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(b.open[0], 78200);
    ck_assert_int_eq(b.open[1], 78500);
    ck_assert_int_eq(b.volume[0], 17142847);
    stom_bars_free(&b);
}
END_TEST

START_TEST(header_names_match_in_any_case_and_in_any_column_order)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with("VOLUME,name,close,LOW,High,oPeN,Date\n"
                                "500,x,105,90,110,100,20240102",
                                NULL, &b, NULL, &eb),
                     0);
    ck_assert_int_eq(b.ts[0], KST_20240102);
    ck_assert_int_eq(b.open[0], 100);
    ck_assert_int_eq(b.high[0], 110);
    ck_assert_int_eq(b.low[0], 90);
    ck_assert_int_eq(b.close[0], 105);
    ck_assert_int_eq(b.volume[0], 500);
    stom_bars_free(&b);
}
END_TEST

START_TEST(blank_lines_and_a_missing_final_newline_are_fine)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with("\nDate,Open,High,Low,Close,Volume\n\n"
                                "2024-01-02,1,1,1,1,1\r\n\r\n"
                                "2024-01-03,2,2,2,2,2",
                                NULL, &b, NULL, &eb),
                     0);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(b.volume[1], 2);
    stom_bars_free(&b);
}
END_TEST

START_TEST(halt_rows_are_skipped_and_counted)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_csv_stats st;
    load_fixture("csv/halt_rows.csv", &inst, &b, &st);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_uint_eq(st.rows, 2);
    ck_assert_uint_eq(st.skipped_halt, 3);
    ck_assert_int_eq(b.close[1], 85900);
    stom_bars_free(&b);
}
END_TEST

START_TEST(us_prices_load_in_cents_with_rounding)
{
    stom_instrument inst = us();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_bars_init(&b, &inst);
    const char *text = "Date,Open,High,Low,Close,Volume\n"
                       "2004-08-19,100,104.06,95.96,100.339996,22351900\n";
    ck_assert_int_eq(stom_bars_parse_csv(&b, text, strlen(text), "goog", NULL, NULL, &eb), 0);
    ck_assert_int_eq(b.open[0], 10000);
    ck_assert_int_eq(b.high[0], 10406);
    ck_assert_int_eq(b.close[0], 10034);
    stom_bars_free(&b);
}
END_TEST

START_TEST(a_close_within_one_percent_outside_the_range_widens_it)
{
    /* Real 084370 row: split adjustment rounded the close 5 won above the high. */
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with("Date,Open,High,Low,Close,Volume\n"
                                "2009-02-04,717,816,717,821,125764\n"
                                "2009-02-05,800,810,795,794,1000\n",
                                NULL, &b, NULL, &eb),
                     0);
    ck_assert_int_eq(b.high[0], 821);
    ck_assert_int_eq(b.close[0], 821);
    ck_assert_int_eq(b.low[1], 794);
    check_invariants("widened", &b);
    stom_bars_free(&b);
}
END_TEST

START_TEST(the_text_need_not_be_nul_terminated)
{
    const char text[] = "Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,12345";
    stom_instrument inst = krx();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_bars_init(&b, &inst);
    /* Cut before the last digit: the volume must read 1234. */
    char *copy = malloc(sizeof text - 2);
    memcpy(copy, text, sizeof text - 2);
    ck_assert_int_eq(stom_bars_parse_csv(&b, copy, sizeof text - 2, "cut", NULL, NULL, &eb), 0);
    ck_assert_int_eq(b.volume[0], 1234);
    free(copy);
    stom_bars_free(&b);
}
END_TEST

/* ---- refusals --------------------------------------------------------------------------- */

#define HEADER "Date,Open,High,Low,Close,Volume\n"
#define ROW1   "2024-01-02,100,110,90,105,1000\n"

START_TEST(a_close_only_file_is_refused_for_its_missing_open)
{
    char path[512], want[600];
    stom_instrument inst = krx();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_test_fixture_path("csv/close_only_index.csv", path, sizeof path);
    stom_bars_init(&b, &inst);
    ck_assert_int_eq(stom_bars_load_csv(&b, path, NULL, NULL, &eb), STOM_EFORMAT);
    snprintf(want, sizeof want, "%s:1: missing column open", path);
    ck_assert_str_eq(eb.msg, want);
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(a_high_below_the_low_is_refused_with_file_and_line)
{
    char path[512], want[600];
    stom_instrument inst = krx();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_test_fixture_path("csv/high_below_low.csv", path, sizeof path);
    stom_bars_init(&b, &inst);
    ck_assert_int_eq(stom_bars_load_csv(&b, path, NULL, NULL, &eb), STOM_EFORMAT);
    snprintf(want, sizeof want, "%s:3: high 76000 is below low 77000", path);
    ck_assert_str_eq(eb.msg, want);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_null(b.ts);
}
END_TEST

START_TEST(a_missing_required_column_is_refused)
{
    expect_refused("Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n",
                   "mem.csv:1: missing column volume");
    expect_refused("Day,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n",
                   "mem.csv:1: missing column date");
    /* A headerless file reads its first row as the header. */
    expect_refused("2024-01-02,1,1,1,1,1\n", "mem.csv:1: missing column date");
}
END_TEST

START_TEST(a_field_that_is_not_a_number_is_refused)
{
    expect_refused(HEADER ROW1 "2024-01-03,100,110,90,7x,1000\n",
                   "mem.csv:3: close \"7x\" is not a number");
    expect_refused(HEADER "2024-01-02,100,110,90,105,1e\n",
                   "mem.csv:2: volume \"1e\" is not a number");
    expect_refused(HEADER "2024-01-02,99999999999999999999,110,90,105,1\n",
                   "mem.csv:2: open \"99999999999999999999\" is out of range");
}
END_TEST

START_TEST(an_empty_field_is_refused)
{
    expect_refused(HEADER "2024-01-02,100,110,,105,1000\n", "mem.csv:2: empty low");
    expect_refused(HEADER ",100,110,90,105,1000\n", "mem.csv:2: empty date");
}
END_TEST

START_TEST(a_row_with_too_few_fields_is_refused)
{
    expect_refused(HEADER ROW1 "2024-01-03,100,110,90,105\n",
                   "mem.csv:3: expected at least 6 fields, got 5");
    /* Extra fields beyond the header are ignored. */
    stom_bars b;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(parse_with(HEADER "2024-01-02,100,110,90,105,1000,x,y\n", NULL, &b, NULL, &eb),
                     0);
    stom_bars_free(&b);
}
END_TEST

START_TEST(an_open_or_close_outside_the_range_is_refused)
{
    expect_refused(HEADER "2024-01-02,120,110,90,105,1000\n",
                   "mem.csv:2: open 120 is above high 110");
    expect_refused(HEADER "2024-01-02,100,110,90,80,1000\n", "mem.csv:2: close 80 is below low 90");
    expect_refused(HEADER "2024-01-02,100,110,120,105,1000\n",
                   "mem.csv:2: high 110 is below low 120");
}
END_TEST

START_TEST(prices_in_messages_use_the_instrument_scale)
{
    stom_instrument inst = us();
    stom_bars b;
    stom_errbuf eb = {{0}};
    const char *text = HEADER "2004-08-19,100,104.06,105.5,100.34,22351900\n";
    stom_bars_init(&b, &inst);
    ck_assert_int_eq(stom_bars_parse_csv(&b, text, strlen(text), "goog", NULL, NULL, &eb),
                     STOM_EFORMAT);
    ck_assert_str_eq(eb.msg, "goog:2: high 104.06 is below low 105.50");
}
END_TEST

START_TEST(a_negative_price_or_volume_is_refused)
{
    expect_refused(HEADER "2024-01-02,100,110,-5,105,1000\n", "mem.csv:2: negative low -5");
    expect_refused(HEADER "2024-01-02,100,110,90,105,-1\n", "mem.csv:2: negative volume -1");
}
END_TEST

START_TEST(a_timestamp_out_of_order_is_refused)
{
    expect_refused(HEADER "2024-01-03,100,110,90,105,1000\n" ROW1,
                   "mem.csv:3: timestamp 2024-01-02 is earlier than 2024-01-03 on line 2");
}
END_TEST

START_TEST(a_duplicated_timestamp_is_refused)
{
    expect_refused(HEADER ROW1 ROW1, "mem.csv:3: duplicate timestamp 2024-01-02 (same as line 2)");
    expect_refused("Date,Time,Open,High,Low,Close,Volume\n"
                   "20240102,0901,1,1,1,1,1\n"
                   "20240102,09:01,1,1,1,1,1\n",
                   "mem.csv:3: duplicate timestamp 20240102 09:01 (same as line 2)");
    /* The same instant written with two offsets is still a duplicate. */
    expect_refused("Datetime,Open,High,Low,Close,Volume\n"
                   "2020-03-02 23:30:00+09:00,1,1,1,1,1\n"
                   "2020-03-02T14:30:00Z,1,1,1,1,1\n",
                   "mem.csv:3: duplicate timestamp 2020-03-02T14:30:00Z (same as line 2)");
}
END_TEST

START_TEST(an_invalid_date_or_time_is_refused)
{
    expect_refused(HEADER "2023-02-30,100,110,90,105,1000\n",
                   "mem.csv:2: invalid date \"2023-02-30\"");
    expect_refused(HEADER "20231301,100,110,90,105,1000\n", "mem.csv:2: invalid date \"20231301\"");
    expect_refused(HEADER "2023/01/02,100,110,90,105,1000\n",
                   "mem.csv:2: invalid date \"2023/01/02\"");
    expect_refused("Date,Time,Open,High,Low,Close,Volume\n2024-01-02,25:00,1,1,1,1,1\n",
                   "mem.csv:2: invalid time \"25:00\"");
    expect_refused("Datetime,Open,High,Low,Close,Volume\n2020-02-18 09:00:00+9,1,1,1,1,1\n",
                   "mem.csv:2: invalid timestamp \"2020-02-18 09:00:00+9\"");
    expect_refused("Datetime,Open,High,Low,Close,Volume\n2020-02-18 09:60:00,1,1,1,1,1\n",
                   "mem.csv:2: invalid timestamp \"2020-02-18 09:60:00\"");
}
END_TEST

START_TEST(an_unterminated_quote_is_refused)
{
    expect_refused(HEADER "2024-01-02,\"100,110,90,105,1000\n",
                   "mem.csv:2: unterminated quote in field 2");
}
END_TEST

START_TEST(a_line_longer_than_the_limit_is_refused)
{
    stom_csv_options o;
    stom_csv_options_default(&o);
    o.max_line_bytes = 40;
    expect_refused_with(HEADER "2024-01-02,100,110,90,105,1000,padding-padding-padding\n", &o,
                        STOM_EFORMAT, "mem.csv:2: line is longer than 40 bytes");
}
END_TEST

START_TEST(more_rows_than_the_limit_are_too_big)
{
    stom_csv_options o;
    stom_csv_options_default(&o);
    o.max_rows = 2;
    expect_refused_with(HEADER "2024-01-02,1,1,1,1,1\n2024-01-03,1,1,1,1,1\n2024-01-04,1,1,1,1,1\n",
                        &o, STOM_ETOOBIG, "mem.csv:4: more than 2 rows");
}
END_TEST

START_TEST(an_empty_or_header_only_file_is_empty)
{
    expect_refused_with("", NULL, STOM_EEMPTY, "mem.csv:1: empty file");
    expect_refused_with("\xEF\xBB\xBF\r\n\n", NULL, STOM_EEMPTY, "mem.csv:2: empty file");
    expect_refused_with(HEADER, NULL, STOM_EEMPTY, "mem.csv:1: no data rows after the header");
    expect_refused_with(HEADER "2024-01-02,0,0,0,5,0\n2024-01-03,0,0,0,5,0\n", NULL, STOM_EEMPTY,
                        "mem.csv:3: all 2 rows are trading halts");

    char path[512];
    stom_instrument inst = krx();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_test_fixture_path("csv/empty.csv", path, sizeof path);
    stom_bars_init(&b, &inst);
    ck_assert_int_eq(stom_bars_load_csv(&b, path, NULL, NULL, &eb), STOM_EEMPTY);
    stom_test_fixture_path("csv/header_only.csv", path, sizeof path);
    ck_assert_int_eq(stom_bars_load_csv(&b, path, NULL, NULL, &eb), STOM_EEMPTY);
}
END_TEST

START_TEST(a_refused_file_leaves_a_previously_loaded_series_empty)
{
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_csv_stats st;
    ck_assert_int_eq(parse_with(HEADER ROW1, NULL, &b, NULL, &eb), 0);
    ck_assert_uint_eq(b.len, 1);
    const char *bad = HEADER ROW1 "2024-01-03,100,110,90,105,oops\n";
    ck_assert_int_eq(stom_bars_parse_csv(&b, bad, strlen(bad), "mem.csv", NULL, &st, &eb),
                     STOM_EFORMAT);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_null(b.ts);
    ck_assert_uint_eq(st.rows, 0);
    ck_assert_str_eq(b.inst.symbol, "005930");
}
END_TEST

START_TEST(an_unreadable_file_is_an_io_error)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_errbuf eb = {{0}};
    stom_bars_init(&b, &inst);
    ck_assert_int_eq(stom_bars_load_csv(&b, "no/such/file.csv", NULL, NULL, &eb), STOM_EIO);
    ck_assert_str_eq(eb.msg, "no/such/file.csv: cannot open: No such file or directory");
}
END_TEST

/* ---- real files ------------------------------------------------------------------------- */

/* What loading one directory of real files found. */
typedef struct dir_result {
    size_t files, rows, halts, refused;
} dir_result;

static bool has_csv_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

/*
 * Loads every *.csv under ../shared/data/<rel> with inst and checks the
 * invariants. A file named `refused` must be refused with a message ending
 * in `refused_msg`. Returns false (after a note) when the data is absent.
 */
static bool load_every_file(const char *rel, const stom_instrument *inst, const char *refused,
                            const char *refused_msg, dir_result *out)
{
    char dir[512];
    memset(out, 0, sizeof *out);
    if (!stom_test_shared_path(rel, dir, sizeof dir)) {
        printf("note: %s is absent; skipping the real-data check\n", dir);
        return false;
    }
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_csv_suffix(e->d_name))
            continue;
        char path[1024];
        stom_bars b;
        stom_csv_stats st;
        stom_errbuf eb = {{0}};
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        stom_bars_init(&b, inst);
        int rc = stom_bars_load_csv(&b, path, NULL, &st, &eb);
        out->files++;
        if (refused != NULL && strcmp(e->d_name, refused) == 0) {
            ck_assert_int_eq(rc, STOM_EFORMAT);
            size_t n = strlen(eb.msg), m = strlen(refused_msg);
            ck_assert_msg(n >= m && strcmp(eb.msg + n - m, refused_msg) == 0, "%s", eb.msg);
            out->refused++;
            continue;
        }
        ck_assert_msg(rc == 0, "%s: rc %d: %s", e->d_name, rc, eb.msg);
        check_invariants(e->d_name, &b);
        out->rows += st.rows;
        out->halts += st.skipped_halt;
        stom_bars_free(&b);
    }
    closedir(d);
    return true;
}

/* Loads one real file; false (after a note) when absent. */
static bool load_real(const char *rel, const stom_instrument *inst, stom_bars *b,
                      stom_csv_stats *st)
{
    char path[512];
    stom_errbuf eb = {{0}};
    if (!stom_test_shared_path(rel, path, sizeof path)) {
        printf("note: %s is absent; skipping\n", path);
        return false;
    }
    stom_bars_init(b, inst);
    int rc = stom_bars_load_csv(b, path, NULL, st, &eb);
    ck_assert_msg(rc == 0, "%s: rc %d: %s", rel, rc, eb.msg);
    check_invariants(rel, b);
    return true;
}

START_TEST(every_quantkang_daily_file_loads_and_the_close_only_index_is_refused)
{
    stom_instrument inst = krx();
    dir_result r;
    if (!load_every_file("krx-daily/quantkang_stock_data", &inst, "kospi200_index.csv",
                         ":1: missing column open", &r))
        return;
    ck_assert_uint_eq(r.files, 33);
    ck_assert_uint_eq(r.refused, 1);
    ck_assert_uint_eq(r.rows, 98307);
}
END_TEST

START_TEST(samsung_from_quantkang_loads_from_1990_to_2023)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_csv_stats st;
    if (!load_real("krx-daily/quantkang_stock_data/005930_D.csv", &inst, &b, &st))
        return;
    ck_assert_uint_eq(b.len, 8343);
    ck_assert_int_eq(b.ts[0], 652978800); /* 1990-09-11 KST */
    ck_assert_int_eq(b.open[0], 364);
    ck_assert_int_eq(b.ts[b.len - 1], 1703170800); /* 2023-12-22 KST */
    ck_assert_int_eq(b.close[b.len - 1], 75900);
    ck_assert_int_eq(b.volume[b.len - 1], 14515608);
    stom_bars_free(&b);
}
END_TEST

START_TEST(every_pykrx_file_with_korean_headers_loads)
{
    stom_instrument inst = krx();
    dir_result r;
    if (!load_every_file("krx-daily/invest_kr_pykrx", &inst, NULL, NULL, &r))
        return;
    ck_assert_uint_eq(r.files, 65);
    ck_assert_uint_eq(r.refused, 0);
    /* 24,050 data rows, of which the halt rows are skipped. */
    ck_assert_uint_eq(r.rows + r.halts, 24050);
    ck_assert_uint_eq(r.halts, 41);
}
END_TEST

START_TEST(every_fdr_kosdaq_file_loads_with_its_halt_rows_skipped)
{
    stom_instrument inst = krx();
    dir_result r;
    if (!load_every_file("krx-daily/pqmsoft1_stockdata_kosdaq", &inst, NULL, NULL, &r))
        return;
    ck_assert_uint_eq(r.files, 30);
    ck_assert_uint_eq(r.rows, 92328);
    /* PROVENANCE.md lists 23+9+8+1+19+15+45+3 halt rows. */
    ck_assert_uint_eq(r.halts, 123);
}
END_TEST

START_TEST(pearl_abyss_skips_its_three_split_halt_days)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_csv_stats st;
    if (!load_real("krx-daily/pqmsoft1_stockdata_kosdaq/263750.csv", &inst, &b, &st))
        return;
    ck_assert_uint_eq(st.skipped_halt, 3);
    ck_assert_uint_eq(b.len, 993 - 3);
    stom_bars_free(&b);
}
END_TEST

START_TEST(every_yahoo_five_minute_file_loads)
{
    stom_instrument inst = krx();
    dir_result r;
    if (!load_every_file("krx-intraday/yahoo_5m_2020_twinparadox", &inst, NULL, NULL, &r))
        return;
    ck_assert_uint_eq(r.files, 28);
    ck_assert_uint_eq(r.rows, 83794);
}
END_TEST

START_TEST(kt_five_minute_bars_start_at_nine_kst)
{
    stom_instrument inst = krx();
    stom_bars b;
    stom_csv_stats st;
    if (!load_real("krx-intraday/yahoo_5m_2020_twinparadox/KT.csv", &inst, &b, &st))
        return;
    ck_assert_uint_eq(b.len, 3014);
    ck_assert_int_eq(b.ts[0], KST_20200218_0900);
    ck_assert_int_eq(b.open[0], 24950);
    ck_assert_int_eq(b.ts[1] - b.ts[0], 300);
    stom_bars_free(&b);
}
END_TEST

START_TEST(goog_loads_in_cents)
{
    stom_instrument inst = us();
    stom_bars b;
    stom_csv_stats st;
    if (!load_real("us-daily/GOOG.csv", &inst, &b, &st))
        return;
    ck_assert_uint_eq(b.len, 2148);
    ck_assert_int_eq(b.open[0], 10000);
    ck_assert_int_eq(b.high[0], 10406);
    ck_assert_int_eq(b.close[0], 10034);
    ck_assert_int_eq(b.close[b.len - 1], 80619);
    stom_bars_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bars_csv");
    TCase *series = tcase_create("series");
    tcase_add_test(series, a_series_grows_on_push_and_slices_in_place);
    tcase_add_test(series, reserve_never_shrinks_and_keeps_the_bars);
    tcase_add_test(series, default_options_are_kst_4096_byte_lines_and_100_million_rows);
    suite_add_tcase(s, series);

    TCase *formats = tcase_create("formats");
    tcase_add_test(formats, a_yahoo_daily_file_loads_and_adj_close_is_ignored);
    tcase_add_test(formats, dates_without_a_time_are_midnight_at_the_configured_offset);
    tcase_add_test(formats, a_date_and_time_file_accepts_every_clock_spelling);
    tcase_add_test(formats, a_one_digit_hour_and_compact_hmmss_times_are_read);
    tcase_add_test(formats, a_datetime_column_with_a_plus_nine_offset_loads_decimal_won_prices);
    tcase_add_test(formats, timestamps_in_z_or_another_offset_are_converted_to_utc);
    tcase_add_test(formats, a_korean_export_with_ilja_and_yyyymmdd_dates_loads);
    tcase_add_test(formats, a_bom_and_crlf_line_endings_are_handled);
    tcase_add_test(formats, quoted_fields_with_thousands_separators_load);
    tcase_add_test(formats, header_names_match_in_any_case_and_in_any_column_order);
    tcase_add_test(formats, blank_lines_and_a_missing_final_newline_are_fine);
    tcase_add_test(formats, halt_rows_are_skipped_and_counted);
    tcase_add_test(formats, us_prices_load_in_cents_with_rounding);
    tcase_add_test(formats, a_close_within_one_percent_outside_the_range_widens_it);
    tcase_add_test(formats, the_text_need_not_be_nul_terminated);
    suite_add_tcase(s, formats);

    TCase *refusals = tcase_create("refusals");
    tcase_add_test(refusals, a_close_only_file_is_refused_for_its_missing_open);
    tcase_add_test(refusals, a_high_below_the_low_is_refused_with_file_and_line);
    tcase_add_test(refusals, a_missing_required_column_is_refused);
    tcase_add_test(refusals, a_field_that_is_not_a_number_is_refused);
    tcase_add_test(refusals, an_empty_field_is_refused);
    tcase_add_test(refusals, a_row_with_too_few_fields_is_refused);
    tcase_add_test(refusals, an_open_or_close_outside_the_range_is_refused);
    tcase_add_test(refusals, prices_in_messages_use_the_instrument_scale);
    tcase_add_test(refusals, a_negative_price_or_volume_is_refused);
    tcase_add_test(refusals, a_timestamp_out_of_order_is_refused);
    tcase_add_test(refusals, a_duplicated_timestamp_is_refused);
    tcase_add_test(refusals, an_invalid_date_or_time_is_refused);
    tcase_add_test(refusals, an_unterminated_quote_is_refused);
    tcase_add_test(refusals, a_line_longer_than_the_limit_is_refused);
    tcase_add_test(refusals, more_rows_than_the_limit_are_too_big);
    tcase_add_test(refusals, an_empty_or_header_only_file_is_empty);
    tcase_add_test(refusals, a_refused_file_leaves_a_previously_loaded_series_empty);
    tcase_add_test(refusals, an_unreadable_file_is_an_io_error);
    suite_add_tcase(s, refusals);

    TCase *real = tcase_create("real_data");
    tcase_set_timeout(real, 60);
    tcase_add_test(real, every_quantkang_daily_file_loads_and_the_close_only_index_is_refused);
    tcase_add_test(real, samsung_from_quantkang_loads_from_1990_to_2023);
    tcase_add_test(real, every_pykrx_file_with_korean_headers_loads);
    tcase_add_test(real, every_fdr_kosdaq_file_loads_with_its_halt_rows_skipped);
    tcase_add_test(real, pearl_abyss_skips_its_three_split_halt_days);
    tcase_add_test(real, every_yahoo_five_minute_file_loads);
    tcase_add_test(real, kt_five_minute_bars_start_at_nine_kst);
    tcase_add_test(real, goog_loads_in_cents);
    suite_add_tcase(s, real);
    return stom_test_run(s);
}
