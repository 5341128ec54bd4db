/*
 * cmd_trade.c - `stom trade start|stop|pause|resume|status`: strategy
 * instances on the live engine, over /trading/strategies
 * (docs/engine.md, "Interfaces").
 *
 * start takes a built-in strategy's name or one of the caller's stored
 * strategies (by name, found with GET /strategies, or --strategy-id); its
 * --param values are typed as the command line reads them (5 an integer,
 * 0.5 a real, true/false a boolean, anything else text) and checked by the
 * engine against the strategy's parameters. status shows the engine's own
 * status (GET /engine/status: broker, reconciliation; "not answering" when
 * it is down) and the halts of the caller's accounts (GET /accounts) above
 * the instances, so a strategy that sends nothing because its broker is
 * down or its account is halted says so on the same screen.
 *
 * Thread-safety: single-threaded program.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "stom/net_http.h"
#include "stom/strategy.h"
#include "trading_cli.h"

#define INSTANCE_ID_MAX 64

static void trade_usage(FILE *out)
{
    fputs("Usage: stom trade start STRATEGY --symbols S1[,S2...] [--param NAME=VALUE ...]\n"
          "                  [--timeframe 1m|1d|1s] [--qty N | --amount WON] [--account A]\n"
          "                  [--id INSTANCE] [--json]\n"
          "       stom trade start --strategy-id N --symbols ... (a stored strategy by id)\n"
          "       stom trade stop INSTANCE [--liquidate] [--json]\n"
          "       stom trade pause INSTANCE [--json]\n"
          "       stom trade resume INSTANCE [--json]\n"
          "       stom trade status [--account A] [--json]\n"
          "\n"
          "Strategies trading live on the engine (paper trading on a simulated account).\n"
          "\n"
          "  start STRATEGY   run a built-in strategy (stom strategies lists them) or one of\n"
          "                   your stored strategies (stom strategy list) on SYMBOLS; prints\n"
          "                   the instance's id, which the other verbs take\n"
          "  stop INSTANCE    stop it and cancel its open orders; --liquidate also sells\n"
          "                   its positions\n"
          "  pause INSTANCE   no new entries until resume; open orders and positions stay\n"
          "  resume INSTANCE  let a paused instance trade again\n"
          "  status           the engine (broker up or down, reconciled, halt of all\n"
          "                   trading, market data lost; or that it does not answer), the\n"
          "                   halts of your accounts, then every instance: 상태, 미체결\n"
          "                   (open orders), 보유 (positions) and today's 실현손익\n"
          "\n"
          "Options:\n"
          "  --symbols LIST       start: the symbols to trade, comma-separated (005930,000660)\n"
          "  --param NAME=VALUE   start: a strategy parameter (repeat for each)\n"
          "  --timeframe TF       start: the bars the strategy sees (default 1m)\n"
          "  --qty N              start: shares per order (default: the engine's sizing)\n"
          "  --amount WON         start: won per order, in whole shares (1,000,000)\n"
          "  --account A          start: the account (needed when you have more than one);\n"
          "                       status: only that account\n"
          "  --id INSTANCE        start: the instance's id (A-Z a-z 0-9 _ . -, at most 64);\n"
          "                       default: one the gateway makes up\n"
          "  --strategy-id N      start: your stored strategy N (latest version)\n"
          "  --liquidate          stop: sell the instance's positions at market\n"
          "  --json               the gateway's JSON\n"
          "  --url URL            the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Example:\n"
          "  stom trade start sma_cross --symbols 005930 --param fast=5 --param slow=20\n"
          "\n"
          "Exit codes: 0 success, 1 the engine refused or the gateway failed, 2 usage\n"
          "error, unknown instance or not logged in.\n",
          out);
}

/* ---- start --------------------------------------------------------------------------- */

/* "5" an integer, "0.5" a real, true/false a boolean, anything else text. */
static json_t *param_value(const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "false"))
        return json_boolean(!strcmp(v, "true"));
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*v && *end == '\0' && errno == 0)
        return json_integer(n);
    double d = strtod(v, &end);
    if (*v && *end == '\0' && isfinite(d))
        return json_real(d);
    return json_string(v);
}

static json_t *params_object(const trading_options *o)
{
    json_t *p = json_object();
    for (size_t k = 0; k < o->n_params; k++) {
        const char *eq = strchr(o->params[k], '=');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - o->params[k]), o->params[k]);
        json_object_set_new(p, name, param_value(eq + 1));
    }
    return p;
}

