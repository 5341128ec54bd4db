/*
 * risk_halt.c - what halts trading and what resumes it: the daily loss and
 * profit stops and the drawdown kill switch (evaluated after every fill and
 * mark), and the operator's kill switch for a strategy, an account or all.
 *
 * A halt is a flag with its kind and reason on the scope; only
 * stom_risk_resume clears it. Resuming disarms the daily stops until the
 * next KST day and restarts the drawdown peak at the current equity: the
 * trader has seen the breach, and halting again on the very next mark would
 * make resuming impossible.
 */
#include <stdio.h>
#include <string.h>

#include "risk_internal.h"
#include "stom/timeutil.h"

#define NS_PER_S INT64_C(1000000000)

static void raise_event(stom_risk *r, const stom_risk_verdict *v)
{
    if (r->event_fn)
        r->event_fn(r->event_arg, v);
}

void stom__risk_halt_scope(stom_risk *r, stom__risk_scope *s, stom_risk_verdict *v)
{
    s->halted = true;
    s->halt_kind = v->kind;
    snprintf(s->halt_reason, sizeof s->halt_reason, "%s", v->message);
    raise_event(r, v);
}

static void verdict_start(stom_risk_verdict *v, const stom__risk_account *a,
                          const stom__risk_scope *st, stom_risk_kind kind, const char *rule)
{
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->action = st ? STOM__V1__RISK_ACTION__RISK_ACTION_HALT_STRATEGY
                   : STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING;
    v->rule = rule;
    snprintf(v->account, sizeof v->account, "%s", a->s.name);
    snprintf(v->strategy, sizeof v->strategy, "%s", st ? st->name : "");
}

/* part / whole in basis points, truncated (so bp >= limit exactly when part/whole >= limit/1e4). */
static int64_t bp_of(int64_t part, int64_t whole)
{
    if (part > INT64_MAX / 10000)
        return INT64_MAX;
    return part * 10000 / whole;
}

/* Daily loss (sign -1) or profit (sign +1) stop of scope st (NULL: the account). */
static void daily_stop(stom_risk *r, stom__risk_account *a, stom__risk_scope *st, int sign)
{
    stom__risk_scope *s = st ? st : &a->s;
    int64_t limit = sign < 0 ? s->limits.daily_loss_stop_bp : s->limits.daily_profit_stop_bp;
    int64_t capital = stom__risk_capital(a, st), pnl = sign * stom__risk_pnl_today(s);
    if (s->halted || limit == STOM_RISK_UNSET || capital <= 0 || s->stops_disarmed || pnl <= 0 ||
        bp_of(pnl, capital) < limit)
        return;
    stom_risk_verdict v;
    char who[160], won[32], cap[32], got[32], lim[32];
    const char *rule = sign < 0 ? "daily_loss_stop_bp" : "daily_profit_stop_bp";
    verdict_start(&v, a, st,
                  sign < 0 ? STOM__V1__RISK_KIND__RISK_KIND_DAILY_LOSS
                           : STOM__V1__RISK_KIND__RISK_KIND_DAILY_PROFIT,
                  rule);
    v.limit = limit;
    v.value = bp_of(pnl, capital);
    snprintf(v.message, sizeof v.message,
             "%s: daily %s %s won (%s of %s won) reached the %s stop of %s", rule,
             sign < 0 ? "loss" : "profit", stom__risk_won(pnl, won, sizeof won),
             stom__risk_pct(v.value, got, sizeof got), stom__risk_won(capital, cap, sizeof cap),
             stom__risk_pct(limit, lim, sizeof lim), stom__risk_scope_name(a, st, who, sizeof who));
    stom__risk_halt_scope(r, s, &v);
}

/* Drawdown kill switch of scope st (NULL: the account): equity this far below its peak. */
static void drawdown_switch(stom_risk *r, stom__risk_account *a, stom__risk_scope *st)
{
    stom__risk_scope *s = st ? st : &a->s;
    int64_t capital = stom__risk_capital(a, st), limit = s->limits.max_drawdown_bp;
    if (capital <= 0)
        return;
    int64_t equity = stom__risk_equity(s, capital);
    if (equity > s->peak)
        s->peak = equity;
    if (s->halted || limit == STOM_RISK_UNSET || s->peak <= 0 ||
        bp_of(s->peak - equity, s->peak) < limit)
        return;
    stom_risk_verdict v;
    char who[160], eq[32], pk[32], got[32], lim[32];
    verdict_start(&v, a, st, STOM__V1__RISK_KIND__RISK_KIND_DRAWDOWN, "max_drawdown_bp");
    v.limit = limit;
    v.value = bp_of(s->peak - equity, s->peak);
    snprintf(v.message, sizeof v.message,
             "max_drawdown_bp: equity %s won is %s below its peak %s won, reaching the %s "
             "drawdown limit of %s",
             stom__risk_won(equity, eq, sizeof eq), stom__risk_pct(v.value, got, sizeof got),
             stom__risk_won(s->peak, pk, sizeof pk), stom__risk_pct(limit, lim, sizeof lim),
             stom__risk_scope_name(a, st, who, sizeof who));
    stom__risk_halt_scope(r, s, &v);
}

