/*
 * cmd_risk.c - `stom risk show|set|events`: an account's risk settings
 * (docs/risk.md) over GET/PUT /accounts/{account}/risk, and the risk events
 * the engine raised over GET /risk/events (docs/gateway-api.md, "Live
 * trading").
 *
 * `set` changes the keys it is given (KEY=VALUE; "none" removes a limit) on
 * top of the stored settings, or replaces them whole with --file. The
 * gateway checks them with the engine's own parser (422 naming the field,
 * nothing stored) and the engine reloads them at once. Settings are shown
 * as a trader reads them: won with thousands separators, basis points as
 * percents, the STOM names (투자금, 손실중지, 최대매수종목수).
 *
 * Thread-safety: single-threaded program.
 */
#include <ctype.h>
#include <string.h>

#include "optimize.h"
#include "risk_cli.h"
#include "trading_cli.h"

#define RISK_FILE_MAX (64 * 1024) /* the gateway's bound on one account's settings */

static void risk_usage(FILE *out)
{
    fputs(
        "Usage: stom risk show [--account A] [--json]\n"
        "       stom risk set [--account A] KEY=VALUE... | --file FILE [--json]\n"
        "       stom risk events [--account A] [--limit N] [--json]\n"
        "\n"
        "An account's risk settings (docs/risk.md) and the risk events of the live engine.\n"
        "An account without settings cannot trade: the engine blocks its orders.\n"
        "\n"
        "  show      the settings: 투자원금, 주문한도, 투자금, 손실중지, 수익중지, ... and\n"
        "            each strategy's narrower limits\n"
        "  set       changes the keys given (the others stay); VALUE is won or a count\n"
        "            (\"5,000,000\"), a percent for the _bp keys (\"3%\" or \"300\" bp),\n"
        "            HH:MM for end_time, true/false, or none to remove the limit.\n"
        "            --file FILE replaces the settings with the JSON object in FILE\n"
        "            (the place for \"strategies\": {\"ID\": {...}})\n"
        "  events    the latest risk events, newest first: time (KST), account, 종류 kind,\n"
        "            조치 action (차단 block, 중지 halt), rule, symbol, limit, value, message\n"
        "\n"
        "  --account A   the account (default: your only account)\n"
        "  --limit N     events: at most N (default 30)\n"
        "  --json        the gateway's JSON\n"
        "  --url URL     the gateway (default $STOM_URL, else the URL of `stom login`)\n"
        "\n"
        "Keys: capital (투자원금, won), max_order_value (주문한도), capital_per_trade (투자금),\n"
        "max_position_value (종목당 한도), max_positions (최대매수종목수), max_orders_per_second,\n"
        "daily_loss_stop_bp (손실중지), daily_profit_stop_bp (수익중지), max_drawdown_bp,\n"
        "fat_finger_bp, end_time (매수종료), liquidate_at_end (장마감 청산).\n"
        "\n"
        "Examples:\n"
        "  stom risk set --account paper capital=100,000,000 daily_loss_stop_bp=3%\n"
        "  stom risk set max_order_value=none\n"
        "  stom risk events --limit 10\n"
        "\n"
        "Exit codes: 0 success, 1 the gateway failed or refused the settings (the message\n"
        "names the field), 2 usage error, not logged in, or not your account.\n",
        out);
}

/* The account as a path segment: the characters accounts are made of, nothing to encode. */
static bool account_ok(const char *a)
{
    size_t n = strlen(a);
    for (size_t k = 0; k < n; k++)
        if (!isalnum((unsigned char)a[k]) && !strchr("-_.", a[k]))
            return false;
    return n > 0 && n <= 64;
}

static int risk_path(gateway_client *g, const trading_options *o, char *path, size_t len)
{
    char *account = NULL;
    int rc = trading_account(g, o, &account);
    if (rc != EXIT_OK)
        return rc;
    if (!account_ok(account)) {
        cli_error("--account: '%s' is not an account name (letters, digits, '-', '_', '.')",
                  account);
        rc = EXIT_USAGE;
    } else {
        snprintf(path, len, "/accounts/%s/risk", account);
    }
    free(account);
    return rc;
}

static int show(gateway_client *g, const trading_options *o)
{
    char path[128];
    int rc = risk_path(g, o, path, sizeof path);
    return rc != EXIT_OK ? rc : trading_call(g, o, "GET", path, NULL, risk_print_settings);
}

