/*
 * report_backtest_gateway.c - the text report of a backtest run through
 * the gateway (GET /api/v1/backtests/ID), printed with the metric rows of a
 * local run (report_text.c) so that both read the same: thousands
 * separators, won, KST dates, STOM's names.
 *
 * What the answer does not carry is left out rather than guessed: the bar
 * counts per symbol and the run time in this process. The strategy line
 * shows every parameter with its value when the strategy's schema is at
 * hand (a built-in, or the stored code the answer includes), else the
 * parameters the request set.
 *
 * Thread-safety: single-threaded program.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "pb_from_json.h"
#include "stom/timeutil.h"

/* The strategy's schema: a built-in by name, else the answer's stored code (*lua, owned). */
static const stom_strategy_def *strategy_of(const json_t *run, stom_lua_strategy **lua)
{
    const char *name = json_str(run, "strategy", "");
    const char *code = json_str(run, "strategy_code", NULL);
    stom_errbuf eb = {{0}};
    if (code == NULL)
        return stom_strategy_find(name);
    if (stom_lua_strategy_load(lua, name, code, strlen(code), NULL, &eb) != STOM_OK)
        return NULL;
    return stom_lua_strategy_def(*lua);
}

/* "name=value" of the request's params on top of the defaults; false when one does not apply. */
static bool request_params(const stom_strategy_def *def, const json_t *params, stom_params *p)
{
    const char *name;
    json_t *v;
    stom_params_default(def, p);
    json_object_foreach((json_t *)params, name, v)
    {
        char text[160];
        stom_errbuf eb;
        double x = json_is_boolean(v) ? json_is_true(v) : json_number_value(v);
        snprintf(text, sizeof text, "%.64s=%.17g", name, x);
        if (stom_params_set(def, p, text, &eb) != STOM_OK)
            return false;
    }
    return true;
}

static void print_title(const json_t *run, FILE *out)
{
    const json_t *params = json_object_get(json_object_get(run, "request"), "params");
    stom_lua_strategy *lua = NULL;
    const stom_strategy_def *def = strategy_of(run, &lua);
    stom_params p;
    if (def && request_params(def, params, &p)) {
        report_print_title(out, def, &p);
    } else {
        char *text = json_dumps(params ? params : json_object(), JSON_COMPACT);
        fprintf(out, "stom backtest - %s %s\n", json_str(run, "strategy", "?"), text);
        free(text);
    }
    stom_lua_strategy_destroy(lua);
}

static void print_header(const json_t *run, FILE *out)
{
    const json_t *req = json_object_get(run, "request");
    size_t k;
    const json_t *s;
    print_title(run, out);
    fprintf(out, "  종목 Symbols:");
    json_array_foreach(json_object_get(req, "symbols"), k, s)
        fprintf(out, "%s %s", k ? "," : "", json_string_value(s) ? json_string_value(s) : "?");
    fprintf(out, " - %s bars stored in the gateway\n\n", json_str(req, "timeframe", "?"));
}

bool gateway_backtest_report(const json_t *run, FILE *out)
{
    const json_t *standard = json_object_get(json_object_get(run, "metrics"), "standard");
    const char *id = json_str(run, "id", "?"), *error = json_str(run, "error", NULL);
    if (!json_is_object(standard) && error) {
        cli_error("backtest %s failed: %s", id, error);
        return false;
    }
    if (!json_is_object(standard)) {
        cli_error("backtest %s has no report: it is %s", id, json_str(run, "state", "?"));
        return false;
    }
    print_header(run, out);
    Stom__V1__Metrics *pb =
        (Stom__V1__Metrics *)pb_from_json(&stom__v1__metrics__descriptor, standard);
    stom_metrics m;
    metrics_from_pb(pb, &m);
    stom__v1__metrics__free_unpacked(pb, NULL);
    report_units u = {0, true}; /* the gateway runs KRX symbols: whole won */
    report_print_metrics(&m, &u, out);
    stom_metrics_free(&m);
    int64_t t = 0;
    char time[32], when[40] = "-";
    if (gateway_time_parse(json_str(run, "finished_at", NULL), &t))
        snprintf(when, sizeof when, "%s KST",
                 stom_format_time(t, STOM_KST_OFFSET_MINUTES, false, time, sizeof time));
    fprintf(out, "\n  run %s through the gateway: %s, finished %s\n", id,
            json_str(run, "state", "?"), when);
    return true;
}
