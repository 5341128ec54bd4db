/*
 * schedule_when.c - when a job fires: the "when" text, the anchors' times
 * on a given day and the next fire on a KRX trading day.
 *
 * The calendar is libs/core's (stom_krx_is_trading_day, the open and close
 * delays); nothing here knows a holiday. Anchor minutes are those of the
 * session table in krx_sessions.c: pre_open and open move with the open's
 * delay, close and after_close with the close's.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stom/krx.h"
#include "stom/schedule.h"
#include "stom/timeutil.h"

static const struct {
    const char *name;
    int minute; /* KST minutes after 00:00 on an ordinary day */
} anchors[] = {
    [STOM_SCHEDULE_AT_TIME] = {"time", 0},
    [STOM_SCHEDULE_PRE_OPEN] = {"pre_open", 8 * 60 + 30},
    [STOM_SCHEDULE_OPEN] = {"open", 9 * 60},
    [STOM_SCHEDULE_CLOSE] = {"close", 15 * 60 + 30},
    [STOM_SCHEDULE_AFTER_CLOSE] = {"after_close", 18 * 60},
};
#define N_ANCHORS (sizeof(anchors) / sizeof(anchors[0]))

static const char *const actions[] = {
    [STOM_SCHEDULE_START_STRATEGY] = "start_strategy",
    [STOM_SCHEDULE_STOP_STRATEGY] = "stop_strategy",
    [STOM_SCHEDULE_LIQUIDATE] = "liquidate",
    [STOM_SCHEDULE_RECORD_BARS] = "record_bars",
    [STOM_SCHEDULE_RUN_BACKTEST] = "run_backtest",
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static int64_t system_now(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * STOM_NS_PER_SEC + ts.tv_nsec;
}

stom_schedule_clock stom_schedule_clock_system(void)
{
    return (stom_schedule_clock){system_now, NULL};
}

const char *stom_schedule_anchor_name(stom_schedule_anchor a)
{
    return (unsigned)a < N_ANCHORS ? anchors[a].name : NULL;
}

const char *stom_schedule_action_name(stom_schedule_action a)
{
    return (unsigned)a < N_ACTIONS ? actions[a] : NULL;
}

int stom_schedule_action_parse(const char *s, size_t n, stom_schedule_action *out)
{
    for (size_t k = 0; k < N_ACTIONS; k++)
        if (strlen(actions[k]) == n && memcmp(actions[k], s, n) == 0) {
            *out = (stom_schedule_action)k;
            return STOM_OK;
        }
    return STOM_EINVAL;
}

/* Reads 1..digits decimal digits from s[*at..n) into *v; false when there are none. */
static bool read_number(const char *s, size_t n, size_t *at, int digits, int *v)
{
    int k = 0;
    *v = 0;
    while (*at < n && k < digits && s[*at] >= '0' && s[*at] <= '9') {
        *v = *v * 10 + (s[*at] - '0');
        (*at)++;
        k++;
    }
    return k > 0;
}

/* "HH:MM" exactly (one or two hour digits, two minute digits). */
static int parse_time_of_day(const char *s, size_t n, stom_schedule_when *out, stom_errbuf *eb)
{
    size_t at = 0;
    int h, m;
    if (!read_number(s, n, &at, 2, &h) || at >= n || s[at] != ':' || n - at != 3)
        return stom_errorf(eb, STOM_EINVAL, "when: %.*s is not HH:MM or an anchor", (int)n, s);
    at++;
    if (!read_number(s, n, &at, 2, &m) || at != n || h > 23 || m > 59)
        return stom_errorf(eb, STOM_EINVAL, "when: %.*s is not a time of day", (int)n, s);
    *out = (stom_schedule_when){STOM_SCHEDULE_AT_TIME, h * 60 + m};
    return STOM_OK;
}

/* "<anchor>", "<anchor>+N" or "<anchor>-N". */
static int parse_anchor(const char *s, size_t n, stom_schedule_when *out, stom_errbuf *eb)
{
    for (size_t k = 1; k < N_ANCHORS; k++) {
        size_t len = strlen(anchors[k].name);
        if (n < len || memcmp(s, anchors[k].name, len) != 0 ||
            (n > len && s[len] != '+' && s[len] != '-'))
            continue;
        int minutes = 0;
        size_t at = len + 1;
        if (n > len && (!read_number(s, n, &at, 4, &minutes) || at != n))
            return stom_errorf(eb, STOM_EINVAL, "when: %.*s: the offset is not whole minutes",
                               (int)n, s);
        if (minutes > STOM_SCHEDULE_OFFSET_MAX)
            return stom_errorf(eb, STOM_EINVAL, "when: %.*s: the offset is beyond %d minutes",
                               (int)n, s, STOM_SCHEDULE_OFFSET_MAX);
        *out = (stom_schedule_when){(stom_schedule_anchor)k,
                                    n > len && s[len] == '-' ? -minutes : minutes};
        return STOM_OK;
    }
    return stom_errorf(
        eb, STOM_EINVAL,
        "when: %.*s is not HH:MM or pre_open, open, close, after_close (+/- minutes)", (int)n, s);
}

int stom_schedule_when_parse(const char *s, size_t n, stom_schedule_when *out, stom_errbuf *eb)
{
    if (n == 0)
        return stom_errorf(eb, STOM_EINVAL, "when: is empty");
    if (n > 32)
        return stom_errorf(eb, STOM_EINVAL, "when: is longer than 32 bytes");
    if (s[0] >= '0' && s[0] <= '9')
        return parse_time_of_day(s, n, out, eb);
    return parse_anchor(s, n, out, eb);
}

char *stom_schedule_when_format(stom_schedule_when w, char *buf, size_t len)
{
    if (w.anchor == STOM_SCHEDULE_AT_TIME)
        snprintf(buf, len, "%02d:%02d", w.minutes / 60, w.minutes % 60);
    else if (w.minutes == 0)
        snprintf(buf, len, "%s", stom_schedule_anchor_name(w.anchor));
    else
        snprintf(buf, len, "%s%+d", stom_schedule_anchor_name(w.anchor), w.minutes);
    return buf;
}

int64_t stom_schedule_fire_on(stom_schedule_when w, int32_t date)
{
    int minute = w.minutes;
    if (w.anchor != STOM_SCHEDULE_AT_TIME) {
        bool before_open = w.anchor == STOM_SCHEDULE_PRE_OPEN || w.anchor == STOM_SCHEDULE_OPEN;
        int delay =
            before_open ? stom_krx_open_delay_minutes(date) : stom_krx_close_delay_minutes(date);
        minute += anchors[w.anchor].minute + delay;
    }
    return (stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + (int64_t)minute * 60) *
           STOM_NS_PER_SEC;
}

int64_t stom_schedule_next_fire(const stom_schedule_job *job, int64_t after_ns)
{
    /* Floor division: an instant before 1970 still finds its KST date. */
    int64_t after_s = after_ns / STOM_NS_PER_SEC - (after_ns % STOM_NS_PER_SEC < 0);
    int32_t date = stom_date_of(after_s, STOM_KST_OFFSET_MINUTES);
    if (!stom_krx_is_trading_day(date))
        date = stom_krx_next_trading_day(date);
    /* About 250 trading days a year: a weekday set that matches none gives up after a year. */
    for (int k = 0; k < 260; k++, date = stom_krx_next_trading_day(date)) {
        int weekday = stom_weekday_from_days(stom_days_of_date(date));
        if (!(job->days & (1u << weekday)))
            continue;
        int64_t t = stom_schedule_fire_on(job->when, date);
        if (t > after_ns)
            return t;
    }
    return 0;
}
