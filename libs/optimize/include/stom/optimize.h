/*
 * stom/optimize.h - the pure parts of optimisation: parameter spaces,
 * candidate generation (grid, seeded random, seeded genetic), the time
 * folds of each validation scheme, STOM's objectives (기준값) and
 * constraint windows. Nothing here does I/O or reads a clock: the same
 * inputs give the same candidates, folds and scores on every machine, which
 * is what makes a distributed job's results independent of its workers.
 *
 * Formulas and the meaning of each scheme are in docs/optimization.md.
 *
 * Thread-safety: every function is pure or works on a caller-owned value;
 * distinct values may be used concurrently.
 */
#ifndef STOM_OPTIMIZE_H
#define STOM_OPTIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/metrics.h"
#include "stom/strategy.h"
#include "stom/trade.h"

/* Most values one dimension may take, and most grid points a job may have. */
#define STOM_OPT_DIM_MAX_VALUES 10000
#define STOM_OPT_GRID_MAX       1000000

/* ---- parameter spaces ------------------------------------------------- */

/* A range to search for one parameter, as the user wrote it. */
typedef struct stom_opt_range {
    char name[64];
    double min, max, step; /* min..max inclusive, walked by step (> 0) */
    const double *values;  /* when n_values > 0: these values instead (borrowed) */
    size_t n_values;
} stom_opt_range;

/* One searched dimension: a schema parameter and its candidate values. */
typedef struct stom_opt_dim {
    int param;      /* index in the strategy's schema */
    size_t n;       /* >= 2 (a one-value range is not a dimension) */
    double *values; /* owned, ascending, each valid for the parameter's type and range */
} stom_opt_dim;

typedef struct stom_opt_space {
    const stom_strategy_def *def; /* borrowed */
    stom_params base;             /* values of the parameters not searched */
    size_t n_dims;
    stom_opt_dim dims[STOM_MAX_PARAMS];
} stom_opt_space;

/*
 * Builds a space over def from ranges (borrowed; a name may appear once;
 * int and bool parameters get whole values, rounding is refused: "fast:
 * step 0.5 is not a whole number"). base holds the fixed values (NULL: the
 * schema's defaults; otherwise base->n must be def->n_params). Each value
 * must lie inside the schema's min..max. A range that yields one value is
 * not a dimension: it sets that parameter in s->base, so every dimension
 * has at least 2 values. When n_ranges is 0 every int/float parameter of
 * the schema is searched over its schema min..max by its step. Returns 0,
 * STOM_ENOTFOUND (unknown name: eb lists the valid ones), STOM_EINVAL or
 * STOM_ETOOBIG (a dimension over STOM_OPT_DIM_MAX_VALUES values); eb names
 * the parameter and what is wrong. The space is not limited to
 * STOM_OPT_GRID_MAX (random and genetic searches may use larger ones; see
 * stom_opt_space_check_grid). On failure *s holds nothing to free; on
 * success release with stom_opt_space_free.
 */
int stom_opt_space_init(stom_opt_space *s, const stom_strategy_def *def, const stom_params *base,
                        const stom_opt_range *ranges, size_t n_ranges, stom_errbuf *eb);
/* Releases the dimensions' values (a freed or failed space may be freed again). */
void stom_opt_space_free(stom_opt_space *s);

/* 0, or STOM_ETOOBIG when s has more than STOM_OPT_GRID_MAX points (eb says
 * how many): the check a grid search makes before enumerating. */
int stom_opt_space_check_grid(const stom_opt_space *s, stom_errbuf *eb);

/*
 * Parses STOM's `vars` text into ranges for def: lines such as
 *   self.vars[0] = [[5, 30, 5], 20]      (start, end, step; best)
 *   self.vars[1] = [[3, 5, 8], 5]        (GA form: a list of values; best)
 * where vars[k] is the schema parameter named "var<k>" (the importer's
 * naming, docs/stom-import.md) or, when def has no such parameter, the k-th
 * parameter of the schema. Three numbers [a, b, c] are a range when a == b
 * or a < b and 0 < c <= b - a; any other list is the values themselves.
 * `best` becomes that parameter's value in *base (which must be
 * initialised, e.g. with stom_params_default; it is changed only on
 * success). A range whose start equals its end (or a one-value list) fixes
 * the parameter at best and is returned as the one-value range {best}, so
 * *n is 0 only for a text without assignments (beware: 0 ranges given to
 * stom_opt_space_init mean the whole schema). Blank lines and `#` comments
 * are skipped. On success *ranges (returns owned: free with
 * stom_opt_ranges_free) and *n are set. Errors say "vars:<line>: <what>":
 * STOM_EFORMAT on malformed text, STOM_ENOTFOUND for a vars[k] that
 * matches no parameter, STOM_EINVAL / STOM_ETOOBIG for values the
 * parameter cannot take (the checks of stom_opt_space_init) or a
 * parameter set twice.
 */
