/*
 * metrics_from_pb.c - a run's stom.v1.Metrics (as the gateway stores and
 * returns them) back into the stom_metrics the text report prints, so a
 * gateway run reads like a local one.
 *
 * The message carries every figure the report shows except two: the
 * calendar days, recomputed from the first and last instant in KST, and
 * the "undefined" bits. The contract sends a ratio that has no value as 0
 * (backtest.proto, Metrics), so the bits are read back from the figures
 * that decide them, as stom/metrics.h defines them: no losing trade
 * leaves the payoff ratio, TPI and profit factor without a value, a flat
 * equity curve (zero volatility) the Sharpe ratio, no drawdown the Calmar
 * ratio; a Sortino ratio, SQN or compound CAGR of exactly 0 beside a
 * non-zero return is one whose denominator was 0.
 *
 * Thread-safety: reentrant.
 */
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

#define NS 1000000000LL

static int64_t calendar_days(int64_t start, int64_t end)
{
    int32_t a = stom_date_of(start, STOM_KST_OFFSET_MINUTES);
    int32_t b = stom_date_of(end, STOM_KST_OFFSET_MINUTES);
    return stom_days_of_date(b) - stom_days_of_date(a) + 1;
}

static void copy_returns(const Stom__V1__Metrics *p, stom_metrics *m)
{
    m->total_return_pct = p->return_pct;
    m->cagr_pct = p->cagr_pct;
    m->stom_cagr_pct = p->stom_cagr_pct;
    m->annual_return_pct = p->annual_return_pct;
    m->annual_volatility_pct = p->annual_volatility_pct;
    m->sharpe = p->sharpe;
    m->sortino = p->sortino;
    m->calmar = p->calmar;
    m->max_drawdown_pct = p->max_drawdown_pct;
    m->max_drawdown_amount = p->max_drawdown_amount;
    m->max_drawdown_peak_ts = p->max_drawdown_peak_ns / NS;
    m->max_drawdown_trough_ts = p->max_drawdown_trough_ns / NS;
    m->max_drawdown_duration_days = p->max_drawdown_duration_days;
    m->avg_drawdown_duration_days = p->avg_drawdown_duration_days;
    m->buy_hold_return_pct = p->buy_hold_return_pct;
}

static void copy_trades(const Stom__V1__Metrics *p, stom_metrics *m)
{
    m->trades = (size_t)p->trades;
    m->wins = (size_t)p->wins;
    m->losses = (size_t)p->losses;
    m->win_rate_pct = p->win_rate_pct;
    m->best_trade_pct = p->best_trade_pct;
    m->worst_trade_pct = p->worst_trade_pct;
    m->avg_trade_pct = p->avg_trade_pct;
    m->avg_win_pct = p->avg_win_pct;
    m->avg_loss_pct = p->avg_loss_pct;
    m->avg_win_amount = p->avg_win_amount;
    m->avg_loss_amount = p->avg_loss_amount;
    m->payoff_ratio = p->payoff_ratio;
    m->profit_factor = p->profit_factor;
    m->expectancy = p->expectancy;
    m->sqn = p->sqn;
    m->max_consecutive_wins = p->max_consecutive_wins;
    m->max_consecutive_losses = p->max_consecutive_losses;
    m->exposure_pct = p->exposure_pct;
    m->avg_holding_days = p->avg_holding_days;
    m->max_holding_days = p->max_holding_days;
    m->tpi = p->tpi;
    m->max_concurrent_positions = p->max_concurrent_positions;
    m->trades_per_day = p->trades_per_day;
}

/* The undefined bits, read back from the figures that decide them (see the file comment). */
static uint32_t undefined_bits(const stom_metrics *m)
{
    uint32_t u = 0;
    bool moved = m->total_return_pct != 0;
    if (m->avg_loss_pct == 0)
        u |= STOM_METRIC_UNDEF_PAYOFF | STOM_METRIC_UNDEF_TPI;
    if (m->losses == 0)
        u |= STOM_METRIC_UNDEF_PROFIT_FACTOR;
    if (m->sqn == 0)
        u |= STOM_METRIC_UNDEF_SQN;
    if (m->annual_volatility_pct == 0)
        u |= STOM_METRIC_UNDEF_SHARPE;
    if (m->sortino == 0)
        u |= STOM_METRIC_UNDEF_SORTINO;
    if (m->cagr_pct == 0 && moved)
        u |= STOM_METRIC_UNDEF_CAGR;
    if (m->max_drawdown_pct == 0 || (u & STOM_METRIC_UNDEF_CAGR))
        u |= STOM_METRIC_UNDEF_CALMAR;
    return u;
}

void metrics_from_pb(const Stom__V1__Metrics *p, stom_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->start_ts = p->start_ns / NS;
    m->end_ts = p->end_ns / NS;
    m->duration_days = p->duration_days;
    m->calendar_days = calendar_days(m->start_ts, m->end_ts);
    m->initial_cash = p->initial_cash;
    m->final_equity = p->final_equity;
    m->peak_equity = p->peak_equity;
    m->net_profit = p->net_profit;
    m->fees = p->fees;
    m->taxes = p->taxes;
    copy_returns(p, m);
    copy_trades(p, m);
    m->monthly = stom_xcalloc(p->n_monthly ? p->n_monthly : 1, sizeof *m->monthly);
    for (size_t k = 0; k < p->n_monthly; k++)
        m->monthly[m->n_monthly++] = (stom_monthly_return){
            p->monthly[k]->year, p->monthly[k]->month, p->monthly[k]->return_pct};
    m->undefined = undefined_bits(m);
}
