/*
 * gw_ws_topic.h - the WebSocket hub's topics (internal to the hub): which
 * names a client may ask for, how bus topics become WebSocket topics, and
 * the registry of topics someone is subscribed to.
 *
 * WebSocket topics: "backtest.<job>", "orders", "positions", "risk",
 * "strategy", "surge", "market.<symbol>" (<job> and <symbol>: 1 to 64 of
 * [A-Za-z0-9_-]). Bus topics map as bt.<job> -> backtest.<job>,
 * eng.<kind> -> <kind> for the five engine topics, md.<broker>.<symbol> ->
 * market.<symbol>; every other bus topic has no WebSocket topic. The
 * engine topics but surge are scoped: an event reaches only the sessions
 * of its account's owner and admins (gw_ws_owner.h).
 *
 * A registry entry exists while at least one client is subscribed; it
 * carries the topic's event counter (the "seq" clients see) and serves as
 * the conflation key of market topics.
 *
 * Thread-safety: the check and mapping functions are reentrant; a registry
 * belongs to the lws service thread.
 */
#ifndef STOM_GW_WS_TOPIC_H
#define STOM_GW_WS_TOPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GW_WS_TOPIC_MAX 80 /* longest WebSocket topic, without the NUL */

typedef enum gw_ws_kind {
    GW_WS_KIND_BACKTEST = 0,
    GW_WS_KIND_ORDERS,
    GW_WS_KIND_POSITIONS,
    GW_WS_KIND_SURGE,
    GW_WS_KIND_MARKET,
    GW_WS_KIND_RISK,
    GW_WS_KIND_STRATEGY
} gw_ws_kind;

/*
 * Checks the len bytes at topic (need not be NUL-terminated) as a
 * WebSocket topic and sets *kind. Returns false with a sentence for the
 * client in why (len bytes) when it is not one. Borrows topic.
 */
bool gw__ws_topic_check(const char *topic, size_t len, gw_ws_kind *kind, char *why, size_t why_len);

/*
 * Writes the WebSocket topic of bus topic (len bytes) into out (at least
 * GW_WS_TOPIC_MAX + 1 bytes). Returns false when the bus topic has none.
 */
bool gw__ws_topic_from_bus(const char *bus, size_t len, char *out);

typedef struct gw_ws_topic {
    struct gw_ws_topic *next; /* hash chain */
    char name[GW_WS_TOPIC_MAX + 1];
    gw_ws_kind kind;
    uint64_t seq; /* events sent on this topic since its entry was made */
    size_t subs;  /* subscribed clients */
} gw_ws_topic;

#define GW_WS_TOPIC_BUCKETS 1024

typedef struct gw_ws_topics {
    gw_ws_topic *buckets[GW_WS_TOPIC_BUCKETS];
    size_t count;
} gw_ws_topics;

/* The entry of name, or NULL. Borrows name. */
gw_ws_topic *gw__ws_topics_find(gw_ws_topics *t, const char *name);
/* Adds a subscriber to name (checked already), making its entry if needed. Returns the entry. */
gw_ws_topic *gw__ws_topics_join(gw_ws_topics *t, const char *name, gw_ws_kind kind);
/* Removes a subscriber from e; the entry is freed with its last one. */
void gw__ws_topics_leave(gw_ws_topics *t, gw_ws_topic *e);
/* Frees every entry. */
void gw__ws_topics_clear(gw_ws_topics *t);

#endif
