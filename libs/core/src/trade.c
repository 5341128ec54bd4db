/*
 * trade.c - derived values of a closed trade (stom/trade.h).
 */
#include "stom/trade.h"

#include <math.h>

double stom_trade_return_pct(const stom_trade *t)
{
    if (t->entry_value == 0)
        return 0;
    /* entry_value is positive for both sides (cash paid or received); the
     * magnitude keeps the sign of pnl even if a caller passes it signed. */
    return (double)t->pnl / fabs((double)t->entry_value) * 100.0;
}
