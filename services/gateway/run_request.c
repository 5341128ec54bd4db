/*
 * run_request.c - a run's JSON request checked field by field and built
 * into a JobSpec (see run_request.h). The steps run in order because later
 * ones need earlier ones: parameters need the strategy's schema, the search
 * space needs the fixed parameters, the split needs the period.
 *
 * The JobSpec is built on the heap from malloc'd parts, as protobuf-c would
 * unpack it, so one stom__v1__job_spec__free_unpacked releases it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "run_request.h"
#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define MAX_CASH  1000000000000000LL /* 10^15 won */
#define MAX_WEEKS 1000

typedef struct run_parse {
    gw_ctx *ctx;
    const gw_user *user;
    gw_run_kind kind;
    const json_t *body;
    gw_response *res;
    gw_run_request *out;
    Stom__V1__JobSpec *spec;
    const stom_strategy_def *def;
    stom_lua_strategy *lua; /* owned when the strategy is stored Lua code */
    stom_params base;
    stom_opt_range ranges[STOM_MAX_PARAMS]; /* values owned when n_values > 0 */
    size_t n_ranges;
    int64_t from_s, to_s;
} run_parse;

/* A 400 naming field; printf-style message. Returns false for the callers' convenience. */
static bool bad(run_parse *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool bad(run_parse *p, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gw_reply_error(p->res, 400, "invalid_field", field, "%s", msg);
    return false;
}

/* A JSON number as a double; false when v is not a finite number. */
static bool number_of(const json_t *v, double *out)
{
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return isfinite(*out);
}

/* An optional whole number field of obj in [min, max]; path names it in errors. */
static bool whole(run_parse *p, const json_t *obj, const char *key, const char *path, int64_t min,
                  int64_t max, bool *has, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *has = v && !json_is_null(v);
    if (!*has)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return bad(p, path, "%s must be a whole number from %lld to %lld", path, (long long)min,
                   (long long)max);
    *out = json_integer_value(v);
    return true;
}

/* ---- unknown keys --------------------------------------------------------------- */

static bool known_keys(run_parse *p, const json_t *obj, const char *prefix, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool known = false;
        for (size_t k = 0; keys[k] && !known; k++)
            known = !strcmp(key, keys[k]);
        if (!known) {
            char path[96];
            snprintf(path, sizeof path, "%s%.64s", prefix, key);
            return bad(p, path, "%s is not a field of this request", path);
        }
    }
    return true;
}

/* ---- strategy ------------------------------------------------------------------- */

static bool builtin_strategy(run_parse *p, const char *name)
{
    char names[256];
    if ((p->def = stom_strategy_find(name)) == NULL)
        return bad(p, "strategy", "unknown strategy '%.64s' (built-ins: %s)", name,
                   stom_strategy_names(names, sizeof names));
    p->spec->strategy_name = stom_xstrdup(name);
    return true;
}

