/*
 * stom_import_check.c - what the importer knows about names and values.
 *
 * Pass 1 (resolve) walks a section in text order, as Python would run it
 * top to bottom: a name is a local once an assignment to it has been seen,
 * otherwise a vocabulary name (stom/vocabulary.h: fields and position values
 * read plainly, look-backs, windows, indicators and helpers called with
 * their argument counts), otherwise abs/min/max, otherwise "unknown name".
 * Assignments may not rebind vocabulary names (except 매수/매도, STOM's
 * flag convention), Lua keywords or the names the translation itself uses.
 *
 * Pass 2 (infer) gives every local a type - bool, number, None or mixed -
 * by joining the types of everything assigned to it until nothing changes
 * (each local can change at most three times, so this ends).
 *
 * Pass 3 (validate) records each expression's type for the emitter and
 * refuses what would behave differently in Lua: arithmetic or ordering on
 * True/False/None, True/False compared with a number, and and/or on values
 * that are not all True/False outside a condition (Python returns an
 * operand there, Lua's 0 is true).
 */
#include <string.h>

#include "stom/stom_import.h"
#include "stom_import_internal.h"

/* Names the emitted Lua uses itself, so a local must not take them. */
static const char *const reserved[] = {"params",   "on_bar",   "math", "truthy",
                                       "매수전략", "매도전략", "self"};
/* Lua keywords that are not Python keywords. */
static const char *const lua_keywords[] = {"do",  "elseif", "end",  "function", "goto", "local",
                                           "nil", "repeat", "then", "until",    "true", "false"};

static bool in_list(stom__imp_str s, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (stom__imp_str_eq(s, list[k]))
            return true;
    return false;
}

/* The vocabulary entry named s, or NULL. */
static const stom_vocab_entry *vocab_of(stom__imp_str s)
{
    char name[128];
    if (s.n >= sizeof name)
        return NULL;
    memcpy(name, s.p, s.n);
    name[s.n] = '\0';
    return stom_vocab_find(name);
}

static bool is_flag_name(stom__imp_str s)
{
    return stom__imp_str_eq(s, "매수") || stom__imp_str_eq(s, "매도");
}

static int find_local(const stom__imp_section *s, stom__imp_str name)
{
    for (size_t k = 0; k < s->n_locals; k++)
        if (s->locals[k].name.n == name.n && memcmp(s->locals[k].name.p, name.p, name.n) == 0)
            return (int)k;
    return -1;
}

#define NAME_ARGS(s) (int)(s).n, (s).p

static int check_args(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e);
static int resolve_expr(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e);

static int resolve_call_vocab(stom__imp_ctx *c, stom__imp_expr *e, const stom_vocab_entry *v)
{
    if (v->kind == STOM_VOCAB_FIELD || v->kind == STOM_VOCAB_POSITION ||
        v->kind == STOM_VOCAB_PORTFOLIO)
        return stom__imp_fail(c, e->line, STOM_ETYPE,
                              "%.*s is a value, not a function (write %.*s without parentheses)",
                              NAME_ARGS(e->text), NAME_ARGS(e->text));
    if (v->kind == STOM_VOCAB_ACTION)
        return stom__imp_fail(c, e->line, STOM_ETYPE,
                              "cannot translate a call of the action %.*s (write self.Buy() or "
                              "self.Sell() as a statement)",
                              NAME_ARGS(e->text));
    if ((int)e->nargs < v->min_args || (int)e->nargs > v->max_args) {
        if (v->min_args == v->max_args)
            return stom__imp_fail(c, e->line, STOM_ETYPE, "%.*s takes %d argument%s, got %zu",
                                  NAME_ARGS(e->text), v->min_args, v->min_args == 1 ? "" : "s",
                                  e->nargs);
        return stom__imp_fail(c, e->line, STOM_ETYPE, "%.*s takes %d to %d arguments, got %zu",
                              NAME_ARGS(e->text), v->min_args, v->max_args, e->nargs);
    }
    e->ref = STOM__REF_VOCAB;
    e->type = v->kind == STOM_VOCAB_HELPER ? STOM__TY_ANY : STOM__TY_NUM;
    return 0;
}

static int resolve_call(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e)
{
    int rc = check_args(c, s, e);
    if (rc)
        return rc;
    if (find_local(s, e->text) >= 0)
        return stom__imp_fail(c, e->line, STOM_ETYPE, "cannot call %.*s (a local value)",
                              NAME_ARGS(e->text));
    const stom_vocab_entry *v = vocab_of(e->text);
    if (v)
        return resolve_call_vocab(c, e, v);
    bool is_abs = stom__imp_str_eq(e->text, "abs");
    if (is_abs || stom__imp_str_eq(e->text, "min") || stom__imp_str_eq(e->text, "max")) {
        if (is_abs ? e->nargs != 1 : e->nargs < 2)
            return stom__imp_fail(c, e->line, STOM_ETYPE, "%.*s takes %s, got %zu",
                                  NAME_ARGS(e->text), is_abs ? "1 argument" : "2 or more arguments",
                                  e->nargs);
        e->ref = STOM__REF_BUILTIN;
        e->type = STOM__TY_NUM;
        return 0;
    }
    return stom__imp_fail(c, e->line, STOM_ETYPE, "unknown name %.*s", NAME_ARGS(e->text));
}

