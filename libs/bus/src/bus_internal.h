/*
 * bus_internal.h - what the files of libs/bus share and nothing else sees.
 *
 * Thread-safety: as stom/bus.h (reentrant functions).
 */
#ifndef STOM_BUS_INTERNAL_H
#define STOM_BUS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/bus.h"

/*
 * Checks that the len bytes at s (a thing called `what` in messages) are
 * 1..max bytes of printable ASCII, without '.' unless allow_dot. Returns 0,
 * STOM_EEMPTY, STOM_ETOOBIG or STOM_EFORMAT. Borrows s.
 */
int stom__bus_name_check(const char *what, const char *s, size_t len, size_t max, bool allow_dot,
                         stom_errbuf *eb);

/* Length of the NUL-terminated s, or limit when s is longer (reads at most
 * limit + 1 bytes). */
size_t stom__bus_strlen_max(const char *s, size_t limit);

/*
 * Checks what a receiver requires of an envelope: version, sender, seq >= 1,
 * ts_ns and a known, present body of the right type. The same rules refuse
 * a bad envelope at encode and at decode. Borrows env.
 */
int stom__bus_envelope_check(const Stom__V1__Envelope *env, stom_errbuf *eb);

/* The Envelope field that holds body, or NULL when body is not one. */
const ProtobufCFieldDescriptor *stom__bus_body_field(stom_bus_body body);

/*
 * Walks the top level of the protobuf bytes at p (len bytes) without
 * unpacking: every key, wire type and length must be well formed and end
 * inside the buffer. Returns 0, STOM_ETRUNC (a field runs past the end) or
 * STOM_EFORMAT (not protobuf). Borrows p.
 */
int stom__bus_wire_scan(const uint8_t *p, size_t len, stom_errbuf *eb);

#endif
