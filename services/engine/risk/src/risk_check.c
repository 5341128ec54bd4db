/*
 * risk_check.c - the pre-trade check: every rule in a fixed order, the first
 * breach wins and is described in the verdict.
 *
 * Order: halts (global, account, strategy), tick grid and price band, fat
 * finger, order value; for entries (orders that open or add to a position)
 * end time, capital per trade, position value, number of positions; last
 * orders per second. Liquidations face only the tick grid and the band. The rate window counts only
 * allowed orders, so it is recorded last, once every other rule has passed.
 *
 * Limits per order (order value, capital per trade, fat finger, end time)
 * are narrowed: the tighter of the strategy's and the account's. Limits on
 * state (positions, position value, rate) are checked twice: the account's
 * on the account's totals, then the narrowed one on the strategy's.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "risk_internal.h"
#include "stom/krx.h"
#include "stom/timeutil.h"

#define NS_PER_S INT64_C(1000000000)

typedef struct check_ctx {
    stom_risk *r;
    const stom_risk_order *o;
    stom__risk_account *a;
    stom__risk_scope *st; /* NULL: an order outside any strategy */
    stom_risk_verdict *v;
    int64_t price; /* the limit price, else the last price; 0 when neither is known */
    bool entry;    /* opens or adds to a position */
} check_ctx;

int64_t stom__risk_narrow(int64_t strategy_limit, int64_t account_limit)
{
    if (strategy_limit == STOM_RISK_UNSET)
        return account_limit;
    if (account_limit == STOM_RISK_UNSET || strategy_limit < account_limit)
        return strategy_limit;
    return account_limit;
}

void stom__risk_end_time(const stom__risk_account *a, const stom__risk_scope *st, int64_t *end,
                         int64_t *liquidate)
{
    *end = stom__risk_narrow(st ? st->limits.end_time_s : STOM_RISK_UNSET, a->s.limits.end_time_s);
    *liquidate = st && st->limits.liquidate_at_end != STOM_RISK_UNSET
                     ? st->limits.liquidate_at_end
                     : a->s.limits.liquidate_at_end;
}

static int64_t limit_at(const stom__risk_scope *s, size_t offset)
{
    return *(const int64_t *)((const char *)&s->limits + offset);
}

/* The narrowed limit at offset and the name of the scope it comes from into who. */
static int64_t narrowed(const check_ctx *c, size_t offset, char *who, size_t len)
{
    int64_t account = limit_at(&c->a->s, offset);
    int64_t strategy = c->st ? limit_at(c->st, offset) : STOM_RISK_UNSET;
    int64_t lim = stom__risk_narrow(strategy, account);
    stom__risk_scope_name(c->a, lim == strategy ? c->st : NULL, who, len);
    return lim;
}

/* Fills the verdict of a breach; message from the format. Returns false (blocked). */
static bool block(check_ctx *c, stom_risk_kind kind, const char *rule, int64_t limit, int64_t value,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static bool block(check_ctx *c, stom_risk_kind kind, const char *rule, int64_t limit, int64_t value,
                  const char *fmt, ...)
{
    va_list ap;
    c->v->allowed = false;
    c->v->kind = kind;
    c->v->action = STOM__V1__RISK_ACTION__RISK_ACTION_BLOCK_ORDER;
    c->v->rule = rule;
    c->v->limit = limit;
    c->v->value = value;
    va_start(ap, fmt);
    vsnprintf(c->v->message, sizeof c->v->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool check_halts(check_ctx *c)
{
    const stom__risk_scope *s = NULL;
    if (c->r->halted_all)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_KILL_SWITCH, "halted", 0, 0,
                     "halted: %s; a trader must resume trading", c->r->halt_all_reason);
    if (c->a->s.halted)
        s = &c->a->s;
    else if (c->st && c->st->halted)
        s = c->st;
    if (!s)
        return true;
    return block(c, s->halt_kind, "halted", 0, 0, "halted: %s; a trader must resume it",
                 s->halt_reason);
}

static bool check_end_time(check_ctx *c)
{
    int64_t end, liq;
    stom__risk_end_time(c->a, c->st, &end, &liq);
    int64_t sec = stom_seconds_of_day(c->o->now_ns / NS_PER_S, STOM_KST_OFFSET_MINUTES);
    if (end == STOM_RISK_UNSET || sec < end)
        return true;
    char who[160];
    c->v->liquidate = liq == 1;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_SESSION, "end_time", end, sec,
                 "end_time: %02d:%02d:%02d KST is past the end time %02d:%02d:%02d of %s; new "
                 "entries are blocked%s",
                 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60), (int)(end / 3600),
                 (int)(end / 60 % 60), (int)(end % 60),
                 stom__risk_scope_name(c->a, c->st, who, sizeof who),
                 c->v->liquidate ? " and its positions are to be liquidated" : "");
}

