/*
 * test_engine_process.c - the real stom-engine with the real
 * stom-broker-sim and PostgreSQL: a strategy trades on paper end to end,
 * manual orders go through the journal, the kill switch and a risk rule
 * block orders, a SIGKILLed engine restarts without sending an order twice,
 * a dead broker blocks orders until it is back, and malformed requests do
 * no harm.
 */
#include <stdio.h>

#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN)

#include "engine_harness.h"
#include "stom/broker_client.h"

#include <nng/protocol/reqrep0/req.h>

static const Stom__V1__StrategyStatus *start_sma(eng_harness *h, const char *id,
                                                 stom_bus_received *r)
{
    Stom__V1__StrategyControl sc = STOM__V1__STRATEGY_CONTROL__INIT;
    Stom__V1__Param fast = STOM__V1__PARAM__INIT, slow = STOM__V1__PARAM__INIT;
    Stom__V1__Param *ps[] = {&fast, &slow};
    char *symbols[] = {"005930"};
    fast.name = "fast";
    fast.value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
    fast.int_value = 2;
    slow.name = "slow";
    slow.value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
    slow.int_value = 3;
    sc.instance_id = (char *)id;
    sc.has_action = sc.has_timeframe = sc.has_order_qty = 1;
    sc.action = STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_START;
    sc.strategy_name = "sma_cross";
    sc.n_params = 2;
    sc.params = ps;
    sc.n_symbols = 1;
    sc.symbols = symbols;
    sc.account = "paper";
    sc.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1;
    sc.order_qty = 10;
    sc.requested_by = "1";
    const Stom__V1__Envelope *env = eh_ask(h, &sc.base, r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_STRATEGY_STATUS);
    return env->strategy_status;
}

/* The next FILLED event on eng.orders within 40 s (40 simulated minutes); fails without one. */
static const Stom__V1__Envelope *next_fill(eng_harness *h, stom_bus_received *r)
{
    for (int i = 0; i < 40; i++) {
        const Stom__V1__Envelope *ev = eh_event(h, STOM__V1__ENVELOPE__BODY_ORDER_EVENT, 1000, r);
        if (ev && ev->order_event->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED)
            return ev;
        if (ev)
            stom_bus_received_free(r);
    }
    tp_show_log(h->dir, "engine");
    ck_abort_msg("no fill on eng.orders within 40 simulated minutes");
    return NULL;
}

START_TEST(a_strategy_trades_on_paper_end_to_end)
{
    eng_harness h;
    eh_init(&h);
    stom_bus_received r;
    const Stom__V1__StrategyStatus *st = start_sma(&h, "demo-sma", &r);
    ck_assert_msg(!st->error, "%s", st->error ? st->error->message : "");
    ck_assert_int_eq(st->state, STOM__V1__STRATEGY_STATE__STRATEGY_STATE_RUNNING);
    stom_bus_received_free(&r);
    /* A crossing comes within a few simulated minutes; its order fills at once. */
    const Stom__V1__Envelope *ev = next_fill(&h, &r);
    ck_assert_str_eq(ev->order_event->account, "paper");
    ck_assert_int_eq(ev->order_event->fill_qty, 10);
    char id[80], sql[256];
    snprintf(id, sizeof id, "%s", ev->order_event->client_order_id);
    stom_bus_received_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT state || ' ' || strategy || ' ' || filled_qty FROM order_journal WHERE "
             "client_order_id = '%s'",
             id);
    char row[128];
    eh_value_soon(&h, sql, "filled demo-sma 10", row, sizeof row);
    ck_assert_str_eq(row, "filled demo-sma 10");
    /* The position event and row follow the fill. */
    ev = eh_event(&h, STOM__V1__ENVELOPE__BODY_POSITION, 3000, &r);
    ck_assert_msg(ev != NULL, "no eng.positions event");
    ck_assert_str_eq(ev->position->symbol, "005930");
    stom_bus_received_free(&r);
    ck_assert_int_ge(eh_count(&h, "SELECT count(*) FROM engine_strategies WHERE instance_id = "
                                  "'demo-sma' AND state = 'running'"),
                     1);
    ck_assert_int_ge(eh_count(&h, "SELECT count(*) FROM account_balances WHERE account = 'paper'"),
                     1);
    /* Restarted at the same market time, the strategy's next orders get ids of their own:
     * the journal never meets an id of the last run (that halted all trading). */
    tp_end(&h.engine, SIGTERM);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    ev = next_fill(&h, &r);
    const char *again = ev->order_event->client_order_id;
    ck_assert_str_ne(again, id);
    ck_assert_int_ne(strncmp(again, id, (size_t)(strchr(id, '-') - id)), 0);
    stom_bus_received_free(&r);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_events WHERE kind = 'journal'"), 0);
    eh_fini(&h);
}
END_TEST

