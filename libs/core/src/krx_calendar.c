/*
 * krx_calendar.c - KRX trading days (see stom/krx.h and docs/krx-rules.md).
 *
 * A date is a trading day when it is a real date, a weekday, not in the
 * holiday table and not one of the two closures KRX keeps every year:
 * January 1 (신정) and the year-end closing day (연말 휴장일: Dec 31, or
 * the last weekday before it when Dec 31 falls on a weekend).
 *
 * The holiday table is data: libs/core/data/krx-holidays.tsv, turned into
 * the rows of `holidays` at build time (gen-krx-holidays.cmake checks that
 * the dates are strictly increasing, so lookups can bisect). Its first and
 * last years are the years the calendar knows; outside them only weekends
 * and the two yearly closures are known, so holidays such as 설날 or 추석
 * of those years count as trading days.
 */
#include <stddef.h>

#include "stom/krx.h"
#include "stom/timeutil.h"

typedef struct krx_holiday {
    int32_t date; /* YYYYMMDD, a weekday */
    const char *name;
} krx_holiday;

static const krx_holiday holidays[] = {
#include "krx_holidays.inc"
};

#define HOLIDAY_COUNT (sizeof(holidays) / sizeof(holidays[0]))

static const krx_holiday *table_find(int32_t date)
{
    size_t lo = 0, hi = HOLIDAY_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (holidays[mid].date == date)
            return &holidays[mid];
        if (holidays[mid].date < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int weekday_of(int32_t date)
{
    return stom_weekday_from_days(stom_days_of_date(date));
}

static bool is_real_weekday(int32_t date)
{
    return stom_date_valid(date / 10000, date / 100 % 100, date % 100) && weekday_of(date) < 5;
}

/* Dec 31, or the Friday before it when it is a Saturday (5) or Sunday (6). */
static int32_t year_end_closing_day(int year)
{
    int32_t dec31 = year * 10000 + 1231;
    int w = weekday_of(dec31);
    return w == 5 ? dec31 - 1 : w == 6 ? dec31 - 2 : dec31;
}

/* The closures KRX keeps every year, for weekdays outside (and inside) the table. */
static const char *yearly_closure(int32_t date)
{
    if (date % 10000 == 101)
        return "New Year's Day (신정)";
    if (date == year_end_closing_day(date / 10000))
        return "Year-end closing (연말 휴장일)";
    return NULL;
}

const char *stom_krx_holiday_name(int32_t date)
{
    if (!is_real_weekday(date))
        return NULL;
    const krx_holiday *h = table_find(date);
    return h ? h->name : yearly_closure(date);
}

bool stom_krx_is_trading_day(int32_t date)
{
    return is_real_weekday(date) && stom_krx_holiday_name(date) == NULL;
}

/* Closures last days (at most 7 in a row so far), so these loops end quickly. */
int32_t stom_krx_next_trading_day(int32_t date)
{
    int64_t days = stom_days_of_date(date);
    int32_t d;
    do
        d = stom_date_from_days(++days);
    while (!stom_krx_is_trading_day(d));
    return d;
}

int32_t stom_krx_prev_trading_day(int32_t date)
{
    int64_t days = stom_days_of_date(date);
    int32_t d;
    do
        d = stom_date_from_days(--days);
    while (!stom_krx_is_trading_day(d));
    return d;
}

void stom_krx_calendar_years(int *first, int *last)
{
    if (first)
        *first = holidays[0].date / 10000;
    if (last)
        *last = holidays[HOLIDAY_COUNT - 1].date / 10000;
}
