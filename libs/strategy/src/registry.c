/*
 * registry.c - the list of built-in strategies and lookup by name.
 */
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
