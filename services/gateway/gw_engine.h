/*
 * gw_engine.h - what the trading routes ask the live engine (REQ over nng,
 * topic "rpc.engine", docs/engine.md "Interfaces") and how its answers and
 * failures become HTTP answers.
 *
 * Each call opens the worker's engine client (ctx->engine) when it has
 * none, sends one request and waits GW_COORD_TIMEOUT_MS. An engine that
 * does not answer is a 503 saying the engine is not running and how to
 * start it; a reply with its error set is answered with the status that
 * error code means (NOT_FOUND 404, PERMISSION_DENIED 403, INVALID_ARGUMENT
 * and REJECTED 422, UNAVAILABLE 503, ...). Every control carries the
 * caller's user id in requested_by.
 *
 * Thread-safety: reentrant; ctx belongs to the calling worker.
 */
#ifndef STOM_GW_ENGINE_H
#define STOM_GW_ENGINE_H

#include "gw.h"
#include "gw_coord.h"

/*
 * Sends body (borrowed) to the engine and waits for a reply of kind want
 * (owned by *reply on true: stom_bus_received_free). False with res set
 * (503 when the engine is down, 502 when it answered something else).
 */
bool gw_engine_call(gw_ctx *ctx, ProtobufCMessage *body, stom_bus_body want,
                    stom_bus_received *reply, gw_response *res);
/* The same waiting timeout_ms (GET /engine/status asks with a short one). */
bool gw_engine_call_within(gw_ctx *ctx, ProtobufCMessage *body, stom_bus_body want, int timeout_ms,
                           stom_bus_received *reply, gw_response *res);

/* Answers a reply's error (borrowed) with the status its code means; refused_status for
 * REJECTED and codes without a status of their own. */
void gw_engine_reply_error(gw_response *res, const Stom__V1__Error *err, int refused_status);

/*
 * Sends EngineCommand action for account (may be "" or NULL: all trading),
 * instance_id and client_order_id (NULL: unset) and reason, with the caller
 * as requested_by. True with *status (owned JSON: {halted, halt_reason,
 * broker_up, strategies, open_orders, message}) when the engine carried it
 * out; false with res set otherwise.
 */
bool gw_engine_command(gw_ctx *ctx, const gw_request *req, Stom__V1__EngineAction action,
                       const char *account, const char *client_order_id, const char *reason,
                       json_t **status, gw_response *res);

/* "running" for STRATEGY_STATE_RUNNING ... (lower case, as engine_strategies.state). */
const char *gw_engine_strategy_state_name(Stom__V1__StrategyState s);

#endif
