/*
 * schedule.c - scheduled jobs the engine carries out when they fire
 * (docs/scheduler.md): start or stop a strategy instance, liquidate, record
 * bars (record.c), re-run a saved backtest (backtest_submit.h). Their args
 * are the job's JSON object; what they do is logged, and a job that cannot
 * be carried out says why in the log, naming the field at fault.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "backtest_submit.h"
#include "engine_internal.h"
#include "stom/schedule.h"

/* stop_strategy and liquidate: the instance args.instance_id names. */
static int stop_instance(engine *e, const stom_schedule_job *job, stom_errbuf *eb)
{
    json_t *a = json_loads(job->args ? job->args : "{}", 0, NULL);
    const char *instance = json_string_value(json_object_get(a, "instance_id"));
    eng_instance *in = eng_instance_find(e, instance ? instance : "");
    int rc = 0;
    if (!in)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "args.instance_id: no running instance '%s'",
                         instance ? instance : "");
    else
        eng_instance_stop(e, in,
                          job->action == STOM_SCHEDULE_LIQUIDATE ||
                              json_is_true(json_object_get(a, "liquidate")),
                          "stopped by a scheduled job");
    json_decref(a);
    return rc;
}

/* run_backtest: checked here, submitted by the submitter's thread (it logs the outcome). */
static int run_backtest(engine *e, const stom_schedule_job *job, stom_errbuf *eb)
{
    stom_backtest_args b;
    int rc = stom_backtest_args_parse(job->args, job->args ? strlen(job->args) : 0, &b, eb);
    if (!rc)
        eng_backtests_submit(e->backtests, job->id, job->name, job->owner, b.run);
    return rc;
}

void eng_schedule_fire(engine *e, const stom_schedule_job *job)
{
    stom_errbuf eb = {0};
    eng_instance *in = NULL;
    int rc = 0;
    switch (job->action) {
    case STOM_SCHEDULE_START_STRATEGY:
        rc = eng_instance_start_json(e, job->owner, job->args, false, &in, &eb);
        break;
    case STOM_SCHEDULE_STOP_STRATEGY:
    case STOM_SCHEDULE_LIQUIDATE:
        rc = stop_instance(e, job, &eb);
        break;
    case STOM_SCHEDULE_RECORD_BARS:
        rc = eng_recording_start(e, job, &eb);
        break;
    case STOM_SCHEDULE_RUN_BACKTEST:
        rc = run_backtest(e, job, &eb);
        break;
    default:
        rc = stom_errorf(&eb, STOM_EINVAL, "the engine does not know action %d", (int)job->action);
    }
    if (rc)
        eng_log("scheduled job %lld (%s, %s) failed: %s", (long long)job->id, job->name,
                stom_schedule_action_name(job->action), eb.msg);
    else
        eng_log("scheduled job %lld (%s) fired: %s", (long long)job->id, job->name,
                stom_schedule_action_name(job->action));
}
