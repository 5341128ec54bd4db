/*
 * sim_market.c - see sim_market.h: the account, orders and the synthetic
 * path's book. Orders live in one array in id order (time priority); an
 * order's reservation of cash (buys) or shares (sells) is released as it
 * fills and when it ends. Replayed trades and restoring are in
 * sim_market_replay.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_market_internal.h"
#include "stom/krx.h"
#include "stom/timeutil.h"

static int64_t secs(int64_t ns)
{
    return ns / 1000000000;
}

static int32_t date_of(int64_t now_ns)
{
    return stom_date_of(secs(now_ns), STOM_KST_OFFSET_MINUTES);
}

static void limits(const sim_market *m, int s, int32_t date, int64_t *lo, int64_t *hi)
{
    stom_krx_price_limits(m->symbols[s].ref_price, m->symbols[s].board, date, lo, hi);
}

/* xorshift64*: the path is a pure function of the seed and the calls. */
static uint64_t next_random(sim_market *m)
{
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return m->rng * 2685821657736338717ULL;
}

int sim_market_create(sim_market **out, const sim_config *cfg, const sim_callbacks *cb,
                      stom_errbuf *eb)
{
    if (cfg->n_symbols < 1 || !cfg->symbols)
        return stom_errorf(eb, STOM_EINVAL, "symbols: at least one is needed");
    if (cfg->depth_levels < 1 || cfg->depth_qty < 1)
        return stom_errorf(eb, STOM_EINVAL, "depth: %d levels of %lld, both must be above 0",
                           cfg->depth_levels, (long long)cfg->depth_qty);
    if (cfg->cash < 0)
        return stom_errorf(eb, STOM_EINVAL, "cash: %lld is negative", (long long)cfg->cash);
    for (int s = 0; s < cfg->n_symbols; s++)
        if (cfg->symbols[s].ref_price <= 0 || !cfg->symbols[s].code[0])
            return stom_errorf(eb, STOM_EINVAL, "symbols[%d]: needs a code and a price above 0", s);
    sim_market *m = calloc(1, sizeof *m);
    size_t n = (size_t)cfg->n_symbols;
    if (!m)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for the market");
    m->symbols = calloc(n, sizeof *m->symbols);
    m->inst = calloc(n, sizeof *m->inst);
    m->last = calloc(n, sizeof *m->last);
    m->position = calloc(n, sizeof *m->position);
    m->reserved_shares = calloc(n, sizeof *m->reserved_shares);
    m->cum_qty = calloc(n, sizeof *m->cum_qty);
    m->cum_value = calloc(n, sizeof *m->cum_value);
    m->cum_date = calloc(n, sizeof *m->cum_date);
    m->kept = cfg->replay ? calloc(n, sizeof *m->kept) : NULL;
    if (!m->symbols || !m->inst || !m->last || !m->position || !m->reserved_shares || !m->cum_qty ||
        !m->cum_value || !m->cum_date || (cfg->replay && !m->kept)) {
        sim_market_destroy(m);
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for %zu symbols", n);
    }
    m->cfg = *cfg;
    memcpy(m->symbols, cfg->symbols, n * sizeof *m->symbols);
    m->cfg.symbols = m->symbols;
    if (cb)
        m->cb = *cb;
    for (size_t s = 0; s < n; s++) {
        stom_instrument_init(&m->inst[s], m->symbols[s].code, STOM_MARKET_KRX, m->symbols[s].board);
        m->last[s] = m->symbols[s].ref_price;
        if (m->kept)
            m->kept[s].dropped_ts = INT64_MIN;
    }
    m->cash = cfg->cash;
    m->rng = cfg->seed ? cfg->seed : 0x9E3779B97F4A7C15ULL;
    *out = m;
    return STOM_OK;
}

void sim_market_destroy(sim_market *m)
{
    if (!m)
        return;
    free(m->symbols);
    free(m->inst);
    free(m->last);
    free(m->cum_qty);
    free(m->cum_value);
    free(m->cum_date);
    free(m->position);
    free(m->reserved_shares);
    free(m->orders);
    free(m->kept);
    free(m);
}

