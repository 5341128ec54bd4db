/*
 * lua_actions.c - what passes between the engine and a Lua strategy's view:
 * the engine's state written in before a resume, the orders the strategy
 * queued carried out after it, and the account values and tick size its
 * trusted side asks for.
 *
 * buy()/sell() without a quantity are the built-ins' signals
 * (stom_ctx_enter_long/enter_short: sized by the run, reversing, honouring
 * pyramiding, never stacking on a pending order); with a quantity and/or a
 * limit price they are explicit orders; close_position() is stom_ctx_exit.
 */
#include <math.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/fixed.h"
#include "stom/krx.h"
#include "stom/timeutil.h"

void stom__lua_view_sync(stom__lua_sym *sym, const stom_strategy_ctx *ctx)
{
    stom__lua_view *v = sym->view;
    const stom_bars *b = ctx->bars;
    v->ts = b->ts, v->open = b->open, v->high = b->high;
    v->low = b->low, v->close = b->close, v->volume = b->volume;
    v->len = (double)b->len;
    v->bar = (double)ctx->i;
    v->position = (double)ctx->position;
    v->entries = ctx->entries;
    v->pending = (double)ctx->pending;
    v->price_scale = (double)stom_pow10(b->inst.price_decimals);
    v->qty_scale = (double)stom_pow10(b->inst.qty_decimals);
    v->utc_offset = STOM_KST_OFFSET_MINUTES * 60.0;
    v->market = (int32_t)b->inst.market;
    v->entry_price = 0;
    v->entry_ts = 0;
    if (ctx->book != NULL && ctx->position != 0) {
        const stom_position *pos = &ctx->book->pos[ctx->symbol];
        double held = fabs((double)pos->qty);
        /* entry_value is cash units for the open quantity: back to price units. */
        v->entry_price = (double)pos->entry_value / held * v->qty_scale;
        v->entry_ts = (double)pos->entry_ts;
    }
}

void stom__lua_account(stom__lua_sym *sym)
{
    stom__lua_view *v = sym->view;
    const stom_strategy_ctx *ctx = sym->ctx;
    v->cash = v->equity = 0;
    if (ctx == NULL || ctx->book == NULL)
        return;
    const stom_portfolio *book = ctx->book;
    const stom_position *pos = &book->pos[ctx->symbol];
    /* The engine marked the position at its last close; the strategy is at this bar. */
    int64_t own_then = stom_portfolio_value_at(book, ctx->symbol, pos->last_price);
    int64_t own_now = stom_portfolio_value_at(book, ctx->symbol, ctx->bars->close[(size_t)v->bar]);
    v->cash = (double)book->cash;
    v->equity = (double)(stom_portfolio_equity(book) - own_then + own_now);
}

double stom__lua_tick_size(const stom__lua_sym *sym, double price, double bar)
{
    const stom__lua_view *v = sym->view;
    if (sym->ctx == NULL || !(bar >= 0 && bar < v->len))
        return NAN;
    const stom_instrument *inst = &sym->ctx->bars->inst;
    if (inst->market != STOM_MARKET_KRX)
        return 1 / v->price_scale;
    int32_t date = stom_date_of(v->ts[(size_t)bar], STOM_KST_OFFSET_MINUTES);
    return (double)stom_krx_tick_size((int64_t)price, inst->board, date) / v->price_scale;
}

/* An explicit order: qty units (0 = sized by the run), limit price (0 = market). */
static int submit(stom_strategy_ctx *ctx, int side, const stom__lua_action *a)
{
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = side;
    o.qty = (int64_t)a->qty;
    o.type = a->price > 0 ? STOM_ORDER_LIMIT : STOM_ORDER_MARKET;
    o.limit_price = (int64_t)a->price;
    if (side < 0 && !ctx->allow_short) {
        /* Without shorts a sell only reduces a long; a sized one sells all of it. */
        if (ctx->position <= 0)
            return STOM_OK;
        o.exit_only = true;
        if (o.qty == 0 || o.qty > ctx->position)
            o.qty = ctx->position;
    }
    o.close_first = o.qty == 0 && ctx->position * side < 0;
    return stom_ctx_submit(ctx, &o);
}

static int act_one(stom_strategy_ctx *ctx, const stom__lua_action *a)
{
    bool plain = a->qty == 0 && a->price == 0;
    switch (a->kind) {
    case STOM__LUA_BUY:
        if (plain)
            stom_ctx_enter_long(ctx);
        return plain ? STOM_OK : submit(ctx, +1, a);
    case STOM__LUA_SELL:
        if (plain)
            stom_ctx_enter_short(ctx);
        return plain ? STOM_OK : submit(ctx, -1, a);
    case STOM__LUA_CLOSE:
        stom_ctx_exit(ctx);
        return STOM_OK;
    default:
        return STOM_EINVAL;
    }
}

int stom__lua_act(stom__lua_sym *sym, stom_strategy_ctx *ctx, stom_errbuf *eb)
{
    stom__lua_view *v = sym->view;
    int n = v->n_actions;
    v->n_actions = 0;
    for (int k = 0; k < n && k < STOM__LUA_MAX_ACTIONS; k++) {
        if (act_one(ctx, &v->actions[k]) != STOM_OK)
            return stom_errorf(eb, STOM_ESTATE, "%s: the exchange refused order %d of bar %zu",
                               sym->prog->name, k + 1, ctx->i);
    }
    /* Submits and cancels changed what is pending; the driver reads it next. */
    v->pending = (double)ctx->pending;
    return STOM_OK;
}
