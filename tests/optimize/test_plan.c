/*
 * test_plan.c - validation schemes cut into folds (split.c), on a concrete
 * period: from Monday 2024-01-01 00:00 UTC for 20 weeks and 3 days.
 */
#include "stom/optimize.h"
#include "test_support.h"

#define W     INT64_C(604800)
#define FROM  INT64_C(1704067200)         /* 2024-01-01 00:00 UTC */
#define END   (FROM + 20 * W + 3 * 86400) /* 2024-05-23 00:00 UTC */
#define SHORT (FROM + 10 * W + 86400)     /* 10 weeks and a day */

static stom_plan plan(stom_split split, int train, int valid, int test, int folds)
{
    stom_split_spec spec = {split, train, valid, test, folds};
    stom_plan p;
    stom_errbuf eb = {{0}};
    int rc = stom_plan_make(&p, &spec, FROM, END, &eb);
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
    return p;
}

static void window_is(int64_t from, int64_t to, int64_t want_from, int64_t want_to)
{
    ck_assert_int_eq(from, want_from);
    ck_assert_int_eq(to, want_to);
}

START_TEST(none_optimises_on_the_whole_period)
{
    stom_plan p = plan(STOM_SPLIT_NONE, 0, 0, 0, 0);
    ck_assert_uint_eq(p.n_folds, 1);
    ck_assert_uint_eq(p.n_units, 1);
    window_is(p.folds[0].train_from, p.folds[0].train_to, FROM, END);
    window_is(p.folds[0].valid_from, p.folds[0].valid_to, 0, 0);
    window_is(p.folds[0].test_from, p.folds[0].test_to, 0, 0);
    stom_plan_free(&p);
}
END_TEST

START_TEST(holdout_validates_on_the_last_weeks)
{
    stom_plan p = plan(STOM_SPLIT_HOLDOUT, 8, 4, 0, 0);
    ck_assert_uint_eq(p.n_folds, 1);
    window_is(p.folds[0].train_from, p.folds[0].train_to, END - 12 * W, END - 4 * W);
    window_is(p.folds[0].valid_from, p.folds[0].valid_to, END - 4 * W, END);
    window_is(p.folds[0].test_from, p.folds[0].test_to, 0, 0);
    stom_plan_free(&p);
    p = plan(STOM_SPLIT_HOLDOUT, 0, 4, 0, 0);
    window_is(p.folds[0].train_from, p.folds[0].train_to, FROM, END - 4 * W);
    stom_plan_free(&p);
}
END_TEST

START_TEST(test_holds_out_the_last_weeks_after_train_and_valid)
{
    stom_plan p = plan(STOM_SPLIT_TEST, 8, 2, 4, 0);
    ck_assert_uint_eq(p.n_folds, 1);
    ck_assert_uint_eq(p.n_units, 1);
    window_is(p.folds[0].train_from, p.folds[0].train_to, END - 14 * W, END - 6 * W);
    window_is(p.folds[0].valid_from, p.folds[0].valid_to, END - 6 * W, END - 4 * W);
    window_is(p.folds[0].test_from, p.folds[0].test_to, END - 4 * W, END);
    stom_plan_free(&p);
    /* Without valid weeks train runs up to the test; without train weeks
     * from the start. */
    p = plan(STOM_SPLIT_TEST, 0, 0, 4, 0);
    window_is(p.folds[0].train_from, p.folds[0].train_to, FROM, END - 4 * W);
    window_is(p.folds[0].valid_from, p.folds[0].valid_to, 0, 0);
    window_is(p.folds[0].test_from, p.folds[0].test_to, END - 4 * W, END);
    stom_plan_free(&p);
}
END_TEST

START_TEST(cv_validates_each_block_and_trains_on_everything_before_it)
{
    /* 20 whole weeks: a week of train at least, then (20 - 1) / 4 = 4 blocks. */
    stom_plan p = plan(STOM_SPLIT_CV, 0, 4, 0, 0);
    ck_assert_uint_eq(p.n_folds, 4);
    ck_assert_uint_eq(p.n_units, 1);
    ck_assert_uint_eq(p.units[0].first_fold, 0);
    ck_assert_uint_eq(p.units[0].n_folds, 4);
    for (int64_t i = 0; i < 4; i++) {
        const stom_fold *f = &p.folds[i];
        window_is(f->valid_from, f->valid_to, END - (16 - 4 * i) * W, END - (12 - 4 * i) * W);
        window_is(f->train_from, f->train_to, FROM, f->valid_from);
        window_is(f->test_from, f->test_to, 0, 0);
    }
    stom_plan_free(&p);
}
END_TEST

