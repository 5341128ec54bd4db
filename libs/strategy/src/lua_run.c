/*
 * lua_run.c - a loaded Lua strategy behind the def's callbacks.
 *
 * init creates the symbol's state, runs the strategy's top level and
 * init(params), and starts the driver coroutine, which parks at bar 0.
 * From then on the driver runs ahead of the engine: C resumes it only at
 * the bar it parked for, and on every other bar on_bar returns after one
 * compare. The driver parks (yields) when it queued orders (C carries them
 * out at their bar), when orders are pending (a fill may change the
 * position), when it reads the shared account (cash, equity) ahead of the
 * engine, and when the data runs out. Because the strategy only runs ahead
 * while nothing it can observe may change, it sees exactly what it would
 * see if it were called bar by bar.
 *
 * Failures: an error in the strategy or an exceeded limit sets ctx->failed
 * (STOM_ESTATE) with "file:line: message" in ctx->eb; the runner stops the
 * run. The state is closed at fini like any other.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/alloc.h"

/*
 * The innermost line of the strategy's own chunk on T's stack, or 0. When
 * LuaJIT cannot tell the line (a memory error inside a concatenation), the
 * line where that function starts.
 */
static int user_line(const stom__lua_sym *sym, lua_State *T)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(T, level, &ar); level++) {
        if (!lua_getinfo(T, "Sl", &ar) || strcmp(ar.source, sym->prog->chunk) != 0)
            continue;
        if (ar.currentline > 0)
            return ar.currentline;
        if (ar.linedefined > 0)
            return ar.linedefined;
    }
    return 0;
}

static bool has_position(const char *msg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(msg, name, n) == 0 && msg[n] == ':';
}

/* "it reached its memory limit of 64 MiB", or plain out of memory without a limit. */
static const char *memory_text(const stom_lua_strategy *p, char *buf, size_t len)
{
    if (p->limits.memory_bytes == 0)
        return "it ran out of memory";
    snprintf(buf, len, "it reached its memory limit of %g MiB",
             (double)p->limits.memory_bytes / (1 << 20));
    return buf;
}

/* What to add to LuaJIT's own message for a runaway recursion. */
static const char *hint(const char *msg)
{
    size_t n = strlen(msg);
    return n >= 14 && strcmp(msg + n - 14, "stack overflow") == 0 ? " (runaway recursion?)" : "";
}

void stom__lua_error_message(stom__lua_sym *sym, lua_State *T, int status, stom_errbuf *eb)
{
    const stom_lua_strategy *p = sym->prog;
    const char *msg = lua_type(T, -1) == LUA_TSTRING ? lua_tostring(T, -1) : NULL;
    char where[STOM__LUA_NAME_MAX + 16];
    int line = user_line(sym, T);
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", p->name, line);
    else
        snprintf(where, sizeof where, "%s", p->name);
    char mem[64];
    if (status == LUA_ERRMEM || sym->view->mem_hit)
        stom_errorf(eb, STOM_ESTATE, "%s: strategy stopped: %s", where,
                    memory_text(p, mem, sizeof mem));
    else if (msg == NULL)
        stom_errorf(eb, STOM_ESTATE, "%s: the strategy raised an error that is not a string (%s)",
                    where, lua_typename(T, lua_type(T, -1)));
    else if (has_position(msg, p->name))
        stom_errorf(eb, STOM_ESTATE, "%s%s", msg, hint(msg));
    else
        stom_errorf(eb, STOM_ESTATE, "%s: %s%s", where, msg, hint(msg));
}

/* A limit was hit but the strategy caught the error (pcall) and went on. */
static int caught_limit(stom__lua_sym *sym, stom_errbuf *eb)
{
    char mem[64];
    if (sym->view->mem_hit)
        return stom_errorf(eb, STOM_ESTATE, "%s: strategy stopped: %s", sym->prog->name,
                           memory_text(sym->prog, mem, sizeof mem));
    return stom_errorf(eb, STOM_ESTATE, "%s: strategy stopped: it exceeded its step budget",
                       sym->prog->name);
}

