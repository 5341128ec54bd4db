/*
 * gateway_run.c - following a run through the gateway (gateway_cli.h).
 *
 * The WebSocket delivers the coordinator's Progress and JobResult messages
 * as they happen; a status poll covers what the socket cannot: a run that
 * ended before the subscription, a gateway without WebSocket, a dropped
 * connection. Either way the final state comes from one last status poll,
 * so the summary's counts are the gateway's.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway_cli.h"
#include "pb_from_json.h"
#include "stom/alloc.h"
#include "stom/net_ws.h"
#include "stom/timeutil.h"

#define WS_CONNECT_MS 3000
#define WS_WAIT_MS    1000
#define POLL_MS       500

bool gateway_state_final(Stom__V1__JobState s)
{
    return s == STOM__V1__JOB_STATE__JOB_STATE_DONE || s == STOM__V1__JOB_STATE__JOB_STATE_FAILED ||
           s == STOM__V1__JOB_STATE__JOB_STATE_CANCELLED;
}

Stom__V1__JobStatus *gateway_status_from_json(const json_t *j)
{
    json_t *progress = json_deep_copy(j);
    json_t *v = json_object_get(j, "eta_s");
    if (json_is_number(v))
        json_object_set_new(progress, "eta_ms",
                            json_integer((json_int_t)(json_number_value(v) * 1000)));
    json_copy_key(progress, j, "tasks_done", "done");
    json_copy_key(progress, j, "tasks_failed", "failed");
    json_t *st = json_pack("{s:o}", "progress", progress);
    json_copy_key(st, j, "job_id", "job_id");
    if (!json_object_get(st, "job_id"))
        json_copy_key(st, j, "id", "job_id");
    json_copy_key(st, j, "state", "state");
    json_copy_key(st, j, "finished_ns", "finished_ns");
    if (json_is_object(json_object_get(j, "error")))
        json_copy_key(st, j, "error", "error");
    else if (json_is_string(json_object_get(j, "error")))
        json_object_set_new(st, "error",
                            json_pack("{s:O}", "message", json_object_get(j, "error")));
    Stom__V1__JobStatus *out =
        (Stom__V1__JobStatus *)pb_from_json(&stom__v1__job_status__descriptor, st);
    json_decref(st);
    return out;
}

typedef struct follow {
    gateway_client *g;
    const char *kind, *id;
    progress_line *pl;
    stom_ws *ws;
    int64_t started_ms;
} follow;

/* GET /<kind>/<id>/status as a JobStatus; NULL after printing why. */
static Stom__V1__JobStatus *poll_status(follow *f)
{
    char path[512];
    snprintf(path, sizeof path, "/%s/%s/status", f->kind, f->id);
    json_t *j = NULL;
    progress_line *pl = f->pl;
    if (gateway_call(f->g, "GET", path, NULL, &j, NULL) != EXIT_OK) {
        progress_clear(pl);
        return NULL;
    }
    Stom__V1__JobStatus *st = gateway_status_from_json(j);
    json_decref(j);
    /* The gateway's status has no elapsed time: the summary uses the wall clock since submit. */
    if (st->progress && !st->progress->has_elapsed_ms) {
        st->progress->has_elapsed_ms = true;
        st->progress->elapsed_ms = stom_mono_ms() - f->started_ms;
    }
    return st;
}

static void subscribe(follow *f, const char *topic)
{
    char *url = gateway_client_ws_url(f->g);
    stom_errbuf eb = {{0}};
    int rc = stom_ws_connect(&f->ws, url, WS_CONNECT_MS, &eb);
    free(url);
    json_t *msg = json_pack("{s:s, s:s}", "type", "subscribe", "topic", topic);
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (rc == STOM_OK)
        rc = stom_ws_send_text(f->ws, text, strlen(text), WS_CONNECT_MS, &eb);
    free(text);
    if (rc != STOM_OK) {
        stom_ws_close(f->ws);
        f->ws = NULL;
        if (f->pl->tty)
            fprintf(stderr, "(no live progress: %s; polling the status instead)\n", eb.msg);
    }
}

