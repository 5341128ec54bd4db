/*
 * optimize_internal.h - what the optimize*.c files share (not installed).
 *
 * A grid point is handled inside the library as a tuple of value indices,
 * one uint16_t per dimension (STOM_OPT_DIM_MAX_VALUES fits in 16 bits): the
 * random and genetic searches compare, hash and recombine tuples and turn
 * them into parameter sets only when handing them out.
 *
 * Random numbers come from two generators that give the same sequence on
 * every machine: a counter-based hash (splitmix64's finaliser) where a value
 * must not depend on how many were drawn before it, and xoshiro256** seeded
 * through splitmix64 where a search draws a stream.
 *
 * Thread-safety: pure functions, or functions on a caller-owned value.
 */
#ifndef STOM_OPTIMIZE_INTERNAL_H
#define STOM_OPTIMIZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "stom/optimize.h"

/* One grid point as value indices, dimension order; unused entries are 0. */
typedef struct stom__opt_tuple {
    uint16_t idx[STOM_MAX_PARAMS];
} stom__opt_tuple;

/* ---- random numbers (rng.c) ---- */

/* splitmix64's output function: a bijective mix of x. */
uint64_t stom__opt_mix64(uint64_t x);
/* A counter-based value of (seed, a, b): the same inputs give the same value. */
uint64_t stom__opt_hash3(uint64_t seed, uint64_t a, uint64_t b);
/* An index in [0, n) from a uniform 64-bit value (n >= 1; bias below n / 2^64). */
size_t stom__opt_below(uint64_t x, size_t n);

typedef struct stom__opt_rng {
    uint64_t s[4];
} stom__opt_rng;

/* Seeds xoshiro256** from seed through splitmix64 (never the all-zero state). */
void stom__opt_rng_seed(stom__opt_rng *r, uint64_t seed);
uint64_t stom__opt_rng_next(stom__opt_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double stom__opt_rng_unit(stom__opt_rng *r);
/* Uniform index in [0, n), n >= 1. */
size_t stom__opt_rng_below(stom__opt_rng *r, size_t n);

/* ---- sets of tuples (point_set.c) ---- */

/*
 * An insert-only hash set of tuples over n_dims dimensions; each member
 * gets the index of its insertion (0, 1, ...). Open addressing, grown at
 * half load.
 */
typedef struct stom__opt_point_set {
    size_t n_dims;
    size_t count;
    stom__opt_tuple *members; /* owned, insertion order */
    size_t members_cap;
    uint32_t *slots; /* owned; 0 = empty, else member index + 1 */
    size_t n_slots;  /* power of two */
} stom__opt_point_set;

void stom__opt_point_set_init(stom__opt_point_set *ps, size_t n_dims);
void stom__opt_point_set_free(stom__opt_point_set *ps);
/* The member index of t, or -1 when absent. */
long stom__opt_point_set_find(const stom__opt_point_set *ps, const stom__opt_tuple *t);
/* Adds t; returns its member index and sets *added when it was new. */
size_t stom__opt_point_set_add(stom__opt_point_set *ps, const stom__opt_tuple *t, int *added);

/* ---- spaces (range.c, space.c, random.c) ---- */

/*
 * The ascending, distinct values range r gives parameter p (r->name is not
 * read): checks whole numbers for int and bool parameters, the schema's
 * min..max and the count. *values is owned. 0, STOM_EINVAL or STOM_ETOOBIG
 * with eb "<name>: <what>".
 */
int stom__opt_range_values(const stom_param_spec *p, const stom_opt_range *r, double **values,
                           size_t *n, stom_errbuf *eb);
/* Writes the parameter set of tuple t over s into *out. */
void stom__opt_tuple_params(const stom_opt_space *s, const stom__opt_tuple *t, stom_params *out);
/* The tuple of grid index index (last dimension fastest). */
void stom__opt_tuple_of_index(const stom_opt_space *s, uint64_t index, stom__opt_tuple *t);
/* The k-th counter-based random tuple of seed (stom_opt_random_point's tuple). */
void stom__opt_random_tuple(const stom_opt_space *s, uint64_t seed, uint64_t k, stom__opt_tuple *t);

/*
 * Adds up to want new tuples to seen: counter-based draws of seed from
 * *next_k on (advanced past the draws used) and, when the draws run far
 * beyond want (want close to the unseen part of the space), the unseen
 * grid points in grid order. Returns the number added.
 */
size_t stom__opt_random_fill(const stom_opt_space *s, uint64_t seed, uint64_t *next_k,
                             stom__opt_point_set *seen, size_t want);

#endif