/* Tick grid and the day's +-30% band of KRX limit orders. */
static bool check_price(check_ctx *c)
{
    const stom_instrument *in = c->o->inst;
    int64_t p = c->o->limit_price, lo, hi;
    char a[32], b[32], d[32];
    if (p == 0 || in->market != STOM_MARKET_KRX)
        return true;
    int32_t date = stom_date_of(c->o->now_ns / NS_PER_S, STOM_KST_OFFSET_MINUTES);
    if (!stom_krx_on_tick(p, in->board, date)) {
        int64_t tick = stom_krx_tick_size(p, in->board, date);
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND, "tick_grid", tick, p,
                     "tick_grid: price %s won is off the %s-won tick grid of %s (%s)",
                     stom__risk_won(p, a, sizeof a), stom__risk_won(tick, b, sizeof b), in->symbol,
                     stom_board_name(in->board));
    }
    if (c->o->ref_price <= 0)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND, "price_band", 0, p,
                     "price_band: no reference price for %s, so the day's price band of price %s "
                     "won cannot be checked",
                     in->symbol, stom__risk_won(p, a, sizeof a));
    stom_krx_price_limits(c->o->ref_price, in->board, date, &lo, &hi);
    if (p >= lo && p <= hi)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND, "price_band", p > hi ? hi : lo, p,
                 "price_band: price %s won is outside the day's band %s to %s won of %s",
                 stom__risk_won(p, a, sizeof a), stom__risk_won(lo, b, sizeof b),
                 stom__risk_won(hi, d, sizeof d), in->symbol);
}

static bool check_fat_finger(check_ctx *c)
{
    char who[160], a[32], b[32], d[32], e[32];
    int64_t lim = narrowed(c, offsetof(stom_risk_limits, fat_finger_bp), who, sizeof who);
    int64_t p = c->o->limit_price, last = c->o->last_price;
    if (lim == STOM_RISK_UNSET || p == 0)
        return true;
    if (last <= 0)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND, "fat_finger_bp", lim, 0,
                     "fat_finger_bp: no last price for %s to measure the limit price against "
                     "the %s limit of %s",
                     c->o->inst->symbol, stom__risk_pct(lim, a, sizeof a), who);
    int64_t dist = p > last ? p - last : last - p;
    /* Over the limit when dist / last > lim / 10000; at the limit is allowed. */
    if (dist <= INT64_MAX / 10000 && dist * 10000 <= lim * last)
        return true;
    int64_t bp = dist <= INT64_MAX / 10000 ? dist * 10000 / last : INT64_MAX;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_PRICE_BAND, "fat_finger_bp", lim, bp,
                 "fat_finger_bp: limit price %s won is %s from the last price %s won, over the %s "
                 "limit of %s",
                 stom__risk_won(p, a, sizeof a), stom__risk_pct(bp, b, sizeof b),
                 stom__risk_won(last, d, sizeof d), stom__risk_pct(lim, e, sizeof e), who);
}

