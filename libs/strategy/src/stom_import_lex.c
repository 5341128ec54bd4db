/*
 * stom_import_lex.c - the tokenizer for the STOM Python subset.
 *
 * It follows Python's rules for logical lines: NEWLINE ends a statement,
 * INDENT/DEDENT come from the indentation of the first token of a line
 * (tabs advance to the next multiple of 8), newlines inside ( [ { and after
 * a backslash join lines, blank lines produce nothing. Two differences
 * serve the translation: a line holding only a comment becomes a COMMENT
 * token (so comments survive into the Lua), and a trailing comment rides on
 * the line's NEWLINE token.
 *
 * Identifiers may hold any UTF-8 letters (Korean names); the whole text has
 * been checked as UTF-8 by stom_import.c, so bytes >= 0x80 are identifier
 * characters here, as they are for LuaJIT. Strings are refused outright:
 * the subset has no use for them.
 */
#include <stdlib.h>
#include <string.h>

#include "stom/stom_import.h"
#include "stom_import_internal.h"

#define MAX_NUMBER_CHARS 64

typedef struct lexer {
    stom__imp_ctx *c;
    const char *s;
    size_t len, pos;
    int line;
    int paren;      /* open ( [ { */
    int paren_line; /* where the outermost open bracket is */
    char paren_ch;
    int indents[STOM_IMPORT_MAX_DEPTH + 1];
    int n_indents;
    stom__imp_tok *v;
    size_t n, cap;
    stom__imp_str trailing; /* the current line's trailing comment */
    bool blank;             /* a blank line was skipped since the last token */
} lexer;

static stom__imp_tok *push(lexer *lx, stom__imp_tok_kind kind, const char *p, size_t n)
{
    if (lx->n == lx->cap) {
        size_t cap = lx->cap ? lx->cap * 2 : 256;
        stom__imp_tok *v = stom__imp_alloc(&lx->c->arena, cap * sizeof *v);
        if (lx->n)
            memcpy(v, lx->v, lx->n * sizeof *v);
        lx->v = v;
        lx->cap = cap;
    }
    stom__imp_tok *t = &lx->v[lx->n++];
    t->kind = kind;
    t->line = lx->line;
    t->text.p = p;
    t->text.n = n;
    if (kind >= STOM__TK_NAME) {
        t->blank_before = lx->blank;
        lx->blank = false;
    }
    return t;
}

static bool is_ident_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80;
}

static bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool at_eol(const lexer *lx, size_t pos)
{
    return pos >= lx->len || lx->s[pos] == '\n' || lx->s[pos] == '\r';
}

/* Skips one line ending at pos (\n, \r\n or \r); returns the new position. */
static size_t skip_eol(const lexer *lx, size_t pos)
{
    if (pos < lx->len && lx->s[pos] == '\r')
        pos++;
    if (pos < lx->len && lx->s[pos] == '\n')
        pos++;
    return pos;
}

