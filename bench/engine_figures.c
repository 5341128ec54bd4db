/*
 * engine_figures.c - the figures of one bench_engine phase (engine_figures.h).
 */
#include "engine_figures.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct books {
    size_t journaled, unsettled, fill_mismatch, not_journaled, event_mismatch;
    size_t broker_fills, sim_events, journal_events, eng_events;
} books;

/* Compares, order by order, the journal with the sim's fills and with the events both sides
 * published. True when everything matches. */
static bool check_books(const phase *ph, books *b)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < ph->n_orders; i++) {
        const order_seen *o = &ph->orders[i];
        b->broker_fills += (size_t)o->broker_fills;
        b->sim_events += (size_t)o->sim_events;
        b->journal_events += (size_t)o->journal_events;
        b->eng_events += (size_t)o->eng_events;
        if (!o->journaled) {
            b->not_journaled++; /* the sim knows an order the engine's journal does not */
            continue;
        }
        b->journaled++;
        b->unsettled += !o->settled;
        b->fill_mismatch +=
            o->journal_filled != o->broker_filled || o->journal_filled != o->sim_filled;
        b->event_mismatch += o->journal_events != o->sim_events || o->eng_events != o->sim_events;
    }
    return b->journaled > 0 && !b->unsettled && !b->fill_mismatch && !b->not_journaled &&
           !b->event_mismatch && ph->ord_received == ph->ord_last_seq;
}

bool figures_print_books(const phase *ph)
{
    books b;
    bool ok = check_books(ph, &b);
    printf("  orders: %zu journaled, %zu still pending or sent; the sim's fills: %zu, filled "
           "quantity differs from the journal for %zu orders; orders the journal lacks: %zu\n",
           b.journaled, b.unsettled, b.broker_fills, b.fill_mismatch, b.not_journaled);
    printf("  order events: the sim published %" PRIu64 " (bench received %" PRIu64
           "), the journal recorded %zu, the engine published %zu on eng.orders; orders whose "
           "counts differ: %zu\n",
           ph->ord_last_seq, ph->ord_received, b.journal_events, b.eng_events, b.event_mismatch);
    printf("  books: %s\n", ok ? "PASS (every order settled, fills and events match)" : "FAIL");
    return ok;
}

/* ---- latency ------------------------------------------------------------------------------ */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double pct_us(const int64_t *v, size_t n, double q)
{
    return n ? (double)v[(size_t)(q * (double)(n - 1) + 0.5)] / 1000.0 : 0;
}

/* Sorts v and prints its count, p50, p90, p99 and max in microseconds; returns p50 and p99. */
static void print_latency(const char *what, int64_t *v, size_t n, double *p50, double *p99)
{
    qsort(v, n, sizeof *v, cmp_i64);
    *p50 = pct_us(v, n, 0.50);
    *p99 = pct_us(v, n, 0.99);
    printf("  %-48s %5zu orders  min %8.1f  p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f us\n", what,
           n, n ? (double)v[0] / 1000.0 : 0, *p50, pct_us(v, n, 0.90), *p99,
           n ? (double)v[n - 1] / 1000.0 : 0);
}

typedef struct samples {
    int64_t *engine_ack, *feed_ack, *sim_clock, *first; /* first: see first_of_second */
    int64_t *bar_end, *fill_ts;
    size_t n, n_first, no_fill, no_trigger;
} samples;

/* The headline of the orders that were the first of their second: the engine's path for one
 * order with nothing queued before it (the others of the same second wait for it, one loop). */
static void first_of_second(samples *s)
{
    for (size_t i = 0; i < s->n; i++) {
        bool first = true;
        for (size_t k = 0; k < s->n && first; k++)
            first = s->bar_end[k] != s->bar_end[i] || s->fill_ts[k] >= s->fill_ts[i];
        if (first)
            s->first[s->n_first++] = s->engine_ack[i];
    }
}