int stom_opt_parse_vars(const stom_strategy_def *def, const char *text, stom_params *base,
                        stom_opt_range **ranges, size_t *n, stom_errbuf *eb);
/* Takes ranges from stom_opt_parse_vars (its values too); NULL is a no-op. */
void stom_opt_ranges_free(stom_opt_range *ranges, size_t n);

/* Number of grid points (product of the dims' sizes, 1 without dims),
 * saturating at UINT64_MAX. */
uint64_t stom_opt_space_size(const stom_opt_space *s);

/* The grid point at index (0 <= index < size; the last dimension varies
 * fastest) written as a full parameter set into *out. */
void stom_opt_space_point(const stom_opt_space *s, uint64_t index, stom_params *out);

/*
 * The k-th random candidate of seed: each dimension's value chosen
 * uniformly from its values by a counter-based generator (splitmix64 of
 * seed, k and the dimension), so candidate k does not depend on how many
 * were drawn before it. Duplicates are possible; stom_opt_random_unique
 * skips them.
 */
void stom_opt_random_point(const stom_opt_space *s, uint64_t seed, uint64_t k, stom_params *out);

/*
 * Fills out[0..count) with distinct random candidates of seed (or fewer,
 * when the space has fewer points: then every point, in grid order).
 * Returns the number written. The first m of count are the same for any
 * count >= m (while count is below the space's size): candidates k = 0,
 * 1, ... in order, duplicates skipped. When count is close to the space's
 * size, so that more than 32 x count + 1024 draws would be needed, the rest
 * are the unused grid points in grid order.
 */
size_t stom_opt_random_unique(const stom_opt_space *s, uint64_t seed, size_t count,
                              stom_params *out);

/* ---- genetic search ------------------------------------------------------ */

typedef struct stom_ga_options {
    size_t population;      /* candidates per generation; 0: 10 x dims (STOM), at least 10 */
    size_t max_generations; /* 0: 50 */
    size_t elite;           /* best kept as parents unchanged; 0: population / 2 */
    double mutation_rate;   /* per gene, 0..1; negative: 0.1, or 1 / dims above 10 dims */
    bool stom_stop_rule;    /* also stop when the best max(2, ceil(population / 20))
                               points take so few values per dimension that the
                               product of those counts is < 2^(n/2), n dimensions,
                               and the best score has not improved for stop_patience
                               generations (docs/optimization.md) */
    size_t stop_patience;   /* 0: 5 */
    size_t max_evaluations; /* 0: no limit; a generation is cut to fit */
} stom_ga_options;

typedef struct stom_ga stom_ga;

/* Sets the defaults described above. */
void stom_ga_options_default(stom_ga_options *o);

/*
 * A genetic search over s (borrowed, must outlive it) from seed; opt is
 * borrowed (NULL: the defaults). Returns 0 and *out (owned: release with
 * stom_ga_destroy), or STOM_EINVAL when population is outside 2..10000,
 * elite >= population or mutation_rate > 1.
 */
int stom_ga_create(stom_ga **out, const stom_opt_space *s, uint64_t seed,
                   const stom_ga_options *opt, stom_errbuf *eb);
/* Takes ga; NULL is a no-op. */
void stom_ga_destroy(stom_ga *ga);

/*
 * The next generation's candidates, never evaluated before in this search:
 * writes at most cap sets into out and returns how many (0: the search is
 * over; a cap below the population cuts the generation, and a cap of 0
 * ends the search). Call again only after every candidate returned has
 * been scored with stom_ga_score (an unscored one counts as -INFINITY).
 * Deterministic: a function of seed, the options and the scores reported.
 */
size_t stom_ga_next(stom_ga *ga, stom_params *out, size_t cap);

/* Reports the score of the i-th candidate of the last stom_ga_next (-INFINITY
 * for a failed or constraint-violating set). */
void stom_ga_score(stom_ga *ga, size_t i, double score);

/* Generations produced so far and the total evaluations. */
size_t stom_ga_generations(const stom_ga *ga);
size_t stom_ga_evaluations(const stom_ga *ga);

/* The best set scored so far into *out and its score into *score (may be
 * NULL); false when nothing scored above -INFINITY. Ties go to the set
 * evaluated first. */
