/*
 * wire.c - a top-level walk over protobuf wire bytes.
 *
 * protobuf-c answers every malformed input with the same NULL, and answers
 * some malformed inputs (empty bytes, another message's bytes) with a
 * message. Walking the envelope's top level first costs one pass over the
 * keys and lengths, allocates nothing, and lets the decoder say *what* is
 * wrong: a field that runs past the end (truncated: the usual result of a
 * short read or a cut buffer) versus bytes that are not protobuf at all.
 * Nested messages are left to protobuf-c.
 */
#include <inttypes.h>

#include "bus_internal.h"

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5, VARINT_MAX_BYTES = 10 };

/*
 * Reads a varint at p[*pos] (len bytes in all) into *v and advances *pos.
 * Returns 0, STOM_ETRUNC when the buffer ends inside it, STOM_EFORMAT when
 * it is longer than 10 bytes.
 */
static int read_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < VARINT_MAX_BYTES; i++) {
        if (*pos >= len)
            return STOM_ETRUNC;
        uint8_t b = p[(*pos)++];
        value |= (uint64_t)(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            *v = value;
            return STOM_OK;
        }
    }
    return STOM_EFORMAT;
}

/* Skips the value of one field of wire type wt whose key ended at *pos. */
static int skip_value(const uint8_t *p, size_t len, size_t *pos, unsigned wt, uint32_t field,
                      stom_errbuf *eb)
{
    uint64_t n = 0;
    size_t start = *pos;
    switch (wt) {
    case WIRE_VARINT: {
        int rc = read_varint(p, len, pos, &n);
        if (rc != STOM_OK)
            return stom_errorf(eb, rc, "envelope %s in the varint of field %u at byte %zu",
                               rc == STOM_ETRUNC ? "truncated" : "malformed", field, start);
        return STOM_OK;
    }
    case WIRE_FIXED64:
        n = 8;
        break;
    case WIRE_FIXED32:
        n = 4;
        break;
    case WIRE_LEN:
        if (read_varint(p, len, pos, &n) != STOM_OK)
            return stom_errorf(eb, STOM_ETRUNC, "envelope truncated in the length of field %u",
                               field);
        break;
    default:
        return stom_errorf(eb, STOM_EFORMAT,
                           "envelope is not protobuf: field %u at byte %zu has wire type %u", field,
                           start, wt);
    }
    if (n > len - *pos)
        return stom_errorf(eb, STOM_ETRUNC,
                           "envelope truncated: field %u needs %" PRIu64 " bytes but %zu remain",
                           field, n, len - *pos);
    *pos += (size_t)n;
    return STOM_OK;
}

int stom__bus_wire_scan(const uint8_t *p, size_t len, stom_errbuf *eb)
{
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint64_t key = 0;
        int rc = read_varint(p, len, &pos, &key);
        if (rc == STOM_ETRUNC)
            return stom_errorf(eb, rc, "envelope truncated in a field key at byte %zu", start);
        /* Field numbers are 1 .. 2^29-1, so a key never exceeds 32 bits. */
        if (rc != STOM_OK || key > UINT32_MAX || (key >> 3) == 0)
            return stom_errorf(eb, STOM_EFORMAT,
                               "envelope is not protobuf: bad field key at byte %zu", start);
        rc = skip_value(p, len, &pos, (unsigned)(key & 7), (uint32_t)(key >> 3), eb);
        if (rc != STOM_OK)
            return rc;
    }
    return STOM_OK;
}
