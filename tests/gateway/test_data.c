/*
 * test_data.c - the gateway's data routes, called directly as the router
 * calls them against a fresh database: a CSV upload, the list of data
 * sets, historical bars page by page (within a day and across days), and
 * the refusals: a malformed file stores nothing, bad parameters are 400s
 * naming the parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "test_db.h"
#include "test_support.h"
#include "route_lookup.h"

#define SMALL_CSV                                                                                  \
    "date,time,open,high,low,close,volume\n"                                                       \
    "20240102,090000,78200,78500,78100,78400,120000\n"                                             \
    "20240102,090100,78400,78600,78300,78500,80000\n"                                              \
    "20240102,090200,78500,78500,78400,78400,50000\n"                                              \
    "20240102,090300,78400,78450,78300,78350,42000\n"                                              \
    "20240102,090400,78350,78400,78200,78300,30000\n"

/* Line 3 has a high below its low. */
#define BAD_CSV                                                                                    \
    "date,time,open,high,low,close,volume\n"                                                       \
    "20240102,090000,78200,78500,78100,78400,120000\n"                                             \
    "20240102,090100,78400,78000,78300,78500,80000\n"                                              \
    "20240102,090200,78500,78500,78400,78400,50000\n"

static char url[512];
static stom_db *db;
static gw_config cfg;
static gw_ctx ctx;

static void setup(void)
{
    stom_test_db_create(url, sizeof url);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, url, &eb) == STOM_OK, "%s", eb.msg);
    memset(&cfg, 0, sizeof cfg);
    cfg.json_depth_max = 32;
    ctx = (gw_ctx){.cfg = &cfg, .db = db};
}

static void teardown(void)
{
    stom_db_close(db);
    stom_test_db_drop(url);
}

/* Calls a data route as a trader; returns the parsed body, *status the status. */
static json_t *call(const char *method, const char *pattern, const char *query, const char *body,
                    size_t body_len, const char *content_type, int *status)
{
    const gw_route *r = test_route(gw_routes_data, method, pattern);
    gw_request req;
    memset(&req, 0, sizeof req);
    snprintf(req.method, sizeof req.method, "%s", method);
    req.path = pattern;
    req.route = pattern;
    req.query = query ? query : "";
    req.body = body;
    req.body_len = body_len;
    req.content_type = content_type;
    req.user.id = 1;
    req.user.role = GW_ROLE_TRADER;
    gw_response res;
    memset(&res, 0, sizeof res);
    r->handler(&ctx, &req, &res);
    *status = res.status;
    json_t *j = NULL;
    if (res.body) {
        json_error_t err;
        j = json_loadb(res.body, res.body_len, 0, &err);
        ck_assert_msg(j != NULL, "response is not JSON: %s", res.body);
    }
    free(res.body);
    return j;
}

static json_t *import(const char *query, const char *csv, int *status)
{
    return call("POST", "/api/v1/data/import", query, csv, csv ? strlen(csv) : 0, "text/csv",
                status);
}

static json_t *historical(const char *query, int *status)
{
    return call("GET", "/api/v1/data/historical", query, NULL, 0, NULL, status);
}

/* Asserts j is a 400 (or want) naming field; releases j. Returns the field's message copied. */
static void expect_error(json_t *j, int status, int want, const char *field, const char *contains)
{
    char *text = json_dumps(j, 0);
    ck_assert_msg(status == want, "status %d, wanted %d: %s", status, want, text);
    json_t *e = json_object_get(j, "error");
    if (field) {
        const char *msg = json_string_value(json_object_get(json_object_get(e, "fields"), field));
        ck_assert_msg(msg != NULL, "fields lacks %s: %s", field, text);
        if (contains)
            ck_assert_msg(strstr(msg, contains) != NULL, "'%s' lacks '%s'", msg, contains);
    }
    free(text);
    json_decref(j);
}

