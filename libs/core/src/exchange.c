/*
 * exchange.c - the simulated exchange: pending orders, the fill model,
 * sizing, costs and booking (rules in stom/exchange.h and docs/backtest.md).
 *
 * Per symbol it tracks the trade date (recomputed only when a bar crosses
 * the next local midnight, so the per-bar cost stays a comparison), the
 * reference price for the daily limits (the previous trading day's last
 * close) and the pending orders in arrival order.
 */
#include "stom/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "exchange_internal.h"
#include "stom/alloc.h"
#include "stom/krx.h"
#include "stom/timeutil.h"

static int check_config(const stom_exchange_config *c, stom_errbuf *eb)
{
    if (c->participation_pct < 0 || c->participation_pct > 100)
        return stom_errorf(eb, STOM_EINVAL, "participation must be 0..100%% (got %d)",
                           c->participation_pct);
    if (c->sizing.kind == STOM_SIZE_PCT && (c->sizing.value <= 0 || c->sizing.value > 10000))
        return stom_errorf(eb, STOM_EINVAL, "percent sizing must be above 0 and at most 100%%");
    if ((c->sizing.kind == STOM_SIZE_QTY || c->sizing.kind == STOM_SIZE_AMOUNT) &&
        c->sizing.value <= 0)
        return stom_errorf(eb, STOM_EINVAL, "sizing quantity or amount must be positive");
    if (c->costs.commission_rate < 0 || c->costs.commission_rate > STOM_RATE_SCALE)
        return stom_errorf(eb, STOM_EINVAL, "commission rate must be 0..100%%");
    return STOM_OK;
}

int stom_exchange_create(stom_exchange **out, const stom_exchange_config *cfg,
                         const stom_instrument *insts, size_t n, int64_t initial_cash,
                         stom_errbuf *eb)
{
    if (n == 0)
        return stom_errorf(eb, STOM_EINVAL, "no instrument to trade");
    if (initial_cash <= 0)
        return stom_errorf(eb, STOM_EINVAL, "initial cash must be positive");
    int rc = check_config(cfg, eb);
    if (rc != STOM_OK)
        return rc;
    stom_exchange *x = stom_xcalloc(1, sizeof *x);
    x->cfg = *cfg;
    x->insts = insts;
    x->n = n;
    x->sym = stom_xcalloc(n, sizeof *x->sym);
    for (size_t s = 0; s < n; s++)
        x->sym[s].next_midnight = INT64_MIN;
    stom_portfolio_init(&x->book, insts, n, initial_cash);
    *out = x;
    return STOM_OK;
}

void stom_exchange_destroy(stom_exchange *x)
{
    if (x == NULL)
        return;
    for (size_t s = 0; s < x->n; s++)
        free(x->sym[s].orders);
    free(x->sym);
    stom_portfolio_free(&x->book);
    free(x);
}

void stom_exchange_on_fill(stom_exchange *x, stom_fill_fn fn, void *arg)
{
    x->fill_fn = fn;
    x->fill_arg = arg;
}

static bool order_valid(const stom_exchange *x, const stom_order *o)
{
    if (o->symbol < 0 || (size_t)o->symbol >= x->n || (o->side != 1 && o->side != -1))
        return false;
    if (o->qty < 0 || (o->exit_only && o->qty == 0))
        return false;
    bool needs_limit = o->type == STOM_ORDER_LIMIT || o->type == STOM_ORDER_STOP_LIMIT;
    bool needs_stop =
        (o->type == STOM_ORDER_STOP || o->type == STOM_ORDER_STOP_LIMIT) && !o->stop_from_open;
    return (!needs_limit || o->limit_price > 0) && (!needs_stop || o->stop_price > 0);
}

int stom_exchange_submit(stom_exchange *x, const stom_order *o, uint64_t *id)
{
    if (!order_valid(x, o))
        return STOM_EINVAL;
    stom__symbol_state *ss = &x->sym[o->symbol];
    if (ss->n_orders == ss->cap_orders) {
        ss->cap_orders = ss->cap_orders ? ss->cap_orders * 2 : 4;
        ss->orders = stom_xrealloc(ss->orders, ss->cap_orders * sizeof *ss->orders);
    }
    stom_order *q = &ss->orders[ss->n_orders++];
    *q = *o;
    q->id = ++x->next_id;
    q->filled = 0;
    q->triggered = false;
    if (id != NULL)
        *id = q->id;
    return STOM_OK;
}

size_t stom_exchange_cancel_all(stom_exchange *x, int symbol)
{
    size_t n = x->sym[symbol].n_orders;
    x->sym[symbol].n_orders = 0;
    return n;
}

size_t stom_exchange_pending(const stom_exchange *x, int symbol)
{
    return x->sym[symbol].n_orders;
}

/* On the first bar of a new local date: the previous close becomes the reference. */
static void roll_date(stom_exchange *x, int symbol, int64_t ts)
{
    stom__symbol_state *ss = &x->sym[symbol];
    if (ts < ss->next_midnight)
        return;
    int offset = x->cfg.utc_offset_minutes;
    ss->date = stom_date_of(ts, offset);
    ss->next_midnight = stom_midnight_utc(ss->date, offset) + 86400;
    const stom_instrument *inst = &x->insts[symbol];
    ss->has_limits = false;
    if (ss->last_close > 0 && x->cfg.price_limits && inst->market == STOM_MARKET_KRX) {
        stom_krx_price_limits(ss->last_close, inst->board, ss->date, &ss->lower, &ss->upper);
        ss->has_limits = true;
    }
}

void stom_exchange_open_bar(stom_exchange *x, int symbol, const stom_bar *bar)
{
    roll_date(x, symbol, bar->ts);
    stom__symbol_state *ss = &x->sym[symbol];
    if (ss->n_orders == 0)
        return;
    stom__match_pending(x, symbol, bar, false);
}

void stom_exchange_close_bar(stom_exchange *x, int symbol, const stom_bar *bar)
{
    stom__symbol_state *ss = &x->sym[symbol];
    if (ss->n_orders != 0 && x->cfg.fill == STOM_FILL_CLOSE)
        stom__match_pending(x, symbol, bar, true);
    ss->last_close = bar->close;
    x->book.pos[symbol].last_price = bar->close;
}

void stom_exchange_finish(stom_exchange *x, int64_t ts)
{
    for (size_t s = 0; s < x->n; s++) {
        x->sym[s].n_orders = 0;
        const stom_position *pos = &x->book.pos[s];
        if (pos->qty == 0)
            continue;
        int64_t qty = pos->qty < 0 ? -pos->qty : pos->qty;
        stom__execute(x, (int)s, 0, pos->qty > 0 ? -1 : 1, qty, pos->last_price, ts, true);
    }
}

const stom_portfolio *stom_exchange_portfolio(const stom_exchange *x)
{
    return &x->book;
}

size_t stom_exchange_rejected(const stom_exchange *x)
{
    return x->rejected;
}
