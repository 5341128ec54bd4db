/*
 * cmd_backtest_gateway.c - `stom backtest` through the gateway: find the
 * strategy (a built-in, or one of the user's stored ones, loaded here so
 * that --param is checked against its schema), POST /backtests, follow
 * the run's live progress on the WebSocket (gateway_run.c: Ctrl-C cancels
 * it), then GET /backtests/ID and print the local run's report from it, or
 * with --json the gateway's answer itself.
 *
 * The request states the account the local path would use (starting cash,
 * commission, slippage), so the same flags mean the same run on both
 * paths whatever the server's defaults. Without --period the run covers
 * every stored bar of the symbols (GET /data/symbols), as a local run
 * covers its whole files.
 *
 * Thread-safety: single-threaded program.
 */
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

#define KST STOM_KST_OFFSET_MINUTES

/* The stored strategy named by --strategy NAME or --strategy-id, loaded; then the params. */
static int load_strategy(backtest_options *o)
{
    if (o->strategy != NULL)
        return EXIT_OK;
    int rc = gateway_strategy_fetch(o->url, o->stored_name, o->strategy_id, &o->stored);
    if (rc != EXIT_OK)
        return rc;
    o->strategy = stom_lua_strategy_def(o->stored.lua);
    return backtest_apply_params(o);
}

/* symbol's stored series of timeframe in the list as KST dates; false when there is none. */
static bool stored_dates(const json_t *list, const char *symbol, const char *timeframe,
                         int32_t *first, int32_t *last)
{
    size_t k;
    const json_t *d;
    json_array_foreach(list, k, d)
    {
        int64_t a, b;
        if (strcmp(json_str(d, "symbol", ""), symbol) ||
            strcmp(json_str(d, "timeframe", ""), timeframe) ||
            !gateway_time_parse(json_str(d, "first", NULL), &a) ||
            !gateway_time_parse(json_str(d, "last", NULL), &b))
            continue;
        *first = stom_date_of(a, KST);
        *last = stom_date_of(b, KST);
        return true;
    }
    return false;
}

/* Without --period: from the first to the last stored bar of the symbols. */
static int default_period(gateway_client *g, backtest_options *o)
{
    json_t *answer = NULL;
    int rc = gateway_call(g, "GET", "/data/symbols", NULL, &answer, NULL);
    const json_t *list = json_object_get(answer, "symbols");
    o->from_date = INT32_MAX;
    o->to_date = 0;
    for (size_t k = 0; rc == EXIT_OK && k < o->n_data; k++) {
        const char *sym = o->data_files[k];
        int32_t first = 0, last = 0;
        if (!stored_dates(list, sym, o->timeframe, &first, &last)) {
            cli_error("no %s bars of %s are stored in the gateway (stom data list shows what is; "
                      "stom data import FILE --symbol %s --timeframe %s stores a file)",
                      o->timeframe, sym, sym, o->timeframe);
            rc = EXIT_DATA;
            break;
        }
        o->from_date = first < o->from_date ? first : o->from_date;
        o->to_date = last > o->to_date ? last : o->to_date;
    }
    o->has_period = rc == EXIT_OK;
    json_decref(answer);
    return rc;
}

/* ---- the request ---------------------------------------------------------------------- */

/* The parameters --param named, with the values the schema gave them. */
static void spec_params(const backtest_options *o, Stom__V1__JobSpec *s)
{
    const stom_strategy_def *def = o->strategy;
    s->params = stom_xcalloc(def->n_params ? def->n_params : 1, sizeof *s->params);
    for (size_t k = 0; k < def->n_params; k++) {
        size_t n = strlen(def->params[k].name);
        bool named = false;
        for (size_t t = 0; t < o->n_param_texts && !named; t++)
            named =
                !strncmp(o->param_texts[t], def->params[k].name, n) && o->param_texts[t][n] == '=';
        if (named)
            s->params[s->n_params++] = bt_param_new_pb(&def->params[k], o->params.v[k]);
    }
}

