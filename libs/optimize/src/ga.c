/*
 * ga.c - a deterministic genetic search over a space's grid.
 *
 * Generation 0 is the first `population` distinct counter-based random
 * points of the seed (the same points stom_opt_random_unique gives). After
 * a generation is scored, the parent population becomes the best
 * `population` of: the `elite` best points evaluated so far plus that
 * generation. Each child takes two parents by binary tournament (the better
 * rank of two uniform picks), takes each gene from either parent with equal
 * chance (uniform crossover) and then replaces each gene, with probability
 * mutation_rate, by a uniformly chosen value of its dimension. A child that
 * was already evaluated is mutated in one random gene, up to four times,
 * before it is dropped; a generation is given up after 20 attempts per
 * wanted child. Every point ever handed out is in a hash set, so no set is
 * evaluated twice.
 *
 * The defaults (elite = population / 2, mutation 0.1 per gene) were chosen
 * on single-peak test functions: they find the peak of a 30 x 30 grid in
 * about 125 evaluations on average (tests/optimize/test_ga.c).
 *
 * Ordering is total: a higher score first, then the earlier evaluation, with
 * NaN and unscored points counted as -INFINITY. All randomness comes from
 * one xoshiro256** stream seeded from the seed, so the candidates are a
 * function of the seed, the options and the reported scores.
 *
 * The search ends after max_generations, when max_evaluations are used or
 * the space is exhausted, when a generation yields no new point, or (with
 * stom_stop_rule) when the best m = max(2, ceil(population / 20)) points
 * found so far take so few distinct values per dimension that the product
 * of those counts is below 2^(n/2) for n dimensions, and the best score
 * has not improved for stop_patience generations. The product is at least
 * m, so the rule can only fire when m < 2^(n/2): never for 1 or 2
 * dimensions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

#define MAX_POPULATION     10000
#define MUTATE_RETRIES     4
#define ATTEMPTS_PER_CHILD 20

struct stom_ga {
    const stom_opt_space *space;
    stom_ga_options opt; /* resolved: no zeros or negatives left */
    uint64_t seed, next_k, space_size;
    stom__opt_rng rng;
    stom__opt_point_set seen; /* member m is evaluation m */
    double *scores;           /* per member; NaN until scored */
    size_t batch_first, batch_n;
    size_t *top; /* the best members so far, best first */
    size_t top_n, top_cap;
    size_t *pop; /* the parent population, best first */
    size_t pop_n;
    size_t generations;
    size_t stale; /* generations in a row that did not improve the best score */
    bool over;
};

void stom_ga_options_default(stom_ga_options *o)
{
    memset(o, 0, sizeof *o);
    o->mutation_rate = -1;
}

static double score_of(const stom_ga *ga, size_t m)
{
    double s = ga->scores[m];
    return isnan(s) ? -INFINITY : s;
}

/* True when member a ranks before member b. */
static bool ranks_before(const stom_ga *ga, size_t a, size_t b)
{
    double sa = score_of(ga, a), sb = score_of(ga, b);
    return sa > sb || (sa == sb && a < b);
}

static int resolve_options(stom_ga_options *o, size_t n_dims, stom_errbuf *eb)
{
    if (o->population == 0)
        o->population = 10 * n_dims > 10 ? 10 * n_dims : 10;
    if (o->population < 2 || o->population > MAX_POPULATION)
        return stom_errorf(eb, STOM_EINVAL, "population %zu is outside 2..%d", o->population,
                           MAX_POPULATION);
    if (o->max_generations == 0)
        o->max_generations = 50;
    if (o->stop_patience == 0)
        o->stop_patience = 5;
    if (o->elite == 0)
        o->elite = o->population / 2;
    if (o->elite >= o->population)
        return stom_errorf(eb, STOM_EINVAL, "elite %zu must be below the population %zu", o->elite,
                           o->population);
    if (o->mutation_rate < 0)
        o->mutation_rate = n_dims > 10 ? 1.0 / (double)n_dims : 0.1;
    if (!(o->mutation_rate <= 1))
        return stom_errorf(eb, STOM_EINVAL, "mutation rate %g is outside 0..1", o->mutation_rate);
    return STOM_OK;
}

/* Points the stop rule looks at: the top 5% of a population, at least 2. */
static size_t stop_rule_points(const stom_ga_options *o)
{
    size_t m = (o->population + 19) / 20;
    return m > 2 ? m : 2;
}

