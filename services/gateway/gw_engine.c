/*
 * gw_engine.c - the trading routes' requests to the live engine (see
 * gw_engine.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gw_engine.h"

#define ENGINE_DOWN                                                                                \
    "the engine is not running or did not answer in time; start it with `make up` (or run "        \
    "stom-engine listening at the gateway's --engine URL). A control it received late may "        \
    "still take effect: check GET /api/v1/orders or /api/v1/trading/strategies"

static bool open_client(gw_ctx *ctx, gw_response *res)
{
    stom_errbuf eb = {0};
    if (ctx->engine)
        return true;
    if (gw_coord_open_peer(&ctx->engine, ctx->cfg->engine, "rpc.engine", "the engine", &eb) == 0)
        return true;
    fprintf(stderr, "stom-gateway: worker %d: engine client: %s\n", ctx->worker, eb.msg);
    gw_reply_error(res, 503, "engine_unavailable", NULL, "%s", ENGINE_DOWN);
    res->retry_after_s = 1;
    return false;
}

bool gw_engine_call(gw_ctx *ctx, ProtobufCMessage *body, stom_bus_body want,
                    stom_bus_received *reply, gw_response *res)
{
    return gw_engine_call_within(ctx, body, want, GW_COORD_TIMEOUT_MS, reply, res);
}

bool gw_engine_call_within(gw_ctx *ctx, ProtobufCMessage *body, stom_bus_body want, int timeout_ms,
                           stom_bus_received *reply, gw_response *res)
{
    if (!open_client(ctx, res))
        return false;
    stom_errbuf eb = {0};
    int rc = gw_coord_call_within(ctx->engine, body, want, timeout_ms, reply, &eb);
    if (rc == 0)
        return true;
    fprintf(stderr, "stom-gateway: worker %d: engine: %s\n", ctx->worker, eb.msg);
    if (rc == STOM_EFORMAT) {
        gw_reply_error(res, 502, "engine_error", NULL, "%s", eb.msg);
        return false;
    }
    gw_reply_error(res, 503, "engine_unavailable", NULL, "%s", ENGINE_DOWN);
    res->retry_after_s = 1;
    return false;
}

void gw_engine_reply_error(gw_response *res, const Stom__V1__Error *err, int refused_status)
{
    const char *msg = err->message && err->message[0] ? err->message : "the engine refused it";
    switch (err->code) {
    case STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND:
        gw_reply_error(res, 404, "not_found", NULL, "%s", msg);
        break;
    case STOM__V1__ERROR_CODE__ERROR_CODE_PERMISSION_DENIED:
        gw_reply_error(res, 403, "forbidden", NULL, "%s", msg);
        break;
    case STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS:
        gw_reply_error(res, 409, "conflict", NULL, "%s", msg);
        break;
    case STOM__V1__ERROR_CODE__ERROR_CODE_UNAVAILABLE:
    case STOM__V1__ERROR_CODE__ERROR_CODE_TIMEOUT:
        gw_reply_error(res, 503, "broker_unavailable", NULL, "%s", msg);
        res->retry_after_s = 1;
        break;
    case STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT:
        gw_reply_error(res, 422, "invalid_request", NULL, "%s", msg);
        break;
    default:
        gw_reply_error(res, refused_status, "refused", NULL, "%s", msg);
    }
}

static json_t *status_json(const Stom__V1__EngineStatus *st)
{
    return json_pack("{s:b, s:s, s:b, s:I, s:I, s:s}", "halted", st->halted, "halt_reason",
                     st->halt_reason ? st->halt_reason : "", "broker_up", st->broker_up,
                     "strategies", (json_int_t)st->strategies, "open_orders",
                     (json_int_t)st->open_orders, "message", st->message ? st->message : "");
}

bool gw_engine_command(gw_ctx *ctx, const gw_request *req, Stom__V1__EngineAction action,
                       const char *account, const char *client_order_id, const char *reason,
                       json_t **status, gw_response *res)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%" PRId64, req->user.id);
    Stom__V1__EngineCommand cmd = STOM__V1__ENGINE_COMMAND__INIT;
    cmd.has_action = true;
    cmd.action = action;
    cmd.account = (char *)(account ? account : "");
    cmd.client_order_id = (char *)client_order_id;
    cmd.reason = (char *)reason;
    cmd.requested_by = uid;
    stom_bus_received r = {0};
    if (!gw_engine_call(ctx, &cmd.base, STOM__V1__ENVELOPE__BODY_ENGINE_STATUS, &r, res))
        return false;
    const Stom__V1__EngineStatus *st = r.msg.env->engine_status;
    bool ok = st->error == NULL;
    if (ok)
        *status = status_json(st);
    else
        gw_engine_reply_error(res, st->error, 422);
    stom_bus_received_free(&r);
    return ok;
}

const char *gw_engine_strategy_state_name(Stom__V1__StrategyState s)
{
    static const char *const names[] = {"unknown", "stopped",  "starting", "running",
                                        "paused",  "stopping", "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}
