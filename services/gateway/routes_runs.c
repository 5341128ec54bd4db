/*
 * routes_runs.c - /api/v1/backtests and /api/v1/optimizations: submit a
 * run, list the caller's runs, read one (report or ranked results), its
 * status, and cancel or delete it (docs/gateway-api.md).
 *
 * Submitting is ordered so that a runs row exists exactly when the
 * coordinator accepted the job: the row is inserted in a transaction, the
 * JobSpec is sent, and the transaction commits only after the coordinator
 * accepted it. A refused spec (400) or an unreachable coordinator (503)
 * rolls the row back. The job id is made here (random, URL-safe), so a
 * resent submit is the same job at the coordinator.
 *
 * Every route finds the run among the caller's own first: another user's
 * run is a 404, as a missing one.
 *
 * Thread-safety: handlers run on one worker thread with its own gw_ctx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_coord.h"
#include "run_request.h"
#include "api_query.h"
#include "run_store.h"

#define RUNS_LIMIT_DEFAULT    50
#define RESULTS_LIMIT_DEFAULT 50
#define TRADES_LIMIT_DEFAULT  1000

/* ---- shared helpers ------------------------------------------------------------ */

/* "r" and 22 base64url characters: 128 random bits, within the coordinator's 48-character ids. */
static bool new_job_id(char out[GW_RUN_JOB_ID_LEN + 1])
{
    return gw_random_id('r', 22, out);
}

static const char *base_path(gw_run_kind kind)
{
    return kind == GW_RUN_OPTIMIZATION ? "/api/v1/optimizations" : "/api/v1/backtests";
}

/* Finds the caller's run named by the path; false with 404 / 503 set. */
static bool find_run(gw_ctx *ctx, gw_request *req, gw_run_kind kind, gw_run_info *run,
                     gw_response *res)
{
    stom_errbuf eb = {0};
    const char *id = req->n_params > 0 ? req->params[0] : "";
    int rc = gw_run_store_find(ctx->db, req->user.id, kind, false, id, run, &eb);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "no %s '%.48s'", gw_run_kind_name(kind), id);
    else if (rc)
        gw_reply_unavailable(res, "the database", &eb);
    return rc == 0;
}

static void coord_failed(gw_response *res, int rc, const stom_errbuf *eb)
{
    if (rc == STOM_EFORMAT)
        gw_reply_error(res, 502, "coordinator_error", NULL, "the coordinator answered: %s",
                       eb->msg);
    else
        gw_reply_unavailable(res, "the backtest coordinator", eb);
}

/* ---- POST ------------------------------------------------------------------------ */

/* Stores the runs row and submits, committing only what the coordinator accepted. */
static void submit(gw_ctx *ctx, gw_request *req, gw_run_kind kind, gw_run_request *rr,
                   const char *request_json, gw_response *res)
{
    const char *id = rr->spec->job_id, *state = "queued";
    stom_errbuf eb = {0};
    if (stom_db_begin(ctx->db, &eb) ||
        gw_run_store_insert(ctx->db, req->user.id, kind, id, rr, request_json, &eb)) {
        stom_db_rollback(ctx->db);
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    int rc = gw_run_coord_submit(ctx->coord, rr->spec, &state, &eb);
    if (rc) {
        stom_db_rollback(ctx->db);
        if (rc == STOM_EFORMAT)
            gw_reply_error(res, 400, "invalid_field", NULL, "%s", eb.msg);
        else
            gw_reply_unavailable(res, "the backtest coordinator", &eb);
        return;
    }
    if (stom_db_commit(ctx->db, &eb)) {
        /* The job runs but could not be recorded as the user's: stop it rather than orphan it. */
        json_t *ignored = NULL;
        stom_errbuf eb2 = {0};
        if (!gw_run_coord_control(ctx->coord, id, STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL, &ignored,
                                  &eb2))
            json_decref(ignored);
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    char self[128], status[160], topic[64];
    snprintf(self, sizeof self, "%s/%s", base_path(kind), id);
    snprintf(status, sizeof status, "%s/status", self);
    snprintf(topic, sizeof topic, "backtest.%s", id);
    gw_reply_json(res, 202,
                  json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "id", id, "kind",
                            gw_run_kind_name(kind), "state", state, "links", "self", self, "status",
                            status, "ws_topic", topic));
    snprintf(res->location, sizeof res->location, "%s", self);
}

static void post_run(gw_ctx *ctx, gw_request *req, gw_response *res, gw_run_kind kind)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    gw_run_request rr;
    if (!gw_run_request_parse(ctx, &req->user, kind, body, &rr, res)) {
        json_decref(body);
        return;
    }
    char id[GW_RUN_JOB_ID_LEN + 1];
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!new_job_id(id)) {
        gw_reply_unavailable(res, "the random source", NULL);
    } else {
        rr.spec->job_id = strdup(id);
        rr.spec->owner = strdup(req->user.username);
        submit(ctx, req, kind, &rr, text, res);
    }
    free(text);
    gw_run_request_free(&rr);
}