/* ["005930", "000660"] of "005930,000660"; NULL after saying why for an empty item. */
static json_t *symbols_array(const char *list)
{
    json_t *a = json_array();
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        if (n == 0) {
            cli_error("--symbols '%s' has an empty item: give symbols separated by commas "
                      "(005930,000660)",
                      list);
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, json_stringn(p, n));
        if (p[n] == '\0')
            return a;
        p += n + 1;
    }
}

static bool instance_id_valid(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= INSTANCE_ID_MAX &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                     "TUVWXYZ0123456789_.-") == n;
}

/* The start flags checked before the gateway is asked. */
static int check_start(const trading_options *o)
{
    if ((o->n_pos == 1) == (o->strategy_id != NULL)) {
        cli_error("stom trade start needs a STRATEGY name or --strategy-id N, not both (see "
                  "stom strategies for the built-ins)");
        return EXIT_USAGE;
    }
    if (!o->symbols) {
        cli_error("stom trade start needs --symbols (for example --symbols 005930)");
        return EXIT_USAGE;
    }
    if (o->id && !instance_id_valid(o->id)) {
        cli_error("--id '%s' must be 1 to %d of A-Z a-z 0-9 _ . -", o->id, INSTANCE_ID_MAX);
        return EXIT_USAGE;
    }
    int64_t id = 0;
    if (o->strategy_id && trading_whole("--strategy-id", o->strategy_id, INT64_MAX, &id))
        return EXIT_USAGE;
    int64_t size = 0;
    if (o->qty && o->amount) {
        cli_error("give --qty (shares per order) or --amount (won per order), not both");
        return EXIT_USAGE;
    }
    if ((o->qty && trading_whole("--qty", o->qty, TRADING_QTY_MAX, &size)) ||
        (o->amount && trading_whole("--amount", o->amount, TRADING_WON_MAX, &size)))
        return EXIT_USAGE;
    const char *tf = o->timeframe ? o->timeframe : "1m";
    if (strcmp(tf, "1m") && strcmp(tf, "1d") && strcmp(tf, "1s")) {
        cli_error("--timeframe '%s' must be 1m, 1d or 1s", tf);
        return EXIT_USAGE;
    }
    /* Checked here so that start() can build the list without failing. */
    json_t *symbols = symbols_array(o->symbols);
    json_decref(symbols);
    return symbols ? EXIT_OK : EXIT_USAGE;
}

/* Sets body's strategy or strategy_id: a built-in by name, else the caller's stored one. */
static int add_strategy(gateway_client *g, const trading_options *o, json_t *body)
{
    int64_t id = 0;
    int rc = EXIT_OK;
    if (o->strategy_id)
        rc = trading_whole("--strategy-id", o->strategy_id, INT64_MAX, &id);
    else if (!stom_strategy_find(o->pos[0]))
        rc = gateway_strategy_resolve(g, o->pos[0], &id);
    if (rc == EXIT_OK && id > 0)
        json_object_set_new(body, "strategy_id", json_integer(id));
    else if (rc == EXIT_OK)
        json_object_set_new(body, "strategy", json_string(o->pos[0]));
    return rc;
}

static int print_instance(const json_t *answer)
{
    char id[96], state[64], pnl[32];
    printf("%s: %s", trading_text(answer, TRADING_KEYS("instance_id"), id, sizeof id, "?"),
           trading_strategy_state_label(json_str(answer, "state", "-"), state, sizeof state));
    const char *message = json_str(answer, "message", "");
    int64_t realized = 0;
    if (trading_int(answer, TRADING_KEYS("realized_pnl"), &realized))
        printf(" (실현손익 %s원)", trading_number(realized, pnl, sizeof pnl));
    printf("%s%s\n", *message ? " — " : "", message);
    return EXIT_OK;
}

static int start(gateway_client *g, const trading_options *o)
{
    char *account = NULL;
    int rc = trading_account(g, o, &account);
    if (rc != EXIT_OK)
        return rc;
    json_t *body = json_pack("{s:o, s:o, s:s, s:s}", "symbols", symbols_array(o->symbols), "params",
                             params_object(o), "timeframe", o->timeframe ? o->timeframe : "1m",
                             "account", account);
    if (o->id)
        json_object_set_new(body, "instance_id", json_string(o->id));
    int64_t size = 0; /* checked by check_start */
    if (o->qty && trading_whole("--qty", o->qty, TRADING_QTY_MAX, &size) == EXIT_OK)
        json_object_set_new(body, "order_qty", json_integer(size));
    if (o->amount && trading_whole("--amount", o->amount, TRADING_WON_MAX, &size) == EXIT_OK)
        json_object_set_new(body, "order_amount", json_integer(size));
    rc = add_strategy(g, o, body);
    if (rc == EXIT_OK)
        rc = trading_call(g, o, "POST", "/trading/strategies", body, print_instance);
    json_decref(body);
    free(account);
    return rc;
}

