/*
 * cmd_jobs_gateway.c - `stom jobs list|show|cancel` through the gateway:
 * the caller's own runs, backtests and optimisations together.
 *
 * A run id does not say its kind, so show and cancel ask /optimizations
 * first and /backtests when that has no such run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "pb_from_json.h"

/* GET /<kind>?limit=N: appends its runs (with "kind" set when missing) to all. */
static int fetch_runs(gateway_client *g, const char *kind, uint32_t limit, json_t *all)
{
    char path[128];
    snprintf(path, sizeof path, "/%s?limit=%u", kind, limit);
    json_t *answer = NULL;
    int rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    if (rc != EXIT_OK)
        return rc;
    json_t *runs = json_object_get(answer, "runs");
    size_t k;
    json_t *run;
    json_array_foreach(runs, k, run)
    {
        if (!json_object_get(run, "kind"))
            json_object_set_new(run, "kind",
                                json_string(kind[0] == 'o' ? "optimization" : "backtest"));
        json_array_append(all, run);
    }
    json_decref(answer);
    return EXIT_OK;
}

/* The runs of both kinds, each id once (a gateway may list every kind under /backtests). */
static json_t *unique_runs(const json_t *all)
{
    json_t *seen = json_object(), *out = json_array();
    size_t k;
    json_t *run;
    json_array_foreach(all, k, run)
    {
        char id[64];
        json_t *v = json_object_get(run, "id");
        if (json_is_integer(v))
            snprintf(id, sizeof id, "%lld", (long long)json_integer_value(v));
        else
            snprintf(id, sizeof id, "%s", json_str(run, "id", "?"));
        if (json_object_get(seen, id))
            continue;
        json_object_set_new(seen, id, json_true());
        json_array_append(out, run);
    }
    json_decref(seen);
    return out;
}

static void run_row(text_table *t, const json_t *run)
{
    char id[64], progress[64] = "-", best[48] = "-", done[32], total[32];
    json_t *v = json_object_get(run, "id");
    if (json_is_integer(v))
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(v));
    else
        snprintf(id, sizeof id, "%s", json_str(run, "id", "?"));
    if (json_is_number(json_object_get(run, "total")))
        snprintf(
            progress, sizeof progress, "%s/%s",
            format_number(json_number_value(json_object_get(run, "done")), 0, done, sizeof done),
            format_number(json_number_value(json_object_get(run, "total")), 0, total,
                          sizeof total));
    v = json_object_get(run, "best_objective");
    if (json_is_number(v) && isfinite(json_number_value(v)))
        format_number(json_number_value(v), 2, best, sizeof best);
    const json_t *strategy = json_object_get(run, "strategy");
    const char *name =
        json_is_string(strategy) ? json_string_value(strategy) : json_str(strategy, "name", "-");
    const char *row[] = {
        id,   json_str(run, "kind", "-"),      json_str(run, "state", "-"), name, progress,
        best, json_str(run, "created_at", "-")};
    text_table_add(t, row);
}

static int list_runs(gateway_client *g, const jobs_options *o)
{
    json_t *all = json_array();
    int rc = fetch_runs(g, "optimizations", o->limit, all);
    if (rc == EXIT_OK)
        rc = fetch_runs(g, "backtests", o->limit, all);
    json_t *runs = rc == EXIT_OK ? unique_runs(all) : NULL;
    json_decref(all);
    if (rc != EXIT_OK)
        return rc;
    if (o->json)
        return print_json(json_pack("{s:o}", "jobs", runs));
    if (json_array_size(runs) == 0) {
        puts("no jobs (submit one with stom optimize)");
    } else {
        const char *heads[] = {
            "id",        "종류 kind",   "상태 state", "전략 strategy", "진행 progress",
            "최고 best", "생성 created"};
        text_table *t = text_table_new(7, heads, "lllllrl");
        size_t k;
        json_t *run;
        json_array_foreach(runs, k, run) run_row(t, run);
        text_table_print(t, stdout, "");
        text_table_free(t);
    }
    json_decref(runs);
    return EXIT_OK;
}

