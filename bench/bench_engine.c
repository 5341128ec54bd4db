/*
 * bench_engine.c - the live engine's latency: tick -> strategy -> order ->
 * broker acknowledgement, through the real stom-broker-sim and stom-engine
 * of this build on loopback, with the engine's journal in PostgreSQL
 * (docs/engine.md, "Latency").
 *
 * Each phase gets a database of its own on the server of STOM_DATABASE_URL
 * (created, migrated, seeded with one trader and the 'paper' account,
 * dropped at the end), a fresh sim and a fresh engine on ports 18800-18803.
 * Both run a simulated KST clock at real speed (--speed 1) from the same
 * --start: now when the KRX continuous session lasts for the whole run,
 * else 2024-01-03 10:00. The engine starts at least a second after the sim,
 * so its clock trails the sim's: its bars are then always completed by a
 * trade (the first trade of the next second), never by its own timer, and
 * that trade is the tick an order answers. Ticks per second are
 * symbols x 1000 / step_ms; one sma_cross instance (fast 1, slow 2, 1 s
 * bars, 1 share, account paper) per symbol makes an order every other
 * second or so on each symbol.
 *
 * The bench subscribes itself to the sim's trades and order events
 * (stom_broker_feed) and to the engine's eng.orders, and stamps every
 * message with its own monotonic clock as it arrives. An order's trigger is
 * the first trade of its symbol in the second its bar ended (OrderRequest's
 * ts_ns is that bar end); the sim fills a market order while placing it and
 * stamps the fill with its clock, so the floor of the fill's ts_ns is the
 * bar end as long as the whole path takes under a second (checked: the
 * trigger must precede the fill). Three figures per order:
 *   - headline, tick -> engine has the ack: the engine's eng.orders ACCEPTED
 *     (published after the broker's reply is journaled) minus the trigger
 *     trade's arrival, both on the bench's clock. The bench receives the
 *     trade from the same PUB socket as the engine, so its arrival stands
 *     for the engine's;
 *   - tick -> ack on the order feed: the sim's ACCEPTED on ord.sim.paper
 *     minus the trigger's arrival (what any subscriber of the broker sees);
 *   - tick -> broker has the order, on the sim's one clock: the fill's
 *     ts_ns minus the trigger trade's ts_ns (the sim's ACCEPTED carries no
 *     ts_ns). A cross-check that needs no clock of the bench.
 * The first phase (1,000 ticks/s) checks p50 < 200 us and p99 < 1 ms on the
 * headline. The second (10,000 ticks/s) checks the books: ticks the sim
 * published (sequence numbers) = received + counted lost on the bench's
 * feed, the engine's own count of lost messages (EngineStatus.md_gaps), and
 * every journaled order against the sim's fills (FillsRequest) and against
 * the order events the sim and the engine published.
 *
 * Needs STOM_DATABASE_URL (`make up` or scripts/services.sh starts a
 * server); without it the program says so and exits 0.
 *
 * Usage: bench_engine [--seconds N] [--fast-seconds N] [--verbose]
 *
 * Threads: main runs the phases; two observer threads per phase (the sim's
 * feed, eng.orders) stamp and record what arrives. What they share sits in
 * struct phase under its mutex; the feed belongs to its thread, which copies
 * its counters there.
 */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stom/broker_client.h"
#include "stom/bus_nng.h"
#include "stom/krx.h"
#include "stom/store.h"
#include "stom/timeutil.h"
#include "engine_figures.h"
#include "transport_floor.h"
#include "support.h"

#define SIM_REP     "tcp://127.0.0.1:18800"
#define SIM_PUB     "tcp://127.0.0.1:18801"
#define ENG_REP     "tcp://127.0.0.1:18802"
#define ENG_PUB     "tcp://127.0.0.1:18803"
#define FLOOR_PUB   "tcp://127.0.0.1:18804"
#define FLOOR_REP   "tcp://127.0.0.1:18805"
#define SAFE_START  "2024-01-03 10:00"
#define WARMUP_S    3 /* bars an sma_cross(1, 2) needs before it can order */
#define CLOCK_LAG_S 1 /* the engine's clock trails the sim's by at least this */

