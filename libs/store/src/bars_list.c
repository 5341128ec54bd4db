/*
 * bars_list.c - what is stored: one row per (symbol, timeframe) with its
 * first and last bar and its count, and counts over a range.
 *
 * Both read the block keys (first_ts, last_ts, n) and never the packed
 * bars, except for an exact range count: the blocks wholly inside the range
 * count by n, and the at most two that straddle an end of it (blocks never
 * overlap in time) by a binary search on their ts column.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "bar_block.h"
#include "stom/alloc.h"
#include "stom/store_bars.h"

/* Symbols sort bytewise (COLLATE "C"), whatever the server's locale. */
static const char LIST_SQL[] =
    "SELECT b.symbol, b.timeframe, i.market, i.board, min(b.first_ts), max(b.last_ts), sum(b.n)"
    " FROM bar_blocks b JOIN instruments i ON i.symbol = b.symbol"
    " GROUP BY b.symbol, b.timeframe, i.market, i.board"
    " ORDER BY b.symbol COLLATE \"C\", b.timeframe";

static void copy_field(char *dst, size_t len, PGresult *res, int row, int col)
{
    snprintf(dst, len, "%s", PQgetvalue(res, row, col));
}

static void read_row(PGresult *res, int row, stom_data_set *d)
{
    copy_field(d->symbol, sizeof d->symbol, res, row, 0);
    copy_field(d->timeframe, sizeof d->timeframe, res, row, 1);
    copy_field(d->market, sizeof d->market, res, row, 2);
    copy_field(d->board, sizeof d->board, res, row, 3);
    d->first_ts = strtoll(PQgetvalue(res, row, 4), NULL, 10);
    d->last_ts = strtoll(PQgetvalue(res, row, 5), NULL, 10);
    d->rows = strtoll(PQgetvalue(res, row, 6), NULL, 10);
}

int stom_store_list_data(stom_db *db, stom_data_set **out, size_t *n, stom_errbuf *eb)
{
    PGresult *res = NULL;
    int rc =
        stom_db_query(db, LIST_SQL, 0, NULL, PGRES_TUPLES_OK, "listing the stored bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    int rows = PQntuples(res);
    stom_data_set *sets = stom_xcalloc(rows > 0 ? (size_t)rows : 1, sizeof *sets);
    for (int r = 0; r < rows; r++)
        read_row(res, r, &sets[r]);
    PQclear(res);
    *out = sets;
    *n = (size_t)rows;
    return STOM_OK;
}

/* $3 is the first block that can hold from_ts ($4), as in bars_load.c. */
static const char WHOLE_SQL[] =
    "SELECT coalesce(sum(n), 0) FROM bar_blocks WHERE symbol = $1 AND timeframe = $2"
    " AND block_start >= $3 AND block_start < $5 AND first_ts >= $4 AND last_ts < $5";
static const char EDGE_SQL[] = "SELECT " STOM_BLOCK_SELECT " FROM bar_blocks"
                               " WHERE symbol = $1 AND timeframe = $2"
                               " AND block_start >= $3 AND block_start < $5"
                               " AND last_ts >= $4 AND first_ts < $5"
                               " AND (first_ts < $4 OR last_ts >= $5)";

/* Bars within [from_ts, to_ts) of the blocks that straddle an end of it. */
static int count_edges(stom_db *db, const char *const *params, int64_t from_ts, int64_t to_ts,
                       int64_t *rows, stom_errbuf *eb)
{
    PGresult *res = NULL;
    int rc = stom__db_query_binary(db, EDGE_SQL, 5, params, "counting bars", &res, eb);
    for (int r = 0; rc == STOM_OK && r < PQntuples(res); r++) {
        stom_block_row b;
        rc = stom__block_row(res, r, &b, eb);
        if (rc == STOM_OK)
            *rows += (int64_t)(stom__block_lower_bound(b.data, b.n, to_ts) -
                               stom__block_lower_bound(b.data, b.n, from_ts));
    }
    PQclear(res);
    return rc;
}

int stom_store_count_bars(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                          int64_t to_ts, int64_t *rows, stom_errbuf *eb)
{
    int64_t span = stom__block_span(timeframe);
    if (span == 0) { /* no such timeframe is stored: none of its bars */
        *rows = 0;
        return STOM_OK;
    }
    char lo[24], from[24], to[24];
    snprintf(lo, sizeof lo, "%lld", (long long)stom__block_first(from_ts, span));
    snprintf(from, sizeof from, "%lld", (long long)from_ts);
    snprintf(to, sizeof to, "%lld", (long long)to_ts);
    const char *params[] = {symbol, timeframe, lo, from, to};
    PGresult *res = NULL;
    int rc = stom_db_query(db, WHOLE_SQL, 5, params, PGRES_TUPLES_OK, "counting bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    int64_t n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    rc = count_edges(db, params, from_ts, to_ts, &n, eb);
    if (rc == STOM_OK)
        *rows = n;
    return rc;
}