static void evaluate_scope(stom_risk *r, stom__risk_account *a, stom__risk_scope *st)
{
    daily_stop(r, a, st, -1);
    daily_stop(r, a, st, +1);
    drawdown_switch(r, a, st);
}

void stom__risk_evaluate(stom_risk *r, stom__risk_account *a)
{
    evaluate_scope(r, a, NULL);
    for (size_t j = 0; j < a->nstrategies; j++)
        evaluate_scope(r, a, a->strategies[j]);
}

/* The scope named by (account, strategy); NULL when absent. *a is set when the account exists. */
static stom__risk_scope *scope_lookup(stom_risk *r, const char *account, const char *strategy,
                                      stom__risk_account **a)
{
    *a = stom__risk_account_find(r, account);
    if (!*a)
        return NULL;
    return strategy ? stom__risk_strategy_get(*a, strategy) : &(*a)->s;
}

int stom_risk_halt(stom_risk *r, const char *account, const char *strategy, const char *reason,
                   int64_t now_ns)
{
    stom__risk_account *a = NULL;
    stom_risk_verdict v;
    stom__risk_roll_day(r, now_ns);
    memset(&v, 0, sizeof v);
    v.kind = STOM__V1__RISK_KIND__RISK_KIND_KILL_SWITCH;
    v.rule = "kill_switch";
    if (!account) {
        r->halted_all = true;
        v.action = STOM__V1__RISK_ACTION__RISK_ACTION_HALT_TRADING;
        snprintf(r->halt_all_reason, sizeof r->halt_all_reason,
                 "kill_switch: all trading halted by an operator: %s", reason ? reason : "");
        snprintf(v.message, sizeof v.message, "%s", r->halt_all_reason);
        raise_event(r, &v);
        return STOM_OK;
    }
    stom__risk_scope *s = scope_lookup(r, account, strategy, &a);
    if (!s)
        return STOM_ENOTFOUND;
    char who[160];
    verdict_start(&v, a, strategy ? s : NULL, v.kind, v.rule);
    snprintf(v.message, sizeof v.message, "kill_switch: %s halted by an operator: %s",
             stom__risk_scope_name(a, strategy ? s : NULL, who, sizeof who), reason ? reason : "");
    stom__risk_halt_scope(r, s, &v);
    return STOM_OK;
}

int stom_risk_resume(stom_risk *r, const char *account, const char *strategy, const char *trader,
                     int64_t now_ns)
{
    stom__risk_account *a = NULL;
    if (!trader || !*trader)
        return STOM_EINVAL;
    stom__risk_roll_day(r, now_ns);
    if (!account) {
        r->halted_all = false;
        r->halt_all_reason[0] = '\0';
        return STOM_OK;
    }
    stom__risk_scope *s = scope_lookup(r, account, strategy, &a);
    if (!s)
        return STOM_ENOTFOUND;
    s->halted = false;
    s->halt_reason[0] = '\0';
    s->stops_disarmed = true;
    s->peak = stom__risk_equity(s, stom__risk_capital(a, strategy ? s : NULL));
    return STOM_OK;
}

static bool copy_reason(const char *why, char *reason, size_t len)
{
    if (reason && len)
        snprintf(reason, len, "%s", why);
    return true;
}

bool stom_risk_halted(stom_risk *r, const char *account, const char *strategy, char *reason,
                      size_t len)
{
    stom__risk_account *a = stom__risk_account_find(r, account);
    const stom__risk_scope *s = a && strategy ? stom__risk_strategy_find(a, strategy) : NULL;
    if (r->halted_all)
        return copy_reason(r->halt_all_reason, reason, len);
    if (a && a->s.halted)
        return copy_reason(a->s.halt_reason, reason, len);
    if (s && s->halted)
        return copy_reason(s->halt_reason, reason, len);
    return false;
}

bool stom_risk_end_due(stom_risk *r, const char *account, const char *strategy, int64_t now_ns,
                       bool *liquidate)
{
    stom__risk_account *a = stom__risk_account_find(r, account);
    const stom__risk_scope *st = a && strategy ? stom__risk_strategy_find(a, strategy) : NULL;
    int64_t end = STOM_RISK_UNSET, liq = STOM_RISK_UNSET;
    if (liquidate)
        *liquidate = false;
    if (!a)
        return false;
    stom__risk_end_time(a, st, &end, &liq);
    if (end == STOM_RISK_UNSET ||
        stom_seconds_of_day(now_ns / NS_PER_S, STOM_KST_OFFSET_MINUTES) < end)
        return false;
    if (liquidate)
        *liquidate = liq == 1;
    return true;
}
