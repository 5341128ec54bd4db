/*
 * test_pb_from_json.c - the gateway's JSON read back into protobuf-c
 * messages (cli/pb_from_json.c), as the optimize and jobs reports read it:
 * params given as an object become repeated stom.v1.Param in every message
 * that has them, enums read from short names, and a oneof keeps one member.
 */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "pb_from_json.h"
#include "stom/v1/envelope.pb-c.h"
#include "test_support.h"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    ck_assert_msg(j != NULL, "%s", e.text);
    return j;
}

/* The Param named name among params, or NULL. */
static const Stom__V1__Param *param(Stom__V1__Param *const *params, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (params[k]->name && !strcmp(params[k]->name, name))
            return params[k];
    return NULL;
}

START_TEST(params_as_an_object_become_the_best_sets_and_the_results_params)
{
    json_t *j = parse("{\"total\": 2, \"results\": [{\"params\": {\"fast\": 5, \"k\": 1.5}}],"
                      " \"best\": [{\"unit\": 1, \"fold_index\": 2, \"params\": {\"fast\": 7,"
                      " \"on\": true}}]}");
    Stom__V1__ResultsPage *p =
        (Stom__V1__ResultsPage *)pb_from_json(&stom__v1__results_page__descriptor, j);
    json_decref(j);
    ck_assert_uint_eq(p->n_results, 1);
    ck_assert_uint_eq(p->results[0]->n_params, 2);
    const Stom__V1__Param *fast = param(p->results[0]->params, 2, "fast");
    ck_assert_ptr_nonnull(fast);
    ck_assert_int_eq(fast->value_case, STOM__V1__PARAM__VALUE_INT_VALUE);
    ck_assert_int_eq(fast->int_value, 5);
    const Stom__V1__Param *k = param(p->results[0]->params, 2, "k");
    ck_assert_int_eq(k->value_case, STOM__V1__PARAM__VALUE_REAL_VALUE);
    ck_assert_double_eq(k->real_value, 1.5);
    ck_assert_uint_eq(p->n_best, 1);
    ck_assert_uint_eq(p->best[0]->fold_index, 2);
    ck_assert_uint_eq(p->best[0]->n_params, 2);
    ck_assert_int_eq(param(p->best[0]->params, 2, "fast")->int_value, 7);
    ck_assert_int_eq(param(p->best[0]->params, 2, "on")->bool_value, 1);
    stom__v1__results_page__free_unpacked(p, NULL);
}
END_TEST

START_TEST(params_as_an_array_of_param_objects_are_read_as_they_are)
{
    json_t *j = parse("{\"params\": [{\"name\": \"slow\", \"int_value\": 20}]}");
    Stom__V1__TaskResult *r =
        (Stom__V1__TaskResult *)pb_from_json(&stom__v1__task_result__descriptor, j);
    json_decref(j);
    ck_assert_uint_eq(r->n_params, 1);
    ck_assert_str_eq(r->params[0]->name, "slow");
    ck_assert_int_eq(r->params[0]->int_value, 20);
    stom__v1__task_result__free_unpacked(r, NULL);
}
END_TEST

START_TEST(enums_read_short_names_and_a_oneof_keeps_its_first_member)
{
    json_t *j = parse("{\"job_id\": \"r1\", \"state\": \"done\", \"progress\": {\"done\": 3}}");
    Stom__V1__JobStatus *st =
        (Stom__V1__JobStatus *)pb_from_json(&stom__v1__job_status__descriptor, j);
    json_decref(j);
    ck_assert_int_eq(st->state, STOM__V1__JOB_STATE__JOB_STATE_DONE);
    ck_assert_uint_eq(st->progress->done, 3);
    stom__v1__job_status__free_unpacked(st, NULL);
    j = parse("{\"name\": \"x\", \"int_value\": 1, \"real_value\": 2.5}");
    Stom__V1__Param *p = (Stom__V1__Param *)pb_from_json(&stom__v1__param__descriptor, j);
    json_decref(j);
    ck_assert_int_eq(p->value_case, STOM__V1__PARAM__VALUE_INT_VALUE);
    stom__v1__param__free_unpacked(p, NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli_pb_from_json");
    TCase *tc = tcase_create("json to protobuf");
    tcase_add_test(tc, params_as_an_object_become_the_best_sets_and_the_results_params);
    tcase_add_test(tc, params_as_an_array_of_param_objects_are_read_as_they_are);
    tcase_add_test(tc, enums_read_short_names_and_a_oneof_keeps_its_first_member);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
