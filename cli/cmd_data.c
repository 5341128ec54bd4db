/*
 * cmd_data.c - `stom data <verb>`: bar data in the database.
 *   import FILE --symbol CODE --timeframe 1m|1d|1s [--market M] [--json]
 *          [--url URL | --local | --database URL]
 *   list [--json] [--url URL | --local | --database URL]
 *
 * By default both go through the gateway (cmd_data_gateway.c: the upload is
 * checked there and a malformed file comes back as a 400 with its line).
 * --local, or --database which implies it, talks to PostgreSQL directly:
 * import then reads the whole file with the CSV loader first, so a
 * malformed file is refused with file:line before the database is touched
 * (exit 3) and nothing of it is stored. The rows go in one transaction;
 * rows already stored (same symbol, timeframe and time) are kept as they
 * were and counted. Both paths print the same reports (data_report.c).
 */
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data_cli.h"

static void usage(FILE *out)
{
    fputs("Usage: stom data import FILE --symbol CODE --timeframe 1m|1d|1s [--market M] [--json]\n"
          "                        [--url URL | --local | --database URL]\n"
          "       stom data list [--json] [--url URL | --local | --database URL]\n"
          "\n"
          "import  stores the bars of a CSV file (the formats of stom backtest --data; times\n"
          "        without an offset are KST). The whole file is checked first: a malformed\n"
          "        one is refused with FILE: line N and nothing is stored. Importing the same\n"
          "        bars again adds nothing; the output says how many rows were new.\n"
          "        --symbol CODE      the stock code or symbol, e.g. 005930\n"
          "        --timeframe TF     1m (minute), 1d (day) or 1s (second) bars\n"
          "        --market M         KOSPI (default), KOSDAQ, KONEX, ETF, ETN (KRX, whole won),\n"
          "                           US (prices in cents) or CRYPTO (cents, 8-decimal volume)\n"
          "list    one line per stored symbol and timeframe: market, first and last bar (KST)\n"
          "        and the number of rows\n"
          "\n"
          "By default both go through the gateway as the user of `stom login` (import needs\n"
          "the trader or admin role; files up to 64 MiB).\n"
          "--url URL       the gateway (default $STOM_URL, else the login's URL)\n"
          "--local         talk to PostgreSQL directly instead of the gateway\n"
          "--database URL  libpq connection string or postgresql:// URL (implies --local);\n"
          "                default $STOM_DATABASE_URL, else the local services (make up)\n"
          "--json          print JSON instead of text\n"
          "\n"
          "Example:\n"
          "  stom data import 005930_1m.csv --symbol 005930 --timeframe 1m\n"
          "  stom data list\n"
          "\n"
          "Exit codes: 0 success, 1 the database or gateway cannot be reached or failed,\n"
          "2 usage error (also: not logged in, role too low), 3 data error (unreadable or\n"
          "malformed file, symbol stored with another market).\n",
          out);
}

/* The flags that take a value. */
static const cli_value_flag value_flags[] = {
    {"--symbol", offsetof(data_options, symbol)},
    {"--timeframe", offsetof(data_options, timeframe)},
    {"--market", offsetof(data_options, market)},
    {"--database", offsetof(data_options, database)},
    {"--url", offsetof(data_options, url)},
};