static sim_order_record *find(sim_market *m, uint64_t id)
{
    return id >= 1 && id <= m->n_orders ? &m->orders[id - 1] : NULL; /* ids are 1, 2, 3 ... */
}

int64_t sim__market_buy_cost(const sim_market *m, int64_t price, int64_t qty)
{
    return price * qty + stom_commission(&m->cfg.costs, price * qty);
}

static void release(sim_market *m, sim_order_record *o)
{
    if (o->v.side > 0)
        m->reserved_cash -= o->reserved;
    else
        m->reserved_shares[o->v.symbol] -= o->reserved;
    o->reserved = 0;
}

static void end(sim_market *m, sim_order_record *o, sim_order_state st, const char *reason)
{
    o->v.state = st;
    release(m, o);
    if (m->cb.done)
        m->cb.done(m->cb.arg, o->v.id, st, reason);
}

void sim__market_fill(sim_market *m, sim_order_record *o, int64_t qty, int64_t price,
                      int64_t now_ns, bool publish)
{
    int s = o->v.symbol;
    int64_t value = qty * price;
    sim_fill f = {.order_id = o->v.id,
                  .fill_id = ++m->next_fill,
                  .symbol = s,
                  .side = o->v.side,
                  .qty = qty,
                  .price = price,
                  .ts_ns = now_ns,
                  .commission = stom_commission(&m->cfg.costs, value)};
    if (o->v.side > 0) {
        int64_t held = sim__market_buy_cost(m, o->bound, qty);
        held = held < o->reserved ? held : o->reserved;
        o->reserved -= held;
        m->reserved_cash -= held;
        m->cash -= value + f.commission;
        m->position[s] += qty;
    } else {
        f.tax = stom_sell_tax(&m->cfg.costs, &m->inst[s], date_of(now_ns), value);
        o->reserved -= qty;
        m->reserved_shares[s] -= qty;
        m->cash += value - f.commission - f.tax;
        m->position[s] -= qty;
    }
    o->v.filled += qty;
    if (m->cb.fill)
        m->cb.fill(m->cb.arg, &f);
    if (publish) {
        m->last[s] = price;
        sim__market_print(m, s, now_ns, price, qty, o->v.side > 0 ? 1 : -1);
    }
    if (o->v.filled == o->v.qty)
        end(m, o, SIM_FILLED, "");
}

/* Takes the book's levels for o as far as its price and the limits allow. */
static void take_book(sim_market *m, sim_order_record *o, int64_t now_ns)
{
    int s = o->v.symbol, side = o->v.side;
    int32_t date = date_of(now_ns);
    int64_t lo, hi, start = m->last[s]; /* the levels are ticks from the price before the order */
    limits(m, s, date, &lo, &hi);
    for (int k = 1; k <= m->cfg.depth_levels && o->v.state == SIM_WORKING; k++) {
        int64_t p = stom_krx_step_ticks(start, side * k, m->symbols[s].board, date);
        if (p > hi || p < lo || (o->v.limit && (side > 0 ? p > o->v.price : p < o->v.price)))
            break;
        int64_t left = o->v.qty - o->v.filled;
        sim__market_fill(m, o, left < m->cfg.depth_qty ? left : m->cfg.depth_qty, p, now_ns, true);
    }
    if (o->v.state == SIM_WORKING && !o->v.limit)
        end(m, o, SIM_CANCELLED, "the book had no more within the day's limits");
}