int stom__lua_call(stom__lua_sym *sym, lua_State *L, int nargs, int nresults, stom_errbuf *eb)
{
    /* A thread of its own keeps the stack after an error, so any error gets its line. */
    lua_State *T = lua_newthread(L);
    lua_insert(L, -(nargs + 2));
    lua_xmove(L, T, nargs + 1);
    int status = lua_resume(T, nargs), rc = STOM_OK;
    bool over = stom__lua_memory_over(sym, L);
    if (status == 0 && (over || sym->view->steps_hit)) {
        rc = caught_limit(sym, eb);
    } else if (status == 0) {
        lua_settop(T, nresults);
        lua_xmove(T, L, nresults);
    } else if (status == LUA_YIELD) {
        rc = stom_errorf(eb, STOM_ESTATE, "%s: internal: the strategy yielded outside a bar",
                         sym->prog->name);
    } else {
        stom__lua_error_message(sym, T, status, eb);
        rc = STOM_ESTATE;
    }
    lua_remove(L, -(rc == STOM_OK ? nresults : 0) - 1);
    return rc;
}

/*
 * Creates the view and the state and runs the strategy's top level. On
 * success L's stack holds the runtime's API (1) and the environment (2).
 */
int stom__lua_sym_open(stom__lua_sym *sym, const stom_lua_strategy *prog, stom_errbuf *eb)
{
    sym->view = stom_xcalloc(1, sizeof *sym->view);
    sym->view->owner = sym;
    sym->view->price_scale = sym->view->qty_scale = 1;
    sym->view->bar = -1;
    sym->view->ind_fill = stom__lua_ind_fill;
    int rc = stom__lua_state_open(sym, prog, eb);
    if (rc != STOM_OK)
        return rc;
    lua_State *L = sym->L;
    int status = luaL_loadbuffer(L, prog->code, prog->code_len, prog->chunk);
    if (status != 0) {
        rc = stom_errorf(eb, status == LUA_ERRMEM ? STOM_ENOMEM : STOM_EFORMAT, "%s",
                         status == LUA_ERRMEM ? "not enough memory to compile the strategy"
                                              : lua_tostring(L, -1));
        lua_pop(L, 1);
        return rc;
    }
    lua_pushvalue(L, 2);
    lua_setfenv(L, -2);
    lua_getfield(L, 1, "run");
    lua_insert(L, -2);
    lua_getfield(L, 1, "checkpoint");
    return stom__lua_call(sym, L, 2, 0, eb);
}

/* Frees everything sym holds; it is zeroed except for its program. */
void stom__lua_sym_close(stom__lua_sym *sym)
{
    stom__lua_state_close(sym);
    free(sym->view);
    const stom_lua_strategy *prog = sym->prog;
    memset(sym, 0, sizeof *sym);
    sym->prog = prog;
}

static void push_values(lua_State *L, const stom_lua_strategy *prog, const stom_params *p)
{
    lua_createtable(L, 0, (int)prog->def.n_params);
    for (size_t k = 0; k < prog->def.n_params; k++) {
        if (prog->specs[k].type == STOM_PARAM_BOOL)
            lua_pushboolean(L, p->v[k] != 0);
        else
            lua_pushnumber(L, p->v[k]);
        lua_setfield(L, -2, prog->specs[k].name);
    }
}

static void mark_failed(stom__lua_sym *sym, stom_strategy_ctx *ctx, const stom_errbuf *eb)
{
    sym->failed = true;
    ctx->failed = STOM_ESTATE;
    if (ctx->eb != NULL && ctx->eb != eb)
        *ctx->eb = *eb;
}

/* Resumes the driver; after a yield, 0; otherwise the failure is in eb. */
static int resume(stom__lua_sym *sym, stom_errbuf *eb)
{
    int status = lua_resume(sym->co, 0);
    stom__lua_view *v = sym->view;
    bool over = stom__lua_memory_over(sym, sym->L);
    if (status == LUA_YIELD)
        return over || v->steps_hit ? caught_limit(sym, eb) : STOM_OK;
    if (status == 0)
        return stom_errorf(eb, STOM_ESTATE, "%s: internal: the strategy driver ended",
                           sym->prog->name);
    stom__lua_error_message(sym, sym->co, status, eb);
    return STOM_ESTATE;
}