START_TEST(manual_orders_the_kill_switch_and_a_risk_rule)
{
    eng_harness h;
    eh_init(&h);
    stom_bus_received r;
    const Stom__V1__OrderEvent *o = eh_order(&h, "m-1", +1, 5, 0, &r);
    ck_assert_msg(o->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED ||
                      o->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED,
                  "kind %d: %s", o->kind, o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    /* The same client order id again: the same order, not a second one. */
    eh_order(&h, "m-1", +1, 5, 0, &r);
    stom_bus_received_free(&r);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM order_journal WHERE client_order_id = "
                                  "'m-1'"),
                     1);

    Stom__V1__EngineStatus *st =
        eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL, "paper", "test kill", &r);
    ck_assert_msg(!st->error, "%s", st->error ? st->error->message : "");
    ck_assert(st->halted);
    stom_bus_received_free(&r);
    o = eh_order(&h, "m-2", +1, 5, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    ck_assert_msg(strstr(o->reason, "halted") || strstr(o->reason, "kill"), "%s", o->reason);
    stom_bus_received_free(&r);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_events WHERE kind = 'kill_switch'"),
                     2);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_halts WHERE account = 'paper'"), 1);
    st = eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME, "paper", NULL, &r);
    ck_assert(!st->halted);
    stom_bus_received_free(&r);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_halts"), 0);

    /* A rule from risk_settings, reloaded: an order over max_order_value is blocked. */
    eh_sql(&h, "INSERT INTO risk_settings (account, limits) VALUES ('paper', "
               "'{\"max_order_value\": 1000000}')");
    st = eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RELOAD_RISK, NULL, NULL, &r);
    ck_assert_msg(!st->error, "%s", st->error ? st->error->message : "");
    stom_bus_received_free(&r);
    o = eh_order(&h, "m-3", +1, 100, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    ck_assert_msg(strstr(o->reason, "max_order_value"), "%s", o->reason);
    stom_bus_received_free(&r);
    o = eh_order(&h, "m-4", +1, 1, 0, &r);
    ck_assert_int_ne(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

/* The sim's fills of client order id, asked of the sim itself. */
static int sim_fills_of(const char *id)
{
    stom_broker_client_options o = {
        .sender = "test", .service = "broker-sim", .req_spec = EH_SIM_REP, .timeout_ms = 2000};
    stom_broker_client *c = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_broker_client_open(&c, &o, &eb) == 0, "%s", eb.msg);
    Stom__V1__FillsRequest fq = STOM__V1__FILLS_REQUEST__INIT;
    fq.account = "paper";
    Stom__V1__BrokerRequest br = STOM__V1__BROKER_REQUEST__INIT;
    br.request_case = STOM__V1__BROKER_REQUEST__REQUEST_FILLS;
    br.fills = &fq;
    stom_broker_reply rep;
    ck_assert_msg(stom_broker_client_call(c, &br, &rep, &eb) == 0, "%s", eb.msg);
    int n = 0;
    for (size_t i = 0; rep.reply->fills && i < rep.reply->fills->n_fills; i++)
        n += !strcmp(rep.reply->fills->fills[i]->client_order_id, id);
    stom_broker_reply_free(&rep);
    stom_broker_client_close(c);
    return n;
}

/* Starts the engine with fault set, sends a market order of 2 under id that kills it there,
 * and restarts it without the fault. */
static void order_that_kills(eng_harness *h, const char *fault, const char *id)
{
    eh_prepare(h, EH_START);
    eh_start_sim(h);
    h->fault = fault;
    eh_start_engine(h);
    eh_wait_ready(h);
    Stom__V1__OrderRequest o = STOM__V1__ORDER_REQUEST__INIT;
    o.client_order_id = (char *)id;
    o.account = "paper";
    o.symbol = "005930";
    o.has_side = o.has_qty = o.has_type = 1;
    o.side = STOM__V1__SIDE__SIDE_BUY;
    o.qty = 2;
    o.type = STOM__V1__ORDER_TYPE__ORDER_TYPE_MARKET;
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &h->sender, 1);
    stom_bus_envelope_set_body(&env, &o.base, NULL);
    stom_bus_received r;
    ck_assert_int_ne(stom_bus_request(h->req, "rpc.engine", &env, 3000, &r, NULL), 0);
    int st = tp_end(&h->engine, SIGTERM); /* it is gone already: this reaps it */
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the engine ended with %d", st);
    ck_assert(eh_log_has(h, fault));
    h->fault = NULL;
    eh_start_engine(h);
    eh_wait_ready(h);
}

