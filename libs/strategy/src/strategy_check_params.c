/*
 * strategy_check_params.c - reads the `params = { ... }` schema of a Lua
 * strategy without running it.
 *
 * The table must be written out: each entry `name = {type = "int",
 * default = 10, min = 1, max = 100, step = 1, help = "..."}` holds literal
 * numbers (a leading minus allowed), strings and booleans only, so the
 * schema is known before any code runs. Each problem is reported at the
 * line of its entry (or of the key it concerns). Rules, the same as for the
 * built-ins (stom_param_spec): type is int, float or bool; int and float
 * need default, min and max with min <= default <= max; step > 0 (it
 * defaults to 1 for int and to (max - min) / 10 for float); int values are
 * integral; bool takes a true/false default and nothing else. These are
 * the runtime's rules (lua_loader.c), checked here without running code.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "strategy_check_internal.h"

enum { KEY_TYPE, KEY_DEFAULT, KEY_MIN, KEY_MAX, KEY_STEP, KEY_HELP, N_KEYS };
static const char *const key_names[N_KEYS] = {"type", "default", "min", "max", "step", "help"};

typedef enum lit_kind { LIT_NUMBER, LIT_STRING, LIT_BOOL } lit_kind;

typedef struct literal {
    lit_kind kind;
    double num;
    bool b;
    stom__chk_token tok; /* for strings */
} literal;

/* What one entry's table held. */
typedef struct entry_keys {
    bool seen[N_KEYS];
    literal val[N_KEYS];
    int line[N_KEYS];
    bool bad; /* some value was not a literal; the entry is not judged further */
} entry_keys;

/* An entry name as the printf argument pair "%.*s". */
#define NAME_ARGS(param) (int)(param)->name.n, (param)->name.p

static bool literal_end(int t)
{
    return t == ',' || t == ';' || t == '}';
}

/* A plain decimal or hex number; LuaJIT's 64-bit and imaginary suffixes are refused. */
static bool number_value(const stom__chk_token *t, double *out)
{
    char buf[64];
    if (t->text.n >= sizeof buf)
        return false;
    memcpy(buf, t->text.p, t->text.n);
    buf[t->text.n] = '\0';
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0' && isfinite(*out);
}

/* Reads a literal value; anything else is reported as `what` and skipped. */
static bool read_literal(stom__chk_ctx *c, literal *v, const stom__chk_param *p, const char *key)
{
    int line = c->tok.line;
    bool minus = c->tok.type == '-' && stom__chk_peek(c) == TK_NUMBER;
    if (minus)
        stom__chk_next(c);
    int t = c->tok.type;
    bool simple = t == TK_NUMBER || (!minus && (t == TK_STRING || t == TK_TRUE || t == TK_FALSE));
    if (simple && literal_end(stom__chk_peek(c))) {
        v->kind = t == TK_NUMBER ? LIT_NUMBER : t == TK_STRING ? LIT_STRING : LIT_BOOL;
        v->b = t == TK_TRUE;
        v->tok = c->tok;
        bool ok = t != TK_NUMBER || number_value(&c->tok, &v->num);
        v->num = minus ? -v->num : v->num;
        stom__chk_next(c);
        if (ok)
            return true;
        stom__chk_issue(c, line, STOM_CHECK_ERROR, "params.%.*s.%s: %.*s is not a plain number",
                        NAME_ARGS(p), key, (int)v->tok.text.n, v->tok.text.p);
        return false;
    }
    stom__chk_issue(c, line, STOM_CHECK_ERROR,
                    "params.%.*s.%s must be a literal (a number, string, true or false), "
                    "not an expression",
                    NAME_ARGS(p), key);
    stom__chk_expr(c);
    return false;
}

static int key_slot(stom__chk_str key)
{
    for (int k = 0; k < N_KEYS; k++) {
        if (stom__chk_str_eq(key, key_names[k]))
            return k;
    }
    return -1;
}

