/*
 * gw_router.h - matching a request to a route of the gateway's tables and
 * running it: 404/405, the route's rate limit, authentication, the handler
 * and the metrics.
 *
 * Thread-safety: the tables are constant; gw_router_dispatch runs on the
 * worker that owns ctx.
 */
#ifndef STOM_GW_ROUTER_H
#define STOM_GW_ROUTER_H

#include "gw.h"

/* Every route table of the gateway, NULL-terminated (for OpenAPI). */
extern const gw_route *const gw_route_tables[];

/*
 * Finds the route for req->method and req->path, filling req->params
 * (pointers into the copy of the path in params_buf, len bytes) and
 * req->route. Returns the route, or NULL with *status 404 (no such path)
 * or 405 (the path exists with other methods; allow gets them, e.g.
 * "GET, POST", allow_len bytes).
 */
const gw_route *gw_router_match(gw_request *req, char *params_buf, size_t len, int *status,
                                char *allow, size_t allow_len);

/*
 * Runs req through matching, the rate limit, authentication and the
 * handler, leaving the answer in res; records the request in the metrics
 * (latency counted from started_ns, CLOCK_MONOTONIC). Borrows everything.
 */
void gw_router_dispatch(gw_ctx *ctx, gw_request *req, gw_response *res, int64_t started_ns);

/*
 * The OpenAPI 3.0 document of every route table (gw_openapi.c): each path
 * and method with its summary, path parameters, bearer security for
 * non-public routes and the standard error responses. Returns owned JSON.
 */
json_t *gw_openapi_document(void);

#endif
