/*
 * sim_adapter.h - stom-broker-sim's side of the broker protocol: the
 * simulated market (sim_market.h) behind the handlers of libs/broker, its
 * trades published as Trades on md.sim.<symbol> and its orders' lives as
 * OrderEvents on ord.sim.<account> (docs/broker-sim.md).
 *
 * The market is the synthetic path, or with options.replay the stored bars
 * of PostgreSQL replayed as trades (sim_replay.h). With options.database
 * the account, orders and fills are kept in PostgreSQL (sim_store.h) and
 * loaded again at open, so a restart continues where the last run ended;
 * a replay then resumes after the last trade it had replayed.
 *
 * Time is the simulation's clock: it runs speed times as fast as the
 * monotonic clock from options.start_ns (synthetic) or from the first
 * replayed trade (replay; a replay's clock jumps over nights, weekends and
 * holidays to the next day's first trade).
 *
 * Thread-safety: one thread serves requests and steps the market
 * (sim_adapter_run); sim_adapter_stop may be called from any thread.
 */
#ifndef STOM_SIM_ADAPTER_H
#define STOM_SIM_ADAPTER_H

#include <stdint.h>

#include "sim_market.h"
#include "stom/broker.h"

#define SIM_MAX_SYMBOLS 64

typedef struct sim_replay_options {
    const char *codes[SIM_MAX_SYMBOLS]; /* the symbols to replay */
    int n_codes;
    const char *timeframe; /* "1m" or "1d" */
    int64_t from_s, to_s;  /* UTC seconds: bars with from_s <= ts < to_s */
} sim_replay_options;

typedef struct sim_adapter_options {
    const char *rep_spec, *pub_spec;  /* libs/broker endpoints */
    const char *account;              /* the one paper account */
    sim_config market;                /* symbols, cash, seed, costs, depth */
    int64_t start_ns;                 /* the simulation's time at start (UTC), synthetic path */
    int speed;                        /* simulated seconds per real second (>= 1) */
    int step_ms;                      /* real milliseconds between path steps (>= 1) */
    const char *database;             /* conninfo: keep the account in PostgreSQL; NULL: memory */
    const sim_replay_options *replay; /* replay stored bars (needs database); NULL: the path */
} sim_adapter_options;

typedef struct sim_adapter sim_adapter;

/* Opens the database (loading the account), the replay, the sockets and the market. 0,
 * STOM_EINVAL naming the setting, or STOM_EIO. Copies opt (the symbols included). */
int sim_adapter_open(sim_adapter **out, const sim_adapter_options *opt, stom_errbuf *eb);
void sim_adapter_close(sim_adapter *a);
/* Serves requests and steps (or replays) the market until sim_adapter_stop. */
void sim_adapter_run(sim_adapter *a);
void sim_adapter_stop(sim_adapter *a);

#endif
