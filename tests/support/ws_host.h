/*
 * ws_host.h - a minimal lws server hosting the gateway's WebSocket hub
 * (gw_ws_protocol) for tests and benchmarks, standing in for
 * stom-gateway's HTTP core: one context on 127.0.0.1:port whose vhost
 * sends WebSocket upgrades to the hub, served by one thread.
 *
 * Thread-safety: start and stop from one thread; the hub's own calls
 * (gw_ws_publish, gw_ws_get_stats) from any.
 */
#ifndef STOM_WS_HOST_H
#define STOM_WS_HOST_H

#include "gw_ws.h"

typedef struct ws_host ws_host;

/* Starts the hub on cfg (borrowed: must outlive the host) and serves port. 0 or -1. */
int ws_host_start(ws_host **out, const gw_config *cfg);
/* The hub (owned by the host). */
gw_ws_hub *ws_host_hub(ws_host *h);
/* Stops serving, destroys the context, then stops the hub. NULL: no-op. */
void ws_host_stop(ws_host *h);

#endif
