/*
 * stom/strategy.h - the one strategy interface for backtests and live trading.
 *
 * A strategy is a stom_strategy_def: metadata, a parameter schema and four
 * callbacks. The runner (backtest now, the live engine later) creates one
 * state block per symbol, calls init once with validated parameters, then
 * on_bar for every completed bar of that symbol and on_fill for its fills.
 * A strategy sees history only up to the current bar (ctx->bars columns at
 * indices 0..ctx->i) and acts through the stom_ctx_* functions, so the same
 * code cannot peek at the future and runs unchanged against a live feed.
 *
 * Signals are taken on the bar's close; when orders fill is the runner's
 * fill model (next open by default).
 *
 * A strategy that cannot go on (a Lua strategy's error or exceeded limit)
 * sets ctx->failed to a negative STOM_E* value after writing the reason
 * with stom_errorf(ctx->eb, ...); the runner stops the run after that
 * callback and returns the value with the message. Built-ins never fail.
 *
 * Thread-safety: a definition is immutable and shared; a state block and its
 * ctx belong to the thread running it.
 */
#ifndef STOM_STRATEGY_H
#define STOM_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/bars.h"
#include "stom/error.h"
#include "stom/order.h"
#include "stom/portfolio.h"

#define STOM_MAX_PARAMS 16

typedef enum stom_param_type {
    STOM_PARAM_INT = 0,
    STOM_PARAM_FLOAT,
    STOM_PARAM_BOOL
} stom_param_type;

/* One parameter of a strategy's schema; optimizers sweep min..max by step. */
typedef struct stom_param_spec {
    const char *name;
    stom_param_type type;
    double def, min, max, step;
    const char *help;
} stom_param_spec;

/* Parameter values in schema order. */
typedef struct stom_params {
    size_t n;
    double v[STOM_MAX_PARAMS];
} stom_params;

typedef struct stom_strategy_ctx stom_strategy_ctx;

/* How a runner carries out a strategy's actions (backtest exchange or live OMS). */
typedef struct stom_ctx_ops {
    int (*submit)(stom_strategy_ctx *ctx, const stom_order *o);
    size_t (*cancel_all)(stom_strategy_ctx *ctx);
} stom_ctx_ops;

struct stom_strategy_ctx {
    const stom_bars *bars;      /* this symbol's history; valid indices 0..i */
    size_t i;                   /* the bar that just completed */
    int symbol;                 /* index in the run */
    int64_t position;           /* signed quantity units held now */
    int entries;                /* fills that opened or added to the position */
    size_t pending;             /* orders of this symbol not yet filled */
    bool allow_short;           /* the run permits short positions */
    int pyramiding;             /* max entries in one direction (>= 1) */
    const stom_ctx_ops *ops;    /* set by the runner */
    void *runner;               /* the runner's own data */
    const stom_portfolio *book; /* the account, read-only (cash, marks); may be NULL */
    stom_errbuf *eb;            /* where a failing strategy writes why; may be NULL */
    int failed;                 /* 0, or the negative STOM_E* that stops the run */
};

typedef struct stom_strategy_def {
    const char *name;    /* "sma_cross" */
    const char *summary; /* one line for `stom strategies` */
    const stom_param_spec *params;
    size_t n_params;
    size_t state_size; /* bytes of per-symbol state, zeroed before init */
    /*
     * NULL, or state_size bytes each state block starts as instead of zeros:
     * how a def loaded at run time (a Lua file) tells init which program it
     * belongs to. Borrowed; lives as long as the def.
     */
    const void *state_init;
    /* Checks cross-parameter rules (fast < slow) and prepares state. 0 or STOM_EINVAL + eb. */
    int (*init)(void *state, const stom_params *p, stom_errbuf *eb);
    void (*on_bar)(void *state, stom_strategy_ctx *ctx);
    void (*on_fill)(void *state, stom_strategy_ctx *ctx, const stom_fill *f); /* may be NULL */
    void (*fini)(void *state);                                                /* may be NULL */
} stom_strategy_def;

/* --- actions (signals on the close; see stom/exchange.h for fills) --- */

/*
 * Go long with the run's sizing: closes a short first (a reversal), adds to a
 * long only while entries < pyramiding, does nothing while an order is pending.
 */
void stom_ctx_enter_long(stom_strategy_ctx *ctx);
/* Go short (only when allow_short; otherwise it just closes a long). */
void stom_ctx_enter_short(stom_strategy_ctx *ctx);
/* Close the whole position with a market order. */
void stom_ctx_exit(stom_strategy_ctx *ctx);
/* Close qty units of the position (a partial exit); qty beyond the position is capped. */
void stom_ctx_exit_qty(stom_strategy_ctx *ctx, int64_t qty);
/* Submits any order for this symbol (symbol and id are filled in). 0 or STOM_EINVAL. */
int stom_ctx_submit(stom_strategy_ctx *ctx, const stom_order *o);
/* Cancels this symbol's pending orders. */
size_t stom_ctx_cancel_all(stom_strategy_ctx *ctx);

/* --- registry and parameters --- */

/* The built-in strategies, NULL-terminated. */
const stom_strategy_def *const *stom_strategy_builtins(void);
/* The built-in named name, or NULL. */
const stom_strategy_def *stom_strategy_find(const char *name);

/* Fills p with the schema's defaults. */
void stom_params_default(const stom_strategy_def *def, stom_params *p);
/* Index of parameter name in def's schema, or -1. */
int stom_param_index(const stom_strategy_def *def, const char *name);
/*
 * Parses "name=value" and stores it in p after checking type, min and max.
 * Returns 0, STOM_ENOTFOUND (unknown name: eb lists the valid ones) or
 * STOM_EINVAL / STOM_ERANGE (eb says the allowed range).
 */
int stom_params_set(const stom_strategy_def *def, stom_params *p, const char *assignment,
                    stom_errbuf *eb);
/* Name of a parameter type ("int"). */
const char *stom_param_type_name(stom_param_type t);
/* Writes def's parameter names ("fast, slow"; "(none)" without any) into buf
 * for messages that list the valid choices. Returns buf. */
char *stom_param_names(const stom_strategy_def *def, char *buf, size_t len);
/* Writes the built-in strategies' names ("sma_cross, rsi_reversion, ...") into buf. Returns buf. */
char *stom_strategy_names(char *buf, size_t len);

#endif
