/*
 * gw_ws_check.c - the hub's checker thread: run owners and accounts (see
 * gw_ws_check.h). The connection is opened lazily and closed after an
 * error, so a database that comes back is used again on the next check.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_users.h"
#include "gw_ws_check.h"
#include "stom/alloc.h"
#include "stom/store.h"

typedef struct check_item {
    uint64_t client;
    int64_t user;
    char topic[GW_WS_TOPIC_MAX + 1];
} check_item;

struct gw_ws_check {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    check_item items[GW_WS_CHECK_QUEUE];
    size_t head, count;
    char *conninfo;
    stom_db *db; /* the checker thread's */
    gw_ws_check_done done;
    void *arg;
};

/* Runs the query for one item on the checker thread; an allowed account check sets *role. */
static gw_ws_verdict check_one(gw_ws_check *c, const check_item *it, gw_role *role)
{
    stom_errbuf eb;
    *role = GW_ROLE_NONE;
    if (!c->db && stom_db_connect(&c->db, c->conninfo, &eb) != 0) {
        fprintf(stderr, "stom-gateway: ws checker: database unavailable: %s\n", eb.msg);
        return GW_WS_UNAVAILABLE;
    }
    char user[24];
    snprintf(user, sizeof user, "%" PRId64, it->user);
    bool account = it->topic[0] == '\0';
    const char *params[2] = {user, account ? NULL : it->topic + strlen("backtest.")};
    PGresult *res = NULL;
    int rc = account ? stom_db_query(c->db, "SELECT role FROM users WHERE id = $1 AND NOT disabled",
                                     1, params, PGRES_TUPLES_OK, "account", &res, &eb)
                     : stom_db_query(c->db,
                                     "SELECT 1 FROM runs r JOIN users u ON u.id = r.user_id"
                                     " WHERE r.user_id = $1 AND r.job_id = $2 AND NOT u.disabled",
                                     2, params, PGRES_TUPLES_OK, "run owner", &res, &eb);
    if (rc) {
        fprintf(stderr, "stom-gateway: ws checker: %s\n", eb.msg);
        stom_db_close(c->db);
        c->db = NULL;
        return GW_WS_UNAVAILABLE;
    }
    gw_ws_verdict v = PQntuples(res) == 1 ? GW_WS_ALLOWED : GW_WS_REFUSED;
    if (v == GW_WS_ALLOWED && account)
        *role = gw_role_parse(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

static void *check_main(void *arg)
{
    gw_ws_check *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->stop && c->count == 0)
            pthread_cond_wait(&c->cond, &c->lock);
        if (c->stop)
            break;
        check_item it = c->items[c->head];
        c->head = (c->head + 1) % GW_WS_CHECK_QUEUE;
        c->count--;
        pthread_mutex_unlock(&c->lock);
        gw_role role;
        gw_ws_verdict v = check_one(c, &it, &role);
        c->done(c->arg, it.client, it.topic, v, role);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    stom_db_close(c->db);
    return NULL;
}

int gw__ws_check_start(gw_ws_check **out, const char *conninfo, gw_ws_check_done done, void *arg,
                       stom_errbuf *eb)
{
    gw_ws_check *c = stom_xcalloc(1, sizeof *c);
    c->conninfo = stom_xstrdup(conninfo);
    c->done = done;
    c->arg = arg;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    if (pthread_create(&c->thread, NULL, check_main, c) != 0) {
        pthread_cond_destroy(&c->cond);
        pthread_mutex_destroy(&c->lock);
        free(c->conninfo);
        free(c);
        return stom_errorf(eb, STOM_EIO, "cannot start the WebSocket checker thread");
    }
    *out = c;
    return 0;
}

bool gw__ws_check_submit(gw_ws_check *c, uint64_t client, int64_t user, const char *topic)
{
    pthread_mutex_lock(&c->lock);
    bool ok = c->count < GW_WS_CHECK_QUEUE;
    if (ok) {
        check_item *it = &c->items[(c->head + c->count) % GW_WS_CHECK_QUEUE];
        it->client = client;
        it->user = user;
        snprintf(it->topic, sizeof it->topic, "%s", topic);
        c->count++;
        pthread_cond_signal(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

void gw__ws_check_stop(gw_ws_check *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
    free(c->conninfo);
    free(c);
}
