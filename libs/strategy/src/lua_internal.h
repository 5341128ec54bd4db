/*
 * lua_internal.h - what the lua_*.c files of the Lua strategy runtime share.
 *
 * One loaded strategy (stom_lua_strategy, immutable) gives a def; every
 * symbol of every run gets its own sandboxed lua_State (stom__lua_sym), so
 * runs never share Lua objects. The state talks to C through one plain
 * struct, the view, which its trusted Lua side reads and writes with the
 * FFI: bar columns, position and account values in, queued orders and the
 * bar it waits for out. User code never sees the FFI, the view or the
 * driver; it only sees its own environment table.
 *
 * The FFI is used for data (loads and stores the JIT compiles into plain
 * memory accesses) and for one call, the series refill, which sits on the
 * hot path (every 256 bars per series) where a lua_CFunction would make
 * the JIT stitch traces around it. The other C services (new series,
 * account, tick size, clock, collection) are rare and are lua_CFunctions:
 * this LuaJIT (2.1.0-beta3, 2022) was seen to crash when a memory error
 * was raised while a trace calling C through an FFI pointer was involved,
 * so FFI calls are kept to the one that matters and the memory limit is
 * enforced at safe points (lua_state.c).
 *
 * The layout of stom__lua_view and stom__lua_ind_head is declared twice:
 * here for C and in STOM__LUA_CDEF for the FFI. The runtime compares their
 * sizes and a few offsets when a state starts and refuses to run otherwise.
 *
 * Thread-safety: a stom__lua_sym and its lua_State belong to the thread
 * running its backtest; a stom_lua_strategy is read-only after loading.
 */
#ifndef STOM_LUA_INTERNAL_H
#define STOM_LUA_INTERNAL_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/lua_strategy.h"
#include "stom/strategy.h"

#define STOM__LUA_MAX_ACTIONS 16  /* orders one event may queue */
#define STOM__LUA_MAX_INDS    256 /* distinct indicator series per state */
#define STOM__LUA_MAX_CODE    (1024 * 1024)
#define STOM__LUA_NAME_MAX    256

/* What a queued action asks for (stom__lua_action.kind). */
enum { STOM__LUA_BUY = 1, STOM__LUA_SELL, STOM__LUA_CLOSE };
/* Why C resumes the driver (stom__lua_view.event). */
enum { STOM__LUA_EV_BAR = 1, STOM__LUA_EV_FILL };

typedef struct stom__lua_action {
    int32_t kind;
    int32_t pad;
    double qty;   /* quantity units; 0 = sized by the run (or the whole position) */
    double price; /* limit price in price units; 0 = market */
} stom__lua_action;

/* The part of an indicator series the Lua side reads: values of bars lo..hi-1. */
typedef struct stom__lua_ind_head {
    double lo, hi;
    double *buf;
    double id; /* index in the state's series, for refills */
} stom__lua_ind_head;

typedef struct stom__lua_view stom__lua_view;

struct stom__lua_view {
    /* Written by C before every resume. */
    const int64_t *ts, *open, *high, *low, *close, *volume;
    double len;      /* bars available */
    double bar;      /* the engine's current bar, -1 before the first */
    double position; /* quantity units, signed */
    double entries, pending;
    double entry_price;            /* average, price units; 0 when flat */
    double entry_ts;               /* UTC seconds of the position's first entry */
    double cash, equity;           /* cash units; written when the account is read */
    double price_scale, qty_scale; /* 10^decimals */
    double utc_offset;             /* seconds east of UTC for day boundaries and time */
    double fill_side, fill_qty, fill_price, fill_value, fill_fee, fill_tax, fill_ts;
    int32_t event;  /* STOM__LUA_EV_* */
    int32_t market; /* stom_market */
    /* Written by Lua before every yield. */
    double need_bar;  /* the bar the strategy waits for */
    double act_bar;   /* the bar the queued actions belong to; -1 = now */
    int32_t need_mid; /* 1: it waits inside need_bar (needs the account), 0: at its start */
    int32_t n_actions;
    stom__lua_action actions[STOM__LUA_MAX_ACTIONS];
    /* Sticky limit flags: once set, the run stops at the next return to C. */
    volatile int32_t mem_hit;
    int32_t steps_hit;
    volatile int32_t mem_high; /* the heap passed its mark: collect at the next safe point */
    int32_t pad2;
    void *owner; /* the stom__lua_sym */
    int32_t (*ind_fill)(stom__lua_view *v, double id, double j, double back);
};

