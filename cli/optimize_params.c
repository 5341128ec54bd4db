/*
 * optimize_params.c - the strategy and parameter flags of `stom optimize`:
 * --strategy / --strategy-file, --vars and --param, turned into the
 * JobSpec's fixed parameters and search ranges.
 *
 * The strategy is loaded here (a Lua file compiled and its schema read) so
 * that parameter names, types and bounds are checked against the same
 * schema the coordinator will use. --vars is applied first and --param
 * after it, so a --param for a name the vars text also sets wins.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "cli.h"
#include "gateway_cli.h"
#include "optimize_internal.h"
#include "stom/alloc.h"

#define STRATEGY_FILE_MAX ((size_t)1024 * 1024)
#define VARS_FILE_MAX     ((size_t)256 * 1024)

/* Reads at most max bytes of path as a NUL-terminated string (owned), or
 * prints why and returns NULL with *rc set. */
static char *read_text(const char *flag, const char *path, size_t max, size_t *len, int *rc)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        cli_error("%s %s: cannot open the file", flag, path);
        *rc = EXIT_DATA;
        return NULL;
    }
    char *buf = stom_xmalloc(max + 1);
    size_t n = fread(buf, 1, max + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed || n > max) {
        cli_error(failed ? "%s %s: cannot read the file" : "%s %s: the file is over %zu bytes",
                  flag, path, max);
        free(buf);
        *rc = failed ? EXIT_DATA : EXIT_USAGE;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The Lua file is compiled from the very text that is sent, so what was checked is what runs. */
static int load_file(const char *path, optimize_options *o)
{
    size_t len = 0;
    int rc = EXIT_OK;
    char *code = read_text("--strategy-file", path, STRATEGY_FILE_MAX, &len, &rc);
    if (code == NULL)
        return rc;
    stom_errbuf eb = {{0}};
    int err = stom_lua_strategy_load(&o->lua, path, code, len, NULL, &eb);
    if (err != STOM_OK) {
        cli_error("%s", eb.msg[0] ? eb.msg : stom_strerror(err));
        free(code);
        return EXIT_USAGE;
    }
    o->def = stom_lua_strategy_def(o->lua);
    const char *base = strrchr(path, '/');
    o->spec->strategy_name = stom_xstrdup(base ? base + 1 : path);
    o->spec->strategy_code = code;
    return EXIT_OK;
}

/* --strategy-id N, or a --strategy NAME that is not a built-in: one of the user's stored
 * strategies, fetched through the gateway and loaded so that its schema checks --param. */
static int load_stored(optimize_parse_state *ps, optimize_options *o, const char *name, int64_t id)
{
    if (o->local || ps->f.coordinator) {
        char names[256];
        if (name)
            cli_error("unknown strategy '%s' (built-ins: %s)", name,
                      stom_strategy_names(names, sizeof names));
        else
            cli_error("--strategy-id names a strategy stored in the gateway: drop --local (or "
                      "run a file with --strategy-file FILE.lua)");
        return EXIT_USAGE;
    }
    int rc = gateway_strategy_fetch(ps->f.url, name, id, &o->stored);
    if (rc != EXIT_OK)
        return rc;
    o->def = stom_lua_strategy_def(o->stored.lua);
    o->spec->strategy_name = stom_xstrdup(o->stored.name);
    return EXIT_OK;
}

static int apply_strategy_id(optimize_parse_state *ps, optimize_options *o)
{
    uint64_t id = 0;
    if (!parse_whole_number(ps->f.strategy_id, INT64_MAX, &id) || id == 0) {
        cli_error("--strategy-id '%s' is not a strategy id (a whole number; stom strategy list "
                  "shows yours)",
                  ps->f.strategy_id);
        return EXIT_USAGE;
    }
    return load_stored(ps, o, NULL, (int64_t)id);
}

int optimize__apply_strategy(optimize_parse_state *ps, optimize_options *o)
{
    char names[256];
    stom_strategy_names(names, sizeof names);
    const optimize_flags *f = &ps->f;
    if ((f->strategy != NULL) + (f->strategy_file != NULL) + (f->strategy_id != NULL) > 1) {
        cli_error("--strategy, --strategy-file and --strategy-id exclude each other: give one");
        return EXIT_USAGE;
    }
    if (f->strategy_file)
        return load_file(f->strategy_file, o);
    if (f->strategy_id)
        return apply_strategy_id(ps, o);
    if (f->strategy == NULL) {
        cli_error("--strategy NAME or --strategy-file FILE.lua is required (built-ins: %s; "
                  "through the gateway also --strategy-id N)",
                  names);
        return EXIT_USAGE;
    }
    if ((o->def = stom_strategy_find(f->strategy)) == NULL)
        return load_stored(ps, o, f->strategy, 0);
    o->spec->strategy_name = stom_xstrdup(f->strategy);
    return EXIT_OK;
}

/* ---- ranges held while parsing -------------------------------------------------- */

static stom_opt_range *find_range(optimize_parse_state *ps, const char *name)
{
    for (size_t k = 0; k < ps->n_ranges; k++)
        if (!strcmp(ps->ranges[k].name, name))
            return &ps->ranges[k];
    return NULL;
}

static void drop_range(optimize_parse_state *ps, const char *name)
{
    stom_opt_range *r = find_range(ps, name);
    if (r == NULL)
        return;
    free((double *)r->values);
    *r = ps->ranges[--ps->n_ranges];
}

/* Stores r under its name, replacing an earlier range of that name; takes r's values. */
static void put_range(optimize_parse_state *ps, const stom_opt_range *r)
{
    stom_opt_range *slot = find_range(ps, r->name);
    if (slot != NULL)
        free((double *)slot->values);
    else
        slot = &ps->ranges[ps->n_ranges++]; /* a name of the schema: at most STOM_MAX_PARAMS */
    *slot = *r;
}

/* ---- --vars ------------------------------------------------------------------------ */

static int apply_vars(optimize_parse_state *ps, const stom_strategy_def *def)
{
    size_t len = 0, n = 0;
    int rc = EXIT_OK;
    char *text = read_text("--vars", ps->f.vars, VARS_FILE_MAX, &len, &rc);
    if (text == NULL)
        return rc;
    stom_opt_range *ranges = NULL;
    stom_errbuf eb = {{0}};
    int err = stom_opt_parse_vars(def, text, &ps->base, &ranges, &n, &eb);
    free(text);
    if (err != STOM_OK) {
        cli_error("--vars %s: %s", ps->f.vars, eb.msg);
        return err == STOM_EIO ? EXIT_DATA : EXIT_USAGE;
    }
    for (size_t k = 0; k < n; k++) {
        int idx = stom_param_index(def, ranges[k].name);
        if (ranges[k].n_values == 1) {
            /* A one-value list is STOM's way of fixing a variable at its best. */
            ps->fixed[idx] = true;
            continue;
        }
        stom_opt_range r = ranges[k];
        if (r.n_values > 0) {
            double *copy = stom_xmalloc(r.n_values * sizeof *copy);
            memcpy(copy, r.values, r.n_values * sizeof *copy);
            r.values = copy;
        }
        put_range(ps, &r);
        ps->fixed[idx] = false;
    }
    stom_opt_ranges_free(ranges, n);
    return EXIT_OK;
}

/* ---- --param ------------------------------------------------------------------------ */

static bool parse_real(const char *s, size_t n, double *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end = NULL;
    *out = strtod(buf, &end);
    return end == buf + n && isfinite(*out);
}

/* Splits s at sep into at most cap numbers; returns how many, or 0 when one is not a number. */
static size_t parse_reals(const char *s, char sep, double *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = s;; n++) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (n >= cap || !parse_real(p, len, &out[n]))
            return 0;
        if (end == NULL)
            return n + 1;
        p = end + 1;
    }
}

