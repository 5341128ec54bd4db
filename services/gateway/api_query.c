/*
 * api_query.c - query parameters without a length limit of their own (see
 * api_query.h); the HTTP core already bounds the whole query.
 */
#include <errno.h>
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

bool gw_api_query_int(const gw_request *req, const char *name, int64_t min, int64_t max,
                      int64_t *out)
{
    char *v = gw_api_query(req, name);
    if (!v)
        return true;
    errno = 0;
    char *end;
    long long x = strtoll(v, &end, 10);
    bool ok =
        (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) && !*end && !errno && x >= min && x <= max;
    free(v);
    if (ok)
        *out = x;
    return ok;
}

bool gw_api_query_int_or_400(const gw_request *req, const char *name, int64_t min, int64_t max,
                             int64_t *out, gw_response *res)
{
    if (gw_api_query_int(req, name, min, max, out))
        return true;
    gw_reply_error(res, 400, "invalid_field", name, "%s must be a whole number from %lld to %lld",
                   name, (long long)min, (long long)max);
    return false;
}
