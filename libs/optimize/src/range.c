/*
 * range.c - the candidate values of one parameter, from a range as the
 * user wrote it (min..max by step, or a list).
 *
 * A walk min, min + step, ... stops at the last value not above max (a
 * max the steps do not reach is not added). Values are computed as
 * min + i * step, not by repeated addition, and rounded to 12 significant
 * digits so that 0.1-steps give 0.3 and not 0.30000000000000004. int and
 * bool parameters take whole numbers only: a fraction is refused rather
 * than rounded, because a rounded grid would hold the same value twice.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

/* v rounded to 12 significant digits (exact for whole numbers up to 1e12). */
static double tidy(double v)
{
    if (v == 0 || !isfinite(v))
        return v;
    double scale = pow(10.0, 11 - floor(log10(fabs(v))));
    double r = round(v * scale) / scale;
    return isfinite(r) ? r : v;
}

static bool whole_type(const stom_param_spec *p)
{
    return p->type == STOM_PARAM_INT || p->type == STOM_PARAM_BOOL;
}

static int check_number(const stom_param_spec *p, const char *what, double v, stom_errbuf *eb)
{
    if (!isfinite(v))
        return stom_errorf(eb, STOM_EINVAL, "%s: %s is not a finite number", p->name, what);
    if (whole_type(p) && v != floor(v))
        return stom_errorf(eb, STOM_EINVAL, "%s: %s %g is not a whole number", p->name, what, v);
    return STOM_OK;
}

static int walk_count(const stom_param_spec *p, const stom_opt_range *r, size_t *n, stom_errbuf *eb)
{
    int rc;
    if ((rc = check_number(p, "min", r->min, eb)) || (rc = check_number(p, "max", r->max, eb)))
        return rc;
    if (r->max < r->min)
        return stom_errorf(eb, STOM_EINVAL, "%s: max %g is below min %g", p->name, r->max, r->min);
    if (r->max == r->min) {
        *n = 1;
        return STOM_OK;
    }
    if ((rc = check_number(p, "step", r->step, eb)))
        return rc;
    if (r->step <= 0)
        return stom_errorf(eb, STOM_EINVAL, "%s: step %g must be above 0", p->name, r->step);
    /* A step that lands on max up to rounding noise still reaches it. */
    double steps = floor((r->max - r->min) / r->step * (1 + 1e-12) + 1e-9);
    if (steps + 1 > STOM_OPT_DIM_MAX_VALUES)
        return stom_errorf(eb, STOM_ETOOBIG, "%s: %g..%g by %g has more than %d values", p->name,
                           r->min, r->max, r->step, STOM_OPT_DIM_MAX_VALUES);
    *n = (size_t)steps + 1;
    return STOM_OK;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Copies, checks, sorts and de-duplicates a value list into v (cap n_values). */
static int list_values(const stom_param_spec *p, const stom_opt_range *r, double *v, size_t *n,
                       stom_errbuf *eb)
{
    for (size_t i = 0; i < r->n_values; i++) {
        int rc = check_number(p, "value", r->values[i], eb);
        if (rc)
            return rc;
        v[i] = r->values[i];
    }
    qsort(v, r->n_values, sizeof v[0], compare_double);
    size_t out = 0;
    for (size_t i = 0; i < r->n_values; i++) {
        if (out == 0 || v[i] != v[out - 1])
            v[out++] = v[i];
    }
    *n = out;
    return STOM_OK;
}

static int check_schema_range(const stom_param_spec *p, const double *v, size_t n, stom_errbuf *eb)
{
    /* v is ascending: its ends are the only values that can be outside. */
    if (v[0] < p->min || v[n - 1] > p->max)
        return stom_errorf(eb, STOM_EINVAL, "%s: %g is outside the parameter's range %g..%g",
                           p->name, v[0] < p->min ? v[0] : v[n - 1], p->min, p->max);
    return STOM_OK;
}

int stom__opt_range_values(const stom_param_spec *p, const stom_opt_range *r, double **values,
                           size_t *n, stom_errbuf *eb)
{
    size_t count = r->n_values;
    int rc = STOM_OK;
    if (count > STOM_OPT_DIM_MAX_VALUES)
        return stom_errorf(eb, STOM_ETOOBIG, "%s: %zu values, at most %d", p->name, count,
                           STOM_OPT_DIM_MAX_VALUES);
    if (count == 0 && (rc = walk_count(p, r, &count, eb)))
        return rc;
    double *v = stom_xmalloc(count * sizeof v[0]);
    if (r->n_values > 0) {
        if ((rc = list_values(p, r, v, &count, eb)))
            goto fail;
    } else {
        for (size_t i = 0; i < count; i++)
            v[i] =
                whole_type(p) ? r->min + (double)i * r->step : tidy(r->min + (double)i * r->step);
    }
    if ((rc = check_schema_range(p, v, count, eb)))
        goto fail;
    *values = v;
    *n = count;
    return STOM_OK;
fail:
    free(v);
    return rc;
}
