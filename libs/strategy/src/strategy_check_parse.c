/*
 * strategy_check_parse.c - the statement half of the strategy check's Lua
 * reader (expressions are in strategy_check_expr.c).
 *
 * Declarations take effect where Lua says: after the initialisers for
 * `local x = x`, before the body for `local function f`, inside the loop for
 * `for` variables. A bare global on the left of `=` and `function name()`
 * are writes; `function a.b()` reads a. The top-level `params = { ... }` is
 * handed to the schema reader (strategy_check_params.c).
 *
 * Lifecycle names (params, on_bar, init, on_fill) must be globals: a
 * top-level `local` one is invisible to the runtime and is reported here.
 */
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "strategy_check_internal.h"

/* Names kept for one `local` or `for` (LuaJIT allows 200 locals per function). */
#define MAX_NAMES 256

static const char *const lifecycle[] = {"params", "on_bar", "init", "on_fill"};

typedef struct name_list {
    stom__chk_token tok[MAX_NAMES];
    size_t n;
} name_list;

static bool block_follow(int t)
{
    return t == TK_ELSE || t == TK_ELSEIF || t == TK_END || t == TK_UNTIL || t == TK_EOF;
}

/* NAME {, NAME}: collects the names without declaring them. */
static void names(stom__chk_ctx *c, name_list *out)
{
    out->n = 0;
    do {
        if (c->tok.type == TK_NAME && out->n < MAX_NAMES)
            out->tok[out->n++] = c->tok;
        stom__chk_expect(c, TK_NAME);
    } while (stom__chk_accept(c, ','));
}

static void declare_all(stom__chk_ctx *c, const name_list *l)
{
    for (size_t k = 0; k < l->n; k++)
        stom__chk_declare(c, l->tok[k].text);
}

static bool at_top(const stom__chk_ctx *c)
{
    return c->fn_depth == 0 && c->block_depth == 0;
}

/* A top-level `local` lifecycle name would hide it from the runtime. */
static void check_local_name(stom__chk_ctx *c, const stom__chk_token *t, bool function)
{
    if (!at_top(c))
        return;
    for (size_t k = 0; k < sizeof lifecycle / sizeof lifecycle[0]; k++) {
        if (!stom__chk_str_eq(t->text, lifecycle[k]))
            continue;
        if (k == 1)
            c->local_on_bar_line = t->line;
        if (function)
            stom__chk_issue(c, t->line, STOM_CHECK_ERROR,
                            "'local' hides %s from stom: make it global (function %s(...) ... end)",
                            lifecycle[k], lifecycle[k]);
        else
            stom__chk_issue(c, t->line, STOM_CHECK_ERROR,
                            "'local' hides %s from stom: make it global (remove 'local')",
                            lifecycle[k]);
    }
}

static void local_stat(stom__chk_ctx *c)
{
    if (stom__chk_accept(c, TK_FUNCTION)) {
        stom__chk_token name = c->tok;
        stom__chk_expect(c, TK_NAME);
        if (name.type != TK_NAME)
            return;
        check_local_name(c, &name, true);
        stom__chk_declare(c, name.text);
        stom__chk_body(c, false);
        return;
    }
    name_list *l = stom_xmalloc(sizeof *l);
    names(c, l);
    for (size_t k = 0; k < l->n; k++)
        check_local_name(c, &l->tok[k], false);
    if (stom__chk_accept(c, '='))
        stom__chk_explist(c, NULL);
    declare_all(c, l);
    free(l);
}

/* for i = a, b[, c] do ... end and for k, v in explist do ... end */
static void for_stat(stom__chk_ctx *c)
{
    stom__chk_next(c);
    name_list *l = stom_xmalloc(sizeof *l);
    names(c, l);
    if (stom__chk_accept(c, '='))
        stom__chk_explist(c, NULL);
    else if (stom__chk_accept(c, TK_IN))
        stom__chk_explist(c, NULL);
    stom__chk_expect(c, TK_DO);
    size_t mark = c->n_locals;
    c->block_depth++;
    declare_all(c, l);
    free(l);
    stom__chk_block(c);
    c->block_depth--;
    c->n_locals = mark;
    stom__chk_expect(c, TK_END);
}

/* repeat ... until cond: the condition still sees the block's locals. */
static void repeat_stat(stom__chk_ctx *c)
{
    stom__chk_next(c);
    size_t mark = c->n_locals;
    c->block_depth++;
    stom__chk_block(c);
    stom__chk_expect(c, TK_UNTIL);
    stom__chk_expr(c);
    c->block_depth--;
    c->n_locals = mark;
}

static void if_stat(stom__chk_ctx *c)
{
    do {
        stom__chk_next(c); /* if or elseif */
        stom__chk_expr(c);
        stom__chk_expect(c, TK_THEN);
        stom__chk_scoped_block(c);
    } while (c->tok.type == TK_ELSEIF);
    if (stom__chk_accept(c, TK_ELSE))
        stom__chk_scoped_block(c);
    stom__chk_expect(c, TK_END);
}

