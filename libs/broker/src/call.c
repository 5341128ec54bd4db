/*
 * call.c - what a handler gets besides its request: memory that lives until
 * the reply is encoded, and the way to answer with an error.
 *
 * The call's memory is a list of blocks, each a separate allocation, freed
 * together when the serve loop has sent the reply (a request-scoped pool in
 * the h2o manner: handlers build replies of many small parts without freeing
 * any of them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_internal.h"
#include "stom/alloc.h"

typedef struct call_block {
    struct call_block *next;
    max_align_t data[];
} call_block;

void *stom_broker_call_alloc(stom_broker_call *c, size_t n)
{
    call_block *b = stom_xcalloc(1, sizeof *b + (n > 0 ? n : 1));
    b->next = c->blocks;
    c->blocks = b;
    return b->data;
}

char *stom_broker_call_strdup(stom_broker_call *c, const char *s)
{
    size_t n = strlen(s);
    char *copy = stom_broker_call_alloc(c, n + 1);
    memcpy(copy, s, n);
    return copy;
}

int stom_broker_call_fail(stom_broker_call *c, Stom__V1__ErrorCode code, bool retryable,
                          const char *detail_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    stom__v1__error__init(&c->error);
    c->error.has_code = 1;
    c->error.code = code;
    c->error.message = c->message;
    c->error.has_retryable = 1;
    c->error.retryable = retryable;
    if (detail_code != NULL) {
        snprintf(c->detail_code, sizeof c->detail_code, "%s", detail_code);
        c->error.detail_code = c->detail_code;
    }
    c->failed = true;
    return STOM_EINVAL;
}

const char *stom_broker_call_sender(const stom_broker_call *c)
{
    return c->sender;
}

void stom__broker_call_init(stom_broker_call *c, const char *sender)
{
    memset(c, 0, sizeof *c);
    c->sender = sender;
}

void stom__broker_call_release(stom_broker_call *c)
{
    call_block *b = c->blocks;
    while (b != NULL) {
        call_block *next = b->next;
        free(b);
        b = next;
    }
    c->blocks = NULL;
}