/* One `key = value` of an entry's table. */
static void read_setting(stom__chk_ctx *c, const stom__chk_param *p, entry_keys *k)
{
    int line = c->tok.line;
    if (c->tok.type != TK_NAME || stom__chk_peek(c) != '=') {
        stom__chk_issue(c, line, STOM_CHECK_ERROR,
                        "params.%.*s: write each setting as key = value (keys: type, default, "
                        "min, max, step, help)",
                        NAME_ARGS(p));
        k->bad = true;
        if (stom__chk_accept(c, '[')) {
            stom__chk_expr(c);
            stom__chk_expect(c, ']');
            stom__chk_expect(c, '=');
        }
        stom__chk_expr(c);
        return;
    }
    stom__chk_str key = c->tok.text;
    stom__chk_next(c);
    stom__chk_next(c);
    int slot = key_slot(key);
    if (slot < 0) {
        stom__chk_issue(c, line, STOM_CHECK_ERROR,
                        "params.%.*s: unknown key '%.*s' (keys: type, default, min, max, step, "
                        "help)",
                        NAME_ARGS(p), (int)key.n, key.p);
        k->bad = true;
        stom__chk_expr(c);
        return;
    }
    if (k->seen[slot])
        stom__chk_issue(c, line, STOM_CHECK_ERROR, "params.%.*s: %s is given twice", NAME_ARGS(p),
                        key_names[slot]);
    k->seen[slot] = true;
    k->line[slot] = line;
    if (!read_literal(c, &k->val[slot], p, key_names[slot]))
        k->bad = true;
}

static void entry_table(stom__chk_ctx *c, const stom__chk_param *p, entry_keys *k)
{
    stom__chk_expect(c, '{');
    while (c->tok.type != '}' && c->tok.type != TK_EOF) {
        read_setting(c, p, k);
        if (!stom__chk_accept(c, ',') && !stom__chk_accept(c, ';'))
            break;
    }
    stom__chk_expect(c, '}');
}

/* True when slot holds a literal of the wanted kind; reports it otherwise. */
static bool want_kind(stom__chk_ctx *c, const stom__chk_param *p, const entry_keys *k, int slot,
                      lit_kind kind, const char *what)
{
    if (k->val[slot].kind == kind)
        return true;
    stom__chk_issue(c, k->line[slot], STOM_CHECK_ERROR, "params.%.*s.%s must be %s", NAME_ARGS(p),
                    key_names[slot], what);
    return false;
}

static bool entry_type(stom__chk_ctx *c, const stom__chk_param *p, const entry_keys *k,
                       stom_param_type *type)
{
    if (!k->seen[KEY_TYPE]) {
        stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                        "params.%.*s has no type (type = \"int\", \"float\" or \"bool\")",
                        NAME_ARGS(p));
        return false;
    }
    if (!want_kind(c, p, k, KEY_TYPE, LIT_STRING, "a string: \"int\", \"float\" or \"bool\""))
        return false;
    char buf[32];
    stom__chk_string_value(&k->val[KEY_TYPE].tok, buf, sizeof buf);
    static const stom_param_type types[] = {STOM_PARAM_INT, STOM_PARAM_FLOAT, STOM_PARAM_BOOL};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        if (!strcmp(buf, stom_param_type_name(types[t]))) {
            *type = types[t];
            return true;
        }
    }
    stom__chk_issue(c, k->line[KEY_TYPE], STOM_CHECK_ERROR,
                    "params.%.*s: unknown type '%s' (int, float or bool)", NAME_ARGS(p), buf);
    return false;
}

static bool judge_bool(stom__chk_ctx *c, stom__chk_param *p, const entry_keys *k)
{
    if (!k->seen[KEY_DEFAULT]) {
        stom__chk_issue(c, p->line, STOM_CHECK_ERROR, "params.%.*s has no default (true or false)",
                        NAME_ARGS(p));
        return false;
    }
    if (!want_kind(c, p, k, KEY_DEFAULT, LIT_BOOL, "true or false for a bool"))
        return false;
    bool ok = true;
    for (int slot = KEY_MIN; slot <= KEY_STEP; slot++) {
        if (!k->seen[slot])
            continue;
        stom__chk_issue(c, k->line[slot], STOM_CHECK_ERROR,
                        "params.%.*s: a bool parameter takes only a default (no %s)", NAME_ARGS(p),
                        key_names[slot]);
        ok = false;
    }
    p->spec.type = STOM_PARAM_BOOL;
    p->spec.def = k->val[KEY_DEFAULT].b ? 1 : 0;
    p->spec.min = 0;
    p->spec.max = 1;
    p->spec.step = 1;
    return ok;
}

