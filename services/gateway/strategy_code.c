/*
 * strategy_code.c - the Lua check, parameter schemas and built-ins as the
 * REST API's JSON (see strategy_code.h). The user's code is never logged.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_code.h"

bool gw_strategy_code_check(const char *code, size_t len, stom_check_report *report,
                            gw_response *res)
{
    int rc = stom_strategy_check("strategy", code, len, report);
    if (rc == STOM_OK || rc == STOM_ETOOBIG)
        return true;
    stom_errbuf eb = {{0}};
    stom_errorf(&eb, rc, "the strategy check could not run: %s", stom_strerror(rc));
    gw_reply_unavailable(res, "the strategy check", &eb);
    return false;
}

/* A schema value as JSON: an integer for int parameters, so that 5 reads as 5, not 5.0. */
static json_t *param_value(stom_param_type type, double v)
{
    if (type == STOM_PARAM_BOOL)
        return json_boolean(v != 0);
    if (type == STOM_PARAM_INT)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *param_json(const stom_param_spec *s)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "name", s->name, "type",
                     stom_param_type_name(s->type), "default", param_value(s->type, s->def), "min",
                     param_value(s->type, s->min), "max", param_value(s->type, s->max), "step",
                     param_value(s->type, s->step), "help", s->help ? s->help : "");
}

static json_t *params_json(const stom_param_spec *specs, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, param_json(&specs[i]));
    return list;
}

/* The issues of one severity as [{line, message}]. */
static json_t *issues_json(const stom_check_report *r, stom_check_severity severity)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->n_issues; i++) {
        const stom_check_issue *is = &r->issues[i];
        if (is->severity == severity)
            json_array_append_new(
                list, json_pack("{s:i, s:s}", "line", is->line, "message", is->message));
    }
    return list;
}

json_t *gw_strategy_check_json(const stom_check_report *r)
{
    return json_pack("{s:b, s:o, s:o, s:o, s:b}", "ok", r->errors == 0, "errors",
                     issues_json(r, STOM_CHECK_ERROR), "warnings",
                     issues_json(r, STOM_CHECK_WARNING), "params",
                     params_json(r->params, r->n_params), "needs_snapshot", r->needs_snapshot);
}

void gw_strategy_reply_check_failed(gw_response *res, const stom_check_report *r)
{
    const stom_check_issue *first = NULL;
    for (size_t i = 0; i < r->n_issues && !first; i++)
        first = r->issues[i].severity == STOM_CHECK_ERROR ? &r->issues[i] : NULL;
    char message[512];
    if (first && first->line > 0)
        snprintf(message, sizeof message,
                 "the code does not pass the check (%zu error%s): line %d: %s", r->errors,
                 r->errors == 1 ? "" : "s", first->line, first->message);
    else
        snprintf(message, sizeof message, "the code does not pass the check (%zu error%s): %s",
                 r->errors, r->errors == 1 ? "" : "s", first ? first->message : "");
    json_t *error =
        json_pack("{s:s, s:s, s:{s:s}, s:o}", "code", "invalid_field", "message", message, "fields",
                  "code", message, "errors", issues_json(r, STOM_CHECK_ERROR));
    gw_reply_json(res, 400, json_pack("{s:o}", "error", error));
}

static const stom_param_spec *find_spec(const stom_check_report *r, const char *name)
{
    for (size_t i = 0; i < r->n_params; i++) {
        if (!strcmp(r->params[i].name, name))
            return &r->params[i];
    }
    return NULL;
}

/* One default value against its spec; false with res set to a 400 naming params.<key>. */
static bool param_value_valid(const char *key, const json_t *v, const stom_param_spec *s,
                              gw_response *res)
{
    char field[96];
    snprintf(field, sizeof field, "params.%.80s", key);
    if (s->type == STOM_PARAM_BOOL) {
        if (json_is_boolean(v))
            return true;
        gw_reply_error(res, 400, "invalid_field", field, "%s must be true or false", field);
        return false;
    }
    if (!json_is_number(v)) {
        gw_reply_error(res, 400, "invalid_field", field, "%s must be a number", field);
        return false;
    }
    double x = json_number_value(v);
    if (s->type == STOM_PARAM_INT && x != floor(x)) {
        gw_reply_error(res, 400, "invalid_field", field, "%s must be an integer", field);
        return false;
    }
    if (x < s->min || x > s->max) {
        gw_reply_error(res, 400, "invalid_field", field, "%s must be between %g and %g", field,
                       s->min, s->max);
        return false;
    }
    return true;
}

bool gw_strategy_params_valid(const json_t *params, const stom_check_report *r, gw_response *res)
{
    if (!params)
        return true;
    if (!json_is_object(params)) {
        gw_reply_error(res, 400, "invalid_field", "params",
                       "params must be an object of default values ({\"fast\": 5})");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)params, key, v)
    {
        const stom_param_spec *s = find_spec(r, key);
        if (!s) {
            char field[96];
            snprintf(field, sizeof field, "params.%.80s", key);
            gw_reply_error(res, 400, "invalid_field", field,
                           "%s: the code declares no parameter of that name", field);
            return false;
        }
        if (!param_value_valid(key, v, s, res))
            return false;
    }
    return true;
}

json_t *gw_strategy_builtins_json(void)
{
    json_t *list = json_array();
    const stom_strategy_def *const *all = stom_strategy_builtins();
    for (size_t k = 0; all[k]; k++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "name", all[k]->name,
                                              "description", all[k]->summary, "params",
                                              params_json(all[k]->params, all[k]->n_params)));
    return json_pack("{s:o}", "strategies", list);
}
