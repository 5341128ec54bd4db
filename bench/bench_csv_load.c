/*
 * bench_csv_load.c - how fast stom_bars_load_csv reads a million 1-minute bars.
 *
 * Writes the shared generated bars (support.h: KRW prices on a random walk on
 * the KRX tick grid, 381 one-minute bars per weekday session) as a
 * Date,Time,Open,High,Low,Close,Volume CSV to a temporary file, loads it
 * three times and prints the best wall time, the in-memory parse time and
 * the peak RSS.
 *
 * Usage: bench_csv_load [rows]   (default 1,000,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "stom/bars.h"
#include "support.h"

#define RUNS 3

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
        double t0 = bench_now();
        int rc = stom_bars_parse_csv(&b, data, (size_t)size, "bench", NULL, NULL, &eb);
        double dt = bench_now() - t0;
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
    if (rows == 0) {
        fprintf(stderr, "bench_csv_load: rows must be positive\n");
        return 1;
    }
    stom_bars bars;
    bench_make_bars(&bars, rows);
    char path[512];
    bench_temp_path(path, sizeof path);
    long size = bench_write_csv(&bars, path);
    stom_instrument inst = bars.inst;
    stom_bars_free(&bars);

    double load = bench_best_load(path, &inst, RUNS);
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
