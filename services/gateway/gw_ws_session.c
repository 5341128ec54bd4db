/*
 * gw_ws_session.c - one WebSocket client's protocol: authentication,
 * subscribe/unsubscribe with the topic permissions, ping, and writing its
 * queue one message per writeable callback (see gw_ws.h for the messages).
 *
 * Bad input never closes an authenticated connection: malformed JSON, a
 * binary frame, an over-long message, an unknown type or a refused topic
 * each get {"type":"error","code":...,"message":...}. Before
 * authentication, anything but a valid auth message gets that error and
 * then a close (1008).
 *
 * Thread-safety: the lws service thread only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_auth.h"
#include "gw_ws_internal.h"
#include "stom/alloc.h"

static const char *const shortcut_paths[][2] = {
    {"/api/v1/ws", ""},           {"/ws/market", ""},
    {"/ws/orders", "orders"},     {"/ws/positions", "positions"},
    {"/ws/surge", "surge"},       {"/ws/risk", "risk"},
    {"/ws/strategy", "strategy"},
};
#define N_PATHS (sizeof shortcut_paths / sizeof shortcut_paths[0])

bool gw__ws_path_ok(const char *path)
{
    for (size_t i = 0; i < N_PATHS; i++)
        if (strcmp(path, shortcut_paths[i][0]) == 0)
            return true;
    return false;
}

/* Queues obj (taken) as a text message for c. */
static void send_json(gw_ws_hub *hub, gw_ws_client *c, json_t *obj)
{
    char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    if (!text)
        return;
    gw_ws_msg *m = gw__ws_msg_new(text, strlen(text), NULL);
    free(text);
    gw__ws_enqueue(hub, c, m);
    gw__ws_msg_unref(m);
    lws_callback_on_writable(c->wsi);
}

/* Queues {"type":"error","code","message"[,"topic"]} for c. */
static void send_error(gw_ws_hub *hub, gw_ws_client *c, const char *code, const char *topic,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void send_error(gw_ws_hub *hub, gw_ws_client *c, const char *code, const char *topic,
                       const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_t *obj = json_pack("{s:s,s:s,s:s}", "type", "error", "code", code, "message", message);
    if (obj && topic)
        json_object_set_new(obj, "topic", json_string(topic));
    send_json(hub, c, obj);
}

static void send_topic(gw_ws_hub *hub, gw_ws_client *c, const char *type, const char *topic)
{
    send_json(hub, c, json_pack("{s:s,s:s}", "type", type, "topic", topic));
}

static gw_ws_topic *find_topic(const gw_ws_client *c, const char *topic, size_t *at)
{
    for (size_t i = 0; i < c->n_topics; i++) {
        if (strcmp(c->topics[i]->name, topic) == 0) {
            if (at)
                *at = i;
            return c->topics[i];
        }
    }
    return NULL;
}

/* Subscribes c (allowed already) and answers "subscribed". */
static void add_topic(gw_ws_hub *hub, gw_ws_client *c, const char *topic, gw_ws_kind kind)
{
    if (!find_topic(c, topic, NULL)) {
        if (c->n_topics >= GW_WS_TOPICS_MAX) {
            send_error(hub, c, "too_many_topics", topic, "at most %d subscriptions per connection",
                       GW_WS_TOPICS_MAX);
            return;
        }
        c->topics[c->n_topics++] = gw__ws_topics_join(&hub->topics, topic, kind);
    }
    send_topic(hub, c, "subscribed", topic);
}

static void subscribe(gw_ws_hub *hub, gw_ws_client *c, const char *topic)
{
    gw_ws_kind kind;
    char why[256];
    if (!gw__ws_topic_check(topic, strlen(topic), &kind, why, sizeof why)) {
        send_error(hub, c, "invalid_topic", topic, "%s", why);
        return;
    }
    if (find_topic(c, topic, NULL)) {
        send_topic(hub, c, "subscribed", topic);
        return;
    }
    if (c->n_topics + c->checks >= GW_WS_TOPICS_MAX) {
        send_error(hub, c, "too_many_topics", topic, "at most %d subscriptions per connection",
                   GW_WS_TOPICS_MAX);
        return;
    }
    if (kind != GW_WS_KIND_BACKTEST && kind != GW_WS_KIND_MARKET && c->user.role < GW_ROLE_TRADER) {
        send_error(hub, c, "forbidden", topic, "%s needs the trader or admin role", topic);
        return;
    }
    if (kind != GW_WS_KIND_BACKTEST) {
        add_topic(hub, c, topic, kind);
        return;
    }
    /* A run's owner is in PostgreSQL: the checker thread answers later (gw__ws_session_checked). */
    if (!hub->check) {
        send_error(hub, c, "unavailable", topic, "backtest topics are unavailable (no database)");
    } else if (!gw__ws_check_submit(hub->check, c->id, c->user.id, topic)) {
        send_error(hub, c, "unavailable", topic, "too many subscriptions being checked; try again");
    } else {
        c->checks++;
    }
}

/*
 * The account behind c's token, as PostgreSQL has it now: a disabled or
 * removed account is closed, a lower role than the token claims closes the
 * session too (what it subscribed may no longer be allowed), a higher one
 * is taken.
 */
static void account_checked(gw_ws_hub *hub, gw_ws_client *c, gw_ws_verdict v, gw_role role)
{
    if (c->closing || v == GW_WS_UNAVAILABLE)
        return; /* the token's claims stand */
    if (v == GW_WS_REFUSED) {
        send_error(hub, c, "unauthorized", NULL, "account disabled or removed");
        gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account disabled");
    } else if (role < c->user.role) {
        gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "account changed");
    } else {
        c->user.role = role;
    }
}