START_TEST(cv_with_train_weeks_and_folds_starts_the_first_train_there)
{
    stom_plan p = plan(STOM_SPLIT_CV, 4, 4, 0, 3);
    ck_assert_uint_eq(p.n_folds, 3);
    window_is(p.folds[0].train_from, p.folds[0].train_to, END - 16 * W, END - 12 * W);
    window_is(p.folds[0].valid_from, p.folds[0].valid_to, END - 12 * W, END - 8 * W);
    window_is(p.folds[2].train_from, p.folds[2].train_to, END - 16 * W, END - 4 * W);
    window_is(p.folds[2].valid_from, p.folds[2].valid_to, END - 4 * W, END);
    stom_plan_free(&p);
}
END_TEST

START_TEST(walkforward_steps_train_and_test_windows_by_the_test_length)
{
    stom_plan p = plan(STOM_SPLIT_WALKFORWARD, 8, 0, 4, 0);
    /* 20 weeks: windows of 12 starting at weeks 0, 4 and 8. */
    ck_assert_uint_eq(p.n_folds, 3);
    ck_assert_uint_eq(p.n_units, 3);
    for (size_t j = 0; j < 3; j++) {
        const stom_fold *f = &p.folds[j];
        int64_t start = FROM + (int64_t)j * 4 * W;
        ck_assert_uint_eq(p.units[j].first_fold, j);
        ck_assert_uint_eq(p.units[j].n_folds, 1);
        window_is(f->train_from, f->train_to, start, start + 8 * W);
        window_is(f->valid_from, f->valid_to, 0, 0);
        window_is(f->test_from, f->test_to, start + 8 * W, start + 12 * W);
    }
    stom_plan_free(&p);
}
END_TEST

START_TEST(walkforward_with_valid_weeks_puts_them_between_train_and_test)
{
    stom_plan p = plan(STOM_SPLIT_WALKFORWARD, 6, 2, 3, 0);
    /* Windows of 11 weeks from weeks 0, 3, 6 and 9 (ending at 20). */
    ck_assert_uint_eq(p.n_units, 4);
    const stom_fold *f = &p.folds[3];
    window_is(f->train_from, f->train_to, FROM + 9 * W, FROM + 15 * W);
    window_is(f->valid_from, f->valid_to, FROM + 15 * W, FROM + 17 * W);
    window_is(f->test_from, f->test_to, FROM + 17 * W, FROM + 20 * W);
    stom_plan_free(&p);
}
END_TEST

static void refused(stom_split split, int train, int valid, int test, int folds, int64_t to,
                    const char *msg)
{
    stom_split_spec spec = {split, train, valid, test, folds};
    stom_plan p;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_plan_make(&p, &spec, FROM, to, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, msg);
    ck_assert_ptr_null(p.folds);
    ck_assert_ptr_null(p.units);
}

START_TEST(a_period_too_short_for_the_windows_is_refused_with_both_lengths)
{
    refused(STOM_SPLIT_WALKFORWARD, 8, 0, 4, 0, SHORT,
            "period has 10 weeks; walkforward needs at least train 8 + test 4 = 12 weeks");
    refused(STOM_SPLIT_WALKFORWARD, 6, 2, 3, 0, SHORT,
            "period has 10 weeks; walkforward needs at least train 6 + valid 2 + test 3 = 11 "
            "weeks");
    refused(STOM_SPLIT_HOLDOUT, 8, 4, 0, 0, SHORT,
            "period has 10 weeks; holdout needs at least train 8 + valid 4 = 12 weeks");
    refused(STOM_SPLIT_HOLDOUT, 0, 10, 0, 0, SHORT,
            "period has 10 weeks; holdout needs at least train 1 + valid 10 = 11 weeks");
    refused(STOM_SPLIT_TEST, 4, 4, 4, 0, SHORT,
            "period has 10 weeks; test needs at least train 4 + valid 4 + test 4 = 12 weeks");
    refused(STOM_SPLIT_CV, 0, 5, 0, 0, SHORT,
            "period has 10 weeks; cv needs at least train 1 + 2 x valid 5 = 11 weeks");
    refused(STOM_SPLIT_CV, 4, 2, 0, 4, SHORT,
            "period has 10 weeks; cv needs at least train 4 + 4 x valid 2 = 12 weeks");
}
END_TEST

