/*
 * stom_import_emit.c - writes a checked section as a Lua function.
 *
 * Expressions are printed with Lua's precedence (or < and < comparison <
 * + - < * / % < unary < ^), adding parentheses only where Lua would group
 * differently, so `not a == b` (Python: not (a == b)) keeps its meaning and
 * ordinary code reads as written. Mappings: // -> math.floor(a / b),
 * ** -> ^, != -> ~=, True/False/None -> true/false/nil, self.vars[n] ->
 * params.var<n>, abs/min/max -> math.abs/min/max, a chained comparison
 * a < b < c -> (a < b) and (b < c).
 *
 * The truthiness rule: Lua treats 0 as true. Wherever Python tests a value
 * (if/elif tests and the operands of not/and/or inside them) the emitter
 * uses the value as is when it is True/False/None, writes `x ~= 0` when it
 * is a number, and `truthy(x)` when the checker could not tell.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom_import_internal.h"

enum { P_OR = 1, P_AND, P_CMP, P_ADD = 5, P_MUL, P_UNARY, P_POW, P_ATOM };

typedef struct emitter {
    stom__imp_ctx *c;
    const stom__imp_section *s;
    stom__imp_buf *out;
} emitter;

static void emit_value(emitter *em, const stom__imp_expr *e, int min);
static void emit_cond(emitter *em, const stom__imp_expr *e, int min);

void stom__imp_emit_number(stom__imp_buf *out, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        stom__imp_buf_printf(out, "%.0f", v);
        return;
    }
    char text[40];
    snprintf(text, sizeof text, "%.15g", v);
    if (strtod(text, NULL) != v)
        snprintf(text, sizeof text, "%.17g", v);
    stom__imp_buf_puts(out, text);
}

/* A Python decimal literal as Lua reads it: no '_', no bare '.' at either end. */
static void emit_literal(stom__imp_buf *out, stom__imp_str t)
{
    if (t.n && t.p[0] == '.')
        stom__imp_buf_putn(out, "0", 1);
    for (size_t k = 0; k < t.n; k++) {
        if (t.p[k] == '_')
            continue;
        stom__imp_buf_putn(out, &t.p[k], 1);
        if (t.p[k] == '.' && (k + 1 == t.n || t.p[k + 1] < '0' || t.p[k + 1] > '9'))
            stom__imp_buf_putn(out, "0", 1);
    }
}

static int arith_prec(const char *op)
{
    if (!strcmp(op, "+") || !strcmp(op, "-"))
        return P_ADD;
    if (!strcmp(op, "**"))
        return P_POW;
    if (!strcmp(op, "//"))
        return P_ATOM; /* math.floor(...) */
    return P_MUL;
}

static int value_prec(const stom__imp_expr *e)
{
    switch (e->kind) {
    case STOM__E_NEG:
    case STOM__E_NOT:
        return P_UNARY;
    case STOM__E_ARITH:
        return arith_prec(e->op);
    case STOM__E_CMP:
        return e->nargs > 2 ? P_AND : P_CMP;
    case STOM__E_AND:
        return P_AND;
    case STOM__E_OR:
        return P_OR;
    default:
        return P_ATOM;
    }
}

static void emit_args(emitter *em, const stom__imp_expr *e)
{
    stom__imp_buf_putn(em->out, "(", 1);
    for (size_t k = 0; k < e->nargs; k++) {
        if (k)
            stom__imp_buf_puts(em->out, ", ");
        emit_value(em, e->args[k], 0);
    }
    stom__imp_buf_putn(em->out, ")", 1);
}

static void emit_arith(emitter *em, const stom__imp_expr *e)
{
    int p = arith_prec(e->op);
    if (p == P_ATOM) {
        stom__imp_buf_puts(em->out, "math.floor(");
        emit_value(em, e->a, P_MUL);
        stom__imp_buf_puts(em->out, " / ");
        emit_value(em, e->b, P_MUL + 1);
        stom__imp_buf_putn(em->out, ")", 1);
        return;
    }
    /* Left-associative operators keep a right operand of equal rank grouped; ^ is the reverse. */
    emit_value(em, e->a, p == P_POW ? P_POW + 1 : p);
    stom__imp_buf_printf(em->out, " %s ", p == P_POW ? "^" : e->op);
    emit_value(em, e->b, p == P_POW ? P_POW : p + 1);
}

