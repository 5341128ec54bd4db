/*
 * builtin_rsi_reversion.c - RSI mean reversion.
 *
 * Long when Wilder's RSI of the close crosses up through `oversold` (it was
 * oversold and is recovering); the long is closed on the first close with
 * RSI above `overbought`. With shorts allowed the mirror also trades: short
 * when RSI crosses down through `overbought`, covered on the first close
 * with RSI below `oversold`. A cross is TradingView's ta.crossover: RSI <=
 * level on the previous bar and RSI > level on this one (crossunder
 * mirrors it).
 *
 * Exits test the level rather than a cross so that a position is closed even
 * when RSI jumped over the exit level in the same bar as the entry cross.
 * In every other case the first close beyond the level is the cross itself.
 *
 * RSI is the shared streaming stom_rsi (TA-Lib seeding, O(1) per bar, no
 * memory): the first value is at bar `period`, the first cross one bar later.
 */
#include <math.h>

#include "builtins.h"
#include "stom/indicators.h"

typedef struct rsi_reversion_state {
    stom_rsi rsi;
    double oversold, overbought;
    double prev; /* RSI of the previous bar, NAN until there is one */
} rsi_reversion_state;

static const stom_param_spec rsi_reversion_params[] = {
    {"period", STOM_PARAM_INT, 14, 2, 1000, 1, "bars in Wilder's RSI"},
    {"oversold", STOM_PARAM_FLOAT, 30, 1, 99, 1, "RSI level whose upward cross buys"},
    {"overbought", STOM_PARAM_FLOAT, 70, 1, 99, 1,
     "RSI level above which a long is closed (> oversold)"},
};

static int rsi_reversion_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    rsi_reversion_state *s = state;
    int period = (int)p->v[0];
    s->oversold = p->v[1];
    s->overbought = p->v[2];
    s->prev = NAN;
    if (!(s->oversold < s->overbought))
        return stom_errorf(eb, STOM_EINVAL,
                           "rsi_reversion needs oversold < overbought (got oversold=%g "
                           "overbought=%g)",
                           s->oversold, s->overbought);
    if (stom_rsi_init(&s->rsi, period) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL, "rsi_reversion: period=%d is out of range 1..%d",
                           period, STOM_IND_MAX_PERIOD);
    return STOM_OK;
}

static void rsi_reversion_on_bar(void *state, stom_strategy_ctx *ctx)
{
    rsi_reversion_state *s = state;
    double rsi = stom_rsi_update(&s->rsi, (double)ctx->bars->close[ctx->i]);
    double prev = s->prev;
    s->prev = rsi;
    /* A comparison with NAN is false, so warm-up bars and the first RSI
     * (no previous value) produce no cross. */
    if (prev <= s->oversold && rsi > s->oversold)
        stom_ctx_enter_long(ctx);
    else if (ctx->allow_short && prev >= s->overbought && rsi < s->overbought)
        stom_ctx_enter_short(ctx);
    else if (ctx->position > 0 && rsi > s->overbought)
        stom_ctx_exit(ctx);
    else if (ctx->position < 0 && rsi < s->oversold)
        stom_ctx_exit(ctx);
}

const stom_strategy_def stom__builtin_rsi_reversion = {
    .name = "rsi_reversion",
    .summary = "buy when RSI recovers through oversold, sell above overbought (mirror with shorts)",
    .params = rsi_reversion_params,
    .n_params = sizeof rsi_reversion_params / sizeof rsi_reversion_params[0],
    .state_size = sizeof(rsi_reversion_state),
    .init = rsi_reversion_init,
    .on_bar = rsi_reversion_on_bar,
};