int stom_ga_create(stom_ga **out, const stom_opt_space *s, uint64_t seed,
                   const stom_ga_options *opt, stom_errbuf *eb)
{
    stom_ga_options o;
    if (opt != NULL)
        o = *opt;
    else
        stom_ga_options_default(&o);
    int rc = resolve_options(&o, s->n_dims, eb);
    if (rc)
        return rc;
    stom_ga *ga = stom_xcalloc(1, sizeof *ga);
    ga->space = s;
    ga->opt = o;
    ga->seed = seed;
    ga->space_size = stom_opt_space_size(s);
    stom__opt_rng_seed(&ga->rng, seed);
    stom__opt_point_set_init(&ga->seen, s->n_dims);
    ga->top_cap = o.elite > stop_rule_points(&o) ? o.elite : stop_rule_points(&o);
    ga->top = stom_xmalloc(ga->top_cap * sizeof ga->top[0]);
    ga->pop = stom_xmalloc(o.population * sizeof ga->pop[0]);
    *out = ga;
    return STOM_OK;
}

void stom_ga_destroy(stom_ga *ga)
{
    if (ga == NULL)
        return;
    stom__opt_point_set_free(&ga->seen);
    free(ga->scores);
    free(ga->top);
    free(ga->pop);
    free(ga);
}

void stom_ga_score(stom_ga *ga, size_t i, double score)
{
    if (i < ga->batch_n)
        ga->scores[ga->batch_first + i] = score;
}

size_t stom_ga_generations(const stom_ga *ga)
{
    return ga->generations;
}

size_t stom_ga_evaluations(const stom_ga *ga)
{
    return ga->seen.count;
}

bool stom_ga_best(const stom_ga *ga, stom_params *out, double *score)
{
    /* The last generation joins the top list only at the next stom_ga_next. */
    size_t best = ga->top_n > 0 ? ga->top[0] : SIZE_MAX;
    for (size_t m = ga->batch_first; m < ga->batch_first + ga->batch_n; m++) {
        if (best == SIZE_MAX || ranks_before(ga, m, best))
            best = m;
    }
    if (best == SIZE_MAX || score_of(ga, best) == -INFINITY)
        return false;
    stom__opt_tuple_params(ga->space, &ga->seen.members[best], out);
    if (score != NULL)
        *score = score_of(ga, best);
    return true;
}

typedef struct ranked {
    double score;
    size_t member;
} ranked;

static int compare_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->member > b->member) - (a->member < b->member);
}

/* Sorts members[0..n) best first and keeps at most cap; returns the count. */
static size_t rank_members(const stom_ga *ga, size_t *members, size_t n, size_t cap)
{
    ranked *r = stom_xmalloc((n ? n : 1) * sizeof r[0]);
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){score_of(ga, members[i]), members[i]};
    qsort(r, n, sizeof r[0], compare_ranked);
    n = n < cap ? n : cap;
    for (size_t i = 0; i < n; i++)
        members[i] = r[i].member;
    free(r);
    return n;
}

/* Folds the scored generation into the top list and the parent population. */
static void close_generation(stom_ga *ga)
{
    size_t first = ga->batch_first, n = ga->batch_n;
    double before = ga->top_n > 0 ? score_of(ga, ga->top[0]) : -INFINITY;
    size_t *pool = stom_xmalloc((ga->top_n + n) * sizeof pool[0]);
    memcpy(pool, ga->top, ga->top_n * sizeof pool[0]);
    for (size_t i = 0; i < n; i++)
        pool[ga->top_n + i] = first + i;
    ga->top_n = rank_members(ga, pool, ga->top_n + n, ga->top_cap);
    memcpy(ga->top, pool, ga->top_n * sizeof pool[0]);
    ga->stale = score_of(ga, ga->top[0]) > before ? 0 : ga->stale + 1;
    /* Parents: the elites from earlier generations, and this whole one. */
    size_t k = 0;
    for (size_t i = 0; i < ga->top_n && i < ga->opt.elite; i++) {
        if (ga->top[i] < first)
            pool[k++] = ga->top[i];
    }
    for (size_t i = 0; i < n; i++)
        pool[k++] = first + i;
    ga->pop_n = rank_members(ga, pool, k, ga->opt.population);
    memcpy(ga->pop, pool, ga->pop_n * sizeof pool[0]);
    free(pool);
}

