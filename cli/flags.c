/*
 * flags.c - reading "--flag value" and "--flag=value" the same way in every
 * command.
 */
#include <string.h>

#include "cli.h"

bool cli_flag_is(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_flag_value(int argc, char **argv, int *i, const char *flag, const char *command)
{
    size_t n = strlen(flag);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc) {
        cli_error("%s needs a value (see stom %s --help)", flag, command);
        return NULL;
    }
    return argv[++*i];
}

int cli_take_value(int argc, char **argv, int *i, const cli_value_flag *flags, size_t n, void *opts,
                   const char *command)
{
    for (size_t k = 0; k < n; k++) {
        if (!cli_flag_is(argv[*i], flags[k].flag))
            continue;
        const char **slot = (const char **)((char *)opts + flags[k].offset);
        *slot = cli_flag_value(argc, argv, i, flags[k].flag, command);
        return *slot ? 1 : -1;
    }
    return 0;
}
