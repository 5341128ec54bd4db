/*
 * bench_csv_load.c - how fast stom_bars_load_csv reads a million 1-minute bars.
 *
 * Writes a realistic CSV (Date,Time,Open,High,Low,Close,Volume: KRW prices
 * on a random walk rounded to the KRX tick, 390 one-minute bars per weekday
 * session from 09:00 KST) to a temporary file, loads it three times and
 * prints the best wall time, the in-memory parse time and the peak RSS.
 *
 * Usage: bench_csv_load [rows]   (default 1,000,000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "stom/bars.h"
#include "stom/instrument.h"
#include "stom/timeutil.h"

#define RUNS              3
#define BARS_PER_SESSION  390
#define SESSION_START_MIN (9 * 60)

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

/* xorshift64*: fast and good enough for a price path. */
static uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

/* The KRX stock tick size (2023 table) at price p. */
static int64_t krx_tick(int64_t p)
{
    if (p < 2000)
        return 1;
    if (p < 5000)
        return 5;
    if (p < 20000)
        return 10;
    if (p < 50000)
        return 50;
    if (p < 200000)
        return 100;
    if (p < 500000)
        return 500;
    return 1000;
}

/* One random step of -2..+2 ticks, never below one tick. */
static int64_t step(int64_t p)
{
    int64_t tick = krx_tick(p);
    int64_t next = p + ((int64_t)(next_random() % 5) - 2) * tick;
    next -= next % krx_tick(next > 0 ? next : 1);
    return next > tick ? next : tick;
}

static void write_bar(FILE *f, int64_t day, int minute, int64_t *price)
{
    int y, m, d;
    int64_t open = *price, high = open, low = open, close = open;
    for (int k = 0; k < 4; k++) {
        close = step(close);
        high = close > high ? close : high;
        low = close < low ? close : low;
    }
    *price = close;
    int64_t volume = 100 + (int64_t)(next_random() % 50000);
    stom_civil_from_days(day, &y, &m, &d);
    fprintf(f, "%04d-%02d-%02d,%02d:%02d,%lld,%lld,%lld,%lld,%lld\n", y, m, d, minute / 60,
            minute % 60, (long long)open, (long long)high, (long long)low, (long long)close,
            (long long)volume);
}

/* Writes rows bars of weekday sessions from 2015-01-02; returns the file size. */
static long write_csv(FILE *f, size_t rows)
{
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("Date,Time,Open,High,Low,Close,Volume\n", f);
    int64_t day = stom_days_from_civil(2015, 1, 2), price = 70000;
    size_t written = 0;
    for (; written < rows; day++) {
        if (stom_weekday_from_days(day) >= 5)
            continue;
        for (int i = 0; i < BARS_PER_SESSION && written < rows; i++, written++)
            write_bar(f, day, SESSION_START_MIN + i, &price);
    }
    fflush(f);
    return ftell(f);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Best of RUNS loads of path; exits on any failure. */
static double time_loads(const char *path, const stom_instrument *inst, size_t rows)
{
    double best = 1e30;
    for (int run = 0; run < RUNS; run++) {
        stom_bars b;
        stom_csv_stats st;
        stom_errbuf eb;
        stom_bars_init(&b, inst);
        double t0 = now_seconds();
        int rc = stom_bars_load_csv(&b, path, NULL, &st, &eb);
        double dt = now_seconds() - t0;
        if (rc != 0 || b.len != rows) {
            fprintf(stderr, "bench_csv_load: load failed (%d): %s\n", rc, eb.msg);
            exit(1);
        }
        stom_bars_free(&b);
        best = dt < best ? dt : best;
    }
    return best;
}

/* Best of RUNS parses of the file's bytes already in memory. */
static double time_parses(const char *path, const stom_instrument *inst, long size)
{
    FILE *f = fopen(path, "rb");
    char *data = malloc((size_t)size);
    if (f == NULL || data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "bench_csv_load: cannot read back %s\n", path);
        exit(1);
    }
    fclose(f);
    double best = 1e30;
    for (int run = 0; run < RUNS; run++) {
        stom_bars b;
        stom_errbuf eb;
        stom_bars_init(&b, inst);
        double t0 = now_seconds();
        int rc = stom_bars_parse_csv(&b, data, (size_t)size, "bench", NULL, NULL, &eb);
        double dt = now_seconds() - t0;
        if (rc != 0) {
            fprintf(stderr, "bench_csv_load: parse failed: %s\n", eb.msg);
            exit(1);
        }
        stom_bars_free(&b);
        best = dt < best ? dt : best;
    }
    free(data);
    return best;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/stom_bench_csv_XXXXXX", tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (rows == 0 || f == NULL) {
        fprintf(stderr, "bench_csv_load: cannot create %s (or rows is 0)\n", path);
        return 1;
    }
    long size = write_csv(f, rows);
    fclose(f);

    stom_instrument inst;
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    double load = time_loads(path, &inst, rows);
    double parse = time_parses(path, &inst, size);
    unlink(path);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("csv_load rows=%zu bytes=%ld seconds=%.3f rows_per_sec=%.0f mb_per_sec=%.0f "
           "peak_rss_mb=%.1f\n",
           rows, size, load, (double)rows / load, (double)size / load / 1e6,
           (double)ru.ru_maxrss / 1024.0);
    printf("csv_parse_in_memory rows=%zu seconds=%.3f rows_per_sec=%.0f\n", rows, parse,
           (double)rows / parse);
    return 0;
}