static char bin_dir[512], server_url[512];
static bool verbose;
static stom_bus_sender sender;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void die(const char *fmt, const char *detail)
{
    fprintf(stderr, "bench_engine: ");
    fprintf(stderr, fmt, detail);
    fputc('\n', stderr);
    exit(1); /* atexit ends the children and drops the database */
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the database --------------------------------------------------------- */

static phase *current; /* the phase whose database atexit drops */

static void server_exec(const char *sql)
{
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    if (stom_db_connect(&db, server_url, &eb) || stom_db_exec(db, sql, &eb)) {
        stom_db_close(db);
        die("%s", eb.msg);
    }
    stom_db_close(db);
}

static void drop_database(void)
{
    if (!current || !current->db_name[0])
        return;
    bench_end_children(); /* the engine holds a connection */
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", current->db_name);
    current->db_name[0] = 0;
    server_exec(sql);
}

/* A fresh, migrated database with one trader (id 1) owning the 'paper' account of 'sim'. */
static void create_database(phase *ph)
{
    snprintf(ph->db_name, sizeof ph->db_name, "bench_engine_%ld_%d", (long)getpid(), ph->n_syms);
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", ph->db_name);
    server_exec(sql);
    current = ph;
    stom_errbuf eb = {{0}};
    stom_db *db = NULL;
    if (stom_db_conninfo_with(server_url, "dbname", ph->db_name, ph->db, sizeof ph->db, &eb) ||
        stom_db_connect(&db, ph->db, &eb) || stom_db_migrate(db, NULL, NULL, &eb) ||
        stom_db_exec(db,
                     "INSERT INTO users (id, username, email, password_hash, role) VALUES (1, "
                     "'bench', 'bench@example.com', 'x', 'trader'); INSERT INTO broker_accounts "
                     "(account, broker, user_id, name, paper) VALUES ('paper', 'sim', 1, "
                     "'bench', true)",
                     &eb)) {
        stom_db_close(db);
        die("database: %s", eb.msg);
    }
    stom_db_close(db);
}

/* ---- the clock the processes run on ------------------------------------------ */

/* Now (KST, to the minute) when the continuous session lasts another `need_s`, else a safe
 * session morning of the past. */
static void choose_start(int need_s, char *out, size_t len)
{
    time_t now = time(NULL);
    if (stom_krx_session_at(now) == STOM_KRX_CONTINUOUS &&
        stom_krx_session_at(now + need_s) == STOM_KRX_CONTINUOUS) {
        char when[32];
        stom_format_time(now, STOM_KST_OFFSET_MINUTES, false, when, sizeof when);
        snprintf(out, len, "%.16s", when);
    } else
        snprintf(out, len, "%s", SAFE_START);
}

/* ---- the processes -------------------------------------------------------------- */

static void start_sim(phase *ph, const char *start)
{
    static char symbols[MAX_SYMS * 16], step[16];
    symbols[0] = 0;
    for (int k = 0; k < ph->n_syms; k++) {
        size_t n = strlen(symbols);
        snprintf(symbols + n, sizeof symbols - n, "%s%d:%d", k ? "," : "", 100000 + k,
                 20000 + 1000 * k);
    }
    snprintf(step, sizeof step, "%d", ph->step_ms);
    char path[600];
    snprintf(path, sizeof path, "%s/stom-broker-sim", bin_dir);
    const char *argv[] = {
        "stom-broker-sim", "--rep", SIM_REP,     "--pub", SIM_PUB,     "--start", start,
        "--speed",         "1",     "--step-ms", step,    "--symbols", symbols,   NULL};
    ph->sim = bench_spawn(path, argv, verbose);
}

static void start_engine(phase *ph, const char *start)
{
    char path[600];
    snprintf(path, sizeof path, "%s/stom-engine", bin_dir);
    const char *argv[] = {"stom-engine", "--listen",     ENG_REP, "--publish",
                          ENG_PUB,       "--broker-req", SIM_REP, "--broker-pub",
                          SIM_PUB,       "--database",   ph->db,  "--start",
                          start,         "--speed",      "1",     NULL};
    ph->engine = bench_spawn(path, argv, verbose);
}

/* Waits until the sim answers a quote (its sockets are up). */
static void wait_sim(phase *ph)
{
    stom_broker_client_options o = {.sender = "bench",
                                    .service = "broker-sim",
                                    .req_spec = SIM_REP,
                                    .timeout_ms = 2000,
                                    .attempts = 1};
    stom_errbuf eb = {{0}};
    if (stom_broker_client_open(&ph->broker, &o, &eb))
        die("broker client: %s", eb.msg);
    for (int64_t end = stom_mono_ms() + 15000; stom_mono_ms() < end && !interrupted;) {
        Stom__V1__QuoteRequest q = STOM__V1__QUOTE_REQUEST__INIT;
        q.symbol = "100000";
        Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
        br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_QUOTE;
        br.quote = &q;
        stom_broker_reply rep;
        if (stom_broker_client_call(ph->broker, &br, &rep, NULL) == 0) {
            stom_broker_reply_free(&rep);
            return;
        }
        sleep_ms(50);
    }
    die("%s", "stom-broker-sim does not answer (run with --verbose to see its log)");
}

/* Sends body on rpc.engine; the reply's envelope (r owns it). Retries while the engine starts. */
static const Stom__V1__Envelope *ask(phase *ph, ProtobufCMessage *body, stom_bus_received *r)
{
    stom_errbuf eb = {{0}};
    for (int i = 0; i < 100 && !interrupted; i++) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &sender, 1);
        stom_bus_envelope_set_body(&env, body, NULL);
        if (stom_bus_request(ph->req, "rpc.engine", &env, 10000, r, &eb) == 0)
            return r->msg.env;
        sleep_ms(100);
    }
    die("the engine does not answer: %s (run with --verbose to see its log)", eb.msg);
    return NULL;
}

