/*
 * cmd_jobs.c - `stom jobs list|show|cancel`: the backtest coordinator's
 * jobs, whoever submitted them (this CLI with --no-wait, another terminal,
 * the web UI), with --local; through the gateway otherwise
 * (cmd_jobs_gateway.c).
 */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "coordinator_client.h"
#include "optimize.h"
#include "stom/pb_json.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX     10000

#include "gateway_cli.h"

static void jobs_usage(FILE *out)
{
    fputs("Usage: stom jobs list [--limit N] [--json]\n"
          "       stom jobs show ID [--top N] [--json]\n"
          "       stom jobs cancel ID\n"
          "\n"
          "Your backtests and optimisations on the platform (through the gateway, after\n"
          "`stom login`), or with --local every job of the backtest coordinator.\n"
          "\n"
          "  list            newest first: id, state, strategy, method, progress, best\n"
          "                  objective, submission time (KST)\n"
          "  show ID         the job's status and settings, then its best results so far\n"
          "                  (the same tables and JSON as stom optimize)\n"
          "  cancel ID       stop a queued or running job; results so far are kept\n"
          "\n"
          "Options:\n"
          "  --limit N            list: at most N jobs (default 50)\n"
          "  --top N              show: results shown (default 20; 0: all)\n"
          "  --json               one JSON object instead of tables\n"
          "  --url URL            the gateway: default $STOM_URL, else the URL of `stom login`,\n"
          "                       else http://127.0.0.1:8080\n"
          "  --local              ask the backtest coordinator directly (every user's jobs)\n"
          "  --coordinator URL    implies --local; default $STOM_COORDINATOR_URL, else\n"
          "                       tcp://127.0.0.1:5560\n"
          "\n"
          "Exit codes: 0 success, 1 no gateway or coordinator answered, 2 usage error or\n"
          "unknown job.\n",
          out);
}

static int parse_number(const char *flag, const char *s, uint64_t max, uint32_t *out)
{
    uint64_t v = 0;
    if (!parse_whole_number(s, max, &v)) {
        cli_error("%s '%s' must be a whole number from 0 to %llu", flag, s,
                  (unsigned long long)max);
        return EXIT_USAGE;
    }
    *out = (uint32_t)v;
    return EXIT_OK;
}

/* The value of flag at argv[*i] (see cli_flag_value), or NULL when argv[*i] is not flag. */
static const char *value_of(int argc, char **argv, int *i, const char *flag, bool *missing)
{
    if (!cli_flag_is(argv[*i], flag))
        return NULL;
    const char *v = cli_flag_value(argc, argv, i, flag, "jobs");
    *missing = v == NULL;
    return v;
}

static int parse_flag(int argc, char **argv, int *i, jobs_options *o)
{
    const char *a = argv[*i], *v = NULL;
    bool missing = false;
    if (!strcmp(a, "--json"))
        o->json = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        o->help = true;
    else if ((v = value_of(argc, argv, i, "--limit", &missing)) != NULL)
        return parse_number("--limit", v, LIST_LIMIT_MAX, &o->limit);
    else if ((v = value_of(argc, argv, i, "--top", &missing)) != NULL)
        return parse_number("--top", v, 1000000, &o->top);
    else if ((v = value_of(argc, argv, i, "--coordinator", &missing)) != NULL)
        o->coordinator = v;
    else if ((v = value_of(argc, argv, i, "--url", &missing)) != NULL)
        o->url = v;
    else if (!strcmp(a, "--local"))
        o->local = true;
    else if (missing || a[0] == '-' || o->id != NULL) {
        if (!missing)
            cli_error("unexpected argument '%s' (see stom jobs --help)", a);
        return EXIT_USAGE;
    } else
        o->id = a;
    return EXIT_OK;
}

