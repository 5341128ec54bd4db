/*
 * api_query.c - query parameters without a length limit of their own (see
 * api_query.h); the HTTP core already bounds the whole query.
 */
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "stom/alloc.h"

char *gw_api_query(const gw_request *req, const char *name)
{
    if (!req->query || !*req->query)
        return NULL;
    size_t cap = strlen(req->query) + 1;
    char *value = stom_xmalloc(cap);
    if (gw_query(req, name, value, cap))
        return value;
    free(value);
    return NULL;
}
