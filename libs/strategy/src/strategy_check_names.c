/*
 * strategy_check_names.c - the name rules of the strategy check: what a
 * global that a strategy reads, calls or assigns may be.
 *
 * A name read is, in this order of precedence: a vocabulary name (English
 * or Korean, stom/vocabulary.h), a standard-library name the sandbox keeps,
 * a global the file assigns somewhere (helpers may be defined below their
 * first use, since on_bar runs after the whole file), a name the sandbox
 * withholds (reported as such), or unknown. Unknown names are reported once,
 * at their first use, with the other lines and a close vocabulary name when
 * there is one.
 *
 * Reads and writes are sorted by name first, so a file of any size is
 * judged in O(n log n).
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/vocabulary.h"
#include "sandbox_names.h"
#include "strategy_check_internal.h"

/* The libraries a strategy keeps; the rest of what it may use is in sandbox_names.h. */
static const char *const libraries[] = {"math", "string", "table"};

#define IN_LIST(list, s) in_list((list), sizeof(list) / sizeof((list)[0]), (s))
#define IN_NAMES(l, s)   in_list((l).names, (l).n, (s))
#define STR_ARGS(s)      (int)(s).n, (s).p

static bool in_list(const char *const *list, size_t n, stom__chk_str s)
{
    for (size_t k = 0; k < n; k++) {
        if (stom__chk_str_eq(s, list[k]))
            return true;
    }
    return false;
}

/* The standard library a strategy may use: the kept libraries and functions. */
static bool std_allowed(stom__chk_str s)
{
    return IN_LIST(libraries, s) || IN_NAMES(stom__sandbox_functions, s);
}

static int str_cmp(stom__chk_str a, stom__chk_str b)
{
    int d = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
    return d ? d : (a.n > b.n) - (a.n < b.n);
}

static int read_order(const void *x, const void *y)
{
    const stom__chk_read *a = x, *b = y;
    int d = str_cmp(a->name, b->name);
    return d ? d : (a->line > b->line) - (a->line < b->line);
}

static int write_order(const void *x, const void *y)
{
    const stom__chk_write *a = x, *b = y;
    int d = str_cmp(a->name, b->name);
    return d ? d : (a->line > b->line) - (a->line < b->line);
}

