/*
 * report_format.c - number and time formatting shared by the report writers.
 */
#include "cli.h"
#include "stom/fixed.h"

char *format_money(const backtest_report *r, int64_t v, char *buf, size_t len)
{
    stom_fixed_format(v, r->series[0].inst.price_decimals, true, buf, len);
    return buf;
}
