/*
 * sim_store.c - see sim_store.h. Statements run prepared (the sim saves on
 * every order and fill); numbers travel as decimal text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_store.h"
#include "stom/alloc.h"
#include "stom/store.h"

struct sim_store {
    stom_db *db;
    char account[STOM_BROKER_ID_MAX + 1];
    const sim_symbol *symbols;
    int n_symbols;
};

typedef struct num {
    char s[24];
} num;

static num n64(int64_t v)
{
    num n;
    snprintf(n.s, sizeof n.s, "%" PRId64, v);
    return n;
}

static int64_t col(const PGresult *res, int row, int c)
{
    return strtoll(PQgetvalue(res, row, c), NULL, 10);
}

static const char *const state_names[] = {"working", "filled", "cancelled"};

/* The run's index of a stored symbol code, or -1. */
static int symbol_of(const sim_store *st, const char *code)
{
    for (int s = 0; s < st->n_symbols; s++)
        if (!strcmp(st->symbols[s].code, code))
            return s;
    return -1;
}

int sim_store_open(sim_store **out, const char *conninfo, const char *account, int64_t cash,
                   const sim_symbol *symbols, int n, stom_errbuf *eb)
{
    stom_db *db = NULL;
    int rc = stom_db_connect(&db, conninfo, eb);
    if (rc == STOM_OK)
        rc = stom_db_migrate(db, NULL, NULL, eb);
    num c = n64(cash);
    const char *p[] = {account, c.s};
    if (rc == STOM_OK)
        rc = stom_db_query(db,
                           "INSERT INTO broker_sim_accounts (account, cash) VALUES ($1, $2) "
                           "ON CONFLICT (account) DO NOTHING",
                           2, p, PGRES_COMMAND_OK, "creating the sim account", NULL, eb);
    if (rc != STOM_OK) {
        stom_db_close(db);
        return rc;
    }
    sim_store *st = stom_xcalloc(1, sizeof *st);
    st->db = db;
    snprintf(st->account, sizeof st->account, "%s", account);
    st->symbols = symbols;
    st->n_symbols = n;
    *out = st;
    return STOM_OK;
}

void sim_store_close(sim_store *st)
{
    if (!st)
        return;
    stom_db_close(st->db);
    free(st);
}

void sim_store_state_free(sim_store_state *s)
{
    free(s->qty);
    free(s->cost);
    free(s->orders);
    free(s->fills);
    memset(s, 0, sizeof *s);
}

/* ---- loading ---------------------------------------------------------------- */

static int load_account(sim_store *st, sim_store_state *out, stom_errbuf *eb)
{
    const char *p[] = {st->account};
    PGresult *res = NULL;
    int rc = stom_db_query(st->db,
                           "SELECT cash, last_fill_id, coalesce(clock_ns, 0) "
                           "FROM broker_sim_accounts WHERE account = $1",
                           1, p, PGRES_TUPLES_OK, "loading the sim account", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) == 1) {
        out->cash = col(res, 0, 0);
        out->last_fill_id = (uint64_t)col(res, 0, 1);
        out->clock_ns = col(res, 0, 2);
    } else {
        rc = stom_errorf(eb, STOM_ENOTFOUND, "sim account %s is not stored", st->account);
    }
    PQclear(res);
    return rc;
}

static int load_positions(sim_store *st, sim_store_state *out, stom_errbuf *eb)
{
    const char *p[] = {st->account};
    PGresult *res = NULL;
    int rc = stom_db_query(st->db,
                           "SELECT symbol, qty, cost FROM broker_sim_positions WHERE account = $1",
                           1, p, PGRES_TUPLES_OK, "loading the sim positions", &res, eb);
    for (int r = 0; rc == STOM_OK && r < PQntuples(res); r++) {
        int s = symbol_of(st, PQgetvalue(res, r, 0));
        if (s < 0 && col(res, r, 1) != 0)
            rc = stom_errorf(eb, STOM_EINVAL,
                             "sim account %s holds %" PRId64 " of %s, which this run does not "
                             "list (add it to the symbols)",
                             st->account, col(res, r, 1), PQgetvalue(res, r, 0));
        else if (s >= 0)
            out->qty[s] = col(res, r, 1), out->cost[s] = col(res, r, 2);
    }
    PQclear(res);
    return rc;
}