/* The FFI declaration of the two structs above; keep in step with them. */
#define STOM__LUA_CDEF                                                                             \
    "typedef struct { int32_t kind, pad; double qty, price; } stom_lua_action;\n"                  \
    "typedef struct { double lo, hi; double *buf; double id; } stom_lua_ind;\n"                    \
    "typedef struct stom_lua_view {\n"                                                             \
    "  const int64_t *ts, *open, *high, *low, *close, *volume;\n"                                  \
    "  double len, bar, position, entries, pending, entry_price, entry_ts, cash, equity;\n"        \
    "  double price_scale, qty_scale, utc_offset;\n"                                               \
    "  double fill_side, fill_qty, fill_price, fill_value, fill_fee, fill_tax, fill_ts;\n"         \
    "  int32_t event, market;\n"                                                                   \
    "  double need_bar, act_bar;\n"                                                                \
    "  int32_t need_mid, n_actions;\n"                                                             \
    "  stom_lua_action actions[16];\n"                                                             \
    "  volatile int32_t mem_hit;\n"                                                                \
    "  int32_t steps_hit;\n"                                                                       \
    "  volatile int32_t mem_high;\n"                                                               \
    "  int32_t pad2;\n"                                                                            \
    "  void *owner;\n"                                                                             \
    "  int32_t (*ind_fill)(struct stom_lua_view *v, double id, double j, double back);\n"          \
    "} stom_lua_view;\n"

/* Indicator series kinds (the Lua side names them in the same order). */
enum {
    STOM__IND_SMA = 1,
    STOM__IND_AVG_VOLUME,
    STOM__IND_HIGHEST,
    STOM__IND_LOWEST,
    STOM__IND_EMA,
    STOM__IND_RSI,
    STOM__IND_ATR,
    STOM__IND_BB_UPPER,
    STOM__IND_BB_LOWER,
    STOM__IND_MACD,
    STOM__IND_MACD_SIGNAL,
    STOM__IND_CCI,
    STOM__IND_MFI,
    STOM__IND_WILLR,
    STOM__IND_ADX,
    STOM__IND_OBV,
    STOM__IND_DAY_OPEN,
    STOM__IND_DAY_HIGH,
    STOM__IND_DAY_LOW,
    STOM__IND_DAY_VALUE,
    STOM__IND_PREV_CLOSE, /* the previous trading day's last close */
    STOM__IND_COUNT
};

/* A parameter of a loaded strategy (the def's schema points into these). */
typedef struct stom__lua_param {
    char name[64];
    char help[128];
} stom__lua_param;

/* Memory accounting of one lua_State and the C buffers it caused. */
typedef struct stom__lua_alloc {
    size_t used, limit; /* bytes; limit 0 = none */
    size_t hard;        /* allocations past this ceiling fail */
    size_t gc_mark;     /* past it, mem_high asks for a full collection */
    stom__lua_view *view;
} stom__lua_alloc;

/* One symbol's state block in a run (the def's state_size). */
typedef struct stom__lua_sym {
    const struct stom_lua_strategy *prog; /* from the def's state_init */
    lua_State *L;
    lua_State *co;        /* the driver coroutine, anchored in L's registry */
    stom__lua_view *view; /* owned */
    stom__lua_alloc alloc;
    struct stom__lua_ind *inds[STOM__LUA_MAX_INDS]; /* owned */
    size_t n_inds;
    const stom_strategy_ctx *ctx; /* the ctx of the running callback (account, tick size) */
    size_t parked;                /* the bar the driver waits for */
    size_t act_bar;               /* SIZE_MAX: no queued actions for a later bar */
    bool has_on_fill, failed;
} stom__lua_sym;

struct stom_lua_strategy {
    stom_strategy_def def;              /* state_init points at seed */
    char name[STOM__LUA_NAME_MAX];      /* as given: messages say "name:line:" */
    char chunk[STOM__LUA_NAME_MAX + 1]; /* "@" + name */
    char short_name[64];                /* the file name without directories and ".lua" */
    char summary[160];
    char *code; /* what runs: instrumented when there are limits */
    size_t code_len;
    stom_lua_limits limits;
    stom_param_spec specs[STOM_MAX_PARAMS];
    stom__lua_param params[STOM_MAX_PARAMS];
    stom__lua_sym seed; /* prog = this: each state block starts as a copy */
};

/* --- lua_state.c: sandboxed states --- */

/*
 * Creates sym->L with the memory cap, the sandboxed environment and the
 * trusted runtime bound to sym->view (which must be set up). Leaves the
 * environment table on the stack. 0 or a STOM_E* with eb.
 */
