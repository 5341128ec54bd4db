/*
 * oms_journal.c - the order journal in PostgreSQL (see oms.h and
 * libs/store/migrations/0008_order_journal.sql).
 *
 * oms_journal_record locks the order's row (SELECT ... FOR UPDATE), so two
 * threads recording events of one order take turns, and each sees the state
 * the other wrote. Everything it needs is in that row (the event count
 * included): a statement that waited for the lock re-reads the locked row,
 * but a subquery of it would still see the snapshot taken before waiting. A fill's event row is
 * inserted first with ON CONFLICT DO NOTHING on (order, fill id): a fill reported twice inserts
 * nothing and changes nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms.h"

#define COLUMNS                                                                                    \
    "client_order_id, broker, account, strategy, symbol, side, order_type, qty, "                  \
    "coalesce(limit_price, 0), state, filled_qty, filled_value, coalesce(broker_order_id, ''), "   \
    "coalesce(reason, ''), events"

static void copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
}

/* Row r of a result of COLUMNS into *o. */
static void row_to_order(PGresult *res, int r, oms_order *o)
{
    memset(o, 0, sizeof *o);
    copy(o->client_order_id, sizeof o->client_order_id, PQgetvalue(res, r, 0));
    copy(o->broker, sizeof o->broker, PQgetvalue(res, r, 1));
    copy(o->account, sizeof o->account, PQgetvalue(res, r, 2));
    copy(o->strategy, sizeof o->strategy, PQgetvalue(res, r, 3));
    copy(o->symbol, sizeof o->symbol, PQgetvalue(res, r, 4));
    o->side = atoi(PQgetvalue(res, r, 5));
    o->limit = !strcmp(PQgetvalue(res, r, 6), "limit");
    o->qty = strtoll(PQgetvalue(res, r, 7), NULL, 10);
    o->limit_price = strtoll(PQgetvalue(res, r, 8), NULL, 10);
    oms_state_parse(PQgetvalue(res, r, 9), &o->state); /* the CHECK constraint allows no other */
    o->filled_qty = strtoll(PQgetvalue(res, r, 10), NULL, 10);
    o->filled_value = strtoll(PQgetvalue(res, r, 11), NULL, 10);
    copy(o->broker_order_id, sizeof o->broker_order_id, PQgetvalue(res, r, 12));
    copy(o->reason, sizeof o->reason, PQgetvalue(res, r, 13));
    o->events = atoi(PQgetvalue(res, r, 14));
}

static void micros(char *buf, size_t len, int64_t at_ns)
{
    snprintf(buf, len, "%" PRId64, at_ns / 1000);
}

/* The order as pending, or (sent) as sent with its 'sent' event, in one statement. */
static const char *const INSERT_ORDER[] = {
    "INSERT INTO order_journal (client_order_id, broker, account, strategy, symbol, side, "
    "order_type, qty, limit_price, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, 'pending', to_timestamp($10::bigint / 1e6), "
    "to_timestamp($10::bigint / 1e6)) ON CONFLICT (client_order_id) DO NOTHING",
    "WITH o AS (INSERT INTO order_journal (client_order_id, broker, account, strategy, symbol, "
    "side, order_type, qty, limit_price, state, events, created_at, updated_at) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, 'sent', 1, to_timestamp($10::bigint / 1e6), "
    "to_timestamp($10::bigint / 1e6)) ON CONFLICT (client_order_id) DO NOTHING RETURNING "
    "client_order_id) INSERT INTO order_journal_events (client_order_id, seq, kind, at) SELECT "
    "client_order_id, 1, 'sent', to_timestamp($10::bigint / 1e6) FROM o"};

/* The text of an order's INSERT_ORDER parameters. */
typedef struct order_params {
    char side[8], qty[24], price[24], at[24];
    const char *v[10];
} order_params;