static int param_range(optimize_parse_state *ps, const char *text, const char *name,
                       const char *value)
{
    double v[3] = {0, 0, 1};
    size_t n = parse_reals(value, ':', v, 3);
    if (n < 2) {
        cli_error("--param '%s': a range is START:END or START:END:STEP with numbers (e.g. "
                  "%s=5:20:5)",
                  text, name);
        return EXIT_USAGE;
    }
    if (v[1] < v[0] || v[2] <= 0) {
        cli_error("--param '%s': %s", text,
                  v[1] < v[0] ? "END is below START" : "STEP must be above 0");
        return EXIT_USAGE;
    }
    stom_opt_range r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.min = v[0];
    r.max = v[1];
    r.step = v[2];
    put_range(ps, &r);
    return EXIT_OK;
}

static int param_list(optimize_parse_state *ps, const char *text, const char *name,
                      const char *value)
{
    size_t cap = 1;
    for (const char *p = value; *p; p++)
        cap += *p == ',';
    if (cap > STOM_OPT_DIM_MAX_VALUES) {
        cli_error("--param '%.40s...': more than %d values", text, STOM_OPT_DIM_MAX_VALUES);
        return EXIT_USAGE;
    }
    double *values = stom_xmalloc(cap * sizeof *values);
    size_t n = parse_reals(value, ',', values, cap);
    if (n == 0) {
        cli_error("--param '%s': a list is numbers separated by commas (e.g. %s=3,5,8)", text,
                  name);
        free(values);
        return EXIT_USAGE;
    }
    stom_opt_range r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.values = values;
    r.n_values = n;
    put_range(ps, &r);
    return EXIT_OK;
}

