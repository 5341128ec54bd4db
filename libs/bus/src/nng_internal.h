/*
 * nng_internal.h - what the nng files of libs/bus (nng_socket.c,
 * nng_call.c, nng_server.c) share and nothing else sees.
 *
 * Thread-safety: every function is reentrant.
 */
#ifndef STOM_BUS_NNG_INTERNAL_H
#define STOM_BUS_NNG_INTERNAL_H

#include <stdint.h>

#include <nng/nng.h>

#include "stom/bus_nng.h"

/*
 * Translates nng's rv (non-zero) to a STOM_E* value at the module boundary:
 * NNG_ETIMEDOUT is STOM_ETIMEDOUT, NNG_ENOMEM STOM_ENOMEM, everything else
 * STOM_EIO. Writes "<what>: <nng's reason>" into eb and returns the value.
 * Borrows what.
 */
int stom__bus_nng_error(stom_errbuf *eb, int rv, const char *what);

/*
 * Encodes env under the NUL-terminated topic into a new nng message and
 * sets *out (owned by the caller: hand it to nng or nng_msg_free it).
 * Returns 0, the encoder's errors, or STOM_ENOMEM. Borrows topic and env.
 */
int stom__bus_nng_encode(const char *topic, const Stom__V1__Envelope *env, nng_msg **out,
                         stom_errbuf *eb);

/*
 * Decodes the nng message m into *out, which takes m on success (release
 * with stom_bus_received_free). On failure m is freed and *out zeroed.
 * max_len as stom_bus_decode.
 */
int stom__bus_nng_decode(nng_msg *m, size_t max_len, stom_bus_received *out, stom_errbuf *eb);

/* A request's failure (rv non-zero) as STOM_ETIMEDOUT ("no answer from <topic> within N
 * ms", naming who did not answer) or STOM_EIO. */
int stom__bus_request_error(int rv, const char *topic, int timeout_ms, stom_errbuf *eb);

/* Milliseconds left until deadline (nng_clock), at least 1 while it has not passed (a 0 or
 * negative nng duration would mean "no wait" or "forever"); 0 when it has. */
nng_duration stom__bus_remaining_ms(nng_time deadline);

/* UTC nanoseconds now, for envelope headers. */
int64_t stom__bus_now_ns(void);

#endif
