/*
 * backtest_options.c - the flags of `stom backtest`, their help text, and
 * their checked parsing into a backtest_options. Every refusal names the
 * flag, the bad value and what would be accepted.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stom/alloc.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

void backtest_usage(FILE *out)
{
    fputs(
        "Usage: stom backtest --local --data FILE[,FILE...] --strategy NAME [options]\n"
        "       stom backtest --local --data FILE[,FILE...] --strategy-file FILE.lua [options]\n"
        "\n"
        "Runs a strategy over CSV bars in this process and prints the report.\n"
        "\n"
        "Data and strategy:\n"
        "  --local                 run here, without the platform's services (required for now)\n"
        "  --data FILE[,FILE...]   CSV bar files (Yahoo, Date+Time, Datetime+09:00 or\n"
        "                          일자/날짜,시가,고가,저가,종가,거래량); the file name is the "
        "symbol\n"
        "  --strategy NAME         a built-in strategy (see `stom strategies`)\n"
        "  --strategy-file FILE    a Lua strategy (docs/lua-runtime.md), run in a sandbox;\n"
        "                          instead of --strategy\n"
        "  --param NAME=VALUE      set a strategy parameter (the built-in's or the file's\n"
        "                          params schema); repeat for more\n"
        "  --period FROM:TO        only bars from FROM to TO inclusive (YYYY-MM-DD, KST)\n"
        "\n"
        "Market and costs:\n"
        "  --market krx|us|crypto  tick sizes, price limits, tax and price scale (default krx;\n"
        "                          us = prices in cents, no limits, no tax)\n"
        "  --board KOSPI|KOSDAQ|KONEX|ETF|ETN  KRX board: tick table and sell tax (default KOSPI)\n"
        "  --cash N                starting cash in won (or dollars), default 10,000,000\n"
        "  --commission PCT        commission per side in percent, default 0.015\n"
        "  --tax auto|none|PCT     sell tax: the dated KRX table (default), none, or a fixed %\n"
        "  --slippage-ticks N      fills move N ticks against the order (default 0)\n"
        "  --slippage-bps N        or N basis points, snapped to the tick grid\n"
        "  --no-price-limits       do not clamp fills to the KRX +-30% daily limits\n"
        "\n"
        "Orders and sizing:\n"
        "  --sizing all-in|pct:P|qty:N|amount:N  position size (default all-in): all the cash,\n"
        "                          P% of equity, N shares, or N won worth; whole shares always\n"
        "  --allow-short           let sell signals open short positions (reversals)\n"
        "  --pyramiding N          at most N entries in one direction (default 1)\n"
        "  --fill next-open|close  market orders fill at the next bar's open (default) or at\n"
        "                          the signal bar's close\n"
        "  --participation PCT     a fill takes at most PCT% of the bar's volume (partial fills)\n"
        "\n"
        "Output:\n"
        "  --json                  print one JSON object instead of the report\n"
        "  --trades-csv FILE       write closed trades: symbol,side,qty,entry_time,entry_price,\n"
        "                          exit_time,exit_price,pnl,fees,taxes,status\n"
        "  --equity-csv FILE       write the equity and drawdown series\n"
        "\n"
        "Example:\n"
        "  stom backtest --local --data 005930.csv --strategy sma_cross \\\n"
        "      --param fast=5 --param slow=20 --period 2024-01-01:2024-12-31 --json\n"
        "\n"
        "  stom backtest --local --data 005930.csv --strategy-file sma_cross.lua --param fast=5\n"
        "\n"
        "Exit codes: 0 success, 1 the strategy stopped the run (its error or a sandbox limit;\n"
        "the message names file:line), 2 usage error (including a Lua file that does not\n"
        "load: syntax, params schema), 3 data error.\n",
        out);
}

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
    const char *strategy, *strategy_file, *cash, *sizing, *market, *board, *data, *period,
        *commission, *tax, *slippage_ticks, *slippage_bps, *pyramiding, *participation, *fill;
    const char **params;
    size_t n_params;
} pending_values;

/* Flags that take a value, and where the value goes. */
static const char **value_slot(const char *arg, backtest_options *o, pending_values *pv,
                               const char **flag)
{
    static const struct {
        const char *flag;
        size_t offset;
    } table[] = {
        {"--strategy", offsetof(pending_values, strategy)},
        {"--strategy-file", offsetof(pending_values, strategy_file)},
        {"--cash", offsetof(pending_values, cash)},
        {"--sizing", offsetof(pending_values, sizing)},
        {"--market", offsetof(pending_values, market)},
        {"--board", offsetof(pending_values, board)},
        {"--data", offsetof(pending_values, data)},
        {"--period", offsetof(pending_values, period)},
        {"--commission", offsetof(pending_values, commission)},
        {"--tax", offsetof(pending_values, tax)},
        {"--slippage-ticks", offsetof(pending_values, slippage_ticks)},
        {"--slippage-bps", offsetof(pending_values, slippage_bps)},
        {"--pyramiding", offsetof(pending_values, pyramiding)},
        {"--participation", offsetof(pending_values, participation)},
        {"--fill", offsetof(pending_values, fill)},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        if (cli_flag_is(arg, table[k].flag)) {
            *flag = table[k].flag;
            return (const char **)((char *)pv + table[k].offset);
        }
    }
    if (cli_flag_is(arg, "--trades-csv"))
        return *flag = "--trades-csv", &o->trades_csv;
    if (cli_flag_is(arg, "--equity-csv"))
        return *flag = "--equity-csv", &o->equity_csv;
    return NULL;
}