static int start_driver(stom__lua_sym *sym, const stom_params *p, stom_errbuf *eb)
{
    lua_State *L = sym->L;
    lua_getfield(L, 1, "start");
    push_values(L, sym->prog, p);
    int rc = stom__lua_call(sym, L, 1, 2, eb);
    if (rc != STOM_OK)
        return STOM_EINVAL;
    sym->has_on_fill = lua_toboolean(L, -1);
    lua_pop(L, 1);
    sym->co = lua_newthread(L);
    lua_pushvalue(L, -1);
    luaL_ref(L, LUA_REGISTRYINDEX); /* the coroutine lives as long as the state */
    lua_pop(L, 1);
    lua_xmove(L, sym->co, 1);
    if (resume(sym, eb) != STOM_OK)
        return STOM_EINVAL;
    sym->parked = (size_t)sym->view->need_bar;
    sym->act_bar = SIZE_MAX;
    return STOM_OK;
}

int stom__lua_init(void *state, const stom_params *p, stom_errbuf *eb)
{
    stom__lua_sym *sym = state;
    int rc = stom__lua_sym_open(sym, sym->prog, eb);
    if (rc == STOM_OK)
        rc = start_driver(sym, p, eb);
    if (rc != STOM_OK) {
        stom__lua_sym_close(sym);
        return rc == STOM_ENOMEM ? rc : STOM_EINVAL;
    }
    return STOM_OK;
}

/* Hands the queued actions to the engine when they are due at bar (or now). */
static int take_actions(stom__lua_sym *sym, stom_strategy_ctx *ctx, size_t bar, stom_errbuf *eb)
{
    stom__lua_view *v = sym->view;
    if (v->n_actions == 0)
        return STOM_OK;
    if (v->act_bar >= 0 && (size_t)v->act_bar != bar) {
        sym->act_bar = (size_t)v->act_bar; /* queued while running ahead: due later */
        return STOM_OK;
    }
    sym->act_bar = SIZE_MAX;
    return stom__lua_act(sym, ctx, eb);
}

/* The engine reached a bar the strategy parked for or has orders for. */
__attribute__((noinline)) static void wake(stom__lua_sym *sym, stom_strategy_ctx *ctx)
{
    size_t bar = ctx->i;
    stom_errbuf eb;
    sym->ctx = ctx;
    int rc = STOM_OK;
    if (bar == sym->act_bar)
        rc = take_actions(sym, ctx, bar, &eb);
    while (rc == STOM_OK && sym->parked == bar) {
        stom__lua_view_sync(sym, ctx);
        sym->view->event = STOM__LUA_EV_BAR;
        rc = resume(sym, &eb);
        if (rc == STOM_OK)
            rc = take_actions(sym, ctx, bar, &eb);
        sym->parked = (size_t)sym->view->need_bar;
    }
    sym->ctx = NULL;
    if (rc != STOM_OK)
        mark_failed(sym, ctx, &eb);
}

void stom__lua_on_bar(void *state, stom_strategy_ctx *ctx)
{
    stom__lua_sym *sym = state;
    /* Otherwise the strategy already ran this bar ahead of the engine and did nothing. */
    if (ctx->i >= sym->parked || ctx->i == sym->act_bar)
        wake(sym, ctx);
}

void stom__lua_on_fill(void *state, stom_strategy_ctx *ctx, const stom_fill *f)
{
    stom__lua_sym *sym = state;
    if (!sym->has_on_fill || sym->failed)
        return;
    stom__lua_view *v = sym->view;
    stom_errbuf eb;
    sym->ctx = ctx;
    stom__lua_view_sync(sym, ctx);
    v->event = STOM__LUA_EV_FILL;
    v->fill_side = f->side, v->fill_qty = (double)f->qty, v->fill_price = (double)f->price;
    v->fill_value = (double)f->value, v->fill_fee = (double)f->fee, v->fill_tax = (double)f->tax;
    v->fill_ts = (double)f->ts;
    int rc = resume(sym, &eb);
    if (rc == STOM_OK)
        rc = take_actions(sym, ctx, SIZE_MAX, &eb);
    sym->ctx = NULL;
    if (rc != STOM_OK)
        mark_failed(sym, ctx, &eb);
}

void stom__lua_fini(void *state)
{
    stom__lua_sym_close(state);
}
