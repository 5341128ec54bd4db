/*
 * bt_task.c - one task: backtest the fold's periods with the task's
 * parameters, score them, and build the TaskResult. Everything here is a
 * function of (job, task, bars): no clock, no randomness, no worker state
 * reaches the result except worker_id and elapsed_ms, which the
 * coordinator keeps apart from the result rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

#define NS_PER_S    1000000000LL
#define MAX_SYMBOLS 64

typedef struct period_run {
    stom_backtest_result res;
    stom_opt_stats st;
    double objective;
    size_t n_violated;
    size_t violated[BT_MAX_CONSTRAINTS];
} period_run;

static void fail(bt_task_output *out, const char *what, const char *why)
{
    out->r.status = STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    snprintf(out->error, sizeof out->error, "%s: %s", what, why);
    out->r.error = out->error;
}

static int run_period(const bt_job *job, const stom_params *params, const bt_series_set *data,
                      const Stom__V1__Period *p, period_run *pr, stom_errbuf *eb)
{
    memset(pr, 0, sizeof *pr);
    if (!p || !p->has_from_ns || !p->has_to_ns)
        return stom_errorf(eb, STOM_EINVAL, "the task's fold has no such period");
    int64_t from = p->from_ns / NS_PER_S, to = p->to_ns / NS_PER_S;
    stom_bars views[MAX_SYMBOLS];
    size_t n = 0;
    for (size_t i = 0; i < data->n && n < MAX_SYMBOLS; i++)
        if (bt_series_view(&data->series[i], from, to, &views[n]) > 0)
            n++;
    if (n == 0) {
        char a[32], b[32];
        stom_format_time(from, STOM_KST_OFFSET_MINUTES, true, a, sizeof a);
        stom_format_time(to - 1, STOM_KST_OFFSET_MINUTES, true, b, sizeof b);
        return stom_errorf(eb, STOM_EEMPTY, "no bars from %s to %s", a, b);
    }
    stom_backtest_config cfg = job->config;
    cfg.drawdown_series = false;
    int rc = stom_backtest_run(job->def, params, views, n, &cfg, &pr->res, eb);
    if (rc)
        return rc;
    stom_opt_stats_from(&pr->st, &pr->res.metrics, pr->res.trades, pr->res.n_trades);
    pr->objective = stom_objective_value(job->objective, &pr->st);
    pr->n_violated = stom_constraints_check(job->constraints, job->n_constraints, &pr->st,
                                            pr->violated, BT_MAX_CONSTRAINTS);
    if (pr->n_violated)
        pr->objective = -INFINITY;
    return 0;
}

static void add_violations(bt_task_output *out, const bt_job *job, const period_run *pr)
{
    for (size_t i = 0; i < pr->n_violated; i++) {
        char *text = (char *)job->constraints[pr->violated[i]].text;
        bool seen = false;
        for (size_t k = 0; k < out->r.n_violated; k++)
            seen = seen || out->violated[k] == text;
        if (!seen && out->r.n_violated < BT_MAX_CONSTRAINTS)
            out->violated[out->r.n_violated++] = text;
    }
    out->r.violated = out->violated;
    out->r.has_constraints_met = 1;
    out->r.constraints_met = out->r.n_violated == 0;
}

/* The search score: train alone, or train and validation weighted. */
static double search_score(double train, double valid, bool has_valid, double w)
{
    if (!has_valid || w == 0)
        return train;
    if (w == 1)
        return valid;
    if (isinf(train) && train < 0)
        return -INFINITY;
    if (isinf(valid) && valid < 0)
        return -INFINITY;
    return (1 - w) * train + w * valid;
}

/* The job's own copy of symbol (trades are freed with their run; the job outlives the output). */
static char *job_symbol(const bt_job *job, const char *symbol)
{
    for (size_t k = 0; k < job->spec->n_symbols; k++)
        if (!strcmp(job->spec->symbols[k], symbol))
            return job->spec->symbols[k];
    return (char *)"";
}

