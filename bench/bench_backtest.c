/*
 * bench_backtest.c - the foundation's figures:
 *   1. sma_cross through the full engine (exchange with costs, tick sizes and
 *      price limits, portfolio, metrics) on 1,000,000 one-minute bars in
 *      memory: bars per second on one core (best of several runs);
 *   2. loading the same bars from a 1,000,000-row CSV: seconds;
 *   3. peak memory (max RSS) of the process that did both.
 *
 * The bars are a seeded random walk on the KRX tick grid, 381 one-minute bars
 * per weekday session (09:00-15:20 KST), so every run measures the same work.
 * Usage: bench_backtest [bars [runs [--engine-only]]]   (default 1000000 bars, 5 runs;
 * --engine-only skips the CSV part, for instruction counts under callgrind)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "stom/backtest.h"
#include "stom/krx.h"
#include "stom/timeutil.h"
#include "support.h"

static double best_backtest(const stom_bars *b, int runs, size_t *trades)
{
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p;
    stom_params_default(def, &p);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        stom_backtest_result res;
        stom_errbuf eb;
        double t0 = bench_now();
        if (stom_backtest_run(def, &p, b, 1, &cfg, &res, &eb) != 0) {
            fprintf(stderr, "backtest failed: %s\n", eb.msg);
            exit(1);
        }
        double t = bench_now() - t0;
        best = t < best ? t : best;
        *trades = res.n_trades;
        stom_backtest_result_free(&res);
    }
    return best;
}

/* Writes the bars to a temporary CSV, frees them, and loads the file back (best of 3). */
static double load_from_csv(stom_bars *b)
{
    char path[512];
    bench_temp_path(path, sizeof path);
    bench_write_csv(b, path);
    stom_instrument inst = b->inst;
    stom_bars_free(b);
    double load = bench_best_load(path, &inst, 2);
    stom_bars_init(b, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    stom_errbuf eb;
    double t0 = bench_now();
    if (stom_bars_load_csv(b, path, &opt, NULL, &eb) != 0) {
        fprintf(stderr, "load failed: %s\n", eb.msg);
        exit(1);
    }
    double t = bench_now() - t0;
    unlink(path);
    return t < load ? t : load;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    bool engine_only = argc > 3 && !strcmp(argv[3], "--engine-only");
    stom_bars b;
    bench_make_bars(&b, n);
    if (!engine_only) {
        double load = load_from_csv(&b);
        printf("csv_load rows=%zu best_seconds=%.4f rows_per_second=%.0f\n", n, load,
               (double)n / load);
    }
    size_t trades = 0;
    double t = best_backtest(&b, runs > 0 ? runs : 1, &trades);
    printf("backtest sma_cross bars=%zu trades=%zu best_seconds=%.4f bars_per_second=%.0f\n", n,
           trades, t, (double)n / t);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb=%.1f (CSV loaded, then backtested)\n", (double)ru.ru_maxrss / 1024.0);
    stom_bars_free(&b);
    return 0;
}
