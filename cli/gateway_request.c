/*
 * gateway_request.c - a parsed `stom optimize` / `stom backtest` command
 * line (the JobSpec optimize_parse builds and checks) as the request body
 * of POST /optimizations and POST /backtests (docs/gateway-api.md).
 *
 * The JobSpec stays the one place where flags are checked; this file only
 * changes the representation: enums become the API's short names, the
 * half-open UTC period becomes inclusive KST dates, rates per 1e8 become
 * basis points, constraints become the text the user typed. Fields the API
 * lists are always named as it names them; settings it does not list
 * (fill, size_pct, genetic options, title) are sent only when set.
 */
#include <math.h>
#include <string.h>

#include "gateway_cli.h"

static const char *timeframe_name(Stom__V1__Timeframe t)
{
    switch (t) {
    case STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1:
        return "1m";
    case STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1:
        return "1d";
    case STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1:
        return "1s";
    default:
        return "1m";
    }
}

static const char *method_name(Stom__V1__OptimizeMethod m)
{
    switch (m) {
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM:
        return "random";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC:
        return "genetic";
    default:
        return "grid";
    }
}

static const char *split_name(Stom__V1__ValidationScheme s)
{
    switch (s) {
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_HOLDOUT:
        return "holdout";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_CROSS:
        return "cv";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_TEST:
        return "test";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_WALK_FORWARD:
        return "walkforward";
    default:
        return "none";
    }
}

/* A number as a JSON integer when the range is integral, else a real. */
static json_t *range_number(double v, bool integer)
{
    return integer || v == floor(v) ? json_integer((json_int_t)llround(v)) : json_real(v);
}

static json_t *search_json(const Stom__V1__JobSpec *s)
{
    json_t *o = json_object();
    for (size_t k = 0; k < s->n_search; k++) {
        const Stom__V1__ParamRange *r = s->search[k];
        json_t *range = json_object();
        if (r->n_values > 0) {
            json_t *values = json_array();
            for (size_t v = 0; v < r->n_values; v++)
                json_array_append_new(values, range_number(r->values[v], r->integer));
            json_object_set_new(range, "values", values);
        } else {
            json_object_set_new(range, "start", range_number(r->min_value, r->integer));
            json_object_set_new(range, "end", range_number(r->max_value, r->integer));
            json_object_set_new(range, "step", range_number(r->has_step ? r->step : 1, r->integer));
        }
        json_object_set_new(o, r->name ? r->name : "", range);
    }
    return o;
}

static json_t *params_json(const Stom__V1__JobSpec *s)
{
    json_t *o = json_object();
    for (size_t k = 0; k < s->n_params; k++) {
        const Stom__V1__Param *p = s->params[k];
        json_t *v = NULL;
        if (p->value_case == STOM__V1__PARAM__VALUE_INT_VALUE)
            v = json_integer(p->int_value);
        else if (p->value_case == STOM__V1__PARAM__VALUE_REAL_VALUE)
            v = json_real(p->real_value);
        else if (p->value_case == STOM__V1__PARAM__VALUE_BOOL_VALUE)
            v = json_boolean(p->bool_value);
        else if (p->value_case == STOM__V1__PARAM__VALUE_TEXT_VALUE)
            v = json_string(p->text_value);
        if (v && p->name)
            json_object_set_new(o, p->name, v);
    }
    return o;
}

/* "mdd<=10", "wr>=50" or "ap=0.5:3": the constraint as stom_constraint_parse reads it. */
static json_t *constraints_json(const Stom__V1__JobSpec *s)
{
    json_t *a = json_array();
    for (size_t k = 0; k < s->n_constraints; k++) {
        const Stom__V1__Constraint *c = s->constraints[k];
        char text[96];
        const char *m = c->metric ? c->metric : "";
        if (c->has_min_value && c->has_max_value)
            snprintf(text, sizeof text, "%s=%.17g:%.17g", m, c->min_value, c->max_value);
        else if (c->has_max_value)
            snprintf(text, sizeof text, "%s<=%.17g", m, c->max_value);
        else
            snprintf(text, sizeof text, "%s>=%.17g", m, c->has_min_value ? c->min_value : 0);
        json_array_append_new(a, json_string(text));
    }
    return a;
}