static void import_refused(const char *query, const char *csv, int want, const char *field)
{
    int status;
    json_t *j = import(query, csv, &status);
    expect_error(j, status, want, field, NULL);
}

static void historical_refused(const char *query, int want, const char *field)
{
    int status;
    json_t *j = historical(query, &status);
    expect_error(j, status, want, field, NULL);
}

static long long stored_bars(const char *symbol)
{
    const char *params[] = {symbol};
    PGresult *res = PQexecParams(stom_db_conn(db),
                                 "SELECT coalesce(sum(n), 0) FROM bar_blocks WHERE symbol = $1", 1,
                                 NULL, params, NULL, NULL, 0);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    long long n = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

static const char *bar_time(json_t *page, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(page, "bars"), i), "t"));
}

START_TEST(an_uploaded_csv_is_stored_and_listed)
{
    int status;
    json_t *j = import("symbol=005930&timeframe=1m", SMALL_CSV, &status);
    ck_assert_msg(status == 201, "%d %s", status, json_dumps(j, 0));
    ck_assert_str_eq(json_string_value(json_object_get(j, "symbol")), "005930");
    ck_assert_str_eq(json_string_value(json_object_get(j, "timeframe")), "1m");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "rows")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "added")), 5);
    json_decref(j);
    ck_assert_int_eq(stored_bars("005930"), 5);

    /* The same file again adds nothing. */
    j = import("symbol=005930&timeframe=1m", SMALL_CSV, &status);
    ck_assert_int_eq(status, 201);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "added")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "existing")), 5);
    json_decref(j);

    j = call("GET", "/api/v1/data/symbols", NULL, NULL, 0, NULL, &status);
    ck_assert_int_eq(status, 200);
    json_t *list = json_object_get(j, "symbols");
    ck_assert_int_eq(json_array_size(list), 1);
    json_t *set = json_array_get(list, 0);
    ck_assert_str_eq(json_string_value(json_object_get(set, "symbol")), "005930");
    ck_assert_str_eq(json_string_value(json_object_get(set, "timeframe")), "1m");
    ck_assert_str_eq(json_string_value(json_object_get(set, "market")), "KOSPI");
    ck_assert_str_eq(json_string_value(json_object_get(set, "first")), "2024-01-02T09:00:00+09:00");
    ck_assert_str_eq(json_string_value(json_object_get(set, "last")), "2024-01-02T09:04:00+09:00");
    ck_assert_int_eq(json_integer_value(json_object_get(set, "rows")), 5);
    json_decref(j);
}
END_TEST

START_TEST(historical_bars_come_in_pages_joined_by_the_cursor)
{
    int status;
    json_decref(import("symbol=005930&timeframe=1m", SMALL_CSV, &status));
    json_t *j = historical("symbol=005930&timeframe=1m&limit=3", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 3);
    ck_assert_str_eq(bar_time(j, 0), "2024-01-02T09:00:00+09:00");
    json_t *first = json_array_get(json_object_get(j, "bars"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "o")), 78200);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "h")), 78500);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "l")), 78100);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "c")), 78400);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "v")), 120000);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "price_decimals")), 0);
    const char *cursor = json_string_value(json_object_get(j, "next_cursor"));
    ck_assert_ptr_nonnull(cursor);
    char query[128];
    snprintf(query, sizeof query, "symbol=005930&timeframe=1m&limit=3&cursor=%s", cursor);
    json_decref(j);

    j = historical(query, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 2);
    ck_assert_str_eq(bar_time(j, 0), "2024-01-02T09:03:00+09:00");
    ck_assert_str_eq(bar_time(j, 1), "2024-01-02T09:04:00+09:00");
    ck_assert(json_is_null(json_object_get(j, "next_cursor")));
    json_decref(j);
}
END_TEST

