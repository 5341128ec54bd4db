/*
 * bt_metrics.c - stom_metrics (stom/metrics.h) as the stom.v1 Metrics
 * message. Instants become nanoseconds; undefined ratios stay 0 as the
 * contract says (backtest.proto, Metrics).
 */
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "stom/alloc.h"

#define SET(field, value)                                                                          \
    do {                                                                                           \
        m->has_##field = 1;                                                                        \
        m->field = (value);                                                                        \
    } while (0)

static void set_returns(Stom__V1__Metrics *m, const stom_metrics *s)
{
    SET(return_pct, s->total_return_pct);
    SET(cagr_pct, s->cagr_pct);
    SET(stom_cagr_pct, s->stom_cagr_pct);
    SET(annual_return_pct, s->annual_return_pct);
    SET(annual_volatility_pct, s->annual_volatility_pct);
    SET(sharpe, s->sharpe);
    SET(sortino, s->sortino);
    SET(calmar, s->calmar);
    SET(max_drawdown_pct, s->max_drawdown_pct);
    SET(max_drawdown_amount, s->max_drawdown_amount);
    SET(max_drawdown_peak_ns, s->max_drawdown_peak_ts * 1000000000);
    SET(max_drawdown_trough_ns, s->max_drawdown_trough_ts * 1000000000);
    SET(max_drawdown_duration_days, s->max_drawdown_duration_days);
    SET(avg_drawdown_duration_days, s->avg_drawdown_duration_days);
    SET(buy_hold_return_pct, s->buy_hold_return_pct);
}

static void set_trades(Stom__V1__Metrics *m, const stom_metrics *s, double sum_trade_pct)
{
    SET(trades, s->trades);
    SET(wins, s->wins);
    SET(losses, s->losses);
    SET(win_rate_pct, s->win_rate_pct);
    SET(best_trade_pct, s->best_trade_pct);
    SET(worst_trade_pct, s->worst_trade_pct);
    SET(avg_trade_pct, s->avg_trade_pct);
    SET(avg_win_pct, s->avg_win_pct);
    SET(avg_loss_pct, s->avg_loss_pct);
    SET(avg_win_amount, s->avg_win_amount);
    SET(avg_loss_amount, s->avg_loss_amount);
    SET(payoff_ratio, s->payoff_ratio);
    SET(profit_factor, s->profit_factor);
    SET(expectancy, s->expectancy);
    SET(sqn, s->sqn);
    SET(max_consecutive_wins, (uint32_t)s->max_consecutive_wins);
    SET(max_consecutive_losses, (uint32_t)s->max_consecutive_losses);
    SET(exposure_pct, s->exposure_pct);
    SET(avg_holding_days, s->avg_holding_days);
    SET(max_holding_days, s->max_holding_days);
    SET(tpi, s->tpi);
    SET(max_concurrent_positions, s->max_concurrent_positions);
    SET(trades_per_day, s->trades_per_day);
    SET(sum_trade_pct, sum_trade_pct);
}

void bt_metrics_to_pb(const stom_metrics *s, double sum_trade_pct, bt_pb_metrics *out)
{
    memset(out, 0, sizeof *out);
    Stom__V1__Metrics *m = &out->m;
    stom__v1__metrics__init(m);
    SET(start_ns, s->start_ts * 1000000000);
    SET(end_ns, s->end_ts * 1000000000);
    SET(duration_days, s->duration_days);
    SET(initial_cash, s->initial_cash);
    SET(final_equity, s->final_equity);
    SET(peak_equity, s->peak_equity);
    SET(net_profit, s->net_profit);
    SET(fees, s->fees);
    SET(taxes, s->taxes);
    set_returns(m, s);
    set_trades(m, s, sum_trade_pct);
    if (s->n_monthly == 0)
        return;
    out->monthly = stom_xcalloc(s->n_monthly, sizeof *out->monthly);
    out->monthly_ptrs = stom_xcalloc(s->n_monthly, sizeof *out->monthly_ptrs);
    for (size_t i = 0; i < s->n_monthly; i++) {
        Stom__V1__MonthlyReturn *r = &out->monthly[i];
        stom__v1__monthly_return__init(r);
        r->has_year = r->has_month = r->has_return_pct = 1;
        r->year = s->monthly[i].year;
        r->month = s->monthly[i].month;
        r->return_pct = s->monthly[i].return_pct;
        out->monthly_ptrs[i] = r;
    }
    m->n_monthly = s->n_monthly;
    m->monthly = out->monthly_ptrs;
}

void bt_pb_metrics_free(bt_pb_metrics *pm)
{
    if (!pm)
        return;
    free(pm->monthly);
    free(pm->monthly_ptrs);
    memset(pm, 0, sizeof *pm);
}
