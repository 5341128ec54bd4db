/*
 * bars_load.c - loading one series fast: COPY (SELECT ...) TO STDOUT in
 * binary format, parsed here straight into the columns of a stom_bars.
 *
 * Binary COPY spares the server its number-to-text conversion and us the
 * parsing back; each row arrives as one CopyData message of six big-endian
 * int8 fields. The SELECT has no ORDER BY so that the planner is free to
 * scan the table sequentially when the series is most of it (an ordered
 * index scan or a sort would cost more); rows then come in the order they
 * were stored, which is ts order unless an earlier period was imported
 * after a later one, and that rare case is sorted here.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define FIELDS    6
#define ROW_BYTES (2 + FIELDS * (4 + 8))
/* Bounds outside years 0001..9999 are printed as open ends. */
#define TS_MIN_PRINTABLE (-62135596800LL)
#define TS_MAX_PRINTABLE 253402300799LL

typedef struct copy_reader {
    bool header_done;
    stom_bars *out;
} copy_reader;

static int bad_stream(stom_errbuf *eb, const char *what)
{
    return stom_errorf(eb, STOM_EIO, "unexpected binary COPY data from the server: %s", what);
}

static int read_header(copy_reader *r, const unsigned char **p, size_t *n, stom_errbuf *eb)
{
    if (*n < STOM_COPY_HEADER_LEN || memcmp(*p, stom__copy_signature, 11) != 0)
        return bad_stream(eb, "no PGCOPY signature");
    size_t skip = STOM_COPY_HEADER_LEN + stom__get_be32(*p + 15);
    if (*n < skip)
        return bad_stream(eb, "truncated header");
    *p += skip;
    *n -= skip;
    r->header_done = true;
    return STOM_OK;
}

/* One CopyData message: the header (first message only), whole rows, the trailer. */
static int parse_message(copy_reader *r, const unsigned char *p, size_t n, stom_errbuf *eb)
{
    if (!r->header_done && read_header(r, &p, &n, eb) != STOM_OK)
        return STOM_EIO;
    while (n > 0) {
        if (n >= 2 && stom__get_be16(p) == 0xFFFF) { /* trailer */
            p += 2;
            n -= 2;
            continue;
        }
        if (n < ROW_BYTES || stom__get_be16(p) != FIELDS)
            return bad_stream(eb, "a row is not six int8 fields");
        int64_t v[FIELDS];
        for (int k = 0; k < FIELDS; k++) {
            if (stom__get_be32(p + 2 + 12 * k) != 8)
                return bad_stream(eb, "a field is not 8 bytes");
            v[k] = (int64_t)stom__get_be64(p + 6 + 12 * k);
        }
        stom_bars_push(r->out, v[0], v[1], v[2], v[3], v[4], v[5]);
        p += ROW_BYTES;
        n -= ROW_BYTES;
    }
    return STOM_OK;
}

static int build_copy_sql(PGconn *conn, const char *symbol, const char *timeframe, int64_t from_ts,
                          int64_t to_ts, char *sql, size_t len, stom_errbuf *eb)
{
    char *sym = PQescapeLiteral(conn, symbol, strlen(symbol));
    char *tf = PQescapeLiteral(conn, timeframe, strlen(timeframe));
    if (sym != NULL && tf != NULL)
        snprintf(sql, len,
                 "COPY (SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = %s"
                 " AND timeframe = %s AND ts >= %lld AND ts < %lld) TO STDOUT (FORMAT binary)",
                 sym, tf, (long long)from_ts, (long long)to_ts);
    bool ok = sym != NULL && tf != NULL;
    PQfreemem(sym);
    PQfreemem(tf);
    return ok ? STOM_OK : stom_errorf(eb, STOM_ENOMEM, "out of memory quoting %s", symbol);
}

static int copy_out(stom_db *db, const char *sql, stom_bars *out, stom_errbuf *eb)
{
    PGconn *conn = stom_db_conn(db);
    PGresult *res = PQexec(conn, sql);
    if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT)
        return stom__db_fail(db, res, "loading bars", eb);
    PQclear(res);
    copy_reader r = {false, out};
    int rc = STOM_OK, n;
    char *buf = NULL;
    /* The stream is read to its end even after a bad row, so the connection stays usable. */
    while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
        if (rc == STOM_OK)
            rc = parse_message(&r, (const unsigned char *)buf, (size_t)n, eb);
        PQfreemem(buf);
    }
    res = PQgetResult(conn);
    if (rc == STOM_OK && (n == -2 || res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK))
        rc = stom__db_fail(db, res, "loading bars", eb);
    else
        PQclear(res);
    while ((res = PQgetResult(conn)) != NULL)
        PQclear(res);
    return rc;
}

