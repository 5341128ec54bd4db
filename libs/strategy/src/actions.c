/*
 * actions.c - what a strategy can do, expressed as orders for the runner.
 *
 * The position-level actions (enter long/short, exit) turn a signal into one
 * market order: sized at fill time, reversing an opposite position first,
 * honouring the pyramiding cap, and never stacking on a pending order.
 */
#include "stom/strategy.h"

#include <string.h>

int stom_ctx_submit(stom_strategy_ctx *ctx, const stom_order *o)
{
    stom_order copy = *o;
    copy.symbol = ctx->symbol;
    copy.id = 0;
    return ctx->ops->submit(ctx, &copy);
}

size_t stom_ctx_cancel_all(stom_strategy_ctx *ctx)
{
    return ctx->ops->cancel_all(ctx);
}

static void enter(stom_strategy_ctx *ctx, int side)
{
    if (ctx->pending > 0)
        return;
    int64_t signed_pos = ctx->position * side;
    if (signed_pos > 0 && ctx->entries >= ctx->pyramiding)
        return;
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = side;
    o.type = STOM_ORDER_MARKET;
    o.close_first = signed_pos < 0;
    stom_ctx_submit(ctx, &o);
}

void stom_ctx_enter_long(stom_strategy_ctx *ctx)
{
    enter(ctx, +1);
}

void stom_ctx_enter_short(stom_strategy_ctx *ctx)
{
    if (!ctx->allow_short) {
        stom_ctx_exit(ctx);
        return;
    }
    enter(ctx, -1);
}

void stom_ctx_exit_qty(stom_strategy_ctx *ctx, int64_t qty)
{
    int64_t held = ctx->position < 0 ? -ctx->position : ctx->position;
    if (held == 0 || qty <= 0)
        return;
    stom_ctx_cancel_all(ctx);
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = ctx->position > 0 ? -1 : +1;
    o.type = STOM_ORDER_MARKET;
    o.qty = qty < held ? qty : held;
    o.exit_only = true;
    stom_ctx_submit(ctx, &o);
}

void stom_ctx_exit(stom_strategy_ctx *ctx)
{
    int64_t held = ctx->position < 0 ? -ctx->position : ctx->position;
    stom_ctx_exit_qty(ctx, held);
}