/* STOM's rule: the best points agree so much that little space is left. */
static bool converged(const stom_ga *ga)
{
    size_t m = stop_rule_points(&ga->opt);
    if (ga->space->n_dims == 0 || ga->top_n < m || score_of(ga, ga->top[m - 1]) == -INFINITY)
        return false;
    if (ga->stale < ga->opt.stop_patience)
        return false;
    double spanned = 1;
    for (size_t d = 0; d < ga->space->n_dims; d++) {
        size_t distinct = 0;
        for (size_t i = 0; i < m; i++) {
            uint16_t v = ga->seen.members[ga->top[i]].idx[d];
            size_t j = 0;
            while (j < i && ga->seen.members[ga->top[j]].idx[d] != v)
                j++;
            distinct += j == i;
        }
        spanned *= (double)distinct;
    }
    return spanned < pow(2.0, (double)ga->space->n_dims / 2.0);
}

static size_t tournament(stom_ga *ga)
{
    size_t a = stom__opt_rng_below(&ga->rng, ga->pop_n);
    size_t b = stom__opt_rng_below(&ga->rng, ga->pop_n);
    return ga->pop[a < b ? a : b];
}

static void make_child(stom_ga *ga, stom__opt_tuple *child)
{
    const stom_opt_space *s = ga->space;
    const stom__opt_tuple *a = &ga->seen.members[tournament(ga)];
    const stom__opt_tuple *b = &ga->seen.members[tournament(ga)];
    memset(child, 0, sizeof *child);
    for (size_t d = 0; d < s->n_dims; d++) {
        child->idx[d] = (stom__opt_rng_next(&ga->rng) >> 63) ? a->idx[d] : b->idx[d];
        if (stom__opt_rng_unit(&ga->rng) < ga->opt.mutation_rate)
            child->idx[d] = (uint16_t)stom__opt_rng_below(&ga->rng, s->dims[d].n);
    }
}

/* Adds up to want new children to seen; returns how many. */
static size_t breed(stom_ga *ga, size_t want)
{
    const stom_opt_space *s = ga->space;
    size_t made = 0;
    for (size_t attempt = 0; made < want && attempt < ATTEMPTS_PER_CHILD * want; attempt++) {
        stom__opt_tuple child;
        make_child(ga, &child);
        /* An old point moves to a neighbour in one gene rather than being lost. */
        for (int r = 0; r < MUTATE_RETRIES && stom__opt_point_set_find(&ga->seen, &child) >= 0;
             r++) {
            size_t d = stom__opt_rng_below(&ga->rng, s->n_dims);
            child.idx[d] = (uint16_t)stom__opt_rng_below(&ga->rng, s->dims[d].n);
        }
        int added;
        stom__opt_point_set_add(&ga->seen, &child, &added);
        made += (size_t)added;
    }
    return made;
}

/* How many new points the next generation may have. */
static size_t generation_size(const stom_ga *ga, size_t cap)
{
    size_t want = ga->opt.population < cap ? ga->opt.population : cap;
    size_t done = ga->seen.count;
    if (ga->opt.max_evaluations > 0) {
        size_t left = done < ga->opt.max_evaluations ? ga->opt.max_evaluations - done : 0;
        want = left < want ? left : want;
    }
    uint64_t unseen = ga->space_size > done ? ga->space_size - done : 0;
    return unseen < (uint64_t)want ? (size_t)unseen : want;
}

size_t stom_ga_next(stom_ga *ga, stom_params *out, size_t cap)
{
    if (ga->over)
        return 0;
    if (ga->generations > 0) {
        close_generation(ga);
        if (ga->generations >= ga->opt.max_generations ||
            (ga->opt.stom_stop_rule && converged(ga))) {
            ga->over = true;
            return 0;
        }
    }
    size_t want = generation_size(ga, cap), first = ga->seen.count, made = 0;
    if (want > 0)
        made = ga->generations == 0
                   ? stom__opt_random_fill(ga->space, ga->seed, &ga->next_k, &ga->seen, want)
                   : breed(ga, want);
    if (made == 0) {
        ga->over = true;
        return 0;
    }
    ga->scores = stom_xrealloc(ga->scores, ga->seen.count * sizeof ga->scores[0]);
    for (size_t m = first; m < ga->seen.count; m++) {
        ga->scores[m] = NAN;
        stom__opt_tuple_params(ga->space, &ga->seen.members[m], &out[m - first]);
    }
    ga->batch_first = first;
    ga->batch_n = made;
    ga->generations++;
    return made;
}
