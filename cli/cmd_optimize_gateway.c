/*
 * cmd_optimize_gateway.c - `stom optimize` through the gateway: POST the
 * request built from the flags, follow the run's progress, then GET the
 * ranked results and print them with the same reports (text and --json)
 * as the coordinator path in cmd_optimize.c.
 */
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "pb_from_json.h"
#include "stom/alloc.h"

/* {"from", "to"} (RFC 3339) as a Period's {"from_ns", "to_ns"}; NULL when it is not one. */
static json_t *period_ns(const json_t *p)
{
    int64_t from = 0, to = 0;
    if (!gateway_time_parse(json_str(p, "from", NULL), &from) ||
        !gateway_time_parse(json_str(p, "to", NULL), &to))
        return NULL;
    return json_pack("{s:I, s:I}", "from_ns", (json_int_t)from * 1000000000, "to_ns",
                     (json_int_t)to * 1000000000);
}

/*
 * A best_per_fold entry of the gateway ({unit, fold, train, valid, test,
 * params, ..., valid_metrics}) in the FoldBest shape: the fold's number is
 * fold_index, its periods go into "fold", and "valid" is the validation
 * metrics (the gateway's "valid" is the period).
 */
static json_t *fold_best_json(const json_t *b)
{
    json_t *fold = json_object(), *out = json_object();
    static const char *const periods[] = {"train", "valid", "test"};
    for (size_t k = 0; k < 3; k++) {
        json_t *p = period_ns(json_object_get(b, periods[k]));
        if (p)
            json_object_set_new(fold, periods[k], p);
    }
    json_copy_key(out, b, "unit", "unit");
    json_copy_key(out, b, "fold", "fold_index");
    json_copy_key(out, b, "params", "params");
    json_copy_key(out, b, "objective", "objective");
    json_copy_key(out, b, "test_objective", "test_objective");
    json_copy_key(out, b, "in_sample", "in_sample");
    json_copy_key(out, b, "valid_metrics", "valid");
    json_copy_key(out, b, "out_of_sample", "out_of_sample");
    if (json_object_size(fold) > 0)
        json_object_set(out, "fold", fold);
    json_decref(fold);
    return out;
}

/* The ResultsPage JSON the report code reads, from the gateway's answer. */
static json_t *page_json(const json_t *answer, const char *id)
{
    json_t *page = json_pack("{s:s}", "job_id", id);
    json_t *evaluated = json_object_get(answer, "evaluated");
    json_object_set(page, "total", evaluated ? evaluated : json_object_get(answer, "total"));
    json_t *results = json_array();
    size_t k;
    json_t *r;
    /* A result's fold is its fold_index, as in a best set. */
    json_array_foreach(json_object_get(answer, "results"), k, r)
    {
        json_t *copy = json_copy(r);
        json_copy_key(copy, r, "fold", "fold_index");
        json_object_del(copy, "fold");
        json_array_append_new(results, copy);
    }
    json_object_set_new(page, "results", results);
    json_t *best = json_array();
    json_t *b;
    json_array_foreach(json_object_get(answer, "best_per_fold"), k, b)
        json_array_append_new(best, fold_best_json(b));
    json_object_set_new(page, "best", best);
    return page;
}

int gateway_fetch_results(gateway_client *g, const char *id, uint32_t top,
                          Stom__V1__ResultsPage **out)
{
    char path[512];
    snprintf(path, sizeof path, "/optimizations/%s", id);
    if (top > 0) {
        char limit[16];
        snprintf(limit, sizeof limit, "%u", top);
        gateway_query_add(path, sizeof path, "limit", limit);
    }
    json_t *answer = NULL;
    int rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    if (rc != EXIT_OK)
        return rc;
    json_t *page = page_json(answer, id);
    *out = (Stom__V1__ResultsPage *)pb_from_json(&stom__v1__results_page__descriptor, page);
    json_decref(page);
    json_decref(answer);
    return EXIT_OK;
}

