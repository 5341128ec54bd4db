/*
 * gw_server.h - stom-gateway's HTTP/1.1 server: one libwebsockets context
 * and its service thread, in front of the worker pool (gw_pool.h).
 *
 * The service thread reads requests (headers, then the body up to the
 * limit), hands complete ones to the pool and writes the answers; it never
 * blocks. It enforces what must be refused before a worker is bothered:
 * 411 for bodies without Content-Length, 413 for bodies over the limit,
 * 503 when the pool's queue is full, CORS preflights, oversized headers.
 * Every answer carries the security headers (nosniff, DENY, no-referrer,
 * no-store, a Content-Security-Policy) and CORS headers for allowed origins.
 *
 * Thread-safety: create, run and destroy on one thread; gw_server_stop may
 * be called from any thread and from a signal handler.
 */
#ifndef STOM_GW_SERVER_H
#define STOM_GW_SERVER_H

#include "gw.h"

typedef struct gw_server gw_server;

/* Listens on cfg->bind:cfg->port and starts the workers. 0 or STOM_EIO (eb says why).
 * Borrows cfg (it must outlive the server). */
int gw_server_create(gw_server **out, const gw_config *cfg, stom_errbuf *eb);
/* Serves until gw_server_stop. Returns 0. */
int gw_server_run(gw_server *s);
/* Asks gw_server_run to return. Async-signal-safe. */
void gw_server_stop(gw_server *s);
/* Stops the workers, closes every connection, frees s. NULL is a no-op. */
void gw_server_destroy(gw_server *s);

#endif
