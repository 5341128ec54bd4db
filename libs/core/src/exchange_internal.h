/*
 * exchange_internal.h - state shared by exchange.c (orders, dates) and
 * exchange_match.c (fill prices, sizing, booking). Internal to libs/core.
 */
#ifndef STOM_EXCHANGE_INTERNAL_H
#define STOM_EXCHANGE_INTERNAL_H

#include "stom/exchange.h"

typedef struct stom__symbol_state {
    stom_order *orders; /* pending, arrival order */
    size_t n_orders, cap_orders;
    int32_t date;          /* local trade date of the current bar */
    int64_t next_midnight; /* UTC seconds when the date next changes */
    int64_t last_close;    /* close of the previous bar */
    bool has_limits;
    int64_t lower, upper; /* today's price limits */
} stom__symbol_state;

struct stom_exchange {
    stom_exchange_config cfg;
    const stom_instrument *insts;
    size_t n;
    stom__symbol_state *sym;
    stom_portfolio book;
    uint64_t next_id;
    size_t rejected;
    stom_fill_fn fill_fn;
    void *fill_arg;
};

/*
 * Matches symbol's pending orders against bar: at the bar's prices
 * (at_close false), or only close-mode market orders at the close (true).
 */
void stom__match_pending(stom_exchange *x, int symbol, const stom_bar *bar, bool at_close);

/*
 * Books one fill of qty at price (costs charged) and reports it. side > 0
 * buys. Returns the fill's quantity (0 when nothing was booked).
 */
int64_t stom__execute(stom_exchange *x, int symbol, uint64_t order_id, int side, int64_t qty,
                      int64_t price, int64_t ts, bool open_at_end);

#endif
