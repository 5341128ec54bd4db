/*
 * optimize_search.c - the flags of `stom optimize` that say how to search
 * and score: --method (and its sample, seed and genetic settings),
 * --objective, --constraint and the validation split, each checked with
 * the libraries the coordinator uses and written into the JobSpec.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "cli.h"
#include "optimize_internal.h"
#include "stom/alloc.h"

#define MAX_CONSTRAINTS 16
#define MAX_WEEKS       1000

static int parse_method(const char *m, bool has_ranges, Stom__V1__OptimizeMethod *out)
{
    if (m == NULL) {
        *out = has_ranges ? STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID
                          : STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
    } else if (!strcmp(m, "grid") || !strcmp(m, "그리드")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    } else if (!strcmp(m, "random")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM;
    } else if (!strcmp(m, "genetic") || !strcmp(m, "ga") || !strcmp(m, "유전")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    } else {
        cli_error("--method '%s' is not one of grid, random, genetic (bayes and conditions are "
                  "not offered yet)",
                  m);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Flags that only one method reads are refused with the others, so nothing is silently ignored. */
static int check_method_flags(const optimize_flags *f, Stom__V1__OptimizeMethod m)
{
    bool genetic = m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    bool random = m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM;
    const char *only_ga = f->population    ? "--population"
                          : f->generations ? "--generations"
                          : f->stom_stop   ? "--stom-stop"
                                           : NULL;
    if (only_ga && !genetic) {
        cli_error("%s applies only to --method genetic", only_ga);
        return EXIT_USAGE;
    }
    if (f->samples && !genetic && !random) {
        cli_error("--samples applies only to --method random or genetic (grid runs every set)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int optimize__apply_method(optimize_parse_state *ps, optimize_options *o)
{
    Stom__V1__JobSpec *s = o->spec;
    const optimize_flags *f = &ps->f;
    Stom__V1__OptimizeMethod m;
    uint64_t v = 0;
    if (parse_method(f->method, s->n_search > 0, &m) != EXIT_OK ||
        check_method_flags(f, m) != EXIT_OK)
        return EXIT_USAGE;
    s->has_method = true;
    s->method = m;
    if (optimize__count_flag("--samples", f->samples, 1, 1000000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_max_evaluations = f->samples != NULL;
    s->max_evaluations = (uint32_t)v;
    if (optimize__count_flag("--seed", f->seed, 0, UINT64_MAX, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_seed = f->seed != NULL;
    s->seed = v;
    if (optimize__count_flag("--population", f->population, 2, 100000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_ga_population = f->population != NULL;
    s->ga_population = (uint32_t)v;
    if (optimize__count_flag("--generations", f->generations, 1, 100000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_ga_generations = f->generations != NULL;
    s->ga_generations = (uint32_t)v;
    s->has_ga_stom_stop = f->stom_stop;
    s->ga_stom_stop = f->stom_stop;
    return optimize__check_space(ps, o);
}

/* ---- objective and constraints ------------------------------------------------- */

const char *objective_pb_name(Stom__V1__Objective o)
{
    stom_objective obj;
    if (bt_objective_from_pb(o, &obj))
        return stom_objective_name(obj);
    switch (o) {
    case STOM__V1__OBJECTIVE__OBJECTIVE_CALMAR:
        return "calmar";
    case STOM__V1__OBJECTIVE__OBJECTIVE_PROFIT_FACTOR:
        return "profit_factor";
    case STOM__V1__OBJECTIVE__OBJECTIVE_TPI:
        return "TPI";
    case STOM__V1__OBJECTIVE__OBJECTIVE_COMPOUND_CAGR:
        return "compound_cagr";
    default:
        return "TG"; /* unset: the coordinator ranks by TG */
    }
}

int optimize__apply_objective(optimize_parse_state *ps, optimize_options *o)
{
    stom_objective obj = STOM_OBJ_TG;
    stom_errbuf eb = {{0}};
    if (ps->f.objective && stom_objective_parse(ps->f.objective, &obj, &eb) != STOM_OK) {
        cli_error("--objective: %s", eb.msg);
        return EXIT_USAGE;
    }
    o->spec->has_objective = true;
    o->spec->objective = bt_objective_to_pb(obj);
    return EXIT_OK;
}

int optimize__apply_constraints(optimize_parse_state *ps, optimize_options *o)
{
    Stom__V1__JobSpec *s = o->spec;
    if (ps->f.n_constraints > MAX_CONSTRAINTS) {
        cli_error("at most %d --constraint flags", MAX_CONSTRAINTS);
        return EXIT_USAGE;
    }
    if (ps->f.n_constraints > 0)
        s->constraints = stom_xcalloc(ps->f.n_constraints, sizeof *s->constraints);
    for (size_t k = 0; k < ps->f.n_constraints; k++) {
        stom_constraint c;
        stom_errbuf eb = {{0}};
        if (stom_constraint_parse(ps->f.constraints[k], &c, &eb) != STOM_OK) {
            cli_error("--constraint: %s", eb.msg);
            return EXIT_USAGE;
        }
        Stom__V1__Constraint *pc = stom_xmalloc(sizeof *pc);
        stom__v1__constraint__init(pc);
        pc->metric = stom_constraint_metric_text(ps->f.constraints[k]);
        pc->has_min_value = c.has_min;
        pc->min_value = c.min;
        pc->has_max_value = c.has_max;
        pc->max_value = c.max;
        s->constraints[s->n_constraints++] = pc;
    }
    return EXIT_OK;
}

/* ---- validation ---------------------------------------------------------------- */

/* The window rules (stom_split_check) on which flags were given, in the CLI's words. */
static int check_split_flags(const optimize_flags *f, stom_split split)
{
    static const char *const flags[] = {"", "--train-weeks", "--valid-weeks", "--test-weeks",
                                        "--folds"};
    stom_split_spec given = {split, f->train_weeks != NULL, f->valid_weeks != NULL,
                             f->test_weeks != NULL, f->folds != NULL};
    bool missing;
    stom_window w = stom_split_check(&given, &missing);
    if (w == STOM_WINDOW_NONE)
        return EXIT_OK;
    if (split == STOM_SPLIT_NONE)
        cli_error("%s applies only with --split holdout|cv|test|walkforward", flags[w]);
    else if (missing && split == STOM_SPLIT_WALKFORWARD)
        cli_error("--split walkforward needs --train-weeks N and --test-weeks M (each window "
                  "trains N weeks, then tests the M weeks after them)");
    else if (missing && w == STOM_WINDOW_VALID)
        cli_error("--split %s needs --valid-weeks N (the validation window)",
                  stom_split_name(split));
    else if (missing)
        cli_error("--split test needs --test-weeks N (the held-out test window)");
    else if (w == STOM_WINDOW_TEST)
        cli_error("--test-weeks applies only with --split test or walkforward");
    else
        cli_error("--folds applies only with --split cv");
    return EXIT_USAGE;
}

static int read_weeks(const optimize_flags *f, stom_split_spec *ss)
{
    uint64_t v[4] = {0, 0, 0, 0};
    if (optimize__count_flag("--train-weeks", f->train_weeks, 1, MAX_WEEKS, &v[0]) != EXIT_OK ||
        optimize__count_flag("--valid-weeks", f->valid_weeks, 1, MAX_WEEKS, &v[1]) != EXIT_OK ||
        optimize__count_flag("--test-weeks", f->test_weeks, 1, MAX_WEEKS, &v[2]) != EXIT_OK ||
        optimize__count_flag("--folds", f->folds, 2, 1000, &v[3]) != EXIT_OK)
        return EXIT_USAGE;
    ss->train_weeks = (int)v[0];
    ss->valid_weeks = (int)v[1];
    ss->test_weeks = (int)v[2];
    ss->folds = (int)v[3];
    return EXIT_OK;
}

int optimize__apply_split(optimize_parse_state *ps, optimize_options *o)
{
    const optimize_flags *f = &ps->f;
    stom_split_spec ss = {0};
    if (f->split && stom_split_parse(f->split, &ss.split) != STOM_OK) {
        cli_error("--split '%s' is not one of none, holdout, cv, test, walkforward", f->split);
        return EXIT_USAGE;
    }
    if (check_split_flags(f, ss.split) != EXIT_OK || read_weeks(f, &ss) != EXIT_OK)
        return EXIT_USAGE;
    /* Cut the period as the coordinator will, so a period too short is told now. */
    stom_plan plan;
    stom_errbuf eb = {{0}};
    if (stom_plan_make(&plan, &ss, ps->from_s, ps->to_s, &eb) != STOM_OK) {
        cli_error("--split %s with --period %s: %s", stom_split_name(ss.split), f->period, eb.msg);
        return EXIT_USAGE;
    }
    stom_plan_free(&plan);
    o->spec->validation = bt_validation_to_pb(&ss);
    return EXIT_OK;
}

/* ---- account ---------------------------------------------------------------------- */
