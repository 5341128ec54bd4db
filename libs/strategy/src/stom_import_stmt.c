/*
 * stom_import_stmt.c - the statement half of the recursive-descent parser.
 *
 *   block      := (COMMENT | statement)*
 *   statement  := if_stmt | simple_line
 *   if_stmt    := 'if' test ':' suite ('elif' test ':' suite)* ['else' ':' suite]
 *   suite      := simple_line | NEWLINE COMMENT* INDENT block DEDENT
 *   simple_line:= small (';' small)* [';'] NEWLINE
 *   small      := 'pass' | NAME ('=' | '+=' | ...) test
 *               | self.Buy() | self.Sell() | self.vars[N] = [[s, e, step], best]
 * Loops, definitions, imports and the other statements Python has are
 * refused by name. A trailing comment (carried by NEWLINE) is attached to
 * the line's last statement, or to the `if` whose header it follows.
 */
#include <stdio.h>
#include <string.h>

#include "stom/stom_import.h"
#include "stom_import_internal.h"

static const char *const keywords[] = {
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield",
};

bool stom__imp_is_keyword(stom__imp_str s)
{
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (stom__imp_str_eq(s, keywords[k]))
            return true;
    return false;
}

const stom__imp_tok *stom__imp_peek(stom__imp_parser *p)
{
    return &p->t[p->i];
}

bool stom__imp_is_op(const stom__imp_tok *t, const char *op)
{
    return t->kind == STOM__TK_OP && stom__imp_str_eq(t->text, op);
}

bool stom__imp_is_kw(const stom__imp_tok *t, const char *kw)
{
    return t->kind == STOM__TK_NAME && stom__imp_str_eq(t->text, kw);
}

void stom__imp_fail_at(stom__imp_parser *p, const stom__imp_tok *t, const char *where)
{
    static const char *const kinds[] = {"end of code", "end of line", "indent", "unindent"};
    if (t->kind <= STOM__TK_DEDENT)
        stom__imp_fail(p->c, t->line, STOM_EFORMAT, "syntax error: unexpected %s %s",
                       kinds[t->kind], where);
    else if (t->kind == STOM__TK_COMMENT)
        stom__imp_fail(p->c, t->line, STOM_EFORMAT, "syntax error: unexpected comment %s", where);
    else
        stom__imp_fail(p->c, t->line, STOM_EFORMAT, "syntax error: unexpected '%.*s' %s",
                       (int)t->text.n, t->text.p, where);
}

bool stom__imp_expect_op(stom__imp_parser *p, const char *op, const char *what)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    if (stom__imp_is_op(t, op)) {
        p->i++;
        return true;
    }
    char where[96];
    snprintf(where, sizeof where, "(expected %s)", what);
    stom__imp_fail_at(p, t, where);
    return false;
}

bool stom__imp_enter(stom__imp_parser *p, int line)
{
    if (++p->depth <= STOM_IMPORT_MAX_DEPTH)
        return true;
    stom__imp_fail(p->c, line, STOM_ETOOBIG, "nesting deeper than %d", STOM_IMPORT_MAX_DEPTH);
    return false;
}

static stom__imp_stmt *stmt(stom__imp_parser *p, stom__imp_stmt_kind kind, int line)
{
    stom__imp_stmt *s = stom__imp_alloc(&p->c->arena, sizeof *s);
    s->kind = kind;
    s->line = line;
    s->local = -1;
    return s;
}

static stom__imp_stmt *refuse(stom__imp_parser *p, int line, const char *what)
{
    stom__imp_fail(p->c, line, STOM_ETYPE, "cannot translate %s", what);
    return NULL;
}

/* A signed number literal of a self.vars range. */
static bool parse_signed(stom__imp_parser *p, double *v, bool *is_float)
{
    double sign = 1;
    if (stom__imp_is_op(stom__imp_peek(p), "-") || stom__imp_is_op(stom__imp_peek(p), "+"))
        sign = stom__imp_is_op(&p->t[p->i++], "-") ? -1 : 1;
    const stom__imp_tok *t = stom__imp_peek(p);
    if (t->kind != STOM__TK_NUMBER)
        return false;
    p->i++;
    *v = sign * t->num;
    *is_float = *is_float || t->is_float;
    return true;
}

