/*
 * engine.h - the live engine process (stom-engine, docs/engine.md): runs
 * strategy instances on a broker's market data, checks every order with the
 * risk manager, journals it before sending it, records what the broker
 * says, and publishes eng.* events. On start it reconciles the journal
 * with the broker before any strategy runs.
 *
 * Thread-safety: eng_run owns the process's engine; it starts and joins
 * its two receiving threads itself.
 */
#ifndef STOM_ENGINE_H
#define STOM_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct eng_config {
    const char *database;       /* conninfo; NULL: STOM_DATABASE_URL or the default */
    const char *listen;         /* rpc.engine REP */
    const char *publish;        /* eng.* PUB */
    const char *broker;         /* topic segment of the adapter: "sim" */
    const char *broker_service; /* its sender name, for rpc.<service>: "broker-sim" */
    const char *broker_req;     /* its REP */
    const char *broker_pub;     /* its PUB */
    const char *surge_config;   /* JSON file of surge rules; NULL: the defaults */
    const char *coordinator;    /* the backtest coordinator's rpc.backtester (run_backtest jobs) */
    int64_t clock_start_ns;     /* simulated clock start (UTC ns); 0: the system clock */
    int64_t clock_speed;        /* simulated seconds per real second (>= 1) */
    bool market_clock;          /* the time is the latest trade's (a replay at any speed) */
    int broker_timeout_ms;      /* one broker request */
    /* Tests only (STOM_ENGINE_FAULT): the engine SIGKILLs itself at this point of the order
     * path: "after-journal" (the order journaled, not sent) or "before-ack" (the broker's
     * answer to a trader's place is in, not yet journaled). NULL: never. */
    const char *fault;
    volatile sig_atomic_t *stop;
} eng_config;

/* Runs until *cfg->stop. Returns 0, or 1 when it could not start (logged). */
int eng_run(const eng_config *cfg);

#endif
