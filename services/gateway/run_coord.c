/*
 * run_coord.c - the run routes' requests to the coordinator and its
 * answers as JSON (see run_coord.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run_coord.h"
#include "api_time.h"
#include "run_store.h"
#include "stom/pb_json.h"

const char *gw_run_state_name(Stom__V1__JobState s)
{
    switch (s) {
    case STOM__V1__JOB_STATE__JOB_STATE_QUEUED:
        return "queued";
    case STOM__V1__JOB_STATE__JOB_STATE_RUNNING:
        return "running";
    case STOM__V1__JOB_STATE__JOB_STATE_PAUSED:
        return "paused";
    case STOM__V1__JOB_STATE__JOB_STATE_DONE:
        return "done";
    case STOM__V1__JOB_STATE__JOB_STATE_FAILED:
        return "failed";
    case STOM__V1__JOB_STATE__JOB_STATE_CANCELLED:
        return "cancelled";
    default:
        return "unknown";
    }
}

static json_t *real_or_null(bool has, double v)
{
    return has && isfinite(v) ? json_real(v) : json_null();
}

int gw_run_coord_submit(gw_coord *c, Stom__V1__JobSpec *spec, const char **state, stom_errbuf *eb)
{
    stom_bus_received r = {0};
    int rc = gw_coord_call(c, &spec->base, STOM__V1__ENVELOPE__BODY_JOB_STATUS, &r, eb);
    if (rc)
        return rc;
    const Stom__V1__JobStatus *st = r.msg.env->job_status;
    /* A refused spec comes back as a status with an error and nothing stored. */
    if (st->error)
        rc = stom_errorf(eb, STOM_EFORMAT, "%s",
                         st->error->message ? st->error->message : "the job was refused");
    *state = gw_run_state_name(st->state);
    stom_bus_received_free(&r);
    return rc;
}

static json_t *status_json(const char *job_id, const Stom__V1__JobStatus *st)
{
    const Stom__V1__Progress *p = st->progress;
    json_t *eta = p && p->has_eta_ms && st->state == STOM__V1__JOB_STATE__JOB_STATE_RUNNING
                      ? json_real((double)p->eta_ms / 1000.0)
                      : json_null();
    return json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "id", job_id, "state",
        gw_run_state_name(st->state), "done", (json_int_t)(p ? p->done : 0), "total",
        (json_int_t)(p ? p->total : 0), "failed", (json_int_t)(p ? p->failed : 0), "best_objective",
        real_or_null(p && p->has_best_objective, p ? p->best_objective : 0), "eta_s", eta, "error",
        st->error && st->error->message ? json_string(st->error->message) : json_null());
}

int gw_run_coord_control(gw_coord *c, const char *job_id, Stom__V1__JobAction action,
                         json_t **status, stom_errbuf *eb)
{
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = (char *)job_id;
    jc.has_action = 1;
    jc.action = action;
    stom_bus_received r = {0};
    int rc = gw_coord_call(c, &jc.base, STOM__V1__ENVELOPE__BODY_JOB_STATUS, &r, eb);
    if (rc)
        return rc;
    *status = status_json(job_id, r.msg.env->job_status);
    stom_bus_received_free(&r);
    return 0;
}

/* Params as {name: value}. */
static json_t *params_json(Stom__V1__Param *const *params, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) {
        const Stom__V1__Param *q = params[i];
        json_t *v =
            q->value_case == STOM__V1__PARAM__VALUE_INT_VALUE    ? json_integer(q->int_value)
            : q->value_case == STOM__V1__PARAM__VALUE_BOOL_VALUE ? json_boolean(q->bool_value)
            : q->value_case == STOM__V1__PARAM__VALUE_TEXT_VALUE ? json_string(q->text_value)
                                                                 : json_real(q->real_value);
        if (q->name && v)
            json_object_set_new(o, q->name, v);
        else
            json_decref(v);
    }
    return o;
}

static json_t *pb_or_null(const ProtobufCMessage *m)
{
    json_t *j = m ? stom_pb_to_json(m) : NULL;
    return j ? j : json_null();
}

