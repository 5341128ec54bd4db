/*
 * stom/krx.h - Korea Exchange price rules and trading hours.
 *
 * Tick sizes (호가가격단위): the unified KOSPI/KOSDAQ/KONEX table in force
 * since 2023-01-25 (1/5/10/50/100/500/1,000 won at 2,000/5,000/20,000/
 * 50,000/200,000/500,000), ETF/ETN a flat 5 won; earlier dates use the
 * table that applied then (documented in docs/krx-rules.md).
 * Daily limits: +-30% of the reference price (previous close), +-15% on
 * KONEX, snapped to the tick grid inside the band.
 * Sessions in KST; the first trading day of the year opens one hour late,
 * at 10:00, and closes as usual; on CSAT days the whole day shifts an hour.
 *
 * Prices are in won (instrument price units with 0 decimals).
 *
 * Thread-safety: pure functions over constant tables.
 */
#ifndef STOM_KRX_H
#define STOM_KRX_H

#include <stdbool.h>
#include <stdint.h>

#include "stom/instrument.h"

/* Tick size in won at `price` for board on date (YYYYMMDD). price > 0. */
int64_t stom_krx_tick_size(int64_t price, stom_board board, int32_t date);

/* True when price lies on the tick grid for board on date. */
bool stom_krx_on_tick(int64_t price, stom_board board, int32_t date);

/*
 * Snaps price to the tick grid: dir < 0 down, dir > 0 up, dir == 0 nearest
 * (ties go up). The grid's band boundaries are respected (10,040 snaps up to
 * 10,050 at a 10-won tick, 1,999 stays 1,999). Returns at least one tick.
 */
int64_t stom_krx_round_to_tick(int64_t price, stom_board board, int32_t date, int dir);

/*
 * Moves n ticks along the grid from price (which is first snapped toward
 * the move): n > 0 up, n < 0 down; each step uses the tick of the band the
 * step starts from, so 19,990 + 1 tick = 20,000 and 20,000 - 1 tick = 19,990.
 * Never goes below the smallest tick.
 */
int64_t stom_krx_step_ticks(int64_t price, int n, stom_board board, int32_t date);

/*
 * Daily price limits for a reference price (usually the previous close):
 * *upper = highest tick price <= ref * 1.3, *lower = lowest tick price
 * >= ref * 0.7 (KONEX: 1.15 and 0.85), computed exactly in integers.
 */
void stom_krx_price_limits(int64_t ref, stom_board board, int32_t date, int64_t *lower,
                           int64_t *upper);

typedef enum stom_krx_session {
    STOM_KRX_CLOSED = 0,
    STOM_KRX_PRE_CLOSE_PRICE,   /* 장전 시간외 종가 08:30-08:40 */
    STOM_KRX_OPENING_AUCTION,   /* 장 시작 동시호가 08:40-09:00 (orders from 08:30) */
    STOM_KRX_CONTINUOUS,        /* 정규장 09:00-15:20 */
    STOM_KRX_CLOSING_AUCTION,   /* 장 마감 동시호가 15:20-15:30 */
    STOM_KRX_AFTER_CLOSE_PRICE, /* 장후 시간외 종가 15:40-16:00 */
    STOM_KRX_AFTER_SINGLE_PRICE /* 시간외 단일가 16:00-18:00 */
} stom_krx_session;

/* The session in force at UTC instant t (holidays and weekends are CLOSED). */
stom_krx_session stom_krx_session_at(int64_t t);
/* English name of a session ("continuous"). */
const char *stom_krx_session_name(stom_krx_session s);

/* True when date (YYYYMMDD) is a KRX trading day (weekends and the holiday table excluded). */
bool stom_krx_is_trading_day(int32_t date);
/* The next / previous trading day strictly after / before date. */
int32_t stom_krx_next_trading_day(int32_t date);
int32_t stom_krx_prev_trading_day(int32_t date);
/* Minutes the open (and what precedes it) is late: 60 on a year's first trading day and CSAT days.
 */
int stom_krx_open_delay_minutes(int32_t date);
/* Minutes the close (and what follows it) is late: 60 on CSAT days, else 0. */
int stom_krx_close_delay_minutes(int32_t date);
/* The holiday's name when date is in the holiday table, else NULL. */
const char *stom_krx_holiday_name(int32_t date);
/* First and last year the holiday table covers (outside it only weekends are known). */
void stom_krx_calendar_years(int *first, int *last);

#endif