START_TEST(killed_after_the_broker_answered_but_before_journaling_it_nothing_is_sent_twice)
{
    eng_harness h;
    order_that_kills(&h, "before-ack", "kill-ack");
    /* The journal said only 'sent'; reconciliation brings the broker's fill in. */
    char row[64];
    eh_value_soon(&h,
                  "SELECT state || ' ' || filled_qty FROM order_journal WHERE "
                  "client_order_id = 'kill-ack'",
                  "filled 2", row, sizeof row);
    ck_assert_str_eq(row, "filled 2");
    ck_assert_int_eq(sim_fills_of("kill-ack"), 1);
    /* The trader's retry of the same id answers with that order, not a second one. */
    stom_bus_received r;
    const Stom__V1__OrderEvent *o = eh_order(&h, "kill-ack", +1, 2, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_FILLED);
    stom_bus_received_free(&r);
    ck_assert_int_eq(sim_fills_of("kill-ack"), 1);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM order_journal_events WHERE "
                                  "client_order_id = 'kill-ack' AND kind = 'fill'"),
                     1);
    eh_fini(&h);
}
END_TEST

START_TEST(killed_after_journaling_before_sending_the_order_is_settled_as_never_sent)
{
    eng_harness h;
    order_that_kills(&h, "after-journal", "kill-journal");
    char row[64];
    eh_value_soon(&h, "SELECT state FROM order_journal WHERE client_order_id = 'kill-journal'",
                  "rejected", row, sizeof row);
    ck_assert_str_eq(row, "rejected");
    ck_assert_int_eq(sim_fills_of("kill-journal"), 0);
    eh_fini(&h);
}
END_TEST

