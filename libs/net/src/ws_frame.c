/*
 * ws_frame.c - see stom/ws_frame.h.
 */
#include "stom/ws_frame.h"

#include <string.h>

size_t stom_ws_frame_head(unsigned char head[STOM_WS_FRAME_HEAD_MAX], int opcode, bool fin,
                          size_t len, const unsigned char *mask)
{
    size_t h = 0;
    unsigned char mask_bit = mask ? 0x80 : 0;
    head[h++] = (unsigned char)((fin ? 0x80 : 0) | (opcode & 0x0f));
    if (len < 126) {
        head[h++] = (unsigned char)(mask_bit | len);
    } else if (len <= 0xffff) {
        head[h++] = mask_bit | 126;
        head[h++] = (unsigned char)(len >> 8);
        head[h++] = (unsigned char)len;
    } else {
        head[h++] = mask_bit | 127;
        for (int k = 7; k >= 0; k--)
            head[h++] = (unsigned char)((uint64_t)len >> (8 * k));
    }
    if (mask) {
        memcpy(head + h, mask, 4);
        h += 4;
    }
    return h;
}

bool stom_ws_frame_parse(const unsigned char *buf, size_t avail, stom_ws_frame_info *f)
{
    if (avail < 2)
        return false;
    f->fin = buf[0] & 0x80;
    f->opcode = buf[0] & 0x0f;
    f->masked = buf[1] & 0x80;
    uint64_t len = buf[1] & 0x7f;
    size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (avail < 2 + ext)
        return false;
    if (ext) {
        len = 0;
        for (size_t k = 0; k < ext; k++)
            len = len << 8 | buf[2 + k];
    }
    f->len = len;
    f->header = 2 + ext + (f->masked ? 4 : 0);
    return true;
}
