/*
 * gw_ws_owner.h - whose an engine event is (internal to the WebSocket
 * hub): the user owning the event's broker account, so that orders,
 * positions, risk and strategy events reach only that user's sessions and
 * admins' (docs/engine.md "Authorization").
 *
 * The account is the event's own field (OrderEvent, Position, RiskEvent);
 * a StrategyStatus names its instance, whose account is in
 * engine_strategies. Owners come from broker_accounts through a cache of
 * GW_WS_OWNER_SLOTS entries, each trusted for GW_WS_OWNER_CACHE_MS (the
 * gateway never changes an account's owner; a change made in SQL is seen
 * within that time), read with a connection of the resolver's own,
 * opened when first needed and again after a failure. When the owner
 * cannot be known (unknown account, database down) the event goes to
 * admins only: fail closed.
 *
 * Thread-safety: a resolver belongs to one thread (the hub's bus reader).
 */
#ifndef STOM_GW_WS_OWNER_H
#define STOM_GW_WS_OWNER_H

#include <stdint.h>

#include "stom/bus.h"

#define GW_WS_OWNER_CACHE_MS 1000
#define GW_WS_OWNER_SLOTS    1024

/* Who receives an event: a user id (> 0, and admins), or one of these. */
#define GW_WS_OWNER_ANY     (-1) /* every subscriber (backtest, market: checked on subscribe) */
#define GW_WS_OWNER_TRADERS (-2) /* every trader and admin (surge, a halt of all trading) */
#define GW_WS_OWNER_ADMINS  0    /* admins only: the owner is not known */

typedef struct gw_ws_owner gw_ws_owner;

/* A resolver reading conninfo (copied; NULL: no database, every scoped event is admins'). */
gw_ws_owner *gw__ws_owner_create(const char *conninfo);
/* Closes its connection and frees o. NULL: no-op. */
void gw__ws_owner_destroy(gw_ws_owner *o);

/* Who receives env's body (borrowed), published on an engine topic, at now_ms. */
int64_t gw__ws_owner_of(gw_ws_owner *o, const Stom__V1__Envelope *env, int64_t now_ms);

#endif
