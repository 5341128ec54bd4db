/*
 * gw_coord.h - a gateway worker's REQ client of a platform service: the
 * backtest coordinator (topic "rpc.backtester"; the same protocol as the
 * CLI's coordinator_client.h and docs/backtester.md) or the live engine
 * (topic "rpc.engine", docs/engine.md). The client knows its peer's topic
 * and name, so errors read "the engine refused the request: ...".
 *
 * Thread-safety: one gw_coord per worker thread.
 */
#ifndef STOM_GW_COORD_H
#define STOM_GW_COORD_H

#include "stom/bus_nng.h"

#define GW_COORD_TIMEOUT_MS 5000
#define GW_COORD_REPLY_MAX  ((size_t)64 * 1024 * 1024)

typedef struct gw_coord gw_coord;

/* Opens a REQ socket dialing url (non-blocking dial: a coordinator that is
 * down is an error of each call, not of the open). 0 or STOM_EINVAL. */
int gw_coord_open(gw_coord **out, const char *url, stom_errbuf *eb);
/* As gw_coord_open for another service: requests go on topic (e.g. "rpc.engine") and
 * errors name peer ("the engine"). Borrows topic and peer (static strings). */
int gw_coord_open_peer(gw_coord **out, const char *url, const char *topic, const char *peer,
                       stom_errbuf *eb);
void gw_coord_close(gw_coord *c);

/*
 * Sends body and waits for a reply of kind want (owned by *reply on 0).
 * STOM_ETIMEDOUT / STOM_EIO: the coordinator is unreachable (answer 503);
 * STOM_EFORMAT: it answered with an Error body (its message in eb).
 */
int gw_coord_call(gw_coord *c, ProtobufCMessage *body, stom_bus_body want, stom_bus_received *reply,
                  stom_errbuf *eb);
/* The same waiting timeout_ms instead of GW_COORD_TIMEOUT_MS (a status that must answer fast). */
int gw_coord_call_within(gw_coord *c, ProtobufCMessage *body, stom_bus_body want, int timeout_ms,
                         stom_bus_received *reply, stom_errbuf *eb);

#endif
