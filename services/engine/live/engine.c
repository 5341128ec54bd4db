/*
 * engine.c - the engine's process: opening its sockets and parts, the two
 * receiving threads, the loop that handles one item at a time, and the
 * timers (bars completed by the clock, end times, the scheduler, the
 * broker's health and balances).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backtest_submit.h"
#include "engine_internal.h"
#include "stom/alloc.h"
#include "stom/schedule_store.h"
#include "stom/timeutil.h"

#define LOOP_MS            20
#define BROKER_CHECK_UP_NS (5 * 1000000000LL)
#define BROKER_CHECK_DN_NS (1 * 1000000000LL)

/* The default 급등주 rules when no --surge file is given (docs/surge.md). */
static const char DEFAULT_SURGE[] =
    "{\"rules\": [{\"name\": \"jump_1m\", \"kind\": \"price\", \"window_ms\": 60000, "
    "\"cooldown_ms\": 300000, \"session\": {\"start\": \"09:00\", \"end\": \"15:20\"}, "
    "\"all\": [{\"metric\": \"window_change_bp\", \"min\": 300}]}]}";

static const char *const TOPIC_SENDER = "engine";

void eng_log(const char *fmt, ...)
{
    char when[32];
    stom_format_time(time(NULL), STOM_KST_OFFSET_MINUTES, false, when, sizeof when);
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr); /* one line, also from the backtest submitter's thread */
    fprintf(stderr, "%s stom-engine: ", when);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

int64_t eng_now_ns(const engine *e)
{
    if (e->cfg->market_clock && e->market_ns)
        return e->market_ns;
    if (e->cfg->clock_start_ns)
        return e->cfg->clock_start_ns + (stom_mono_ns() - e->mono_start_ns) * e->cfg->clock_speed;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- receiving threads -------------------------------------------------- */

static void *feed_main(void *arg)
{
    engine *e = arg;
    while (!e->threads_stop) {
        eng_item *it = stom_xcalloc(1, sizeof *it);
        it->kind = ENG_ITEM_FEED;
        if (stom_broker_feed_recv(e->feed, 100, &it->feed, NULL) == 0)
            eng_inbox_push(&e->inbox, it,
                           it->feed.rx.msg.env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT);
        else
            free(it);
    }
    return NULL;
}

static void *control_main(void *arg)
{
    engine *e = arg;
    while (!e->threads_stop) {
        stom_bus_pending *p = NULL;
        if (stom_bus_server_next(e->srv, 100, &p) != 0)
            continue;
        eng_item *it = stom_xcalloc(1, sizeof *it);
        it->kind = ENG_ITEM_REQUEST;
        it->request = p;
        eng_inbox_push(&e->inbox, it, true);
    }
    return NULL;
}

/* ---- parts ---------------------------------------------------------------- */

static void on_risk_event(void *arg, const stom_risk_verdict *v)
{
    engine *e = arg;
    stom_risk_verdict copy = *v;
    if (e->halt_kind)
        copy.kind = (stom_risk_kind)e->halt_kind;
    eng_publish_risk(e, &copy, NULL, eng_now_ns(e));
}

static void on_surge(const stom_surge_alert *a, void *arg)
{
    eng_publish_surge(arg, a);
}

static int open_surge(engine *e, stom_errbuf *eb)
{
    char *text = NULL;
    size_t len = 0;
    if (e->cfg->surge_config) {
        FILE *f = fopen(e->cfg->surge_config, "rb");
        if (!f)
            return stom_errorf(eb, STOM_EIO, "cannot read the surge rules %s",
                               e->cfg->surge_config);
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        text = stom_xmalloc(n > 0 ? (size_t)n : 1);
        len = n > 0 ? fread(text, 1, (size_t)n, f) : 0;
        fclose(f);
    }
    stom_surge_config sc;
    int rc = stom_surge_config_parse(text ? text : DEFAULT_SURGE,
                                     text ? len : sizeof DEFAULT_SURGE - 1, &sc, eb);
    free(text);
    return rc ? rc : stom_surge_create(&e->surge, &sc, on_surge, e, eb);
}

/* Subscribes to the order events of every account of this broker in broker_accounts. */
static int subscribe_accounts(engine *e, stom_errbuf *eb)
{
    const char *args[] = {e->cfg->broker};
    PGresult *res = NULL;
    int rc = stom_db_query(e->db, "SELECT account FROM broker_accounts WHERE broker = $1", 1, args,
                           PGRES_TUPLES_OK, "reading the broker's accounts", &res, eb);
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(res) && e->n_accounts < 16; i++) {
        const char *a = PQgetvalue(res, i, 0);
        snprintf(e->accounts[e->n_accounts++], OMS_TEXT_MAX, "%s", a);
        if ((rc = stom_broker_feed_subscribe_orders(e->feed, a, eb)) != 0)
            break;
    }
    PQclear(res);
    return rc;
}

