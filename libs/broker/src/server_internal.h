/*
 * server_internal.h - the stom_broker_server object, shared by server.c (the
 * serve loop) and endpoints.c (open, close, publishing).
 *
 * Invariants: bus, reply_sender and dedupe belong to the serve thread; the
 * publisher's queue, topics (topic -> stom_bus_sender, one sequence per
 * topic), stop and stats are guarded by mtx; pub itself is written only by
 * the publisher's thread.
 */
#ifndef STOM_BROKER_SERVER_INTERNAL_H
#define STOM_BROKER_SERVER_INTERNAL_H

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "broker_internal.h"
#include "call_internal.h"
#include "stom/broker.h"
#include "stom/bus_nng.h"

struct stom_broker_server {
    char broker[STOM_BUS_TOPIC_MAX + 1];
    char sender[STOM_BUS_SENDER_MAX + 1];
    stom_bus_topic rpc_topic; /* rpc.<sender>, the topic of replies */
    stom_broker_handlers handlers;
    void *adapter;
    stom_bus_server *bus;
    stom_bus_sender reply_sender;
    stom__broker_dedupe *dedupe;
    nng_mtx *mtx;
    nng_socket pub;
    bool has_pub;
    stom_bus_publisher *publisher; /* sends pub's messages on a thread of its own */
    stom__broker_map topics;
    bool stop;
    stom_broker_server_stats stats;
};

#endif
