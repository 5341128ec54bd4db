/*
 * restore.c - what the engine does before any strategy runs: the risk
 * settings, the day's fills replayed into the risk manager, the halts that
 * outlive a restart, the reconciliation of the journal with the broker
 * (docs/oms.md), and the instances that were running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/costs.h"
#include "stom/timeutil.h"

int eng_load_risk(engine *e, stom_errbuf *eb)
{
    const char *args[] = {e->cfg->broker};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        e->db,
        "SELECT json_build_object('accounts', coalesce(json_object_agg(b.account, "
        "coalesce(r.limits, '{}'::jsonb)), '{}'::json))::text FROM broker_accounts b LEFT JOIN "
        "risk_settings r USING (account) WHERE b.broker = $1",
        1, args, PGRES_TUPLES_OK, "reading risk settings", &res, eb);
    if (rc)
        return rc;
    const char *text = PQgetvalue(res, 0, 0);
    rc = stom_risk_load_json(e->risk, text, strlen(text), eb);
    PQclear(res);
    /* Instances without limits of their own still need their scope. */
    stom_risk_limits none;
    stom_risk_limits_init(&none);
    for (size_t i = 0; !rc && i < e->n_instances; i++) {
        eng_instance *in = e->instances[i];
        stom_risk_figures f;
        if (stom_risk_figures_get(e->risk, in->account, in->id, &f) != 0)
            stom_risk_set_limits(e->risk, in->account, in->id, &none, NULL);
    }
    return rc;
}

/* Every journaled fill, oldest first, booked again: positions and today's P&L as before. */
static int replay_fills(engine *e, stom_errbuf *eb)
{
    const char *args[] = {e->cfg->broker};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        e->db,
        "SELECT j.account, j.strategy, j.symbol, j.side, ev.qty, ev.price, "
        "(extract(epoch FROM ev.at) * 1e9)::bigint FROM order_journal_events ev JOIN "
        "order_journal j USING (client_order_id) WHERE ev.kind = 'fill' AND j.broker = $1 "
        "ORDER BY ev.at, ev.client_order_id, ev.seq",
        1, args, PGRES_TUPLES_OK, "reading journaled fills", &res, eb);
    if (rc)
        return rc;
    stom_cost_model costs;
    stom_cost_model_default(&costs);
    stom_risk_limits none;
    stom_risk_limits_init(&none);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *strategy = PQgetvalue(res, i, 1);
        int k = eng_symbol_index(e, PQgetvalue(res, i, 2));
        if (k < 0)
            continue;
        int side = atoi(PQgetvalue(res, i, 3));
        int64_t qty = atoll(PQgetvalue(res, i, 4)), price = atoll(PQgetvalue(res, i, 5));
        int64_t at = atoll(PQgetvalue(res, i, 6)), value = qty * price;
        int64_t fees = stom_commission(&costs, value);
        if (side < 0)
            fees += stom_sell_tax(&costs, &e->symbols[k].inst,
                                  stom_date_of(at / 1000000000LL, STOM_KST_OFFSET_MINUTES), value);
        if (strategy[0])
            stom_risk_set_limits(e->risk, PQgetvalue(res, i, 0), strategy, &none, NULL);
        stom_risk_fill f = {.account = PQgetvalue(res, i, 0),
                            .strategy = strategy[0] ? strategy : NULL,
                            .inst = &e->symbols[k].inst,
                            .side = side,
                            .qty = qty,
                            .price = price,
                            .fees = fees,
                            .now_ns = at};
        stom_risk_fill_apply(e->risk, &f);
    }
    PQclear(res);
    return 0;
}

static int restore_halts(engine *e, stom_errbuf *eb)
{
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(e->db, "SELECT account, strategy, reason FROM risk_halts", 0,
                                    NULL, PGRES_TUPLES_OK, "reading halts", &res, eb);
    if (rc)
        return rc;
    e->restoring_halts = true;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *a = PQgetvalue(res, i, 0), *s = PQgetvalue(res, i, 1);
        stom_risk_halt(e->risk, a[0] ? a : NULL, s[0] ? s : NULL, PQgetvalue(res, i, 2),
                       eng_now_ns(e));
    }
    e->restoring_halts = false;
    PQclear(res);
    return 0;
}

/* ---- reconciliation ------------------------------------------------------- */

