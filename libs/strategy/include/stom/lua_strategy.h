/*
 * stom/lua_strategy.h - user strategies written in Lua, run by LuaJIT in a
 * sandbox, behind the same stom_strategy_def as the C built-ins.
 *
 * A strategy file declares a `params` schema and defines on_bar (and
 * optionally init and on_fill); it reads the market through the names of
 * stom/vocabulary.h, in English or Korean (close/현재가, sma/이동평균,
 * buy/매수). The file format, the sandbox and the limits are described in
 * docs/lua-runtime.md.
 *
 * Loading compiles and checks the file once (syntax errors and the schema,
 * each reported as "file:line: ..."). The def it yields runs with
 * stom_backtest_run like any built-in: every symbol of every run gets a
 * fresh sandboxed LuaJIT state, so runs share nothing. A strategy error,
 * or a strategy that exceeds its step budget or memory cap, stops that run
 * only: stom_backtest_run returns STOM_ESTATE with "file:line: message".
 * An error while the strategy starts (its top-level code or init(params))
 * makes stom_backtest_run return STOM_EINVAL, as a refused parameter does.
 *
 * Thread-safety: a loaded strategy is immutable; runs on different threads
 * may use the same one at once (each has its own Lua states).
 */
#ifndef STOM_LUA_STRATEGY_H
#define STOM_LUA_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/strategy.h"

/* Per-state limits (each symbol of a run is one state). 0 turns a limit off. */
typedef struct stom_lua_limits {
    size_t memory_bytes;      /* Lua heap plus indicator buffers; at least 1 MiB when set */
    uint64_t steps_per_event; /* loop iterations and function calls per on_bar/on_fill/init */
    uint32_t ms_per_event;    /* wall-clock time per event, checked every 256 steps */
} stom_lua_limits;

typedef struct stom_lua_strategy stom_lua_strategy;

/* The defaults: 64 MiB, 10,000,000 steps and 2,000 ms per event. */
void stom_lua_limits_default(stom_lua_limits *l);
/* No limits at all (trusted code, benchmarks): no checkpoints, no memory cap. */
void stom_lua_limits_none(stom_lua_limits *l);

/*
 * Compiles code (len bytes, need not be NUL-terminated; a UTF-8 BOM is
 * skipped) named name (used in messages as "name:line:"; the def's name is
 * its file name without directories and ".lua"), runs its top level once
 * in a sandbox to read the params schema, and checks that on_bar exists.
 * limits may be NULL for the defaults. Sets *out (owned; free with
 * stom_lua_strategy_destroy) and returns 0, or returns STOM_EFORMAT (syntax
 * error), STOM_EINVAL (bad schema, no on_bar, an error in the top level),
 * STOM_ETOOBIG (more than 1 MiB of code) with eb saying where and why.
 */
int stom_lua_strategy_load(stom_lua_strategy **out, const char *name, const char *code, size_t len,
                           const stom_lua_limits *limits, stom_errbuf *eb);
/* Reads the file at path and loads it as above; STOM_EIO when it cannot be read. */
int stom_lua_strategy_load_file(stom_lua_strategy **out, const char *path,
                                const stom_lua_limits *limits, stom_errbuf *eb);
/* The strategy's def, for stom_backtest_run and stom_params_*. Borrowed from s. */
const stom_strategy_def *stom_lua_strategy_def(const stom_lua_strategy *s);
/* Releases s; no run may still use its def. NULL is a no-op. */
void stom_lua_strategy_destroy(stom_lua_strategy *s);

#endif
