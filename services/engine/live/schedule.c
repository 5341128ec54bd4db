/*
 * schedule.c - scheduled jobs the engine carries out when they fire
 * (docs/scheduler.md): start or stop a strategy instance, liquidate.
 * Their args are the job's JSON object; what they do is logged, and a job
 * that cannot be carried out says why in the log.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/schedule.h"

static const char *text(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int start_from_args(engine *e, const stom_schedule_job *job, json_t *a, stom_errbuf *eb)
{
    Stom__V1__StrategyControl sc = STOM__V1__STRATEGY_CONTROL__INIT;
    char owner[24];
    snprintf(owner, sizeof owner, "%lld", (long long)job->owner);
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
    if (json_is_integer(json_object_get(a, "order_qty"))) {
        sc.has_order_qty = 1;
        sc.order_qty = json_integer_value(json_object_get(a, "order_qty"));
    }
    if (json_is_integer(json_object_get(a, "order_amount"))) {
        sc.has_order_amount = 1;
        sc.order_amount = json_integer_value(json_object_get(a, "order_amount"));
    }
    eng_instance *in = NULL;
    return eng_instance_start(e, &sc, false, &in, eb);
}

void eng_schedule_fire(engine *e, const stom_schedule_job *job)
{
    json_error_t jerr;
    json_t *a = json_loads(job->args ? job->args : "{}", 0, &jerr);
    stom_errbuf eb = {0};
    int rc = 0;
    const char *instance = text(a, "instance_id");
    eng_instance *in = eng_instance_find(e, instance);
    switch (job->action) {
    case STOM_SCHEDULE_START_STRATEGY:
        rc = start_from_args(e, job, a, &eb);
        break;
    case STOM_SCHEDULE_STOP_STRATEGY:
    case STOM_SCHEDULE_LIQUIDATE:
        if (!in) {
            rc = stom_errorf(&eb, STOM_ENOTFOUND, "no running instance '%s'", instance);
            break;
        }
        eng_instance_stop(e, in,
                          job->action == STOM_SCHEDULE_LIQUIDATE ||
                              json_is_true(json_object_get(a, "liquidate")),
                          "stopped by a scheduled job");
        break;
    default:
        rc = stom_errorf(&eb, STOM_EINVAL, "the engine does not carry out %s jobs",
                         stom_schedule_action_name(job->action));
    }
    json_decref(a);
    if (rc)
        eng_log("scheduled job %lld (%s, %s) failed: %s", (long long)job->id, job->name,
                stom_schedule_action_name(job->action), eb.msg);
    else
        eng_log("scheduled job %lld (%s) fired: %s", (long long)job->id, job->name,
                stom_schedule_action_name(job->action));
}
