/*
 * schedule_json.c - a job from and to JSON (the API's and the CLI's form).
 *
 * Validation names the field in every message ("when: 25:00 is not a time
 * of day", "days: sat is not a KRX trading weekday") so that the API can
 * return it as is. Sizes are bounded before use: the text, the name and
 * the args (STOM_SCHEDULE_ARGS_MAX as compact JSON). Actions that act on a
 * strategy need args.strategy; record_bars and run_backtest args are checked
 * whole (stom/schedule_args.h); the engine reads the rest of args when it
 * executes the job.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stom/alloc.h"
#include "stom/schedule.h"
#include "stom/schedule_args.h"

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri"};

static int read_name(json_t *v, stom_schedule_job *job, stom_errbuf *eb)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return stom_errorf(eb, STOM_EINVAL, "name: must be a non-empty string");
    if (json_string_length(v) > STOM_SCHEDULE_NAME_MAX)
        return stom_errorf(eb, STOM_EINVAL, "name: longer than %d bytes", STOM_SCHEDULE_NAME_MAX);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return stom_errorf(eb, STOM_EINVAL, "name: contains a NUL byte");
    memcpy(job->name, json_string_value(v), json_string_length(v) + 1);
    return STOM_OK;
}

static int read_when(json_t *v, stom_schedule_job *job, stom_errbuf *eb)
{
    if (!json_is_string(v))
        return stom_errorf(eb, STOM_EINVAL,
                           "when: must be a string such as \"09:05\" or \"close-10\"");
    return stom_schedule_when_parse(json_string_value(v), json_string_length(v), &job->when, eb);
}

static int read_days(json_t *v, stom_schedule_job *job, stom_errbuf *eb)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return stom_errorf(eb, STOM_EINVAL, "days: must be a non-empty array such as [\"mon\"]");
    job->days = 0;
    size_t i;
    json_t *d;
    json_array_foreach(v, i, d)
    {
        const char *s = json_string_value(d);
        size_t k = 0;
        while (s && k < 5 && strcmp(s, weekdays[k]) != 0)
            k++;
        if (!s || k == 5)
            return stom_errorf(eb, STOM_EINVAL,
                               "days: %.16s is not a KRX trading weekday (mon..fri)",
                               s ? s : "a non-string");
        job->days |= 1u << k;
    }
    return STOM_OK;
}

/* The keys each action requires in args, as non-empty strings. */
static const char *required_arg(stom_schedule_action a)
{
    if (a == STOM_SCHEDULE_START_STRATEGY || a == STOM_SCHEDULE_STOP_STRATEGY)
        return "strategy";
    return a == STOM_SCHEDULE_RUN_BACKTEST ? "run" : NULL;
}

/* record_bars and run_backtest args are checked whole here, as the engine reads them. */
static int check_args(stom_schedule_action a, json_t *args, stom_errbuf *eb)
{
    if (a != STOM_SCHEDULE_RECORD_BARS && a != STOM_SCHEDULE_RUN_BACKTEST)
        return STOM_OK;
    char *text = args ? json_dumps(args, JSON_COMPACT) : NULL;
    size_t n = text ? strlen(text) : 0;
    int rc;
    if (a == STOM_SCHEDULE_RECORD_BARS) {
        stom_record_args r;
        rc = stom_record_args_parse(text, n, &r, eb);
    } else {
        stom_backtest_args b;
        rc = stom_backtest_args_parse(text, n, &b, eb);
    }
    free(text);
    return rc;
}

static int read_action(json_t *action, json_t *args, stom_schedule_job *job, stom_errbuf *eb)
{
    const char *s = json_string_value(action);
    if (!s || stom_schedule_action_parse(s, json_string_length(action), &job->action) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL,
                           "action: must be start_strategy, stop_strategy, liquidate, record_bars "
                           "or run_backtest");
    if (args && !json_is_object(args))
        return stom_errorf(eb, STOM_EINVAL, "args: must be an object");
    const char *need = required_arg(job->action);
    json_t *arg = need && args ? json_object_get(args, need) : NULL;
    if (need && (!json_is_string(arg) || json_string_length(arg) == 0))
        return stom_errorf(eb, STOM_EINVAL, "args.%s: %s needs a non-empty string", need, s);
    return check_args(job->action, args, eb);
}

