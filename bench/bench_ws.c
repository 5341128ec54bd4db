/*
 * bench_ws.c - the WebSocket hub's fan-out latency: 1,000 raw WebSocket
 * clients (one epoll loop) subscribed to "orders" (a never-dropped topic)
 * through the real hub in a stand-in lws host; a real nng PUB socket (the
 * engine's event socket) sends 10 OrderEvents a second for 10 s, each
 * carrying its send time in ts_ns. Prints p50/p99/max delivery latency,
 * messages delivered against expected, and losses (must be 0).
 *
 * Usage: bench_ws [clients] [seconds] [rate]   (Release build)
 * Ports: 18201 (WebSocket) and 18221 (PUB), loopback only.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_ws.h"
#include "stom/bus_nng.h"
#include "ws_client.h"
#include "ws_host.h"

#define WS_PORT  18201
#define PUB_PORT 18221

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_ws: %s\n", what);
    exit(1);
}

typedef struct publisher {
    nng_socket pub;
    stom_bus_sender sender;
    int count, rate;
    atomic_bool go;
} publisher;

static void publish(publisher *p, const char *id)
{
    Stom__V1__OrderEvent ev = STOM__V1__ORDER_EVENT__INIT;
    ev.client_order_id = (char *)id;
    ev.symbol = "005930";
    ev.has_ts_ns = 1;
    ev.ts_ns = now_ns();
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &p->sender, ev.ts_ns);
    stom_bus_envelope_set_body(&env, &ev.base, NULL);
    stom_errbuf eb;
    if (stom_bus_send(p->pub, "eng.orders", &env, &eb) != 0)
        die(eb.msg);
}

static void *publish_main(void *arg)
{
    publisher *p = arg;
    int64_t start = now_ns(), period = 1000000000 / p->rate;
    for (int i = 0; i < p->count; i++) {
        int64_t due = start + (int64_t)i * period, wait = due - now_ns();
        if (wait > 0) {
            struct timespec ts = {wait / 1000000000, wait % 1000000000};
            nanosleep(&ts, NULL);
        }
        char id[32];
        snprintf(id, sizeof id, "bench-%d", i);
        publish(p, id);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * Handles one frame: an event of the bench adds a latency sample (1), a probe
 * is 2, a close -1, anything else 0. The hub writes data's fields in
 * descriptor order, so a scan finds them without a JSON parse, which would
 * cost the one epoll thread more than the hub's fan-out.
 */
static int on_frame(const ws_frame *f, double *lat, size_t *n_lat, int64_t t)
{
    if (f->opcode != WS_OP_TEXT)
        return f->opcode == WS_OP_CLOSE ? -1 : 0;
    const char *id = strstr(f->data, "\"client_order_id\":\"");
    if (!id)
        return 0;
    if (strncmp(id + 19, "bench-", 6) != 0)
        return 2;
    const char *ts = strstr(id, "\"ts_ns\":");
    if (!ts)
        return 0;
    lat[(*n_lat)++] = (double)(t - strtoll(ts + 8, NULL, 10)) / 1e6;
    return 1;
}

typedef struct run {
    ws_client *clients;
    int n;
    int epfd;
    double *lat;
    size_t n_lat;
    size_t probes, closed;
} run;

/* Reads whatever the ready clients have, for up to timeout_ms. */
static void pump(run *r, int timeout_ms)
{
    struct epoll_event evs[256];
    int k = epoll_wait(r->epfd, evs, 256, timeout_ms);
    int64_t t = now_ns();
    for (int e = 0; e < k; e++) {
        ws_client *c = &r->clients[evs[e].data.u32];
        int rd = ws_client_read(c);
        ws_frame f;
        while (ws_client_next(c, &f)) {
            int rc = on_frame(&f, r->lat, &r->n_lat, t);
            r->probes += rc == 2;
            r->closed += rc == -1;
            ws_frame_free(&f);
        }
        if (rd < 0) {
            epoll_ctl(r->epfd, EPOLL_CTL_DEL, c->fd, NULL);
            r->closed++;
        }
    }
}