/* EngineCommand STATUS: everything the engine received before it has been handled. */
static void engine_status(phase *ph, bool *broker_up, uint64_t *md_gaps, int *open_orders)
{
    Stom__V1__EngineCommand c = STOM__V1__ENGINE_COMMAND__INIT;
    c.has_action = 1;
    c.action = STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS;
    c.requested_by = "1";
    stom_bus_received r;
    const Stom__V1__Envelope *env = ask(ph, &c.base, &r);
    if (env->body_case != STOM__V1__ENVELOPE__BODY_ENGINE_STATUS)
        die("%s", "STATUS: not an EngineStatus");
    *broker_up = env->engine_status->broker_up;
    *md_gaps = env->engine_status->md_gaps;
    *open_orders = env->engine_status->open_orders;
    stom_bus_received_free(&r);
}

static void wait_engine(phase *ph)
{
    for (int64_t end = stom_mono_ms() + 15000; stom_mono_ms() < end && !interrupted;) {
        bool up = false;
        uint64_t gaps;
        int open;
        engine_status(ph, &up, &gaps, &open);
        if (up)
            return;
        sleep_ms(100);
    }
    die("%s", "the engine never saw the broker");
}

/* START or STOP of instance b-<code> (sma_cross fast 1 slow 2, 1 s bars, 1 share). */
static void control(phase *ph, int k, Stom__V1__StrategyAction action)
{
    char id[32], code[16];
    snprintf(code, sizeof code, "%d", 100000 + k);
    snprintf(id, sizeof id, "b-%s", code);
    Stom__V1__Param fast = STOM__V1__PARAM__INIT, slow = STOM__V1__PARAM__INIT;
    Stom__V1__Param *ps[] = {&fast, &slow};
    char *symbols[] = {code};
    fast.name = "fast";
    slow.name = "slow";
    fast.value_case = slow.value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
    fast.int_value = 1;
    slow.int_value = 2;
    Stom__V1__StrategyControl sc = STOM__V1__STRATEGY_CONTROL__INIT;
    sc.instance_id = id;
    sc.has_action = sc.has_timeframe = sc.has_order_qty = 1;
    sc.action = action;
    sc.strategy_name = "sma_cross";
    sc.n_params = 2;
    sc.params = ps;
    sc.n_symbols = 1;
    sc.symbols = symbols;
    sc.account = "paper";
    sc.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1;
    sc.order_qty = 1;
    sc.requested_by = "1";
    stom_bus_received r;
    const Stom__V1__Envelope *env = ask(ph, &sc.base, &r);
    const Stom__V1__StrategyStatus *st =
        env->body_case == STOM__V1__ENVELOPE__BODY_STRATEGY_STATUS ? env->strategy_status : NULL;
    if (!st || st->error)
        die("strategy control refused: %s", st && st->error ? st->error->message : "no status");
    stom_bus_received_free(&r);
}

