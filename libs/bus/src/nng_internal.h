/*
 * nng_internal.h - what the nng files of libs/bus (nng_socket.c,
 * nng_call.c, nng_server.c) share and nothing else sees.
 *
 * Thread-safety: every function is reentrant.
 */
#ifndef STOM_BUS_NNG_INTERNAL_H
#define STOM_BUS_NNG_INTERNAL_H

#include <stdint.h>

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

/* UTC nanoseconds now, for envelope headers. */
int64_t stom__bus_now_ns(void);

#endif
