/*
 * test_params.c - parameter schemas: defaults, lookup and checked
 * "name=value" assignment (params.c).
 *
 * A schema of the test's own covers every type, bool included (no built-in
 * has a bool parameter yet).
 */
#include <string.h>

#include "stom/strategy.h"
#include "test_support.h"

static const stom_param_spec demo_params[] = {
    {"period", STOM_PARAM_INT, 14, 2, 100, 1, "bars"},
    {"k", STOM_PARAM_FLOAT, 2.5, 0.5, 5, 0.5, "width"},
    {"shorts", STOM_PARAM_BOOL, 0, 0, 1, 1, "also trade the mirror"},
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
    .n_params = 3,
    .state_size = 1,
    .init = demo_init,
    .on_bar = demo_on_bar,
};

static const stom_strategy_def bare = {
    .name = "bare",
    .summary = "no parameters",
    .state_size = 1,
    .init = demo_init,
    .on_bar = demo_on_bar,
};

/* Assigns text to a default parameter set; returns the code, value of index idx in *v. */
static int assign(const char *text, int idx, double *v, stom_errbuf *eb)
{
    stom_params p;
    stom_params_default(&demo, &p);
    int rc = stom_params_set(&demo, &p, text, eb);
    *v = p.v[idx];
    return rc;
}

START_TEST(defaults_fill_every_parameter_in_schema_order)
{
    stom_params p;
    memset(&p, 0xff, sizeof p);
    stom_params_default(&demo, &p);
    ck_assert_uint_eq(p.n, 3);
    ck_assert_double_eq(p.v[0], 14);
    ck_assert_double_eq(p.v[1], 2.5);
    ck_assert_double_eq(p.v[2], 0);
    ck_assert_double_eq(p.v[3], 0); /* the unused tail is zeroed */
    stom_params_default(&bare, &p);
    ck_assert_uint_eq(p.n, 0);
}
END_TEST

START_TEST(a_parameter_is_found_by_its_exact_name_only)
{
    ck_assert_int_eq(stom_param_index(&demo, "period"), 0);
    ck_assert_int_eq(stom_param_index(&demo, "shorts"), 2);
    ck_assert_int_eq(stom_param_index(&demo, "Period"), -1);
    ck_assert_int_eq(stom_param_index(&demo, "per"), -1);
    ck_assert_int_eq(stom_param_index(&bare, "period"), -1);
}
END_TEST

START_TEST(a_valid_assignment_sets_only_its_own_parameter)
{
    stom_params p;
    stom_errbuf eb = {{0}};
    stom_params_default(&demo, &p);
    ck_assert_int_eq(stom_params_set(&demo, &p, "period=20", &eb), STOM_OK);
    ck_assert_int_eq(stom_params_set(&demo, &p, "k=0.5", &eb), STOM_OK);
    ck_assert_double_eq(p.v[0], 20);
    ck_assert_double_eq(p.v[1], 0.5);
    ck_assert_double_eq(p.v[2], 0);
}
END_TEST

START_TEST(an_unknown_name_is_refused_with_the_list_of_valid_ones)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("perod=20", 0, &v, &eb), STOM_ENOTFOUND);
    ck_assert_str_eq(eb.msg, "demo has no parameter 'perod' (valid: period, k, shorts)");
    ck_assert_double_eq(v, 14);
}
END_TEST

START_TEST(a_strategy_without_parameters_says_so_when_given_one)
{
    stom_params p;
    stom_errbuf eb = {{0}};
    stom_params_default(&bare, &p);
    ck_assert_int_eq(stom_params_set(&bare, &p, "period=20", &eb), STOM_ENOTFOUND);
    ck_assert_str_eq(eb.msg, "bare has no parameter 'period' (valid: (none))");
}
END_TEST

START_TEST(text_without_a_name_and_an_equals_sign_is_refused)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("period", 0, &v, &eb), STOM_EINVAL);
    ck_assert_str_eq(
        eb.msg, "parameter 'period' is not name=value (parameters of demo: period, k, shorts)");
    ck_assert_int_eq(assign("=20", 0, &v, &eb), STOM_EINVAL);
    ck_assert_double_eq(v, 14);
}
END_TEST

START_TEST(a_value_outside_min_max_is_refused_with_the_range)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("period=101", 0, &v, &eb), STOM_ERANGE);
    ck_assert_str_eq(eb.msg, "parameter period=101 is out of range 2..100");
    ck_assert_double_eq(v, 14);
    ck_assert_int_eq(assign("k=0.25", 1, &v, &eb), STOM_ERANGE);
    ck_assert_str_eq(eb.msg, "parameter k=0.25 is out of range 0.5..5");
    /* The bounds themselves are allowed. */
    ck_assert_int_eq(assign("period=2", 0, &v, &eb), STOM_OK);
    ck_assert_int_eq(assign("period=100", 0, &v, &eb), STOM_OK);
}
END_TEST

