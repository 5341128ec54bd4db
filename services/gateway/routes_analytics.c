/*
 * routes_analytics.c - /api/v1/analytics: a run's metrics with STOM's and
 * the standard names, its chart series (equity, drawdown, the price of its
 * first symbol) and a comparison of several runs (docs/gateway-api.md).
 *
 * Every id must be one of the caller's runs (backtest or optimization);
 * any other is a 404, also inside a compare. Series are bounded: at most
 * GW_RUN_EQUITY_MAX points each (equity is one point per trading day; the
 * price is the last close of each KST day), the first points when a run is
 * longer (the run routes page the full series).
 *
 * Thread-safety: handlers run on one worker thread with its own gw_ctx.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "api_time.h"
#include "run_store.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define IDS_TEXT_MAX ((GW_RUN_JOB_ID_LEN + 1) * GW_RUN_COMPARE_MAX + 1)

/* Finds the caller's run id (any kind); false with 404 / 503 set. */
static bool find_any(gw_ctx *ctx, gw_request *req, const char *id, gw_run_info *run,
                     gw_response *res)
{
    stom_errbuf eb = {0};
    int rc = gw_run_store_find(ctx->db, req->user.id, GW_RUN_BACKTEST, true, id, run, &eb);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "no run '%.48s'", id);
    else if (rc)
        gw_reply_unavailable(res, "the database", &eb);
    return rc == 0;
}

/* The id query parameter, required. */
static bool id_param(gw_request *req, char id[GW_RUN_JOB_ID_LEN + 1], gw_response *res)
{
    if (gw_query(req, "id", id, GW_RUN_JOB_ID_LEN + 1) && id[0])
        return true;
    gw_reply_error(res, 400, "invalid_field", "id", "id is required: a run's id");
    return false;
}

/* Equity points [{t, equity}] as [[t, equity]] (and drawdown likewise), taking both arrays. */
static json_t *pairs(json_t *points, const char *key)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(points, i, p)
    {
        json_array_append_new(
            out, json_pack("[O, O]", json_object_get(p, "t"), json_object_get(p, key)));
    }
    json_decref(points);
    return out;
}

