/*
 * optimize_options.c - the flags of `stom optimize` and their checked
 * translation into the JobSpec sent to the coordinator (the help text is in
 * optimize_usage.c).
 *
 * Everything the CLI can check without data is checked here, with the
 * same libraries the coordinator uses (the strategy's schema, the search
 * space, the objective and constraint parsers, the validation plan), so a
 * typo costs a message and exit 2 instead of a refused or useless job.
 * Every refusal names the flag, the bad value and what would be accepted.
 *
 * The JobSpec is built on the heap from plain malloc'd parts, exactly as
 * protobuf-c would unpack it, so one stom__v1__job_spec__free_unpacked
 * releases it. The parameter flags (--param, --vars) are in
 * optimize_params.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "cli.h"
#include "optimize_internal.h"
#include "stom/alloc.h"
#include "stom/costs.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

#define MAX_SYMBOLS 64
#define MAX_TITLE   200

/* ---- reading the flags ------------------------------------------------------ */

static const struct {
    const char *flag;
    size_t offset;
} value_flags[] = {
    {"--strategy", offsetof(optimize_flags, strategy)},
    {"--strategy-file", offsetof(optimize_flags, strategy_file)},
    {"--strategy-id", offsetof(optimize_flags, strategy_id)},
    {"--data", offsetof(optimize_flags, data)},
    {"--timeframe", offsetof(optimize_flags, timeframe)},
    {"--period", offsetof(optimize_flags, period)},
    {"--vars", offsetof(optimize_flags, vars)},
    {"--method", offsetof(optimize_flags, method)},
    {"--samples", offsetof(optimize_flags, samples)},
    {"--seed", offsetof(optimize_flags, seed)},
    {"--population", offsetof(optimize_flags, population)},
    {"--generations", offsetof(optimize_flags, generations)},
    {"--objective", offsetof(optimize_flags, objective)},
    {"--split", offsetof(optimize_flags, split)},
    {"--train-weeks", offsetof(optimize_flags, train_weeks)},
    {"--valid-weeks", offsetof(optimize_flags, valid_weeks)},
    {"--test-weeks", offsetof(optimize_flags, test_weeks)},
    {"--folds", offsetof(optimize_flags, folds)},
    {"--cash", offsetof(optimize_flags, cash)},
    {"--commission", offsetof(optimize_flags, commission)},
    {"--fill", offsetof(optimize_flags, fill)},
    {"--size-pct", offsetof(optimize_flags, size_pct)},
    {"--top", offsetof(optimize_flags, top)},
    {"--coordinator", offsetof(optimize_flags, coordinator)},
    {"--title", offsetof(optimize_flags, title)},
    {"--url", offsetof(optimize_flags, url)},
    {"--jobs", offsetof(optimize_flags, jobs)},
};

static const char **value_slot(const char *arg, optimize_flags *f, const char **flag)
{
    for (size_t k = 0; k < sizeof value_flags / sizeof value_flags[0]; k++) {
        if (cli_flag_is(arg, value_flags[k].flag)) {
            *flag = value_flags[k].flag;
            return (const char **)((char *)f + value_flags[k].offset);
        }
    }
    return NULL;
}

static bool read_switch(const char *a, optimize_options *o, optimize_flags *f)
{
    if (!strcmp(a, "--json"))
        o->json = true;
    else if (!strcmp(a, "--no-wait"))
        o->no_wait = true;
    else if (!strcmp(a, "--dry-run"))
        o->dry_run = true;
    else if (!strcmp(a, "--local"))
        o->local = true;
    else if (!strcmp(a, "--stom-stop"))
        f->stom_stop = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        o->help = true;
    else
        return false;
    return true;
}

static void push(const char ***list, size_t *n, const char *v)
{
    *list = stom_xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = v;
}

/* Repeatable flags: --param and --constraint. Returns 1 when arg was one, 0 when not, -1 on error.
 */
static int read_repeated(int argc, char **argv, int *i, optimize_flags *f)
{
    bool param = cli_flag_is(argv[*i], "--param");
    if (!param && !cli_flag_is(argv[*i], "--constraint"))
        return 0;
    const char *v = cli_flag_value(argc, argv, i, param ? "--param" : "--constraint", "optimize");
    if (v == NULL)
        return -1;
    if (param)
        push(&f->params, &f->n_params, v);
    else
        push(&f->constraints, &f->n_constraints, v);
    return 1;
}

