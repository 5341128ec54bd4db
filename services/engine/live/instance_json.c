/*
 * instance_json.c - a strategy instance started from a JSON object, the
 * form scheduled jobs (schedules.args) and stored instances
 * (engine_strategies rows) take:
 * {"instance_id", "strategy" (a built-in or "id:N"), "strategy_version",
 *  "params": {name: number}, "symbols": [code], "timeframe": "1m",
 *  "account", "order_qty", "order_amount"}.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"

static const char *text(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int start_from(engine *e, int64_t owner_id, json_t *a, bool restoring, eng_instance **out,
                      stom_errbuf *eb)
{
    Stom__V1__StrategyControl sc = STOM__V1__STRATEGY_CONTROL__INIT;
    char owner[24];
    snprintf(owner, sizeof owner, "%lld", (long long)owner_id);
    sc.instance_id = (char *)text(a, "instance_id");
    sc.strategy_name = (char *)text(a, "strategy");
    sc.account = (char *)text(a, "account");
    sc.requested_by = owner;
    static const char *const tfs[] = {"",    "tick", "1s",  "1m", "3m", "5m",
                                      "10m", "15m",  "30m", "1h", "1d"};
    const char *tf = json_object_get(a, "timeframe") ? text(a, "timeframe") : "1m";
    for (int i = 1; i < (int)(sizeof tfs / sizeof tfs[0]); i++)
        if (!strcmp(tfs[i], tf)) {
            sc.has_timeframe = 1;
            sc.timeframe = (Stom__V1__Timeframe)i;
        }
    json_t *syms = json_object_get(a, "symbols");
    char *list[ENG_MAX_SLOTS];
    size_t i;
    json_t *v;
    json_array_foreach(syms, i, v) if (sc.n_symbols < ENG_MAX_SLOTS && json_is_string(v))
        list[sc.n_symbols++] = (char *)json_string_value(v);
    sc.symbols = list;
    Stom__V1__Param ps[32], *pp[32];
    const char *key;
    json_object_foreach(json_object_get(a, "params"), key, v)
    {
        if (sc.n_params == 32 || !json_is_number(v))
            continue;
        stom__v1__param__init(&ps[sc.n_params]);
        ps[sc.n_params].name = (char *)key;
        ps[sc.n_params].value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
        ps[sc.n_params].real_value = json_number_value(v);
        pp[sc.n_params] = &ps[sc.n_params];
        sc.n_params++;
    }
    sc.params = pp;
    sc.order_qty = json_integer_value(json_object_get(a, "order_qty"));
    sc.order_amount = json_integer_value(json_object_get(a, "order_amount"));
    sc.has_order_qty = sc.order_qty != 0;
    sc.has_order_amount = sc.order_amount != 0;
    return eng_instance_start(e, &sc, restoring, out, eb);
}

int eng_instance_start_json(engine *e, int64_t owner, const char *json, bool restoring,
                            eng_instance **out, stom_errbuf *eb)
{
    json_error_t jerr;
    json_t *a = json_loads(json ? json : "{}", 0, &jerr);
    int rc = json_is_object(a)
                 ? start_from(e, owner, a, restoring, out, eb)
                 : stom_errorf(eb, STOM_EFORMAT, "the instance's arguments: %s", jerr.text);
    json_decref(a);
    return rc;
}
