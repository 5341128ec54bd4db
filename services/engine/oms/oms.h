/*
 * oms.h - the engine's order manager: one state machine per order, the
 * PostgreSQL journal written ahead of every send, and the reconciliation
 * of that journal with what a broker reports after a restart
 * (docs/oms.md).
 *
 *   pending -> sent -> accepted -> partially_filled -> filled
 *                 \          \             \-> cancelled
 *                  \          \-> cancelled
 *                   \-> rejected   (also from pending and accepted)
 *
 * A fill may arrive before the acknowledgement (brokers do that), so fills
 * are accepted from sent as well, and a late acknowledgement of a partly
 * filled order only records the broker's order id. filled, cancelled and rejected are final:
 * any further event is refused (a repeated fill never reaches the state
 * machine: the journal drops it by its fill id first).
 *
 * Quantities are instrument quantity units and prices the instrument's
 * price units (integers, as everywhere in stom); filled_value is the exact
 * sum of qty x price of the fills.
 *
 * Thread-safety: plain values and pure functions, except oms_journal_*,
 * which use the caller's stom_db (one per thread).
 */
#ifndef STOM_OMS_H
#define STOM_OMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/db_pipe.h"
#include "stom/store.h"

#define OMS_ID_MAX     64 /* client and broker order ids, fill ids, with the NUL */
#define OMS_TEXT_MAX   32 /* broker, account, strategy, symbol */
#define OMS_REASON_MAX 160

typedef enum oms_state {
    OMS_PENDING = 0, /* journaled, not sent yet */
    OMS_SENT,
    OMS_ACCEPTED,
    OMS_PARTIALLY_FILLED,
    OMS_FILLED,
    OMS_CANCELLED,
    OMS_REJECTED
} oms_state;

typedef enum oms_event_kind {
    OMS_EV_SENT = 0,
    OMS_EV_ACCEPTED, /* broker_order_id */
    OMS_EV_REJECTED, /* reason */
    OMS_EV_FILL,     /* fill_id, qty, price */
    OMS_EV_CANCELLED /* reason (may be empty) */
} oms_event_kind;

typedef struct oms_order {
    char client_order_id[OMS_ID_MAX];
    char broker[OMS_TEXT_MAX], account[OMS_TEXT_MAX], strategy[OMS_TEXT_MAX], symbol[OMS_TEXT_MAX];
    int side;            /* +1 buy, -1 sell */
    bool limit;          /* limit order, else market */
    int64_t qty;         /* > 0 */
    int64_t limit_price; /* > 0 for a limit order, else 0 */
    oms_state state;
    int64_t filled_qty, filled_value;
    char broker_order_id[OMS_ID_MAX];
    char reason[OMS_REASON_MAX];
    int events; /* events recorded so far (the journal's next seq is events + 1) */
} oms_order;

typedef struct oms_event {
    oms_event_kind kind;
    char broker_order_id[OMS_ID_MAX]; /* ACCEPTED */
    char fill_id[OMS_ID_MAX];         /* FILL: the broker's id of the fill */
    int64_t qty, price;               /* FILL */
    char reason[OMS_REASON_MAX];      /* REJECTED, CANCELLED */
} oms_event;

/* "pending", "sent", "accepted", "partially_filled", "filled", "cancelled", "rejected". */
const char *oms_state_name(oms_state s);
/* The reverse; false for any other text. */
bool oms_state_parse(const char *name, oms_state *out);
/* "sent", "accepted", "rejected", "fill", "cancelled". */
const char *oms_event_name(oms_event_kind k);
bool oms_event_parse(const char *name, oms_event_kind *out);
/* Whether s is final (filled, cancelled, rejected). */
bool oms_state_final(oms_state s);

/* Checks a new order's fields: 0, or STOM_EINVAL naming the field ("qty: must be above 0"). */
int oms_order_check(const oms_order *o, stom_errbuf *eb);

/*
 * Applies e to o: 0 with o in its new state, or STOM_ESTATE when e is not
 * allowed in o's state ("a fill of order X, which is cancelled") or
 * STOM_EINVAL when e is malformed (a fill over the order's quantity, a
 * fill without a positive price); o is then unchanged.
 */
int oms_apply(oms_order *o, const oms_event *e, stom_errbuf *eb);

/* ---- the journal (oms_journal.c) ------------------------------------------ */

/*
 * Writes o (state pending, nothing filled) before it is sent. 0, or
 * STOM_ESTATE when its client order id is already journaled (nothing is
 * written), STOM_EINVAL for a bad order, STOM_EIO for the database.
 * at_ns: UTC nanoseconds of the decision.
 */
int oms_journal_write_ahead(stom_db *db, const oms_order *o, int64_t at_ns, stom_errbuf *eb);
/*
 * As oms_journal_write_ahead, but the order is written already 'sent', with
 * its 'sent' event (event 1), in one statement: for a caller that sends it
 * right after. The journal says the same before the request leaves as
 * write_ahead followed by recording OMS_EV_SENT, in one round trip instead
 * of six. The caller applies OMS_EV_SENT to its own copy.
 */
