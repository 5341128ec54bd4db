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

/* The ResultsPage JSON the report code reads, from the gateway's answer. */
static json_t *page_json(const json_t *answer, const char *id)
{
    json_t *page = json_pack("{s:s}", "job_id", id);
    json_t *evaluated = json_object_get(answer, "evaluated");
    json_object_set(page, "total", evaluated ? evaluated : json_object_get(answer, "total"));
    json_t *results = json_object_get(answer, "results");
    if (results)
        json_object_set(page, "results", results);
    json_t *best = json_object_get(answer, "best_per_fold");
    json_object_set(page, "best", best ? best : json_array());
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
    int rc = optimize_job_ended(o, pl, st);
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

/* POST /optimizations; on success the id is o->spec->job_id and *answer is owned. */
static int submit(gateway_client *g, optimize_options *o, json_t **answer)
{
    json_t *req = gateway_run_request(o->spec, false);
    int rc = gateway_call(g, "POST", "/optimizations", req, answer, NULL);
    json_decref(req);
    if (rc != EXIT_OK)
        return rc;
    json_t *id = json_object_get(*answer, "id");
    char buf[32];
    if (json_is_integer(id))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(id));
    if (!json_is_string(id) && !json_is_integer(id)) {
        cli_error("the gateway accepted the job but sent no id");
        json_decref(*answer);
        return EXIT_INTERNAL;
    }
    free(o->spec->job_id);
    o->spec->job_id = stom_xstrdup(json_is_string(id) ? json_string_value(id) : buf);
    return EXIT_OK;
}

int optimize_via_gateway(optimize_options *o)
{
    if (o->dry_run)
        return print_json(gateway_run_request(o->spec, false));
    gateway_client *g = NULL;
    int rc = gateway_client_open(&g, o->url, true);
    json_t *answer = NULL;
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
