/*
 * bars_import.c - storing a bar series in one transaction: the instrument
 * row, then every bar through one binary COPY.
 *
 * Imports of one series (symbol, timeframe) are serialised by a
 * transaction-scoped advisory lock. Under it, an index probe tells whether
 * any stored bar falls within the new bars' time span:
 *   - none (the usual first import, or a later period): the rows are
 *     COPYed straight into bars, the fastest path PostgreSQL has;
 *   - some: the rows are COPYed into a temporary table and moved with
 *     INSERT ... ON CONFLICT DO NOTHING, which skips the stored ones and
 *     reports how many were new. COPY itself cannot skip rows.
 * The series is validated here first (ordering and price invariants), so a
 * refusal names the bar instead of a constraint.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/store_bars.h"

/* Bytes of one COPY tuple: a field count and six (length, int8) fields. */
#define ROW_BYTES   (2 + 6 * (4 + 8))
#define COPY_BUFFER (1 << 20)

/* The key columns of a row COPYed straight into bars: symbol and timeframe as text. */
typedef struct row_key {
    const char *symbol, *timeframe;
    size_t symbol_len, timeframe_len;
} row_key;

static const char UPSERT_INSTRUMENT[] =
    "INSERT INTO instruments (symbol, market, board, price_decimals, qty_decimals)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (symbol) DO UPDATE SET market = EXCLUDED.market, board = EXCLUDED.board,"
    " updated_at = now()"
    " WHERE instruments.price_decimals = EXCLUDED.price_decimals"
    " AND instruments.qty_decimals = EXCLUDED.qty_decimals"
    " RETURNING symbol";

static const char INSERT_NEW[] =
    "INSERT INTO bars (symbol, timeframe, ts, open, high, low, close, volume)"
    " SELECT $1, $2, ts, open, high, low, close, volume FROM stom_import_bars"
    " ON CONFLICT DO NOTHING";

static int check_bar(const stom_bars *b, size_t i, stom_errbuf *eb)
{
    const char *why = NULL;
    if (i > 0 && b->ts[i] <= b->ts[i - 1])
        why = "its time is not after the previous bar's";
    else if (b->low[i] < 0 || b->volume[i] < 0)
        why = "low or volume is negative";
    else if (b->open[i] < b->low[i] || b->open[i] > b->high[i])
        why = "open is outside [low, high]";
    else if (b->close[i] < b->low[i] || b->close[i] > b->high[i])
        why = "close is outside [low, high]";
    if (why == NULL)
        return STOM_OK;
    return stom_errorf(eb, STOM_EINVAL, "%s bar %zu (ts %lld): %s", b->inst.symbol, i + 1,
                       (long long)b->ts[i], why);
}

static int validate(const stom_bars *b, const char *timeframe, stom_errbuf *eb)
{
    int rc = stom_timeframe_check(timeframe, eb);
    if (rc == STOM_OK)
        rc = stom_symbol_check(b->inst.symbol, eb);
    if (rc == STOM_OK && b->len == 0)
        rc = stom_errorf(eb, STOM_EINVAL, "%s: no bars to import", b->inst.symbol);
    for (size_t i = 0; rc == STOM_OK && i < b->len; i++)
        rc = check_bar(b, i, eb);
    return rc;
}

/* The instrument is stored with other scales: say which, refuse. */
static int scales_differ(stom_db *db, const stom_instrument *inst, stom_errbuf *eb)
{
    const char *params[] = {inst->symbol};
    PGresult *res = NULL;
    int rc = stom_db_query(db,
                           "SELECT market, board, price_decimals, qty_decimals FROM instruments"
                           " WHERE symbol = $1",
                           1, params, PGRES_TUPLES_OK, "reading the instrument", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 1)
        stom_errorf(eb, STOM_EINVAL,
                    "%s is stored as %s %s with %s price and %s quantity decimals; these bars have "
                    "%d and %d: import them with the stored market, or under another symbol",
                    inst->symbol, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
                    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), inst->price_decimals,
                    inst->qty_decimals);
    PQclear(res);
    return STOM_EINVAL;
}

