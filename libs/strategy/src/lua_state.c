/*
 * lua_state.c - one sandboxed LuaJIT state: the capped allocator, the
 * libraries the trusted side needs, and the trusted runtime
 * (lua_prelude.c) that builds the strategy's environment.
 *
 * The state's real globals hold the full libraries (ffi, jit, debug, ...)
 * because the trusted runtime captures what it needs from them while it
 * starts. User code never runs with those globals: its chunk's environment
 * is the runtime's `env`, and nothing reachable from `env` leads back (no
 * getfenv, debug, rawget of foreign tables, or string metatable access).
 *
 * Memory: every allocation of the state goes through stom__lua_alloc_fn
 * (this LuaJIT is a GC64 build, where lua_newstate with a custom allocator
 * works on x86-64). The limit is enforced at safe points rather than by
 * failing allocations, because LuaJIT has no emergency collection (a
 * failed allocation would stop a strategy whose heap is mostly garbage)
 * and because a memory error raised inside JIT-compiled code is the least
 * trodden path of this LuaJIT. So:
 *   - when the heap passes a mark (half the limit at first) the allocator
 *     raises mem_high; the step budget's slow path (after 256 steps of an
 *     event, then every 256) and C at every return from Lua then run a
 *     full collection, and if what is live still exceeds the limit the run
 *     stops ("it reached its memory limit"); otherwise the mark moves
 *     halfway to the limit;
 *   - a hard ceiling (the limit plus a quarter, at least 4 MiB) is never
 *     passed: such an allocation fails, LuaJIT raises "not enough memory",
 *     and the sticky mem_hit flag stops the run even if the strategy catches
 *     the error.
 */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua_internal.h"
#include "sandbox_names.h"
#include "stom/indicators.h"
#include "stom/vocabulary.h"

#define API_KEY "stom.api"

void *stom__lua_alloc_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    stom__lua_alloc *a = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        a->used -= old;
        return NULL;
    }
    if (a->limit && nsize > old && a->used - old + nsize > a->hard) {
        if (a->view)
            a->view->mem_hit = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p != NULL)
        a->used = a->used - old + nsize;
    if (a->limit && a->used > a->gc_mark && a->view)
        a->view->mem_high = 1;
    return p;
}

static void open_library(lua_State *L, lua_CFunction open, const char *name)
{
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
}

static void set_number(lua_State *L, const char *key, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

static void set_string(lua_State *L, const char *key, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, key);
}

/* The indicator kinds by the names the runtime uses (same order as the enum). */
static void push_kinds(lua_State *L)
{
    static const char *const names[] = {
        "sma",      "avg_volume", "highest",  "lowest",      "ema",     "rsi",       "atr",
        "bb_upper", "bb_lower",   "macd",     "macd_signal", "cci",     "mfi",       "willr",
        "adx",      "obv",        "day_open", "day_high",    "day_low", "day_value", "prev_close"};
    lua_createtable(L, 0, STOM__IND_COUNT);
    for (int k = 0; k < STOM__IND_COUNT - 1; k++)
        set_number(L, names[k], k + 1);
    set_number(L, "count", STOM__IND_COUNT - 1);
}

/* --- The C services of the trusted side; the state's sym is upvalue 1. --- */

static stom__lua_sym *sym_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* clock() -> milliseconds of a monotonic clock. */
static int clock_ms(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
    return 1;
}

/* ind_new(kind, a, b, c) -> the series (lightuserdata) or nil. */
static int ind_new(lua_State *L)
{
    stom__lua_ind_head *e =
        stom__lua_ind_new(sym_of(L), (int)lua_tointeger(L, 1), lua_tonumber(L, 2),
                          lua_tonumber(L, 3), lua_tonumber(L, 4));
    if (e == NULL)
        lua_pushnil(L);
    else
        lua_pushlightuserdata(L, e);
    return 1;
}

/* account() -> cash, equity (cash units). */
static int account(lua_State *L)
{
    stom__lua_sym *sym = sym_of(L);
    stom__lua_account(sym);
    lua_pushnumber(L, sym->view->cash);
    lua_pushnumber(L, sym->view->equity);
    return 2;
}

bool stom__lua_memory_over(stom__lua_sym *sym, lua_State *L)
{
    stom__lua_alloc *a = &sym->alloc;
    if (a->limit == 0 || (!sym->view->mem_high && !sym->view->mem_hit))
        return sym->view->mem_hit != 0;
    lua_gc(L, LUA_GCCOLLECT, 0);
    sym->view->mem_high = 0;
    if (a->used > a->limit)
        sym->view->mem_hit = 1;
    else
        a->gc_mark = a->used + (a->limit - a->used) / 2;
    return sym->view->mem_hit != 0;
}

/* collect() -> true when the strategy is over its memory limit (see the top). */
static int collect(lua_State *L)
{
    lua_pushboolean(L, stom__lua_memory_over(sym_of(L), L));
    return 1;
}

/* tick_size(price, bar) -> the tick in shown units. */
static int tick_size(lua_State *L)
{
    lua_pushnumber(L, stom__lua_tick_size(sym_of(L), lua_tonumber(L, 1), lua_tonumber(L, 2)));
    return 1;
}

static void set_service(lua_State *L, stom__lua_sym *sym, const char *key, lua_CFunction f)
{
    lua_pushlightuserdata(L, sym);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, key);
}

