/*
 * coord_job.c - planning a job into batches of tasks and deciding each
 * search unit's best set (coord_job.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coord_job.h"
#include "stom/alloc.h"

#define GRID_BATCH     4096
#define RANDOM_DEFAULT 100
#define NS_PER_S       1000000000LL

const char *coord_method_name(coord_method m)
{
    static const char *names[] = {"single", "grid", "random", "genetic"};
    return names[m];
}

static int set_method(coord_job *j, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    switch (spec->method) {
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_UNSPECIFIED:
        j->method = spec->n_search ? METHOD_GRID : METHOD_SINGLE;
        return 0;
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE:
        j->method = METHOD_SINGLE;
        return 0;
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID:
        j->method = METHOD_GRID;
        return 0;
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM:
        j->method = METHOD_RANDOM;
        return 0;
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC:
        j->method = METHOD_GENETIC;
        return 0;
    default:
        return stom_errorf(eb, STOM_EINVAL,
                           "optimisation method %d is not offered (grid, random, genetic)",
                           (int)spec->method);
    }
}

static int set_space(coord_job *j, const Stom__V1__JobSpec *spec, stom_errbuf *eb)
{
    if (j->method == METHOD_SINGLE)
        return 0;
    stom_opt_range ranges[STOM_MAX_PARAMS];
    if (spec->n_search > STOM_MAX_PARAMS)
        return stom_errorf(eb, STOM_ETOOBIG, "at most %d parameters to search", STOM_MAX_PARAMS);
    for (size_t i = 0; i < spec->n_search; i++) {
        const Stom__V1__ParamRange *r = spec->search[i];
        if (!r->n_values && !(r->has_min_value && r->has_max_value))
            return stom_errorf(eb, STOM_EINVAL, "search range '%s' needs min and max (or values)",
                               r->name ? r->name : "");
        memset(&ranges[i], 0, sizeof ranges[i]);
        strncpy(ranges[i].name, r->name ? r->name : "", sizeof ranges[i].name - 1);
        ranges[i].min = r->min_value;
        ranges[i].max = r->max_value;
        ranges[i].step = r->has_step ? r->step : 1;
        ranges[i].values = r->values;
        ranges[i].n_values = r->n_values;
    }
    int rc = stom_opt_space_init(&j->space, j->job.def, &j->job.base, ranges, spec->n_search, eb);
    if (rc)
        return rc;
    if (j->method == METHOD_GRID && stom_opt_space_size(&j->space) > STOM_OPT_GRID_MAX)
        return stom_errorf(eb, STOM_ETOOBIG,
                           "the grid has %llu sets, more than %d: narrow the ranges or use "
                           "--method random|genetic",
                           (unsigned long long)stom_opt_space_size(&j->space), STOM_OPT_GRID_MAX);
    return 0;
}

int coord_spec_plan(const Stom__V1__JobSpec *spec, stom_plan *plan, stom_errbuf *eb)
{
    stom_split_spec ss;
    if (bt_validation_from_pb(spec->validation, &ss, eb))
        return STOM_EINVAL;
    if (!spec->period)
        return stom_errorf(eb, STOM_EINVAL, "job has no period (from and to)");
    return stom_plan_make(plan, &ss, spec->period->from_ns / NS_PER_S,
                          spec->period->to_ns / NS_PER_S, eb);
}

static uint64_t unit_candidates(const coord_job *j)
{
    const Stom__V1__JobSpec *s = j->job.spec;
    uint64_t size = j->method == METHOD_SINGLE ? 1 : stom_opt_space_size(&j->space);
    uint64_t want = s->max_evaluations ? s->max_evaluations : RANDOM_DEFAULT;
    switch (j->method) {
    case METHOD_SINGLE:
        return 1;
    case METHOD_GRID:
        return size;
    case METHOD_RANDOM:
        return want < size ? want : size;
    default: {
        uint64_t pop = s->ga_population ? s->ga_population : 10 * j->space.n_dims;
        uint64_t gens = s->ga_generations ? s->ga_generations : 50;
        uint64_t est = (pop < 10 ? 10 : pop) * gens;
        est = s->max_evaluations && s->max_evaluations < est ? s->max_evaluations : est;
        return est < size ? est : size;
    }
    }
}

static void estimate(coord_job *j)
{
    uint64_t total = 0, per_unit = unit_candidates(j);
    for (size_t u = 0; u < j->plan.n_units; u++) {
        const stom_search_unit *su = &j->plan.units[u];
        total += per_unit * su->n_folds;
        for (size_t f = 0; f < su->n_folds; f++) {
            const stom_fold *fd = &j->plan.folds[su->first_fold + f];
            total += fd->test_to > fd->test_from;
        }
    }
    j->total_estimate = total;
}

int coord_job_create(coord_job **out, const Stom__V1__JobSpec *spec, const char *id,
                     stom_errbuf *eb)
{
    coord_job *j = stom_xcalloc(1, sizeof *j);
    int rc = bt_job_open(&j->job, spec, eb);
    if (!rc) {
        snprintf(j->job.id, sizeof j->job.id, "%s", id);
        rc = set_method(j, spec, eb);
    }
    if (!rc)
        rc = set_space(j, spec, eb);
    if (!rc)
        rc = coord_spec_plan(spec, &j->plan, eb);
    if (rc) {
        coord_job_destroy(j);
        return rc;
    }
    j->best = stom_xcalloc(j->plan.n_units, sizeof *j->best);
    j->state = STOM__V1__JOB_STATE__JOB_STATE_QUEUED;
    j->best_score = -INFINITY;
    estimate(j);
    *out = j;
    return 0;
}

void coord_job_destroy(coord_job *j)
{
    if (!j)
        return;
    stom_ga_destroy(j->ga);
    stom_opt_space_free(&j->space);
    stom_plan_free(&j->plan);
    free(j->samples);
    free(j->tasks);
    free(j->best);
    bt_job_close(&j->job);
    free(j);
}

static coord_task *push_task(coord_job *j)
{
    if (j->n_tasks == j->cap_tasks) {
        j->cap_tasks = j->cap_tasks ? 2 * j->cap_tasks : 256;
        j->tasks = stom_xrealloc(j->tasks, j->cap_tasks * sizeof *j->tasks);
    }
    coord_task *t = &j->tasks[j->n_tasks];
    memset(t, 0, sizeof *t);
    t->id = ++j->n_tasks;
    t->unit = (uint32_t)j->unit;
    return t;
}

/* One candidate: a task per fold of the unit. */
static void add_candidate(coord_job *j, const stom_params *p)
{
    const stom_search_unit *su = &j->plan.units[j->unit];
    for (size_t f = 0; f < su->n_folds; f++) {
        coord_task *t = push_task(j);
        t->fold = (uint32_t)(su->first_fold + f);
        t->candidate = j->next_candidate;
        t->params = *p;
    }
    j->next_candidate++;
}

