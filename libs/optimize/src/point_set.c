/*
 * point_set.c - an insert-only hash set of grid tuples.
 *
 * The random and genetic searches use it to never hand out a point twice.
 * Members are kept in insertion order (the GA indexes its archive by
 * member number); the slot table holds member numbers + 1 and is probed
 * linearly. It is grown to keep the load at most one half, so a lookup
 * stays a few probes long.
 */
#include <stdlib.h>
#include <string.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

#define INITIAL_SLOTS 64

static uint64_t tuple_hash(const stom__opt_tuple *t, size_t n_dims)
{
    uint64_t h = n_dims;
    for (size_t d = 0; d < n_dims; d++)
        h = stom__opt_mix64(h ^ (((uint64_t)t->idx[d] << 16) | d));
    return h;
}

static bool tuple_equal(const stom__opt_tuple *a, const stom__opt_tuple *b, size_t n_dims)
{
    return memcmp(a->idx, b->idx, n_dims * sizeof a->idx[0]) == 0;
}

void stom__opt_point_set_init(stom__opt_point_set *ps, size_t n_dims)
{
    memset(ps, 0, sizeof *ps);
    ps->n_dims = n_dims;
    ps->n_slots = INITIAL_SLOTS;
    ps->slots = stom_xcalloc(ps->n_slots, sizeof ps->slots[0]);
}

void stom__opt_point_set_free(stom__opt_point_set *ps)
{
    free(ps->members);
    free(ps->slots);
    memset(ps, 0, sizeof *ps);
}

/* The slot holding t, or the empty slot where it would go. */
static size_t probe(const stom__opt_point_set *ps, const stom__opt_tuple *t)
{
    size_t mask = ps->n_slots - 1;
    size_t i = (size_t)tuple_hash(t, ps->n_dims) & mask;
    while (ps->slots[i] != 0 && !tuple_equal(&ps->members[ps->slots[i] - 1], t, ps->n_dims))
        i = (i + 1) & mask;
    return i;
}

static void grow(stom__opt_point_set *ps)
{
    free(ps->slots);
    ps->n_slots *= 2;
    ps->slots = stom_xcalloc(ps->n_slots, sizeof ps->slots[0]);
    for (size_t m = 0; m < ps->count; m++)
        ps->slots[probe(ps, &ps->members[m])] = (uint32_t)(m + 1);
}

long stom__opt_point_set_find(const stom__opt_point_set *ps, const stom__opt_tuple *t)
{
    size_t i = probe(ps, t);
    return ps->slots[i] == 0 ? -1 : (long)ps->slots[i] - 1;
}

size_t stom__opt_point_set_add(stom__opt_point_set *ps, const stom__opt_tuple *t, int *added)
{
    size_t i = probe(ps, t);
    *added = ps->slots[i] == 0;
    if (!*added)
        return ps->slots[i] - 1;
    if (ps->count == ps->members_cap) {
        ps->members_cap = ps->members_cap ? 2 * ps->members_cap : 64;
        ps->members = stom_xrealloc(ps->members, ps->members_cap * sizeof ps->members[0]);
    }
    stom__opt_tuple *m = &ps->members[ps->count];
    memset(m, 0, sizeof *m);
    memcpy(m->idx, t->idx, ps->n_dims * sizeof t->idx[0]);
    ps->slots[i] = (uint32_t)(ps->count + 1);
    ps->count++;
    if (2 * ps->count > ps->n_slots)
        grow(ps);
    return ps->count - 1;
}
