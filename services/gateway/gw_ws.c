/*
 * gw_ws.c - the WebSocket hub: its lifecycle, the inbox other threads
 * hand events and check answers through, the fan-out of events to
 * subscribers, and the lws protocol callback (see gw_ws.h).
 *
 * Other threads (the SUB reader, the ownership checker, any caller of
 * gw_ws_publish) only append to the inbox under hub->lock and call
 * lws_cancel_service; the service thread drains the inbox on
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED, builds each event's text once,
 * queues it for every subscriber and asks for writeable callbacks.
 *
 * The lws protocol table is const, so the callback finds the hub through
 * one process-wide pointer set by gw_ws_hub_attach: one hub per process.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_ws_internal.h"
#include "gw_ws_owner.h"
#include "stom/alloc.h"
#include "stom/bus_nng.h"

struct gw_ws_item {
    gw_ws_item *next;
    int64_t user_changed; /* > 0: this user's account changed (and nothing else) */
    uint64_t client;      /* 0: an event; otherwise a check answer for this client */
    gw_ws_verdict verdict;
    gw_role role;  /* an account check's answer */
    int64_t owner; /* an event's receivers (gw_ws_owner.h) */
    char topic[GW_WS_TOPIC_MAX + 1];
    size_t len;
    char text[]; /* an event's data as compact JSON */
};

static gw_ws_hub *the_hub;             /* set by attach; only the service thread reads it */
static gw_ws_hub *_Atomic current_hub; /* the same, for other threads (gw_ws_current) */

/* Appends item to the inbox and wakes the service thread. Takes item. */
static void inbox_push(gw_ws_hub *hub, gw_ws_item *item)
{
    pthread_mutex_lock(&hub->lock);
    if (hub->in_count >= GW_WS_INBOX_MAX) {
        pthread_mutex_unlock(&hub->lock);
        if (atomic_fetch_add(&hub->stats.dropped_overload, 1) == 0)
            fprintf(stderr, "stom-gateway: ws: inbox full (%d), events dropped\n", GW_WS_INBOX_MAX);
        free(item);
        return;
    }
    if (hub->in_tail)
        hub->in_tail->next = item;
    else
        hub->in_head = item;
    hub->in_tail = item;
    hub->in_count++;
    /* Under the lock: the context cannot be destroyed between the check and the call. */
    if (hub->context)
        lws_cancel_service(hub->context);
    pthread_mutex_unlock(&hub->lock);
}

void gw_ws_publish(gw_ws_hub *hub, const char *topic, const json_t *data)
{
    gw__ws_publish_scoped(hub, topic, data, GW_WS_OWNER_ANY);
}

void gw__ws_publish_scoped(gw_ws_hub *hub, const char *topic, const json_t *data, int64_t owner)
{
    size_t tlen = strlen(topic);
    if (tlen > GW_WS_TOPIC_MAX)
        return;
    char *text = json_dumps(data, JSON_COMPACT);
    if (!text)
        return;
    size_t len = strlen(text);
    gw_ws_item *item = stom_xmalloc(sizeof *item + len + 1);
    item->next = NULL;
    item->user_changed = 0;
    item->client = 0;
    item->verdict = GW_WS_ALLOWED;
    item->owner = owner;
    memcpy(item->topic, topic, tlen + 1);
    item->len = len;
    memcpy(item->text, text, len + 1);
    free(text);
    inbox_push(hub, item);
}

void gw_ws_user_changed(gw_ws_hub *hub, int64_t user_id)
{
    gw_ws_item *item = stom_xcalloc(1, sizeof *item + 1);
    item->user_changed = user_id;
    inbox_push(hub, item);
}

/* Closes every session of user id: they sign in again and get what the account allows now. */
static void end_sessions_of(gw_ws_hub *hub, int64_t id)
{
    for (gw_ws_client *c = hub->clients; c; c = c->next)
        if (c->authed && c->user.id == id)
            gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account changed");
}

/* The checker's answer, on the checker thread. */
static void on_checked(void *arg, uint64_t client, const char *topic, gw_ws_verdict verdict,
                       gw_role role)
{
    gw_ws_item *item = stom_xcalloc(1, sizeof *item + 1);
    item->client = client;
    item->verdict = verdict;
    item->role = role;
    snprintf(item->topic, sizeof item->topic, "%s", topic);
    inbox_push(arg, item);
}

void gw__ws_close_after_flush(gw_ws_client *c, enum lws_close_status status, const char *reason)
{
    if (c->closing)
        return;
    c->closing = true;
    c->close_status = status;
    snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_REASON_BASE + 1, GW_WS_CLOSE_GRACE_S);
    lws_callback_on_writable(c->wsi);
}

