/*
 * run_coord.h - what the run routes ask the backtest coordinator (submit,
 * query, cancel, ranked results) and its answers as the API's JSON.
 *
 * Errors follow gw_coord_call: STOM_ETIMEDOUT / STOM_EIO mean the
 * coordinator is unreachable (503), STOM_EFORMAT that it refused (its
 * message in eb; a refused JobSpec is a 400).
 *
 * Thread-safety: reentrant; the gw_coord belongs to the calling worker.
 */
#ifndef STOM_GW_RUN_COORD_H
#define STOM_GW_RUN_COORD_H

#include "gw.h"
#include "gw_coord.h"

/*
 * Submits spec (borrowed). 0 when the coordinator accepted it (*state, a
 * static string, is its state); STOM_EFORMAT with the coordinator's reason
 * in eb when it refused the spec; STOM_ETIMEDOUT / STOM_EIO when it is
 * unreachable.
 */
int gw_run_coord_submit(gw_coord *c, Stom__V1__JobSpec *spec, const char **state, stom_errbuf *eb);

/*
 * Sends JobControl action for job_id; on 0 *status (owned, json) is
 * {id, state, done, total, failed, best_objective, eta_s}.
 */
int gw_run_coord_control(gw_coord *c, const char *job_id, Stom__V1__JobAction action,
                         json_t **status, stom_errbuf *eb);

/*
 * Asks for a page of job_id's ranked results. On 0 *out (owned) is
 * {evaluated, offset, limit, results: [{params, metrics, objective,
 * valid_objective, test_objective, constraints_met, violated}],
 * best_per_fold: [...], walkforward: [...] or null}.
 */
int gw_run_coord_results(gw_coord *c, const char *job_id, uint32_t offset, uint32_t limit,
                         bool walkforward, json_t **out, stom_errbuf *eb);

/* "done" for JOB_STATE_DONE, ...; "unknown" otherwise. Static strings. */
const char *gw_run_state_name(Stom__V1__JobState s);

#endif
