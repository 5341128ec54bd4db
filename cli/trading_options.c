/*
 * trading_options.c - one parser for the flags of every live-trading
 * command (trading_cli.h). A command names the flags it takes; the others
 * are refused by name, so `stom orders --price 5` says that orders has no
 * --price instead of ignoring it.
 */
#include <stddef.h>
#include <string.h>

#include "optimize.h"
#include "trading_cli.h"

typedef struct flag_def {
    const char *flag;
    bool takes_value;
    size_t offset; /* of the const char * (value) or the bool in trading_options */
} flag_def;

#define VALUE(f, field)                                                                            \
    {                                                                                              \
        f, true, offsetof(trading_options, field)                                                  \
    }
#define SWITCH(f, field)                                                                           \
    {                                                                                              \
        f, false, offsetof(trading_options, field)                                                 \
    }

static const flag_def flags[] = {
    VALUE("--url", url),
    VALUE("--account", account),
    VALUE("--price", price),
    VALUE("--reason", reason),
    VALUE("--limit", limit),
    VALUE("--strategy-id", strategy_id),
    VALUE("--symbols", symbols),
    VALUE("--timeframe", timeframe),
    VALUE("--id", id),
    VALUE("--when", when),
    VALUE("--days", days),
    VALUE("--action", action),
    VALUE("--args", args),
    VALUE("--qty", qty),
    VALUE("--amount", amount),
    VALUE("--file", file),
    SWITCH("--json", json),
    SWITCH("--open", open),
    SWITCH("--liquidate", liquidate),
    SWITCH("--disabled", disabled),
};

/* --json, --url and --help are every command's. */
static bool allowed_for(const char *flag, const char *allowed)
{
    if (!strcmp(flag, "--json") || !strcmp(flag, "--url"))
        return true;
    size_t n = strlen(flag);
    for (const char *p = strstr(allowed, flag); p; p = strstr(p + 1, flag))
        if ((p == allowed || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static int take_param(int argc, char **argv, int *i, trading_options *o)
{
    const char *v = cli_flag_value(argc, argv, i, "--param", o->command);
    if (!v)
        return EXIT_USAGE;
    if (!strchr(v, '=') || v[0] == '=') {
        cli_error("--param '%s' must be NAME=VALUE (for example --param fast=5)", v);
        return EXIT_USAGE;
    }
    if (o->n_params == TRADING_PARAMS_MAX) {
        cli_error("at most %d --param flags", TRADING_PARAMS_MAX);
        return EXIT_USAGE;
    }
    o->params[o->n_params++] = v;
    return EXIT_OK;
}

/* The flag at argv[*i] (one of flags[], or --param). */
static int take_flag(int argc, char **argv, int *i, const char *allowed, trading_options *o)
{
    if (cli_flag_is(argv[*i], "--param") && allowed_for("--param", allowed))
        return take_param(argc, argv, i, o);
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        const flag_def *f = &flags[k];
        if (!(f->takes_value ? cli_flag_is(argv[*i], f->flag) : !strcmp(argv[*i], f->flag)) ||
            !allowed_for(f->flag, allowed))
            continue;
        if (!f->takes_value) {
            *(bool *)((char *)o + f->offset) = true;
            return EXIT_OK;
        }
        const char *v = cli_flag_value(argc, argv, i, f->flag, o->command);
        *(const char **)((char *)o + f->offset) = v;
        return v ? EXIT_OK : EXIT_USAGE;
    }
    cli_error("%s is not an option of stom %s (see stom %s --help)", argv[*i], o->command,
              o->command);
    return EXIT_USAGE;
}

int trading_parse(int argc, char **argv, int first, const char *allowed, size_t max_pos,
                  const char *command, void (*usage)(FILE *out), trading_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = command;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if (a[0] == '-' && a[1] != '\0' && !(a[1] >= '0' && a[1] <= '9')) {
            if (take_flag(argc, argv, &i, allowed, o) != EXIT_OK)
                return EXIT_USAGE;
        } else if (o->n_pos < max_pos && o->n_pos < TRADING_POSITIONAL_MAX) {
            o->pos[o->n_pos++] = a;
        } else {
            cli_error("unexpected argument '%s' for stom %s (see stom %s --help)", a, command,
                      command);
            return EXIT_USAGE;
        }
    }
    if (o->help)
        usage(stdout);
    return EXIT_OK;
}

int trading_whole(const char *what, const char *s, uint64_t max, int64_t *out)
{
    uint64_t v = 0;
    if (!parse_whole_number(s, max, &v) || v == 0) {
        cli_error("%s '%s' must be a whole number from 1 to %llu", what, s,
                  (unsigned long long)max);
        return EXIT_USAGE;
    }
    *out = (int64_t)v;
    return EXIT_OK;
}