static void order_of_row(const PGresult *res, int r, int symbol, sim_stored_order *o)
{
    memset(o, 0, sizeof *o);
    sim_order_view *v = &o->rec.v;
    v->id = PQgetisnull(res, r, 1) ? 0 : (uint64_t)col(res, r, 1);
    v->symbol = symbol;
    v->side = (int)col(res, r, 3);
    v->limit = PQgetvalue(res, r, 4)[0] == 't';
    v->price = col(res, r, 5);
    v->qty = col(res, r, 6);
    v->filled = col(res, r, 7);
    const char *state = PQgetvalue(res, r, 9);
    v->state = !strcmp(state, "filled")      ? SIM_FILLED
               : !strcmp(state, "cancelled") ? SIM_CANCELLED
                                             : SIM_WORKING;
    v->decision_ns = col(res, r, 12);
    o->rec.bound = col(res, r, 10);
    o->rec.reserved = col(res, r, 11);
    o->cum_value = col(res, r, 8);
    o->accepted_ns = col(res, r, 13);
    o->ack_code = (int)col(res, r, 14);
    snprintf(o->client_id, sizeof o->client_id, "%s", PQgetvalue(res, r, 0));
    snprintf(o->reason, sizeof o->reason, "%s", PQgetvalue(res, r, 15));
}

static int load_orders(sim_store *st, sim_store_state *out, stom_errbuf *eb)
{
    const char *p[] = {st->account};
    PGresult *res = NULL;
    int rc = stom_db_query(
        st->db,
        "SELECT client_order_id, order_id, symbol, side, is_limit, price, qty, filled, "
        "cum_value, state, bound, reserved, decision_ns, accepted_ns, ack_code, reason "
        "FROM broker_sim_orders WHERE account = $1 ORDER BY order_id NULLS LAST",
        1, p, PGRES_TUPLES_OK, "loading the sim orders", &res, eb);
    if (rc != STOM_OK)
        return rc;
    out->orders = stom_xcalloc((size_t)PQntuples(res) + 1, sizeof *out->orders);
    for (int r = 0; rc == STOM_OK && r < PQntuples(res); r++) {
        int s = symbol_of(st, PQgetvalue(res, r, 2));
        if (s < 0 && !PQgetisnull(res, r, 1))
            rc = stom_errorf(eb, STOM_EINVAL,
                             "sim account %s has order %s of %s, which this run does not list "
                             "(add it to the symbols)",
                             st->account, PQgetvalue(res, r, 0), PQgetvalue(res, r, 2));
        else
            order_of_row(res, r, s, &out->orders[out->n_orders++]);
    }
    PQclear(res);
    return rc;
}

static int load_fills(sim_store *st, sim_store_state *out, stom_errbuf *eb)
{
    const char *p[] = {st->account};
    PGresult *res = NULL;
    int rc = stom_db_query(st->db,
                           "SELECT fill_id, order_id, client_order_id, symbol, side, qty, price, "
                           "commission, tax, ts_ns, cum_qty, cum_value FROM broker_sim_fills "
                           "WHERE account = $1 ORDER BY fill_id",
                           1, p, PGRES_TUPLES_OK, "loading the sim fills", &res, eb);
    if (rc != STOM_OK)
        return rc;
    out->fills = stom_xcalloc((size_t)PQntuples(res) + 1, sizeof *out->fills);
    for (int r = 0; r < PQntuples(res); r++) {
        sim_stored_fill *f = &out->fills[out->n_fills++];
        *f = (sim_stored_fill){.fill_id = (uint64_t)col(res, r, 0),
                               .order_id = (uint64_t)col(res, r, 1),
                               .symbol = symbol_of(st, PQgetvalue(res, r, 3)),
                               .side = (int)col(res, r, 4),
                               .qty = col(res, r, 5),
                               .price = col(res, r, 6),
                               .commission = col(res, r, 7),
                               .tax = col(res, r, 8),
                               .ts_ns = col(res, r, 9),
                               .cum_qty = col(res, r, 10),
                               .cum_value = col(res, r, 11)};
        snprintf(f->client_id, sizeof f->client_id, "%s", PQgetvalue(res, r, 2));
    }
    PQclear(res);
    return STOM_OK;
}

int sim_store_load(sim_store *st, sim_store_state *out, stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    out->qty = stom_xcalloc((size_t)st->n_symbols, sizeof *out->qty);
    out->cost = stom_xcalloc((size_t)st->n_symbols, sizeof *out->cost);
    int rc = load_account(st, out, eb);
    if (rc == STOM_OK)
        rc = load_positions(st, out, eb);
    if (rc == STOM_OK)
        rc = load_orders(st, out, eb);
    if (rc == STOM_OK)
        rc = load_fills(st, out, eb);
    if (rc != STOM_OK)
        sim_store_state_free(out);
    return rc;
}

/* ---- saving ----------------------------------------------------------------- */

static const char *code_of(const sim_store *st, int s)
{
    return s >= 0 && s < st->n_symbols ? st->symbols[s].code : "";
}

