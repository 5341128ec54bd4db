/*
 * report_optimize_json.c - a job's results as one JSON object (--json of
 * `stom optimize` and `stom jobs show`):
 *
 *   {"job": "j-…", "state": "done", "strategy": "sma_cross", "method": "grid",
 *    "objective_name": "TG", "evaluated": 1000, "failed": 0, "elapsed_ms": 4210,
 *    "results": [{"rank": 1, "params": {"fast": 5}, "objective": 123.0 | null,
 *                 "constraints_met": true, "violated": [], "failed": false,
 *                 "unit": 0, "fold": 0, "metrics": {…}, "valid_metrics": {…} | null,
 *                 "test_metrics": {…} | null, …}],
 *    "best": [{"unit": 0, "fold": 0,
 *              "periods": {"train": ["2024-01-01", "2024-03-31"], "valid": null, "test": […]},
 *              "params": {…}, "objective": …, "in_sample": {…}, "valid": {…} | null,
 *              "out_of_sample": {…} | null, "test_objective": … | null}]}
 *
 * Metrics objects are the stom.v1.Metrics message as stom_pb_to_json writes
 * it (field names as in the proto, unset fields left out). A number that is
 * not finite (the −∞ of a failed or constraint-breaking set) is null.
 */
#include <math.h>

#include "optimize.h"
#include "stom/pb_json.h"

static json_t *number(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *message(const ProtobufCMessage *m)
{
    json_t *j = m ? stom_pb_to_json(m) : NULL;
    return j ? j : json_null();
}

static json_t *param_value(const Stom__V1__Param *p)
{
    switch (p->value_case) {
    case STOM__V1__PARAM__VALUE_INT_VALUE:
        return json_integer(p->int_value);
    case STOM__V1__PARAM__VALUE_REAL_VALUE:
        return number(p->real_value);
    case STOM__V1__PARAM__VALUE_BOOL_VALUE:
        return json_boolean(p->bool_value);
    case STOM__V1__PARAM__VALUE_TEXT_VALUE:
        return json_string(p->text_value);
    default:
        return json_null();
    }
}

static json_t *params_object(Stom__V1__Param *const *params, size_t n)
{
    json_t *o = json_object();
    for (size_t k = 0; k < n; k++)
        if (params[k]->name)
            json_object_set_new(o, params[k]->name, param_value(params[k]));
    return o;
}

/* An inclusive KST date pair, or null for an absent window. */
static json_t *period_pair(const Stom__V1__Period *p)
{
    if (p == NULL || !p->has_from_ns || !p->has_to_ns || p->to_ns <= p->from_ns)
        return json_null();
    char from[16], to[16];
    return json_pack("[ss]", format_kst(p->from_ns, true, from, sizeof from),
                     format_kst(p->to_ns - 1, true, to, sizeof to));
}

static json_t *result_json(const Stom__V1__TaskResult *t, size_t rank)
{
    bool failed = t->status == STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    bool met = !t->has_constraints_met || t->constraints_met;
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer((json_int_t)rank));
    json_object_set_new(o, "params", params_object(t->params, t->n_params));
    json_object_set_new(o, "objective",
                        t->has_objective && !failed && met ? number(t->objective) : json_null());
    json_object_set_new(o, "constraints_met", json_boolean(met && !failed));
    json_t *violated = json_array();
    for (size_t k = 0; k < t->n_violated; k++)
        json_array_append_new(violated, json_string(t->violated[k]));
    json_object_set_new(o, "violated", violated);
    json_object_set_new(o, "failed", json_boolean(failed));
    if (failed)
        json_object_set_new(o, "error", json_string(t->error ? t->error : ""));
    json_object_set_new(o, "unit", json_integer(t->unit));
    json_object_set_new(o, "fold", json_integer(t->fold_index));
    json_object_set_new(o, "metrics", message((const ProtobufCMessage *)t->metrics));
    json_object_set_new(o, "valid_metrics", message((const ProtobufCMessage *)t->valid_metrics));
    json_object_set_new(o, "test_metrics", message((const ProtobufCMessage *)t->test_metrics));
    if (t->has_valid_objective)
        json_object_set_new(o, "valid_objective", number(t->valid_objective));
    if (t->has_test_objective)
        json_object_set_new(o, "test_objective", number(t->test_objective));
    return o;
}

static json_t *best_json(const Stom__V1__FoldBest *b)
{
    const Stom__V1__Fold *f = b->fold;
    json_t *o = json_object();
    json_object_set_new(o, "unit", json_integer(b->unit));
    json_object_set_new(o, "fold", json_integer(b->fold_index));
    json_t *periods = json_object();
    json_object_set_new(periods, "train", period_pair(f ? f->train : NULL));
    json_object_set_new(periods, "valid", period_pair(f ? f->valid : NULL));
    json_object_set_new(periods, "test", period_pair(f ? f->test : NULL));
    json_object_set_new(o, "periods", periods);
    json_object_set_new(o, "params", params_object(b->params, b->n_params));
    json_object_set_new(o, "objective", b->has_objective ? number(b->objective) : json_null());
    json_object_set_new(o, "in_sample", message((const ProtobufCMessage *)b->in_sample));
    json_object_set_new(o, "valid", message((const ProtobufCMessage *)b->valid));
    json_object_set_new(o, "out_of_sample", message((const ProtobufCMessage *)b->out_of_sample));
    json_object_set_new(o, "test_objective",
                        b->has_test_objective ? number(b->test_objective) : json_null());
    return o;
}

static void add_job_fields(json_t *o, const optimize_report *r)
{
    const Stom__V1__JobStatus *st = r->status;
    const Stom__V1__JobSpec *s = r->spec;
    const char *id = r->page->job_id ? r->page->job_id : st && st->job_id ? st->job_id : "";
    json_object_set_new(o, "job", json_string(id));
    if (st != NULL)
        json_object_set_new(o, "state", json_string(job_state_name(st->state)));
    if (s != NULL) {
        json_object_set_new(o, "strategy", json_string(s->strategy_name ? s->strategy_name : ""));
        json_object_set_new(o, "method", json_string(method_pb_name(s->method)));
        json_object_set_new(o, "objective_name", json_string(objective_pb_name(s->objective)));
    }
    json_object_set_new(o, "evaluated", json_integer((json_int_t)r->page->total));
    const Stom__V1__Progress *pr = st ? st->progress : NULL;
    int64_t ms = 0;
    if (pr != NULL)
        json_object_set_new(o, "failed", json_integer((json_int_t)pr->failed));
    if (st != NULL && job_elapsed_ms(st, &ms))
        json_object_set_new(o, "elapsed_ms", json_integer(ms));
}

json_t *optimize_report_json(const optimize_report *r)
{
    json_t *o = json_object();
    add_job_fields(o, r);
    size_t n = r->page->n_results;
    if (r->top > 0 && n > r->top)
        n = r->top;
    json_t *results = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(results, result_json(r->page->results[k], k + 1));
    json_object_set_new(o, "results", results);
    json_t *best = json_array();
    for (size_t k = 0; k < r->page->n_best; k++)
        json_array_append_new(best, best_json(r->page->best[k]));
    json_object_set_new(o, "best", best);
    return o;
}
