/*
 * text_table.c - column-aligned text tables and the number, time and period
 * formats of the optimize and jobs reports.
 *
 * Alignment counts display columns, not bytes: Hangul and other wide East
 * Asian characters take two columns in a terminal, and symbols such as −∞
 * one, so the width of a cell is computed from its code points.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "stom/alloc.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

struct text_table {
    size_t n_cols, n_rows;
    char **cells; /* (n_rows + 1) * n_cols, row 0 the headers; owned */
    char *align;  /* owned */
    bool *hidden; /* owned, per column */
};

/* Decodes one UTF-8 code point at s (advancing *n bytes); invalid bytes count as one. */
static unsigned decode(const unsigned char *s, size_t *n)
{
    int extra = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
    unsigned cp = extra ? s[0] & (0x3F >> extra) : s[0];
    for (int k = 1; k <= extra; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *n = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    *n = (size_t)extra + 1;
    return cp;
}

static bool wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t text_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = 1;
        unsigned cp = decode(p, &n);
        w += wide(cp) ? 2 : 1;
        p += n;
    }
    return w;
}

text_table *text_table_new(size_t n_cols, const char *const *headers, const char *align)
{
    text_table *t = stom_xcalloc(1, sizeof *t);
    t->n_cols = n_cols;
    t->align = stom_xstrdup(align);
    t->hidden = stom_xcalloc(n_cols, sizeof *t->hidden);
    t->cells = stom_xcalloc(n_cols, sizeof *t->cells);
    for (size_t c = 0; c < n_cols; c++)
        t->cells[c] = stom_xstrdup(headers[c] ? headers[c] : "");
    return t;
}

void text_table_add(text_table *t, const char *const *cells)
{
    size_t at = (t->n_rows + 1) * t->n_cols;
    t->cells = stom_xrealloc(t->cells, (at + t->n_cols) * sizeof *t->cells);
    for (size_t c = 0; c < t->n_cols; c++)
        t->cells[at + c] = stom_xstrdup(cells[c] ? cells[c] : "");
    t->n_rows++;
}

void text_table_hide(text_table *t, size_t col, bool hide)
{
    if (col < t->n_cols)
        t->hidden[col] = hide;
}

static void print_cell(FILE *out, const char *s, size_t width, char align, bool last)
{
    size_t pad = width - text_width(s);
    if (align == 'r')
        fprintf(out, "%*s%s", (int)pad, "", s);
    else if (last)
        fputs(s, out);
    else
        fprintf(out, "%s%*s", s, (int)pad, "");
}

/* The last column shown: it is not padded, and the rule under the headers ends with its header. */
static size_t last_shown(const text_table *t)
{
    size_t last = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        if (!t->hidden[c])
            last = c;
    return last;
}

static void print_rule(const text_table *t, const size_t *width, FILE *out, const char *indent)
{
    size_t total = 0, last = last_shown(t);
    bool first = true;
    for (size_t c = 0; c <= last; c++) {
        if (t->hidden[c])
            continue;
        bool ragged = c == last && t->align[c] != 'r'; /* an unpadded last column */
        total += (first ? 0 : 2) + (ragged ? text_width(t->cells[c]) : width[c]);
        first = false;
    }
    fputs(indent, out);
    for (size_t k = 0; k < total; k++)
        fputc('-', out);
    fputc('\n', out);
}

static void print_row(const text_table *t, size_t r, const size_t *width, FILE *out,
                      const char *indent)
{
    size_t last = last_shown(t);
    bool first = true;
    fputs(indent, out);
    for (size_t c = 0; c <= last; c++) {
        if (t->hidden[c])
            continue;
        fputs(first ? "" : "  ", out);
        print_cell(out, t->cells[r * t->n_cols + c], width[c], t->align[c], c == last);
        first = false;
    }
    fputc('\n', out);
}

void text_table_print(const text_table *t, FILE *out, const char *indent)
{
    size_t *width = stom_xcalloc(t->n_cols, sizeof *width);
    for (size_t r = 0; r <= t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols; c++) {
            size_t w = text_width(t->cells[r * t->n_cols + c]);
            width[c] = w > width[c] ? w : width[c];
        }
    for (size_t r = 0; r <= t->n_rows; r++) {
        print_row(t, r, width, out, indent);
        if (r == 0)
            print_rule(t, width, out, indent);
    }
    free(width);
}

void text_table_free(text_table *t)
{
    if (t == NULL)
        return;
    for (size_t k = 0; k < (t->n_rows + 1) * t->n_cols; k++)
        free(t->cells[k]);
    free(t->cells);
    free(t->align);
    free(t->hidden);
    free(t);
}

char *format_number(double v, int decimals, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", isnan(v) ? "n/a" : v > 0 ? "∞" : "−∞");
        return buf;
    }
    double scaled = v * (double)stom_pow10(decimals);
    if (fabs(scaled) >= 9e18) {
        snprintf(buf, len, "%.*g", 6, v);
        return buf;
    }
    stom_fixed_format((int64_t)llround(scaled), decimals, true, buf, len);
    return buf;
}

char *format_kst(int64_t ns, bool date_only, char *buf, size_t len)
{
    char full[32];
    int64_t s = ns / 1000000000;
    stom_format_time(s, STOM_KST_OFFSET_MINUTES, date_only, full, sizeof full);
    /* Minutes are enough for a job's times; seconds only widen the table. */
    snprintf(buf, len, "%.*s", date_only ? 10 : 16, full);
    return buf;
}

char *format_duration(int64_t ms, char *buf, size_t len)
{
    if (ms < 10000) {
        /* Short jobs are common: "0:00" would say nothing. */
        snprintf(buf, len, "%.1f s", ms > 0 ? (double)ms / 1000 : 0.0);
        return buf;
    }
    int64_t s = (ms + 500) / 1000;
    if (s >= 3600)
        snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(buf, len, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
    return buf;
}

char *format_period(const Stom__V1__Period *p, char *buf, size_t len)
{
    if (p == NULL || !p->has_from_ns || !p->has_to_ns || p->to_ns <= p->from_ns) {
        snprintf(buf, len, "-");
        return buf;
    }
    char from[16], to[16];
    /* to_ns is exclusive: the last day is the one holding the instant before it. */
    snprintf(buf, len, "%s~%s", format_kst(p->from_ns, true, from, sizeof from),
             format_kst(p->to_ns - 1, true, to, sizeof to));
    return buf;
}
