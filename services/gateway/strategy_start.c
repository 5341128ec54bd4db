/*
 * strategy_start.c - a start request's fields checked in order and built
 * into a StrategyControl (see strategy_start.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "stom/strategy.h"
#include "strategy_start.h"
#include "trading_scope.h"

bool gw_instance_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > GW_INSTANCE_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool read_instance(const json_t *body, gw_strategy_start *s, gw_response *res)
{
    const char *id = NULL;
    if (!gw_json_string(body, "instance_id", false, GW_INSTANCE_ID_MAX, &id, res))
        return false;
    if (!id) {
        if (gw_random_id('s', 15, s->instance_id))
            return true;
        gw_reply_error(res, 500, "internal", NULL, "no randomness for an instance id");
        return false;
    }
    if (!gw_instance_id_valid(id)) {
        gw_reply_error(res, 400, "invalid_field", "instance_id",
                       "instance_id must be 1 to %d of A-Z a-z 0-9 _ . -", GW_INSTANCE_ID_MAX);
        return false;
    }
    snprintf(s->instance_id, sizeof s->instance_id, "%s", id);
    return true;
}

/* A stored strategy of the caller (404 otherwise); version 0: the latest. */
static bool stored_strategy(gw_ctx *ctx, const gw_request *req, int64_t id, int64_t version,
                            gw_strategy_start *s, gw_response *res)
{
    char ids[24], uid[24], ver[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    snprintf(uid, sizeof uid, "%" PRId64, req->user.id);
    snprintf(ver, sizeof ver, "%" PRId64, version);
    const char *v[] = {ids, uid, version ? ver : NULL};
    PGresult *r = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query(ctx->db,
                      "SELECT 1 FROM strategies s JOIN strategy_versions sv ON sv.strategy_id = "
                      "s.id AND sv.version = coalesce($3::int, s.version) WHERE s.id = $1 AND "
                      "s.user_id = $2",
                      3, v, PGRES_TUPLES_OK, "reading the strategy", &r, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (!found) {
        gw_reply_error(res, 404, "not_found", "strategy_id", "strategy %" PRId64 "%s%s not found",
                       id, version ? " version " : "", version ? ver : "");
        return false;
    }
    snprintf(s->strategy_name, sizeof s->strategy_name, "id:%" PRId64, id);
    if (version)
        snprintf(s->version, sizeof s->version, "%" PRId64, version);
    return true;
}

static bool read_strategy(gw_ctx *ctx, const gw_request *req, const json_t *body,
                          gw_strategy_start *s, gw_response *res)
{
    const char *name = NULL;
    int64_t id = 0, version = 0;
    if (!gw_json_string(body, "strategy", false, 31, &name, res) ||
        !gw_json_int(body, "strategy_id", false, 1, INT64_MAX, &id, res) ||
        !gw_json_int(body, "strategy_version", false, 1, INT32_MAX, &version, res))
        return false;
    if ((name != NULL) == (id != 0)) {
        gw_reply_error(res, 400, "invalid_field", "strategy",
                       "give either strategy (a built-in's name) or strategy_id (yours)");
        return false;
    }
    if (id)
        return stored_strategy(ctx, req, id, version, s, res);
    char names[256];
    if (!stom_strategy_find(name)) {
        gw_reply_error(res, 400, "invalid_field", "strategy",
                       "unknown strategy '%s' (built-ins: %s)", name,
                       stom_strategy_names(names, sizeof names));
        return false;
    }
    snprintf(s->strategy_name, sizeof s->strategy_name, "%s", name);
    return true;
}

/* One params value as a Param; false when it is not a number, boolean or string. */
static bool param_of(const char *name, const json_t *v, Stom__V1__Param *q)
{
    stom__v1__param__init(q);
    q->name = (char *)name;
    if (json_is_integer(v)) {
        q->value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
        q->int_value = json_integer_value(v);
    } else if (json_is_real(v)) {
        q->value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
        q->real_value = json_real_value(v);
    } else if (json_is_boolean(v)) {
        q->value_case = STOM__V1__PARAM__VALUE_BOOL_VALUE;
        q->bool_value = json_is_true(v);
    } else if (json_is_string(v)) {
        q->value_case = STOM__V1__PARAM__VALUE_TEXT_VALUE;
        q->text_value = (char *)json_string_value(v);
    } else {
        return false;
    }
    return true;
}

static bool read_params(const json_t *body, gw_strategy_start *s, gw_response *res)
{
    json_t *p = json_object_get(body, "params");
    if (!p || json_is_null(p))
        return true;
    if (!json_is_object(p) || json_object_size(p) > STOM_MAX_PARAMS) {
        gw_reply_error(res, 400, "invalid_field", "params",
                       "params must be an object of at most %d values ({\"fast\": 5})",
                       STOM_MAX_PARAMS);
        return false;
    }
    size_t n = json_object_size(p), i = 0;
    s->param_items = stom_xcalloc(n ? n : 1, sizeof *s->param_items);
    s->params = stom_xcalloc(n ? n : 1, sizeof *s->params);
    const char *key;
    json_t *v;
    json_object_foreach(p, key, v)
    {
        if (!param_of(key, v, &s->param_items[i])) {
            gw_reply_error(res, 400, "invalid_field", "params",
                           "params.%.64s must be a number, a boolean or a string", key);
            return false;
        }
        s->params[i] = &s->param_items[i];
        i++;
    }
    s->msg.params = s->params;
    s->msg.n_params = n;
    return true;
}

static bool read_symbols(const json_t *body, gw_strategy_start *s, gw_response *res)
{
    json_t *a = json_object_get(body, "symbols");
    size_t n = json_array_size(a);
    if (!json_is_array(a) || n == 0 || n > GW_START_SYMBOLS_MAX) {
        gw_reply_error(res, 400, "invalid_field", "symbols",
                       "symbols must be an array of 1 to %d symbols (\"005930\")",
                       GW_START_SYMBOLS_MAX);
        return false;
    }
    s->symbols = stom_xcalloc(n, sizeof *s->symbols);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);
        stom_errbuf eb = {0};
        if (!json_is_string(v) || stom_symbol_check(json_string_value(v), &eb)) {
            gw_reply_error(res, 400, "invalid_field", "symbols", "symbols[%zu] %s", i,
                           json_is_string(v) ? eb.msg : "must be a string");
            return false;
        }
        s->symbols[i] = (char *)json_string_value(v);
    }
    s->msg.symbols = s->symbols;
    s->msg.n_symbols = n;
    return true;
}