void gw__ws_session_checked(gw_ws_hub *hub, gw_ws_client *c, const char *topic, gw_ws_verdict v,
                            gw_role role)
{
    if (!topic[0]) {
        account_checked(hub, c, v, role);
        return;
    }
    c->checks--;
    if (c->closing)
        return;
    if (v == GW_WS_ALLOWED)
        add_topic(hub, c, topic, GW_WS_KIND_BACKTEST);
    else if (v == GW_WS_REFUSED)
        /* The same words whether the run does not exist or is someone else's. */
        send_error(hub, c, "forbidden", topic, "no run of yours has this topic");
    else
        send_error(hub, c, "unavailable", topic, "the database is unavailable; try again");
}

static void unsubscribe(gw_ws_hub *hub, gw_ws_client *c, const char *topic)
{
    size_t at;
    gw_ws_topic *t = find_topic(c, topic, &at);
    if (!t) {
        send_error(hub, c, "not_subscribed", topic, "not subscribed to this topic");
        return;
    }
    c->topics[at] = c->topics[--c->n_topics];
    gw__ws_topics_leave(&hub->topics, t);
    send_topic(hub, c, "unsubscribed", topic);
}

/* Subscribes the comma-separated topics of c->after_auth (a shortcut path's). */
static void subscribe_after_auth(gw_ws_hub *hub, gw_ws_client *c)
{
    char *save = NULL;
    for (char *t = strtok_r(c->after_auth, ",", &save); t; t = strtok_r(NULL, ",", &save))
        subscribe(hub, c, t);
    c->after_auth[0] = '\0';
}

static void authenticate(gw_ws_hub *hub, gw_ws_client *c, const char *token)
{
    stom_errbuf eb = {{0}};
    gw_user u;
    if (!token || gw_access_verify(hub->cfg, token, &u, &eb) != 0) {
        /* eb says why (expired, wrong audience, ...) and never contains the token. */
        send_error(hub, c, "unauthorized", NULL, "invalid access token%s%s", token ? ": " : "",
                   token ? eb.msg : "");
        gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "unauthorized");
        return;
    }
    c->authed = true;
    c->user = u;
    lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
    /* The token says who; the account's current state follows from the checker (a full queue
     * leaves the token's claims, as a database that is down does). */
    if (hub->check)
        gw__ws_check_submit(hub->check, c->id, u.id, "");
    static const char *const roles[] = {"none", "user", "trader", "admin"};
    send_json(hub, c,
              json_pack("{s:s,s:{s:I,s:s,s:s}}", "type", "authenticated", "user", "id",
                        (json_int_t)u.id, "username", u.username, "role",
                        roles[u.role <= GW_ROLE_ADMIN ? u.role : 0]));
    subscribe_after_auth(hub, c);
}

