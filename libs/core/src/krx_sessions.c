/*
 * krx_sessions.c - KRX trading sessions in KST (see stom/krx.h and
 * docs/krx-rules.md).
 *
 * The day's schedule is one const table of half-open [start, end) minute
 * spans: a session starts at its first second and has ended at its end
 * minute (09:00:00 is continuous trading, 15:30:00 is closed). On the first
 * trading day of a year the open moves to 10:00 (the sessions up to the open
 * shift 60 minutes) while the close stays at 15:30; on CSAT (수능) days the
 * whole day shifts 60 minutes. Weekends and holidays are CLOSED all day
 * (krx_calendar.c).
 */
#include <stddef.h>

#include "stom/krx.h"
#include "stom/timeutil.h"

typedef struct krx_span {
    int start; /* minutes after 00:00 KST */
    int end;
    stom_krx_session session;
} krx_span;

static const krx_span schedule[] = {
    {8 * 60 + 30, 8 * 60 + 40, STOM_KRX_PRE_CLOSE_PRICE},
    {8 * 60 + 40, 9 * 60, STOM_KRX_OPENING_AUCTION},
    {9 * 60, 15 * 60 + 20, STOM_KRX_CONTINUOUS},
    {15 * 60 + 20, 15 * 60 + 30, STOM_KRX_CLOSING_AUCTION},
    {15 * 60 + 40, 16 * 60, STOM_KRX_AFTER_CLOSE_PRICE},
    {16 * 60, 18 * 60, STOM_KRX_AFTER_SINGLE_PRICE},
};

/*
 * CSAT (대학수학능력시험) days, on which KRX opens and closes an hour late so
 * that traffic avoids the exam. 2017's exam moved a week (Pohang earthquake)
 * and KRX moved with it; 2020's was held in December. 2026-11-19 is the
 * announced date for the 2027 exam: verify it, and add each year's date
 * when the Ministry of Education announces it.
 */
static const int32_t csat_days[] = {
    20151112, 20161117, 20171123, 20181115, 20191114, 20201203,
    20211118, 20221117, 20231116, 20241114, 20251113, 20261119,
};

static bool is_csat_day(int32_t date)
{
    for (size_t i = 0; i < sizeof(csat_days) / sizeof(csat_days[0]); i++)
        if (csat_days[i] == date)
            return true;
    return false;
}

static bool is_first_trading_day_of_year(int32_t date)
{
    return stom_krx_prev_trading_day(date) / 10000 != date / 10000;
}

int stom_krx_open_delay_minutes(int32_t date)
{
    if (!stom_krx_is_trading_day(date))
        return 0;
    return is_csat_day(date) || is_first_trading_day_of_year(date) ? 60 : 0;
}

int stom_krx_close_delay_minutes(int32_t date)
{
    return stom_krx_is_trading_day(date) && is_csat_day(date) ? 60 : 0;
}

/* A schedule minute moved by the day's delays: the open's up to 09:00, the close's after. */
static int shifted(int minute, int open_delay, int close_delay)
{
    return minute + (minute <= 9 * 60 ? open_delay : close_delay);
}

stom_krx_session stom_krx_session_at(int64_t t)
{
    int32_t date = stom_date_of(t, STOM_KST_OFFSET_MINUTES);
    if (!stom_krx_is_trading_day(date))
        return STOM_KRX_CLOSED;
    int32_t sec = stom_seconds_of_day(t, STOM_KST_OFFSET_MINUTES);
    int open_delay = stom_krx_open_delay_minutes(date);
    int close_delay = stom_krx_close_delay_minutes(date);
    for (size_t i = 0; i < sizeof(schedule) / sizeof(schedule[0]); i++) {
        int start = shifted(schedule[i].start, open_delay, close_delay);
        int end = shifted(schedule[i].end, open_delay, close_delay);
        if (sec >= start * 60 && sec < end * 60)
            return schedule[i].session;
    }
    return STOM_KRX_CLOSED;
}

const char *stom_krx_session_name(stom_krx_session s)
{
    switch (s) {
    case STOM_KRX_CLOSED:
        return "closed";
    case STOM_KRX_PRE_CLOSE_PRICE:
        return "pre_close_price";
    case STOM_KRX_OPENING_AUCTION:
        return "opening_auction";
    case STOM_KRX_CONTINUOUS:
        return "continuous";
    case STOM_KRX_CLOSING_AUCTION:
        return "closing_auction";
    case STOM_KRX_AFTER_CLOSE_PRICE:
        return "after_close_price";
    case STOM_KRX_AFTER_SINGLE_PRICE:
        return "after_single_price";
    }
    return "unknown";
}
