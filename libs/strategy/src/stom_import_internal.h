/*
 * stom_import_internal.h - what the files of the STOM importer share.
 *
 * The pipeline per section (preamble, buy code, sell code) is:
 *   stom_import_lex.c    text -> tokens (NEWLINE/INDENT/DEDENT as Python,
 *                        full-line comments as COMMENT tokens)
 *   stom_import_expr.c,  tokens -> a small AST (recursive descent; the
 *   stom_import_stmt.c   Python grammar restricted to the subset)
 *   stom_import_check.c  names resolved against locals and the vocabulary,
 *                        argument counts, value types for the truthiness rule
 *   stom_import_emit.c   AST -> Lua text
 * stom_import.c splits the sections, gathers self.vars ranges and ties the
 * stages together; stom_import_mem.c holds the arena, the text buffer and
 * the error helper.
 *
 * Every AST node and token lives in the run's arena and is released at
 * once. Strings are pointer + length into the source text, which outlives
 * the run. The first error wins: later stages do not run after one.
 *
 * Thread-safety: a stom__imp_ctx belongs to one thread.
 */
#ifndef STOM_IMPORT_INTERNAL_H
#define STOM_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "stom/error.h"
#include "stom/strategy.h"
#include "stom/vocabulary.h"

/* --- memory: arena and text buffer (stom_import_mem.c) --- */

typedef struct stom__imp_chunk stom__imp_chunk;

/* Many small allocations released together; zero-initialised memory. */
typedef struct stom__imp_arena {
    stom__imp_chunk *head;
} stom__imp_arena;

/* Returns zeroed memory of n bytes owned by the arena. */
void *stom__imp_alloc(stom__imp_arena *a, size_t n);
/* Releases everything the arena handed out. */
void stom__imp_arena_free(stom__imp_arena *a);

/* A growable NUL-terminated text. */
typedef struct stom__imp_buf {
    char *p;
    size_t len, cap;
} stom__imp_buf;

