/*
 * run_store.c - runs, jobs, results, trades and equity rows read and
 * written for the run routes (see run_store.h). Every statement takes its
 * values as parameters; nothing a client sends is pasted into SQL.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_time.h"
#include "run_store.h"

#define RUN_COLUMNS                                                                                \
    "r.job_id, r.kind, r.strategy_name, coalesce(j.state, 'unknown'), coalesce(j.done_tasks, 0), " \
    "coalesce(j.total_tasks, 0), j.best_objective, floor(extract(epoch FROM "                      \
    "r.created_at))::bigint"

bool gw_run_state_active(const char *state)
{
    return !strcmp(state, "queued") || !strcmp(state, "running") || !strcmp(state, "paused");
}

static json_t *text_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_string(PQgetvalue(r, row, col));
}

/* A double column as JSON; NULL and non-finite values (a -inf objective) are null. */
static json_t *real_or_null(const PGresult *r, int row, int col)
{
    double v = PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *int_col(const PGresult *r, int row, int col)
{
    return json_integer(strtoll(PQgetvalue(r, row, col), NULL, 10));
}

static json_t *time_or_null(const PGresult *r, int row, int col)
{
    char buf[40];
    if (PQgetisnull(r, row, col))
        return json_null();
    return json_string(
        gw_api_time_format(strtoll(PQgetvalue(r, row, col), NULL, 10), buf, sizeof buf));
}

static int select_rows(stom_db *db, const char *sql, int n, const char *const *v, const char *what,
                       PGresult **out, stom_errbuf *eb)
{
    return stom_db_query(db, sql, n, v, PGRES_TUPLES_OK, what, out, eb);
}

static int count_rows(stom_db *db, const char *sql, int n, const char *const *v, int64_t *total,
                      stom_errbuf *eb)
{
    PGresult *r = NULL;
    int rc = select_rows(db, sql, n, v, "counting", &r, eb);
    if (rc)
        return rc;
    *total = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int gw_run_store_insert(stom_db *db, int64_t user_id, gw_run_kind kind, const char *job_id,
                        const gw_run_request *req, const char *request_json, stom_errbuf *eb)
{
    char uid[24], sid[24], ver[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    snprintf(sid, sizeof sid, "%lld", (long long)req->strategy_id);
    snprintf(ver, sizeof ver, "%d", (int)req->strategy_version);
    bool stored = req->strategy_id > 0;
    const char *v[] = {job_id,
                       uid,
                       gw_run_kind_name(kind),
                       stored ? sid : NULL,
                       stored ? ver : NULL,
                       req->spec->strategy_name,
                       req->spec->strategy_code,
                       request_json};
    return stom_db_query(db,
                         "INSERT INTO runs (job_id, user_id, kind, strategy_id, strategy_version, "
                         "strategy_name, strategy_code, request) VALUES ($1, $2, $3, $4, $5, $6, "
                         "$7, $8::jsonb)",
                         8, v, PGRES_COMMAND_OK, "storing the run", NULL, eb);
}

int gw_run_store_find(stom_db *db, int64_t user_id, gw_run_kind kind, bool any_kind,
                      const char *job_id, gw_run_info *out, stom_errbuf *eb)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    const char *v[] = {job_id, uid, any_kind ? NULL : gw_run_kind_name(kind)};
    PGresult *r = NULL;
    if (strlen(job_id) > GW_RUN_JOB_ID_LEN)
        return stom_errorf(eb, STOM_ENOTFOUND, "no such run");
    int rc = select_rows(db,
                         "SELECT r.kind, coalesce(j.state, 'unknown') FROM runs r LEFT JOIN jobs j "
                         "ON j.id = r.job_id WHERE r.job_id = $1 AND r.user_id = $2 AND "
                         "($3::text IS NULL OR r.kind = $3)",
                         3, v, "finding the run", &r, eb);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return stom_errorf(eb, STOM_ENOTFOUND, "no such run");
    }
    memset(out, 0, sizeof *out);
    snprintf(out->job_id, sizeof out->job_id, "%s", job_id);
    out->kind =
        !strcmp(PQgetvalue(r, 0, 0), "optimization") ? GW_RUN_OPTIMIZATION : GW_RUN_BACKTEST;
    snprintf(out->state, sizeof out->state, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

int gw_run_store_list(stom_db *db, int64_t user_id, gw_run_kind kind, int64_t limit, int64_t offset,
                      json_t **runs, int64_t *total, stom_errbuf *eb)
{
    char uid[24], lim[24], off[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    snprintf(lim, sizeof lim, "%lld", (long long)limit);
    snprintf(off, sizeof off, "%lld", (long long)offset);
    const char *v[] = {uid, gw_run_kind_name(kind), lim, off};
    PGresult *r = NULL;
    int rc = count_rows(db, "SELECT count(*) FROM runs WHERE user_id = $1 AND kind = $2", 2, v,
                        total, eb);
    if (!rc)
        rc = select_rows(db,
                         "SELECT " RUN_COLUMNS " FROM runs r LEFT JOIN jobs j ON j.id = r.job_id "
                         "WHERE r.user_id = $1 AND r.kind = $2 ORDER BY r.created_at DESC, "
                         "r.job_id LIMIT $3 OFFSET $4",
                         4, v, "listing runs", &r, eb);
    if (rc)
        return rc;
    *runs = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(
            *runs, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", PQgetvalue(r, i, 0),
                             "kind", PQgetvalue(r, i, 1), "strategy", PQgetvalue(r, i, 2), "state",
                             PQgetvalue(r, i, 3), "done", int_col(r, i, 4), "total",
                             int_col(r, i, 5), "best_objective", real_or_null(r, i, 6),
                             "created_at", time_or_null(r, i, 7)));
    PQclear(r);
    return 0;
}

int gw_run_store_summary(stom_db *db, const gw_run_info *run, json_t **out, stom_errbuf *eb)
{
    const char *v[] = {run->job_id};
    PGresult *r = NULL;
    int rc = select_rows(db,
                         "SELECT " RUN_COLUMNS ", coalesce(j.failed_tasks, 0), j.error, "
                         "floor(extract(epoch FROM j.finished_at))::bigint, r.strategy_version, "
                         "r.strategy_code, r.request::text FROM runs r LEFT JOIN jobs j ON j.id = "
                         "r.job_id WHERE r.job_id = $1",
                         1, v, "reading the run", &r, eb);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return stom_errorf(eb, STOM_ENOTFOUND, "no such run");
    }
    json_t *request = json_loads(PQgetvalue(r, 0, 13), 0, NULL);
    *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
        PQgetvalue(r, 0, 0), "kind", PQgetvalue(r, 0, 1), "strategy", PQgetvalue(r, 0, 2), "state",
        PQgetvalue(r, 0, 3), "done", int_col(r, 0, 4), "total", int_col(r, 0, 5), "failed",
        int_col(r, 0, 8), "best_objective", real_or_null(r, 0, 6), "error", text_or_null(r, 0, 9),
        "created_at", time_or_null(r, 0, 7), "finished_at", time_or_null(r, 0, 10),
        "strategy_version", PQgetisnull(r, 0, 11) ? json_null() : int_col(r, 0, 11),
        "strategy_code", text_or_null(r, 0, 12), "request", request ? request : json_null());
    PQclear(r);
    return 0;
}

int gw_run_store_metrics(stom_db *db, const char *job_id, json_t **out, stom_errbuf *eb)
{
    const char *v[] = {job_id};
    PGresult *r = NULL;
    int rc = select_rows(db,
                         "SELECT metrics::text FROM results WHERE job_id = $1 AND phase = 'search' "
                         "AND metrics IS NOT NULL ORDER BY objective DESC NULLS LAST, task_id "
                         "LIMIT 1",
                         1, v, "reading metrics", &r, eb);
    if (rc)
        return rc;
    json_t *m = PQntuples(r) ? json_loads(PQgetvalue(r, 0, 0), 0, NULL) : NULL;
    *out = m ? m : json_null();
    PQclear(r);
    return 0;
}

int gw_run_store_failure(stom_db *db, const char *job_id, json_t **out, stom_errbuf *eb)
{
    const char *v[] = {job_id};
    PGresult *r = NULL;
    int rc = select_rows(db,
                         "SELECT error FROM results WHERE job_id = $1 AND status = 'failed' AND "
                         "error IS NOT NULL ORDER BY task_id LIMIT 1",
                         1, v, "reading the failure", &r, eb);
    if (rc)
        return rc;
    *out = PQntuples(r) ? json_string(PQgetvalue(r, 0, 0)) : json_null();
    PQclear(r);
    return 0;
}

static json_t *trade_json(const PGresult *r, int i)
{
    char entry[40], exit_[40];
    gw_api_time_format(strtoll(PQgetvalue(r, i, 3), NULL, 10), entry, sizeof entry);
    gw_api_time_format(strtoll(PQgetvalue(r, i, 4), NULL, 10), exit_, sizeof exit_);
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "symbol",
                     PQgetvalue(r, i, 0), "side", PQgetvalue(r, i, 1), "qty", int_col(r, i, 2),
                     "entry_time", entry, "exit_time", exit_, "entry_price", int_col(r, i, 5),
                     "exit_price", int_col(r, i, 6), "pnl", int_col(r, i, 7), "return_pct",
                     real_or_null(r, i, 8), "fees", int_col(r, i, 9), "taxes", int_col(r, i, 10),
                     "open_at_end", PQgetvalue(r, i, 11)[0] == 't');
}