static void raise_nofile(int need)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)need) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)need ? rl.rlim_max : (rlim_t)need;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void connect_all(run *r, const char *token)
{
    char target[1200];
    snprintf(target, sizeof target, "/ws/orders?token=%s", token);
    r->epfd = epoll_create1(0);
    for (int i = 0; i < r->n; i++) {
        ws_client *c = &r->clients[i];
        if (ws_client_connect(c, WS_PORT, target, 0, 10000) != 0)
            die("a client could not connect (file descriptor limit?)");
        for (int want = 0; want < 2; want++) { /* authenticated, subscribed */
            ws_frame f;
            if (ws_client_recv(c, &f, 10000) != 1 || strstr(f.data, "error"))
                die("a client was not subscribed");
            ws_frame_free(&f);
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(r->epfd, EPOLL_CTL_ADD, c->fd, &ev);
    }
}

int main(int argc, char **argv)
{
    run r = {.n = argc > 1 ? atoi(argv[1]) : 1000};
    int seconds = argc > 2 ? atoi(argv[2]) : 10, rate = argc > 3 ? atoi(argv[3]) : 10;
    if (r.n <= 0 || seconds <= 0 || rate <= 0)
        die("usage: bench_ws [clients] [seconds] [rate]");
    raise_nofile(2 * r.n + 256);
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", PUB_PORT);
    gw_config cfg = {.port = WS_PORT,
                     .bind = "127.0.0.1",
                     .jwt_secret = "bench-secret-of-at-least-32-bytes-long!!",
                     .issuer = GW_ISSUER_DEFAULT,
                     .audience = GW_AUDIENCE_DEFAULT,
                     .access_ttl_s = 900,
                     .engine_events = url};
    publisher p = {.count = seconds * rate, .rate = rate};
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    opt.buffer_msgs = STOM_BUS_BUFFER_MSGS_MAX;
    char spec[96];
    snprintf(spec, sizeof spec, "listen:%s", url);
    stom_errbuf eb;
    if (stom_bus_socket_open(&p.pub, STOM_BUS_PUB, spec, &opt, &eb) != 0 ||
        stom_bus_sender_init(&p.sender, "bench-engine", &eb) != 0)
        die(eb.msg);
    ws_host *host = NULL;
    if (ws_host_start(&host, &cfg) != 0)
        die("cannot start the hub's host");
    gw_user u = {.id = 1, .username = "bench", .role = GW_ROLE_TRADER};
    char *token = NULL;
    if (gw_access_issue(&cfg, &u, &token, &eb) != 0)
        die(eb.msg);
    r.clients = calloc((size_t)r.n, sizeof *r.clients);
    r.lat = calloc((size_t)(p.count * r.n), sizeof *r.lat);
    double t0 = (double)now_ns();
    connect_all(&r, token);
    free(token);
    printf("bench_ws: %d clients connected and subscribed in %.2f s\n", r.n,
           ((double)now_ns() - t0) / 1e9);

    /* The SUB socket dials in the background: probe until every client has seen one. */
    for (int i = 0; i < 100 && r.probes < (size_t)r.n; i++) {
        publish(&p, "probe");
        int64_t until = now_ns() + 100000000;
        while (now_ns() < until)
            pump(&r, 20);
    }
    if (r.probes < (size_t)r.n)
        die("the hub's SUB socket never connected");
    for (int i = 0; i < 20; i++)
        pump(&r, 10);

    pthread_t th;
    pthread_create(&th, NULL, publish_main, &p);
    size_t expected = (size_t)p.count * (size_t)r.n;
    int64_t deadline = now_ns() + (int64_t)(seconds + 5) * 1000000000;
    while (r.n_lat < expected && now_ns() < deadline && r.closed == 0)
        pump(&r, 50);
    pthread_join(th, NULL);

    gw_ws_stats s;
    gw_ws_get_stats(ws_host_hub(host), &s);
    qsort(r.lat, r.n_lat, sizeof *r.lat, cmp_double);
    double p50 = r.n_lat ? r.lat[r.n_lat / 2] : 0, p99 = r.n_lat ? r.lat[r.n_lat * 99 / 100] : 0;
    double mx = r.n_lat ? r.lat[r.n_lat - 1] : 0;
    printf("bench_ws: %d msg/s on \"orders\" for %d s to %d clients\n", rate, seconds, r.n);
    printf("  delivered %zu of %zu expected, lost %zu, clients closed %zu\n", r.n_lat, expected,
           expected - r.n_lat, r.closed);
    printf("  latency ms: p50 %.2f  p99 %.2f  max %.2f   (target p99 < 50)\n", p50, p99, mx);
    printf("  hub: messages_in %llu out %llu slow-disconnected %llu\n",
           (unsigned long long)s.messages_in, (unsigned long long)s.messages_out,
           (unsigned long long)s.disconnected_slow);
    for (int i = 0; i < r.n; i++)
        ws_client_close(&r.clients[i]);
    ws_host_stop(host);
    nng_close(p.pub);
    free(r.clients);
    free(r.lat);
    return r.n_lat == expected && p99 < 50.0 ? 0 : 1;
}
