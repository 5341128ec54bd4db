/*
 * bt_util.c - series views, clocks and the log line format of
 * stom-backtester.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bt.h"

static const char *log_role = "backtester";

/* First index with ts >= t (len when none). */
static size_t lower_bound(const stom_bars *b, int64_t t)
{
    size_t lo = 0, hi = b->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->ts[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t bt_series_view(const stom_bars *full, int64_t from, int64_t to, stom_bars *view)
{
    size_t a = lower_bound(full, from), z = lower_bound(full, to);
    if (z < a)
        z = a;
    *view = *full;
    view->len = z - a;
    view->cap = 0;
    view->ts = full->ts ? full->ts + a : NULL;
    view->open = full->open ? full->open + a : NULL;
    view->high = full->high ? full->high + a : NULL;
    view->low = full->low ? full->low + a : NULL;
    view->close = full->close ? full->close + a : NULL;
    view->volume = full->volume ? full->volume + a : NULL;
    return view->len;
}

int64_t bt_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bt_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bt_log_role(const char *role)
{
    log_role = role;
}

void bt_log(const char *fmt, ...)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s stom-backtester[%s] %s\n", when, log_role, line);
}