/* default, min, max (and step when given) present and numbers; int ones whole. */
static bool numbers_present(stom__chk_ctx *c, const stom__chk_param *p, const entry_keys *k,
                            stom_param_type type)
{
    bool ok = true;
    for (int slot = KEY_DEFAULT; slot <= KEY_STEP; slot++) {
        if (!k->seen[slot]) {
            if (slot != KEY_STEP)
                stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                                "params.%.*s has no %s (int and float parameters need default, "
                                "min and max)",
                                NAME_ARGS(p), key_names[slot]);
            ok = ok && slot == KEY_STEP;
            continue;
        }
        if (!want_kind(c, p, k, slot, LIT_NUMBER, "a number")) {
            ok = false;
        } else if (type == STOM_PARAM_INT && k->val[slot].num != floor(k->val[slot].num)) {
            stom__chk_issue(c, k->line[slot], STOM_CHECK_ERROR,
                            "params.%.*s.%s must be a whole number for an int parameter (got %g)",
                            NAME_ARGS(p), key_names[slot], k->val[slot].num);
            ok = false;
        }
    }
    return ok;
}

static bool judge_number(stom__chk_ctx *c, stom__chk_param *p, const entry_keys *k,
                         stom_param_type type)
{
    if (!numbers_present(c, p, k, type))
        return false;
    double def = k->val[KEY_DEFAULT].num, min = k->val[KEY_MIN].num, max = k->val[KEY_MAX].num;
    double step = k->seen[KEY_STEP]                      ? k->val[KEY_STEP].num
                  : type == STOM_PARAM_INT || max == min ? 1
                                                         : (max - min) / 10;
    bool ok = true;
    if (min > max) {
        stom__chk_issue(c, k->line[KEY_MIN], STOM_CHECK_ERROR,
                        "params.%.*s: min %g is greater than max %g", NAME_ARGS(p), min, max);
        ok = false;
    } else if (def < min || def > max) {
        stom__chk_issue(c, k->line[KEY_DEFAULT], STOM_CHECK_ERROR,
                        "params.%.*s: default %g is outside min..max (%g..%g)", NAME_ARGS(p), def,
                        min, max);
        ok = false;
    }
    /* With min == max there is nothing to step through; the runtime then uses 1. */
    if (step <= 0 && max > min) {
        stom__chk_issue(c, k->seen[KEY_STEP] ? k->line[KEY_STEP] : p->line, STOM_CHECK_ERROR,
                        "params.%.*s: step must be greater than 0 (got %g)", NAME_ARGS(p), step);
        ok = false;
    }
    p->spec = (stom_param_spec){NULL, type, def, min, max, step > 0 ? step : 1, NULL};
    return ok;
}

static bool judge(stom__chk_ctx *c, stom__chk_param *p, const entry_keys *k)
{
    if (k->seen[KEY_HELP] && !want_kind(c, p, k, KEY_HELP, LIT_STRING, "a string"))
        return false;
    if (k->seen[KEY_HELP])
        p->help = k->val[KEY_HELP].tok;
    stom_param_type type;
    if (!entry_type(c, p, k, &type))
        return false;
    return type == STOM_PARAM_BOOL ? judge_bool(c, p, k) : judge_number(c, p, k, type);
}

/* Parameter names become params.<name> and --param name=value: identifiers only. */
static bool name_ok(stom__chk_ctx *c, const stom__chk_param *p)
{
    bool ok = p->name.n > 0 && p->name.n < 64 && !(p->name.p[0] >= '0' && p->name.p[0] <= '9');
    for (size_t i = 0; ok && i < p->name.n; i++) {
        unsigned char ch = (unsigned char)p->name.p[i];
        ok = ch == '_' || ch >= 0x80 || (ch >= '0' && ch <= '9') ||
             ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
    }
    if (!ok)
        stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                        "params: '%.*s' is not a usable parameter name (letters, digits and _, "
                        "at most 63 bytes)",
                        NAME_ARGS(p));
    return ok;
}