/* One WebSocket message: a progress event updates the bar; true when it says the run ended. */
static bool on_message(follow *f, const char *text, size_t len)
{
    json_t *m = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    const char *type = json_str(m, "type", "");
    const json_t *data = json_object_get(m, "data");
    bool ended = false;
    if (!strcmp(type, "event") && json_is_object(data)) {
        Stom__V1__JobStatus *st = gateway_status_from_json(data);
        ended = gateway_state_final(st->state);
        if (!ended)
            progress_update(f->pl, st);
        stom__v1__job_status__free_unpacked(st, NULL);
    } else if (!strcmp(type, "error") && f->pl->tty) {
        progress_clear(f->pl);
        fprintf(stderr, "(live progress: %s)\n", json_str(m, "message", "refused"));
    }
    json_decref(m);
    return ended;
}

/* Waits for the next WebSocket message; false when the socket is silent or gone. */
static bool wait_event(follow *f, bool *ended)
{
    char *text = NULL;
    size_t len = 0;
    stom_errbuf eb = {{0}};
    int rc = stom_ws_recv_text(f->ws, &text, &len, WS_WAIT_MS, &eb);
    if (rc == STOM_OK) {
        *ended = on_message(f, text, len);
        free(text);
        return true;
    }
    if (rc != STOM_ETIMEDOUT) {
        stom_ws_close(f->ws);
        f->ws = NULL;
    }
    return false;
}

static int cancel(follow *f)
{
    char path[512];
    snprintf(path, sizeof path, "/%s/%s", f->kind, f->id);
    progress_clear(f->pl);
    if (gateway_call(f->g, "DELETE", path, NULL, NULL, NULL) == EXIT_OK)
        cli_error("interrupted (Ctrl-C): cancelled run %s", f->id);
    else
        cli_error("interrupted (Ctrl-C); run %s may still run: stom jobs cancel %s", f->id, f->id);
    return EXIT_SIGINT;
}

/* The loop: events while they come, a status poll when they do not. */
static int wait_end(follow *f, Stom__V1__JobStatus **final)
{
    for (;;) {
        if (cli_interrupted())
            return cancel(f);
        bool ended = false;
        if (f->ws && wait_event(f, &ended) && !ended)
            continue;
        if (!f->ws && !ended)
            cli_sleep_ms(POLL_MS);
        if (cli_interrupted())
            return cancel(f);
        Stom__V1__JobStatus *st = poll_status(f);
        if (st == NULL) {
            cli_error("run %s may still be running: see stom jobs show %s", f->id, f->id);
            return EXIT_INTERNAL;
        }
        if (gateway_state_final(st->state)) {
            *final = st;
            return EXIT_OK;
        }
        progress_update(f->pl, st);
        stom__v1__job_status__free_unpacked(st, NULL);
    }
}

int gateway_submit_run(gateway_client *g, const char *kind, const json_t *body, char **id,
                       json_t **answer)
{
    char path[64], buf[32];
    snprintf(path, sizeof path, "/%s", kind);
    int rc = gateway_call(g, "POST", path, body, answer, NULL);
    if (rc != EXIT_OK)
        return rc;
    json_t *v = json_object_get(*answer, "id");
    if (!json_is_string(v) && !json_is_integer(v)) {
        cli_error("the gateway accepted the run but sent no id");
        json_decref(*answer);
        *answer = NULL;
        return EXIT_INTERNAL;
    }
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    *id = stom_xstrdup(json_is_string(v) ? json_string_value(v) : buf);
    return EXIT_OK;
}

int gateway_follow_run(gateway_client *g, const char *kind, const char *id, const char *topic,
                       progress_line *pl, Stom__V1__JobStatus **final)
{
    char default_topic[256];
    snprintf(default_topic, sizeof default_topic, "backtest.%s", id);
    follow f = {g, kind, id, pl, NULL, stom_mono_ms()};
    cli_catch_sigint();
    subscribe(&f, topic ? topic : default_topic);
    int rc = wait_end(&f, final);
    stom_ws_close(f.ws);
    return rc;
}
