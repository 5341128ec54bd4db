/*
 * block_copy.c - streaming bar blocks into bar_blocks with one binary COPY.
 *
 * Each block is one COPY tuple of seven fields: symbol, timeframe (text
 * bytes), block_start, first_ts, last_ts (int8), n (int4) and data (the
 * packed columns, bar_block.h). Tuples are built in one buffer that is sent
 * whenever the next tuple would not fit; a tuple larger than the buffer
 * (a block of more than ~21,000 bars) grows it instead.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bar_block.h"
#include "stom/alloc.h"

#define COPY_BUFFER (1 << 20)
/* A tuple without its text and data: field count, seven lengths, four int8, one int4. */
#define TUPLE_FIXED (2 + 7 * 4 + 4 * 8 + 4)

struct stom_block_copy {
    stom_db *db;
    const char *symbol, *timeframe;
    size_t symbol_len, timeframe_len;
    unsigned char *buf;
    size_t len, cap;
    bool ok; /* false once a send failed: the COPY is then aborted */
};

static void flush(stom_block_copy *c)
{
    if (c->ok && c->len > 0)
        c->ok = PQputCopyData(stom_db_conn(c->db), (const char *)c->buf, (int)c->len) == 1;
    c->len = 0;
}

/* Room for need more bytes at c->buf + c->len. */
static unsigned char *room(stom_block_copy *c, size_t need)
{
    if (c->len + need > c->cap) {
        flush(c);
        if (need > c->cap) {
            c->buf = stom_xrealloc(c->buf, need);
            c->cap = need;
        }
    }
    return c->buf + c->len;
}

int stom__block_copy_begin(stom_db *db, const char *symbol, const char *timeframe,
                           stom_block_copy **out, stom_errbuf *eb)
{
    int rc =
        stom_db_copy_begin(db,
                           "COPY bar_blocks (symbol, timeframe, block_start, first_ts, last_ts,"
                           " n, data) FROM STDIN (FORMAT binary)",
                           "starting the COPY of bar blocks", eb);
    if (rc != STOM_OK)
        return rc;
    stom_block_copy *c = stom_xcalloc(1, sizeof *c);
    c->db = db;
    c->symbol = symbol;
    c->timeframe = timeframe;
    c->symbol_len = strlen(symbol);
    c->timeframe_len = strlen(timeframe);
    c->buf = stom_xmalloc(COPY_BUFFER);
    c->cap = COPY_BUFFER;
    c->ok = true;
    memcpy(c->buf, stom__copy_signature, sizeof stom__copy_signature);
    memset(c->buf + sizeof stom__copy_signature, 0, 8); /* flags, header extension length */
    c->len = STOM_COPY_HEADER_LEN;
    *out = c;
    return STOM_OK;
}

static unsigned char *put_bytes(unsigned char *p, const void *s, size_t n)
{
    stom__put_be32(p, (uint32_t)n);
    memcpy(p + 4, s, n);
    return p + 4 + n;
}

static unsigned char *put_int8(unsigned char *p, int64_t v)
{
    stom__put_be32(p, 8);
    stom__put_be64(p + 4, (uint64_t)v);
    return p + 12;
}

void stom__block_copy_put(stom_block_copy *c, int64_t block_start, const stom_bars *b, size_t first,
                          size_t n)
{
    size_t data_len = n * STOM_BLOCK_BAR_BYTES;
    unsigned char *start = room(c, TUPLE_FIXED + c->symbol_len + c->timeframe_len + data_len);
    unsigned char *p = start;
    stom__put_be16(p, 7);
    p = put_bytes(p + 2, c->symbol, c->symbol_len);
    p = put_bytes(p, c->timeframe, c->timeframe_len);
    p = put_int8(p, block_start);
    p = put_int8(p, b->ts[first]);
    p = put_int8(p, b->ts[first + n - 1]);
    stom__put_be32(p, 4);
    stom__put_be32(p + 4, (uint32_t)n);
    stom__put_be32(p + 8, (uint32_t)data_len);
    p += 12;
    stom__block_encode(b, first, n, p);
    c->len += (size_t)(p + data_len - start);
}

int stom__block_copy_end(stom_block_copy *c, stom_errbuf *eb)
{
    stom__put_be16(room(c, 2), 0xFFFF); /* the trailer: a field count of -1 */
    c->len += 2;
    flush(c);
    int rc = stom_db_copy_end(c->db, c->ok, "copying the bar blocks", eb);
    free(c->buf);
    free(c);
    return rc;
}
