/*
 * bench_lua.c - the Lua runtime's figures on 1,000,000 one-minute bars:
 *   1. sma_cross written in Lua, with the default sandbox limits (step
 *      budget woven in, memory cap), bars per second on one core;
 *   2. the same without limits;
 *   3. the C built-in sma_cross on the same bars;
 * best of several runs each, through the full engine (stom_backtest_run),
 * plus the sandbox overhead (1 against 2) and a check that all three made
 * exactly the same trades.
 *
 * The bars are the seeded KRX-grid random walk of bench_backtest.c.
 * Usage: bench_lua [bars [runs [limits|none|c]]]   (default 1000000 bars, 5
 * runs, all three; naming one runs only that, for instruction counts under
 * callgrind: valgrind --tool=callgrind --smc-check=all-non-file ...)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stom/backtest.h"
#include "stom/krx.h"
#include "stom/lua_strategy.h"
#include "stom/timeutil.h"
#include "support.h"

/* The same strategy as tests/fixtures/lua/sma_cross.lua. */
static const char sma_cross_lua[] =
    "params = {\n"
    "    fast = {type = \"int\", default = 10, min = 1, max = 1000, step = 1},\n"
    "    slow = {type = \"int\", default = 30, min = 2, max = 5000, step = 1},\n"
    "}\n"
    "function on_bar()\n"
    "    local fast, slow = sma(params.fast), sma(params.slow)\n"
    "    local fast_prev, slow_prev = sma(params.fast, 1), sma(params.slow, 1)\n"
    "    if crossover(fast, slow, fast_prev, slow_prev) then\n"
    "        buy()\n"
    "    elseif crossunder(fast, slow, fast_prev, slow_prev) then\n"
    "        sell()\n"
    "    end\n"
    "end\n";

/* Best time of runs backtests of def; the last run's result stays in *keep. */
static double best_run(const stom_strategy_def *def, const stom_bars *b, int runs,
                       stom_backtest_result *keep)
{
    stom_params p;
    stom_params_default(def, &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        stom_errbuf eb;
        if (r > 0)
            stom_backtest_result_free(keep);
        double t0 = bench_now();
        if (stom_backtest_run(def, &p, b, 1, &cfg, keep, &eb) != 0) {
            fprintf(stderr, "backtest %s failed: %s\n", def->name, eb.msg);
            exit(1);
        }
        double t = bench_now() - t0;
        best = t < best ? t : best;
    }
    return best;
}

static stom_lua_strategy *load(const stom_lua_limits *limits)
{
    stom_lua_strategy *s = NULL;
    stom_errbuf eb;
    if (stom_lua_strategy_load(&s, "sma_cross.lua", sma_cross_lua, strlen(sma_cross_lua), limits,
                               &eb) != 0) {
        fprintf(stderr, "load failed: %s\n", eb.msg);
        exit(1);
    }
    return s;
}

static bool same_trades(const stom_backtest_result *a, const stom_backtest_result *b)
{
    return a->n_trades == b->n_trades &&
           memcmp(a->trades, b->trades, a->n_trades * sizeof *a->trades) == 0 &&
           a->metrics.final_equity == b->metrics.final_equity;
}

/* One configuration alone: "limits", "none" or "c". */
static int run_one(const stom_bars *b, int runs, const char *which)
{
    stom_lua_limits limits;
    if (!strcmp(which, "none"))
        stom_lua_limits_none(&limits);
    else
        stom_lua_limits_default(&limits);
    stom_lua_strategy *s = strcmp(which, "c") ? load(&limits) : NULL;
    const stom_strategy_def *def = s ? stom_lua_strategy_def(s) : stom_strategy_find("sma_cross");
    stom_backtest_result r;
    double t = best_run(def, b, runs, &r);
    printf("%s sma_cross bars=%zu trades=%zu best_seconds=%.4f bars_per_second=%.0f\n", which,
           b->len, r.n_trades, t, (double)b->len / t);
    stom_backtest_result_free(&r);
    stom_lua_strategy_destroy(s);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int runs = argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 5;
    stom_bars b;
    bench_make_bars(&b, n);
    if (argc > 3) {
        int rc = run_one(&b, runs, argv[3]);
        stom_bars_free(&b);
        return rc;
    }
    stom_lua_limits limited, unlimited;
    stom_lua_limits_default(&limited);
    stom_lua_limits_none(&unlimited);
    stom_lua_strategy *lua_limited = load(&limited), *lua_free = load(&unlimited);
    stom_backtest_result r_limited, r_free, r_c;
    double t_limited = best_run(stom_lua_strategy_def(lua_limited), &b, runs, &r_limited);
    double t_free = best_run(stom_lua_strategy_def(lua_free), &b, runs, &r_free);
    double t_c = best_run(stom_strategy_find("sma_cross"), &b, runs, &r_c);
    printf("lua sma_cross (limits)    bars=%zu trades=%zu best_seconds=%.4f bars_per_second=%.0f\n",
           n, r_limited.n_trades, t_limited, (double)n / t_limited);
    printf("lua sma_cross (no limits) bars=%zu trades=%zu best_seconds=%.4f bars_per_second=%.0f\n",
           n, r_free.n_trades, t_free, (double)n / t_free);
    printf("c   sma_cross             bars=%zu trades=%zu best_seconds=%.4f bars_per_second=%.0f\n",
           n, r_c.n_trades, t_c, (double)n / t_c);
    printf("sandbox_overhead_pct=%.1f same_trades_as_c=%s\n", (t_limited / t_free - 1) * 100,
           same_trades(&r_limited, &r_c) && same_trades(&r_free, &r_c) ? "yes" : "NO");
    stom_backtest_result_free(&r_limited);
    stom_backtest_result_free(&r_free);
    stom_backtest_result_free(&r_c);
    stom_lua_strategy_destroy(lua_limited);
    stom_lua_strategy_destroy(lua_free);
    stom_bars_free(&b);
    return 0;
}