static void add_trades(bt_task_output *out, const bt_job *job, const stom_backtest_result *res)
{
    size_t n = res->n_trades;
    out->trades = stom_xcalloc(n ? n : 1, sizeof *out->trades);
    out->trade_ptrs = stom_xcalloc(n ? n : 1, sizeof *out->trade_ptrs);
    for (size_t i = 0; i < n; i++) {
        const stom_trade *t = &res->trades[i];
        Stom__V1__TradeRecord *r = &out->trades[i];
        stom__v1__trade_record__init(r);
        r->symbol = job_symbol(job, t->symbol);
        r->has_side = r->has_qty = r->has_entry_ns = r->has_exit_ns = 1;
        r->side = t->side > 0 ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
        r->qty = t->qty;
        r->entry_ns = t->entry_ts * NS_PER_S;
        r->exit_ns = t->exit_ts * NS_PER_S;
        r->has_entry_price = r->has_exit_price = r->has_pnl = r->has_return_pct = 1;
        r->entry_price = t->entry_price;
        r->exit_price = t->exit_price;
        r->pnl = t->pnl;
        r->return_pct = stom_trade_return_pct(t);
        r->has_fees = r->has_taxes = r->has_open_at_end = 1;
        r->fees = t->fees;
        r->taxes = t->taxes;
        r->open_at_end = t->open_at_end;
        out->trade_ptrs[i] = r;
    }
    out->r.n_trades = n;
    out->r.trades = out->trade_ptrs;
}

/* Equity at the last point of each KST day. */
static void add_equity(bt_task_output *out, const stom_backtest_result *res)
{
    Stom__V1__EquitySeries *e = &out->equity;
    stom__v1__equity_series__init(e);
    e->ts_ns = stom_xcalloc(res->n ? res->n : 1, sizeof *e->ts_ns);
    e->equity = stom_xcalloc(res->n ? res->n : 1, sizeof *e->equity);
    size_t k = 0;
    for (size_t i = 0; i < res->n; i++) {
        int64_t day = (res->ts[i] + STOM_KST_OFFSET_MINUTES * 60) / 86400;
        int64_t next =
            i + 1 < res->n ? (res->ts[i + 1] + STOM_KST_OFFSET_MINUTES * 60) / 86400 : day + 1;
        if (next == day)
            continue;
        e->ts_ns[k] = res->ts[i] * NS_PER_S;
        e->equity[k++] = res->equity[i];
    }
    e->n_ts_ns = e->n_equity = k;
    out->r.equity = e;
}

static void run_search(const bt_job *job, const Stom__V1__Task *t, const stom_params *params,
                       const bt_series_set *data, bt_task_output *out)
{
    stom_errbuf eb = {0};
    period_run train, valid;
    bool has_valid = t->fold && t->fold->valid;
    if (run_period(job, params, data, t->fold ? t->fold->train : NULL, &train, &eb)) {
        fail(out, "train period", eb.msg);
        return;
    }
    if (has_valid && run_period(job, params, data, t->fold->valid, &valid, &eb)) {
        fail(out, "validation period", eb.msg);
        stom_backtest_result_free(&train.res);
        return;
    }
    bt_metrics_to_pb(&train.res.metrics, train.st.tp, &out->metrics);
    out->r.metrics = &out->metrics.m;
    add_violations(out, job, &train);
    if (has_valid) {
        bt_metrics_to_pb(&valid.res.metrics, valid.st.tp, &out->valid);
        out->r.valid_metrics = &out->valid.m;
        out->r.has_valid_objective = 1;
        out->r.valid_objective = valid.objective;
        add_violations(out, job, &valid);
        stom_backtest_result_free(&valid.res);
    }
    out->r.has_objective = 1;
    out->r.objective = search_score(train.objective, has_valid ? valid.objective : 0, has_valid,
                                    job->valid_weight);
    if (t->want_details) {
        add_trades(out, job, &train.res);
        add_equity(out, &train.res);
    }
    stom_backtest_result_free(&train.res);
}

