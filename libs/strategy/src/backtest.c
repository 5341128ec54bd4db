/*
 * backtest.c - drives a strategy over bar series against the simulated
 * exchange on one merged timeline, records equity, and computes the report.
 *
 * Per bar of a symbol: the exchange opens the bar (pending orders fill), the
 * fills reach the strategy's on_fill, the strategy sees the completed bar
 * (on_bar) and may act, the exchange closes the bar (close-mode fills, mark).
 * Fills are queued and delivered between those steps so a strategy reacting
 * to a fill never re-enters the exchange while it is matching.
 *
 * A strategy that sets ctx->failed (a Lua error or limit) stops the run
 * after that callback: no result, its code and message go to the caller.
 */
#include "stom/backtest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/timeutil.h"

typedef struct run {
    const stom_strategy_def *def;
    const stom_bars *series;
    size_t n_series;
    stom_exchange *x;
    const stom_portfolio *book; /* the exchange's, borrowed */
    unsigned char *states;      /* n_series * state_size */
    stom_strategy_ctx *ctx;
    stom_fill *queued; /* fills waiting for on_fill */
    size_t n_queued, cap_queued, fills;
    int failed; /* a strategy's ctx->failed: the run stops */
    stom_backtest_result *out;
} run;

static void *state_of(run *r, size_t s)
{
    return r->states + s * r->def->state_size;
}

static int ctx_submit(stom_strategy_ctx *ctx, const stom_order *o)
{
    run *r = ctx->runner;
    int rc = stom_exchange_submit(r->x, o, NULL);
    ctx->pending = stom_exchange_pending(r->x, ctx->symbol);
    return rc;
}

static size_t ctx_cancel_all(stom_strategy_ctx *ctx)
{
    run *r = ctx->runner;
    ctx->pending = 0;
    return stom_exchange_cancel_all(r->x, ctx->symbol);
}

static const stom_ctx_ops backtest_ops = {ctx_submit, ctx_cancel_all};

static void queue_fill(void *arg, const stom_fill *f)
{
    run *r = arg;
    r->fills++;
    r->ctx[f->symbol].pending = SIZE_MAX; /* stale until refreshed */
    if (r->def->on_fill == NULL)
        return;
    if (r->n_queued == r->cap_queued) {
        r->cap_queued = r->cap_queued ? 2 * r->cap_queued : 16;
        r->queued = stom_xrealloc(r->queued, r->cap_queued * sizeof *r->queued);
    }
    r->queued[r->n_queued++] = *f;
}

static void refresh_ctx(run *r, stom_strategy_ctx *ctx)
{
    const stom_position *pos = &r->book->pos[ctx->symbol];
    ctx->position = pos->qty;
    ctx->entries = pos->entries;
    ctx->pending = stom_exchange_pending(r->x, ctx->symbol);
}

static void deliver_fills(run *r)
{
    for (size_t k = 0; k < r->n_queued; k++) {
        stom_strategy_ctx *ctx = &r->ctx[r->queued[k].symbol];
        refresh_ctx(r, ctx);
        r->def->on_fill(state_of(r, (size_t)ctx->symbol), ctx, &r->queued[k]);
        if (ctx->failed) {
            r->failed = ctx->failed;
            break;
        }
    }
    r->n_queued = 0;
}

/* One completed bar i of symbol s. */
static void step(run *r, size_t s, size_t i)
{
    const stom_bars *b = &r->series[s];
    stom_bar bar = {b->ts[i], b->open[i], b->high[i], b->low[i], b->close[i], b->volume[i]};
    stom_strategy_ctx *ctx = &r->ctx[s];
    stom_exchange_open_bar(r->x, (int)s, &bar);
    if (r->n_queued)
        deliver_fills(r);
    if (r->failed)
        return;
    ctx->i = i;
    /* Position and pending orders only change through fills, submits and cancels. */
    if (ctx->pending != 0)
        refresh_ctx(r, ctx);
    r->def->on_bar(state_of(r, s), ctx);
    if (ctx->failed) {
        r->failed = ctx->failed;
        return;
    }
    stom_exchange_close_bar(r->x, (int)s, &bar);
    if (r->n_queued)
        deliver_fills(r);
}

