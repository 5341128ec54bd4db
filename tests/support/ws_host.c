/*
 * ws_host.c - the test and bench stand-in for stom-gateway's lws server
 * (see ws_host.h). The "default" option sends upgrades without a
 * subprotocol (browsers', and ws_client's) to the hub.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "ws_host.h"

struct ws_host {
    gw_ws_hub *hub;
    struct lws_context *context;
    pthread_t thread;
    atomic_bool stop;
};

static void *serve(void *arg)
{
    ws_host *h = arg;
    while (!atomic_load(&h->stop))
        lws_service(h->context, 0);
    return NULL;
}

int ws_host_start(ws_host **out, const gw_config *cfg)
{
    /* gw_ws_protocol is not a constant expression: the table is filled here. */
    static struct lws_protocols protocols[3];
    protocols[0] = (struct lws_protocols){.name = "http", .callback = lws_callback_http_dummy};
    protocols[1] = gw_ws_protocol;
    static const struct lws_protocol_vhost_options pvo_default = {NULL, NULL, "default", "1"};
    static const struct lws_protocol_vhost_options pvo = {NULL, &pvo_default, "stom.v1", ""};
    lws_set_log_level(LLL_ERR, NULL);
    ws_host *h = calloc(1, sizeof *h);
    stom_errbuf eb;
    if (!h || gw_ws_hub_start(&h->hub, cfg, &eb) != 0) {
        fprintf(stderr, "ws_host: hub: %s\n", h ? eb.msg : "out of memory");
        free(h);
        return -1;
    }
    struct lws_context_creation_info info = {0};
    info.port = cfg->port;
    info.iface = cfg->bind;
    info.protocols = protocols;
    info.pvo = &pvo;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    h->context = lws_create_context(&info);
    if (!h->context) {
        gw_ws_hub_stop(h->hub);
        free(h);
        return -1;
    }
    gw_ws_hub_attach(h->hub, h->context);
    atomic_init(&h->stop, false);
    pthread_create(&h->thread, NULL, serve, h);
    *out = h;
    return 0;
}

gw_ws_hub *ws_host_hub(ws_host *h)
{
    return h->hub;
}

void ws_host_stop(ws_host *h)
{
    if (!h)
        return;
    atomic_store(&h->stop, true);
    lws_cancel_service(h->context);
    pthread_join(h->thread, NULL);
    lws_context_destroy(h->context);
    gw_ws_hub_stop(h->hub);
    free(h);
}