/* Handles one authenticated client's message of type (obj is borrowed). */
static void dispatch(gw_ws_hub *hub, gw_ws_client *c, const char *type, json_t *obj)
{
    if (strcmp(type, "ping") == 0) {
        send_json(hub, c, json_pack("{s:s}", "type", "pong"));
        return;
    }
    if (strcmp(type, "auth") == 0) {
        send_error(hub, c, "invalid_message", NULL, "already authenticated");
        return;
    }
    bool sub = strcmp(type, "subscribe") == 0;
    if (!sub && strcmp(type, "unsubscribe") != 0) {
        send_error(hub, c, "unknown_type", NULL,
                   "unknown message type; expected subscribe, unsubscribe or ping");
        return;
    }
    const char *topic = json_string_value(json_object_get(obj, "topic"));
    if (!topic) {
        send_error(hub, c, "invalid_message", NULL, "\"topic\" (a string) is required");
        return;
    }
    if (sub)
        subscribe(hub, c, topic);
    else
        unsubscribe(hub, c, topic);
}

/* Handles one complete text message (len bytes, not NUL-terminated). */
static void handle_message(gw_ws_hub *hub, gw_ws_client *c, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *type = obj ? json_string_value(json_object_get(obj, "type")) : NULL;
    if (!obj)
        send_error(hub, c, "invalid_json", NULL, "malformed JSON at line %d, column %d: %s",
                   jerr.line, jerr.column, jerr.text);
    else if (!json_is_object(obj) || !type)
        send_error(hub, c, "invalid_message", NULL,
                   "a message is a JSON object with a string \"type\"");
    else if (!c->authed && strcmp(type, "auth") != 0)
        send_error(hub, c, "unauthorized", NULL,
                   "authenticate first: {\"type\":\"auth\",\"token\":...}");
    if (!c->authed) {
        if (type && strcmp(type, "auth") == 0)
            authenticate(hub, c, json_string_value(json_object_get(obj, "token")));
        else
            gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "unauthorized");
    } else if (type) {
        dispatch(hub, c, type, obj);
    }
    json_decref(obj);
}

/* Ends the message being received: handles it or says why not. */
static void finish_message(gw_ws_hub *hub, gw_ws_client *c, const char *text, size_t len)
{
    c->rx_active = false;
    if (c->rx_over)
        send_error(hub, c, "too_large", NULL, "a message may have at most %d bytes", GW_WS_MSG_MAX);
    else if (c->rx_binary)
        send_error(hub, c, "invalid_message", NULL, "only text messages (JSON) are accepted");
    else
        handle_message(hub, c, text, len);
    if (!c->authed && (c->rx_over || c->rx_binary))
        gw__ws_close_after_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "unauthorized");
    free(c->rx);
    c->rx = NULL;
    c->rx_len = 0;
}