static bool read_timeframe(const json_t *body, gw_strategy_start *s, gw_response *res)
{
    json_t *v = json_object_get(body, "timeframe");
    Stom__V1__Timeframe tf = json_is_string(v) ? bt_timeframe_parse(json_string_value(v))
                                               : STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED;
    if (tf == STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED) {
        gw_reply_error(res, 400, "invalid_field", "timeframe",
                       "timeframe must be one of \"1m\", \"1d\", \"1s\"");
        return false;
    }
    s->msg.has_timeframe = true;
    s->msg.timeframe = tf;
    return true;
}

/* Sizing: order_qty (shares per entry) or order_amount (won per entry), not both. */
static bool read_sizing(const json_t *body, gw_strategy_start *s, gw_response *res)
{
    int64_t qty = 0, amount = 0;
    if (!gw_json_int(body, "order_qty", false, 1, 1000000000LL, &qty, res) ||
        !gw_json_int(body, "order_amount", false, 1, 1000000000000000LL, &amount, res))
        return false;
    if (qty && amount) {
        gw_reply_error(res, 400, "invalid_field", "order_amount",
                       "give order_qty (shares per entry) or order_amount (won per entry), not "
                       "both");
        return false;
    }
    s->msg.has_order_qty = qty > 0;
    s->msg.order_qty = qty;
    s->msg.has_order_amount = amount > 0;
    s->msg.order_amount = amount;
    return true;
}

static bool read_account(gw_ctx *ctx, const gw_request *req, const json_t *body,
                         gw_strategy_start *s, gw_response *res)
{
    const char *account = NULL;
    if (!gw_json_string(body, "account", true, GW_ACCOUNT_MAX, &account, res) ||
        !gw_scope_account(ctx, req, account, "account", res))
        return false;
    s->msg.account = (char *)account;
    return true;
}

bool gw_strategy_start_read(gw_ctx *ctx, const gw_request *req, json_t *body,
                            gw_strategy_start *out, gw_response *res)
{
    static const char *const fields[] = {
        "instance_id", "strategy", "strategy_id", "strategy_version", "params", "symbols",
        "timeframe",   "account",  "order_qty",   "order_amount",     NULL};
    memset(out, 0, sizeof *out);
    stom__v1__strategy_control__init(&out->msg);
    out->body = json_incref(body);
    if (!gw_json_only(body, fields, res) || !read_instance(body, out, res) ||
        !read_strategy(ctx, req, body, out, res) || !read_params(body, out, res) ||
        !read_symbols(body, out, res) || !read_timeframe(body, out, res) ||
        !read_sizing(body, out, res) || !read_account(ctx, req, body, out, res))
        return false;
    snprintf(out->requested_by, sizeof out->requested_by, "%" PRId64, req->user.id);
    out->msg.has_action = true;
    out->msg.action = STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_START;
    out->msg.instance_id = out->instance_id;
    out->msg.strategy_name = out->strategy_name;
    out->msg.strategy_version = out->version[0] ? out->version : NULL;
    out->msg.requested_by = out->requested_by;
    return true;
}

void gw_strategy_start_free(gw_strategy_start *s)
{
    free(s->param_items);
    free(s->params);
    free(s->symbols);
    json_decref(s->body);
    memset(s, 0, sizeof *s);
}
