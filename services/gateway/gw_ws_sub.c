/*
 * gw_ws_sub.c - the hub's nng SUB thread (see gw_ws_sub.h). The receive
 * timeout (GW_WS_SUB_POLL_MS) is how often the thread looks at its stop
 * flag; the receive buffer is nng's largest, because PUB/SUB drops silently
 * when it is full.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_ws_internal.h"
#include "gw_ws_owner.h"
#include "gw_ws_sub.h"
#include "gw_ws_topic.h"
#include "stom/alloc.h"
#include "stom/bus_nng.h"
#include "stom/pb_json.h"
#include "stom/timeutil.h"

#define GW_WS_SUB_POLL_MS 100

struct gw_ws_sub {
    pthread_t thread;
    atomic_bool stop;
    nng_socket sock;
    gw_ws_hub *hub;
    gw_ws_owner *owners; /* whose each engine event is */
    uint64_t malformed;
};

/* Publishes one received message when its topic has a WebSocket topic. */
static void forward(gw_ws_sub *s, const stom_bus_msg *msg)
{
    char topic[GW_WS_TOPIC_MAX + 1];
    if (!gw__ws_topic_from_bus(msg->topic, msg->topic_len, topic))
        return;
    json_t *data = stom_pb_to_json(stom_bus_envelope_body(msg->env));
    if (!data) {
        s->malformed++;
        return;
    }
    /* Engine events go to their account's owner (and admins) only. */
    int64_t owner = msg->topic_len > 4 && !memcmp(msg->topic, "eng.", 4)
                        ? gw__ws_owner_of(s->owners, msg->env, stom_mono_ms())
                        : GW_WS_OWNER_ANY;
    gw__ws_publish_scoped(s->hub, topic, data, owner);
    json_decref(data);
}

static void *sub_main(void *arg)
{
    gw_ws_sub *s = arg;
    while (!atomic_load(&s->stop)) {
        stom_bus_received r;
        stom_errbuf eb;
        int rc = stom_bus_recv(s->sock, 0, &r, &eb);
        if (rc == STOM_ETIMEDOUT)
            continue;
        if (rc == STOM_EIO) {
            /* Not a closed socket (that happens only after the join): back off and retry. */
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        if (rc) {
            if (s->malformed++ == 0)
                fprintf(stderr, "stom-gateway: ws: a bus message was refused: %s\n", eb.msg);
            continue;
        }
        forward(s, &r.msg);
        stom_bus_received_free(&r);
    }
    return NULL;
}

/* Opens the socket dialed to every url. */
static int open_socket(gw_ws_sub *s, const char *const *urls, size_t n, stom_errbuf *eb)
{
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    opt.recv_timeout_ms = GW_WS_SUB_POLL_MS;
    opt.buffer_msgs = STOM_BUS_BUFFER_MSGS_MAX;
    bool opened = false;
    for (size_t i = 0; i < n; i++) {
        if (!urls[i] || !urls[i][0])
            continue;
        char spec[STOM_BUS_URL_MAX + 8];
        snprintf(spec, sizeof spec, "dial:%s", urls[i]);
        int rc;
        if (!opened) {
            rc = stom_bus_socket_open(&s->sock, STOM_BUS_SUB, spec, &opt, eb);
            opened = rc == 0;
        } else {
            int nrc = nng_dial(s->sock, urls[i], NULL, NNG_FLAG_NONBLOCK);
            rc = nrc ? stom_errorf(eb, STOM_EIO, "cannot dial %s: %s", urls[i], nng_strerror(nrc))
                     : 0;
        }
        if (rc) {
            if (opened)
                nng_close(s->sock);
            return rc;
        }
    }
    if (!opened)
        return stom_errorf(eb, STOM_EINVAL, "no event socket to dial");
    static const char *const prefixes[] = {"bt.", "eng.", "md."};
    for (size_t i = 0; i < 3; i++) {
        int rc = stom_bus_subscribe(s->sock, prefixes[i], strlen(prefixes[i]), eb);
        if (rc) {
            nng_close(s->sock);
            return rc;
        }
    }
    return 0;
}

int gw__ws_sub_start(gw_ws_sub **out, gw_ws_hub *hub, const char *const *urls, size_t n,
                     const char *conninfo, stom_errbuf *eb)
{
    gw_ws_sub *s = stom_xcalloc(1, sizeof *s);
    s->hub = hub;
    s->owners = gw__ws_owner_create(conninfo);
    atomic_init(&s->stop, false);
    int rc = open_socket(s, urls, n, eb);
    if (rc) {
        gw__ws_owner_destroy(s->owners);
        free(s);
        return rc;
    }
    if (pthread_create(&s->thread, NULL, sub_main, s) != 0) {
        nng_close(s->sock);
        gw__ws_owner_destroy(s->owners);
        free(s);
        return stom_errorf(eb, STOM_EIO, "cannot start the WebSocket bus thread");
    }
    *out = s;
    return 0;
}

void gw__ws_sub_stop(gw_ws_sub *s)
{
    if (!s)
        return;
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    nng_close(s->sock);
    gw__ws_owner_destroy(s->owners);
    free(s);
}
