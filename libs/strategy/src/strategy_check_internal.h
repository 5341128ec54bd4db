/*
 * strategy_check_internal.h - what the files of the strategy check share:
 * the Lua lexer (strategy_check_lex.c), the parser that tracks scopes and
 * records global reads and writes (strategy_check_parse.c), the params
 * schema reader (strategy_check_params.c) and the name rules
 * (strategy_check_names.c). strategy_check.c ties them together.
 *
 * The parser only runs on text LuaJIT has already compiled, so it may
 * assume valid syntax; it must still never read out of bounds or recurse
 * without limit on anything.
 *
 * Thread-safety: a stom__chk_ctx belongs to one thread.
 */
#ifndef STOM_STRATEGY_CHECK_INTERNAL_H
#define STOM_STRATEGY_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "stom/alloc.h"
#include "stom/strategy_check.h"

/* Tokens: single characters stand for themselves, the rest follow. */
enum {
    TK_EOF = 256,
    TK_ERROR, /* bytes the lexer does not understand (not after a clean compile) */
    TK_NAME,
    TK_NUMBER,
    TK_STRING,
    TK_CONCAT, /* .. */
    TK_DOTS,   /* ... */
    TK_EQ,
    TK_NE,
    TK_LE,
    TK_GE,
    TK_DBCOLON, /* :: */
    /* Keywords, in the order of stom__chk_keywords. */
    TK_AND,
    TK_BREAK,
    TK_DO,
    TK_ELSE,
    TK_ELSEIF,
    TK_END,
    TK_FALSE,
    TK_FOR,
    TK_FUNCTION,
    TK_GOTO,
    TK_IF,
    TK_IN,
    TK_LOCAL,
    TK_NIL,
    TK_NOT,
    TK_OR,
    TK_REPEAT,
    TK_RETURN,
    TK_THEN,
    TK_TRUE,
    TK_UNTIL,
    TK_WHILE
};

/* Borrowed bytes of the source. */
typedef struct stom__chk_str {
    const char *p;
    size_t n;
} stom__chk_str;

typedef struct stom__chk_token {
    int type;
    int line;           /* where the token starts */
    stom__chk_str text; /* a name or number; a string's bytes between its quotes */
    bool escaped;       /* a quoted string that contains backslashes */
} stom__chk_token;

typedef struct stom__chk_lexer {
    const char *cur, *end;
    int line;
} stom__chk_lexer;

void stom__chk_lex_init(stom__chk_lexer *lx, const char *src, size_t len);
/* Reads the next token into *t (TK_EOF at the end, repeatedly). */
void stom__chk_lex_next(stom__chk_lexer *lx, stom__chk_token *t);
/* Copies a string token's value, escapes decoded, into buf (NUL-terminated, truncated). */
void stom__chk_string_value(const stom__chk_token *t, char *buf, size_t len);

/* A global read: the first name of a chain such as a.b:c(x). */
typedef struct stom__chk_read {
    stom__chk_str name;
    stom__chk_str field; /* the first .name / :name / ["name"] after it, or empty */
    int line;
    int fn_depth;    /* 0 at the top level of the file */
    bool in_init;    /* directly in the body of the global function init */
    int nargs;       /* arguments when name itself is called; -1 when it is not */
    bool nargs_open; /* the last argument was a call or ..., so nargs is a minimum */
} stom__chk_read;

/* A global write: x = ..., function x() ... end. */
typedef struct stom__chk_write {
    stom__chk_str name;
    int line;
    bool top; /* at the top level of the file, not inside a block or function */
} stom__chk_write;

/* One entry of the params table as read from the text. */
typedef struct stom__chk_param {
    stom__chk_str name;
    stom__chk_token help; /* the help string; type 0 when there is none */
    int line;
    stom_param_spec spec; /* name and help not set: they are owned by the report later */
    bool ok;              /* every key present and valid */
} stom__chk_param;

#define STOM_CHK_GROW(arr, n, cap)                                                                 \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 16;                                                          \
            (arr) = stom_xrealloc((arr), (cap) * sizeof *(arr));                                   \
        }                                                                                          \
    } while (0)