/* Parses the options after the verb; FILE is allowed only when with_file. */
static int parse_options(int argc, char **argv, bool with_file, data_options *o)
{
    memset(o, 0, sizeof *o);
    int taken;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "--local")) {
            o->local = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if ((taken = cli_take_value(argc, argv, &i, value_flags,
                                           sizeof value_flags / sizeof value_flags[0], o,
                                           "data")) != 0) {
            if (taken < 0)
                return EXIT_USAGE;
        } else if (a[0] != '-' && with_file && o->file == NULL) {
            o->file = a;
        } else {
            cli_error("data %s: unexpected '%s' (see stom data --help)", argv[0], a);
            return EXIT_USAGE;
        }
    }
    if (o->database)
        o->local = true;
    if (o->local && o->url) {
        cli_error("data %s: --url is for the gateway; --local and --database go to PostgreSQL "
                  "directly (use one or the other)",
                  argv[0]);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* --market: a KRX board, US or CRYPTO. */
static int parse_market(const char *s, stom_market *market, stom_board *board)
{
    *board = STOM_BOARD_KOSPI;
    *market = STOM_MARKET_KRX;
    if (s == NULL || stom_board_parse(s, board) == STOM_OK)
        return EXIT_OK;
    *board = STOM_BOARD_NONE;
    if (!strcasecmp(s, "US") || !strcasecmp(s, "CRYPTO")) {
        stom_market_parse(s, market);
        return EXIT_OK;
    }
    cli_error("--market '%s' is not one of KOSPI, KOSDAQ, KONEX, ETF, ETN, US, CRYPTO", s);
    return EXIT_USAGE;
}

static int check_import_options(const data_options *o)
{
    stom_errbuf eb = {{0}};
    if (o->file == NULL || o->symbol == NULL || o->timeframe == NULL) {
        cli_error("data import needs FILE, --symbol and --timeframe (e.g. stom data import "
                  "005930.csv --symbol 005930 --timeframe 1d)");
        return EXIT_USAGE;
    }
    if (stom_symbol_check(o->symbol, &eb) != STOM_OK ||
        stom_timeframe_check(o->timeframe, &eb) != STOM_OK) {
        cli_error("%s", eb.msg);
        return EXIT_USAGE;
    }
    stom_market market;
    stom_board board;
    return parse_market(o->market, &market, &board);
}

/* Loads the whole file first: a bad file exits 3 before any connection. */
static int load_file(const data_options *o, stom_bars *b, stom_csv_stats *cs)
{
    stom_market market;
    stom_board board;
    int rc = parse_market(o->market, &market, &board);
    if (rc != EXIT_OK)
        return rc;
    stom_instrument inst;
    stom_instrument_init(&inst, o->symbol, market, board);
    stom_bars_init(b, &inst);
    stom_csv_options copt;
    stom_csv_options_default(&copt);
    stom_errbuf eb = {{0}};
    rc = stom_bars_load_csv(b, o->file, &copt, cs, &eb);
    if (rc != STOM_OK) {
        cli_error("%s; nothing was stored", eb.msg[0] ? eb.msg : stom_strerror(rc));
        return EXIT_DATA;
    }
    return EXIT_OK;
}

static const char *market_label(const stom_instrument *inst)
{
    if (inst->market == STOM_MARKET_KRX)
        return stom_board_name(inst->board);
    return inst->market == STOM_MARKET_US ? "US" : "CRYPTO";
}

static int print_stored(const data_options *o, const stom_bars *b, const stom_csv_stats *cs,
                        const stom_import_stats *st)
{
    data_import_summary s = {
        o->file,           b->inst.symbol,        o->timeframe,          market_label(&b->inst),
        (int64_t)st->rows, (int64_t)st->inserted, (int64_t)st->existing, (int64_t)cs->skipped_halt};
    return data_print_import(&s, o->json);
}

static int cmd_import(int argc, char **argv)
{
    data_options o;
    int rc = parse_options(argc, argv, true, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            usage(stdout);
        return rc;
    }
    if ((rc = check_import_options(&o)) != EXIT_OK)
        return rc;
    if (!o.local)
        return data_import_via_gateway(&o);
    stom_bars b;
    stom_bars_init(&b, NULL);
    stom_csv_stats cs = {0, 0};
    stom_db *db = NULL;
    rc = load_file(&o, &b, &cs);
    if (rc == EXIT_OK)
        rc = cli_db_open(o.database, true, &db);
    if (rc == EXIT_OK) {
        stom_import_stats st;
        stom_errbuf eb = {{0}};
        int err = stom_store_import_bars(db, &b, o.timeframe, &st, &eb);
        if (err != STOM_OK)
            cli_error("%s: %s; nothing was stored", o.file, eb.msg);
        rc = err == STOM_OK       ? print_stored(&o, &b, &cs, &st)
             : err == STOM_EINVAL ? EXIT_DATA
                                  : EXIT_INTERNAL;
    }
    stom_db_close(db);
    stom_bars_free(&b);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    data_options o;
    int rc = parse_options(argc, argv, false, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            usage(stdout);
        return rc;
    }
    if (o.symbol || o.timeframe || o.market) {
        cli_error("data list takes only --json, --url, --local and --database (see stom data "
                  "--help)");
        return EXIT_USAGE;
    }
    if (!o.local)
        return data_list_via_gateway(&o);
    stom_db *db = NULL;
    if ((rc = cli_db_open(o.database, true, &db)) != EXIT_OK)
        return rc;
    stom_data_set *sets = NULL;
    size_t n = 0;
    stom_errbuf eb = {{0}};
    if (stom_store_list_data(db, &sets, &n, &eb) != STOM_OK) {
        cli_error("%s", eb.msg);
        rc = EXIT_INTERNAL;
    } else if (o.json) {
        rc = data_print_list_json(sets, n);
    } else {
        data_print_list_text(sets, n);
    }
    free(sets);
    stom_db_close(db);
    return rc;
}

int cli_data(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "import"))
        return cmd_import(argc - 1, argv + 1);
    if (!strcmp(argv[1], "list"))
        return cmd_list(argc - 1, argv + 1);
    cli_error("data: unknown verb '%s' (verbs: import, list; see stom data --help)", argv[1]);
    return EXIT_USAGE;
}
