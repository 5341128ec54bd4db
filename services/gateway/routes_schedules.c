/*
 * routes_schedules.c - /api/v1/schedules: the caller's scheduled jobs
 * (docs/scheduler.md) through the engine's schedule store
 * (stom/schedule_store.h), which the engine claims and fires.
 *
 * A job is read with the scheduler's own JSON reader, so the API accepts
 * exactly what the engine understands; its errors name the field. A job
 * that acts on an account (args.account) must name one of the caller's, and
 * a run_backtest job one of the caller's saved backtests (args.run; an
 * admin's jobs are not checked: they may be another user's).
 * PATCH merges the given fields into the stored job and checks the whole
 * again. Times are RFC 3339 in KST (next_fire_at, last_fired_at). Another
 * user's job answers 404; an admin sees and edits every job.
 *
 * Thread-safety: handlers run on a worker thread with that worker's gw_ctx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_time.h"
#include "run_store.h"
#include "stom/schedule_store.h"
#include "trading_scope.h"

#define SCHEDULE_BODY_MAX (STOM_SCHEDULE_ARGS_MAX * 2)

static const char *const job_fields[] = {"name", "when", "days", "action", "args", "enabled", NULL};

static int64_t owner_of(const gw_request *req)
{
    return req->user.role == GW_ROLE_ADMIN ? 0 : req->user.id;
}

static int64_t now_ns(void)
{
    stom_schedule_clock c = stom_schedule_clock_system();
    return c.fn(c.arg);
}

/* An instant in ns as RFC 3339 in KST, or null. */
static json_t *instant_json(const json_t *ns)
{
    return json_is_integer(ns) ? gw_api_time_json(json_integer_value(ns) / STOM_NS_PER_SEC)
                               : json_null();
}

/* The job as the API shows it (owned). */
static json_t *job_json(const stom_schedule_job *job)
{
    char *text = stom_schedule_job_to_json(job);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!o)
        return json_null();
    json_object_set_new(o, "next_fire_at", instant_json(json_object_get(o, "next_fire_ns")));
    json_object_set_new(o, "last_fired_at", instant_json(json_object_get(o, "last_fired_ns")));
    json_object_del(o, "next_fire_ns");
    json_object_del(o, "last_fired_ns");
    return o;
}

/* Answers a schedule store error: 404, 400 naming the field of eb ("when: ..."), 503. */
static void reply_store_error(gw_response *res, int rc, const stom_errbuf *eb)
{
    char field[32] = "";
    const char *colon = strchr(eb->msg, ':');
    if (colon && colon - eb->msg < (long)sizeof field &&
        !memchr(eb->msg, ' ', (size_t)(colon - eb->msg)))
        snprintf(field, sizeof field, "%.*s", (int)(colon - eb->msg), eb->msg);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 404, "not_found", NULL, "%s", eb->msg);
    else if (rc == STOM_EINVAL || rc == STOM_EFORMAT)
        gw_reply_error(res, 400, "invalid_field", field[0] ? field : NULL, "%s", eb->msg);
    else
        gw_reply_unavailable(res, "the database", eb);
}

/* The {id} parameter; a malformed one is a missing job. */
static bool job_id(const gw_request *req, int64_t *id, gw_response *res)
{
    if (gw_param_id(req, 0, id))
        return true;
    gw_reply_error(res, 404, "not_found", NULL, "no schedule %.32s",
                   req->n_params ? req->params[0] : "");
    return false;
}

/* A run_backtest job's args.run must be one of the caller's backtests; false with res set. */
static bool run_is_callers(gw_ctx *ctx, const gw_request *req, const stom_schedule_job *job,
                           const json_t *obj, gw_response *res)
{
    const char *run = json_string_value(json_object_get(json_object_get(obj, "args"), "run"));
    if (job->action != STOM_SCHEDULE_RUN_BACKTEST || req->user.role == GW_ROLE_ADMIN || !run)
        return true;
    gw_run_info info;
    stom_errbuf eb = {0};
    int rc = gw_run_store_find(ctx->db, req->user.id, GW_RUN_BACKTEST, false, run, &info, &eb);
    if (rc == STOM_ENOTFOUND)
        gw_reply_error(res, 400, "invalid_field", "args.run",
                       "args.run: you have no saved backtest '%.48s' (GET /api/v1/backtests "
                       "lists them)",
                       run);
    else if (rc)
        gw_reply_unavailable(res, "the database", &eb);
    return rc == 0;
}

