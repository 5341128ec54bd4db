/*
 * lua_prelude.c - the trusted Lua side of a strategy state, as source text.
 *
 * One chunk ("=stom/runtime") runs in every state before any user code,
 * with the FFI, debug.getinfo, the view and its configuration as
 * arguments. Everything it keeps is a local, so user code, which only sees
 * the `env` it builds, cannot reach the FFI, the view or the driver. This
 * file holds its beginning and end:
 *   - the step budget (checkpoint/budget) that lua_instrument.c weaves in;
 *   - wait(): parking the strategy until the engine reaches a bar, running
 *     on_fill for fills that arrive meanwhile;
 *   - the indicator series cache (values read straight from C buffers);
 *   - the sandboxed environment, the bar given to on_bar, the binding of
 *     every vocabulary name (English and Korean to one implementation);
 *   - drive(): the loop that runs on_bar for consecutive bars and returns
 *     to C only when the strategy acts or needs the engine.
 * The middle, the implementations of the vocabulary, is lua_prelude_vocab.c.
 *
 * The text is one string per line (ISO C bounds the length of one string
 * literal) fed to lua_load by a reader; line numbers in "stom/runtime:N"
 * count over the whole chunk. It is compiled once per process; states load
 * the bytecode.
 */
#include <lauxlib.h>
#include <pthread.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/alloc.h"