/* ---- stop, pause, resume ------------------------------------------------------------- */

static int control(gateway_client *g, const trading_options *o, const char *verb)
{
    char path[512] = "/trading/strategies/";
    if (!stom_http_query_escape(path, sizeof path, o->pos[0])) {
        cli_error("instance '%s' is too long", o->pos[0]);
        return EXIT_USAGE;
    }
    snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", verb);
    json_t *body = json_object();
    if (o->liquidate)
        json_object_set_new(body, "liquidate", json_true());
    int rc = trading_call(g, o, "POST", path, body, print_instance);
    json_decref(body);
    return rc;
}

/* ---- status ---------------------------------------------------------------------------- */

/*
 * Why account a is halted: its "halt_reason" when the gateway gives one, else the message of
 * the account's latest risk event that halted something (GET /risk/events). "" when unknown.
 */
static void halt_reason(gateway_client *g, const json_t *a, char *buf, size_t len)
{
    snprintf(buf, len, "%s", json_str(a, "halt_reason", ""));
    char path[256] = "/risk/events?limit=20";
    json_t *answer = NULL;
    if (buf[0] || !gateway_query_add(path, sizeof path, "account", json_str(a, "account", "")) ||
        gateway_call(g, "GET", path, NULL, &answer, NULL) != EXIT_OK)
        return;
    size_t k;
    const json_t *e;
    json_array_foreach(trading_rows(answer, "events"), k, e)
    {
        char action[64], when[32];
        if (strncmp(trading_short_name(json_str(e, "action", ""), action, sizeof action), "halt",
                    4) != 0)
            continue;
        snprintf(buf, len, "%s (%s)", json_str(e, "message", ""),
                 trading_kst(e, TRADING_KEYS("at", "ts_ns"), when, sizeof when));
        break;
    }
    json_decref(answer);
}

/* "계좌 sim-1: 거래 중지 halted — why" lines for the halted accounts; nothing when none is. */
static void print_halts(gateway_client *g, const json_t *accounts)
{
    size_t k;
    const json_t *a;
    json_array_foreach(trading_rows(accounts, "accounts"), k, a)
    {
        if (!json_is_true(json_object_get(a, "halted")))
            continue;
        char reason[512];
        halt_reason(g, a, reason, sizeof reason);
        const char *name = json_str(a, "account", "?");
        printf("계좌 %s: 거래 중지 halted%s%s (stom resume --account %s lifts it)\n", name,
               reason[0] ? " — " : "", reason, name);
    }
}

/* GET /engine/status's answer as one line: broker, reconciliation, halt of all trading, gaps. */
static void print_engine(const json_t *engine)
{
    if (!json_is_object(engine))
        return;
    const char *error = json_str(engine, "error", NULL);
    if (error) {
        printf("엔진 engine: 응답 없음 not answering — %s\n", error);
        return;
    }
    const char *reason = json_str(engine, "halt_reason", "");
    char gaps[32], when[32];
    int64_t md = 0;
    trading_int(engine, TRADING_KEYS("md_gaps"), &md);
    printf("엔진 engine: 증권사 broker %s, 대사 reconciled %s, 거래 trading %s%s%s, 시세 누락 md "
           "gaps %s (%s)\n",
           json_is_true(json_object_get(engine, "broker_up")) ? "연결 up" : "끊김 down",
           json_is_true(json_object_get(engine, "reconciled")) ? "완료 yes" : "미완료 no",
           json_is_true(json_object_get(engine, "halted")) ? "중지 halted" : "가능 allowed",
           *reason ? " — " : "", reason, trading_number(md, gaps, sizeof gaps),
           trading_kst(engine, TRADING_KEYS("checked_at"), when, sizeof when));
}

/*
 * The engine's own status (GET /engine/status) into *out (owned): its answer, {"error": why}
 * when it does not answer (503), or NULL from a gateway without the route.
 */
static void engine_status(gateway_client *g, json_t **out)
{
    long status = 0;
    *out = NULL;
    gateway_client_quiet_404(g, true);
    gateway_client_quiet_503(g, true);
    if (gateway_call(g, "GET", "/engine/status", NULL, out, &status) != EXIT_OK && status == 503) {
        const json_t *e = gateway_client_last_error(g);
        *out = json_pack("{s:s}", "error", json_str(e, "message", "the engine does not answer"));
    }
    gateway_client_quiet_404(g, false);
    gateway_client_quiet_503(g, false);
}