static int read_flags(int argc, char **argv, optimize_options *o, optimize_flags *f)
{
    for (int i = 1; i < argc; i++) {
        const char *flag = NULL;
        if (read_switch(argv[i], o, f))
            continue;
        int rep = read_repeated(argc, argv, &i, f);
        if (rep < 0)
            return EXIT_USAGE;
        if (rep > 0)
            continue;
        const char **slot = value_slot(argv[i], f, &flag);
        if (slot == NULL) {
            cli_error("unknown option '%s' (see stom optimize --help)", argv[i]);
            return EXIT_USAGE;
        }
        if ((*slot = cli_flag_value(argc, argv, &i, flag, "optimize")) == NULL)
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- numbers ------------------------------------------------------------------ */

bool parse_whole_number(const char *s, uint64_t max, uint64_t *out)
{
    char digits[32];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ',' || *p == '_')
            continue;
        if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
            return false;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    if (n == 0 || n > 19)
        return false;
    unsigned long long v = strtoull(digits, NULL, 10);
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* A whole-number flag: absent leaves *out alone; bad values exit 2 with the range. */
int optimize__count_flag(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (s == NULL)
        return EXIT_OK;
    if (!parse_whole_number(s, max, out) || *out < min) {
        cli_error("%s '%s' must be a whole number from %llu to %llu", flag, s,
                  (unsigned long long)min, (unsigned long long)max);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- data, timeframe, period --------------------------------------------------- */

static int apply_data(optimize_parse_state *ps, optimize_options *o)
{
    Stom__V1__JobSpec *s = o->spec;
    s->has_market = true;
    s->market = STOM__V1__MARKET__MARKET_KRX;
    if (o->local && ps->f.coordinator == NULL)
        return optimize__apply_local_data(ps, o);
    if (ps->f.data == NULL) {
        cli_error("--data SYMBOL[,SYMBOL...] is required (the symbols to run, e.g. 005930)");
        return EXIT_USAGE;
    }
    char *copy = stom_xstrdup(ps->f.data);
    int rc = EXIT_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok && rc == EXIT_OK;
         tok = strtok_r(NULL, ", ", &save)) {
        if (s->n_symbols >= MAX_SYMBOLS || strlen(tok) > 32) {
            cli_error("--data: at most %d symbols of at most 32 characters", MAX_SYMBOLS);
            rc = EXIT_USAGE;
            break;
        }
        s->symbols = stom_xrealloc(s->symbols, (s->n_symbols + 1) * sizeof *s->symbols);
        s->symbols[s->n_symbols++] = stom_xstrdup(tok);
    }
    free(copy);
    if (rc == EXIT_OK && s->n_symbols == 0) {
        cli_error("--data needs at least one symbol");
        rc = EXIT_USAGE;
    }
    return rc;
}

static int apply_timeframe(optimize_parse_state *ps, optimize_options *o)
{
    static const struct {
        const char *name;
        Stom__V1__Timeframe tf;
    } names[] = {{"1m", STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1},
                 {"1d", STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1},
                 {"1s", STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1}};
    const char *tf = ps->f.timeframe;
    for (size_t k = 0; tf && k < sizeof names / sizeof names[0]; k++) {
        if (!strcmp(tf, names[k].name)) {
            o->spec->has_timeframe = true;
            o->spec->timeframe = names[k].tf;
            return EXIT_OK;
        }
    }
    if (tf == NULL)
        cli_error("--timeframe 1m|1d|1s is required (minute, daily or 1-second bars)");
    else
        cli_error("--timeframe '%s' is not one of 1m, 1d, 1s", tf);
    return EXIT_USAGE;
}

static int apply_period(optimize_parse_state *ps, optimize_options *o)
{
    const char *s = ps->f.period;
    int32_t from = 0, to = 0;
    if (s == NULL) {
        cli_error("--period FROM:TO is required (KST dates, e.g. 2024-01-01:2024-12-31)");
        return EXIT_USAGE;
    }
    const char *colon = strchr(s, ':');
    if (colon == NULL || stom_parse_date(s, (size_t)(colon - s), &from) != STOM_OK ||
        stom_parse_date(colon + 1, strlen(colon + 1), &to) != STOM_OK) {
        cli_error("--period '%s' is not FROM:TO with dates as YYYY-MM-DD (e.g. "
                  "2024-01-01:2024-12-31)",
                  s);
        return EXIT_USAGE;
    }
    if (from > to) {
        cli_error("--period '%s' ends before it starts", s);
        return EXIT_USAGE;
    }
    /* Both dates are included: the period ends at the midnight after TO (KST). */
    ps->from_s = stom_midnight_utc(from, STOM_KST_OFFSET_MINUTES);
    ps->to_s = stom_midnight_utc(to, STOM_KST_OFFSET_MINUTES) + 86400;
    Stom__V1__Period *p = stom_xmalloc(sizeof *p);
    stom__v1__period__init(p);
    p->has_from_ns = p->has_to_ns = true;
    p->from_ns = ps->from_s * 1000000000;
    p->to_ns = ps->to_s * 1000000000;
    o->spec->period = p;
    return EXIT_OK;
}

/* ---- search method -------------------------------------------------------------- */

static int apply_cash(const optimize_flags *f, Stom__V1__JobSpec *s)
{
    uint64_t cash = 0;
    if (f->cash == NULL)
        return EXIT_OK;
    if (!parse_whole_number(f->cash, 1000000000000000ULL, &cash) || cash == 0) {
        cli_error("--cash '%s' must be a positive number of won up to 10^15 (e.g. 10,000,000)",
                  f->cash);
        return EXIT_USAGE;
    }
    s->has_initial_cash = true;
    s->initial_cash = (int64_t)cash;
    return EXIT_OK;
}

static int apply_account(optimize_parse_state *ps, optimize_options *o)
{
    const optimize_flags *f = &ps->f;
    Stom__V1__JobSpec *s = o->spec;
    if (apply_cash(f, s) != EXIT_OK)
        return EXIT_USAGE;
    int64_t rate = 0, bp = 0;
    if (f->commission) {
        if (stom_rate_parse_pct(f->commission, &rate) != STOM_OK || rate > STOM_RATE_SCALE / 10) {
            cli_error("--commission '%s' is not a percentage from 0 to 10 (e.g. 0.015)",
                      f->commission);
            return EXIT_USAGE;
        }
        s->costs = stom_xmalloc(sizeof *s->costs);
        stom__v1__cost_model__init(s->costs);
        s->costs->has_commission_rate = true;
        s->costs->commission_rate = rate;
    }
    if (f->fill && strcmp(f->fill, "next-open") && strcmp(f->fill, "close")) {
        cli_error("--fill '%s' is not next-open or close", f->fill);
        return EXIT_USAGE;
    }
    s->has_fill_on_close = s->fill_on_close = f->fill && !strcmp(f->fill, "close");
    if (f->size_pct) {
        if (stom_fixed_parse(f->size_pct, strlen(f->size_pct), 2, &bp) != STOM_OK || bp <= 0 ||
            bp > 10000) {
            cli_error("--size-pct '%s' must be a percentage above 0 and at most 100 (e.g. 50)",
                      f->size_pct);
            return EXIT_USAGE;
        }
        s->has_size_pct_bp = true;
        s->size_pct_bp = (int32_t)bp;
    }
    return EXIT_OK;
}

/* Where the job runs: here (--local), a coordinator (--coordinator) or the gateway. */
static int apply_route(optimize_parse_state *ps, optimize_options *o)
{
    uint64_t jobs = 0;
    o->coordinator = ps->f.coordinator;
    o->url = ps->f.url;
    /* Naming a coordinator sends the job to it, as `--local --coordinator URL` always did. */
    if (o->coordinator != NULL)
        o->local = false;
    if ((o->local || o->coordinator) && o->url != NULL) {
        cli_error("--url names the gateway, %s bypasses it: use one",
                  o->local ? "--local" : "--coordinator");
        return EXIT_USAGE;
    }
    if (ps->f.jobs && !o->local) {
        cli_error("--jobs applies only with --local (the platform's workers run the job)");
        return EXIT_USAGE;
    }
    if (o->local && o->no_wait) {
        cli_error("--no-wait does not apply with --local: the run lives in this process");
        return EXIT_USAGE;
    }
    if (optimize__count_flag("--jobs", ps->f.jobs, 1, 1024, &jobs) != EXIT_OK)
        return EXIT_USAGE;
    o->jobs = (uint32_t)jobs;
    return EXIT_OK;
}

static int apply_output(optimize_parse_state *ps, optimize_options *o)
{
    uint64_t top = OPTIMIZE_TOP_DEFAULT;
    if (optimize__count_flag("--top", ps->f.top, 0, 1000000, &top) != EXIT_OK)
        return EXIT_USAGE;
    o->top = (uint32_t)top;
    if (apply_route(ps, o) != EXIT_OK)
        return EXIT_USAGE;
    if (ps->f.title) {
        if (strlen(ps->f.title) > MAX_TITLE) {
            cli_error("--title is longer than %d bytes", MAX_TITLE);
            return EXIT_USAGE;
        }
        o->spec->title = stom_xstrdup(ps->f.title);
    }
    return EXIT_OK;
}

/* ---- the whole command line ----------------------------------------------------- */

int optimize_parse(int argc, char **argv, optimize_options *o)
{
    memset(o, 0, sizeof *o);
    o->spec = stom_xmalloc(sizeof *o->spec);
    stom__v1__job_spec__init(o->spec);
    optimize_parse_state ps;
    memset(&ps, 0, sizeof ps);
    int rc = read_flags(argc, argv, o, &ps.f);
    if (rc == EXIT_OK && !o->help) {
        /* The order matters: parameters need the strategy, the method needs the
         * ranges, the split needs the period. */
        int (*steps[])(optimize_parse_state *, optimize_options *) = {optimize__apply_strategy,
                                                                      apply_data,
                                                                      apply_timeframe,
                                                                      apply_period,
                                                                      optimize__apply_params,
                                                                      optimize__apply_method,
                                                                      optimize__apply_objective,
                                                                      optimize__apply_constraints,
                                                                      optimize__apply_split,
                                                                      apply_account,
                                                                      apply_output};
        for (size_t k = 0; rc == EXIT_OK && k < sizeof steps / sizeof steps[0]; k++)
            rc = steps[k](&ps, o);
    }
    optimize__state_free(&ps);
    return rc;
}

void optimize_options_free(optimize_options *o)
{
    if (o->spec)
        stom__v1__job_spec__free_unpacked(o->spec, NULL);
    o->spec = NULL;
    stom_lua_strategy_destroy(o->lua);
    o->lua = NULL;
    stored_strategy_free(&o->stored);
    for (size_t k = 0; k < o->n_files; k++)
        free(o->files[k]);
    free(o->files);
    o->files = NULL;
    o->n_files = 0;
}