int gw_run_store_trades(stom_db *db, const char *job_id, int64_t limit, int64_t offset,
                        json_t **out, int64_t *total, stom_errbuf *eb)
{
    char lim[24], off[24];
    snprintf(lim, sizeof lim, "%lld", (long long)limit);
    snprintf(off, sizeof off, "%lld", (long long)offset);
    const char *v[] = {job_id, lim, off};
    PGresult *r = NULL;
    int rc = count_rows(db, "SELECT count(*) FROM trades WHERE job_id = $1", 1, v, total, eb);
    if (!rc)
        rc = select_rows(db,
                         "SELECT symbol, side, qty, entry_ts, exit_ts, entry_price, exit_price, "
                         "pnl, return_pct, fees, taxes, open_at_end FROM trades WHERE job_id = $1 "
                         "ORDER BY task_id, seq LIMIT $2 OFFSET $3",
                         3, v, "reading trades", &r, eb);
    if (rc)
        return rc;
    *out = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(*out, trade_json(r, i));
    PQclear(r);
    return 0;
}

int gw_run_store_equity(stom_db *db, const char *job_id, int64_t initial_cash, int64_t limit,
                        int64_t offset, json_t **equity, json_t **drawdown, int64_t *total,
                        stom_errbuf *eb)
{
    char lim[24], off[24];
    snprintf(lim, sizeof lim, "%lld", (long long)limit);
    snprintf(off, sizeof off, "%lld", (long long)offset);
    const char *v[] = {job_id, lim, off};
    PGresult *r = NULL;
    int rc =
        count_rows(db, "SELECT count(*) FROM equity_points WHERE job_id = $1", 1, v, total, eb);
    /* The running peak is a window over the whole series, taken before the page is cut. */
    if (!rc)
        rc = select_rows(db,
                         "SELECT ts, equity, max(equity) OVER (PARTITION BY task_id ORDER BY ts "
                         "ROWS UNBOUNDED PRECEDING) FROM equity_points WHERE job_id = $1 ORDER BY "
                         "task_id, ts LIMIT $2 OFFSET $3",
                         3, v, "reading equity", &r, eb);
    if (rc)
        return rc;
    *equity = json_array();
    *drawdown = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        char t[40];
        gw_api_time_format(strtoll(PQgetvalue(r, i, 0), NULL, 10), t, sizeof t);
        int64_t e = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        int64_t peak = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        if (peak < initial_cash)
            peak = initial_cash;
        double dd = peak > 0 ? (double)(e - peak) / (double)peak * 100.0 : 0.0;
        json_array_append_new(*equity, json_pack("{s:s, s:I}", "t", t, "equity", (json_int_t)e));
        json_array_append_new(*drawdown, json_pack("{s:s, s:f}", "t", t, "drawdown_pct", dd));
    }
    PQclear(r);
    return 0;
}

