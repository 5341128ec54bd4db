/*
 * exchange_match.c - when and at what price a pending order fills, how much,
 * and the booking of the fill with its costs.
 */
#include <stdint.h>

#include "exchange_internal.h"
#include "stom/fixed.h"
#include "stom/krx.h"

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* A limit order's fill at this bar from the open on: open when better, else the limit if touched.
 */
static int64_t limit_fill(int side, int64_t limit, const stom_bar *b)
{
    if (side > 0)
        return b->open <= limit ? b->open : (b->low <= limit ? limit : 0);
    return b->open >= limit ? b->open : (b->high >= limit ? limit : 0);
}

/* A stop's fill: the open when the bar gaps through the stop, else the stop if touched. */
static int64_t stop_fill(int side, int64_t stop, const stom_bar *b)
{
    if (side > 0)
        return b->open >= stop ? b->open : (b->high >= stop ? stop : 0);
    return b->open <= stop ? b->open : (b->low <= stop ? stop : 0);
}

static int64_t stop_level(const stom_order *o, const stom_bar *b)
{
    return o->stop_from_open ? b->open + o->stop_offset : o->stop_price;
}

/*
 * A stop-limit: once the stop is hit it rests as a limit. Triggered at the
 * open it can fill at once; triggered inside the bar with the limit below
 * the stop, the path after the trigger is unknown, so it waits a bar.
 */
static int64_t stop_limit_fill(stom_order *o, const stom_bar *b)
{
    if (o->triggered)
        return limit_fill(o->side, o->limit_price, b);
    int64_t stop = stop_level(o, b);
    int64_t hit = stop_fill(o->side, stop, b);
    if (hit == 0)
        return 0;
    o->triggered = true;
    if (hit == b->open)
        return limit_fill(o->side, o->limit_price, b);
    bool limit_allows = o->side > 0 ? o->limit_price >= stop : o->limit_price <= stop;
    return limit_allows ? stop : 0;
}

/* The raw price order o trades at in bar b (0: no fill); *slips for market and stop fills. */
static int64_t raw_price(stom_order *o, const stom_bar *b, bool *slips)
{
    *slips = o->type == STOM_ORDER_MARKET || o->type == STOM_ORDER_STOP;
    switch (o->type) {
    case STOM_ORDER_MARKET:
        return b->open;
    case STOM_ORDER_LIMIT:
        return limit_fill(o->side, o->limit_price, b);
    case STOM_ORDER_STOP:
        return stop_fill(o->side, stop_level(o, b), b);
    case STOM_ORDER_STOP_LIMIT:
        return stop_limit_fill(o, b);
    }
    return 0;
}

/*
 * Slippage, the tick grid (against the order, but never past a limit price)
 * and the day's price limits.
 */
static int64_t final_price(stom_exchange *x, int symbol, const stom_order *o, int64_t p, bool slips)
{
    const stom_instrument *inst = &x->insts[symbol];
    const stom__symbol_state *ss = &x->sym[symbol];
    if (slips)
        p = stom_slipped_price(&x->cfg.costs, inst, ss->date, p, o->side);
    if (inst->market == STOM_MARKET_KRX) {
        int64_t snapped = stom_krx_round_to_tick(p, inst->board, ss->date, o->side);
        bool has_limit = o->type == STOM_ORDER_LIMIT || o->type == STOM_ORDER_STOP_LIMIT;
        if (has_limit && (o->side > 0 ? snapped > o->limit_price : snapped < o->limit_price))
            snapped = stom_krx_round_to_tick(p, inst->board, ss->date, -o->side);
        p = snapped;
    }
    if (ss->has_limits)
        p = p < ss->lower ? ss->lower : (p > ss->upper ? ss->upper : p);
    return p;
}

static int64_t trade_value(const stom_exchange *x, int symbol, int64_t qty, int64_t price)
{
    int64_t v = 0;
    if (stom_instrument_notional(&x->insts[symbol], price, qty, &v) != STOM_OK)
        return INT64_MAX;
    return v;
}

static int64_t buy_cost(const stom_exchange *x, int symbol, int64_t qty, int64_t price)
{
    int64_t v = trade_value(x, symbol, qty, price);
    return v == INT64_MAX ? v : v + stom_commission(&x->cfg.costs, v);
}

/* The largest quantity whose value plus commission fits in budget. */
static int64_t affordable(const stom_exchange *x, int symbol, int64_t price, int64_t budget)
{
    if (budget <= 0 || price <= 0)
        return 0;
    long double scale = (long double)stom_pow10(x->insts[symbol].qty_decimals);
    long double rate = (long double)x->cfg.costs.commission_rate / STOM_RATE_SCALE;
    long double est = (long double)budget * scale / ((long double)price * (1 + rate));
    int64_t q = est > (long double)INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)est;
    while (q > 0 && buy_cost(x, symbol, q, price) > budget)
        q--;
    while (buy_cost(x, symbol, q + 1, price) <= budget)
        q++;
    return q;
}

/* The sizing rule's quantity for opening at price with cash and equity as they will be. */
static int64_t sized_qty(const stom_exchange *x, int symbol, int side, int64_t price, int64_t cash,
                         int64_t equity)
{
    const stom_sizing *sz = &x->cfg.sizing;
    if (sz->kind == STOM_SIZE_ALL_IN)
        return affordable(x, symbol, price, side > 0 ? cash : equity);
    int64_t by_cash = side > 0 ? affordable(x, symbol, price, cash) : INT64_MAX;
    int64_t q = 0;
    switch (sz->kind) {
    case STOM_SIZE_ALL_IN:
        break;
    case STOM_SIZE_PCT:
        q = affordable(x, symbol, price, (int64_t)((long double)equity * sz->value / 10000));
        break;
    case STOM_SIZE_QTY:
        q = sz->value;
        break;
    case STOM_SIZE_AMOUNT:
        q = affordable(x, symbol, price, sz->value);
        break;
    }
    return min64(q, by_cash);
}

