/*
 * stom/alloc.h - allocation that aborts on out-of-memory.
 *
 * stom treats OOM as fatal (STYLE.md): callers never check for NULL. Every
 * size that comes from outside must be bounded before it reaches these.
 *
 * Thread-safety: safe from any thread.
 */
#ifndef STOM_ALLOC_H
#define STOM_ALLOC_H

#include <stddef.h>

/* Returns owned memory of n bytes (n may be 0); aborts on OOM. */
void *stom_xmalloc(size_t n);
/* Returns owned zeroed memory for count*size bytes; aborts on OOM or overflow. */
void *stom_xcalloc(size_t count, size_t size);
/* Takes p, returns owned memory of n bytes holding p's old contents. */
void *stom_xrealloc(void *p, size_t n);
/* Returns an owned copy of the NUL-terminated s. */
char *stom_xstrdup(const char *s);
/* Returns an owned NUL-terminated copy of the n bytes at s. */
char *stom_xstrndup(const char *s, size_t n);

#endif
