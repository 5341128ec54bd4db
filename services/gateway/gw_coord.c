/*
 * gw_coord.c - a gateway worker's REQ client of the coordinator or the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gw_coord.h"
#include "stom/alloc.h"

struct gw_coord {
    nng_socket sock;
    stom_bus_sender sender;
    char url[STOM_BUS_URL_MAX];
    const char *topic, *peer; /* static strings */
};

int gw_coord_open(gw_coord **out, const char *url, stom_errbuf *eb)
{
    return gw_coord_open_peer(out, url, "rpc.backtester", "the coordinator", eb);
}

int gw_coord_open_peer(gw_coord **out, const char *url, const char *topic, const char *peer,
                       stom_errbuf *eb)
{
    gw_coord *c = stom_xcalloc(1, sizeof *c);
    snprintf(c->url, sizeof c->url, "%s", url);
    c->topic = topic;
    c->peer = peer;
    char name[40];
    snprintf(name, sizeof name, "gateway-%ld", (long)getpid());
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    opt.max_msg = GW_COORD_REPLY_MAX;
    char spec[STOM_BUS_URL_MAX + 8];
    snprintf(spec, sizeof spec, "dial:%s", url);
    int rc = stom_bus_sender_init(&c->sender, name, eb);
    if (!rc)
        rc = stom_bus_socket_open(&c->sock, STOM_BUS_REQ, spec, &opt, eb);
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void gw_coord_close(gw_coord *c)
{
    if (!c)
        return;
    nng_close(c->sock);
    free(c);
}

int gw_coord_call(gw_coord *c, ProtobufCMessage *body, stom_bus_body want, stom_bus_received *reply,
                  stom_errbuf *eb)
{
    return gw_coord_call_within(c, body, want, GW_COORD_TIMEOUT_MS, reply, eb);
}

int gw_coord_call_within(gw_coord *c, ProtobufCMessage *body, stom_bus_body want, int timeout_ms,
                         stom_bus_received *reply, stom_errbuf *eb)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &c->sender, 1);
    stom_bus_envelope_set_body(&env, body, NULL);
    int rc = stom_bus_request(c->sock, c->topic, &env, timeout_ms, reply, eb);
    if (rc)
        return rc == STOM_ETIMEDOUT ? rc : STOM_EIO;
    const Stom__V1__Envelope *got = reply->msg.env;
    if (got->body_case == STOM__V1__ENVELOPE__BODY_ERROR) {
        stom_errorf(eb, STOM_EFORMAT, "%s refused the request: %s", c->peer,
                    got->error && got->error->message ? got->error->message : "no reason");
        stom_bus_received_free(reply);
        return STOM_EFORMAT;
    }
    if ((stom_bus_body)got->body_case != want) {
        stom_errorf(eb, STOM_EFORMAT, "%s answered %s, not %s", c->peer,
                    stom_bus_body_name((stom_bus_body)got->body_case), stom_bus_body_name(want));
        stom_bus_received_free(reply);
        return STOM_EFORMAT;
    }
    return 0;
}
