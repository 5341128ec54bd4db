/*
 * sim_store.h - stom-broker-sim's account in PostgreSQL (--database): cash,
 * positions, every order it answered (refusals included) and every fill, in
 * the tables of libs/store/migrations/0010_broker_sim.sql, keyed by the
 * account's name. Opening migrates the database and creates the account
 * with the starting cash when it is new; loading gives back what the last
 * run saved. Each change is saved in one transaction (sim_store_save), so a
 * SIGKILL keeps every change whose save returned.
 *
 * Symbols are stored by code; the store maps them to the run's symbol
 * indexes, and refuses to load an account that holds a symbol the run
 * does not list (nothing stored is touched).
 *
 * Thread-safety: one thread per store (its PostgreSQL connection).
 */
#ifndef STOM_SIM_STORE_H
#define STOM_SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_market.h"
#include "stom/broker.h"

/* An order as the sim answered it. */
typedef struct sim_stored_order {
    sim_order_record rec; /* rec.v.id 0: a refused place (rec.v.state unused) */
    char client_id[STOM_BROKER_ID_MAX + 1];
    int64_t cum_value;   /* sum of fill qty x price */
    int64_t accepted_ns; /* the time of the first answer */
    int ack_code;        /* the first answer: a STOM__V1__ORDER_STATUS__*, or for a refusal the
                            STOM__V1__ERROR_CODE__* */
    char reason[SIM_REASON_MAX + 16]; /* a refusal's message */
} sim_stored_order;

typedef struct sim_stored_fill {
    uint64_t fill_id, order_id;
    char client_id[STOM_BROKER_ID_MAX + 1];
    int symbol, side;
    int64_t qty, price, commission, tax, ts_ns;
    int64_t cum_qty, cum_value; /* the order's totals after this fill */
} sim_stored_fill;

/* What the last run left (sim_store_load). Release with sim_store_state_free. */
typedef struct sim_store_state {
    int64_t cash;
    uint64_t last_fill_id;
    int64_t clock_ns;         /* 0: none saved */
    int64_t *qty, *cost;      /* per symbol */
    sim_stored_order *orders; /* the market's orders in id order, then the refusals */
    size_t n_orders;
    sim_stored_fill *fills; /* in fill id order */
    size_t n_fills;
} sim_store_state;

/* One change to save. Everything borrowed. */
typedef struct sim_store_change {
    int64_t cash;
    uint64_t last_fill_id;
    int64_t clock_ns;                      /* 0: leave as saved */
    const sim_stored_order *const *orders; /* new or changed orders */
    size_t n_orders;
    const sim_stored_fill *fills; /* new fills */
    size_t n_fills;
    const int *symbols;        /* positions that changed: their symbols ... */
    const int64_t *qty, *cost; /* ... indexed by symbol */
    size_t n_symbols;
} sim_store_change;

typedef struct sim_store sim_store;

/*
 * Connects to conninfo, applies the migrations, and creates account with
 * cash when it is not stored yet. Borrows symbols (n) for its lifetime.
 * 0, or STOM_EIO / STOM_ERANGE with eb saying what failed.
 */
int sim_store_open(sim_store **out, const char *conninfo, const char *account, int64_t cash,
                   const sim_symbol *symbols, int n, stom_errbuf *eb);
void sim_store_close(sim_store *st);

/* Loads the account into *out (zeroed first). 0, STOM_EINVAL (a stored symbol this run does not
 * list, named in eb; nothing changes), or STOM_EIO. */
int sim_store_load(sim_store *st, sim_store_state *out, stom_errbuf *eb);
void sim_store_state_free(sim_store_state *s);

/* Saves c in one transaction; on failure nothing of it is saved. 0 or STOM_EIO. */
int sim_store_save(sim_store *st, const sim_store_change *c, stom_errbuf *eb);

#endif