/* The settings to PUT: the stored ones (GET) with o's KEY=VALUE changes, or --file's. */
static int new_limits(gateway_client *g, const trading_options *o, const char *path, json_t **out)
{
    if (o->file) {
        char *text = NULL;
        size_t len = 0;
        int rc = cli_read_file(o->file, RISK_FILE_MAX, "the gateway takes 64 KiB of settings",
                               &text, &len);
        if (rc != EXIT_OK)
            return rc;
        json_error_t jerr;
        *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        free(text);
        if (!json_is_object(*out)) {
            cli_error("%s:%d: not a JSON object of risk settings: %s", o->file, jerr.line,
                      *out ? "another JSON value" : jerr.text);
            json_decref(*out);
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }
    json_t *answer = NULL;
    int rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    if (rc != EXIT_OK)
        return rc;
    const json_t *stored = json_object_get(answer, "limits");
    *out = json_is_object(stored) ? json_deep_copy(stored) : json_object();
    json_decref(answer);
    for (size_t k = 0; k < o->n_pos && rc == EXIT_OK; k++)
        rc = risk_apply_setting(*out, o->pos[k]);
    if (rc != EXIT_OK)
        json_decref(*out);
    return rc;
}

/* set's arguments, checked before anything is sent. */
static int check_set(const trading_options *o)
{
    if (!o->file == (o->n_pos == 0)) {
        cli_error(o->file ? "stom risk set takes KEY=VALUE settings or --file, not both"
                          : "stom risk set needs KEY=VALUE settings (for example "
                            "max_order_value=5,000,000) or --file FILE");
        return EXIT_USAGE;
    }
    json_t *scratch = json_object();
    int rc = EXIT_OK;
    for (size_t k = 0; k < o->n_pos && rc == EXIT_OK; k++)
        rc = risk_apply_setting(scratch, o->pos[k]);
    json_decref(scratch);
    return rc;
}

static int set(gateway_client *g, const trading_options *o)
{
    char path[128];
    json_t *limits = NULL;
    int rc = risk_path(g, o, path, sizeof path);
    if (rc == EXIT_OK)
        rc = new_limits(g, o, path, &limits);
    if (rc == EXIT_OK)
        rc = trading_call(g, o, "PUT", path, limits, risk_print_stored);
    json_decref(limits);
    return rc;
}

static int check_events(const trading_options *o)
{
    int64_t limit;
    return o->limit ? trading_whole("--limit", o->limit, RISK_EVENTS_MAX, &limit) : EXIT_OK;
}

static int events(gateway_client *g, const trading_options *o)
{
    int64_t limit = RISK_EVENTS_DEFAULT;
    if (o->limit && trading_whole("--limit", o->limit, RISK_EVENTS_MAX, &limit) != EXIT_OK)
        return EXIT_USAGE;
    char path[256];
    snprintf(path, sizeof path, "/risk/events?limit=%lld", (long long)limit);
    if (o->account && !gateway_query_add(path, sizeof path, "account", o->account)) {
        cli_error("--account: too long");
        return EXIT_USAGE;
    }
    return trading_call(g, o, "GET", path, NULL, risk_print_events);
}

int cli_risk(int argc, char **argv)
{
    static const struct {
        const char *name, *flags;
        size_t max_pos;
        int (*check)(const trading_options *); /* before anything is sent; may be NULL */
        int (*run)(gateway_client *, const trading_options *);
    } verbs[] = {{"show", "--account", 0, NULL, show},
                 {"set", "--account --file", TRADING_POSITIONAL_MAX, check_set, set},
                 {"events", "--account --limit", 0, check_events, events}};
    const char *name = argc > 1 ? argv[1] : "";
    if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
        risk_usage(stdout);
        return EXIT_OK;
    }
    size_t v = 0;
    while (v < 3 && strcmp(verbs[v].name, name) != 0)
        v++;
    if (v == 3) {
        cli_error("stom risk needs show, set or events (see stom risk --help)");
        return EXIT_USAGE;
    }
    trading_options o;
    char command[32];
    snprintf(command, sizeof command, "risk %s", name);
    int rc =
        trading_parse(argc, argv, 2, verbs[v].flags, verbs[v].max_pos, command, risk_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    if (verbs[v].check && (rc = verbs[v].check(&o)) != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    if ((rc = trading_open(&o, &g)) != EXIT_OK)
        return rc;
    rc = verbs[v].run(g, &o);
    gateway_client_close(g);
    return rc;
}