/* The comment text after '#' at pos, without the '#', up to the line end. */
static stom__imp_str comment_at(const lexer *lx, size_t pos)
{
    size_t end = pos + 1;
    while (!at_eol(lx, end))
        end++;
    stom__imp_str s = {lx->s + pos + 1, end - pos - 1};
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

/* Emits INDENT or DEDENTs for a line whose first token is at column col. */
static bool indent_to(lexer *lx, int col)
{
    int top = lx->indents[lx->n_indents - 1];
    if (col > top) {
        if (lx->n_indents > STOM_IMPORT_MAX_DEPTH) {
            stom__imp_fail(lx->c, lx->line, STOM_ETOOBIG, "blocks nested deeper than %d",
                           STOM_IMPORT_MAX_DEPTH);
            return false;
        }
        lx->indents[lx->n_indents++] = col;
        push(lx, STOM__TK_INDENT, lx->s + lx->pos, 0);
        return true;
    }
    while (col < lx->indents[lx->n_indents - 1]) {
        lx->n_indents--;
        push(lx, STOM__TK_DEDENT, lx->s + lx->pos, 0);
    }
    if (col != lx->indents[lx->n_indents - 1]) {
        stom__imp_fail(lx->c, lx->line, STOM_EFORMAT,
                       "syntax error: unindent does not match any outer indentation level");
        return false;
    }
    return true;
}

/*
 * At the start of a physical line outside brackets: measures the
 * indentation; a blank or comment-only line is consumed whole (a COMMENT
 * token for the latter), otherwise INDENT/DEDENT are emitted.
 */
static bool line_start(lexer *lx, bool *consumed)
{
    int col = 0;
    size_t pos = lx->pos;
    for (; pos < lx->len; pos++) {
        char ch = lx->s[pos];
        if (ch == ' ')
            col++;
        else if (ch == '\t')
            col = (col / 8 + 1) * 8;
        else if (ch == '\f')
            col = 0;
        else
            break;
    }
    *consumed = at_eol(lx, pos) || lx->s[pos] == '#';
    if (*consumed) {
        lx->blank = at_eol(lx, pos) || lx->blank;
        if (!at_eol(lx, pos)) {
            stom__imp_tok *t = push(lx, STOM__TK_COMMENT, lx->s + pos, 0);
            t->text = comment_at(lx, pos);
            while (!at_eol(lx, pos))
                pos++;
        }
        lx->pos = skip_eol(lx, pos);
        lx->line++;
        return true;
    }
    lx->pos = pos;
    return indent_to(lx, col);
}

static bool lex_number(lexer *lx)
{
    size_t start = lx->pos, pos = lx->pos;
    const char *s = lx->s;
    bool is_float = false;
    while (pos < lx->len && (is_digit((unsigned char)s[pos]) || s[pos] == '_'))
        pos++;
    if (pos < lx->len && s[pos] == '.') {
        is_float = true;
        for (pos++; pos < lx->len && (is_digit((unsigned char)s[pos]) || s[pos] == '_');)
            pos++;
    }
    if (pos < lx->len && (s[pos] == 'e' || s[pos] == 'E')) {
        size_t e = pos + 1;
        if (e < lx->len && (s[e] == '+' || s[e] == '-'))
            e++;
        if (e < lx->len && is_digit((unsigned char)s[e])) {
            is_float = true;
            for (pos = e; pos < lx->len && (is_digit((unsigned char)s[pos]) || s[pos] == '_');)
                pos++;
        }
    }
    size_t n = pos - start;
    if ((pos < lx->len && is_ident_start((unsigned char)s[pos])) || n > MAX_NUMBER_CHARS ||
        s[pos - 1] == '_') {
        while (pos < lx->len && (is_ident_start((unsigned char)s[pos]) || is_digit(s[pos])))
            pos++;
        stom__imp_fail(lx->c, lx->line, STOM_ETYPE,
                       "cannot translate number %.*s (only decimal numbers)",
                       (int)(pos - start < 40 ? pos - start : 40), s + start);
        return false;
    }
    char digits[MAX_NUMBER_CHARS + 1];
    size_t k = 0;
    for (size_t j = start; j < pos; j++)
        if (s[j] != '_')
            digits[k++] = s[j];
    digits[k] = '\0';
    stom__imp_tok *t = push(lx, STOM__TK_NUMBER, s + start, n);
    t->num = strtod(digits, NULL);
    t->is_float = is_float;
    lx->pos = pos;
    return true;
}

/* Operators, longest first; the parser decides which it accepts. */
static const char *const operators[] = {
    "//=", "**=", ">>=", "<<=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=",
    "*=",  "/=",  "%=",  "&=",  "|=", "^=", "->", ":=", "<<", ">>", "<>", "+",
    "-",   "*",   "/",   "%",   "<",  ">",  "=",  "(",  ")",  "[",  "]",  "{",
    "}",   ",",   ":",   ".",   ";",  "@",  "&",  "|",  "^",  "~",  "!",
};

static bool lex_operator(lexer *lx)
{
    for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
        size_t n = strlen(operators[k]);
        if (lx->len - lx->pos >= n && memcmp(lx->s + lx->pos, operators[k], n) == 0) {
            char ch = operators[k][0];
            if (n == 1 && (ch == '(' || ch == '[' || ch == '{') && lx->paren++ == 0) {
                lx->paren_line = lx->line;
                lx->paren_ch = ch;
            }
            if (n == 1 && (ch == ')' || ch == ']' || ch == '}') && lx->paren > 0)
                lx->paren--;
            push(lx, STOM__TK_OP, lx->s + lx->pos, n);
            lx->pos += n;
            return true;
        }
    }
    unsigned char ch = (unsigned char)lx->s[lx->pos];
    if (ch == '\'' || ch == '"')
        stom__imp_fail(lx->c, lx->line, STOM_ETYPE, "cannot translate string");
    else
        stom__imp_fail(lx->c, lx->line, STOM_EFORMAT, "syntax error: unexpected character '%c'",
                       ch >= 0x20 && ch < 0x7f ? ch : '?');
    return false;
}

