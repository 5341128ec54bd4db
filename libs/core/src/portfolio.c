/*
 * portfolio.c - booking fills into cash, positions and closed trades.
 *
 * Exactness: entry value, entry fees and short-entry taxes of a position are
 * integers; a reducing fill takes share = total * closed / held of each
 * (truncated), and a fill that closes the position takes what is left, so
 * no won is lost or made up between the trades and the cash.
 */
#include "stom/portfolio.h"

#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/error.h"
#include "stom/fixed.h"

void stom_portfolio_init(stom_portfolio *p, const stom_instrument *insts, size_t n,
                         int64_t initial_cash)
{
    memset(p, 0, sizeof *p);
    p->insts = insts;
    p->n_symbols = n;
    p->pos = stom_xcalloc(n, sizeof *p->pos);
    p->cash = initial_cash;
    p->initial_cash = initial_cash;
}

void stom_portfolio_free(stom_portfolio *p)
{
    if (p == NULL)
        return;
    free(p->pos);
    free(p->trades);
    memset(p, 0, sizeof *p);
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/*
 * a * b / d for a, b >= 0, d > 0, truncated. Exact with 128-bit integers;
 * targets without them (32-bit Windows, which runs no backtests) fall back to
 * long double.
 */
static int64_t muldiv(int64_t a, int64_t b, int64_t d)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef __int128 wide;
    return (int64_t)((wide)a * b / d);
#else
    return (int64_t)((long double)a * b / d);
#endif
}

/* share = total * part / whole, exactly total when part == whole. */
static int64_t pro_rata(int64_t total, int64_t part, int64_t whole)
{
    if (part >= whole)
        return total;
    return total < 0 ? -muldiv(-total, part, whole) : muldiv(total, part, whole);
}

static stom_trade *push_trade(stom_portfolio *p)
{
    if (p->n_trades == p->cap_trades) {
        p->cap_trades = p->cap_trades ? p->cap_trades * 2 : 64;
        p->trades = stom_xrealloc(p->trades, p->cap_trades * sizeof *p->trades);
    }
    stom_trade *t = &p->trades[p->n_trades++];
    memset(t, 0, sizeof *t);
    return t;
}

/* The average price of value for qty units, rounded to the nearest price unit. */
static int64_t average_price(const stom_instrument *inst, int64_t value, int64_t qty)
{
    /* value * 10^qty_decimals / qty, rounded half up. */
    int64_t twice = muldiv(2 * value, stom_pow10(inst->qty_decimals), qty);
    return (twice + 1) / 2;
}

static void close_part(stom_portfolio *p, stom_position *pos, const stom_fill *f, bool at_end)
{
    const stom_instrument *inst = &p->insts[f->symbol];
    int64_t held = abs64(pos->qty);
    int64_t closed = f->qty;
    stom_trade *t = push_trade(p);
    memcpy(t->symbol, inst->symbol, sizeof t->symbol);
    t->side = pos->qty > 0 ? 1 : -1;
    t->qty = closed;
    t->entry_ts = pos->entry_ts;
    t->exit_ts = f->ts;
    t->entry_value = pro_rata(pos->entry_value, closed, held);
    t->exit_value = f->value;
    t->entry_price = average_price(inst, t->entry_value, closed);
    t->exit_price = f->price;
    int64_t entry_fees = pro_rata(pos->entry_fees, closed, held);
    int64_t entry_taxes = pro_rata(pos->entry_taxes, closed, held);
    t->fees = entry_fees + f->fee;
    t->taxes = entry_taxes + f->tax;
    t->pnl = t->side * (t->exit_value - t->entry_value) - t->fees - t->taxes;
    t->open_at_end = at_end;
    pos->entry_value -= t->entry_value;
    pos->entry_fees -= entry_fees;
    pos->entry_taxes -= entry_taxes;
    pos->qty += f->side * closed;
    if (pos->qty == 0) {
        pos->entries = 0;
        p->open_positions--;
    }
}

static void open_part(stom_portfolio *p, stom_position *pos, const stom_fill *f)
{
    if (pos->qty == 0) {
        pos->entry_ts = f->ts;
        p->open_positions++;
    }
    pos->qty += f->side * f->qty;
    pos->entry_value += f->value;
    pos->entry_fees += f->fee;
    pos->entry_taxes += f->tax;
    pos->entries++;
}

int stom_portfolio_apply(stom_portfolio *p, const stom_fill *f, bool open_at_end)
{
    if (f->qty <= 0 || f->symbol < 0 || (size_t)f->symbol >= p->n_symbols)
        return STOM_EINVAL;
    stom_position *pos = &p->pos[f->symbol];
    bool reduces = pos->qty != 0 && (pos->qty > 0) != (f->side > 0);
    if (reduces && f->qty > abs64(pos->qty))
        return STOM_EINVAL;
    if (f->side > 0)
        p->cash -= f->value + f->fee + f->tax;
    else
        p->cash += f->value - f->fee - f->tax;
    p->fees += f->fee;
    p->taxes += f->tax;
    pos->last_price = f->price;
    if (reduces)
        close_part(p, pos, f, open_at_end);
    else
        open_part(p, pos, f);
    return STOM_OK;
}

void stom_portfolio_mark(stom_portfolio *p, int symbol, int64_t price)
{
    p->pos[symbol].last_price = price;
}

int64_t stom_portfolio_value_at(const stom_portfolio *p, int symbol, int64_t price)
{
    int64_t v = p->pos[symbol].qty * price;
    int qd = p->insts[symbol].qty_decimals;
    return qd == 0 ? v : v / stom_pow10(qd);
}

int64_t stom_portfolio_market_value(const stom_portfolio *p)
{
    int64_t total = 0;
    for (size_t s = 0; s < p->n_symbols; s++) {
        if (p->pos[s].qty != 0)
            total += stom_portfolio_value_at(p, (int)s, p->pos[s].last_price);
    }
    return total;
}

int64_t stom_portfolio_equity(const stom_portfolio *p)
{
    return p->cash + stom_portfolio_market_value(p);
}