static int jobs_parse(int argc, char **argv, jobs_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = LIST_LIMIT_DEFAULT;
    o->top = OPTIMIZE_TOP_DEFAULT;
    int first = 1;
    if (argc > 1 && argv[1][0] != '-')
        o->verb = argv[first++];
    for (int i = first; i < argc; i++)
        if (parse_flag(argc, argv, &i, o) != EXIT_OK)
            return EXIT_USAGE;
    if (o->help)
        return EXIT_OK;
    if (o->verb == NULL ||
        (strcmp(o->verb, "list") && strcmp(o->verb, "show") && strcmp(o->verb, "cancel"))) {
        cli_error("jobs needs list, show ID or cancel ID (see stom jobs --help)");
        return EXIT_USAGE;
    }
    bool list = !strcmp(o->verb, "list");
    if (list && o->id != NULL) {
        cli_error("jobs list takes no job id (did you mean stom jobs show %s?)", o->id);
        return EXIT_USAGE;
    }
    if (!list && o->id == NULL) {
        cli_error("jobs %s needs a job id (see stom jobs list)", o->verb);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- list ------------------------------------------------------------------------ */

static void list_row(text_table *t, const Stom__V1__JobStatus *st)
{
    const Stom__V1__JobSpec *s = st->spec;
    const Stom__V1__Progress *p = st->progress;
    Stom__V1__Objective obj = s ? s->objective : STOM__V1__OBJECTIVE__OBJECTIVE_UNSPECIFIED;
    char progress[64] = "-", best[64] = "-", when[32] = "-", done[32], total[32], value[48];
    if (p != NULL)
        snprintf(progress, sizeof progress, "%s/%s",
                 format_number((double)p->done, 0, done, sizeof done),
                 format_number((double)p->total, 0, total, sizeof total));
    if (p != NULL && p->has_best_objective && isfinite(p->best_objective))
        snprintf(best, sizeof best, "%s %s", objective_pb_name(obj),
                 format_objective(obj, p->best_objective, value, sizeof value));
    if (st->has_submitted_ns)
        format_kst(st->submitted_ns, false, when, sizeof when);
    const char *row[] = {st->job_id ? st->job_id : "?",
                         job_state_label(st->state),
                         s && s->strategy_name ? s->strategy_name : "-",
                         s ? method_pb_name(s->method) : "-",
                         progress,
                         best,
                         when,
                         s && s->title ? s->title : ""};
    text_table_add(t, row);
}

static json_t *list_item(const Stom__V1__JobStatus *st)
{
    const Stom__V1__JobSpec *s = st->spec;
    const Stom__V1__Progress *p = st->progress;
    json_t *o = json_pack("{s:s, s:s}", "job", st->job_id ? st->job_id : "", "state",
                          job_state_name(st->state));
    if (s != NULL) {
        json_object_set_new(o, "strategy", json_string(s->strategy_name ? s->strategy_name : ""));
        json_object_set_new(o, "method", json_string(method_pb_name(s->method)));
        json_object_set_new(o, "objective_name", json_string(objective_pb_name(s->objective)));
        json_object_set_new(o, "title", s->title ? json_string(s->title) : json_null());
    }
    if (p != NULL)
        json_object_set_new(o, "progress", stom_pb_to_json(&p->base));
    if (st->has_submitted_ns)
        json_object_set_new(o, "submitted_ns", json_integer(st->submitted_ns));
    if (st->error != NULL)
        json_object_set_new(o, "error", stom_pb_to_json(&st->error->base));
    return o;
}

static int jobs_list(coordinator_client *c, const jobs_options *o)
{
    Stom__V1__JobListQuery q = STOM__V1__JOB_LIST_QUERY__INIT;
    q.has_limit = true;
    q.limit = o->limit;
    stom_bus_received reply;
    int rc = coordinator_call(c, &q.base, STOM__V1__ENVELOPE__BODY_JOB_LIST, &reply);
    if (rc != EXIT_OK)
        return rc;
    const Stom__V1__JobList *l = reply.msg.env->job_list;
    if (l->error != NULL) {
        cli_error("cannot list jobs: %s", l->error->message ? l->error->message : "no reason");
        rc = EXIT_INTERNAL;
    } else if (o->json) {
        json_t *jobs = json_array();
        for (size_t k = 0; k < l->n_jobs; k++)
            json_array_append_new(jobs, list_item(l->jobs[k]));
        rc = print_json(json_pack("{s:o}", "jobs", jobs));
    } else if (l->n_jobs == 0) {
        puts("no jobs (submit one with stom optimize)");
    } else {
        const char *heads[] = {
            "id",        "상태 state",           "전략 strategy", "방법 method", "진행 progress",
            "최고 best", "제출 submitted (KST)", "title"};
        text_table *t = text_table_new(8, heads, "lllllrll");
        for (size_t k = 0; k < l->n_jobs; k++)
            list_row(t, l->jobs[k]);
        text_table_print(t, stdout, "");
        text_table_free(t);
    }
    stom_bus_received_free(&reply);
    return rc;
}

/* ---- show and cancel ------------------------------------------------------------------ */

/* job_control {id, action}; an unknown job exits 2, another error 1. */
static int control(coordinator_client *c, const char *id, Stom__V1__JobAction action,
                   stom_bus_received *reply)
{
    int rc = coordinator_job_control(c, id, action, reply);
    if (rc != EXIT_OK)
        return rc;
    const Stom__V1__JobStatus *st = reply->msg.env->job_status;
    const Stom__V1__Error *e = st->error;
    /* A job's own failure travels in its status' error next to its state: shown, not fatal. */
    bool known = st->state != STOM__V1__JOB_STATE__JOB_STATE_UNSPECIFIED;
    if (e == NULL || (known && e->code != STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND))
        return EXIT_OK;
    if (e->code == STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND) {
        cli_error("no job '%s' (see stom jobs list)", id);
        rc = EXIT_USAGE;
    } else {
        cli_error("job %s: %s", id, e->message ? e->message : "no reason given");
        rc = EXIT_INTERNAL;
    }
    stom_bus_received_free(reply);
    return rc;
}

static int show_json(const optimize_report *r)
{
    json_t *o = optimize_report_json(r);
    json_t *status = stom_pb_to_json(&r->status->base);
    if (o == NULL || status == NULL) {
        json_decref(o);
        json_decref(status);
        return print_json(NULL);
    }
    json_object_del(status, "spec");
    json_object_set_new(o, "status", status);
    json_object_set_new(o, "spec", r->spec ? stom_pb_to_json(&r->spec->base) : json_null());
    return print_json(o);
}

static int jobs_show(coordinator_client *c, const jobs_options *o)
{
    stom_bus_received status, page;
    int rc = control(c, o->id, STOM__V1__JOB_ACTION__JOB_ACTION_QUERY, &status);
    if (rc != EXIT_OK)
        return rc;
    rc = optimize_fetch_results(c, o->id, o->top, &page);
    if (rc == EXIT_OK) {
        const Stom__V1__JobStatus *st = status.msg.env->job_status;
        optimize_report r = {st->spec, st, page.msg.env->results_page, o->top};
        if (o->json)
            rc = show_json(&r);
        else
            optimize_report_text(&r, stdout);
        stom_bus_received_free(&page);
    }
    stom_bus_received_free(&status);
    return rc;
}

static int jobs_cancel(coordinator_client *c, const jobs_options *o)
{
    stom_bus_received reply;
    int rc = control(c, o->id, STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL, &reply);
    if (rc != EXIT_OK)
        return rc;
    const Stom__V1__JobStatus *st = reply.msg.env->job_status;
    if (o->json)
        rc = print_json(json_pack("{s:s, s:s}", "job", o->id, "state", job_state_name(st->state)));
    else if (st->state == STOM__V1__JOB_STATE__JOB_STATE_DONE ||
             st->state == STOM__V1__JOB_STATE__JOB_STATE_FAILED)
        printf("job %s had already finished (%s)\n", o->id, job_state_label(st->state));
    else
        printf("job %s: cancelled (%s)\n", o->id, job_state_label(st->state));
    stom_bus_received_free(&reply);
    return rc;
}

int cli_jobs(int argc, char **argv)
{
    jobs_options o;
    int rc = jobs_parse(argc, argv, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            jobs_usage(stdout);
        return rc;
    }
    if (!o.local && o.coordinator == NULL)
        return jobs_via_gateway(&o);
    coordinator_client *c = NULL;
    rc = coordinator_open(&c, coordinator_url(o.coordinator));
    if (rc != EXIT_OK)
        return rc;
    if (!strcmp(o.verb, "list"))
        rc = jobs_list(c, &o);
    else if (!strcmp(o.verb, "show"))
        rc = jobs_show(c, &o);
    else
        rc = jobs_cancel(c, &o);
    coordinator_close(c);
    return rc;
}