bool stom_ga_best(const stom_ga *ga, stom_params *out, double *score);

/* ---- validation schemes and folds ---------------------------------------- */

typedef enum stom_split {
    STOM_SPLIT_NONE = 0,   /* optimise on the whole period */
    STOM_SPLIT_HOLDOUT,    /* 검증: train, then the last valid_weeks as validation */
    STOM_SPLIT_CV,         /* 교차검증: each valid_weeks block in turn is validation */
    STOM_SPLIT_TEST,       /* 최적화 테스트: train, valid, then a held-out test */
    STOM_SPLIT_WALKFORWARD /* 전진분석: rolling train(+valid) windows, each then tested */
} stom_split;

/* "none", "holdout", "cv", "test", "walkforward" (case-insensitive; also
 * "walk-forward" and STOM's 검증, 교차검증, 최적화테스트 or 최적화 테스트,
 * 전진분석). 0 or STOM_ENOTFOUND. */
int stom_split_parse(const char *s, stom_split *out);
const char *stom_split_name(stom_split s);

/* Half-open periods in UTC seconds; an absent window is 0..0. */
typedef struct stom_fold {
    int64_t train_from, train_to;
    int64_t valid_from, valid_to;
    int64_t test_from, test_to;
} stom_fold;

typedef struct stom_split_spec {
    stom_split split;
    int train_weeks; /* 0: everything before the later windows (holdout, test, cv);
                        cv: the first fold's train */
    int valid_weeks;
    int test_weeks;
    int folds; /* cv: 0 = as many valid_weeks blocks as fit */
} stom_split_spec;

/* A window of a split spec, as stom_split_check names it. */
typedef enum stom_window {
    STOM_WINDOW_NONE = 0,
    STOM_WINDOW_TRAIN,
    STOM_WINDOW_VALID,
    STOM_WINDOW_TEST,
    STOM_WINDOW_FOLDS
} stom_window;

/*
 * The window rules of the schemes (windows of 0 weeks are absent):
 * none reads no window; holdout and cv need valid and read no test; test
 * and walkforward need test; walkforward needs train; only cv reads folds.
 * Returns the first window sp breaks a rule with, *missing telling whether
 * it is needed and absent or given and not read, in this order: any window
 * of none (train, valid, test, folds), a missing valid, test, then train,
 * then a test or folds not read. STOM_WINDOW_NONE: sp keeps every rule.
 */
stom_window stom_split_check(const stom_split_spec *sp, bool *missing);
/* "train_weeks", "valid_weeks", "test_weeks", "folds" ("" for STOM_WINDOW_NONE). */
const char *stom_window_name(stom_window w);

/*
 * One search unit: a set of folds searched together (a candidate's score is
 * the mean of its fold scores) and whether its best set is then scored on
 * each fold's test period. NONE, HOLDOUT and CV have one unit; TEST one
 * unit with a test period; WALKFORWARD one unit per window.
 */
typedef struct stom_search_unit {
    size_t first_fold, n_folds; /* into the fold array */
} stom_search_unit;

typedef struct stom_plan {
    stom_fold *folds; /* owned */
    size_t n_folds;
    stom_search_unit *units; /* owned */
    size_t n_units;
} stom_plan;

/*
 * Cuts [from, to) (UTC seconds) into folds and units for spec. Weeks are 7
 * calendar days. Holdout, test and cv lay their windows back from `to`;
 * cv is expanding-window (fold i trains on everything before its block);
 * walk-forward lays windows from `from`, stepping by test_weeks, while the
 * test window ends by `to`. Returns 0 (p owns its arrays: release with
 * stom_plan_free), or STOM_EINVAL when the period is empty or too short for
 * the windows asked (eb: "period has 10 weeks; walkforward needs at least
 * train 8 + test 4 = 12 weeks"), a length is negative or a window the
 * scheme needs is 0 weeks (holdout/cv: valid; test/walkforward: test;
 * walkforward: train), or cv is asked for 1 fold.
 */
int stom_plan_make(stom_plan *p, const stom_split_spec *spec, int64_t from, int64_t to,
                   stom_errbuf *eb);
void stom_plan_free(stom_plan *p);

/* ---- objectives and constraints ---------------------------------------- */

