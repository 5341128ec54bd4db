/*
 * routes_orders.c - /api/v1/orders (the order journal, manual orders and
 * cancels), /api/v1/kill and /api/v1/resume (the kill switch).
 *
 * Reads come from order_journal, scoped to the caller's accounts; controls
 * go to the engine (gw_engine.h), which checks risk, journals and sends.
 * A manual order gets a client order id "m-" + 21 random characters from
 * the gateway, so that the engine's idempotency by client order id covers
 * a request the REQ socket resends. Stopping all trading (a kill or resume
 * without an account) is for admins only.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_query.h"
#include "gw_engine.h"
#include "stom/store_bars.h"
#include "trading_scope.h"

#define ORDER_ID_LEN 23              /* "m-" and 21 random characters */
#define ORDER_ID_MAX 64              /* a client order id in a path */
#define QTY_MAX      1000000000LL    /* shares in one order */
#define PRICE_MAX    1000000000000LL /* won per share */
#define REASON_MAX   200             /* bytes of a kill's reason */
#define ORDER_COLUMNS                                                                              \
    "json_build_object('client_order_id', client_order_id, 'account', account, 'broker', "         \
    "broker, 'strategy', strategy, 'symbol', symbol, 'side', CASE side WHEN 1 THEN 'buy' ELSE "    \
    "'sell' END, 'type', order_type, 'qty', qty, 'price', limit_price, 'state', state, "           \
    "'filled_qty', filled_qty, 'filled_value', filled_value, 'avg_price', CASE WHEN filled_qty "   \
    "> 0 THEN round(filled_value::numeric / filled_qty)::bigint END, 'broker_order_id', "          \
    "broker_order_id, 'reason', reason, 'created_at', to_char(created_at" GW_SQL_KST               \
    ", 'updated_at', to_char(updated_at" GW_SQL_KST ")"
#define OPEN_STATES "('pending', 'sent', 'accepted', 'partially_filled')"

/* The ?state= of a list: "open" or "all" (the default). False with res set (400). */
static bool read_state(const gw_request *req, char state[8], gw_response *res)
{
    char *v = gw_api_query(req, "state");
    bool ok = !v || !strcmp(v, "open") || !strcmp(v, "all");
    snprintf(state, 8, "%s", v && ok ? v : "all");
    free(v);
    if (!ok)
        gw_reply_error(res, 400, "invalid_field", "state", "state must be open or all");
    return ok;
}

static void list_orders(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char account[GW_ACCOUNT_MAX + 1], owner[GW_SCOPE_OWNER_SZ], limit[24], offset[24], state[8];
    if (!gw_scope_query_account(ctx, req, account, res) ||
        !gw_scope_page(req, limit, offset, res) || !read_state(req, state, res))
        return;
    const char *v[] = {gw_scope_owner(req, owner), account, limit, offset, state};
    json_t *rows = NULL;
    if (gw_scope_query_json(
            ctx,
            "SELECT coalesce(json_agg(" ORDER_COLUMNS " ORDER BY created_at DESC, client_order_id "
            "DESC), '[]') FROM (SELECT * FROM order_journal WHERE (account = $2 OR $2 = '') AND "
            "($5 = 'all' OR state IN " OPEN_STATES ") AND " GW_SCOPE_ACCOUNTS(
                "account", "$1") " ORDER BY created_at DESC, client_order_id DESC LIMIT $3::int "
                                 "OFFSET $4::int) o",
            5, v, &rows, res))
        gw_reply_json(res, 200,
                      json_pack("{s:o, s:I, s:I}", "orders", rows, "limit",
                                (json_int_t)atoll(limit), "offset", (json_int_t)atoll(offset)));
}

/* ---- POST /orders --------------------------------------------------------------- */

typedef struct order_body {
    const char *account, *symbol, *side, *type;
    int64_t qty, price;
} order_body;

static bool read_side_and_type(const json_t *body, order_body *o, gw_response *res)
{
    if (!gw_json_string(body, "side", true, 8, &o->side, res) ||
        !gw_json_string(body, "type", true, 8, &o->type, res))
        return false;
    if (strcmp(o->side, "buy") && strcmp(o->side, "sell")) {
        gw_reply_error(res, 400, "invalid_field", "side", "side must be \"buy\" or \"sell\"");
        return false;
    }
    if (strcmp(o->type, "market") && strcmp(o->type, "limit")) {
        gw_reply_error(res, 400, "invalid_field", "type", "type must be \"market\" or \"limit\"");
        return false;
    }
    return true;
}