static const char *const head[] = {
    "-- stom/runtime: the trusted side of one strategy state (lua_internal.h).\n",
    "-- It runs before any user code; all it keeps is local, so the strategy, which\n",
    "-- only sees `env`, cannot reach the FFI, the view or the driver.\n",
    "local ffi, getinfo, vptr, cfg, vocab = ...\n",
    "ffi.cdef(cfg.cdef)\n",
    "local V = ffi.cast('stom_lua_view *', vptr)\n",
    "if ffi.sizeof('stom_lua_view') ~= cfg.view_size\n",
    "    or ffi.offsetof('stom_lua_view', 'mem_hit') ~= cfg.off_mem_hit\n",
    "    or ffi.offsetof('stom_lua_view', 'ind_fill') ~= cfg.off_ind_fill then\n",
    "  error('internal: the FFI view does not match the C struct', 0)\n",
    "end\n",
    "local type, tostring, error, pairs, ipairs, rawget, rawset = type, tostring, error, pairs, "
    "ipairs, rawget, rawset\n",
    "local setmetatable, getmetatable, tonumber = setmetatable, getmetatable, tonumber\n",
    "local floor, huge, format = math.floor, math.huge, string.format\n",
    "local yield = coroutine.yield\n",
    "local nan = 0 / 0\n",
    "local NAME, CHUNK, MAXP, MAXACT = cfg.name, cfg.chunk, cfg.max_period, cfg.max_actions\n",
    "local K = cfg.kinds\n",
    "-- C services: lua_CFunctions, except the refill on the hot path (see lua_internal.h).\n",
    "local clock, ind_new = cfg.clock, cfg.ind_new\n",
    "local account_now, tick_size = cfg.account, cfg.tick_size\n",
    "local ps, qs = 1, 1 -- the instrument's scales, known once bars arrive\n",
    "\n",
    "local k = -1 -- the bar the strategy is at; -1 before the first\n",
    "local ev = 0 -- counts events that are not bars (top level, init, fills)\n",
    "local in_fill = false\n",
    "\n",
    "-- Messages point at the strategy's own line: the innermost frame of its chunk.\n",
    "local function where()\n",
    "  for level = 1, 250 do\n",
    "    local info = getinfo(level, 'Sl')\n",
    "    if info == nil then break end\n",
    "    if info.source == CHUNK and info.currentline > 0 then\n",
    "      return NAME .. ':' .. info.currentline .. ': '\n",
    "    end\n",
    "  end\n",
    "  return NAME .. ': '\n",
    "end\n",
    "local function fail(msg) error(where() .. msg, 0) end\n",
    "\n",
    "-- The step budget: checkpoint() is woven into the strategy's loops and\n",
    "-- function entries; every SLICE steps of one event budget() checks the\n",
    "-- event's total, its clock and the memory mark. Every event starts with a\n",
    "-- full slice, so a strategy that takes fewer steps than that per bar never\n",
    "-- leaves compiled code for it. Limits stay hit: a strategy that catches\n",
    "-- the error with pcall fails at its next checkpoint, and C stops the run\n",
    "-- at the next yield.\n",
    "local max_steps, max_ms = cfg.steps, cfg.ms\n",
    "local SLICE = 256\n",
    "if max_steps > 0 and max_steps < SLICE then SLICE = max_steps end\n",
    "local left, used, seen_k, seen_ev, t0, dead = SLICE, 0, -2, -1, -1, false\n",
    "-- A limit that was hit stays hit: every event then starts with no steps left.\n",
    "local function stop(msg)\n",
    "  dead = msg\n",
    "  V.steps_hit = 1\n",
    "  left, SLICE = -1, -1\n",
    "  fail(msg)\n",
    "end\n",
    "local collect = cfg.collect\n",
    "local function budget()\n",
    "  if dead then left = -1; fail(dead) end\n",
    "  if V.mem_hit ~= 0 or (V.mem_high ~= 0 and collect()) then\n",
    "    left, SLICE = -1, -1\n",
    "    fail(format('strategy stopped: it reached its memory limit of %g MiB', cfg.memory_mib))\n",
    "  end\n",
    "  if k ~= seen_k or ev ~= seen_ev then seen_k, seen_ev, used, t0 = k, ev, 0, -1 end\n",
    "  used = used + SLICE\n",
    "  if max_steps > 0 and used > max_steps then\n",
    "    stop(format('strategy stopped: more than %.0f steps in one event '\n",
    "      .. '(an endless loop or runaway recursion?)', max_steps))\n",
    "  end\n",
    "  if max_ms > 0 then\n",
    "    local now = clock()\n",
    "    if t0 < 0 then t0 = now\n",
    "    elseif now - t0 > max_ms then\n",
    "      stop(format('strategy stopped: one event ran longer than %.0f ms', max_ms))\n",
    "    end\n",
    "  end\n",
    "  left = SLICE\n",
    "end\n",
    "-- budget() calls C (the clock, a collection): never compile it, so that no\n",
    "-- trace through the strategy ever includes it (LuaJIT would stitch the\n",
    "-- trace around the call); every 256 steps it runs in the interpreter.\n",
    "jit.off(budget)\n",
    "local function checkpoint()\n",
    "  left = left - 1\n",
    "  if left < 0 then budget() end\n",
    "end\n",
    "\n",
    "-- Waiting for the engine. The strategy runs ahead of the engine while\n",
    "-- nothing it does can change (no pending orders, no queued orders) and\n",
    "-- parks here when it needs the engine: C resumes it at the start of bar\n",
    "-- `bar` (mid = 0) or inside it with fresh account values (mid = 1). Fills\n",
    "-- that arrive meanwhile run on_fill.\n",
    "local on_bar, on_fill\n",
    "local function fill_table()\n",
    "  return {side = V.fill_side > 0 and 'buy' or 'sell', qty = V.fill_qty / qs,\n",
    "    price = V.fill_price / ps, value = V.fill_value / ps, fee = V.fill_fee / ps,\n",
    "    tax = V.fill_tax / ps, time = V.fill_ts}\n",
    "end\n",
    "local function wait(bar, mid)\n",
    "  V.need_bar = bar\n",
    "  V.need_mid = mid\n",
    "  while true do\n",
    "    yield()\n",
    "    ps, qs = V.price_scale, V.qty_scale\n",
    "    if V.event ~= cfg.ev_fill then return end\n",
    "    if on_fill then\n",
    "      ev = ev + 1\n",
    "      in_fill = true\n",
    "      left = SLICE\n",
    "      on_fill(fill_table())\n",
    "      in_fill = false\n",
    "      if V.n_actions > 0 then V.act_bar = -1 end\n",
    "    end\n",
    "  end\n",
    "end\n",
    "\n",
    "local function need_bar(name)\n",
    "  if k < 0 then fail(name .. ' is only available once bars arrive (in on_bar or on_fill)') "
    "end\n",
    "end\n",
    "local function whole(name, what, x, lo, hi)\n",
    "  if type(x) ~= 'number' or x ~= floor(x) or x < lo or x > hi then\n",
    "    fail(format('%s: %s must be a whole number from %d to %d, got %s', name, what, lo, hi,\n",
    "      tostring(x)))\n",
    "  end\n",
    "  return x\n",
    "end\n",
    "\n",
    "-- Indicator series live in C (lua_indicators.c): the runtime keeps one per\n",
    "-- kind and parameters, shared by the English and Korean names, and reads\n",
    "-- the value of bar j from its buffer; C refills it ahead in chunks. The\n",
    "-- caches of one-period kinds get an array part for periods up to 1024 the\n",
    "-- first time they are used, so the lookup on every bar is an array load.\n",
    "local SMALL = 1024\n",
    "local series = {}\n",
    "for kind = 1, K.count do series[kind] = {} end\n",
    "local function value(name, e, j, back)\n",
    "  if j < e.lo or j >= e.hi then\n",
    "    if j < 0 then return nan end\n",
    "    if V.ind_fill(V, e.id, j, back) ~= 0 then fail(name .. ': the memory limit was reached') "
    "end\n",
    "  end\n",
    "  return e.buf[j - e.lo]\n",
    "end\n",
    "local function new_series(name, kind, a, b, c)\n",
    "  local p = ind_new(kind, a, b, c)\n",
    "  if p == nil then\n",
    "    fail(format('%s: no room for another indicator series (at most %d, within the memory "
    "limit)',\n",
    "      name, cfg.max_series))\n",
    "  end\n",
    "  return ffi.cast('stom_lua_ind *', p)\n",
    "end\n",
    "local function back_of(name, b)\n",
    "  if b == nil then return 0 end\n",
    "  return whole(name, 'back', b, 0, MAXP)\n",
    "end\n",
    "\n",
};

