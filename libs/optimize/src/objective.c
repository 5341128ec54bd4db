/*
 * objective.c - STOM's 기준값 and the standard ratios as one score to
 * maximise.
 *
 * STOM's names read as letters: G = TG (net profit, cash units), P = TP
 * (sum of trade returns, %), 2 = the profit counted twice, A = the average
 * trade return AP, W = the win rate WR, M = divided by the max drawdown
 * (MDD₩ for G, MDD% for P). STOM's code is not public, so the formulas are
 * our reading of the names, made sign-safe: each score has the sign of its
 * profit figure X (TG or TP), so a losing run never outscores a winning one
 * (a plain TG × AP would rank a run that loses on both above any winner).
 *
 *     XM  = X / MDD          X2M = X·|X| / MDD
 *     XAM = X·|AP| / MDD     XWM = X·(WR / 100) / MDD
 *
 * MDD is floored at 1 cash unit (MDD₩) and 0.01 % (MDD%): a run without
 * drawdown scores high but finite. A run without trades scores -INFINITY
 * whatever the objective, and so does a NaN.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "optimize_internal.h"

#define MDD_AMOUNT_FLOOR 1.0
#define MDD_PCT_FLOOR    0.01

static const char *const objective_names[STOM_OBJ_COUNT] = {
    [STOM_OBJ_TG] = "TG",           [STOM_OBJ_TP] = "TP",   [STOM_OBJ_CAGR] = "CAGR",
    [STOM_OBJ_GM] = "GM",           [STOM_OBJ_PM] = "PM",   [STOM_OBJ_G2M] = "G2M",
    [STOM_OBJ_P2M] = "P2M",         [STOM_OBJ_GAM] = "GAM", [STOM_OBJ_PAM] = "PAM",
    [STOM_OBJ_GWM] = "GWM",         [STOM_OBJ_PWM] = "PWM", [STOM_OBJ_SHARPE] = "sharpe",
    [STOM_OBJ_SORTINO] = "sortino", [STOM_OBJ_SQN] = "sqn", [STOM_OBJ_RETURN] = "return",
};

const char *stom_objective_name(stom_objective o)
{
    return (unsigned)o < STOM_OBJ_COUNT ? objective_names[o] : "?";
}

int stom_objective_parse(const char *s, stom_objective *out, stom_errbuf *eb)
{
    char names[160];
    size_t used = 0;
    for (int o = 0; o < STOM_OBJ_COUNT; o++) {
        if (strcasecmp(s, objective_names[o]) == 0) {
            *out = (stom_objective)o;
            return STOM_OK;
        }
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", o ? ", " : "",
                                 objective_names[o]);
    }
    return stom_errorf(eb, STOM_ENOTFOUND, "unknown objective '%s' (valid: %s)", s, names);
}

void stom_opt_stats_from(stom_opt_stats *st, const stom_metrics *m, const stom_trade *trades,
                         size_t n_trades)
{
    memset(st, 0, sizeof *st);
    st->tg = (double)m->net_profit;
    for (size_t i = 0; i < n_trades; i++)
        st->tp += stom_trade_return_pct(&trades[i]);
    st->cagr = m->stom_cagr_pct;
    st->mdd_pct = m->max_drawdown_pct;
    st->mdd_amount = (double)m->max_drawdown_amount;
    st->avg_trade_pct = m->avg_trade_pct;
    st->win_rate_pct = m->win_rate_pct;
    st->trades_per_day = m->trades_per_day;
    st->tpi = m->tpi;
    st->max_positions = m->max_concurrent_positions;
    /* An undefined ratio is reported as 0 by the metrics; as a score it
     * must not beat a real negative value. */
    st->sharpe = (m->undefined & STOM_METRIC_UNDEF_SHARPE) ? -INFINITY : m->sharpe;
    st->sortino = (m->undefined & STOM_METRIC_UNDEF_SORTINO) ? -INFINITY : m->sortino;
    st->sqn = (m->undefined & STOM_METRIC_UNDEF_SQN) ? -INFINITY : m->sqn;
    st->return_pct = m->total_return_pct;
    st->trades = n_trades;
}

/* X / MDD with the profit counted as named by the objective's middle letter. */
static double over_mdd(double x, char how, const stom_opt_stats *st, double mdd)
{
    switch (how) {
    case '2':
        return x * fabs(x) / mdd;
    case 'A':
        return x * fabs(st->avg_trade_pct) / mdd;
    case 'W':
        return x * (st->win_rate_pct / 100.0) / mdd;
    default:
        return x / mdd;
    }
}

static double raw_value(stom_objective o, const stom_opt_stats *st)
{
    double mdd_amount = st->mdd_amount > MDD_AMOUNT_FLOOR ? st->mdd_amount : MDD_AMOUNT_FLOOR;
    double mdd_pct = st->mdd_pct > MDD_PCT_FLOOR ? st->mdd_pct : MDD_PCT_FLOOR;
    switch (o) {
    case STOM_OBJ_TG:
        return st->tg;
    case STOM_OBJ_TP:
        return st->tp;
    case STOM_OBJ_CAGR:
        return st->cagr;
    case STOM_OBJ_GM:
    case STOM_OBJ_G2M:
    case STOM_OBJ_GAM:
    case STOM_OBJ_GWM:
        return over_mdd(st->tg, objective_names[o][1], st, mdd_amount);
    case STOM_OBJ_PM:
    case STOM_OBJ_P2M:
    case STOM_OBJ_PAM:
    case STOM_OBJ_PWM:
        return over_mdd(st->tp, objective_names[o][1], st, mdd_pct);
    case STOM_OBJ_SHARPE:
        return st->sharpe;
    case STOM_OBJ_SORTINO:
        return st->sortino;
    case STOM_OBJ_SQN:
        return st->sqn;
    case STOM_OBJ_RETURN:
        return st->return_pct;
    case STOM_OBJ_COUNT:
        break;
    }
    return -INFINITY;
}

double stom_objective_value(stom_objective o, const stom_opt_stats *st)
{
    if (st->trades == 0)
        return -INFINITY;
    double v = raw_value(o, st);
    return isnan(v) ? -INFINITY : v;
}