/* Drops c's queue and closes it with "too slow". */
static void too_slow(gw_ws_hub *hub, gw_ws_client *c)
{
    atomic_fetch_sub(&hub->stats.queued, c->q.count);
    gw__ws_queue_clear(&c->q);
    atomic_fetch_add(&hub->stats.disconnected_slow, 1);
    c->closing = false; /* a pending polite close becomes this one */
    gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too slow");
}

void gw__ws_enqueue(gw_ws_hub *hub, gw_ws_client *c, gw_ws_msg *m)
{
    switch (gw__ws_queue_push(&c->q, m)) {
    case GW_WS_PUSH_QUEUED:
        atomic_fetch_add(&hub->stats.queued, 1);
        break;
    case GW_WS_PUSH_CONFLATED:
        atomic_fetch_add(&hub->stats.dropped_conflated, 1);
        break;
    case GW_WS_PUSH_FULL:
        too_slow(hub, c);
        break;
    }
}

static bool is_subscribed(const gw_ws_client *c, const gw_ws_topic *t)
{
    for (size_t i = 0; i < c->n_topics; i++)
        if (c->topics[i] == t)
            return true;
    return false;
}

/* Whether c may receive an event for owner: its owner's sessions and admins'. */
static bool may_receive(const gw_ws_client *c, int64_t owner)
{
    if (owner == GW_WS_OWNER_ANY || c->user.role == GW_ROLE_ADMIN)
        return true;
    if (c->user.role < GW_ROLE_TRADER)
        return false;
    return owner == GW_WS_OWNER_TRADERS || (owner > 0 && c->user.id == owner);
}

/* Queues one event for every subscriber of its topic that may see it. */
static void deliver(gw_ws_hub *hub, const gw_ws_item *item)
{
    atomic_fetch_add(&hub->stats.messages_in, 1);
    gw_ws_topic *t = gw__ws_topics_find(&hub->topics, item->topic);
    if (!t)
        return; /* nobody listens */
    t->seq++;
    /* The topic is checked ASCII without quotes or backslashes: no escaping needed. */
    size_t cap = item->len + strlen(t->name) + 96;
    char *text = stom_xmalloc(cap);
    int n =
        snprintf(text, cap, "{\"type\":\"event\",\"topic\":\"%s\",\"seq\":%" PRIu64 ",\"data\":%s}",
                 t->name, t->seq, item->text);
    gw_ws_msg *m = gw__ws_msg_new(text, (size_t)n, t->kind == GW_WS_KIND_MARKET ? t : NULL);
    free(text);
    for (gw_ws_client *c = hub->clients; c; c = c->next)
        if (!c->closing && is_subscribed(c, t) && may_receive(c, item->owner))
            gw__ws_enqueue(hub, c, m);
    gw__ws_msg_unref(m);
}

static void answer_check(gw_ws_hub *hub, const gw_ws_item *item)
{
    for (gw_ws_client *c = hub->clients; c; c = c->next) {
        if (c->id == item->client) {
            gw__ws_session_checked(hub, c, item->topic, item->verdict, item->role);
            return;
        }
    }
}

/* Takes everything from the inbox, handles it and asks to write where there is work. */
static void drain(gw_ws_hub *hub)
{
    pthread_mutex_lock(&hub->lock);
    gw_ws_item *item = hub->in_head;
    hub->in_head = hub->in_tail = NULL;
    hub->in_count = 0;
    pthread_mutex_unlock(&hub->lock);
    while (item) {
        gw_ws_item *next = item->next;
        if (item->user_changed)
            end_sessions_of(hub, item->user_changed);
        else if (item->client)
            answer_check(hub, item);
        else
            deliver(hub, item);
        free(item);
        item = next;
    }
    for (gw_ws_client *c = hub->clients; c; c = c->next)
        if (c->q.count || c->closing)
            lws_callback_on_writable(c->wsi);
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
    gw_ws_hub *hub = the_hub;
    gw_ws_client *c = user;
    char path[256];
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        if (!hub || lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) <= 0)
            return 1;
        return gw__ws_path_ok(path) ? 0 : 1;
    case LWS_CALLBACK_ESTABLISHED:
        if (!hub)
            return -1;
        gw__ws_session_open(hub, c, wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        if (hub && c->wsi)
            gw__ws_session_receive(hub, c, in, len);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return hub && c->wsi ? gw__ws_session_writeable(hub, c) : 0;
    case LWS_CALLBACK_CLOSED:
        if (hub && c->wsi)
            gw__ws_session_closed(hub, c);
        return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (hub)
            drain(hub);
        return 0;
    case LWS_CALLBACK_PROTOCOL_DESTROY:
        if (hub) {
            pthread_mutex_lock(&hub->lock);
            hub->context = NULL;
            pthread_mutex_unlock(&hub->lock);
        }
        return 0;
    default:
        return 0;
    }
}

