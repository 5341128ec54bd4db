/*
 * test_space.c - parameter spaces (space.c, range.c) and seeded random
 * candidates (random.c).
 *
 * A schema of the test's own covers int, float and bool parameters; the
 * built-in sma_cross shows the whole-schema default.
 */
#include <math.h>
#include <string.h>

#include "stom/optimize.h"
#include "test_support.h"

static const stom_param_spec demo_params[] = {
    {"fast", STOM_PARAM_INT, 10, 1, 100, 1, "bars"},
    {"slow", STOM_PARAM_INT, 30, 2, 200, 2, "bars"},
    {"k", STOM_PARAM_FLOAT, 2, 0.5, 5, 0.5, "width"},
    {"shorts", STOM_PARAM_BOOL, 0, 0, 1, 1, "also short"},
};

static int demo_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    (void)state;
    (void)p;
    (void)eb;
    return STOM_OK;
}

static void demo_on_bar(void *state, stom_strategy_ctx *ctx)
{
    (void)state;
    (void)ctx;
}

static const stom_strategy_def demo = {
    .name = "demo",
    .summary = "a schema for the tests",
    .params = demo_params,
    .n_params = 4,
    .state_size = 1,
    .init = demo_init,
    .on_bar = demo_on_bar,
};

static stom_opt_range walk(const char *name, double min, double max, double step)
{
    stom_opt_range r = {.min = min, .max = max, .step = step};
    strcpy(r.name, name);
    return r;
}

static stom_opt_range list(const char *name, const double *values, size_t n)
{
    stom_opt_range r = {.values = values, .n_values = n};
    strcpy(r.name, name);
    return r;
}

/* Builds a space over demo from ranges; returns the code and the message. */
static int build(stom_opt_space *s, const stom_opt_range *r, size_t n, stom_errbuf *eb)
{
    return stom_opt_space_init(s, &demo, NULL, r, n, eb);
}

