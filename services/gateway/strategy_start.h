/*
 * strategy_start.h - the body of POST /api/v1/trading/strategies checked
 * field by field and built into a StrategyControl START (docs/engine.md).
 *
 * Fields: instance_id (optional, [A-Za-z0-9_.-]{1,64}; the gateway makes
 * "s" + 15 random characters when absent), strategy (a built-in's name) or
 * strategy_id (one of the caller's stored strategies) with an optional
 * strategy_version, params (an object of numbers, booleans and strings),
 * symbols (1 to GW_START_SYMBOLS_MAX stock codes), timeframe ("1m", "1d"
 * ...), order_qty (shares per entry) or order_amount (won per entry), and
 * account (the caller's). Every error is a 400 (404 for an
 * account or stored strategy that is not the caller's) naming the field.
 *
 * Thread-safety: reentrant; ctx belongs to the calling worker.
 */
#ifndef STOM_GW_STRATEGY_START_H
#define STOM_GW_STRATEGY_START_H

#include "gw.h"
#include "stom/v1/envelope.pb-c.h"

#define GW_INSTANCE_ID_MAX   64
#define GW_START_SYMBOLS_MAX 50

/* A StrategyControl and the storage its pointers borrow. */
typedef struct gw_strategy_start {
    Stom__V1__StrategyControl msg;
    char instance_id[GW_INSTANCE_ID_MAX + 1];
    char strategy_name[32]; /* "id:<N>" for a stored strategy */
    char version[16];
    char requested_by[24];
    Stom__V1__Param *param_items; /* owned, msg.n_params */
    Stom__V1__Param **params;     /* owned */
    char **symbols;               /* owned array; the strings borrow the body */
    json_t *body;                 /* owned reference: the strings above point into it */
} gw_strategy_start;

/* Whether s (NUL-terminated) is an instance id: 1 to 64 of [A-Za-z0-9_.-]. */
bool gw_instance_id_valid(const char *s);

/*
 * Reads body (a reference is kept until gw_strategy_start_free) into *out
 * for the caller req->user. False with res set.
 */
bool gw_strategy_start_read(gw_ctx *ctx, const gw_request *req, json_t *body,
                            gw_strategy_start *out, gw_response *res);
/* Releases what s owns. */
void gw_strategy_start_free(gw_strategy_start *s);

#endif