static bool parse_switch(const char *a, backtest_options *o)
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
    return true;
}

/* Reads every flag into o (switches) and pv (values). */
static int read_flags(int argc, char **argv, backtest_options *o, pending_values *pv)
{
    for (int i = 1; i < argc; i++) {
        const char *flag = NULL;
        if (parse_switch(argv[i], o))
            continue;
        if (cli_flag_is(argv[i], "--param")) {
            const char *v = cli_flag_value(argc, argv, &i, "--param", "backtest");
            if (v == NULL)
                return EXIT_USAGE;
            pv->params = stom_xrealloc(pv->params, (pv->n_params + 1) * sizeof *pv->params);
            pv->params[pv->n_params++] = v;
            continue;
        }
        const char **slot = value_slot(argv[i], o, pv, &flag);
        if (slot == NULL) {
            cli_error("unknown option '%s' (see stom backtest --help)", argv[i]);
            return EXIT_USAGE;
        }
        if ((*slot = cli_flag_value(argc, argv, &i, flag, "backtest")) == NULL)
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

static int apply_strategy(const pending_values *pv, backtest_options *o)
{
    char names[256];
    stom_strategy_names(names, sizeof names);
    if (pv->strategy != NULL && pv->strategy_file != NULL) {
        cli_error("--strategy and --strategy-file exclude each other: give one");
        return EXIT_USAGE;
    }
    if (pv->strategy_file != NULL) {
        int rc = load_strategy_file(pv->strategy_file, o);
        if (rc != EXIT_OK)
            return rc;
    } else if (pv->strategy == NULL) {
        cli_error("--strategy NAME or --strategy-file FILE.lua is required (built-ins: %s)", names);
        return EXIT_USAGE;
    } else if ((o->strategy = stom_strategy_find(pv->strategy)) == NULL) {
        cli_error("unknown strategy '%s' (built-ins: %s)", pv->strategy, names);
        return EXIT_USAGE;
    }
    stom_params_default(o->strategy, &o->params);
    for (size_t k = 0; k < pv->n_params; k++) {
        stom_errbuf eb;
        if (stom_params_set(o->strategy, &o->params, pv->params[k], &eb) != STOM_OK) {
            cli_error("%s", eb.msg);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

int backtest_parse(int argc, char **argv, backtest_options *o)
{
    memset(o, 0, sizeof *o);
    stom_backtest_config_default(&o->config);
    pending_values pv;
    memset(&pv, 0, sizeof pv);
    int rc = read_flags(argc, argv, o, &pv);
    if (rc == EXIT_OK && !o->help) {
        if (!o->local) {
            cli_error("only --local backtests exist yet (the platform's services come later); "
                      "add --local");
            rc = EXIT_USAGE;
        } else if (pv.data == NULL) {
            cli_error("--data FILE is required (a CSV of bars; see stom backtest --help)");
            rc = EXIT_USAGE;
        }
    }
    if (rc == EXIT_OK && !o->help) {
        int (*steps[])(const pending_values *, backtest_options *) = {
            apply_market, apply_money, apply_costs, apply_orders, apply_strategy};
        for (size_t k = 0; rc == EXIT_OK && k < sizeof steps / sizeof steps[0]; k++)
            rc = steps[k](&pv, o);
        if (rc == EXIT_OK && pv.period)
            rc = parse_period(pv.period, o);
        if (rc == EXIT_OK)
            rc = split_files(pv.data, o);
        o->config.drawdown_series = o->equity_csv != NULL;
    }
    free(pv.params);
    return rc;
}

void backtest_options_free(backtest_options *o)
{
    stom_lua_strategy_destroy(o->lua);
    o->lua = NULL;
    for (size_t k = 0; k < o->n_data; k++)
        free(o->data_files[k]);
    free(o->data_files);
    o->data_files = NULL;
    o->n_data = 0;
}