static json_t *period_json(const Stom__V1__Period *p)
{
    char from[16] = "", to[16] = "";
    if (p && p->has_from_ns)
        format_kst(p->from_ns, true, from, sizeof from);
    if (p && p->has_to_ns)
        format_kst(p->to_ns - 1, true, to, sizeof to); /* half-open: the last day is to - 1 ns */
    return json_pack("{s:s, s:s}", "from", from, "to", to);
}

static json_t *split_json(const Stom__V1__Validation *v)
{
    json_t *o = json_pack("{s:s}", "kind", split_name(v ? v->scheme : 0));
    if (v && v->has_train_weeks)
        json_object_set_new(o, "train_weeks", json_integer(v->train_weeks));
    if (v && v->has_valid_weeks)
        json_object_set_new(o, "valid_weeks", json_integer(v->valid_weeks));
    if (v && v->has_test_weeks)
        json_object_set_new(o, "test_weeks", json_integer(v->test_weeks));
    if (v && v->has_folds)
        json_object_set_new(o, "folds", json_integer(v->folds));
    return o;
}

static json_t *costs_json(const Stom__V1__CostModel *c)
{
    json_t *o = json_object();
    /* commission_rate is per 1e8 (15000 = 0.015%); a basis point is 1e4 of those. */
    if (c && c->has_commission_rate)
        json_object_set_new(o, "commission_bp", json_real((double)c->commission_rate / 1e4));
    if (c && c->has_slippage_ticks)
        json_object_set_new(o, "slippage_ticks", json_integer(c->slippage_ticks));
    return o;
}

static json_t *symbols_json(const Stom__V1__JobSpec *s)
{
    json_t *a = json_array();
    for (size_t k = 0; k < s->n_symbols; k++)
        json_array_append_new(a, json_string(s->symbols[k]));
    return a;
}

/* The settings the API does not list, sent only when the user set them. */
static void add_extras(json_t *o, const Stom__V1__JobSpec *s)
{
    if (s->has_fill_on_close && s->fill_on_close)
        json_object_set_new(o, "fill", json_string("close"));
    if (s->has_size_pct_bp)
        json_object_set_new(o, "size_pct", json_real(s->size_pct_bp / 100.0));
    if (s->has_ga_population && s->ga_population)
        json_object_set_new(o, "population", json_integer(s->ga_population));
    if (s->has_ga_generations && s->ga_generations)
        json_object_set_new(o, "generations", json_integer(s->ga_generations));
    if (s->has_ga_stom_stop && s->ga_stom_stop)
        json_object_set_new(o, "stom_stop", json_true());
    if (s->title)
        json_object_set_new(o, "title", json_string(s->title));
}

json_t *gateway_run_request(const Stom__V1__JobSpec *s, const stored_strategy *stored,
                            bool backtest)
{
    json_t *o = json_object();
    if (stored && stored->id > 0)
        json_object_set_new(
            o, "strategy",
            json_pack("{s:I, s:i}", "id", (json_int_t)stored->id, "version", (int)stored->version));
    else
        json_object_set_new(o, "strategy", json_string(s->strategy_name ? s->strategy_name : ""));
    if (s->strategy_code && !(stored && stored->id > 0))
        json_object_set_new(o, "strategy_code", json_string(s->strategy_code));
    json_object_set_new(o, "symbols", symbols_json(s));
    json_object_set_new(o, "timeframe", json_string(timeframe_name(s->timeframe)));
    json_object_set_new(o, "period", period_json(s->period));
    json_object_set_new(o, "params", params_json(s));
    if (!backtest && s->n_search > 0) {
        json_object_set_new(o, "search", search_json(s));
        json_object_set_new(o, "method", json_string(method_name(s->method)));
        if (s->has_max_evaluations && s->max_evaluations > 0)
            json_object_set_new(o, "samples", json_integer(s->max_evaluations));
        if (s->has_seed)
            json_object_set_new(o, "seed", json_integer((json_int_t)s->seed));
    }
    json_object_set_new(o, "objective", json_string(objective_pb_name(s->objective)));
    json_object_set_new(o, "constraints", constraints_json(s));
    json_object_set_new(o, "split", split_json(s->validation));
    if (s->has_initial_cash)
        json_object_set_new(o, "initial_cash", json_integer(s->initial_cash));
    if (s->has_bet_amount)
        json_object_set_new(o, "bet_amount", json_integer(s->bet_amount));
    json_object_set_new(o, "costs", costs_json(s->costs));
    add_extras(o, s);
    return o;
}
