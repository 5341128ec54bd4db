/*
 * bt_job.c - a JobSpec checked and turned into what a backtest needs. Every
 * refusal names the field and the value, because the message travels back
 * to the person who wrote the job (CLI, gateway).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "stom/alloc.h"

static const struct {
    Stom__V1__Timeframe tf;
    const char *name;
} timeframes[] = {
    {STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1, "1s"},
    {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1, "1m"},
    {STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1, "1d"},
};

const char *bt_timeframe_name(Stom__V1__Timeframe tf)
{
    for (size_t i = 0; i < sizeof timeframes / sizeof timeframes[0]; i++)
        if (timeframes[i].tf == tf)
            return timeframes[i].name;
    return NULL;
}

Stom__V1__Timeframe bt_timeframe_parse(const char *s)
{
    for (size_t i = 0; i < sizeof timeframes / sizeof timeframes[0]; i++)
        if (!strcmp(timeframes[i].name, s))
            return timeframes[i].tf;
    return STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED;
}

static int find_strategy(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    const char *name = spec->strategy_name ? spec->strategy_name : "";
    if (spec->strategy_code && spec->strategy_code[0]) {
        stom_lua_limits limits;
        stom_lua_limits_default(&limits);
        int rc =
            stom_lua_strategy_load(&job->lua, name[0] ? name : "strategy.lua", spec->strategy_code,
                                   strlen(spec->strategy_code), &limits, eb);
        if (rc)
            return rc;
        job->def = stom_lua_strategy_def(job->lua);
        return 0;
    }
    job->def = stom_strategy_find(name);
    if (job->def)
        return 0;
    char list[256];
    stom_strategy_names(list, sizeof list);
    if (!name[0])
        return stom_errorf(eb, STOM_EINVAL,
                           "job has no strategy (name a built-in: %s; or send code)", list);
    return stom_errorf(eb, STOM_ENOTFOUND, "unknown strategy '%s' (built-ins: %s)", name, list);
}

int bt_params_from_pb(const stom_strategy_def *def, Stom__V1__Param *const *params, size_t n,
                      stom_params *p, stom_errbuf *eb)
{
    for (size_t i = 0; i < n; i++) {
        const Stom__V1__Param *q = params[i];
        int k = q->name ? stom_param_index(def, q->name) : -1;
        if (k < 0)
            return stom_errorf(eb, STOM_EINVAL, "strategy %s has no parameter '%s'", def->name,
                               q->name ? q->name : "");
        double v;
        switch (q->value_case) {
        case STOM__V1__PARAM__VALUE_INT_VALUE:
            v = (double)q->int_value;
            break;
        case STOM__V1__PARAM__VALUE_REAL_VALUE:
            v = q->real_value;
            break;
        case STOM__V1__PARAM__VALUE_BOOL_VALUE:
            v = q->bool_value ? 1 : 0;
            break;
        default:
            return stom_errorf(eb, STOM_EINVAL, "parameter '%s' has no numeric value", q->name);
        }
        const stom_param_spec *s = &def->params[k];
        if (!isfinite(v) || v < s->min || v > s->max)
            return stom_errorf(eb, STOM_EINVAL, "parameter %s=%g is outside %g..%g", q->name, v,
                               s->min, s->max);
        p->v[k] = v;
    }
    return 0;
}

/* Sets q's value from v as type says (int: rounded, bool: v != 0, else real). */
static void param_value_to_pb(Stom__V1__Param *q, stom_param_type type, double v)
{
    switch (type) {
    case STOM_PARAM_INT:
        q->value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
        q->int_value = (int64_t)llround(v);
        break;
    case STOM_PARAM_BOOL:
        q->value_case = STOM__V1__PARAM__VALUE_BOOL_VALUE;
        q->bool_value = v != 0;
        break;
    default:
        q->value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
        q->real_value = v;
    }
}

Stom__V1__Param *bt_param_new_pb(const stom_param_spec *spec, double v)
{
    Stom__V1__Param *q = stom_xmalloc(sizeof *q);
    stom__v1__param__init(q);
    q->name = stom_xstrdup(spec->name);
    param_value_to_pb(q, spec->type, v);
    return q;
}

