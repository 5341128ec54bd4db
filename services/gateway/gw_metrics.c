/*
 * gw_metrics.c - a fixed table of request series and per-route latency
 * histograms behind one mutex, plus atomic gauges. Rendering copies the
 * table under the lock and formats outside it.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_metrics.h"
#include "stom/alloc.h"

static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

typedef struct series {
    const char *route;
    char method[8];
    int status;
    uint64_t count;
} series;

typedef struct histogram {
    const char *route;
    uint64_t buckets[N_BOUNDS]; /* non-cumulative; rendering sums them */
    uint64_t count;
    double sum;
} histogram;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static series table[GW_METRICS_SERIES];
static size_t n_series;
static histogram hists[GW_METRICS_SERIES];
static size_t n_hists;
static atomic_int_fast64_t queue_depth, in_flight;
static atomic_uint_fast64_t ws_clients, ws_queued;

static series *find_series(const char *route, const char *method, int status)
{
    for (size_t i = 0; i < n_series; i++)
        if (table[i].route == route && table[i].status == status &&
            !strcmp(table[i].method, method))
            return &table[i];
    if (n_series == GW_METRICS_SERIES)
        return NULL;
    series *s = &table[n_series++];
    s->route = route;
    snprintf(s->method, sizeof s->method, "%s", method);
    s->status = status;
    return s;
}

static histogram *find_hist(const char *route)
{
    for (size_t i = 0; i < n_hists; i++)
        if (hists[i].route == route)
            return &hists[i];
    if (n_hists == GW_METRICS_SERIES)
        return NULL;
    hists[n_hists].route = route;
    return &hists[n_hists++];
}

void gw_metrics_request(const char *route, const char *method, int status, double seconds)
{
    size_t b = 0;
    while (b < N_BOUNDS && seconds > bounds[b])
        b++;
    pthread_mutex_lock(&lock);
    series *s = find_series(route, method, status);
    if (s)
        s->count++;
    histogram *h = find_hist(route);
    if (h) {
        if (b < N_BOUNDS)
            h->buckets[b]++;
        h->count++;
        h->sum += seconds;
    }
    pthread_mutex_unlock(&lock);
}

void gw_metrics_queue_depth(int64_t depth)
{
    atomic_store(&queue_depth, depth);
}

void gw_metrics_in_flight_add(int64_t delta)
{
    atomic_fetch_add(&in_flight, delta);
}

void gw_metrics_ws(uint64_t clients, uint64_t queued)
{
    atomic_store(&ws_clients, clients);
    atomic_store(&ws_queued, queued);
}

/* A growing text buffer for rendering. */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)(n > 0 ? n : 0);
        char *grown = stom_xmalloc(t->cap);
        memcpy(grown, t->p, t->len);
        free(t->p);
        t->p = grown;
    }
}

static const char *route_name(const char *route)
{
    return route ? route : "unmatched";
}

static void render_requests(text *t, const series *s, size_t n)
{
    put(t, "# HELP stom_gateway_requests_total HTTP requests answered.\n"
           "# TYPE stom_gateway_requests_total counter\n");
    for (size_t i = 0; i < n; i++)
        put(t, "stom_gateway_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
            route_name(s[i].route), s[i].method, s[i].status, (unsigned long long)s[i].count);
}

static void render_histograms(text *t, const histogram *h, size_t n)
{
    put(t, "# HELP stom_gateway_request_seconds Time from a complete request to its answer.\n"
           "# TYPE stom_gateway_request_seconds histogram\n");
    for (size_t i = 0; i < n; i++) {
        const char *r = route_name(h[i].route);
        uint64_t cum = 0;
        for (size_t b = 0; b < N_BOUNDS; b++) {
            cum += h[i].buckets[b];
            put(t, "stom_gateway_request_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", r,
                bounds[b], (unsigned long long)cum);
        }
        put(t, "stom_gateway_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", r,
            (unsigned long long)h[i].count);
        put(t, "stom_gateway_request_seconds_sum{route=\"%s\"} %.6f\n", r, h[i].sum);
        put(t, "stom_gateway_request_seconds_count{route=\"%s\"} %llu\n", r,
            (unsigned long long)h[i].count);
    }
}

static void render_gauges(text *t)
{
    put(t,
        "# TYPE stom_gateway_queue_depth gauge\nstom_gateway_queue_depth %lld\n"
        "# TYPE stom_gateway_in_flight gauge\nstom_gateway_in_flight %lld\n"
        "# TYPE stom_gateway_ws_clients gauge\nstom_gateway_ws_clients %llu\n"
        "# TYPE stom_gateway_ws_queued gauge\nstom_gateway_ws_queued %llu\n",
        (long long)atomic_load(&queue_depth), (long long)atomic_load(&in_flight),
        (unsigned long long)atomic_load(&ws_clients), (unsigned long long)atomic_load(&ws_queued));
}

char *gw_metrics_render(size_t *len)
{
    series *s = stom_xmalloc(sizeof table);
    histogram *h = stom_xmalloc(sizeof hists);
    pthread_mutex_lock(&lock);
    size_t ns = n_series, nh = n_hists;
    memcpy(s, table, ns * sizeof *s);
    memcpy(h, hists, nh * sizeof *h);
    pthread_mutex_unlock(&lock);
    text t = {stom_xmalloc(4096), 0, 4096};
    render_requests(&t, s, ns);
    render_histograms(&t, h, nh);
    render_gauges(&t);
    free(s);
    free(h);
    *len = t.len;
    return t.p;
}