/* The first write of name in the sorted writes, or NULL. */
static const stom__chk_write *find_write(const stom__chk_ctx *c, stom__chk_str name)
{
    size_t lo = 0, hi = c->n_writes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (str_cmp(c->writes[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_writes && !str_cmp(c->writes[lo].name, name) ? &c->writes[lo] : NULL;
}

static const stom_vocab_entry *vocab(stom__chk_str name)
{
    char buf[128];
    if (name.n >= sizeof buf)
        return NULL;
    memcpy(buf, name.p, name.n);
    buf[name.n] = '\0';
    return stom_vocab_find(buf);
}

static bool is_value(const stom_vocab_entry *e)
{
    return e->max_args == 0 && e->args[0] == '\0';
}

/* --- suggestions: edit distance over code points, ASCII case ignored --- */

#define MAX_CP 48

static size_t code_points(const char *p, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if ((ch & 0xC0) == 0x80 && k > 0) {
            out[k - 1] = out[k - 1] << 6 | (ch & 0x3F);
            continue;
        }
        if (k == MAX_CP)
            return MAX_CP + 1;
        out[k++] = ch >= 'A' && ch <= 'Z' ? ch | 0x20u : ch;
    }
    return k;
}

static size_t distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t row[MAX_CP + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            best = up + 1 < best ? up + 1 : best;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

/* Considers candidate for name (na code points in a); keeps the closest in *best. */
static void consider(const uint32_t *a, size_t na, const char *candidate, const char **best,
                     size_t *best_d)
{
    uint32_t b[MAX_CP + 1];
    size_t nb = code_points(candidate, strlen(candidate), b);
    if (nb > MAX_CP)
        return;
    size_t d = distance(a, na, b, nb), limit = na <= 4 ? 1 : 2;
    if (d > 0 && d <= limit && d < *best_d) {
        *best = candidate;
        *best_d = d;
    }
}

/* A vocabulary or library name close to name, or NULL. */
static const char *suggest(stom__chk_str name)
{
    uint32_t a[MAX_CP + 1];
    size_t na = code_points(name.p, name.n, a), best_d = SIZE_MAX, n;
    if (na > MAX_CP)
        return NULL;
    const char *best = NULL;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    for (size_t k = 0; k < n; k++) {
        consider(a, na, all[k].english, &best, &best_d);
        if (all[k].korean)
            consider(a, na, all[k].korean, &best, &best_d);
    }
    for (size_t k = 0; k < stom__sandbox_functions.n; k++)
        consider(a, na, stom__sandbox_functions.names[k], &best, &best_d);
    for (size_t k = 0; k < sizeof libraries / sizeof libraries[0]; k++)
        consider(a, na, libraries[k], &best, &best_d);
    return best;
}

/* --- judging reads --- */

static void arity(char *buf, size_t len, const stom_vocab_entry *e)
{
    if (e->max_args == 0)
        snprintf(buf, len, "no arguments");
    else if (e->min_args == e->max_args)
        snprintf(buf, len, "%d argument%s", e->min_args, e->min_args == 1 ? "" : "s");
    else
        snprintf(buf, len, "%d to %d arguments", e->min_args, e->max_args);
}

/* A direct call of a vocabulary name: a value called, or a wrong argument count. */
static void judge_call(stom__chk_ctx *c, const stom__chk_read *r, const stom_vocab_entry *e)
{
    if (is_value(e)) {
        stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                        "%.*s is a value, not a function: write %.*s without ()", STR_ARGS(r->name),
                        STR_ARGS(r->name));
        return;
    }
    /* A last argument that is a call or ... may give any number of values. */
    int fixed = r->nargs_open ? r->nargs - 1 : r->nargs;
    if (fixed <= e->max_args && (r->nargs_open || fixed >= e->min_args))
        return;
    char want[48];
    arity(want, sizeof want, e);
    stom__chk_issue(c, r->line, STOM_CHECK_ERROR, "%.*s takes %s, got %s%d: %.*s%s",
                    STR_ARGS(r->name), want, r->nargs_open ? "at least " : "", fixed,
                    STR_ARGS(r->name), e->args);
}

/* Market values and calls need a bar: not at the top level, not in init. */
static bool before_bars(const stom__chk_read *r, const stom_vocab_entry *e)
{
    return (r->fn_depth == 0 || r->in_init) && (is_value(e) || r->nargs >= 0);
}

/* Every read of one vocabulary name (a run of n sorted reads). */
static void judge_vocab(stom__chk_ctx *c, const stom__chk_read *r, size_t n,
                        const stom_vocab_entry *e)
{
    bool early_reported = false;
    if (e->needs == STOM_DATA_SNAPSHOT)
        c->report->needs_snapshot = true;
    for (size_t i = 0; i < n; i++, r++) {
        if (r->nargs >= 0)
            judge_call(c, r, e);
        else if (!is_value(e) && r->field.n == 0)
            stom__chk_issue(c, r->line, STOM_CHECK_WARNING, "%.*s is a function: call it as %.*s%s",
                            STR_ARGS(r->name), STR_ARGS(r->name), e->args);
        if (before_bars(r, e) && !early_reported) {
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "%.*s is only available once bars arrive (in on_bar or on_fill), not "
                            "%s",
                            STR_ARGS(r->name), r->in_init ? "in init" : "at the top level");
            early_reported = true;
        }
    }
}

/* Whether lib.field is kept by the sandbox; *exists whether full Lua has it. */
static bool library_keeps(lua_State *L, stom__chk_str lib, stom__chk_str field, bool *exists)
{
    char name[16], key[64];
    snprintf(name, sizeof name, "%.*s", STR_ARGS(lib));
    snprintf(key, sizeof key, "%.*s", STR_ARGS(field));
    lua_getglobal(L, name);
    lua_getfield(L, -1, key);
    *exists = !lua_isnil(L, -1) && field.n < sizeof key;
    lua_pop(L, 2);
    if (stom__chk_str_eq(lib, "string"))
        return IN_NAMES(stom__sandbox_string_kept, field);
    if (stom__chk_str_eq(lib, "table"))
        return IN_NAMES(stom__sandbox_table_kept, field);
    return *exists;
}

/* math.x, string.x and table.x must exist and be kept by the sandbox. */
static void judge_library(stom__chk_ctx *c, const stom__chk_read *r, size_t n, lua_State *L)
{
    if (!stom__chk_str_eq(r->name, "math") && !stom__chk_str_eq(r->name, "string") &&
        !stom__chk_str_eq(r->name, "table"))
        return;
    for (size_t i = 0; i < n; i++, r++) {
        bool exists;
        if (r->field.n == 0 || library_keeps(L, r->name, r->field, &exists))
            continue;
        if (exists)
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "%.*s.%.*s is not available in strategies (sandbox)", STR_ARGS(r->name),
                            STR_ARGS(r->field));
        else
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR, "%.*s.%.*s does not exist",
                            STR_ARGS(r->name), STR_ARGS(r->field));
    }
}

/* params.x must be a declared parameter (when the schema is written out). */
static void judge_params(stom__chk_ctx *c, const stom__chk_read *r, size_t n)
{
    for (size_t i = 0; i < n; i++, r++) {
        /* Without a readable list of names there is nothing to compare with. */
        if (r->field.n == 0 || (c->params_line && !c->params_literal) ||
            c->params_declared > STOM_MAX_PARAMS)
            continue;
        bool declared = false;
        for (size_t k = 0; k < c->n_params && !declared; k++)
            declared = !str_cmp(c->params[k].name, r->field);
        if (declared)
            continue;
        if (c->params_line)
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "params.%.*s is not declared in the params table", STR_ARGS(r->field));
        else
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "params.%.*s is not declared: this file has no params table",
                            STR_ARGS(r->field));
    }
}