START_TEST(from_and_to_take_dates_and_rfc3339_times)
{
    int status;
    json_decref(import("symbol=005930&timeframe=1m", SMALL_CSV, &status));
    /* 09:01 up to (excluding) 09:03; the '+' of the offset percent-encoded. */
    json_t *j = historical("symbol=005930&timeframe=1m&from=2024-01-02T09:01:00%2B09:00"
                           "&to=2024-01-02T00:03:00Z",
                           &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 2);
    ck_assert_str_eq(bar_time(j, 0), "2024-01-02T09:01:00+09:00");
    json_decref(j);
    /* A raw '+' arrives as a space; it is read as the offset's sign. */
    j = historical("symbol=005930&timeframe=1m&from=2024-01-02T09:04:00+09:00", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 1);
    json_decref(j);
    /* A date as the end includes that whole day. */
    j = historical("symbol=005930&timeframe=1m&from=2024-01-02&to=2024-01-02", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 5);
    json_decref(j);
    j = historical("symbol=005930&timeframe=1m&from=2024-01-03", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 0);
    ck_assert(json_is_null(json_object_get(j, "next_cursor")));
    json_decref(j);
}
END_TEST

/* days days of 390 one-minute bars from 2024-01-02, as CSV (owned). */
static char *days_csv(int days)
{
    size_t cap = 64 + (size_t)days * 390 * 64, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap, "date,time,open,high,low,close,volume\n");
    for (int d = 0; d < days; d++) {
        for (int m = 0; m < 390; m++) {
            int minute = 9 * 60 + m;
            len +=
                (size_t)snprintf(csv + len, cap - len, "202401%02d,%02d%02d00,100,110,90,105,%d\n",
                                 2 + d, minute / 60, minute % 60, 1000 + m);
        }
    }
    return csv;
}

START_TEST(paging_across_days_returns_every_bar_once_in_order)
{
    int status;
    char *csv = days_csv(3);
    json_t *j = import("symbol=000660&timeframe=1m&market=KOSDAQ", csv, &status);
    ck_assert_int_eq(status, 201);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "added")), 1170);
    ck_assert_str_eq(json_string_value(json_object_get(j, "market")), "KOSDAQ");
    json_decref(j);
    free(csv);

    char query[160] = "symbol=000660&timeframe=1m&limit=500";
    size_t total = 0, pages = 0;
    char last[40] = "";
    for (;;) {
        j = historical(query, &status);
        ck_assert_int_eq(status, 200);
        json_t *bars = json_object_get(j, "bars");
        for (size_t i = 0; i < json_array_size(bars); i++) {
            const char *t = bar_time(j, i);
            ck_assert_msg(strcmp(t, last) > 0, "%s after %s", t, last);
            snprintf(last, sizeof last, "%s", t);
        }
        total += json_array_size(bars);
        pages++;
        const char *cursor = json_string_value(json_object_get(j, "next_cursor"));
        if (!cursor) {
            json_decref(j);
            break;
        }
        ck_assert_int_eq(json_array_size(bars), 500);
        snprintf(query, sizeof query, "symbol=000660&timeframe=1m&limit=500&cursor=%s", cursor);
        json_decref(j);
    }
    ck_assert_uint_eq(total, 1170);
    /* A cursor past the end is an empty last page. */
    j = historical("symbol=000660&timeframe=1m&cursor=9999999999", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "bars")), 0);
    ck_assert(json_is_null(json_object_get(j, "next_cursor")));
    json_decref(j);
    ck_assert_uint_eq(pages, 3);
    ck_assert_str_eq(last, "2024-01-04T15:29:00+09:00");
}
END_TEST

START_TEST(a_malformed_csv_is_refused_with_its_line_and_nothing_is_stored)
{
    int status;
    json_t *j = import("symbol=005930&timeframe=1m", BAD_CSV, &status);
    expect_error(j, status, 400, "file", "line 3");
    ck_assert_int_eq(stored_bars("005930"), 0);
    j = call("GET", "/api/v1/data/symbols", NULL, NULL, 0, NULL, &status);
    ck_assert_int_eq(json_array_size(json_object_get(j, "symbols")), 0);
    json_decref(j);

    j = import("symbol=005930&timeframe=1m", NULL, &status);
    expect_error(j, status, 400, "file", "empty");
    j = import("symbol=005930&timeframe=1m", "date,open\n", &status);
    expect_error(j, status, 400, "file", NULL);
    ck_assert_int_eq(stored_bars("005930"), 0);
}
END_TEST

