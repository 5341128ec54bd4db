/*
 * strategy_check_expr.c - the expression half of the strategy check's Lua
 * reader (strategy_check_parse.c has the statements), plus the token,
 * scope and record helpers both halves use.
 *
 * Scopes: every block remembers the height of the locals stack and returns
 * to it when it ends; a name is local when it is on the stack, which holds
 * the enclosing functions' locals too (upvalues).
 *
 * Chains: only the first name of a.b, a:b(), a[b] is a global read; the
 * first field (.name, :name or ["name"]) and, for a direct call, the number
 * of arguments are kept with it for the name rules. Every .name is also
 * remembered, to tell whether a declared parameter is ever read.
 */
#include <string.h>

#include "stom/alloc.h"
#include "strategy_check_internal.h"

enum { SUF_NONE, SUF_INDEX, SUF_CALL, SUF_METHOD };

/* Deeper than any chunk LuaJIT compiles (200 levels); guards the C stack. */
#define MAX_NESTING 1000

bool stom__chk_str_eq(stom__chk_str s, const char *z)
{
    size_t n = strlen(z);
    return s.n == n && (n == 0 || !memcmp(s.p, z, n));
}

static bool str_same(stom__chk_str a, stom__chk_str b)
{
    return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

void stom__chk_next(stom__chk_ctx *c)
{
    if (c->broken) {
        c->tok.type = TK_EOF;
        return;
    }
    if (c->has_ahead) {
        c->tok = c->ahead;
        c->has_ahead = false;
    } else {
        stom__chk_lex_next(&c->lx, &c->tok);
    }
    if (c->tok.type == TK_ERROR) {
        c->broken = true;
        c->tok.type = TK_EOF;
    }
    /* The runtime's own hooks use these names; user code must not reach them. */
    if (c->tok.type == TK_NAME && c->tok.text.n >= 6 && !memcmp(c->tok.text.p, "__stom", 6))
        stom__chk_issue(c, c->tok.line, STOM_CHECK_ERROR,
                        "%.*s: names starting with __stom are reserved for stom",
                        (int)c->tok.text.n, c->tok.text.p);
}

int stom__chk_peek(stom__chk_ctx *c)
{
    if (c->broken)
        return TK_EOF;
    if (!c->has_ahead) {
        stom__chk_lex_next(&c->lx, &c->ahead);
        c->has_ahead = true;
    }
    return c->ahead.type == TK_ERROR ? TK_EOF : c->ahead.type;
}

bool stom__chk_accept(stom__chk_ctx *c, int type)
{
    if (c->tok.type != type)
        return false;
    stom__chk_next(c);
    return true;
}

/* Valid code always has what is expected; otherwise stop reading. */
void stom__chk_expect(stom__chk_ctx *c, int type)
{
    if (!stom__chk_accept(c, type)) {
        c->broken = true;
        c->tok.type = TK_EOF;
    }
}

bool stom__chk_enter(stom__chk_ctx *c)
{
    if (++c->nesting <= MAX_NESTING)
        return true;
    if (!c->too_deep)
        stom__chk_issue(c, c->tok.line, STOM_CHECK_ERROR,
                        "nesting is too deep to check; simplify this expression");
    c->too_deep = c->broken = true;
    c->tok.type = TK_EOF;
    return false;
}

/* --- scopes and records --- */

void stom__chk_declare(stom__chk_ctx *c, stom__chk_str name)
{
    STOM_CHK_GROW(c->locals, c->n_locals, c->cap_locals);
    c->locals[c->n_locals++] = name;
}

bool stom__chk_is_local(const stom__chk_ctx *c, stom__chk_str name)
{
    for (size_t i = c->n_locals; i-- > 0;) {
        if (str_same(c->locals[i], name))
            return true;
    }
    return false;
}

size_t stom__chk_add_read(stom__chk_ctx *c, const stom__chk_token *name)
{
    STOM_CHK_GROW(c->reads, c->n_reads, c->cap_reads);
    stom__chk_read *r = &c->reads[c->n_reads];
    memset(r, 0, sizeof *r);
    r->name = name->text;
    r->line = name->line;
    r->fn_depth = c->fn_depth;
    r->in_init = c->init_depth > 0 && c->fn_depth == c->init_depth;
    r->nargs = -1;
    return c->n_reads++;
}

size_t stom__chk_add_write(stom__chk_ctx *c, const stom__chk_token *name)
{
    STOM_CHK_GROW(c->writes, c->n_writes, c->cap_writes);
    stom__chk_write *w = &c->writes[c->n_writes];
    w->name = name->text;
    w->line = name->line;
    w->top = c->fn_depth == 0 && c->block_depth == 0;
    return c->n_writes++;
}

static void add_field(stom__chk_ctx *c, stom__chk_str name)
{
    STOM_CHK_GROW(c->fields, c->n_fields, c->cap_fields);
    c->fields[c->n_fields++] = name;
}

void stom__chk_scoped_block(stom__chk_ctx *c)
{
    size_t mark = c->n_locals;
    c->block_depth++;
    stom__chk_block(c);
    c->block_depth--;
    c->n_locals = mark;
}

/* --- expressions --- */

/* Reads expressions separated by commas; returns how many, *open when the last was multi. */
int stom__chk_explist(stom__chk_ctx *c, bool *open)
{
    int n = 0, kind;
    do {
        kind = stom__chk_expr_kind(c);
        n++;
    } while (stom__chk_accept(c, ','));
    if (open)
        *open = kind == STOM_CHK_EXP_MULTI;
    return n;
}

static void constructor(stom__chk_ctx *c)
{
    stom__chk_expect(c, '{');
    while (c->tok.type != '}' && c->tok.type != TK_EOF) {
        if (c->tok.type == TK_NAME && stom__chk_peek(c) == '=') {
            stom__chk_next(c);
            stom__chk_next(c);
        } else if (stom__chk_accept(c, '[')) {
            stom__chk_expr_kind(c);
            stom__chk_expect(c, ']');
            stom__chk_expect(c, '=');
        }
        stom__chk_expr_kind(c);
        if (!stom__chk_accept(c, ',') && !stom__chk_accept(c, ';'))
            break;
    }
    stom__chk_expect(c, '}');
}

/* Call arguments: (explist), a table or a string. */
static void funcargs(stom__chk_ctx *c, int *nargs, bool *open)
{
    *open = false;
    *nargs = 1;
    if (c->tok.type == TK_STRING) {
        stom__chk_next(c);
    } else if (c->tok.type == '{') {
        constructor(c);
    } else {
        stom__chk_expect(c, '(');
        *nargs = c->tok.type == ')' ? 0 : stom__chk_explist(c, open);
        stom__chk_expect(c, ')');
    }
}

/* A function's parameters and body; the parameters are locals of the body. */
void stom__chk_body(stom__chk_ctx *c, bool method)
{
    static const char self[] = "self";
    size_t mark = c->n_locals;
    c->fn_depth++;
    c->block_depth++;
    if (method)
        stom__chk_declare(c, (stom__chk_str){self, 4});
    stom__chk_expect(c, '(');
    while (c->tok.type == TK_NAME) {
        stom__chk_declare(c, c->tok.text);
        stom__chk_next(c);
        if (!stom__chk_accept(c, ','))
            break;
    }
    stom__chk_accept(c, TK_DOTS);
    stom__chk_expect(c, ')');
    stom__chk_block(c);
    stom__chk_expect(c, TK_END);
    c->block_depth--;
    c->fn_depth--;
    c->n_locals = mark;
}

/* One suffix of a chain; *field gets .name, :name or ["name"], *nargs a call's count. */
static int suffix(stom__chk_ctx *c, stom__chk_str *field, int *nargs, bool *open)
{
    int t = c->tok.type;
    if (t == '.' || t == ':') {
        stom__chk_next(c);
        if (c->tok.type == TK_NAME) {
            *field = c->tok.text;
            add_field(c, *field);
        }
        stom__chk_expect(c, TK_NAME);
        if (t == '.')
            return SUF_INDEX;
        funcargs(c, nargs, open);
        return SUF_METHOD;
    }
    if (t == '[') {
        stom__chk_next(c);
        if (c->tok.type == TK_STRING && !c->tok.escaped && stom__chk_peek(c) == ']') {
            *field = c->tok.text;
            add_field(c, *field);
        }
        stom__chk_expr_kind(c);
        stom__chk_expect(c, ']');
        return SUF_INDEX;
    }
    if (t == '(' || t == '{' || t == TK_STRING) {
        funcargs(c, nargs, open);
        return SUF_CALL;
    }
    return SUF_NONE;
}

/* Records the read of a chain's global head once its first suffix is known. */
static void head_read(stom__chk_ctx *c, const stom__chk_token *head, int suf, stom__chk_str field,
                      int nargs, bool open)
{
    size_t r = stom__chk_add_read(c, head);
    c->reads[r].field = field;
    if (suf == SUF_CALL) {
        c->reads[r].nargs = nargs;
        c->reads[r].nargs_open = open;
    }
}

/*
 * name or (expr), then suffixes. When bare is not NULL and the chain is a
 * single global name, it is not recorded: *bare gets it and the caller
 * decides whether it is read or written.
 */
int stom__chk_suffixed(stom__chk_ctx *c, stom__chk_token *bare)
{
    stom__chk_token head = c->tok;
    bool global = head.type == TK_NAME && !stom__chk_is_local(c, head.text);
    if (head.type == TK_NAME) {
        stom__chk_next(c);
    } else if (stom__chk_accept(c, '(')) {
        stom__chk_expr_kind(c);
        stom__chk_expect(c, ')');
    } else {
        stom__chk_expect(c, TK_NAME); /* not an expression: stop */
        return STOM_CHK_EXP_PLAIN;
    }
    int kind = STOM_CHK_EXP_PLAIN, n = 0;
    for (;;) {
        stom__chk_str field = {NULL, 0};
        int nargs = -1;
        bool open = false;
        int s = suffix(c, &field, &nargs, &open);
        if (s == SUF_NONE)
            break;
        if (n++ == 0 && global)
            head_read(c, &head, s, field, nargs, open);
        kind = s == SUF_INDEX ? STOM_CHK_EXP_PLAIN : STOM_CHK_EXP_MULTI;
    }
    if (n == 0 && global) {
        if (bare)
            *bare = head;
        else
            stom__chk_add_read(c, &head);
    }
    return kind;
}

static int operand(stom__chk_ctx *c)
{
    int kind = STOM_CHK_EXP_PLAIN;
    if (!stom__chk_enter(c))
        return kind;
    switch (c->tok.type) {
    case TK_NOT:
    case '-':
    case '#':
        stom__chk_next(c);
        operand(c);
        break;
    case TK_NUMBER:
    case TK_STRING:
    case TK_NIL:
    case TK_TRUE:
    case TK_FALSE:
        stom__chk_next(c);
        break;
    case TK_DOTS:
        stom__chk_next(c);
        kind = STOM_CHK_EXP_MULTI;
        break;
    case '{':
        constructor(c);
        kind = STOM_CHK_EXP_TABLE;
        break;
    case TK_FUNCTION:
        stom__chk_next(c);
        stom__chk_body(c, false);
        kind = STOM_CHK_EXP_FUNCTION;
        break;
    default:
        kind = stom__chk_suffixed(c, NULL);
    }
    c->nesting--;
    return kind;
}

static bool is_binop(int t)
{
    return (t < 256 && t > 0 && strchr("+-*/%^<>", t)) || t == TK_CONCAT || t == TK_EQ ||
           t == TK_NE || t == TK_LE || t == TK_GE || t == TK_AND || t == TK_OR;
}

/* Continues an expression whose first operand (of the given kind) has been read. */
int stom__chk_binops(stom__chk_ctx *c, int kind)
{
    while (is_binop(c->tok.type)) {
        stom__chk_next(c);
        operand(c);
        kind = STOM_CHK_EXP_PLAIN;
    }
    return kind;
}

/* Precedence does not matter for finding names, so operators are read left to right. */
int stom__chk_expr_kind(stom__chk_ctx *c)
{
    return stom__chk_binops(c, operand(c));
}

void stom__chk_expr(stom__chk_ctx *c)
{
    stom__chk_expr_kind(c);
}