/* max_order_value (every order) or capital_per_trade (entries): value of this order. */
static bool check_value(check_ctx *c, size_t offset, const char *rule, const char *what)
{
    char who[160], a[32], b[32];
    int64_t lim = narrowed(c, offset, who, sizeof who), value;
    if (lim == STOM_RISK_UNSET)
        return true;
    if (c->price <= 0)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_ORDER_SIZE, rule, lim, 0,
                     "%s: a market order for %s has no last price to value it against the %s won "
                     "limit of %s",
                     rule, c->o->inst->symbol, stom__risk_won(lim, a, sizeof a), who);
    if (stom__risk_value(c->price, c->o->qty, c->o->inst->qty_decimals, &value))
        value = INT64_MAX;
    if (value <= lim)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_ORDER_SIZE, rule, lim, value,
                 "%s: %s %s won is over the %s won limit of %s", rule, what,
                 stom__risk_won(value, a, sizeof a), stom__risk_won(lim, b, sizeof b), who);
}

/* Position value after the order in scope s against lim (named who). */
static bool position_value_in(check_ctx *c, const stom__risk_scope *s, int64_t lim, const char *who)
{
    const stom__risk_position *p = stom__risk_position_find(s, c->o->inst->symbol);
    int64_t q = (p ? p->qty + p->working : 0) + c->o->side * c->o->qty, value;
    char a[32], b[32];
    if (lim == STOM_RISK_UNSET || c->price <= 0)
        return true;
    if (stom__risk_value(c->price, q < 0 ? -q : q, c->o->inst->qty_decimals, &value))
        value = INT64_MAX;
    if (value <= lim)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_POSITION_LIMIT, "max_position_value", lim, value,
                 "max_position_value: position in %s would be %s won, over the %s won limit of %s",
                 c->o->inst->symbol, stom__risk_won(value, a, sizeof a),
                 stom__risk_won(lim, b, sizeof b), who);
}

/* Number of symbols held in scope s if this entry opens a new one. */
static bool positions_in(check_ctx *c, const stom__risk_scope *s, int64_t lim, const char *who)
{
    if (lim == STOM_RISK_UNSET || stom__risk_position_find(s, c->o->inst->symbol))
        return true;
    int64_t held = (int64_t)s->npos;
    if (held < lim)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_POSITION_LIMIT, "max_positions", lim, held + 1,
                 "max_positions: a new position in %s would make %" PRId64
                 " positions, over the limit of %" PRId64 " of %s",
                 c->o->inst->symbol, held + 1, lim, who);
}

static void rate_prune(stom__risk_scope *s, int64_t now)
{
    while (s->rate_n && s->rate[s->rate_head] <= now - NS_PER_S) {
        s->rate_head = (s->rate_head + 1) % STOM_RISK_RATE_MAX;
        s->rate_n--;
    }
}

static void rate_record(stom__risk_scope *s, int64_t now)
{
    if (s->rate_n == STOM_RISK_RATE_MAX) { /* no limit set: forget the oldest */
        s->rate_head = (s->rate_head + 1) % STOM_RISK_RATE_MAX;
        s->rate_n--;
    }
    s->rate[(s->rate_head + s->rate_n) % STOM_RISK_RATE_MAX] = now;
    s->rate_n++;
}

/* Orders in the sliding window (now - 1 s, now] of scope s. */
static bool rate_in(check_ctx *c, stom__risk_scope *s, int64_t lim, const char *who)
{
    rate_prune(s, c->o->now_ns);
    if (lim == STOM_RISK_UNSET || (int64_t)s->rate_n < lim)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_ORDER_RATE, "max_orders_per_second", lim,
                 (int64_t)s->rate_n + 1,
                 "max_orders_per_second: this would be order %zu in one second, over the limit "
                 "of %" PRId64 " of %s",
                 s->rate_n + 1, lim, who);
}

/* A rule on state: the account's limit on its totals, then the narrowed one on the strategy's. */
typedef bool (*state_rule_fn)(check_ctx *c, stom__risk_scope *s, int64_t lim, const char *who);

static bool state_rule(check_ctx *c, size_t offset, state_rule_fn fn)
{
    char who[160];
    stom__risk_scope_name(c->a, NULL, who, sizeof who);
    if (!fn(c, &c->a->s, limit_at(&c->a->s, offset), who))
        return false;
    if (!c->st)
        return true;
    int64_t lim = narrowed(c, offset, who, sizeof who);
    return fn(c, c->st, lim, who);
}

