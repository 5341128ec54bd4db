/*
 * random.c - seeded random candidates.
 *
 * Candidate k of a seed picks, in each dimension d, value index
 * hash3(seed, k, d) mod n_d (rng.c). Being counter-based, candidate k is
 * the same whoever draws it and however many were drawn before, so workers
 * can split a random search by ranges of k without talking to each other.
 *
 * stom_opt_random_unique walks k = 0, 1, ... and keeps first occurrences,
 * so its first m results do not depend on how many were asked for. When
 * the walk has drawn far more candidates than it keeps (a request close to
 * the space's size), the rest is filled with the unused grid points in
 * grid order, which bounds the work and stays deterministic.
 */
#include <string.h>

#include "optimize_internal.h"

void stom__opt_random_tuple(const stom_opt_space *s, uint64_t seed, uint64_t k, stom__opt_tuple *t)
{
    memset(t, 0, sizeof *t);
    for (size_t d = 0; d < s->n_dims; d++)
        t->idx[d] = (uint16_t)stom__opt_below(stom__opt_hash3(seed, k, d), s->dims[d].n);
}

void stom_opt_random_point(const stom_opt_space *s, uint64_t seed, uint64_t k, stom_params *out)
{
    stom__opt_tuple t;
    stom__opt_random_tuple(s, seed, k, &t);
    stom__opt_tuple_params(s, &t, out);
}

static size_t every_point(const stom_opt_space *s, uint64_t size, stom_params *out)
{
    for (uint64_t i = 0; i < size; i++)
        stom_opt_space_point(s, i, &out[i]);
    return (size_t)size;
}

/* Adds the grid points not yet in seen, in grid order, until it holds goal. */
static void fill_in_grid_order(const stom_opt_space *s, stom__opt_point_set *seen, size_t goal)
{
    uint64_t size = stom_opt_space_size(s);
    for (uint64_t i = 0; i < size && seen->count < goal; i++) {
        stom__opt_tuple t;
        int added;
        stom__opt_tuple_of_index(s, i, &t);
        stom__opt_point_set_add(seen, &t, &added);
    }
}

size_t stom__opt_random_fill(const stom_opt_space *s, uint64_t seed, uint64_t *next_k,
                             stom__opt_point_set *seen, size_t want)
{
    size_t start = seen->count, goal = seen->count + want;
    /* Drawing m distinct of N takes about N ln(N / (N - m)) draws; 32 per
     * wanted point plus a margin is exceeded only when m is close to N. */
    uint64_t max_draws = 32 * (uint64_t)want + 1024;
    for (uint64_t drawn = 0; seen->count < goal && drawn < max_draws; drawn++) {
        stom__opt_tuple t;
        int added;
        stom__opt_random_tuple(s, seed, (*next_k)++, &t);
        stom__opt_point_set_add(seen, &t, &added);
    }
    if (seen->count < goal)
        fill_in_grid_order(s, seen, goal);
    return seen->count - start;
}

size_t stom_opt_random_unique(const stom_opt_space *s, uint64_t seed, size_t count,
                              stom_params *out)
{
    uint64_t size = stom_opt_space_size(s);
    if ((uint64_t)count >= size)
        return every_point(s, size, out);
    stom__opt_point_set seen;
    uint64_t k = 0;
    stom__opt_point_set_init(&seen, s->n_dims);
    size_t n = stom__opt_random_fill(s, seed, &k, &seen, count);
    for (size_t i = 0; i < n; i++)
        stom__opt_tuple_params(s, &seen.members[i], &out[i]);
    stom__opt_point_set_free(&seen);
    return n;
}