/* A write through the pipe failed: a journal write halts all trading (memory and journal may
 * differ now), any other is logged. */
static void on_write_failed(void *arg, const char *label, bool critical, const char *message)
{
    engine *e = arg;
    eng_log("%s: %s", label, message);
    if (!critical)
        return;
    char why[400];
    snprintf(why, sizeof why, "the order journal could not be written (%s: %.200s)", label,
             message);
    e->halt_kind = STOM__V1__RISK_KIND__RISK_KIND_JOURNAL;
    stom_risk_halt(e->risk, NULL, NULL, why, eng_now_ns(e));
    e->halt_kind = 0;
}

void eng_db_settle(engine *e)
{
    stom_errbuf eb = {0};
    if (stom_db_pipe_drain(e->pipe, 10000, &eb))
        eng_log("%s", eb.msg);
}

static int open_engine(engine *e, stom_errbuf *eb)
{
    eng_inbox_init(&e->inbox);
    e->mono_start_ns = stom_mono_ns();
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    e->id_base_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    int rc = stom_db_connect(&e->db, e->cfg->database, eb);
    /* The journal is written ahead of every send: the statement is in PostgreSQL's socket
     * before the order leaves, and PostgreSQL's answer is not waited for. Nor is the disk
     * flush: a PostgreSQL crash may lose the last rows, whose orders then show up at
     * reconciliation as unknown to the journal, which halts trading (docs/engine.md). */
    if (!rc)
        rc = stom_db_exec(e->db, "SET synchronous_commit = off", eb);
    if (!rc)
        rc = stom_db_pipe_open(&e->pipe, e->cfg->database, "SET synchronous_commit = off",
                               on_write_failed, e, eb);
    if (!rc)
        rc = stom_risk_create(&e->risk);
    if (!rc) {
        stom_risk_on_event(e->risk, on_risk_event, e);
        rc = open_surge(e, eb);
    }
    stom_broker_client_options bo = {.sender = TOPIC_SENDER,
                                     .service = e->cfg->broker_service,
                                     .req_spec = e->cfg->broker_req,
                                     .timeout_ms = e->cfg->broker_timeout_ms,
                                     .attempts = 2};
    if (!rc)
        rc = stom_broker_client_open(&e->broker, &bo, eb);
    if (!rc)
        rc = stom_broker_feed_open(&e->feed, e->cfg->broker, e->cfg->broker_pub, eb);
    if (!rc)
        rc = subscribe_accounts(e, eb);
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    if (!rc)
        rc = stom_bus_socket_open(&e->pub, STOM_BUS_PUB, e->cfg->publish, &opt, eb);
    if (!rc)
        rc = stom_bus_publisher_open(&e->publisher, e->pub, 0, eb);
    for (size_t i = 0; !rc && i < 5; i++)
        rc = stom_bus_sender_init(&e->senders[i], TOPIC_SENDER, eb);
    if (!rc)
        rc = stom_bus_server_open(&e->srv, e->cfg->listen, TOPIC_SENDER, 16, 0, eb);
    if (!rc)
        rc = eng_backtests_open(&e->backtests, e->cfg->coordinator, e->cfg->database, eb);
    if (!rc)
        rc = eng_load_risk(e, eb);
    return rc;
}

static void close_engine(engine *e)
{
    /* Instances stay 'running' in their rows: the next start restarts them. */
    while (e->n_instances > 0)
        eng_instance_free(e->instances[--e->n_instances]);
    if (e->db)
        eng_recordings_stop(e);
    eng_backtests_close(e->backtests);
    stom_bus_server_close(e->srv);
    stom_bus_publisher_close(e->publisher); /* what is queued goes out first */
    nng_close(e->pub);
    stom_broker_feed_close(e->feed);
    eng_tickets_abandon(e);
    stom_broker_client_close(e->broker);
    for (size_t i = 0; i < ENG_MAX_ORDERS; i++)
        eng_order_release(&e->orders[i]);
    stom_db_pipe_close(e->pipe); /* waits for what is in flight */
    stom_surge_destroy(e->surge);
    stom_risk_destroy(e->risk);
    stom_db_close(e->db);
    eng_inbox_destroy(&e->inbox);
}

/* ---- timers --------------------------------------------------------------- */

/* Asks the broker for each account's figures (the health check and the balances), and
 * reconciles once it answers after being down. */