/* ---- what the bench sees ----------------------------------------------------------- */

static int sym_of(const char *code)
{
    int k = code ? atoi(code) - 100000 : -1;
    return k >= 0 && k < MAX_SYMS ? k : -1;
}

/* The order's record (added when new; NULL when the table is full). Caller holds mu. */
static order_seen *order_of(phase *ph, const char *id, const char *symbol)
{
    if (!id)
        return NULL;
    for (size_t i = ph->n_orders; i-- > 0;)
        if (!strcmp(ph->orders[i].id, id))
            return &ph->orders[i];
    if (ph->n_orders == MAX_ORDERS)
        return NULL;
    order_seen *o = &ph->orders[ph->n_orders++];
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "%s", id);
    o->sym = sym_of(symbol);
    return o;
}

static bool is_fill(Stom__V1__OrderEventKind k)
{
    return k == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED ||
           k == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_PARTIALLY_FILLED;
}

static void saw_trade(phase *ph, const Stom__V1__Envelope *env, int64_t rx)
{
    int k = sym_of(env->trade->symbol);
    if (k < 0)
        return;
    ph->trades++;
    ph->window_trades += ph->window_from_ns && !ph->window_to_ns;
    ph->last_seq[k] = env->seq;
    int64_t sec = env->trade->ts_ns / 1000000000LL;
    if (sec > ph->last_sec[k]) { /* the first trade of a new second: completes the last bar */
        ph->last_sec[k] = sec;
        ph->ring[k][sec % RING] = (first_trade){sec, env->trade->ts_ns, rx};
    }
}

static void saw_sim_order(phase *ph, const Stom__V1__OrderEvent *ev, int64_t rx)
{
    ph->ord_received++;
    order_seen *o = order_of(ph, ev->client_order_id, ev->symbol);
    if (!o)
        return;
    o->sim_events++;
    if (ev->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED)
        o->sim_ack_rx_ns = rx;
    if (is_fill(ev->kind)) {
        if (!o->fill_ts_ns)
            o->fill_ts_ns = ev->ts_ns;
        o->sim_filled += ev->fill_qty;
    }
}

static void *feed_main(void *arg)
{
    phase *ph = arg;
    while (!ph->stop) {
        stom_broker_event ev;
        if (stom_broker_feed_recv(ph->feed, 100, &ev, NULL) != 0)
            continue;
        int64_t rx = stom_mono_ns();
        const Stom__V1__Envelope *env = ev.rx.msg.env;
        pthread_mutex_lock(&ph->mu);
        if (env->body_case == STOM__V1__ENVELOPE__BODY_TRADE)
            saw_trade(ph, env, rx);
        else if (env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT) {
            ph->ord_last_seq = env->seq;
            saw_sim_order(ph, env->order_event, rx);
        }
        stom_broker_feed_get_stats(ph->feed, &ph->stats);
        pthread_mutex_unlock(&ph->mu);
        stom_broker_event_free(&ev);
    }
    return NULL;
}

