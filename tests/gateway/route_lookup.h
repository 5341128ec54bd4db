/*
 * route_lookup.h - a route of a gw_route table by method and pattern, for
 * tests that call handlers directly.
 *
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_ROUTE_LOOKUP_H
#define STOM_TEST_ROUTE_LOOKUP_H

#include <check.h>
#include <string.h>

#include "gw.h"

/* The entry of table for method and pattern; fails the test when there is none. */
static inline const gw_route *test_route(const gw_route *table, const char *method,
                                         const char *pattern)
{
    for (const gw_route *r = table; r->method; r++)
        if (!strcmp(r->method, method) && !strcmp(r->pattern, pattern))
            return r;
    ck_abort_msg("no route %s %s", method, pattern);
    return NULL;
}

#endif
