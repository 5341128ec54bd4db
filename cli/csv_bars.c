/*
 * csv_bars.c - reading one CSV file of bars for a local run, the same way
 * for `stom backtest --local` and `stom optimize --local`: the symbol is
 * the file's name, the bars are cut to the period, and a file without bars
 * in the period is an error that names it.
 *
 * Thread-safety: single-threaded (called before any run starts).
 */
#include <string.h>

#include "cli.h"
#include "stom/timeutil.h"

void cli_csv_symbol(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(out, len, "%.*s", (int)n, base);
}

static int cut_period(const char *path, int64_t from, int64_t to, stom_bars *out)
{
    if (stom_bars_slice(out, from, to) > 0)
        return EXIT_OK;
    char a[32], b[32];
    stom_format_time(from, STOM_KST_OFFSET_MINUTES, true, a, sizeof a);
    stom_format_time(to - 1, STOM_KST_OFFSET_MINUTES, true, b, sizeof b);
    cli_error("%s: no bars between %s and %s (check --period against the file's dates)", path, a,
              b);
    return EXIT_DATA;
}

int cli_csv_load(const char *path, stom_market market, stom_board board, int64_t from, int64_t to,
                 stom_bars *out)
{
    char symbol[STOM_SYMBOL_MAX];
    cli_csv_symbol(path, symbol, sizeof symbol);
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, market, board);
    stom_bars_init(out, &inst);
    stom_csv_options copt;
    stom_csv_options_default(&copt);
    stom_errbuf eb = {{0}};
    int rc = stom_bars_load_csv(out, path, &copt, NULL, &eb);
    if (rc != STOM_OK) {
        cli_error("%s", eb.msg[0] ? eb.msg : stom_strerror(rc));
        return EXIT_DATA;
    }
    return from < to ? cut_period(path, from, to, out) : EXIT_OK;
}