static const char *lua_cmp(const char *op)
{
    return strcmp(op, "!=") ? op : "~=";
}

static void emit_cmp(emitter *em, const stom__imp_expr *e)
{
    for (size_t k = 0; k + 1 < e->nargs; k++) {
        if (k)
            stom__imp_buf_puts(em->out, " and ");
        if (e->nargs > 2)
            stom__imp_buf_putn(em->out, "(", 1);
        emit_value(em, e->args[k], P_CMP + 1);
        stom__imp_buf_printf(em->out, " %s ", lua_cmp(e->ops[k]));
        emit_value(em, e->args[k + 1], P_CMP + 1);
        if (e->nargs > 2)
            stom__imp_buf_putn(em->out, ")", 1);
    }
}

static void emit_call(emitter *em, const stom__imp_expr *e)
{
    if (e->ref == STOM__REF_BUILTIN)
        stom__imp_buf_puts(em->out, "math.");
    stom__imp_buf_putn(em->out, e->text.p, e->text.n);
    emit_args(em, e);
}

/* and/or: both operands as values (all True/False) or, in a test, as conditions. */
static void emit_logic(emitter *em, const stom__imp_expr *e, bool cond)
{
    int p = e->kind == STOM__E_AND ? P_AND : P_OR;
    (cond ? emit_cond : emit_value)(em, e->a, p);
    stom__imp_buf_puts(em->out, p == P_AND ? " and " : " or ");
    (cond ? emit_cond : emit_value)(em, e->b, p + 1);
}

static void emit_bare(emitter *em, const stom__imp_expr *e)
{
    switch (e->kind) {
    case STOM__E_NUM:
        emit_literal(em->out, e->text);
        break;
    case STOM__E_BOOL:
        stom__imp_buf_puts(em->out, e->num != 0 ? "true" : "false");
        break;
    case STOM__E_NONE:
        stom__imp_buf_puts(em->out, "nil");
        break;
    case STOM__E_NAME:
        stom__imp_buf_putn(em->out, e->text.p, e->text.n);
        break;
    case STOM__E_VAR:
        stom__imp_buf_printf(em->out, "params.var%d", (int)e->num);
        break;
    case STOM__E_CALL:
        emit_call(em, e);
        break;
    case STOM__E_NEG:
        stom__imp_buf_putn(em->out, "-", 1);
        /* "- -x" must not become the comment "--x". */
        emit_value(em, e->a, e->a->kind == STOM__E_NEG ? P_ATOM + 1 : P_UNARY);
        break;
    case STOM__E_NOT:
        stom__imp_buf_puts(em->out, "not ");
        emit_cond(em, e->a, P_UNARY);
        break;
    case STOM__E_ARITH:
        emit_arith(em, e);
        break;
    case STOM__E_CMP:
        emit_cmp(em, e);
        break;
    case STOM__E_AND:
    case STOM__E_OR:
        emit_logic(em, e, false);
        break;
    }
}

static void emit_value(emitter *em, const stom__imp_expr *e, int min)
{
    bool paren = value_prec(e) < min;
    if (paren)
        stom__imp_buf_putn(em->out, "(", 1);
    emit_bare(em, e);
    if (paren)
        stom__imp_buf_putn(em->out, ")", 1);
}

static void emit_cond(emitter *em, const stom__imp_expr *e, int min)
{
    bool logic = e->kind == STOM__E_AND || e->kind == STOM__E_OR;
    if (!logic && (e->kind == STOM__E_NOT || e->type == STOM__TY_BOOL || e->type == STOM__TY_NIL)) {
        emit_value(em, e, min);
        return;
    }
    if (e->type == STOM__TY_ANY && !logic) {
        em->c->uses_truthy = true;
        stom__imp_buf_puts(em->out, "truthy(");
        emit_value(em, e, 0);
        stom__imp_buf_putn(em->out, ")", 1);
        return;
    }
    int p = logic ? (e->kind == STOM__E_AND ? P_AND : P_OR) : P_CMP;
    if (p < min)
        stom__imp_buf_putn(em->out, "(", 1);
    if (logic) {
        emit_logic(em, e, true);
    } else {
        emit_value(em, e, P_CMP + 1);
        stom__imp_buf_puts(em->out, " ~= 0");
    }
    if (p < min)
        stom__imp_buf_putn(em->out, ")", 1);
}

