/*
 * bench_store_load.c - how fast a million 1-minute bars go into PostgreSQL
 * and come back. Bars are stored as bar blocks (one row per symbol,
 * timeframe and day of minute bars, the bars packed in a bytea; see
 * docs/storage.md), so it measures:
 *   store_import   stom_store_import_bars of 1M new bars (one binary COPY
 *                  of about 2,600 block rows);
 *   store_load     stom_store_load_bars of all of them (one binary-format
 *                  query, the blocks byte-swapped into the columns), best
 *                  of three; the target is well under 0.2 s;
 *   store_reimport the same 1M bars again: every block read back and
 *                  compared, nothing new, nothing written;
 *   store_merge    1M bars into a series that holds the first half of
 *                  them: half new, the block on the boundary merged.
 *
 * It works in a scratch database (stom_bench_<pid>) created on the server
 * and dropped at the end, so the user's data is neither read nor changed.
 * The server is argv[2], else STOM_DATABASE_URL, else the local services'
 * default; when none was named and the default server is not running, the
 * bench says it is skipped and exits 0 (so `make bench` works without the
 * services).
 *
 * Usage: bench_store_load [rows] [conninfo]   (default 1,000,000)
 *   e.g. scripts/services.sh start && build/bin/bench_store_load
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stom/store_bars.h"
#include "support.h"

#define RUNS                3
#define TARGET_LOAD_SECONDS 0.2

static void die(const char *what, const stom_errbuf *eb)
{
    fprintf(stderr, "bench_store_load: %s: %s\n", what, eb->msg);
    exit(1);
}

/* Creates the scratch database and returns a migrated connection to it. */
static stom_db *scratch_db(stom_db *server, const char *name, stom_errbuf *eb)
{
    char sql[128], conninfo[1024];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    if (stom_db_exec(server, sql, eb) != STOM_OK)
        die(sql, eb);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (stom_db_exec(server, sql, eb) != STOM_OK)
        die("creating the scratch database (the role needs CREATEDB)", eb);
    if (stom_db_conninfo_with(stom_db_url(server), "dbname", name, conninfo, sizeof conninfo, eb) !=
        STOM_OK)
        die("conninfo", eb);
    stom_db *db = NULL;
    if (stom_db_connect(&db, conninfo, eb) != STOM_OK || stom_db_migrate(db, NULL, NULL, eb))
        die("the scratch database", eb);
    return db;
}

/* The sum of every column, to check that what comes back is what went in. */
static uint64_t checksum(const stom_bars *b)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < b->len; i++)
        sum += (uint64_t)b->ts[i] * 31 + (uint64_t)b->open[i] * 7 + (uint64_t)b->high[i] * 5 +
               (uint64_t)b->low[i] * 3 + (uint64_t)b->close[i] * 2 + (uint64_t)b->volume[i];
    return sum;
}

static double best_load(stom_db *db, const stom_bars *in, stom_errbuf *eb)
{
    double best = 1e30;
    for (int run = 0; run < RUNS; run++) {
        stom_bars out;
        double t0 = bench_now();
        if (stom_store_load_bars(db, in->inst.symbol, "1m", INT64_MIN, INT64_MAX, &out, eb))
            die("load", eb);
        double dt = bench_now() - t0;
        if (out.len != in->len || checksum(&out) != checksum(in)) {
            fprintf(stderr, "bench_store_load: loaded %zu bars that differ from the %zu stored\n",
                    out.len, in->len);
            exit(1);
        }
        stom_bars_free(&out);
        best = dt < best ? dt : best;
    }
    return best;
}

/*
 * Imports the first half of b as another symbol (untimed), then times the
 * import of all of b into it. The copies share b's columns.
 */
static double time_merge(stom_db *db, const stom_bars *b, stom_import_stats *st, stom_errbuf *eb)
{
    stom_bars other = *b;
    snprintf(other.inst.symbol, sizeof other.inst.symbol, "%s", "BENCH_MERGE");
    stom_bars half = other;
    half.len = b->len / 2 > 0 ? b->len / 2 : 1;
    if (stom_store_import_bars(db, &half, "1m", NULL, eb) != STOM_OK)
        die("import of the first half", eb);
    double t0 = bench_now();
    if (stom_store_import_bars(db, &other, "1m", st, eb) != STOM_OK)
        die("merge", eb);
    double dt = bench_now() - t0;
    int64_t stored = 0;
    if (stom_store_count_bars(db, other.inst.symbol, "1m", INT64_MIN, INT64_MAX, &stored, eb))
        die("count", eb);
    if (stored != (int64_t)b->len || st->inserted != b->len - half.len) {
        fprintf(stderr, "bench_store_load: the merge stored %lld bars (%zu new), not %zu\n",
                (long long)stored, st->inserted, b->len);
        exit(1);
    }
    return dt;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    const char *conninfo = argc > 2 ? argv[2] : NULL;
    bool named = conninfo != NULL || getenv("STOM_DATABASE_URL") != NULL;
    if (rows == 0) {
        fprintf(stderr, "bench_store_load: rows must be positive\n");
        return 1;
    }
    stom_errbuf eb = {{0}};
    stom_db *server = NULL;
    if (stom_db_connect(&server, conninfo, &eb) != STOM_OK) {
        if (named)
            die("connect", &eb);
        printf("store_load skipped: %s (start it with scripts/services.sh start)\n", eb.msg);
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "stom_bench_%ld", (long)getpid());
    stom_db *db = scratch_db(server, name, &eb);

    stom_bars bars;
    bench_make_bars(&bars, rows);
    stom_import_stats st;
    double t0 = bench_now();
    if (stom_store_import_bars(db, &bars, "1m", &st, &eb) != STOM_OK)
        die("import", &eb);
    double import = bench_now() - t0;
    double load = best_load(db, &bars, &eb);
    /* Again: every bar is stored, so every block is read, compared and left alone. */
    stom_import_stats again;
    t0 = bench_now();
    if (stom_store_import_bars(db, &bars, "1m", &again, &eb) != STOM_OK)
        die("re-import", &eb);
    double reimport = bench_now() - t0;
    stom_import_stats merged;
    double merge = time_merge(db, &bars, &merged, &eb);
    stom_db_close(db);

    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
    if (stom_db_exec(server, sql, &eb) != STOM_OK)
        fprintf(stderr, "bench_store_load: %s: %s\n", sql, eb.msg);
    stom_db_close(server);
    printf("store_import rows=%zu new=%zu seconds=%.3f rows_per_sec=%.0f\n", rows, st.inserted,
           import, (double)rows / import);
    printf("store_reimport rows=%zu new=%zu seconds=%.3f rows_per_sec=%.0f\n", rows, again.inserted,
           reimport, (double)rows / reimport);
    printf("store_merge rows=%zu new=%zu seconds=%.3f rows_per_sec=%.0f\n", rows, merged.inserted,
           merge, (double)rows / merge);
    printf("store_load rows=%zu seconds=%.3f bars_per_sec=%.0f best_of=%d target_seconds=%.1f %s\n",
           rows, load, (double)rows / load, RUNS, TARGET_LOAD_SECONDS,
           load < TARGET_LOAD_SECONDS ? "ok" : "SLOW");
    stom_bars_free(&bars);
    return 0;
}