/* Why an order may not be placed (eb), or 0. */
static int check(const sim_market *m, int s, int side, bool limit, int64_t price, int64_t qty,
                 int64_t now_ns, sim_reject *why, stom_errbuf *eb)
{
    *why = SIM_REJECT_INVALID;
    if (s < 0 || s >= m->cfg.n_symbols)
        return stom_errorf(eb, STOM_EINVAL, "symbol %d is not listed here", s);
    const char *code = m->symbols[s].code;
    if ((side != 1 && side != -1) || qty <= 0)
        return stom_errorf(eb, STOM_EINVAL, "order of %s: side %d and quantity %lld", code, side,
                           (long long)qty);
    stom_krx_session ses = stom_krx_session_at(secs(now_ns));
    *why = SIM_REJECT_CLOSED;
    if (ses != STOM_KRX_CONTINUOUS)
        return stom_errorf(eb, STOM_EINVAL, "market closed: %s is in session '%s'", code,
                           stom_krx_session_name(ses));
    int32_t date = date_of(now_ns);
    int64_t lo, hi;
    limits(m, s, date, &lo, &hi);
    *why = SIM_REJECT_PRICE;
    if (limit) {
        if (price <= 0 || !stom_krx_on_tick(price, m->symbols[s].board, date))
            return stom_errorf(
                eb, STOM_EINVAL, "price %lld is off the %lld-won tick grid of %s", (long long)price,
                (long long)stom_krx_tick_size(price > 0 ? price : 1, m->symbols[s].board, date),
                code);
        if (price < lo || price > hi)
            return stom_errorf(eb, STOM_EINVAL,
                               "price %lld is outside today's limits %lld..%lld of %s",
                               (long long)price, (long long)lo, (long long)hi, code);
    } else if (price != 0) {
        *why = SIM_REJECT_INVALID;
        return stom_errorf(eb, STOM_EINVAL, "a market order of %s carries no price", code);
    }
    *why = SIM_REJECT_FUNDS;
    if (side > 0) {
        int64_t need = sim__market_buy_cost(m, limit ? price : hi, qty),
                have = m->cash - m->reserved_cash;
        if (need > have)
            return stom_errorf(eb, STOM_EINVAL,
                               "not enough cash: buying %lld %s needs %lld won, %lld available",
                               (long long)qty, code, (long long)need, (long long)have);
    } else if (qty > m->position[s] - m->reserved_shares[s]) {
        return stom_errorf(eb, STOM_EINVAL, "not enough shares: selling %lld %s, %lld available",
                           (long long)qty, code,
                           (long long)(m->position[s] - m->reserved_shares[s]));
    }
    *why = SIM_REJECT_NONE;
    return STOM_OK;
}

sim_order_record *sim__market_new_order(sim_market *m)
{
    if (m->n_orders == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        sim_order_record *grown = realloc(m->orders, cap * sizeof *grown);
        if (!grown)
            return NULL;
        m->orders = grown;
        m->cap = cap;
    }
    sim_order_record *o = &m->orders[m->n_orders++];
    memset(o, 0, sizeof *o);
    o->v.id = m->n_orders;
    return o;
}

int sim_market_place(sim_market *m, int symbol, int side, bool limit, int64_t price, int64_t qty,
                     int64_t now_ns, uint64_t *id, sim_reject *why, stom_errbuf *eb)
{
    sim_reject kind;
    int rc = check(m, symbol, side, limit, price, qty, now_ns, &kind, eb);
    if (rc == STOM_OK && m->cfg.replay && (rc = sim__market_check_kept(m, symbol, now_ns, eb)))
        kind = SIM_REJECT_INVALID;
    if (why)
        *why = kind;
    if (rc != STOM_OK)
        return rc;
    sim_order_record *o = sim__market_new_order(m);
    if (!o)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory for orders");
    o->v = (sim_order_view){.id = o->v.id,
                            .symbol = symbol,
                            .side = side,
                            .limit = limit,
                            .price = price,
                            .qty = qty,
                            .state = SIM_WORKING,
                            .decision_ns = now_ns};
    if (side > 0) {
        int64_t lo, hi;
        limits(m, symbol, date_of(now_ns), &lo, &hi);
        o->bound = limit ? price : hi;
        o->reserved = sim__market_buy_cost(m, o->bound, qty);
        m->reserved_cash += o->reserved;
    } else {
        o->reserved = qty;
        m->reserved_shares[symbol] += qty;
    }
    *id = o->v.id;
    if (m->cfg.replay)
        sim__market_match_kept(m, o);
    else
        take_book(m, o, now_ns);
    return STOM_OK;
}