static json_t *result_json(const Stom__V1__TaskResult *r)
{
    json_t *violated = json_array();
    for (size_t i = 0; i < r->n_violated; i++)
        json_array_append_new(violated, json_string(r->violated[i]));
    /* unit and fold say which search a set belongs to (walk-forward, cross-validation). */
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "unit",
                     (json_int_t)r->unit, "fold", (json_int_t)r->fold_index, "params",
                     params_json(r->params, r->n_params), "metrics",
                     pb_or_null(r->metrics ? &r->metrics->base : NULL), "objective",
                     real_or_null(r->has_objective, r->objective), "valid_objective",
                     real_or_null(r->has_valid_objective, r->valid_objective), "test_objective",
                     real_or_null(r->has_test_objective, r->test_objective), "constraints_met",
                     !r->has_constraints_met || r->constraints_met, "violated", violated, "error",
                     r->error && r->error[0] ? json_string(r->error) : json_null());
}

static json_t *period_json(const Stom__V1__Period *p)
{
    char from[40], to[40];
    if (!p)
        return json_null();
    gw_api_time_format(p->from_ns / 1000000000, from, sizeof from);
    gw_api_time_format(p->to_ns / 1000000000, to, sizeof to);
    return json_pack("{s:s, s:s}", "from", from, "to", to);
}

static json_t *fold_json(const Stom__V1__FoldBest *b)
{
    const Stom__V1__Fold *f = b->fold;
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "unit",
                     (json_int_t)b->unit, "fold", (json_int_t)b->fold_index, "train",
                     period_json(f ? f->train : NULL), "valid", period_json(f ? f->valid : NULL),
                     "test", period_json(f ? f->test : NULL), "params",
                     params_json(b->params, b->n_params), "objective",
                     real_or_null(b->has_objective, b->objective), "test_objective",
                     real_or_null(b->has_test_objective, b->test_objective), "in_sample",
                     pb_or_null(b->in_sample ? &b->in_sample->base : NULL), "valid_metrics",
                     pb_or_null(b->valid ? &b->valid->base : NULL), "out_of_sample",
                     pb_or_null(b->out_of_sample ? &b->out_of_sample->base : NULL));
}

/* Walk-forward windows: each unit's train and test periods with its in- and out-of-sample figures.
 */
static json_t *walkforward_json(const Stom__V1__ResultsPage *page)
{
    json_t *a = json_array();
    for (size_t i = 0; i < page->n_best; i++) {
        const Stom__V1__FoldBest *b = page->best[i];
        const Stom__V1__Metrics *in = b->in_sample, *out = b->out_of_sample;
        json_array_append_new(
            a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "window", (json_int_t)b->unit,
                         "train", period_json(b->fold ? b->fold->train : NULL), "test",
                         period_json(b->fold ? b->fold->test : NULL), "params",
                         params_json(b->params, b->n_params), "objective",
                         real_or_null(b->has_objective, b->objective), "test_objective",
                         real_or_null(b->has_test_objective, b->test_objective),
                         "in_sample_return_pct",
                         real_or_null(in && in->has_return_pct, in ? in->return_pct : 0),
                         "out_of_sample_return_pct",
                         real_or_null(out && out->has_return_pct, out ? out->return_pct : 0)));
    }
    return a;
}

int gw_run_coord_results(gw_coord *c, const char *job_id, uint32_t offset, uint32_t limit,
                         bool walkforward, json_t **out, stom_errbuf *eb)
{
    Stom__V1__ResultsQuery q = STOM__V1__RESULTS_QUERY__INIT;
    q.job_id = (char *)job_id;
    q.has_offset = q.has_limit = 1;
    q.offset = offset;
    q.limit = limit;
    stom_bus_received r = {0};
    int rc = gw_coord_call(c, &q.base, STOM__V1__ENVELOPE__BODY_RESULTS_PAGE, &r, eb);
    if (rc)
        return rc;
    const Stom__V1__ResultsPage *page = r.msg.env->results_page;
    json_t *results = json_array(), *best = json_array();
    for (size_t i = 0; i < page->n_results; i++)
        json_array_append_new(results, result_json(page->results[i]));
    for (size_t i = 0; i < page->n_best; i++)
        json_array_append_new(best, fold_json(page->best[i]));
    *out = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "evaluated", (json_int_t)page->total,
                     "offset", (json_int_t)offset, "limit", (json_int_t)limit, "results", results,
                     "best_per_fold", best, "walkforward",
                     walkforward ? walkforward_json(page) : json_null());
    stom_bus_received_free(&r);
    return 0;
}