static int resolve_name(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e)
{
    int k = find_local(s, e->text);
    if (k >= 0) {
        e->ref = STOM__REF_LOCAL;
        e->local = k;
        return 0;
    }
    const stom_vocab_entry *v = vocab_of(e->text);
    if (!v)
        return stom__imp_fail(c, e->line, STOM_ETYPE, "unknown name %.*s", NAME_ARGS(e->text));
    if (v->kind == STOM_VOCAB_ACTION)
        return stom__imp_fail(c, e->line, STOM_ETYPE,
                              is_flag_name(e->text)
                                  ? "%.*s is read before it is assigned"
                                  : "cannot translate %.*s as a value (it is an order action)",
                              NAME_ARGS(e->text));
    if (v->kind != STOM_VOCAB_FIELD && v->kind != STOM_VOCAB_POSITION &&
        v->kind != STOM_VOCAB_PORTFOLIO)
        return stom__imp_fail(c, e->line, STOM_ETYPE, "%.*s is a function: call it as %.*s%s",
                              NAME_ARGS(e->text), NAME_ARGS(e->text), v->args);
    e->ref = STOM__REF_VOCAB;
    e->type = STOM__TY_NUM;
    return 0;
}

static int check_args(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e)
{
    for (size_t k = 0; k < e->nargs; k++) {
        int rc = resolve_expr(c, s, e->args[k]);
        if (rc)
            return rc;
    }
    return 0;
}

static int resolve_expr(stom__imp_ctx *c, stom__imp_section *s, stom__imp_expr *e)
{
    switch (e->kind) {
    case STOM__E_NAME:
        return resolve_name(c, s, e);
    case STOM__E_CALL:
        return resolve_call(c, s, e);
    case STOM__E_CMP:
        return check_args(c, s, e);
    case STOM__E_VAR: {
        stom__imp_var *v = &c->vars[(int)e->num];
        if (!v->declared)
            return stom__imp_fail(c, e->line, STOM_ETYPE,
                                  "self.vars[%d] has no range (declare self.vars[%d] = [[start, "
                                  "end, step], best] at the top)",
                                  (int)e->num, (int)e->num);
        v->used = true;
        return 0;
    }
    default:
        break;
    }
    int rc = e->a ? resolve_expr(c, s, e->a) : 0;
    return rc ? rc : e->b ? resolve_expr(c, s, e->b) : 0;
}

/* Checks the target name of an assignment and makes it a local of s. */
static int assign_target(stom__imp_ctx *c, stom__imp_section *s, stom__imp_stmt *st, int depth)
{
    int k = find_local(s, st->target);
    if (k >= 0) {
        st->local = k;
        return 0;
    }
    const char *why = NULL;
    if (in_list(st->target, lua_keywords, sizeof lua_keywords / sizeof lua_keywords[0]))
        why = "a Lua keyword";
    else if (in_list(st->target, reserved, sizeof reserved / sizeof reserved[0]))
        why = "the translation uses this name";
    else if (vocab_of(st->target) && !is_flag_name(st->target))
        why = "a vocabulary name";
    if (why)
        return stom__imp_fail(c, st->line, STOM_ETYPE, "cannot assign to %.*s (%s)",
                              NAME_ARGS(st->target), why);
    if (s->n_locals == STOM__IMP_MAX_LOCALS)
        return stom__imp_fail(c, st->line, STOM_ETOOBIG, "more than %d local names",
                              STOM__IMP_MAX_LOCALS);
    stom__imp_local *l = &s->locals[s->n_locals];
    l->name = st->target;
    l->predeclare = depth > 0;
    st->declare_here = depth == 0;
    st->local = (int)s->n_locals++;
    return 0;
}

static int resolve_block(stom__imp_ctx *c, stom__imp_section *s, stom__imp_stmt *st, int depth)
{
    for (; st; st = st->next) {
        int rc = 0;
        if (st->kind == STOM__S_ASSIGN) {
            rc = resolve_expr(c, s, st->value);
            rc = rc ? rc : assign_target(c, s, st, depth);
        } else if (st->kind == STOM__S_IF) {
            rc = resolve_expr(c, s, st->test);
            rc = rc ? rc : resolve_block(c, s, st->body, depth + 1);
            if (!rc && st->orelse)
                rc = resolve_block(c, s, st->orelse, st->orelse->is_elif ? depth : depth + 1);
        } else if (st->kind == STOM__S_VARS) {
            rc = stom__imp_fail(c, st->line, STOM_ETYPE,
                                "cannot translate self.vars[%d] = ... here (ranges go at the top "
                                "of the file, before any code)",
                                st->var_index);
        }
        if (rc)
            return rc;
    }
    return 0;
}

stom__imp_type stom__imp_type_join(stom__imp_type a, stom__imp_type b)
{
    if (a == STOM__TY_NONE)
        return b;
    if (b == STOM__TY_NONE || a == b)
        return a;
    return STOM__TY_ANY;
}

