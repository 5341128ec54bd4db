/*
 * strategy_check_lex.c - a Lua (LuaJIT 2.1) lexer for the strategy check.
 *
 * It follows LuaJIT's rules where they matter for finding names: a byte >=
 * 0x80 is an identifier character (so UTF-8 Korean names are single
 * names), strings may use escapes or long brackets, and comments (-- and
 * --[==[ ]==]) are skipped, so names inside strings and comments are never
 * seen as names. Numbers are skimmed the way LuaJIT scans them (digits,
 * letters, dots and an exponent sign) without being converted here.
 *
 * Every read is checked against the end of the buffer; unterminated input
 * ends in TK_EOF or TK_ERROR rather than reading on.
 */
#include <string.h>

#include "strategy_check_internal.h"

static const char *const keywords[] = {"and",   "break", "do",       "else", "elseif", "end",
                                       "false", "for",   "function", "goto", "if",     "in",
                                       "local", "nil",   "not",      "or",   "repeat", "return",
                                       "then",  "true",  "until",    "while"};

static bool is_ident_start(unsigned char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

static bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_ident(unsigned char ch)
{
    return is_ident_start(ch) || is_digit(ch);
}

/* Like LuaJIT, skips a UTF-8 byte order mark and a first line starting with '#'. */
void stom__chk_lex_init(stom__chk_lexer *lx, const char *src, size_t len)
{
    lx->cur = src;
    lx->end = src + len;
    lx->line = 1;
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3))
        lx->cur += 3;
    if (lx->cur < lx->end && *lx->cur == '#') {
        while (lx->cur < lx->end && *lx->cur != '\n' && *lx->cur != '\r')
            lx->cur++;
    }
}

/* Consumes one newline (\n, \r, \r\n or \n\r as LuaJIT counts them) at cur. */
static void newline(stom__chk_lexer *lx)
{
    char first = *lx->cur++;
    if (lx->cur < lx->end && (*lx->cur == '\n' || *lx->cur == '\r') && *lx->cur != first)
        lx->cur++;
    lx->line++;
}

/*
 * At '[': returns the level of a long bracket opener ([[ is 0, [==[ is 2)
 * and moves past it, or -1 (cur unchanged) when this is not one.
 */
static int long_open(stom__chk_lexer *lx)
{
    const char *p = lx->cur + 1;
    int level = 0;
    while (p < lx->end && *p == '=') {
        p++;
        level++;
    }
    if (p >= lx->end || *p != '[')
        return -1;
    lx->cur = p + 1;
    return level;
}

/* Skips to after the closing ]=*] of the given level; false at end of input. */
static bool long_skip(stom__chk_lexer *lx, int level, stom__chk_str *body)
{
    body->p = lx->cur;
    while (lx->cur < lx->end) {
        if (*lx->cur == '\n' || *lx->cur == '\r') {
            newline(lx);
            continue;
        }
        if (*lx->cur == ']') {
            const char *p = lx->cur + 1;
            int n = 0;
            while (p < lx->end && *p == '=' && n < level) {
                p++;
                n++;
            }
            if (n == level && p < lx->end && *p == ']') {
                body->n = (size_t)(lx->cur - body->p);
                lx->cur = p + 1;
                return true;
            }
        }
        lx->cur++;
    }
    return false;
}

/* Skips whitespace and comments. */
static void skip_space(stom__chk_lexer *lx)
{
    while (lx->cur < lx->end) {
        char ch = *lx->cur;
        if (ch == '\n' || ch == '\r') {
            newline(lx);
        } else if (ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f') {
            lx->cur++;
        } else if (ch == '-' && lx->cur + 1 < lx->end && lx->cur[1] == '-') {
            lx->cur += 2;
            stom__chk_str body;
            int level = lx->cur < lx->end && *lx->cur == '[' ? long_open(lx) : -1;
            if (level >= 0) {
                long_skip(lx, level, &body);
                continue;
            }
            while (lx->cur < lx->end && *lx->cur != '\n' && *lx->cur != '\r')
                lx->cur++;
        } else {
            return;
        }
    }
}

