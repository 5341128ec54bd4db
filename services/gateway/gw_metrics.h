/*
 * gw_metrics.h - the gateway's Prometheus counters: requests per route,
 * method and status, a latency histogram per route, the worker pool's queue
 * depth and in-flight requests, and the WebSocket hub's gauges.
 *
 * One process-wide registry. Series are keyed by the route pattern pointer
 * (static strings of the route tables) so recording never allocates; at most
 * GW_METRICS_SERIES series; later new ones are not recorded.
 *
 * Thread-safety: every function may be called from any thread (a mutex
 * held for a few instructions; the gauges are atomics).
 */
#ifndef STOM_GW_METRICS_H
#define STOM_GW_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define GW_METRICS_SERIES 256

/* Counts one answered request. route: a static pattern string or NULL
 * (unmatched); method: borrowed, copied (up to 7 bytes). */
void gw_metrics_request(const char *route, const char *method, int status, double seconds);
/* Gauges of the worker pool. */
void gw_metrics_queue_depth(int64_t depth);
void gw_metrics_in_flight_add(int64_t delta);
/* The WebSocket hub's gauges (connected clients, messages queued to them). */
void gw_metrics_ws(uint64_t clients, uint64_t queued);
/* Renders the Prometheus text exposition format. Returns owned text (free()), *len its size. */
char *gw_metrics_render(size_t *len);

#endif