static int load_instrument(stom_db *db, const char *symbol, stom_instrument *inst, stom_errbuf *eb)
{
    const char *params[] = {symbol};
    PGresult *res = NULL;
    int rc = stom_db_query(db,
                           "SELECT market, board, price_decimals, qty_decimals FROM instruments"
                           " WHERE symbol = $1",
                           1, params, PGRES_TUPLES_OK, "reading the instrument", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "%s is not stored (see stom data list)", symbol);
    }
    stom_market market = STOM_MARKET_KRX;
    stom_board board = STOM_BOARD_NONE;
    stom_market_parse(PQgetvalue(res, 0, 0), &market);
    stom_board_parse(PQgetvalue(res, 0, 1), &board); /* "NONE" is no board: stays NONE */
    stom_instrument_init(inst, symbol, market, board);
    inst->price_decimals = atoi(PQgetvalue(res, 0, 2));
    inst->qty_decimals = atoi(PQgetvalue(res, 0, 3));
    PQclear(res);
    return STOM_OK;
}

static void format_bound(int64_t ts, const char *open_end, char *buf, size_t len)
{
    if (ts < TS_MIN_PRINTABLE || ts > TS_MAX_PRINTABLE)
        snprintf(buf, len, "%s", open_end);
    else
        stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, buf, len);
}

/* No row came back: the series does not exist at all, or not in this range. */
static int explain_empty(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                         int64_t to_ts, stom_errbuf *eb)
{
    const char *params[] = {symbol, timeframe};
    PGresult *res = NULL;
    int rc = stom_db_query(db,
                           "SELECT EXISTS (SELECT 1 FROM bars WHERE symbol = $1"
                           " AND timeframe = $2)",
                           2, params, PGRES_TUPLES_OK, "loading bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    bool any = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!any)
        return stom_errorf(eb, STOM_ENOTFOUND, "no %s bars of %s are stored (see stom data list)",
                           timeframe, symbol);
    char from[32], to[32];
    format_bound(from_ts, "the beginning", from, sizeof from);
    format_bound(to_ts, "the end", to, sizeof to);
    return stom_errorf(eb, STOM_EEMPTY, "no %s bars of %s from %s up to %s (KST, end excluded)",
                       timeframe, symbol, from, to);
}

typedef struct ts_index {
    int64_t ts;
    size_t i;
} ts_index;

static int compare_ts(const void *a, const void *b)
{
    int64_t x = ((const ts_index *)a)->ts, y = ((const ts_index *)b)->ts;
    return (x > y) - (x < y);
}

static void permute(int64_t *col, const ts_index *order, size_t n, int64_t *scratch)
{
    for (size_t k = 0; k < n; k++)
        scratch[k] = col[order[k].i];
    memcpy(col, scratch, n * sizeof *col);
}

/* Puts the bars in ts order when the scan returned them otherwise. */
static void sort_by_ts(stom_bars *b)
{
    size_t k = 1;
    while (k < b->len && b->ts[k - 1] < b->ts[k])
        k++;
    if (k >= b->len)
        return;
    ts_index *order = stom_xmalloc(b->len * sizeof *order);
    int64_t *scratch = stom_xmalloc(b->len * sizeof *scratch);
    for (size_t i = 0; i < b->len; i++)
        order[i] = (ts_index){b->ts[i], i};
    qsort(order, b->len, sizeof *order, compare_ts);
    int64_t *cols[] = {b->ts, b->open, b->high, b->low, b->close, b->volume};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        permute(cols[c], order, b->len, scratch);
    free(scratch);
    free(order);
}

int stom_store_load_bars(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                         int64_t to_ts, stom_bars *out, stom_errbuf *eb)
{
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, STOM_MARKET_KRX, STOM_BOARD_NONE);
    stom_bars_init(out, &inst);
    int rc = stom_timeframe_check(timeframe, eb);
    if (rc == STOM_OK)
        rc = stom_symbol_check(symbol, eb);
    if (rc == STOM_OK)
        rc = load_instrument(db, symbol, &inst, eb);
    if (rc != STOM_OK)
        return rc;
    stom_bars_init(out, &inst);
    char sql[512];
    rc = build_copy_sql(stom_db_conn(db), symbol, timeframe, from_ts, to_ts, sql, sizeof sql, eb);
    if (rc == STOM_OK)
        rc = copy_out(db, sql, out, eb);
    if (rc == STOM_OK && out->len == 0)
        rc = explain_empty(db, symbol, timeframe, from_ts, to_ts, eb);
    if (rc != STOM_OK) {
        stom_bars_free(out);
        return rc;
    }
    sort_by_ts(out);
    return STOM_OK;
}
