/*
 * bar_builder.c - see bar_builder.h. One open bar per symbol and a
 * per-symbol "complete up to" time; no allocation after create.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "bar_builder.h"
#include "stom/timeutil.h"

#define DAY_S 86400

typedef struct slot {
    eng_bar bar;
    bool open;           /* bar holds trades of a period not yet complete */
    int64_t complete_to; /* periods starting before this are complete (UTC s) */
} slot;

struct bar_builder {
    int64_t tf;
    int n;
    bar_sink sink;
    void *arg;
    uint64_t late;
    slot slots[];
};

/* The start of the period holding t (UTC seconds), aligned to KST midnight. */
static int64_t period_start(const bar_builder *b, int64_t t)
{
    int64_t local = t + (int64_t)STOM_KST_OFFSET_MINUTES * 60;
    int64_t floor_local = local - ((local % b->tf) + b->tf) % b->tf;
    return floor_local - (int64_t)STOM_KST_OFFSET_MINUTES * 60;
}

int bar_builder_create(bar_builder **out, int64_t timeframe_s, int n_symbols, bar_sink sink,
                       void *arg, stom_errbuf *eb)
{
    if (timeframe_s < 1 || timeframe_s > DAY_S || DAY_S % timeframe_s != 0)
        return stom_errorf(eb, STOM_EINVAL,
                           "timeframe %lld s: must divide a day (1, 5, 60, 300, 3600, 86400, ...)",
                           (long long)timeframe_s);
    if (n_symbols < 1)
        return stom_errorf(eb, STOM_EINVAL, "symbols: %d, need at least 1", n_symbols);
    bar_builder *b = calloc(1, sizeof *b + (size_t)n_symbols * sizeof(slot));
    if (!b)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for %d symbols", n_symbols);
    b->tf = timeframe_s;
    b->n = n_symbols;
    b->sink = sink;
    b->arg = arg;
    for (int k = 0; k < n_symbols; k++)
        b->slots[k].complete_to = INT64_MIN;
    *out = b;
    return STOM_OK;
}

void bar_builder_destroy(bar_builder *b)
{
    free(b);
}

static void complete(bar_builder *b, slot *s)
{
    s->open = false;
    s->complete_to = s->bar.start_s + b->tf;
    b->sink(b->arg, &s->bar);
}

int bar_builder_trade(bar_builder *b, int symbol, int64_t ts_ns, int64_t price, int64_t qty,
                      stom_errbuf *eb)
{
    if (symbol < 0 || symbol >= b->n)
        return stom_errorf(eb, STOM_EINVAL, "symbol %d: not in 0..%d", symbol, b->n - 1);
    if (price <= 0 || qty <= 0)
        return stom_errorf(eb, STOM_EINVAL,
                           "trade of symbol %d: price %lld and qty %lld must be "
                           "above 0",
                           symbol, (long long)price, (long long)qty);
    slot *s = &b->slots[symbol];
    int64_t t = ts_ns >= 0 ? ts_ns / 1000000000 : -((-ts_ns + 999999999) / 1000000000);
    int64_t start = period_start(b, t);
    if (start < s->complete_to || (s->open && start < s->bar.start_s)) {
        b->late++;
        return STOM_OK;
    }
    if (s->open && start > s->bar.start_s)
        complete(b, s);
    if (!s->open) {
        s->bar = (eng_bar){
            .symbol = symbol, .start_s = start, .open = price, .high = price, .low = price};
        s->open = true;
    }
    eng_bar *bar = &s->bar;
    if (price > bar->high)
        bar->high = price;
    if (price < bar->low)
        bar->low = price;
    bar->close = price;
    bar->volume += qty;
    bar->trades++;
    return STOM_OK;
}

void bar_builder_advance(bar_builder *b, int64_t now_ns)
{
    int64_t now = now_ns / 1000000000;
    for (int k = 0; k < b->n; k++) {
        slot *s = &b->slots[k];
        if (s->open && s->bar.start_s + b->tf <= now)
            complete(b, s);
    }
}

uint64_t bar_builder_late(const bar_builder *b)
{
    return b->late;
}