START_TEST(a_journal_that_cannot_be_written_halts_trading)
{
    eng_harness h;
    eh_init(&h);
    /* From now on the journal refuses every new event (as a full disk or a broken table
     * would): the order reaches the broker, its events cannot be recorded. */
    eh_sql(&h, "CREATE FUNCTION refuse_journal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'journal refused for the test'; END $$");
    eh_sql(&h, "CREATE TRIGGER refuse BEFORE INSERT ON order_journal_events FOR EACH ROW "
               "EXECUTE FUNCTION refuse_journal()");
    stom_bus_received r;
    eh_order(&h, "j-1", +1, 1, 0, &r);
    stom_bus_received_free(&r);
    /* The engine stopped trading instead of going on with a journal that differs from memory. */
    const Stom__V1__OrderEvent *o = eh_order(&h, "j-2", +1, 1, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    ck_assert_msg(strstr(o->reason, "journal"), "%s", o->reason);
    stom_bus_received_free(&r);
    ck_assert_int_ge(eh_count(&h, "SELECT count(*) FROM risk_events WHERE kind = 'journal'"), 1);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_halts WHERE kind = 'journal'"), 1);
    eh_fini(&h);
}
END_TEST

START_TEST(malformed_requests_are_refused_and_the_engine_goes_on)
{
    eng_harness h;
    eh_init(&h);
    nng_socket raw;
    ck_assert_int_eq(nng_req0_open(&raw), 0);
    ck_assert_int_eq(nng_socket_set_ms(raw, NNG_OPT_RECVTIMEO, 3000), 0);
    ck_assert_int_eq(nng_dial(raw, EH_ENG_REP, NULL, 0), 0);
    static const char garbage[] = "rpc.engine\0not protobuf at all";
    ck_assert_int_eq(nng_send(raw, (void *)garbage, sizeof garbage - 1, 0), 0);
    nng_msg *m = NULL;
    ck_assert_int_eq(nng_recvmsg(raw, &m, 0), 0);
    ck_assert(nng_msg_len(m) > 10 && !memcmp(nng_msg_body(m), "rpc.error", 9));
    nng_msg_free(m);
    nng_close(raw);
    /* A body the engine does not take. */
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = "x";
    stom_bus_received r;
    const Stom__V1__Envelope *env = eh_ask(&h, &jc.base, &r);
    ck_assert_int_eq(env->body_case, STOM__V1__ENVELOPE__BODY_ERROR);
    ck_assert(strstr(env->error->message, "does not take"));
    stom_bus_received_free(&r);
    /* Orders with bad fields are refused naming the field. */
    const Stom__V1__OrderEvent *o = eh_order(&h, "bad-1", +1, 0, 0, &r);
    ck_assert_str_eq(o->detail_code, "invalid_argument");
    ck_assert(strstr(o->reason, "qty"));
    stom_bus_received_free(&r);
    o = eh_order(&h, "bad-2", +1, 1, -5, &r);
    ck_assert(strstr(o->reason, "price"));
    stom_bus_received_free(&r);
    /* An unknown strategy, a bad instance id. */
    Stom__V1__StrategyControl sc = STOM__V1__STRATEGY_CONTROL__INIT;
    sc.has_action = 1;
    sc.action = STOM__V1__STRATEGY_ACTION__STRATEGY_ACTION_START;
    sc.instance_id = "bad id!";
    env = eh_ask(&h, &sc.base, &r);
    ck_assert_ptr_nonnull(env->strategy_status->error);
    ck_assert(strstr(env->strategy_status->error->message, "instance_id"));
    stom_bus_received_free(&r);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM order_journal"), 0);
    Stom__V1__EngineStatus *st =
        eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS, NULL, NULL, &r);
    ck_assert(st->broker_up);
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

START_TEST(a_killed_engine_restarts_without_sending_an_order_twice)
{
    eng_harness h;
    eh_init(&h);
    stom_bus_received r;
    eh_order(&h, "k-1", +1, 3, 0, &r);
    stom_bus_received_free(&r);
    /* A limit far below the market rests at the broker. */
    const Stom__V1__OrderEvent *o = eh_order(&h, "k-2", +1, 2, 50000, &r);
    ck_assert_msg(o->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ACCEPTED, "kind %d: %s",
                  o->kind, o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    tp_end(&h.engine, SIGKILL);
    /* A journaled order the broker never saw: as if the engine died between the two. */
    eh_sql(&h, "INSERT INTO order_journal (client_order_id, broker, account, symbol, side, "
               "order_type, qty, state, created_at, updated_at) VALUES ('k-3', 'sim', 'paper', "
               "'005930', 1, 'market', 4, 'sent', now(), now())");
    eh_start_engine(&h);
    eh_wait_ready(&h);
    char row[64];
    for (int i = 0; i < 50; i++) {
        eh_value(&h, "SELECT state FROM order_journal WHERE client_order_id = 'k-3'", row,
                 sizeof row);
        if (strcmp(row, "sent"))
            break;
        tp_sleep_ms(100);
    }
    ck_assert_str_eq(row, "rejected"); /* never sent: reconciliation says so, nothing resent */
    eh_value(&h, "SELECT state FROM order_journal WHERE client_order_id = 'k-2'", row, sizeof row);
    ck_assert_str_eq(row, "accepted");
    /* The resting order is still the engine's: it can be cancelled. */
    Stom__V1__EngineCommand c = STOM__V1__ENGINE_COMMAND__INIT;
    c.has_action = 1;
    c.action = STOM__V1__ENGINE_ACTION__ENGINE_ACTION_CANCEL_ORDER;
    c.client_order_id = "k-2";
    const Stom__V1__Envelope *env = eh_ask(&h, &c.base, &r);
    ck_assert_msg(!env->engine_status->error, "%s",
                  env->engine_status->error ? env->engine_status->error->message : "");
    stom_bus_received_free(&r);
    for (int i = 0; i < 50; i++) {
        eh_value(&h, "SELECT state FROM order_journal WHERE client_order_id = 'k-2'", row,
                 sizeof row);
        if (!strcmp(row, "cancelled"))
            break;
        tp_sleep_ms(100);
    }
    ck_assert_str_eq(row, "cancelled");
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM order_journal"), 3);
    eh_fini(&h);
}
END_TEST

START_TEST(a_dead_broker_blocks_orders_until_it_is_back)
{
    eng_harness h;
    eh_init(&h);
    tp_end(&h.sim, SIGKILL);
    stom_bus_received r;
    const Stom__V1__OrderEvent *o = NULL;
    for (int i = 0; i < 50; i++) { /* the first order may be the one that finds out */
        o = eh_order(&h, i ? "d-2" : "d-1", +1, 1, 0, &r);
        bool blocked = o->kind == STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED &&
                       !strcmp(o->detail_code ? o->detail_code : "", "unavailable");
        stom_bus_received_free(&r);
        if (blocked)
            break;
        tp_sleep_ms(100);
    }
    ck_assert_int_ge(eh_count(&h, "SELECT count(*) FROM risk_events WHERE kind = "
                                  "'broker_disconnected'"),
                     1);
    Stom__V1__EngineStatus *st =
        eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS, NULL, NULL, &r);
    ck_assert(!st->broker_up);
    stom_bus_received_free(&r);
    eh_start_sim(&h);
    eh_wait_ready(&h);
    o = eh_order(&h, "d-3", +1, 1, 0, &r);
    ck_assert_msg(o->kind != STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, "%s",
                  o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

START_TEST(a_broker_that_stalls_and_comes_back_is_reconciled_with_the_days_fills)
{
    eng_harness h;
    eh_init(&h);
    stom_bus_received r;
    const Stom__V1__OrderEvent *o = eh_order(&h, "s-1", +1, 3, 0, &r);
    ck_assert_int_ne(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    stom_bus_received_free(&r);
    char row[64];
    eh_value_soon(&h, "SELECT state FROM order_journal WHERE client_order_id = 's-1'", "filled",
                  row, sizeof row);
    /* The sim stops answering (alive, its fills kept) until the engine marks it down. */
    kill(h.sim, SIGSTOP);
    for (int i = 0; i < 100 && !eh_log_has(&h, "is not answering"); i++)
        tp_sleep_ms(100);
    kill(h.sim, SIGCONT);
    eh_wait_ready(&h); /* back, and reconciled: the filled order's fill is no mismatch */
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_events WHERE kind = "
                                  "'reconcile_mismatch'"),
                     0);
    o = eh_order(&h, "s-2", +1, 1, 0, &r);
    ck_assert_msg(o->kind != STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, "%s",
                  o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("engine_process");
    TCase *tc = tcase_create("process");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, eh_base_open, eh_base_close);
    tcase_add_test(tc, a_strategy_trades_on_paper_end_to_end);
    tcase_add_test(tc, manual_orders_the_kill_switch_and_a_risk_rule);
    tcase_add_test(tc, malformed_requests_are_refused_and_the_engine_goes_on);
    tcase_add_test(tc, a_journal_that_cannot_be_written_halts_trading);
    tcase_add_test(tc,
                   killed_after_the_broker_answered_but_before_journaling_it_nothing_is_sent_twice);
    tcase_add_test(tc, killed_after_journaling_before_sending_the_order_is_settled_as_never_sent);
    tcase_add_test(tc, a_killed_engine_restarts_without_sending_an_order_twice);
    tcase_add_test(tc, a_dead_broker_blocks_orders_until_it_is_back);
    tcase_add_test(tc, a_broker_that_stalls_and_comes_back_is_reconciled_with_the_days_fills);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(engine_suite());
}

#else

int main(void)
{
    puts("engine process test skipped: stom-engine or stom-broker-sim is not built");
    return 0;
}

#endif
