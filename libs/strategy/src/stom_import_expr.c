/*
 * stom_import_expr.c - the expression half of the recursive-descent parser.
 *
 * Python's precedence ladder, cut down to the subset:
 *   test       := or_test                    ("x if c else y" is refused)
 *   or_test    := and_test ('or' and_test)*
 *   and_test   := not_test ('and' not_test)*
 *   not_test   := 'not' not_test | comparison
 *   comparison := arith (cmp_op arith)*      (a chain keeps all operands)
 *   arith      := term (('+'|'-') term)*
 *   term       := factor (('*'|'/'|'//'|'%') factor)*
 *   factor     := ('+'|'-') factor | power
 *   power      := atom ['**' factor]
 *   atom       := NUMBER | True | False | None | NAME ['(' args ')']
 *               | self.vars[N] | '(' test ')'
 * Everything else Python allows here (strings, lists, attributes,
 * subscripts, lambda, 'in', 'is', bit operators ...) is refused with the
 * construct's name, so the user learns what to rewrite.
 */
#include <string.h>

#include "stom/stom_import.h"
#include "stom_import_internal.h"

#define MAX_CALL_ARGS 32

static stom__imp_expr *node(stom__imp_parser *p, stom__imp_expr_kind kind, int line)
{
    stom__imp_expr *e = stom__imp_alloc(&p->c->arena, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->local = -1;
    return e;
}

static const stom__imp_tok *next(stom__imp_parser *p)
{
    const stom__imp_tok *t = &p->t[p->i];
    if (t->kind != STOM__TK_EOF)
        p->i++;
    return t;
}

static stom__imp_expr *refuse(stom__imp_parser *p, int line, const char *what)
{
    stom__imp_fail(p->c, line, STOM_ETYPE, "cannot translate %s", what);
    return NULL;
}

static stom__imp_expr *binary(stom__imp_parser *p, stom__imp_expr_kind kind, const char *op,
                              stom__imp_expr *a, stom__imp_expr *b)
{
    if (!a || !b)
        return NULL;
    stom__imp_expr *e = node(p, kind, a->line);
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

/* self.vars[N]; self.Buy/self.Sell in an expression and other attributes are refused. */
static stom__imp_expr *parse_self(stom__imp_parser *p, int line)
{
    if (!stom__imp_is_op(stom__imp_peek(p), "."))
        return refuse(p, line, "self outside self.Buy(), self.Sell() and self.vars[n]");
    next(p);
    const stom__imp_tok *attr = next(p);
    if (attr->kind != STOM__TK_NAME) {
        stom__imp_fail_at(p, attr, "after self.");
        return NULL;
    }
    if (stom__imp_str_eq(attr->text, "Buy") || stom__imp_str_eq(attr->text, "Sell")) {
        stom__imp_fail(p->c, line, STOM_ETYPE,
                       "cannot translate self.%.*s inside an expression (write it as a statement)",
                       (int)attr->text.n, attr->text.p);
        return NULL;
    }
    if (!stom__imp_str_eq(attr->text, "vars")) {
        stom__imp_fail(p->c, line, STOM_ETYPE, "cannot translate attribute access self.%.*s",
                       (int)attr->text.n, attr->text.p);
        return NULL;
    }
    if (!stom__imp_expect_op(p, "[", "'[' after self.vars"))
        return NULL;
    const stom__imp_tok *idx = next(p);
    if (idx->kind != STOM__TK_NUMBER || idx->is_float || idx->num > STOM__IMP_MAX_VAR)
        return refuse(p, line, "self.vars index (write a whole number from 0 to 999)");
    if (!stom__imp_expect_op(p, "]", "']'"))
        return NULL;
    stom__imp_expr *e = node(p, STOM__E_VAR, line);
    e->num = idx->num;
    return e;
}

static bool parse_args(stom__imp_parser *p, stom__imp_expr *call)
{
    stom__imp_expr *args[MAX_CALL_ARGS];
    size_t n = 0;
    while (!stom__imp_is_op(stom__imp_peek(p), ")")) {
        const stom__imp_tok *t = stom__imp_peek(p);
        const char *refused = NULL;
        if (stom__imp_is_op(t, "*") || stom__imp_is_op(t, "**"))
            refused = "argument unpacking (*args)";
        else if (t->kind == STOM__TK_NAME && stom__imp_is_op(&p->t[p->i + 1], "="))
            refused = "keyword argument (pass arguments by position)";
        if (refused) {
            refuse(p, t->line, refused);
            return false;
        }
        if (n == MAX_CALL_ARGS) {
            stom__imp_fail(p->c, t->line, STOM_ETOOBIG, "more than %d arguments", MAX_CALL_ARGS);
            return false;
        }
        if (!(args[n++] = stom__imp_parse_expr(p)))
            return false;
        if (!stom__imp_is_op(stom__imp_peek(p), ","))
            break;
        next(p);
    }
    if (!stom__imp_expect_op(p, ")", "',' or ')' in the arguments"))
        return false;
    call->nargs = n;
    call->args = stom__imp_alloc(&p->c->arena, (n ? n : 1) * sizeof *call->args);
    memcpy(call->args, args, n * sizeof *args);
    return true;
}

static stom__imp_expr *parse_name(stom__imp_parser *p, const stom__imp_tok *t)
{
    static const char *const literal[] = {"True", "False", "None"};
    for (int k = 0; k < 3; k++) {
        if (stom__imp_str_eq(t->text, literal[k])) {
            stom__imp_expr *e = node(p, k < 2 ? STOM__E_BOOL : STOM__E_NONE, t->line);
            e->num = k == 0;
            return e;
        }
    }
    if (stom__imp_str_eq(t->text, "self"))
        return parse_self(p, t->line);
    if (stom__imp_str_eq(t->text, "lambda"))
        return refuse(p, t->line, "lambda");
    if (stom__imp_is_keyword(t->text)) {
        stom__imp_fail_at(p, t, "where a value should be");
        return NULL;
    }
    stom__imp_expr *e = node(p, STOM__E_NAME, t->line);
    e->text = t->text;
    if (stom__imp_is_op(stom__imp_peek(p), "(")) {
        next(p);
        e->kind = STOM__E_CALL;
        if (!parse_args(p, e))
            return NULL;
    }
    return e;
}

static stom__imp_expr *parse_paren(stom__imp_parser *p, const stom__imp_tok *t)
{
    if (stom__imp_is_op(stom__imp_peek(p), ")"))
        return refuse(p, t->line, "tuple");
    stom__imp_expr *e = stom__imp_parse_expr(p);
    if (!e)
        return NULL;
    if (stom__imp_is_op(stom__imp_peek(p), ","))
        return refuse(p, t->line, "tuple");
    if (!stom__imp_expect_op(p, ")", "')'"))
        return NULL;
    return e;
}

static stom__imp_expr *parse_atom(stom__imp_parser *p)
{
    const stom__imp_tok *t = next(p);
    if (t->kind == STOM__TK_NUMBER) {
        stom__imp_expr *e = node(p, STOM__E_NUM, t->line);
        e->text = t->text;
        e->num = t->num;
        return e;
    }
    if (t->kind == STOM__TK_NAME)
        return parse_name(p, t);
    if (stom__imp_is_op(t, "("))
        return parse_paren(p, t);
    if (stom__imp_is_op(t, "["))
        return refuse(p, t->line, "list");
    if (stom__imp_is_op(t, "{"))
        return refuse(p, t->line, "dict or set");
    stom__imp_fail_at(p, t, "where a value should be");
    return NULL;
}

/* An atom and what Python lets follow it; only calls of names are kept. */
static stom__imp_expr *parse_atom_expr(stom__imp_parser *p)
{
    stom__imp_expr *e = parse_atom(p);
    if (!e)
        return NULL;
    const stom__imp_tok *t = stom__imp_peek(p);
    if (stom__imp_is_op(t, "("))
        return refuse(p, t->line, "call of something that is not a name");
    if (stom__imp_is_op(t, "["))
        return refuse(p, t->line, "subscript (only self.vars[n] is supported)");
    if (stom__imp_is_op(t, ".")) {
        const stom__imp_tok *attr = &p->t[p->i + 1];
        stom__imp_fail(p->c, t->line, STOM_ETYPE, "cannot translate attribute access .%.*s",
                       attr->kind == STOM__TK_NAME ? (int)attr->text.n : 0, attr->text.p);
        return NULL;
    }
    return e;
}

static stom__imp_expr *parse_factor(stom__imp_parser *p);

static stom__imp_expr *parse_power(stom__imp_parser *p)
{
    stom__imp_expr *e = parse_atom_expr(p);
    if (!e || !stom__imp_is_op(stom__imp_peek(p), "**"))
        return e;
    next(p);
    return binary(p, STOM__E_ARITH, "**", e, parse_factor(p));
}

static stom__imp_expr *parse_factor(stom__imp_parser *p)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    if (stom__imp_is_op(t, "~"))
        return refuse(p, t->line, "operator ~");
    if (!stom__imp_is_op(t, "-") && !stom__imp_is_op(t, "+"))
        return parse_power(p);
    next(p);
    if (!stom__imp_enter(p, t->line))
        return NULL;
    stom__imp_expr *a = parse_factor(p);
    p->depth--;
    if (!a || stom__imp_is_op(t, "+"))
        return a; /* unary plus changes nothing (Lua has none) */
    stom__imp_expr *e = node(p, STOM__E_NEG, t->line);
    e->a = a;
    return e;
}

static stom__imp_expr *parse_term(stom__imp_parser *p)
{
    static const char *const ops[] = {"*", "/", "//", "%"};
    stom__imp_expr *e = parse_factor(p);
    while (e) {
        const stom__imp_tok *t = stom__imp_peek(p);
        if (stom__imp_is_op(t, "@"))
            return refuse(p, t->line, "operator @");
        const char *op = NULL;
        for (int k = 0; k < 4; k++)
            if (stom__imp_is_op(t, ops[k]))
                op = ops[k];
        if (!op)
            break;
        next(p);
        e = binary(p, STOM__E_ARITH, op, e, parse_factor(p));
    }
    return e;
}

static stom__imp_expr *parse_arith(stom__imp_parser *p)
{
    static const char *const bitops[] = {"|", "&", "^", "<<", ">>"};
    stom__imp_expr *e = parse_term(p);
    while (e) {
        const stom__imp_tok *t = stom__imp_peek(p);
        for (int k = 0; k < 5; k++)
            if (stom__imp_is_op(t, bitops[k])) {
                stom__imp_fail(p->c, t->line, STOM_ETYPE, "cannot translate operator %s",
                               bitops[k]);
                return NULL;
            }
        bool plus = stom__imp_is_op(t, "+");
        if (!plus && !stom__imp_is_op(t, "-"))
            break;
        next(p);
        e = binary(p, STOM__E_ARITH, plus ? "+" : "-", e, parse_term(p));
    }
    return e;
}

/* The comparison operator at the cursor ("<", ...), NULL if none; refuses in/is. */
static const char *comparison_op(stom__imp_parser *p, bool *refused)
{
    static const char *const ops[] = {"<", ">", "==", ">=", "<=", "!="};
    const stom__imp_tok *t = stom__imp_peek(p);
    for (int k = 0; k < 6; k++)
        if (stom__imp_is_op(t, ops[k]))
            return ops[k];
    bool not_in = stom__imp_is_kw(t, "not") && stom__imp_is_kw(&p->t[p->i + 1], "in");
    if (stom__imp_is_kw(t, "in") || stom__imp_is_kw(t, "is") || not_in) {
        stom__imp_fail(p->c, t->line, STOM_ETYPE, "cannot translate operator '%s'",
                       not_in                     ? "not in"
                       : stom__imp_is_kw(t, "in") ? "in"
                                                  : "is");
        *refused = true;
    }
    return NULL;
}

static stom__imp_expr *parse_comparison(stom__imp_parser *p)
{
    stom__imp_expr *operands[MAX_CALL_ARGS];
    const char *ops[MAX_CALL_ARGS];
    size_t n = 0;
    bool refused = false;
    if (!(operands[n++] = parse_arith(p)))
        return NULL;
    const char *op;
    while ((op = comparison_op(p, &refused))) {
        const stom__imp_tok *t = next(p);
        if (n == MAX_CALL_ARGS) {
            stom__imp_fail(p->c, t->line, STOM_ETOOBIG, "a comparison chain of more than %d",
                           MAX_CALL_ARGS);
            return NULL;
        }
        ops[n - 1] = op;
        if (!(operands[n++] = parse_arith(p)))
            return NULL;
    }
    if (refused)
        return NULL;
    if (n == 1)
        return operands[0];
    stom__imp_expr *e = node(p, STOM__E_CMP, operands[0]->line);
    e->nargs = n;
    e->args = stom__imp_alloc(&p->c->arena, n * sizeof *e->args);
    e->ops = stom__imp_alloc(&p->c->arena, (n - 1) * sizeof *e->ops);
    memcpy(e->args, operands, n * sizeof *operands);
    memcpy(e->ops, ops, (n - 1) * sizeof *ops);
    return e;
}

static stom__imp_expr *parse_not(stom__imp_parser *p)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    if (!stom__imp_is_kw(t, "not"))
        return parse_comparison(p);
    next(p);
    if (!stom__imp_enter(p, t->line))
        return NULL;
    stom__imp_expr *a = parse_not(p);
    p->depth--;
    if (!a)
        return NULL;
    stom__imp_expr *e = node(p, STOM__E_NOT, t->line);
    e->a = a;
    return e;
}

static stom__imp_expr *parse_and(stom__imp_parser *p)
{
    stom__imp_expr *e = parse_not(p);
    while (e && stom__imp_is_kw(stom__imp_peek(p), "and")) {
        next(p);
        e = binary(p, STOM__E_AND, "and", e, parse_not(p));
    }
    return e;
}

static stom__imp_expr *parse_or(stom__imp_parser *p)
{
    stom__imp_expr *e = parse_and(p);
    while (e && stom__imp_is_kw(stom__imp_peek(p), "or")) {
        next(p);
        e = binary(p, STOM__E_OR, "or", e, parse_and(p));
    }
    return e;
}

stom__imp_expr *stom__imp_parse_expr(stom__imp_parser *p)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    if (!stom__imp_enter(p, t->line))
        return NULL;
    stom__imp_expr *e = parse_or(p);
    p->depth--;
    if (e && stom__imp_is_kw(stom__imp_peek(p), "if"))
        return refuse(p, stom__imp_peek(p)->line, "conditional expression (x if c else y)");
    return e;
}
