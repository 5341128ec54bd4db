/*
 * lua_instrument.c - the step budget, woven into the strategy's source.
 *
 * LuaJIT does not run count hooks inside JIT-compiled code (see
 * docs/lua-runtime.md), so `while true do end` would never be stopped by a
 * hook once it is compiled. Instead every place where execution can come
 * back without bound gets a call to a trusted checkpoint:
 *
 *   - after every `do` (the bodies of while and for loops, and do-blocks),
 *   - after every `repeat`,
 *   - after every function's parameter list (recursion and tail calls),
 *   - after every label that is not the last statement of its block (the
 *     targets of backward gotos; a trailing label can only be jumped to
 *     forwards, and a statement after it would change Lua's scoping rules).
 *
 * The checkpoint is a local of the chunk (`__stom_b`), so the JIT inlines it:
 * a decrement and a compare. Nothing is inserted on a new line, so line
 * numbers in messages stay the user's. The source has already compiled
 * unchanged when this runs, so the lexer only has to be right for valid Lua.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/alloc.h"

#define CHECKPOINT_NAME "__stom_b"
#define PREFIX          "local " CHECKPOINT_NAME " = ...; "

typedef enum tok_kind { TK_NAME, TK_NUMBER, TK_STRING, TK_LABEL, TK_OP, TK_EOF } tok_kind;

typedef struct token {
    tok_kind kind;
    size_t start, end; /* byte offsets in the source */
    int line;
} token;

typedef struct lexer {
    const char *s;
    size_t n, pos;
    int line;
    token *toks;
    size_t n_toks, cap_toks;
} lexer;

static bool is_ident(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static void push(lexer *lx, tok_kind kind, size_t start, int line)
{
    if (lx->n_toks == lx->cap_toks) {
        lx->cap_toks = lx->cap_toks ? 2 * lx->cap_toks : 256;
        lx->toks = stom_xrealloc(lx->toks, lx->cap_toks * sizeof *lx->toks);
    }
    lx->toks[lx->n_toks++] = (token){kind, start, lx->pos, line};
}

/* Skips a long bracket [==[ ... ]==] starting at pos ('['); false if it is not one. */
static bool skip_long(lexer *lx)
{
    size_t p = lx->pos + 1, level = 0;
    while (p < lx->n && lx->s[p] == '=')
        p++, level++;
    if (p >= lx->n || lx->s[p] != '[')
        return false;
    for (p++; p < lx->n; p++) {
        if (lx->s[p] == '\n')
            lx->line++;
        if (lx->s[p] != ']')
            continue;
        size_t q = p + 1, l = 0;
        while (q < lx->n && lx->s[q] == '=')
            q++, l++;
        if (l == level && q < lx->n && lx->s[q] == ']') {
            lx->pos = q + 1;
            return true;
        }
    }
    lx->pos = lx->n;
    return true;
}

static void skip_short_string(lexer *lx)
{
    char quote = lx->s[lx->pos++];
    while (lx->pos < lx->n && lx->s[lx->pos] != quote) {
        if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->n)
            lx->pos++;
        if (lx->s[lx->pos] == '\n')
            lx->line++;
        lx->pos++;
    }
    lx->pos++;
}

static void skip_number(lexer *lx)
{
    char prev = 0;
    while (lx->pos < lx->n) {
        char c = lx->s[lx->pos];
        bool sign = (c == '+' || c == '-') && strchr("eEpP", prev) != NULL && prev != 0;
        if (!is_ident((unsigned char)c) && c != '.' && !sign)
            break;
        prev = c;
        lx->pos++;
    }
}

/* Whitespace and comments; false at the end of the input. */
static bool skip_blank(lexer *lx)
{
    while (lx->pos < lx->n) {
        char c = lx->s[lx->pos];
        if (c == '\n') {
            lx->line++;
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
            lx->pos++;
        } else if (c == '-' && lx->pos + 1 < lx->n && lx->s[lx->pos + 1] == '-') {
            lx->pos += 2;
            if (lx->pos < lx->n && lx->s[lx->pos] == '[' && skip_long(lx))
                continue;
            while (lx->pos < lx->n && lx->s[lx->pos] != '\n')
                lx->pos++;
        } else {
            return true;
        }
    }
    return false;
}

