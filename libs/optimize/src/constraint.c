/*
 * constraint.c - constraint windows (STOM's 제약 조건): bounds on a run's
 * figures that a candidate must meet, or it scores -INFINITY.
 *
 * Text forms, spaces allowed anywhere between the parts:
 *
 *     mdd<=10    wr>=50    atc<3    tc>20    mdd=2:10    wr=40:    mh=:5
 *
 * A bound is inclusive also when written strictly ("<" reads as "<="): the
 * figures are decimals printed rounded, so a strict bound would only
 * differ on values nobody can type. A window a:b may leave one side open.
 * A figure that is NaN violates every constraint on it.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

static const struct {
    const char *name;
    stom_constraint_metric metric;
} metric_names[] = {
    {"mdd", STOM_CON_MDD},
    {"wr", STOM_CON_WIN_RATE},
    {"win_rate", STOM_CON_WIN_RATE},
    {"atc", STOM_CON_TRADES_PER_DAY},
    {"trades_per_day", STOM_CON_TRADES_PER_DAY},
    {"ap", STOM_CON_AVG_RETURN},
    {"avg_return", STOM_CON_AVG_RETURN},
    {"cagr", STOM_CON_CAGR},
    {"tpi", STOM_CON_TPI},
    {"mh", STOM_CON_MAX_POSITIONS},
    {"max_positions", STOM_CON_MAX_POSITIONS},
    {"tc", STOM_CON_TRADES},
    {"trades", STOM_CON_TRADES},
};

#define N_METRIC_NAMES (sizeof metric_names / sizeof metric_names[0])
#define VALID_NAMES                                                                                \
    "mdd, wr|win_rate, atc|trades_per_day, ap|avg_return, cagr, tpi, mh|max_positions, "           \
    "tc|trades"

typedef struct reader {
    const char *p;
    const char *text;
    stom_errbuf *eb;
} reader;

__attribute__((format(printf, 2, 3))) static int refuse(reader *r, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return stom_errorf(r->eb, STOM_EINVAL, "constraint '%s': %s", r->text, what);
}

static void skip_space(reader *r)
{
    while (isspace((unsigned char)*r->p))
        r->p++;
}

static int read_metric(reader *r, stom_constraint_metric *out)
{
    skip_space(r);
    const char *start = r->p;
    while (isalnum((unsigned char)*r->p) || *r->p == '_')
        r->p++;
    size_t len = (size_t)(r->p - start);
    for (size_t i = 0; i < N_METRIC_NAMES; i++) {
        if (len == strlen(metric_names[i].name) &&
            strncasecmp(start, metric_names[i].name, len) == 0) {
            *out = metric_names[i].metric;
            return STOM_OK;
        }
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)len, start);
    return refuse(r, "unknown metric '%s' (valid: " VALID_NAMES ")", name);
}

/* A number; when optional, *present says whether one was there. */
static int read_number(reader *r, double *out, bool optional, bool *present, const char *after)
{
    skip_space(r);
    char *end = NULL;
    double v = strtod(r->p, &end);
    *present = end != r->p;
    if (!*present)
        return optional ? STOM_OK : refuse(r, "expected a number after %s", after);
    if (!isfinite(v))
        return refuse(r, "expected a finite number after %s", after);
    r->p = end;
    *out = v;
    return STOM_OK;
}

/* "a:b" with either side optional, after "metric=". */
static int read_window(reader *r, stom_constraint *c)
{
    int rc = read_number(r, &c->min, true, &c->has_min, "=");
    if (rc)
        return rc;
    skip_space(r);
    if (*r->p != ':')
        return refuse(r, "expected a window min:max after =");
    r->p++;
    if ((rc = read_number(r, &c->max, true, &c->has_max, ":")))
        return rc;
    if (!c->has_min && !c->has_max)
        return refuse(r, "the window has neither a min nor a max");
    if (c->has_min && c->has_max && c->min > c->max)
        return refuse(r, "the window's min %g is above its max %g", c->min, c->max);
    return STOM_OK;
}

/* The operator and its number(s). */
static int read_bound(reader *r, stom_constraint *c)
{
    static const char *const ops[] = {"<=", ">=", "<", ">", "="};
    skip_space(r);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(r->p, ops[i], n) != 0)
            continue;
        r->p += n;
        if (ops[i][0] == '=')
            return read_window(r, c);
        bool present;
        bool upper = ops[i][0] == '<';
        c->has_max = upper;
        c->has_min = !upper;
        return read_number(r, upper ? &c->max : &c->min, false, &present, ops[i]);
    }
    return refuse(r, "expected <=, >=, <, > or = after the metric");
}

int stom_constraint_parse(const char *text, stom_constraint *out, stom_errbuf *eb)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    stom_constraint c = {0};
    if (len >= sizeof c.text)
        return stom_errorf(eb, STOM_EINVAL, "constraint '%.40s...' is longer than %zu characters",
                           text, sizeof c.text - 1);
    memcpy(c.text, text, len);
    reader r = {.p = c.text, .text = c.text, .eb = eb};
    int rc;
    if ((rc = read_metric(&r, &c.metric)) || (rc = read_bound(&r, &c)))
        return rc;
    skip_space(&r);
    if (*r.p != '\0')
        return refuse(&r, "unexpected '%s' after the bound", r.p);
    *out = c;
    return STOM_OK;
}

double stom_constraint_value(stom_constraint_metric m, const stom_opt_stats *st)
{
    switch (m) {
    case STOM_CON_MDD:
        return st->mdd_pct;
    case STOM_CON_WIN_RATE:
        return st->win_rate_pct;
    case STOM_CON_TRADES_PER_DAY:
        return st->trades_per_day;
    case STOM_CON_AVG_RETURN:
        return st->avg_trade_pct;
    case STOM_CON_CAGR:
        return st->cagr;
    case STOM_CON_TPI:
        return st->tpi;
    case STOM_CON_MAX_POSITIONS:
        return st->max_positions;
    case STOM_CON_TRADES:
        return (double)st->trades;
    case STOM_CON_COUNT:
        break;
    }
    return NAN;
}

static bool satisfied(const stom_constraint *c, const stom_opt_stats *st)
{
    double v = stom_constraint_value(c->metric, st);
    if (isnan(v))
        return false;
    return (!c->has_min || v >= c->min) && (!c->has_max || v <= c->max);
}

size_t stom_constraints_check(const stom_constraint *c, size_t n, const stom_opt_stats *st,
                              size_t *violated, size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (satisfied(&c[i], st))
            continue;
        if (violated != NULL && count < cap)
            violated[count] = i;
        count++;
    }
    return count;
}

double stom_opt_score(stom_objective o, const stom_constraint *c, size_t n,
                      const stom_opt_stats *st)
{
    if (stom_constraints_check(c, n, st, NULL, 0) > 0)
        return -INFINITY;
    return stom_objective_value(o, st);
}

char *stom_constraint_metric_text(const char *text)
{
    const char *op = text + strcspn(text, "<>=");
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = op > text ? (size_t)(op - text) : 0;
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    return stom_xstrndup(text, n);
}
