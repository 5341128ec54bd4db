/*
 * space.c - parameter spaces: which schema parameters are searched, over
 * which values, and how a grid index maps to a parameter set.
 *
 * A range that yields one value is not a dimension: it sets that
 * parameter's fixed value in base. So n_dims counts only what is searched
 * (the genetic search sizes its population by it), and every dimension has
 * at least 2 values. Grid index i decodes as a mixed-radix number with the
 * last dimension varying fastest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimize_internal.h"

/* The schema index of r's parameter, refusing unknown and repeated names. */
static int range_param(const stom_opt_space *s, const stom_opt_range *ranges, size_t k,
                       stom_errbuf *eb)
{
    const stom_strategy_def *def = s->def;
    int idx = stom_param_index(def, ranges[k].name);
    if (idx < 0) {
        char names[256];
        stom_param_names(def, names, sizeof names);
        return stom_errorf(eb, STOM_ENOTFOUND, "%s has no parameter '%s' (valid: %s)", def->name,
                           ranges[k].name, names);
    }
    for (size_t j = 0; j < k; j++) {
        if (strcmp(ranges[j].name, ranges[k].name) == 0)
            return stom_errorf(eb, STOM_EINVAL, "%s: the parameter has two ranges", ranges[k].name);
    }
    return idx;
}

/* Adds parameter idx over range r: a dimension, or a fixed value in base. */
static int add_range(stom_opt_space *s, int idx, const stom_opt_range *r, stom_errbuf *eb)
{
    double *values = NULL;
    size_t n = 0;
    int rc = stom__opt_range_values(&s->def->params[idx], r, &values, &n, eb);
    if (rc)
        return rc;
    if (n == 1) {
        s->base.v[idx] = values[0];
        free(values);
        return STOM_OK;
    }
    stom_opt_dim *d = &s->dims[s->n_dims++];
    d->param = idx;
    d->n = n;
    d->values = values;
    return STOM_OK;
}

/* The whole-schema range of parameter p, walked by its step. */
static stom_opt_range schema_range(const stom_param_spec *p)
{
    stom_opt_range r = {.min = p->min, .max = p->max, .step = p->step};
    snprintf(r.name, sizeof r.name, "%s", p->name);
    return r;
}

static int add_whole_schema(stom_opt_space *s, stom_errbuf *eb)
{
    for (size_t i = 0; i < s->def->n_params; i++) {
        const stom_param_spec *p = &s->def->params[i];
        if (p->type == STOM_PARAM_BOOL)
            continue;
        stom_opt_range r = schema_range(p);
        int rc = add_range(s, (int)i, &r, eb);
        if (rc)
            return rc;
    }
    return STOM_OK;
}

static int init_base(stom_opt_space *s, const stom_strategy_def *def, const stom_params *base,
                     stom_errbuf *eb)
{
    if (def->n_params > STOM_MAX_PARAMS)
        return stom_errorf(eb, STOM_EINVAL, "%s has %zu parameters, at most %d", def->name,
                           def->n_params, STOM_MAX_PARAMS);
    if (base != NULL && base->n != def->n_params)
        return stom_errorf(eb, STOM_EINVAL, "base has %zu values; %s has %zu parameters", base->n,
                           def->name, def->n_params);
    if (base != NULL)
        s->base = *base;
    else
        stom_params_default(def, &s->base);
    return STOM_OK;
}

int stom_opt_space_init(stom_opt_space *s, const stom_strategy_def *def, const stom_params *base,
                        const stom_opt_range *ranges, size_t n_ranges, stom_errbuf *eb)
{
    memset(s, 0, sizeof *s);
    s->def = def;
    int rc = init_base(s, def, base, eb);
    if (rc)
        return rc;
    if (n_ranges == 0) {
        rc = add_whole_schema(s, eb);
    } else {
        for (size_t k = 0; k < n_ranges && rc == STOM_OK; k++) {
            int idx = range_param(s, ranges, k, eb);
            rc = idx < 0 ? idx : add_range(s, idx, &ranges[k], eb);
        }
    }
    if (rc)
        stom_opt_space_free(s);
    return rc;
}

void stom_opt_space_free(stom_opt_space *s)
{
    for (size_t d = 0; d < s->n_dims; d++)
        free(s->dims[d].values);
    s->n_dims = 0;
}

uint64_t stom_opt_space_size(const stom_opt_space *s)
{
    uint64_t size = 1;
    for (size_t d = 0; d < s->n_dims; d++) {
        if (size > UINT64_MAX / s->dims[d].n)
            return UINT64_MAX;
        size *= s->dims[d].n;
    }
    return size;
}

int stom_opt_space_check_grid(const stom_opt_space *s, stom_errbuf *eb)
{
    uint64_t size = stom_opt_space_size(s);
    if (size > STOM_OPT_GRID_MAX)
        return stom_errorf(eb, STOM_ETOOBIG,
                           "the grid has %s%llu points; a grid search takes at most %d "
                           "(narrow the ranges or use random or genetic search)",
                           size == UINT64_MAX ? "over " : "", (unsigned long long)size,
                           STOM_OPT_GRID_MAX);
    return STOM_OK;
}

void stom__opt_tuple_of_index(const stom_opt_space *s, uint64_t index, stom__opt_tuple *t)
{
    memset(t, 0, sizeof *t);
    for (size_t d = s->n_dims; d-- > 0;) {
        t->idx[d] = (uint16_t)(index % s->dims[d].n);
        index /= s->dims[d].n;
    }
}

void stom__opt_tuple_params(const stom_opt_space *s, const stom__opt_tuple *t, stom_params *out)
{
    *out = s->base;
    for (size_t d = 0; d < s->n_dims; d++)
        out->v[s->dims[d].param] = s->dims[d].values[t->idx[d]];
}

void stom_opt_space_point(const stom_opt_space *s, uint64_t index, stom_params *out)
{
    stom__opt_tuple t;
    stom__opt_tuple_of_index(s, index, &t);
    stom__opt_tuple_params(s, &t, out);
}
