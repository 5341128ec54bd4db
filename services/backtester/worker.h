/*
 * worker.h - the worker role of stom-backtester: dial the coordinator, pull
 * a task, ask for the next one while running it, and send each result with
 * a later pull (or on its own when no task follows at once). Bars are loaded from
 * PostgreSQL once per (symbol, timeframe, period) and kept in memory across
 * tasks and jobs up to a byte budget; JobSpecs (and loaded Lua strategies)
 * are kept per job, so a task message carries the spec only the first time.
 *
 * Workers run at a lower priority (nice 10 by default), so that the
 * coordinator, PostgreSQL, a live engine or the gateway on the same machine
 * answer promptly while every spare cycle goes to backtests.
 *
 * A result that could not be delivered (coordinator down or restarting) is
 * kept and sent again with the next pull; the coordinator records it once.
 *
 * Thread-safety: one worker per thread; it owns its sockets and its
 * database connection.
 */
#ifndef STOM_BT_WORKER_H
#define STOM_BT_WORKER_H

#include <signal.h>
#include <stddef.h>

typedef struct bt_worker_config {
    const char *coordinator;     /* endpoint to dial, "tcp://127.0.0.1:5560" */
    const char *database;        /* conninfo; NULL: STOM_DATABASE_URL or the default */
    const char *worker_id;       /* unique name, "w-<host>-<pid>" when NULL */
    size_t cache_bytes;          /* bar cache budget; 0: 1 GiB */
    size_t max_tasks;            /* stop after this many tasks; 0: never */
    int nice;                    /* lower the process's priority by this (0..19) */
    volatile sig_atomic_t *stop; /* set by a signal handler: finish, report, exit */
} bt_worker_config;

/* Runs until *stop (or max_tasks). Returns 0, or 1 when it could not start. */
int bt_worker_run(const bt_worker_config *cfg);

#endif