static void *events_main(void *arg)
{
    phase *ph = arg;
    while (!ph->stop) {
        stom_bus_received r;
        if (stom_bus_recv(ph->events, 0, &r, NULL) != 0)
            continue;
        int64_t rx = stom_mono_ns();
        const Stom__V1__Envelope *env = r.msg.env;
        if (env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT) {
            const Stom__V1__OrderEvent *ev = env->order_event;
            pthread_mutex_lock(&ph->mu);
            order_seen *o = order_of(ph, ev->client_order_id, ev->symbol);
            if (o) {
                o->eng_events++;
                if (ev->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED)
                    o->eng_ack_rx_ns = rx;
            }
            pthread_mutex_unlock(&ph->mu);
        }
        stom_bus_received_free(&r);
    }
    return NULL;
}

static void open_observers(phase *ph)
{
    stom_errbuf eb = {{0}};
    if (stom_broker_feed_open(&ph->feed, "sim", SIM_PUB, &eb) ||
        stom_broker_feed_subscribe_md(ph->feed, NULL, &eb) ||
        stom_broker_feed_subscribe_orders(ph->feed, "paper", &eb))
        die("the sim's feed: %s", eb.msg);
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.recv_timeout_ms = 100;
    o.buffer_msgs = STOM_BUS_BUFFER_MSGS_MAX;
    if (stom_bus_socket_open(&ph->events, STOM_BUS_SUB, "dial:" ENG_PUB, &o, &eb) ||
        stom_bus_subscribe(ph->events, "eng.orders", sizeof "eng.orders", &eb) ||
        stom_bus_socket_open(&ph->req, STOM_BUS_REQ, "dial:" ENG_REP, NULL, &eb))
        die("the engine's sockets: %s", eb.msg);
    pthread_create(&ph->feed_thread, NULL, feed_main, ph);
    pthread_create(&ph->events_thread, NULL, events_main, ph);
}

/* Stops the bench's threads; the sockets close after the processes end (nng 1.5's close can
 * hang while a peer is still sending). */
static void stop_observers(phase *ph)
{
    ph->stop = 1;
    pthread_join(ph->feed_thread, NULL);
    pthread_join(ph->events_thread, NULL);
}

static void close_observers(phase *ph)
{
    stom_broker_feed_close(ph->feed);
    stom_broker_client_close(ph->broker);
    nng_close(ph->events);
    nng_close(ph->req);
}

/* Starts or ends the measured window. The ticks the sim published in it are counted by their
 * sequence numbers (one sequence per symbol's topic), those lost on the bench's feed by its gaps.
 */
static void mark_window(phase *ph, bool end)
{
    pthread_mutex_lock(&ph->mu);
    if (!end) {
        ph->window_from_ns = stom_mono_ns();
        memcpy(ph->window_seq, ph->last_seq, sizeof ph->window_seq);
        ph->window_missing = ph->stats.missing;
    } else {
        ph->window_to_ns = stom_mono_ns();
        for (int k = 0; k < ph->n_syms; k++)
            ph->window_published += ph->last_seq[k] - ph->window_seq[k];
        ph->window_missing = ph->stats.missing - ph->window_missing;
    }
    pthread_mutex_unlock(&ph->mu);
}

/* ---- the books after the run ---------------------------------------------------------- */

/* Every fill the sim made, by order (FillsRequest). */
static void read_broker_fills(phase *ph)
{
    Stom__V1__FillsRequest fr = STOM__V1__FILLS_REQUEST__INIT;
    fr.account = "paper";
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_FILLS;
    br.fills = &fr;
    stom_broker_reply rep;
    stom_errbuf eb = {{0}};
    if (stom_broker_client_call(ph->broker, &br, &rep, &eb))
        die("FillsRequest: %s", eb.msg);
    if (rep.reply->error || rep.reply->reply_case != STOM__V1__BROKER_REPLY__REPLY_FILLS)
        die("%s", "FillsRequest refused");
    const Stom__V1__Fills *f = rep.reply->fills;
    pthread_mutex_lock(&ph->mu);
    for (size_t i = 0; i < f->n_fills; i++) {
        order_seen *o = order_of(ph, f->fills[i]->client_order_id, f->fills[i]->symbol);
        if (o) {
            o->broker_fills++;
            o->broker_filled += f->fills[i]->fill_qty;
        }
    }
    pthread_mutex_unlock(&ph->mu);
    stom_broker_reply_free(&rep);
}