static void order_params_of(const oms_order *o, int64_t at_ns, order_params *op)
{
    snprintf(op->side, sizeof op->side, "%d", o->side);
    snprintf(op->qty, sizeof op->qty, "%" PRId64, o->qty);
    snprintf(op->price, sizeof op->price, "%" PRId64, o->limit_price);
    micros(op->at, sizeof op->at, at_ns);
    const char *v[] = {o->client_order_id,
                       o->broker,
                       o->account,
                       o->strategy,
                       o->symbol,
                       op->side,
                       o->limit ? "limit" : "market",
                       op->qty,
                       o->limit ? op->price : NULL,
                       op->at};
    memcpy(op->v, v, sizeof v);
}

static int insert_order(stom_db *db, const oms_order *o, int64_t at_ns, bool sent, stom_errbuf *eb)
{
    int rc = oms_order_check(o, eb);
    if (rc != STOM_OK)
        return rc;
    order_params op;
    order_params_of(o, at_ns, &op);
    PGresult *res = NULL;
    rc = stom_db_query_prepared(db, INSERT_ORDER[sent], 10, op.v, PGRES_COMMAND_OK,
                                "journaling the order", &res, eb);
    if (rc != STOM_OK)
        return rc;
    bool inserted = !strcmp(PQcmdTuples(res), "1");
    PQclear(res);
    return inserted ? STOM_OK
                    : stom_errorf(eb, STOM_ESTATE, "client order id %s is already journaled",
                                  o->client_order_id);
}

int oms_journal_write_ahead(stom_db *db, const oms_order *o, int64_t at_ns, stom_errbuf *eb)
{
    return insert_order(db, o, at_ns, false, eb);
}

int oms_journal_write_sent(stom_db *db, const oms_order *o, int64_t at_ns, stom_errbuf *eb)
{
    return insert_order(db, o, at_ns, true, eb);
}

int oms_journal_get(stom_db *db, const char *client_order_id, oms_order *o, stom_errbuf *eb)
{
    const char *params[] = {client_order_id};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        db, "SELECT " COLUMNS " FROM order_journal WHERE client_order_id = $1", 1, params,
        PGRES_TUPLES_OK, "reading the order", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 1)
        row_to_order(res, 0, o);
    else
        rc = stom_errorf(eb, STOM_ENOTFOUND, "no journaled order %s", client_order_id);
    PQclear(res);
    return rc;
}

/* The text of an event row's parameters: id, seq, kind, fill id, qty, price, broker order id,
 * reason, at (microseconds, text). */
typedef struct event_params {
    char seq[16], qty[24], price[24];
    const char *v[9];
} event_params;

static void event_params_of(const char *id, int seq, const oms_event *e, const char *at,
                            event_params *ep)
{
    snprintf(ep->seq, sizeof ep->seq, "%d", seq);
    snprintf(ep->qty, sizeof ep->qty, "%" PRId64, e->qty);
    snprintf(ep->price, sizeof ep->price, "%" PRId64, e->price);
    bool fill = e->kind == OMS_EV_FILL;
    const char *v[] = {id,
                       ep->seq,
                       oms_event_name(e->kind),
                       fill ? e->fill_id : NULL,
                       fill ? ep->qty : NULL,
                       fill ? ep->price : NULL,
                       e->kind == OMS_EV_ACCEPTED ? e->broker_order_id : NULL,
                       e->reason[0] ? e->reason : NULL,
                       at};
    memcpy(ep->v, v, sizeof v);
}

/* Inserts e as event number seq of id; *inserted false when it is a fill already there. */
static int insert_event(stom_db *db, const char *id, int seq, const oms_event *e, const char *at,
                        bool *inserted, stom_errbuf *eb)
{
    event_params ep;
    event_params_of(id, seq, e, at, &ep);
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        db,
        "INSERT INTO order_journal_events (client_order_id, seq, kind, fill_id, qty, price, "
        "broker_order_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "to_timestamp($9::bigint / 1e6)) ON CONFLICT (client_order_id, fill_id) "
        "WHERE fill_id IS NOT NULL DO NOTHING",
        9, ep.v, PGRES_COMMAND_OK, "journaling the event", &res, eb);
    if (rc == STOM_OK)
        *inserted = !strcmp(PQcmdTuples(res), "1");
    PQclear(res);
    return rc;
}

