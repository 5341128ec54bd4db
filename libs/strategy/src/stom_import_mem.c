/*
 * stom_import_mem.c - the importer's arena, text buffer and error helper.
 *
 * The arena hands out zeroed blocks from 64 KiB chunks (a larger request
 * gets a chunk of its own) and frees them all at once; the input is bounded
 * (STOM_IMPORT_MAX_BYTES), so a run's AST is too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom_import_internal.h"

#define CHUNK_BYTES (64 * 1024)

struct stom__imp_chunk {
    stom__imp_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes follow */
};

void *stom__imp_alloc(stom__imp_arena *a, size_t n)
{
    size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    stom__imp_chunk *ch = a->head;
    if (!ch || ch->cap - ch->used < need) {
        size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        ch = stom_xmalloc(sizeof *ch + cap);
        ch->used = 0;
        ch->cap = cap;
        ch->next = a->head;
        a->head = ch;
    }
    void *p = (char *)ch->data + ch->used;
    ch->used += need;
    memset(p, 0, n);
    return p;
}

void stom__imp_arena_free(stom__imp_arena *a)
{
    while (a->head) {
        stom__imp_chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

static void buf_reserve(stom__imp_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->p = stom_xrealloc(b->p, cap);
    b->cap = cap;
}

void stom__imp_buf_putn(stom__imp_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void stom__imp_buf_puts(stom__imp_buf *b, const char *s)
{
    stom__imp_buf_putn(b, s, strlen(s));
}

void stom__imp_buf_printf(stom__imp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool stom__imp_str_eq(stom__imp_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

int stom__imp_fail(stom__imp_ctx *c, int line, int rc, const char *fmt, ...)
{
    if (c->rc)
        return c->rc;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    c->rc = rc;
    if (line > 0)
        stom_errorf(c->eb, rc, "%s:%d: %s", c->name, line, what);
    else
        stom_errorf(c->eb, rc, "%s: %s", c->name, what);
    return rc;
}