static void check_broker(engine *e, int64_t now)
{
    if (e->broker_up && !e->reconciled && now - e->reconcile_tried_ns >= BROKER_CHECK_DN_NS) {
        e->reconcile_tried_ns = now;
        stom_errbuf eb = {0};
        if (eng_reconcile(e, &eb))
            eng_log("reconciliation failed: %s", eb.msg);
    }
    int64_t every = e->broker_up ? BROKER_CHECK_UP_NS : BROKER_CHECK_DN_NS;
    if (now - e->broker_checked_ns < every && e->broker_checked_ns != 0)
        return;
    e->broker_checked_ns = now;
    eng_save_balances(e); /* its answers set broker_up */
}

static void run_schedules(engine *e, int64_t now);

static void tick(engine *e)
{
    int64_t now = eng_now_ns(e);
    stom_db_pipe_poll(e->pipe);
    eng_flush_changes(e); /* also under a load that never empties the inbox */
    check_broker(e, now);
    if (e->reconciled)
        eng_instances_tick(e, now);
    eng_recordings_tick(e, now);
    run_schedules(e, now);
}

static void handle(engine *e, eng_item *it)
{
    if (it->kind == ENG_ITEM_REQUEST) {
        eng_on_request(e, it->request);
        it->request = NULL;
    } else if (it->kind == ENG_ITEM_REPLY) {
        eng_on_ticket(e, it->ticket);
    } else if (it->feed.rx.msg.env) {
        const Stom__V1__Envelope *env = it->feed.rx.msg.env;
        bool orders = env->body_case == STOM__V1__ENVELOPE__BODY_ORDER_EVENT;
        if (orders && (it->feed.status == STOM_BUS_SEQ_RESTART || it->feed.gap > 0)) {
            /* The broker restarted or order events were lost: ask it what happened. */
            stom_errbuf eb = {0};
            eng_log("order feed %s: reconciling with the broker",
                    it->feed.gap ? "lost events" : "restarted");
            if (eng_reconcile(e, &eb))
                eng_log("reconciliation failed: %s", eb.msg);
        }
        if (orders)
            eng_on_order_event(e, env->order_event);
        else
            eng_on_market(e, env);
    }
    eng_inbox_item_free(it);
}

int eng_run(const eng_config *cfg)
{
    engine *e = stom_xcalloc(1, sizeof *e);
    e->cfg = cfg;
    stom_errbuf eb = {0};
    if (open_engine(e, &eb)) {
        eng_log("cannot start: %s", eb.msg);
        close_engine(e);
        free(e);
        return 1;
    }
    pthread_create(&e->feed_thread, NULL, feed_main, e);
    pthread_create(&e->control_thread, NULL, control_main, e);
    if (eng_restore(e, &eb))
        eng_log("start-up: %s", eb.msg);
    eng_log("listening on %s, publishing on %s, broker %s at %s", cfg->listen, cfg->publish,
            cfg->broker, cfg->broker_req);
    int64_t last_tick = 0;
    while (!*cfg->stop) {
        eng_item *it = eng_inbox_pop(&e->inbox, 0);
        if (!it) { /* nothing waiting: the deferred work, then wait */
            stom_db_pipe_poll(e->pipe);
            eng_flush_changes(e);
            it = eng_inbox_pop(&e->inbox, LOOP_MS);
        }
        if (it)
            handle(e, it);
        int64_t m = stom_mono_ns();
        if (m - last_tick >= LOOP_MS * 1000000LL) {
            tick(e);
            last_tick = m;
        }
    }
    e->threads_stop = 1;
    pthread_join(e->feed_thread, NULL);
    pthread_join(e->control_thread, NULL);
    for (eng_item *it; (it = eng_inbox_pop(&e->inbox, 0)) != NULL;) {
        if (it->kind == ENG_ITEM_REQUEST)
            stom_bus_server_drop(e->srv, it->request);
        eng_inbox_item_free(it);
    }
    eng_log("stopping");
    close_engine(e);
    free(e);
    return 0;
}

/* ---- scheduled jobs ------------------------------------------------------- */

static int64_t engine_clock(void *arg)
{
    return eng_now_ns(arg);
}

static void run_schedules(engine *e, int64_t now)
{
    if (now - e->schedules_ns < 1000000000LL && e->schedules_ns != 0)
        return;
    e->schedules_ns = now;
    stom_schedule_clock clock = {engine_clock, e};
    stom_schedule_jobs due = {0};
    size_t missed = 0;
    stom_errbuf eb = {0};
    if (stom_schedule_run_due(e->db, clock, &due, &missed, &eb)) {
        eng_log("scheduler: %s", eb.msg);
        return;
    }
    if (missed)
        eng_log("scheduler: %zu job(s) missed an earlier day's fire", missed);
    for (size_t i = 0; i < due.n; i++)
        eng_schedule_fire(e, &due.v[i]);
    stom_schedule_jobs_free(&due);
}
