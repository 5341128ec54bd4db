/*
 * instance.c - strategy instances: the same C or Lua strategy a backtest
 * runs, fed bars built from live trades, its orders going through the
 * engine's order path (orders.c) instead of the backtest's exchange.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/costs.h"
#include "stom/timeutil.h"

#define DEFAULT_ORDER_AMOUNT 1000000 /* won per entry when nothing else says */

static void *state_of(eng_instance *in, size_t k)
{
    return in->states + k * (in->def->state_size ? in->def->state_size : 1);
}

static const char *state_name(Stom__V1__StrategyState s)
{
    static const char *const names[] = {"stopped", "stopped",  "starting", "running",
                                        "paused",  "stopping", "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "failed";
}

/* ---- sizing and the strategy's actions ------------------------------------ */

/* Shares an entry at price buys: the fixed quantity, or what the amount pays for with commission.
 */
static int64_t entry_qty(const eng_instance *in, int64_t price)
{
    if (in->order_qty > 0)
        return in->order_qty;
    if (price <= 0)
        return 0;
    stom_cost_model costs;
    stom_cost_model_default(&costs);
    int64_t q = in->order_amount / price;
    while (q > 0 && q * price + stom_commission(&costs, q * price) > in->order_amount)
        q--;
    return q;
}

static int live_submit(stom_strategy_ctx *ctx, const stom_order *o)
{
    eng_instance *in = ctx->runner;
    engine *e = in->engine;
    eng_slot *slot = &in->slots[ctx->symbol];
    const eng_symbol *sym = &e->symbols[slot->sym];
    int64_t held = ctx->position < 0 ? -ctx->position : ctx->position;
    bool opposite = ctx->position != 0 && (ctx->position > 0) != (o->side > 0);
    int64_t qty = o->qty;
    if (qty == 0) /* sized: close what is opposite, then the entry */
        qty = (opposite ? held : 0) + (in->state == STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING
                                           ? entry_qty(in, sym->last_price)
                                           : 0);
    if (o->exit_only || (o->side < 0 && !ctx->allow_short))
        qty = qty < held ? qty : held; /* long-only: a sell never opens a short */
    else if (in->state != STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING)
        qty = opposite ? (qty < held ? qty : held) : 0; /* paused: exits only */
    if (qty <= 0)
        return STOM_OK;
    size_t i = ctx->i < slot->bars.len ? ctx->i : slot->bars.len - 1;
    eng_order_request r = {.owner = in,
                           .slot = ctx->symbol,
                           .account = in->account,
                           .sym = slot->sym,
                           .side = o->side,
                           .qty = qty,
                           .limit_price = o->type == STOM_ORDER_LIMIT ? o->limit_price : 0,
                           .liquidation = o->exit_only,
                           .decided_ns = (slot->bars.ts[i] + in->timeframe_s) * 1000000000LL};
    oms_order res;
    stom_errbuf eb = {0};
    int rc = eng_order_send(e, &r, &res, &eb);
    if (rc)
        eng_log("%s: order not sent: %s", in->id, eb.msg);
    return rc;
}

static size_t live_cancel_all(stom_strategy_ctx *ctx)
{
    eng_instance *in = ctx->runner;
    return eng_orders_cancel_all(in->engine, in, ctx->symbol, NULL);
}

static const stom_ctx_ops live_ops = {live_submit, live_cancel_all};

/* ---- bars ----------------------------------------------------------------- */

/*
 * Asks the broker for the fills of slot's symbol and hands those of in's working orders to the
 * order path as if they had come on the order feed (the same OrderEvent; a fill the journal
 * has already is dropped there by its id).
 */
static void ask_fills(eng_instance *in, const eng_slot *slot)
{
    engine *e = in->engine;
    Stom__V1__FillsRequest fq = STOM__V1__FILLS_REQUEST__INIT;
    fq.account = in->account;
    fq.symbol = e->symbols[slot->sym].code;
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_FILLS;
    br.fills = &fq;
    stom_broker_reply rep;
    stom_errbuf eb = {0};
    if (eng_broker_ask(e, &br, STOM__V1__BROKER_REPLY__REPLY_FILLS, &rep, &eb)) {
        eng_log("%s: asking the broker for its fills: %s", in->id, eb.msg);
        return;
    }
    const Stom__V1__Fills *fs = rep.reply->fills;
    for (size_t i = 0; i < fs->n_fills; i++) {
        const eng_order *w = eng_order_find(e, fs->fills[i]->client_order_id);
        if (w && w->owner == in)
            eng_on_order_event(e, fs->fills[i]);
    }
    stom_broker_reply_free(&rep);
}

/*
 * Whether slot's next bar may run while a market order of the slot is unsettled. On the
 * engine's own clock it goes on after ENG_FILL_WAIT_MS: a broker that does not say keeps no
 * strategy from its bars. On the market's clock (a replay) a bar never runs on a stale
 * position: the broker published the fill before it answered the place, on the connection
 * that carries the trades, so the fill comes; should it not (a message nng dropped), the
 * engine asks the broker for its fills every ENG_FILL_WAIT_MS and the bar waits on.
 */
static bool fill_wait_over(eng_instance *in, eng_slot *slot)
{
    int64_t now = stom_mono_ns();
    if (!slot->waiting_since)
        slot->waiting_since = now;
    if (now - slot->waiting_since < ENG_FILL_WAIT_MS * 1000000LL)
        return false;
    if (!in->engine->cfg->market_clock)
        return true;
    eng_log("%s: no fill %d ms after its market order: asking the broker", in->id,
            ENG_FILL_WAIT_MS);
    slot->in_bar = true; /* an order settled in there must not run this slot's bars from there */
    ask_fills(in, slot);
    slot->in_bar = false;
    slot->waiting_since = stom_mono_ns();
    return slot->market_pending == 0;
}

void eng_slot_run(eng_instance *in, size_t k)
{
    eng_slot *slot = &in->slots[k];
    stom_strategy_ctx *ctx = &slot->ctx;
    if (slot->in_bar)
        return; /* the running on_bar's loop delivers the rest */
    /* Every bar reaches the strategy, so that its running state (sums, counters) stays
     * right; orders decided before the journal is reconciled are refused by the order path. */
    bool active = in->state == STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING ||
                  in->state == STOM__V1__STRATEGY_STATE__STRATEGY_STATE_PAUSED;
    if (!active) {
        slot->next_bar = slot->bars.len;
        return;
    }
    while (slot->next_bar < slot->bars.len) {
        if (slot->market_pending > 0 && !fill_wait_over(in, slot))
            return;
        slot->waiting_since = 0;
        ctx->i = slot->next_bar++;
        slot->in_bar = true;
        in->def->on_bar(state_of(in, k), ctx);
        slot->in_bar = false;
        if (ctx->failed) {
            eng_instance_set_state(in->engine, in, STOM__V1__STRATEGY_STATE__STRATEGY_STATE_FAILED,
                                   in->eb.msg[0] ? in->eb.msg : "the strategy failed");
            return;
        }
    }
}

static void on_bar(void *arg, const eng_bar *bar)
{
    eng_instance *in = arg;
    eng_slot *slot = &in->slots[bar->symbol];
    stom_bars_push(&slot->bars, bar->start_s, bar->open, bar->high, bar->low, bar->close,
                   bar->volume);
    eng_slot_run(in, (size_t)bar->symbol);
}

void eng_instances_trade(engine *e, int sym, int64_t ts_ns, int64_t price, int64_t qty)
{
    for (size_t i = 0; i < e->n_instances; i++) {
        eng_instance *in = e->instances[i];
        for (size_t k = 0; k < in->n_slots; k++)
            if (in->slots[k].sym == sym)
                bar_builder_trade(in->builder, (int)k, ts_ns, price, qty, NULL);
    }
}

/* Liquidates every position of in (end time with 잔고청산, or STOP with liquidate). */
static void liquidate(engine *e, eng_instance *in)
{
    for (size_t k = 0; k < in->n_slots; k++) {
        stom_strategy_ctx *ctx = &in->slots[k].ctx;
        if (ctx->position != 0 && eng_orders_open(e, in) == 0) {
            stom_order o = {.side = ctx->position > 0 ? -1 : 1,
                            .type = STOM_ORDER_MARKET,
                            .qty = ctx->position < 0 ? -ctx->position : ctx->position,
                            .exit_only = true};
            if (ctx->bars->len > 0)
                live_submit(ctx, &o);
        }
    }
}

void eng_instances_tick(engine *e, int64_t now_ns)
{
    for (size_t i = 0; i < e->n_instances; i++) {
        eng_instance *in = e->instances[i];
        bar_builder_advance(in->builder, now_ns);
        for (size_t k = 0; k < in->n_slots; k++)
            eng_slot_run(in, k); /* a bar that waited for a fill long enough */
        bool liq = false;
        if (in->state == STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING &&
            stom_risk_end_due(e->risk, in->account, in->id, now_ns, &liq) && liq)
            liquidate(e, in);
    }
}

/* ---- start and stop --------------------------------------------------------- */

static bool valid_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= ENG_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

static const struct {
    Stom__V1__Timeframe tf;
    int64_t s;
    const char *name;
} TIMEFRAMES[] = {{STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1, 1, "1s"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1, 60, "1m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_3, 180, "3m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_5, 300, "5m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_10, 600, "10m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_15, 900, "15m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_30, 1800, "30m"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_HOUR_1, 3600, "1h"},
                  {STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1, 86400, "1d"}};
#define N_TIMEFRAMES (sizeof TIMEFRAMES / sizeof TIMEFRAMES[0])

Stom__V1__Timeframe eng_timeframe_parse(const char *name)
{
    for (size_t i = 0; name && i < N_TIMEFRAMES; i++)
        if (!strcmp(TIMEFRAMES[i].name, name))
            return TIMEFRAMES[i].tf;
    return STOM__V1__TIMEFRAME__TIMEFRAME_UNSPECIFIED;
}

/* Seconds of tf (0: not a timeframe the engine builds) and its name into name. */
static int64_t timeframe_seconds(Stom__V1__Timeframe tf, char *name)
{
    for (size_t i = 0; i < N_TIMEFRAMES; i++)
        if (TIMEFRAMES[i].tf == tf) {
            strcpy(name, TIMEFRAMES[i].name);
            return TIMEFRAMES[i].s;
        }
    return 0;
}

/* The account's owner, after checking it trades through this engine's broker. */
static int account_owner(engine *e, const char *account, int64_t *owner, stom_errbuf *eb)
{
    const char *args[] = {account, e->cfg->broker};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        e->db, "SELECT user_id FROM broker_accounts WHERE account = $1 AND broker = $2", 2, args,
        PGRES_TUPLES_OK, "reading the account", &res, eb);
    if (rc)
        return rc;
    rc = PQntuples(res) == 1 ? 0
                             : stom_errorf(eb, STOM_ENOTFOUND,
                                           "account '%s' is not a %s account (see broker_accounts)",
                                           account, e->cfg->broker);
    if (!rc)
        *owner = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* A stored strategy "id:N" of owner: its code, compiled. */
static int load_stored(engine *e, eng_instance *in, const char *ref, int32_t version,
                       stom_errbuf *eb)
{
    char id[24], ver[16], owner[24];
    snprintf(id, sizeof id, "%lld", atoll(ref + 3));
    snprintf(ver, sizeof ver, "%d", (int)version);
    snprintf(owner, sizeof owner, "%lld", (long long)in->user_id);
    const char *args[] = {id, ver, owner};
    PGresult *res = NULL;
    int rc = stom_db_query_prepared(
        e->db,
        "SELECT s.name, v.version, v.code FROM strategies s JOIN strategy_versions v ON "
        "v.strategy_id = s.id WHERE s.id = $1 AND s.user_id = $3 AND v.version = CASE WHEN $2 "
        "= '0' THEN s.version ELSE $2::int END",
        3, args, PGRES_TUPLES_OK, "reading the strategy", &res, eb);
    if (rc)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "no stored strategy %s of the account's owner", ref);
    }
    snprintf(in->strategy_name, sizeof in->strategy_name, "%s", PQgetvalue(res, 0, 0));
    in->strategy_id = atoll(id);
    in->strategy_version = atoi(PQgetvalue(res, 0, 1));
    const char *code = PQgetvalue(res, 0, 2);
    rc = stom_lua_strategy_load(&in->lua, in->strategy_name, code, strlen(code), NULL, eb);
    PQclear(res);
    if (!rc)
        in->def = stom_lua_strategy_def(in->lua);
    return rc;
}

