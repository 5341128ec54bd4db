/*
 * pending_auth.c - TEMPORARY: empty route tables of the other parts of the
 * gateway (written on other branches), so that the auth branch's tests link.
 * Delete this file at merge; nothing real may depend on it.
 */
#include "gw.h"

const gw_route gw_routes_health[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_strategies[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_runs[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_data[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
const gw_route gw_routes_analytics[] = {{NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL}};