static void record(run *r, int64_t ts)
{
    stom_backtest_result *out = r->out;
    const stom_portfolio *p = r->book;
    out->ts[out->n] = ts;
    out->equity[out->n] = p->open_positions ? stom_portfolio_equity(p) : p->cash;
    out->positions[out->n] = p->open_positions;
    out->n++;
}

static void run_single(run *r)
{
    const stom_bars *b = &r->series[0];
    for (size_t i = 0; i < b->len; i++) {
        step(r, 0, i);
        if (r->failed)
            break;
        record(r, b->ts[i]);
    }
}

/* Several symbols: k-way merge of their timestamps, one equity point per timestamp. */
static void run_merged(run *r)
{
    size_t *cur = stom_xcalloc(r->n_series, sizeof *cur);
    for (;;) {
        int64_t t = INT64_MAX;
        for (size_t s = 0; s < r->n_series; s++) {
            if (cur[s] < r->series[s].len && r->series[s].ts[cur[s]] < t)
                t = r->series[s].ts[cur[s]];
        }
        if (t == INT64_MAX)
            break;
        for (size_t s = 0; s < r->n_series && !r->failed; s++) {
            if (cur[s] < r->series[s].len && r->series[s].ts[cur[s]] == t)
                step(r, s, cur[s]++);
        }
        if (r->failed)
            break;
        record(r, t);
    }
    free(cur);
}

void stom_backtest_config_default(stom_backtest_config *c)
{
    memset(c, 0, sizeof *c);
    c->initial_cash = 10000000;
    stom_cost_model_default(&c->exchange.costs);
    c->exchange.fill = STOM_FILL_NEXT_OPEN;
    c->exchange.sizing.kind = STOM_SIZE_ALL_IN;
    c->exchange.price_limits = true;
    c->exchange.utc_offset_minutes = STOM_KST_OFFSET_MINUTES;
    c->pyramiding = 1;
}

static int check_inputs(const stom_strategy_def *def, const stom_params *params,
                        const stom_bars *series, size_t n_series, const stom_backtest_config *cfg,
                        stom_errbuf *eb)
{
    if (params->n != def->n_params)
        return stom_errorf(eb, STOM_EINVAL, "%s takes %zu parameters, got %zu", def->name,
                           def->n_params, params->n);
    if (n_series == 0)
        return stom_errorf(eb, STOM_EEMPTY, "no data to backtest");
    for (size_t s = 0; s < n_series; s++) {
        if (series[s].len == 0)
            return stom_errorf(eb, STOM_EEMPTY, "no bars for %s in the chosen period",
                               series[s].inst.symbol);
    }
    if (cfg->pyramiding < 1)
        return stom_errorf(eb, STOM_EINVAL, "pyramiding must be at least 1");
    return STOM_OK;
}

static int init_states(run *r, const stom_params *params, const stom_backtest_config *cfg,
                       stom_errbuf *eb)
{
    r->states = stom_xcalloc(r->n_series, r->def->state_size ? r->def->state_size : 1);
    r->ctx = stom_xcalloc(r->n_series, sizeof *r->ctx);
    for (size_t s = 0; s < r->n_series; s++) {
        if (r->def->state_init)
            memcpy(state_of(r, s), r->def->state_init, r->def->state_size);
        int rc = r->def->init(state_of(r, s), params, eb);
        if (rc != STOM_OK) {
            for (size_t k = 0; k < s && r->def->fini; k++)
                r->def->fini(state_of(r, k));
            return rc;
        }
        stom_strategy_ctx *ctx = &r->ctx[s];
        ctx->bars = &r->series[s];
        ctx->symbol = (int)s;
        ctx->allow_short = cfg->allow_short;
        ctx->pyramiding = cfg->pyramiding;
        ctx->ops = &backtest_ops;
        ctx->runner = r;
        ctx->book = r->book;
        ctx->eb = eb;
    }
    return STOM_OK;
}

static double buy_and_hold_pct(const stom_bars *series, size_t n)
{
    double sum = 0;
    for (size_t s = 0; s < n; s++)
        sum += ((double)series[s].close[series[s].len - 1] / (double)series[s].close[0] - 1) * 100;
    return sum / (double)n;
}