static int apply_param(optimize_parse_state *ps, const stom_strategy_def *def, const char *text)
{
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text || eq[1] == '\0') {
        cli_error("--param '%s' is not NAME=VALUE, NAME=START:END[:STEP] or NAME=V1,V2,...", text);
        return EXIT_USAGE;
    }
    char name[64], valid[256];
    snprintf(name, sizeof name, "%.*s", (int)(eq - text), text);
    int idx = stom_param_index(def, name);
    if (idx < 0) {
        stom_param_names(def, valid, sizeof valid);
        cli_error("--param '%s': strategy %s has no parameter '%s' (valid: %s)", text, def->name,
                  name, valid);
        return EXIT_USAGE;
    }
    const char *value = eq + 1;
    if (strchr(value, ':') || strchr(value, ',')) {
        ps->fixed[idx] = false;
        return strchr(value, ':') ? param_range(ps, text, name, value)
                                  : param_list(ps, text, name, value);
    }
    stom_errbuf eb = {{0}};
    if (stom_params_set(def, &ps->base, text, &eb) != STOM_OK) {
        cli_error("--param '%s': %s", text, eb.msg);
        return EXIT_USAGE;
    }
    ps->fixed[idx] = true;
    drop_range(ps, name);
    return EXIT_OK;
}

/* ---- into the JobSpec ------------------------------------------------------------- */

static void fill_spec(optimize_parse_state *ps, const stom_strategy_def *def, Stom__V1__JobSpec *s)
{
    if (def->n_params > 0)
        s->params = stom_xcalloc(def->n_params, sizeof *s->params);
    for (size_t k = 0; k < def->n_params; k++) {
        /* A searched parameter's fixed value would be overridden: leave it out. */
        if (ps->fixed[k] && find_range(ps, def->params[k].name) == NULL)
            s->params[s->n_params++] = bt_param_new_pb(&def->params[k], ps->base.v[k]);
    }
    if (ps->n_ranges > 0)
        s->search = stom_xcalloc(ps->n_ranges, sizeof *s->search);
    for (size_t k = 0; k < ps->n_ranges; k++)
        s->search[s->n_search++] = bt_param_range_new_pb(def, &ps->ranges[k]);
}

int optimize__apply_params(optimize_parse_state *ps, optimize_options *o)
{
    stom_params_default(o->def, &ps->defaults);
    ps->base = ps->defaults;
    if (ps->f.vars) {
        int rc = apply_vars(ps, o->def);
        if (rc != EXIT_OK)
            return rc;
    }
    for (size_t k = 0; k < ps->f.n_params; k++) {
        int rc = apply_param(ps, o->def, ps->f.params[k]);
        if (rc != EXIT_OK)
            return rc;
    }
    fill_spec(ps, o->def, o->spec);
    return EXIT_OK;
}

int optimize__check_space(optimize_parse_state *ps, optimize_options *o)
{
    o->space_size = 1;
    if (o->spec->method == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE)
        return EXIT_OK;
    stom_opt_space space;
    stom_errbuf eb = {{0}};
    if (stom_opt_space_init(&space, o->def, &ps->base, ps->ranges, ps->n_ranges, &eb) != STOM_OK) {
        cli_error("--param: %s", eb.msg);
        return EXIT_USAGE;
    }
    o->space_size = stom_opt_space_size(&space);
    stom_opt_space_free(&space);
    if (o->spec->method == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID &&
        o->space_size > STOM_OPT_GRID_MAX) {
        cli_error("the grid has %llu sets, more than %d: narrow the --param ranges or use "
                  "--method random|genetic",
                  (unsigned long long)o->space_size, STOM_OPT_GRID_MAX);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

void optimize__state_free(optimize_parse_state *ps)
{
    for (size_t k = 0; k < ps->n_ranges; k++)
        free((double *)ps->ranges[k].values);
    ps->n_ranges = 0;
    free(ps->f.params);
    free(ps->f.constraints);
}
