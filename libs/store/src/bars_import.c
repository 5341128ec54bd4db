/*
 * bars_import.c - storing a bar series in one transaction: the instrument
 * row, then the series' bar blocks.
 *
 * The series is validated here first (ordering, price invariants, a
 * storable time), so a refusal names the bar instead of a constraint and
 * nothing reaches the database. Imports of one series (symbol, timeframe)
 * are serialised by a transaction-scoped advisory lock, under which
 * bars_merge.c reads the stored blocks the bars touch, merges and writes
 * the changed ones. Any failure rolls the whole transaction back.
 */
#include "store_internal.h"

#include <stdio.h>

#include "bar_block.h"
#include "stom/store_bars.h"

static const char UPSERT_INSTRUMENT[] =
    "INSERT INTO instruments (symbol, market, board, price_decimals, qty_decimals)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (symbol) DO UPDATE SET market = EXCLUDED.market, board = EXCLUDED.board,"
    " updated_at = now()"
    " WHERE instruments.price_decimals = EXCLUDED.price_decimals"
    " AND instruments.qty_decimals = EXCLUDED.qty_decimals"
    " RETURNING symbol";

static int check_bar(const stom_bars *b, size_t i, stom_errbuf *eb)
{
    const char *why = NULL;
    if (i > 0 && b->ts[i] <= b->ts[i - 1])
        why = "its time is not after the previous bar's";
    else if (b->ts[i] < STOM_BLOCK_TS_MIN)
        why = "its time is before the earliest storable (-2^62 s)";
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

/* Serialises imports of one series until the transaction ends. */
static int lock_series(stom_db *db, const char *symbol, const char *timeframe, stom_errbuf *eb)
{
    char name[STOM_SYMBOL_MAX + STOM_TIMEFRAME_MAX + 8];
    snprintf(name, sizeof name, "bars:%s/%s", symbol, timeframe);
    const char *params[] = {name};
    return stom_db_query(db, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", 1, params,
                         PGRES_TUPLES_OK, "locking the series", NULL, eb);
}

static int store_blocks(stom_db *db, const stom_bars *b, const char *timeframe, size_t *inserted,
                        stom_errbuf *eb)
{
    int rc = lock_series(db, b->inst.symbol, timeframe, eb);
    if (rc == STOM_OK)
        rc = stom__bars_write_blocks(db, b, timeframe, inserted, eb);
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
        rc = store_blocks(db, bars, timeframe, &inserted, eb);
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