static void run_test(const bt_job *job, const Stom__V1__Task *t, const stom_params *params,
                     const bt_series_set *data, bt_task_output *out)
{
    stom_errbuf eb = {0};
    period_run test;
    if (run_period(job, params, data, t->fold ? t->fold->test : NULL, &test, &eb)) {
        fail(out, "test period", eb.msg);
        return;
    }
    bt_metrics_to_pb(&test.res.metrics, test.st.tp, &out->test);
    out->r.test_metrics = &out->test.m;
    add_violations(out, job, &test);
    out->r.has_objective = out->r.has_test_objective = 1;
    out->r.objective = out->r.test_objective = test.objective;
    stom_backtest_result_free(&test.res);
}

static void copy_header(bt_task_output *out, const bt_job *job, const Stom__V1__Task *t,
                        const char *worker_id)
{
    Stom__V1__TaskResult *r = &out->r;
    stom__v1__task_result__init(r);
    snprintf(out->job_id, sizeof out->job_id, "%s", t->job_id ? t->job_id : job->id);
    snprintf(out->worker_id, sizeof out->worker_id, "%s", worker_id ? worker_id : "");
    r->job_id = out->job_id;
    r->worker_id = out->worker_id;
    r->has_task_id = r->has_lease_token = r->has_status = 1;
    r->task_id = t->task_id;
    r->lease_token = t->lease ? t->lease->token : 0;
    r->status = STOM__V1__TASK_STATUS__TASK_STATUS_OK;
    r->has_fold_index = r->has_phase = r->has_unit = r->has_candidate = 1;
    r->fold_index = t->fold ? t->fold->index : 0;
    r->phase = t->phase == STOM__V1__TASK_PHASE__TASK_PHASE_TEST
                   ? STOM__V1__TASK_PHASE__TASK_PHASE_TEST
                   : STOM__V1__TASK_PHASE__TASK_PHASE_SEARCH;
    r->unit = t->unit;
    r->candidate = t->candidate;
}

void bt_task_run(const bt_job *job, const Stom__V1__Task *t, const bt_series_set *data,
                 const char *worker_id, bt_task_output *out)
{
    memset(out, 0, sizeof *out);
    copy_header(out, job, t, worker_id);
    stom_params params = job->base;
    stom_errbuf eb = {0};
    if (bt_params_from_pb(job->def, t->params, t->n_params, &params, &eb)) {
        fail(out, "parameters", eb.msg);
        return;
    }
    bt_params_to_pb(job->def, &params, &out->params);
    out->r.n_params = out->params.n;
    out->r.params = out->params.ptrs;
    if (out->r.phase == STOM__V1__TASK_PHASE__TASK_PHASE_TEST)
        run_test(job, t, &params, data, out);
    else
        run_search(job, t, &params, data, out);
    if (out->r.status == STOM__V1__TASK_STATUS__TASK_STATUS_FAILED) {
        out->r.has_objective = 1;
        out->r.objective = -INFINITY;
    }
}

void bt_task_output_free(bt_task_output *out)
{
    if (!out)
        return;
    bt_pb_metrics_free(&out->metrics);
    bt_pb_metrics_free(&out->valid);
    bt_pb_metrics_free(&out->test);
    free(out->trades);
    free(out->trade_ptrs);
    free(out->equity.ts_ns);
    free(out->equity.equity);
    memset(out, 0, sizeof *out);
}

void bt_task_run_failed(const bt_job *job, const Stom__V1__Task *t, const char *worker_id,
                        const char *why, bt_task_output *out)
{
    memset(out, 0, sizeof *out);
    copy_header(out, job, t, worker_id);
    fail(out, "job", why);
    out->r.has_objective = 1;
    out->r.objective = -INFINITY;
}