static void lex_all(lexer *lx)
{
    while (skip_blank(lx)) {
        size_t start = lx->pos;
        int line = lx->line;
        unsigned char c = (unsigned char)lx->s[lx->pos];
        bool digit_after_dot = c == '.' && lx->pos + 1 < lx->n && lx->s[lx->pos + 1] >= '0' &&
                               lx->s[lx->pos + 1] <= '9';
        if ((c >= '0' && c <= '9') || digit_after_dot) {
            skip_number(lx);
            push(lx, TK_NUMBER, start, line);
        } else if (is_ident(c)) {
            while (lx->pos < lx->n && is_ident((unsigned char)lx->s[lx->pos]))
                lx->pos++;
            push(lx, TK_NAME, start, line);
        } else if (c == '"' || c == '\'') {
            skip_short_string(lx);
            push(lx, TK_STRING, start, line);
        } else if (c == '[' && skip_long(lx)) {
            push(lx, TK_STRING, start, line);
        } else if (c == ':' && lx->pos + 1 < lx->n && lx->s[lx->pos + 1] == ':') {
            lx->pos += 2;
            push(lx, TK_LABEL, start, line);
        } else {
            lx->pos++;
            push(lx, TK_OP, start, line);
        }
    }
    push(lx, TK_EOF, lx->n, lx->line);
}

static bool tok_is(const lexer *lx, size_t i, tok_kind kind, const char *text)
{
    const token *t = &lx->toks[i];
    size_t n = strlen(text);
    return t->kind == kind && t->end - t->start == n && memcmp(lx->s + t->start, text, n) == 0;
}

static bool name_is(const lexer *lx, size_t i, const char *text)
{
    return tok_is(lx, i, TK_NAME, text);
}

/* The index of the token after which a checkpoint goes for token i, or 0 for none. */
static size_t checkpoint_after(const lexer *lx, size_t i)
{
    if (name_is(lx, i, "do") || name_is(lx, i, "repeat"))
        return i;
    if (name_is(lx, i, "function")) {
        size_t p = i + 1;
        while (lx->toks[p].kind != TK_EOF && !tok_is(lx, p, TK_OP, "("))
            p++;
        while (lx->toks[p].kind != TK_EOF && !tok_is(lx, p, TK_OP, ")"))
            p++;
        return lx->toks[p].kind == TK_EOF ? 0 : p;
    }
    if (lx->toks[i].kind == TK_LABEL && lx->toks[i + 1].kind == TK_NAME &&
        lx->toks[i + 2].kind == TK_LABEL) {
        size_t next = i + 3;
        bool trailing = lx->toks[next].kind == TK_EOF || name_is(lx, next, "end") ||
                        name_is(lx, next, "else") || name_is(lx, next, "elseif");
        return trailing ? 0 : i + 2;
    }
    return 0;
}

static bool reserved_name(const lexer *lx, size_t i)
{
    const token *t = &lx->toks[i];
    return t->kind == TK_NAME && t->end - t->start >= 6 &&
           memcmp(lx->s + t->start, "__stom", 6) == 0;
}

typedef struct out_buf {
    char *p;
    size_t n, cap;
} out_buf;