/* Reads obj (a whole job) into *job; a job on an account must name one of the caller's. */
static bool read_job(gw_ctx *ctx, const gw_request *req, const json_t *obj, stom_schedule_job *job,
                     gw_response *res)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    stom_errbuf eb = {0};
    int rc = strlen(text) > SCHEDULE_BODY_MAX
                 ? stom_errorf(&eb, STOM_EINVAL, "the job is too large")
                 : stom_schedule_job_from_json(text, strlen(text), job, &eb);
    free(text);
    if (rc) {
        reply_store_error(res, rc, &eb);
        return false;
    }
    json_t *account = json_object_get(json_object_get(obj, "args"), "account");
    if ((!account ||
         gw_scope_account(ctx, req, json_string_value(account) ? json_string_value(account) : "",
                          "args.account", res)) &&
        run_is_callers(ctx, req, job, obj, res))
        return true;
    stom_schedule_job_clear(job);
    return false;
}

static void list_jobs(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    stom_schedule_jobs jobs = {0};
    stom_errbuf eb = {0};
    int rc = stom_schedule_list(ctx->db, owner_of(req), &jobs, &eb);
    if (rc) {
        reply_store_error(res, rc, &eb);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < jobs.n; i++)
        json_array_append_new(a, job_json(&jobs.v[i]));
    stom_schedule_jobs_free(&jobs);
    gw_reply_json(res, 200, json_pack("{s:o}", "schedules", a));
}

static void add_job(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    stom_schedule_job job = {0};
    if (gw_json_only(body, job_fields, res) && read_job(ctx, req, body, &job, res)) {
        stom_errbuf eb = {0};
        job.owner = req->user.id;
        int rc = stom_schedule_add(ctx->db, &job, now_ns(), &eb);
        if (rc) {
            reply_store_error(res, rc, &eb);
        } else {
            snprintf(res->location, sizeof res->location, "/api/v1/schedules/%lld",
                     (long long)job.id);
            gw_reply_json(res, 201, job_json(&job));
        }
        stom_schedule_job_clear(&job);
    }
    json_decref(body);
}

/* The stored job id merged with body's fields, as a whole job's JSON (owned), or NULL. */
static json_t *merged(gw_ctx *ctx, const gw_request *req, int64_t id, const json_t *body,
                      gw_response *res)
{
    stom_schedule_job stored = {0};
    stom_errbuf eb = {0};
    int rc = stom_schedule_get(ctx->db, owner_of(req), id, &stored, &eb);
    if (rc) {
        reply_store_error(res, rc, &eb);
        return NULL;
    }
    json_t *o = job_json(&stored);
    stom_schedule_job_clear(&stored);
    for (const char *const *k =
             (const char *const[]){"id", "owner", "next_fire_at", "last_fired_at", NULL};
         *k; k++)
        json_object_del(o, *k);
    json_object_update(o, (json_t *)body);
    return o;
}

static void edit_job(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!job_id(req, &id, res))
        return;
    json_t *body = gw_body_json(ctx, req, res);
    if (!body)
        return;
    json_t *whole = gw_json_only(body, job_fields, res) ? merged(ctx, req, id, body, res) : NULL;
    stom_schedule_job job = {0};
    if (whole && read_job(ctx, req, whole, &job, res)) {
        stom_errbuf eb = {0};
        job.id = id;
        int rc = stom_schedule_update(ctx->db, owner_of(req), &job, now_ns(), &eb);
        stom_schedule_job_clear(&job);
        if (rc == 0)
            rc = stom_schedule_get(ctx->db, owner_of(req), id, &job, &eb);
        if (rc)
            reply_store_error(res, rc, &eb);
        else
            gw_reply_json(res, 200, job_json(&job));
        stom_schedule_job_clear(&job);
    }
    json_decref(whole);
    json_decref(body);
}

static void remove_job(gw_ctx *ctx, gw_request *req, gw_response *res)
{
    int64_t id;
    if (!job_id(req, &id, res))
        return;
    stom_errbuf eb = {0};
    int rc = stom_schedule_remove(ctx->db, owner_of(req), id, &eb);
    if (rc)
        reply_store_error(res, rc, &eb);
    else
        gw_reply_empty(res, 204);
}

const gw_route gw_routes_schedules[] = {
    {"GET", "/api/v1/schedules", list_jobs, GW_TRADER, GW_LIMIT_USER,
     "Your scheduled jobs (admin: all)", NULL},
    {"POST", "/api/v1/schedules", add_job, GW_TRADER, GW_LIMIT_USER, "Add a scheduled job (201)",
     NULL},
    {"PATCH", "/api/v1/schedules/{id}", edit_job, GW_TRADER, GW_LIMIT_USER,
     "Change fields of a scheduled job", NULL},
    {"DELETE", "/api/v1/schedules/{id}", remove_job, GW_TRADER, GW_LIMIT_USER,
     "Remove a scheduled job", NULL},
    {NULL, NULL, NULL, GW_PUBLIC, GW_LIMIT_NONE, NULL, NULL},
};