int sim_market_cancel(sim_market *m, uint64_t id, stom_errbuf *eb)
{
    sim_order_record *o = find(m, id);
    if (!o)
        return stom_errorf(eb, STOM_ENOTFOUND, "no order %llu", (unsigned long long)id);
    if (o->v.state != SIM_WORKING)
        return stom_errorf(eb, STOM_ESTATE, "order %llu has ended (%s)", (unsigned long long)id,
                           o->v.state == SIM_FILLED ? "filled" : "cancelled");
    end(m, o, SIM_CANCELLED, "cancelled by request");
    return STOM_OK;
}

void sim__market_print(sim_market *m, int s, int64_t now_ns, int64_t price, int64_t qty,
                       int aggressor)
{
    int32_t date = date_of(now_ns);
    if (m->cum_date[s] != date) {
        m->cum_date[s] = date;
        m->cum_qty[s] = m->cum_value[s] = 0;
    }
    m->cum_qty[s] += qty;
    m->cum_value[s] += qty * price;
    sim_print p = {.symbol = s,
                   .ts_ns = now_ns,
                   .price = price,
                   .qty = qty,
                   .aggressor = aggressor,
                   .cum_qty = m->cum_qty[s],
                   .cum_value = m->cum_value[s]};
    if (m->cb.print)
        m->cb.print(m->cb.arg, &p);
}

/* Resting orders of symbol s the print at price reaches fill, in time order, up to qty. */
static void fill_resting(sim_market *m, int s, int64_t price, int64_t qty, int64_t now_ns)
{
    for (size_t k = 0; k < m->n_orders && qty > 0; k++) {
        sim_order_record *o = &m->orders[k];
        if (o->v.symbol != s || o->v.state != SIM_WORKING || !o->v.limit)
            continue;
        if (o->v.side > 0 ? price > o->v.price : price < o->v.price)
            continue;
        int64_t left = o->v.qty - o->v.filled, take = left < qty ? left : qty;
        qty -= take;
        sim__market_fill(m, o, take, o->v.price, now_ns, false);
    }
}

void sim_market_step(sim_market *m, int64_t now_ns)
{
    if (m->cfg.replay || stom_krx_session_at(secs(now_ns)) != STOM_KRX_CONTINUOUS)
        return;
    int32_t date = date_of(now_ns);
    for (int s = 0; s < m->cfg.n_symbols; s++) {
        int64_t lo, hi;
        limits(m, s, date, &lo, &hi);
        int move = (int)(next_random(m) % 5) - 2;
        int64_t p =
            move ? stom_krx_step_ticks(m->last[s], move, m->symbols[s].board, date) : m->last[s];
        p = p > hi ? hi : p < lo ? lo : p;
        int64_t qty = 1 + (int64_t)(next_random(m) % (uint64_t)(2 * m->cfg.depth_qty));
        m->last[s] = p;
        /* An uptick was a buyer's, a downtick a seller's; an unchanged print by its size's parity
         * (not by the generator, whose sequence is the price path). */
        sim__market_print(m, s, now_ns, p, qty, move > 0 || (move == 0 && qty % 2) ? 1 : -1);
        fill_resting(m, s, p, qty, now_ns);
    }
}

int64_t sim_market_cash(const sim_market *m)
{
    return m->cash;
}

int64_t sim_market_position(const sim_market *m, int symbol)
{
    return symbol >= 0 && symbol < m->cfg.n_symbols ? m->position[symbol] : 0;
}

int64_t sim_market_last(const sim_market *m, int symbol)
{
    return symbol >= 0 && symbol < m->cfg.n_symbols ? m->last[symbol] : 0;
}

int64_t sim_market_reference(const sim_market *m, int symbol)
{
    return symbol >= 0 && symbol < m->cfg.n_symbols ? m->symbols[symbol].ref_price : 0;
}

bool sim_market_order(const sim_market *m, uint64_t id, sim_order_view *out)
{
    sim_order_record r;
    if (!sim_market_order_record(m, id, &r))
        return false;
    *out = r.v;
    return true;
}