static int resolve_strategy(engine *e, eng_instance *in, const Stom__V1__StrategyControl *sc,
                            stom_errbuf *eb)
{
    const char *name = sc->strategy_name ? sc->strategy_name : "";
    if (!strncmp(name, "id:", 3))
        return load_stored(e, in, name, sc->strategy_version ? atoi(sc->strategy_version) : 0, eb);
    in->def = stom_strategy_find(name);
    if (!in->def) {
        char list[256];
        stom_strategy_names(list, sizeof list);
        return stom_errorf(eb, STOM_ENOTFOUND,
                           "unknown strategy '%s' (built-ins: %s; or id:N for a stored one)", name,
                           list);
    }
    snprintf(in->strategy_name, sizeof in->strategy_name, "%s", name);
    return 0;
}

static int setup_slots(engine *e, eng_instance *in, const Stom__V1__StrategyControl *sc,
                       stom_errbuf *eb)
{
    if (sc->n_symbols == 0 || sc->n_symbols > ENG_MAX_SLOTS)
        return stom_errorf(eb, STOM_EINVAL, "a strategy needs 1 to %d symbols, not %zu",
                           ENG_MAX_SLOTS, sc->n_symbols);
    size_t sz = in->def->state_size ? in->def->state_size : 1;
    in->states = stom_xcalloc(sc->n_symbols, sz);
    for (size_t k = 0; k < sc->n_symbols; k++) {
        const char *code = sc->symbols[k];
        size_t n = strlen(code);
        bool ok = n >= 1 && n < STOM_SYMBOL_MAX;
        for (size_t c = 0; ok && c < n; c++)
            ok = isalnum((unsigned char)code[c]);
        int sym = ok ? eng_symbol_index(e, code) : -1;
        if (sym < 0)
            return stom_errorf(eb, STOM_EINVAL, "symbols[%zu]: '%s' is not a symbol code", k, code);
        eng_slot *slot = &in->slots[in->n_slots++];
        slot->sym = sym;
        stom_bars_init(&slot->bars, &e->symbols[sym].inst);
        if (in->def->state_init)
            memcpy(state_of(in, k), in->def->state_init, in->def->state_size);
        int rc = in->def->init(state_of(in, k), &in->params, eb);
        if (rc)
            return rc;
        stom_strategy_ctx *ctx = &slot->ctx;
        ctx->bars = &slot->bars;
        ctx->symbol = (int)k;
        ctx->pyramiding = 1;
        ctx->ops = &live_ops;
        ctx->runner = in;
        ctx->eb = &in->eb;
    }
    return 0;
}