const struct lws_protocols gw_ws_protocol = {
    .name = "stom.v1",
    .callback = ws_callback,
    .per_session_data_size = sizeof(gw_ws_client),
    .rx_buffer_size = 4096,
};

/* Appends list's comma-separated URLs (copied into bufs) to urls at *n. */
static int split_market_urls(const char *list, char bufs[][STOM_BUS_URL_MAX + 1], const char **urls,
                             size_t *n, stom_errbuf *eb)
{
    size_t count = 0;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            if (count == GW_MARKET_URLS_MAX)
                return stom_errorf(eb, STOM_EINVAL, "--market: more than %d URLs",
                                   GW_MARKET_URLS_MAX);
            if (len > STOM_BUS_URL_MAX)
                return stom_errorf(eb, STOM_EINVAL, "--market: a URL of %zu characters", len);
            memcpy(bufs[count], p, len);
            bufs[count][len] = '\0';
            urls[(*n)++] = bufs[count++];
        }
        p += len + (p[len] == ',');
    }
    return 0;
}

int gw_ws_hub_start(gw_ws_hub **out, const gw_config *cfg, stom_errbuf *eb)
{
    gw_ws_hub *hub = stom_xcalloc(1, sizeof *hub);
    hub->cfg = cfg;
    pthread_mutex_init(&hub->lock, NULL);
    int rc = 0;
    if (cfg->database)
        rc = gw__ws_check_start(&hub->check, cfg->database, on_checked, hub, eb);
    char market[GW_MARKET_URLS_MAX][STOM_BUS_URL_MAX + 1];
    const char *urls[2 + GW_MARKET_URLS_MAX] = {cfg->coordinator_events, cfg->engine_events};
    size_t n = 2;
    if (!rc)
        rc = split_market_urls(cfg->market, market, urls, &n, eb);
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any = any || urls[i];
    if (!rc && any)
        rc = gw__ws_sub_start(&hub->sub, hub, urls, n, cfg->database, eb);
    if (rc) {
        gw__ws_check_stop(hub->check);
        pthread_mutex_destroy(&hub->lock);
        free(hub);
        return rc == STOM_EINVAL ? STOM_EINVAL : STOM_EIO;
    }
    *out = hub;
    return 0;
}

gw_ws_hub *gw_ws_current(void)
{
    return atomic_load(&current_hub);
}

void gw_ws_hub_attach(gw_ws_hub *hub, struct lws_context *context)
{
    pthread_mutex_lock(&hub->lock);
    hub->context = context;
    the_hub = hub;
    atomic_store(&current_hub, hub);
    /* Events may have arrived before the context existed. */
    lws_cancel_service(context);
    pthread_mutex_unlock(&hub->lock);
}

void gw_ws_hub_stop(gw_ws_hub *hub)
{
    if (!hub)
        return;
    gw__ws_sub_stop(hub->sub);
    gw__ws_check_stop(hub->check);
    if (the_hub == hub)
        the_hub = NULL;
    gw_ws_hub *expected = hub;
    atomic_compare_exchange_strong(&current_hub, &expected, NULL);
    gw_ws_item *item = hub->in_head;
    while (item) {
        gw_ws_item *next = item->next;
        free(item);
        item = next;
    }
    gw__ws_topics_clear(&hub->topics);
    pthread_mutex_destroy(&hub->lock);
    free(hub);
}

void gw_ws_get_stats(gw_ws_hub *hub, gw_ws_stats *out)
{
    out->clients = atomic_load(&hub->stats.clients);
    out->messages_in = atomic_load(&hub->stats.messages_in);
    out->messages_out = atomic_load(&hub->stats.messages_out);
    out->dropped_conflated = atomic_load(&hub->stats.dropped_conflated);
    out->disconnected_slow = atomic_load(&hub->stats.disconnected_slow);
    out->queued = atomic_load(&hub->stats.queued);
    out->dropped_overload = atomic_load(&hub->stats.dropped_overload);
}

void gw_ws_stats_json(gw_ws_hub *hub, json_t **out)
{
    gw_ws_stats s;
    gw_ws_get_stats(hub, &s);
    *out = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "clients", (json_int_t)s.clients, "messages_in",
        (json_int_t)s.messages_in, "messages_out", (json_int_t)s.messages_out, "dropped_conflated",
        (json_int_t)s.dropped_conflated, "disconnected_slow", (json_int_t)s.disconnected_slow,
        "queued", (json_int_t)s.queued, "dropped_overload", (json_int_t)s.dropped_overload);
}
