/*
 * bars_keys.c - the names that key a stored series: its timeframe and its
 * symbol. The symbol rule is the one the instruments table's CHECK enforces
 * (migrations/0001_bars.sql), tested here first for a readable refusal.
 */
#include "stom/store_bars.h"

#include <string.h>

int stom_timeframe_check(const char *tf, stom_errbuf *eb)
{
    static const char *const names[] = {"1s", "1m", "1d"};
    for (size_t k = 0; tf != NULL && k < sizeof names / sizeof names[0]; k++) {
        if (strcmp(tf, names[k]) == 0)
            return STOM_OK;
    }
    return stom_errorf(eb, STOM_EINVAL, "timeframe '%s' is not one of 1s, 1m, 1d",
                       tf ? tf : "(none)");
}

static bool symbol_char(char c, bool first)
{
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return alnum || (!first && (c == '.' || c == '_' || c == '/' || c == '-'));
}

int stom_symbol_check(const char *symbol, stom_errbuf *eb)
{
    size_t n = symbol ? strlen(symbol) : 0;
    bool ok = n >= 1 && n < STOM_SYMBOL_MAX;
    for (size_t k = 0; ok && k < n; k++)
        ok = symbol_char(symbol[k], k == 0);
    if (ok)
        return STOM_OK;
    return stom_errorf(eb, STOM_EINVAL,
                       "symbol '%s' must be 1 to %d letters or digits (after the first also . _ / "
                       "-), e.g. 005930",
                       symbol ? symbol : "", STOM_SYMBOL_MAX - 1);
}
