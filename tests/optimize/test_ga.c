/*
 * test_ga.c - the genetic search (ga.c): determinism, no point evaluated
 * twice, its stop conditions and that it finds the peak of a simple
 * function far sooner than enumerating the grid.
 *
 * The test space is x, y (and z, w) in 0..29: a 30 x 30 grid in two
 * dimensions. The score is minus the L1 distance to a peak.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/optimize.h"
#include "test_support.h"

static const stom_param_spec grid_params[] = {
    {"x", STOM_PARAM_INT, 0, 0, 29, 1, ""},
    {"y", STOM_PARAM_INT, 0, 0, 29, 1, ""},
    {"z", STOM_PARAM_INT, 0, 0, 29, 1, ""},
    {"w", STOM_PARAM_INT, 0, 0, 29, 1, ""},
};

static int noop_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    (void)state;
    (void)p;
    (void)eb;
    return STOM_OK;
}

static void noop_on_bar(void *state, stom_strategy_ctx *ctx)
{
    (void)state;
    (void)ctx;
}

/* The first dims parameters of grid_params as a strategy. */
static stom_strategy_def grid_def(size_t dims)
{
    stom_strategy_def def = {
        .name = "grid",
        .summary = "test grid",
        .params = grid_params,
        .n_params = dims,
        .state_size = 1,
        .init = noop_init,
        .on_bar = noop_on_bar,
    };
    return def;
}

static const double peak[4] = {17, 8, 22, 3};

static double peak_score(const stom_params *p)
{
    double f = 0;
    for (size_t d = 0; d < p->n; d++)
        f -= fabs(p->v[d] - peak[d]);
    return f;
}

/* One search to its end; what it did, for the tests to compare. */
typedef struct run {
    size_t evaluations, generations;
    size_t peak_at; /* 1-based evaluation that hit the peak; 0: never */
    double *seen;   /* owned: every candidate's values, in order */
} run;

static run search(const stom_opt_space *s, uint64_t seed, const stom_ga_options *o)
{
    stom_ga *ga = NULL;
    ck_assert_int_eq(stom_ga_create(&ga, s, seed, o, NULL), STOM_OK);
    run r = {0};
    size_t cap = 0, n;
    stom_params out[64];
    while ((n = stom_ga_next(ga, out, 64)) > 0) {
        r.seen = stom_xrealloc(r.seen, (cap += n) * STOM_MAX_PARAMS * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            double score = peak_score(&out[i]);
            memcpy(&r.seen[r.evaluations * STOM_MAX_PARAMS], out[i].v, sizeof out[i].v);
            r.evaluations++;
            if (score == 0 && r.peak_at == 0)
                r.peak_at = r.evaluations;
            stom_ga_score(ga, i, score);
        }
    }
    ck_assert_uint_eq(r.evaluations, stom_ga_evaluations(ga));
    r.generations = stom_ga_generations(ga);
    stom_ga_destroy(ga);
    return r;
}

static void space_of(stom_opt_space *s, const stom_strategy_def *def)
{
    ck_assert_int_eq(stom_opt_space_init(s, def, NULL, NULL, 0, NULL), STOM_OK);
}

