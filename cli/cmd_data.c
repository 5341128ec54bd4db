/*
 * cmd_data.c - `stom data <verb>`: bar data in the database.
 *   import FILE --symbol CODE --timeframe 1m|1d|1s [--market M] [--database URL] [--json]
 *   list [--database URL] [--json]
 *
 * import reads the whole file with the CSV loader first: a malformed file is
 * refused with file:line before the database is touched (exit 3), so nothing
 * of it is stored. The rows then go in one transaction; rows already stored
 * (same symbol, timeframe and time) are kept as they were and counted.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

static void usage(FILE *out)
{
    fputs("Usage: stom data import FILE --symbol CODE --timeframe 1m|1d|1s [--market M]\n"
          "                        [--database URL] [--json]\n"
          "       stom data list [--database URL] [--json]\n"
          "\n"
          "import  stores the bars of a CSV file (the formats of stom backtest --data; times\n"
          "        without an offset are KST). The whole file is checked first: a malformed\n"
          "        one is refused with FILE:LINE and nothing is stored. Importing the same\n"
          "        bars again adds nothing; the output says how many rows were new.\n"
          "        --symbol CODE      the stock code or symbol, e.g. 005930\n"
          "        --timeframe TF     1m (minute), 1d (day) or 1s (second) bars\n"
          "        --market M         KOSPI (default), KOSDAQ, KONEX, ETF, ETN (KRX, whole won),\n"
          "                           US (prices in cents) or CRYPTO (cents, 8-decimal volume)\n"
          "list    one line per stored symbol and timeframe: market, first and last bar (KST)\n"
          "        and the number of rows\n"
          "\n"
          "--database URL  libpq connection string or postgresql:// URL; default\n"
          "                $STOM_DATABASE_URL, else the local services (make up)\n"
          "--json          print JSON instead of text\n"
          "\n"
          "Example:\n"
          "  stom data import 005930_1m.csv --symbol 005930 --timeframe 1m\n"
          "  stom data list\n"
          "\n"
          "Exit codes: 0 success, 1 the database cannot be reached or failed, 2 usage error,\n"
          "3 data error (unreadable or malformed file, symbol stored with another market).\n",
          out);
}

typedef struct data_options {
    const char *file, *symbol, *timeframe, *market, *database;
    bool json, help;
} data_options;

/*
 * Takes the value of one of the flags below at argv[*i] ("--flag value" or
 * "--flag=value"). Returns 1 when taken, 0 when argv[*i] is none of them,
 * -1 (after saying so) when its value is missing.
 */
static int take_value(int argc, char **argv, int *i, data_options *o)
{
    static const struct {
        const char *flag;
        size_t offset;
    } table[] = {
        {"--symbol", offsetof(data_options, symbol)},
        {"--timeframe", offsetof(data_options, timeframe)},
        {"--market", offsetof(data_options, market)},
        {"--database", offsetof(data_options, database)},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        if (!cli_flag_is(argv[*i], table[k].flag))
            continue;
        const char **slot = (const char **)((char *)o + table[k].offset);
        *slot = cli_flag_value(argc, argv, i, table[k].flag, "data");
        return *slot ? 1 : -1;
    }
    return 0;
}

/* Parses the options after the verb; FILE is allowed only when with_file. */
static int parse_options(int argc, char **argv, bool with_file, data_options *o)
{
    memset(o, 0, sizeof *o);
    int taken;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if ((taken = take_value(argc, argv, &i, o)) != 0) {
            if (taken < 0)
                return EXIT_USAGE;
        } else if (a[0] != '-' && with_file && o->file == NULL) {
            o->file = a;
        } else {
            cli_error("data %s: unexpected '%s' (see stom data --help)", argv[0], a);
            return EXIT_USAGE;
        }
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
    return EXIT_OK;
}