/* [[start, end, step], best] after `self.vars[N] =`. */
static stom__imp_stmt *parse_vars_range(stom__imp_parser *p, int line, int index)
{
    static const char *const shape = "this self.vars value (write [[start, end, step], best])";
    stom__imp_stmt *s = stmt(p, STOM__S_VARS, line);
    s->var_index = index;
    s->var.line = line;
    double v[4];
    size_t n = 0;
    if (!stom__imp_is_op(&p->t[p->i], "[") || !stom__imp_is_op(&p->t[p->i + 1], "["))
        return refuse(p, line, shape);
    p->i += 2;
    while (n < 4 && parse_signed(p, &v[n], &s->var.is_float)) {
        n++;
        if (!stom__imp_is_op(stom__imp_peek(p), ","))
            break;
        p->i++;
    }
    if (n != 3 || !stom__imp_is_op(stom__imp_peek(p), "]"))
        return refuse(p, line,
                      n > 3 ? "a GA value list (write [[start, end, step], best])" : shape);
    p->i++;
    if (!stom__imp_expect_op(p, ",", "',' before the best value") ||
        !parse_signed(p, &v[3], &s->var.is_float) || !stom__imp_expect_op(p, "]", "']'"))
        return p->c->rc ? NULL : refuse(p, line, shape);
    s->var.start = v[0];
    s->var.end = v[1];
    s->var.step = v[2];
    s->var.best = v[3];
    return s;
}

/* self.Buy(), self.Sell() or self.vars[N] = ... at statement start; NULL + no error if not. */
static stom__imp_stmt *parse_self_stmt(stom__imp_parser *p, bool *matched)
{
    const stom__imp_tok *t = &p->t[p->i];
    *matched =
        stom__imp_is_kw(t, "self") && stom__imp_is_op(&t[1], ".") && t[2].kind == STOM__TK_NAME;
    if (!*matched)
        return NULL;
    bool buy = stom__imp_str_eq(t[2].text, "Buy"), sell = stom__imp_str_eq(t[2].text, "Sell");
    if (buy || sell) {
        p->i += 3;
        if (!stom__imp_expect_op(p, "(", "'('"))
            return NULL;
        if (!stom__imp_is_op(stom__imp_peek(p), ")"))
            return refuse(p, t->line, buy ? "self.Buy with arguments" : "self.Sell with arguments");
        p->i++;
        return stmt(p, buy ? STOM__S_BUY : STOM__S_SELL, t->line);
    }
    bool vars = stom__imp_str_eq(t[2].text, "vars") && stom__imp_is_op(&t[3], "[") &&
                t[4].kind == STOM__TK_NUMBER && stom__imp_is_op(&t[5], "]") &&
                stom__imp_is_op(&t[6], "=");
    if (!vars) {
        *matched = false;
        return NULL;
    }
    if (t[4].is_float || t[4].num > STOM__IMP_MAX_VAR)
        return refuse(p, t->line, "self.vars index (write a whole number from 0 to 999)");
    p->i += 7;
    return parse_vars_range(p, t->line, (int)t[4].num);
}

/* Augmented assignments and the operator each stands for. */
static const char *const aug_ops[][2] = {
    {"+=", "+"}, {"-=", "-"}, {"*=", "*"}, {"/=", "/"}, {"//=", "//"}, {"%=", "%"}, {"**=", "**"},
};

/* NAME = test, or NAME op= test (desugared to NAME = NAME op (test)). */
static stom__imp_stmt *parse_assign(stom__imp_parser *p, const stom__imp_tok *name, const char *aug)
{
    p->i += 2;
    stom__imp_stmt *s = stmt(p, STOM__S_ASSIGN, name->line);
    s->target = name->text;
    if (!(s->value = stom__imp_parse_expr(p)))
        return NULL;
    const stom__imp_tok *t = stom__imp_peek(p);
    if (stom__imp_is_op(t, "="))
        return refuse(p, t->line, "chained assignment (a = b = ...)");
    if (stom__imp_is_op(t, ","))
        return refuse(p, t->line, "tuple");
    if (aug) {
        stom__imp_expr *self = stom__imp_alloc(&p->c->arena, sizeof *self);
        stom__imp_expr *op = stom__imp_alloc(&p->c->arena, sizeof *op);
        *self = (stom__imp_expr){
            .kind = STOM__E_NAME, .line = name->line, .text = name->text, .local = -1};
        *op = (stom__imp_expr){.kind = STOM__E_ARITH,
                               .line = name->line,
                               .op = aug,
                               .a = self,
                               .b = s->value,
                               .local = -1};
        s->value = op;
    }
    return s;
}

