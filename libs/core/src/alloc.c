/*
 * alloc.c - allocation wrappers that abort on out-of-memory.
 */
#include "stom/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t n)
{
    fprintf(stderr, "stom: out of memory allocating %zu bytes\n", n);
    abort();
}

void *stom_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die_oom(n);
    return p;
}

void *stom_xcalloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        die_oom(SIZE_MAX);
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        die_oom(count * size);
    return p;
}

void *stom_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        die_oom(n);
    return q;
}

char *stom_xstrndup(const char *s, size_t n)
{
    char *d = stom_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *stom_xstrdup(const char *s)
{
    return stom_xstrndup(s, strlen(s));
}
