/*
 * bt.h - the pieces of stom-backtester shared by its two roles: turning a
 * JobSpec into what a backtest needs (strategy, parameters, configuration,
 * objective and constraints), running one Task into a TaskResult, and the
 * conversions between stom's C values and their stom.v1 messages.
 *
 * The coordinator and the workers both call bt_job_open on the same
 * JobSpec, so they agree on parameter names, objective and constraints; a
 * task's result is a pure function of (JobSpec, Task, bars), which is why a
 * job's results do not depend on which worker ran what.
 *
 * Thread-safety: a bt_job and a bt_task_output belong to one thread.
 */
#ifndef STOM_BT_H
#define STOM_BT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/backtest.h"
#include "stom/lua_strategy.h"
#include "stom/optimize.h"
#include "stom/v1/envelope.pb-c.h"

#define BT_MAX_CONSTRAINTS 16
#define BT_ID_MAX          64

/* ---- jobs ----------------------------------------------------------------- */

typedef struct bt_job {
    char id[BT_ID_MAX];
    Stom__V1__JobSpec *spec; /* owned (unpacked copy) */
    const stom_strategy_def *def;
    stom_lua_strategy *lua; /* owned when the job runs Lua code */
    stom_params base;       /* defaults overridden by spec->params */
    stom_backtest_config config;
    stom_objective objective;
    stom_constraint constraints[BT_MAX_CONSTRAINTS];
    size_t n_constraints;
    double valid_weight;    /* weight of the validation score, 0..1 */
    char timeframe[8];      /* "1m", "1d", "1s" */
    int64_t from_ts, to_ts; /* the job's period, UTC seconds */
} bt_job;

/*
 * Checks spec and prepares *job from it (a copy of spec is kept): the
 * strategy (a built-in by name, or Lua from strategy_code), fixed
 * parameters, configuration, objective, constraints, period and timeframe.
 * Returns 0, or STOM_EINVAL / STOM_ENOTFOUND with eb saying what is wrong
 * ("unknown strategy 'x' (built-ins: ...)", "empty period", ...). Data is not
 * checked here (the coordinator asks the database). Borrows spec.
 */
int bt_job_open(bt_job *job, const Stom__V1__JobSpec *spec, stom_errbuf *eb);
void bt_job_close(bt_job *job);

/* Applies proto params (by name) on top of *p. 0 or STOM_EINVAL naming the parameter. */
int bt_params_from_pb(const stom_strategy_def *def, Stom__V1__Param *const *params, size_t n,
                      stom_params *p, stom_errbuf *eb);

/* A Param named as spec with value v in spec's type, malloc'd with its name as
 * protobuf-c's free_unpacked of its JobSpec expects (returns owned). */
Stom__V1__Param *bt_param_new_pb(const stom_param_spec *spec, double v);

/* A ParamRange of r (a range or a value list of one of def's parameters, integer unless the
 * parameter is a float), malloc'd as protobuf-c's free_unpacked of its JobSpec expects
 * (returns owned). */
Stom__V1__ParamRange *bt_param_range_new_pb(const stom_strategy_def *def, const stom_opt_range *r);

/* A Validation for ss, allocated with malloc as protobuf-c's free_unpacked of
 * its JobSpec expects (returns owned). */
Stom__V1__Validation *bt_validation_to_pb(const stom_split_spec *ss);
/* The reverse into *ss (zeroed first; v NULL: no split). 0 or STOM_EINVAL (unknown scheme). */
int bt_validation_from_pb(const Stom__V1__Validation *v, stom_split_spec *ss, stom_errbuf *eb);

/* The proto value of an objective (UNSPECIFIED for none). */
Stom__V1__Objective bt_objective_to_pb(stom_objective o);
/* The reverse into *out; false for a proto value no objective has. */
bool bt_objective_from_pb(Stom__V1__Objective pb, stom_objective *out);

/* "1m" for TIMEFRAME_MINUTE_1 ...; NULL for timeframes not stored. */
const char *bt_timeframe_name(Stom__V1__Timeframe tf);
/* The reverse; TIMEFRAME_UNSPECIFIED for unknown text. */
Stom__V1__Timeframe bt_timeframe_parse(const char *s);

/* ---- proto values held in C storage ---------------------------------------- */

/* A full parameter set as proto Params; names borrow the strategy's schema. */
typedef struct bt_pb_params {
    size_t n;
    Stom__V1__Param items[STOM_MAX_PARAMS];
    Stom__V1__Param *ptrs[STOM_MAX_PARAMS];
} bt_pb_params;

void bt_params_to_pb(const stom_strategy_def *def, const stom_params *p, bt_pb_params *out);

typedef struct bt_pb_metrics {
    Stom__V1__Metrics m;
    Stom__V1__MonthlyReturn *monthly;       /* owned */
    Stom__V1__MonthlyReturn **monthly_ptrs; /* owned */
} bt_pb_metrics;

/* Fills out from a run's metrics and the sum of its trade returns (STOM TP). */
void bt_metrics_to_pb(const stom_metrics *m, double sum_trade_pct, bt_pb_metrics *out);
void bt_pb_metrics_free(bt_pb_metrics *pm);

/* ---- running tasks ------------------------------------------------------------ */

/* One symbol's bars for the job's whole period (borrowed by the task run). */
typedef struct bt_series_set {
    const stom_bars *series;
    size_t n;
} bt_series_set;

/* A TaskResult and the storage it points into. */
typedef struct bt_task_output {
    Stom__V1__TaskResult r;
    bt_pb_params params;
    bt_pb_metrics metrics, valid, test;
    char *violated[BT_MAX_CONSTRAINTS]; /* borrow the job's constraint texts */
    char error[512];
    char job_id[BT_ID_MAX];
    char worker_id[BT_ID_MAX];
    Stom__V1__TradeRecord *trades;      /* owned, details only */
    Stom__V1__TradeRecord **trade_ptrs; /* owned */
    Stom__V1__EquitySeries equity;      /* arrays owned, details only */
} bt_task_output;

/*
 * Runs task t of job over data: the search phase backtests the fold's
 * train period (and valid period when set) and scores them; the test phase
 * backtests the test period. A strategy failure or an empty period gives
 * status FAILED with the reason in error, never a crash. Fills *out
 * (release with bt_task_output_free); worker_id is copied. Borrows all.
 */
void bt_task_run(const bt_job *job, const Stom__V1__Task *t, const bt_series_set *data,
                 const char *worker_id, bt_task_output *out);
void bt_task_output_free(bt_task_output *out);
/* A FAILED result for t (no parameters, no metrics) saying why. */
void bt_task_run_failed(const bt_job *job, const Stom__V1__Task *t, const char *worker_id,
                        const char *why, bt_task_output *out);

/*
 * A view of full's bars with from <= ts < to: the columns point into full
 * (which must outlive the view, and the view is never freed or grown).
 * Returns the number of bars in the view.
 */
size_t bt_series_view(const stom_bars *full, int64_t from, int64_t to, stom_bars *view);

/* Current time: UTC nanoseconds, and a monotonic clock in milliseconds. */
int64_t bt_now_ns(void);
int64_t bt_mono_ms(void);

/* Logs one line "stom-backtester[<role>] <message>" to stderr with a UTC time. */
void bt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The role shown in log lines ("coordinator", "worker-1"). Borrowed: static storage. */
void bt_log_role(const char *role);

#endif