/* Statements Python has that the subset does not: the keyword and what to call it. */
static const char *const refused_statements[][2] = {
    {"for", "for loop"},
    {"while", "while loop"},
    {"def", "function definition (def)"},
    {"class", "class definition"},
    {"lambda", "lambda"},
    {"import", "import"},
    {"from", "import"},
    {"return", "return statement"},
    {"break", "break statement"},
    {"continue", "continue statement"},
    {"global", "global statement"},
    {"nonlocal", "nonlocal statement"},
    {"del", "del statement"},
    {"assert", "assert statement"},
    {"raise", "raise statement"},
    {"try", "try statement"},
    {"with", "with statement"},
    {"yield", "yield"},
    {"async", "async statement"},
};

static stom__imp_stmt *parse_small(stom__imp_parser *p)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    for (size_t k = 0; k < sizeof refused_statements / sizeof refused_statements[0]; k++)
        if (stom__imp_is_kw(t, refused_statements[k][0]))
            return refuse(p, t->line, refused_statements[k][1]);
    if (stom__imp_is_kw(t, "pass")) {
        p->i++;
        return stmt(p, STOM__S_PASS, t->line);
    }
    bool matched;
    stom__imp_stmt *s = parse_self_stmt(p, &matched);
    if (matched || p->c->rc)
        return s;
    if (t->kind == STOM__TK_NAME && !stom__imp_is_keyword(t->text)) {
        if (stom__imp_is_op(&t[1], "="))
            return parse_assign(p, t, NULL);
        for (size_t k = 0; k < sizeof aug_ops / sizeof aug_ops[0]; k++)
            if (stom__imp_is_op(&t[1], aug_ops[k][0]))
                return parse_assign(p, t, aug_ops[k][1]);
        if (stom__imp_is_op(&t[1], ","))
            return refuse(p, t->line, "tuple assignment");
        if (stom__imp_is_op(&t[1], ":"))
            return refuse(p, t->line, "annotated assignment");
    }
    if (!stom__imp_parse_expr(p))
        return NULL;
    const stom__imp_tok *after = stom__imp_peek(p);
    if (after->kind == STOM__TK_OP && after->text.n >= 1 &&
        after->text.p[after->text.n - 1] == '=' && !stom__imp_is_op(after, "==") &&
        !stom__imp_is_op(after, "!="))
        return refuse(p, t->line, "assignment to something that is not a name");
    return refuse(p, t->line,
                  "expression statement (only assignments, if, pass, self.Buy() and self.Sell())");
}

/* small (';' small)* NEWLINE; returns the first and sets *last. */
static stom__imp_stmt *parse_simple_line(stom__imp_parser *p, stom__imp_stmt **last)
{
    stom__imp_stmt *first = NULL, *tail = NULL;
    for (;;) {
        stom__imp_stmt *s = parse_small(p);
        if (!s)
            return NULL;
        if (tail)
            tail->next = s;
        else
            first = s;
        tail = s;
        if (!stom__imp_is_op(stom__imp_peek(p), ";"))
            break;
        p->i++;
        if (stom__imp_peek(p)->kind == STOM__TK_NEWLINE)
            break;
    }
    const stom__imp_tok *t = stom__imp_peek(p);
    if (t->kind != STOM__TK_NEWLINE) {
        stom__imp_fail_at(p, t, "after the statement");
        return NULL;
    }
    p->i++;
    tail->comment = t->comment;
    *last = tail;
    return first;
}

static stom__imp_stmt *parse_block(stom__imp_parser *p, bool top, stom__imp_stmt **last);

static stom__imp_stmt *comment_stmt(stom__imp_parser *p, const stom__imp_tok *t)
{
    stom__imp_stmt *s = stmt(p, STOM__S_COMMENT, t->line);
    s->comment = t->text;
    return s;
}