/* Loads the caller's stored version into the spec; 404 when it is not theirs. */
static bool stored_strategy(run_parse *p, int64_t id, bool has_version, int64_t version)
{
    char ids[24], uid[24], ver[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    snprintf(uid, sizeof uid, "%lld", (long long)p->user->id);
    snprintf(ver, sizeof ver, "%lld", (long long)version);
    const char *v[] = {ids, uid, has_version ? ver : NULL};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query(p->ctx->db,
                      "SELECT s.name, sv.version, sv.code FROM strategies s JOIN strategy_versions "
                      "sv ON sv.strategy_id = s.id AND sv.version = coalesce($3::int, s.version) "
                      "WHERE s.id = $1 AND s.user_id = $2",
                      3, v, PGRES_TUPLES_OK, "reading the strategy", &r, &eb)) {
        gw_reply_unavailable(p->res, "the database", &eb);
        return false;
    }
    if (PQntuples(r) == 0) {
        PQclear(r);
        gw_reply_error(p->res, 404, "not_found", "strategy", "strategy %lld%s%s not found",
                       (long long)id, has_version ? " version " : "", has_version ? ver : "");
        return false;
    }
    const char *code = PQgetvalue(r, 0, 2);
    size_t len = (size_t)PQgetlength(r, 0, 2);
    int rc = stom_lua_strategy_load(&p->lua, PQgetvalue(r, 0, 0), code, len, NULL, &eb);
    if (rc == 0) {
        p->def = stom_lua_strategy_def(p->lua);
        p->spec->strategy_name = stom_xstrdup(PQgetvalue(r, 0, 0));
        p->spec->strategy_version = stom_xstrdup(PQgetvalue(r, 0, 1));
        p->spec->strategy_code = stom_xstrndup(code, len);
        p->out->strategy_id = id;
        p->out->strategy_version = (int32_t)atoi(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return rc == 0 || bad(p, "strategy", "the stored strategy does not load: %s", eb.msg);
}

static bool apply_strategy(run_parse *p)
{
    static const char *const keys[] = {"id", "version", NULL};
    json_t *s = json_object_get(p->body, "strategy");
    if (json_is_string(s))
        return builtin_strategy(p, json_string_value(s));
    if (!json_is_object(s))
        return bad(p, "strategy",
                   "strategy is required: a built-in's name or {\"id\": N, \"version\": V}");
    bool has_id, has_version;
    int64_t id = 0, version = 0;
    if (!known_keys(p, s, "strategy.", keys) ||
        !whole(p, s, "id", "strategy.id", 1, INT64_MAX, &has_id, &id) ||
        !whole(p, s, "version", "strategy.version", 1, INT32_MAX, &has_version, &version))
        return false;
    if (!has_id)
        return bad(p, "strategy.id", "strategy.id is required");
    return stored_strategy(p, id, has_version, version);
}

/* ---- symbols, timeframe, period ------------------------------------------------- */

static bool apply_symbols(run_parse *p)
{
    json_t *a = json_object_get(p->body, "symbols");
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > GW_RUN_MAX_SYMBOLS)
        return bad(p, "symbols", "symbols must be an array of 1 to %d symbols (\"005930\")",
                   GW_RUN_MAX_SYMBOLS);
    size_t n = json_array_size(a);
    p->spec->symbols = stom_xcalloc(n, sizeof *p->spec->symbols);
    for (size_t i = 0; i < n; i++) {
        char field[48];
        snprintf(field, sizeof field, "symbols[%zu]", i);
        json_t *v = json_array_get(a, i);
        stom_errbuf eb = {0};
        if (!json_is_string(v) || stom_symbol_check(json_string_value(v), &eb))
            return bad(p, field, "%s %s", field, json_is_string(v) ? eb.msg : "must be a string");
        p->spec->symbols[p->spec->n_symbols++] = stom_xstrdup(json_string_value(v));
    }
    p->spec->has_market = true;
    p->spec->market = STOM__V1__MARKET__MARKET_KRX;
    return true;
}

static bool apply_timeframe(run_parse *p)
{
    json_t *v = json_object_get(p->body, "timeframe");
    Stom__V1__Timeframe tf = json_is_string(v) ? bt_timeframe_parse(json_string_value(v))
                                               : STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED;
    if (tf == STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED)
        return bad(p, "timeframe", "timeframe must be one of \"1m\", \"1d\", \"1s\"");
    p->spec->has_timeframe = true;
    p->spec->timeframe = tf;
    return true;
}

static bool read_date(run_parse *p, const json_t *period, const char *key, int32_t *out)
{
    char field[16];
    snprintf(field, sizeof field, "period.%s", key);
    json_t *v = json_object_get(period, key);
    if (!v)
        return bad(p, field, "%s is required (a KST date, \"2024-01-02\")", field);
    if (!json_is_string(v) ||
        stom_parse_date(json_string_value(v), json_string_length(v), out) != 0)
        return bad(p, field, "%s must be a date as YYYY-MM-DD (\"2024-01-02\")", field);
    return true;
}

static bool apply_period(run_parse *p)
{
    static const char *const keys[] = {"from", "to", NULL};
    json_t *per = json_object_get(p->body, "period");
    int32_t from = 0, to = 0;
    if (!json_is_object(per))
        return bad(p, "period", "period is required: {\"from\": \"YYYY-MM-DD\", \"to\": ...}");
    if (!known_keys(p, per, "period.", keys) || !read_date(p, per, "from", &from) ||
        !read_date(p, per, "to", &to))
        return false;
    if (from > to)
        return bad(p, "period.to", "period.to is before period.from");
    /* Both dates are included: the period ends at the midnight after `to` (KST). */
    p->from_s = stom_midnight_utc(from, STOM_KST_OFFSET_MINUTES);
    p->to_s = stom_midnight_utc(to, STOM_KST_OFFSET_MINUTES) + 86400;
    Stom__V1__Period *pp = stom_xmalloc(sizeof *pp);
    stom__v1__period__init(pp);
    pp->has_from_ns = pp->has_to_ns = true;
    pp->from_ns = p->from_s * 1000000000;
    pp->to_ns = p->to_s * 1000000000;
    p->spec->period = pp;
    return true;
}

/* ---- fixed parameters ----------------------------------------------------------- */

static bool apply_params(run_parse *p)
{
    json_t *obj = json_object_get(p->body, "params");
    stom_params_default(p->def, &p->base);
    if (!obj || json_is_null(obj))
        return true;
    if (!json_is_object(obj))
        return bad(p, "params", "params must be an object of name: value");
    const char *name;
    json_t *v;
    json_object_foreach(obj, name, v)
    {
        char field[96], names[256], text[160];
        snprintf(field, sizeof field, "params.%.64s", name);
        double x = 0;
        if (json_is_boolean(v))
            x = json_is_true(v);
        else if (!number_of(v, &x))
            return bad(p, field, "%s must be a number or a boolean", field);
        if (stom_param_index(p->def, name) < 0)
            return bad(p, field, "strategy %s has no parameter '%.64s' (valid: %s)", p->def->name,
                       name, stom_param_names(p->def, names, sizeof names));
        stom_errbuf eb = {0};
        snprintf(text, sizeof text, "%s=%.17g", name, x);
        if (stom_params_set(p->def, &p->base, text, &eb))
            return bad(p, field, "%s: %s", field, eb.msg);
    }
    return true;
}

/* The fixed parameters the request named (searched ones are left out: the search sets them). */
static void fill_params(run_parse *p)
{
    json_t *obj = json_object_get(p->body, "params");
    if (!json_is_object(obj) || p->def->n_params == 0)
        return;
    p->spec->params = stom_xcalloc(p->def->n_params, sizeof *p->spec->params);
    for (size_t k = 0; k < p->def->n_params; k++) {
        const char *name = p->def->params[k].name;
        bool searched = false;
        for (size_t i = 0; i < p->n_ranges; i++)
            searched |= !strcmp(p->ranges[i].name, name);
        if (json_object_get(obj, name) && !searched)
            p->spec->params[p->spec->n_params++] =
                bt_param_new_pb(&p->def->params[k], p->base.v[k]);
    }
}

/* ---- search ranges -------------------------------------------------------------- */

static bool range_values(run_parse *p, const char *field, const json_t *a, stom_opt_range *r)
{
    size_t n = json_array_size(a);
    if (!json_is_array(a) || n < 1 || n > STOM_OPT_DIM_MAX_VALUES)
        return bad(p, field, "%s must be an array of 1 to %d numbers", field,
                   STOM_OPT_DIM_MAX_VALUES);
    double *values = stom_xmalloc(n * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        if (!number_of(json_array_get(a, i), &values[i])) {
            free(values);
            return bad(p, field, "%s[%zu] must be a number", field, i);
        }
    }
    r->values = values;
    r->n_values = n;
    return true;
}

static bool range_bound(run_parse *p, const char *name, const json_t *obj, const char *key,
                        bool required, double *out)
{
    char field[96];
    snprintf(field, sizeof field, "search.%.64s.%s", name, key);
    json_t *v = json_object_get(obj, key);
    if (!v && !required)
        return true;
    if (!v)
        return bad(p, field, "%s is required", field);
    return number_of(v, out) || bad(p, field, "%s must be a number", field);
}

static bool one_range(run_parse *p, const char *name, const json_t *obj, stom_opt_range *r)
{
    static const char *const keys[] = {"start", "end", "step", "values", NULL};
    char field[96], prefix[80];
    snprintf(field, sizeof field, "search.%.64s", name);
    snprintf(prefix, sizeof prefix, "search.%.64s.", name);
    if (!json_is_object(obj))
        return bad(p, field, "%s must be {\"start\", \"end\", \"step\"} or {\"values\": [...]}",
                   field);
    if (!known_keys(p, obj, prefix, keys))
        return false;
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    if (json_object_get(obj, "values")) {
        snprintf(field, sizeof field, "search.%.64s.values", name);
        return range_values(p, field, json_object_get(obj, "values"), r);
    }
    r->step = 1;
    if (!range_bound(p, name, obj, "start", true, &r->min) ||
        !range_bound(p, name, obj, "end", true, &r->max) ||
        !range_bound(p, name, obj, "step", false, &r->step))
        return false;
    snprintf(field, sizeof field, "search.%.64s.%s", name, r->step <= 0 ? "step" : "end");
    if (r->step <= 0)
        return bad(p, field, "%s must be above 0", field);
    if (r->max < r->min)
        return bad(p, field, "%s is below search.%.64s.start", field, name);
    return true;
}

static bool apply_search(run_parse *p)
{
    json_t *obj = json_object_get(p->body, "search");
    if (p->kind == GW_RUN_BACKTEST)
        return !obj || bad(p, "search",
                           "a backtest runs one parameter set: give params, or POST the search "
                           "to /api/v1/optimizations");
    if (!json_is_object(obj) || json_object_size(obj) == 0)
        return bad(p, "search", "search is required: {\"name\": {\"start\", \"end\", \"step\"}}");
    if (json_object_size(obj) > GW_RUN_MAX_SEARCH || json_object_size(obj) > p->def->n_params)
        return bad(p, "search", "search has %zu parameters; strategy %s has %zu (at most %d)",
                   json_object_size(obj), p->def->name, p->def->n_params, GW_RUN_MAX_SEARCH);
    const char *name;
    json_t *v;
    json_object_foreach(obj, name, v)
    {
        char field[96], names[256];
        snprintf(field, sizeof field, "search.%.64s", name);
        if (stom_param_index(p->def, name) < 0)
            return bad(p, field, "strategy %s has no parameter '%.64s' (valid: %s)", p->def->name,
                       name, stom_param_names(p->def, names, sizeof names));
        if (!one_range(p, name, v, &p->ranges[p->n_ranges]))
            return false;
        p->n_ranges++;
    }
    return true;
}

/* ---- method, samples, seed -------------------------------------------------------- */

static bool parse_method(run_parse *p, Stom__V1__OptimizeMethod *m)
{
    json_t *v = json_object_get(p->body, "method");
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (p->kind == GW_RUN_BACKTEST) {
        *m = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
        return !v || (s && !strcmp(s, "single")) ||
               bad(p, "method", "a backtest has no search method (POST to /optimizations)");
    }
    if (!v || (s && !strcmp(s, "grid")))
        *m = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    else if (s && !strcmp(s, "random"))
        *m = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM;
    else if (s && !strcmp(s, "genetic"))
        *m = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    else
        return bad(p, "method", "method must be one of \"grid\", \"random\", \"genetic\"");
    return true;
}

/* The search space's size as the coordinator will build it; grids are bounded. */
static bool check_space(run_parse *p, Stom__V1__OptimizeMethod m)
{
    stom_opt_space space;
    stom_errbuf eb = {0};
    if (stom_opt_space_init(&space, p->def, &p->base, p->ranges, p->n_ranges, &eb))
        return bad(p, "search", "search: %s", eb.msg);
    uint64_t size = stom_opt_space_size(&space);
    stom_opt_space_free(&space);
    if (m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID && size > GW_RUN_MAX_EVALUATIONS)
        return bad(p, "search",
                   "the grid has %llu sets, more than %d: narrow the ranges or use method "
                   "\"random\" or \"genetic\" with samples",
                   (unsigned long long)size, GW_RUN_MAX_EVALUATIONS);
    p->out->evaluations = size;
    return true;
}

static bool apply_method(run_parse *p)
{
    Stom__V1__OptimizeMethod m;
    bool has_samples, has_seed;
    int64_t samples = 0, seed = 0;
    if (!parse_method(p, &m) ||
        !whole(p, p->body, "samples", "samples", 1, GW_RUN_MAX_EVALUATIONS, &has_samples,
               &samples) ||
        !whole(p, p->body, "seed", "seed", 0, INT64_MAX, &has_seed, &seed))
        return false;
    bool sampled = m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM ||
                   m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    if (has_samples && !sampled)
        return bad(p, "samples", "samples applies only to method \"random\" or \"genetic\"");
    p->spec->has_method = true;
    p->spec->method = m;
    p->spec->has_max_evaluations = has_samples;
    p->spec->max_evaluations = (uint32_t)samples;
    p->spec->has_seed = has_seed;
    p->spec->seed = (uint64_t)seed;
    p->out->evaluations = 1;
    if (m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE || !check_space(p, m))
        return m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
    if (sampled)
        p->out->evaluations = has_samples ? (uint64_t)samples : 100;
    return true;
}

/* ---- objective and constraints -------------------------------------------------- */

static bool apply_objective(run_parse *p)
{
    json_t *v = json_object_get(p->body, "objective");
    stom_objective obj = STOM_OBJ_TG;
    stom_errbuf eb = {0};
    if (!v)
        return true;
    if (!json_is_string(v) || stom_objective_parse(json_string_value(v), &obj, &eb))
        return bad(p, "objective", "objective: %s",
                   json_is_string(v) ? eb.msg : "must be a string (\"sharpe\", \"TG\", ...)");
    p->spec->has_objective = true;
    p->spec->objective = bt_objective_to_pb(obj);
    return true;
}

static bool apply_constraints(run_parse *p)
{
    json_t *a = json_object_get(p->body, "constraints");
    if (!a || json_is_null(a))
        return true;
    if (!json_is_array(a) || json_array_size(a) > GW_RUN_MAX_CONSTRAINTS)
        return bad(p, "constraints",
                   "constraints must be an array of at most %d texts (\"mdd<=10\")",
                   GW_RUN_MAX_CONSTRAINTS);
    size_t n = json_array_size(a);
    p->spec->constraints = stom_xcalloc(n ? n : 1, sizeof *p->spec->constraints);
    for (size_t i = 0; i < n; i++) {
        char field[48];
        snprintf(field, sizeof field, "constraints[%zu]", i);
        json_t *v = json_array_get(a, i);
        stom_constraint c;
        stom_errbuf eb = {0};
        if (!json_is_string(v) || stom_constraint_parse(json_string_value(v), &c, &eb))
            return bad(p, field, "%s: %s", field,
                       json_is_string(v) ? eb.msg : "must be a text such as \"mdd<=10\"");
        Stom__V1__Constraint *pc = stom_xmalloc(sizeof *pc);
        stom__v1__constraint__init(pc);
        pc->metric = stom_constraint_metric_text(json_string_value(v));
        pc->has_min_value = c.has_min;
        pc->min_value = c.min;
        pc->has_max_value = c.has_max;
        pc->max_value = c.max;
        p->spec->constraints[p->spec->n_constraints++] = pc;
    }
    return true;
}

/* ---- split ------------------------------------------------------------------------ */

/* The window rules (stom_split_check), naming the field at fault. */
static bool check_windows(run_parse *p, const stom_split_spec *ss)
{
    bool missing;
    stom_window w = stom_split_check(ss, &missing);
    if (w == STOM_WINDOW_NONE)
        return true;
    char field[32];
    snprintf(field, sizeof field, "split.%s", stom_window_name(w));
    if (ss->split == STOM_SPLIT_NONE)
        return bad(p, "split.kind",
                   "windows apply only with kind holdout, cv, test or walkforward");
    if (missing)
        return bad(p, field, "%s is required by kind %s", field, stom_split_name(ss->split));
    if (w == STOM_WINDOW_TEST)
        return bad(p, field, "split.test_weeks applies only to kind test or walkforward");
    return bad(p, field, "split.folds applies only to kind cv");
}

static bool read_split(run_parse *p, const json_t *obj, stom_split_spec *ss)
{
    static const char *const keys[] = {"kind",       "train_weeks", "valid_weeks",
                                       "test_weeks", "folds",       NULL};
    json_t *kind = json_object_get(obj, "kind");
    bool has;
    int64_t w[4] = {0, 0, 0, 0};
    if (!known_keys(p, obj, "split.", keys))
        return false;
    if (kind && (!json_is_string(kind) || stom_split_parse(json_string_value(kind), &ss->split)))
        return bad(p, "split.kind",
                   "split.kind must be one of none, holdout, cv, test, walkforward");
    if (!whole(p, obj, "train_weeks", "split.train_weeks", 1, MAX_WEEKS, &has, &w[0]) ||
        !whole(p, obj, "valid_weeks", "split.valid_weeks", 1, MAX_WEEKS, &has, &w[1]) ||
        !whole(p, obj, "test_weeks", "split.test_weeks", 1, MAX_WEEKS, &has, &w[2]) ||
        !whole(p, obj, "folds", "split.folds", 2, 1000, &has, &w[3]))
        return false;
    ss->train_weeks = (int)w[0];
    ss->valid_weeks = (int)w[1];
    ss->test_weeks = (int)w[2];
    ss->folds = (int)w[3];
    return check_windows(p, ss);
}

static bool apply_split(run_parse *p)
{
    json_t *obj = json_object_get(p->body, "split");
    stom_split_spec ss = {0};
    if (obj && !json_is_object(obj))
        return bad(p, "split", "split must be an object {\"kind\", ...}");
    if (obj && !read_split(p, obj, &ss))
        return false;
    if (p->kind == GW_RUN_BACKTEST && ss.split != STOM_SPLIT_NONE)
        return bad(p, "split.kind",
                   "a backtest runs the whole period: split applies only to "
                   "optimizations");
    /* Cut the period as the coordinator will, so a period too short is told now. */
    stom_plan plan;
    stom_errbuf eb = {0};
    if (stom_plan_make(&plan, &ss, p->from_s, p->to_s, &eb))
        return bad(p, "split", "split %s over the period: %s", stom_split_name(ss.split), eb.msg);
    stom_plan_free(&plan);
    p->spec->validation = bt_validation_to_pb(&ss);
    return true;
}

/* ---- account and costs ------------------------------------------------------------ */

static bool apply_costs(run_parse *p)
{
    static const char *const keys[] = {"commission_bp", "slippage_ticks", NULL};
    json_t *obj = json_object_get(p->body, "costs");
    if (!obj)
        return true;
    if (!json_is_object(obj))
        return bad(p, "costs", "costs must be {\"commission_bp\", \"slippage_ticks\"}");
    if (!known_keys(p, obj, "costs.", keys))
        return false;
    Stom__V1__CostModel *c = stom_xmalloc(sizeof *c);
    stom__v1__cost_model__init(c);
    p->spec->costs = c;
    json_t *v = json_object_get(obj, "commission_bp");
    double bp = 0;
    if (v && (!number_of(v, &bp) || bp < 0 || bp > 1000))
        return bad(p, "costs.commission_bp",
                   "costs.commission_bp must be basis points from 0 to 1000 (1.5 = 0.015%%)");
    /* A basis point is 1e-4: 1e4 per the contract's 1e8 rate scale, rounded to the nearest. */
    c->has_commission_rate = v != NULL;
    c->commission_rate = llround(bp * 10000.0);
    bool has;
    int64_t ticks = 0;
    if (!whole(p, obj, "slippage_ticks", "costs.slippage_ticks", 0, 100, &has, &ticks))
        return false;
    c->has_slippage_mode = c->has_slippage_ticks = has;
    c->slippage_mode = STOM__V1__SLIPPAGE_MODE__SLIPPAGE_MODE_TICKS;
    c->slippage_ticks = (int32_t)ticks;
    return true;
}

static bool apply_account(run_parse *p)
{
    bool has_cash, has_bet;
    int64_t cash = 0, bet = 0;
    if (!whole(p, p->body, "initial_cash", "initial_cash", 1, MAX_CASH, &has_cash, &cash) ||
        !whole(p, p->body, "bet_amount", "bet_amount", 1, MAX_CASH, &has_bet, &bet))
        return false;
    p->spec->has_initial_cash = has_cash;
    p->spec->initial_cash = cash;
    p->spec->has_bet_amount = has_bet;
    p->spec->bet_amount = bet;
    return apply_costs(p);
}

/* ---- the whole request ------------------------------------------------------------ */

static bool apply_all(run_parse *p)
{
    static const char *const keys[] = {
        "strategy",     "symbols",    "timeframe", "period",    "params",      "search",
        "method",       "samples",    "seed",      "objective", "constraints", "split",
        "initial_cash", "bet_amount", "costs",     "title",     NULL};
    const char *title = NULL;
    if (!known_keys(p, p->body, "", keys) || !apply_strategy(p) || !apply_symbols(p) ||
        !apply_timeframe(p) || !apply_period(p) || !apply_params(p) || !apply_search(p) ||
        !apply_method(p) || !apply_objective(p) || !apply_constraints(p) || !apply_split(p) ||
        !apply_account(p) || !gw_json_string(p->body, "title", false, 200, &title, p->res))
        return false;
    if (title)
        p->spec->title = stom_xstrdup(title);
    fill_params(p);
    if (p->n_ranges > 0)
        p->spec->search = stom_xcalloc(p->n_ranges, sizeof *p->spec->search);
    for (size_t k = 0; k < p->n_ranges; k++)
        p->spec->search[p->spec->n_search++] = bt_param_range_new_pb(p->def, &p->ranges[k]);
    return true;
}

bool gw_run_request_parse(gw_ctx *ctx, const gw_user *user, gw_run_kind kind, const json_t *body,
                          gw_run_request *out, gw_response *res)
{
    memset(out, 0, sizeof *out);
    run_parse p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.user = user;
    p.kind = kind;
    p.body = body;
    p.res = res;
    p.out = out;
    p.spec = stom_xmalloc(sizeof *p.spec);
    stom__v1__job_spec__init(p.spec);
    out->spec = p.spec;
    bool ok = apply_all(&p);
    for (size_t k = 0; k < p.n_ranges; k++)
        free((double *)p.ranges[k].values);
    stom_lua_strategy_destroy(p.lua);
    if (!ok)
        gw_run_request_free(out);
    return ok;
}

void gw_run_request_free(gw_run_request *r)
{
    if (r->spec)
        stom__v1__job_spec__free_unpacked(r->spec, NULL);
    memset(r, 0, sizeof *r);
}

const char *gw_run_kind_name(gw_run_kind kind)
{
    return kind == GW_RUN_OPTIMIZATION ? "optimization" : "backtest";
}