/* A line ending: joins lines inside brackets, otherwise ends the logical line. */
static void lex_eol(lexer *lx, bool *line_begins)
{
    if (lx->paren == 0) {
        stom__imp_tok *t = push(lx, STOM__TK_NEWLINE, lx->s + lx->pos, 0);
        t->comment = lx->trailing;
        lx->trailing = (stom__imp_str){NULL, 0};
        *line_begins = true;
    }
    lx->pos = skip_eol(lx, lx->pos);
    lx->line++;
}

/* One token (or blank, comment, continuation) at lx->pos within a line. */
static bool lex_one(lexer *lx, bool *line_begins)
{
    unsigned char ch = (unsigned char)lx->s[lx->pos];
    if (ch == ' ' || ch == '\t' || ch == '\f') {
        lx->pos++;
        return true;
    }
    if (ch == '\n' || ch == '\r') {
        lex_eol(lx, line_begins);
        return true;
    }
    if (ch == '#') {
        if (lx->paren == 0)
            lx->trailing = comment_at(lx, lx->pos);
        while (!at_eol(lx, lx->pos))
            lx->pos++;
        return true;
    }
    if (ch == '\\') {
        if (!at_eol(lx, lx->pos + 1) || lx->pos + 1 >= lx->len) {
            stom__imp_fail(lx->c, lx->line, STOM_EFORMAT,
                           "syntax error: unexpected character after line continuation");
            return false;
        }
        lx->pos = skip_eol(lx, lx->pos + 1);
        lx->line++;
        return true;
    }
    if (is_ident_start(ch)) {
        size_t start = lx->pos;
        while (lx->pos < lx->len && (is_ident_start((unsigned char)lx->s[lx->pos]) ||
                                     is_digit((unsigned char)lx->s[lx->pos])))
            lx->pos++;
        push(lx, STOM__TK_NAME, lx->s + start, lx->pos - start);
        return true;
    }
    if (is_digit(ch) || (ch == '.' && lx->pos + 1 < lx->len && is_digit(lx->s[lx->pos + 1])))
        return lex_number(lx);
    return lex_operator(lx);
}

/* The end of the text: close the last line and every open block. */
static bool lex_finish(lexer *lx, bool line_begins)
{
    if (lx->paren > 0) {
        stom__imp_fail(lx->c, lx->paren_line, STOM_EFORMAT, "syntax error: '%c' is never closed",
                       lx->paren_ch);
        return false;
    }
    if (!line_begins) {
        stom__imp_tok *t = push(lx, STOM__TK_NEWLINE, lx->s + lx->pos, 0);
        t->comment = lx->trailing;
    }
    while (lx->n_indents > 1) {
        lx->n_indents--;
        push(lx, STOM__TK_DEDENT, lx->s + lx->pos, 0);
    }
    push(lx, STOM__TK_EOF, lx->s + lx->pos, 0);
    return true;
}

stom__imp_tok *stom__imp_lex(stom__imp_ctx *c, const char *src, size_t len, int first_line,
                             size_t *n)
{
    lexer lx = {.c = c, .s = src, .len = len, .line = first_line, .n_indents = 1};
    bool line_begins = true;
    while (lx.pos < lx.len) {
        if (line_begins && lx.paren == 0) {
            bool consumed;
            if (!line_start(&lx, &consumed))
                return NULL;
            if (consumed)
                continue;
            line_begins = false;
        }
        if (!lex_one(&lx, &line_begins))
            return NULL;
    }
    if (!lex_finish(&lx, line_begins))
        return NULL;
    *n = lx.n;
    return lx.v;
}
