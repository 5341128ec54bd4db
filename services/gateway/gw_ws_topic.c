/*
 * gw_ws_topic.c - WebSocket topic names, the bus-to-WebSocket topic map and
 * the registry of subscribed topics (see gw_ws_topic.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_ws_topic.h"
#include "stom/alloc.h"

#define GW_WS_ID_MAX 64

/* Whether the n bytes at s are 1 to GW_WS_ID_MAX of [A-Za-z0-9_-]. */
static bool is_id(const char *s, size_t n)
{
    if (n == 0 || n > GW_WS_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

static bool equals(const char *s, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(s, word, n) == 0;
}

bool gw__ws_topic_check(const char *topic, size_t len, gw_ws_kind *kind, char *why, size_t why_len)
{
    static const struct {
        const char *name;
        gw_ws_kind kind;
    } fixed[] = {{"orders", GW_WS_KIND_ORDERS},
                 {"positions", GW_WS_KIND_POSITIONS},
                 {"risk", GW_WS_KIND_RISK},
                 {"strategy", GW_WS_KIND_STRATEGY},
                 {"surge", GW_WS_KIND_SURGE}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (equals(topic, len, fixed[i].name)) {
            *kind = fixed[i].kind;
            return true;
        }
    }
    if (has_prefix(topic, len, "backtest.") && is_id(topic + 9, len - 9)) {
        *kind = GW_WS_KIND_BACKTEST;
        return true;
    }
    if (has_prefix(topic, len, "market.") && is_id(topic + 7, len - 7)) {
        *kind = GW_WS_KIND_MARKET;
        return true;
    }
    snprintf(why, why_len,
             "unknown topic: expected backtest.<job>, market.<symbol>, orders, positions, risk, "
             "strategy or surge "
             "(<job> and <symbol>: 1 to %d of A-Z a-z 0-9 _ -)",
             GW_WS_ID_MAX);
    return false;
}

bool gw__ws_topic_from_bus(const char *bus, size_t len, char *out)
{
    if (has_prefix(bus, len, "bt.") && is_id(bus + 3, len - 3)) {
        snprintf(out, GW_WS_TOPIC_MAX + 1, "backtest.%.*s", (int)(len - 3), bus + 3);
        return true;
    }
    static const char *const eng[] = {"orders", "positions", "risk", "strategy", "surge"};
    for (size_t i = 0; i < sizeof eng / sizeof eng[0]; i++) {
        if (has_prefix(bus, len, "eng.") && equals(bus + 4, len - 4, eng[i])) {
            snprintf(out, GW_WS_TOPIC_MAX + 1, "%s", eng[i]);
            return true;
        }
    }
    if (!has_prefix(bus, len, "md."))
        return false;
    /* md.<broker>.<symbol>: the symbol follows the second dot. */
    const char *broker = bus + 3;
    const char *dot = memchr(broker, '.', len - 3);
    if (!dot || dot == broker)
        return false;
    size_t sym_len = len - (size_t)(dot + 1 - bus);
    if (!is_id(dot + 1, sym_len))
        return false;
    snprintf(out, GW_WS_TOPIC_MAX + 1, "market.%.*s", (int)sym_len, dot + 1);
    return true;
}

static size_t bucket_of(const char *name)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % GW_WS_TOPIC_BUCKETS;
}

gw_ws_topic *gw__ws_topics_find(gw_ws_topics *t, const char *name)
{
    for (gw_ws_topic *e = t->buckets[bucket_of(name)]; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

gw_ws_topic *gw__ws_topics_join(gw_ws_topics *t, const char *name, gw_ws_kind kind)
{
    gw_ws_topic *e = gw__ws_topics_find(t, name);
    if (!e) {
        size_t b = bucket_of(name);
        e = stom_xcalloc(1, sizeof *e);
        snprintf(e->name, sizeof e->name, "%s", name);
        e->kind = kind;
        e->next = t->buckets[b];
        t->buckets[b] = e;
        t->count++;
    }
    e->subs++;
    return e;
}

void gw__ws_topics_leave(gw_ws_topics *t, gw_ws_topic *e)
{
    if (--e->subs > 0)
        return;
    for (gw_ws_topic **p = &t->buckets[bucket_of(e->name)]; *p; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            free(e);
            t->count--;
            return;
        }
    }
}

void gw__ws_topics_clear(gw_ws_topics *t)
{
    for (size_t b = 0; b < GW_WS_TOPIC_BUCKETS; b++) {
        while (t->buckets[b]) {
            gw_ws_topic *e = t->buckets[b];
            t->buckets[b] = e->next;
            free(e);
        }
    }
    t->count = 0;
}