/* function name() / function a.b.c:m(): a write of name, or a read of a. */
static void func_stat(stom__chk_ctx *c)
{
    stom__chk_next(c);
    stom__chk_token head = c->tok;
    stom__chk_expect(c, TK_NAME);
    if (head.type != TK_NAME)
        return;
    bool global = !stom__chk_is_local(c, head.text), method = false;
    size_t r = global && (c->tok.type == '.' || c->tok.type == ':') ? stom__chk_add_read(c, &head)
                                                                    : (size_t)-1;
    bool init = false;
    if (r == (size_t)-1 && global) {
        stom__chk_add_write(c, &head);
        init = at_top(c) && stom__chk_str_eq(head.text, "init");
    }
    for (bool first = true; c->tok.type == '.' || c->tok.type == ':'; first = false) {
        method = c->tok.type == ':';
        stom__chk_next(c);
        if (first && r != (size_t)-1 && c->tok.type == TK_NAME)
            c->reads[r].field = c->tok.text;
        stom__chk_expect(c, TK_NAME);
        if (method)
            break;
    }
    /* init runs before the first bar: the name rules look at what it reads. */
    if (init)
        c->init_depth = c->fn_depth + 1;
    stom__chk_body(c, method);
    if (init)
        c->init_depth = 0;
}

/* The right-hand side of `params = ...` (one target, written at index w). */
static void params_assignment(stom__chk_ctx *c, size_t w, size_t ntargets)
{
    stom__chk_write wr = c->writes[w];
    if (c->params_line) {
        stom__chk_issue(c, wr.line, STOM_CHECK_ERROR,
                        "params is assigned more than once (first on line %d)", c->params_line);
    } else if (!wr.top || ntargets != 1) {
        stom__chk_issue(c, wr.line, STOM_CHECK_ERROR,
                        "params must be assigned once, at the top level of the file");
    } else if (c->tok.type != '{') {
        stom__chk_issue(c, wr.line, STOM_CHECK_ERROR,
                        "params must be a table written out in the file: params = { fast = "
                        "{type = \"int\", default = 10, min = 1, max = 100, step = 1} }");
    } else {
        c->params_line = wr.line;
        stom__chk_params_table(c);
        if (stom__chk_binops(c, STOM_CHK_EXP_TABLE) != STOM_CHK_EXP_TABLE || c->tok.type == ',') {
            stom__chk_issue(c, wr.line, STOM_CHECK_ERROR,
                            "params must be a plain table { ... } without operators");
            c->params_literal = false;
            if (stom__chk_accept(c, ','))
                stom__chk_explist(c, NULL);
        }
        return;
    }
    if (!c->params_line)
        c->params_line = wr.line;
    c->params_literal = false;
    stom__chk_explist(c, NULL);
}

/* targets = explist, the first target already read (first: its bare global name, if any). */
static void assignment(stom__chk_ctx *c, const stom__chk_token *first)
{
    size_t ntargets = 1, w = (size_t)-1;
    if (first->type == TK_NAME)
        w = stom__chk_add_write(c, first);
    while (stom__chk_accept(c, ',')) {
        stom__chk_token bare = {0};
        stom__chk_suffixed(c, &bare);
        if (bare.type == TK_NAME)
            stom__chk_add_write(c, &bare);
        ntargets++;
    }
    stom__chk_expect(c, '=');
    if (w != (size_t)-1 && stom__chk_str_eq(first->text, "params")) {
        params_assignment(c, w, ntargets);
        return;
    }
    stom__chk_explist(c, NULL);
}

static void expr_stat(stom__chk_ctx *c)
{
    stom__chk_token bare = {0};
    stom__chk_suffixed(c, &bare);
    if (c->tok.type == '=' || c->tok.type == ',')
        assignment(c, &bare);
    else if (bare.type == TK_NAME)
        stom__chk_add_read(c, &bare);
}

static void loop_stat(stom__chk_ctx *c)
{
    bool is_while = c->tok.type == TK_WHILE;
    stom__chk_next(c);
    if (is_while) {
        stom__chk_expr(c);
        stom__chk_expect(c, TK_DO);
    }
    stom__chk_scoped_block(c);
    stom__chk_expect(c, TK_END);
}

static void statement(stom__chk_ctx *c)
{
    if (!stom__chk_enter(c))
        return;
    switch (c->tok.type) {
    case ';':
    case TK_BREAK:
        stom__chk_next(c);
        break;
    case TK_IF:
        if_stat(c);
        break;
    case TK_WHILE:
    case TK_DO:
        loop_stat(c);
        break;
    case TK_FOR:
        for_stat(c);
        break;
    case TK_REPEAT:
        repeat_stat(c);
        break;
    case TK_FUNCTION:
        func_stat(c);
        break;
    case TK_LOCAL:
        stom__chk_next(c);
        local_stat(c);
        break;
    case TK_DBCOLON: /* ::label:: */
        stom__chk_next(c);
        stom__chk_expect(c, TK_NAME);
        stom__chk_expect(c, TK_DBCOLON);
        break;
    case TK_GOTO:
        stom__chk_next(c);
        stom__chk_expect(c, TK_NAME);
        break;
    case TK_RETURN:
        stom__chk_next(c);
        if (!block_follow(c->tok.type) && c->tok.type != ';')
            stom__chk_explist(c, NULL);
        break;
    default:
        expr_stat(c);
    }
    c->nesting--;
}

void stom__chk_block(stom__chk_ctx *c)
{
    while (!block_follow(c->tok.type))
        statement(c);
}

void stom__chk_parse(stom__chk_ctx *c)
{
    stom__chk_next(c);
    stom__chk_block(c);
}
