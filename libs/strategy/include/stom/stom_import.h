/*
 * stom/stom_import.h - translates a STOM strategy (the Python subset STOM
 * users write: assignments, if/elif/else, and/or/not, comparisons,
 * arithmetic, vocabulary calls, self.Buy()/self.Sell(), self.vars[n]) into
 * an equivalent stom Lua strategy (docs/stom-import.md).
 *
 * Input: one text with an optional preamble of `self.vars[n] = [[start, end,
 * step], best]` lines, then the buy code after a `# 매수전략` line and the
 * sell code after a `# 매도전략` line (a text without markers is all buy
 * code). Output: Lua with a header comment, a `params` table (var<n> per
 * self.vars[n]) and `on_bar`, which runs the buy code while flat and the
 * sell code while holding, as STOM does.
 *
 * Anything outside the subset is refused whole with the first problem as
 * "<name>:<line>: cannot translate <construct>" (or "unknown name X",
 * "이동평균 takes 1 to 2 arguments, got 3", ...). The translator never runs
 * the code.
 *
 * Thread-safety: no global state; concurrent calls are safe.
 */
#ifndef STOM_STOM_IMPORT_H
#define STOM_STOM_IMPORT_H

#include <stddef.h>

#include "stom/error.h"

/* Larger input is refused before it is read (STOM_ETOOBIG). */
#define STOM_IMPORT_MAX_BYTES (1024 * 1024)
/* Deeper nesting of blocks or expressions is refused (STOM_ETOOBIG). */
#define STOM_IMPORT_MAX_DEPTH 64

/*
 * Translates src[0..len) (need not be NUL-terminated) into Lua. name is the
 * file name used in messages; its last path component names the source in
 * the output's header comment. On success sets *out_lua to owned
 * NUL-terminated text (release with free()) and *out_len (may be NULL) to
 * its length, and returns 0. Otherwise leaves them untouched, writes
 * "<name>:<line>: <what>" into eb and returns STOM_EFORMAT (syntax error),
 * STOM_ETYPE (valid Python outside the subset, unknown name, wrong argument
 * count), STOM_EINVAL (a bad self.vars range) or STOM_ETOOBIG (size, depth
 * or count limits). Borrows name and src.
 */
int stom_import_stom(const char *name, const char *src, size_t len, char **out_lua, size_t *out_len,
                     stom_errbuf *eb);

/*
 * Reads the file at path (at most STOM_IMPORT_MAX_BYTES) and translates it
 * as stom_import_stom with path as the name. STOM_EIO when it cannot be
 * read. Borrows path; *out_lua as above.
 */
int stom_import_stom_file(const char *path, char **out_lua, size_t *out_len, stom_errbuf *eb);

#endif