static void spec_account(const backtest_options *o, Stom__V1__JobSpec *s)
{
    const stom_cost_model *c = &o->config.exchange.costs;
    s->has_initial_cash = true;
    s->initial_cash = o->config.initial_cash;
    s->costs = stom_xmalloc(sizeof *s->costs);
    stom__v1__cost_model__init(s->costs);
    s->costs->has_commission_rate = true;
    s->costs->commission_rate = c->commission_rate;
    s->costs->has_slippage_ticks = c->slippage_mode == STOM_SLIPPAGE_TICKS;
    s->costs->slippage_ticks = c->slippage_ticks;
    s->has_bet_amount = o->config.exchange.sizing.kind == STOM_SIZE_AMOUNT;
    s->bet_amount = o->config.exchange.sizing.value;
}

/* The run as a JobSpec (free_unpacked), which gateway_run_request turns into the body. */
static Stom__V1__JobSpec *job_spec(const backtest_options *o)
{
    Stom__V1__JobSpec *s = stom_xmalloc(sizeof *s);
    stom__v1__job_spec__init(s);
    s->strategy_name = stom_xstrdup(o->strategy->name);
    s->symbols = stom_xcalloc(o->n_data, sizeof *s->symbols);
    for (size_t k = 0; k < o->n_data; k++)
        s->symbols[s->n_symbols++] = stom_xstrdup(o->data_files[k]);
    s->has_timeframe = true;
    s->timeframe = bt_timeframe_parse(o->timeframe);
    s->period = stom_xmalloc(sizeof *s->period);
    stom__v1__period__init(s->period);
    s->period->has_from_ns = s->period->has_to_ns = true;
    /* Both dates are included: the period ends at the midnight after the last (KST). */
    s->period->from_ns = stom_midnight_utc(o->from_date, KST) * 1000000000;
    s->period->to_ns = (stom_midnight_utc(o->to_date, KST) + 86400) * 1000000000;
    spec_params(o, s);
    spec_account(o, s);
    return s;
}

/* ---- the run -------------------------------------------------------------------------- */

int gateway_fetch_backtest(gateway_client *g, const char *id, bool rows, json_t **out)
{
    char path[256];
    snprintf(path, sizeof path, "/backtests/%s", id);
    if (!rows && gateway_query_add(path, sizeof path, "trades_limit", "0"))
        gateway_query_add(path, sizeof path, "equity_limit", "0");
    return gateway_call(g, "GET", path, NULL, out, NULL);
}

static int report(gateway_client *g, const backtest_options *o, const char *id)
{
    json_t *run = NULL;
    int rc = gateway_fetch_backtest(g, id, o->json, &run);
    if (rc == EXIT_OK && o->json)
        rc = print_json(json_incref(run));
    else if (rc == EXIT_OK && !gateway_backtest_report(run, stdout))
        rc = EXIT_INTERNAL;
    json_decref(run);
    return rc;
}

/* Submits, follows and reports the run. */
static int run(gateway_client *g, const backtest_options *o)
{
    Stom__V1__JobSpec *spec = job_spec(o);
    json_t *body = gateway_run_request(spec, &o->stored, true), *answer = NULL;
    stom__v1__job_spec__free_unpacked(spec, NULL);
    char *id = NULL;
    /* From here Ctrl-C cancels the run: one that comes during the POST too, once it answers. */
    cli_catch_sigint();
    int rc = gateway_submit_run(g, "backtests", body, &id, &answer);
    json_decref(body);
    if (rc != EXIT_OK)
        return rc;
    progress_line pl;
    Stom__V1__JobStatus *st = NULL;
    progress_init(&pl, STOM__V1__OBJECTIVE__OBJECTIVE_TG);
    const char *topic = json_str(json_object_get(answer, "links"), "ws_topic", NULL);
    rc = gateway_follow_run(g, "backtests", id, topic, &pl, &st);
    if (rc == EXIT_OK)
        rc = job_ended(id, &pl, st);
    if (rc == EXIT_OK)
        rc = report(g, o, id);
    if (st)
        stom__v1__job_status__free_unpacked(st, NULL);
    json_decref(answer);
    free(id);
    return rc;
}

int backtest_via_gateway(backtest_options *o)
{
    int rc = load_strategy(o);
    if (rc != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    rc = gateway_client_open(&g, o->url, true);
    if (rc == EXIT_OK && !o->has_period)
        rc = default_period(g, o);
    if (rc == EXIT_OK)
        rc = run(g, o);
    gateway_client_close(g);
    return rc;
}
