/*
 * routes_data.c - /api/v1/data: the stored bar data sets, bars page by
 * page, and the CSV upload (data_import.c).
 *
 * Historical bars are paged with an opaque cursor, which is the time of
 * the next page's first bar. A page never loads much more than it
 * returns: the bar_blocks rows (a day of 1m bars, an hour of 1s bars, 1024
 * days of 1d bars) after the start are read first, their counts decide how
 * far the page can reach, and only that range is loaded.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "api_time.h"
#include "data_import.h"
#include "stom/store_bars.h"

#define HISTORICAL_LIMIT_DEFAULT 1000
#define HISTORICAL_LIMIT_MAX     10000

/* What a historical request asks for, once its parameters are read. */
typedef struct bar_query {
    char symbol[STOM_SYMBOL_MAX];
    char timeframe[STOM_TIMEFRAME_MAX];
    int64_t start, end; /* [start, end): from or the cursor, to */
    int64_t limit;
} bar_query;

static const char *set_market(const stom_data_set *d)
{
    if (!strcmp(d->market, "krx"))
        return d->board;
    return !strcmp(d->market, "us") ? "US" : "CRYPTO";
}

static void list_symbols(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)req;
    stom_data_set *sets = NULL;
    size_t n = 0;
    stom_errbuf eb = {{0}};
    int rc = stom_store_list_data(ctx->db, &sets, &n, &eb);
    if (rc != STOM_OK) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "symbol", sets[k].symbol, "timeframe",
                            sets[k].timeframe, "market", set_market(&sets[k]), "first",
                            gw_api_time_json(sets[k].first_ts), "last",
                            gw_api_time_json(sets[k].last_ts), "rows", (json_int_t)sets[k].rows));
    free(sets);
    gw_reply_json(res, 200, json_pack("{s:o}", "symbols", list));
}

/* Copies a required parameter checked by check into out; false with res set naming it. */
static bool key_param(const gw_request *req, const char *name,
                      int (*check)(const char *, stom_errbuf *), char *out, size_t len,
                      gw_response *res)
{
    char *v = gw_api_query(req, name);
    stom_errbuf eb = {{0}};
    bool ok = false;
    if (!v)
        gw_reply_error(res, 400, "invalid_field", name, "%s is required", name);
    else if (check(v, &eb) != STOM_OK)
        gw_reply_error(res, 400, "invalid_field", name, "%s", eb.msg);
    else if (snprintf(out, len, "%s", v) >= (int)len)
        gw_reply_error(res, 400, "invalid_field", name, "%s is too long", name);
    else
        ok = true;
    free(v);
    return ok;
}

/* An optional time parameter (a date or RFC 3339); *out is untouched when absent. */
static bool time_param(const gw_request *req, const char *name, bool end_of_day, int64_t *out,
                       gw_response *res)
{
    char *v = gw_api_query(req, name);
    bool ok = !v || gw_api_time_parse(v, end_of_day, out);
    if (!ok)
        gw_reply_error(res, 400, "invalid_field", name,
                       "%s must be a date (2024-01-02) or an RFC 3339 time "
                       "(2024-01-02T09:00:00+09:00)",
                       name);
    free(v);
    return ok;
}

static bool read_bar_query(const gw_request *req, bar_query *q, gw_response *res)
{
    int64_t from = INT64_MIN, to = INT64_MAX, cursor = INT64_MIN;
    q->limit = HISTORICAL_LIMIT_DEFAULT;
    if (!key_param(req, "symbol", stom_symbol_check, q->symbol, sizeof q->symbol, res) ||
        !key_param(req, "timeframe", stom_timeframe_check, q->timeframe, sizeof q->timeframe,
                   res) ||
        !time_param(req, "from", false, &from, res) || !time_param(req, "to", true, &to, res))
        return false;
    if (!gw_api_query_int(req, "limit", 1, HISTORICAL_LIMIT_MAX, &q->limit)) {
        gw_reply_error(res, 400, "invalid_field", "limit", "limit must be an integer from 1 to %d",
                       HISTORICAL_LIMIT_MAX);
        return false;
    }
    if (!gw_api_query_int(req, "cursor", INT64_MIN + 1, INT64_MAX - 1, &cursor)) {
        gw_reply_error(res, 400, "invalid_field", "cursor",
                       "cursor must be a next_cursor this route returned");
        return false;
    }
    if (from >= to) {
        gw_reply_error(res, 400, "invalid_field", "to", "to must be after from");
        return false;
    }
    q->start = cursor > from ? cursor : from;
    q->end = to;
    return true;
}

