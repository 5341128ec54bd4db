/*
 * routes_strategies.c - /api/v1/strategies: a user's Lua strategies with
 * their versions, the check, diffs between versions and the built-ins.
 *
 * Every route needs a user (GW_USER) and counts against the user's rate
 * limit. Every query is scoped by req->user.id (strategy_store.c), so
 * another user's strategy answers 404 exactly like a missing one. Code is
 * checked before it is stored: code that fails the check is a 400 with the
 * errors' lines, never a stored version. The literal routes (check,
 * builtin) come before the {id} routes in the table.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "strategy_code.h"
#include "strategy_diff.h"
#include "strategy_store.h"

#define NAME_MAX_BYTES        64
#define DESCRIPTION_MAX_BYTES 1000
#define MESSAGE_MAX_BYTES     1000

/* The body fields a create or update accepts; anything else is a 400 naming it. */
static const char *const edit_fields[] = {"name", "code", "description", "params", "message", NULL};

/* Answers a strategy_store failure: 404, 409 or 503. */
static void reply_store_error(gw_response *res, int rc, const stom_errbuf *eb)
{
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "%s", eb->msg);
    else if (rc == STOM_ESTATE)
        gw_reply_error(res, 409, "conflict", "name", "you already have a strategy of that name");
    else
        gw_reply_unavailable(res, "the database", eb);
}

/* The {id} path parameter; a malformed one is a missing strategy. */
static bool strategy_id(const gw_request *req, int64_t *id, gw_response *res)
{
    if (gw_param_id(req, 0, id))
        return true;
    gw_reply_error(res, 404, "not_found", NULL, "no strategy %.32s",
                   req->n_params ? req->params[0] : "");
    return false;
}

/* A name: 1-64 bytes, not blank, no control characters. */
static bool name_valid(const char *name, gw_response *res)
{
    bool blank = true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            gw_reply_error(res, 400, "invalid_field", "name",
                           "name must not contain control characters");
            return false;
        }
        blank = blank && *p == ' ';
    }
    if (blank)
        gw_reply_error(res, 400, "invalid_field", "name", "name must not be empty");
    return !blank;
}

/*
 * Reads the fields of a create (required: name and code) or an update
 * into e; params become JSON text in *params_text (owned). False with res
 * set when a field is missing or invalid.
 */
static bool read_edit(const json_t *body, bool create, gw_strategy_edit *e, char **params_text,
                      gw_response *res)
{
    memset(e, 0, sizeof *e);
    *params_text = NULL;
    if (!gw_json_only(body, edit_fields, res) ||
        !gw_json_string(body, "name", create, NAME_MAX_BYTES, &e->name, res) ||
        (e->name && !name_valid(e->name, res)) ||
        !gw_json_string(body, "code", create, GW_STRATEGY_CODE_MAX, &e->code, res) ||
        !gw_json_string(body, "description", false, DESCRIPTION_MAX_BYTES, &e->description, res) ||
        !gw_json_string(body, "message", false, MESSAGE_MAX_BYTES, &e->message, res))
        return false;
    json_t *params = json_object_get(body, "params");
    if (params && !json_is_null(params)) {
        if (!json_is_object(params)) {
            gw_reply_error(res, 400, "invalid_field", "params",
                           "params must be an object of default values ({\"fast\": 5})");
            return false;
        }
        *params_text = json_dumps(params, JSON_COMPACT);
        e->params = *params_text;
    }
    return true;
}

/*
 * Checks code (the new code, or when NULL the stored code) and params
 * against it. False with res set: 400 when the code fails its check or a
 * default value does not fit the schema.
 */
static bool code_and_params_valid(const char *code, const json_t *params, gw_response *res)
{
    stom_check_report report;
    if (!gw_strategy_code_check(code, strlen(code), &report, res))
        return false;
    bool ok = report.errors == 0;
    if (!ok)
        gw_strategy_reply_check_failed(res, &report);
    else
        ok = gw_strategy_params_valid(params, &report, res);
    stom_check_report_free(&report);
    return ok;
}

/* Answers 200 (or 201) with strategy id as stored now. */
static void reply_strategy(gw_ctx *ctx, gw_request *req, int64_t id, int status, gw_response *res)
{
    json_t *s = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_get(ctx->db, req->user.id, id, &s, &eb);
    if (rc != STOM_OK) {
        reply_store_error(res, rc, &eb);
        return;
    }
    if (status == 201)
        snprintf(res->location, sizeof res->location, "/api/v1/strategies/%" PRId64, id);
    gw_reply_json(res, status, s);
}

static void list_strategies(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *list = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_list(ctx->db, req->user.id, &list, &eb);
    if (rc != STOM_OK)
        reply_store_error(res, rc, &eb);
    else
        gw_reply_json(res, 200, json_pack("{s:o}", "strategies", list));
}

static void create_strategy(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    gw_strategy_edit e;
    char *params_text = NULL;
    if (read_edit(body, true, &e, &params_text, res) &&
        code_and_params_valid(e.code, json_object_get(body, "params"), res)) {
        int64_t id = 0;
        stom_errbuf eb = {{0}};
        int rc = gw_strategy_store_create(ctx->db, req->user.id, &e, &id, &eb);
        if (rc != STOM_OK)
            reply_store_error(res, rc, &eb);
        else
            reply_strategy(ctx, req, id, 201, res);
    }
    free(params_text);
    json_decref(body);
}

