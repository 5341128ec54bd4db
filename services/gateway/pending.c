/* TEMPORARY until the runs and analytics routes are merged. */
#include "gw.h"
const gw_route gw_routes_runs[] = {{NULL}};
const gw_route gw_routes_analytics[] = {{NULL}};