/* The body after ':' of an if/elif/else header stmt h; comment = the header's trailing one. */
static stom__imp_stmt *parse_suite(stom__imp_parser *p, stom__imp_stmt *h, stom__imp_str *comment)
{
    stom__imp_stmt *last;
    const stom__imp_tok *t = stom__imp_peek(p);
    if (t->kind != STOM__TK_NEWLINE)
        return parse_simple_line(p, &last);
    *comment = t->comment;
    p->i++;
    stom__imp_stmt *first = NULL, *tail = NULL;
    while ((t = stom__imp_peek(p))->kind == STOM__TK_COMMENT) {
        stom__imp_stmt *c = comment_stmt(p, t);
        *(tail ? &tail->next : &first) = c;
        tail = c;
        p->i++;
    }
    if (t->kind != STOM__TK_INDENT) {
        stom__imp_fail(p->c, t->line, STOM_EFORMAT,
                       "syntax error: expected an indented block after line %d", h->line);
        return NULL;
    }
    p->i++;
    if (!stom__imp_enter(p, t->line))
        return NULL;
    stom__imp_stmt *body = parse_block(p, false, &last);
    p->depth--;
    if (!body && p->c->rc)
        return NULL;
    p->i++; /* the DEDENT that ended the block */
    *(tail ? &tail->next : &first) = body;
    return first;
}

/* Appends to the end of list *l the COMMENT tokens at the cursor when an elif/else follows. */
static void comments_before_else(stom__imp_parser *p, stom__imp_stmt **l)
{
    size_t j = p->i;
    while (p->t[j].kind == STOM__TK_COMMENT)
        j++;
    if (j == p->i || !(stom__imp_is_kw(&p->t[j], "elif") || stom__imp_is_kw(&p->t[j], "else")))
        return;
    while (*l)
        l = &(*l)->next;
    for (; p->i < j; p->i++) {
        *l = comment_stmt(p, &p->t[p->i]);
        l = &(*l)->next;
    }
}

static stom__imp_stmt *parse_if(stom__imp_parser *p, bool is_elif)
{
    const stom__imp_tok *t = &p->t[p->i++];
    stom__imp_stmt *s = stmt(p, STOM__S_IF, t->line);
    s->is_elif = is_elif;
    if (!(s->test = stom__imp_parse_expr(p)) ||
        !stom__imp_expect_op(p, ":", "':' at the end of the if line"))
        return NULL;
    if (!(s->body = parse_suite(p, s, &s->comment)) && p->c->rc)
        return NULL;
    comments_before_else(p, &s->body);
    const stom__imp_tok *e = stom__imp_peek(p);
    if (stom__imp_is_kw(e, "elif")) {
        s->has_else = true;
        return (s->orelse = parse_if(p, true)) ? s : NULL;
    }
    if (!stom__imp_is_kw(e, "else"))
        return s;
    p->i++;
    if (!stom__imp_expect_op(p, ":", "':' after else"))
        return NULL;
    s->has_else = true;
    if (!(s->orelse = parse_suite(p, s, &s->else_comment)) && p->c->rc)
        return NULL;
    return s;
}

static stom__imp_stmt *parse_statement(stom__imp_parser *p, stom__imp_stmt **last)
{
    const stom__imp_tok *t = stom__imp_peek(p);
    if (stom__imp_is_kw(t, "if"))
        return *last = parse_if(p, false);
    if (stom__imp_is_kw(t, "elif") || stom__imp_is_kw(t, "else")) {
        stom__imp_fail_at(p, t, "(no if before it at this indentation)");
        return NULL;
    }
    return parse_simple_line(p, last);
}

/* Statements up to the DEDENT (left for the caller) or, at top, to EOF. */
static stom__imp_stmt *parse_block(stom__imp_parser *p, bool top, stom__imp_stmt **last)
{
    stom__imp_stmt *first = NULL, *tail = NULL;
    for (;;) {
        const stom__imp_tok *t = stom__imp_peek(p);
        if (t->kind == STOM__TK_EOF || (t->kind == STOM__TK_DEDENT && !top))
            break;
        if (t->kind == STOM__TK_INDENT || t->kind == STOM__TK_DEDENT) {
            stom__imp_fail_at(p, t, "(check the indentation)");
            return NULL;
        }
        stom__imp_stmt *s, *end;
        if (t->kind == STOM__TK_COMMENT) {
            s = end = comment_stmt(p, t);
            p->i++;
        } else if (!(s = parse_statement(p, &end))) {
            return NULL;
        }
        s->blank_before = t->blank_before;
        *(tail ? &tail->next : &first) = s;
        tail = end;
    }
    *last = tail;
    return first;
}

stom__imp_stmt *stom__imp_parse(stom__imp_ctx *c, const stom__imp_tok *toks, size_t n)
{
    stom__imp_parser p = {.c = c, .t = toks, .n = n};
    stom__imp_stmt *last;
    return parse_block(&p, true, &last);
}
