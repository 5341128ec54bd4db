/*
 * fake_coordinator.h - a scripted stand-in for `stom-backtester
 * --coordinator`, so the CLI's side of the protocol (submit, progress,
 * results, jobs, cancel) is tested without a database or workers. The
 * real coordinator has integration tests of its own.
 *
 * What it answers depends on the first symbol of a submitted job:
 *   REFUSED  the submit is refused (JobStatus.error INVALID_ARGUMENT)
 *   FAILS    accepted; queries then say FAILED with "strategy.lua:3: boom"
 *   HANG     accepted; queries say RUNNING until a CANCEL arrives
 *   anything else: RUNNING 1/3 on the first query, DONE 3/3 on the next
 * results_query returns three ranked results (one breaking "mdd<=10", one
 * failed) and one walk-forward FoldBest; job_list_query two jobs; a
 * job_control for an id it never saw answers NOT_FOUND.
 *
 * Thread-safety: the server runs on a thread of its own; the counters may
 * be read from any thread.
 */
#ifndef STOM_TEST_FAKE_COORDINATOR_H
#define STOM_TEST_FAKE_COORDINATOR_H

typedef struct fake_coordinator fake_coordinator;

/* Listens on url and answers on a thread until stopped. NULL when it cannot listen. */
fake_coordinator *fake_coordinator_start(const char *url);
/* Stops the thread and closes the socket. NULL: no-op. */
void fake_coordinator_stop(fake_coordinator *f);

/* Requests seen so far, by kind. */
int fake_coordinator_submits(fake_coordinator *f);
int fake_coordinator_queries(fake_coordinator *f);
int fake_coordinator_cancels(fake_coordinator *f);
/* The job id of the last submit ("" before one). Borrowed until the next submit. */
const char *fake_coordinator_last_job(fake_coordinator *f);

#endif
