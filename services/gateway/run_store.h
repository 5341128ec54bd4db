/*
 * run_store.h - the gateway's rows of runs (migration 0006) and the
 * coordinator's rows of their jobs (0002), read straight from PostgreSQL:
 * who owns a run, its state and counters, its metrics, trades and equity.
 *
 * Ownership is enforced here: every lookup takes the caller's user id, and
 * a run of another user is STOM_ENOTFOUND, exactly like a missing one (the
 * routes answer 404 for both). Lists and series are paged: the callers
 * bound limit (GW_RUN_PAGE_MAX and friends) so no answer grows with the
 * size of a run.
 *
 * Times in the JSON built here are RFC 3339 in KST ("2024-01-02T09:00:00+09:00").
 *
 * Thread-safety: reentrant; a stom_db belongs to the calling worker thread.
 */
#ifndef STOM_GW_RUN_STORE_H
#define STOM_GW_RUN_STORE_H

#include "gw.h"
#include "run_request.h"

#define GW_RUN_PAGE_MAX    500   /* runs or optimization results per page */
#define GW_RUN_TRADES_MAX  10000 /* trades per page */
#define GW_RUN_EQUITY_MAX  5000  /* equity points per page (one per trading day) */
#define GW_RUN_COMPARE_MAX 10    /* runs in one compare */
#define GW_RUN_JOB_ID_LEN  48

/* A run the caller owns, with its job's state from the jobs row. */
typedef struct gw_run_info {
    char job_id[GW_RUN_JOB_ID_LEN + 1];
    gw_run_kind kind;
    char state[16]; /* "queued", "running", "paused", "done", "failed", "cancelled", or
                       "unknown" when the job row is gone */
} gw_run_info;

/* True for a state that has not ended (the job may still be cancelled). */
bool gw_run_state_active(const char *state);

/*
 * Inserts the runs row of job_id for user_id. request_json is the body as
 * submitted (borrowed). 0 or STOM_EIO.
 */
int gw_run_store_insert(stom_db *db, int64_t user_id, gw_run_kind kind, const char *job_id,
                        const gw_run_request *req, const char *request_json, stom_errbuf *eb);

/*
 * Finds job_id among user_id's runs (of kind; any kind when any_kind).
 * 0 with *out filled, STOM_ENOTFOUND (missing or another user's) or STOM_EIO.
 */
int gw_run_store_find(stom_db *db, int64_t user_id, gw_run_kind kind, bool any_kind,
                      const char *job_id, gw_run_info *out, stom_errbuf *eb);

/*
 * user_id's runs of kind, newest first: *runs (owned) is an array of
 * {id, kind, strategy, state, done, total, best_objective, created_at},
 * *total all of them. 0 or STOM_EIO.
 */
int gw_run_store_list(stom_db *db, int64_t user_id, gw_run_kind kind, int64_t limit, int64_t offset,
                      json_t **runs, int64_t *total, stom_errbuf *eb);

/*
 * The run's summary as a new object: {id, kind, state, strategy,
 * strategy_version, strategy_code, request, done, total, failed,
 * best_objective, error, created_at, finished_at}. 0 or STOM_EIO.
 */
int gw_run_store_summary(stom_db *db, const gw_run_info *run, json_t **out, stom_errbuf *eb);

/*
 * The metrics of the run's best search result (a backtest's only one), as
 * stored by the coordinator (the stom.v1 Metrics message as JSON), or a
 * JSON null when it has none yet. Owned. 0 or STOM_EIO.
 */
int gw_run_store_metrics(stom_db *db, const char *job_id, json_t **out, stom_errbuf *eb);

/*
 * Why the run's first failed result failed ("name:4: ..."), as a new JSON
 * string, or a JSON null when none failed. Owned. 0 or STOM_EIO.
 */
int gw_run_store_failure(stom_db *db, const char *job_id, json_t **out, stom_errbuf *eb);

/* A backtest's trades in exit order, paged: *out (owned) an array, *total all. 0 or STOM_EIO. */
int gw_run_store_trades(stom_db *db, const char *job_id, int64_t limit, int64_t offset,
                        json_t **out, int64_t *total, stom_errbuf *eb);

/*
 * A backtest's daily equity, paged: *equity [{t, equity}] and *drawdown
 * [{t, drawdown_pct}] (owned; the drawdown against the running peak of the
 * whole series and initial_cash, docs/metrics.md), *total all points.
 * 0 or STOM_EIO.
 */
int gw_run_store_equity(stom_db *db, const char *job_id, int64_t initial_cash, int64_t limit,
                        int64_t offset, json_t **equity, json_t **drawdown, int64_t *total,
                        stom_errbuf *eb);

/*
 * Deletes the runs row and the job of a run that has ended (its results,
 * trades and equity go with it) in one transaction. STOM_ESTATE when the
 * job is still active, else 0 or STOM_EIO.
 */
int gw_run_store_delete(stom_db *db, const char *job_id, stom_errbuf *eb);

/*
 * metrics (borrowed, the stom.v1 Metrics as JSON) as {standard: {...},
 * stom: {TG, TP, CAGR, MDD, MDD_won, WR, AP, TC, AH, MH, ATC, TPI, seed}}
 * (docs/metrics.md). Returns a new object (a null metrics gives null).
 */
json_t *gw_run_metrics_named(const json_t *metrics);

#endif