static bool read_qty_and_price(const json_t *body, order_body *o, gw_response *res)
{
    bool limit = !strcmp(o->type, "limit");
    o->price = 0;
    if (!gw_json_int(body, "qty", true, 1, QTY_MAX, &o->qty, res) ||
        !gw_json_int(body, "price", limit, 1, PRICE_MAX, &o->price, res))
        return false;
    if (!limit && o->price) {
        gw_reply_error(res, 400, "invalid_field", "price",
                       "price is only for limit orders; a market order has none");
        return false;
    }
    return true;
}

/* Reads and checks a manual order's fields; the account must be the caller's. */
static bool read_order(gw_ctx *ctx, const gw_request *req, const json_t *body, order_body *o,
                       gw_response *res)
{
    static const char *const fields[] = {"account", "symbol", "side", "qty", "type", "price", NULL};
    stom_errbuf eb = {0};
    if (!gw_json_only(body, fields, res) ||
        !gw_json_string(body, "account", true, GW_ACCOUNT_MAX, &o->account, res) ||
        !gw_json_string(body, "symbol", true, 16, &o->symbol, res))
        return false;
    if (stom_symbol_check(o->symbol, &eb)) {
        gw_reply_error(res, 400, "invalid_field", "symbol", "symbol %s", eb.msg);
        return false;
    }
    return read_side_and_type(body, o, res) && read_qty_and_price(body, o, res) &&
           gw_scope_account(ctx, req, o->account, "account", res);
}

static const char *order_state_name(Stom__V1__OrderEventKind k)
{
    switch (k) {
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED:
        return "accepted";
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED:
        return "partially_filled";
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED:
        return "filled";
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_CANCELLED:
        return "cancelled";
    case STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED:
        return "rejected";
    default:
        return "sent";
    }
}

static json_t *order_event_json(const order_body *o, const char *id, const Stom__V1__OrderEvent *e)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:s, s:I, s:o, s:s}", "client_order_id", id,
        "account", o->account, "symbol", o->symbol, "side", o->side, "type", o->type, "qty",
        (json_int_t)o->qty, "price", o->price ? json_integer(o->price) : json_null(), "state",
        order_state_name(e->kind), "broker_order_no", e->broker_order_no ? e->broker_order_no : "",
        "filled_qty", (json_int_t)e->cum_qty, "avg_price",
        e->cum_qty ? json_integer(e->avg_price) : json_null(), "reason",
        e->reason ? e->reason : "");
}

/* Sends o as id to the engine and answers 201 with its state, or 422 when refused. */
static void send_order(gw_ctx *ctx, const order_body *o, const char *id, gw_response *res)
{
    Stom__V1__OrderRequest r = STOM__V1__ORDER_REQUEST__INIT;
    r.client_order_id = (char *)id;
    r.account = (char *)o->account;
    r.symbol = (char *)o->symbol;
    r.has_side = r.has_type = r.has_qty = true;
    r.side = !strcmp(o->side, "buy") ? STOM__V1__SIDE__SIDE_BUY : STOM__V1__SIDE__SIDE_SELL;
    r.type =
        o->price ? STOM__V1__ORDER_TYPE__ORDER_TYPE_LIMIT : STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    r.qty = o->qty;
    r.has_price = o->price > 0;
    r.price = o->price;
    stom_bus_received reply = {0};
    if (!gw_engine_call(ctx, &r.base, STOM__V1__ENVELOPE__BODY_ORDER_EVENT, &reply, res))
        return;
    const Stom__V1__OrderEvent *e = reply.msg.env->order_event;
    json_t *out = order_event_json(o, id, e);
    if (e->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED)
        gw_reply_json(res, 422,
                      json_pack("{s:{s:s, s:s}, s:o}", "error", "code", "order_rejected", "message",
                                e->reason && e->reason[0] ? e->reason : "rejected", "order", out));
    else
        gw_reply_json(res, 201, out);
    stom_bus_received_free(&reply);
}

static void place_order(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    order_body o;
    char id[ORDER_ID_LEN + 1] = "m";
    bool valid = read_order(ctx, req, body, &o, res);
    if (valid && !gw_random_id('-', ORDER_ID_LEN - 2, id + 1))
        gw_reply_error(res, 500, "internal", NULL, "no randomness for an order id");
    else if (valid)
        send_order(ctx, &o, id, res);
    json_decref(body);
}

/* ---- DELETE /orders/{id} ---------------------------------------------------------- */