Stom__V1__ParamRange *bt_param_range_new_pb(const stom_strategy_def *def, const stom_opt_range *r)
{
    Stom__V1__ParamRange *pr = stom_xmalloc(sizeof *pr);
    stom__v1__param_range__init(pr);
    pr->name = stom_xstrdup(r->name);
    pr->has_integer = true;
    pr->integer = def->params[stom_param_index(def, r->name)].type != STOM_PARAM_FLOAT;
    if (r->n_values > 0) {
        pr->values = stom_xmalloc(r->n_values * sizeof *pr->values);
        memcpy(pr->values, r->values, r->n_values * sizeof *pr->values);
        pr->n_values = r->n_values;
        return pr;
    }
    pr->has_min_value = pr->has_max_value = pr->has_step = true;
    pr->min_value = r->min;
    pr->max_value = r->max;
    pr->step = r->step;
    return pr;
}

void bt_params_to_pb(const stom_strategy_def *def, const stom_params *p, bt_pb_params *out)
{
    memset(out, 0, sizeof *out);
    out->n = p->n;
    for (size_t i = 0; i < p->n; i++) {
        Stom__V1__Param *q = &out->items[i];
        stom__v1__param__init(q);
        q->name = (char *)def->params[i].name;
        param_value_to_pb(q, def->params[i].type, p->v[i]);
        out->ptrs[i] = q;
    }
}

/* Validation schemes by split, and splits by scheme. */
static const Stom__V1__ValidationScheme schemes[] = {
    [STOM_SPLIT_NONE] = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_NONE,
    [STOM_SPLIT_HOLDOUT] = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_HOLDOUT,
    [STOM_SPLIT_CV] = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_CROSS,
    [STOM_SPLIT_TEST] = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_TEST,
    [STOM_SPLIT_WALKFORWARD] = STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_WALK_FORWARD,
};
static const stom_split splits[] = {STOM_SPLIT_NONE, STOM_SPLIT_NONE, STOM_SPLIT_HOLDOUT,
                                    STOM_SPLIT_CV,   STOM_SPLIT_TEST, STOM_SPLIT_WALKFORWARD};

Stom__V1__Validation *bt_validation_to_pb(const stom_split_spec *ss)
{
    Stom__V1__Validation *v = stom_xmalloc(sizeof *v);
    stom__v1__validation__init(v);
    v->has_scheme = true;
    v->scheme = schemes[ss->split];
    v->has_train_weeks = ss->train_weeks > 0;
    v->train_weeks = ss->train_weeks;
    v->has_valid_weeks = ss->valid_weeks > 0;
    v->valid_weeks = ss->valid_weeks;
    v->has_test_weeks = ss->test_weeks > 0;
    v->test_weeks = ss->test_weeks;
    v->has_folds = ss->folds > 0;
    v->folds = ss->folds;
    return v;
}

int bt_validation_from_pb(const Stom__V1__Validation *v, stom_split_spec *ss, stom_errbuf *eb)
{
    *ss = (stom_split_spec){0};
    if (!v)
        return STOM_OK;
    if ((unsigned)v->scheme >= sizeof splits / sizeof splits[0])
        return stom_errorf(eb, STOM_EINVAL, "validation scheme %d is unknown", (int)v->scheme);
    ss->split = splits[v->scheme];
    ss->train_weeks = v->train_weeks;
    ss->valid_weeks = v->valid_weeks;
    ss->test_weeks = v->test_weeks;
    ss->folds = v->folds;
    return STOM_OK;
}

static int set_costs(stom_cost_model *c, const Stom__V1__CostModel *m, stom_errbuf *eb)
{
    if (m->has_commission_rate) {
        if (m->commission_rate < 0 || m->commission_rate > 10000000)
            return stom_errorf(eb, STOM_EINVAL, "commission_rate %lld is outside 0..10%%",
                               (long long)m->commission_rate);
        c->commission_rate = m->commission_rate;
    }
    if (m->tax_mode == STOM__V1__TAX_MODE__TAX_MODE_NONE)
        c->tax_mode = STOM_TAX_NONE;
    if (m->tax_mode == STOM__V1__TAX_MODE__TAX_MODE_FIXED) {
        c->tax_mode = STOM_TAX_FIXED;
        c->tax_rate = m->tax_rate;
    }
    if (m->slippage_mode == STOM__V1__SLIPPAGE_MODE__SLIPPAGE_MODE_TICKS) {
        c->slippage_mode = STOM_SLIPPAGE_TICKS;
        c->slippage_ticks = m->slippage_ticks;
    } else if (m->slippage_mode == STOM__V1__SLIPPAGE_MODE__SLIPPAGE_MODE_BPS) {
        c->slippage_mode = STOM_SLIPPAGE_BPS;
        c->slippage_bps = m->slippage_bps;
    }
    if (c->tax_rate < 0 || c->slippage_ticks < 0 || c->slippage_bps < 0)
        return stom_errorf(eb, STOM_EINVAL, "costs: tax rate and slippage must not be negative");
    return 0;
}