typedef struct stom__chk_ctx {
    stom_check_report *report;
    stom__chk_lexer lx;
    stom__chk_token tok, ahead;
    bool has_ahead;
    bool broken; /* input the parser cannot follow: it reads on as if at the end */
    /* Locals in scope, innermost last; blocks remember the height to return to. */
    stom__chk_str *locals;
    size_t n_locals, cap_locals;
    int fn_depth, block_depth, nesting;
    int init_depth; /* fn_depth inside the body of `function init`, else 0 */
    bool too_deep;
    stom__chk_read *reads;
    size_t n_reads, cap_reads;
    stom__chk_write *writes;
    size_t n_writes, cap_writes;
    stom__chk_str *fields; /* every .name used, for "parameter never used" */
    size_t n_fields, cap_fields;
    int local_on_bar_line; /* a top-level `local function on_bar`, else 0 */
    /* The params table: seen at its line; entries when it was a literal. */
    int params_line;     /* 0 when the file has no params */
    bool params_literal; /* written out, so the declared names are known */
    bool params_bad;     /* some entry has a problem: the schema is not returned */
    stom__chk_param params[STOM_MAX_PARAMS];
    size_t n_params, params_declared; /* kept / seen (more than the maximum is an error) */
} stom__chk_ctx;

/* Adds an issue (printf-style message) to c->report. */
void stom__chk_issue(stom__chk_ctx *c, int line, stom_check_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* strategy_check_parse.c: reads the whole chunk, filling reads, writes and fields. */
void stom__chk_parse(stom__chk_ctx *c);
/* Statements until the end of the block (else, elseif, end, until or the end of input). */
void stom__chk_block(stom__chk_ctx *c);

/* strategy_check_expr.c: tokens, scopes, records and expressions. */
enum { STOM_CHK_EXP_PLAIN, STOM_CHK_EXP_MULTI, STOM_CHK_EXP_FUNCTION, STOM_CHK_EXP_TABLE };
void stom__chk_next(stom__chk_ctx *c);
/* The type of the token after c->tok. */
int stom__chk_peek(stom__chk_ctx *c);
/* Moves past c->tok when it has the given type. */
bool stom__chk_accept(stom__chk_ctx *c, int type);
/* Moves past a token of this type; anything else stops the reader (c->broken). */
void stom__chk_expect(stom__chk_ctx *c, int type);
/* Counts one level of nesting; false (and reading stops) beyond the limit. */
bool stom__chk_enter(stom__chk_ctx *c);
void stom__chk_declare(stom__chk_ctx *c, stom__chk_str name);
/* A block with its own scope. */
void stom__chk_scoped_block(stom__chk_ctx *c);
bool stom__chk_is_local(const stom__chk_ctx *c, stom__chk_str name);
/* Record a global read or write at the token's line; return its index. */
size_t stom__chk_add_read(stom__chk_ctx *c, const stom__chk_token *name);
size_t stom__chk_add_write(stom__chk_ctx *c, const stom__chk_token *name);
/* An expression; returns its STOM_CHK_EXP_* kind. */
int stom__chk_expr_kind(stom__chk_ctx *c);
void stom__chk_expr(stom__chk_ctx *c);
/* Continues an expression after its first operand of the given kind. */
int stom__chk_binops(stom__chk_ctx *c, int kind);
/* Expressions separated by commas: their count; *open when the last one is multi-valued. */
int stom__chk_explist(stom__chk_ctx *c, bool *open);
/* A function's (parameters) and body up to its end; method adds self. */
void stom__chk_body(stom__chk_ctx *c, bool method);
/*
 * A name or (expr) followed by suffixes. When bare is not NULL and the
 * chain is a single global name, it is not recorded: *bare gets it and the
 * caller decides whether it is read or written.
 */
int stom__chk_suffixed(stom__chk_ctx *c, stom__chk_token *bare);

/* strategy_check_params.c: reads the constructor at c->tok (a '{') of `params = {...}`. */
void stom__chk_params_table(stom__chk_ctx *c);
/* Reports declared parameters that nothing reads; fills the report's schema. */
void stom__chk_params_finish(stom__chk_ctx *c);

/* strategy_check_names.c: judges every recorded read and write. L is a state
 * holding the math, string and table libraries, to check their fields. */
struct lua_State;
void stom__chk_names(stom__chk_ctx *c, struct lua_State *L);

bool stom__chk_str_eq(stom__chk_str s, const char *z);

#endif