void stom__imp_buf_putn(stom__imp_buf *b, const char *s, size_t n);
void stom__imp_buf_puts(stom__imp_buf *b, const char *s);
void stom__imp_buf_printf(stom__imp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- strings --- */

/* A slice of the source text. */
typedef struct stom__imp_str {
    const char *p;
    size_t n;
} stom__imp_str;

bool stom__imp_str_eq(stom__imp_str s, const char *lit);

/* --- tokens (stom_import_lex.c) --- */

typedef enum stom__imp_tok_kind {
    STOM__TK_EOF = 0,
    STOM__TK_NEWLINE, /* end of a logical line; comment = its trailing # comment */
    STOM__TK_INDENT,
    STOM__TK_DEDENT,
    STOM__TK_NAME,   /* identifiers and keywords (UTF-8 allowed) */
    STOM__TK_NUMBER, /* decimal literal; num holds its value */
    STOM__TK_OP,     /* operators and delimiters */
    STOM__TK_COMMENT /* a line holding only a comment; text after '#' */
} stom__imp_tok_kind;

typedef struct stom__imp_tok {
    stom__imp_tok_kind kind;
    int line;
    stom__imp_str text;
    double num;
    bool is_float;         /* NUMBER written with '.' or an exponent */
    bool blank_before;     /* NAME/NUMBER/OP/COMMENT first on a line after a blank line */
    stom__imp_str comment; /* NEWLINE: trailing comment text, or empty */
} stom__imp_tok;

/* --- the run --- */

/* One self.vars[n] = [[start, end, step], best] declaration. */
typedef struct stom__imp_var {
    bool declared, used;
    int line;
    bool is_float;
    double start, end, step, best;
    stom__imp_str comment; /* the line's trailing comment */
} stom__imp_var;

#define STOM__IMP_MAX_VAR 999 /* highest n accepted in self.vars[n] */

typedef struct stom__imp_ctx {
    const char *name; /* file name for messages */
    stom_errbuf *eb;
    int rc; /* the first error, 0 while none */
    stom__imp_arena arena;
    stom__imp_var *vars; /* STOM__IMP_MAX_VAR + 1 entries */
    bool uses_truthy;    /* the emitter needs the truthy() helper */
} stom__imp_ctx;

/* Records "<name>:<line>: <message>" and rc when no error is recorded yet; returns ctx->rc. */
int stom__imp_fail(stom__imp_ctx *c, int line, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Tokenizes src[0..len), whose first line is numbered first_line. Returns the
 * token array (arena) ending in EOF and its length in *n, or NULL after
 * recording an error.
 */
stom__imp_tok *stom__imp_lex(stom__imp_ctx *c, const char *src, size_t len, int first_line,
                             size_t *n);

/* --- AST --- */

typedef enum stom__imp_type {
    STOM__TY_NONE = 0, /* not known yet (type inference in progress) */
    STOM__TY_BOOL,
    STOM__TY_NUM,
    STOM__TY_NIL,
    STOM__TY_ANY /* mixed: conditions go through truthy() */
} stom__imp_type;

typedef enum stom__imp_expr_kind {
    STOM__E_NUM,
    STOM__E_BOOL,
    STOM__E_NONE,
    STOM__E_NAME,
    STOM__E_VAR,   /* self.vars[n] */
    STOM__E_CALL,  /* name(args) */
    STOM__E_NEG,   /* -a */
    STOM__E_NOT,   /* not a */
    STOM__E_ARITH, /* a op b: + - * / // % ** */
    STOM__E_CMP,   /* a op b [op c ...] (a chain) */
    STOM__E_AND,
    STOM__E_OR
} stom__imp_expr_kind;

/* What a name or a call refers to, set by the checker. */
typedef enum stom__imp_ref {
    STOM__REF_NONE = 0,
    STOM__REF_LOCAL,
    STOM__REF_VOCAB,
    STOM__REF_BUILTIN /* abs, min, max -> math.* */
} stom__imp_ref;

typedef struct stom__imp_expr stom__imp_expr;
struct stom__imp_expr {
    stom__imp_expr_kind kind;
    int line;
    stom__imp_str text; /* NUM: literal; NAME/CALL: the name; ARITH/CMP: unused */
    double num;         /* NUM value; BOOL 0/1; VAR index */
    stom__imp_expr *a, *b;
    stom__imp_expr **args; /* CALL arguments; CMP operands */
    const char **ops;      /* CMP operators ("<", "!=", ...), nargs - 1 of them */
    size_t nargs;
    const char *op; /* ARITH operator */
    stom__imp_ref ref;
    int local; /* REF_LOCAL: index in the section's locals */
    stom__imp_type type;
};

typedef enum stom__imp_stmt_kind {
    STOM__S_ASSIGN,
    STOM__S_IF,
    STOM__S_PASS,
    STOM__S_BUY,
    STOM__S_SELL,
    STOM__S_COMMENT,
    STOM__S_VARS /* self.vars[n] = [[start, end, step], best] */
} stom__imp_stmt_kind;

typedef struct stom__imp_stmt stom__imp_stmt;
struct stom__imp_stmt {
    stom__imp_stmt_kind kind;
    int line;
    stom__imp_stmt *next;
    stom__imp_str comment; /* trailing comment, or the text of a COMMENT */
    bool blank_before;     /* a blank line preceded it in the source */
    /* ASSIGN */
    stom__imp_str target;
    stom__imp_expr *value;
    int local;         /* index in the section's locals */
    bool declare_here; /* emit `local` at this assignment */
    /* IF: test, body and, when has_else, orelse: one IF with is_elif, or the else block */
    stom__imp_expr *test;
    stom__imp_stmt *body, *orelse;
    bool is_elif, has_else;
    stom__imp_str else_comment; /* the else line's trailing comment */
    /* VARS */
    int var_index;
    stom__imp_var var;
};

/* Parses a section's tokens into a statement list (arena); NULL + error, or NULL when empty. */
stom__imp_stmt *stom__imp_parse(stom__imp_ctx *c, const stom__imp_tok *toks, size_t n);

/* The parser's state, shared by the statement and expression halves. */
typedef struct stom__imp_parser {
    stom__imp_ctx *c;
    const stom__imp_tok *t;
    size_t n, i;
    int depth; /* blocks + expression nesting */
} stom__imp_parser;

const stom__imp_tok *stom__imp_peek(stom__imp_parser *p);
bool stom__imp_is_op(const stom__imp_tok *t, const char *op);
bool stom__imp_is_kw(const stom__imp_tok *t, const char *kw);
/* Whether s is a Python keyword. */
bool stom__imp_is_keyword(stom__imp_str s);
/* Consumes op or records "expected <what>"; false on error. */
bool stom__imp_expect_op(stom__imp_parser *p, const char *op, const char *what);
/* Enters one nesting level; false (error recorded) beyond STOM_IMPORT_MAX_DEPTH. */
bool stom__imp_enter(stom__imp_parser *p, int line);
/* Records what a token is when it cannot start or continue the construct. */
void stom__imp_fail_at(stom__imp_parser *p, const stom__imp_tok *t, const char *where);
/* Parses an expression (Python's `test`); NULL after an error. */
stom__imp_expr *stom__imp_parse_expr(stom__imp_parser *p);

/* --- checking and emitting --- */

/* A local of one section (a buy or sell function). */
typedef struct stom__imp_local {
    stom__imp_str name;
    stom__imp_type type;
    bool predeclare; /* first assigned inside a block: `local x` at the top */
} stom__imp_local;

#define STOM__IMP_MAX_LOCALS 180 /* Lua allows 200 locals per function */

typedef struct stom__imp_section {
    const char *label; /* "매수전략" / "매도전략" */
    stom__imp_stmt *body;
    stom__imp_local locals[STOM__IMP_MAX_LOCALS];
    size_t n_locals;
} stom__imp_section;

/* Resolves names, checks calls and the subset's type rules; 0 or the error. */
int stom__imp_check(stom__imp_ctx *c, stom__imp_section *s);
/* The type of a value that may be a or b (NONE joins as the identity, unlike types as ANY). */
stom__imp_type stom__imp_type_join(stom__imp_type a, stom__imp_type b);

/* Appends the Lua function `local function <label>()` for s. */
void stom__imp_emit_section(stom__imp_ctx *c, const stom__imp_section *s, stom__imp_buf *out);
/* Appends a number the way Lua reads it back exactly. */
void stom__imp_emit_number(stom__imp_buf *out, double v);

#endif
