/*
 * coord_page.c - results pages without the database (coord_page.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coord_page.h"
#include "stom/alloc.h"

#define NS_PER_S 1000000000LL

void coord_page_stored_result(const Stom__V1__TaskResult *in, Stom__V1__TaskResult *out)
{
    *out = *in;
    out->worker_id = NULL;
    out->job_id = NULL;
    out->has_elapsed_ms = 0;
    out->has_lease_token = 0;
    out->n_trades = 0;
    out->trades = NULL;
    out->equity = NULL;
}

coord_rank_key coord_page_rank_key(const Stom__V1__TaskResult *r)
{
    coord_rank_key k = {r->task_id, r->has_objective && !isnan(r->objective), 0};
    if (k.has_objective)
        k.objective = r->objective;
    return k;
}

int coord_page_rank_cmp(const coord_rank_key *a, const coord_rank_key *b)
{
    if (a->has_objective != b->has_objective)
        return a->has_objective ? -1 : 1;
    if (a->has_objective && a->objective != b->objective)
        return a->objective > b->objective ? -1 : 1;
    return a->task_id < b->task_id ? -1 : a->task_id > b->task_id;
}

static Stom__V1__FoldBest *push_row(coord_best_rows *b)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 8;
        b->rows = stom_xrealloc(b->rows, b->cap * sizeof *b->rows);
    }
    Stom__V1__FoldBest *fb = &b->rows[b->n++];
    stom__v1__fold_best__init(fb);
    return fb;
}

void coord_best_rows_add(coord_best_rows *b, uint32_t unit, Stom__V1__TaskResult *const *search,
                         size_t n_search, Stom__V1__TaskResult *const *test, size_t n_test)
{
    for (size_t i = 0; i < n_search; i++) {
        const Stom__V1__TaskResult *s = search[i];
        Stom__V1__FoldBest *fb = push_row(b);
        fb->has_unit = fb->has_fold_index = fb->has_objective = 1;
        fb->unit = unit;
        fb->fold_index = s->fold_index;
        fb->objective = s->objective;
        fb->n_params = s->n_params;
        fb->params = s->params;
        fb->in_sample = s->metrics;
        fb->valid = s->valid_metrics;
        for (size_t k = 0; k < n_test; k++)
            if (test[k]->fold_index == s->fold_index) {
                fb->out_of_sample = test[k]->test_metrics;
                fb->has_test_objective = 1;
                fb->test_objective = test[k]->test_objective;
            }
    }
}

/* The row's fold and its periods, from the job's plan. */
static void set_fold(Stom__V1__FoldBest *fb, const stom_plan *plan, Stom__V1__Fold *fold,
                     Stom__V1__Period periods[3])
{
    if (fb->fold_index >= plan->n_folds)
        return;
    const stom_fold *f = &plan->folds[fb->fold_index];
    int64_t from[] = {f->train_from, f->valid_from, f->test_from};
    int64_t to[] = {f->train_to, f->valid_to, f->test_to};
    Stom__V1__Period **slot[] = {&fold->train, &fold->valid, &fold->test};
    stom__v1__fold__init(fold);
    fold->has_index = fold->has_count = 1;
    fold->index = fb->fold_index;
    fold->count = (uint32_t)plan->n_folds;
    for (int k = 0; k < 3; k++) {
        if (to[k] <= from[k])
            continue;
        stom__v1__period__init(&periods[k]);
        periods[k].has_from_ns = periods[k].has_to_ns = 1;
        periods[k].from_ns = from[k] * NS_PER_S;
        periods[k].to_ns = to[k] * NS_PER_S;
        *slot[k] = &periods[k];
    }
    fb->fold = fold;
}

void coord_best_rows_finish(coord_best_rows *b, const stom_plan *plan)
{
    size_t n = b->n ? b->n : 1;
    b->ptrs = stom_xcalloc(n, sizeof *b->ptrs);
    b->folds = stom_xcalloc(n, sizeof *b->folds);
    b->periods = stom_xcalloc(n, sizeof *b->periods);
    for (size_t i = 0; i < b->n; i++) {
        b->ptrs[i] = &b->rows[i];
        if (plan)
            set_fold(&b->rows[i], plan, &b->folds[i], b->periods[i]);
    }
}

void coord_best_rows_free(coord_best_rows *b)
{
    free(b->rows);
    free(b->ptrs);
    free(b->folds);
    free(b->periods);
    memset(b, 0, sizeof *b);
}
