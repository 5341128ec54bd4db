/*
 * backtest_options.c - the flags of `stom backtest` and their checked
 * parsing into a backtest_options (the help text is backtest_usage.c).
 * Every refusal names the flag, the bad value and what would be accepted.
 *
 * One parser serves both paths, so a flag means the same thing on each. A
 * flag belongs to both paths, to --local only (CSV files, and the settings
 * the gateway's API does not take) or to the gateway only (a stored
 * strategy, the stored bars' timeframe, its URL); a flag of the other path
 * is refused by name with what to do instead. Which path runs is known only
 * once every flag is read (--local may come last).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "stom/alloc.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

/* A whole number of at most max; "10,000,000" and "10_000_000" are accepted. */
static bool parse_count(const char *s, int64_t max, int64_t *out)
{
    char digits[32];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ',' || *p == '_')
            continue;
        if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
            return false;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    if (n == 0)
        return false;
    long long v = strtoll(digits, NULL, 10);
    if (v > max)
        return false;
    *out = v;
    return true;
}

static int split_files(const char *list, backtest_options *o)
{
    char *copy = stom_xstrdup(list);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        o->data_files = stom_xrealloc(o->data_files, (o->n_data + 1) * sizeof *o->data_files);
        o->data_files[o->n_data++] = stom_xstrdup(tok);
    }
    free(copy);
    if (o->n_data == 0) {
        cli_error("--data needs at least one file");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int parse_period(const char *s, backtest_options *o)
{
    const char *colon = strchr(s, ':');
    if (colon == NULL || stom_parse_date(s, (size_t)(colon - s), &o->from_date) != STOM_OK ||
        stom_parse_date(colon + 1, strlen(colon + 1), &o->to_date) != STOM_OK) {
        cli_error("--period '%s' is not FROM:TO with dates as YYYY-MM-DD (e.g. "
                  "2024-01-01:2024-12-31)",
                  s);
        return EXIT_USAGE;
    }
    if (o->from_date > o->to_date) {
        cli_error("--period '%s' ends before it starts", s);
        return EXIT_USAGE;
    }
    o->has_period = true;
    return EXIT_OK;
}

static int parse_sizing(const char *s, stom_sizing *z, int cash_decimals)
{
    int64_t v = 0;
    if (!strcmp(s, "all-in")) {
        z->kind = STOM_SIZE_ALL_IN;
        return EXIT_OK;
    }
    if (!strncmp(s, "pct:", 4) && stom_fixed_parse(s + 4, strlen(s + 4), 2, &v) == STOM_OK &&
        v > 0 && v <= 10000) {
        z->kind = STOM_SIZE_PCT;
        z->value = v;
        return EXIT_OK;
    }
    if (!strncmp(s, "qty:", 4) && parse_count(s + 4, INT32_MAX, &v) && v > 0) {
        z->kind = STOM_SIZE_QTY;
        z->value = v;
        return EXIT_OK;
    }
    if (!strncmp(s, "amount:", 7) && parse_count(s + 7, INT64_MAX / 1000, &v) && v > 0) {
        z->kind = STOM_SIZE_AMOUNT;
        z->value = v * stom_pow10(cash_decimals);
        return EXIT_OK;
    }
    cli_error("--sizing '%s' is not one of all-in, pct:P (0 < P <= 100), qty:N, amount:N", s);
    return EXIT_USAGE;
}

static int parse_tax(const char *s, stom_cost_model *c)
{
    if (!strcmp(s, "auto")) {
        c->tax_mode = STOM_TAX_AUTO;
    } else if (!strcmp(s, "none")) {
        c->tax_mode = STOM_TAX_NONE;
    } else if (stom_rate_parse_pct(s, &c->tax_rate) == STOM_OK) {
        c->tax_mode = STOM_TAX_FIXED;
    } else {
        cli_error("--tax '%s' is not auto, none or a percentage such as 0.20", s);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int parse_int_flag(const char *flag, const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!parse_count(s, max, out) || *out < min) {
        cli_error("%s '%s' must be a whole number from %lld to %lld", flag, s, (long long)min,
                  (long long)max);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Raw flag values that can only be interpreted once every flag is read. */
typedef struct pending_values {
    const char *strategy, *strategy_file, *strategy_id, *cash, *sizing, *market, *board, *data,
        *period, *commission, *tax, *slippage_ticks, *slippage_bps, *pyramiding, *participation,
        *fill, *timeframe, *url, *trades_csv, *equity_csv;
    const char *local_switch; /* the first switch of --local only, or NULL */
    const char **params;
    size_t n_params;
} pending_values;

/* Which path a flag belongs to. */
typedef enum flag_path { BOTH_PATHS, LOCAL_ONLY, GATEWAY_ONLY } flag_path;

/* Why a flag of one path is refused on the other: the rest of the message after the flag. */
#define NOT_AN_API_SETTING                                                                         \
    "is not a setting of a gateway run (docs/gateway-api.md): add --local to run here over CSV "   \
    "files"
#define WRITES_A_LOCAL_CSV                                                                         \
    "writes a CSV file of a run made here: add --local (through the gateway --json gives the "     \
    "trades and the equity)"

/* Flags that take a value, where the value goes and which path takes them. */
static const struct {
    const char *flag;
    size_t offset;
    flag_path path;
    const char *why; /* for the other path */
} value_flags[] = {
    {"--strategy", offsetof(pending_values, strategy), BOTH_PATHS, NULL},
    {"--strategy-file", offsetof(pending_values, strategy_file), LOCAL_ONLY,
     "runs a Lua file here; the gateway runs stored strategies: store it with `stom strategy "
     "push FILE.lua` and use --strategy NAME, or add --local"},
    {"--strategy-id", offsetof(pending_values, strategy_id), GATEWAY_ONLY,
     "names a strategy stored in the gateway: drop --local (or run a file here with "
     "--strategy-file FILE.lua)"},
    {"--cash", offsetof(pending_values, cash), BOTH_PATHS, NULL},
    {"--sizing", offsetof(pending_values, sizing), BOTH_PATHS, NULL},
    {"--market", offsetof(pending_values, market), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--board", offsetof(pending_values, board), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--data", offsetof(pending_values, data), BOTH_PATHS, NULL},
    {"--period", offsetof(pending_values, period), BOTH_PATHS, NULL},
    {"--commission", offsetof(pending_values, commission), BOTH_PATHS, NULL},
    {"--tax", offsetof(pending_values, tax), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--slippage-ticks", offsetof(pending_values, slippage_ticks), BOTH_PATHS, NULL},
    {"--slippage-bps", offsetof(pending_values, slippage_bps), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--pyramiding", offsetof(pending_values, pyramiding), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--participation", offsetof(pending_values, participation), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--fill", offsetof(pending_values, fill), LOCAL_ONLY, NOT_AN_API_SETTING},
    {"--timeframe", offsetof(pending_values, timeframe), GATEWAY_ONLY,
     "chooses the gateway's stored bars; a --local run takes the CSV files' bars as they are: "
     "drop it"},
    {"--url", offsetof(pending_values, url), GATEWAY_ONLY,
     "names the gateway, --local runs without it: use one"},
    {"--trades-csv", offsetof(pending_values, trades_csv), LOCAL_ONLY, WRITES_A_LOCAL_CSV},
    {"--equity-csv", offsetof(pending_values, equity_csv), LOCAL_ONLY, WRITES_A_LOCAL_CSV},
};

#define N_VALUE_FLAGS (sizeof value_flags / sizeof value_flags[0])

static const char **slot_of(pending_values *pv, size_t k)
{
    return (const char **)((char *)pv + value_flags[k].offset);
}

static bool parse_switch(const char *a, backtest_options *o, pending_values *pv)
{
    if (!strcmp(a, "--local"))
        o->local = true;
    else if (!strcmp(a, "--json"))
        o->json = true;
    else if (!strcmp(a, "--allow-short"))
        o->config.allow_short = true;
    else if (!strcmp(a, "--no-price-limits"))
        o->config.exchange.price_limits = false;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        o->help = true;
    else
        return false;
    if (!pv->local_switch && (!strcmp(a, "--allow-short") || !strcmp(a, "--no-price-limits")))
        pv->local_switch = a;
    return true;
}

/* Reads every flag into o (switches) and pv (values). */
static int read_flags(int argc, char **argv, backtest_options *o, pending_values *pv)
{
    for (int i = 1; i < argc; i++) {
        if (parse_switch(argv[i], o, pv))
            continue;
        if (cli_flag_is(argv[i], "--param")) {
            const char *v = cli_flag_value(argc, argv, &i, "--param", "backtest");
            if (v == NULL)
                return EXIT_USAGE;
            pv->params = stom_xrealloc(pv->params, (pv->n_params + 1) * sizeof *pv->params);
            pv->params[pv->n_params++] = v;
            continue;
        }
        size_t k = 0;
        while (k < N_VALUE_FLAGS && !cli_flag_is(argv[i], value_flags[k].flag))
            k++;
        if (k == N_VALUE_FLAGS) {
            cli_error("unknown option '%s' (see stom backtest --help)", argv[i]);
            return EXIT_USAGE;
        }
        const char *flag = value_flags[k].flag;
        if ((*slot_of(pv, k) = cli_flag_value(argc, argv, &i, flag, "backtest")) == NULL)
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Refuses the first flag given that belongs to the other path, naming it. */
static int check_path(const backtest_options *o, pending_values *pv)
{
    flag_path other = o->local ? GATEWAY_ONLY : LOCAL_ONLY;
    for (size_t k = 0; k < N_VALUE_FLAGS; k++) {
        if (value_flags[k].path == other && *slot_of(pv, k) != NULL) {
            cli_error("%s %s", value_flags[k].flag, value_flags[k].why);
            return EXIT_USAGE;
        }
    }
    if (!o->local && pv->local_switch) {
        cli_error("%s " NOT_AN_API_SETTING, pv->local_switch);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int apply_market(const pending_values *pv, backtest_options *o)
{
    o->market = STOM_MARKET_KRX;
    o->board = STOM_BOARD_KOSPI;
    if (pv->market && stom_market_parse(pv->market, &o->market) != STOM_OK) {
        cli_error("--market '%s' is not one of krx, us, crypto", pv->market);
        return EXIT_USAGE;
    }
    if (pv->board && stom_board_parse(pv->board, &o->board) != STOM_OK) {
        cli_error("--board '%s' is not one of KOSPI, KOSDAQ, KONEX, ETF, ETN", pv->board);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int cash_decimals(const backtest_options *o)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "", o->market, o->board);
    return inst.price_decimals;
}

static int apply_money(const pending_values *pv, backtest_options *o)
{
    int dec = cash_decimals(o);
    if (pv->cash) {
        char clean[64];
        size_t n = 0;
        for (const char *p = pv->cash; *p && n + 1 < sizeof clean; p++)
            if (*p != ',' && *p != '_')
                clean[n++] = *p;
        clean[n] = '\0';
        int64_t cash = 0;
        if (stom_fixed_parse(clean, n, dec, &cash) != STOM_OK || cash <= 0 ||
            cash > stom_pow10(15)) {
            cli_error("--cash '%s' must be a positive amount up to 10^15 (e.g. 10,000,000)",
                      pv->cash);
            return EXIT_USAGE;
        }
        o->config.initial_cash = cash;
    } else {
        o->config.initial_cash = o->market == STOM_MARKET_KRX ? 10000000 : 10000 * stom_pow10(dec);
    }
    return pv->sizing ? parse_sizing(pv->sizing, &o->config.exchange.sizing, dec) : EXIT_OK;
}

static int apply_costs(const pending_values *pv, backtest_options *o)
{
    stom_cost_model *c = &o->config.exchange.costs;
    int64_t n = 0;
    if (pv->commission && stom_rate_parse_pct(pv->commission, &c->commission_rate) != STOM_OK) {
        cli_error("--commission '%s' is not a percentage from 0 to 100 (e.g. 0.015)",
                  pv->commission);
        return EXIT_USAGE;
    }
    if (pv->tax && parse_tax(pv->tax, c) != EXIT_OK)
        return EXIT_USAGE;
    if (pv->slippage_ticks) {
        if (parse_int_flag("--slippage-ticks", pv->slippage_ticks, 0, 100, &n) != EXIT_OK)
            return EXIT_USAGE;
        c->slippage_mode = n ? STOM_SLIPPAGE_TICKS : STOM_SLIPPAGE_NONE;
        c->slippage_ticks = (int)n;
    }
    if (pv->slippage_bps) {
        if (parse_int_flag("--slippage-bps", pv->slippage_bps, 0, 1000, &n) != EXIT_OK)
            return EXIT_USAGE;
        c->slippage_mode = n ? STOM_SLIPPAGE_BPS : STOM_SLIPPAGE_NONE;
        c->slippage_bps = (int)n;
    }
    return EXIT_OK;
}

static int apply_orders(const pending_values *pv, backtest_options *o)
{
    int64_t n = 0;
    if (pv->pyramiding) {
        if (parse_int_flag("--pyramiding", pv->pyramiding, 1, 100, &n) != EXIT_OK)
            return EXIT_USAGE;
        o->config.pyramiding = (int)n;
    }
    if (pv->participation) {
        if (parse_int_flag("--participation", pv->participation, 1, 100, &n) != EXIT_OK)
            return EXIT_USAGE;
        o->config.exchange.participation_pct = (int)n;
    }
    if (pv->fill) {
        if (strcmp(pv->fill, "next-open") && strcmp(pv->fill, "close")) {
            cli_error("--fill '%s' is not next-open or close", pv->fill);
            return EXIT_USAGE;
        }
        o->config.exchange.fill = strcmp(pv->fill, "close") ? STOM_FILL_NEXT_OPEN : STOM_FILL_CLOSE;
    }
    return EXIT_OK;
}

/* --strategy-file: loads (compiles, checks) the Lua file with the default sandbox limits. */
static int load_strategy_file(const char *path, backtest_options *o)
{
    stom_errbuf eb = {{0}};
    int rc = stom_lua_strategy_load_file(&o->lua, path, NULL, &eb);
    if (rc != STOM_OK) {
        cli_error("%s", eb.msg[0] ? eb.msg : stom_strerror(rc));
        return rc == STOM_EIO ? EXIT_DATA : EXIT_USAGE;
    }
    o->strategy = stom_lua_strategy_def(o->lua);
    return EXIT_OK;
}

int backtest_apply_params(backtest_options *o)
{
    stom_params_default(o->strategy, &o->params);
    for (size_t k = 0; k < o->n_param_texts; k++) {
        stom_errbuf eb;
        if (stom_params_set(o->strategy, &o->params, o->param_texts[k], &eb) != STOM_OK) {
            cli_error("%s", eb.msg);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* --strategy-id: a whole number from 1. */
static int parse_strategy_id(const char *s, backtest_options *o)
{
    int64_t id = 0;
    if (!parse_count(s, INT64_MAX / 10, &id) || id < 1) {
        cli_error("--strategy-id '%s' is not a strategy id (a whole number; stom strategy list "
                  "shows yours)",
                  s);
        return EXIT_USAGE;
    }
    o->strategy_id = id;
    return EXIT_OK;
}

/* Which strategy: a built-in, a Lua file (--local) or a stored one (gateway, loaded later). */
static int choose_strategy(const pending_values *pv, backtest_options *o, const char *names)
{
    if ((pv->strategy != NULL) + (pv->strategy_file != NULL) + (pv->strategy_id != NULL) > 1) {
        cli_error("--strategy, --strategy-file and --strategy-id exclude each other: give one");
        return EXIT_USAGE;
    }
    if (pv->strategy_file != NULL)
        return load_strategy_file(pv->strategy_file, o);
    if (pv->strategy_id != NULL)
        return parse_strategy_id(pv->strategy_id, o);
    if (pv->strategy == NULL && o->local)
        cli_error("--strategy NAME or --strategy-file FILE.lua is required (built-ins: %s)", names);
    else if (pv->strategy == NULL)
        cli_error("--strategy NAME or --strategy-id N is required (built-ins: %s; stom strategy "
                  "list shows your stored ones)",
                  names);
    if (pv->strategy == NULL)
        return EXIT_USAGE;
    if ((o->strategy = stom_strategy_find(pv->strategy)) != NULL)
        return EXIT_OK;
    if (o->local) {
        cli_error("unknown strategy '%s' (built-ins: %s)", pv->strategy, names);
        return EXIT_USAGE;
    }
    o->stored_name = pv->strategy; /* one of the user's, found through the gateway */
    return EXIT_OK;
}

static int apply_strategy(const pending_values *pv, backtest_options *o)
{
    char names[256];
    stom_strategy_names(names, sizeof names);
    int rc = choose_strategy(pv, o, names);
    /* A stored strategy's parameters are checked once its schema is loaded. */
    return rc == EXIT_OK && o->strategy ? backtest_apply_params(o) : rc;
}

/* ---- the gateway path ----------------------------------------------------------- */

/* --data names stored symbols here: a path or a .csv is a file meant for --local. */
static int check_symbols(const backtest_options *o)
{
    for (size_t k = 0; k < o->n_data; k++) {
        const char *d = o->data_files[k];
        size_t n = strlen(d);
        if (strchr(d, '/') || (n > 4 && !strcasecmp(d + n - 4, ".csv"))) {
            cli_error("--data %s is a file: through the gateway --data names stored symbols "
                      "(005930; `stom data import FILE` stores a file), or add --local to run "
                      "the file here",
                      d);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

static int check_gateway_run(const pending_values *pv, backtest_options *o)
{
    const char *tf = pv->timeframe;
    if (tf == NULL) {
        cli_error("--timeframe 1m|1d|1s is required through the gateway (which stored bars: "
                  "stom data list shows them)");
        return EXIT_USAGE;
    }
    if (strcmp(tf, "1m") && strcmp(tf, "1d") && strcmp(tf, "1s")) {
        cli_error("--timeframe '%s' is not one of 1m, 1d, 1s", tf);
        return EXIT_USAGE;
    }
    o->timeframe = tf;
    o->url = pv->url;
    stom_sizing_kind sizing = o->config.exchange.sizing.kind;
    if (sizing != STOM_SIZE_ALL_IN && sizing != STOM_SIZE_AMOUNT) {
        cli_error("--sizing %s is not a setting of a gateway run (it takes all-in or amount:N): "
                  "add --local to run here over CSV files",
                  pv->sizing);
        return EXIT_USAGE;
    }
    return check_symbols(o);
}

/* ---- the whole command line ----------------------------------------------------- */

static int check_required(const backtest_options *o, const pending_values *pv)
{
    if (pv->data != NULL)
        return EXIT_OK;
    if (o->local)
        cli_error("--data FILE is required (a CSV of bars; see stom backtest --help)");
    else
        cli_error("--data SYMBOL[,SYMBOL...] is required (stored symbols, e.g. 005930: stom data "
                  "list shows them; or --local --data FILE.csv)");
    return EXIT_USAGE;
}

static int apply_all(pending_values *pv, backtest_options *o)
{
    int (*steps[])(const pending_values *, backtest_options *) = {
        apply_market, apply_money, apply_costs, apply_orders, apply_strategy};
    int rc = check_path(o, pv);
    if (rc == EXIT_OK)
        rc = check_required(o, pv);
    for (size_t k = 0; rc == EXIT_OK && k < sizeof steps / sizeof steps[0]; k++)
        rc = steps[k](pv, o);
    if (rc == EXIT_OK && pv->period)
        rc = parse_period(pv->period, o);
    if (rc == EXIT_OK)
        rc = split_files(pv->data, o);
    if (rc == EXIT_OK && !o->local)
        rc = check_gateway_run(pv, o);
    o->trades_csv = pv->trades_csv;
    o->equity_csv = pv->equity_csv;
    o->config.drawdown_series = o->equity_csv != NULL;
    return rc;
}

int backtest_parse(int argc, char **argv, backtest_options *o)
{
    memset(o, 0, sizeof *o);
    stom_backtest_config_default(&o->config);
    pending_values pv;
    memset(&pv, 0, sizeof pv);
    int rc = read_flags(argc, argv, o, &pv);
    /* The texts are applied with the strategy's schema, now or once a stored one is loaded. */
    o->param_texts = pv.params;
    o->n_param_texts = pv.n_params;
    if (rc == EXIT_OK && !o->help)
        rc = apply_all(&pv, o);
    return rc;
}

void backtest_options_free(backtest_options *o)
{
    stom_lua_strategy_destroy(o->lua);
    o->lua = NULL;
    stored_strategy_free(&o->stored);
    for (size_t k = 0; k < o->n_data; k++)
        free(o->data_files[k]);
    free(o->data_files);
    o->data_files = NULL;
    o->n_data = 0;
    free(o->param_texts);
    o->param_texts = NULL;
    o->n_param_texts = 0;
}
