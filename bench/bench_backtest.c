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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static int64_t next_step(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % 7) - 3;
}

static void make_bars(stom_bars *b, size_t n)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "BENCH", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    stom_bars_reserve(b, n);
    int32_t date = 20150105;
    int minute = 0;
    int64_t price = 50000;
    for (size_t i = 0; i < n; i++) {
        int64_t ts = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + 9 * 3600 + minute * 60;
        int64_t tick = stom_krx_tick_size(price, STOM_BOARD_KOSPI, date);
        int64_t open = price, close = price + next_step() * tick;
        if (close < 1000)
            close = 1000;
        int64_t high = (open > close ? open : close) + tick,
                low = (open < close ? open : close) - tick;
        stom_bars_push(b, ts, open, high, low, close, 1000 + (int64_t)(rng % 5000));
        price = close;
        if (++minute == 381) {
            minute = 0;
            date = stom_date_from_days(stom_days_of_date(date) + 1);
            while (stom_weekday_from_days(stom_days_of_date(date)) >= 5)
                date = stom_date_from_days(stom_days_of_date(date) + 1);
        }
    }
}

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
        double t0 = now();
        if (stom_backtest_run(def, &p, b, 1, &cfg, &res, &eb) != 0) {
            fprintf(stderr, "backtest failed: %s\n", eb.msg);
            exit(1);
        }
        double t = now() - t0;
        best = t < best ? t : best;
        *trades = res.n_trades;
        stom_backtest_result_free(&res);
    }
    return best;
}

static void write_csv(const stom_bars *b, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fputs("Date,Time,Open,High,Low,Close,Volume\n", f);
    for (size_t i = 0; i < b->len; i++) {
        char day[16];
        int32_t sod = stom_seconds_of_day(b->ts[i], STOM_KST_OFFSET_MINUTES);
        stom_format_time(b->ts[i], STOM_KST_OFFSET_MINUTES, true, day, sizeof day);
        fprintf(f, "%s,%02d:%02d,%lld,%lld,%lld,%lld,%lld\n", day, sod / 3600, sod / 60 % 60,
                (long long)b->open[i], (long long)b->high[i], (long long)b->low[i],
                (long long)b->close[i], (long long)b->volume[i]);
    }
    fclose(f);
}

static double best_load(const char *path, const stom_instrument *inst, int runs)
{
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        stom_bars b;
        stom_bars_init(&b, inst);
        stom_csv_options opt;
        stom_csv_options_default(&opt);
        stom_errbuf eb;
        double t0 = now();
        if (stom_bars_load_csv(&b, path, &opt, NULL, &eb) != 0) {
            fprintf(stderr, "load failed: %s\n", eb.msg);
            exit(1);
        }
        double t = now() - t0;
        best = t < best ? t : best;
        stom_bars_free(&b);
    }
    return best;
}

/* Writes the bars to a temporary CSV, frees them, and loads the file back (best of 3). */
static double load_from_csv(stom_bars *b)
{
    char path[] = "/tmp/stom-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
    write_csv(b, path);
    stom_instrument inst = b->inst;
    stom_bars_free(b);
    double load = best_load(path, &inst, 2);
    stom_bars_init(b, &inst);
    stom_csv_options opt;
    stom_csv_options_default(&opt);
    stom_errbuf eb;
    double t0 = now();
    if (stom_bars_load_csv(b, path, &opt, NULL, &eb) != 0) {
        fprintf(stderr, "load failed: %s\n", eb.msg);
        exit(1);
    }
    double t = now() - t0;
    unlink(path);
    return t < load ? t : load;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    bool engine_only = argc > 3 && !strcmp(argv[3], "--engine-only");
    stom_bars b;
    make_bars(&b, n);
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