static const char *const tail[] = {
    "-- The sandbox: the strategy's globals. Market values (fields, position and\n",
    "-- account) are read through __index; functions and the safe standard\n",
    "-- library are plain entries. What a full Lua state has beyond that is\n",
    "-- withheld, and reading such a name says so.\n",
    "local env, getters = {}, {}\n",
    "local withheld = {}\n",
    "-- The lists come from sandbox_names.c, which `stom strategy check` reads too.\n",
    "for _, n in ipairs(cfg.withheld) do\n",
    "  withheld[n] = true\n",
    "end\n",
    "local function unavailable(n) fail(tostring(n) .. ' is not available in strategies "
    "(sandbox)') end\n",
    "setmetatable(env, {\n",
    "  __index = function(_, n)\n",
    "    local g = getters[n]\n",
    "    if g ~= nil then return g() end\n",
    "    if withheld[n] then unavailable(n) end\n",
    "    return nil\n",
    "  end,\n",
    "  __newindex = function(t, n, v)\n",
    "    if getters[n] ~= nil then fail(format(\"'%s' is a market value and cannot be assigned\", "
    "tostring(n))) end\n",
    "    rawset(t, n, v)\n",
    "  end,\n",
    "  __metatable = false,\n",
    "})\n",
    "local function library(lib, src, names)\n",
    "  local t = {}\n",
    "  for _, n in ipairs(names) do t[n] = src[n] end\n",
    "  return setmetatable(t, {\n",
    "    __index = function(_, n) unavailable(lib .. '.' .. tostring(n)) end,\n",
    "    __metatable = false,\n",
    "  })\n",
    "end\n",
    "local math_names = {}\n",
    "for n in pairs(math) do math_names[#math_names + 1] = n end\n",
    "local string_names = cfg.string_kept\n",
    "local sfind = string.find\n",
    "-- Patterns are withheld (a pathological one runs unbounded in C); find is plain.\n",
    "local safe_string = {find = function(s, p, init) return sfind(s, p, init, true) end}\n",
    "for _, n in ipairs(string_names) do safe_string[n] = safe_string[n] or string[n] end\n",
    "env.math = library('math', math, math_names)\n",
    "env.string = library('string', safe_string, string_names)\n",
    "env.table = library('table', table, cfg.table_kept)\n",
    "-- String methods (\"x\"):rep(3) use their own copy, out of the strategy's reach.\n",
    "local smeta = getmetatable('')\n",
    "smeta.__index = library('string', safe_string, string_names)\n",
    "smeta.__metatable = false\n",
    "for _, n in ipairs(cfg.functions) do\n",
    "  env[n] = _G[n]\n",
    "end\n",
    "\n",
    "-- Every vocabulary name, English and Korean, bound to one implementation.\n",
    "for _, e in ipairs(vocab) do\n",
    "  local maker = impl[e.en]\n",
    "  if maker == nil and e.needs ~= 'snapshot' then\n",
    "    error('internal: the vocabulary name ' .. e.en .. ' has no implementation', 0)\n",
    "  end\n",
    "  local names = {e.en, e.ko}\n",
    "  for i = 1, 2 do\n",
    "    local n, other = names[i], names[3 - i]\n",
    "    if n ~= nil then\n",
    "      local f\n",
    "      if e.needs == 'snapshot' then\n",
    "        local msg = format('%s (%s) needs 1-second snapshot data; this data set has bars "
    "only', n,\n",
    "          other or n)\n",
    "        f = function() fail(msg) end\n",
    "      else\n",
    "        f = maker(n)\n",
    "      end\n",
    "      if e.value then getters[n] = f else rawset(env, n, f) end\n",
    "    end\n",
    "  end\n",
    "end\n",
    "\n",
    "-- The bar passed to on_bar: the same fields by name, read-only.\n",
    "local bar = setmetatable({}, {\n",
    "  __index = function(_, n)\n",
    "    local g = getters[n]\n",
    "    if g == nil then fail(\"bar has no field '\" .. tostring(n) .. \"'\") end\n",
    "    return g()\n",
    "  end,\n",
    "  __newindex = function() fail('the bar is read-only') end,\n",
    "  __metatable = false,\n",
    "})\n",
    "\n",
    "local function drive()\n",
    "  wait(0, 0)\n",
    "  local t = 0\n",
    "  while true do\n",
    "    k = t\n",
    "    if V.mem_hit ~= 0 then SLICE = -1 end -- a failed allocation that was caught\n",
    "    left = SLICE\n",
    "    on_bar(bar)\n",
    "    local queued = V.n_actions > 0\n",
    "    if queued then V.act_bar = k end\n",
    "    t = k + 1\n",
    "    if queued or V.pending ~= 0 or t >= V.len then wait(t, 0) end\n",
    "  end\n",
    "end\n",
    "\n",
    "return {\n",
    "  env = env,\n",
    "  checkpoint = checkpoint,\n",
    "  -- Runs f(...) as one event (the top level, init).\n",
    "  run = function(f, ...)\n",
    "    ev = ev + 1\n",
    "    left = SLICE\n",
    "    return f(...)\n",
    "  end,\n",
    "  -- After the top level: params become their values, init runs, and the\n",
    "  -- driver is returned for C to wrap in a coroutine.\n",
    "  start = function(values)\n",
    "    -- Declared names are plain fields (one lookup); an undeclared one is an error.\n",
    "    setmetatable(values, {\n",
    "      __index = function(_, n) fail('params.' .. tostring(n) .. ' is not declared in params') "
    "end,\n",
    "      __metatable = false,\n",
    "    })\n",
    "    rawset(env, 'params', values)\n",
    "    local init = rawget(env, 'init')\n",
    "    if init ~= nil then\n",
    "      if type(init) ~= 'function' then fail('init must be a function') end\n",
    "      ev = ev + 1\n",
    "      left = SLICE\n",
    "      init(values)\n",
    "    end\n",
    "    on_bar, on_fill = rawget(env, 'on_bar'), rawget(env, 'on_fill')\n",
    "    if type(on_bar) ~= 'function' then\n",
    "      fail('the strategy defines no on_bar function (a global: function on_bar() ... end)')\n",
    "    end\n",
    "    if on_fill ~= nil and type(on_fill) ~= 'function' then fail('on_fill must be a function') "
    "end\n",
    "    return drive, on_fill ~= nil\n",
    "  end,\n",
    "}\n",
};

