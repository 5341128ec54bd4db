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

void eng_schedule_fire(engine *e, const stom_schedule_job *job)
{
    json_error_t jerr;
    json_t *a = json_loads(job->args ? job->args : "{}", 0, &jerr);
    stom_errbuf eb = {0};
    int rc = 0;
    const char *instance = json_string_value(json_object_get(a, "instance_id"));
    instance = instance ? instance : "";
    eng_instance *in = eng_instance_find(e, instance);
    switch (job->action) {
    case STOM_SCHEDULE_START_STRATEGY:
        rc = eng_instance_start_json(e, job->owner, job->args, false, &in, &eb);
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
