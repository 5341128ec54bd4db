/*
 * risk_state.c - positions and P&L per scope, fed by fills and marks, and
 * the KRX trading day (in KST) that resets the daily figures.
 *
 * A position keeps its signed quantity and what it cost (signed the same
 * way), so P&L is exact in won: a reduction realises proceeds minus the
 * reduced share of the cost (truncated toward zero, like every division
 * here), and unrealised P&L is the value at the mark minus the cost.
 * Entries the check allowed are reserved as working quantity until a fill
 * or stom_risk_release takes them off, so that orders in flight count
 * toward max_positions and max_position_value.
 */
#include <stdlib.h>
#include <string.h>

#include "risk_internal.h"
#include "stom/alloc.h"
#include "stom/fixed.h"
#include "stom/krx.h"
#include "stom/timeutil.h"

#define NS_PER_S INT64_C(1000000000)

void stom__risk_roll_day(stom_risk *r, int64_t now_ns)
{
    int32_t date = stom_date_of(now_ns / NS_PER_S, STOM_KST_OFFSET_MINUTES);
    /* A weekend or holiday belongs to the trading day that follows it. */
    if (!stom_krx_is_trading_day(date))
        date = stom_krx_next_trading_day(date);
    if (date <= r->day)
        return;
    /* Today's figures start from where the totals stand; halts are left alone. */
    r->day = date;
    for (size_t i = 0; i < r->naccounts; i++) {
        stom__risk_account *a = r->accounts[i];
        a->s.pnl_day_start = a->s.realised + a->s.unrealised;
        a->s.stops_disarmed = false;
        for (size_t j = 0; j < a->nstrategies; j++) {
            stom__risk_scope *s = a->strategies[j];
            s->pnl_day_start = s->realised + s->unrealised;
            s->stops_disarmed = false;
        }
    }
}

const stom__risk_position *stom__risk_position_find(const stom__risk_scope *s, const char *symbol)
{
    for (size_t i = 0; i < s->npos; i++)
        if (strcmp(s->pos[i].symbol, symbol) == 0)
            return &s->pos[i];
    return NULL;
}

int stom__risk_value(int64_t price, int64_t qty, int qty_decimals, int64_t *out)
{
    int64_t v;
    if (__builtin_mul_overflow(price, qty, &v))
        return STOM_ERANGE;
    *out = v / stom_pow10(qty_decimals);
    return STOM_OK;
}

static int64_t position_unrealised(const stom__risk_position *p)
{
    int64_t v = 0;
    int64_t q = p->qty < 0 ? -p->qty : p->qty;
    if (stom__risk_value(p->mark, q, p->qty_decimals, &v))
        return 0;
    return (p->qty < 0 ? -v : v) - p->cost;
}

static stom__risk_position *position_get(stom__risk_scope *s, const stom_instrument *inst)
{
    stom__risk_position *p = (stom__risk_position *)stom__risk_position_find(s, inst->symbol);
    if (p)
        return p;
    if (s->npos == s->cappos) {
        s->cappos = s->cappos ? 2 * s->cappos : 8;
        s->pos = stom_xrealloc(s->pos, s->cappos * sizeof *s->pos);
    }
    p = &s->pos[s->npos++];
    memset(p, 0, sizeof *p);
    memcpy(p->symbol, inst->symbol, sizeof p->symbol);
    p->qty_decimals = inst->qty_decimals;
    return p;
}

/* Reduces p by c units (0 < c <= |qty|) at price; returns the P&L realised. */
static int reduce(stom__risk_position *p, int64_t c, int64_t price, int64_t *realised)
{
    int64_t q = p->qty < 0 ? -p->qty : p->qty, value;
    if (c > INT64_C(1000000000) || q > INT64_C(1000000000))
        return STOM_ERANGE; /* stom_muldiv_trunc's exact range */
    if (stom__risk_value(price, c, p->qty_decimals, &value))
        return STOM_ERANGE;
    int64_t cost_share =
        p->cost < 0 ? -stom_muldiv_trunc(-p->cost, c, q) : stom_muldiv_trunc(p->cost, c, q);
    *realised = (p->qty < 0 ? -value : value) - cost_share;
    p->cost -= cost_share;
    p->qty += p->qty < 0 ? c : -c;
    return STOM_OK;
}

/* Books side*qty at price into p; adds the realised P&L to *realised. */
static int position_book(stom__risk_position *p, int side, int64_t qty, int64_t price,
                         int64_t *realised)
{
    int64_t rest = qty, value, gain = 0;
    int rc;
    if (p->qty != 0 && (p->qty < 0) != (side < 0)) {
        int64_t held = p->qty < 0 ? -p->qty : p->qty;
        int64_t c = rest < held ? rest : held;
        if ((rc = reduce(p, c, price, &gain)) != 0)
            return rc;
        rest -= c;
    }
    /* What is left opens or adds in the order's direction. */
    if (rest > 0) {
        if (stom__risk_value(price, rest, p->qty_decimals, &value))
            return STOM_ERANGE;
        p->qty += side > 0 ? rest : -rest;
        p->cost += side > 0 ? value : -value;
    }
    p->mark = price;
    *realised += gain;
    return STOM_OK;
}