START_TEST(missing_windows_and_bad_lengths_are_refused)
{
    refused(STOM_SPLIT_NONE, 0, 0, 0, 0, FROM, "the period is empty");
    refused(STOM_SPLIT_HOLDOUT, 8, -1, 0, 0, END, "window lengths and folds must not be negative");
    refused(STOM_SPLIT_HOLDOUT, 8, 0, 0, 0, END, "holdout needs valid_weeks >= 1");
    refused(STOM_SPLIT_CV, 8, 0, 0, 0, END, "cv needs valid_weeks >= 1");
    refused(STOM_SPLIT_CV, 8, 2, 0, 1, END, "cv needs at least 2 folds (1 fold is holdout)");
    refused(STOM_SPLIT_TEST, 8, 2, 0, 0, END, "test needs test_weeks >= 1");
    refused(STOM_SPLIT_WALKFORWARD, 0, 0, 4, 0, END, "walkforward needs train_weeks >= 1");
    refused(STOM_SPLIT_HOLDOUT, 200000, 1, 0, 0, END,
            "windows are at most 100000 weeks and folds at most 10000");
}
END_TEST

START_TEST(schemes_are_named_in_english_and_in_stoms_korean)
{
    stom_split s;
    static const char *const names[] = {"none", "holdout", "cv", "test", "walkforward"};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(stom_split_parse(names[i], &s), STOM_OK);
        ck_assert_int_eq(s, i);
        ck_assert_str_eq(stom_split_name(s), names[i]);
    }
    ck_assert_int_eq(stom_split_parse("검증", &s), STOM_OK);
    ck_assert_int_eq(s, STOM_SPLIT_HOLDOUT);
    ck_assert_int_eq(stom_split_parse("교차검증", &s), STOM_OK);
    ck_assert_int_eq(s, STOM_SPLIT_CV);
    ck_assert_int_eq(stom_split_parse("최적화 테스트", &s), STOM_OK);
    ck_assert_int_eq(s, STOM_SPLIT_TEST);
    ck_assert_int_eq(stom_split_parse("전진분석", &s), STOM_OK);
    ck_assert_int_eq(s, STOM_SPLIT_WALKFORWARD);
    ck_assert_int_eq(stom_split_parse("Walk-Forward", &s), STOM_OK);
    ck_assert_int_eq(s, STOM_SPLIT_WALKFORWARD);
    ck_assert_int_eq(stom_split_parse("kfold", &s), STOM_ENOTFOUND);
    ck_assert_str_eq(stom_split_name((stom_split)42), "?");
}
END_TEST

static Suite *plan_suite(void)
{
    Suite *s = suite_create("optimize_plan");
    TCase *tc = tcase_create("plan");
    tcase_add_test(tc, none_optimises_on_the_whole_period);
    tcase_add_test(tc, holdout_validates_on_the_last_weeks);
    tcase_add_test(tc, test_holds_out_the_last_weeks_after_train_and_valid);
    tcase_add_test(tc, cv_validates_each_block_and_trains_on_everything_before_it);
    tcase_add_test(tc, cv_with_train_weeks_and_folds_starts_the_first_train_there);
    tcase_add_test(tc, walkforward_steps_train_and_test_windows_by_the_test_length);
    tcase_add_test(tc, walkforward_with_valid_weeks_puts_them_between_train_and_test);
    tcase_add_test(tc, a_period_too_short_for_the_windows_is_refused_with_both_lengths);
    tcase_add_test(tc, missing_windows_and_bad_lengths_are_refused);
    tcase_add_test(tc, schemes_are_named_in_english_and_in_stoms_korean);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(plan_suite());
}