/* A name list as a Lua array under key. */
static void set_names(lua_State *L, const char *key, const stom__name_list *l)
{
    lua_createtable(L, (int)l->n, 0);
    for (size_t k = 0; k < l->n; k++) {
        lua_pushstring(L, l->names[k]);
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, key);
}

static void push_config(lua_State *L, stom__lua_sym *sym, const stom_lua_strategy *prog)
{
    lua_createtable(L, 0, 20);
    set_string(L, "name", prog->name);
    set_string(L, "chunk", prog->chunk);
    set_string(L, "cdef", STOM__LUA_CDEF);
    set_number(L, "steps", (double)prog->limits.steps_per_event);
    set_number(L, "ms", prog->limits.ms_per_event);
    set_number(L, "max_period", STOM_IND_MAX_PERIOD);
    set_number(L, "max_actions", STOM__LUA_MAX_ACTIONS);
    set_number(L, "max_series", STOM__LUA_MAX_INDS);
    set_number(L, "memory_mib", (double)prog->limits.memory_bytes / (1 << 20));
    set_number(L, "view_size", sizeof(stom__lua_view));
    set_number(L, "off_mem_hit", offsetof(stom__lua_view, mem_hit));
    set_number(L, "off_ind_fill", offsetof(stom__lua_view, ind_fill));
    set_number(L, "ev_fill", STOM__LUA_EV_FILL);
    set_number(L, "act_buy", STOM__LUA_BUY);
    set_number(L, "act_sell", STOM__LUA_SELL);
    set_number(L, "act_close", STOM__LUA_CLOSE);
    push_kinds(L);
    lua_setfield(L, -2, "kinds");
    set_names(L, "withheld", &stom__sandbox_withheld);
    set_names(L, "functions", &stom__sandbox_functions);
    set_names(L, "string_kept", &stom__sandbox_string_kept);
    set_names(L, "table_kept", &stom__sandbox_table_kept);
    set_service(L, sym, "clock", clock_ms);
    set_service(L, sym, "ind_new", ind_new);
    set_service(L, sym, "account", account);
    set_service(L, sym, "tick_size", tick_size);
    set_service(L, sym, "collect", collect);
}

/* Every vocabulary entry, for the runtime to bind: {en, ko, needs, value}. */
static void push_vocabulary(lua_State *L)
{
    size_t n = 0;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        const stom_vocab_entry *e = &all[k];
        bool value = e->kind == STOM_VOCAB_FIELD || e->kind == STOM_VOCAB_POSITION ||
                     e->kind == STOM_VOCAB_PORTFOLIO;
        lua_createtable(L, 0, 4);
        set_string(L, "en", e->english);
        if (e->korean != NULL)
            set_string(L, "ko", e->korean);
        set_string(L, "needs", e->needs == STOM_DATA_SNAPSHOT ? "snapshot" : "bars");
        lua_pushboolean(L, value);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (int)k + 1);
    }
}

/* Runs in protected mode: libraries, then the runtime; its API goes to the registry. */
static int setup(lua_State *L)
{
    stom__lua_sym *sym = lua_touserdata(L, 1);
    open_library(L, luaopen_base, "");
    open_library(L, luaopen_string, LUA_STRLIBNAME);
    open_library(L, luaopen_table, LUA_TABLIBNAME);
    open_library(L, luaopen_math, LUA_MATHLIBNAME);
    open_library(L, luaopen_debug, LUA_DBLIBNAME);
    open_library(L, luaopen_jit, LUA_JITLIBNAME); /* also switches the JIT compiler on */
    if (stom__lua_prelude_load(L) != 0)
        return lua_error(L);
    lua_pushcfunction(L, luaopen_ffi);
    lua_call(L, 0, 1);
    lua_getglobal(L, LUA_DBLIBNAME);
    lua_getfield(L, -1, "getinfo");
    lua_remove(L, -2);
    lua_pushlightuserdata(L, sym->view);
    push_config(L, sym, sym->prog);
    push_vocabulary(L);
    lua_call(L, 5, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, API_KEY);
    return 0;
}

int stom__lua_state_open(stom__lua_sym *sym, const stom_lua_strategy *prog, stom_errbuf *eb)
{
    sym->prog = prog;
    size_t limit = prog->limits.memory_bytes, slack = limit / 4;
    slack = slack < ((size_t)4 << 20) ? (size_t)4 << 20 : slack;
    sym->alloc = (stom__lua_alloc){
        .limit = limit, .hard = limit + slack, .gc_mark = limit / 2, .view = sym->view};
    lua_State *L = lua_newstate(stom__lua_alloc_fn, &sym->alloc);
    if (L == NULL)
        return stom_errorf(eb, STOM_ENOMEM,
                           "%s: cannot create a Lua state (memory limit %zu bytes)", prog->name,
                           prog->limits.memory_bytes);
    int status = lua_cpcall(L, setup, sym);
    if (status != 0) {
        int rc = stom_errorf(eb, status == LUA_ERRMEM ? STOM_ENOMEM : STOM_ESTATE,
                             "%s: the Lua runtime did not start: %s", prog->name,
                             status == LUA_ERRMEM ? "its memory limit is too small"
                                                  : lua_tostring(L, -1));
        lua_close(L);
        return rc;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, API_KEY);
    lua_getfield(L, -1, "env");
    sym->L = L;
    return STOM_OK;
}

void stom__lua_state_close(stom__lua_sym *sym)
{
    if (sym->L != NULL)
        lua_close(sym->L);
    sym->L = NULL;
    sym->co = NULL;
    stom__lua_ind_free_all(sym);
}