static bool position_value_rule(check_ctx *c, stom__risk_scope *s, int64_t lim, const char *who)
{
    return position_value_in(c, s, lim, who);
}

static bool positions_rule(check_ctx *c, stom__risk_scope *s, int64_t lim, const char *who)
{
    return positions_in(c, s, lim, who);
}

static bool entry_rules(check_ctx *c)
{
    return check_end_time(c) &&
           check_value(c, offsetof(stom_risk_limits, capital_per_trade), "capital_per_trade",
                       "entry value") &&
           state_rule(c, offsetof(stom_risk_limits, max_position_value), position_value_rule) &&
           state_rule(c, offsetof(stom_risk_limits, max_positions), positions_rule);
}

static bool order_valid(check_ctx *c)
{
    const stom_risk_order *o = c->o;
    if (o->account && o->inst && o->qty > 0 && (o->side == 1 || o->side == -1) &&
        o->limit_price >= 0)
        return true;
    return block(c, STOM__V1__RISK_KIND__RISK_KIND_UNSPECIFIED, "order", 0, 0,
                 "order: needs an account, an instrument, side +1 or -1 and a positive quantity");
}

static void verdict_init(stom_risk_verdict *v, const stom_risk_order *o)
{
    memset(v, 0, sizeof *v);
    v->allowed = true;
    v->kind = STOM__V1__RISK_KIND__RISK_KIND_UNSPECIFIED;
    v->action = STOM__V1__RISK_ACTION__RISK_ACTION_UNSPECIFIED;
    v->rule = "";
    snprintf(v->account, sizeof v->account, "%s", o->account ? o->account : "");
    snprintf(v->strategy, sizeof v->strategy, "%s", o->strategy ? o->strategy : "");
    snprintf(v->symbol, sizeof v->symbol, "%s", o->inst ? o->inst->symbol : "");
}

/* Finds the scopes; false (blocked) when the account has no configuration. */
static bool scopes(check_ctx *c)
{
    c->a = stom__risk_account_find(c->r, c->o->account);
    if (!c->a || !c->a->s.configured)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_UNSPECIFIED, "account", 0, 0,
                     "account: %s has no risk configuration", c->o->account);
    c->st = c->o->strategy ? stom__risk_strategy_get(c->a, c->o->strategy) : NULL;
    if (c->o->strategy && !c->st)
        return block(c, STOM__V1__RISK_KIND__RISK_KIND_UNSPECIFIED, "strategy", 0, 0,
                     "strategy: %s of account %s cannot be tracked (bad name or over %d "
                     "strategies)",
                     c->o->strategy, c->o->account, STOM_RISK_MAX_SCOPES);
    const stom__risk_position *p =
        stom__risk_position_find(c->st ? c->st : &c->a->s, c->o->inst->symbol);
    int64_t held = p ? p->qty : 0;
    c->entry = c->o->side > 0 ? held >= 0 : held <= 0;
    c->price = c->o->limit_price ? c->o->limit_price : c->o->last_price;
    return true;
}

bool stom_risk_check(stom_risk *r, const stom_risk_order *o, stom_risk_verdict *v)
{
    check_ctx c = {.r = r, .o = o, .v = v};
    verdict_init(v, o);
    if (!order_valid(&c))
        return false;
    stom__risk_roll_day(r, o->now_ns);
    if (!scopes(&c))
        return false;
    if (o->liquidation)
        return check_price(&c);
    if (!check_halts(&c) || !check_price(&c) || !check_fat_finger(&c) ||
        !check_value(&c, offsetof(stom_risk_limits, max_order_value), "max_order_value",
                     "order value") ||
        (c.entry && !entry_rules(&c)) ||
        !state_rule(&c, offsetof(stom_risk_limits, max_orders_per_second), rate_in))
        return false;
    rate_record(&c.a->s, o->now_ns);
    if (c.st)
        rate_record(c.st, o->now_ns);
    if (c.entry) {
        stom__risk_reserve(&c.a->s, o->inst, o->side, o->qty);
        if (c.st)
            stom__risk_reserve(c.st, o->inst, o->side, o->qty);
    }
    return true;
}
