/*
 * stom/backtest.h - runs a strategy over bar series against the simulated
 * exchange and produces the report (equity, trades, metrics).
 *
 * Many symbols run on one merged timeline: at each timestamp every symbol
 * that has a bar opens it on the exchange (pending orders fill), runs its
 * strategy, and closes it (close fills, marks); then one equity point is
 * recorded. A symbol without a bar at a timestamp keeps its last mark.
 * The result is a pure function of the inputs: same data and parameters,
 * same trades to the won.
 *
 * Thread-safety: runs share nothing; distinct runs may execute concurrently.
 */
#ifndef STOM_BACKTEST_H
#define STOM_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "stom/bars.h"
#include "stom/exchange.h"
#include "stom/metrics.h"
#include "stom/strategy.h"

typedef struct stom_backtest_config {
    int64_t initial_cash; /* cash units */
    stom_exchange_config exchange;
    bool allow_short;
    int pyramiding;       /* >= 1 */
    bool drawdown_series; /* fill metrics.drawdown_pct (one double per point) */
} stom_backtest_config;

/* Defaults: 10,000,000 won, next-open fills, all-in, KRX costs, no shorts. */
void stom_backtest_config_default(stom_backtest_config *c);

typedef struct stom_backtest_result {
    size_t n; /* timeline points */
    int64_t *ts, *equity;
    int32_t *positions;
    stom_trade *trades; /* owned */
    size_t n_trades;
    size_t fills, rejected;
    double buy_hold_return_pct;
    stom_metrics metrics;
} stom_backtest_result;

/*
 * Runs def with params over n_series series (borrowed) under cfg and fills
 * *out (owned arrays; free with stom_backtest_result_free). Returns 0, or
 * STOM_EINVAL when the parameters are refused by the strategy or the
 * configuration is invalid (message in eb), STOM_EEMPTY when there is no bar,
 * STOM_ESTATE when the strategy failed during the run (its own error or a
 * sandbox limit; eb holds its file:line message and *out is left empty).
 */
int stom_backtest_run(const stom_strategy_def *def, const stom_params *params,
                      const stom_bars *series, size_t n_series, const stom_backtest_config *cfg,
                      stom_backtest_result *out, stom_errbuf *eb);
/* Releases a result. NULL is a no-op. */
void stom_backtest_result_free(stom_backtest_result *r);

#endif
