/*
 * test_vars.c - STOM `vars` text as ranges (vars.c): both list forms, the
 * var<k> and k-th-parameter mappings, fixed parameters and the errors with
 * their line numbers.
 */
#include <stdio.h>
#include <string.h>

#include "stom/optimize.h"
#include "test_support.h"

/* The importer's naming: var0.. (docs/stom-import.md). */
static const stom_param_spec imported_params[] = {
    {"var0", STOM_PARAM_INT, 20, 5, 30, 5, "이동평균 기간"},
    {"var1", STOM_PARAM_FLOAT, 3, 1, 5, 0.5, "익절 수익률 (%)"},
    {"var2", STOM_PARAM_FLOAT, 2, 1, 3, 0.5, "손절 수익률 (%)"},
};

static const stom_param_spec named_params[] = {
    {"fast", STOM_PARAM_INT, 10, 1, 100, 1, "bars"},
    {"slow", STOM_PARAM_INT, 30, 2, 200, 1, "bars"},
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

static const stom_strategy_def imported = {
    .name = "imported",
    .summary = "as stom import-stom writes it",
    .params = imported_params,
    .n_params = 3,
    .state_size = 1,
    .init = noop_init,
    .on_bar = noop_on_bar,
};

static const stom_strategy_def named = {
    .name = "named",
    .summary = "parameters without var names",
    .params = named_params,
    .n_params = 2,
    .state_size = 1,
    .init = noop_init,
    .on_bar = noop_on_bar,
};

typedef struct parsed {
    int rc;
    stom_params base;
    stom_opt_range *ranges;
    size_t n;
    stom_errbuf eb;
} parsed;

static parsed parse(const stom_strategy_def *def, const char *text)
{
    parsed p = {0};
    stom_params_default(def, &p.base);
    p.rc = stom_opt_parse_vars(def, text, &p.base, &p.ranges, &p.n, &p.eb);
    return p;
}

START_TEST(the_documented_example_parses_into_ranges_and_bests)
{
    parsed p = parse(&imported, "# 변수\n"
                                "self.vars[0] = [[5, 30, 5], 20]        # 이동평균 기간\n"
                                "self.vars[1] = [[1.0, 5.0, 0.5], 3.5]\n"
                                "\n"
                                "self.vars[2] = [[1.0, 3.0, 0.5], 2.0]  # 손절\n");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_uint_eq(p.n, 3);
    ck_assert_str_eq(p.ranges[0].name, "var0");
    ck_assert_double_eq(p.ranges[0].min, 5);
    ck_assert_double_eq(p.ranges[0].max, 30);
    ck_assert_double_eq(p.ranges[0].step, 5);
    ck_assert_uint_eq(p.ranges[0].n_values, 0);
    ck_assert_str_eq(p.ranges[1].name, "var1");
    ck_assert_double_eq(p.ranges[1].step, 0.5);
    ck_assert_double_eq(p.base.v[0], 20);
    ck_assert_double_eq(p.base.v[1], 3.5);
    ck_assert_double_eq(p.base.v[2], 2);

    stom_opt_space s;
    ck_assert_int_eq(stom_opt_space_init(&s, &imported, &p.base, p.ranges, p.n, NULL), STOM_OK);
    ck_assert_uint_eq(stom_opt_space_size(&s), 6 * 9 * 5);
    stom_opt_space_free(&s);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

START_TEST(a_ga_list_gives_its_values)
{
    parsed p = parse(&imported, "self.vars[0] = [[10, 25, 5, 30], 25]\n"
                                "self.vars[1]=[[1.5,2,4.5],2]\r\n"
                                "vars[2] = [[3, 1], 3]");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_uint_eq(p.n, 3);
    ck_assert_uint_eq(p.ranges[0].n_values, 4);
    ck_assert_double_eq(p.ranges[0].values[3], 30);
    ck_assert_uint_eq(p.ranges[1].n_values, 3);
    ck_assert_double_eq(p.ranges[1].values[2], 4.5);
    ck_assert_uint_eq(p.ranges[2].n_values, 2);
    ck_assert_double_eq(p.base.v[0], 25);
    ck_assert_double_eq(p.base.v[2], 3);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

START_TEST(three_numbers_are_a_walk_only_when_the_step_fits)
{
    /* [5, 30, 5] walks; [5, 15, 20]'s step passes the end: a list; so is a
     * descending triple. */
    parsed p = parse(&imported, "self.vars[0] = [[5, 30, 5], 20]\n"
                                "self.vars[1] = [[1, 2, 4], 2]\n"
                                "self.vars[2] = [[3, 2, 1], 2]\n");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_uint_eq(p.ranges[0].n_values, 0);
    ck_assert_uint_eq(p.ranges[1].n_values, 3);
    ck_assert_uint_eq(p.ranges[2].n_values, 3);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

START_TEST(a_range_without_width_fixes_the_parameter_at_best)
{
    parsed p = parse(&imported, "self.vars[0] = [[30, 30, 0], 30]\n"
                                "self.vars[1] = [[4], 4.5]\n"
                                "self.vars[2] = [[1, 3, 1], 1.5]\n");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_uint_eq(p.n, 3);
    ck_assert_uint_eq(p.ranges[0].n_values, 1);
    ck_assert_double_eq(p.ranges[0].values[0], 30);
    ck_assert_uint_eq(p.ranges[1].n_values, 1);
    ck_assert_double_eq(p.ranges[1].values[0], 4.5);
    stom_opt_space s;
    ck_assert_int_eq(stom_opt_space_init(&s, &imported, &p.base, p.ranges, p.n, NULL), STOM_OK);
    ck_assert_uint_eq(s.n_dims, 1);
    ck_assert_double_eq(s.base.v[0], 30);
    ck_assert_double_eq(s.base.v[1], 4.5);
    ck_assert_double_eq(s.base.v[2], 1.5);
    stom_opt_space_free(&s);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

START_TEST(without_var_names_vars_k_is_the_kth_parameter)
{
    parsed p = parse(&named, "self.vars[1] = [[20, 60, 10], 40]\n"
                             "self.vars[0] = [[2, 10, 2], 4]\n");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_str_eq(p.ranges[0].name, "slow");
    ck_assert_str_eq(p.ranges[1].name, "fast");
    ck_assert_double_eq(p.base.v[0], 4);
    ck_assert_double_eq(p.base.v[1], 40);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

START_TEST(an_empty_text_gives_no_ranges)
{
    parsed p = parse(&named, "\n  # nothing\n\n");
    ck_assert_int_eq(p.rc, STOM_OK);
    ck_assert_uint_eq(p.n, 0);
    stom_opt_ranges_free(p.ranges, p.n);
}
END_TEST

/* Parses text into a default base and expects code and message. */
static void refused(const stom_strategy_def *def, const char *text, int rc, const char *msg)
{
    parsed p = parse(def, text);
    ck_assert_int_eq(p.rc, rc);
    ck_assert_str_eq(p.eb.msg, msg);
    ck_assert_ptr_null(p.ranges);
    /* The base is left as it was. */
    ck_assert_double_eq(p.base.v[0], def->params[0].def);
}

START_TEST(malformed_lines_are_refused_with_their_line_number)
{
    refused(&imported, "self.vars[0] = [[5, 30, 5], 20]\nself.vars[1] = [[1, 5, 1] 3]\n",
            STOM_EFORMAT, "vars:2: expected ', best' after the range");
    refused(&imported, "self.var[0] = [[5, 30, 5], 20]", STOM_EFORMAT,
            "vars:1: expected self.vars[<n>] = [[...], best]");
    refused(&imported, "self.vars[x] = [[5, 30, 5], 20]", STOM_EFORMAT,
            "vars:1: expected the variable's number (0..999) in vars[...]");
    refused(&imported, "\n\nself.vars[0] = [5, 30, 5]", STOM_EFORMAT,
            "vars:3: expected '[' opening the list of values");
    refused(&imported, "self.vars[0] = [[5, 30, 5], 20] x", STOM_EFORMAT,
            "vars:1: unexpected text after the assignment");
    refused(&imported, "self.vars[0] = [[5, , 5], 20]", STOM_EFORMAT,
            "vars:1: expected a number in the list");
    refused(&imported, "self.vars[0] = [[], 20]", STOM_EFORMAT,
            "vars:1: expected a number in the list");
    refused(&imported, "self.vars[0] = [[5, 30, 5],\n 20]", STOM_EFORMAT,
            "vars:1: expected the best value after the range");
    refused(&imported, "self.vars[0] = [[5, 30, 5], inf]", STOM_EFORMAT,
            "vars:1: expected the best value after the range");
    refused(&imported, "self.vars[0] = [[5, 30, 5], 20", STOM_EFORMAT,
            "vars:1: expected ']' after the best value");
}
END_TEST

START_TEST(values_the_parameter_cannot_take_are_refused_with_their_line)
{
    refused(&imported, "self.vars[0] = [[5, 40, 5], 20]", STOM_EINVAL,
            "vars:1: var0: 40 is outside the parameter's range 5..30");
    refused(&imported, "self.vars[0] = [[5, 30, 2.5], 20]", STOM_EINVAL,
            "vars:1: var0: step 2.5 is not a whole number");
    refused(&imported, "self.vars[0] = [[5, 30, 5], 22.5]", STOM_EINVAL,
            "vars:1: var0: best 22.5 is not a whole number");
    refused(&imported, "\nself.vars[1] = [[1, 5, 1], 9]", STOM_EINVAL,
            "vars:2: var1: best 9 is outside the parameter's range 1..5");
    refused(&imported, "self.vars[0] = [[5, 30, 5], 20]\nself.vars[0] = [[5, 10, 5], 5]",
            STOM_EINVAL, "vars:2: var0 is set twice");
    refused(&imported, "self.vars[3] = [[1, 2, 1], 1]", STOM_ENOTFOUND,
            "vars:1: vars[3] matches no parameter (imported has no var3 and 3 parameters)");
}
END_TEST

START_TEST(a_list_over_the_value_limit_is_too_big)
{
    enum { N = STOM_OPT_DIM_MAX_VALUES + 1 };
    static char text[N * 8 + 64];
    size_t used = (size_t)snprintf(text, sizeof text, "self.vars[1] = [[");
    for (int i = 0; i < N; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s3", i ? "," : "");
    snprintf(text + used, sizeof text - used, "], 3]");
    refused(&imported, text, STOM_ETOOBIG, "vars:1: more than 10000 values in one list");
}
END_TEST

static Suite *vars_suite(void)
{
    Suite *s = suite_create("optimize_vars");
    TCase *tc = tcase_create("vars");
    tcase_add_test(tc, the_documented_example_parses_into_ranges_and_bests);
    tcase_add_test(tc, a_ga_list_gives_its_values);
    tcase_add_test(tc, three_numbers_are_a_walk_only_when_the_step_fits);
    tcase_add_test(tc, a_range_without_width_fixes_the_parameter_at_best);
    tcase_add_test(tc, without_var_names_vars_k_is_the_kth_parameter);
    tcase_add_test(tc, an_empty_text_gives_no_ranges);
    tcase_add_test(tc, malformed_lines_are_refused_with_their_line_number);
    tcase_add_test(tc, values_the_parameter_cannot_take_are_refused_with_their_line);
    tcase_add_test(tc, a_list_over_the_value_limit_is_too_big);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(vars_suite());
}