/* A count with thousands separators: 1234567 -> "1,234,567". */
static char *format_count(int64_t v, char *buf, size_t len)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t k = 0;
    if (v < 0 && k + 1 < len)
        buf[k++] = '-';
    for (int i = 0; i < n && k + 1 < len; i++) {
        buf[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n && k + 1 < len)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

static const char *market_label(const stom_instrument *inst)
{
    if (inst->market == STOM_MARKET_KRX)
        return stom_board_name(inst->board);
    return inst->market == STOM_MARKET_US ? "US" : "CRYPTO";
}

static int print_import(const data_options *o, const stom_bars *b, const stom_csv_stats *cs,
                        const stom_import_stats *st)
{
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "file", json_string(o->file));
        json_object_set_new(j, "symbol", json_string(b->inst.symbol));
        json_object_set_new(j, "timeframe", json_string(o->timeframe));
        json_object_set_new(j, "market", json_string(market_label(&b->inst)));
        json_object_set_new(j, "rows", json_integer((json_int_t)st->rows));
        json_object_set_new(j, "new", json_integer((json_int_t)st->inserted));
        json_object_set_new(j, "already_stored", json_integer((json_int_t)st->existing));
        json_object_set_new(j, "skipped_halt_rows", json_integer((json_int_t)cs->skipped_halt));
        int rc = json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(j);
        return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
    }
    char rows[32], added[32], kept[32];
    printf("imported %s %s from %s: %s rows, %s new, %s already stored\n", b->inst.symbol,
           o->timeframe, o->file, format_count((int64_t)st->rows, rows, sizeof rows),
           format_count((int64_t)st->inserted, added, sizeof added),
           format_count((int64_t)st->existing, kept, sizeof kept));
    if (cs->skipped_halt > 0)
        printf("(%zu trading-halt rows with no prices were skipped)\n", cs->skipped_halt);
    return EXIT_OK;
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
        rc = err == STOM_OK       ? print_import(&o, &b, &cs, &st)
             : err == STOM_EINVAL ? EXIT_DATA
                                  : EXIT_INTERNAL;
    }
    stom_db_close(db);
    stom_bars_free(&b);
    return rc;
}

/* "YYYY-MM-DD HH:MM" in KST. */
static char *format_minute(int64_t ts, char *buf, size_t len)
{
    char full[32];
    stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, full, sizeof full);
    snprintf(buf, len, "%.16s", full);
    return buf;
}

static const char *set_market(const stom_data_set *d)
{
    if (!strcmp(d->market, "krx"))
        return d->board;
    return !strcmp(d->market, "us") ? "US" : "CRYPTO";
}

static void print_list_text(const stom_data_set *sets, size_t n)
{
    if (n == 0) {
        puts("no bars stored yet; import some with: stom data import FILE --symbol CODE "
             "--timeframe 1d");
        return;
    }
    int w_sym = 6, w_rows = 4;
    char buf[32];
    for (size_t k = 0; k < n; k++) {
        int s = (int)strlen(sets[k].symbol),
            r = (int)strlen(format_count(sets[k].rows, buf, sizeof buf));
        w_sym = s > w_sym ? s : w_sym;
        w_rows = r > w_rows ? r : w_rows;
    }
    printf("%-*s  %-9s  %-6s  %-16s  %-16s  %*s\n", w_sym, "SYMBOL", "TIMEFRAME", "MARKET",
           "FIRST (KST)", "LAST (KST)", w_rows, "ROWS");
    for (size_t k = 0; k < n; k++) {
        char first[32], last[32];
        printf("%-*s  %-9s  %-6s  %-16s  %-16s  %*s\n", w_sym, sets[k].symbol, sets[k].timeframe,
               set_market(&sets[k]), format_minute(sets[k].first_ts, first, sizeof first),
               format_minute(sets[k].last_ts, last, sizeof last), w_rows,
               format_count(sets[k].rows, buf, sizeof buf));
    }
}

/* ISO 8601 in KST: "2024-01-02T09:00:00+09:00". */
static json_t *iso_kst(int64_t ts)
{
    char full[32], iso[40];
    stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, full, sizeof full);
    full[10] = 'T';
    snprintf(iso, sizeof iso, "%s+09:00", full);
    return json_string(iso);
}

static int print_list_json(const stom_data_set *sets, size_t n)
{
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *j = json_object();
        json_object_set_new(j, "symbol", json_string(sets[k].symbol));
        json_object_set_new(j, "timeframe", json_string(sets[k].timeframe));
        json_object_set_new(j, "market", json_string(set_market(&sets[k])));
        json_object_set_new(j, "first", iso_kst(sets[k].first_ts));
        json_object_set_new(j, "last", iso_kst(sets[k].last_ts));
        json_object_set_new(j, "first_ts", json_integer(sets[k].first_ts));
        json_object_set_new(j, "last_ts", json_integer(sets[k].last_ts));
        json_object_set_new(j, "rows", json_integer(sets[k].rows));
        json_array_append_new(list, j);
    }
    int rc = json_dumpf(list, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(list);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
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
        cli_error("data list takes only --database and --json (see stom data --help)");
        return EXIT_USAGE;
    }
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
        rc = print_list_json(sets, n);
    } else {
        print_list_text(sets, n);
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
