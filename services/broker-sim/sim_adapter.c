/*
 * sim_adapter.c - see sim_adapter.h: opening (the stored account, the
 * replay, the sockets), the simulation clock and the serve loop that steps
 * the synthetic path or replays the stored trades when they are due.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_adapter_internal.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

#define NS               1000000000LL
#define DAY_END_S        (15 * 3600 + 30 * 60) /* 15:30 KST: the day's trading is over */
#define CLOCK_SAVE_NS    100000000LL           /* replay clock saved at most every 100 ms */
#define REPLAY_BATCH_MAX 256                   /* trades between two looks at the requests */
#define START_POLL_MS    10                    /* looks for a subscriber while the replay waits */

int64_t sim__now(const sim_adapter *a)
{
    if (a->replay && !a->replay_started)
        return a->clock_base_ns; /* the clock stands until the replay starts */
    return a->clock_base_ns + (stom_mono_ns() - a->mono_base_ns) * a->opt.speed;
}

const char *sim__code(const sim_adapter *a, int s)
{
    return s >= 0 && s < a->opt.market.n_symbols ? a->symbols[s].code : "";
}

sim_stored_order *sim__ref_by_id(sim_adapter *a, uint64_t id)
{
    return id >= 1 && id <= a->n_ids ? &a->refs[a->ref_of_id[id - 1]] : NULL;
}

sim_stored_order *sim__ref_new(sim_adapter *a, uint64_t id)
{
    if (a->n_refs == a->cap_refs) {
        a->cap_refs = a->cap_refs ? a->cap_refs * 2 : 64;
        a->refs = stom_xrealloc(a->refs, a->cap_refs * sizeof *a->refs);
    }
    if (id > a->cap_ids) { /* ids come in sequence */
        a->cap_ids = id > 2 * a->cap_ids ? id : 2 * a->cap_ids;
        a->ref_of_id = stom_xrealloc(a->ref_of_id, a->cap_ids * sizeof *a->ref_of_id);
    }
    if (id) {
        a->ref_of_id[id - 1] = a->n_refs;
        a->n_ids = id > a->n_ids ? id : a->n_ids;
    }
    sim_stored_order *r = &a->refs[a->n_refs++];
    memset(r, 0, sizeof *r);
    return r;
}

/* ---- the stored account ----------------------------------------------------- */

/* Puts what the last run saved back into the market and the adapter. */
static int restore(sim_adapter *a, sim_store_state *st, stom_errbuf *eb)
{
    size_t n = (size_t)a->opt.market.n_symbols;
    sim_market_restore_account(a->market, st->cash, st->qty, st->last_fill_id);
    memcpy(a->pos, st->qty, n * sizeof *a->pos);
    memcpy(a->cost, st->cost, n * sizeof *a->cost);
    for (size_t k = 0; k < st->n_orders; k++) {
        const sim_stored_order *o = &st->orders[k];
        if (o->rec.v.id) {
            int rc = sim_market_restore_order(a->market, &o->rec, eb);
            if (rc != STOM_OK)
                return rc;
        }
        *sim__ref_new(a, o->rec.v.id) = *o;
    }
    a->fills = st->fills;
    a->n_fills = a->cap_fills = st->n_fills;
    st->fills = NULL;
    a->clock_ns = st->clock_ns;
    fprintf(stderr, "stom-broker-sim: account %s loaded: cash %" PRId64 ", %zu orders, %zu fills\n",
            a->account, st->cash, st->n_orders, a->n_fills);
    return STOM_OK;
}

static int open_store(sim_adapter *a, stom_errbuf *eb)
{
    int rc = sim_store_open(&a->store, a->opt.database, a->account, a->opt.market.cash, a->symbols,
                            a->opt.market.n_symbols, eb);
    sim_store_state st;
    if (rc == STOM_OK)
        rc = sim_store_load(a->store, &st, eb);
    if (rc != STOM_OK)
        return rc;
    rc = restore(a, &st, eb);
    sim_store_state_free(&st);
    return rc;
}

void sim__save_clock(sim_adapter *a)
{
    if (!a->store)
        return;
    sim_store_change c = {.cash = sim_market_cash(a->market),
                          .last_fill_id = sim_market_last_fill_id(a->market),
                          .clock_ns = a->clock_ns};
    stom_errbuf eb = {{0}};
    if (sim_store_save(a->store, &c, &eb) != STOM_OK) /* only the clock: the next save has it */
        fprintf(stderr, "stom-broker-sim: replay clock not saved: %s\n", eb.msg);
    a->clock_saved_mono_ns = stom_mono_ns();
}

/* ---- replay ------------------------------------------------------------------- */