int oms_journal_write_sent(stom_db *db, const oms_order *o, int64_t at_ns, stom_errbuf *eb);
/*
 * Records e for the journaled order client_order_id in one transaction: the
 * row is locked and read into *o (the journal, not the caller's memory, is
 * the authority), e is applied, the event and the new state are written.
 * *applied is false when e is a fill the journal already has (nothing
 * changes). 0, STOM_ENOTFOUND (no such order), STOM_ESTATE / STOM_EINVAL
 * (oms_apply refused e; nothing is written), STOM_EIO.
 */
int oms_journal_record(stom_db *db, const char *client_order_id, const oms_event *e, int64_t at_ns,
                       oms_order *o, bool *applied, stom_errbuf *eb);
/*
 * The forms of write_sent and record for a writer that does not wait
 * (stom/db_pipe.h): the statement is in PostgreSQL's socket when they
 * return 0, and its failure is reported by the pipe later. For the
 * journal's only writer, which holds each order in memory: send_event
 * takes the order as oms_apply left it after e (its events count is e's
 * seq) and does not look at the journal; the caller drops a fill it has
 * seen (the statement inserts nothing for a known fill id either).
 */
int oms_journal_send_sent(stom_db_pipe *p, const oms_order *o, int64_t at_ns, stom_errbuf *eb);
int oms_journal_send_event(stom_db_pipe *p, const oms_order *after, const oms_event *e,
                           int64_t at_ns, stom_errbuf *eb);
/* Reads one journaled order into *o. 0, STOM_ENOTFOUND or STOM_EIO. */
int oms_journal_get(stom_db *db, const char *client_order_id, oms_order *o, stom_errbuf *eb);
/*
 * The orders of broker that are not final, oldest first, into *out
 * (owned, free()) and their number into *n. 0 or STOM_EIO.
 */
int oms_journal_open_orders(stom_db *db, const char *broker, oms_order **out, size_t *n,
                            stom_errbuf *eb);

/* ---- reconciliation (oms_reconcile.c) -------------------------------------- */

/* An order the broker reports as working (open), with what it has filled. */
typedef struct oms_broker_order {
    char client_order_id[OMS_ID_MAX];
    char broker_order_id[OMS_ID_MAX];
    int64_t filled_qty;
} oms_broker_order;

/* A fill the broker reports for the period the journal's open orders span; the caller leaves
 * out the fills of orders the journal has final (oms_journal_get says which). */
typedef struct oms_broker_fill {
    char client_order_id[OMS_ID_MAX];
    char fill_id[OMS_ID_MAX];
    int64_t qty, price;
} oms_broker_fill;

/* The fills the journal has of broker's open orders, into *out (owned, free()), *n. 0 or
 * STOM_EIO. (oms_journal.c) */
int oms_journal_open_fills(stom_db *db, const char *broker, oms_broker_fill **out, size_t *n,
                           stom_errbuf *eb);

typedef enum oms_recon_kind {
    OMS_RECON_APPLY = 0, /* record event on client_order_id */
    OMS_RECON_MISMATCH   /* halt trading: message says what does not match */
} oms_recon_kind;

typedef struct oms_recon_item {
    oms_recon_kind kind;
    char client_order_id[OMS_ID_MAX];
    oms_event event; /* APPLY */
    char message[256];
} oms_recon_item;

/*
 * Compares the journal's open orders of one broker (journal, with the fills
 * the journal has of them: journaled, from oms_journal_open_fills) with the
 * broker's working orders and fills, and lists what brings the journal up
 * to date, in order, into *out (owned, free()), *n items:
 * - a broker fill the journal lacks (by fill id): APPLY the fill (after an
 *   ACCEPTED when the journal never saw the acknowledgement);
 * - an order the broker still works: APPLY ACCEPTED if the journal has it
 *   pending or sent;
 * - an order the broker does not know and never filled, pending or sent in
 *   the journal: it never reached the market; APPLY REJECTED ("not sent
 *   before the engine stopped");
 * - an order the broker no longer works, accepted or partly filled in the
 *   journal, after its fills: APPLY CANCELLED ("ended at the broker");
 * - anything else - a working order or a fill with a client order id the
 *   journal does not have open, fills over an order's quantity, a fill the
 *   journal has and the broker does not, a broker filled quantity that its
 *   fills do not explain - is a MISMATCH: the
 *   engine halts trading with the message instead of guessing.
 * Borrows everything. 0, or STOM_ENOMEM.
 */
int oms_reconcile(const oms_order *journal, size_t n_journal, const oms_broker_fill *journaled,
                  size_t n_journaled, const oms_broker_order *open, size_t n_open,
                  const oms_broker_fill *fills, size_t n_fills, oms_recon_item **out, size_t *n);

#endif
