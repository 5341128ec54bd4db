/*
 * feed.c - a subscriber to one adapter's md.<broker>.* and ord.<broker>.*
 * topics that tracks sequence numbers per (sender, topic).
 *
 * Adapters number each topic separately (see endpoints.c), so the tracker
 * key is the topic and the sender name: a subscriber to one symbol sees
 * consecutive numbers, a lost message shows as a GAP with the count lost,
 * and an adapter restart as a RESTART. Duplicates are dropped here.
 *
 * Invariants: trackers maps "topic 0x00 sender" to a stom_bus_seq it owns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "broker_internal.h"
#include "stom/alloc.h"
#include "stom/broker_client.h"

struct stom_broker_feed {
    nng_socket sub;
    char broker[STOM_BUS_TOPIC_MAX + 1];
    stom__broker_map trackers;
    stom_broker_feed_stats stats;
};

int stom_broker_feed_open(stom_broker_feed **out, const char *broker, const char *spec,
                          stom_errbuf *eb)
{
    stom_bus_topic t;
    if (broker == NULL || stom_bus_topic_md(&t, broker, "x", eb) != STOM_OK)
        return stom_errorf(eb, STOM_EINVAL, "broker feed: bad broker name");
    stom_broker_feed *f = stom_xcalloc(1, sizeof *f);
    int rc = stom_bus_socket_open(&f->sub, STOM_BUS_SUB, spec, NULL, eb);
    if (rc != STOM_OK) {
        free(f);
        return rc;
    }
    snprintf(f->broker, sizeof f->broker, "%s", broker);
    stom__broker_map_init(&f->trackers);
    *out = f;
    return STOM_OK;
}

void stom_broker_feed_close(stom_broker_feed *f)
{
    if (f == NULL)
        return;
    nng_close(f->sub);
    stom__broker_map_free(&f->trackers, free);
    free(f);
}

/* Subscribes to family.<broker>.<name> plus the separator, or to the prefix
 * family.<broker>. when name is NULL. */
static int subscribe(stom_broker_feed *f, const char *family, const char *name, stom_errbuf *eb)
{
    stom_bus_topic t;
    int rc = STOM_OK;
    if (name == NULL)
        t.len = (size_t)snprintf(t.str, sizeof t.str, "%s.%s.", family, f->broker);
    else if (family[0] == 'm')
        rc = stom_bus_topic_md(&t, f->broker, name, eb);
    else
        rc = stom_bus_topic_ord(&t, f->broker, name, eb);
    if (rc != STOM_OK)
        return rc;
    /* One exact topic: the 0x00 after it keeps md.x.005930 from matching md.x.0059301. */
    return stom_bus_subscribe(f->sub, t.str, name != NULL ? t.len + 1 : t.len, eb);
}

int stom_broker_feed_subscribe_md(stom_broker_feed *f, const char *symbol, stom_errbuf *eb)
{
    return subscribe(f, "md", symbol, eb);
}

int stom_broker_feed_subscribe_orders(stom_broker_feed *f, const char *account, stom_errbuf *eb)
{
    return subscribe(f, "ord", account, eb);
}

/* The tracker of (topic, sender), made on first use. */
static stom_bus_seq *tracker(stom_broker_feed *f, const stom_bus_msg *m)
{
    char key[STOM_BUS_TOPIC_MAX + STOM_BUS_SENDER_MAX + 2];
    size_t slen = strlen(m->env->sender);
    memcpy(key, m->topic, m->topic_len);
    key[m->topic_len] = '\0';
    memcpy(key + m->topic_len + 1, m->env->sender, slen);
    size_t len = m->topic_len + 1 + slen;
    stom_bus_seq *t = stom__broker_map_get(&f->trackers, key, len);
    if (t == NULL) {
        t = stom_xmalloc(sizeof *t);
        stom_bus_seq_init(t);
        stom__broker_map_put(&f->trackers, key, len, t);
    }
    return t;
}

/* Records out's sequence; returns false for a duplicate (to be dropped). */
static bool track(stom_broker_feed *f, stom_broker_event *out)
{
    stom_bus_seq_status st = stom_bus_seq_check_at(tracker(f, &out->rx.msg), out->rx.msg.env->seq,
                                                   out->rx.msg.env->ts_ns, &out->gap);
    out->status = st;
    if (st == STOM_BUS_SEQ_DUPLICATE || st == STOM_BUS_SEQ_INVALID) {
        f->stats.duplicates++;
        return false;
    }
    if (st == STOM_BUS_SEQ_GAP) {
        f->stats.gaps++;
        f->stats.missing += out->gap;
    }
    if (st == STOM_BUS_SEQ_RESTART)
        f->stats.restarts++;
    f->stats.received++;
    return true;
}

int stom_broker_feed_recv(stom_broker_feed *f, int timeout_ms, stom_broker_event *out,
                          stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    nng_time deadline = nng_clock() + (nng_duration)timeout_ms;
    for (;;) {
        nng_time now = nng_clock();
        if (now >= deadline)
            return stom_errorf(eb, STOM_ETIMEDOUT, "no message within %d ms", timeout_ms);
        nng_socket_set_ms(f->sub, NNG_OPT_RECVTIMEO, (nng_duration)(deadline - now));
        int rc = stom_bus_recv(f->sub, 0, &out->rx, eb);
        if (rc == STOM_ETIMEDOUT || rc == STOM_EIO)
            return rc;
        if (rc != STOM_OK) {
            f->stats.undecodable++;
            continue;
        }
        if (track(f, out))
            return STOM_OK;
        stom_bus_received_free(&out->rx);
    }
}

void stom_broker_event_free(stom_broker_event *e)
{
    if (e == NULL)
        return;
    stom_bus_received_free(&e->rx);
    memset(e, 0, sizeof *e);
}

void stom_broker_feed_get_stats(const stom_broker_feed *f, stom_broker_feed_stats *out)
{
    *out = f->stats;
}
