/*
 * surge_track.c - sliding windows, the lowest-price deque and the aligned
 * history of one symbol (see surge_track.h).
 *
 * Invariants: the ring holds the prints with ts > now - W in time order and
 * sum_qty/sum_value are their sums; the deque holds, in time order, the
 * prints of the ring that no later print undercuts (price strictly
 * increasing from the front); hist_sum_* are the sums of hist_*.
 */
#include "surge_track.h"

#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

#define INITIAL_CAPACITY 16

void stom__surge_track_init(stom__surge_track *t, int32_t lookback)
{
    memset(t, 0, sizeof *t);
    t->ring = stom_xmalloc(INITIAL_CAPACITY * sizeof *t->ring);
    t->ring_mask = INITIAL_CAPACITY - 1;
    t->low = stom_xmalloc(INITIAL_CAPACITY * sizeof *t->low);
    t->low_mask = INITIAL_CAPACITY - 1;
    t->lookback = lookback;
    t->complete = -1;
    t->bucket = INT64_MIN;
    if (lookback > 0) {
        t->hist_qty = stom_xcalloc((size_t)lookback, sizeof *t->hist_qty);
        t->hist_value = stom_xcalloc((size_t)lookback, sizeof *t->hist_value);
    }
}

void stom__surge_track_free(stom__surge_track *t)
{
    free(t->ring);
    free(t->low);
    free(t->hist_qty);
    free(t->hist_value);
}

/*
 * Doubles a ring of count elements of size `size` starting at head: the
 * elements are copied to the front of the new array in order, so the new
 * head is 0. Returns the new array; *mask becomes the new capacity - 1.
 */
static void *ring_grow(void *ring, uint32_t head, uint32_t count, uint32_t *mask, size_t size)
{
    uint32_t cap = *mask + 1;
    char *grown = stom_xmalloc((size_t)cap * 2 * size);
    uint32_t first = cap - head < count ? cap - head : count;
    memcpy(grown, (char *)ring + (size_t)head * size, (size_t)first * size);
    memcpy(grown + (size_t)first * size, ring, (size_t)(count - first) * size);
    free(ring);
    *mask = cap * 2 - 1;
    return grown;
}

static void window_push(stom__surge_track *t, int64_t ts, int64_t price, int64_t qty)
{
    if (t->ring_count == t->ring_mask + 1) {
        t->ring = ring_grow(t->ring, t->ring_head, t->ring_count, &t->ring_mask, sizeof *t->ring);
        t->ring_head = 0;
    }
    stom__surge_print *p = &t->ring[(t->ring_head + t->ring_count) & t->ring_mask];
    *p = (stom__surge_print){ts, price, qty, price * qty};
    t->ring_count++;
    t->sum_qty += qty;
    t->sum_value += p->value;
}

/* Keeps the deque's prices strictly increasing: a print undercut by a later one is never the low.
 */
static void low_push(stom__surge_track *t, int64_t ts, int64_t price)
{
    while (t->low_count > 0 &&
           t->low[(t->low_head + t->low_count - 1) & t->low_mask].price >= price)
        t->low_count--;
    if (t->low_count == t->low_mask + 1) {
        t->low = ring_grow(t->low, t->low_head, t->low_count, &t->low_mask, sizeof *t->low);
        t->low_head = 0;
    }
    t->low[(t->low_head + t->low_count) & t->low_mask] = (stom__surge_low){ts, price};
    t->low_count++;
}

/* Drops the prints at or before cutoff from the ring and the deque. */
static void window_evict(stom__surge_track *t, int64_t cutoff)
{
    while (t->ring_count > 0 && t->ring[t->ring_head].ts <= cutoff) {
        const stom__surge_print *p = &t->ring[t->ring_head];
        t->sum_qty -= p->qty;
        t->sum_value -= p->value;
        t->ring_head = (t->ring_head + 1) & t->ring_mask;
        t->ring_count--;
    }
    while (t->low_count > 0 && t->low[t->low_head].ts <= cutoff) {
        t->low_head = (t->low_head + 1) & t->low_mask;
        t->low_count--;
    }
}

/* Moves the current aligned window into the history (oldest out). */
static void history_push(stom__surge_track *t, int64_t qty, int64_t value)
{
    t->hist_sum_qty += qty - t->hist_qty[t->hist_pos];
    t->hist_sum_value += value - t->hist_value[t->hist_pos];
    t->hist_qty[t->hist_pos] = qty;
    t->hist_value[t->hist_pos] = value;
    t->hist_pos = (t->hist_pos + 1) % t->lookback;
    if (t->complete < t->lookback)
        t->complete++;
}

/*
 * Advances the aligned windows to the one holding ts. Windows without trades
 * enter the history as zeros; at most `lookback` of them matter, so a long
 * gap costs O(lookback) once. The first window a symbol is seen in is
 * partial and does not count as complete.
 */
static void history_advance(stom__surge_track *t, int64_t window_ns, int64_t ts)
{
    int64_t bucket = ts / window_ns;
    if (t->bucket == INT64_MIN) {
        t->bucket = bucket;
        return;
    }
    if (bucket == t->bucket)
        return;
    history_push(t, t->cur_qty, t->cur_value);
    int64_t empty = bucket - t->bucket - 1;
    for (int64_t i = 0; i < empty && i < t->lookback; i++)
        history_push(t, 0, 0);
    t->bucket = bucket;
    t->cur_qty = 0;
    t->cur_value = 0;
}

void stom__surge_track_add(stom__surge_track *t, int64_t window_ns, int64_t ts, int64_t price,
                           int64_t qty)
{
    if (t->lookback > 0) {
        history_advance(t, window_ns, ts);
        t->cur_qty += qty;
        t->cur_value += price * qty;
    }
    window_push(t, ts, price, qty);
    low_push(t, ts, price);
    window_evict(t, ts - window_ns);
}
