/*
 * gw_ws_sub.h - the WebSocket hub's bus reader (internal to the hub): one
 * thread with an nng SUB socket dialed to the coordinator's event socket
 * (and the engine's, when configured) turns each bus message whose topic
 * has a WebSocket topic (gw_ws_topic.h) into a gw_ws_publish of its body
 * as JSON (stom_pb_to_json). Engine events (eng.*) are published for
 * their account's owner only (gw_ws_owner.h, which reads PostgreSQL on
 * this thread). Messages that do not decode are counted and skipped; the
 * thread never stops on bad input.
 *
 * Thread-safety: start and stop from the hub's owner; the thread only calls
 * gw_ws_publish.
 */
#ifndef STOM_GW_WS_SUB_H
#define STOM_GW_WS_SUB_H

#include "gw_ws.h"

typedef struct gw_ws_sub gw_ws_sub;

/*
 * Opens the SUB socket, dials urls[0..n) (NULL entries skipped; peers need
 * not be up yet) and starts the thread publishing to hub (borrowed; must
 * outlive the reader). conninfo (copied; may be NULL) is where the owners
 * of engine events are read. 0, STOM_EINVAL (a bad url) or STOM_EIO.
 */
int gw__ws_sub_start(gw_ws_sub **out, gw_ws_hub *hub, const char *const *urls, size_t n,
                     const char *conninfo, stom_errbuf *eb);
/* Stops the thread, closes the socket, frees s. NULL: no-op. */
void gw__ws_sub_stop(gw_ws_sub *s);

#endif
