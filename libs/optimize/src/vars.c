/*
 * vars.c - STOM's `vars` text (변수 범위) as ranges over a schema.
 *
 * One assignment per line:
 *
 *     self.vars[0] = [[5, 30, 5], 20]     # start, end, step; best
 *     self.vars[1] = [[3, 5, 8], 5]       # GA form: the values; best
 *
 * The inner list is read as start, end, step when it has three numbers
 * a, b, c with a == b, or a < b and 0 < c <= b - a; any other list is the
 * values themselves (so [3, 5, 8], whose "step" would pass the end, is a
 * list). A range with start == end, or a one-value list, fixes the
 * parameter at `best` (STOM skips such a variable and uses its best): it
 * is returned as the one-value range {best}. In every case `best` becomes
 * the parameter's value in base. Text after `#` is a comment; blank lines are skipped.
 *
 * The parser works on the NUL-terminated text in place; a line ends at
 * '\n' (a '\r' before it is whitespace). Lists are bounded by
 * STOM_OPT_DIM_MAX_VALUES before anything is stored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

typedef struct cursor {
    const char *p;
    int line;
    stom_errbuf *eb;
} cursor;

/* One parsed assignment: vars[k] = [[list...], best]. */
typedef struct assignment {
    long k;
    double *list; /* owned */
    size_t n, cap;
    double best;
} assignment;

static int syntax(cursor *c, const char *what)
{
    return stom_errorf(c->eb, STOM_EFORMAT, "vars:%d: %s", c->line, what);
}

static void skip_space(cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')
        c->p++;
}

static bool accept(cursor *c, const char *word)
{
    skip_space(c);
    size_t n = strlen(word);
    if (strncmp(c->p, word, n) != 0)
        return false;
    c->p += n;
    return true;
}

static int expect(cursor *c, const char *word, const char *what)
{
    return accept(c, word) ? STOM_OK : syntax(c, what);
}

static int number(cursor *c, double *out, const char *what)
{
    skip_space(c);
    /* strtod would skip a newline and read the next line's number. */
    const char *p = c->p;
    if (!(*p == '-' || *p == '+' || *p == '.' || (*p >= '0' && *p <= '9')))
        return syntax(c, what);
    char *end = NULL;
    double v = strtod(p, &end);
    if (end == p || !isfinite(v))
        return syntax(c, what);
    c->p = end;
    *out = v;
    return STOM_OK;
}

static int push_value(cursor *c, assignment *a, double v)
{
    if (a->n == STOM_OPT_DIM_MAX_VALUES)
        return stom_errorf(c->eb, STOM_ETOOBIG, "vars:%d: more than %d values in one list", c->line,
                           STOM_OPT_DIM_MAX_VALUES);
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 8;
        a->list = stom_xrealloc(a->list, a->cap * sizeof a->list[0]);
    }
    a->list[a->n++] = v;
    return STOM_OK;
}

static int parse_list(cursor *c, assignment *a)
{
    int rc;
    if ((rc = expect(c, "[", "expected '[' opening the list of values")))
        return rc;
    do {
        double v;
        if (accept(c, "]") && a->n > 0)
            return STOM_OK; /* a trailing comma */
        if ((rc = number(c, &v, "expected a number in the list")) || (rc = push_value(c, a, v)))
            return rc;
    } while (accept(c, ","));
    return expect(c, "]", "expected ',' or ']' in the list");
}

static int parse_index(cursor *c, assignment *a)
{
    int rc;
    accept(c, "self.");
    if ((rc = expect(c, "vars", "expected self.vars[<n>] = [[...], best]")) ||
        (rc = expect(c, "[", "expected '[' after vars")))
        return rc;
    skip_space(c);
    char *end = NULL;
    a->k = *c->p >= '0' && *c->p <= '9' ? strtol(c->p, &end, 10) : -1;
    if (a->k < 0 || a->k >= 1000)
        return syntax(c, "expected the variable's number (0..999) in vars[...]");
    c->p = end;
    return expect(c, "]", "expected ']' after the variable's number");
}

static int parse_line(cursor *c, assignment *a)
{
    int rc;
    if ((rc = parse_index(c, a)) || (rc = expect(c, "=", "expected '=' after vars[n]")) ||
        (rc = expect(c, "[", "expected '[' before the range")) || (rc = parse_list(c, a)) ||
        (rc = expect(c, ",", "expected ', best' after the range")) ||
        (rc = number(c, &a->best, "expected the best value after the range")) ||
        (rc = expect(c, "]", "expected ']' after the best value")))
        return rc;
    skip_space(c);
    if (*c->p != '\0' && *c->p != '\n' && *c->p != '#')
        return syntax(c, "unexpected text after the assignment");
    return STOM_OK;
}

