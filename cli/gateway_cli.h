/*
 * gateway_cli.h - what the commands that go through the gateway share:
 * the user's stored strategies, the run request built from a parsed
 * command line, submitting a run and following its progress (WebSocket
 * topic backtest.<id>, with status polls as the safety net), and the
 * gateway's JSON read back into the coordinator's messages and the
 * backtest report so that the existing reports print it.
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

/*
 * Finds the caller's strategy by name (when name is not NULL) or by id,
 * fetches its latest version and loads its code into *out (release with
 * stored_strategy_free, cli.h). A name the caller has not stored and an id that is
 * missing or another user's are usage errors saying so. Returns an exit code.
 */
int gateway_strategy_load(gateway_client *g, const char *name, int64_t id, stored_strategy *out);
/*
 * The same with a client of its own for url (borrowed; NULL: $STOM_URL,
 * the login's or the default, as gateway_client_open chooses): without a login it says that stored
 * strategies need one (listing the built-ins when a name was given). For the command-line parsers.
 */
int gateway_strategy_fetch(const char *url, const char *name, int64_t id, stored_strategy *out);
/* GET /strategies into *out (owned; it has a "strategies" array). Returns an exit code. */
int gateway_strategy_list(gateway_client *g, json_t **out);
/* The id of the strategy called name in list (GET /strategies' answer), or 0. Borrows. */
int64_t gateway_strategy_id_of(const json_t *list, const char *name);
/* The id of the caller's strategy name; none is a usage error saying how to store one. */
int gateway_strategy_resolve(gateway_client *g, const char *name, int64_t *id);

/*
 * The body of POST /optimizations (backtest false) or POST /backtests. The
 * strategy is s->strategy_name, or stored's {"id", "version"} when stored
 * is not NULL and has an id. Returns owned. Borrows s and stored.
 */
json_t *gateway_run_request(const Stom__V1__JobSpec *s, const stored_strategy *stored,
                            bool backtest);

/*
 * A status answer ({id, state, done, total, failed, best_objective, eta_s}) or
 * an event's data (a Progress or JobResult message as JSON) as a JobStatus.
 * Returns owned (stom__v1__job_status__free_unpacked). Borrows j.
 */
Stom__V1__JobStatus *gateway_status_from_json(const json_t *j);

/* True for done, failed and cancelled. */
bool gateway_state_final(Stom__V1__JobState s);

/*
 * POST /<kind> ("optimizations" or "backtests") with body (borrowed). On
 * EXIT_OK *id is the run's id (owned: free) and *answer the gateway's
 * answer (owned; links.ws_topic names its WebSocket topic).
 */
int gateway_submit_run(gateway_client *g, const char *kind, const json_t *body, char **id,
                       json_t **answer);

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
/* `stom backtest` through the gateway (cmd_backtest_gateway.c); o as backtest_parse left it
 * without --local. May load a stored strategy into o. */
int backtest_via_gateway(backtest_options *o);
/*
 * GET /backtests/<id> into *out (owned); without rows the trades and equity
 * are left out (limits 0): the text report does not print them.
 */
int gateway_fetch_backtest(gateway_client *g, const char *id, bool rows, json_t **out);
/*
 * GET /backtests/<id>'s answer (borrowed) as the text report of a local
 * run, as far as the answer allows (report_backtest_gateway.c). False, after
 * printing why on stderr, when the answer has no metrics (the run failed:
 * its error; or it is not done).
 */
bool gateway_backtest_report(const json_t *run, FILE *out);
/* A run's Metrics message into *m (release with stom_metrics_free). Borrows p.
 * (metrics_from_pb.c) */
void metrics_from_pb(const Stom__V1__Metrics *p, stom_metrics *m);

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
