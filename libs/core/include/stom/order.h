/*
 * stom/order.h - orders and fills inside the simulated exchange.
 *
 * An order names its symbol by index into the run's instrument list. Its
 * quantity is either explicit (qty > 0, quantity units) or sized at fill
 * time by the run's sizing rule (qty == 0, STOM_ORDER_SIZED), because the
 * fill price is only known then. `close_first` asks the exchange to first
 * close an opposite position at the same price (a reversal in one signal:
 * two fills, each with its own costs, as two broker orders would have).
 *
 * Thread-safety: plain values.
 */
#ifndef STOM_ORDER_H
#define STOM_ORDER_H

#include <stdbool.h>
#include <stdint.h>

typedef enum stom_order_type {
    STOM_ORDER_MARKET = 0,
    STOM_ORDER_LIMIT,
    STOM_ORDER_STOP,
    STOM_ORDER_STOP_LIMIT
} stom_order_type;

typedef struct stom_order {
    uint64_t id;          /* assigned by the exchange */
    int symbol;           /* index into the run's instruments */
    int side;             /* +1 buy, -1 sell */
    stom_order_type type; /* market, limit, stop, stop-limit */
    int64_t qty;          /* quantity units; 0 = sized at fill time */
    int64_t limit_price;  /* LIMIT, STOP_LIMIT: price units */
    int64_t stop_price;   /* STOP, STOP_LIMIT: price units (see stop_from_open) */
    int64_t stop_offset;  /* with stop_from_open: stop = open of the fill bar + offset */
    bool stop_from_open;  /* the stop is set at the next open (volatility breakout) */
    bool close_first;     /* reverse: close an opposite position first */
    bool exit_only;       /* only reduce the position; never open or add */
    bool triggered;       /* STOP_LIMIT: the stop has been hit, it now rests as a limit */
    int64_t filled;       /* quantity units filled so far (partial fills) */
    int64_t created_ts;   /* UTC seconds of the bar that created it */
} stom_order;

typedef struct stom_fill {
    uint64_t order_id;
    int symbol;
    int side;      /* +1 buy, -1 sell */
    int64_t qty;   /* quantity units */
    int64_t price; /* price units, on the tick grid and inside the price limits */
    int64_t value; /* cash units: qty at price */
    int64_t fee;   /* commission, cash units */
    int64_t tax;   /* sell tax, cash units */
    int64_t ts;    /* UTC seconds of the bar that filled it */
    bool partial;  /* the order still has quantity left */
} stom_fill;

#endif
