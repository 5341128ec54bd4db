/*
 * stom/schedule_args.h - the args of the scheduled actions the engine reads
 * beyond a name: record_bars (which symbols, which timeframe, until when)
 * and run_backtest (which saved run). docs/scheduler.md gives the shapes.
 *
 * The same parsers check a job when it is stored (stom_schedule_job_from_json,
 * so the API and the CLI refuse bad args at once) and when the engine fires
 * it. Every message names the field ("args.timeframe: 5m is not one of 1s,
 * 1m, 1d"); unknown keys are refused.
 *
 * Thread-safety: pure functions over caller-owned values.
 */
#ifndef STOM_SCHEDULE_ARGS_H
#define STOM_SCHEDULE_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "stom/instrument.h"
#include "stom/schedule.h"

#define STOM_RECORD_MAX_SYMBOLS 50 /* symbols one record_bars job records */
#define STOM_RUN_ID_MAX         48 /* characters of a run's (job's) id */

/* record_bars: {"symbols": ["005930", ...], "timeframe": "1m", "until": "15:30"}. */
typedef struct stom_record_args {
    char symbols[STOM_RECORD_MAX_SYMBOLS][STOM_SYMBOL_MAX];
    size_t n_symbols;         /* 1..STOM_RECORD_MAX_SYMBOLS, no repeats */
    char timeframe[8];        /* "1s", "1m" or "1d" (the stored timeframes) */
    int64_t timeframe_s;      /* 1, 60 or 86400 */
    stom_schedule_when until; /* "HH:MM" or an anchor; default "close" */
} stom_record_args;

/* run_backtest: {"run": "<a saved run's id>"}. */
typedef struct stom_backtest_args {
    char run[STOM_RUN_ID_MAX + 1];
} stom_backtest_args;

/*
 * Reads record_bars args from JSON text (n bytes, borrowed) into *out.
 * 0, or STOM_EINVAL naming the field in eb (*out is then unspecified).
 */
int stom_record_args_parse(const char *text, size_t n, stom_record_args *out, stom_errbuf *eb);

/* Reads run_backtest args as stom_record_args_parse does. */
int stom_backtest_args_parse(const char *text, size_t n, stom_backtest_args *out, stom_errbuf *eb);

#endif
