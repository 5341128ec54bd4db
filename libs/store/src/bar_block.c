/*
 * bar_block.c - spans, block starts and the packed column layout of a bar
 * block, and reading block rows from binary query results (see
 * bar_block.h; migrations/0003_bar_blocks.sql's bar_block_span() must agree
 * with the spans here, which test_bar_blocks checks).
 *
 * Decoding is the hot loop of a load: one pass per column over contiguous
 * big-endian words, which the compiler turns into a load and a byte swap.
 */
#include "bar_block.h"

#include <string.h>

#include "store_internal.h"

int64_t stom__block_span(const char *timeframe)
{
    if (strcmp(timeframe, "1s") == 0)
        return 3600;
    if (strcmp(timeframe, "1m") == 0)
        return 86400;
    if (strcmp(timeframe, "1d") == 0)
        return 1024 * 86400;
    return 0;
}

int64_t stom__block_start(int64_t ts, int64_t span)
{
    /* C's % truncates toward zero; a negative remainder moves to the block below. */
    int64_t r = ts % span;
    return r < 0 ? ts - r - span : ts - r;
}

int64_t stom__block_first(int64_t from_ts, int64_t span)
{
    return stom__block_start(from_ts < STOM_BLOCK_TS_MIN ? STOM_BLOCK_TS_MIN : from_ts, span);
}

int64_t stom__block_value(const unsigned char *data, size_t n, int column, size_t k)
{
    return (int64_t)stom__get_be64(data + 8 * ((size_t)column * n + k));
}

size_t stom__block_lower_bound(const unsigned char *data, size_t n, int64_t ts)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (stom__block_value(data, n, 0, mid) < ts)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void encode_column(const int64_t *src, size_t n, unsigned char *out)
{
    for (size_t k = 0; k < n; k++)
        stom__put_be64(out + 8 * k, (uint64_t)src[k]);
}

void stom__block_encode(const stom_bars *b, size_t first, size_t n, unsigned char *out)
{
    const int64_t *cols[STOM_BLOCK_COLUMNS] = {b->ts,  b->open,  b->high,
                                               b->low, b->close, b->volume};
    for (int c = 0; c < STOM_BLOCK_COLUMNS; c++)
        encode_column(cols[c] + first, n, out + 8 * (size_t)c * n);
}

static void decode_column(const unsigned char *src, size_t count, int64_t *dst)
{
    for (size_t k = 0; k < count; k++)
        dst[k] = (int64_t)stom__get_be64(src + 8 * k);
}

void stom__block_decode(const unsigned char *data, size_t n, size_t lo, size_t hi, stom_bars *out)
{
    int64_t *cols[STOM_BLOCK_COLUMNS] = {out->ts,  out->open,  out->high,
                                         out->low, out->close, out->volume};
    for (int c = 0; c < STOM_BLOCK_COLUMNS; c++)
        decode_column(data + 8 * ((size_t)c * n + lo), hi - lo, cols[c] + out->len);
    out->len += hi - lo;
}

static bool field_is(PGresult *res, int row, int col, int len)
{
    return !PQgetisnull(res, row, col) && PQgetlength(res, row, col) == len;
}

int stom__block_row(PGresult *res, int row, stom_block_row *out, stom_errbuf *eb)
{
    const char *why = NULL;
    if (PQnfields(res) != 5 || PQfformat(res, 0) != 1)
        why = "not the five binary columns of a block";
    else if (!field_is(res, row, 0, 8) || !field_is(res, row, 1, 8) || !field_is(res, row, 2, 8) ||
             !field_is(res, row, 3, 4) || PQgetisnull(res, row, 4))
        why = "a key column is not an integer";
    if (why != NULL)
        return stom_errorf(eb, STOM_EIO, "reading a bar block: %s", why);
    const unsigned char *const v[4] = {(const unsigned char *)PQgetvalue(res, row, 0),
                                       (const unsigned char *)PQgetvalue(res, row, 1),
                                       (const unsigned char *)PQgetvalue(res, row, 2),
                                       (const unsigned char *)PQgetvalue(res, row, 3)};
    uint32_t n = stom__get_be32(v[3]);
    out->block_start = (int64_t)stom__get_be64(v[0]);
    out->first_ts = (int64_t)stom__get_be64(v[1]);
    out->last_ts = (int64_t)stom__get_be64(v[2]);
    out->n = n;
    out->data = (const unsigned char *)PQgetvalue(res, row, 4);
    if (n < 1 || n > STOM_BLOCK_MAX_BARS ||
        (size_t)PQgetlength(res, row, 4) != (size_t)n * STOM_BLOCK_BAR_BYTES)
        return stom_errorf(eb, STOM_EIO,
                           "reading a bar block: block %lld holds %u bars in %d bytes, not 48 each",
                           (long long)out->block_start, n, PQgetlength(res, row, 4));
    /* Loads trust first_ts and last_ts to skip trimming: they must be the data's. */
    if (stom__block_value(out->data, n, 0, 0) != out->first_ts ||
        stom__block_value(out->data, n, 0, n - 1) != out->last_ts)
        return stom_errorf(eb, STOM_EIO,
                           "reading a bar block: block %lld's first or last bar is not its "
                           "first_ts or last_ts",
                           (long long)out->block_start);
    return STOM_OK;
}
