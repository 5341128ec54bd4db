/*
 * registry.c - the list of built-in strategies and lookup by name.
 */
#include <stdio.h>
#include <string.h>

#include "builtins.h"

static const stom_strategy_def *const builtins[] = {
    &stom__builtin_sma_cross,          &stom__builtin_rsi_reversion,
    &stom__builtin_bollinger_breakout, &stom__builtin_volatility_breakout,
    &stom__builtin_momentum,           NULL,
};

const stom_strategy_def *const *stom_strategy_builtins(void)
{
    return builtins;
}

const stom_strategy_def *stom_strategy_find(const char *name)
{
    for (size_t i = 0; builtins[i] != NULL; i++) {
        if (strcmp(builtins[i]->name, name) == 0)
            return builtins[i];
    }
    return NULL;
}

char *stom_strategy_names(char *buf, size_t len)
{
    size_t used = 0;
    const stom_strategy_def *const *all = stom_strategy_builtins();
    buf[0] = '\0';
    for (size_t k = 0; all[k] && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", k ? ", " : "", all[k]->name);
    return buf;
}