static void instance_row(text_table *t, const json_t *s, void *ctx)
{
    (void)ctx;
    char id[96], account[64], state[64], open[24], held[24], pnl[32], symbols[256] = "", when[32];
    const json_t *list = json_object_get(s, "symbols");
    for (size_t k = 0; k < json_array_size(list) && strlen(symbols) < 200; k++)
        snprintf(symbols + strlen(symbols), sizeof symbols - strlen(symbols), "%s%s", k ? "," : "",
                 json_string_value(json_array_get(list, k)));
    const char *row[] = {
        trading_text(s, TRADING_KEYS("instance_id"), id, sizeof id, "-"),
        json_str(s, "strategy", json_str(s, "strategy_name", "-")),
        trading_text(s, TRADING_KEYS("account"), account, sizeof account, "-"),
        symbols,
        trading_strategy_state_label(json_str(s, "state", "-"), state, sizeof state),
        trading_won(s, TRADING_KEYS("open_orders"), open, sizeof open),
        trading_won(s, TRADING_KEYS("positions"), held, sizeof held),
        trading_won(s, TRADING_KEYS("realized_pnl"), pnl, sizeof pnl),
        trading_kst(s, TRADING_KEYS("started_at"), when, sizeof when),
        json_str(s, "message", "")};
    text_table_add(t, row);
}

static int print_instances(const json_t *answer)
{
    const char *heads[] = {"인스턴스 instance", "전략 strategy",  "계좌 account",
                           "종목 symbols",      "상태 state",     "미체결 open",
                           "보유 positions",    "실현손익 today", "시작 started (KST)",
                           "메시지 message"};
    return trading_table_print(trading_table(
        answer, "strategies",
        "no strategy instances (start one with stom trade start STRATEGY --symbols ...)", 10, heads,
        "lllllrrrll", instance_row, NULL));
}

static int status(gateway_client *g, const trading_options *o)
{
    char path[512] = "/trading/strategies";
    if (trading_query_account(path, sizeof path, o) != EXIT_OK)
        return EXIT_USAGE;
    json_t *accounts = NULL, *answer = NULL, *engine = NULL;
    int rc = gateway_call(g, "GET", "/accounts", NULL, &accounts, NULL);
    if (rc == EXIT_OK)
        rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    if (rc != EXIT_OK) {
        json_decref(accounts);
        return rc;
    }
    engine_status(g, &engine);
    if (o->json) {
        json_object_set_new(answer, "accounts",
                            json_incref((json_t *)trading_rows(accounts, "accounts")));
        json_object_set_new(answer, "engine", engine ? engine : json_null());
        json_decref(accounts);
        return trading_show(o, answer, NULL);
    }
    print_engine(engine);
    json_decref(engine);
    print_halts(g, accounts);
    json_decref(accounts);
    return trading_show(o, answer, print_instances);
}

/* ---- dispatch ------------------------------------------------------------------------ */

typedef struct trade_verb {
    const char *name, *flags;
    size_t positional;
} trade_verb;

static const trade_verb verbs[] = {
    {"start", "--symbols --param --timeframe --account --id --strategy-id --qty --amount", 1},
    {"stop", "--liquidate", 1},
    {"pause", "", 1},
    {"resume", "", 1},
    {"status", "--account", 0},
};

static const trade_verb *find_verb(const char *name)
{
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        if (!strcmp(verbs[k].name, name))
            return &verbs[k];
    return NULL;
}

static int run(gateway_client *g, const trading_options *o, const char *verb)
{
    if (!strcmp(verb, "start"))
        return start(g, o);
    if (!strcmp(verb, "status"))
        return status(g, o);
    return control(g, o, verb);
}

int cli_trade(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "";
    if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
        trade_usage(stdout);
        return EXIT_OK;
    }
    const trade_verb *v = find_verb(name);
    if (!v) {
        cli_error("stom trade needs start, stop, pause, resume or status (see stom trade --help)");
        return EXIT_USAGE;
    }
    trading_options o;
    char command[32];
    snprintf(command, sizeof command, "trade %s", name);
    int rc = trading_parse(argc, argv, 2, v->flags, v->positional, command, trade_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    if (!strcmp(name, "start") && check_start(&o) != EXIT_OK)
        return EXIT_USAGE;
    if (v->positional == 1 && strcmp(name, "start") && o.n_pos != 1) {
        cli_error("stom trade %s needs the INSTANCE id (stom trade status lists them)", name);
        return EXIT_USAGE;
    }
    gateway_client *g = NULL;
    rc = trading_open(&o, &g);
    if (rc != EXIT_OK)
        return rc;
    rc = run(g, &o, name);
    gateway_client_close(g);
    return rc;
}
