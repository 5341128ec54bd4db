/*
 * sim_adapter.h - stom-broker-sim's side of the broker protocol: the
 * simulated market (sim_market.h) behind the handlers of libs/broker, its
 * prints published as Trades on md.sim.<symbol> and its orders' lives as
 * OrderEvents on ord.sim.<account> (docs/broker-sim.md).
 *
 * Time is the simulation's clock: it starts at options.start_ns (UTC) and
 * runs speed times as fast as the monotonic clock, so a test or a demo can
 * trade in a KRX session at any hour.
 *
 * Thread-safety: one thread serves requests and steps the market
 * (sim_adapter_run); sim_adapter_stop may be called from any thread.
 */
#ifndef STOM_SIM_ADAPTER_H
#define STOM_SIM_ADAPTER_H

#include <stdint.h>

#include "sim_market.h"
#include "stom/broker.h"

typedef struct sim_adapter_options {
    const char *rep_spec, *pub_spec; /* libs/broker endpoints */
    const char *account;             /* the one paper account */
    sim_config market;               /* symbols, cash, seed, costs, depth */
    int64_t start_ns;                /* the simulation's time at start (UTC) */
    int speed;                       /* simulated seconds per real second (>= 1) */
    int step_ms;                     /* real milliseconds between path steps (>= 1) */
} sim_adapter_options;

typedef struct sim_adapter sim_adapter;

/* Opens the sockets and the market. 0, STOM_EINVAL naming the setting, or STOM_EIO. Copies
 * opt (the symbols included). */
int sim_adapter_open(sim_adapter **out, const sim_adapter_options *opt, stom_errbuf *eb);
void sim_adapter_close(sim_adapter *a);
/* Serves requests and steps the market until sim_adapter_stop. */
void sim_adapter_run(sim_adapter *a);
void sim_adapter_stop(sim_adapter *a);

#endif
