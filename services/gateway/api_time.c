/*
 * api_time.c - RFC 3339 in KST for the REST API (see api_time.h).
 */
#include <stdio.h>
#include <string.h>

#include "api_time.h"
#include "stom/error.h"
#include "stom/timeutil.h"

char *gw_api_time_format(int64_t ts, char *buf, size_t len)
{
    char full[40];
    size_t n = strlen(stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, full, 32));
    full[10] = 'T';
    memcpy(full + n, "+09:00", sizeof "+09:00");
    snprintf(buf, len, "%s", full);
    return buf;
}

json_t *gw_api_time_json(int64_t ts)
{
    char buf[48];
    return json_string(gw_api_time_format(ts, buf, sizeof buf));
}

/* Reads exactly n decimal digits of s into *out. */
static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parses "HH:MM:SS" at s into seconds of the day. */
static bool parse_clock(const char *s, int *seconds)
{
    int h, m, sec;
    if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || s[5] != ':' ||
        !digits(s + 6, 2, &sec))
        return false;
    if (h > 23 || m > 59 || sec > 59)
        return false;
    *seconds = h * 3600 + m * 60 + sec;
    return true;
}

/* Parses the zone at s ("Z", "+hh:mm", "-hh:mm", " hh:mm") into minutes east of UTC. */
static bool parse_zone(const char *s, int *minutes)
{
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *minutes = 0;
        return true;
    }
    int sign = s[0] == '-' ? -1 : 1, h, m;
    if ((s[0] != '+' && s[0] != '-' && s[0] != ' ') || !digits(s + 1, 2, &h) || s[3] != ':' ||
        !digits(s + 4, 2, &m) || s[6] != '\0' || h > 23 || m > 59)
        return false;
    *minutes = sign * (h * 60 + m);
    return true;
}

bool gw_api_time_parse(const char *s, bool end_of_day, int64_t *out)
{
    size_t n = strlen(s);
    int32_t date;
    if (n < 10 || stom_parse_date(s, 10, &date) != STOM_OK)
        return false;
    int64_t midnight_utc = stom_days_of_date(date) * 86400;
    if (n == 10) {
        *out = midnight_utc - STOM_KST_OFFSET_MINUTES * 60 + (end_of_day ? 86400 : 0);
        return true;
    }
    int clock, zone;
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || n < 20 || !parse_clock(s + 11, &clock))
        return false;
    const char *rest = s + 19;
    if (*rest == '.') {
        /* Fractions of a second are dropped: bars start on whole seconds. */
        do
            rest++;
        while (*rest >= '0' && *rest <= '9');
        if (rest == s + 20)
            return false;
    }
    if (!parse_zone(rest, &zone))
        return false;
    *out = midnight_utc + clock - (int64_t)zone * 60;
    return true;
}
