/*
 * cmd_backtest.c - `stom backtest`: with --local load the CSV files, cut
 * the period, run the strategy, and write the report and optional CSV
 * files; without it the run goes through the gateway
 * (cmd_backtest_gateway.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

/* The symbol is the file's name without directories and extension. */
static void symbol_from_path(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(out, len, "%.*s", (int)n, base);
}

static int load_one(const backtest_options *o, const char *path, stom_bars *out)
{
    char symbol[STOM_SYMBOL_MAX];
    symbol_from_path(path, symbol, sizeof symbol);
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, o->market, o->board);
    stom_bars_init(out, &inst);
    stom_csv_options copt;
    stom_csv_options_default(&copt);
    stom_errbuf eb = {{0}};
    int rc = stom_bars_load_csv(out, path, &copt, NULL, &eb);
    if (rc != STOM_OK) {
        cli_error("%s", eb.msg[0] ? eb.msg : stom_strerror(rc));
        return EXIT_DATA;
    }
    if (o->has_period) {
        int64_t from = stom_midnight_utc(o->from_date, STOM_KST_OFFSET_MINUTES);
        int64_t to = stom_midnight_utc(o->to_date, STOM_KST_OFFSET_MINUTES) + 86400;
        if (stom_bars_slice(out, from, to) == 0) {
            cli_error("%s: no bars between %04d-%02d-%02d and %04d-%02d-%02d (check --period "
                      "against the file's dates)",
                      path, o->from_date / 10000, o->from_date / 100 % 100, o->from_date % 100,
                      o->to_date / 10000, o->to_date / 100 % 100, o->to_date % 100);
            return EXIT_DATA;
        }
    }
    return EXIT_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_outputs(const backtest_report *r)
{
    const backtest_options *o = r->opt;
    if (o->trades_csv && report_write_trades_csv(r, o->trades_csv) != EXIT_OK)
        return EXIT_DATA;
    if (o->equity_csv && report_write_equity_csv(r, o->equity_csv) != EXIT_OK)
        return EXIT_DATA;
    if (o->json)
        return report_print_json(r, stdout);
    report_print_text(r, stdout);
    return EXIT_OK;
}

static int run_and_report(const backtest_options *o, stom_bars *series)
{
    stom_backtest_result res;
    stom_errbuf eb = {{0}};
    double t0 = now_seconds();
    int rc = stom_backtest_run(o->strategy, &o->params, series, o->n_data, &o->config, &res, &eb);
    if (rc != STOM_OK) {
        cli_error("%s", eb.msg[0] ? eb.msg : stom_strerror(rc));
        /* STOM_ESTATE: a Lua strategy stopped the run (its error or a sandbox limit). */
        return rc == STOM_EEMPTY ? EXIT_DATA : rc == STOM_ESTATE ? EXIT_INTERNAL : EXIT_USAGE;
    }
    backtest_report r = {o, series, o->n_data, &res, now_seconds() - t0};
    rc = write_outputs(&r);
    stom_backtest_result_free(&res);
    return rc;
}

int cli_backtest(int argc, char **argv)
{
    backtest_options o;
    int rc = backtest_parse(argc, argv, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            backtest_usage(stdout);
        backtest_options_free(&o);
        return o.help && rc == EXIT_OK ? EXIT_OK : rc;
    }
    if (!o.local) {
        rc = backtest_via_gateway(&o);
        backtest_options_free(&o);
        return rc;
    }
    stom_bars *series = stom_xcalloc(o.n_data, sizeof *series);
    for (size_t k = 0; k < o.n_data && rc == EXIT_OK; k++)
        rc = load_one(&o, o.data_files[k], &series[k]);
    if (rc == EXIT_OK)
        rc = run_and_report(&o, series);
    for (size_t k = 0; k < o.n_data; k++)
        stom_bars_free(&series[k]);
    free(series);
    backtest_options_free(&o);
    return rc;
}