static int open_replay(sim_adapter *a, stom_errbuf *eb)
{
    const sim_replay_options *r = a->opt.replay;
    if (!a->opt.database)
        return stom_errorf(eb, STOM_EINVAL, "replay: the bars come from a database (--database)");
    if (r->n_codes < 1 || r->n_codes > SIM_MAX_SYMBOLS)
        return stom_errorf(eb, STOM_EINVAL, "replay: 1 to %d symbols, not %d", SIM_MAX_SYMBOLS,
                           r->n_codes);
    a->symbols = stom_xcalloc((size_t)r->n_codes, sizeof *a->symbols);
    int rc = stom_db_connect(&a->replay_db, a->opt.database, eb);
    if (rc == STOM_OK)
        rc = sim_replay_load(&a->replay, a->replay_db, r->codes, r->n_codes, r->timeframe,
                             r->from_s, r->to_s, a->symbols, eb);
    stom_db_close(a->replay_db); /* the bars are in memory now */
    a->replay_db = NULL;
    a->opt.market.symbols = a->symbols;
    a->opt.market.n_symbols = r->n_codes;
    a->opt.market.replay = true;
    return rc;
}

/* Replays trade t: the day's reference when it starts a day, then the market's trade. */
static void replay_one(sim_adapter *a, const sim_replay_trade *t)
{
    if (t->ref_price > 0)
        sim_market_set_reference(a->market, t->symbol, t->ref_price);
    sim__op_begin(a);
    sim_market_trade(a->market, t->symbol, t->ts_ns, t->price, t->qty, t->opens_bar);
    a->clock_ns = t->ts_ns;
    sim_replay_pop(a->replay);
    if (a->n_held)
        sim__op_settle(a, NULL);
}

/* A restarted replay goes quietly (no trades published) up to where the last run was. */
static void resume_replay(sim_adapter *a)
{
    sim_replay_trade t;
    int64_t upto = a->clock_ns;
    a->quiet = true;
    while (upto && sim_replay_peek(a->replay, &t) && t.ts_ns <= upto)
        replay_one(a, &t);
    a->quiet = false;
    if (!sim_replay_peek(a->replay, &t)) /* nothing left: the clock stays at the end */
        t.ts_ns = upto;
    a->clock_base_ns = upto ? upto : t.ts_ns;
    a->mono_base_ns = stom_mono_ns();
}

/* Whether the clock may jump to a trade at ts_ns: it is on a later day and today's trading is
 * over (nights, weekends and holidays take no time). */
static bool may_jump(int64_t now_ns, int64_t ts_ns)
{
    int64_t now_s = now_ns / NS;
    return stom_date_of(ts_ns / NS, STOM_KST_OFFSET_MINUTES) >
               stom_date_of(now_s, STOM_KST_OFFSET_MINUTES) &&
           stom_seconds_of_day(now_s, STOM_KST_OFFSET_MINUTES) >= DAY_END_S;
}

/* Replays the trades that are due; returns the milliseconds until the next one (at most 100). */
static int replay_due(sim_adapter *a)
{
    sim_replay_trade t;
    int64_t now = sim__now(a);
    int n = 0;
    bool more;
    while ((more = sim_replay_peek(a->replay, &t)) && n < REPLAY_BATCH_MAX) {
        if (t.ts_ns > now && !may_jump(now, t.ts_ns))
            break;
        if (t.ts_ns > now) {
            a->clock_base_ns = now = t.ts_ns;
            a->mono_base_ns = stom_mono_ns();
        }
        replay_one(a, &t);
        n++;
    }
    if (n && stom_mono_ns() - a->clock_saved_mono_ns >= CLOCK_SAVE_NS)
        sim__save_clock(a);
    if (!more && !a->replay_done) {
        a->replay_done = true;
        sim__save_clock(a);
        fprintf(stderr, "stom-broker-sim: replay finished (%" PRIu64 " trades); still serving\n",
                sim_replay_count(a->replay));
    }
    if (!more || n == REPLAY_BATCH_MAX)
        return more ? 0 : 100;
    int64_t ms = (t.ts_ns - now) / a->opt.speed / 1000000;
    return ms < 0 ? 0 : ms > 100 ? 100 : (int)ms;
}

/*
 * The replay starts once the sim has answered a request and a subscriber is connected to its
 * PUB socket, so that a client started after the sim sees it from its first trade: an engine
 * subscribes to its symbols before its first request, and a trade published before its
 * connection is up would reach nobody (nng's PUB drops it).
 */
static void maybe_start_replay(sim_adapter *a)
{
    if (!a->replay_asked)
        return;
    stom_broker_server_stats st;
    stom_broker_server_get_stats(a->server, &st);
    if (st.subscribers == 0)
        return;
    a->replay_started = true;
    a->mono_base_ns = stom_mono_ns();
    fprintf(stderr, "stom-broker-sim: replay started\n");
}