static int upsert_instrument(stom_db *db, const stom_instrument *inst, stom_errbuf *eb)
{
    char pd[16], qd[16];
    snprintf(pd, sizeof pd, "%d", inst->price_decimals);
    snprintf(qd, sizeof qd, "%d", inst->qty_decimals);
    stom_board board = inst->market == STOM_MARKET_KRX ? inst->board : STOM_BOARD_NONE;
    const char *params[] = {inst->symbol, stom_market_name(inst->market), stom_board_name(board),
                            pd, qd};
    PGresult *res = NULL;
    int rc = stom_db_query(db, UPSERT_INSTRUMENT, 5, params, PGRES_TUPLES_OK,
                           "storing the instrument", &res, eb);
    if (rc != STOM_OK)
        return rc;
    /* No row back: the WHERE of DO UPDATE found other scales. */
    bool stored = PQntuples(res) == 1;
    PQclear(res);
    return stored ? STOM_OK : scales_differ(db, inst, eb);
}

static unsigned char *put_text(unsigned char *p, const char *s, size_t n)
{
    stom__put_be32(p, (uint32_t)n);
    memcpy(p + 4, s, n);
    return p + 4 + n;
}

/* One COPY tuple; with key, the symbol and timeframe fields first. Returns its bytes. */
static size_t encode_row(unsigned char *start, const stom_bars *b, size_t i, const row_key *key)
{
    const int64_t v[6] = {b->ts[i], b->open[i], b->high[i], b->low[i], b->close[i], b->volume[i]};
    unsigned char *p = start;
    stom__put_be16(p, key ? 8 : 6);
    p += 2;
    if (key != NULL) {
        p = put_text(p, key->symbol, key->symbol_len);
        p = put_text(p, key->timeframe, key->timeframe_len);
    }
    for (int k = 0; k < 6; k++, p += 12) {
        stom__put_be32(p, 8);
        stom__put_be64(p + 4, (uint64_t)v[k]);
    }
    return (size_t)(p - start);
}

/* Streams the header, every row and the trailer. False when the connection fails. */
static bool send_rows(PGconn *conn, const stom_bars *b, const row_key *key)
{
    size_t row_max = ROW_BYTES + (key ? 8 + key->symbol_len + key->timeframe_len : 0);
    unsigned char *buf = stom_xmalloc(COPY_BUFFER);
    memcpy(buf, stom__copy_signature, sizeof stom__copy_signature);
    memset(buf + sizeof stom__copy_signature, 0, 8); /* flags, header extension length */
    size_t n = STOM_COPY_HEADER_LEN;
    bool ok = true;
    for (size_t i = 0; ok && i < b->len; i++) {
        if (n + row_max > COPY_BUFFER) {
            ok = PQputCopyData(conn, (const char *)buf, (int)n) == 1;
            n = 0;
        }
        n += encode_row(buf + n, b, i, key);
    }
    stom__put_be16(buf + n, 0xFFFF); /* the trailer: a field count of -1 */
    n += 2;
    ok = ok && PQputCopyData(conn, (const char *)buf, (int)n) == 1;
    free(buf);
    return ok;
}

/* Runs the COPY ... FROM STDIN statement sql with the rows of b. */
static int copy_rows(stom_db *db, const char *sql, const stom_bars *b, const row_key *key,
                     stom_errbuf *eb)
{
    int rc = stom_db_copy_begin(db, sql, "starting the COPY of bars", eb);
    if (rc != STOM_OK)
        return rc;
    bool sent = send_rows(stom_db_conn(db), b, key);
    return stom_db_copy_end(db, sent, "copying the bars", eb);
}

