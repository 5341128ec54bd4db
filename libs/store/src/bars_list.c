/*
 * bars_list.c - what is stored: one row per (symbol, timeframe) with its
 * first and last bar and its count, and counts over a range.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "stom/alloc.h"
#include "stom/store_bars.h"

/* Symbols sort bytewise (COLLATE "C"), whatever the server's locale. */
static const char LIST_SQL[] =
    "SELECT b.symbol, b.timeframe, i.market, i.board, min(b.ts), max(b.ts), count(*)"
    " FROM bars b JOIN instruments i ON i.symbol = b.symbol"
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

int stom_store_count_bars(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                          int64_t to_ts, int64_t *rows, stom_errbuf *eb)
{
    char from[24], to[24];
    snprintf(from, sizeof from, "%lld", (long long)from_ts);
    snprintf(to, sizeof to, "%lld", (long long)to_ts);
    const char *params[] = {symbol, timeframe, from, to};
    PGresult *res = NULL;
    int rc = stom_db_query(db,
                           "SELECT count(*) FROM bars WHERE symbol = $1 AND timeframe = $2"
                           " AND ts >= $3 AND ts < $4",
                           4, params, PGRES_TUPLES_OK, "counting bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *rows = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return STOM_OK;
}
