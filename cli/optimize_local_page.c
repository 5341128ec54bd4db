/*
 * optimize_local_page.c - the results page of a local run
 * (optimize_local.h): what the coordinator's results_query answers, built
 * from results kept in memory instead of the results table. The ranking and
 * the best rows come from coord_page.h, which the coordinator uses too.
 *
 * Thread-safety: the CLI's main thread, after the pool's threads are done.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "optimize_local.h"
#include "stom/alloc.h"

typedef struct ranked_task {
    coord_rank_key key;
    size_t index; /* into the job's tasks */
} ranked_task;

static int by_rank(const void *a, const void *b)
{
    return coord_page_rank_cmp(&((const ranked_task *)a)->key, &((const ranked_task *)b)->key);
}

static Stom__V1__TaskResult *unpack(const local_result *r)
{
    return stom__v1__task_result__unpack(NULL, r->len, r->packed);
}

/* The search results, best first. Returns how many (*out owned). */
static size_t ranked(const coord_job *j, const local_result *results, ranked_task **out)
{
    size_t n = 0;
    *out = stom_xcalloc(j->n_tasks ? j->n_tasks : 1, sizeof **out);
    for (size_t i = 0; i < j->n_tasks; i++)
        if (!j->tasks[i].test && results[i].done)
            (*out)[n++] = (ranked_task){results[i].key, i};
    qsort(*out, n, sizeof **out, by_rank);
    return n;
}

static int add_results(local_page *pg, const coord_job *j, const local_result *results,
                       uint32_t top)
{
    ranked_task *order = NULL;
    size_t total = ranked(j, results, &order);
    size_t n = top > 0 && total > top ? top : total;
    pg->results = stom_xcalloc(n ? n : 1, sizeof *pg->results);
    int rc = EXIT_OK;
    for (size_t k = 0; k < n && rc == EXIT_OK; k++) {
        pg->results[k] = unpack(&results[order[k].index]);
        if (pg->results[k] == NULL)
            rc = EXIT_INTERNAL;
        else
            pg->page.n_results = k + 1;
    }
    pg->page.has_total = 1;
    pg->page.total = total;
    pg->page.results = pg->results;
    free(order);
    return rc;
}

/* Appends the results of (unit, candidate, phase) to pg->keep in fold order; *n: how many. */
static void unit_results(local_page *pg, const coord_job *j, const local_result *results,
                         size_t unit, uint64_t candidate, bool test, size_t *n)
{
    size_t first = pg->n_keep;
    for (size_t i = 0; i < j->n_tasks; i++) {
        const coord_task *t = &j->tasks[i];
        if (t->unit != unit || t->candidate != candidate || t->test != test || !results[i].done)
            continue;
        Stom__V1__TaskResult *r = unpack(&results[i]);
        if (r == NULL)
            continue;
        pg->keep = stom_xrealloc(pg->keep, (pg->n_keep + 1) * sizeof *pg->keep);
        pg->keep[pg->n_keep++] = r;
    }
    *n = pg->n_keep - first;
}

/* Tasks of a unit and phase are planned fold by fold: task order is fold order. */
static void add_best(local_page *pg, const coord_job *j, const local_result *results)
{
    for (size_t u = 0; u < j->plan.n_units; u++) {
        if (!j->best[u].decided)
            continue;
        size_t ns = 0, nt = 0;
        uint64_t cand = j->best[u].candidate;
        unit_results(pg, j, results, u, cand, false, &ns);
        size_t s_first = pg->n_keep - ns;
        unit_results(pg, j, results, u, cand, true, &nt);
        /* pg->keep may have moved while growing: index it only now. */
        coord_best_rows_add(&pg->best, (uint32_t)u, pg->keep + s_first, ns, pg->keep + s_first + ns,
                            nt);
    }
    coord_best_rows_finish(&pg->best, &j->plan);
    pg->page.n_best = pg->best.n;
    pg->page.best = pg->best.ptrs;
}

int local_page_build(local_page *pg, const coord_job *j, const local_result *results, uint32_t top,
                     Stom__V1__JobStatus *status)
{
    memset(pg, 0, sizeof *pg);
    stom__v1__results_page__init(&pg->page);
    pg->page.job_id = (char *)j->job.id;
    pg->page.status = status;
    int rc = add_results(pg, j, results, top);
    if (rc == EXIT_OK)
        add_best(pg, j, results);
    else
        cli_error("internal: a kept result does not unpack");
    return rc;
}

void local_page_free(local_page *pg)
{
    for (size_t k = 0; k < pg->page.n_results; k++)
        stom__v1__task_result__free_unpacked(pg->results[k], NULL);
    for (size_t k = 0; k < pg->n_keep; k++)
        stom__v1__task_result__free_unpacked(pg->keep[k], NULL);
    free(pg->results);
    free(pg->keep);
    coord_best_rows_free(&pg->best);
    memset(pg, 0, sizeof *pg);
}
