/*
 * gw_ws_owner.c - owners of engine events, cached (see gw_ws_owner.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_ws_owner.h"
#include "stom/alloc.h"
#include "stom/store.h"

#define KEY_MAX 80 /* "a:" or "i:" and an account or instance id */

typedef struct slot {
    char key[KEY_MAX]; /* "" when empty */
    int64_t owner;
    int64_t loaded_ms;
} slot;

struct gw_ws_owner {
    char *conninfo; /* owned, or NULL */
    stom_db *db;
    bool warned;
    slot slots[GW_WS_OWNER_SLOTS];
};

gw_ws_owner *gw__ws_owner_create(const char *conninfo)
{
    gw_ws_owner *o = stom_xcalloc(1, sizeof *o);
    o->conninfo = conninfo ? stom_xstrdup(conninfo) : NULL;
    return o;
}

void gw__ws_owner_destroy(gw_ws_owner *o)
{
    if (!o)
        return;
    stom_db_close(o->db);
    free(o->conninfo);
    free(o);
}

static slot *slot_of(gw_ws_owner *o, const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &o->slots[h % GW_WS_OWNER_SLOTS];
}

/* Reads the owner of key (an account "a:..." or an instance "i:...") from PostgreSQL. */
static int64_t load(gw_ws_owner *o, const char *key)
{
    stom_errbuf eb = {0};
    if (!o->db && (!o->conninfo || stom_db_connect(&o->db, o->conninfo, &eb)))
        goto unavailable;
    const char *v[] = {key + 2};
    PGresult *r = NULL;
    const char *sql = key[0] == 'a'
                          ? "SELECT user_id FROM broker_accounts WHERE account = $1"
                          : "SELECT b.user_id FROM engine_strategies s JOIN broker_accounts b ON "
                            "b.account = s.account WHERE s.instance_id = $1";
    if (stom_db_query_prepared(o->db, sql, 1, v, PGRES_TUPLES_OK, "event owner", &r, &eb)) {
        stom_db_close(o->db);
        o->db = NULL;
        goto unavailable;
    }
    int64_t owner = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    o->warned = false;
    return owner;
unavailable:
    if (!o->warned)
        fprintf(stderr, "stom-gateway: ws: event owners unavailable (admins only): %s\n",
                o->conninfo ? eb.msg : "no database");
    o->warned = true;
    return -1;
}

static int64_t owner_of_key(gw_ws_owner *o, char kind, const char *id, int64_t now_ms)
{
    if (!id || !id[0] || strlen(id) + 3 > KEY_MAX)
        return GW_WS_OWNER_ADMINS;
    char key[KEY_MAX];
    snprintf(key, sizeof key, "%c:%s", kind, id);
    slot *s = slot_of(o, key);
    if (!strcmp(s->key, key) && now_ms >= s->loaded_ms &&
        now_ms - s->loaded_ms < GW_WS_OWNER_CACHE_MS)
        return s->owner;
    int64_t owner = load(o, key);
    if (owner < 0)
        return GW_WS_OWNER_ADMINS; /* not cached: the next event asks again */
    snprintf(s->key, sizeof s->key, "%s", key);
    s->owner = owner;
    s->loaded_ms = now_ms;
    return owner;
}

int64_t gw__ws_owner_of(gw_ws_owner *o, const Stom__V1__Envelope *env, int64_t now_ms)
{
    switch (env->body_case) {
    case STOM__V1__ENVELOPE__BODY_ORDER_EVENT:
        return owner_of_key(o, 'a', env->order_event->account, now_ms);
    case STOM__V1__ENVELOPE__BODY_POSITION:
        return owner_of_key(o, 'a', env->position->account, now_ms);
    case STOM__V1__ENVELOPE__BODY_RISK_EVENT:
        /* A halt of all trading (no account) concerns every trader. */
        if (!env->risk_event->account || !env->risk_event->account[0])
            return GW_WS_OWNER_TRADERS;
        return owner_of_key(o, 'a', env->risk_event->account, now_ms);
    case STOM__V1__ENVELOPE__BODY_STRATEGY_STATUS:
        return owner_of_key(o, 'i', env->strategy_status->instance_id, now_ms);
    case STOM__V1__ENVELOPE__BODY_SURGE_ALERT:
        return GW_WS_OWNER_TRADERS;
    default:
        return GW_WS_OWNER_ADMINS;
    }
}
