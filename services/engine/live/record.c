/*
 * record.c - record_bars jobs (docs/scheduler.md): bars built from the live
 * trades of the job's symbols and stored as data a backtest can load.
 *
 * A recording subscribes its symbols (eng_symbol_index), feeds their trades
 * to a bar builder of its own timeframe and keeps the completed bars in
 * memory. The bars are written from the engine's 20 ms tick, at most once a
 * second (RECORD_FLUSH_NS), with one stom_store_import_bars transaction per
 * symbol that has new bars: never a round trip per trade, and nothing on the
 * order path.
 *
 * Only whole bars are stored: a bar whose period began before the recording
 * started lacks that period's first trades, so it is left out (counted as
 * partial), unless the recording started before the day's pre_open (08:30,
 * no trade yet that day). A 1d recording must therefore start before
 * pre_open.
 *
 * A trade completes the bars before it; the engine's clock completes a bar
 * only a grace period after its end (the timeframe, within
 * RECORD_GRACE_MIN_NS..RECORD_GRACE_MAX_NS), because the broker's trade
 * times and the engine's clock differ a little and a trade arriving after
 * its bar was completed would be dropped. The same grace after `until`, the
 * bars still open are completed with the trades before until (a 1d bar then
 * holds the day up to until), written, and the recording ends.
 *
 * A failed write is logged and retried on the next flush; bars wait in
 * memory until stored (at most RECORD_PENDING_MAX per symbol, then the
 * oldest are dropped and counted). A recording lives in the engine's memory
 * only: a restart ends it, and what was written stays.
 *
 * Thread-safety: the engine's thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define RECORD_FLUSH_NS     1000000000LL
#define RECORD_PENDING_MAX  100000
#define RECORD_GRACE_MIN_NS (10 * 1000000000LL)
#define RECORD_GRACE_MAX_NS (60 * 1000000000LL)

struct eng_recording {
    int64_t job_id;
    char name[STOM_SCHEDULE_NAME_MAX + 1];
    stom_record_args args;
    int syms[STOM_RECORD_MAX_SYMBOLS]; /* engine.symbols index of each symbol */
    int64_t until_ns;
    int64_t grace_ns;     /* how long after its end the clock completes a bar */
    int64_t whole_from_s; /* bars starting before this UTC second are partial */
    bar_builder *builder;
    stom_bars pending[STOM_RECORD_MAX_SYMBOLS]; /* complete, not stored yet */
    uint64_t stored, dropped, partial;
    int64_t flushed_ns;
    engine *engine;
};

static void on_bar(void *arg, const eng_bar *bar)
{
    eng_recording *r = arg;
    if (bar->start_s < r->whole_from_s) {
        r->partial++;
        return;
    }
    stom_bars *p = &r->pending[bar->symbol];
    if (p->len == RECORD_PENDING_MAX) { /* the database has been down long: drop the oldest */
        stom_bars_slice(p, p->ts[1], INT64_MAX);
        r->dropped++;
    }
    stom_bars_push(p, bar->start_s, bar->open, bar->high, bar->low, bar->close, bar->volume);
}

static void recording_free(eng_recording *r)
{
    bar_builder_destroy(r->builder);
    for (size_t k = 0; k < r->args.n_symbols; k++)
        stom_bars_free(&r->pending[k]);
    free(r);
}

/*
 * When a recording starting now ends (*until_ns, on today's KST date) and from which UTC
 * second its bars are whole (*whole_from_s; 0: all, the day has not traded yet). STOM_EINVAL
 * naming the field when until has passed or a 1d recording starts after the day began.
 */
static int times_of(engine *e, const stom_record_args *a, int64_t *until_ns, int64_t *whole_from_s,
                    stom_errbuf *eb)
{
    int64_t now = eng_now_ns(e);
    int32_t today = stom_date_of(now / STOM_NS_PER_SEC, STOM_KST_OFFSET_MINUTES);
    *until_ns = stom_schedule_fire_on(a->until, today);
    if (*until_ns <= now) {
        char when[STOM_SCHEDULE_WHEN_TEXT];
        return stom_errorf(eb, STOM_EINVAL, "args.until: %s has already passed today (KST)",
                           stom_schedule_when_format(a->until, when, sizeof when));
    }
    stom_schedule_when pre_open = {STOM_SCHEDULE_PRE_OPEN, 0};
    *whole_from_s = 0;
    if (now <= stom_schedule_fire_on(pre_open, today))
        return 0;
    if (a->timeframe_s == 86400)
        return stom_errorf(eb, STOM_EINVAL,
                           "args.timeframe: a 1d recording must start before pre_open (08:30 "
                           "KST) to see the whole day");
    *whole_from_s = (now + STOM_NS_PER_SEC - 1) / STOM_NS_PER_SEC;
    return 0;
}

