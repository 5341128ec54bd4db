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
