/*
 * lua_loader.c - loading a Lua strategy: compile, weave in the budget, run
 * its top level once in a sandbox and read its `params` schema into the
 * stom_param_spec table optimizers sweep.
 *
 * The schema follows the built-ins' rules and `stom strategy check`:
 *   params = { fast = {type = "int", default = 10, min = 1, max = 1000, step = 1,
 *                      help = "..."}, ... }
 * type is int, float or bool; int and float need default, min and max with
 * min <= default <= max; step > 0 defaults to 1 (int) or (max - min) / 10
 * (float); int values are whole; bool takes a true/false default only.
 * Entries keep the order in which the file writes them.
 */
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/alloc.h"

void stom_lua_limits_default(stom_lua_limits *l)
{
    l->memory_bytes = (size_t)64 << 20;
    l->steps_per_event = 10000000;
    l->ms_per_event = 2000;
}

void stom_lua_limits_none(stom_lua_limits *l)
{
    memset(l, 0, sizeof *l);
}

/* Where a schema problem is: "name:line: params.x" or "name: params.x". */
typedef struct schema_ctx {
    const stom_lua_strategy *s;
    const char *entry;
    int line;
    stom_errbuf *eb;
} schema_ctx;

static int schema_error(const schema_ctx *c, const char *what)
{
    if (c->line > 0)
        return stom_errorf(c->eb, STOM_EINVAL, "%s:%d: params.%s: %s", c->s->name, c->line,
                           c->entry, what);
    return stom_errorf(c->eb, STOM_EINVAL, "%s: params.%s: %s", c->s->name, c->entry, what);
}

static bool whole(double x)
{
    return x == floor(x);
}

/* Reads the number (or absent) at key of the entry table on top of L. */
static int number_field(lua_State *L, const schema_ctx *c, const char *key, bool *present,
                        double *out)
{
    lua_getfield(L, -1, key);
    *present = !lua_isnil(L, -1);
    bool ok = !*present || lua_type(L, -1) == LUA_TNUMBER;
    if (ok && *present)
        *out = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!ok || (*present && !isfinite(*out))) {
        char what[64];
        snprintf(what, sizeof what, "%s must be a number", key);
        return schema_error(c, what);
    }
    return STOM_OK;
}

static int check_keys(lua_State *L, const schema_ctx *c)
{
    static const char *const keys[] = {"type", "default", "min", "max", "step", "help"};
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        bool known = false;
        lua_pop(L, 1);
        for (size_t k = 0; k < 6 && lua_type(L, -1) == LUA_TSTRING; k++)
            known = known || strcmp(lua_tostring(L, -1), keys[k]) == 0;
        if (!known) {
            char what[160];
            snprintf(what, sizeof what,
                     "unknown key '%.60s' (keys: type, default, min, max, step, help)",
                     lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
            lua_pop(L, 1);
            return schema_error(c, what);
        }
    }
    return STOM_OK;
}

static int read_bool(lua_State *L, const schema_ctx *c, stom_param_spec *spec)
{
    lua_getfield(L, -1, "default");
    bool ok = lua_type(L, -1) == LUA_TBOOLEAN;
    spec->def = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!ok)
        return schema_error(c, "a bool parameter needs default = true or false");
    static const char *const others[] = {"min", "max", "step"};
    for (size_t k = 0; k < 3; k++) {
        lua_getfield(L, -1, others[k]);
        bool present = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (present)
            return schema_error(c, "a bool parameter takes only a default");
    }
    spec->min = 0, spec->max = 1, spec->step = 1;
    return STOM_OK;
}

