/*
 * params.c - parameter schemas: defaults, lookup and checked assignment
 * from "name=value" text (the CLI's --param, later the API's JSON).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/strategy.h"

void stom_params_default(const stom_strategy_def *def, stom_params *p)
{
    memset(p, 0, sizeof *p);
    p->n = def->n_params;
    for (size_t i = 0; i < def->n_params; i++)
        p->v[i] = def->params[i].def;
}

int stom_param_index(const stom_strategy_def *def, const char *name)
{
    for (size_t i = 0; i < def->n_params; i++) {
        if (strcmp(def->params[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

const char *stom_param_type_name(stom_param_type t)
{
    switch (t) {
    case STOM_PARAM_INT:
        return "int";
    case STOM_PARAM_FLOAT:
        return "float";
    case STOM_PARAM_BOOL:
        return "bool";
    }
    return "?";
}

char *stom_param_names(const stom_strategy_def *def, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < def->n_params && used < len; i++)
        used +=
            (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", def->params[i].name);
    if (def->n_params == 0)
        snprintf(buf, len, "(none)");
    return buf;
}

static int parse_value(const stom_param_spec *s, const char *text, double *out)
{
    if (s->type == STOM_PARAM_BOOL) {
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes"))
            *out = 1;
        else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no"))
            *out = 0;
        else
            return STOM_EINVAL;
        return STOM_OK;
    }
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v))
        return STOM_EINVAL;
    if (s->type == STOM_PARAM_INT && v != floor(v))
        return STOM_EINVAL;
    *out = v;
    return STOM_OK;
}

int stom_params_set(const stom_strategy_def *def, stom_params *p, const char *assignment,
                    stom_errbuf *eb)
{
    const char *eq = strchr(assignment, '=');
    char names[256];
    stom_param_names(def, names, sizeof names);
    if (eq == NULL || eq == assignment)
        return stom_errorf(eb, STOM_EINVAL,
                           "parameter '%s' is not name=value (parameters of %s: %s)", assignment,
                           def->name, names);
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - assignment), assignment);
    int idx = stom_param_index(def, name);
    if (idx < 0)
        return stom_errorf(eb, STOM_ENOTFOUND, "%s has no parameter '%s' (valid: %s)", def->name,
                           name, names);
    const stom_param_spec *s = &def->params[idx];
    double v;
    if (parse_value(s, eq + 1, &v) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL, "parameter %s=%s is not a valid %s", name, eq + 1,
                           stom_param_type_name(s->type));
    if (v < s->min || v > s->max)
        return stom_errorf(eb, STOM_ERANGE, "parameter %s=%s is out of range %g..%g", name, eq + 1,
                           s->min, s->max);
    p->v[idx] = v;
    return STOM_OK;
}
