/*
 * sim_adapter_internal.h - what the files of stom-broker-sim's adapter
 * share: the adapter object (sim_adapter.c: lifecycle, clock, replay),
 * settling a market operation (sim_settle.c: fills and ends applied to the
 * orders, saved, then published) and the request handlers (sim_handlers.c).
 *
 * Every change to the market runs as one operation: sim__op_begin, the
 * market call (its fill and end callbacks are held), sim__op_settle. Settle
 * saves the change (with --database) before any of its events goes out,
 * and a handler replies only after it, so nothing acknowledged is lost.
 *
 * Invariants: refs[ref_of_id[id - 1]] is the order of market id id; refs
 * also holds refused places (rec.v.id 0); pos and cost mirror the market's
 * positions and what they cost.
 *
 * Thread-safety: as sim_adapter.h (one thread).
 */
#ifndef STOM_SIM_ADAPTER_INTERNAL_H
#define STOM_SIM_ADAPTER_INTERNAL_H

#include <stdatomic.h>

#include "sim_adapter.h"
#include "sim_replay.h"
#include "sim_store.h"

typedef struct sim__held {
    bool is_fill;
    sim_fill fill;
    uint64_t order_id;
    sim_order_state st;
    char reason[SIM_REASON_MAX];
} sim__held;

struct sim_adapter {
    sim_adapter_options opt; /* opt.market.symbols points at symbols */
    sim_symbol *symbols;
    char account[STOM_BROKER_ID_MAX + 1];
    sim_market *market;
    stom_broker_server *server;
    sim_stored_order *refs;
    size_t n_refs, cap_refs;
    size_t *ref_of_id; /* by market id - 1 */
    size_t n_ids, cap_ids;
    sim_stored_fill *fills; /* every fill, for FillsRequest */
    size_t n_fills, cap_fills;
    int64_t *pos, *cost; /* per symbol: the position and what it cost (average price) */
    sim__held *held;     /* the operation's events */
    size_t n_held, cap_held;
    sim_store *store; /* NULL without --database */
    stom_db *replay_db;
    sim_replay *replay; /* NULL for the synthetic path */
    int64_t clock_ns;   /* replay: the last replayed trade */
    int64_t clock_base_ns,
        mono_base_ns; /* the simulation clock: base + (mono - mono base) x speed */
    int64_t clock_saved_mono_ns;
    bool replay_asked; /* a request was answered: the replay starts once a subscriber is on */
    bool replay_started, replay_done, quiet;
    atomic_bool stop;
};

/* The simulation's time now (UTC ns). */
int64_t sim__now(const sim_adapter *a);
const char *sim__code(const sim_adapter *a, int s);
/* The order of market id id, or NULL. */
sim_stored_order *sim__ref_by_id(sim_adapter *a, uint64_t id);
/* A new order entry (zeroed); refs may move. Market orders get ref_of_id set. */
sim_stored_order *sim__ref_new(sim_adapter *a, uint64_t id);

/* Starts an operation: the market's events are held from here. */
void sim__op_begin(sim_adapter *a);
/* Ends it: applies the held fills and ends to the orders (and placed, a
 * new order or refusal to save, may be NULL), saves them, then publishes
 * ACCEPTED for placed and the held events in order. A save that fails stops
 * the process (exit 3) before anything goes out. */
void sim__op_settle(sim_adapter *a, sim_stored_order *placed);
/* The event of fill f of order r; strings borrowed from r, f and the buffers. */
Stom__V1__OrderEvent sim__fill_event(const sim_adapter *a, const sim_stored_order *r,
                                     const sim_stored_fill *f, char *no, size_t no_len,
                                     char *fill_id, size_t id_len);
/* Publishes the REJECTED event of a refused place. */
void sim__publish_rejected(sim_adapter *a, const sim_stored_order *r, int64_t now);
/* The market's callbacks (arg: the adapter). */
void sim__on_fill(void *arg, const sim_fill *f);
void sim__on_done(void *arg, uint64_t id, sim_order_state st, const char *reason);
void sim__on_print(void *arg, const sim_print *p);
/* Saves the replay clock alone (a no-op without --database). */
void sim__save_clock(sim_adapter *a);

/* The request handlers. */
extern const stom_broker_handlers sim__handlers;

#endif