/* Positions of in's symbols from the journal's fills (a restarted instance keeps them). */
static int restore_positions(engine *e, eng_instance *in, stom_errbuf *eb)
{
    const char *args[] = {in->id, in->account};
    PGresult *res = NULL;
    eng_db_settle(e); /* the journal as the engine wrote it */
    int rc = stom_db_query_prepared(
        e->db,
        "SELECT symbol, sum(side * filled_qty)::bigint, count(*) FILTER (WHERE state IN "
        "('pending', 'sent', 'accepted', 'partially_filled'))::int FROM order_journal WHERE "
        "strategy = $1 AND account = $2 GROUP BY symbol",
        2, args, PGRES_TUPLES_OK, "reading the instance's positions", &res, eb);
    if (rc)
        return rc;
    for (int r = 0; r < PQntuples(res); r++)
        for (size_t k = 0; k < in->n_slots; k++)
            if (!strcmp(e->symbols[in->slots[k].sym].code, PQgetvalue(res, r, 0))) {
                in->slots[k].ctx.position = atoll(PQgetvalue(res, r, 1));
                in->slots[k].ctx.entries = in->slots[k].ctx.position != 0;
                in->slots[k].ctx.pending = (size_t)atoi(PQgetvalue(res, r, 2));
            }
    PQclear(res);
    return 0;
}

