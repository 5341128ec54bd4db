/*
 * rng.c - the random numbers of the searches, identical on every machine.
 *
 * splitmix64 (Steele, Lea, Flood 2014) as a counter-based hash gives the
 * random candidates: candidate k of a seed is a function of (seed, k, dim)
 * only. xoshiro256** (Blackman, Vigna 2018), seeded by four splitmix64
 * outputs, gives the genetic search its stream. Both use only 64-bit
 * integer arithmetic, so results do not depend on the compiler or CPU.
 */
#include "optimize_internal.h"

#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)

uint64_t stom__opt_mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

uint64_t stom__opt_hash3(uint64_t seed, uint64_t a, uint64_t b)
{
    /* Each input goes through a full mix before the next is added, so
     * (seed, a, b) and (seed, b, a) give unrelated values. */
    uint64_t h = stom__opt_mix64(seed + GOLDEN);
    h = stom__opt_mix64(h + GOLDEN * (a + 1));
    return stom__opt_mix64(h + GOLDEN * (b + 1));
}

size_t stom__opt_below(uint64_t x, size_t n)
{
    /* n is at most STOM_OPT_DIM_MAX_VALUES or a population size, so the
     * modulo bias (< n / 2^64) is far below anything measurable. */
    return (size_t)(x % (uint64_t)n);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void stom__opt_rng_seed(stom__opt_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        x += GOLDEN;
        r->s[i] = stom__opt_mix64(x);
    }
    /* splitmix64 is a bijection over distinct counters, so the four words
     * cannot all be zero; the check documents the invariant. */
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = GOLDEN;
}

uint64_t stom__opt_rng_next(stom__opt_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double stom__opt_rng_unit(stom__opt_rng *r)
{
    return (double)(stom__opt_rng_next(r) >> 11) * 0x1.0p-53;
}

size_t stom__opt_rng_below(stom__opt_rng *r, size_t n)
{
    return stom__opt_below(stom__opt_rng_next(r), n);
}
