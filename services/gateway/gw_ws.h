/*
 * gw_ws.h - the gateway's WebSocket hub (/api/v1/ws and the shortcut
 * paths /ws/market, /ws/orders, /ws/positions, /ws/risk, /ws/strategy,
 * /ws/surge).
 *
 * A client authenticates with its access token (query "?token=" or a first
 * message {"type":"auth","token":...}; nothing else is accepted before),
 * then subscribes and unsubscribes to topics with JSON messages:
 *   {"type":"subscribe","topic":"backtest.<job>"}   -> {"type":"subscribed",...}
 *   {"type":"unsubscribe","topic":...}, {"type":"ping"} -> {"type":"pong"}
 * Messages to the client: {"type":"event","topic":...,"seq":N,"data":{...}}
 * (seq counts the topic's events while it has subscribers: a market gap is
 * conflation), {"type":"authenticated","user":{id,username,role}}, and
 * {"type":"error","code":...,"message":...[,"topic"]} for anything refused.
 * /ws/market?symbols=A,B subscribes market.A and market.B.
 * A backtest topic is allowed only to the run's owner (checked on a worker).
 * The engine topics (orders, positions, risk, strategy, surge) need the
 * trader role; an engine event reaches only the sessions of its account's
 * owner and admins (surge and a halt of all trading: every trader). seq
 * counts a topic's events of every account, so on a scoped topic a client
 * sees gaps where other users' events were: never a loss, since these
 * events are never dropped.
 *
 * Each client has a bounded queue (GW_WS_QUEUE messages). Market topics
 * (market.*) are conflated to the latest message per topic; every other
 * event is never dropped: a client whose queue is full of them is
 * disconnected with close reason "too slow".
 *
 * Events come from the platform's PUB sockets (the coordinator's bt.<job>,
 * the engine's eng.*), read by one nng SUB thread and handed to the
 * service thread through a locked inbox and lws_cancel_service.
 *
 * Thread-safety: gw_ws_publish may be called from any thread; everything
 * else runs on the lws service thread.
 */
#ifndef STOM_GW_WS_H
#define STOM_GW_WS_H

#include <libwebsockets.h>

#include "gw.h"

#define GW_WS_QUEUE      256   /* messages queued per client */
#define GW_WS_MSG_MAX    65536 /* largest client message */
#define GW_WS_TOPICS_MAX 64    /* subscriptions per client */

typedef struct gw_ws_hub gw_ws_hub;

typedef struct gw_ws_stats {
    uint64_t clients, messages_in, messages_out, dropped_conflated, disconnected_slow;
    uint64_t queued;           /* messages waiting in all client queues */
    uint64_t dropped_overload; /* events refused because the hub's inbox was full */
} gw_ws_stats;

/*
 * Creates the hub; starts its SUB thread on cfg->coordinator_events,
 * cfg->engine_events and each of cfg->market's comma-separated URLs (any
 * may be NULL; none: no thread; more than GW_MARKET_URLS_MAX market URLs or
 * one over STOM_BUS_URL_MAX: STOM_EINVAL) and, when
 * cfg->database is set, its ownership-check thread with its own
 * connection. Borrows cfg (must outlive the hub). 0, STOM_EINVAL (a bad
 * url) or STOM_EIO.
 */
int gw_ws_hub_start(gw_ws_hub **out, const gw_config *cfg, stom_errbuf *eb);
/*
 * Binds the hub to the lws context (after lws_create_context, before
 * service). One hub per process: the const protocol entry finds it here.
 * The vhost must list gw_ws_protocol and route WebSocket upgrades without
 * a subprotocol to it (the lws per-vhost option "default" on "stom.v1").
 */
void gw_ws_hub_attach(gw_ws_hub *hub, struct lws_context *context);
/* Stops the threads and frees the hub. Call after lws_context_destroy. NULL: no-op. */
void gw_ws_hub_stop(gw_ws_hub *hub);

/* The lws protocol entry for WebSocket upgrades; user data is the hub (set by attach). */
extern const struct lws_protocols gw_ws_protocol;

/* Queues data (a JSON object, borrowed) on topic for every subscriber. Any thread. */
void gw_ws_publish(gw_ws_hub *hub, const char *topic, const json_t *data);
/*
 * Closes every WebSocket session of user_id with close reason "account
 * changed" (after an admin changed their role or disabled them), so that
 * what they receive follows the account's current state. Any thread.
 */
void gw_ws_user_changed(gw_ws_hub *hub, int64_t user_id);
/* A snapshot of the counters. Any thread. */
void gw_ws_get_stats(gw_ws_hub *hub, gw_ws_stats *out);
/*
 * The counters as a JSON object (returned owned in *out), the body of
 * GET /api/v1/ws/stats (admin). Any thread.
 */
void gw_ws_stats_json(gw_ws_hub *hub, json_t **out);
/* The attached hub, or NULL (none, or stopped); for routes on worker threads,
 * which all end before the hub stops. Any thread. */
gw_ws_hub *gw_ws_current(void);

#endif
