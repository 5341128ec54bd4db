/*
 * bar_block.h - the bar block, the unit bars are stored in (table
 * bar_blocks, migrations/0003_bar_blocks.sql): the time span a block covers
 * per timeframe, which block a bar belongs to, and the packed data layout.
 *
 * A block of n bars is 48 * n bytes: six columns one after another (ts,
 * open, high, low, close, volume), each n big-endian int64 in ts order,
 * the bytes PostgreSQL's int8send gives. Bar k's column c is at offset
 * 8 * (c * n + k).
 *
 * Writing goes through a block COPY (block_copy.c: rows streamed into
 * bar_blocks in PostgreSQL's binary COPY format) and, for an import, the
 * merge with what is stored (bars_merge.c).
 *
 * Thread-safety: the layout functions are pure; a stom_block_copy and the
 * merge use one stom_db, so they belong to that connection's thread.
 */
#ifndef STOM_STORE_BAR_BLOCK_H
#define STOM_STORE_BAR_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "stom/bars.h"
#include "stom/store.h"

#define STOM_BLOCK_COLUMNS   6
#define STOM_BLOCK_BAR_BYTES (8 * STOM_BLOCK_COLUMNS)
/* The earliest storable ts (-2^62 s): a block start below it could overflow. */
#define STOM_BLOCK_TS_MIN (-INT64_MAX / 2 - 1)
/* Bars one block may hold (a 1d block of one bar per second would be 88M). */
#define STOM_BLOCK_MAX_BARS (1 << 20)

/* Seconds one block of timeframe covers (3600, 86400, 88473600); 0 if unknown. */
int64_t stom__block_span(const char *timeframe);

/* The start of the block holding ts: floor(ts / span) * span. ts >= STOM_BLOCK_TS_MIN. */
int64_t stom__block_start(int64_t ts, int64_t span);

/*
 * The start of the first block that can hold a bar with ts >= from_ts, for
 * range queries: any from_ts, however far below STOM_BLOCK_TS_MIN.
 */
int64_t stom__block_first(int64_t from_ts, int64_t span);

/* Bar k's column c of a block of n bars. */
int64_t stom__block_value(const unsigned char *data, size_t n, int column, size_t k);

/* The first k in [0, n) whose ts is >= ts, or n. */
size_t stom__block_lower_bound(const unsigned char *data, size_t n, int64_t ts);

/* Writes bars [first, first + n) of b into out (48 * n bytes) in the block layout. Borrows b. */
void stom__block_encode(const stom_bars *b, size_t first, size_t n, unsigned char *out);

/*
 * Appends bars [lo, hi) of a block of n bars to out, which must have room
 * for them (stom_bars_reserve). Borrows data.
 */
void stom__block_decode(const unsigned char *data, size_t n, size_t lo, size_t hi, stom_bars *out);

/* ---- block rows from PostgreSQL ------------------------------------------ */

/* The columns every block query selects, in this order, in binary format. */
#define STOM_BLOCK_SELECT "block_start, first_ts, last_ts, n, data"

typedef struct stom_block_row {
    int64_t block_start, first_ts, last_ts;
    size_t n;
    const unsigned char *data; /* 48 * n bytes, borrowed from the PGresult */
} stom_block_row;

/*
 * Reads row of a binary-format result of STOM_BLOCK_SELECT into *out,
 * checking every length (n from 1 to STOM_BLOCK_MAX_BARS, data 48 * n
 * bytes). Returns 0 or STOM_EIO saying what was malformed. Borrows res.
 */
int stom__block_row(PGresult *res, int row, stom_block_row *out, stom_errbuf *eb);

/* ---- writing blocks ------------------------------------------------------- */

typedef struct stom_block_copy stom_block_copy;

/*
 * Starts COPY bar_blocks FROM STDIN (binary) for symbol's timeframe blocks
 * and sets *out. Returns 0 or STOM_EIO. Borrows symbol and timeframe until
 * _end.
 */
int stom__block_copy_begin(stom_db *db, const char *symbol, const char *timeframe,
                           stom_block_copy **out, stom_errbuf *eb);
/* Sends bars [first, first + n) of b (n >= 1, all in one block) as one row. Borrows b. */
void stom__block_copy_put(stom_block_copy *c, int64_t block_start, const stom_bars *b, size_t first,
                          size_t n);
/*
 * Ends the COPY (aborting it if a send failed) and frees c. Returns 0 or
 * STOM_EIO with the server's reason (a COPY error shows only here). Takes c.
 */
int stom__block_copy_end(stom_block_copy *c, stom_errbuf *eb);

/*
 * Stores b (validated, in ts order) as timeframe blocks of its symbol,
 * inside the caller's transaction and series lock: blocks no stored block
 * shares are written as they are; a stored block the bars touch is merged
 * with them (a stored bar wins over an incoming one with the same ts) and
 * replaced only when something was added. *inserted gets the number of
 * bars new to the store. Returns 0, STOM_EINVAL (a block would exceed
 * STOM_BLOCK_MAX_BARS) or STOM_EIO. Borrows b.
 */
int stom__bars_write_blocks(stom_db *db, const stom_bars *b, const char *timeframe,
                            size_t *inserted, stom_errbuf *eb);

#endif