START_TEST(an_int_parameter_refuses_a_fraction_and_text)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("period=14.5", 0, &v, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "parameter period=14.5 is not a valid int");
    ck_assert_int_eq(assign("period=abc", 0, &v, &eb), STOM_EINVAL);
    ck_assert_int_eq(assign("period=20x", 0, &v, &eb), STOM_EINVAL);
    ck_assert_int_eq(assign("period=", 0, &v, &eb), STOM_EINVAL);
    ck_assert_double_eq(v, 14);
    /* A whole number written as a float is still a whole number. */
    ck_assert_int_eq(assign("period=20.0", 0, &v, &eb), STOM_OK);
    ck_assert_double_eq(v, 20);
}
END_TEST

START_TEST(a_float_parameter_refuses_text_infinity_and_nan)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("k=wide", 1, &v, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "parameter k=wide is not a valid float");
    ck_assert_int_eq(assign("k=inf", 1, &v, &eb), STOM_EINVAL);
    ck_assert_int_eq(assign("k=nan", 1, &v, &eb), STOM_EINVAL);
    ck_assert_int_eq(assign("k=3.5", 1, &v, &eb), STOM_OK);
    ck_assert_double_eq(v, 3.5);
}
END_TEST

START_TEST(a_bool_parameter_reads_true_yes_1_and_false_no_0)
{
    stom_errbuf eb = {{0}};
    double v;
    static const char *const yes[] = {"shorts=true", "shorts=yes", "shorts=1"};
    static const char *const no[] = {"shorts=false", "shorts=no", "shorts=0"};
    for (size_t k = 0; k < 3; k++) {
        ck_assert_int_eq(assign(yes[k], 2, &v, &eb), STOM_OK);
        ck_assert_double_eq(v, 1);
        ck_assert_int_eq(assign(no[k], 2, &v, &eb), STOM_OK);
        ck_assert_double_eq(v, 0);
    }
}
END_TEST

START_TEST(a_bool_parameter_refuses_anything_else)
{
    stom_errbuf eb = {{0}};
    double v;
    ck_assert_int_eq(assign("shorts=maybe", 2, &v, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "parameter shorts=maybe is not a valid bool");
    ck_assert_int_eq(assign("shorts=2", 2, &v, &eb), STOM_EINVAL);
    ck_assert_int_eq(assign("shorts=", 2, &v, &eb), STOM_EINVAL);
}
END_TEST

START_TEST(parameter_types_have_their_names)
{
    ck_assert_str_eq(stom_param_type_name(STOM_PARAM_INT), "int");
    ck_assert_str_eq(stom_param_type_name(STOM_PARAM_FLOAT), "float");
    ck_assert_str_eq(stom_param_type_name(STOM_PARAM_BOOL), "bool");
}
END_TEST

START_TEST(a_null_error_buffer_is_allowed)
{
    stom_params p;
    stom_params_default(&demo, &p);
    ck_assert_int_eq(stom_params_set(&demo, &p, "nope=1", NULL), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_params_set(&demo, &p, "period=1", NULL), STOM_ERANGE);
}
END_TEST

START_TEST(an_unknown_strategy_name_finds_nothing)
{
    ck_assert_ptr_null(stom_strategy_find("sma"));
    ck_assert_ptr_null(stom_strategy_find(""));
    ck_assert_ptr_nonnull(stom_strategy_find("momentum"));
}
END_TEST

static Suite *params_suite(void)
{
    Suite *s = suite_create("strategy_params");
    TCase *tc = tcase_create("params");
    tcase_add_test(tc, defaults_fill_every_parameter_in_schema_order);
    tcase_add_test(tc, a_parameter_is_found_by_its_exact_name_only);
    tcase_add_test(tc, a_valid_assignment_sets_only_its_own_parameter);
    tcase_add_test(tc, an_unknown_name_is_refused_with_the_list_of_valid_ones);
    tcase_add_test(tc, a_strategy_without_parameters_says_so_when_given_one);
    tcase_add_test(tc, text_without_a_name_and_an_equals_sign_is_refused);
    tcase_add_test(tc, a_value_outside_min_max_is_refused_with_the_range);
    tcase_add_test(tc, an_int_parameter_refuses_a_fraction_and_text);
    tcase_add_test(tc, a_float_parameter_refuses_text_infinity_and_nan);
    tcase_add_test(tc, a_bool_parameter_reads_true_yes_1_and_false_no_0);
    tcase_add_test(tc, a_bool_parameter_refuses_anything_else);
    tcase_add_test(tc, parameter_types_have_their_names);
    tcase_add_test(tc, a_null_error_buffer_is_allowed);
    tcase_add_test(tc, an_unknown_strategy_name_finds_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(params_suite());
}