static void judge_forbidden(stom__chk_ctx *c, const stom__chk_read *r, size_t n)
{
    for (size_t i = 0; i < n; i++, r++) {
        if (r->field.n)
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "%.*s.%.*s is not available in strategies (sandbox)", STR_ARGS(r->name),
                            STR_ARGS(r->field));
        else
            stom__chk_issue(c, r->line, STOM_CHECK_ERROR,
                            "%.*s is not available in strategies (sandbox)", STR_ARGS(r->name));
    }
}

/* One report for all uses of an unknown name: the first line, then up to five more. */
static void judge_unknown(stom__chk_ctx *c, const stom__chk_read *r, size_t n)
{
    char more[96] = "", hint[160] = "";
    size_t used = 0, shown = 0;
    if (c->report->n_issues >= STOM_CHECK_MAX_ISSUES) {
        /* Only counted from here on: spare the suggestion search. */
        stom__chk_issue(c, r->line, STOM_CHECK_ERROR, "unknown name");
        return;
    }
    for (size_t i = 1; i < n; i++) {
        if (r[i].line == r[i - 1].line)
            continue;
        if (shown++ == 5) {
            snprintf(more + used, sizeof more - used, ", ...");
            break;
        }
        used += (size_t)snprintf(more + used, sizeof more - used, "%s%d", shown > 1 ? ", " : "",
                                 r[i].line);
        used = used < sizeof more ? used : sizeof more - 1;
    }
    const char *close = suggest(r->name);
    if (close)
        snprintf(hint, sizeof hint, "; did you mean '%s'?", close);
    stom__chk_issue(c, r->line, STOM_CHECK_ERROR, "unknown name '%.*s'%s%s%s%s%s",
                    STR_ARGS(r->name), hint, shown ? " (also on line" : "",
                    shown > 1 ? "s "
                    : shown   ? " "
                              : "",
                    more, shown ? ")" : "");
}

/* All reads of one name (n sorted reads starting at r). */
static void judge_name(stom__chk_ctx *c, const stom__chk_read *r, size_t n, lua_State *L)
{
    const stom_vocab_entry *e = vocab(r->name);
    if (e)
        judge_vocab(c, r, n, e);
    else if (std_allowed(r->name))
        judge_library(c, r, n, L);
    else if (stom__chk_str_eq(r->name, "params"))
        judge_params(c, r, n);
    else if (find_write(c, r->name))
        return;
    else if (IN_NAMES(stom__sandbox_withheld, r->name))
        judge_forbidden(c, r, n);
    else
        judge_unknown(c, r, n);
}

/* --- judging writes --- */

/* The first assignment of each global name that belongs to stom. */
static void judge_writes(stom__chk_ctx *c)
{
    for (size_t i = 0; i < c->n_writes; i++) {
        const stom__chk_write *w = &c->writes[i];
        if (i > 0 && !str_cmp(w->name, c->writes[i - 1].name))
            continue;
        const stom_vocab_entry *e = vocab(w->name);
        if (e && e->kind == STOM_VOCAB_ACTION)
            stom__chk_issue(c, w->line, STOM_CHECK_ERROR,
                            "%.*s is the %s action: call %.*s() instead of assigning to it",
                            STR_ARGS(w->name), e->english, STR_ARGS(w->name));
        else if (e)
            stom__chk_issue(c, w->line, STOM_CHECK_ERROR,
                            "cannot assign to %.*s: it is a vocabulary name (%s); use a local or "
                            "another name",
                            STR_ARGS(w->name), stom_vocab_kind_name(e->kind));
        else if (std_allowed(w->name))
            stom__chk_issue(c, w->line, STOM_CHECK_ERROR,
                            "cannot assign to %.*s: it is part of the standard library",
                            STR_ARGS(w->name));
    }
}

static void judge_on_bar(stom__chk_ctx *c)
{
    if (c->local_on_bar_line)
        return; /* reported where it is declared */
    static const char on_bar[] = "on_bar";
    const stom__chk_write *w = find_write(c, (stom__chk_str){on_bar, sizeof on_bar - 1});
    if (!w)
        stom__chk_issue(c, 0, STOM_CHECK_ERROR,
                        "no on_bar function: define function on_bar() ... end, which stom calls "
                        "on every bar");
}

void stom__chk_names(stom__chk_ctx *c, lua_State *L)
{
    if (c->n_writes)
        qsort(c->writes, c->n_writes, sizeof *c->writes, write_order);
    judge_writes(c);
    if (c->n_reads)
        qsort(c->reads, c->n_reads, sizeof *c->reads, read_order);
    for (size_t i = 0, j; i < c->n_reads; i = j) {
        for (j = i + 1; j < c->n_reads && !str_cmp(c->reads[j].name, c->reads[i].name); j++)
            continue;
        judge_name(c, &c->reads[i], j - i, L);
    }
    judge_on_bar(c);
}