static size_t plan_grid_chunk(coord_job *j, uint64_t size)
{
    size_t n = 0;
    stom_params p;
    while (j->next_candidate < size && n < GRID_BATCH) {
        uint64_t k = j->next_candidate;
        if (j->method == METHOD_GRID)
            stom_opt_space_point(&j->space, k, &p);
        else
            p = j->samples[k];
        add_candidate(j, &p);
        n++;
    }
    return n;
}

static size_t plan_genetic(coord_job *j)
{
    const Stom__V1__JobSpec *s = j->job.spec;
    if (!j->ga) {
        stom_ga_options o;
        stom_ga_options_default(&o);
        o.population = s->ga_population;
        o.max_generations = s->ga_generations;
        o.stom_stop_rule = s->ga_stom_stop;
        o.max_evaluations = s->max_evaluations;
        if (stom_ga_create(&j->ga, &j->space, s->seed, &o, NULL))
            return 0;
    }
    stom_params buf[GRID_BATCH];
    size_t n = stom_ga_next(j->ga, buf, GRID_BATCH);
    for (size_t i = 0; i < n; i++)
        add_candidate(j, &buf[i]);
    return n;
}

/* Plans the unit's next search batch; returns its candidates (0: search over). */
static size_t plan_search(coord_job *j)
{
    switch (j->method) {
    case METHOD_SINGLE:
        if (j->next_candidate)
            return 0;
        add_candidate(j, &j->job.base);
        return 1;
    case METHOD_GRID:
        return plan_grid_chunk(j, stom_opt_space_size(&j->space));
    case METHOD_RANDOM:
        if (!j->samples) {
            uint64_t want =
                j->job.spec->max_evaluations ? j->job.spec->max_evaluations : RANDOM_DEFAULT;
            j->samples = stom_xcalloc(want, sizeof *j->samples);
            j->n_samples = stom_opt_random_unique(&j->space, j->job.spec->seed, want, j->samples);
        }
        return plan_grid_chunk(j, j->n_samples);
    default:
        return plan_genetic(j);
    }
}

