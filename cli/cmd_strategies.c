/*
 * cmd_strategies.c - `stom strategies [--json]`: the built-ins and their
 * parameter schemas.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static void print_text(void)
{
    const stom_strategy_def *const *all = stom_strategy_builtins();
    for (size_t k = 0; all[k]; k++) {
        const stom_strategy_def *d = all[k];
        printf("%s\n  %s\n", d->name, d->summary);
        printf("  %-14s %-6s %10s %10s %10s %8s\n", "parameter", "type", "default", "min", "max",
               "step");
        for (size_t p = 0; p < d->n_params; p++) {
            const stom_param_spec *s = &d->params[p];
            printf("  %-14s %-6s %10g %10g %10g %8g  %s\n", s->name, stom_param_type_name(s->type),
                   s->def, s->min, s->max, s->step, s->help);
        }
        putchar('\n');
    }
    puts("Use: stom backtest --local --data FILE --strategy NAME --param NAME=VALUE");
}

static json_t *param_json(const stom_param_spec *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(s->name));
    json_object_set_new(j, "type", json_string(stom_param_type_name(s->type)));
    json_object_set_new(j, "default", json_real(s->def));
    json_object_set_new(j, "min", json_real(s->min));
    json_object_set_new(j, "max", json_real(s->max));
    json_object_set_new(j, "step", json_real(s->step));
    json_object_set_new(j, "help", json_string(s->help));
    return j;
}

static int print_json(void)
{
    json_t *list = json_array();
    const stom_strategy_def *const *all = stom_strategy_builtins();
    for (size_t k = 0; all[k]; k++) {
        json_t *j = json_object(), *params = json_array();
        json_object_set_new(j, "name", json_string(all[k]->name));
        json_object_set_new(j, "summary", json_string(all[k]->summary));
        for (size_t p = 0; p < all[k]->n_params; p++)
            json_array_append_new(params, param_json(&all[k]->params[p]));
        json_object_set_new(j, "params", params);
        json_array_append_new(list, j);
    }
    int rc = json_dumpf(list, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(list);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

int cli_strategies(int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            puts("Usage: stom strategies [--json]\n\nLists the built-in strategies with their "
                 "parameters (type, default, min, max, step).");
            return EXIT_OK;
        } else {
            cli_error("unknown option '%s' for strategies (use --json or --help)", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (json)
        return print_json();
    print_text();
    return EXIT_OK;
}