static int save_order(sim_store *st, const sim_stored_order *o, stom_errbuf *eb)
{
    const sim_order_view *v = &o->rec.v;
    num id = n64((int64_t)v->id), side = n64(v->side), price = n64(v->price), qty = n64(v->qty),
        filled = n64(v->filled), value = n64(o->cum_value), bound = n64(o->rec.bound),
        reserved = n64(o->rec.reserved), decided = n64(v->decision_ns),
        accepted = n64(o->accepted_ns), ack = n64(o->ack_code);
    const char *p[] = {st->account,
                       o->client_id,
                       v->id ? id.s : NULL,
                       code_of(st, v->symbol),
                       side.s,
                       v->limit ? "true" : "false",
                       price.s,
                       qty.s,
                       filled.s,
                       value.s,
                       v->id ? state_names[v->state] : "rejected",
                       bound.s,
                       reserved.s,
                       decided.s,
                       accepted.s,
                       ack.s,
                       o->reason};
    return stom_db_query_prepared(
        st->db,
        "INSERT INTO broker_sim_orders (account, client_order_id, order_id, symbol, side, "
        "is_limit, price, qty, filled, cum_value, state, bound, reserved, decision_ns, "
        "accepted_ns, ack_code, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14, $15, $16, $17) ON CONFLICT (account, client_order_id) DO UPDATE SET "
        "filled = EXCLUDED.filled, cum_value = EXCLUDED.cum_value, state = EXCLUDED.state, "
        "reserved = EXCLUDED.reserved",
        17, p, PGRES_COMMAND_OK, "saving a sim order", NULL, eb);
}

static int save_fill(sim_store *st, const sim_stored_fill *f, stom_errbuf *eb)
{
    num id = n64((int64_t)f->fill_id), order = n64((int64_t)f->order_id), side = n64(f->side),
        qty = n64(f->qty), price = n64(f->price), fee = n64(f->commission), tax = n64(f->tax),
        ts = n64(f->ts_ns), cum = n64(f->cum_qty), value = n64(f->cum_value);
    const char *p[] = {st->account, id.s,  order.s, f->client_id, code_of(st, f->symbol),
                       side.s,      qty.s, price.s, fee.s,        tax.s,
                       ts.s,        cum.s, value.s};
    return stom_db_query_prepared(
        st->db,
        "INSERT INTO broker_sim_fills (account, fill_id, order_id, client_order_id, symbol, "
        "side, qty, price, commission, tax, ts_ns, cum_qty, cum_value) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11, $12, $13)",
        13, p, PGRES_COMMAND_OK, "saving a sim fill", NULL, eb);
}

static int save_position(sim_store *st, int s, int64_t qty, int64_t cost, stom_errbuf *eb)
{
    num q = n64(qty), c = n64(cost);
    const char *p[] = {st->account, code_of(st, s), q.s, c.s};
    return stom_db_query_prepared(
        st->db,
        "INSERT INTO broker_sim_positions (account, symbol, qty, cost) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (account, symbol) DO UPDATE SET qty = EXCLUDED.qty, cost = EXCLUDED.cost",
        4, p, PGRES_COMMAND_OK, "saving a sim position", NULL, eb);
}

static int save_account(sim_store *st, const sim_store_change *c, stom_errbuf *eb)
{
    num cash = n64(c->cash), fill = n64((int64_t)c->last_fill_id), clock = n64(c->clock_ns);
    const char *p[] = {st->account, cash.s, fill.s, c->clock_ns ? clock.s : NULL};
    return stom_db_query_prepared(
        st->db,
        "UPDATE broker_sim_accounts SET cash = $2, last_fill_id = $3, "
        "clock_ns = coalesce($4::bigint, clock_ns), updated_at = now() WHERE account = $1",
        4, p, PGRES_COMMAND_OK, "saving the sim account", NULL, eb);
}

static int save_all(sim_store *st, const sim_store_change *c, stom_errbuf *eb)
{
    int rc = stom_db_begin(st->db, eb);
    for (size_t k = 0; rc == STOM_OK && k < c->n_orders; k++)
        rc = save_order(st, c->orders[k], eb);
    for (size_t k = 0; rc == STOM_OK && k < c->n_fills; k++)
        rc = save_fill(st, &c->fills[k], eb);
    for (size_t k = 0; rc == STOM_OK && k < c->n_symbols; k++)
        rc = save_position(st, c->symbols[k], c->qty[c->symbols[k]], c->cost[c->symbols[k]], eb);
    if (rc == STOM_OK)
        rc = save_account(st, c, eb);
    if (rc == STOM_OK)
        rc = stom_db_commit(st->db, eb);
    if (rc != STOM_OK)
        stom_db_rollback(st->db);
    return rc;
}

int sim_store_save(sim_store *st, const sim_store_change *c, stom_errbuf *eb)
{
    int rc = save_all(st, c, eb);
    /* A connection the server dropped gets one more try once it is reset. */
    if (rc == STOM_EIO && stom_db_check(st->db, eb) == STOM_OK)
        rc = save_all(st, c, eb);
    return rc;
}
