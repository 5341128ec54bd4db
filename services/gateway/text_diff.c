/*
 * text_diff.c - unified diff of two texts by lines (see text_diff.h).
 *
 * A line keeps its '\n', so a last line without one differs from the same
 * line with one, and is printed with "\ No newline at end of file" as diff
 * does. Every edit remembers the position (a, b) it starts from, which is
 * all a hunk header needs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "text_diff.h"

typedef struct text_line {
    const char *p;
    size_t len; /* with the '\n' when there is one */
    uint64_t hash;
} text_line;

typedef struct text_lines {
    text_line *v;
    int n;
} text_lines;

typedef enum edit_kind { EDIT_EQUAL, EDIT_DELETE, EDIT_INSERT } edit_kind;

typedef struct edit {
    edit_kind kind;
    int a, b; /* the position in each text before this edit */
} edit;

typedef struct edit_list {
    edit *v;
    size_t n, cap;
} edit_list;

typedef struct out_buf {
    char *p;
    size_t len, cap;
} out_buf;

static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (const char *p = s, *end = s + len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    return n;
}

/* FNV-1a: equal lines have equal hashes, so most unequal ones compare in one step. */
static uint64_t hash_line(const char *p, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static void split_lines(const char *s, size_t len, size_t n, text_lines *out)
{
    out->v = stom_xmalloc((n ? n : 1) * sizeof *out->v);
    out->n = 0;
    for (const char *p = s, *end = s + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        text_line *l = &out->v[out->n++];
        l->p = p;
        l->len = (size_t)(next - p);
        l->hash = hash_line(p, l->len);
        p = next;
    }
}

static bool same_line(const text_lines *a, int i, const text_lines *b, int j)
{
    const text_line *x = &a->v[i], *y = &b->v[j];
    return x->hash == y->hash && x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

static void edit_push(edit_list *l, edit_kind kind, int a, int b)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = stom_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (edit){kind, a, b};
}

/* The coarse fallback: delete a's lines of the range, then insert b's. */
static void replace_range(edit_list *out, int a0, int n, int b0, int m)
{
    for (int i = 0; i < n; i++)
        edit_push(out, EDIT_DELETE, a0 + i, b0);
    for (int j = 0; j < m; j++)
        edit_push(out, EDIT_INSERT, a0 + n, b0 + j);
}

/* The Myers trace: the V array before each round d, k in [-d, d], at offset d*d. */
typedef struct myers_trace {
    int *v;
    size_t cap;
} myers_trace;

static void trace_save(myers_trace *t, const int *v, int off, int d)
{
    size_t need = (size_t)(d + 1) * (size_t)(d + 1);
    if (need > t->cap) {
        t->cap = need + need / 2;
        t->v = stom_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    memcpy(t->v + (size_t)d * (size_t)d, v + off - d, (size_t)(2 * d + 1) * sizeof *v);
}

/* The value of V[k] saved before round d. */
static int trace_at(const myers_trace *t, int d, int k)
{
    return t->v[(size_t)d * (size_t)d + (size_t)(k + d)];
}

/*
 * Forward rounds of Myers' algorithm on a[a0..a0+n) and b[b0..b0+m).
 * Returns the edit distance D, or -1 when it exceeds GW_DIFF_MAX_EDITS.
 */
static int myers_forward(const text_lines *a, int a0, int n, const text_lines *b, int b0, int m,
                         myers_trace *t)
{
    int dmax = n + m < GW_DIFF_MAX_EDITS ? n + m : GW_DIFF_MAX_EDITS, off = dmax + 1;
    int *v = stom_xcalloc((size_t)(2 * dmax + 3), sizeof *v);
    int found = -1;
    for (int d = 0; d <= dmax && found < 0; d++) {
        trace_save(t, v, off, d);
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                             : v[off + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && same_line(a, a0 + x, b, b0 + y))
                x++, y++;
            v[off + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    free(v);
    return found;
}

/* Walks the trace back from (n, m), appending the edits to rev in reverse order. */
static void myers_backtrack(const myers_trace *t, int D, int a0, int n, int b0, int m,
                            edit_list *rev)
{
    int x = n, y = m;
    for (int d = D; d > 0; d--) {
        int k = x - y;
        int prev_k =
            (k == -d || (k != d && trace_at(t, d, k - 1) < trace_at(t, d, k + 1))) ? k + 1 : k - 1;
        int prev_x = trace_at(t, d, prev_k), prev_y = prev_x - prev_k;
        for (; x > prev_x && y > prev_y; x--, y--)
            edit_push(rev, EDIT_EQUAL, a0 + x - 1, b0 + y - 1);
        if (x == prev_x)
            edit_push(rev, EDIT_INSERT, a0 + prev_x, b0 + prev_y);
        else
            edit_push(rev, EDIT_DELETE, a0 + prev_x, b0 + prev_y);
        x = prev_x;
        y = prev_y;
    }
    for (; x > 0 && y > 0; x--, y--)
        edit_push(rev, EDIT_EQUAL, a0 + x - 1, b0 + y - 1);
}

/* Appends the edits turning a[a0..a0+n) into b[b0..b0+m) to out. */
static void diff_middle(const text_lines *a, int a0, int n, const text_lines *b, int b0, int m,
                        edit_list *out)
{
    myers_trace t = {NULL, 0};
    int D = myers_forward(a, a0, n, b, b0, m, &t);
    if (D < 0) {
        replace_range(out, a0, n, b0, m);
    } else {
        edit_list rev = {NULL, 0, 0};
        myers_backtrack(&t, D, a0, n, b0, m, &rev);
        for (size_t i = rev.n; i-- > 0;)
            edit_push(out, rev.v[i].kind, rev.v[i].a, rev.v[i].b);
        free(rev.v);
    }
    free(t.v);
}

static void edit_script(const text_lines *a, const text_lines *b, edit_list *out)
{
    int pre = 0, suf = 0;
    while (pre < a->n && pre < b->n && same_line(a, pre, b, pre))
        pre++;
    while (suf < a->n - pre && suf < b->n - pre && same_line(a, a->n - 1 - suf, b, b->n - 1 - suf))
        suf++;
    for (int i = 0; i < pre; i++)
        edit_push(out, EDIT_EQUAL, i, i);
    diff_middle(a, pre, a->n - pre - suf, b, pre, b->n - pre - suf, out);
    for (int i = suf; i > 0; i--)
        edit_push(out, EDIT_EQUAL, a->n - i, b->n - i);
}

static void out_append(out_buf *o, const char *p, size_t len)
{
    if (o->len + len + 1 > o->cap) {
        o->cap = (o->len + len + 1) * 2;
        o->p = stom_xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, p, len);
    o->len += len;
    o->p[o->len] = '\0';
}

static void out_str(out_buf *o, const char *s)
{
    out_append(o, s, strlen(s));
}

static void out_line(out_buf *o, char prefix, const text_line *l)
{
    out_append(o, &prefix, 1);
    out_append(o, l->p, l->len);
    if (l->len == 0 || l->p[l->len - 1] != '\n')
        out_str(o, "\n\\ No newline at end of file\n");
}

/* "start,count" of a hunk side as diff writes it: ",1" is left out; an empty side names the line
 * before. */
static void range_text(int start, int count, char *buf, size_t len)
{
    if (count == 1)
        snprintf(buf, len, "%d", start + 1);
    else
        snprintf(buf, len, "%d,%d", count == 0 ? start : start + 1, count);
}

static void print_hunk(const edit_list *e, size_t from, size_t to, const text_lines *a,
                       const text_lines *b, out_buf *o)
{
    int na = 0, nb = 0;
    for (size_t i = from; i < to; i++) {
        na += e->v[i].kind != EDIT_INSERT;
        nb += e->v[i].kind != EDIT_DELETE;
    }
    char ra[32], rb[32], head[80];
    range_text(e->v[from].a, na, ra, sizeof ra);
    range_text(e->v[from].b, nb, rb, sizeof rb);
    snprintf(head, sizeof head, "@@ -%s +%s @@\n", ra, rb);
    out_str(o, head);
    for (size_t i = from; i < to; i++) {
        const edit *x = &e->v[i];
        if (x->kind == EDIT_EQUAL)
            out_line(o, ' ', &a->v[x->a]);
        else if (x->kind == EDIT_DELETE)
            out_line(o, '-', &a->v[x->a]);
        else
            out_line(o, '+', &b->v[x->b]);
    }
}

/* The end of the hunk starting with the change at c: changes closer than two contexts join it. */
static size_t hunk_end(const edit_list *e, size_t c)
{
    size_t last = c;
    for (size_t i = c + 1; i < e->n && i - last <= 2 * GW_DIFF_CONTEXT + 1; i++) {
        if (e->v[i].kind != EDIT_EQUAL)
            last = i;
    }
    return last + 1 + GW_DIFF_CONTEXT < e->n ? last + 1 + GW_DIFF_CONTEXT : e->n;
}

static void print_hunks(const edit_list *e, const text_lines *a, const text_lines *b, out_buf *o)
{
    size_t i = 0;
    while (i < e->n) {
        if (e->v[i].kind == EDIT_EQUAL) {
            i++;
            continue;
        }
        size_t from = i > GW_DIFF_CONTEXT ? i - GW_DIFF_CONTEXT : 0, to = hunk_end(e, i);
        print_hunk(e, from, to, a, b, o);
        i = to;
    }
}

int gw_text_diff(const char *a, size_t a_len, const char *b, size_t b_len, const char *a_name,
                 const char *b_name, char **out, stom_errbuf *eb)
{
    size_t na = count_lines(a, a_len), nb = count_lines(b, b_len);
    if (na > GW_DIFF_MAX_LINES || nb > GW_DIFF_MAX_LINES)
        return stom_errorf(eb, STOM_ETOOBIG, "%s has %zu lines; texts of at most %d are compared",
                           na > GW_DIFF_MAX_LINES ? a_name : b_name, na > nb ? na : nb,
                           GW_DIFF_MAX_LINES);
    text_lines la, lb;
    split_lines(a, a_len, na, &la);
    split_lines(b, b_len, nb, &lb);
    edit_list e = {NULL, 0, 0};
    edit_script(&la, &lb, &e);
    out_buf o = {NULL, 0, 0};
    out_str(&o, "");
    bool changed = false;
    for (size_t i = 0; i < e.n && !changed; i++)
        changed = e.v[i].kind != EDIT_EQUAL;
    if (changed) {
        out_str(&o, "--- ");
        out_str(&o, a_name);
        out_str(&o, "\n+++ ");
        out_str(&o, b_name);
        out_str(&o, "\n");
        print_hunks(&e, &la, &lb, &o);
    }
    free(e.v);
    free(la.v);
    free(lb.v);
    *out = o.p;
    return STOM_OK;
}