/* The orders acknowledged inside the window, each measured from its trigger trade. */
static void collect(const phase *ph, samples *s)
{
    memset(s, 0, sizeof *s);
    size_t cap = ph->n_orders ? ph->n_orders : 1;
    s->engine_ack = calloc(cap, sizeof *s->engine_ack);
    s->feed_ack = calloc(cap, sizeof *s->feed_ack);
    s->sim_clock = calloc(cap, sizeof *s->sim_clock);
    s->first = calloc(cap, sizeof *s->first);
    s->bar_end = calloc(cap, sizeof *s->bar_end);
    s->fill_ts = calloc(cap, sizeof *s->fill_ts);
    for (size_t i = 0; i < ph->n_orders; i++) {
        const order_seen *o = &ph->orders[i];
        if (o->eng_ack_rx_ns < ph->window_from_ns || o->eng_ack_rx_ns > ph->window_to_ns ||
            o->sym < 0)
            continue;
        if (!o->fill_ts_ns) {
            s->no_fill++;
            continue;
        }
        int64_t bar_end = o->fill_ts_ns / 1000000000LL;
        const first_trade *t = &ph->ring[o->sym][bar_end % RING];
        if (t->sec != bar_end || t->ts_ns > o->fill_ts_ns || t->rx_ns > o->sim_ack_rx_ns) {
            s->no_trigger++;
            continue;
        }
        s->engine_ack[s->n] = o->eng_ack_rx_ns - t->rx_ns;
        s->feed_ack[s->n] = o->sim_ack_rx_ns - t->rx_ns;
        s->sim_clock[s->n] = o->fill_ts_ns - t->ts_ns;
        s->bar_end[s->n] = bar_end;
        s->fill_ts[s->n] = o->fill_ts_ns;
        s->n++;
    }
    first_of_second(s);
}

/* Prints the three figures; true when the headline meets p50 < 200 us and p99 < 1 ms. */
bool figures_print_latency(const phase *ph, double *headline_p50)
{
    samples s;
    collect(ph, &s);
    double p50, p99, unused50, unused99;
    print_latency("tick -> ack at the engine (eng.orders):", s.engine_ack, s.n, &p50, &p99);
    print_latency("tick -> ack on the sim's order feed:", s.feed_ack, s.n, &unused50, &unused99);
    print_latency("tick -> order at the broker (sim clock):", s.sim_clock, s.n, &unused50,
                  &unused99);
    print_latency("tick -> ack at the engine, first of its second:", s.first, s.n_first, &unused50,
                  &unused99);
    if (s.no_fill || s.no_trigger)
        printf("  not measured: %zu orders without a fill, %zu whose trigger trade the bench "
               "did not see\n",
               s.no_fill, s.no_trigger);
    free(s.engine_ack);
    free(s.feed_ack);
    free(s.sim_clock);
    free(s.first);
    free(s.bar_end);
    free(s.fill_ts);
    *headline_p50 = p50;
    return s.n > 0 && p50 < 200 && p99 < 1000;
}

/* Prints the phase; true when its ticks add up (published = received + counted lost). */
bool figures_print_ticks(const phase *ph)
{
    double secs = (double)(ph->window_to_ns - ph->window_from_ns) / 1e9;
    bool adds_up = ph->window_trades + ph->window_missing == ph->window_published;
    printf("%s: %d symbols every %d ms for %.1f s (sim and engine clocks at real speed)\n",
           ph->name, ph->n_syms, ph->step_ms, secs);
    printf("  ticks: the sim published %" PRIu64 " (%.0f/s); the bench received %" PRIu64
           " and counted %" PRIu64 " lost: %s; the engine counted %" PRIu64
           " lost (md_gaps, whole run)\n",
           ph->window_published, (double)ph->window_published / secs, ph->window_trades,
           ph->window_missing, adds_up ? "adds up" : "DOES NOT ADD UP", ph->md_gaps);
    printf("  CPU over the window: engine %.0f%%, sim %.0f%% of one core\n",
           100 * ph->engine_cpu / secs, 100 * ph->sim_cpu / secs);
    if (!ph->engine_ended)
        printf("  the engine did not end within 10 s of SIGTERM while the sim was publishing "
               "(killed)\n");
    return adds_up;
}