/* Serialises imports of one series until the transaction ends. */
static int lock_series(stom_db *db, const char *symbol, const char *timeframe, stom_errbuf *eb)
{
    char name[STOM_SYMBOL_MAX + STOM_TIMEFRAME_MAX + 8];
    snprintf(name, sizeof name, "bars:%s/%s", symbol, timeframe);
    const char *params[] = {name};
    return stom_db_query(db, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", 1, params,
                         PGRES_TUPLES_OK, "locking the series", NULL, eb);
}

/* Whether a stored bar of the series lies within the new bars' span. */
static int any_stored(stom_db *db, const stom_bars *b, const char *timeframe, bool *any,
                      stom_errbuf *eb)
{
    char first[24], last[24];
    snprintf(first, sizeof first, "%lld", (long long)b->ts[0]);
    snprintf(last, sizeof last, "%lld", (long long)b->ts[b->len - 1]);
    const char *params[] = {b->inst.symbol, timeframe, first, last};
    PGresult *res = NULL;
    int rc = stom_db_query(db,
                           "SELECT EXISTS (SELECT 1 FROM bars WHERE symbol = $1 AND timeframe = $2"
                           " AND ts BETWEEN $3 AND $4)",
                           4, params, PGRES_TUPLES_OK, "looking for stored bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *any = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return STOM_OK;
}

static int insert_new(stom_db *db, const char *symbol, const char *timeframe, size_t *inserted,
                      stom_errbuf *eb)
{
    const char *params[] = {symbol, timeframe};
    PGresult *res = NULL;
    int rc =
        stom_db_query(db, INSERT_NEW, 2, params, PGRES_COMMAND_OK, "storing the bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *inserted = (size_t)strtoull(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return STOM_OK;
}

/* Through a temporary table: only rows not stored yet are inserted. */
static int merge_rows(stom_db *db, const stom_bars *b, const char *timeframe, size_t *inserted,
                      stom_errbuf *eb)
{
    int rc = stom_db_exec(db,
                          "CREATE TEMPORARY TABLE stom_import_bars (ts bigint, open bigint,"
                          " high bigint, low bigint, close bigint, volume bigint) ON COMMIT DROP",
                          eb);
    if (rc == STOM_OK)
        rc = copy_rows(db, "COPY stom_import_bars FROM STDIN (FORMAT binary)", b, NULL, eb);
    if (rc == STOM_OK)
        rc = insert_new(db, b->inst.symbol, timeframe, inserted, eb);
    return rc;
}

static int store_rows(stom_db *db, const stom_bars *b, const char *timeframe, size_t *inserted,
                      stom_errbuf *eb)
{
    bool any = true;
    int rc = lock_series(db, b->inst.symbol, timeframe, eb);
    if (rc == STOM_OK)
        rc = any_stored(db, b, timeframe, &any, eb);
    if (rc != STOM_OK || any)
        return rc == STOM_OK ? merge_rows(db, b, timeframe, inserted, eb) : rc;
    row_key key = {b->inst.symbol, timeframe, strlen(b->inst.symbol), strlen(timeframe)};
    rc = copy_rows(db,
                   "COPY bars (symbol, timeframe, ts, open, high, low, close, volume)"
                   " FROM STDIN (FORMAT binary)",
                   b, &key, eb);
    *inserted = rc == STOM_OK ? b->len : 0;
    return rc;
}

int stom_store_import_bars(stom_db *db, const stom_bars *bars, const char *timeframe,
                           stom_import_stats *stats, stom_errbuf *eb)
{
    int rc = validate(bars, timeframe, eb);
    if (rc != STOM_OK)
        return rc;
    rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    size_t inserted = 0;
    rc = upsert_instrument(db, &bars->inst, eb);
    if (rc == STOM_OK)
        rc = store_rows(db, bars, timeframe, &inserted, eb);
    if (rc == STOM_OK)
        rc = stom_db_commit(db, eb);
    if (rc != STOM_OK) {
        stom_db_rollback(db);
        return rc;
    }
    if (stats != NULL)
        *stats = (stom_import_stats){bars->len, inserted, bars->len - inserted};
    return STOM_OK;
}
