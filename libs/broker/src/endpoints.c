/*
 * endpoints.c - opening and closing a stom_broker_server, and publishing on
 * its PUB socket.
 *
 * Sequence numbers are per topic: each md.<broker>.<symbol> and
 * ord.<broker>.<account> topic has a stom_bus_sender of its own (all with
 * the server's sender name), because subscribers filter by topic: with one
 * counter for the whole socket, a subscriber to one symbol would see every
 * other symbol's messages as gaps. The senders live in a map that grows with
 * the topics published and is freed at close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"
#include "stom/alloc.h"

static int check_options(const stom_broker_server_options *opt, stom_errbuf *eb)
{
    if (opt == NULL || opt->broker == NULL || opt->rep_spec == NULL)
        return stom_errorf(eb, STOM_EINVAL, "broker server: broker and rep_spec are required");
    if (opt->dedupe_ttl_ms < 0 || opt->reconnect_max_ms < 0 || opt->pub_buffer_msgs < 0)
        return stom_errorf(eb, STOM_EINVAL, "broker server: negative ttl, reconnect or buffer");
    stom_bus_topic t;
    if (stom_bus_topic_md(&t, opt->broker, "x", eb) != STOM_OK)
        return STOM_EINVAL;
    return STOM_OK;
}

/* Fills the names, topics and tables of s from opt. */
static int server_init(stom_broker_server *s, const stom_broker_server_options *opt,
                       stom_errbuf *eb)
{
    snprintf(s->broker, sizeof s->broker, "%s", opt->broker);
    if (opt->sender != NULL)
        snprintf(s->sender, sizeof s->sender, "%s", opt->sender);
    else
        snprintf(s->sender, sizeof s->sender, "broker-%s", opt->broker);
    int rc = stom_bus_sender_init(&s->reply_sender, s->sender, eb);
    if (rc == STOM_OK)
        rc = stom_bus_topic_rpc(&s->rpc_topic, s->sender, eb);
    if (rc != STOM_OK)
        return rc;
    size_t cap = opt->dedupe_capacity ? opt->dedupe_capacity : STOM_BROKER_DEDUPE_CAPACITY_DEFAULT;
    int64_t ttl_ms = opt->dedupe_ttl_ms ? opt->dedupe_ttl_ms : STOM_BROKER_DEDUPE_TTL_MS_DEFAULT;
    s->dedupe = stom__broker_dedupe_create(cap, ttl_ms * 1000000);
    stom__broker_map_init(&s->topics);
    return STOM_OK;
}

static int open_pub(stom_broker_server *s, const stom_broker_server_options *opt, stom_errbuf *eb)
{
    if (opt->pub_spec == NULL)
        return STOM_OK;
    stom_bus_socket_options so;
    stom_bus_socket_options_default(&so);
    so.buffer_msgs = opt->pub_buffer_msgs;
    so.reconnect_max_ms = opt->reconnect_max_ms;
    int rc = stom_bus_socket_open(&s->pub, STOM_BUS_PUB, opt->pub_spec, &so, eb);
    if (rc != STOM_OK)
        return rc;
    s->has_pub = true;
    return stom_bus_publisher_open(&s->publisher, s->pub, 0, eb);
}

int stom_broker_server_open(stom_broker_server **out, const stom_broker_server_options *opt,
                            const stom_broker_handlers *handlers, void *adapter, stom_errbuf *eb)
{
    int rc = check_options(opt, eb);
    if (rc != STOM_OK)
        return rc;
    stom_broker_server *s = stom_xcalloc(1, sizeof *s);
    if (handlers != NULL)
        s->handlers = *handlers;
    s->adapter = adapter;
    if (nng_mtx_alloc(&s->mtx) != 0) {
        free(s);
        return stom_errorf(eb, STOM_EIO, "broker server: no mutex");
    }
    rc = server_init(s, opt, eb);
    if (rc != STOM_OK)
        goto fail;
    rc = stom_bus_server_open(&s->bus, opt->rep_spec, s->sender, 0, opt->max_msg, eb);
    if (rc != STOM_OK)
        goto fail;
    rc = open_pub(s, opt, eb);
    if (rc != STOM_OK)
        goto fail;
    *out = s;
    return STOM_OK;
fail:
    stom_broker_server_close(s);
    return rc;
}

void stom_broker_server_close(stom_broker_server *s)
{
    if (s == NULL)
        return;
    stom_bus_publisher_close(s->publisher); /* what is queued goes out first */
    if (s->has_pub)
        nng_close(s->pub);
    stom_bus_server_close(s->bus);
    if (s->topics.buckets != NULL)
        stom__broker_map_free(&s->topics, free);
    stom__broker_dedupe_destroy(s->dedupe);
    if (s->mtx != NULL)
        nng_mtx_free(s->mtx);
    free(s);
}

/* The sender numbering topic, made on first use. Under mtx. */
static stom_bus_sender *topic_sender(stom_broker_server *s, const stom_bus_topic *t)
{
    stom_bus_sender *snd = stom__broker_map_get(&s->topics, t->str, t->len);
    if (snd == NULL) {
        snd = stom_xmalloc(sizeof *snd);
        stom_bus_sender_init(snd, s->sender, NULL); /* checked at open */
        stom__broker_map_put(&s->topics, t->str, t->len, snd);
    }
    return snd;
}

/* Queues body on topic t with the topic's next sequence number (under mtx, so that the
 * queue's order is the numbers' order); the publisher's thread sends it. */
static int publish(stom_broker_server *s, const stom_bus_topic *t, ProtobufCMessage *body,
                   stom_errbuf *eb)
{
    if (!s->has_pub)
        return stom_errorf(eb, STOM_ESTATE, "broker server %s has no PUB endpoint", s->sender);
    nng_mtx_lock(s->mtx);
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, topic_sender(s, t), stom__broker_now_ns());
    int rc = stom_bus_envelope_set_body(&env, body, eb);
    if (rc == STOM_OK)
        rc = stom_bus_publisher_send(s->publisher, t->str, &env, eb);
    if (rc == STOM_OK)
        s->stats.published++;
    else
        s->stats.publish_failed++;
    nng_mtx_unlock(s->mtx);
    return rc;
}

static bool is_market_data(const ProtobufCMessage *body)
{
    const ProtobufCMessageDescriptor *d = body->descriptor;
    return d == &stom__v1__trade__descriptor || d == &stom__v1__quote__descriptor ||
           d == &stom__v1__snapshot__descriptor || d == &stom__v1__bar__descriptor;
}

int stom_broker_publish_md(stom_broker_server *s, const char *symbol, ProtobufCMessage *body,
                           stom_errbuf *eb)
{
    if (body == NULL || !is_market_data(body))
        return stom_errorf(eb, STOM_EINVAL, "md.%s: body must be a Trade, Quote, Snapshot or Bar",
                           s->broker);
    stom_bus_topic t;
    int rc = stom_bus_topic_md(&t, s->broker, symbol, eb);
    if (rc != STOM_OK)
        return rc;
    return publish(s, &t, body, eb);
}

int stom_broker_publish_order(stom_broker_server *s, const char *account,
                              const Stom__V1__OrderEvent *ev, stom_errbuf *eb)
{
    if (ev == NULL)
        return stom_errorf(eb, STOM_EINVAL, "ord.%s: no order event", s->broker);
    stom_bus_topic t;
    int rc = stom_bus_topic_ord(&t, s->broker, account, eb);
    if (rc != STOM_OK)
        return rc;
    /* The envelope only reads the body; the cast drops const for its field type. */
    return publish(s, &t, (ProtobufCMessage *)&ev->base, eb);
}
