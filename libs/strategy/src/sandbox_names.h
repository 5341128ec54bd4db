/*
 * sandbox_names.h - what the Lua sandbox keeps and withholds, in one place:
 * the runtime builds the strategy's environment from these lists
 * (lua_state.c hands them to lua_prelude.c) and `stom strategy check`
 * judges names against the same lists, so the two cannot disagree.
 * Internal to libs/strategy.
 *
 * Thread-safety: constant data.
 */
#ifndef STOM_SANDBOX_NAMES_H
#define STOM_SANDBOX_NAMES_H

#include <stddef.h>

typedef struct stom__name_list {
    const char *const *names;
    size_t n;
} stom__name_list;

/* Names of a full Lua state a strategy may not reach; reading one says so. */
extern const stom__name_list stom__sandbox_withheld;
/* Base-library functions a strategy keeps (math, string and table are libraries besides). */
extern const stom__name_list stom__sandbox_functions;
/* The parts of string and table a strategy keeps (math is kept whole). */
extern const stom__name_list stom__sandbox_string_kept;
extern const stom__name_list stom__sandbox_table_kept;

#endif