/* ---- show ---------------------------------------------------------------------------- */

static int show_optimization(gateway_client *g, const jobs_options *o, const json_t *status)
{
    Stom__V1__JobStatus *st = gateway_status_from_json(status);
    Stom__V1__ResultsPage *page = NULL;
    int rc = gateway_fetch_results(g, o->id, o->top, &page);
    if (rc == EXIT_OK) {
        optimize_report r = {NULL, st, page, o->top};
        if (o->json) {
            json_t *j = optimize_report_json(&r);
            json_object_set(j, "status", (json_t *)status);
            rc = print_json(j);
        } else {
            optimize_report_text(&r, stdout);
        }
        stom__v1__results_page__free_unpacked(page, NULL);
    }
    stom__v1__job_status__free_unpacked(st, NULL);
    return rc;
}

/* A backtest's answer: the JSON as the gateway gives it with --json, else the report. */
static int show_backtest(const jobs_options *o, json_t *run)
{
    if (o->json)
        return print_json(json_incref(run));
    return gateway_backtest_report(run, stdout) ? EXIT_OK : EXIT_INTERNAL;
}

/* GET (or DELETE) /optimizations/<id><suffix>, else /backtests/...; *kind says which answered. */
static int either_kind(gateway_client *g, const char *method, const char *id, const char *suffix,
                       json_t **out, const char **kind)
{
    char path[512];
    long status = 0;
    *kind = "optimizations";
    snprintf(path, sizeof path, "/optimizations/%s%s", id, suffix);
    gateway_client_quiet_404(g, true);
    int rc = gateway_call(g, method, path, NULL, out, &status);
    gateway_client_quiet_404(g, false);
    if (rc == EXIT_OK || status != 404)
        return rc;
    *kind = "backtests";
    snprintf(path, sizeof path, "/backtests/%s%s", id, suffix);
    gateway_client_quiet_404(g, true);
    rc = gateway_call(g, method, path, NULL, out, &status);
    gateway_client_quiet_404(g, false);
    if (status == 404)
        cli_error("no job '%s' (see stom jobs list)", id);
    return rc;
}

static int show_run(gateway_client *g, const jobs_options *o)
{
    json_t *answer = NULL;
    const char *kind = NULL;
    int rc = either_kind(g, "GET", o->id, "/status", &answer, &kind);
    if (rc == EXIT_OK && !strcmp(kind, "optimizations")) {
        rc = show_optimization(g, o, answer);
    } else if (rc == EXIT_OK) {
        json_decref(answer);
        answer = NULL;
        rc = gateway_fetch_backtest(g, o->id, o->json, &answer);
        if (rc == EXIT_OK)
            rc = show_backtest(o, answer);
    }
    json_decref(answer);
    return rc;
}

static int cancel_run(gateway_client *g, const jobs_options *o)
{
    json_t *answer = NULL;
    const char *kind = NULL;
    int rc = either_kind(g, "DELETE", o->id, "", &answer, &kind);
    if (rc != EXIT_OK)
        return rc;
    const char *state = answer ? json_str(answer, "state", "cancelled") : "deleted";
    if (o->json)
        rc = print_json(json_pack("{s:s, s:s}", "job", o->id, "state", state));
    else if (answer)
        printf("job %s: %s\n", o->id, state);
    else
        printf("job %s had already finished; it is now deleted\n", o->id);
    json_decref(answer);
    return rc;
}

int jobs_via_gateway(const jobs_options *o)
{
    gateway_client *g = NULL;
    int rc = gateway_client_open(&g, o->url, true);
    if (rc != EXIT_OK)
        return rc;
    if (!strcmp(o->verb, "list"))
        rc = list_runs(g, o);
    else if (!strcmp(o->verb, "show"))
        rc = show_run(g, o);
    else
        rc = cancel_run(g, o);
    gateway_client_close(g);
    return rc;
}
