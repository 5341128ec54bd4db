/*
 * builtin_momentum.c - rate-of-change momentum.
 *
 * ROC is the close's change in percent over `lookback` bars:
 * 100 * (close[i] - close[i-lookback]) / close[i-lookback]. A close with
 * ROC > threshold buys unless already long (a short is reversed); a long is
 * closed on a close with ROC < exit_threshold. With shorts allowed the
 * mirror also trades: ROC < -threshold sells short unless already short, and
 * a short is covered when ROC > -exit_threshold. These are levels, not
 * crosses: momentum is a state, and a position missed while an order was
 * pending is taken on the next bar that still qualifies. Entering only when
 * not already in that direction keeps a long run of strong bars from
 * pyramiding.
 *
 * exit_threshold < threshold is required, so that no ROC is both a reason
 * to enter and a reason to leave.
 *
 * ROC is the shared streaming stom_roc (O(1) per bar; it owns a window of
 * lookback doubles, released in fini). Its first value is at bar lookback.
 */
#include "builtins.h"
#include "stom/indicators.h"

typedef struct momentum_state {
    stom_roc roc;
    double threshold, exit_threshold;
} momentum_state;

static const stom_param_spec momentum_params[] = {
    {"lookback", STOM_PARAM_INT, 20, 1, 1000, 1, "bars over which the rate of change is taken"},
    {"threshold", STOM_PARAM_FLOAT, 5, 0, 100, 0.5, "ROC in percent above which to buy"},
    {"exit_threshold", STOM_PARAM_FLOAT, 0, -100, 100, 0.5,
     "ROC in percent below which a long is closed (< threshold)"},
};

static int momentum_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    momentum_state *s = state;
    int lookback = (int)p->v[0];
    s->threshold = p->v[1];
    s->exit_threshold = p->v[2];
    if (!(s->exit_threshold < s->threshold))
        return stom_errorf(eb, STOM_EINVAL,
                           "momentum needs exit_threshold < threshold (got threshold=%g "
                           "exit_threshold=%g)",
                           s->threshold, s->exit_threshold);
    /* Allocating last: a refused init holds nothing (runners call fini only after a
     * successful init). */
    if (stom_roc_init(&s->roc, lookback) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL, "momentum: lookback=%d is out of range 1..%d", lookback,
                           STOM_IND_MAX_PERIOD);
    return STOM_OK;
}

static void momentum_on_bar(void *state, stom_strategy_ctx *ctx)
{
    momentum_state *s = state;
    double roc = stom_roc_update(&s->roc, (double)ctx->bars->close[ctx->i]);
    /* During warm-up (and after a zero close) roc is NAN and every test is false. */
    if (roc > s->threshold && ctx->position <= 0)
        stom_ctx_enter_long(ctx);
    else if (ctx->allow_short && roc < -s->threshold && ctx->position >= 0)
        stom_ctx_enter_short(ctx);
    else if (ctx->position > 0 && roc < s->exit_threshold)
        stom_ctx_exit(ctx);
    else if (ctx->position < 0 && roc > -s->exit_threshold)
        stom_ctx_exit(ctx);
}

static void momentum_fini(void *state)
{
    momentum_state *s = state;
    stom_roc_free(&s->roc);
}

const stom_strategy_def stom__builtin_momentum = {
    .name = "momentum",
    .summary = "buy when the rate of change over lookback bars exceeds threshold %, sell when it "
               "turns negative (mirror with shorts)",
    .params = momentum_params,
    .n_params = sizeof momentum_params / sizeof momentum_params[0],
    .state_size = sizeof(momentum_state),
    .init = momentum_init,
    .on_bar = momentum_on_bar,
    .fini = momentum_fini,
};
