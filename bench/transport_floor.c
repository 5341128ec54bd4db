/*
 * transport_floor.c - see transport_floor.h. The PUB side stamps each
 * envelope with the monotonic clock (ts_ns) and the SUB side subtracts it
 * on arrival; the REQ side times its own round trips.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stom/bus_nng.h"
#include "stom/timeutil.h"
#include "transport_floor.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v (n > 0) and returns its q quantile in microseconds. */
static double quantile_us(int64_t *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    return (double)v[(int)(q * (n - 1) + 0.5)] / 1000.0;
}

static void pause_1ms(void)
{
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

/* A trade as the sim publishes it, stamped now. */
static void trade_envelope(stom_bus_sender *from, Stom__V1__Trade *t, Stom__V1__Envelope *env)
{
    stom__v1__trade__init(t);
    t->symbol = "005930";
    t->has_price = t->has_qty = t->has_ts_ns = 1;
    t->price = 71500;
    t->qty = 10;
    t->ts_ns = stom_mono_ns();
    stom_bus_envelope_init(env, from, t->ts_ns);
    stom_bus_envelope_set_body(env, &t->base, NULL);
}

static bool measure_hops(const char *url, int n, stom_bus_sender *from, int64_t *out)
{
    nng_socket pub, sub;
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.recv_timeout_ms = 1000;
    stom_errbuf eb = {{0}};
    if (stom_bus_socket_open(&pub, STOM_BUS_PUB, url, &o, &eb) ||
        stom_bus_socket_open(&sub, STOM_BUS_SUB, url, &o, &eb) ||
        stom_bus_subscribe(sub, "", 0, &eb)) {
        fprintf(stderr, "transport floor: %s\n", eb.msg);
        return false;
    }
    for (int i = 0; i < 300; i++) /* until the subscription is through */
        pause_1ms();
    int got = 0;
    for (int i = 0; i < n; i++, pause_1ms()) {
        Stom__V1__Trade t;
        Stom__V1__Envelope env;
        trade_envelope(from, &t, &env);
        stom_bus_received r;
        if (stom_bus_send(pub, "md.sim.005930", &env, NULL) || stom_bus_recv(sub, 0, &r, NULL))
            continue;
        out[got++] = stom_mono_ns() - r.msg.env->trade->ts_ns;
        stom_bus_received_free(&r);
    }
    nng_close(sub);
    nng_close(pub);
    return got == n;
}

typedef struct echo {
    stom_bus_server *srv;
    stom_bus_sender from;
    volatile int stop;
} echo;

static void *echo_main(void *arg)
{
    echo *x = arg;
    while (!x->stop) {
        stom_bus_pending *p;
        if (stom_bus_server_next(x->srv, 50, &p))
            continue;
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &x->from, stom_mono_ns());
        stom_bus_envelope_set_body(&env, &stom_bus_pending_msg(p)->env->trade->base, NULL);
        stom_bus_server_reply(x->srv, p, "rpc.floor", &env, NULL);
    }
    return NULL;
}

static bool measure_round_trips(const char *url, int n, stom_bus_sender *from, int64_t *out)
{
    echo x = {0};
    nng_socket req;
    stom_errbuf eb = {{0}};
    if (stom_bus_server_open(&x.srv, url, "floor", 4, 0, &eb) ||
        stom_bus_socket_open(&req, STOM_BUS_REQ, url, NULL, &eb)) {
        fprintf(stderr, "transport floor: %s\n", eb.msg);
        stom_bus_server_close(x.srv);
        return false;
    }
    stom_bus_sender_init(&x.from, "floor", NULL);
    pthread_t th;
    pthread_create(&th, NULL, echo_main, &x);
    int got = 0;
    for (int i = -100; i < n; i++, pause_1ms()) { /* the first 100 warm the connection */
        Stom__V1__Trade t;
        Stom__V1__Envelope env;
        trade_envelope(from, &t, &env);
        stom_bus_received r;
        int64_t t0 = stom_mono_ns();
        if (stom_bus_request(req, "rpc.floor", &env, 2000, &r, NULL))
            continue;
        if (i >= 0)
            out[got++] = stom_mono_ns() - t0;
        stom_bus_received_free(&r);
    }
    x.stop = 1;
    pthread_join(th, NULL);
    nng_close(req);
    stom_bus_server_close(x.srv);
    return got == n;
}

bool transport_floor_measure(const char *pub_url, const char *rep_url, int n, transport_floor *out)
{
    stom_bus_sender from;
    stom_bus_sender_init(&from, "floor", NULL);
    int64_t *v = calloc((size_t)n, sizeof *v);
    bool ok = measure_hops(pub_url, n, &from, v);
    if (ok) {
        out->hop_p50_us = quantile_us(v, n, 0.50);
        out->hop_p99_us = quantile_us(v, n, 0.99);
        ok = measure_round_trips(rep_url, n, &from, v);
    }
    if (ok) {
        out->rtt_p50_us = quantile_us(v, n, 0.50);
        out->rtt_p99_us = quantile_us(v, n, 0.99);
    }
    free(v);
    return ok;
}