/* vars[k] is the parameter "var<k>" or, without one, the k-th parameter. */
static int param_of(const stom_strategy_def *def, cursor *c, long k)
{
    char name[32];
    snprintf(name, sizeof name, "var%ld", k);
    int idx = stom_param_index(def, name);
    if (idx >= 0)
        return idx;
    if ((size_t)k < def->n_params)
        return (int)k;
    return stom_errorf(c->eb, STOM_ENOTFOUND,
                       "vars:%d: vars[%ld] matches no parameter (%s has no %s and %zu parameters)",
                       c->line, k, def->name, name, def->n_params);
}

static bool reads_as_walk(const double *v, size_t n)
{
    return n == 3 && (v[0] == v[1] || (v[0] < v[1] && v[2] > 0 && v[2] <= v[1] - v[0]));
}

static int check_best(const stom_param_spec *p, cursor *c, double best)
{
    if (p->type != STOM_PARAM_FLOAT && best != floor(best))
        return stom_errorf(c->eb, STOM_EINVAL, "vars:%d: %s: best %g is not a whole number",
                           c->line, p->name, best);
    if (best < p->min || best > p->max)
        return stom_errorf(c->eb, STOM_EINVAL,
                           "vars:%d: %s: best %g is outside the parameter's range %g..%g", c->line,
                           p->name, best, p->min, p->max);
    return STOM_OK;
}

/*
 * Turns a parsed assignment into range r. A fixed parameter becomes the
 * one-value range {best}, which stom_opt_space_init keeps out of the
 * dimensions, so a text whose parameters are all fixed still names them.
 */
static int make_range(const stom_param_spec *p, cursor *c, assignment *a, stom_opt_range *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", p->name);
    bool walk = reads_as_walk(a->list, a->n);
    if (a->n == 1 || (walk && a->list[0] == a->list[1])) {
        a->list[0] = a->best;
        a->n = 1;
    } else if (walk) {
        r->min = a->list[0];
        r->max = a->list[1];
        r->step = a->list[2];
    }
    if (!walk || a->n == 1) {
        r->values = a->list;
        r->n_values = a->n;
    }
    /* Check the values now, while the line number is known. */
    stom_errbuf inner;
    double *values = NULL;
    size_t n;
    int rc = stom__opt_range_values(p, r, &values, &n, &inner);
    free(values);
    if (rc)
        return stom_errorf(c->eb, rc, "vars:%d: %s", c->line, inner.msg);
    if (r->n_values > 0)
        a->list = NULL; /* now owned by r */
    return STOM_OK;
}

static bool blank_line(cursor *c)
{
    skip_space(c);
    return *c->p == '\0' || *c->p == '\n' || *c->p == '#';
}

/* Parses the assignment on the line at c into *r and best into base. */
static int one_line(const stom_strategy_def *def, cursor *c, stom_params *base, bool *taken,
                    stom_opt_range *r)
{
    assignment a = {0};
    int rc = parse_line(c, &a);
    int idx = rc ? rc : param_of(def, c, a.k);
    if (idx < 0) {
        rc = idx;
    } else if (taken[idx]) {
        rc = stom_errorf(c->eb, STOM_EINVAL, "vars:%d: %s is set twice", c->line,
                         def->params[idx].name);
    } else if (!(rc = check_best(&def->params[idx], c, a.best)) &&
               !(rc = make_range(&def->params[idx], c, &a, r))) {
        taken[idx] = true;
        base->v[idx] = a.best;
    }
    free(a.list);
    return rc;
}

void stom_opt_ranges_free(stom_opt_range *ranges, size_t n)
{
    if (ranges == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free((double *)ranges[i].values);
    free(ranges);
}

int stom_opt_parse_vars(const stom_strategy_def *def, const char *text, stom_params *base,
                        stom_opt_range **ranges, size_t *n, stom_errbuf *eb)
{
    if (base->n != def->n_params)
        return stom_errorf(eb, STOM_EINVAL, "base has %zu values; %s has %zu parameters", base->n,
                           def->name, def->n_params);
    stom_opt_range *out = stom_xcalloc(def->n_params ? def->n_params : 1, sizeof out[0]);
    stom_params fixed = *base;
    bool taken[STOM_MAX_PARAMS] = {false};
    size_t count = 0;
    cursor c = {.p = text, .line = 1, .eb = eb};
    int rc = STOM_OK;
    while (rc == STOM_OK && *c.p != '\0') {
        if (!blank_line(&c)) {
            rc = one_line(def, &c, &fixed, taken, &out[count]);
            count += rc == STOM_OK;
        }
        c.p += strcspn(c.p, "\n");
        c.p += *c.p == '\n';
        c.line++;
    }
    if (rc) {
        stom_opt_ranges_free(out, count);
        return rc;
    }
    *base = fixed;
    *ranges = out;
    *n = count;
    return STOM_OK;
}
