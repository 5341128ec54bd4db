/*
 * gateway_cli.h - what the commands that go through the gateway share:
 * the run request built from a parsed command line, following a run's
 * progress (WebSocket topic backtest.<id>, with status polls as the safety
 * net), and the gateway's JSON read back into the coordinator's messages
 * so that the existing reports print it.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_GATEWAY_CLI_H
#define STOM_CLI_GATEWAY_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "cli.h"
#include "gateway_client.h"
#include "optimize.h"

/* The body of POST /optimizations (backtest false) or POST /backtests. Returns owned. Borrows s. */
json_t *gateway_run_request(const Stom__V1__JobSpec *s, bool backtest);

/*
 * A status answer ({id, state, done, total, failed, best_objective, eta_s}) or
 * an event's data (a Progress or JobResult message as JSON) as a JobStatus.
 * Returns owned (stom__v1__job_status__free_unpacked). Borrows j.
 */
Stom__V1__JobStatus *gateway_status_from_json(const json_t *j);

/* True for done, failed and cancelled. */
bool gateway_state_final(Stom__V1__JobState s);

/*
 * Follows run id of kind ("optimizations" or "backtests") until it ends:
 * live progress from the WebSocket topic (topic, borrowed; NULL:
 * "backtest.<id>") drawn on pl, polls of GET /<kind>/<id>/status when the
 * socket is silent or unavailable. Ctrl-C cancels the run (DELETE) and
 * returns EXIT_SIGINT. On EXIT_OK *final (owned) is the run's last status.
 */
int gateway_follow_run(gateway_client *g, const char *kind, const char *id, const char *topic,
                       progress_line *pl, Stom__V1__JobStatus **final);

/* `stom optimize` through the gateway (cmd_optimize_gateway.c). Borrows o. */
int optimize_via_gateway(optimize_options *o);
/* `stom backtest` through the gateway: argv as cli_backtest's, without --local. */
int backtest_via_gateway(int argc, char **argv);

/* True for the `stom strategy` verbs that go through the gateway (push, list, versions, diff). */
bool strategy_verb_is_remote(const char *verb);
/* `stom strategy push|list|versions|diff` (cmd_strategy_gateway.c); argv[0] is the verb. */
int strategy_via_gateway(int argc, char **argv);

/* The parsed `stom jobs` command line (cmd_jobs.c). */
typedef struct jobs_options {
    const char *verb, *id, *coordinator, *url;
    bool json, help, local;
    uint32_t limit, top;
} jobs_options;

/* `stom jobs list|show|cancel` through the gateway (cmd_jobs_gateway.c). Borrows o. */
int jobs_via_gateway(const jobs_options *o);

/*
 * GET /optimizations/<id>?limit=top as a ResultsPage (owned: free_unpacked).
 * Prints why and returns an exit code on failure.
 */
int gateway_fetch_results(gateway_client *g, const char *id, uint32_t top,
                          Stom__V1__ResultsPage **out);

#endif
