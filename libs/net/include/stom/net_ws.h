/*
 * stom/net_ws.h - a small blocking WebSocket client (RFC 6455) for the
 * command line: connect to ws://host:port/path?query, send text frames
 * (masked, as a client must), receive text frames, answer pings, close.
 *
 * Every call that waits takes a timeout, so a silent server cannot hang the
 * caller. Incoming messages are bounded (STOM_WS_MESSAGE_MAX) before they
 * are buffered; fragmented messages are reassembled. Only ws:// (plain TCP)
 * is supported: the CLI talks to the gateway on loopback or behind a TLS
 * proxy that it reaches over HTTP.
 *
 * Thread-safety: a stom_ws belongs to one thread.
 */
#ifndef STOM_NET_WS_H
#define STOM_NET_WS_H

#include <stddef.h>

#include "stom/error.h"

#define STOM_WS_MESSAGE_MAX (16u << 20)

typedef struct stom_ws stom_ws;

/*
 * Connects and performs the opening handshake within timeout_ms. url is
 * ws://host[:port]/path[?query] (http:// is accepted as a synonym). On
 * success *out is owned by the caller (stom_ws_close). Errors: STOM_EINVAL
 * (not a ws:// URL), STOM_EIO (refused, or the server did not upgrade: eb
 * gives its status line), STOM_ETIMEDOUT. Borrows url.
 */
int stom_ws_connect(stom_ws **out, const char *url, int timeout_ms, stom_errbuf *eb);

/* Sends text as one masked text frame. 0, STOM_EIO or STOM_ETIMEDOUT. Borrows text. */
int stom_ws_send_text(stom_ws *ws, const char *text, size_t len, int timeout_ms, stom_errbuf *eb);

/*
 * Waits up to timeout_ms for the next text (or binary) message, answering
 * pings on the way. On success *text is owned by the caller (free()),
 * NUL-terminated, and *len its length. STOM_ETIMEDOUT when nothing complete
 * arrived in time (the connection stays usable); STOM_EIO when the server
 * closed (eb gives its reason) or the connection broke; STOM_ETOOBIG for a
 * message over STOM_WS_MESSAGE_MAX (the connection is then unusable).
 */
int stom_ws_recv_text(stom_ws *ws, char **text, size_t *len, int timeout_ms, stom_errbuf *eb);

/* Sends a close frame (best effort), closes the socket and frees ws. NULL is a no-op. */
void stom_ws_close(stom_ws *ws);

#endif
