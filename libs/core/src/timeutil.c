/*
 * timeutil.c - civil date arithmetic (Howard Hinnant's days_from_civil
 * algorithm, public domain) and fixed-offset conversions.
 */
#include "stom/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stom/error.h"

int64_t stom_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void stom_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool stom_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int stom_weekday_from_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t stom_date_from_days(int64_t days)
{
    int y, m, d;
    stom_civil_from_days(days, &y, &m, &d);
    return y * 10000 + m * 100 + d;
}

int64_t stom_days_of_date(int32_t yyyymmdd)
{
    return stom_days_from_civil(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}

int32_t stom_date_of(int64_t t, int offset_min)
{
    return stom_date_from_days(floor_div(t + (int64_t)offset_min * 60, 86400));
}

int32_t stom_seconds_of_day(int64_t t, int offset_min)
{
    int64_t local = t + (int64_t)offset_min * 60;
    return (int32_t)(local - floor_div(local, 86400) * 86400);
}

int64_t stom_midnight_utc(int32_t yyyymmdd, int offset_min)
{
    return stom_days_of_date(yyyymmdd) * 86400 - (int64_t)offset_min * 60;
}

/* Writes v as exactly n decimal digits at p; returns the end. */
static char *put_digits(char *p, int v, int n)
{
    for (int k = n - 1; k >= 0; k--, v /= 10)
        p[k] = (char)('0' + v % 10);
    return p + n;
}

char *stom_format_time(int64_t t, int offset_min, bool date_only, char *buf, size_t len)
{
    int32_t date = stom_date_of(t, offset_min);
    int32_t sod = stom_seconds_of_day(t, offset_min);
    /* By hand in the common case (printf is most of the cost of an API answer's times). */
    if (date >= 10000 && date <= 99991231 && len >= (date_only ? 11u : 20u)) {
        char *p = put_digits(buf, date / 10000, 4);
        *p++ = '-';
        p = put_digits(p, date / 100 % 100, 2);
        *p++ = '-';
        p = put_digits(p, date % 100, 2);
        if (!date_only) {
            *p++ = ' ';
            p = put_digits(p, sod / 3600, 2);
            *p++ = ':';
            p = put_digits(p, sod / 60 % 60, 2);
            *p++ = ':';
            p = put_digits(p, sod % 60, 2);
        }
        *p = '\0';
        return buf;
    }
    if (date_only)
        snprintf(buf, len, "%04d-%02d-%02d", date / 10000, date / 100 % 100, date % 100);
    else
        snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", date / 10000, date / 100 % 100,
                 date % 100, sod / 3600, sod / 60 % 60, sod % 60);
    return buf;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return STOM_EFORMAT;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return STOM_OK;
}

int stom_parse_date(const char *s, size_t n, int32_t *out)
{
    int y, m, d;
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
            return STOM_EFORMAT;
    } else if (n == 8) {
        if (digits(s, 4, &y) || digits(s + 4, 2, &m) || digits(s + 6, 2, &d))
            return STOM_EFORMAT;
    } else {
        return STOM_EFORMAT;
    }
    if (!stom_date_valid(y, m, d))
        return STOM_EFORMAT;
    *out = y * 10000 + m * 100 + d;
    return STOM_OK;
}

int stom_parse_minute(const char *s, int offset_min, int64_t *out_ns)
{
    int32_t date;
    int h, m;
    if (strlen(s) != 16 || s[10] != ' ' || s[13] != ':' || stom_parse_date(s, 10, &date) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &m) || h > 23 || m > 59)
        return STOM_EFORMAT;
    *out_ns = (stom_midnight_utc(date, offset_min) + h * 3600 + m * 60) * 1000000000LL;
    return STOM_OK;
}

void stom_day_cursor_init(stom_day_cursor *c, int offset_min)
{
    c->offset_min = offset_min;
    c->start = 0;
    c->end = 0;
    c->date = 0;
}

int32_t stom__day_cursor_move(stom_day_cursor *c, int64_t t)
{
    c->date = stom_date_of(t, c->offset_min);
    c->start = stom_midnight_utc(c->date, c->offset_min);
    c->end = c->start + 86400;
    return c->date;
}

int64_t stom_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t stom_mono_ms(void)
{
    return stom_mono_ns() / 1000000;
}
