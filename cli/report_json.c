/*
 * report_json.c - the backtest report as one JSON object (--json).
 *
 * Money is a JSON number in major units (won; dollars with cents for us).
 * A ratio that has no value (see STOM_METRIC_UNDEF_*) is null. Times are
 * ISO 8601 in KST with the +09:00 offset.
 */
#include <jansson.h>

#include "cli.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

static json_t *money(const backtest_report *r, int64_t v)
{
    int dec = r->series[0].inst.price_decimals;
    if (dec == 0)
        return json_integer(v);
    return json_real((double)v / (double)stom_pow10(dec));
}

static json_t *ratio(double v, uint32_t undefined, uint32_t bit)
{
    return (undefined & bit) ? json_null() : json_real(v);
}

static json_t *iso_time(int64_t t)
{
    char buf[40];
    stom_format_time(t, STOM_KST_OFFSET_MINUTES, false, buf, sizeof buf);
    buf[10] = 'T';
    char out[48];
    snprintf(out, sizeof out, "%s+09:00", buf);
    return json_string(out);
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v);
}

static void add_returns(json_t *o, const backtest_report *r)
{
    const stom_metrics *m = &r->res->metrics;
    uint32_t u = m->undefined;
    set(o, "start", iso_time(m->start_ts));
    set(o, "end", iso_time(m->end_ts));
    set(o, "duration_days", json_real(m->duration_days));
    set(o, "initial_cash", money(r, m->initial_cash));
    set(o, "final_equity", money(r, m->final_equity));
    set(o, "peak_equity", money(r, m->peak_equity));
    set(o, "net_profit", money(r, m->net_profit));
    set(o, "return_pct", json_real(m->total_return_pct));
    set(o, "buy_hold_return_pct", json_real(m->buy_hold_return_pct));
    set(o, "cagr_pct", ratio(m->cagr_pct, u, STOM_METRIC_UNDEF_CAGR));
    set(o, "stom_cagr_pct", json_real(m->stom_cagr_pct));
    set(o, "annual_return_pct", ratio(m->annual_return_pct, u, STOM_METRIC_UNDEF_ANNUAL_RETURN));
    set(o, "annual_volatility_pct",
        ratio(m->annual_volatility_pct, u, STOM_METRIC_UNDEF_VOLATILITY));
    set(o, "sharpe", ratio(m->sharpe, u, STOM_METRIC_UNDEF_SHARPE));
    set(o, "sortino", ratio(m->sortino, u, STOM_METRIC_UNDEF_SORTINO));
    set(o, "calmar", ratio(m->calmar, u, STOM_METRIC_UNDEF_CALMAR));
    set(o, "max_drawdown_pct", json_real(m->max_drawdown_pct));
    set(o, "max_drawdown_amount", money(r, m->max_drawdown_amount));
    set(o, "max_drawdown_duration_days", json_real(m->max_drawdown_duration_days));
    set(o, "avg_drawdown_duration_days", json_real(m->avg_drawdown_duration_days));
}

static void add_trade_stats(json_t *o, const backtest_report *r)
{
    const stom_metrics *m = &r->res->metrics;
    uint32_t u = m->undefined;
    set(o, "trades", json_integer((json_int_t)m->trades));
    set(o, "wins", json_integer((json_int_t)m->wins));
    set(o, "losses", json_integer((json_int_t)m->losses));
    set(o, "win_rate_pct", json_real(m->win_rate_pct));
    set(o, "best_trade_pct", json_real(m->best_trade_pct));
    set(o, "worst_trade_pct", json_real(m->worst_trade_pct));
    set(o, "avg_trade_pct", json_real(m->avg_trade_pct));
    set(o, "avg_win_pct", json_real(m->avg_win_pct));
    set(o, "avg_loss_pct", json_real(m->avg_loss_pct));
    set(o, "payoff_ratio", ratio(m->payoff_ratio, u, STOM_METRIC_UNDEF_PAYOFF));
    set(o, "profit_factor", ratio(m->profit_factor, u, STOM_METRIC_UNDEF_PROFIT_FACTOR));
    set(o, "expectancy", json_real(m->expectancy));
    set(o, "sqn", ratio(m->sqn, u, STOM_METRIC_UNDEF_SQN));
    set(o, "tpi", ratio(m->tpi, u, STOM_METRIC_UNDEF_TPI));
    set(o, "max_consecutive_wins", json_integer((json_int_t)m->max_consecutive_wins));
    set(o, "max_consecutive_losses", json_integer((json_int_t)m->max_consecutive_losses));
    set(o, "exposure_pct", json_real(m->exposure_pct));
    set(o, "avg_holding_days", json_real(m->avg_holding_days));
    set(o, "max_holding_days", json_real(m->max_holding_days));
    set(o, "max_concurrent_positions", json_integer(m->max_concurrent_positions));
    set(o, "trades_per_day", json_real(m->trades_per_day));
    set(o, "fees", money(r, m->fees));
    set(o, "taxes", money(r, m->taxes));
}

static json_t *trade_list(const backtest_report *r)
{
    json_t *list = json_array();
    for (size_t k = 0; k < r->res->n_trades; k++) {
        const stom_trade *t = &r->res->trades[k];
        json_t *j = json_object();
        set(j, "symbol", json_string(t->symbol));
        set(j, "side", json_string(t->side > 0 ? "long" : "short"));
        set(j, "qty", json_integer(t->qty));
        set(j, "entry_time", iso_time(t->entry_ts));
        set(j, "entry_price", money(r, t->entry_price));
        set(j, "exit_time", iso_time(t->exit_ts));
        set(j, "exit_price", money(r, t->exit_price));
        set(j, "pnl", money(r, t->pnl));
        set(j, "return_pct", json_real(stom_trade_return_pct(t)));
        set(j, "fees", money(r, t->fees));
        set(j, "taxes", money(r, t->taxes));
        set(j, "open_at_end", json_boolean(t->open_at_end));
        json_array_append_new(list, j);
    }
    return list;
}

static json_t *run_info(const backtest_report *r)
{
    const backtest_options *o = r->opt;
    json_t *j = json_object(), *params = json_object(), *symbols = json_array();
    for (size_t k = 0; k < o->strategy->n_params; k++)
        set(params, o->strategy->params[k].name, json_real(o->params.v[k]));
    for (size_t s = 0; s < r->n_series; s++)
        json_array_append_new(symbols, json_string(r->series[s].inst.symbol));
    set(j, "strategy", json_string(o->strategy->name));
    set(j, "params", params);
    set(j, "symbols", symbols);
    set(j, "market", json_string(stom_market_name(o->market)));
    set(j, "bars", json_integer((json_int_t)r->res->n));
    set(j, "fills", json_integer((json_int_t)r->res->fills));
    set(j, "rejected_orders", json_integer((json_int_t)r->res->rejected));
    return j;
}

int report_print_json(const backtest_report *r, FILE *out)
{
    json_t *o = run_info(r);
    add_returns(o, r);
    add_trade_stats(o, r);
    json_t *monthly = json_array();
    const stom_metrics *m = &r->res->metrics;
    for (size_t k = 0; k < m->n_monthly; k++) {
        char key[16];
        snprintf(key, sizeof key, "%04d-%02d", m->monthly[k].year, m->monthly[k].month);
        json_t *j = json_object();
        set(j, "month", json_string(key));
        set(j, "return_pct", json_real(m->monthly[k].return_pct));
        json_array_append_new(monthly, j);
    }
    set(o, "monthly_returns", monthly);
    set(o, "trade_list", trade_list(r));
    int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(o);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}
