/*
 * text_diff.h - a line-based unified diff of two texts (what `diff -u`
 * prints), for comparing strategy versions.
 *
 * The edit script is Myers' O((N+M)D) algorithm on the lines between the
 * common prefix and suffix. Its trace needs O(D^2) memory, so when the
 * texts differ in more than GW_DIFF_MAX_EDITS lines the rest is shown as
 * one replacement (still a correct diff, just not a minimal one). Texts of
 * more than GW_DIFF_MAX_LINES lines are refused before any work.
 *
 * Thread-safety: pure function, safe from any thread.
 */
#ifndef STOM_GW_TEXT_DIFF_H
#define STOM_GW_TEXT_DIFF_H

#include <stddef.h>

#include "stom/error.h"

#define GW_DIFF_MAX_LINES 20000
#define GW_DIFF_MAX_EDITS 1000
#define GW_DIFF_CONTEXT   3

/*
 * Writes the unified diff of a[0..a_len) to b[0..b_len) with headers
 * "--- a_name" and "+++ b_name" and hunks of GW_DIFF_CONTEXT context lines
 * into *out (owned, free(); NUL-terminated; "" when the texts are equal).
 * Returns 0, or STOM_ETOOBIG when either text has more than
 * GW_DIFF_MAX_LINES lines (eb says which). Borrows the texts and names.
 */
int gw_text_diff(const char *a, size_t a_len, const char *b, size_t b_len, const char *a_name,
                 const char *b_name, char **out, stom_errbuf *eb);

#endif
