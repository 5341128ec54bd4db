/*
 * risk_fixture.h - what the risk tests share: an instrument, KST instants
 * and an order with everything a check needs.
 *
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_RISK_FIXTURE_H
#define STOM_RISK_FIXTURE_H

#include <string.h>

#include "stom/risk.h"
#include "stom/timeutil.h"

/* 2026-11-20 (a Friday, a KRX trading day) and the next trading day. */
#define DAY1 20261120
#define DAY2 20261123

/* UTC ns of hh:mm:ss KST on date. */
static inline int64_t kst_ns(int32_t date, int hh, int mm, int ss)
{
    return (stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + hh * 3600 + mm * 60 + ss) *
           INT64_C(1000000000);
}

/* A KOSPI stock. */
static inline stom_instrument kospi(const char *symbol)
{
    stom_instrument in;
    stom_instrument_init(&in, symbol, STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    return in;
}

/* A limit buy of qty at price (last and reference = price) at 10:00 KST on DAY1. */
static inline stom_risk_order buy_at(const stom_instrument *in, const char *account,
                                     const char *strategy, int64_t qty, int64_t price)
{
    stom_risk_order o;
    memset(&o, 0, sizeof o);
    o.account = account;
    o.strategy = strategy;
    o.inst = in;
    o.side = 1;
    o.qty = qty;
    o.limit_price = price;
    o.last_price = price;
    o.ref_price = price;
    o.now_ns = kst_ns(DAY1, 10, 0, 0);
    return o;
}

#endif