/* ---- lifecycle ------------------------------------------------------------------ */

static int check_options(const sim_adapter_options *opt, stom_errbuf *eb)
{
    if (!opt->account || !*opt->account || strlen(opt->account) > STOM_BROKER_ID_MAX)
        return stom_errorf(eb, STOM_EINVAL, "account: a name of 1 to %d bytes is needed",
                           STOM_BROKER_ID_MAX);
    if (opt->speed < 1 || opt->step_ms < 1)
        return stom_errorf(eb, STOM_EINVAL, "speed %d and step %d ms must be at least 1",
                           opt->speed, opt->step_ms);
    if (!opt->replay && (opt->market.n_symbols < 1 || !opt->market.symbols))
        return stom_errorf(eb, STOM_EINVAL, "symbols: at least one is needed");
    return STOM_OK;
}

static void copy_symbols(sim_adapter *a, const sim_adapter_options *opt)
{
    size_t n = (size_t)opt->market.n_symbols;
    a->symbols = stom_xcalloc(n, sizeof *a->symbols);
    memcpy(a->symbols, opt->market.symbols, n * sizeof *a->symbols);
    a->opt.market.symbols = a->symbols;
}

static int open_server(sim_adapter *a, stom_errbuf *eb)
{
    stom_broker_server_options so = {
        .broker = "sim", .rep_spec = a->opt.rep_spec, .pub_spec = a->opt.pub_spec};
    return stom_broker_server_open(&a->server, &so, &sim__handlers, a, eb);
}

int sim_adapter_open(sim_adapter **out, const sim_adapter_options *opt, stom_errbuf *eb)
{
    int rc = check_options(opt, eb);
    if (rc != STOM_OK)
        return rc;
    sim_adapter *a = stom_xcalloc(1, sizeof *a);
    a->opt = *opt;
    snprintf(a->account, sizeof a->account, "%s", opt->account);
    if (opt->replay)
        rc = open_replay(a, eb);
    else
        copy_symbols(a, opt);
    sim_callbacks cb = {sim__on_fill, sim__on_print, sim__on_done, a};
    if (rc == STOM_OK)
        rc = sim_market_create(&a->market, &a->opt.market, &cb, eb);
    if (rc == STOM_OK) {
        a->pos = stom_xcalloc((size_t)a->opt.market.n_symbols, sizeof *a->pos);
        a->cost = stom_xcalloc((size_t)a->opt.market.n_symbols, sizeof *a->cost);
    }
    if (rc == STOM_OK && opt->database)
        rc = open_store(a, eb);
    if (rc == STOM_OK)
        rc = open_server(a, eb);
    if (rc != STOM_OK) {
        sim_adapter_close(a);
        return rc;
    }
    a->clock_base_ns = opt->start_ns;
    a->mono_base_ns = stom_mono_ns();
    if (a->replay)
        resume_replay(a);
    *out = a;
    return STOM_OK;
}

void sim_adapter_close(sim_adapter *a)
{
    if (!a)
        return;
    stom_broker_server_close(a->server);
    sim_market_destroy(a->market);
    sim_replay_destroy(a->replay);
    sim_store_close(a->store);
    free(a->fills);
    free(a->refs);
    free(a->ref_of_id);
    free(a->held);
    free(a->pos);
    free(a->cost);
    free(a->symbols);
    free(a);
}

void sim_adapter_run(sim_adapter *a)
{
    int64_t next_step = stom_mono_ns();
    while (!atomic_load(&a->stop)) {
        int wait_ms;
        if (a->replay && !a->replay_started) {
            wait_ms = START_POLL_MS;
        } else if (a->replay) {
            wait_ms = replay_due(a);
        } else {
            int64_t now = stom_mono_ns();
            if (now >= next_step) {
                sim__op_begin(a);
                sim_market_step(a->market, sim__now(a));
                sim__op_settle(a, NULL);
                next_step = now + (int64_t)a->opt.step_ms * 1000000;
            }
            /* Rounded up: a step up to a millisecond late rather than a spin before it. */
            int64_t ms = (next_step - stom_mono_ns() + 999999) / 1000000;
            wait_ms = ms > 0 ? (ms < 100 ? (int)ms : 100) : 0;
        }
        bool answered = stom_broker_server_serve_once(a->server, wait_ms) == STOM_OK;
        if (a->replay && !a->replay_started) {
            a->replay_asked |= answered;
            maybe_start_replay(a);
        }
    }
}

void sim_adapter_stop(sim_adapter *a)
{
    atomic_store(&a->stop, true);
}
