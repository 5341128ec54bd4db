/*
 * optimize_options.c - the flags of `stom optimize`, their help text, and
 * their checked translation into the JobSpec sent to the coordinator.
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

#define MAX_SYMBOLS     64
#define MAX_CONSTRAINTS 16
#define MAX_WEEKS       1000
#define MAX_TITLE       200

/* What the job runs: strategy, data, parameters, search, validation, account. */
static const char usage_job[] =
    "Usage: stom optimize --strategy NAME|--strategy-id N|--strategy-file FILE.lua\n"
    "           --data SYMBOL[,SYMBOL...] --timeframe 1m|1d|1s\n"
    "           --period YYYY-MM-DD:YYYY-MM-DD [options]\n"
    "       stom optimize --local --data FILE.csv[,FILE.csv...] [the same options]\n"
    "\n"
    "Sends an optimisation job (or one backtest) to the platform through the gateway\n"
    "(after `stom login`), shows its live progress and prints the ranked results. The\n"
    "backtesters read the bars from the database; start the platform with `make up`.\n"
    "\n"
    "With --local the same job runs here, with no server: the bars come from CSV files\n"
    "(read as `stom backtest --local` reads them; each file's name is its symbol), the\n"
    "tasks run on every core (--jobs N), and the results are the ones the platform gives\n"
    "for the same bars. With --coordinator URL the job goes straight to a backtest\n"
    "coordinator (no gateway, no login).\n"
    "\n"
    "Strategy and data:\n"
    "  --strategy NAME          a built-in strategy (see `stom strategies`); through the\n"
    "                           gateway also one of your stored strategies\n"
    "  --strategy-id N          a stored strategy by id (`stom strategy list`; gateway only)\n"
    "  --strategy-file FILE     a Lua strategy, checked here (--local runs it here,\n"
    "                           --coordinator sends its code with the job; for the gateway\n"
    "                           `stom strategy push` it first)\n"
    "  --data SYMBOL[,...]      symbols as stored (005930,000660)\n"
    "  --data FILE.csv[,...]    with --local: CSV files of bars (005930.csv,000660.csv)\n"
    "  --timeframe 1m|1d|1s     minute bars, daily bars or STOM's 1-second snapshots\n"
    "  --period FROM:TO         dates in KST, both included (2024-01-01:2024-12-31)\n"
    "\n"
    "Parameters:\n"
    "  --param NAME=START:END:STEP  search NAME from START to END by STEP (END included)\n"
    "  --param NAME=START:END       the same with step 1\n"
    "  --param NAME=V1,V2,V3        search exactly these values\n"
    "  --param NAME=VALUE           fix NAME at VALUE; repeat --param for more\n"
    "  --vars FILE              STOM's variables text: self.vars[k] = [[start,end,step],best]\n"
    "                           (vars[k] is the parameter var<k>, else the k-th);\n"
    "                           --param wins\n"
    "\n"
    "Search:\n"
    "  --method grid|random|genetic  grid: every combination (default with ranges; one run\n"
    "                           without); random: --samples random sets; genetic: 유전\n"
    "  --samples N              random: sets to run (default 100); genetic: at most N runs\n"
    "  --seed N                 random and genetic choices (same seed, same sets)\n"
    "  --population N           genetic: sets per generation (default 10 x parameters)\n"
    "  --generations N          genetic: most generations (default 50)\n"
    "  --stom-stop              genetic: also stop by STOM's rule (docs/optimization.md)\n"
    "  --objective NAME         기준값 to maximise: TG TP CAGR GM PM G2M P2M GAM PAM GWM PWM\n"
    "                           sharpe sortino sqn return (default TG)\n"
    "  --constraint 'mdd<=10'   a window the run must meet, else it scores −∞; metrics mdd,\n"
    "                           wr, atc, ap, cagr, tpi, mh, tc; ops <= >= < > or m=a:b\n"
    "\n"
    "Validation (weeks are 7 days, laid back from the end of the period):\n"
    "  --split none|holdout|cv|test|walkforward  (검증, 교차검증, 최적화테스트, 전진분석)\n"
    "  --train-weeks N          train window (holdout, cv, test: default all before)\n"
    "  --valid-weeks N          validation window (needed by holdout and cv)\n"
    "  --test-weeks N           held-out test window (needed by test and walkforward)\n"
    "  --folds N                cv: folds (default as many as fit)\n"
    "  walkforward needs --train-weeks and --test-weeks (--valid-weeks optional)\n"
    "\n"
    "Account:\n"
    "  --cash WON               starting cash, default 10,000,000\n"
    "  --commission PCT         commission per side in percent, default 0.015\n"
    "  --fill next-open|close   market orders fill at the next open (default) or the close\n"
    "  --size-pct PCT           each entry uses PCT% of equity (default: all the cash)\n"
    "\n";

