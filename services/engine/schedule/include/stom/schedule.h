/*
 * stom/schedule.h - scheduled jobs of the live engine: when they fire and
 * how they are read from JSON (docs/scheduler.md). No I/O here; the stored
 * part is stom/schedule_store.h.
 *
 * A job fires at most once per KRX trading day (stom/krx.h decides which
 * days trade), at a KST time of day ("09:05") or at a session anchor plus
 * or minus minutes ("open+5", "close-10"). Anchors follow the day's
 * delays from the calendar: on a year's first trading day pre_open and open
 * are an hour late, on CSAT days all four are. Optional weekdays (Mon-Fri)
 * narrow the days further. Instants are UTC nanoseconds, always passed in
 * ("now" comes from a stom_schedule_clock), so tests choose the time.
 *
 * Thread-safety: pure functions over caller-owned values; a stom_schedule_job
 * belongs to one thread.
 */
#ifndef STOM_SCHEDULE_H
#define STOM_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"

#define STOM_SCHEDULE_NAME_MAX   64   /* bytes of a job's name, without the NUL */
#define STOM_SCHEDULE_ARGS_MAX   4096 /* bytes of a job's args as compact JSON */
#define STOM_SCHEDULE_OFFSET_MAX 240  /* |minutes| an anchor may be moved */
#define STOM_SCHEDULE_EVERY_DAY  0x1f /* Monday..Friday: every trading day */
#define STOM_SCHEDULE_WHEN_TEXT  24   /* buffer for stom_schedule_when_format */
#define STOM_NS_PER_SEC          1000000000LL

typedef enum stom_schedule_anchor {
    STOM_SCHEDULE_AT_TIME = 0, /* a KST time of day: minutes = minutes after 00:00 */
    STOM_SCHEDULE_PRE_OPEN,    /* 08:30, start of 장전 시간외 (orders accepted) */
    STOM_SCHEDULE_OPEN,        /* 09:00, start of 정규장 */
    STOM_SCHEDULE_CLOSE,       /* 15:30, end of the closing auction */
    STOM_SCHEDULE_AFTER_CLOSE  /* 18:00, end of 시간외 단일가: the day is over */
} stom_schedule_anchor;

typedef enum stom_schedule_action {
    STOM_SCHEDULE_START_STRATEGY = 0,
    STOM_SCHEDULE_STOP_STRATEGY,
    STOM_SCHEDULE_LIQUIDATE,
    STOM_SCHEDULE_RECORD_BARS,
    STOM_SCHEDULE_RUN_BACKTEST
} stom_schedule_action;

/* When on a day: anchor AT_TIME with minutes 0..1439, or an anchor moved by minutes
 * (-STOM_SCHEDULE_OFFSET_MAX..+STOM_SCHEDULE_OFFSET_MAX). */
typedef struct stom_schedule_when {
    stom_schedule_anchor anchor;
    int minutes;
} stom_schedule_when;

typedef struct stom_schedule_job {
    int64_t id;    /* 0 until stored */
    int64_t owner; /* users.id */
    char name[STOM_SCHEDULE_NAME_MAX + 1];
    stom_schedule_when when;
    unsigned days; /* weekday bits, bit 0 = Monday .. bit 4 = Friday */
    stom_schedule_action action;
    char *args; /* owned: a JSON object as compact text, never NULL once parsed */
    bool enabled;
    int64_t last_fired_ns; /* 0: never */
    int64_t next_fire_ns;  /* 0: none (disabled) */
    int64_t due_ns;        /* set by a claim: the fire time that was due (<= now) */
} stom_schedule_job;

/* A list of jobs; stom_schedule_jobs_free releases it (and each job's args). */
typedef struct stom_schedule_jobs {
    stom_schedule_job *v;
    size_t n;
} stom_schedule_jobs;

/* Where "now" comes from: fn(arg) returns UTC nanoseconds. */
typedef struct stom_schedule_clock {
    int64_t (*fn)(void *arg);
    void *arg;
} stom_schedule_clock;

/* The real clock (CLOCK_REALTIME). */
stom_schedule_clock stom_schedule_clock_system(void);

/* Names as in JSON and SQL ("open", "start_strategy"); NULL for a bad value. */
const char *stom_schedule_anchor_name(stom_schedule_anchor a);
const char *stom_schedule_action_name(stom_schedule_action a);
/* Parses an action name (n bytes). Returns 0 or STOM_EINVAL. */
int stom_schedule_action_parse(const char *s, size_t n, stom_schedule_action *out);

/*
 * Parses s (n bytes): "HH:MM" (KST), or an anchor name optionally followed by
 * "+N" or "-N" minutes ("close-10"). Returns 0 or STOM_EINVAL with a message
 * naming the field ("when: 25:00 is not a time of day"). Borrows s.
 */
int stom_schedule_when_parse(const char *s, size_t n, stom_schedule_when *out, stom_errbuf *eb);
/* Writes the canonical text of w ("09:05", "open", "close-10") into buf (len bytes). */
char *stom_schedule_when_format(stom_schedule_when w, char *buf, size_t len);

/*
 * The UTC ns at which w falls on date (YYYYMMDD, KST), with the day's open
 * and close delays applied to anchors. Does not check that date trades.
 */
int64_t stom_schedule_fire_on(stom_schedule_when w, int32_t date);

/*
 * The first fire of job strictly after after_ns: on a KRX trading day whose
 * weekday is in job->days, at job->when. Returns 0 when no such day comes
 * within a year (days holds no weekday). Borrows job.
 */
int64_t stom_schedule_next_fire(const stom_schedule_job *job, int64_t after_ns);

/*
 * Reads a job from JSON text (n bytes, at most STOM_SCHEDULE_ARGS_MAX * 2):
 * {"name", "when", "days" (optional, e.g. ["mon","wed"]), "action", "args"
 * (optional object), "enabled" (optional, default true)}. Unknown keys and
 * duplicate keys are refused. On success fills *out (owner, id and times 0;
 * out->args owned: release with stom_schedule_job_clear). Otherwise returns
 * STOM_EFORMAT or STOM_EINVAL with the field named in eb and leaves *out
 * untouched.
 */
int stom_schedule_job_from_json(const char *text, size_t n, stom_schedule_job *out,
                                stom_errbuf *eb);
/* The job as a JSON object text (returns owned, free()); NULL when out of memory. */
char *stom_schedule_job_to_json(const stom_schedule_job *job);
/* Releases job->args (and sets it NULL). NULL is a no-op. */
void stom_schedule_job_clear(stom_schedule_job *job);
/* Releases every job of list and the array. NULL is a no-op. */
void stom_schedule_jobs_free(stom_schedule_jobs *list);

#endif