static int write_state(stom_db *db, const oms_order *o, const char *at, stom_errbuf *eb)
{
    char filled[24], value[24], events[16];
    snprintf(filled, sizeof filled, "%" PRId64, o->filled_qty);
    snprintf(value, sizeof value, "%" PRId64, o->filled_value);
    snprintf(events, sizeof events, "%d", o->events);
    const char *params[] = {o->client_order_id,
                            oms_state_name(o->state),
                            filled,
                            value,
                            o->broker_order_id[0] ? o->broker_order_id : NULL,
                            o->reason[0] ? o->reason : NULL,
                            at,
                            events};
    return stom_db_query_prepared(
        db,
        "UPDATE order_journal SET state = $2, filled_qty = $3, filled_value = $4, "
        "broker_order_id = $5, reason = $6, updated_at = to_timestamp($7::bigint / 1e6), "
        "events = $8 WHERE client_order_id = $1",
        8, params, PGRES_COMMAND_OK, "journaling the order's state", NULL, eb);
}

/* Whether the journal has fill_id of order id (a statement of its own, after the row lock, so
 * it sees what the previous holder of the lock committed). */
static int fill_known(stom_db *db, const char *id, const char *fill_id, bool *known,
                      stom_errbuf *eb)
{
    const char *params[] = {id, fill_id};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(db,
                                    "SELECT 1 FROM order_journal_events WHERE client_order_id = $1 "
                                    "AND fill_id = $2",
                                    2, params, PGRES_TUPLES_OK, "looking up the fill", &res, eb);
    if (rc == STOM_OK)
        *known = PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

/* Inside the transaction: lock and read, drop a known fill, apply, write. */
static int record_locked(stom_db *db, const char *id, const oms_event *e, const char *at,
                         oms_order *o, bool *applied, stom_errbuf *eb)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        db, "SELECT " COLUMNS " FROM order_journal WHERE client_order_id = $1 FOR UPDATE", 1,
        params, PGRES_TUPLES_OK, "locking the order", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "no journaled order %s", id);
    }
    row_to_order(res, 0, o);
    PQclear(res);
    bool known = false;
    if (e->kind == OMS_EV_FILL && (rc = fill_known(db, id, e->fill_id, &known, eb)) != STOM_OK)
        return rc;
    if (known) /* reported again, maybe after the order became final: nothing changes */
        return STOM_OK;
    oms_order next = *o;
    if ((rc = oms_apply(&next, e, eb)) != STOM_OK)
        return rc;
    bool inserted = false;
    if ((rc = insert_event(db, id, next.events, e, at, &inserted, eb)) != STOM_OK)
        return rc;
    if (!inserted) /* a fill the journal has: nothing changes */
        return STOM_OK;
    if ((rc = write_state(db, &next, at, eb)) != STOM_OK)
        return rc;
    *o = next;
    *applied = true;
    return STOM_OK;
}

int oms_journal_record(stom_db *db, const char *client_order_id, const oms_event *e, int64_t at_ns,
                       oms_order *o, bool *applied, stom_errbuf *eb)
{
    char at[24];
    micros(at, sizeof at, at_ns);
    *applied = false;
    int rc = stom_db_begin(db, eb);
    if (rc != STOM_OK)
        return rc;
    rc = record_locked(db, client_order_id, e, at, o, applied, eb);
    if (rc == STOM_OK && *applied)
        rc = stom_db_commit(db, eb);
    else
        stom_db_rollback(db);
    if (rc != STOM_OK)
        *applied = false;
    return rc;
}

int oms_journal_open_orders(stom_db *db, const char *broker, oms_order **out, size_t *n,
                            stom_errbuf *eb)
{
    const char *params[] = {broker};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        db,
        "SELECT " COLUMNS " FROM order_journal WHERE broker = $1 AND state IN ('pending', "
        "'sent', 'accepted', 'partially_filled') ORDER BY created_at, client_order_id",
        1, params, PGRES_TUPLES_OK, "reading the open orders", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *n = (size_t)PQntuples(res);
    *out = calloc(*n ? *n : 1, sizeof **out);
    if (!*out) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOMEM, "out of memory reading %zu orders", *n);
    }
    for (int r = 0; r < PQntuples(res); r++)
        row_to_order(res, r, &(*out)[r]);
    PQclear(res);
    return STOM_OK;
}