static int read_range(lua_State *L, const schema_ctx *c, stom_param_spec *spec)
{
    bool has_def, has_min, has_max, has_step;
    int rc = number_field(L, c, "default", &has_def, &spec->def);
    if (rc == STOM_OK)
        rc = number_field(L, c, "min", &has_min, &spec->min);
    if (rc == STOM_OK)
        rc = number_field(L, c, "max", &has_max, &spec->max);
    if (rc == STOM_OK)
        rc = number_field(L, c, "step", &has_step, &spec->step);
    if (rc != STOM_OK)
        return rc;
    char what[160];
    if (!has_def || !has_min || !has_max)
        return schema_error(c, "int and float parameters need default, min and max");
    if (!has_step)
        spec->step = spec->type == STOM_PARAM_INT ? 1 : (spec->max - spec->min) / 10;
    if (spec->min > spec->max) {
        snprintf(what, sizeof what, "min %g is above max %g", spec->min, spec->max);
        return schema_error(c, what);
    }
    if (spec->def < spec->min || spec->def > spec->max) {
        snprintf(what, sizeof what, "default %g is outside [%g, %g]", spec->def, spec->min,
                 spec->max);
        return schema_error(c, what);
    }
    if (spec->type == STOM_PARAM_INT &&
        !(whole(spec->def) && whole(spec->min) && whole(spec->max) && whole(spec->step)))
        return schema_error(c, "an int parameter needs whole default, min, max and step");
    if (!(spec->step > 0) && spec->max > spec->min)
        return schema_error(c, "step must be above 0");
    if (!(spec->step > 0))
        spec->step = 1;
    return STOM_OK;
}

