/*
 * builtin_bollinger_breakout.c - Bollinger band breakout.
 *
 * The bands are the SMA(period) of the close plus and minus k population
 * standard deviations. Long when the close crosses above the upper band; the
 * long is closed on the first close below the middle band (the SMA). With
 * shorts allowed the mirror also trades: short when the close crosses below
 * the lower band, covered on the first close above the middle band. A cross
 * is ta.crossover against the band of the same bar: close <= upper on the
 * previous bar and close > upper on this one (crossunder mirrors it).
 *
 * Exits test the level rather than a cross so that a position is closed even
 * when it was opened on a close already beyond the middle band; normally the
 * first close beyond it is the cross itself.
 *
 * The bands are the shared streaming stom_bollinger (O(1) per bar; it owns a
 * window of period doubles, released in fini). They exist from bar period-1,
 * so the first cross can come at bar period.
 */
#include <math.h>

#include "builtins.h"
#include "stom/indicators.h"

typedef struct bollinger_breakout_state {
    stom_bollinger bands;
    double prev_close;
    stom_bollinger_value prev; /* bands of the previous bar, NAN until there are some */
} bollinger_breakout_state;

static const stom_param_spec bollinger_breakout_params[] = {
    {"period", STOM_PARAM_INT, 20, 2, 1000, 1, "bars in the moving average and deviation"},
    {"k", STOM_PARAM_FLOAT, 2.0, 0.1, 5.0, 0.1, "band width in standard deviations (> 0)"},
};

static int bollinger_breakout_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    bollinger_breakout_state *s = state;
    int period = (int)p->v[0];
    double k = p->v[1];
    s->prev.upper = s->prev.middle = s->prev.lower = NAN;
    /* A zero-width band would turn every tick above the average into a breakout. */
    if (!(k > 0) || period < 2)
        return stom_errorf(eb, STOM_EINVAL,
                           "bollinger_breakout needs period >= 2 and k > 0 (got period=%d k=%g)",
                           period, k);
    /* Allocating last: a refused init holds nothing (runners call fini only after a
     * successful init). */
    if (stom_bollinger_init(&s->bands, period, k) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL,
                           "bollinger_breakout: period=%d k=%g is out of range (period <= %d)",
                           period, k, STOM_IND_MAX_PERIOD);
    return STOM_OK;
}

static void bollinger_breakout_on_bar(void *state, stom_strategy_ctx *ctx)
{
    bollinger_breakout_state *s = state;
    double close = (double)ctx->bars->close[ctx->i];
    stom_bollinger_value b = stom_bollinger_update(&s->bands, close);
    double prev_close = s->prev_close;
    stom_bollinger_value prev = s->prev;
    s->prev_close = close;
    s->prev = b;
    /* Comparisons with NAN are false: no signal until two bars have bands. */
    if (prev_close <= prev.upper && close > b.upper)
        stom_ctx_enter_long(ctx);
    else if (ctx->allow_short && prev_close >= prev.lower && close < b.lower)
        stom_ctx_enter_short(ctx);
    else if (ctx->position > 0 && close < b.middle)
        stom_ctx_exit(ctx);
    else if (ctx->position < 0 && close > b.middle)
        stom_ctx_exit(ctx);
}

static void bollinger_breakout_fini(void *state)
{
    bollinger_breakout_state *s = state;
    stom_bollinger_free(&s->bands);
}

const stom_strategy_def stom__builtin_bollinger_breakout = {
    .name = "bollinger_breakout",
    .summary = "buy a close above the upper Bollinger band, sell below the middle (mirror with "
               "shorts)",
    .params = bollinger_breakout_params,
    .n_params = sizeof bollinger_breakout_params / sizeof bollinger_breakout_params[0],
    .state_size = sizeof(bollinger_breakout_state),
    .init = bollinger_breakout_init,
    .on_bar = bollinger_breakout_on_bar,
    .fini = bollinger_breakout_fini,
};