static void indent(stom__imp_buf *out, int level)
{
    for (int k = 0; k < level; k++)
        stom__imp_buf_puts(out, "    ");
}

/* "-- text": a space after the dashes keeps "#[[" from opening a Lua long comment. */
static void emit_comment_text(stom__imp_buf *out, stom__imp_str text)
{
    stom__imp_buf_puts(out, "--");
    if (text.n && text.p[0] != ' ')
        stom__imp_buf_putn(out, " ", 1);
    stom__imp_buf_putn(out, text.p, text.n);
}

/* Ends a line, with the statement's trailing comment if it had one. */
static void end_line(stom__imp_buf *out, stom__imp_str comment)
{
    if (comment.n) {
        stom__imp_buf_puts(out, "  ");
        emit_comment_text(out, comment);
    }
    stom__imp_buf_putn(out, "\n", 1);
}

static void emit_block(emitter *em, const stom__imp_stmt *st, int level);

static void emit_if(emitter *em, const stom__imp_stmt *st, int level)
{
    stom__imp_buf_puts(em->out, st->is_elif ? "elseif " : "if ");
    emit_cond(em, st->test, 0);
    stom__imp_buf_puts(em->out, " then");
    end_line(em->out, st->comment);
    emit_block(em, st->body, level + 1);
    if (st->has_else && st->orelse->kind == STOM__S_IF && st->orelse->is_elif) {
        indent(em->out, level);
        emit_if(em, st->orelse, level);
        return; /* the last elseif writes the end */
    }
    if (st->has_else) {
        indent(em->out, level);
        stom__imp_buf_puts(em->out, "else");
        end_line(em->out, st->else_comment);
        emit_block(em, st->orelse, level + 1);
    }
    indent(em->out, level);
    stom__imp_buf_puts(em->out, "end\n");
}

static void emit_stmt(emitter *em, const stom__imp_stmt *st, int level)
{
    if ((st->kind == STOM__S_PASS && !st->comment.n) || st->kind == STOM__S_VARS)
        return; /* range declarations were taken out of the code before emitting */
    indent(em->out, level);
    switch (st->kind) {
    case STOM__S_ASSIGN:
        if (st->declare_here)
            stom__imp_buf_puts(em->out, "local ");
        stom__imp_buf_putn(em->out, st->target.p, st->target.n);
        stom__imp_buf_puts(em->out, " = ");
        emit_value(em, st->value, 0);
        end_line(em->out, st->comment);
        break;
    case STOM__S_IF:
        emit_if(em, st, level);
        break;
    case STOM__S_BUY:
    case STOM__S_SELL:
        stom__imp_buf_puts(em->out, st->kind == STOM__S_BUY ? "buy()" : "sell()");
        end_line(em->out, st->comment);
        break;
    case STOM__S_PASS:
    case STOM__S_COMMENT:
        emit_comment_text(em->out, st->comment);
        stom__imp_buf_putn(em->out, "\n", 1);
        break;
    case STOM__S_VARS:
        break;
    }
}

static void emit_block(emitter *em, const stom__imp_stmt *st, int level)
{
    for (const stom__imp_stmt *first = st; st; st = st->next) {
        if (st->blank_before && st != first)
            stom__imp_buf_putn(em->out, "\n", 1);
        emit_stmt(em, st, level);
    }
}

void stom__imp_emit_section(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_buf *out)
{
    emitter em = {c, s, out};
    stom__imp_buf_printf(out, "local function %s()\n", s->label);
    bool any = false;
    for (size_t k = 0; k < s->n_locals; k++) {
        if (!s->locals[k].predeclare)
            continue;
        stom__imp_buf_puts(out, any ? ", " : "    local ");
        stom__imp_buf_putn(out, s->locals[k].name.p, s->locals[k].name.n);
        any = true;
    }
    if (any)
        stom__imp_buf_putn(out, "\n", 1);
    emit_block(&em, s->body, 1);
    stom__imp_buf_puts(out, "end\n");
}