static void out_put(out_buf *o, const char *s, size_t n)
{
    if (o->n + n + 1 > o->cap) {
        o->cap = (o->n + n + 1) * 2;
        o->p = stom_xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

static int weave(const lexer *lx, const char *name, out_buf *o, stom_errbuf *eb)
{
    out_put(o, PREFIX, strlen(PREFIX));
    size_t copied = 0;
    for (size_t i = 0; lx->toks[i].kind != TK_EOF; i++) {
        if (reserved_name(lx, i))
            return stom_errorf(eb, STOM_EINVAL, "%s:%d: names starting with __stom are reserved",
                               name, lx->toks[i].line);
        size_t at = checkpoint_after(lx, i);
        if (at == 0)
            continue;
        /* A ';' already ends the statement; a second one would be a syntax error. */
        const char *call =
            tok_is(lx, at + 1, TK_OP, ";") ? " " CHECKPOINT_NAME "()" : " " CHECKPOINT_NAME "();";
        size_t end = lx->toks[at].end;
        if (end < copied)
            continue;
        out_put(o, lx->s + copied, end - copied);
        out_put(o, call, strlen(call));
        copied = end;
    }
    out_put(o, lx->s + copied, lx->n - copied);
    return STOM_OK;
}

char *stom__lua_instrument(const char *name, const char *code, size_t len, size_t *out_len,
                           stom_errbuf *eb)
{
    lexer lx = {.s = code, .n = len, .line = 1};
    lex_all(&lx);
    out_buf o = {0};
    int rc = weave(&lx, name, &o, eb);
    free(lx.toks);
    if (rc != STOM_OK) {
        free(o.p);
        return NULL;
    }
    *out_len = o.n;
    return o.p;
}

/* The string's contents when it is a plain quoted name without escapes. */
static char *plain_string(const lexer *lx, size_t i)
{
    const token *t = &lx->toks[i];
    if (t->kind != TK_STRING || t->end - t->start < 2 || lx->s[t->start] == '[')
        return NULL;
    const char *p = lx->s + t->start + 1;
    size_t n = t->end - t->start - 2;
    if (memchr(p, '\\', n) != NULL)
        return NULL;
    char *s = stom_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* The entry key at token i of the params table (depth 1), or NULL. */
static char *entry_key(const lexer *lx, size_t i)
{
    if (lx->toks[i].kind == TK_NAME && tok_is(lx, i + 1, TK_OP, "=") &&
        !tok_is(lx, i + 2, TK_OP, "=")) {
        const token *t = &lx->toks[i];
        char *s = stom_xmalloc(t->end - t->start + 1);
        memcpy(s, lx->s + t->start, t->end - t->start);
        s[t->end - t->start] = '\0';
        return s;
    }
    if (tok_is(lx, i, TK_OP, "[") && tok_is(lx, i + 2, TK_OP, "]") && tok_is(lx, i + 3, TK_OP, "="))
        return plain_string(lx, i + 1);
    return NULL;
}

static size_t find_params_table(const lexer *lx)
{
    for (size_t i = 0; lx->toks[i].kind != TK_EOF; i++) {
        bool field = i > 0 && (tok_is(lx, i - 1, TK_OP, ".") || tok_is(lx, i - 1, TK_OP, ":"));
        if (!field && name_is(lx, i, "params") && tok_is(lx, i + 1, TK_OP, "=") &&
            tok_is(lx, i + 2, TK_OP, "{"))
            return i + 2;
    }
    return 0;
}

size_t stom__lua_param_order(const char *code, size_t len, char **names, int *lines, size_t max)
{
    lexer lx = {.s = code, .n = len, .line = 1};
    lex_all(&lx);
    size_t found = 0, open = find_params_table(&lx);
    int depth = 0;
    for (size_t i = open; open && lx.toks[i].kind != TK_EOF && found < max; i++) {
        const token *t = &lx.toks[i];
        bool opens =
            tok_is(&lx, i, TK_OP, "{") || tok_is(&lx, i, TK_OP, "(") || tok_is(&lx, i, TK_OP, "[");
        bool closes =
            tok_is(&lx, i, TK_OP, "}") || tok_is(&lx, i, TK_OP, ")") || tok_is(&lx, i, TK_OP, "]");
        bool after_sep = tok_is(&lx, i - 1, TK_OP, "{") || tok_is(&lx, i - 1, TK_OP, ",") ||
                         tok_is(&lx, i - 1, TK_OP, ";");
        char *key = depth == 1 && after_sep ? entry_key(&lx, i) : NULL;
        if (key) {
            lines[found] = t->line;
            names[found++] = key;
        }
        depth += opens ? 1 : closes ? -1 : 0;
        if (depth == 0 || t->kind == TK_EOF)
            break;
    }
    free(lx.toks);
    return found;
}
