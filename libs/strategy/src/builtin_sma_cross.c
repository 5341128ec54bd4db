/*
 * builtin_sma_cross.c - moving-average crossover.
 *
 * Long when the fast SMA of the close crosses over the slow one, out (or
 * short, when the run allows shorts: a reversal) when it crosses under. A
 * cross is TradingView's ta.crossover: fast <= slow on the previous bar and
 * fast > slow on this one; crossunder mirrors it.
 *
 * The averages are kept as exact integer running sums, and fast > slow is
 * tested as sum_fast * slow > sum_slow * fast, so there is no rounding and
 * each bar costs O(1).
 */
#include "builtins.h"

typedef struct sma_cross_state {
    int fast, slow;
    int64_t sum_fast, sum_slow;
    int64_t prev_diff; /* sign of fast - slow on the previous bar */
} sma_cross_state;

static const stom_param_spec sma_cross_params[] = {
    {"fast", STOM_PARAM_INT, 10, 1, 1000, 1, "bars in the fast moving average"},
    {"slow", STOM_PARAM_INT, 30, 2, 5000, 1, "bars in the slow moving average (> fast)"},
};

static int sma_cross_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    sma_cross_state *s = state;
    s->fast = (int)p->v[0];
    s->slow = (int)p->v[1];
    if (s->fast >= s->slow)
        return stom_errorf(eb, STOM_EINVAL, "sma_cross needs fast < slow (got fast=%d slow=%d)",
                           s->fast, s->slow);
    return STOM_OK;
}

static void sma_cross_on_bar(void *state, stom_strategy_ctx *ctx)
{
    sma_cross_state *s = state;
    const int64_t *close = ctx->bars->close;
    size_t i = ctx->i;
    s->sum_fast += close[i];
    s->sum_slow += close[i];
    if (i >= (size_t)s->fast)
        s->sum_fast -= close[i - (size_t)s->fast];
    if (i >= (size_t)s->slow)
        s->sum_slow -= close[i - (size_t)s->slow];
    if (i + 1 < (size_t)s->slow)
        return;
    int64_t diff = s->sum_fast * s->slow - s->sum_slow * s->fast;
    /* The previous bar's averages exist from index slow on. */
    if (i >= (size_t)s->slow) {
        if (s->prev_diff <= 0 && diff > 0)
            stom_ctx_enter_long(ctx);
        else if (s->prev_diff >= 0 && diff < 0)
            stom_ctx_enter_short(ctx);
    }
    s->prev_diff = diff;
}

const stom_strategy_def stom__builtin_sma_cross = {
    .name = "sma_cross",
    .summary = "fast/slow simple moving-average crossover (long-only, or reversal with shorts)",
    .params = sma_cross_params,
    .n_params = sizeof sma_cross_params / sizeof sma_cross_params[0],
    .state_size = sizeof(sma_cross_state),
    .init = sma_cross_init,
    .on_bar = sma_cross_on_bar,
};