static int set_config(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    stom_backtest_config *c = &job->config;
    stom_backtest_config_default(c);
    if (spec->has_initial_cash) {
        if (spec->initial_cash <= 0)
            return stom_errorf(eb, STOM_EINVAL, "initial_cash must be positive (got %lld)",
                               (long long)spec->initial_cash);
        c->initial_cash = spec->initial_cash;
    }
    if (spec->costs) {
        int rc = set_costs(&c->exchange.costs, spec->costs, eb);
        if (rc)
            return rc;
    }
    if (spec->has_size_pct_bp) {
        if (spec->size_pct_bp <= 0 || spec->size_pct_bp > 10000)
            return stom_errorf(eb, STOM_EINVAL, "size_pct_bp must be 1..10000 (got %d)",
                               spec->size_pct_bp);
        c->exchange.sizing = (stom_sizing){STOM_SIZE_PCT, spec->size_pct_bp};
    } else if (spec->has_bet_amount) {
        if (spec->bet_amount <= 0)
            return stom_errorf(eb, STOM_EINVAL, "bet_amount must be positive");
        c->exchange.sizing = (stom_sizing){STOM_SIZE_AMOUNT, spec->bet_amount};
    }
    if (spec->fill_on_close)
        c->exchange.fill = STOM_FILL_CLOSE;
    if (spec->no_price_limits)
        c->exchange.price_limits = false;
    if (spec->has_participation_pct) {
        if (spec->participation_pct < 0 || spec->participation_pct > 100)
            return stom_errorf(eb, STOM_EINVAL, "participation_pct must be 0..100");
        c->exchange.participation_pct = spec->participation_pct;
    }
    c->allow_short = spec->allow_short;
    if (spec->has_pyramiding) {
        if (spec->pyramiding < 1 || spec->pyramiding > 100)
            return stom_errorf(eb, STOM_EINVAL, "pyramiding must be 1..100");
        c->pyramiding = spec->pyramiding;
    }
    return 0;
}

static const struct {
    Stom__V1__Objective pb;
    stom_objective obj;
} objectives[] = {
    {STOM__V1__OBJECTIVE__OBJECTIVE_TG, STOM_OBJ_TG},
    {STOM__V1__OBJECTIVE__OBJECTIVE_TP, STOM_OBJ_TP},
    {STOM__V1__OBJECTIVE__OBJECTIVE_CAGR, STOM_OBJ_CAGR},
    {STOM__V1__OBJECTIVE__OBJECTIVE_GM, STOM_OBJ_GM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_PM, STOM_OBJ_PM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_G2M, STOM_OBJ_G2M},
    {STOM__V1__OBJECTIVE__OBJECTIVE_P2M, STOM_OBJ_P2M},
    {STOM__V1__OBJECTIVE__OBJECTIVE_GAM, STOM_OBJ_GAM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_PAM, STOM_OBJ_PAM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_GWM, STOM_OBJ_GWM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_PWM, STOM_OBJ_PWM},
    {STOM__V1__OBJECTIVE__OBJECTIVE_SHARPE, STOM_OBJ_SHARPE},
    {STOM__V1__OBJECTIVE__OBJECTIVE_SORTINO, STOM_OBJ_SORTINO},
    {STOM__V1__OBJECTIVE__OBJECTIVE_SQN, STOM_OBJ_SQN},
    {STOM__V1__OBJECTIVE__OBJECTIVE_RETURN, STOM_OBJ_RETURN},
};

Stom__V1__Objective bt_objective_to_pb(stom_objective o)
{
    for (size_t i = 0; i < sizeof objectives / sizeof objectives[0]; i++)
        if (objectives[i].obj == o)
            return objectives[i].pb;
    return STOM__V1__OBJECTIVE__OBJECTIVE_UNSPECIFIED;
}

bool bt_objective_from_pb(Stom__V1__Objective pb, stom_objective *out)
{
    for (size_t i = 0; i < sizeof objectives / sizeof objectives[0]; i++)
        if (objectives[i].pb == pb) {
            *out = objectives[i].obj;
            return true;
        }
    return false;
}