int eng_recording_start(engine *e, const stom_schedule_job *job, stom_errbuf *eb)
{
    stom_record_args a;
    int64_t until = 0, whole = 0;
    int rc = stom_record_args_parse(job->args, job->args ? strlen(job->args) : 0, &a, eb);
    if (rc || (rc = times_of(e, &a, &until, &whole, eb)) != 0)
        return rc;
    if (e->n_recordings == ENG_MAX_RECORDINGS)
        return stom_errorf(eb, STOM_ESTATE, "%d recordings are running already, the most at once",
                           ENG_MAX_RECORDINGS);
    for (size_t i = 0; i < e->n_recordings; i++)
        if (e->recordings[i]->job_id == job->id)
            return stom_errorf(eb, STOM_ESTATE, "this job's recording is still running");
    eng_recording *r = stom_xcalloc(1, sizeof *r);
    int64_t grace = a.timeframe_s * STOM_NS_PER_SEC;
    grace = grace > RECORD_GRACE_MAX_NS ? RECORD_GRACE_MAX_NS : grace;
    *r = (eng_recording){.job_id = job->id,
                         .args = a,
                         .until_ns = until,
                         .grace_ns = grace < RECORD_GRACE_MIN_NS ? RECORD_GRACE_MIN_NS : grace,
                         .whole_from_s = whole,
                         .engine = e};
    snprintf(r->name, sizeof r->name, "%s", job->name);
    for (size_t k = 0; k < a.n_symbols; k++) {
        r->syms[k] = eng_symbol_index(e, a.symbols[k]);
        if (r->syms[k] < 0) {
            recording_free(r);
            return stom_errorf(eb, STOM_EINVAL,
                               "args.symbols[%zu]: %s cannot be watched (%d "
                               "symbols at most)",
                               k, a.symbols[k], ENG_MAX_SYMBOLS);
        }
        stom_bars_init(&r->pending[k], &e->symbols[r->syms[k]].inst);
    }
    if ((rc = bar_builder_create(&r->builder, a.timeframe_s, (int)a.n_symbols, on_bar, r, eb))) {
        recording_free(r);
        return rc;
    }
    e->recordings[e->n_recordings++] = r;
    return 0;
}

void eng_recordings_trade(engine *e, int sym, int64_t ts_ns, int64_t price, int64_t qty)
{
    for (size_t i = 0; i < e->n_recordings; i++) {
        eng_recording *r = e->recordings[i];
        for (size_t k = 0; k < r->args.n_symbols && ts_ns < r->until_ns; k++)
            if (r->syms[k] == sym)
                bar_builder_trade(r->builder, (int)k, ts_ns, price, qty, NULL);
    }
}

/*
 * Stores every symbol's pending bars, one transaction each. The database being
 * unreachable keeps them for the next flush; a refusal (the symbol stored with other
 * scales, say) would refuse them again, so they are dropped and counted.
 */
static void write_pending(eng_recording *r)
{
    for (size_t k = 0; k < r->args.n_symbols; k++) {
        stom_bars *p = &r->pending[k];
        if (p->len == 0)
            continue;
        stom_errbuf eb = {0};
        stom_import_stats st = {0};
        int rc = stom_store_import_bars(r->engine->db, p, r->args.timeframe, &st, &eb);
        if (rc == STOM_EIO) {
            eng_log("recording of job %lld (%s): storing %zu %s bar(s) of %s failed, retried "
                    "in a second: %s",
                    (long long)r->job_id, r->name, p->len, r->args.timeframe, p->inst.symbol,
                    eb.msg);
            continue;
        }
        if (rc) {
            eng_log("recording of job %lld (%s): %zu %s bar(s) of %s refused, dropped: %s",
                    (long long)r->job_id, r->name, p->len, r->args.timeframe, p->inst.symbol,
                    eb.msg);
            r->dropped += p->len;
        }
        r->stored += st.inserted;
        p->len = 0;
    }
}

/* At until: the open bars complete, everything is written, the recording ends. */
static void finish(engine *e, size_t i)
{
    eng_recording *r = e->recordings[i];
    bar_builder_advance(r->builder, INT64_MAX);
    write_pending(r);
    uint64_t lost = r->dropped;
    for (size_t k = 0; k < r->args.n_symbols; k++)
        lost += r->pending[k].len;
    eng_log("recording of job %lld (%s) ended: %llu %s bar(s) of %zu symbol(s) stored, %llu "
            "lost, %llu partial at the start left out",
            (long long)r->job_id, r->name, (unsigned long long)r->stored, r->args.timeframe,
            r->args.n_symbols, (unsigned long long)lost, (unsigned long long)r->partial);
    recording_free(r);
    e->recordings[i] = e->recordings[--e->n_recordings];
}

void eng_recordings_tick(engine *e, int64_t now_ns)
{
    for (size_t i = e->n_recordings; i-- > 0;) {
        eng_recording *r = e->recordings[i];
        if (now_ns - r->grace_ns >= r->until_ns) {
            finish(e, i);
            continue;
        }
        bar_builder_advance(r->builder, now_ns - r->grace_ns);
        if (now_ns - r->flushed_ns >= RECORD_FLUSH_NS) {
            r->flushed_ns = now_ns;
            write_pending(r);
        }
    }
}

void eng_recordings_stop(engine *e)
{
    /* Only complete bars are written: the open ones would be partial. */
    while (e->n_recordings > 0) {
        eng_recording *r = e->recordings[--e->n_recordings];
        write_pending(r);
        eng_log("recording of job %lld (%s) stopped with the engine: %llu bar(s) stored",
                (long long)r->job_id, r->name, (unsigned long long)r->stored);
        recording_free(r);
    }
}