/* The run's metrics (of its best result) with both names; NULL with res set on failure. */
static json_t *named_metrics(gw_ctx *ctx, const char *id, int64_t *cash, gw_response *res)
{
    json_t *m = NULL;
    stom_errbuf eb = {0};
    if (gw_run_store_metrics(ctx->db, id, &m, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return NULL;
    }
    json_t *c = json_object_get(m, "initial_cash");
    *cash = json_is_integer(c) ? json_integer_value(c) : 0;
    json_t *named = gw_run_metrics_named(m);
    json_decref(m);
    return named;
}

static bool equity_series(gw_ctx *ctx, const char *id, int64_t cash, json_t **equity,
                          json_t **drawdown, gw_response *res)
{
    json_t *e = NULL, *d = NULL;
    int64_t total = 0;
    stom_errbuf eb = {0};
    if (gw_run_store_equity(ctx->db, id, cash, GW_RUN_EQUITY_MAX, 0, &e, &d, &total, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    *equity = pairs(e, "equity");
    if (drawdown)
        *drawdown = pairs(d, "drawdown_pct");
    else
        json_decref(d);
    return true;
}

static void get_metrics(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char id[GW_RUN_JOB_ID_LEN + 1];
    gw_run_info run;
    int64_t cash = 0;
    if (!id_param(req, id, res) || !find_any(ctx, req, id, &run, res))
        return;
    json_t *m = named_metrics(ctx, id, &cash, res);
    if (m)
        gw_reply_json(res, 200,
                      json_pack("{s:s, s:s, s:s, s:o}", "id", id, "kind",
                                gw_run_kind_name(run.kind), "state", run.state, "metrics", m));
}

/* ---- price ------------------------------------------------------------------------ */

/* The last close of each KST day of the run's first symbol over its period, as [[t, price]]. */
static bool price_series(gw_ctx *ctx, const gw_run_info *run, json_t **out, gw_response *res)
{
    json_t *sum = NULL;
    stom_errbuf eb = {0};
    if (gw_run_store_summary(ctx->db, run, &sum, &eb)) {
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    json_t *rq = json_object_get(sum, "request");
    const char *sym = json_string_value(json_array_get(json_object_get(rq, "symbols"), 0));
    const char *tf = json_string_value(json_object_get(rq, "timeframe"));
    const char *from = json_string_value(json_object_get(json_object_get(rq, "period"), "from"));
    const char *to = json_string_value(json_object_get(json_object_get(rq, "period"), "to"));
    int32_t d0 = 0, d1 = 0;
    *out = json_array();
    if (!sym || !tf || !from || !to || stom_parse_date(from, strlen(from), &d0) ||
        stom_parse_date(to, strlen(to), &d1)) {
        json_decref(sum);
        return true; /* requests are checked on submit; an odd stored one just has no price */
    }
    stom_bars b;
    memset(&b, 0, sizeof b);
    int rc = stom_store_load_bars(ctx->db, sym, tf, stom_midnight_utc(d0, STOM_KST_OFFSET_MINUTES),
                                  stom_midnight_utc(d1, STOM_KST_OFFSET_MINUTES) + 86400, &b, &eb);
    json_decref(sum);
    if (rc == STOM_EIO) {
        json_decref(*out);
        gw_reply_unavailable(res, "the database", &eb);
        return false;
    }
    double scale = pow(10.0, b.inst.price_decimals);
    for (size_t i = 0; !rc && i < b.len && json_array_size(*out) < GW_RUN_EQUITY_MAX; i++) {
        bool last_of_day = i + 1 == b.len || stom_date_of(b.ts[i], STOM_KST_OFFSET_MINUTES) !=
                                                 stom_date_of(b.ts[i + 1], STOM_KST_OFFSET_MINUTES);
        char t[40];
        if (last_of_day)
            json_array_append_new(*out,
                                  json_pack("[s, f]", gw_api_time_format(b.ts[i], t, sizeof t),
                                            (double)b.close[i] / scale));
    }
    stom_bars_free(&b);
    return true;
}

/* ---- chart -------------------------------------------------------------------------- */

static bool series_wanted(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

static bool series_valid(const char *list, gw_response *res)
{
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        size_t n = strcspn(p, ",");
        bool ok = (n == 6 && !strncmp(p, "equity", 6)) || (n == 8 && !strncmp(p, "drawdown", 8)) ||
                  (n == 5 && !strncmp(p, "price", 5));
        if (!ok) {
            gw_reply_error(res, 400, "invalid_field", "series",
                           "series '%.*s' is not one of equity, drawdown, price",
                           (int)(n > 32 ? 32 : n), p);
            return false;
        }
    }
    return true;
}

static void get_chart(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char id[GW_RUN_JOB_ID_LEN + 1], series[64] = "equity,drawdown";
    gw_run_info run;
    if (!id_param(req, id, res))
        return;
    if (gw_query(req, "series", series, sizeof series) == false && strstr(req->query, "series="))
        series[0] = '\0'; /* too long: refused below */
    if (!series_valid(series, res) || !find_any(ctx, req, id, &run, res))
        return;
    int64_t cash = 0;
    json_t *m = named_metrics(ctx, id, &cash, res), *out = json_object(), *equity = NULL,
           *drawdown = NULL, *price = NULL;
    if (!m || !equity_series(ctx, id, cash, &equity, &drawdown, res) ||
        (series_wanted(series, "price") && !price_series(ctx, &run, &price, res))) {
        json_decref(m);
        json_decref(out);
        json_decref(equity);
        json_decref(drawdown);
        return;
    }
    json_decref(m);
    json_object_set_new(out, "id", json_string(id));
    if (series_wanted(series, "equity"))
        json_object_set(out, "equity", equity);
    if (series_wanted(series, "drawdown"))
        json_object_set(out, "drawdown", drawdown);
    if (price)
        json_object_set_new(out, "price", price);
    json_decref(equity);
    json_decref(drawdown);
    gw_reply_json(res, 200, out);
}

/* ---- compare -------------------------------------------------------------------------- */

/* Splits ids at commas into out (at most GW_RUN_COMPARE_MAX); false with a 400. */
static bool split_ids(char *text, char *ids[GW_RUN_COMPARE_MAX], size_t *n, gw_response *res)
{
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(text, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (*n == GW_RUN_COMPARE_MAX || strlen(tok) > GW_RUN_JOB_ID_LEN) {
            gw_reply_error(res, 400, "invalid_field", "ids",
                           "ids must be at most %d run ids separated by commas",
                           GW_RUN_COMPARE_MAX);
            return false;
        }
        ids[(*n)++] = tok;
    }
    if (*n == 0)
        gw_reply_error(res, 400, "invalid_field", "ids", "ids is required: run ids, a,b,c");
    return *n > 0;
}

static void get_compare(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    char text[IDS_TEXT_MAX] = "";
    char *ids[GW_RUN_COMPARE_MAX];
    size_t n = 0;
    if (!gw_query(req, "ids", text, sizeof text) && strstr(req->query, "ids=")) {
        gw_reply_error(res, 400, "invalid_field", "ids", "ids names more than %d runs",
                       GW_RUN_COMPARE_MAX);
        return;
    }
    if (!split_ids(text, ids, &n, res))
        return;
    gw_run_info run;
    for (size_t i = 0; i < n; i++)
        if (!find_any(ctx, req, ids[i], &run, res))
            return; /* one that is not the caller's makes the whole answer a 404 */
    json_t *runs = json_array();
    for (size_t i = 0; i < n; i++) {
        int64_t cash = 0;
        json_t *equity = NULL, *m = named_metrics(ctx, ids[i], &cash, res);
        if (!m || !equity_series(ctx, ids[i], cash, &equity, NULL, res)) {
            json_decref(m);
            json_decref(runs);
            return;
        }
        json_array_append_new(
            runs, json_pack("{s:s, s:o, s:o}", "id", ids[i], "metrics", m, "equity", equity));
    }
    gw_reply_json(res, 200, json_pack("{s:o}", "runs", runs));
}

const gw_route gw_routes_analytics[] = {
    {"GET", "/api/v1/analytics/metrics", get_metrics, GW_USER, GW_LIMIT_USER,
     "A run's metrics with STOM's and the standard names", "id!"},
    {"GET", "/api/v1/analytics/chart", get_chart, GW_USER, GW_LIMIT_USER,
     "A run's equity, drawdown and price series", "id!,series"},
    {"GET", "/api/v1/analytics/compare", get_compare, GW_USER, GW_LIMIT_USER,
     "Several runs' metrics and equity side by side", "ids!"},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
