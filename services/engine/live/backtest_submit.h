/*
 * backtest_submit.h - run_backtest jobs (docs/scheduler.md): a saved run
 * re-submitted to the backtest coordinator on behalf of the job's owner.
 *
 * A saved run is a row of `runs` (migration 0006, a backtest the owner
 * submitted through the gateway or `stom backtest`) with its job's exact
 * JobSpec in `jobs.spec`. The re-run is that JobSpec under a new job id
 * ("s" and 22 random characters) and the owner's user name, with a new
 * `runs` row copied from the saved one, so it shows in the owner's runs
 * (`stom jobs`, GET /api/v1/backtests) like any other. As the gateway does,
 * the row is inserted in a transaction that commits only once the
 * coordinator accepted the job.
 *
 * The work runs on a thread of its own with its own PostgreSQL connection
 * and REQ socket, so the engine's loop never waits on the coordinator.
 * Outcomes are logged: the new run's id, or why nothing was submitted
 * (no such saved run, the coordinator refused or did not answer).
 *
 * Thread-safety: eng_backtests_submit may be called from one thread (the
 * engine's) while the submitter's own thread works; open and close from
 * that same thread.
 */
#ifndef STOM_ENG_BACKTEST_SUBMIT_H
#define STOM_ENG_BACKTEST_SUBMIT_H

#include <stdint.h>

#include "stom/error.h"

#define ENG_BACKTEST_TIMEOUT_MS 5000 /* one submit to the coordinator */

typedef struct eng_backtests eng_backtests;

/*
 * Starts the submitter for the coordinator at url (rpc.backtester) and the
 * database at conninfo (NULL: the default); both borrowed for its lifetime.
 * The socket dials in the background: a coordinator that is down is an
 * error of each submit, not of this call. 0 with *out, or STOM_E*.
 */
int eng_backtests_open(eng_backtests **out, const char *url, const char *conninfo, stom_errbuf *eb);
/* Queues a re-run of owner's saved run (borrowed, copied) for scheduled job job_id named
 * name. Never blocks on I/O; a full queue (64) logs and drops the request. */
void eng_backtests_submit(eng_backtests *b, int64_t job_id, const char *name, int64_t owner,
                          const char *run);
/* Finishes the submit in progress, drops the queued ones (logged), joins the thread. NULL: no-op.
 */
void eng_backtests_close(eng_backtests *b);

#endif
