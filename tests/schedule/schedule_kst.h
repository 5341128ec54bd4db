/*
 * schedule_kst.h - KST instants for the scheduler's tests: the UTC
 * nanoseconds of a KST wall time and the KST date and minute of an instant.
 *
 * Thread-safety: pure functions.
 */
#ifndef STOM_TEST_SCHEDULE_KST_H
#define STOM_TEST_SCHEDULE_KST_H

#include <stdint.h>

#include "stom/schedule.h"
#include "stom/timeutil.h"

/* UTC ns of hh:mm KST on date (YYYYMMDD). */
static inline int64_t kst(int32_t date, int hh, int mm)
{
    return (stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + hh * 3600 + mm * 60) *
           STOM_NS_PER_SEC;
}

/* The KST date (YYYYMMDD) of UTC ns. */
static inline int32_t date_of(int64_t ns)
{
    return stom_date_of(ns / STOM_NS_PER_SEC, STOM_KST_OFFSET_MINUTES);
}

/* Minutes after KST midnight of UTC ns. */
static inline int minute_of(int64_t ns)
{
    return stom_seconds_of_day(ns / STOM_NS_PER_SEC, STOM_KST_OFFSET_MINUTES) / 60;
}

#endif