typedef enum stom_objective {
    STOM_OBJ_TG = 0, /* total P&L, cash units */
    STOM_OBJ_TP,     /* sum of trade returns, % */
    STOM_OBJ_CAGR,   /* STOM linear CAGR, % */
    STOM_OBJ_GM,     /* TG / MDD amount */
    STOM_OBJ_PM,     /* TP / MDD % */
    STOM_OBJ_G2M,
    STOM_OBJ_P2M,
    STOM_OBJ_GAM,
    STOM_OBJ_PAM,
    STOM_OBJ_GWM,
    STOM_OBJ_PWM,
    STOM_OBJ_SHARPE,
    STOM_OBJ_SORTINO,
    STOM_OBJ_SQN,
    STOM_OBJ_RETURN, /* total return, % */
    STOM_OBJ_COUNT
} stom_objective;

/* Parses "TG", "tp", "sharpe", "return" ... (case-insensitive). 0 or
 * STOM_ENOTFOUND with the list of names in eb. */
int stom_objective_parse(const char *s, stom_objective *out, stom_errbuf *eb);
/* "TG", "TP", ..., "sharpe", "sortino", "sqn", "return". */
const char *stom_objective_name(stom_objective o);

/* The figures objectives and constraints read, from one run. */
typedef struct stom_opt_stats {
    double tg;             /* net profit, cash units */
    double tp;             /* sum of closed trades' return %, STOM TP */
    double cagr;           /* STOM linear CAGR % */
    double mdd_pct;        /* positive % */
    double mdd_amount;     /* positive cash units */
    double avg_trade_pct;  /* STOM AP */
    double win_rate_pct;   /* STOM WR */
    double trades_per_day; /* STOM ATC */
    double tpi;
    double max_positions; /* STOM MH */
    double sharpe, sortino, sqn;
    double return_pct;
    size_t trades;
} stom_opt_stats;

/* Reads the figures of a run from its metrics and closed trades (borrowed).
 * tp sums stom_trade_return_pct over the trades, trades = n_trades, and a
 * Sharpe, Sortino or SQN the metrics flag undefined becomes -INFINITY. */
void stom_opt_stats_from(stom_opt_stats *st, const stom_metrics *m, const stom_trade *trades,
                         size_t n_trades);

/*
 * The objective's value for st (docs/optimization.md has each formula).
 * Ratios over MDD use a floor (1 cash unit, 0.01%) instead of a zero MDD,
 * so a run without drawdown scores high but finite. A run without trades
 * scores -INFINITY for every objective (nothing was tested).
 */
double stom_objective_value(stom_objective o, const stom_opt_stats *st);

typedef enum stom_constraint_metric {
    STOM_CON_MDD = 0,        /* mdd_pct */
    STOM_CON_WIN_RATE,       /* win_rate_pct; also "wr" */
    STOM_CON_TRADES_PER_DAY, /* "atc", "trades_per_day" */
    STOM_CON_AVG_RETURN,     /* avg_trade_pct; "ap", "avg_return" */
    STOM_CON_CAGR,           /* cagr */
    STOM_CON_TPI,            /* tpi */
    STOM_CON_MAX_POSITIONS,  /* "mh", "max_positions" */
    STOM_CON_TRADES,         /* "tc", "trades" */
    STOM_CON_COUNT
} stom_constraint_metric;

typedef struct stom_constraint {
    stom_constraint_metric metric;
    bool has_min, has_max;
    double min, max; /* inclusive */
    char text[64];   /* as written, for reports: "mdd<=10" */
} stom_constraint;

/*
 * Parses one constraint: "<metric><op><number>" with op one of <=, >=, <,
 * > (strict ones are treated as inclusive bounds), or "<metric>=a:b" for a
 * window (either side may be left open: "wr=40:"); spaces allowed; at
 * most 63 characters. Metric names: mdd, wr|win_rate, atc|trades_per_day,
 * ap|avg_return, cagr, tpi, mh|max_positions, tc|trades. Returns 0 or
 * STOM_EINVAL with the text and the valid names in eb.
 */
int stom_constraint_parse(const char *text, stom_constraint *out, stom_errbuf *eb);
/* The metric of a constraint's text as the user wrote it ("  mdd <= 10" -> "mdd"): the text
 * before the operator without surrounding spaces. Owned (free()). */
char *stom_constraint_metric_text(const char *text);
/* The metric's value in st. */
double stom_constraint_value(stom_constraint_metric m, const stom_opt_stats *st);
/*
 * Checks st against the constraints: returns the number violated and,
 * when violated is not NULL, writes their indices (at most cap).
 */
size_t stom_constraints_check(const stom_constraint *c, size_t n, const stom_opt_stats *st,
                              size_t *violated, size_t cap);

/* A candidate's score: -INFINITY when st violates any of the n constraints,
 * else stom_objective_value(o, st). */
double stom_opt_score(stom_objective o, const stom_constraint *c, size_t n,
                      const stom_opt_stats *st);

#endif