/* The broker's working orders and fills of every account. */
static int broker_view(engine *e, oms_broker_order **open, size_t *n_open, oms_broker_fill **fills,
                       size_t *n_fills, stom_errbuf *eb)
{
    for (size_t a = 0; a < e->n_accounts; a++) {
        Stom__V1__OpenOrdersRequest oq = STOM__V1__OPEN_ORDERS_REQUEST__INIT;
        oq.account = e->accounts[a];
        Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
        br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS;
        br.open_orders = &oq;
        stom_broker_reply rep;
        int rc = eng_broker_ask(e, &br, STOM__V1__BROKER_REPLY__REPLY_OPEN_ORDERS, &rep, eb);
        if (rc == STOM_EFORMAT) { /* the broker does not know this account: nothing to match */
            eng_log("reconciliation skips account %s: %s", e->accounts[a], eb->msg);
            continue;
        }
        if (rc)
            return rc;
        const Stom__V1__OpenOrders *oo = rep.reply->open_orders;
        *open = realloc(*open, (*n_open + oo->n_orders + 1) * sizeof **open);
        for (size_t i = 0; i < oo->n_orders; i++) {
            const Stom__V1__OpenOrder *x = oo->orders[i];
            oms_broker_order *b = &(*open)[(*n_open)++];
            memset(b, 0, sizeof *b);
            snprintf(b->client_order_id, sizeof b->client_order_id, "%s",
                     x->order && x->order->client_order_id ? x->order->client_order_id : "");
            snprintf(b->broker_order_id, sizeof b->broker_order_id, "%s",
                     x->broker_order_no ? x->broker_order_no : "");
            b->filled_qty = x->cum_qty;
        }
        stom_broker_reply_free(&rep);

        Stom__V1__FillsRequest fq = STOM__V1__FILLS_REQUEST__INIT;
        fq.account = e->accounts[a];
        br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_FILLS;
        br.fills = &fq;
        if ((rc = eng_broker_ask(e, &br, STOM__V1__BROKER_REPLY__REPLY_FILLS, &rep, eb)) != 0)
            return rc;
        const Stom__V1__Fills *fs = rep.reply->fills;
        *fills = realloc(*fills, (*n_fills + fs->n_fills + 1) * sizeof **fills);
        for (size_t i = 0; i < fs->n_fills; i++) {
            const Stom__V1__OrderEvent *x = fs->fills[i];
            oms_broker_fill *f = &(*fills)[(*n_fills)++];
            memset(f, 0, sizeof *f);
            snprintf(f->client_order_id, sizeof f->client_order_id, "%s",
                     x->client_order_id ? x->client_order_id : "");
            snprintf(f->fill_id, sizeof f->fill_id, "%s", x->fill_id ? x->fill_id : "");
            f->qty = x->fill_qty;
            f->price = x->fill_price;
        }
        stom_broker_reply_free(&rep);
    }
    return 0;
}

/* The instance whose id is the journal's strategy, and the slot of symbol. */
static eng_instance *owner_of(engine *e, const oms_order *o, int *slot)
{
    eng_instance *in = o->strategy[0] ? eng_instance_find(e, o->strategy) : NULL;
    for (size_t k = 0; in && k < in->n_slots; k++)
        if (!strcmp(e->symbols[in->slots[k].sym].code, o->symbol))
            *slot = (int)k;
    return in;
}

/* Puts the journal's open orders (with the fills it has of them) in memory, those not there
 * yet. */
static void load_open_orders(engine *e, const oms_order *open, size_t n,
                             const oms_broker_fill *journaled, size_t n_journaled)
{
    for (size_t i = 0; i < n; i++) {
        if (eng_order_find(e, open[i].client_order_id))
            continue;
        for (size_t k = 0; k < ENG_MAX_ORDERS; k++)
            if (!e->orders[k].in_use) {
                eng_order *w = &e->orders[k];
                eng_order_release(w);
                w->in_use = true;
                w->o = open[i];
                w->owner = owner_of(e, &w->o, &w->slot);
                for (size_t f = 0; f < n_journaled; f++)
                    if (!strcmp(journaled[f].client_order_id, w->o.client_order_id))
                        eng_order_fill_seen(w, journaled[f].fill_id, true);
                break;
            }
    }
}

/* The quantity fills (n of them) report for client_order_id. */
static int64_t filled_by(const oms_broker_fill *fills, size_t n, const char *client_order_id)
{
    int64_t q = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fills[i].client_order_id, client_order_id))
            q += fills[i].qty;
    return q;
}

/*
 * Leaves out of fills (*n of them) those of orders the journal has final with the same filled
 * quantity: a broker reports the day's fills, oms_reconcile compares the open orders'. A fill
 * of an order the journal has not at all, or of a final order whose quantity differs, stays,
 * and is a mismatch there.
 */
static void drop_settled_fills(engine *e, const oms_order *open, size_t n_open,
                               oms_broker_fill *fills, size_t *n)
{
    bool *settled = stom_xcalloc(*n ? *n : 1, sizeof *settled); /* decided before compacting */
    for (size_t i = 0; i < *n; i++) {
        size_t same = 0; /* an earlier fill of the same order decided it: one lookup an order */
        while (same < i && strcmp(fills[same].client_order_id, fills[i].client_order_id))
            same++;
        if (same < i) {
            settled[i] = settled[same];
            continue;
        }
        bool is_open = false;
        for (size_t k = 0; k < n_open && !is_open; k++)
            is_open = !strcmp(open[k].client_order_id, fills[i].client_order_id);
        oms_order o;
        settled[i] = !is_open && oms_journal_get(e->db, fills[i].client_order_id, &o, NULL) == 0 &&
                     oms_state_final(o.state) &&
                     filled_by(fills, *n, fills[i].client_order_id) == o.filled_qty;
    }
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (!settled[i])
            fills[kept++] = fills[i];
    *n = kept;
    free(settled);
}