/* name = or ["name"] =; false (entry reported, key and value skipped) for anything else. */
static bool entry_name(stom__chk_ctx *c, stom__chk_param *p)
{
    if (c->tok.type == TK_NAME && stom__chk_peek(c) == '=') {
        p->name = c->tok.text;
        stom__chk_next(c);
        stom__chk_next(c);
        return true;
    }
    if (stom__chk_accept(c, '[')) {
        stom__chk_token s = c->tok;
        bool plain = s.type == TK_STRING && !s.escaped && stom__chk_peek(c) == ']';
        stom__chk_expr(c);
        stom__chk_expect(c, ']');
        stom__chk_expect(c, '=');
        if (plain) {
            p->name = s.text;
            return true;
        }
    }
    stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                    "params entries need a name: fast = {type = \"int\", default = 10, min = 1, "
                    "max = 100}");
    c->params_literal = false;
    stom__chk_expr(c);
    return false;
}

static void keep_param(stom__chk_ctx *c, const stom__chk_param *p)
{
    for (size_t i = 0; i < c->n_params; i++) {
        if (p->name.n == c->params[i].name.n &&
            !memcmp(p->name.p, c->params[i].name.p, p->name.n)) {
            stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                            "params.%.*s is declared twice (first on line %d)", NAME_ARGS(p),
                            c->params[i].line);
            c->params_bad = true;
            return;
        }
    }
    if (++c->params_declared > STOM_MAX_PARAMS) {
        if (c->params_declared == STOM_MAX_PARAMS + 1)
            stom__chk_issue(c, p->line, STOM_CHECK_ERROR,
                            "too many parameters: a strategy has at most %d", STOM_MAX_PARAMS);
        c->params_bad = true;
        return;
    }
    c->params[c->n_params++] = *p;
}

static void read_entry(stom__chk_ctx *c)
{
    stom__chk_param p;
    memset(&p, 0, sizeof p);
    p.line = c->tok.line;
    if (!entry_name(c, &p)) {
        c->params_bad = true;
        return;
    }
    bool named = name_ok(c, &p);
    if (c->tok.type != '{') {
        stom__chk_issue(c, p.line, STOM_CHECK_ERROR,
                        "params.%.*s must be a table: {type = \"int\", default = 10, min = 1, "
                        "max = 100}",
                        NAME_ARGS(&p));
        stom__chk_expr(c);
        c->params_bad = true;
    } else {
        entry_keys k;
        memset(&k, 0, sizeof k);
        entry_table(c, &p, &k);
        p.ok = named && !k.bad && judge(c, &p, &k);
        c->params_bad = c->params_bad || !p.ok;
    }
    keep_param(c, &p);
}

void stom__chk_params_table(stom__chk_ctx *c)
{
    c->params_literal = true;
    stom__chk_expect(c, '{');
    while (c->tok.type != '}' && c->tok.type != TK_EOF) {
        read_entry(c);
        if (!stom__chk_accept(c, ',') && !stom__chk_accept(c, ';'))
            break;
    }
    stom__chk_expect(c, '}');
}

static bool field_used(const stom__chk_ctx *c, stom__chk_str name)
{
    for (size_t i = 0; i < c->n_fields; i++) {
        if (c->fields[i].n == name.n && !memcmp(c->fields[i].p, name.p, name.n))
            return true;
    }
    return false;
}

void stom__chk_params_finish(stom__chk_ctx *c)
{
    if (!c->params_literal)
        return;
    for (size_t i = 0; i < c->n_params; i++) {
        const stom__chk_param *p = &c->params[i];
        if (p->ok && !field_used(c, p->name))
            stom__chk_issue(c, p->line, STOM_CHECK_WARNING,
                            "parameter %.*s is declared but never read (params.%.*s)", NAME_ARGS(p),
                            NAME_ARGS(p));
    }
    if (c->params_bad)
        return;
    stom_check_report *r = c->report;
    for (size_t i = 0; i < c->n_params; i++) {
        const stom__chk_param *p = &c->params[i];
        size_t help_len = p->help.type ? p->help.text.n + 1 : 1;
        char *help = stom_xmalloc(help_len);
        help[0] = '\0';
        if (p->help.type)
            stom__chk_string_value(&p->help, help, help_len);
        r->params[i] = p->spec;
        r->params[i].name = stom_xstrndup(p->name.p, p->name.n);
        r->params[i].help = help;
    }
    r->n_params = c->n_params;
}
