/*
 * stom/strategy_check.h - the strategy "code test": STOM checks a strategy
 * when it is saved (syntax and unknown variables); this is stom's version
 * for Lua strategies (docs/strategy-language.md).
 *
 * The check never runs the strategy. It compiles the text with LuaJIT in a
 * fresh, empty state to find syntax errors, then reads it with its own
 * lexer and parser and reports, each at its line:
 *   - names that are read or called but are neither vocabulary names
 *     (English or Korean, stom/vocabulary.h), nor locals, nor globals the
 *     file itself assigns, nor the standard library a strategy may use;
 *   - names the sandbox withholds (os, io, require, load, debug, ...);
 *   - vocabulary functions called with a wrong number of arguments and
 *     values (fields) called like functions;
 *   - problems of the `params = { ... }` schema (type, default within
 *     [min, max], min <= max, step > 0, int values integral, literals only);
 *   - a missing global on_bar function.
 * Warnings point at things that run but are probably mistakes.
 *
 * Thread-safety: stom_strategy_check keeps no global state; calls on
 * different reports may run on different threads at once.
 */
#ifndef STOM_STRATEGY_CHECK_H
#define STOM_STRATEGY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "stom/strategy.h"

/* Strategy files are bounded: larger input is refused before it is read. */
#define STOM_CHECK_MAX_BYTES (1024 * 1024)
/* At most this many issues are kept; the counts still include the rest. */
#define STOM_CHECK_MAX_ISSUES 100

typedef enum stom_check_severity {
    STOM_CHECK_ERROR = 0, /* the strategy would not load or would fail at run time */
    STOM_CHECK_WARNING    /* it runs, but probably not as meant */
} stom_check_severity;

/* One finding. */
typedef struct stom_check_issue {
    int line; /* 1-based; 0 when it concerns the whole file */
    stom_check_severity severity;
    char *message; /* owned by the report; no file name or line in it */
} stom_check_issue;

/* Everything one check found, in line order. */
typedef struct stom_check_report {
    stom_check_issue *issues; /* n_issues of them, at most STOM_CHECK_MAX_ISSUES */
    size_t n_issues;
    size_t errors, warnings;                 /* totals, also counting issues beyond the cap */
    bool needs_snapshot;                     /* uses a name that needs STOM 1-second snapshots */
    stom_param_spec params[STOM_MAX_PARAMS]; /* the schema as declared (names owned) */
    size_t n_params;                         /* 0 when there is no params table or it has errors */
} stom_check_report;

/*
 * Checks the strategy text code[0..len) (need not be NUL-terminated; NULL
 * is allowed when len is 0). name is used for Lua's chunk name only; the
 * messages do not contain it. Initialises *out whatever it held before.
 * Returns STOM_OK when the check ran (its findings are in *out, possibly
 * none), STOM_ETOOBIG when len > STOM_CHECK_MAX_BYTES (out then holds one
 * error saying so) or STOM_ENOMEM when no Lua state could be created.
 * Borrows name and code; *out returns owned memory: release it with
 * stom_check_report_free.
 */
int stom_strategy_check(const char *name, const char *code, size_t len, stom_check_report *out);

/* Releases what a report owns and empties it; NULL is a no-op. */
void stom_check_report_free(stom_check_report *r);

/* "error" or "warning". */
const char *stom_check_severity_name(stom_check_severity s);

/*
 * Writes "file:line: error: message" (or "file: error: message" for line 0)
 * into buf, truncating to len - 1 bytes. Returns the length it wanted, as
 * snprintf does. Borrows everything.
 */
int stom_check_issue_format(const char *file, const stom_check_issue *is, char *buf, size_t len);

#endif