/* Parses the entry table on top of L into spec (name and help stored in slot). */
static int read_entry(lua_State *L, const schema_ctx *c, stom_param_spec *spec,
                      stom__lua_param *slot)
{
    if (!lua_istable(L, -1))
        return schema_error(c, "must be a table such as {type = \"int\", default = 10, min = 1, "
                               "max = 100}");
    int rc = check_keys(L, c);
    if (rc != STOM_OK)
        return rc;
    lua_getfield(L, -1, "type");
    const char *type = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    spec->type = !strcmp(type, "int")     ? STOM_PARAM_INT
                 : !strcmp(type, "float") ? STOM_PARAM_FLOAT
                                          : STOM_PARAM_BOOL;
    bool known = !strcmp(type, "int") || !strcmp(type, "float") || !strcmp(type, "bool");
    lua_pop(L, 1);
    if (!known)
        return schema_error(c, "type must be \"int\", \"float\" or \"bool\"");
    lua_getfield(L, -1, "help");
    if (lua_type(L, -1) == LUA_TSTRING)
        snprintf(slot->help, sizeof slot->help, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    spec->name = slot->name;
    spec->help = slot->help;
    return spec->type == STOM_PARAM_BOOL ? read_bool(L, c, spec) : read_range(L, c, spec);
}

static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n < sizeof(((stom__lua_param *)0)->name) && strpbrk(name, "= \t\n,") == NULL;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entry names in the file's order, then any the source scan missed
 * (computed keys) sorted. Refuses keys that are not names. Owned strings.
 */
static int entry_names(lua_State *L, stom_lua_strategy *s, char **names, int *lines, size_t *n,
                       stom_errbuf *eb)
{
    char *scanned[STOM_MAX_PARAMS + 1];
    int scanned_lines[STOM_MAX_PARAMS + 1];
    size_t n_scanned =
        stom__lua_param_order(s->code, s->code_len, scanned, scanned_lines, STOM_MAX_PARAMS + 1);
    size_t count = 0, extra_from = 0;
    int rc = STOM_OK;
    for (size_t k = 0; k < n_scanned; k++) {
        lua_getfield(L, -1, scanned[k]);
        bool present = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (present && count < STOM_MAX_PARAMS + 1)
            names[count] = scanned[k], lines[count++] = scanned_lines[k];
        else
            free(scanned[k]);
    }
    extra_from = count;
    lua_pushnil(L);
    while (rc == STOM_OK && lua_next(L, -2) != 0) {
        lua_pop(L, 1);
        bool str = lua_type(L, -1) == LUA_TSTRING;
        const char *key = str ? lua_tostring(L, -1) : "";
        bool seen = false;
        for (size_t k = 0; k < extra_from && str; k++)
            seen = seen || strcmp(names[k], key) == 0;
        if (!str || !name_ok(key))
            rc = stom_errorf(eb, STOM_EINVAL, "%s: params keys must be names of at most 63 bytes",
                             s->name);
        else if (!seen && count < STOM_MAX_PARAMS + 1)
            names[count] = stom_xstrdup(key), lines[count++] = 0;
    }
    if (rc != STOM_OK)
        lua_pop(L, 1);
    qsort(names + extra_from, count - extra_from, sizeof *names, cmp_names);
    *n = count;
    return rc;
}

/* Reads env.params (the environment is at index 2 of L) into s->specs. */
static int read_schema(lua_State *L, stom_lua_strategy *s, stom_errbuf *eb)
{
    lua_pushstring(L, "params");
    lua_rawget(L, 2);
    if (lua_isnil(L, -1))
        return STOM_OK;
    if (!lua_istable(L, -1))
        return stom_errorf(eb, STOM_EINVAL,
                           "%s: params must be a table of entries such as "
                           "fast = {type = \"int\", default = 10, min = 1, max = 100}",
                           s->name);
    char *names[STOM_MAX_PARAMS + 1];
    int lines[STOM_MAX_PARAMS + 1];
    size_t n = 0;
    int rc = entry_names(L, s, names, lines, &n, eb);
    if (rc == STOM_OK && n > STOM_MAX_PARAMS)
        rc = stom_errorf(eb, STOM_EINVAL, "%s: at most %d parameters", s->name, STOM_MAX_PARAMS);
    for (size_t k = 0; k < n && rc == STOM_OK; k++) {
        schema_ctx c = {s, names[k], lines[k], eb};
        snprintf(s->params[k].name, sizeof s->params[k].name, "%s", names[k]);
        lua_getfield(L, -1, names[k]);
        rc = read_entry(L, &c, &s->specs[k], &s->params[k]);
        lua_pop(L, 1);
        s->def.n_params = k + 1;
    }
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    return rc;
}

/* The top level ran: on_bar must exist; summary is optional. */
static int read_globals(lua_State *L, stom_lua_strategy *s, stom_errbuf *eb)
{
    lua_pushstring(L, "on_bar");
    lua_rawget(L, 2);
    bool has_on_bar = lua_isfunction(L, -1);
    lua_pop(L, 1);
    if (!has_on_bar)
        return stom_errorf(eb, STOM_EINVAL,
                           "%s: the strategy defines no on_bar function (a global: function "
                           "on_bar() ... end)",
                           s->name);
    lua_pushstring(L, "summary");
    lua_rawget(L, 2);
    if (lua_type(L, -1) == LUA_TSTRING)
        snprintf(s->summary, sizeof s->summary, "%s", lua_tostring(L, -1));
    else
        snprintf(s->summary, sizeof s->summary, "Lua strategy %s", s->short_name);
    lua_pop(L, 1);
    return STOM_OK;
}

static int probe(stom_lua_strategy *s, stom_errbuf *eb)
{
    stom__lua_sym sym;
    memset(&sym, 0, sizeof sym);
    int rc = stom__lua_sym_open(&sym, s, eb);
    if (rc == STOM_OK)
        rc = read_globals(sym.L, s, eb);
    if (rc == STOM_OK)
        rc = read_schema(sym.L, s, eb);
    stom__lua_sym_close(&sym);
    return rc == STOM_OK || rc == STOM_EFORMAT || rc == STOM_ENOMEM ? rc : STOM_EINVAL;
}

/* Compiles the file as written, so syntax errors read exactly as LuaJIT reports them. */
static int check_syntax(const stom_lua_strategy *s, const char *code, size_t len, stom_errbuf *eb)
{
    lua_State *L = luaL_newstate();
    if (L == NULL)
        return stom_errorf(eb, STOM_ENOMEM, "%s: cannot create a Lua state", s->name);
    int status = luaL_loadbuffer(L, code, len, s->chunk);
    int rc = status == 0 ? STOM_OK
                         : stom_errorf(eb, STOM_EFORMAT, "%s",
                                       status == LUA_ERRSYNTAX ? lua_tostring(L, -1)
                                                               : "not enough memory to compile");
    lua_close(L);
    return rc;
}

static void set_names(stom_lua_strategy *s, const char *name)
{
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->chunk, sizeof s->chunk, "@%s", name);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
        n -= 4;
    snprintf(s->short_name, sizeof s->short_name, "%.*s", (int)n, base);
}

