/*
 * bus_fixtures.h - messages and helpers shared by the bus tests.
 *
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_BUS_FIXTURES_H
#define STOM_BUS_FIXTURES_H

#include <string.h>

#include "stom/bus.h"
#include "test_support.h"

#define TS_NS 1718582400123456789LL /* 2024-06-17 00:00:00.123456789 UTC */
#define TOPIC "md.ls.005930"

/* Encodes body on topic from a fresh sender "test-sender" (seq 1). */
static inline uint8_t *encode_body(const char *topic, ProtobufCMessage *body, size_t *len)
{
    stom_errbuf eb = {{0}};
    stom_bus_sender s;
    ck_assert_int_eq(stom_bus_sender_init(&s, "test-sender", &eb), 0);
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &s, TS_NS);
    ck_assert_msg(stom_bus_envelope_set_body(&env, body, &eb) == 0, "%s", eb.msg);
    uint8_t *buf = NULL;
    ck_assert_msg(stom_bus_encode(topic, strlen(topic), &env, &buf, len, &eb) == 0, "%s", eb.msg);
    return buf;
}

static inline void make_trade(Stom__V1__Trade *t)
{
    stom__v1__trade__init(t);
    t->symbol = "005930";
    t->has_ts_ns = 1;
    t->ts_ns = TS_NS;
    t->has_price = 1;
    t->price = 71500;
    t->has_qty = 1;
    t->qty = 10;
    t->has_aggressor = 1;
    t->aggressor = STOM__V1__SIDE__SIDE_BUY;
    t->has_cum_qty = 1;
    t->cum_qty = 12345678;
    t->has_cum_value = 1;
    t->cum_value = 882716977000LL;
    t->has_venue = 1;
    t->venue = STOM__V1__VENUE__VENUE_KRX;
}

#endif