static void position_drop_flat(stom__risk_scope *s)
{
    for (size_t i = 0; i < s->npos;) {
        if (s->pos[i].qty == 0 && s->pos[i].working == 0)
            s->pos[i] = s->pos[--s->npos];
        else
            i++;
    }
}

/* Takes up to qty units in direction side off p's working quantity. */
static void working_release(stom__risk_position *p, int side, int64_t qty)
{
    if (p->working == 0 || (p->working < 0) != (side < 0))
        return;
    int64_t w = p->working < 0 ? -p->working : p->working;
    int64_t take = qty < w ? qty : w;
    p->working -= side > 0 ? take : -take;
}

void stom__risk_reserve(stom__risk_scope *s, const stom_instrument *inst, int side, int64_t qty)
{
    stom__risk_position *p = position_get(s, inst);
    p->working += side > 0 ? qty : -qty;
}

static int scope_fill(stom__risk_scope *s, const stom_risk_fill *f)
{
    stom__risk_position *p = position_get(s, f->inst);
    int64_t before = position_unrealised(p), gain = 0;
    /* A fill turns working quantity into held quantity. */
    working_release(p, f->side, f->qty);
    int rc = position_book(p, f->side, f->qty, f->price, &gain);
    if (rc)
        return rc;
    s->unrealised += position_unrealised(p) - before;
    s->realised += gain - f->fees;
    position_drop_flat(s);
    return STOM_OK;
}

int stom_risk_fill_apply(stom_risk *r, const stom_risk_fill *f)
{
    stom__risk_account *a = stom__risk_account_find(r, f->account);
    if (!a)
        return STOM_ENOTFOUND;
    if (!f->inst || f->qty <= 0 || f->price <= 0 || f->fees < 0 || (f->side != 1 && f->side != -1))
        return STOM_EINVAL;
    stom__risk_roll_day(r, f->now_ns);
    stom__risk_scope *st = f->strategy ? stom__risk_strategy_get(a, f->strategy) : NULL;
    if (f->strategy && !st)
        return STOM_ETOOBIG;
    int rc = scope_fill(&a->s, f);
    if (rc == 0 && st)
        rc = scope_fill(st, f);
    stom__risk_evaluate(r, a);
    return rc;
}

static void scope_mark(stom__risk_scope *s, const char *symbol, int64_t price)
{
    for (size_t i = 0; i < s->npos; i++) {
        stom__risk_position *p = &s->pos[i];
        if (strcmp(p->symbol, symbol) != 0)
            continue;
        int64_t before = position_unrealised(p);
        p->mark = price;
        s->unrealised += position_unrealised(p) - before;
    }
}

void stom_risk_mark(stom_risk *r, const char *symbol, int64_t price, int64_t now_ns)
{
    if (!symbol || price <= 0)
        return;
    stom__risk_roll_day(r, now_ns);
    for (size_t i = 0; i < r->naccounts; i++) {
        stom__risk_account *a = r->accounts[i];
        scope_mark(&a->s, symbol, price);
        for (size_t j = 0; j < a->nstrategies; j++)
            scope_mark(a->strategies[j], symbol, price);
        stom__risk_evaluate(r, a);
    }
}

static void scope_release(stom__risk_scope *s, const char *symbol, int side, int64_t qty)
{
    stom__risk_position *p = (stom__risk_position *)stom__risk_position_find(s, symbol);
    if (p)
        working_release(p, side, qty);
    position_drop_flat(s);
}

int stom_risk_release(stom_risk *r, const char *account, const char *strategy, const char *symbol,
                      int side, int64_t qty)
{
    stom__risk_account *a = stom__risk_account_find(r, account);
    stom__risk_scope *st = a && strategy ? stom__risk_strategy_find(a, strategy) : NULL;
    if (!a || (strategy && !st))
        return STOM_ENOTFOUND;
    if (!symbol || qty <= 0 || (side != 1 && side != -1))
        return STOM_EINVAL;
    scope_release(&a->s, symbol, side, qty);
    if (st)
        scope_release(st, symbol, side, qty);
    return STOM_OK;
}

int64_t stom__risk_capital(const stom__risk_account *a, const stom__risk_scope *st)
{
    if (st && st->limits.capital != STOM_RISK_UNSET)
        return st->limits.capital;
    return a->s.limits.capital;
}

int64_t stom__risk_equity(const stom__risk_scope *s, int64_t capital)
{
    return (capital > 0 ? capital : 0) + s->realised + s->unrealised;
}

int64_t stom__risk_pnl_today(const stom__risk_scope *s)
{
    return s->realised + s->unrealised - s->pnl_day_start;
}

int stom_risk_figures_get(stom_risk *r, const char *account, const char *strategy,
                          stom_risk_figures *out)
{
    stom__risk_account *a = stom__risk_account_find(r, account);
    const stom__risk_scope *s = a && strategy ? stom__risk_strategy_find(a, strategy) : NULL;
    if (!a || (strategy && !s))
        return STOM_ENOTFOUND;
    if (!s)
        s = &a->s;
    out->positions = (int64_t)s->npos;
    out->pnl_today = stom__risk_pnl_today(s);
    out->pnl_total = s->realised + s->unrealised;
    out->equity_peak = s->peak;
    out->day = r->day;
    return STOM_OK;
}
