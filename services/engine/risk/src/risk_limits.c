/*
 * risk_limits.c - the limit fields: their configuration keys, units and
 * valid ranges, shared by stom_risk_set_limits and the JSON loader so that
 * both refuse the same values with the same words.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "risk_internal.h"
#include "risk_limits.h"

/* 100 trillion won: far above any retail account, far below int64 overflow in bp arithmetic. */
#define WON_MAX INT64_C(100000000000000)

const stom__risk_field stom__risk_fields[] = {
    {"capital", offsetof(stom_risk_limits, capital), STOM__RISK_WON, WON_MAX},
    {"max_positions", offsetof(stom_risk_limits, max_positions), STOM__RISK_COUNT, 10000},
    {"capital_per_trade", offsetof(stom_risk_limits, capital_per_trade), STOM__RISK_WON, WON_MAX},
    {"daily_loss_stop_bp", offsetof(stom_risk_limits, daily_loss_stop_bp), STOM__RISK_BP, 10000},
    {"daily_profit_stop_bp", offsetof(stom_risk_limits, daily_profit_stop_bp), STOM__RISK_BP,
     1000000},
    {"end_time", offsetof(stom_risk_limits, end_time_s), STOM__RISK_TIME, 86399},
    {"liquidate_at_end", offsetof(stom_risk_limits, liquidate_at_end), STOM__RISK_BOOL, 1},
    {"max_drawdown_bp", offsetof(stom_risk_limits, max_drawdown_bp), STOM__RISK_BP, 10000},
    {"max_order_value", offsetof(stom_risk_limits, max_order_value), STOM__RISK_WON, WON_MAX},
    {"max_position_value", offsetof(stom_risk_limits, max_position_value), STOM__RISK_WON, WON_MAX},
    {"max_orders_per_second", offsetof(stom_risk_limits, max_orders_per_second), STOM__RISK_COUNT,
     STOM_RISK_RATE_MAX},
    {"fat_finger_bp", offsetof(stom_risk_limits, fat_finger_bp), STOM__RISK_BP, 10000},
};
const size_t stom__risk_nfields = sizeof stom__risk_fields / sizeof stom__risk_fields[0];
/* stom_risk_limits_init and the loaders reach every limit through this table. */
_Static_assert(sizeof(stom_risk_limits) / sizeof(int64_t) ==
                   sizeof stom__risk_fields / sizeof stom__risk_fields[0],
               "every field of stom_risk_limits has a row in stom__risk_fields");

int64_t *stom__risk_field_ptr(stom_risk_limits *l, const stom__risk_field *f)
{
    return (int64_t *)((char *)l + f->offset);
}

const char *stom__risk_field_expect(const stom__risk_field *f)
{
    switch (f->unit) {
    case STOM__RISK_WON:
        return "must be a positive amount of won";
    case STOM__RISK_COUNT:
        return "must be a positive count";
    case STOM__RISK_BP:
        return "must be a positive number of basis points";
    case STOM__RISK_TIME:
        return "must be a KST time \"HH:MM\" or \"HH:MM:SS\"";
    case STOM__RISK_BOOL:
        return "must be true or false";
    }
    return "is invalid";
}

int stom__risk_field_check(const stom__risk_field *f, int64_t v, const char *prefix,
                           stom_errbuf *eb)
{
    int64_t lo = (f->unit == STOM__RISK_TIME || f->unit == STOM__RISK_BOOL) ? 0 : 1;
    if (v == STOM_RISK_UNSET || (v >= lo && v <= f->max))
        return STOM_OK;
    return stom_errorf(eb, STOM_EINVAL, "%s.%s: %s up to %" PRId64 ", not %" PRId64, prefix, f->key,
                       stom__risk_field_expect(f), f->max, v);
}

static bool has_pct_rule(const stom_risk_limits *l)
{
    return l->daily_loss_stop_bp != STOM_RISK_UNSET || l->daily_profit_stop_bp != STOM_RISK_UNSET ||
           l->max_drawdown_bp != STOM_RISK_UNSET;
}

int stom__risk_limits_validate(const stom_risk_limits *l, const char *prefix, stom_errbuf *eb)
{
    stom_risk_limits copy = *l;
    for (size_t i = 0; i < stom__risk_nfields; i++) {
        const stom__risk_field *f = &stom__risk_fields[i];
        int rc = stom__risk_field_check(f, *stom__risk_field_ptr(&copy, f), prefix, eb);
        if (rc)
            return rc;
    }
    return STOM_OK;
}

int stom__risk_capital_check(const stom_risk_limits *l, int64_t account_capital, const char *prefix,
                             stom_errbuf *eb)
{
    if (!has_pct_rule(l) || l->capital != STOM_RISK_UNSET || account_capital != STOM_RISK_UNSET)
        return STOM_OK;
    return stom_errorf(eb, STOM_EINVAL,
                       "%s.capital: required (the daily stops and the drawdown switch are "
                       "basis points of it), not unset",
                       prefix);
}