/* How the command shows it and whom it talks to. */
static const char usage_output[] =
    "Output and connection:\n"
    "  --top N                  results shown (default 20; 0: all)\n"
    "  --json                   print one JSON object (docs/cli.md) instead of tables\n"
    "  --no-wait                submit, print the job id and return (see `stom jobs`)\n"
    "  --dry-run                print the request as JSON without sending it (the gateway's\n"
    "                           request body; with --local or --coordinator the JobSpec)\n"
    "  --title TEXT             a title shown in `stom jobs list`\n"
    "  --url URL                the gateway: default $STOM_URL, else the URL of `stom login`,\n"
    "                           else http://127.0.0.1:8080\n"
    "  --local                  run the job here on the CSV files of --data: no server\n"
    "  --jobs N                 with --local: threads (default: one per core); the results\n"
    "                           do not depend on N\n"
    "  --coordinator URL        send the job straight to this backtest coordinator (what\n"
    "                           --local did before; e.g. tcp://127.0.0.1:5560)\n"
    "\n"
    "Ctrl-C while waiting cancels the job (with --local: stops the run). Progress is drawn\n"
    "on stderr when it is a terminal.\n"
    "\n"
    "Examples:\n"
    "  stom optimize --strategy sma_cross --data 005930 --timeframe 1d \\\n"
    "      --period 2020-01-01:2024-12-31 --param fast=5:20:5 --param slow=20:60:10 \\\n"
    "      --objective TG --constraint 'mdd<=20' --split walkforward \\\n"
    "      --train-weeks 52 --test-weeks 13\n"
    "  stom optimize --local --strategy sma_cross --data 005930.csv --timeframe 1d \\\n"
    "      --period 2020-01-01:2024-12-31 --param fast=5:20:5 --param slow=20:60:10 \\\n"
    "      --split walkforward --train-weeks 52 --test-weeks 13 --jobs 4\n"
    "\n"
    "Exit codes: 0 done, 1 the job failed, was cancelled or every run failed, or no\n"
    "gateway or coordinator answered, 2 usage error (also a job the coordinator refused),\n"
    "3 unreadable or malformed file (--local: a CSV names its file:line), 130 Ctrl-C.\n";

void optimize_usage(FILE *out)
{
    fputs(usage_job, out);
    fputs(usage_output, out);
}

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
static int count_flag(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out)
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

