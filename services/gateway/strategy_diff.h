/*
 * strategy_diff.h - GET /api/v1/strategies/{id}/diff?from=A&to=B: the
 * unified diff between two versions of a user's strategy (default: the
 * previous version against the latest).
 *
 * Thread-safety: a handler; runs on a worker with that worker's gw_ctx.
 */
#ifndef STOM_GW_STRATEGY_DIFF_H
#define STOM_GW_STRATEGY_DIFF_H

#include "gw.h"

/* 200 {from, to, diff}; 400 naming from or to; 404 for a missing or another user's strategy or
 * version. */
void gw_strategy_diff_handler(gw_ctx *ctx, gw_request *req, gw_response *res);

#endif