static int set_objective(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    job->objective = STOM_OBJ_TG;
    if (!spec->has_objective || spec->objective == STOM__V1__OBJECTIVE__OBJECTIVE_UNSPECIFIED)
        return 0;
    if (bt_objective_from_pb(spec->objective, &job->objective))
        return 0;
    return stom_errorf(eb, STOM_EINVAL,
                       "objective %d is not offered (TG, TP, CAGR, GM, PM, G2M, "
                       "P2M, GAM, PAM, GWM, PWM, sharpe, sortino, sqn, return)",
                       (int)spec->objective);
}

static int set_constraints(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    if (spec->n_constraints > BT_MAX_CONSTRAINTS)
        return stom_errorf(eb, STOM_ETOOBIG, "at most %d constraints", BT_MAX_CONSTRAINTS);
    for (size_t i = 0; i < spec->n_constraints; i++) {
        const Stom__V1__Constraint *c = spec->constraints[i];
        char text[128];
        const char *m = c->metric ? c->metric : "";
        if (c->has_min_value && c->has_max_value)
            snprintf(text, sizeof text, "%s=%.17g:%.17g", m, c->min_value, c->max_value);
        else if (c->has_min_value)
            snprintf(text, sizeof text, "%s>=%.17g", m, c->min_value);
        else if (c->has_max_value)
            snprintf(text, sizeof text, "%s<=%.17g", m, c->max_value);
        else
            return stom_errorf(eb, STOM_EINVAL, "constraint on '%s' has neither min nor max", m);
        int rc = stom_constraint_parse(text, &job->constraints[i], eb);
        if (rc)
            return rc;
    }
    job->n_constraints = spec->n_constraints;
    return 0;
}

static int set_period(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    const char *tf = bt_timeframe_name(spec->timeframe);
    if (!tf)
        return stom_errorf(eb, STOM_EINVAL, "timeframe must be 1s, 1m or 1d");
    snprintf(job->timeframe, sizeof job->timeframe, "%s", tf);
    if (!spec->period || !spec->period->has_from_ns || !spec->period->has_to_ns)
        return stom_errorf(eb, STOM_EINVAL, "job has no period (from and to)");
    job->from_ts = spec->period->from_ns / 1000000000;
    job->to_ts = spec->period->to_ns / 1000000000;
    if (job->to_ts <= job->from_ts)
        return stom_errorf(eb, STOM_EINVAL, "empty period: it must end after it starts");
    if (spec->n_symbols == 0)
        return stom_errorf(eb, STOM_EINVAL, "job names no symbol (data)");
    if (spec->n_symbols > 64)
        return stom_errorf(eb, STOM_ETOOBIG, "at most 64 symbols per job");
    return 0;
}

int bt_job_open(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    memset(job, 0, sizeof *job);
    size_t len = protobuf_c_message_get_packed_size(&spec->base);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory");
    protobuf_c_message_pack(&spec->base, buf);
    job->spec = stom__v1__job_spec__unpack(NULL, len, buf);
    free(buf);
    if (!job->spec)
        return stom_errorf(eb, STOM_EFORMAT, "job spec does not pack");
    snprintf(job->id, sizeof job->id, "%s", spec->job_id ? spec->job_id : "");
    job->valid_weight = 0.5;
    const Stom__V1__Validation *v = spec->validation;
    if (v && v->has_valid_weight)
        job->valid_weight = v->valid_weight;
    int rc = find_strategy(job, job->spec, eb);
    if (!rc) {
        stom_params_default(job->def, &job->base);
        rc = bt_params_from_pb(job->def, job->spec->params, job->spec->n_params, &job->base, eb);
    }
    if (!rc && !(job->valid_weight >= 0 && job->valid_weight <= 1))
        rc = stom_errorf(eb, STOM_EINVAL, "valid_weight must be 0..1");
    if (!rc)
        rc = set_config(job, job->spec, eb);
    if (!rc)
        rc = set_objective(job, job->spec, eb);
    if (!rc)
        rc = set_constraints(job, job->spec, eb);
    if (!rc)
        rc = set_period(job, job->spec, eb);
    if (rc)
        bt_job_close(job);
    return rc;
}

void bt_job_close(bt_job *job)
{
    if (!job)
        return;
    if (job->spec)
        stom__v1__job_spec__free_unpacked(job->spec, NULL);
    stom_lua_strategy_destroy(job->lua);
    memset(job, 0, sizeof *job);
}