static int check_args(const char *name, size_t len, const stom_lua_limits *limits, stom_errbuf *eb)
{
    if (name == NULL || name[0] == '\0' || strlen(name) >= STOM__LUA_NAME_MAX)
        return stom_errorf(eb, STOM_EINVAL, "a strategy needs a name shorter than %d bytes",
                           STOM__LUA_NAME_MAX);
    if (len > STOM__LUA_MAX_CODE)
        return stom_errorf(eb, STOM_ETOOBIG, "%s: %zu bytes of code; at most %d", name, len,
                           STOM__LUA_MAX_CODE);
    if (limits->memory_bytes != 0 && limits->memory_bytes < ((size_t)1 << 20))
        return stom_errorf(eb, STOM_EINVAL, "%s: a memory limit must be at least 1 MiB", name);
    return STOM_OK;
}

static void prepare_def(stom_lua_strategy *s)
{
    s->seed.prog = s;
    s->def.name = s->short_name;
    s->def.summary = s->summary;
    s->def.params = s->specs;
    s->def.state_size = sizeof(stom__lua_sym);
    s->def.state_init = &s->seed;
    s->def.init = stom__lua_init;
    s->def.on_bar = stom__lua_on_bar;
    s->def.on_fill = stom__lua_on_fill;
    s->def.fini = stom__lua_fini;
}

int stom_lua_strategy_load(stom_lua_strategy **out, const char *name, const char *code, size_t len,
                           const stom_lua_limits *limits, stom_errbuf *eb)
{
    stom_lua_limits def_limits;
    stom_lua_limits_default(&def_limits);
    limits = limits ? limits : &def_limits;
    int rc = check_args(name, len, limits, eb);
    if (rc != STOM_OK)
        return rc;
    if (len >= 3 && memcmp(code, "\xEF\xBB\xBF", 3) == 0)
        code += 3, len -= 3;
    stom_lua_strategy *s = stom_xcalloc(1, sizeof *s);
    set_names(s, name);
    s->limits = *limits;
    prepare_def(s);
    rc = check_syntax(s, code, len, eb);
    if (rc == STOM_OK && (limits->steps_per_event || limits->ms_per_event)) {
        s->code = stom__lua_instrument(s->name, code, len, &s->code_len, eb);
        rc = s->code ? STOM_OK : STOM_EINVAL;
    } else if (rc == STOM_OK) {
        s->code = stom_xmalloc(len + 1);
        memcpy(s->code, code, len);
        s->code[len] = '\0';
        s->code_len = len;
    }
    if (rc == STOM_OK)
        rc = probe(s, eb);
    if (rc != STOM_OK) {
        stom_lua_strategy_destroy(s);
        return rc;
    }
    *out = s;
    return STOM_OK;
}

int stom_lua_strategy_load_file(stom_lua_strategy **out, const char *path,
                                const stom_lua_limits *limits, stom_errbuf *eb)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return stom_errorf(eb, STOM_EIO, "cannot read %s: %s", path, strerror(errno));
    char *buf = stom_xmalloc(STOM__LUA_MAX_CODE + 1);
    size_t len = fread(buf, 1, STOM__LUA_MAX_CODE + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    int rc = failed ? stom_errorf(eb, STOM_EIO, "cannot read %s", path)
                    : stom_lua_strategy_load(out, path, buf, len, limits, eb);
    free(buf);
    return rc;
}

const stom_strategy_def *stom_lua_strategy_def(const stom_lua_strategy *s)
{
    return &s->def;
}

void stom_lua_strategy_destroy(stom_lua_strategy *s)
{
    if (s == NULL)
        return;
    free(s->code);
    free(s);
}
