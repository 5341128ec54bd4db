/*
 * bench_surge.c - the surge detector's throughput: trades per second through
 * stom_surge_feed for 2,000 symbols and 5 rules (window change, rise from
 * the window low, day change, traded value, and a volume spike with traded
 * value over a 20-window lookback; 3 windows once shared), on one core.
 *
 * The trades are generated up front (a seeded random walk per symbol, 20,000
 * trades per second of market time spread over the symbols) and only the
 * feed loop is timed; best of several runs, each on a fresh detector.
 * Usage: bench_surge [trades [symbols [runs]]]   (default 4000000 2000 3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/surge.h"
#include "support.h"

static const char RULES[] =
    "{\"rules\":["
    "{\"name\":\"jump_1m\",\"window_ms\":60000,\"cooldown_ms\":300000,"
    " \"session\":{\"start\":\"09:00\",\"end\":\"15:20\"},"
    " \"all\":[{\"metric\":\"window_change_bp\",\"min\":300}]},"
    "{\"name\":\"rebound_30s\",\"window_ms\":30000,\"cooldown_ms\":60000,"
    " \"all\":[{\"metric\":\"window_rise_bp\",\"min\":200}]},"
    "{\"name\":\"day_up\",\"window_ms\":60000,\"cooldown_ms\":600000,"
    " \"all\":[{\"metric\":\"change_bp\",\"min\":1500}]},"
    "{\"name\":\"value_10s\",\"window_ms\":10000,\"cooldown_ms\":60000,"
    " \"all\":[{\"metric\":\"window_value\",\"min\":500000000}]},"
    "{\"name\":\"spike_1m\",\"window_ms\":60000,\"cooldown_ms\":300000,\"lookback\":20,"
    " \"all\":[{\"metric\":\"volume_ratio_bp\",\"min\":30000},"
    "        {\"metric\":\"window_value\",\"min\":100000000}]}]}";

typedef struct bench_trade {
    int32_t sym;
    int64_t ts, price, qty;
} bench_trade;

static char (*symbols)[16]; /* "100000" + s: six digits while nsym < 900000 */
static int64_t *prev_close;

/* n trades over nsym symbols from 09:00 KST on 2026-11-23, 50 us apart. */
static bench_trade *make_trades(size_t n, int nsym)
{
    bench_trade *t = malloc(n * sizeof *t);
    int64_t *price = malloc((size_t)nsym * sizeof *price);
    symbols = malloc((size_t)nsym * sizeof *symbols);
    prev_close = malloc((size_t)nsym * sizeof *prev_close);
    srand(42);
    for (int s = 0; s < nsym; s++) {
        snprintf(symbols[s], sizeof symbols[s], "%06d", 100000 + s);
        prev_close[s] = price[s] = 1000 + rand() % 100000;
    }
    int64_t start = 1795392000LL * 1000000000LL; /* 2026-11-23 00:00 UTC = 09:00 KST */
    for (size_t i = 0; i < n; i++) {
        int s = rand() % nsym;
        price[s] += (rand() % 7 - 3) * (price[s] / 1000 + 1);
        price[s] = price[s] < 100 ? 100 : price[s];
        t[i] = (bench_trade){s, start + (int64_t)i * 50000, price[s], 1 + rand() % 1000};
    }
    free(price);
    return t;
}

static void count_alert(const stom_surge_alert *a, void *arg)
{
    (void)a;
    (*(size_t *)arg)++;
}

/* Feeds all trades to a fresh detector; returns the seconds taken. */
static double run_once(const stom_surge_config *cfg, const bench_trade *t, size_t n, size_t *alerts)
{
    stom_surge *d = NULL;
    *alerts = 0;
    if (stom_surge_create(&d, cfg, count_alert, alerts, NULL) != STOM_OK)
        exit(1);
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        stom_surge_trade x = {symbols[t[i].sym], 6,        t[i].ts,
                              t[i].price,        t[i].qty, prev_close[t[i].sym]};
        if (stom_surge_feed(d, &x) != STOM_OK)
            exit(1);
    }
    double secs = bench_now() - t0;
    stom_surge_destroy(d);
    return secs;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000000;
    int nsym = argc > 2 ? atoi(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    if (n == 0 || nsym <= 0 || nsym >= 900000 || runs <= 0)
        return 2;
    static stom_surge_config cfg;
    stom_errbuf eb;
    if (stom_surge_config_parse(RULES, sizeof RULES - 1, &cfg, &eb) != STOM_OK) {
        fprintf(stderr, "bench_surge: %s\n", eb.msg);
        return 1;
    }
    bench_trade *t = make_trades(n, nsym);
    double best = 0;
    size_t alerts = 0;
    for (int r = 0; r < runs; r++) {
        double secs = run_once(&cfg, t, n, &alerts);
        best = r == 0 || secs < best ? secs : best;
    }
    printf("surge: %zu trades, %d symbols, %zu rules, %zu alerts\n", n, nsym, cfg.nrules, alerts);
    printf("surge: %.0f trades/s (%.0f ns per trade), best of %d\n", (double)n / best,
           best * 1e9 / (double)n, runs);
    free(t);
    free(symbols);
    free(prev_close);
    return 0;
}
