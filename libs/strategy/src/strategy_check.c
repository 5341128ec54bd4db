/*
 * strategy_check.c - stom_strategy_check, the strategy "code test" (see
 * stom/strategy_check.h), and its report.
 *
 * Order of work: the size bound; LuaJIT compiles the text (mode "t": text
 * only, never bytecode) in a fresh state that has no libraries and never
 * runs it, so a syntax error is found exactly as the runtime would find it;
 * only text that compiles is read by the checker's own parser
 * (strategy_check_parse.c), whose findings are judged by the schema and
 * name rules. Issues are kept in line order, at most STOM_CHECK_MAX_ISSUES
 * (the first ones found); the counts include all of them.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "strategy_check_internal.h"

static void add_issue(stom_check_report *r, int line, stom_check_severity sev, const char *msg)
{
    if (sev == STOM_CHECK_ERROR)
        r->errors++;
    else
        r->warnings++;
    if (r->n_issues == STOM_CHECK_MAX_ISSUES)
        return;
    if (!r->issues)
        r->issues = stom_xcalloc(STOM_CHECK_MAX_ISSUES, sizeof *r->issues);
    stom_check_issue *is = &r->issues[r->n_issues++];
    is->line = line;
    is->severity = sev;
    is->message = stom_xstrdup(msg);
}

void stom__chk_issue(stom__chk_ctx *c, int line, stom_check_severity sev, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_issue(c->report, line, sev, msg);
}

/* Stable insertion sort by line: there are at most STOM_CHECK_MAX_ISSUES. */
static void sort_issues(stom_check_report *r)
{
    for (size_t i = 1; i < r->n_issues; i++) {
        stom_check_issue is = r->issues[i];
        size_t j = i;
        for (; j > 0 && r->issues[j - 1].line > is.line; j--)
            r->issues[j] = r->issues[j - 1];
        r->issues[j] = is;
    }
}

/* Splits LuaJIT's "shown:12: message" into line 12 and "message". */
static void syntax_issue(stom_check_report *r, const char *shown, const char *msg)
{
    size_t n = strlen(shown);
    int line = 0, used = 0;
    if (!msg)
        msg = "the text cannot be compiled";
    if (!strncmp(msg, shown, n) && sscanf(msg + n, ":%d: %n", &line, &used) == 1 && used > 0)
        msg += n + (size_t)used;
    else
        line = 0;
    add_issue(r, line, STOM_CHECK_ERROR, msg);
}

/* Compiles without running; false (and the error reported) when it does not compile. */
static bool syntax_ok(lua_State *L, const char *name, const char *code, size_t len,
                      stom_check_report *r)
{
    if (len > 0 && code[0] == '\033') {
        add_issue(r, 0, STOM_CHECK_ERROR,
                  "this is precompiled Lua bytecode: a strategy must be source text");
        return false;
    }
    /* "=name" makes LuaJIT show the name as given; long names are shortened by Lua. */
    const char *shown = name && name[0] && strlen(name) < 48 ? name : "strategy";
    char chunk[64];
    snprintf(chunk, sizeof chunk, "=%s", shown);
    if (luaL_loadbufferx(L, len ? code : "", len, chunk, "t") == 0) {
        lua_pop(L, 1);
        return true;
    }
    syntax_issue(r, shown, lua_tostring(L, -1));
    lua_pop(L, 1);
    return false;
}

/* The libraries whose fields the name rules look up (opening them runs no user code). */
static void open_libraries(lua_State *L)
{
    static const struct {
        const char *name;
        lua_CFunction open;
    } libs[] = {{LUA_MATHLIBNAME, luaopen_math},
                {LUA_STRLIBNAME, luaopen_string},
                {LUA_TABLIBNAME, luaopen_table}};
    for (size_t k = 0; k < sizeof libs / sizeof libs[0]; k++) {
        lua_pushcfunction(L, libs[k].open);
        lua_pushstring(L, libs[k].name);
        lua_call(L, 1, 0);
    }
}

static void analyse(lua_State *L, const char *code, size_t len, stom_check_report *out)
{
    stom__chk_ctx *c = stom_xcalloc(1, sizeof *c);
    c->report = out;
    stom__chk_lex_init(&c->lx, code, len);
    stom__chk_parse(c);
    if (c->broken && !c->too_deep)
        stom__chk_issue(c, c->tok.line, STOM_CHECK_WARNING,
                        "the check could not follow the code here; problems after this line may "
                        "be missed");
    stom__chk_params_finish(c);
    stom__chk_names(c, L);
    free(c->locals);
    free(c->reads);
    free(c->writes);
    free(c->fields);
    free(c);
}

int stom_strategy_check(const char *name, const char *code, size_t len, stom_check_report *out)
{
    memset(out, 0, sizeof *out);
    if (len > STOM_CHECK_MAX_BYTES) {
        add_issue(out, 0, STOM_CHECK_ERROR, "the strategy is larger than 1 MiB");
        return STOM_ETOOBIG;
    }
    lua_State *L = luaL_newstate();
    if (!L)
        return STOM_ENOMEM;
    if (syntax_ok(L, name, code, len, out)) {
        open_libraries(L);
        analyse(L, code, len, out);
    }
    lua_close(L);
    sort_issues(out);
    return STOM_OK;
}

void stom_check_report_free(stom_check_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_issues; i++)
        free(r->issues[i].message);
    free(r->issues);
    for (size_t i = 0; i < r->n_params; i++) {
        free((char *)r->params[i].name);
        free((char *)r->params[i].help);
    }
    memset(r, 0, sizeof *r);
}

const char *stom_check_severity_name(stom_check_severity s)
{
    return s == STOM_CHECK_WARNING ? "warning" : "error";
}

int stom_check_issue_format(const char *file, const stom_check_issue *is, char *buf, size_t len)
{
    const char *sev = stom_check_severity_name(is->severity);
    if (is->line > 0)
        return snprintf(buf, len, "%s:%d: %s: %s", file, is->line, sev, is->message);
    return snprintf(buf, len, "%s: %s: %s", file, sev, is->message);
}