/* The order's account and state when the caller may see it; false with res set (404, 503). */
static bool find_order(gw_ctx *ctx, const gw_request *req, const char *id, char *account,
                       char *state, gw_response *res)
{
    char owner[GW_SCOPE_OWNER_SZ];
    const char *v[] = {id, gw_scope_owner(req, owner)};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(ctx->db,
                               "SELECT account, state FROM order_journal WHERE client_order_id = "
                               "$1 AND " GW_SCOPE_ACCOUNTS("account", "$2"),
                               2, v, PGRES_TUPLES_OK, "reading the order", &r, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    bool found = PQntuples(r) == 1;
    if (found) {
        snprintf(account, GW_ACCOUNT_MAX + 1, "%s", PQgetvalue(r, 0, 0));
        snprintf(state, 24, "%s", PQgetvalue(r, 0, 1));
    } else {
        gw_reply_error(res, 404, "not_found", NULL, "no order %.64s", id);
    }
    PQclear(r);
    return found;
}

static void cancel_order(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    const char *id = req->params[0];
    char account[GW_ACCOUNT_MAX + 1], state[24];
    if (strlen(id) > ORDER_ID_MAX) {
        gw_reply_error(res, 404, "not_found", NULL, "no order %.64s", id);
        return;
    }
    if (!find_order(ctx, req, id, account, state, res))
        return;
    if (strcmp(state, "filled") == 0 || strcmp(state, "cancelled") == 0 ||
        strcmp(state, "rejected") == 0) {
        gw_reply_error(res, 409, "conflict", NULL,
                       "order %s is %s; only open orders can be cancelled", id, state);
        return;
    }
    json_t *status = NULL;
    if (gw_engine_command(ctx, req, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_CANCEL_ORDER, account,
                          id, NULL, &status, res))
        gw_reply_json(res, 202,
                      json_pack("{s:s, s:s, s:o}", "client_order_id", id, "state",
                                "cancel_requested", "engine", status));
}

/* ---- POST /kill, POST /resume ------------------------------------------------------ */

/* The optional account of a kill or resume: the caller's, or (absent) all trading for admins. */
static bool kill_scope(gw_ctx *ctx, const gw_request *req, const json_t *body, const char **account,
                       gw_response *res)
{
    if (!gw_json_string(body, "account", false, GW_ACCOUNT_MAX, account, res))
        return false;
    if (*account)
        return gw_scope_account(ctx, req, *account, "account", res);
    if (req->user.role == GW_ROLE_ADMIN)
        return true;
    gw_reply_error(res, 403, "forbidden", "account",
                   "all trading can be halted or resumed by an admin only; give your account");
    return false;
}

/* A kill's reason: required, 1 to REASON_MAX bytes, shown in the risk event. */
static bool reason_valid(const json_t *body, const char **reason, gw_response *res)
{
    if (!gw_json_string(body, "reason", true, REASON_MAX, reason, res))
        return false;
    if (**reason)
        return true;
    gw_reply_error(res, 400, "invalid_field", "reason", "reason must say why trading stops");
    return false;
}

static void kill_or_resume(gw_ctx *ctx, gw_request *req, gw_response *res, bool kill)
{
    static const char *const kill_fields[] = {"account", "reason", NULL};
    static const char *const resume_fields[] = {"account", NULL};
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    const char *account = NULL, *reason = NULL;
    json_t *status = NULL;
    if (gw_json_only(body, kill ? kill_fields : resume_fields, res) &&
        (!kill || reason_valid(body, &reason, res)) && kill_scope(ctx, req, body, &account, res) &&
        gw_engine_command(ctx, req,
                          kill ? STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL
                               : STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME,
                          account, NULL, reason, &status, res))
        gw_reply_json(res, 200,
                      json_pack("{s:s, s:o}", "account", account ? account : "", "engine", status));
    json_decref(body);
}

static void kill(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    kill_or_resume(ctx, req, res, true);
}

static void resume(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    kill_or_resume(ctx, req, res, false);
}

const gw_route gw_routes_orders[] = {
    {"GET", "/api/v1/orders", list_orders, GW_TRADER, GW_LIMIT_USER,
     "Orders of your accounts from the journal, newest first", "account,state,limit#,offset#"},
    {"POST", "/api/v1/orders", place_order, GW_TRADER, GW_LIMIT_USER,
     "Place a manual order (201 with its state, 422 when refused)", NULL},
    {"DELETE", "/api/v1/orders/{client_order_id}", cancel_order, GW_TRADER, GW_LIMIT_USER,
     "Cancel an open order", NULL},
    {"POST", "/api/v1/kill", kill, GW_TRADER, GW_LIMIT_USER,
     "Kill switch: halt an account (no account: all trading, admin only)", NULL},
    {"POST", "/api/v1/resume", resume, GW_TRADER, GW_LIMIT_USER,
     "Lift a halt of an account (no account: all trading, admin only)", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
