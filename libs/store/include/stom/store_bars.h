/*
 * stom/store_bars.h - bars and instruments in PostgreSQL: bulk import, the
 * list of stored data sets, and fast loading into a stom_bars series.
 *
 * Tables: instruments(symbol, market, board, price_decimals, qty_decimals,
 * ...) (libs/store/migrations/0001_bars.sql) and bar_blocks(symbol,
 * timeframe, block_start, first_ts, last_ts, n, data) (0003_bar_blocks.sql):
 * one row per series and time block (an hour of 1s bars, a day of 1m bars,
 * 1024 days of 1d bars) with the block's bars packed column by column in
 * data. A bar is unique per (symbol, timeframe, ts); ts is UTC seconds of
 * the bar's start, prices in the instrument's price units. Timeframes are
 * the strings "1s", "1m" and "1d". docs/storage.md describes the layout.
 *
 * Thread-safety: as stom/store.h (one stom_db per thread).
 */
#ifndef STOM_STORE_BARS_H
#define STOM_STORE_BARS_H

#include <stddef.h>
#include <stdint.h>

#include "stom/bars.h"
#include "stom/store.h"

#define STOM_TIMEFRAME_MAX 8

/* Returns 0 when tf is "1s", "1m" or "1d", otherwise STOM_EINVAL naming the choices. */
int stom_timeframe_check(const char *tf, stom_errbuf *eb);
/*
 * Returns 0 when symbol can be stored: 1 to STOM_SYMBOL_MAX-1 ASCII letters
 * and digits, after the first also '.', '_', '/', '-' (the instruments
 * table's CHECK); otherwise STOM_EINVAL saying so.
 */
int stom_symbol_check(const char *symbol, stom_errbuf *eb);

typedef struct stom_import_stats {
    size_t rows;     /* rows in the input */
    size_t inserted; /* rows new to the table */
    size_t existing; /* rows already stored (same symbol, timeframe, ts): left as they were */
} stom_import_stats;

/*
 * Stores bars (whose inst names the symbol, market, board and scales) under
 * timeframe in one transaction: the series is validated first (a malformed
 * one is refused whole, eb naming the first bad bar), the instrument row is
 * inserted or updated, and under a per-series lock (imports of one series
 * run one at a time) the bars are merged into the stored blocks they touch.
 * A bar already stored with the same ts is kept as it was and the incoming
 * one dropped, so re-importing the same bars adds nothing. On any failure
 * nothing is stored. Returns 0, STOM_EINVAL (bad timeframe, symbol or bar,
 * empty series, a time before -2^62 s, more than 2^20 bars in one block,
 * or an instrument already stored with other scales), or STOM_EIO. stats
 * may be NULL. Borrows bars.
 */
int stom_store_import_bars(stom_db *db, const stom_bars *bars, const char *timeframe,
                           stom_import_stats *stats, stom_errbuf *eb);

/* One stored data set, for `stom data list`. */
typedef struct stom_data_set {
    char symbol[STOM_SYMBOL_MAX];
    char timeframe[STOM_TIMEFRAME_MAX];
    char market[16];           /* "krx", "us", "crypto" */
    char board[16];            /* "KOSPI", "KOSDAQ", ... "NONE" */
    int64_t first_ts, last_ts; /* UTC seconds */
    int64_t rows;
} stom_data_set;

/*
 * Lists every (symbol, timeframe) stored, ordered by symbol then timeframe,
 * into *out (owned, free()) and *n. Returns 0 or STOM_EIO.
 */
int stom_store_list_data(stom_db *db, stom_data_set **out, size_t *n, stom_errbuf *eb);

/*
 * Loads symbol's bars of timeframe with from_ts <= ts < to_ts (UTC seconds)
 * into *out (initialised here with the stored instrument and its scales;
 * release with stom_bars_free), in ts order. Returns 0, STOM_EINVAL (bad
 * symbol or timeframe), STOM_ENOTFOUND when the symbol is not stored or has
 * no bar of this timeframe at all, STOM_EEMPTY when it has bars but none in
 * the range (eb says which range), or STOM_EIO. *out is empty on failure.
 */
int stom_store_load_bars(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                         int64_t to_ts, stom_bars *out, stom_errbuf *eb);

/* Counts symbol's bars of timeframe in [from_ts, to_ts) into *rows. 0 or STOM_EIO. */
int stom_store_count_bars(stom_db *db, const char *symbol, const char *timeframe, int64_t from_ts,
                          int64_t to_ts, int64_t *rows, stom_errbuf *eb);

#endif
