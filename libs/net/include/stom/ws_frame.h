/*
 * stom/ws_frame.h - WebSocket frame headers (RFC 6455 section 5.2), shared
 * by the CLI's client (net_ws.c) and the tests' raw client.
 *
 * Thread-safety: pure functions.
 */
#ifndef STOM_WS_FRAME_H
#define STOM_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STOM_WS_FRAME_HEAD_MAX 14

typedef struct stom_ws_frame_info {
    int opcode;
    bool fin, masked;
    size_t header; /* header bytes, masking key included */
    uint64_t len;  /* payload bytes */
} stom_ws_frame_info;

/*
 * Writes the header of a frame of len payload bytes into head: FIN when
 * fin, opcode, the length, and mask (4 bytes) when not NULL. Returns the
 * header's size. The caller masks the payload itself.
 */
size_t stom_ws_frame_head(unsigned char head[STOM_WS_FRAME_HEAD_MAX], int opcode, bool fin,
                          size_t len, const unsigned char *mask);
/* Reads the header at buf (avail bytes): true with *f set, false when incomplete. */
bool stom_ws_frame_parse(const unsigned char *buf, size_t avail, stom_ws_frame_info *f);

#endif