int eng_reconcile(engine *e, stom_errbuf *eb)
{
    oms_order *journal = NULL;
    oms_broker_fill *journaled = NULL, *fills = NULL;
    oms_broker_order *open = NULL;
    size_t nj = 0, njf = 0, no = 0, nf = 0, n_items = 0;
    oms_recon_item *items = NULL;
    eng_db_settle(e); /* the journal as the engine wrote it */
    int rc = oms_journal_open_orders(e->db, e->cfg->broker, &journal, &nj, eb);
    if (!rc)
        rc = oms_journal_open_fills(e->db, e->cfg->broker, &journaled, &njf, eb);
    if (!rc)
        rc = broker_view(e, &open, &no, &fills, &nf, eb);
    if (!rc)
        drop_settled_fills(e, journal, nj, fills, &nf);
    if (!rc)
        load_open_orders(e, journal, nj, journaled, njf);
    if (!rc)
        rc = oms_reconcile(journal, nj, journaled, njf, open, no, fills, nf, &items, &n_items);
    size_t applied = 0, mismatches = 0;
    for (size_t i = 0; !rc && i < n_items; i++) {
        oms_recon_item *it = &items[i];
        if (it->kind == OMS_RECON_MISMATCH) {
            mismatches++;
            e->halt_kind = STOM__V1__RISK_KIND__RISK_KIND_RECONCILE_MISMATCH;
            char why[300];
            snprintf(why, sizeof why, "reconciliation with %s: %s", e->cfg->broker, it->message);
            stom_risk_halt(e->risk, NULL, NULL, why, eng_now_ns(e));
            e->halt_kind = 0;
            continue;
        }
        eng_order *w = eng_order_find(e, it->client_order_id);
        if (!w)
            continue;
        bool done = false;
        oms_order now;
        stom_errbuf reb = {0};
        if (oms_journal_record(e->db, it->client_order_id, &it->event, eng_now_ns(e), &now, &done,
                               &reb) == 0 &&
            done) {
            if (it->event.kind == OMS_EV_FILL)
                eng_order_fill_seen(w, it->event.fill_id, true);
            w->o = now;
            eng_order_apply(e, w, &it->event, 0, 0, eng_now_ns(e));
            applied++;
        }
    }
    if (!rc) {
        e->reconciled = true;
        eng_log("reconciled with %s: %zu open orders in the journal, %zu at the broker, %zu "
                "events applied, %zu mismatches",
                e->cfg->broker, nj, no, applied, mismatches);
    }
    free(journal);
    free(journaled);
    free(open);
    free(fills);
    free(items);
    return rc;
}

/* ---- instances ------------------------------------------------------------ */

static void restore_instances(engine *e)
{
    const char *args[] = {e->cfg->broker};
    PGresult *res = NULL;
    stom_errbuf eb = {0};
    if (stom_db_query_prepared(
            e->db,
            "SELECT s.instance_id, s.user_id, json_build_object('instance_id', s.instance_id, "
            "'strategy', CASE WHEN s.strategy_id IS NULL THEN s.strategy_name ELSE 'id:' || "
            "s.strategy_id END, 'strategy_version', s.strategy_version, 'params', s.params, "
            "'symbols', to_json(s.symbols), 'timeframe', s.timeframe, 'account', s.account, "
            "'order_qty', s.order_qty, 'order_amount', s.order_amount)::text FROM "
            "engine_strategies s JOIN broker_accounts b USING (account) WHERE b.broker = $1 AND "
            "s.state IN ('starting', 'running', 'paused') ORDER BY s.started_at",
            1, args, PGRES_TUPLES_OK, "reading strategy instances", &res, &eb)) {
        eng_log("%s", eb.msg);
        return;
    }
    for (int i = 0; i < PQntuples(res); i++) {
        eng_instance *in = NULL;
        const char *id = PQgetvalue(res, i, 0);
        if (eng_instance_start_json(e, atoll(PQgetvalue(res, i, 1)), PQgetvalue(res, i, 2), true,
                                    &in, &eb) == 0)
            continue;
        eng_log("instance %s could not be restarted: %s", id, eb.msg);
        const char *fail[] = {id, eb.msg};
        eng_db_exec(e,
                    "UPDATE engine_strategies SET state = 'failed', message = $2, stopped_at = "
                    "now(), updated_at = now() WHERE instance_id = $1",
                    2, fail, "marking an instance failed");
    }
    PQclear(res);
}

int eng_restore(engine *e, stom_errbuf *eb)
{
    int rc = replay_fills(e, eb);
    if (!rc)
        rc = restore_halts(e, eb);
    if (rc)
        return rc;
    eng_symbols_listen(e); /* before the first broker request */
    e->broker_checked_ns = eng_now_ns(e);
    eng_save_balances_now(e);
    eng_symbols_prefetch(e);
    if (e->broker_up && eng_reconcile(e, eb) != 0)
        eng_log("reconciliation failed: %s (strategies wait for it)", eb->msg);
    else if (!e->broker_up)
        eng_log("broker %s is not answering: strategies wait until it does and the journal is "
                "reconciled",
                e->cfg->broker);
    restore_instances(e);
    return 0;
}