/* Every journaled order: its state, filled quantity and events other than 'sent'. */
static void read_journal(phase *ph)
{
    stom_db *db = NULL;
    PGresult *res = NULL;
    stom_errbuf eb = {{0}};
    if (stom_db_connect(&db, ph->db, &eb) ||
        stom_db_query(db,
                      "SELECT j.client_order_id, j.symbol, j.state IN ('pending', 'sent'), "
                      "j.filled_qty, count(e.seq) FILTER (WHERE e.kind <> 'sent') FROM "
                      "order_journal j LEFT JOIN order_journal_events e USING (client_order_id) "
                      "GROUP BY 1, 2, 3, 4",
                      0, NULL, PGRES_TUPLES_OK, "reading the journal", &res, &eb)) {
        stom_db_close(db);
        die("%s", eb.msg);
    }
    pthread_mutex_lock(&ph->mu);
    for (int r = 0; r < PQntuples(res); r++) {
        order_seen *o = order_of(ph, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1));
        if (!o)
            continue;
        o->journaled = true;
        o->settled = PQgetvalue(res, r, 2)[0] == 'f';
        o->journal_filled = atoll(PQgetvalue(res, r, 3));
        o->journal_events = atoi(PQgetvalue(res, r, 4));
    }
    pthread_mutex_unlock(&ph->mu);
    PQclear(res);
    stom_db_close(db);
}

/* ---- one phase ------------------------------------------------------------------------------ */

static void wait_seconds(int seconds)
{
    for (int64_t end = stom_mono_ms() + seconds * 1000LL; stom_mono_ms() < end && !interrupted;)
        sleep_ms(50);
    if (interrupted)
        die("%s", "interrupted");
}

/* Stops the instances and waits until the engine has no order working: every event the sim
 * sent before is then handled (one engine loop), and the bench's feeds get a moment more. */
static void wind_down(phase *ph)
{
    for (int k = 0; k < ph->n_syms; k++)
        control(ph, k, STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_STOP);
    for (int64_t end = stom_mono_ms() + 20000; stom_mono_ms() < end;) {
        bool up;
        int open = 0;
        engine_status(ph, &up, &ph->md_gaps, &open);
        if (open == 0)
            break;
        sleep_ms(100);
    }
    sleep_ms(500);
}

static void start_everything(phase *ph, const char *start)
{
    create_database(ph);
    int64_t sim_started = stom_mono_ms();
    start_sim(ph, start);
    wait_sim(ph);
    open_observers(ph);
    /* Same --start, later process start: the engine's clock trails the sim's (file top). */
    int64_t wait = sim_started + CLOCK_LAG_S * 1000 - stom_mono_ms();
    if (wait > 0)
        sleep_ms((int)wait);
    start_engine(ph, start);
    wait_engine(ph);
    for (int k = 0; k < ph->n_syms; k++)
        control(ph, k, STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_START);
}

static void run_phase(phase *ph, const char *start)
{
    ph->orders = calloc(MAX_ORDERS, sizeof *ph->orders);
    pthread_mutex_init(&ph->mu, NULL);
    start_everything(ph, start);
    wait_seconds(WARMUP_S);
    double eng0 = bench_cpu_seconds(ph->engine), sim0 = bench_cpu_seconds(ph->sim);
    mark_window(ph, false);
    wait_seconds(ph->seconds);
    mark_window(ph, true);
    ph->engine_cpu = bench_cpu_seconds(ph->engine) - eng0;
    ph->sim_cpu = bench_cpu_seconds(ph->sim) - sim0;
    wind_down(ph);
    read_broker_fills(ph);
    read_journal(ph);
    stop_observers(ph);
    ph->engine_ended = bench_stop(ph->engine);
    bench_stop(ph->sim);
    close_observers(ph);
    drop_database();
}