int gw_run_store_delete(stom_db *db, const char *job_id, stom_errbuf *eb)
{
    const char *v[] = {job_id};
    PGresult *r = NULL;
    int rc = stom_db_begin(db, eb);
    if (!rc)
        rc = select_rows(db, "SELECT state FROM jobs WHERE id = $1 FOR UPDATE", 1, v,
                         "locking the job", &r, eb);
    if (!rc && PQntuples(r) && gw_run_state_active(PQgetvalue(r, 0, 0)))
        rc = stom_errorf(eb, STOM_ESTATE, "the job is %s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (!rc)
        rc = stom_db_query(db, "DELETE FROM jobs WHERE id = $1", 1, v, PGRES_COMMAND_OK,
                           "deleting the job", NULL, eb);
    if (!rc)
        rc = stom_db_query(db, "DELETE FROM runs WHERE job_id = $1", 1, v, PGRES_COMMAND_OK,
                           "deleting the run", NULL, eb);
    if (!rc)
        rc = stom_db_commit(db, eb);
    if (rc)
        stom_db_rollback(db);
    return rc;
}

/* STOM's names of the report's numbers (docs/metrics.md) and the fields they are. */
static const struct {
    const char *stom, *field;
} stom_names[] = {
    {"TG", "net_profit"},
    {"TP", "sum_trade_pct"},
    {"CAGR", "stom_cagr_pct"},
    {"MDD", "max_drawdown_pct"},
    {"MDD_won", "max_drawdown_amount"},
    {"WR", "win_rate_pct"},
    {"AP", "avg_trade_pct"},
    {"TC", "trades"},
    {"AH", "avg_holding_days"},
    {"MH", "max_concurrent_positions"},
    {"ATC", "trades_per_day"},
    {"TPI", "tpi"},
    {"seed", "required_capital"},
};

json_t *gw_run_metrics_named(const json_t *metrics)
{
    if (!json_is_object(metrics))
        return json_null();
    json_t *stom = json_object();
    for (size_t k = 0; k < sizeof stom_names / sizeof stom_names[0]; k++) {
        json_t *v = json_object_get(metrics, stom_names[k].field);
        json_object_set_new(stom, stom_names[k].stom, v ? json_incref(v) : json_null());
    }
    return json_pack("{s:O, s:o}", "standard", metrics, "stom", stom);
}
