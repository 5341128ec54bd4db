/*
 * bars.c - the columnar OHLCV series (see stom/bars.h).
 *
 * Six parallel arrays share one length and one capacity; every function
 * keeps them in step. The CSV loader lives in csv_bars.c.
 */
#include "stom/bars.h"

#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

void stom_bars_init(stom_bars *b, const stom_instrument *inst)
{
    memset(b, 0, sizeof *b);
    if (inst != NULL)
        b->inst = *inst;
}

static int64_t *grow_column(int64_t *col, size_t cap)
{
    return stom_xrealloc(col, cap * sizeof *col);
}

void stom_bars_reserve(stom_bars *b, size_t cap)
{
    if (cap <= b->cap)
        return;
    if (cap > SIZE_MAX / sizeof(int64_t))
        cap = SIZE_MAX / sizeof(int64_t); /* stom_xrealloc then aborts: OOM is fatal */
    b->ts = grow_column(b->ts, cap);
    b->open = grow_column(b->open, cap);
    b->high = grow_column(b->high, cap);
    b->low = grow_column(b->low, cap);
    b->close = grow_column(b->close, cap);
    b->volume = grow_column(b->volume, cap);
    b->cap = cap;
}

void stom_bars_push(stom_bars *b, int64_t ts, int64_t open, int64_t high, int64_t low,
                    int64_t close, int64_t volume)
{
    if (b->len == b->cap)
        stom_bars_reserve(b, b->cap < 16 ? 16 : b->cap * 2);
    size_t i = b->len++;
    b->ts[i] = ts;
    b->open[i] = open;
    b->high[i] = high;
    b->low[i] = low;
    b->close[i] = close;
    b->volume[i] = volume;
}

void stom_bars_free(stom_bars *b)
{
    if (b == NULL)
        return;
    free(b->ts);
    free(b->open);
    free(b->high);
    free(b->low);
    free(b->close);
    free(b->volume);
    /* The instrument stays: a freed series can be loaded again. */
    b->ts = b->open = b->high = b->low = b->close = b->volume = NULL;
    b->len = b->cap = 0;
}

size_t stom_bars_slice(stom_bars *b, int64_t from, int64_t to)
{
    /* A linear pass rather than a binary search: it stays right even for unsorted pushes. */
    size_t kept = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->ts[i] < from || b->ts[i] >= to)
            continue;
        b->ts[kept] = b->ts[i];
        b->open[kept] = b->open[i];
        b->high[kept] = b->high[i];
        b->low[kept] = b->low[i];
        b->close[kept] = b->close[i];
        b->volume[kept] = b->volume[i];
        kept++;
    }
    b->len = kept;
    return kept;
}
