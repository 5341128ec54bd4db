/*
 * optimize_internal.h - what optimize_options.c and optimize_params.c share
 * while they parse one `stom optimize` command line, and nothing else sees.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_OPTIMIZE_INTERNAL_H
#define STOM_CLI_OPTIMIZE_INTERNAL_H

#include "optimize.h"

/* Raw flag values (borrowed from argv), read before any is interpreted. */
typedef struct optimize_flags {
    const char *strategy, *strategy_file, *strategy_id, *data, *timeframe, *period, *vars, *method,
        *samples, *seed, *population, *generations, *objective, *split, *train_weeks, *valid_weeks,
        *test_weeks, *folds, *cash, *commission, *fill, *size_pct, *top, *coordinator, *title, *url,
        *jobs;
    bool stom_stop;
    const char **params; /* owned array of borrowed strings */
    size_t n_params;
    const char **constraints; /* owned array of borrowed strings */
    size_t n_constraints;
} optimize_flags;

typedef struct optimize_parse_state {
    optimize_flags f;
    int64_t from_s, to_s; /* the period, UTC seconds, half-open */
    stom_params defaults, base;
    bool fixed[STOM_MAX_PARAMS];            /* set by --param NAME=VALUE or --vars */
    stom_opt_range ranges[STOM_MAX_PARAMS]; /* values owned (malloc) when n_values > 0 */
    size_t n_ranges;
} optimize_parse_state;

/* --strategy / --strategy-file / --strategy-id: sets o->def (and o->lua or o->stored),
 * strategy_name and strategy_code. A stored strategy is fetched through the gateway. */
int optimize__apply_strategy(optimize_parse_state *ps, optimize_options *o);
/* --vars and --param: sets spec->params (fixed values) and spec->search (ranges). */
int optimize__apply_params(optimize_parse_state *ps, optimize_options *o);
/* Builds the search space as the coordinator will (after the method is known):
 * refuses a range the schema does not allow and a grid that is too big. */
int optimize__check_space(optimize_parse_state *ps, optimize_options *o);
/* --data with --local (optimize_local_data.c): the CSV files into o->files, their
 * names (the symbols) into spec->symbols; a symbol where a file belongs is refused. */
int optimize__apply_local_data(optimize_parse_state *ps, optimize_options *o);
/* A whole-number flag in [min, max] into *out (untouched when s is NULL); EXIT_USAGE after
 * saying what was wrong. (optimize_options.c) */
int optimize__count_flag(const char *flag, const char *s, uint64_t min, uint64_t max,
                         uint64_t *out);
/* --method with --samples, --seed, --population, --generations, --stom-stop; --objective;
 * --constraint; --split with its weeks and folds (optimize_search.c). */
int optimize__apply_method(optimize_parse_state *ps, optimize_options *o);
int optimize__apply_objective(optimize_parse_state *ps, optimize_options *o);
int optimize__apply_constraints(optimize_parse_state *ps, optimize_options *o);
int optimize__apply_split(optimize_parse_state *ps, optimize_options *o);
/* Releases what ps owns. */
void optimize__state_free(optimize_parse_state *ps);

#endif
