/*
 * cmd_backtest.c - `stom backtest`: with --local load the CSV files
 * (csv_bars.c), cut the period, run the strategy, and write the report and
 * optional CSV files; without it the run goes through the gateway
 * (cmd_backtest_gateway.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

static int load_one(const backtest_options *o, const char *path, stom_bars *out)
{
    int64_t from = 0, to = 0; /* no period: the whole file */
    if (o->has_period) {
        from = stom_midnight_utc(o->from_date, STOM_KST_OFFSET_MINUTES);
        to = stom_midnight_utc(o->to_date, STOM_KST_OFFSET_MINUTES) + 86400;
    }
    return cli_csv_load(path, o->market, o->board, from, to, out);
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
