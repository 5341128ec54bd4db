/*
 * coordinator.h - the coordinator role of stom-backtester: accepts jobs,
 * records them in PostgreSQL, cuts them into tasks (coord_job.h), leases
 * tasks to the workers that pull them, records each result once, publishes
 * progress and completion on bt.<job>, and answers queries.
 *
 * One thread runs everything: requests arrive through a REP server with
 * many contexts (stom/bus_nng.h), so a worker's pull can wait (long-poll)
 * while other requests are answered. A pull that finds no work is parked
 * until a task appears or park_ms passes, then answered NoWork.
 *
 * Durability: the job (its spec) is committed before its submission is
 * answered; tasks, leases and results are rows. On start the coordinator
 * resumes every unfinished job by planning it again and replaying its
 * stored results (coord_job.h), so a restart loses no job, and leases that
 * were out are simply issued again.
 *
 * Thread-safety: single-threaded.
 */
#ifndef STOM_BT_COORDINATOR_H
#define STOM_BT_COORDINATOR_H

#include <signal.h>

typedef struct bt_coordinator_config {
    const char *listen;   /* REP endpoint, "tcp://127.0.0.1:5560" */
    const char *publish;  /* PUB endpoint for bt.<job>, "tcp://127.0.0.1:5561" */
    const char *database; /* conninfo; NULL: STOM_DATABASE_URL or the default */
    int lease_ms;         /* a task's lease; 0: 30000 */
    int park_ms;          /* longest wait of a pull without work; 0: 1000 */
    volatile sig_atomic_t *stop;
} bt_coordinator_config;

/* Runs until *stop. Returns 0, or 1 when it could not start (message logged). */
int bt_coordinator_run(const bt_coordinator_config *cfg);

#endif
