/*
 * transport_floor.h - what the messaging layer alone costs on this machine:
 * libs/bus's PUB -> SUB hop and REQ -> REP -> REQ round trip (nng over
 * loopback TCP, envelopes of the engine path's size, one message a
 * millisecond as at 1,000 ticks/s), with nothing behind them. bench_engine
 * prints it beside the engine's path, whose floor is one round trip (the
 * place and its answer) plus one hop (eng.orders to the observer).
 *
 * Thread-safety: transport_floor_measure runs on its caller's thread and
 * one echo thread of its own, both ended before it returns.
 */
#ifndef STOM_BENCH_TRANSPORT_FLOOR_H
#define STOM_BENCH_TRANSPORT_FLOOR_H

#include <stdbool.h>

typedef struct transport_floor {
    double hop_p50_us, hop_p99_us; /* PUB -> SUB */
    double rtt_p50_us, rtt_p99_us; /* REQ -> REP -> REQ */
} transport_floor;

/* Measures n of each on pub_url and rep_url (tcp://127.0.0.1:port). false when a socket
 * cannot be opened (a message says why). */
bool transport_floor_measure(const char *pub_url, const char *rep_url, int n, transport_floor *out);

#endif