typedef struct part {
    const char *const *lines;
    size_t n;
} part;

typedef struct reader_state {
    part parts[3];
    size_t part, next;
} reader_state;

static const char *read_line(lua_State *L, void *ud, size_t *size)
{
    (void)L;
    reader_state *r = ud;
    while (r->part < 3 && r->next == r->parts[r->part].n) {
        r->part++;
        r->next = 0;
    }
    if (r->part == 3)
        return NULL;
    const char *line = r->parts[r->part].lines[r->next++];
    *size = strlen(line);
    return line;
}

static int load_text(lua_State *L)
{
    reader_state r = {
        .parts = {{head, sizeof head / sizeof head[0]},
                  {stom__lua_prelude_vocab, stom__lua_prelude_vocab_lines},
                  {tail, sizeof tail / sizeof tail[0]}},
    };
    return lua_load(L, read_line, &r, "=stom/runtime");
}

/*
 * Parsing the text costs about ten times as much as loading its bytecode,
 * and every symbol of every run starts a state, so the text is compiled
 * once per process and its bytecode kept (about 20 KB, never freed). The
 * bytecode never comes from outside: it is our own text, compiled here.
 */
static struct {
    char *buf;
    size_t len, cap;
} bytecode;
static pthread_once_t bytecode_once = PTHREAD_ONCE_INIT;

static int collect(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    (void)ud;
    if (bytecode.len + n > bytecode.cap) {
        bytecode.cap = (bytecode.len + n) * 2;
        bytecode.buf = stom_xrealloc(bytecode.buf, bytecode.cap);
    }
    memcpy(bytecode.buf + bytecode.len, p, n);
    bytecode.len += n;
    return 0;
}

static void compile_once(void)
{
    lua_State *L = luaL_newstate();
    if (L != NULL && load_text(L) == 0 && lua_dump(L, collect, NULL) != 0)
        bytecode.len = 0; /* a failed dump: every state parses the text */
    if (L != NULL)
        lua_close(L);
}

int stom__lua_prelude_load(lua_State *L)
{
    pthread_once(&bytecode_once, compile_once);
    if (bytecode.len == 0)
        return load_text(L);
    return luaL_loadbuffer(L, bytecode.buf, bytecode.len, "=stom/runtime");
}