START_TEST(the_same_seed_and_scores_give_the_same_candidates)
{
    stom_strategy_def def = grid_def(3);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga_options_default(&o);
    o.max_generations = 15;
    run a = search(&s, 11, &o), b = search(&s, 11, &o), c = search(&s, 12, &o);
    ck_assert_uint_eq(a.evaluations, b.evaluations);
    ck_assert_uint_eq(a.generations, 15);
    ck_assert_int_eq(memcmp(a.seen, b.seen, a.evaluations * STOM_MAX_PARAMS * sizeof(double)), 0);
    ck_assert_int_ne(memcmp(a.seen, c.seen, 30 * STOM_MAX_PARAMS * sizeof(double)), 0);
    free(a.seen);
    free(b.seen);
    free(c.seen);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(generation_zero_is_the_seeds_random_unique_points)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga *ga = NULL;
    ck_assert_int_eq(stom_ga_create(&ga, &s, 99, NULL, NULL), STOM_OK);
    stom_params gen0[20], rnd[20];
    ck_assert_uint_eq(stom_ga_next(ga, gen0, 20), 20); /* 10 x 2 dims */
    ck_assert_uint_eq(stom_opt_random_unique(&s, 99, 20, rnd), 20);
    for (size_t i = 0; i < 20; i++)
        ck_assert(memcmp(gen0[i].v, rnd[i].v, sizeof gen0[i].v) == 0);
    stom_ga_destroy(ga);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(no_set_is_handed_out_twice)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga_options_default(&o);
    o.max_generations = 1000;
    run r = search(&s, 5, &o);
    static bool used[30][30];
    for (size_t i = 0; i < r.evaluations; i++) {
        int x = (int)r.seen[i * STOM_MAX_PARAMS], y = (int)r.seen[i * STOM_MAX_PARAMS + 1];
        ck_assert(!used[x][y]);
        used[x][y] = true;
    }
    /* With generations to spare it stops when no new point can be made:
     * most of the 900 points, never more. */
    ck_assert_uint_le(r.evaluations, 900);
    ck_assert_uint_lt(r.generations, 1000);
    free(r.seen);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_small_space_is_exhausted_then_the_search_ends)
{
    static const stom_param_spec tiny[] = {
        {"a", STOM_PARAM_INT, 0, 0, 2, 1, ""},
        {"b", STOM_PARAM_INT, 0, 0, 3, 1, ""},
    };
    stom_strategy_def def = grid_def(2);
    def.params = tiny;
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga_options_default(&o);
    o.max_generations = 100;
    run r = search(&s, 1, &o);
    ck_assert_uint_eq(r.evaluations, 12);
    free(r.seen);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(the_peak_of_a_30_by_30_grid_is_found_in_far_fewer_than_900_evaluations)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    size_t total = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        run r = search(&s, seed, NULL);
        ck_assert_uint_gt(r.peak_at, 0);
        ck_assert_uint_le(r.peak_at, 450);
        total += r.peak_at;
        free(r.seen);
    }
    /* Random enumeration needs 450 on average; the search about 125. */
    ck_assert_uint_lt(total / 20, 200);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(the_peak_of_a_four_dimensional_grid_is_found)
{
    stom_strategy_def def = grid_def(4);
    stom_opt_space s;
    space_of(&s, &def);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        run r = search(&s, seed, NULL);
        /* 810,000 points; 50 generations of 40 are at most 2,000 evaluations. */
        ck_assert_uint_gt(r.peak_at, 0);
        free(r.seen);
    }
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(the_stom_stop_rule_ends_a_converged_search_early)
{
    stom_strategy_def def = grid_def(4);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga_options_default(&o);
    o.max_generations = 200;
    run plain = search(&s, 1, &o);
    o.stom_stop_rule = true;
    run ruled = search(&s, 1, &o);
    ck_assert_uint_eq(plain.generations, 200);
    ck_assert_uint_lt(ruled.generations, 40);
    /* It stopped after the best stopped improving, not before the peak. */
    ck_assert_uint_gt(ruled.peak_at, 0);
    ck_assert_uint_eq(ruled.peak_at, plain.peak_at);
    free(plain.seen);
    free(ruled.seen);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(max_evaluations_cuts_the_last_generation)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga_options_default(&o);
    o.max_evaluations = 50;
    run r = search(&s, 3, &o);
    ck_assert_uint_eq(r.evaluations, 50);
    ck_assert_uint_eq(r.generations, 3); /* 20 + 20 + 10 */
    free(r.seen);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(the_default_population_is_ten_per_dimension_and_at_least_ten)
{
    stom_opt_space s;
    stom_params out[64];
    stom_ga *ga = NULL;
    for (size_t dims = 1; dims <= 4; dims++) {
        stom_strategy_def def = grid_def(dims);
        space_of(&s, &def);
        ck_assert_int_eq(stom_ga_create(&ga, &s, 1, NULL, NULL), STOM_OK);
        ck_assert_uint_eq(stom_ga_next(ga, out, 64), dims < 2 ? 10 : 10 * dims);
        stom_ga_destroy(ga);
        stom_opt_space_free(&s);
    }
}
END_TEST

START_TEST(the_best_set_is_reported_with_its_score)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga *ga = NULL;
    ck_assert_int_eq(stom_ga_create(&ga, &s, 8, NULL, NULL), STOM_OK);
    stom_params out[20], best;
    double score = 0;
    ck_assert(!stom_ga_best(ga, &best, &score));
    size_t n = stom_ga_next(ga, out, 20);
    for (size_t i = 0; i < n; i++)
        stom_ga_score(ga, i, i == 7 ? 5.0 : (i == 3 ? NAN : -1.0));
    ck_assert(stom_ga_best(ga, &best, &score));
    ck_assert_double_eq(score, 5.0);
    ck_assert(memcmp(best.v, out[7].v, sizeof best.v) == 0);
    stom_ga_destroy(ga);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(bad_options_are_refused)
{
    stom_strategy_def def = grid_def(2);
    stom_opt_space s;
    space_of(&s, &def);
    stom_ga_options o;
    stom_ga *ga = NULL;
    stom_errbuf eb = {{0}};
    stom_ga_options_default(&o);
    o.population = 1;
    ck_assert_int_eq(stom_ga_create(&ga, &s, 1, &o, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "population 1 is outside 2..10000");
    stom_ga_options_default(&o);
    o.population = 10;
    o.elite = 10;
    ck_assert_int_eq(stom_ga_create(&ga, &s, 1, &o, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "elite 10 must be below the population 10");
    stom_ga_options_default(&o);
    o.mutation_rate = 1.5;
    ck_assert_int_eq(stom_ga_create(&ga, &s, 1, &o, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "mutation rate 1.5 is outside 0..1");
    ck_assert_ptr_null(ga);
    stom_ga_destroy(NULL);
    stom_opt_space_free(&s);
}
END_TEST

static Suite *ga_suite(void)
{
    Suite *s = suite_create("optimize_ga");
    TCase *tc = tcase_create("ga");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, the_same_seed_and_scores_give_the_same_candidates);
    tcase_add_test(tc, generation_zero_is_the_seeds_random_unique_points);
    tcase_add_test(tc, no_set_is_handed_out_twice);
    tcase_add_test(tc, a_small_space_is_exhausted_then_the_search_ends);
    tcase_add_test(tc, the_peak_of_a_30_by_30_grid_is_found_in_far_fewer_than_900_evaluations);
    tcase_add_test(tc, the_peak_of_a_four_dimensional_grid_is_found);
    tcase_add_test(tc, the_stom_stop_rule_ends_a_converged_search_early);
    tcase_add_test(tc, max_evaluations_cuts_the_last_generation);
    tcase_add_test(tc, the_default_population_is_ten_per_dimension_and_at_least_ten);
    tcase_add_test(tc, the_best_set_is_reported_with_its_score);
    tcase_add_test(tc, bad_options_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(ga_suite());
}