START_TEST(bad_import_parameters_are_refused_naming_them)
{
    int status;
    import_refused("timeframe=1m", SMALL_CSV, 400, "symbol");
    import_refused("symbol=%20bad&timeframe=1m", SMALL_CSV, 400, "symbol");
    import_refused("symbol=005930&timeframe=5m", SMALL_CSV, 400, "timeframe");
    import_refused("symbol=005930&timeframe=1m&market=MARS", SMALL_CSV, 400, "market");
    json_t *j = call("POST", "/api/v1/data/import", "symbol=005930&timeframe=1m", SMALL_CSV,
                     strlen(SMALL_CSV), "application/json", &status);
    expect_error(j, status, 415, NULL, NULL);
    /* A symbol stored as KOSPI cannot take US (cents) bars. */
    json_decref(import("symbol=005930&timeframe=1m", SMALL_CSV, &status));
    import_refused("symbol=005930&timeframe=1d&market=US", SMALL_CSV, 400, "market");
    ck_assert_int_eq(stored_bars("005930"), 5);
}
END_TEST

START_TEST(bad_historical_parameters_are_refused_naming_them)
{
    int status;
    json_decref(import("symbol=005930&timeframe=1m", SMALL_CSV, &status));
    historical_refused("symbol=005930&timeframe=1m&from=yesterday", 400, "from");
    historical_refused("symbol=005930&timeframe=1m&from=2024-02-30", 400, "from");
    historical_refused("symbol=005930&timeframe=1m&to=2024-01-02T25:00:00Z", 400, "to");
    historical_refused("symbol=005930&timeframe=1m&from=2024-01-03&to=2024-01-02", 400, "to");
    historical_refused("symbol=005930&timeframe=1m&limit=0", 400, "limit");
    historical_refused("symbol=005930&timeframe=1m&limit=10001", 400, "limit");
    historical_refused("symbol=005930&timeframe=1m&cursor=abc", 400, "cursor");
    historical_refused("timeframe=1m", 400, "symbol");
    historical_refused("symbol=005930", 400, "timeframe");
    historical_refused("symbol=000000&timeframe=1m", 404, NULL);
}
END_TEST

START_TEST(the_import_needs_a_trader_and_the_reads_a_user)
{
    ck_assert_int_eq(test_route(gw_routes_data, "POST", "/api/v1/data/import")->access, GW_TRADER);
    ck_assert_int_eq(test_route(gw_routes_data, "GET", "/api/v1/data/symbols")->access, GW_USER);
    ck_assert_int_eq(test_route(gw_routes_data, "GET", "/api/v1/data/historical")->access, GW_USER);
    for (const gw_route *r = gw_routes_data; r->method; r++)
        ck_assert_int_eq(r->limit, GW_LIMIT_USER);
}
END_TEST

static Suite *data_suite(void)
{
    Suite *s = suite_create("gateway_data");
    TCase *tc = tcase_create("routes");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_uploaded_csv_is_stored_and_listed);
    tcase_add_test(tc, historical_bars_come_in_pages_joined_by_the_cursor);
    tcase_add_test(tc, from_and_to_take_dates_and_rfc3339_times);
    tcase_add_test(tc, paging_across_days_returns_every_bar_once_in_order);
    tcase_add_test(tc, a_malformed_csv_is_refused_with_its_line_and_nothing_is_stored);
    tcase_add_test(tc, bad_import_parameters_are_refused_naming_them);
    tcase_add_test(tc, bad_historical_parameters_are_refused_naming_them);
    tcase_add_test(tc, the_import_needs_a_trader_and_the_reads_a_user);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(data_suite());
}
