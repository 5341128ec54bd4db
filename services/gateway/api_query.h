/*
 * api_query.h - query parameters of any length: gw_query needs a buffer
 * that fits, and a decoded value is never longer than the raw query.
 *
 * Thread-safety: reentrant.
 */
#ifndef STOM_GW_API_QUERY_H
#define STOM_GW_API_QUERY_H

#include "gw.h"

/*
 * The percent-decoded value of query parameter name (owned, free()), or
 * NULL when the query has no such parameter. Borrows req and name.
 */
char *gw_api_query(const gw_request *req, const char *name);

/*
 * Reads the optional whole-number query parameter name into *out. True when
 * it is absent (*out untouched) or a decimal integer in [min, max]; false
 * when present but anything else (empty, not a number, out of range).
 */
bool gw_api_query_int(const gw_request *req, const char *name, int64_t min, int64_t max,
                      int64_t *out);
/* As gw_api_query_int, but a bad value is answered 400 invalid_field naming name and the
 * range, and false returned. */
bool gw_api_query_int_or_400(const gw_request *req, const char *name, int64_t min, int64_t max,
                             int64_t *out, gw_response *res);

#endif