/*
 * Where the page starting at q->start can end: after the blocks that hold
 * limit + 1 bars at or after the start (the first block may hold earlier
 * ones, so it is not counted), or q->end. 0 or STOM_EIO.
 */
static int page_end(stom_db *db, const bar_query *q, int64_t *end, stom_errbuf *eb)
{
    char start[24], stop[24], rows[24];
    snprintf(start, sizeof start, "%" PRId64, q->start);
    snprintf(stop, sizeof stop, "%" PRId64, q->end);
    snprintf(rows, sizeof rows, "%" PRId64, q->limit + 2);
    const char *params[] = {q->symbol, q->timeframe, start, stop, rows};
    PGresult *res;
    int rc = stom_db_query(db,
                           "SELECT n, last_ts FROM bar_blocks WHERE symbol = $1 AND timeframe = $2"
                           " AND last_ts >= $3::bigint AND first_ts < $4::bigint"
                           " ORDER BY block_start LIMIT $5::bigint",
                           5, params, PGRES_TUPLES_OK, "reading bar blocks", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *end = q->end;
    int64_t counted = 0;
    for (int r = 1; r < PQntuples(res); r++) {
        counted += strtoll(PQgetvalue(res, r, 0), NULL, 10);
        if (counted > q->limit) {
            int64_t last = strtoll(PQgetvalue(res, r, 1), NULL, 10);
            *end = last + 1 < q->end ? last + 1 : q->end;
            break;
        }
    }
    PQclear(res);
    return STOM_OK;
}

static json_t *bars_json(const stom_bars *b, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            list, json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "t", gw_api_time_json(b->ts[i]), "o",
                            (json_int_t)b->open[i], "h", (json_int_t)b->high[i], "l",
                            (json_int_t)b->low[i], "c", (json_int_t)b->close[i], "v",
                            (json_int_t)b->volume[i]));
    return list;
}

/* The page: {symbol, timeframe, bars, next_cursor}, and price_decimals when there are bars. */
static void reply_page(const bar_query *q, const stom_bars *b, gw_response *res)
{
    size_t n = b->len > (size_t)q->limit ? (size_t)q->limit : b->len;
    json_t *page = json_pack("{s:s, s:s, s:o}", "symbol", q->symbol, "timeframe", q->timeframe,
                             "bars", bars_json(b, n));
    if (b->len > 0)
        json_object_set_new(page, "price_decimals", json_integer(b->inst.price_decimals));
    json_t *next = json_null();
    if (b->len > n) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "%" PRId64, b->ts[n]);
        next = json_string(cursor);
    }
    json_object_set_new(page, "next_cursor", next);
    gw_reply_json(res, 200, page);
}

static void historical_bars(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    bar_query q;
    if (!read_bar_query(req, &q, res))
        return;
    stom_errbuf eb = {{0}};
    int64_t end = q.end;
    int rc = page_end(ctx->db, &q, &end, &eb);
    stom_bars b;
    stom_bars_init(&b, NULL);
    if (rc == STOM_OK && q.start >= q.end)
        rc = STOM_EEMPTY; /* a cursor at or past the end: the last page was the one before */
    else if (rc == STOM_OK)
        rc = stom_store_load_bars(ctx->db, q.symbol, q.timeframe, q.start, end, &b, &eb);
    if (rc == STOM_OK || rc == STOM_EEMPTY)
        reply_page(&q, &b, res);
    else if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "no %s bars of %s are stored", q.timeframe,
                       q.symbol);
    else
        gw_reply_unavailable(res, "the database", &eb);
    stom_bars_free(&b);
}

const gw_route gw_routes_data[] = {
    {"GET", "/api/v1/data/symbols", list_symbols, GW_USER, GW_LIMIT_USER,
     "List the stored bar data sets", NULL},
    {"GET", "/api/v1/data/historical", historical_bars, GW_USER, GW_LIMIT_USER,
     "Bars of a symbol and timeframe, a page at a time",
     "symbol!,timeframe!,from,to,limit#,cursor#"},
    {"POST", "/api/v1/data/import", gw_data_import_handler, GW_TRADER, GW_LIMIT_USER,
     "Import a CSV file of bars (trader or admin)", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