/* A quoted string; cur is at the opening quote. */
static int quoted(stom__chk_lexer *lx, stom__chk_token *t)
{
    char q = *lx->cur++;
    t->text.p = lx->cur;
    while (lx->cur < lx->end && *lx->cur != q) {
        if (*lx->cur == '\n' || *lx->cur == '\r')
            return TK_ERROR;
        if (*lx->cur == '\\') {
            t->escaped = true;
            lx->cur++;
            if (lx->cur < lx->end && (*lx->cur == '\n' || *lx->cur == '\r')) {
                newline(lx);
                continue;
            }
            if (lx->cur < lx->end && *lx->cur == 'z') {
                /* \z skips the following white space, newlines included. */
                lx->cur++;
                while (lx->cur < lx->end && strchr(" \t\v\f\r\n", *lx->cur)) {
                    if (*lx->cur == '\n' || *lx->cur == '\r')
                        newline(lx);
                    else
                        lx->cur++;
                }
                continue;
            }
            if (lx->cur >= lx->end)
                return TK_ERROR;
        }
        lx->cur++;
    }
    if (lx->cur >= lx->end)
        return TK_ERROR;
    t->text.n = (size_t)(lx->cur - t->text.p);
    lx->cur++;
    return TK_STRING;
}

/* A number: digits, letters (hex, exponents, LL/ULL/i suffixes), dots, exponent signs. */
static int number(stom__chk_lexer *lx, stom__chk_token *t)
{
    t->text.p = lx->cur;
    char prev = 0;
    while (lx->cur < lx->end) {
        unsigned char ch = (unsigned char)*lx->cur;
        bool sign =
            (ch == '+' || ch == '-') && (prev == 'e' || prev == 'E' || prev == 'p' || prev == 'P');
        if (!is_ident(ch) && ch != '.' && !sign)
            break;
        prev = (char)ch;
        lx->cur++;
    }
    t->text.n = (size_t)(lx->cur - t->text.p);
    return TK_NUMBER;
}

static int name(stom__chk_lexer *lx, stom__chk_token *t)
{
    t->text.p = lx->cur;
    while (lx->cur < lx->end && is_ident((unsigned char)*lx->cur))
        lx->cur++;
    t->text.n = (size_t)(lx->cur - t->text.p);
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
        if (strlen(keywords[k]) == t->text.n && !memcmp(keywords[k], t->text.p, t->text.n))
            return TK_AND + (int)k;
    }
    return TK_NAME;
}

/* Operators of two or three characters, else the character itself. */
static int punct(stom__chk_lexer *lx)
{
    static const struct {
        const char *text;
        int type;
    } ops[] = {{"...", TK_DOTS}, {"..", TK_CONCAT}, {"==", TK_EQ},     {"~=", TK_NE},
               {"<=", TK_LE},    {">=", TK_GE},     {"::", TK_DBCOLON}};
    size_t left = (size_t)(lx->end - lx->cur);
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].text);
        if (n <= left && !memcmp(lx->cur, ops[k].text, n)) {
            lx->cur += n;
            return ops[k].type;
        }
    }
    return (unsigned char)*lx->cur++;
}

void stom__chk_lex_next(stom__chk_lexer *lx, stom__chk_token *t)
{
    skip_space(lx);
    memset(t, 0, sizeof *t);
    t->line = lx->line;
    if (lx->cur >= lx->end) {
        t->type = TK_EOF;
        return;
    }
    unsigned char ch = (unsigned char)*lx->cur;
    int level;
    if (is_ident_start(ch)) {
        t->type = name(lx, t);
    } else if (is_digit(ch) ||
               (ch == '.' && lx->cur + 1 < lx->end && is_digit((unsigned char)lx->cur[1]))) {
        t->type = number(lx, t);
    } else if (ch == '"' || ch == '\'') {
        t->type = quoted(lx, t);
    } else if (ch == '[' && (level = long_open(lx)) >= 0) {
        /* A newline right after the opener is not part of the string. */
        if (lx->cur < lx->end && (*lx->cur == '\n' || *lx->cur == '\r'))
            newline(lx);
        t->type = long_skip(lx, level, &t->text) ? TK_STRING : TK_ERROR;
    } else {
        t->type = punct(lx);
    }
}

/* Decodes the escapes a parameter name or type string would use; others pass through. */
void stom__chk_string_value(const stom__chk_token *t, char *buf, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < t->text.n && o + 1 < len; i++) {
        char ch = t->text.p[i];
        if (t->escaped && ch == '\\' && i + 1 < t->text.n) {
            ch = t->text.p[++i];
            ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch;
        }
        buf[o++] = ch;
    }
    if (len)
        buf[o] = '\0';
}