/*
 * A sized order becomes explicit at its first fill: the opposite position it
 * closes plus what the sizing rule allows with the cash left after closing.
 */
static int64_t resolve_qty(stom_exchange *x, int symbol, const stom_order *o, int64_t price)
{
    const stom_position *pos = &x->book.pos[symbol];
    bool opposite = pos->qty != 0 && (pos->qty > 0) != (o->side > 0);
    int64_t held = opposite ? (pos->qty < 0 ? -pos->qty : pos->qty) : 0;
    int64_t cash = x->book.cash;
    if (held > 0) {
        int64_t v = trade_value(x, symbol, held, price);
        int64_t fee = stom_commission(&x->cfg.costs, v);
        int64_t tax = o->side < 0
                          ? stom_sell_tax(&x->cfg.costs, &x->insts[symbol], x->sym[symbol].date, v)
                          : 0;
        cash += o->side > 0 ? -(v + fee) : v - fee - tax;
    }
    int64_t others = stom_portfolio_market_value(&x->book) -
                     stom_portfolio_value_at(&x->book, symbol, pos->last_price);
    if (o->exit_only)
        return held;
    return held + sized_qty(x, symbol, o->side, price, cash, cash + others);
}

int64_t stom__execute(stom_exchange *x, int symbol, uint64_t order_id, int side, int64_t qty,
                      int64_t price, int64_t ts, bool open_at_end)
{
    const stom_instrument *inst = &x->insts[symbol];
    stom_fill f = {
        .order_id = order_id, .symbol = symbol, .side = side, .qty = qty, .price = price, .ts = ts};
    f.value = trade_value(x, symbol, qty, price);
    if (qty <= 0 || f.value == INT64_MAX)
        return 0;
    f.fee = stom_commission(&x->cfg.costs, f.value);
    f.tax = side < 0 ? stom_sell_tax(&x->cfg.costs, inst, x->sym[symbol].date, f.value) : 0;
    if (stom_portfolio_apply(&x->book, &f, open_at_end) != STOM_OK)
        return 0;
    if (x->fill_fn != NULL)
        x->fill_fn(x->fill_arg, &f);
    return qty;
}

/*
 * Fills what the bar allows of o at price: first the opposite position it
 * closes, then the opening rest (capped by cash for buys). Returns true when
 * the order is finished.
 */
static bool fill_quantity(stom_exchange *x, int symbol, stom_order *o, int64_t price, int64_t ts,
                          int64_t *avail)
{
    int64_t pos = x->book.pos[symbol].qty;
    bool opposite = pos != 0 && (pos > 0) != (o->side > 0);
    if (o->exit_only && !opposite)
        return true;
    if (opposite) {
        int64_t q = min64(min64(o->qty - o->filled, pos < 0 ? -pos : pos), *avail);
        q = stom__execute(x, symbol, o->id, o->side, q, price, ts, false);
        o->filled += q;
        *avail -= q;
        if (o->filled == o->qty || o->exit_only)
            return o->filled == o->qty || x->book.pos[symbol].qty == 0;
        if (x->book.pos[symbol].qty != 0)
            return false;
    }
    int64_t q = min64(o->qty - o->filled, *avail);
    if (o->side > 0 && buy_cost(x, symbol, q, price) > x->book.cash)
        q = affordable(x, symbol, price, x->book.cash);
    if (q <= 0) {
        if (*avail > 0)
            x->rejected++; /* no cash for the rest: the order ends here */
        return *avail > 0;
    }
    o->filled += stom__execute(x, symbol, o->id, o->side, q, price, ts, false);
    *avail -= q;
    return o->filled >= o->qty;
}

/* Tries o against bar; returns true when it is finished (filled or dropped). */
static bool try_order(stom_exchange *x, int symbol, stom_order *o, const stom_bar *bar,
                      bool at_close, int64_t *avail)
{
    bool slips = true;
    int64_t raw = at_close ? bar->close : raw_price(o, bar, &slips);
    if (raw <= 0 || *avail <= 0)
        return false;
    int64_t price = final_price(x, symbol, o, raw, slips);
    if (o->qty == 0) {
        o->qty = resolve_qty(x, symbol, o, price);
        if (o->qty == 0) {
            x->rejected++;
            return true;
        }
    }
    return fill_quantity(x, symbol, o, price, bar->ts, avail);
}

void stom__match_pending(stom_exchange *x, int symbol, const stom_bar *bar, bool at_close)
{
    stom__symbol_state *ss = &x->sym[symbol];
    int pct = x->cfg.participation_pct;
    int64_t avail = pct > 0 ? bar->volume * pct / 100 : INT64_MAX;
    bool close_mode = x->cfg.fill == STOM_FILL_CLOSE;
    size_t keep = 0;
    for (size_t i = 0; i < ss->n_orders; i++) {
        stom_order *o = &ss->orders[i];
        /* In close mode market orders trade at closes only; other types never at the close. */
        bool eligible = (o->type == STOM_ORDER_MARKET && close_mode) == at_close;
        if (!eligible || !try_order(x, symbol, o, bar, at_close, &avail))
            ss->orders[keep++] = *o;
    }
    ss->n_orders = keep;
}