static int save_row(engine *e, const eng_instance *in, stom_errbuf *eb)
{
    char user[24], sid[24], ver[16], qty[24], amount[24];
    snprintf(user, sizeof user, "%lld", (long long)in->user_id);
    snprintf(sid, sizeof sid, "%lld", (long long)in->strategy_id);
    snprintf(ver, sizeof ver, "%d", (int)in->strategy_version);
    snprintf(qty, sizeof qty, "%lld", (long long)in->order_qty);
    snprintf(amount, sizeof amount, "%lld", (long long)in->order_amount);
    char symbols[ENG_MAX_SLOTS * (STOM_SYMBOL_MAX + 1) + 3] = "{";
    for (size_t k = 0; k < in->n_slots; k++) {
        strcat(symbols, k ? "," : "");
        strcat(symbols, in->engine->symbols[in->slots[k].sym].code);
    }
    strcat(symbols, "}");
    char params[1024] = "{";
    for (size_t k = 0; k < in->def->n_params; k++) {
        size_t len = strlen(params);
        snprintf(params + len, sizeof params - len, "%s\"%s\": %.17g", k ? ", " : "",
                 in->def->params[k].name, in->params.v[k]);
    }
    strncat(params, "}", sizeof params - strlen(params) - 1);
    const char *args[] = {in->id,        user, in->account, in->strategy_name,
                          sid,           ver,  params,      symbols,
                          in->timeframe, qty,  amount};
    return stom_db_pipe_send(
        e->pipe,
        "INSERT INTO engine_strategies (instance_id, user_id, account, strategy_name, "
        "strategy_id, strategy_version, params, symbols, timeframe, order_qty, order_amount, "
        "state, message, started_at, stopped_at, updated_at) VALUES ($1, $2, $3, $4, "
        "NULLIF($5, '0')::bigint, NULLIF($6, '0')::int, $7, $8, $9, $10, $11, 'starting', '', "
        "now(), NULL, now()) ON CONFLICT (instance_id) DO UPDATE SET user_id = $2, account = $3, "
        "strategy_name = $4, strategy_id = NULLIF($5, '0')::bigint, strategy_version = "
        "NULLIF($6, '0')::int, params = $7, symbols = $8, timeframe = $9, order_qty = $10, "
        "order_amount = $11, state = 'starting', message = '', started_at = now(), stopped_at = "
        "NULL, updated_at = now()",
        11, args, "storing the strategy instance", false, eb);
}

