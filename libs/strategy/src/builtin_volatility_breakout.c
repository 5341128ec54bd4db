/*
 * builtin_volatility_breakout.c - Larry Williams' volatility breakout.
 *
 * While flat, every bar places a buy stop for the next bar at that bar's
 * open + k * (this bar's high - low): a move of k ranges above the open is
 * taken as the start of a trend. k is kept in millionths so that the offset
 * is computed in integers and rounds like on paper (k = 0.3, range 5: 1.5 ->
 * 2 price units; halves round up), and the exchange sets the stop when the
 * next bar opens (stop_from_open) and snaps the fill to the tick grid. A stop that
 * did not fill is cancelled before the next one is placed, so at most one
 * is ever pending.
 *
 * A filled entry is held for `hold` bars, counting the bar it filled in, and
 * the exit is a market order on the close of the last one: with next-open
 * fills and hold = 1 the position is bought during bar j and sold at the open
 * of bar j+1, the classic overnight hold. No stop works during the bar whose
 * open sells the position (the close before it was not flat), so the next
 * entry can come at the earliest in the bar after that one.
 *
 * Long-only; no warm-up (bar 0 already places a stop for bar 1).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "builtins.h"

#define PPM 1000000

typedef struct volatility_breakout_state {
    int64_t k_ppm; /* k in millionths */
    int hold;
    int held; /* closes seen with a position, including this one */
} volatility_breakout_state;

static const stom_param_spec volatility_breakout_params[] = {
    {"k", STOM_PARAM_FLOAT, 0.5, 0.1, 2.0, 0.05, "fraction of the bar's range added to next open"},
    {"hold", STOM_PARAM_INT, 1, 1, 100, 1, "bars to hold a position, the entry bar included"},
};

static int volatility_breakout_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    volatility_breakout_state *s = state;
    double k = p->v[0];
    s->hold = (int)p->v[1];
    /* Bounded so that k_ppm * range cannot overflow for any realistic range. */
    if (!(k >= 1.0 / PPM && k <= 100) || s->hold < 1)
        return stom_errorf(
            eb, STOM_EINVAL,
            "volatility_breakout needs 0 < k <= 100 and hold >= 1 (got k=%g hold=%d)", k, s->hold);
    s->k_ppm = llround(k * PPM);
    return STOM_OK;
}

/* round(k * range) in price units, halves up. */
static int64_t stop_offset(int64_t k_ppm, int64_t range)
{
    if (range <= 0)
        return 0;
    if (range <= (INT64_MAX - PPM / 2) / k_ppm)
        return (k_ppm * range + PPM / 2) / PPM;
    /* Past about 9e10 price units of range: doubles, which are exact enough there. */
    return llround((double)k_ppm / PPM * (double)range);
}

static void place_stop(volatility_breakout_state *s, stom_strategy_ctx *ctx)
{
    int64_t range = ctx->bars->high[ctx->i] - ctx->bars->low[ctx->i];
    stom_order o;
    memset(&o, 0, sizeof o);
    o.side = +1;
    o.type = STOM_ORDER_STOP;
    o.stop_from_open = true;
    o.stop_offset = stop_offset(s->k_ppm, range);
    stom_ctx_submit(ctx, &o);
}

static void volatility_breakout_on_bar(void *state, stom_strategy_ctx *ctx)
{
    volatility_breakout_state *s = state;
    if (ctx->position != 0) {
        /* The exit cancels what is pending first; before it, only the unfilled
         * rest of a partly filled entry stop can be pending, and it must not
         * add to the position later. */
        if (++s->held >= s->hold)
            stom_ctx_exit(ctx);
        else if (ctx->pending > 0)
            stom_ctx_cancel_all(ctx);
        return;
    }
    s->held = 0;
    if (ctx->pending > 0)
        stom_ctx_cancel_all(ctx);
    place_stop(s, ctx);
}

const stom_strategy_def stom__builtin_volatility_breakout = {
    .name = "volatility_breakout",
    .summary = "buy stop at next open + k x range, exit at the open after the entry bar "
               "(Larry Williams)",
    .params = volatility_breakout_params,
    .n_params = sizeof volatility_breakout_params / sizeof volatility_breakout_params[0],
    .state_size = sizeof(volatility_breakout_state),
    .init = volatility_breakout_init,
    .on_bar = volatility_breakout_on_bar,
};
