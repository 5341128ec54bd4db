/*
 * metrics_trades.c - statistics of the closed trades (open_at_end ones
 * included, as the portfolio closes them at the last close).
 *
 * A trade wins when pnl > 0 and loses otherwise: a zero-pnl trade only
 * paid costs, so it is a loss (backtesting.py's win rate counts pnl > 0 too;
 * how STOM splits 0 % is not documented). Trade returns are
 * stom_trade_return_pct (net pnl over entry value). Streaks follow the
 * order of in->trades (exit order).
 */
#include <math.h>
#include <stdbool.h>

#include "metrics_internal.h"

typedef struct trade_walk {
    stom__metrics_stats returns; /* trade %, all trades */
    double win_pct_sum, loss_pct_sum;
    int64_t win_cash, loss_cash; /* loss_cash <= 0 */
    double hold_days_sum;
    size_t win_streak, loss_streak;
} trade_walk;

static void count_streak(trade_walk *w, bool win, stom_metrics *m)
{
    w->win_streak = win ? w->win_streak + 1 : 0;
    w->loss_streak = win ? 0 : w->loss_streak + 1;
    if (w->win_streak > m->max_consecutive_wins)
        m->max_consecutive_wins = w->win_streak;
    if (w->loss_streak > m->max_consecutive_losses)
        m->max_consecutive_losses = w->loss_streak;
}

static void add_trade(trade_walk *w, const stom_trade *t, stom_metrics *m)
{
    double pct = stom_trade_return_pct(t);
    if (w->returns.n == 0 || pct > m->best_trade_pct)
        m->best_trade_pct = pct;
    if (w->returns.n == 0 || pct < m->worst_trade_pct)
        m->worst_trade_pct = pct;
    stom__metrics_stats_add(&w->returns, pct);
    bool win = t->pnl > 0;
    if (win) {
        m->wins++;
        w->win_pct_sum += pct;
        w->win_cash += t->pnl;
    } else {
        m->losses++;
        w->loss_pct_sum += pct;
        w->loss_cash += t->pnl;
    }
    count_streak(w, win, m);
    double hold = (double)(t->exit_ts - t->entry_ts) / STOM__SECONDS_PER_DAY;
    w->hold_days_sum += hold;
    if (hold > m->max_holding_days)
        m->max_holding_days = hold;
}

static void averages(const trade_walk *w, stom_metrics *m)
{
    double n = (double)m->trades;
    m->win_rate_pct = (double)m->wins / n * 100.0;
    m->avg_trade_pct = w->returns.mean;
    m->avg_holding_days = w->hold_days_sum / n;
    m->expectancy = (double)(w->win_cash + w->loss_cash) / n;
    if (m->wins > 0) {
        m->avg_win_pct = w->win_pct_sum / (double)m->wins;
        m->avg_win_amount = stom__metrics_div_round(w->win_cash, (int64_t)m->wins);
    }
    if (m->losses > 0) {
        m->avg_loss_pct = w->loss_pct_sum / (double)m->losses;
        m->avg_loss_amount = stom__metrics_div_round(w->loss_cash, (int64_t)m->losses);
    }
}

static void ratios(const trade_walk *w, stom_metrics *m)
{
    m->payoff_ratio =
        stom__metrics_ratio(m->avg_win_pct, fabs(m->avg_loss_pct), m, STOM_METRIC_UNDEF_PAYOFF);
    m->profit_factor = stom__metrics_ratio((double)w->win_cash, -(double)w->loss_cash, m,
                                           STOM_METRIC_UNDEF_PROFIT_FACTOR);
    double sd = stom__metrics_stats_stddev(&w->returns);
    m->sqn = stom__metrics_ratio(sqrt((double)m->trades) * w->returns.mean, sd, m,
                                 STOM_METRIC_UNDEF_SQN);
    /* TPI needs the payoff ratio; without a loss STOM's formula has no value. */
    if (m->undefined & STOM_METRIC_UNDEF_PAYOFF)
        m->undefined |= STOM_METRIC_UNDEF_TPI;
    else
        m->tpi = m->win_rate_pct / 100.0 * (1.0 + m->payoff_ratio);
}

void stom__metrics_trades(const stom_metrics_input *in, stom_metrics *m)
{
    trade_walk w = {0};
    m->trades = in->n_trades;
    for (size_t i = 0; i < in->n_trades; i++)
        add_trade(&w, &in->trades[i], m);
    if (m->trading_days > 0)
        m->trades_per_day = (double)m->trades / (double)m->trading_days;
    if (m->trades > 0)
        averages(&w, m);
    ratios(&w, m);
}
