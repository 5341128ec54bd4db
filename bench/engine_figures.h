/*
 * engine_figures.h - bench_engine's record of one phase (what its observer
 * threads saw, stamped on arrival) and the figures drawn from it once the
 * phase is over: ticks published, received and lost, latency per order,
 * and the books (journal against the sim's fills and both sides' events).
 *
 * Thread-safety: while a phase runs, the observer threads and the main
 * thread share a phase under its mutex; the figures_* functions read it on
 * the main thread after the observers have stopped.
 */
#ifndef STOM_BENCH_ENGINE_FIGURES_H
#define STOM_BENCH_ENGINE_FIGURES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "stom/broker_client.h"
#include "stom/bus_nng.h"

#define MAX_SYMS   64
#define RING       64 /* seconds of first trades kept per symbol */
#define MAX_ORDERS 8192

typedef struct first_trade {
    int64_t sec, ts_ns, rx_ns; /* the second, the sim's stamp, arrival on the bench's clock */
} first_trade;

/* One order as the bench saw it on the sim's order feed and on eng.orders. */
typedef struct order_seen {
    char id[72];
    int sym;
    int64_t fill_ts_ns;    /* the sim's clock when it placed it (its first fill) */
    int64_t sim_ack_rx_ns; /* the sim's ACCEPTED arrived */
    int64_t eng_ack_rx_ns; /* the engine's ACCEPTED arrived */
    int sim_events, eng_events;
    int64_t sim_filled;
    int broker_fills; /* FillsRequest at the end */
    int64_t broker_filled;
    bool journaled;     /* order_journal at the end */
    bool settled;       /* its state is neither pending nor sent */
    int journal_events; /* events other than 'sent' */
    int64_t journal_filled;
} order_seen;

typedef struct phase {
    const char *name;
    int n_syms, step_ms, seconds;
    char db[512], db_name[64];
    pid_t sim, engine;
    stom_broker_feed *feed;
    stom_broker_client *broker;
    nng_socket req, events;
    pthread_t feed_thread, events_thread;
    volatile int stop;
    pthread_mutex_t mu; /* guards everything below */
    first_trade ring[MAX_SYMS][RING];
    int64_t last_sec[MAX_SYMS];
    uint64_t last_seq[MAX_SYMS], window_seq[MAX_SYMS];
    stom_broker_feed_stats stats; /* the bench's feed, copied by its thread */
    uint64_t trades, window_trades, window_missing, window_published;
    uint64_t ord_received, ord_last_seq;  /* the sim's order events, by their own sequence */
    uint64_t md_gaps;                     /* the engine's count, from STATUS after the run */
    double engine_cpu, sim_cpu;           /* CPU seconds over the window */
    bool engine_ended;                    /* on SIGTERM, within bench_stop's grace */
    int64_t window_from_ns, window_to_ns; /* bench clock; 0 while not measuring */
    order_seen *orders;
    size_t n_orders;
} phase;

/* Prints the phase's ticks; true when published = received + counted lost. Borrows ph. */
bool figures_print_ticks(const phase *ph);
/* Prints the latency figures; true when the headline meets p50 < 200 us and p99 < 1 ms.
 * *headline_p50: its median in microseconds. */
bool figures_print_latency(const phase *ph, double *headline_p50);
/* Prints the books; true when every order settled and fills and events match. */
bool figures_print_books(const phase *ph);

#endif