/* Scores the finished batch's candidates (consecutive groups of n_folds tasks). */
static void finish_search_batch(coord_job *j)
{
    size_t folds = j->plan.units[j->unit].n_folds;
    coord_unit_best *b = &j->best[j->unit];
    for (size_t i = j->batch_first, k = 0; i + folds <= j->n_tasks; i += folds, k++) {
        double sum = 0;
        for (size_t f = 0; f < folds; f++) {
            const coord_task *t = &j->tasks[i + f];
            sum += t->failed || isnan(t->score) ? -INFINITY : t->score;
        }
        double score = sum / (double)folds;
        if (j->ga)
            stom_ga_score(j->ga, k, score);
        if (!b->decided && (j->tasks[i].candidate == 0 || score > b->score)) {
            b->candidate = j->tasks[i].candidate;
            b->score = score;
            b->params = j->tasks[i].params;
        }
        if (score > j->best_score || !j->have_best) {
            j->best_score = score;
            j->best_params = j->tasks[i].params;
            j->have_best = true;
        }
    }
}

static size_t plan_test(coord_job *j)
{
    const stom_search_unit *su = &j->plan.units[j->unit];
    size_t n = 0;
    for (size_t f = 0; f < su->n_folds; f++) {
        const stom_fold *fd = &j->plan.folds[su->first_fold + f];
        if (fd->test_to <= fd->test_from)
            continue;
        coord_task *t = push_task(j);
        t->fold = (uint32_t)(su->first_fold + f);
        t->test = true;
        t->candidate = j->best[j->unit].candidate;
        t->params = j->best[j->unit].params;
        n++;
    }
    return n;
}

static void next_unit(coord_job *j)
{
    j->unit++;
    j->testing = false;
    j->next_candidate = 0;
    stom_ga_destroy(j->ga);
    j->ga = NULL;
    free(j->samples);
    j->samples = NULL;
    j->n_samples = 0;
}

size_t coord_job_advance(coord_job *j)
{
    if (j->batch_done < j->n_tasks - j->batch_first)
        return 0;
    if (j->n_tasks > j->batch_first) {
        if (j->testing)
            next_unit(j);
        else
            finish_search_batch(j);
    }
    while (j->unit < j->plan.n_units) {
        j->batch_first = j->n_tasks;
        j->batch_done = 0;
        if (!j->testing && !j->best[j->unit].decided) {
            if (plan_search(j))
                return j->n_tasks - j->batch_first;
            j->best[j->unit].decided = true;
        }
        j->testing = true;
        if (plan_test(j))
            return j->n_tasks - j->batch_first;
        next_unit(j);
    }
    return 0;
}

bool coord_job_complete(const coord_job *j)
{
    return j->unit >= j->plan.n_units;
}

coord_task *coord_job_task(coord_job *j, uint64_t id)
{
    return id >= 1 && id <= j->n_tasks ? &j->tasks[id - 1] : NULL;
}

bool coord_job_record(coord_job *j, uint64_t id, double score, bool failed)
{
    coord_task *t = coord_job_task(j, id);
    if (!t || t->state == TASK_DONE)
        return false;
    t->state = TASK_DONE;
    t->score = score;
    t->failed = failed;
    j->done++;
    j->failed += failed;
    /* With one fold a task's score is its candidate's: progress shows it at once. */
    bool single = !t->test && j->plan.units[t->unit].n_folds == 1;
    if (single && !failed && (!j->have_best || score > j->best_score)) {
        j->best_score = score;
        j->best_params = t->params;
        j->have_best = true;
    }
    if (id - 1 >= j->batch_first)
        j->batch_done++;
    return true;
}

coord_task *coord_job_next_pending(coord_job *j)
{
    for (size_t i = j->batch_first; i < j->n_tasks; i++)
        if (j->tasks[i].state == TASK_PENDING)
            return &j->tasks[i];
    return NULL;
}