static int report(gateway_client *g, const optimize_options *o, const Stom__V1__JobStatus *st)
{
    Stom__V1__ResultsPage *page = NULL;
    int rc = gateway_fetch_results(g, o->spec->job_id, o->top, &page);
    if (rc != EXIT_OK)
        return rc;
    rc = optimize_show_results(o, st, page);
    stom__v1__results_page__free_unpacked(page, NULL);
    return rc;
}

static int finish(gateway_client *g, const optimize_options *o, progress_line *pl,
                  const Stom__V1__JobStatus *st)
{
    int rc = job_ended(o->spec->job_id, pl, st);
    return rc == EXIT_OK ? report(g, o, st) : rc;
}

static int submitted_only(const optimize_options *o, const json_t *answer)
{
    const char *id = o->spec->job_id;
    const char *state = json_str(answer, "state", "queued");
    if (o->json)
        return print_json(json_pack("{s:s, s:s}", "job", id, "state", state));
    printf("%s\n", id);
    fprintf(stderr, "job %s submitted (%s); follow it with: stom jobs show %s\n", id, state, id);
    return EXIT_OK;
}

/*
 * Settings the gateway's API does not take (docs/gateway-api.md) are
 * refused by flag before anything is sent, with the way that runs them.
 */
static int check_api_settings(const optimize_options *o)
{
    const Stom__V1__JobSpec *s = o->spec;
    const char *flag = s->strategy_code && o->stored.id == 0      ? "--strategy-file"
                       : s->has_fill_on_close && s->fill_on_close ? "--fill"
                       : s->has_size_pct_bp                       ? "--size-pct"
                       : s->has_ga_population                     ? "--population"
                       : s->has_ga_generations                    ? "--generations"
                       : s->has_ga_stom_stop && s->ga_stom_stop   ? "--stom-stop"
                                                                  : NULL;
    if (flag == NULL)
        return EXIT_OK;
    if (!strcmp(flag, "--strategy-file"))
        cli_error("--strategy-file: the gateway runs stored strategies: store the file with "
                  "`stom strategy push FILE.lua` and use --strategy NAME, or add --local");
    else
        cli_error("%s is not a setting of a gateway run (docs/gateway-api.md): add --local to "
                  "send the job to the coordinator directly",
                  flag);
    return EXIT_USAGE;
}

/* POST /optimizations; on success the id is o->spec->job_id and *answer is owned. */
static int submit(gateway_client *g, optimize_options *o, json_t **answer)
{
    json_t *req = gateway_run_request(o->spec, &o->stored, false);
    char *id = NULL;
    int rc = gateway_submit_run(g, "optimizations", req, &id, answer);
    json_decref(req);
    if (rc != EXIT_OK)
        return rc;
    free(o->spec->job_id);
    o->spec->job_id = id;
    return EXIT_OK;
}

int optimize_via_gateway(optimize_options *o)
{
    int rc = check_api_settings(o);
    if (rc != EXIT_OK)
        return rc;
    if (o->dry_run)
        return print_json(gateway_run_request(o->spec, &o->stored, false));
    gateway_client *g = NULL;
    rc = gateway_client_open(&g, o->url, true);
    json_t *answer = NULL;
    /* From here Ctrl-C cancels the run: one that comes during the POST too, once it answers. */
    if (!o->no_wait)
        cli_catch_sigint();
    if (rc == EXIT_OK)
        rc = submit(g, o, &answer);
    if (rc == EXIT_OK && o->no_wait) {
        rc = submitted_only(o, answer);
    } else if (rc == EXIT_OK) {
        progress_line pl;
        Stom__V1__JobStatus *st = NULL;
        progress_init(&pl, o->spec->objective);
        const char *topic = json_str(json_object_get(answer, "links"), "ws_topic", NULL);
        rc = gateway_follow_run(g, "optimizations", o->spec->job_id, topic, &pl, &st);
        if (rc == EXIT_OK)
            rc = finish(g, o, &pl, st);
        if (st)
            stom__v1__job_status__free_unpacked(st, NULL);
    }
    json_decref(answer);
    gateway_client_close(g);
    return rc;
}