START_TEST(a_walk_gives_min_then_each_step_up_to_max)
{
    stom_opt_range r[] = {walk("fast", 5, 30, 5), walk("k", 0.5, 1.5, 0.1)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 2, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 2);
    ck_assert_int_eq(s.dims[0].param, 0);
    ck_assert_uint_eq(s.dims[0].n, 6);
    ck_assert_double_eq(s.dims[0].values[5], 30);
    ck_assert_int_eq(s.dims[1].param, 2);
    ck_assert_uint_eq(s.dims[1].n, 11);
    /* 0.5 + 2 * 0.1 is 0.7 exactly, not 0.7000000000000001. */
    ck_assert(s.dims[1].values[2] == 0.7);
    ck_assert(s.dims[1].values[10] == 1.5);
    ck_assert_uint_eq(stom_opt_space_size(&s), 66);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_max_the_steps_do_not_reach_is_left_out)
{
    stom_opt_range r[] = {walk("fast", 5, 32, 5)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 1, NULL), STOM_OK);
    ck_assert_uint_eq(s.dims[0].n, 6);
    ck_assert_double_eq(s.dims[0].values[5], 30);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_value_list_is_sorted_and_deduplicated)
{
    static const double v[] = {8, 3, 5, 3};
    stom_opt_range r[] = {list("fast", v, 4)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 1, NULL), STOM_OK);
    ck_assert_uint_eq(s.dims[0].n, 3);
    ck_assert_double_eq(s.dims[0].values[0], 3);
    ck_assert_double_eq(s.dims[0].values[1], 5);
    ck_assert_double_eq(s.dims[0].values[2], 8);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_one_value_range_fixes_the_parameter_in_base)
{
    stom_opt_range r[] = {walk("fast", 7, 7, 0), walk("slow", 20, 40, 10)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 2, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 1);
    ck_assert_int_eq(s.dims[0].param, 1);
    ck_assert_double_eq(s.base.v[0], 7);
    ck_assert_double_eq(s.base.v[2], 2); /* k keeps its default */
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(fixed_values_come_from_base_when_given)
{
    stom_params base;
    stom_params_default(&demo, &base);
    base.v[2] = 4.5;
    stom_opt_range r[] = {walk("fast", 1, 3, 1)};
    stom_opt_space s;
    ck_assert_int_eq(stom_opt_space_init(&s, &demo, &base, r, 1, NULL), STOM_OK);
    stom_params p;
    stom_opt_space_point(&s, 2, &p);
    ck_assert_uint_eq(p.n, 4);
    ck_assert_double_eq(p.v[0], 3);
    ck_assert_double_eq(p.v[1], 30);
    ck_assert_double_eq(p.v[2], 4.5);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(an_int_range_that_would_round_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r1[] = {walk("fast", 1, 10, 0.5)};
    ck_assert_int_eq(build(&s, r1, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: step 0.5 is not a whole number");
    stom_opt_range r2[] = {walk("fast", 1.5, 10, 1)};
    ck_assert_int_eq(build(&s, r2, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: min 1.5 is not a whole number");
    static const double v[] = {2, 2.5};
    stom_opt_range r3[] = {list("slow", v, 2)};
    ck_assert_int_eq(build(&s, r3, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "slow: value 2.5 is not a whole number");
}
END_TEST

START_TEST(a_value_outside_the_schema_range_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r1[] = {walk("fast", 0, 10, 1)};
    ck_assert_int_eq(build(&s, r1, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: 0 is outside the parameter's range 1..100");
    stom_opt_range r2[] = {walk("k", 1, 6, 1)};
    ck_assert_int_eq(build(&s, r2, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "k: 6 is outside the parameter's range 0.5..5");
    stom_opt_range r3[] = {walk("shorts", 0, 2, 1)};
    ck_assert_int_eq(build(&s, r3, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "shorts: 2 is outside the parameter's range 0..1");
}
END_TEST

START_TEST(an_unknown_name_is_refused_with_the_valid_names)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r[] = {walk("fats", 1, 10, 1)};
    ck_assert_int_eq(build(&s, r, 1, &eb), STOM_ENOTFOUND);
    ck_assert_str_eq(eb.msg, "demo has no parameter 'fats' (valid: fast, slow, k, shorts)");
}
END_TEST

START_TEST(a_name_given_twice_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r[] = {walk("fast", 1, 10, 1), walk("slow", 10, 20, 2), walk("fast", 5, 6, 1)};
    ck_assert_int_eq(build(&s, r, 3, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: the parameter has two ranges");
}
END_TEST

START_TEST(bad_steps_and_reversed_ranges_are_refused)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r1[] = {walk("fast", 1, 10, 0)};
    ck_assert_int_eq(build(&s, r1, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: step 0 must be above 0");
    stom_opt_range r2[] = {walk("fast", 10, 1, 1)};
    ck_assert_int_eq(build(&s, r2, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "fast: max 1 is below min 10");
    stom_opt_range r3[] = {walk("k", 0.5, NAN, 1)};
    ck_assert_int_eq(build(&s, r3, 1, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "k: max is not a finite number");
}
END_TEST

START_TEST(a_dimension_over_the_value_limit_is_too_big)
{
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    stom_opt_range r[] = {walk("k", 0.5, 5, 0.0001)};
    ck_assert_int_eq(build(&s, r, 1, &eb), STOM_ETOOBIG);
    ck_assert_str_eq(eb.msg, "k: 0.5..5 by 0.0001 has more than 10000 values");
}
END_TEST

START_TEST(no_ranges_search_every_number_parameter_over_its_schema)
{
    stom_opt_space s;
    ck_assert_int_eq(build(&s, NULL, 0, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 3); /* the bool is left at its default */
    ck_assert_uint_eq(s.dims[0].n, 100);
    ck_assert_uint_eq(s.dims[1].n, 100); /* 2, 4, ..., 200 */
    ck_assert_uint_eq(s.dims[2].n, 10);
    ck_assert_uint_eq(stom_opt_space_size(&s), 100000);
    ck_assert_int_eq(stom_opt_space_check_grid(&s, NULL), STOM_OK);
    stom_opt_space_free(&s);

    const stom_strategy_def *sma = stom_strategy_find("sma_cross");
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_opt_space_init(&s, sma, NULL, NULL, 0, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 2);
    ck_assert_uint_eq(stom_opt_space_size(&s), UINT64_C(1000) * 4999);
    ck_assert_int_eq(stom_opt_space_check_grid(&s, &eb), STOM_ETOOBIG);
    ck_assert_str_eq(eb.msg, "the grid has 4999000 points; a grid search takes at most 1000000 "
                             "(narrow the ranges or use random or genetic search)");
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_base_of_the_wrong_size_is_refused)
{
    stom_params base = {.n = 2};
    stom_errbuf eb = {{0}};
    stom_opt_space s;
    ck_assert_int_eq(stom_opt_space_init(&s, &demo, &base, NULL, 0, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "base has 2 values; demo has 4 parameters");
}
END_TEST

START_TEST(grid_points_decode_with_the_last_dimension_fastest)
{
    stom_opt_range r[] = {walk("fast", 1, 3, 1), walk("slow", 10, 14, 2), walk("k", 1, 2, 1)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 3, NULL), STOM_OK);
    ck_assert_uint_eq(stom_opt_space_size(&s), 18);
    stom_params p;
    /* 13 = 2*6 + 0*2 + 1: fast[2], slow[0], k[1] */
    stom_opt_space_point(&s, 13, &p);
    ck_assert_double_eq(p.v[0], 3);
    ck_assert_double_eq(p.v[1], 10);
    ck_assert_double_eq(p.v[2], 2);
    ck_assert_double_eq(p.v[3], 0);
    stom_opt_space_point(&s, 0, &p);
    ck_assert_double_eq(p.v[0], 1);
    ck_assert_double_eq(p.v[1], 10);
    ck_assert_double_eq(p.v[2], 1);
    stom_opt_space_point(&s, 17, &p);
    ck_assert_double_eq(p.v[0], 3);
    ck_assert_double_eq(p.v[1], 14);
    ck_assert_double_eq(p.v[2], 2);
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(a_space_without_dimensions_has_one_point)
{
    stom_opt_range r[] = {walk("fast", 4, 4, 1)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 1, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 0);
    ck_assert_uint_eq(stom_opt_space_size(&s), 1);
    stom_params p[3];
    ck_assert_uint_eq(stom_opt_random_unique(&s, 1, 3, p), 1);
    ck_assert_double_eq(p[0].v[0], 4);
    stom_opt_space_free(&s);
}
END_TEST

/* fast 1..100 x slow 2..200 by 2 x k 0.5..5: 100,000 points */
static void big_space(stom_opt_space *s)
{
    ck_assert_int_eq(build(s, NULL, 0, NULL), STOM_OK);
}

static bool same_params(const stom_params *a, const stom_params *b)
{
    return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0;
}

START_TEST(a_random_point_depends_only_on_seed_and_counter)
{
    stom_opt_space s;
    big_space(&s);
    stom_params a, b, c;
    stom_opt_random_point(&s, 42, 7, &a);
    stom_opt_random_point(&s, 42, 3, &c);
    stom_opt_random_point(&s, 42, 7, &b);
    ck_assert(same_params(&a, &b));
    stom_opt_random_point(&s, 43, 7, &b);
    ck_assert(!same_params(&a, &b));
    /* Every value is one of its dimension's. */
    for (uint64_t k = 0; k < 200; k++) {
        stom_opt_random_point(&s, 9, k, &a);
        ck_assert(a.v[0] >= 1 && a.v[0] <= 100 && a.v[0] == floor(a.v[0]));
        ck_assert(a.v[1] >= 2 && a.v[1] <= 200 && fmod(a.v[1], 2) == 0);
        ck_assert(a.v[2] >= 0.5 && a.v[2] <= 5 && fmod(a.v[2], 0.5) == 0);
    }
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(random_unique_is_deterministic_distinct_and_seed_dependent)
{
    enum { N = 500 };
    static stom_params a[N], b[N], c[N];
    stom_opt_space s;
    big_space(&s);
    ck_assert_uint_eq(stom_opt_random_unique(&s, 2024, N, a), N);
    ck_assert_uint_eq(stom_opt_random_unique(&s, 2024, N, b), N);
    ck_assert_uint_eq(stom_opt_random_unique(&s, 2025, N, c), N);
    size_t same_as_other_seed = 0;
    for (size_t i = 0; i < N; i++) {
        ck_assert(same_params(&a[i], &b[i]));
        same_as_other_seed += same_params(&a[i], &c[i]);
        for (size_t j = 0; j < i; j++)
            ck_assert(!same_params(&a[i], &a[j]));
    }
    ck_assert_uint_lt(same_as_other_seed, 5);
    /* The first ones do not depend on how many were asked for. */
    ck_assert_uint_eq(stom_opt_random_unique(&s, 2024, 10, c), 10);
    for (size_t i = 0; i < 10; i++)
        ck_assert(same_params(&a[i], &c[i]));
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(random_unique_of_the_whole_space_is_every_point_in_grid_order)
{
    stom_opt_range r[] = {walk("fast", 1, 4, 1), walk("slow", 10, 14, 2)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 2, NULL), STOM_OK);
    stom_params p[20], q;
    ck_assert_uint_eq(stom_opt_random_unique(&s, 5, 20, p), 12);
    for (uint64_t i = 0; i < 12; i++) {
        stom_opt_space_point(&s, i, &q);
        ck_assert(same_params(&p[i], &q));
    }
    stom_opt_space_free(&s);
}
END_TEST

START_TEST(random_unique_of_nearly_the_whole_space_still_finds_distinct_points)
{
    stom_opt_range r[] = {walk("fast", 1, 50, 1), walk("slow", 2, 80, 2)};
    stom_opt_space s;
    ck_assert_int_eq(build(&s, r, 2, NULL), STOM_OK);
    enum { N = 50 * 40 - 1 };
    static stom_params p[N];
    ck_assert_uint_eq(stom_opt_random_unique(&s, 77, N, p), N);
    /* Distinct: every (fast, slow) pair at most once. */
    static bool used[51][81];
    for (size_t i = 0; i < N; i++) {
        int f = (int)p[i].v[0], sl = (int)p[i].v[1];
        ck_assert(!used[f][sl]);
        used[f][sl] = true;
    }
    stom_opt_space_free(&s);
}
END_TEST

static Suite *space_suite(void)
{
    Suite *s = suite_create("optimize_space");
    TCase *tc = tcase_create("space");
    tcase_add_test(tc, a_walk_gives_min_then_each_step_up_to_max);
    tcase_add_test(tc, a_max_the_steps_do_not_reach_is_left_out);
    tcase_add_test(tc, a_value_list_is_sorted_and_deduplicated);
    tcase_add_test(tc, a_one_value_range_fixes_the_parameter_in_base);
    tcase_add_test(tc, fixed_values_come_from_base_when_given);
    tcase_add_test(tc, an_int_range_that_would_round_is_refused);
    tcase_add_test(tc, a_value_outside_the_schema_range_is_refused);
    tcase_add_test(tc, an_unknown_name_is_refused_with_the_valid_names);
    tcase_add_test(tc, a_name_given_twice_is_refused);
    tcase_add_test(tc, bad_steps_and_reversed_ranges_are_refused);
    tcase_add_test(tc, a_dimension_over_the_value_limit_is_too_big);
    tcase_add_test(tc, no_ranges_search_every_number_parameter_over_its_schema);
    tcase_add_test(tc, a_base_of_the_wrong_size_is_refused);
    tcase_add_test(tc, grid_points_decode_with_the_last_dimension_fastest);
    tcase_add_test(tc, a_space_without_dimensions_has_one_point);
    suite_add_tcase(s, tc);
    TCase *rnd = tcase_create("random");
    tcase_add_test(rnd, a_random_point_depends_only_on_seed_and_counter);
    tcase_add_test(rnd, random_unique_is_deterministic_distinct_and_seed_dependent);
    tcase_add_test(rnd, random_unique_of_the_whole_space_is_every_point_in_grid_order);
    tcase_add_test(rnd, random_unique_of_nearly_the_whole_space_still_finds_distinct_points);
    suite_add_tcase(s, rnd);
    return s;
}

int main(void)
{
    return stom_test_run(space_suite());
}
