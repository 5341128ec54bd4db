/*
 * ws_client.h - a minimal WebSocket client on a raw socket, for the
 * gateway's tests and benchmarks: the HTTP/1.1 upgrade, masked frames out,
 * unmasked frames in (RFC 6455), no extensions. Works blocking (recv with a
 * timeout) or under epoll (read what is there, then take whole frames).
 *
 * Thread-safety: one ws_client belongs to one thread.
 */
#ifndef STOM_WS_CLIENT_H
#define STOM_WS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#define WS_OP_TEXT   0x1
#define WS_OP_BINARY 0x2
#define WS_OP_CLOSE  0x8
#define WS_OP_PING   0x9
#define WS_OP_PONG   0xA

typedef struct ws_client {
    int fd;
    unsigned char *buf; /* received bytes not yet taken */
    size_t off, len, cap;
} ws_client;

typedef struct ws_frame {
    int opcode;
    bool fin;
    char *data; /* owned (ws_frame_free), NUL-terminated for convenience */
    size_t len;
    int close_code; /* WS_OP_CLOSE: the status, 0 when none */
} ws_frame;

/*
 * Connects to 127.0.0.1:port, sets rcvbuf (> 0: SO_RCVBUF before
 * connecting, to make a slow reader) and upgrades target ("/api/v1/ws?..").
 * Returns 0, or -1 with c closed (refused, timeout, or not 101).
 */
int ws_client_connect(ws_client *c, int port, const char *target, int rcvbuf, int timeout_ms);
/* Sends one frame (masked). 0 or -1. Borrows data. */
int ws_client_send(ws_client *c, int opcode, const void *data, size_t len, bool fin);
/* Sends a text frame of the NUL-terminated text. 0 or -1. */
int ws_client_send_text(ws_client *c, const char *text);
/* Reads what the socket has without blocking: > 0 bytes, 0 none, -1 closed or failed. */
int ws_client_read(ws_client *c);
/* Takes one whole frame from what was read: 1 (fills *f), 0 when incomplete. */
int ws_client_next(ws_client *c, ws_frame *f);
/* Waits up to timeout_ms for one frame: 1 (fills *f), 0 timeout, -1 closed. */
int ws_client_recv(ws_client *c, ws_frame *f, int timeout_ms);
void ws_frame_free(ws_frame *f);
/* Closes the socket and frees the buffer. */
void ws_client_close(ws_client *c);

#endif
