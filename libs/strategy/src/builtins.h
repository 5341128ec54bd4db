/*
 * builtins.h - the built-in strategy definitions (internal to libs/strategy).
 *
 * Each lives in its own builtin_<name>.c; registry.c lists them.
 */
#ifndef STOM_BUILTINS_H
#define STOM_BUILTINS_H

#include "stom/strategy.h"

extern const stom_strategy_def stom__builtin_sma_cross;
extern const stom_strategy_def stom__builtin_rsi_reversion;
extern const stom_strategy_def stom__builtin_bollinger_breakout;
extern const stom_strategy_def stom__builtin_volatility_breakout;
extern const stom_strategy_def stom__builtin_momentum;

#endif