int oms_journal_open_fills(stom_db *db, const char *broker, oms_broker_fill **out, size_t *n,
                           stom_errbuf *eb)
{
    const char *params[] = {broker};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        db,
        "SELECT e.client_order_id, e.fill_id, e.qty, e.price FROM order_journal_events e "
        "JOIN order_journal o USING (client_order_id) WHERE o.broker = $1 AND e.kind = 'fill' "
        "AND o.state IN ('pending', 'sent', 'accepted', 'partially_filled') "
        "ORDER BY e.client_order_id, e.seq",
        1, params, PGRES_TUPLES_OK, "reading the open orders' fills", &res, eb);
    if (rc != STOM_OK)
        return rc;
    *n = (size_t)PQntuples(res);
    *out = calloc(*n ? *n : 1, sizeof **out);
    if (!*out) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOMEM, "out of memory reading %zu fills", *n);
    }
    for (int r = 0; r < PQntuples(res); r++) {
        oms_broker_fill *f = &(*out)[r];
        copy(f->client_order_id, sizeof f->client_order_id, PQgetvalue(res, r, 0));
        copy(f->fill_id, sizeof f->fill_id, PQgetvalue(res, r, 1));
        f->qty = strtoll(PQgetvalue(res, r, 2), NULL, 10);
        f->price = strtoll(PQgetvalue(res, r, 3), NULL, 10);
    }
    PQclear(res);
    return STOM_OK;
}

/* ---- the same without waiting (stom/db_pipe.h) ------------------------------ */

int oms_journal_send_sent(stom_db_pipe *p, const oms_order *o, int64_t at_ns, stom_errbuf *eb)
{
    int rc = oms_order_check(o, eb);
    if (rc != STOM_OK)
        return rc;
    order_params op;
    order_params_of(o, at_ns, &op);
    return stom_db_pipe_send(p, INSERT_ORDER[1], 10, op.v, "journaling an order ahead of its send",
                             true, eb);
}

/* The event row and the order's new state in one statement; a fill the journal has already
 * inserts nothing and so changes nothing. */
static const char RECORD_EVENT[] =
    "WITH ev AS (INSERT INTO order_journal_events (client_order_id, seq, kind, fill_id, qty, "
    "price, broker_order_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "to_timestamp($9::bigint / 1e6)) ON CONFLICT (client_order_id, fill_id) WHERE fill_id IS NOT "
    "NULL DO NOTHING RETURNING 1) UPDATE order_journal SET state = $10, filled_qty = $11, "
    "filled_value = $12, broker_order_id = $13, reason = $14, updated_at = "
    "to_timestamp($9::bigint / 1e6), events = $2 WHERE client_order_id = $1 AND EXISTS (SELECT 1 "
    "FROM ev)";

int oms_journal_send_event(stom_db_pipe *p, const oms_order *after, const oms_event *e,
                           int64_t at_ns, stom_errbuf *eb)
{
    char at[24], filled[24], value[24];
    micros(at, sizeof at, at_ns);
    snprintf(filled, sizeof filled, "%" PRId64, after->filled_qty);
    snprintf(value, sizeof value, "%" PRId64, after->filled_value);
    event_params ep;
    event_params_of(after->client_order_id, after->events, e, at, &ep);
    const char *params[14] = {0};
    memcpy(params, ep.v, sizeof ep.v);
    params[9] = oms_state_name(after->state);
    params[10] = filled;
    params[11] = value;
    params[12] = after->broker_order_id[0] ? after->broker_order_id : NULL;
    params[13] = after->reason[0] ? after->reason : NULL;
    return stom_db_pipe_send(p, RECORD_EVENT, 14, params, "journaling an order event", true, eb);
}