static void get_strategy(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (strategy_id(req, &id, res))
        reply_strategy(ctx, req, id, 200, res);
}

/* The code an update is checked with: its own, or the stored one when it changes only params. */
static bool update_valid(gw_ctx *ctx, gw_request *req, int64_t id, const json_t *body,
                         const gw_strategy_edit *e, gw_response *res)
{
    const json_t *params = json_object_get(body, "params");
    if (e->code)
        return code_and_params_valid(e->code, params, res);
    if (!params || json_is_null(params))
        return true;
    json_t *stored = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_get(ctx->db, req->user.id, id, &stored, &eb);
    if (rc != STOM_OK) {
        reply_store_error(res, rc, &eb);
        return false;
    }
    bool ok =
        code_and_params_valid(json_string_value(json_object_get(stored, "code")), params, res);
    json_decref(stored);
    return ok;
}

static void update_strategy(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!strategy_id(req, &id, res))
        return;
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    gw_strategy_edit e;
    char *params_text = NULL;
    if (json_object_size(body) == 0)
        gw_reply_error(res, 400, "invalid_field", NULL,
                       "nothing to update: give code, params, name, description or message");
    else if (read_edit(body, false, &e, &params_text, res) &&
             update_valid(ctx, req, id, body, &e, res)) {
        stom_errbuf eb = {{0}};
        int rc = gw_strategy_store_update(ctx->db, req->user.id, id, &e, NULL, &eb);
        if (rc != STOM_OK)
            reply_store_error(res, rc, &eb);
        else
            reply_strategy(ctx, req, id, 200, res);
    }
    free(params_text);
    json_decref(body);
}

static void delete_strategy(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!strategy_id(req, &id, res))
        return;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_delete(ctx->db, req->user.id, id, &eb);
    if (rc != STOM_OK)
        reply_store_error(res, rc, &eb);
    else
        gw_reply_empty(res, 204);
}

static void list_versions(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!strategy_id(req, &id, res))
        return;
    json_t *list = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_versions(ctx->db, req->user.id, id, &list, &eb);
    if (rc != STOM_OK)
        reply_store_error(res, rc, &eb);
    else
        gw_reply_json(res, 200, json_pack("{s:o}", "versions", list));
}

static void get_version(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id, v;
    if (!strategy_id(req, &id, res))
        return;
    if (!gw_param_id(req, 1, &v) || v > INT32_MAX) {
        gw_reply_error(res, 404, "not_found", NULL, "no version %.32s of strategy %" PRId64,
                       req->n_params > 1 ? req->params[1] : "", id);
        return;
    }
    json_t *version = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_version(ctx->db, req->user.id, id, (int)v, &version, &eb);
    if (rc != STOM_OK)
        reply_store_error(res, rc, &eb);
    else
        gw_reply_json(res, 200, version);
}

static void check_code(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    const char *code;
    stom_check_report report;
    if (gw_json_string(body, "code", true, GW_STRATEGY_CODE_MAX, &code, res) &&
        gw_strategy_code_check(code, strlen(code), &report, res)) {
        gw_reply_json(res, 200, gw_strategy_check_json(&report));
        stom_check_report_free(&report);
    }
    json_decref(body);
}

static void list_builtins(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    (void)ctx;
    (void)req;
    gw_reply_json(res, 200, gw_strategy_builtins_json());
}

const gw_route gw_routes_strategies[] = {
    {"GET", "/api/v1/strategies", list_strategies, GW_USER, GW_LIMIT_USER, "List your strategies",
     NULL},
    {"POST", "/api/v1/strategies", create_strategy, GW_USER, GW_LIMIT_USER,
     "Create a strategy (its code must pass the check)", NULL},
    {"POST", "/api/v1/strategies/check", check_code, GW_USER, GW_LIMIT_USER,
     "Check Lua strategy code without storing it", NULL},
    {"GET", "/api/v1/strategies/builtin", list_builtins, GW_USER, GW_LIMIT_USER,
     "List the built-in strategies and their parameters", NULL},
    {"GET", "/api/v1/strategies/{id}", get_strategy, GW_USER, GW_LIMIT_USER,
     "Get a strategy at its latest version", NULL},
    {"PUT", "/api/v1/strategies/{id}", update_strategy, GW_USER, GW_LIMIT_USER,
     "Update a strategy (adds a version)", NULL},
    {"DELETE", "/api/v1/strategies/{id}", delete_strategy, GW_USER, GW_LIMIT_USER,
     "Delete a strategy with its versions", NULL},
    {"GET", "/api/v1/strategies/{id}/versions", list_versions, GW_USER, GW_LIMIT_USER,
     "List a strategy's versions", NULL},
    {"GET", "/api/v1/strategies/{id}/versions/{v}", get_version, GW_USER, GW_LIMIT_USER,
     "Get one version of a strategy", NULL},
    {"GET", "/api/v1/strategies/{id}/diff", gw_strategy_diff_handler, GW_USER, GW_LIMIT_USER,
     "Unified diff between two versions (default: the previous and the latest)", "from#,to#"},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