/* ---- main ---------------------------------------------------------------------------------- */

static const char usage[] =
    "usage: bench_engine [--seconds N] [--fast-seconds N] [--verbose]\n"
    "  --seconds N       the 1,000 ticks/s phase, latency against p50 < 200 us, p99 < 1 ms (60)\n"
    "  --fast-seconds N  the 10,000 ticks/s phase, lost ticks and the order books (20)\n"
    "  --verbose         show the sim's and the engine's logs\n"
    "Needs STOM_DATABASE_URL; uses 127.0.0.1 ports 18800-18803.\n";

static int parse(int argc, char **argv, int *seconds, int *fast_seconds)
{
    for (int i = 1; i < argc; i++) {
        int *into = !strcmp(argv[i], "--seconds")        ? seconds
                    : !strcmp(argv[i], "--fast-seconds") ? fast_seconds
                                                         : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(argv[i], "--verbose")) {
            verbose = true;
            continue;
        }
        char *end = NULL;
        long n = into && i + 1 < argc ? strtol(argv[++i], &end, 10) : -1;
        if (!into || !end || *end || n < 1 || n > 3600) {
            fputs(usage, stderr);
            return 2;
        }
        *into = (int)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int seconds = 60, fast_seconds = 20;
    int rc = parse(argc, argv, &seconds, &fast_seconds);
    if (rc)
        return rc == 1 ? 0 : rc;
    const char *url = getenv("STOM_DATABASE_URL");
    if (!url || !url[0]) {
        puts("bench_engine: skipped (set STOM_DATABASE_URL; `make up` starts a server)");
        return 0;
    }
    snprintf(server_url, sizeof server_url, "%s", url);
    bench_self_dir(bin_dir, sizeof bin_dir);
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    atexit(drop_database);
    stom_bus_sender_init(&sender, "bench", NULL);
    char start[32];
    choose_start(seconds + fast_seconds + 120, start, sizeof start);
    printf("simulated clock from %s KST\n", start);
    static phase slow = {.name = "1,000 ticks/s", .n_syms = 20, .step_ms = 20};
    static phase fast = {.name = "10,000 ticks/s", .n_syms = 50, .step_ms = 4};
    slow.seconds = seconds;
    fast.seconds = fast_seconds;
    transport_floor floor;
    bool floor_ok = transport_floor_measure(FLOOR_PUB, FLOOR_REP, 3000, &floor);
    if (floor_ok)
        printf("transport floor (libs/bus over nng, loopback, nothing behind it): PUB -> SUB "
               "hop p50 %.1f p99 %.1f us; REQ -> REP -> REQ p50 %.1f p99 %.1f us; the "
               "headline's floor (a round trip and a hop) p50 about %.1f us\n",
               floor.hop_p50_us, floor.hop_p99_us, floor.rtt_p50_us, floor.rtt_p99_us,
               floor.rtt_p50_us + floor.hop_p50_us);
    run_phase(&slow, start);
    figures_print_ticks(&slow);
    double p50 = 0;
    bool latency_ok = figures_print_latency(&slow, &p50);
    printf("  latency: %s (p50 < 200 us and p99 < 1 ms, tick -> ack at the engine)\n",
           latency_ok ? "PASS" : "FAIL");
    if (floor_ok)
        printf("  the headline's p50 is %.1fx the transport floor's\n",
               p50 / (floor.rtt_p50_us + floor.hop_p50_us));
    figures_print_books(&slow);
    run_phase(&fast, start);
    bool ticks_ok = figures_print_ticks(&fast);
    figures_print_latency(&fast, &p50);
    figures_print_books(&fast);
    printf("  ticks: %s (every tick the bench lost is counted)\n", ticks_ok ? "PASS" : "FAIL");
    free(slow.orders);
    free(fast.orders);
    return 0;
}
