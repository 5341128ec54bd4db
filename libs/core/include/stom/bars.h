/*
 * stom/bars.h - columnar OHLCV bar series and their CSV loader.
 *
 * A series holds one instrument's bars in time order, one array per column,
 * so that a backtest walks memory linearly. Prices are in the instrument's
 * price units, volume in its quantity units, timestamps in UTC seconds of the
 * bar's start (a date without a time is midnight at the loader's UTC offset,
 * KST by default).
 *
 * Invariants after a successful load: len >= 1, ts strictly increasing,
 * 0 <= low <= open, close <= high, volume >= 0.
 *
 * Thread-safety: a series is a plain value; concurrent reads are safe,
 * writes need external locking.
 */
#ifndef STOM_BARS_H
#define STOM_BARS_H

#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/instrument.h"

typedef struct stom_bars {
    stom_instrument inst;
    size_t len, cap;
    int64_t *ts; /* UTC seconds of the bar's start */
    int64_t *open, *high, *low, *close;
    int64_t *volume;
} stom_bars;

/* Makes *b an empty series of inst (copied). Owns nothing yet. */
void stom_bars_init(stom_bars *b, const stom_instrument *inst);
/* Grows the columns to hold at least cap bars. */
void stom_bars_reserve(stom_bars *b, size_t cap);
/* Appends one bar (no validation: loaders validate). */
void stom_bars_push(stom_bars *b, int64_t ts, int64_t open, int64_t high, int64_t low,
                    int64_t close, int64_t volume);
/* Releases the columns; *b is empty afterwards. NULL is a no-op. */
void stom_bars_free(stom_bars *b);
/*
 * Keeps only bars with from <= ts < to (UTC seconds), in place.
 * Returns the number kept.
 */
size_t stom_bars_slice(stom_bars *b, int64_t from, int64_t to);

typedef struct stom_csv_options {
    int utc_offset_minutes; /* for timestamps without an offset; KST = +540 (the default) */
    size_t max_line_bytes;  /* a longer line is refused; 0 means 4096 */
    size_t max_rows;        /* more rows are refused; 0 means 100,000,000 */
} stom_csv_options;

/* What a load skipped without refusing the file. */
typedef struct stom_csv_stats {
    size_t rows;         /* bars kept */
    size_t skipped_halt; /* rows with open = high = low = volume = 0 (halt or calendar filler) */
} stom_csv_stats;

/* Sets the defaults described in stom_csv_options. */
void stom_csv_options_default(stom_csv_options *opt);

/*
 * Parses CSV text (data, len; need not be NUL-terminated) into *out, whose
 * instrument (scales) must be set by stom_bars_init. The header decides the
 * format (see docs/data-formats.md): Yahoo `Date,Open,High,Low,Close,Volume`,
 * intraday `Date,Time,Open,...`, `Datetime,...` with a +09:00 offset, and
 * Korean exports `일자|날짜,시가,고가,저가,종가,거래량`; names match
 * case-insensitively, extra columns are ignored, a UTF-8 BOM is skipped.
 * Malformed input is refused whole: *out is left empty, eb says
 * "<name>:<line>: <what>" and the return is STOM_EFORMAT (or STOM_ETOOBIG,
 * STOM_EEMPTY). stats may be NULL.
 */
int stom_bars_parse_csv(stom_bars *out, const char *data, size_t len, const char *name,
                        const stom_csv_options *opt, stom_csv_stats *stats, stom_errbuf *eb);

/* Reads the file at path and parses it as stom_bars_parse_csv. STOM_EIO if unreadable. */
int stom_bars_load_csv(stom_bars *out, const char *path, const stom_csv_options *opt,
                       stom_csv_stats *stats, stom_errbuf *eb);

#endif
