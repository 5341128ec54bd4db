/*
 * test_backtester.c - the distributed backtester end to end: the real
 * coordinator and workers over nng, PostgreSQL for bars, jobs and results.
 * The same job must give identical result rows whatever the number of
 * workers; bad job specs are refused with a message.
 */
#include "harness.h"
#include "test_support.h"

static void run_job(harness *h, h_spec *s, int workers, char *digest, size_t len)
{
    for (int i = 0; i < workers; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%d", i + 1);
        h_start_worker(h, id);
    }
    char err[256];
    h_submit(h, s, err, sizeof err);
    ck_assert_msg(err[0] == 0, "job refused: %s", err);
    ck_assert_int_eq(h_wait(h, s->spec.job_id, 90, NULL), STOM__V1__JOB_STATE__JOB_STATE_DONE);
    h_stop_workers(h, SIGTERM);
    h_digest(h, s->spec.job_id, digest, len);
    /* Start and end are the moments they happened, not one transaction's now(). */
    char ordered[8];
    h_sql(h, "SELECT finished_at > started_at FROM jobs WHERE id = $1", s->spec.job_id, ordered,
          sizeof ordered);
    ck_assert_str_eq(ordered, "t");
}

START_TEST(a_grid_gives_identical_results_with_one_and_three_workers)
{
    harness h;
    h_init(&h, "grid");
    h_import(&h, "005930", 20, 7);
    h_start_coordinator(&h);
    h_spec a, b;
    char d1[128], d3[128];
    h_spec_init(&a, &h, "grid-1", "005930");
    run_job(&h, &a, 1, d1, sizeof d1);
    h_spec_init(&b, &h, "grid-3", "005930");
    run_job(&h, &b, 3, d3, sizeof d3);
    ck_assert_str_eq(d1, d3);
    ck_assert_msg(!strncmp(d1, "100:", 4), "expected 100 results, got %s", d1);
    h_fini(&h);
}
END_TEST

START_TEST(a_genetic_search_gives_identical_results_with_one_and_three_workers)
{
    harness h;
    h_init(&h, "ga");
    h_import(&h, "005930", 20, 11);
    h_start_coordinator(&h);
    h_spec a, b;
    char d1[128], d3[128];
    h_spec_init(&a, &h, "ga-1", "005930");
    a.spec.method = b.spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    a.spec.has_seed = 1;
    a.spec.seed = 42;
    a.spec.has_max_evaluations = 1;
    a.spec.max_evaluations = 60;
    run_job(&h, &a, 1, d1, sizeof d1);
    h_spec_init(&b, &h, "ga-3", "005930");
    b.spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    b.spec.has_seed = 1;
    b.spec.seed = 42;
    b.spec.has_max_evaluations = 1;
    b.spec.max_evaluations = 60;
    run_job(&h, &b, 3, d3, sizeof d3);
    ck_assert_str_eq(d1, d3);
    h_fini(&h);
}
END_TEST

START_TEST(a_walk_forward_job_gives_identical_results_and_out_of_sample_rows)
{
    harness h;
    h_init(&h, "wf");
    h_import(&h, "005930", 60, 5);
    h_start_coordinator(&h);
    h_spec a, b;
    char d1[128], d3[128], tests[32];
    for (int k = 0; k < 2; k++) {
        h_spec *s = k ? &b : &a;
        h_spec_init(s, &h, k ? "wf-3" : "wf-1", "005930");
        s->validation.has_scheme = s->validation.has_train_weeks = s->validation.has_test_weeks = 1;
        s->validation.scheme = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_WALK_FORWARD;
        s->validation.train_weeks = 4;
        s->validation.test_weeks = 2;
        s->spec.validation = &s->validation;
    }
    run_job(&h, &a, 1, d1, sizeof d1);
    run_job(&h, &b, 3, d3, sizeof d3);
    ck_assert_str_eq(d1, d3);
    h_sql(&h, "SELECT count(*) FROM results WHERE job_id = $1 AND phase = 'test'", "wf-3", tests,
          sizeof tests);
    ck_assert_int_ge(atoi(tests), 2); /* one out-of-sample run per window */
    h_fini(&h);
}
END_TEST

START_TEST(bad_job_specs_are_refused_with_a_message)
{
    harness h;
    h_init(&h, "bad");
    h_import(&h, "005930", 3, 1);
    h_start_coordinator(&h);
    h_spec s;
    char err[256];
    h_spec_init(&s, &h, "bad-1", "005930");
    s.spec.strategy_name = "no_such_strategy";
    h_submit(&h, &s, err, sizeof err);
    ck_assert_msg(strstr(err, "unknown strategy 'no_such_strategy'"), "%s", err);
    h_spec_init(&s, &h, "bad-2", "005930");
    s.period.to_ns = s.period.from_ns;
    h_submit(&h, &s, err, sizeof err);
    ck_assert_msg(strstr(err, "empty period"), "%s", err);
    h_spec_init(&s, &h, "bad-3", "000660");
    h_submit(&h, &s, err, sizeof err);
    ck_assert_msg(strstr(err, "no 1m bars of 000660"), "%s", err);
    h_spec_init(&s, &h, "bad-4", "005930");
    s.ranges[0].name = "fastest";
    h_submit(&h, &s, err, sizeof err);
    ck_assert_msg(strstr(err, "fastest"), "%s", err);
    char jobs[16];
    h_sql(&h, "SELECT count(*) FROM jobs", NULL, jobs, sizeof jobs);
    ck_assert_str_eq(jobs, "0");
    h_fini(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("backtester");
    TCase *tc = tcase_create("jobs");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, a_grid_gives_identical_results_with_one_and_three_workers);
    tcase_add_test(tc, a_genetic_search_gives_identical_results_with_one_and_three_workers);
    tcase_add_test(tc, a_walk_forward_job_gives_identical_results_and_out_of_sample_rows);
    tcase_add_test(tc, bad_job_specs_are_refused_with_a_message);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