int stom__lua_state_open(stom__lua_sym *sym, const stom_lua_strategy *prog, stom_errbuf *eb);
/* Closes sym->L and frees what the state caused on the C side. */
void stom__lua_state_close(stom__lua_sym *sym);
/* The lua_Alloc with the sticky limit flag (ud is a stom__lua_alloc). */
void *stom__lua_alloc_fn(void *ud, void *ptr, size_t osize, size_t nsize);
/*
 * At a safe point (not inside an allocation): when the heap passed its
 * mark, collects and decides. True when the strategy is over its memory
 * limit (mem_hit is then set and sticks).
 */
bool stom__lua_memory_over(stom__lua_sym *sym, lua_State *L);

/* --- lua_prelude.c: the trusted Lua side --- */

/* Loads the trusted runtime chunk onto L's stack (a function). 0 or the lua_load status. */
int stom__lua_prelude_load(lua_State *L);
/* lua_prelude_vocab.c: the chunk's middle part, one line per string. */
extern const char *const stom__lua_prelude_vocab[];
extern const size_t stom__lua_prelude_vocab_lines;

/* --- lua_instrument.c: the step budget --- */

/*
 * Copies code with a budget checkpoint after every `do`, `repeat`, function
 * parameter list and non-trailing label, without changing line numbers.
 * Refuses names starting with "__stom". Returns an owned buffer or NULL
 * with eb ("name:line: ...").
 */
char *stom__lua_instrument(const char *name, const char *code, size_t len, size_t *out_len,
                           stom_errbuf *eb);
/*
 * The order in which the `params = { ... }` literal names its entries:
 * writes up to max names (owned strings) and their lines, and returns how
 * many were found.
 */
size_t stom__lua_param_order(const char *code, size_t len, char **names, int *lines, size_t max);

/* --- lua_run.c: the def's callbacks --- */

/*
 * Creates sym's view and state for prog and runs the strategy's top level.
 * On success the state's stack holds the runtime's API table (index 1) and
 * the strategy's environment (index 2). 0 or STOM_E* with eb; on failure
 * the caller still calls stom__lua_sym_close.
 */
int stom__lua_sym_open(stom__lua_sym *sym, const stom_lua_strategy *prog, stom_errbuf *eb);
/* Frees what sym holds (state, view, series); keeps sym->prog. */
void stom__lua_sym_close(stom__lua_sym *sym);

int stom__lua_init(void *state, const stom_params *p, stom_errbuf *eb);
void stom__lua_on_bar(void *state, stom_strategy_ctx *ctx);
void stom__lua_on_fill(void *state, stom_strategy_ctx *ctx, const stom_fill *f);
void stom__lua_fini(void *state);
/*
 * Runs the function on top of L's stack in protected mode as one event with
 * nargs arguments below it. 0 or STOM_E* with "name:line: message" in eb.
 */
int stom__lua_call(stom__lua_sym *sym, lua_State *L, int nargs, int nresults, stom_errbuf *eb);
/* Formats the error on top of thread T (a message, maybe without a position) into eb. */
void stom__lua_error_message(stom__lua_sym *sym, lua_State *T, int status, stom_errbuf *eb);

/* --- lua_actions.c: orders and account values --- */

/* Carries out the queued actions through ctx and clears the queue. 0 or STOM_E* with eb. */
int stom__lua_act(stom__lua_sym *sym, stom_strategy_ctx *ctx, stom_errbuf *eb);
/* Writes the engine's side of the view from ctx (position, pending, columns). */
void stom__lua_view_sync(stom__lua_sym *sym, const stom_strategy_ctx *ctx);
/* Writes cash and equity now into the view (this symbol marked at the view's bar). */
void stom__lua_account(stom__lua_sym *sym);
/* The tick size (shown units) at price (price units) on bar's date. */
double stom__lua_tick_size(const stom__lua_sym *sym, double price, double bar);

/* --- lua_indicators.c: cached indicator series --- */

/* Frees every series of sym. */
void stom__lua_ind_free_all(stom__lua_sym *sym);
/* A new series of kind with parameters a, b, c; NULL when refused (count, memory, params). */
stom__lua_ind_head *stom__lua_ind_new(stom__lua_sym *sym, int kind, double a, double b, double c);
/* Makes series id hold bar j and `back` bars behind it. 0, or -1 (memory, bad id or j). */
int32_t stom__lua_ind_fill(stom__lua_view *v, double id, double j, double back);

#endif
