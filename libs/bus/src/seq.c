/*
 * seq.c - per-sender sequence tracking on the receiving side.
 *
 * nng's PUB drops messages silently when a subscriber's buffer is full, so a
 * receiver learns about loss only from the numbers: every sender counts its
 * envelopes from 1 (stom_bus_sender). A jump forward is a gap of known size,
 * a number at or below the last is a duplicate (or a stale resend), and 1
 * after higher numbers means the sender restarted and counts afresh; 1
 * right after 1 is a restart only when the envelope's time differs (the
 * numbers alone cannot tell a restart after one message from a repeat).
 */
#include <string.h>

#include "stom/bus.h"

void stom_bus_seq_init(stom_bus_seq *t)
{
    memset(t, 0, sizeof *t);
}

static stom_bus_seq_status record(stom_bus_seq *t, uint64_t seq, stom_bus_seq_status status)
{
    t->started = true;
    t->next = seq + 1;
    t->received++;
    return status;
}

stom_bus_seq_status stom_bus_seq_check(stom_bus_seq *t, uint64_t seq, uint64_t *gap)
{
    return stom_bus_seq_check_at(t, seq, 0, gap);
}

stom_bus_seq_status stom_bus_seq_check_at(stom_bus_seq *t, uint64_t seq, int64_t ts_ns,
                                          uint64_t *gap)
{
    if (gap != NULL)
        *gap = 0;
    if (seq == 0)
        return STOM_BUS_SEQ_INVALID;
    bool again_one = t->started && seq == 1 && t->next == 2;
    bool new_first = again_one && ts_ns != 0 && t->first_ts_ns != 0 && ts_ns != t->first_ts_ns;
    if (seq == 1 && (!again_one || new_first))
        t->first_ts_ns = ts_ns;
    if (new_first) { /* restarted after its first message */
        t->restarts++;
        return record(t, seq, STOM_BUS_SEQ_RESTART);
    }
    if (!t->started || seq == t->next)
        return record(t, seq, STOM_BUS_SEQ_OK);
    if (seq > t->next) {
        uint64_t lost = seq - t->next;
        t->missing += lost;
        if (gap != NULL)
            *gap = lost;
        return record(t, seq, STOM_BUS_SEQ_GAP);
    }
    /* seq < next. A 1 after at least two messages is a new incarnation of
     * the sender; a repeat of 1 right after 1 is just a duplicate. */
    if (seq == 1 && t->next > 2) {
        t->restarts++;
        return record(t, seq, STOM_BUS_SEQ_RESTART);
    }
    t->duplicates++;
    return STOM_BUS_SEQ_DUPLICATE;
}
