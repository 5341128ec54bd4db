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

#endif