/* The type of e with the locals' current types (pass 2 and 3). */
static stom__imp_type type_of(const stom__imp_section *s, const stom__imp_expr *e)
{
    switch (e->kind) {
    case STOM__E_BOOL:
    case STOM__E_NOT:
    case STOM__E_CMP:
        return STOM__TY_BOOL;
    case STOM__E_NONE:
        return STOM__TY_NIL;
    case STOM__E_NAME:
        return e->ref == STOM__REF_LOCAL ? s->locals[e->local].type : STOM__TY_NUM;
    case STOM__E_CALL:
        return e->type;
    case STOM__E_AND:
    case STOM__E_OR:
        return stom__imp_type_join(type_of(s, e->a), type_of(s, e->b));
    default:
        return STOM__TY_NUM; /* numbers, self.vars, -a, arithmetic */
    }
}

static bool infer_block(stom__imp_section *s, const stom__imp_stmt *st)
{
    bool changed = false;
    for (; st; st = st->next) {
        if (st->kind == STOM__S_ASSIGN) {
            stom__imp_local *l = &s->locals[st->local];
            stom__imp_type t = stom__imp_type_join(l->type, type_of(s, st->value));
            changed |= t != l->type;
            l->type = t;
        } else if (st->kind == STOM__S_IF) {
            changed |= infer_block(s, st->body);
            changed |= infer_block(s, st->orelse);
        }
    }
    return changed;
}

static bool is_bool_or_nil(stom__imp_type t)
{
    return t == STOM__TY_BOOL || t == STOM__TY_NIL;
}

static int validate(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_expr *e, bool cond);

static int validate_cmp(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_expr *e)
{
    for (size_t k = 0; k < e->nargs; k++) {
        int rc = validate(c, s, e->args[k], false);
        if (rc)
            return rc;
    }
    for (size_t k = 0; k + 1 < e->nargs; k++) {
        stom__imp_type a = e->args[k]->type, b = e->args[k + 1]->type;
        const char *op = e->ops[k];
        bool equality = !strcmp(op, "==") || !strcmp(op, "!=");
        if (!equality && (is_bool_or_nil(a) || is_bool_or_nil(b)))
            return stom__imp_fail(c, e->line, STOM_ETYPE,
                                  "cannot translate '%s' on True/False or None", op);
        if (equality && ((a == STOM__TY_BOOL && b == STOM__TY_NUM) ||
                         (a == STOM__TY_NUM && b == STOM__TY_BOOL)))
            return stom__imp_fail(c, e->line, STOM_ETYPE,
                                  "cannot translate comparing True/False with a number");
    }
    return 0;
}

static int validate_operands(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_expr *e,
                             bool cond)
{
    int rc = validate(c, s, e->a, cond);
    return rc ? rc : e->b ? validate(c, s, e->b, cond) : 0;
}

/* Records types bottom-up and refuses what Lua would evaluate differently. cond: an if test. */
static int validate(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_expr *e, bool cond)
{
    int rc = 0;
    switch (e->kind) {
    case STOM__E_CALL:
        for (size_t k = 0; k < e->nargs && !rc; k++)
            rc = validate(c, s, e->args[k], false);
        break;
    case STOM__E_CMP:
        rc = validate_cmp(c, s, e);
        break;
    case STOM__E_NOT:
        rc = validate(c, s, e->a, true);
        break;
    case STOM__E_AND:
    case STOM__E_OR:
        rc = validate_operands(c, s, e, cond);
        if (!rc && !cond && (e->a->type != STOM__TY_BOOL || e->b->type != STOM__TY_BOOL))
            rc = stom__imp_fail(c, e->line, STOM_ETYPE,
                                "cannot translate '%s' on values that are not all True/False "
                                "outside an if condition",
                                e->op);
        break;
    case STOM__E_NEG:
    case STOM__E_ARITH:
        rc = validate_operands(c, s, e, false);
        if (!rc && (is_bool_or_nil(e->a->type) || (e->b && is_bool_or_nil(e->b->type))))
            rc = stom__imp_fail(c, e->line, STOM_ETYPE,
                                "cannot translate arithmetic on True/False or None");
        break;
    default:
        break;
    }
    e->type = type_of(s, e);
    return rc;
}

static int validate_block(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_stmt *st)
{
    for (; st; st = st->next) {
        int rc = 0;
        if (st->kind == STOM__S_ASSIGN) {
            rc = validate(c, s, st->value, false);
        } else if (st->kind == STOM__S_IF) {
            rc = validate(c, s, st->test, true);
            rc = rc ? rc : validate_block(c, s, st->body);
            rc = rc ? rc : validate_block(c, s, st->orelse);
        }
        if (rc)
            return rc;
    }
    return 0;
}

int stom__imp_check(stom__imp_ctx *c, stom__imp_section *s)
{
    int rc = resolve_block(c, s, s->body, 0);
    if (rc)
        return rc;
    while (infer_block(s, s->body))
        ;
    return validate_block(c, s, s->body);
}
