/*
 * coord_page.h - the pure part of answering results_query: which results a
 * page holds and in what order, and the best-per-fold rows (with each
 * fold's periods). The coordinator reads the results from PostgreSQL and
 * `stom optimize --local` keeps them in memory; both build the page with
 * these functions, so the CLI prints either page the same way.
 *
 * The order is the results table's ORDER BY objective DESC NULLS LAST,
 * task_id (coord_db_query.c): +inf, finite values high to low, -inf, then
 * results without an objective (absent or NaN, stored as NULL); equal
 * objectives by task id. coord_page_rank_cmp is that order in C, and the
 * two must change together.
 *
 * Thread-safety: plain functions on caller-owned values.
 */
#ifndef STOM_BT_COORD_PAGE_H
#define STOM_BT_COORD_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt.h"

/*
 * *out = *in as the coordinator stores it: without the job id (the row
 * key), the worker, its timing and lease, trades and equity, so that a
 * stored result does not depend on who ran the task. Shallow: out borrows in.
 */
void coord_page_stored_result(const Stom__V1__TaskResult *in, Stom__V1__TaskResult *out);

/* A result's place in a page: its task id and its objective as stored. */
typedef struct coord_rank_key {
    uint64_t task_id;
    bool has_objective; /* false: stored as NULL (absent or NaN) */
    double objective;
} coord_rank_key;

coord_rank_key coord_page_rank_key(const Stom__V1__TaskResult *r);
/* <0 when a comes first in a page, >0 when b does, 0 for the same task id. */
int coord_page_rank_cmp(const coord_rank_key *a, const coord_rank_key *b);

/* The best-per-fold rows of a page and the storage they point into (owned). */
typedef struct coord_best_rows {
    Stom__V1__FoldBest *rows;
    Stom__V1__FoldBest **ptrs;
    Stom__V1__Fold *folds;
    Stom__V1__Period (*periods)[3];
    size_t n, cap;
} coord_best_rows;

/*
 * Adds one decided unit's rows: one per search result of its best
 * candidate (search, in fold order), each with the test result of the same
 * fold from test (when there is one). The rows borrow both arrays' results,
 * which must outlive b.
 */
void coord_best_rows_add(coord_best_rows *b, uint32_t unit, Stom__V1__TaskResult *const *search,
                         size_t n_search, Stom__V1__TaskResult *const *test, size_t n_test);
/* Sets each row's fold and periods from plan (NULL: left unset) and b->ptrs. */
void coord_best_rows_finish(coord_best_rows *b, const stom_plan *plan);
void coord_best_rows_free(coord_best_rows *b);

#endif
