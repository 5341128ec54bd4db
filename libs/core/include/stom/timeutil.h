/*
 * stom/timeutil.h - civil dates and times without the C library's time zones.
 *
 * stom keeps instants as UTC seconds (int64) and converts with an explicit
 * UTC offset in minutes (KST = +540; Korea has no daylight saving). Dates are
 * int32 YYYYMMDD. Nothing here reads TZ or calls localtime, so results do not
 * depend on the machine.
 *
 * Thread-safety: pure functions, but for stom_mono_ms, which reads the
 * monotonic clock (any thread).
 */
#ifndef STOM_TIMEUTIL_H
#define STOM_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STOM_KST_OFFSET_MINUTES 540

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
int64_t stom_days_from_civil(int y, int m, int d);
/* Inverse of stom_days_from_civil. */
void stom_civil_from_days(int64_t days, int *y, int *m, int *d);
/* True when y-m-d is a real calendar date (1 <= m <= 12, day within month). */
bool stom_date_valid(int y, int m, int d);
/* 0 = Monday ... 6 = Sunday, for days since the epoch. */
int stom_weekday_from_days(int64_t days);

/* The YYYYMMDD date of UTC instant t seen at offset_min. */
int32_t stom_date_of(int64_t t, int offset_min);
/* Seconds since local midnight of UTC instant t seen at offset_min. */
int32_t stom_seconds_of_day(int64_t t, int offset_min);
/* UTC seconds of local midnight of YYYYMMDD at offset_min. */
int64_t stom_midnight_utc(int32_t yyyymmdd, int offset_min);
/* Days since the epoch of YYYYMMDD. */
int64_t stom_days_of_date(int32_t yyyymmdd);
/* YYYYMMDD of days since the epoch. */
int32_t stom_date_from_days(int64_t days);

/*
 * Dates of a time-ordered series, fast: the date is recomputed only when an
 * instant falls outside the day last seen, so a loop over a million
 * intraday points does a few thousand civil conversions, not a million.
 */
typedef struct stom_day_cursor {
    int offset_min;
    int64_t start, end; /* [start, end): UTC seconds of the cached local day */
    int32_t date;
} stom_day_cursor;

/* Starts a cursor with no cached day. */
void stom_day_cursor_init(stom_day_cursor *c, int offset_min);
/* Recomputes the cached day around t (internal to stom_day_cursor_date). */
int32_t stom__day_cursor_move(stom_day_cursor *c, int64_t t);

/* The YYYYMMDD date of t at the cursor's offset. */
static inline int32_t stom_day_cursor_date(stom_day_cursor *c, int64_t t)
{
    if (t >= c->start && t < c->end)
        return c->date;
    return stom__day_cursor_move(c, t);
}

/*
 * Writes t at offset_min as "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD" when
 * date_only) into buf, NUL-terminated. Returns buf.
 */
char *stom_format_time(int64_t t, int offset_min, bool date_only, char *buf, size_t len);

/*
 * Parses "YYYY-MM-DD" or "YYYYMMDD" (exactly those bytes) into *out.
 * Returns 0 or STOM_EFORMAT.
 */
int stom_parse_date(const char *s, size_t n, int32_t *out);

/*
 * Parses "YYYY-MM-DD HH:MM" (exactly those bytes, 24-hour) as a time at
 * offset_min into UTC nanoseconds. Returns 0 or STOM_EFORMAT.
 */
int stom_parse_minute(const char *s, int offset_min, int64_t *out_ns);

/* CLOCK_MONOTONIC in nanoseconds and in milliseconds: for deadlines and durations. */
int64_t stom_mono_ns(void);
int64_t stom_mono_ms(void);

#endif
