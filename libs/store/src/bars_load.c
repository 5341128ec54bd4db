/*
 * bars_load.c - loading one series fast from its bar blocks.
 *
 * One query fetches the blocks that hold bars of [from, to), ordered by
 * block_start, in binary format (a minute series is one row a day, about
 * 2,600 rows for a million bars). The blocks are checked, the output is
 * reserved to their total, and each block's columns are byte-swapped
 * straight into the stom_bars columns; only the (at most two) blocks that
 * straddle an end of the range are trimmed, by binary search on their ts
 * column. Blocks never overlap in time and each is in ts order, so the
 * result is in ts order without a sort.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "bar_block.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

/* Bounds outside years 0001..9999 are printed as open ends. */
#define TS_MIN_PRINTABLE (-62135596800LL)
#define TS_MAX_PRINTABLE 253402300799LL

/*
 * $3 is the first block that can hold from_ts; the last_ts and first_ts
 * conditions drop blocks whose bars all lie outside the range.
 */
static const char LOAD_SQL[] = "SELECT " STOM_BLOCK_SELECT " FROM bar_blocks"
                               " WHERE symbol = $1 AND timeframe = $2"
                               " AND block_start >= $3 AND block_start < $5"
                               " AND last_ts >= $4 AND first_ts < $5"
                               " ORDER BY block_start";

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
                           "SELECT EXISTS (SELECT 1 FROM bar_blocks WHERE symbol = $1"
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

/* Checks every block and their order; *total gets their bars. */
static int check_blocks(PGresult *res, size_t *total, stom_errbuf *eb)
{
    stom_block_row b;
    int64_t previous_last = 0;
    *total = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        int rc = stom__block_row(res, r, &b, eb);
        if (rc != STOM_OK)
            return rc;
        if (r > 0 && b.first_ts <= previous_last)
            return stom_errorf(eb, STOM_EIO, "bar block %lld overlaps the one before it",
                               (long long)b.block_start);
        previous_last = b.last_ts;
        *total += b.n;
    }
    return STOM_OK;
}

/* Appends the bars of every block with from_ts <= ts < to_ts. The blocks were checked. */
static void decode_blocks(PGresult *res, int64_t from_ts, int64_t to_ts, stom_bars *out)
{
    stom_block_row b;
    for (int r = 0; r < PQntuples(res); r++) {
        stom__block_row(res, r, &b, NULL);
        size_t lo = b.first_ts >= from_ts ? 0 : stom__block_lower_bound(b.data, b.n, from_ts);
        size_t hi = b.last_ts < to_ts ? b.n : stom__block_lower_bound(b.data, b.n, to_ts);
        stom__block_decode(b.data, b.n, lo, hi, out);
    }
}

static int fetch_blocks(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                        int64_t to_ts, stom_bars *out, stom_errbuf *eb)
{
    char lo[24], from[24], to[24];
    snprintf(lo, sizeof lo, "%lld",
             (long long)stom__block_first(from_ts, stom__block_span(timeframe)));
    snprintf(from, sizeof from, "%lld", (long long)from_ts);
    snprintf(to, sizeof to, "%lld", (long long)to_ts);
    const char *params[] = {symbol, timeframe, lo, from, to};
    PGresult *res = NULL;
    int rc = stom__db_query_binary(db, LOAD_SQL, 5, params, "loading bars", &res, eb);
    if (rc != STOM_OK)
        return rc;
    size_t total = 0;
    rc = check_blocks(res, &total, eb);
    if (rc == STOM_OK && total > 0) {
        stom_bars_reserve(out, total);
        decode_blocks(res, from_ts, to_ts, out);
    }
    PQclear(res);
    return rc;
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
    rc = fetch_blocks(db, symbol, timeframe, from_ts, to_ts, out, eb);
    if (rc == STOM_OK && out->len == 0)
        rc = explain_empty(db, symbol, timeframe, from_ts, to_ts, eb);
    if (rc != STOM_OK)
        stom_bars_free(out);
    return rc;
}