/* Closes what is open at the last marks and makes the last point the final cash. */
static void finish(run *r)
{
    stom_backtest_result *out = r->out;
    stom_exchange_finish(r->x, out->ts[out->n - 1]);
    const stom_portfolio *p = stom_exchange_portfolio(r->x);
    out->equity[out->n - 1] = p->cash;
    out->positions[out->n - 1] = 0;
    out->n_trades = p->n_trades;
    out->trades = stom_xmalloc(p->n_trades * sizeof *out->trades);
    if (p->n_trades > 0)
        memcpy(out->trades, p->trades, p->n_trades * sizeof *out->trades);
    out->fills = r->fills;
    out->rejected = stom_exchange_rejected(r->x);
}

static int compute_metrics(run *r, const stom_backtest_config *cfg)
{
    stom_backtest_result *out = r->out;
    const stom_portfolio *p = stom_exchange_portfolio(r->x);
    bool crypto = r->series[0].inst.market == STOM_MARKET_CRYPTO;
    stom_metrics_input in = {
        .n = out->n,
        .ts = out->ts,
        .equity = out->equity,
        .positions = out->positions,
        .trades = out->trades,
        .n_trades = out->n_trades,
        .initial_cash = cfg->initial_cash,
        .fees_total = p->fees,
        .taxes_total = p->taxes,
        .buy_hold_return_pct = out->buy_hold_return_pct,
        .utc_offset_minutes = cfg->exchange.utc_offset_minutes,
        .trading_days_per_year = crypto ? 365 : 252,
        .stom_cagr_days_per_year = crypto ? 365 : 250,
        .cash_decimals = r->series[0].inst.price_decimals,
        .skip_drawdown_series = !cfg->drawdown_series,
    };
    return stom_metrics_compute(&in, &out->metrics);
}

static void alloc_result(stom_backtest_result *out, const stom_bars *series, size_t n)
{
    size_t cap = 0;
    for (size_t s = 0; s < n; s++)
        cap += series[s].len;
    memset(out, 0, sizeof *out);
    out->ts = stom_xmalloc(cap * sizeof *out->ts);
    out->equity = stom_xmalloc(cap * sizeof *out->equity);
    out->positions = stom_xmalloc(cap * sizeof *out->positions);
    out->buy_hold_return_pct = buy_and_hold_pct(series, n);
}

int stom_backtest_run(const stom_strategy_def *def, const stom_params *params,
                      const stom_bars *series, size_t n_series, const stom_backtest_config *cfg,
                      stom_backtest_result *out, stom_errbuf *eb)
{
    int rc = check_inputs(def, params, series, n_series, cfg, eb);
    if (rc != STOM_OK)
        return rc;
    run r = {.def = def, .series = series, .n_series = n_series, .out = out};
    stom_instrument *insts = stom_xmalloc(n_series * sizeof *insts);
    for (size_t s = 0; s < n_series; s++)
        insts[s] = series[s].inst;
    rc = stom_exchange_create(&r.x, &cfg->exchange, insts, n_series, cfg->initial_cash, eb);
    if (rc != STOM_OK)
        goto fail;
    r.book = stom_exchange_portfolio(r.x);
    rc = init_states(&r, params, cfg, eb);
    if (rc != STOM_OK)
        goto fail;
    stom_exchange_on_fill(r.x, queue_fill, &r);
    alloc_result(out, series, n_series);
    if (n_series == 1)
        run_single(&r);
    else
        run_merged(&r);
    if (r.failed) {
        rc = r.failed;
    } else {
        finish(&r);
        rc = compute_metrics(&r, cfg);
    }
    for (size_t s = 0; s < n_series && def->fini; s++)
        def->fini(state_of(&r, s));
    if (rc != STOM_OK)
        stom_backtest_result_free(out);
fail:
    free(r.queued);
    free(r.ctx);
    free(r.states);
    stom_exchange_destroy(r.x);
    free(insts);
    return rc;
}

void stom_backtest_result_free(stom_backtest_result *r)
{
    if (r == NULL)
        return;
    free(r->ts);
    free(r->equity);
    free(r->positions);
    free(r->trades);
    stom_metrics_free(&r->metrics);
    memset(r, 0, sizeof *r);
}