static int parse_method(const char *m, bool has_ranges, Stom__V1__OptimizeMethod *out)
{
    if (m == NULL) {
        *out = has_ranges ? STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID
                          : STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
    } else if (!strcmp(m, "grid") || !strcmp(m, "그리드")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    } else if (!strcmp(m, "random")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM;
    } else if (!strcmp(m, "genetic") || !strcmp(m, "ga") || !strcmp(m, "유전")) {
        *out = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    } else {
        cli_error("--method '%s' is not one of grid, random, genetic (bayes and conditions are "
                  "not offered yet)",
                  m);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Flags that only one method reads are refused with the others, so nothing is silently ignored. */
static int check_method_flags(const optimize_flags *f, Stom__V1__OptimizeMethod m)
{
    bool genetic = m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC;
    bool random = m == STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM;
    const char *only_ga = f->population    ? "--population"
                          : f->generations ? "--generations"
                          : f->stom_stop   ? "--stom-stop"
                                           : NULL;
    if (only_ga && !genetic) {
        cli_error("%s applies only to --method genetic", only_ga);
        return EXIT_USAGE;
    }
    if (f->samples && !genetic && !random) {
        cli_error("--samples applies only to --method random or genetic (grid runs every set)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int apply_method(optimize_parse_state *ps, optimize_options *o)
{
    Stom__V1__JobSpec *s = o->spec;
    const optimize_flags *f = &ps->f;
    Stom__V1__OptimizeMethod m;
    uint64_t v = 0;
    if (parse_method(f->method, s->n_search > 0, &m) != EXIT_OK ||
        check_method_flags(f, m) != EXIT_OK)
        return EXIT_USAGE;
    s->has_method = true;
    s->method = m;
    if (count_flag("--samples", f->samples, 1, 1000000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_max_evaluations = f->samples != NULL;
    s->max_evaluations = (uint32_t)v;
    if (count_flag("--seed", f->seed, 0, UINT64_MAX, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_seed = f->seed != NULL;
    s->seed = v;
    if (count_flag("--population", f->population, 2, 100000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_ga_population = f->population != NULL;
    s->ga_population = (uint32_t)v;
    if (count_flag("--generations", f->generations, 1, 100000, &v) != EXIT_OK)
        return EXIT_USAGE;
    s->has_ga_generations = f->generations != NULL;
    s->ga_generations = (uint32_t)v;
    s->has_ga_stom_stop = f->stom_stop;
    s->ga_stom_stop = f->stom_stop;
    return optimize__check_space(ps, o);
}

/* ---- objective and constraints ------------------------------------------------- */

static const struct {
    stom_objective obj;
    Stom__V1__Objective pb;
} objectives[] = {
    {STOM_OBJ_TG, STOM__V1__OBJECTIVE__OBJECTIVE_TG},
    {STOM_OBJ_TP, STOM__V1__OBJECTIVE__OBJECTIVE_TP},
    {STOM_OBJ_CAGR, STOM__V1__OBJECTIVE__OBJECTIVE_CAGR},
    {STOM_OBJ_GM, STOM__V1__OBJECTIVE__OBJECTIVE_GM},
    {STOM_OBJ_PM, STOM__V1__OBJECTIVE__OBJECTIVE_PM},
    {STOM_OBJ_G2M, STOM__V1__OBJECTIVE__OBJECTIVE_G2M},
    {STOM_OBJ_P2M, STOM__V1__OBJECTIVE__OBJECTIVE_P2M},
    {STOM_OBJ_GAM, STOM__V1__OBJECTIVE__OBJECTIVE_GAM},
    {STOM_OBJ_PAM, STOM__V1__OBJECTIVE__OBJECTIVE_PAM},
    {STOM_OBJ_GWM, STOM__V1__OBJECTIVE__OBJECTIVE_GWM},
    {STOM_OBJ_PWM, STOM__V1__OBJECTIVE__OBJECTIVE_PWM},
    {STOM_OBJ_SHARPE, STOM__V1__OBJECTIVE__OBJECTIVE_SHARPE},
    {STOM_OBJ_SORTINO, STOM__V1__OBJECTIVE__OBJECTIVE_SORTINO},
    {STOM_OBJ_SQN, STOM__V1__OBJECTIVE__OBJECTIVE_SQN},
    {STOM_OBJ_RETURN, STOM__V1__OBJECTIVE__OBJECTIVE_RETURN},
};

const char *objective_pb_name(Stom__V1__Objective o)
{
    for (size_t k = 0; k < sizeof objectives / sizeof objectives[0]; k++)
        if (objectives[k].pb == o)
            return stom_objective_name(objectives[k].obj);
    switch (o) {
    case STOM__V1__OBJECTIVE__OBJECTIVE_CALMAR:
        return "calmar";
    case STOM__V1__OBJECTIVE__OBJECTIVE_PROFIT_FACTOR:
        return "profit_factor";
    case STOM__V1__OBJECTIVE__OBJECTIVE_TPI:
        return "TPI";
    case STOM__V1__OBJECTIVE__OBJECTIVE_COMPOUND_CAGR:
        return "compound_cagr";
    default:
        return "TG"; /* unset: the coordinator ranks by TG */
    }
}

static int apply_objective(optimize_parse_state *ps, optimize_options *o)
{
    stom_objective obj = STOM_OBJ_TG;
    stom_errbuf eb = {{0}};
    if (ps->f.objective && stom_objective_parse(ps->f.objective, &obj, &eb) != STOM_OK) {
        cli_error("--objective: %s", eb.msg);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < sizeof objectives / sizeof objectives[0]; k++)
        if (objectives[k].obj == obj) {
            o->spec->has_objective = true;
            o->spec->objective = objectives[k].pb;
        }
    return EXIT_OK;
}

/* The metric as written: the text before the operator, without spaces around it. */
static char *constraint_metric(const char *text)
{
    const char *op = text + strcspn(text, "<>=");
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = op > text ? (size_t)(op - text) : 0;
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    return stom_xstrndup(text, n);
}

static int apply_constraints(optimize_parse_state *ps, optimize_options *o)
{
    Stom__V1__JobSpec *s = o->spec;
    if (ps->f.n_constraints > MAX_CONSTRAINTS) {
        cli_error("at most %d --constraint flags", MAX_CONSTRAINTS);
        return EXIT_USAGE;
    }
    if (ps->f.n_constraints > 0)
        s->constraints = stom_xcalloc(ps->f.n_constraints, sizeof *s->constraints);
    for (size_t k = 0; k < ps->f.n_constraints; k++) {
        stom_constraint c;
        stom_errbuf eb = {{0}};
        if (stom_constraint_parse(ps->f.constraints[k], &c, &eb) != STOM_OK) {
            cli_error("--constraint: %s", eb.msg);
            return EXIT_USAGE;
        }
        Stom__V1__Constraint *pc = stom_xmalloc(sizeof *pc);
        stom__v1__constraint__init(pc);
        pc->metric = constraint_metric(ps->f.constraints[k]);
        pc->has_min_value = c.has_min;
        pc->min_value = c.min;
        pc->has_max_value = c.has_max;
        pc->max_value = c.max;
        s->constraints[s->n_constraints++] = pc;
    }
    return EXIT_OK;
}

/* ---- validation ---------------------------------------------------------------- */

/* The window rules (stom_split_check) on which flags were given, in the CLI's words. */
static int check_split_flags(const optimize_flags *f, stom_split split)
{
    static const char *const flags[] = {"", "--train-weeks", "--valid-weeks", "--test-weeks",
                                        "--folds"};
    stom_split_spec given = {split, f->train_weeks != NULL, f->valid_weeks != NULL,
                             f->test_weeks != NULL, f->folds != NULL};
    bool missing;
    stom_window w = stom_split_check(&given, &missing);
    if (w == STOM_WINDOW_NONE)
        return EXIT_OK;
    if (split == STOM_SPLIT_NONE)
        cli_error("%s applies only with --split holdout|cv|test|walkforward", flags[w]);
    else if (missing && split == STOM_SPLIT_WALKFORWARD)
        cli_error("--split walkforward needs --train-weeks N and --test-weeks M (each window "
                  "trains N weeks, then tests the M weeks after them)");
    else if (missing && w == STOM_WINDOW_VALID)
        cli_error("--split %s needs --valid-weeks N (the validation window)",
                  stom_split_name(split));
    else if (missing)
        cli_error("--split test needs --test-weeks N (the held-out test window)");
    else if (w == STOM_WINDOW_TEST)
        cli_error("--test-weeks applies only with --split test or walkforward");
    else
        cli_error("--folds applies only with --split cv");
    return EXIT_USAGE;
}

static int read_weeks(const optimize_flags *f, stom_split_spec *ss)
{
    uint64_t v[4] = {0, 0, 0, 0};
    if (count_flag("--train-weeks", f->train_weeks, 1, MAX_WEEKS, &v[0]) != EXIT_OK ||
        count_flag("--valid-weeks", f->valid_weeks, 1, MAX_WEEKS, &v[1]) != EXIT_OK ||
        count_flag("--test-weeks", f->test_weeks, 1, MAX_WEEKS, &v[2]) != EXIT_OK ||
        count_flag("--folds", f->folds, 2, 1000, &v[3]) != EXIT_OK)
        return EXIT_USAGE;
    ss->train_weeks = (int)v[0];
    ss->valid_weeks = (int)v[1];
    ss->test_weeks = (int)v[2];
    ss->folds = (int)v[3];
    return EXIT_OK;
}

static int apply_split(optimize_parse_state *ps, optimize_options *o)
{
    const optimize_flags *f = &ps->f;
    stom_split_spec ss = {0};
    if (f->split && stom_split_parse(f->split, &ss.split) != STOM_OK) {
        cli_error("--split '%s' is not one of none, holdout, cv, test, walkforward", f->split);
        return EXIT_USAGE;
    }
    if (check_split_flags(f, ss.split) != EXIT_OK || read_weeks(f, &ss) != EXIT_OK)
        return EXIT_USAGE;
    /* Cut the period as the coordinator will, so a period too short is told now. */
    stom_plan plan;
    stom_errbuf eb = {{0}};
    if (stom_plan_make(&plan, &ss, ps->from_s, ps->to_s, &eb) != STOM_OK) {
        cli_error("--split %s with --period %s: %s", stom_split_name(ss.split), f->period, eb.msg);
        return EXIT_USAGE;
    }
    stom_plan_free(&plan);
    o->spec->validation = bt_validation_to_pb(&ss);
    return EXIT_OK;
}

/* ---- account ---------------------------------------------------------------------- */

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
    if (count_flag("--jobs", ps->f.jobs, 1, 1024, &jobs) != EXIT_OK)
        return EXIT_USAGE;
    o->jobs = (uint32_t)jobs;
    return EXIT_OK;
}

static int apply_output(optimize_parse_state *ps, optimize_options *o)
{
    uint64_t top = OPTIMIZE_TOP_DEFAULT;
    if (count_flag("--top", ps->f.top, 0, 1000000, &top) != EXIT_OK)
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
                                                                      apply_method,
                                                                      apply_objective,
                                                                      apply_constraints,
                                                                      apply_split,
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