/* ---- GET list ------------------------------------------------------------------------ */

static void list_runs(gw_ctx *ctx, gw_request *req, gw_response *res, gw_run_kind kind)
{
    int64_t limit = RUNS_LIMIT_DEFAULT, offset = 0, total = 0;
    if (!gw_api_query_int_or_400(req, "limit", 1, GW_RUN_PAGE_MAX, &limit, res) ||
        !gw_api_query_int_or_400(req, "offset", 0, INT32_MAX, &offset, res))
        return;
    json_t *runs = NULL;
    stom_errbuf eb = {0};
    if (gw_run_store_list(ctx->db, req->user.id, kind, limit, offset, &runs, &total, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    gw_reply_json(res, 200,
                  json_pack("{s:o, s:I, s:I, s:I}", "runs", runs, "total", (json_int_t)total,
                            "limit", (json_int_t)limit, "offset", (json_int_t)offset));
}

/* ---- GET one ------------------------------------------------------------------------ */

/* Adds a backtest's report: metrics, trades, equity and drawdown (paged), monthly returns. */
static bool add_report(gw_ctx *ctx, gw_request *req, const gw_run_info *run, json_t *out,
                       gw_response *res)
{
    int64_t t_limit = TRADES_LIMIT_DEFAULT, t_offset = 0, e_limit = GW_RUN_EQUITY_MAX, e_offset = 0,
            t_total = 0, e_total = 0;
    if (!gw_api_query_int_or_400(req, "trades_limit", 0, GW_RUN_TRADES_MAX, &t_limit, res) ||
        !gw_api_query_int_or_400(req, "trades_offset", 0, INT32_MAX, &t_offset, res) ||
        !gw_api_query_int_or_400(req, "equity_limit", 0, GW_RUN_EQUITY_MAX, &e_limit, res) ||
        !gw_api_query_int_or_400(req, "equity_offset", 0, INT32_MAX, &e_offset, res))
        return false;
    json_t *metrics = NULL, *trades = NULL, *equity = NULL, *drawdown = NULL;
    stom_errbuf eb = {0};
    int rc = gw_run_store_metrics(ctx->db, run->job_id, &metrics, &eb);
    json_t *cash = json_object_get(metrics, "initial_cash");
    if (!rc)
        rc = gw_run_store_trades(ctx->db, run->job_id, t_limit, t_offset, &trades, &t_total, &eb);
    if (!rc)
        rc = gw_run_store_equity(ctx->db, run->job_id, cash ? json_integer_value(cash) : 0, e_limit,
                                 e_offset, &equity, &drawdown, &e_total, &eb);
    if (rc) {
        json_decref(metrics);
        json_decref(trades);
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    /* A run without metrics says why: the job's error, else its failed run's. */
    json_t *failure = NULL;
    if (json_is_null(metrics) && json_is_null(json_object_get(out, "error")) &&
        !gw_run_store_failure(ctx->db, run->job_id, &failure, &eb))
        json_object_set_new(out, "error", failure);
    json_t *monthly = json_object_get(metrics, "monthly");
    json_object_set_new(out, "monthly_returns", monthly ? json_incref(monthly) : json_array());
    json_object_set_new(out, "metrics", gw_run_metrics_named(metrics));
    json_decref(metrics);
    json_object_set_new(out, "trades", trades);
    json_object_set_new(out, "trades_page",
                        json_pack("{s:I, s:I, s:I}", "total", (json_int_t)t_total, "limit",
                                  (json_int_t)t_limit, "offset", (json_int_t)t_offset));
    json_object_set_new(out, "equity", equity);
    json_object_set_new(out, "drawdown", drawdown);
    json_object_set_new(out, "equity_page",
                        json_pack("{s:I, s:I, s:I}", "total", (json_int_t)e_total, "limit",
                                  (json_int_t)e_limit, "offset", (json_int_t)e_offset));
    return true;
}

static bool is_walkforward(const json_t *summary)
{
    json_t *kind =
        json_object_get(json_object_get(json_object_get(summary, "request"), "split"), "kind");
    return json_is_string(kind) && (!strcmp(json_string_value(kind), "walkforward") ||
                                    !strcmp(json_string_value(kind), "walk-forward"));
}

/* Adds an optimization's ranked results (paged), best set per fold and walk-forward windows. */
static bool add_results(gw_ctx *ctx, gw_request *req, const gw_run_info *run, json_t *out,
                        gw_response *res)
{
    int64_t limit = RESULTS_LIMIT_DEFAULT, offset = 0;
    if (!gw_api_query_int_or_400(req, "limit", 1, GW_RUN_PAGE_MAX, &limit, res) ||
        !gw_api_query_int_or_400(req, "offset", 0, INT32_MAX, &offset, res))
        return false;
    json_t *page = NULL;
    stom_errbuf eb = {0};
    int rc = gw_run_coord_results(ctx->coord, run->job_id, (uint32_t)offset, (uint32_t)limit,
                                  is_walkforward(out), &page, &eb);
    if (rc) {
        coord_failed(res, rc, &eb);
        return false;
    }
    json_object_update(out, page);
    json_decref(page);
    return true;
}

static void get_run(gw_ctx *ctx, gw_request *req, gw_response *res, gw_run_kind kind)
{
    gw_run_info run;
    if (!find_run(ctx, req, kind, &run, res))
        return;
    json_t *out = NULL;
    stom_errbuf eb = {0};
    if (gw_run_store_summary(ctx->db, &run, &out, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    bool ok = kind == GW_RUN_BACKTEST ? add_report(ctx, req, &run, out, res)
                                      : add_results(ctx, req, &run, out, res);
    if (ok)
        gw_reply_json(res, 200, out);
    else
        json_decref(out);
}

/* ---- status and delete ---------------------------------------------------------------- */

/* The status as the jobs row has it, when the coordinator does not answer (eta unknown). */
static void status_from_db(gw_ctx *ctx, const gw_run_info *run, gw_response *res)
{
    json_t *sum = NULL;
    stom_errbuf eb = {0};
    if (gw_run_store_summary(ctx->db, run, &sum, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return;
    }
    static const char *const keys[] = {"id",     "state",          "done", "total",
                                       "failed", "best_objective", "error"};
    json_t *out = json_object();
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        json_object_set(out, keys[k], json_object_get(sum, keys[k]));
    json_object_set_new(out, "eta_s", json_null());
    json_decref(sum);
    gw_reply_json(res, 200, out);
}

static void get_status(gw_ctx *ctx, gw_request *req, gw_response *res, gw_run_kind kind)
{
    gw_run_info run;
    if (!find_run(ctx, req, kind, &run, res))
        return;
    json_t *status = NULL;
    stom_errbuf eb = {0};
    int rc = gw_run_coord_control(ctx->coord, run.job_id, STOM__V1__JOB_ACTION__JOB_ACTION_QUERY,
                                  &status, &eb);
    if (rc == STOM_ETIMEDOUT || rc == STOM_EIO)
        status_from_db(ctx, &run, res);
    else if (rc)
        coord_failed(res, rc, &eb);
    else
        gw_reply_json(res, 200, status);
}

static void delete_run(gw_ctx *ctx, gw_request *req, gw_response *res, gw_run_kind kind)
{
    gw_run_info run;
    if (!find_run(ctx, req, kind, &run, res))
        return;
    stom_errbuf eb = {0};
    if (gw_run_state_active(run.state)) {
        json_t *status = NULL;
        int rc = gw_run_coord_control(ctx->coord, run.job_id,
                                      STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL, &status, &eb);
        if (rc)
            coord_failed(res, rc, &eb);
        else
            gw_reply_json(res, 202, status);
        return;
    }
    int rc = gw_run_store_delete(ctx->db, run.job_id, &eb);
    if (rc == STOM_ESTATE)
        gw_reply_error(res, 409, "conflict", NULL,
                       "the %s is still running: DELETE it again to "
                       "cancel it",
                       gw_run_kind_name(kind));
    else if (rc)
        gw_reply_unavailable(res, "the database", &eb);
    else
        gw_reply_empty(res, 204);
}

/* ---- the table ---------------------------------------------------------------------- */

#define KIND_HANDLERS(name, kind)                                                                  \
    static void post_##name(gw_ctx *c, gw_request *q, gw_response *r)                              \
    {                                                                                              \
        post_run(c, q, r, kind);                                                                   \
    }                                                                                              \
    static void list_##name(gw_ctx *c, gw_request *q, gw_response *r)                              \
    {                                                                                              \
        list_runs(c, q, r, kind);                                                                  \
    }                                                                                              \
    static void get_##name(gw_ctx *c, gw_request *q, gw_response *r)                               \
    {                                                                                              \
        get_run(c, q, r, kind);                                                                    \
    }                                                                                              \
    static void status_##name(gw_ctx *c, gw_request *q, gw_response *r)                            \
    {                                                                                              \
        get_status(c, q, r, kind);                                                                 \
    }                                                                                              \
    static void delete_##name(gw_ctx *c, gw_request *q, gw_response *r)                            \
    {                                                                                              \
        delete_run(c, q, r, kind);                                                                 \
    }

KIND_HANDLERS(backtest, GW_RUN_BACKTEST)
KIND_HANDLERS(optimization, GW_RUN_OPTIMIZATION)

const gw_route gw_routes_runs[] = {
    {"POST", "/api/v1/backtests", post_backtest, GW_USER, GW_LIMIT_USER, "Submit a backtest", NULL},
    {"GET", "/api/v1/backtests", list_backtest, GW_USER, GW_LIMIT_USER, "The caller's backtests",
     "limit#,offset#"},
    {"GET", "/api/v1/backtests/{id}", get_backtest, GW_USER, GW_LIMIT_USER,
     "A backtest's report: metrics, trades, equity, drawdown, monthly returns",
     "trades_limit#,trades_offset#,equity_limit#,equity_offset#"},
    {"GET", "/api/v1/backtests/{id}/status", status_backtest, GW_USER, GW_LIMIT_USER,
     "A backtest's state and progress", NULL},
    {"DELETE", "/api/v1/backtests/{id}", delete_backtest, GW_USER, GW_LIMIT_USER,
     "Cancel a running backtest, or delete a finished one", NULL},
    {"POST", "/api/v1/optimizations", post_optimization, GW_USER, GW_LIMIT_USER,
     "Submit an optimization", NULL},
    {"GET", "/api/v1/optimizations", list_optimization, GW_USER, GW_LIMIT_USER,
     "The caller's optimizations", "limit#,offset#"},
    {"GET", "/api/v1/optimizations/{id}", get_optimization, GW_USER, GW_LIMIT_USER,
     "An optimization's ranked results, best set per fold and walk-forward windows",
     "limit#,offset#"},
    {"GET", "/api/v1/optimizations/{id}/status", status_optimization, GW_USER, GW_LIMIT_USER,
     "An optimization's state and progress", NULL},
    {"DELETE", "/api/v1/optimizations/{id}", delete_optimization, GW_USER, GW_LIMIT_USER,
     "Cancel a running optimization, or delete a finished one", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