static int64_t account_per_trade(engine *e, const char *account)
{
    const char *args[] = {account};
    PGresult *res = NULL;
    int64_t v = 0;
    if (stom_db_query_prepared(e->db,
                               "SELECT (limits->>'capital_per_trade')::bigint FROM risk_settings "
                               "WHERE account = $1",
                               1, args, PGRES_TUPLES_OK, "reading risk settings", &res,
                               NULL) == 0 &&
        PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        v = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

/* Working orders the journal says are in's (after a restart) are in's again. */
static void adopt_orders(engine *e, eng_instance *in)
{
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++) {
        eng_order *w = &e->orders[i];
        if (!w->in_use || w->owner || strcmp(w->o.strategy, in->id))
            continue;
        for (size_t k = 0; k < in->n_slots; k++)
            if (!strcmp(e->symbols[in->slots[k].sym].code, w->o.symbol)) {
                w->owner = in;
                w->slot = (int)k;
                in->slots[k].market_pending += !w->o.limit;
            }
    }
}

int eng_instance_start(engine *e, const Stom__V1__StrategyControl *sc, bool restoring,
                       eng_instance **out, stom_errbuf *eb)
{
    *out = NULL;
    if (!valid_id(sc->instance_id))
        return stom_errorf(eb, STOM_EINVAL,
                           "instance_id must be 1 to %d letters, digits, '_', '.' or '-'",
                           ENG_ID_MAX - 1);
    if (eng_instance_find(e, sc->instance_id))
        return stom_errorf(eb, STOM_ESTATE, "instance %s is already running", sc->instance_id);
    if (e->n_instances == ENG_MAX_INSTANCES)
        return stom_errorf(eb, STOM_ETOOBIG, "the engine runs %d instances at most",
                           ENG_MAX_INSTANCES);
    if (!sc->account || !sc->account[0])
        return stom_errorf(eb, STOM_EINVAL, "account is required");
    if ((sc->has_order_qty && sc->order_qty <= 0) ||
        (sc->has_order_amount && sc->order_amount <= 0))
        return stom_errorf(eb, STOM_EINVAL, "order_qty and order_amount must be above 0");
    eng_instance *in = stom_xcalloc(1, sizeof *in);
    in->engine = e;
    snprintf(in->id, sizeof in->id, "%s", sc->instance_id);
    snprintf(in->account, sizeof in->account, "%s", sc->account);
    in->timeframe_s = timeframe_seconds(sc->has_timeframe ? sc->timeframe : 0, in->timeframe);
    int64_t requester = sc->requested_by ? atoll(sc->requested_by) : 0;
    int rc = in->timeframe_s ? 0
                             : stom_errorf(eb, STOM_EINVAL,
                                           "timeframe must be 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h "
                                           "or 1d");
    if (!rc)
        rc = account_owner(e, in->account, &in->user_id, eb);
    if (!rc && requester && requester != in->user_id)
        rc = stom_errorf(eb, STOM_ENOTFOUND, "account '%s' is not one of yours", in->account);
    if (!rc)
        rc = resolve_strategy(e, in, sc, eb);
    if (!rc) {
        stom_params_default(in->def, &in->params);
        rc = bt_params_from_pb(in->def, sc->params, sc->n_params, &in->params, eb);
    }
    if (!rc)
        rc = setup_slots(e, in, sc, eb);
    if (!rc)
        rc = bar_builder_create(&in->builder, in->timeframe_s, (int)in->n_slots, on_bar, in, eb);
    if (!rc)
        rc = restore_positions(e, in, eb);
    in->order_qty = sc->has_order_qty ? sc->order_qty : 0;
    in->order_amount = sc->has_order_amount ? sc->order_amount : 0;
    if (!rc && !in->order_qty && !in->order_amount) {
        in->order_amount = account_per_trade(e, in->account);
        if (!in->order_amount)
            in->order_amount = DEFAULT_ORDER_AMOUNT;
    }
    if (!rc && !restoring)
        rc = save_row(e, in, eb);
    if (rc) {
        eng_instance_free(in);
        return rc;
    }
    adopt_orders(e, in);
    stom_risk_limits none;
    stom_risk_limits_init(&none);
    stom_risk_set_limits(e->risk, in->account, in->id, &none, NULL);
    eng_load_risk(e, NULL); /* the instance's own limits, if the account's settings have them */
    e->instances[e->n_instances++] = in;
    eng_instance_set_state(e, in, STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING, "");
    eng_log("instance %s of %s started on %s (%zu symbols, %s)", in->id, in->strategy_name,
            in->account, in->n_slots, in->timeframe);
    *out = in;
    return 0;
}

eng_instance *eng_instance_find(engine *e, const char *id)
{
    for (size_t i = 0; id && i < e->n_instances; i++)
        if (!strcmp(e->instances[i]->id, id))
            return e->instances[i];
    return NULL;
}

void eng_instance_set_state(engine *e, eng_instance *in, Stom__V1__StrategyState st,
                            const char *message)
{
    in->state = st;
    snprintf(in->message, sizeof in->message, "%s", message ? message : "");
    char pnl[24], orders[16], positions[16];
    int held = 0;
    for (size_t k = 0; k < in->n_slots; k++)
        held += in->slots[k].ctx.position != 0;
    snprintf(pnl, sizeof pnl, "%lld", (long long)in->realized_pnl);
    snprintf(orders, sizeof orders, "%zu", eng_orders_open(e, in));
    snprintf(positions, sizeof positions, "%d", held);
    const char *args[] = {in->id, state_name(st), in->message, pnl, orders, positions};
    eng_db_exec(e,
                "UPDATE engine_strategies SET state = $2, message = $3, realized_pnl = $4, "
                "open_orders = $5, positions = $6, updated_at = now(), stopped_at = CASE WHEN $2 "
                "IN ('stopped', 'failed') THEN now() ELSE stopped_at END WHERE instance_id = $1",
                6, args, "updating the strategy instance");
    eng_publish_strategy(e, in);
}

void eng_instance_status(const eng_instance *in, Stom__V1__StrategyStatus *st)
{
    stom__v1__strategy_status__init(st);
    st->instance_id = (char *)in->id;
    st->has_state = st->has_open_orders = st->has_positions = st->has_realized_pnl = 1;
    st->state = in->state;
    st->strategy_name = (char *)in->strategy_name;
    st->message = (char *)in->message;
    st->open_orders = (int32_t)eng_orders_open(in->engine, in);
    int held = 0;
    for (size_t k = 0; k < in->n_slots; k++)
        held += in->slots[k].ctx.position != 0;
    st->positions = held;
    st->realized_pnl = in->realized_pnl;
    st->has_ts_ns = 1;
    st->ts_ns = eng_now_ns(in->engine);
}

void eng_instance_free(eng_instance *in)
{
    if (!in)
        return;
    for (size_t k = 0; k < in->n_slots; k++) {
        if (in->def && in->def->fini)
            in->def->fini(state_of(in, k));
        stom_bars_free(&in->slots[k].bars);
    }
    bar_builder_destroy(in->builder);
    free(in->states);
    stom_lua_strategy_destroy(in->lua);
    free(in);
}

void eng_instance_stop(engine *e, eng_instance *in, bool liquidate_too, const char *why)
{
    eng_orders_cancel_all(e, in, -1, NULL);
    if (liquidate_too)
        liquidate(e, in);
    eng_instance_set_state(e, in, STOM__V1__STRATEGY_STATE__STRATEGY_STATE_STOPPED,
                           why ? why : "stopped");
    for (size_t i = 0; i < e->n_instances; i++)
        if (e->instances[i] == in) {
            e->instances[i] = e->instances[--e->n_instances];
            break;
        }
    eng_orders_disown(e, in);
    eng_instance_free(in);
}