static int check_keys(json_t *root, stom_errbuf *eb)
{
    static const char *const known[] = {"name", "when", "days", "action", "args", "enabled"};
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        size_t k = 0;
        while (k < 6 && strcmp(key, known[k]) != 0)
            k++;
        if (k == 6)
            return stom_errorf(eb, STOM_EINVAL, "%.32s: is not a field of a job", key);
    }
    return STOM_OK;
}

static int read_fields(json_t *root, stom_schedule_job *job, stom_errbuf *eb)
{
    int rc = check_keys(root, eb);
    if (rc == STOM_OK)
        rc = read_name(json_object_get(root, "name"), job, eb);
    if (rc == STOM_OK)
        rc = read_when(json_object_get(root, "when"), job, eb);
    json_t *days = json_object_get(root, "days");
    if (rc == STOM_OK && days)
        rc = read_days(days, job, eb);
    if (rc == STOM_OK)
        rc = read_action(json_object_get(root, "action"), json_object_get(root, "args"), job, eb);
    json_t *enabled = json_object_get(root, "enabled");
    if (rc == STOM_OK && enabled && !json_is_boolean(enabled))
        rc = stom_errorf(eb, STOM_EINVAL, "enabled: must be true or false");
    job->enabled = enabled ? json_is_true(enabled) : true;
    return rc;
}

int stom_schedule_job_from_json(const char *text, size_t n, stom_schedule_job *out, stom_errbuf *eb)
{
    if (n > 2 * STOM_SCHEDULE_ARGS_MAX)
        return stom_errorf(eb, STOM_ETOOBIG, "job: longer than %d bytes",
                           2 * STOM_SCHEDULE_ARGS_MAX);
    json_error_t err;
    json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return stom_errorf(eb, STOM_EFORMAT, "job: %s", err.text);
    stom_schedule_job job = {.days = STOM_SCHEDULE_EVERY_DAY};
    int rc = json_is_object(root) ? read_fields(root, &job, eb)
                                  : stom_errorf(eb, STOM_EINVAL, "job: must be a JSON object");
    json_t *args = json_object_get(root, "args");
    char *compact = NULL;
    if (rc == STOM_OK) {
        compact = args ? json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
        if (!compact || strlen(compact) > STOM_SCHEDULE_ARGS_MAX)
            rc =
                stom_errorf(eb, STOM_ETOOBIG, "args: longer than %d bytes", STOM_SCHEDULE_ARGS_MAX);
    }
    json_decref(root);
    if (rc != STOM_OK) {
        free(compact);
        return rc;
    }
    job.args = compact;
    *out = job;
    return STOM_OK;
}

static json_t *days_to_json(unsigned days)
{
    json_t *a = json_array();
    for (int k = 0; k < 5; k++)
        if (days & (1u << k))
            json_array_append_new(a, json_string(weekdays[k]));
    return a;
}

/* An instant as an integer of UTC ns, or null for 0 (never / none). */
static json_t *instant(int64_t ns)
{
    return ns ? json_integer(ns) : json_null();
}

char *stom_schedule_job_to_json(const stom_schedule_job *job)
{
    char when[STOM_SCHEDULE_WHEN_TEXT];
    json_t *args = json_loads(job->args ? job->args : "{}", 0, NULL);
    json_t *o =
        json_pack("{sI sI ss ss so ss so sb so so}", "id", (json_int_t)job->id, "owner",
                  (json_int_t)job->owner, "name", job->name, "when",
                  stom_schedule_when_format(job->when, when, sizeof when), "days",
                  days_to_json(job->days), "action", stom_schedule_action_name(job->action), "args",
                  args ? args : json_object(), "enabled", job->enabled, "last_fired_ns",
                  instant(job->last_fired_ns), "next_fire_ns", instant(job->next_fire_ns));
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

void stom_schedule_job_clear(stom_schedule_job *job)
{
    if (!job)
        return;
    free(job->args);
    job->args = NULL;
}

void stom_schedule_jobs_free(stom_schedule_jobs *list)
{
    if (!list)
        return;
    for (size_t k = 0; k < list->n; k++)
        stom_schedule_job_clear(&list->v[k]);
    free(list->v);
    list->v = NULL;
    list->n = 0;
}
