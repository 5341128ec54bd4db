/*
 * surge_track.h - one symbol's sliding window of one length (internal to stom_surge).
 *
 * A track holds the trades of the last window_ns in a ring buffer with running
 * sums of quantity and value, a monotonic deque of prices (increasing from the
 * front, so the front is the window's lowest price) and, when lookback > 0,
 * the quantity and value of the `lookback` aligned windows [k*W, (k+1)*W)
 * before the current one. Every trade enters and leaves each structure once,
 * so an update is O(1) amortised; arrays grow by doubling and never shrink.
 *
 * Thread-safety: owned by its detector; one thread at a time.
 */
#ifndef STOM_SURGE_TRACK_H
#define STOM_SURGE_TRACK_H

#include <stdint.h>

typedef struct stom__surge_print {
    int64_t ts, price, qty, value;
} stom__surge_print;

typedef struct stom__surge_low {
    int64_t ts, price;
} stom__surge_low;

typedef struct stom__surge_track {
    stom__surge_print *ring; /* capacity ring_mask + 1, a power of two */
    uint32_t ring_head, ring_count, ring_mask;
    stom__surge_low *low;
    uint32_t low_head, low_count, low_mask;
    int64_t sum_qty, sum_value;
    /* Aligned windows; hist_* hold the last `lookback` finished ones. */
    int32_t lookback, hist_pos, complete; /* complete: finished windows seen, -1 before the first */
    int64_t bucket, cur_qty, cur_value;
    int64_t *hist_qty, *hist_value;
    int64_t hist_sum_qty, hist_sum_value;
} stom__surge_track;

/* Prepares an empty track; allocates the history when lookback > 0. */
void stom__surge_track_init(stom__surge_track *t, int32_t lookback);
/* Frees what t holds (not t itself). */
void stom__surge_track_free(stom__surge_track *t);
/* Adds a print at ts (never before the last one) and drops prints at or before ts - window_ns. */
void stom__surge_track_add(stom__surge_track *t, int64_t window_ns, int64_t ts, int64_t price,
                           int64_t qty);

/* The oldest print's price in the window (the track holds at least one print). */
static inline int64_t stom__surge_track_first_price(const stom__surge_track *t)
{
    return t->ring[t->ring_head].price;
}

/* The lowest price in the window. */
static inline int64_t stom__surge_track_low_price(const stom__surge_track *t)
{
    return t->low[t->low_head].price;
}

/* True when `lookback` complete aligned windows have been seen. */
static inline int stom__surge_track_has_history(const stom__surge_track *t)
{
    return t->lookback > 0 && t->complete >= t->lookback;
}

#endif
