/*
 * strategy_diff.c - the diff route of strategies (see strategy_diff.h).
 * Both versions are read through strategy_store (scoped by the caller's
 * user id), then compared by text_diff.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_query.h"
#include "strategy_diff.h"
#include "strategy_store.h"
#include "text_diff.h"

/* Reads query parameter name as a version number into *v (untouched when absent). */
static bool version_param(const gw_request *req, const char *name, int *v, gw_response *res)
{
    int64_t x = *v;
    if (!gw_api_query_int(req, name, 1, INT32_MAX, &x)) {
        gw_reply_error(res, 400, "invalid_field", name, "%s must be a version number (1, 2, ...)",
                       name);
        return false;
    }
    *v = (int)x;
    return true;
}

/* The code of one version (owned json, code borrowed from it) or false with res set. */
static bool read_version(gw_ctx *ctx, gw_request *req, int64_t id, int v, json_t **out,
                         gw_response *res)
{
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_version(ctx->db, req->user.id, id, v, out, &eb);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "%s", eb.msg);
    else if (rc != STOM_OK)
        gw_reply_unavailable(res, "the database", &eb);
    return rc == STOM_OK;
}

/* The latest version of strategy id, or false with res set (404 when it is not the caller's). */
static bool latest_version(gw_ctx *ctx, gw_request *req, int64_t id, int *latest, gw_response *res)
{
    json_t *s = NULL;
    stom_errbuf eb = {{0}};
    int rc = gw_strategy_store_get(ctx->db, req->user.id, id, &s, &eb);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "%s", eb.msg);
    else if (rc != STOM_OK)
        gw_reply_unavailable(res, "the database", &eb);
    if (rc != STOM_OK)
        return false;
    *latest = (int)json_integer_value(json_object_get(s, "version"));
    json_decref(s);
    return true;
}

static void reply_diff(gw_response *res, int from, int to, const json_t *a, const json_t *b)
{
    json_t *ca = json_object_get(a, "code"), *cb = json_object_get(b, "code");
    char name_a[24], name_b[24], *diff = NULL;
    snprintf(name_a, sizeof name_a, "v%d", from);
    snprintf(name_b, sizeof name_b, "v%d", to);
    stom_errbuf eb = {{0}};
    if (gw_text_diff(json_string_value(ca), json_string_length(ca), json_string_value(cb),
                     json_string_length(cb), name_a, name_b, &diff, &eb) != STOM_OK) {
        gw_reply_error(res, 400, "invalid_field", NULL, "%s", eb.msg);
        return;
    }
    gw_reply_json(res, 200, json_pack("{s:i, s:i, s:s}", "from", from, "to", to, "diff", diff));
    free(diff);
}

void gw_strategy_diff_handler(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    int from = 0, to = 0, latest = 0;
    if (!gw_param_id(req, 0, &id)) {
        gw_reply_error(res, 404, "not_found", NULL, "no strategy %.32s",
                       req->n_params ? req->params[0] : "");
        return;
    }
    if (!version_param(req, "from", &from, res) || !version_param(req, "to", &to, res))
        return;
    if (!latest_version(ctx, req, id, &latest, res))
        return;
    to = to ? to : latest;
    from = from ? from : (to > 1 ? to - 1 : 1);
    json_t *a = NULL, *b = NULL;
    if (read_version(ctx, req, id, from, &a, res) && read_version(ctx, req, id, to, &b, res))
        reply_diff(res, from, to, a, b);
    json_decref(a);
    json_decref(b);
}