void gw__ws_session_receive(gw_ws_hub *hub, gw_ws_client *c, const void *in, size_t len)
{
    if (c->closing)
        return;
    if (!c->rx_active) {
        c->rx_active = true;
        c->rx_over = false;
        c->rx_binary = lws_frame_is_binary(c->wsi);
        c->rx_len = 0;
    }
    bool final = lws_is_final_fragment(c->wsi);
    if (final && !c->rx && !c->rx_over) {
        /* The whole message came in one piece (the usual case): no copy. */
        c->rx_over = len > GW_WS_MSG_MAX;
        finish_message(hub, c, in, len);
        return;
    }
    /* Pieces are kept up to the limit; beyond it they are only counted out. */
    if (!c->rx_over && c->rx_len + len <= GW_WS_MSG_MAX) {
        if (!c->rx)
            c->rx = stom_xmalloc(GW_WS_MSG_MAX);
        memcpy(c->rx + c->rx_len, in, len);
        c->rx_len += len;
    } else {
        c->rx_over = true;
    }
    if (final)
        finish_message(hub, c, c->rx, c->rx_len);
}

/* Reads the shortcut path's topics into c->after_auth. */
static void read_path(gw_ws_client *c, struct lws *wsi)
{
    char path[256] = "";
    lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI);
    for (size_t i = 0; i < N_PATHS; i++)
        if (strcmp(path, shortcut_paths[i][0]) == 0)
            snprintf(c->after_auth, sizeof c->after_auth, "%s", shortcut_paths[i][1]);
    if (strcmp(path, "/ws/market") != 0)
        return;
    /* /ws/market?symbols=A,B subscribes market.A and market.B. */
    char buf[GW_WS_AFTER_AUTH_MAX / 2];
    const char *symbols = lws_get_urlarg_by_name(wsi, "symbols=", buf, sizeof buf);
    size_t used = 0;
    char *save = NULL;
    char *copy = symbols ? stom_xstrdup(symbols) : NULL;
    for (char *s = copy ? strtok_r(copy, ",", &save) : NULL; s; s = strtok_r(NULL, ",", &save)) {
        int n = snprintf(c->after_auth + used, sizeof c->after_auth - used, "%smarket.%s",
                         used ? "," : "", s);
        if (n < 0 || (size_t)n >= sizeof c->after_auth - used) {
            c->after_auth[used] = '\0';
            break;
        }
        used += (size_t)n;
    }
    free(copy);
}

void gw__ws_session_open(gw_ws_hub *hub, gw_ws_client *c, struct lws *wsi)
{
    c->wsi = wsi;
    c->id = ++hub->next_id;
    c->next = hub->clients;
    if (hub->clients)
        hub->clients->prev = c;
    hub->clients = c;
    atomic_fetch_add(&hub->stats.clients, 1);
    read_path(c, wsi);
    char buf[2048];
    const char *token = lws_get_urlarg_by_name(wsi, "token=", buf, sizeof buf);
    if (token) {
        authenticate(hub, c, token);
        return;
    }
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_REASON_BASE + 2, GW_WS_AUTH_TIMEOUT_S);
}

int gw__ws_session_writeable(gw_ws_hub *hub, gw_ws_client *c)
{
    gw_ws_msg *m = gw__ws_queue_pop(&c->q);
    if (!m) {
        if (!c->closing)
            return 0;
        lws_close_reason(c->wsi, c->close_status, (unsigned char *)c->close_reason,
                         strlen(c->close_reason));
        return -1;
    }
    atomic_fetch_sub(&hub->stats.queued, 1);
    int n = lws_write(c->wsi, gw__ws_msg_payload(m), m->len, LWS_WRITE_TEXT);
    size_t len = m->len;
    gw__ws_msg_unref(m);
    if (n < (int)len)
        return -1;
    atomic_fetch_add(&hub->stats.messages_out, 1);
    if (c->q.count || c->closing)
        lws_callback_on_writable(c->wsi);
    return 0;
}

void gw__ws_session_closed(gw_ws_hub *hub, gw_ws_client *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        hub->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    for (size_t i = 0; i < c->n_topics; i++)
        gw__ws_topics_leave(&hub->topics, c->topics[i]);
    c->n_topics = 0;
    atomic_fetch_sub(&hub->stats.queued, c->q.count);
    gw__ws_queue_clear(&c->q);
    free(c->rx);
    c->rx = NULL;
    c->wsi = NULL;
    atomic_fetch_sub(&hub->stats.clients, 1);
}
