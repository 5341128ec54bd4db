/*
 * test_engine_rules.c - the real stom-engine halting itself and acting on
 * its own: the daily loss stop halts the account after a fill, the kill
 * switch halts all trading and survives a restart, and scheduled jobs fire
 * on a trading day but not on a holiday (the engine's clock is simulated,
 * so the test chooses the day).
 */
#include <stdio.h>

#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN)

#include "engine_harness.h"
#include "stom/schedule_store.h"
#include "stom/timeutil.h"

START_TEST(the_daily_loss_stop_halts_the_account)
{
    eng_harness h;
    eh_init(&h);
    eh_sql(&h, "INSERT INTO risk_settings (account, limits) VALUES ('paper', "
               "'{\"capital\": 10000000, \"daily_loss_stop_bp\": 1}')");
    stom_bus_received r;
    eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RELOAD_RISK, NULL, NULL, &r);
    stom_bus_received_free(&r);
    /* 100 shares pay about 1,050 won of commission: over 1 bp of 10,000,000 won at once. */
    const Stom__V1__OrderEvent *o = eh_order(&h, "l-1", +1, 100, 0, &r);
    ck_assert_msg(o->kind != STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, "%s",
                  o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    for (int i = 0; i < 50 && eh_count(&h, "SELECT count(*) FROM risk_halts WHERE kind = "
                                           "'daily_loss'") == 0;
         i++)
        tp_sleep_ms(100);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM risk_halts WHERE kind = 'daily_loss'"), 1);
    o = eh_order(&h, "l-2", +1, 1, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    stom_bus_received_free(&r);
    /* A trader resumes the account; then selling out goes through. */
    Stom__V1__EngineStatus *st =
        eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME, "paper", NULL, &r);
    ck_assert(!st->halted);
    stom_bus_received_free(&r);
    o = eh_order(&h, "l-3", -1, 100, 0, &r);
    ck_assert_msg(o->kind != STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, "%s",
                  o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

START_TEST(a_kill_switch_on_all_trading_survives_a_restart)
{
    eng_harness h;
    eh_init(&h);
    stom_bus_received r;
    Stom__V1__EngineStatus *st =
        eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_KILL, NULL, "market turmoil", &r);
    ck_assert(st->halted);
    stom_bus_received_free(&r);
    tp_end(&h.engine, SIGKILL);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    const Stom__V1__OrderEvent *o = eh_order(&h, "h-1", +1, 1, 0, &r);
    ck_assert_int_eq(o->kind, STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED);
    ck_assert_msg(strstr(o->reason, "market turmoil"), "%s", o->reason);
    stom_bus_received_free(&r);
    eh_command(&h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_RESUME, NULL, NULL, &r);
    stom_bus_received_free(&r);
    o = eh_order(&h, "h-2", +1, 1, 0, &r);
    ck_assert_msg(o->kind != STOM__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_REJECTED, "%s",
                  o->reason ? o->reason : "");
    stom_bus_received_free(&r);
    eh_fini(&h);
}
END_TEST

/* A job starting an sma_cross instance at 09:32, added as of start (KST). */
static void add_start_job(eng_harness *h, const char *start)
{
    static const char json[] =
        "{\"name\": \"아침 시작\", \"when\": \"09:32\", \"action\": \"start_strategy\", \"args\": "
        "{\"instance_id\": \"sched-1\", \"strategy\": \"sma_cross\", \"params\": {\"fast\": 2, "
        "\"slow\": 3}, \"symbols\": [\"005930\"], \"timeframe\": \"1m\", \"account\": "
        "\"paper\", \"order_qty\": 1}}";
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_schedule_job_from_json(json, sizeof json - 1, &job, &eb) == 0, "%s", eb.msg);
    job.owner = 1;
    int64_t now;
    ck_assert_int_eq(stom_parse_minute(start, STOM_KST_OFFSET_MINUTES, &now), 0);
    ck_assert_msg(stom_schedule_add(h->conn, &job, now, &eb) == 0, "%s", eb.msg);
    stom_schedule_job_clear(&job);
}

START_TEST(a_scheduled_job_fires_on_a_trading_day)
{
    eng_harness h;
    eh_prepare(&h, "2024-01-03 09:30");
    add_start_job(&h, h.start);
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    /* 09:32 comes two real seconds after the start. */
    for (int i = 0; i < 100 && eh_count(&h, "SELECT count(*) FROM engine_strategies WHERE "
                                            "instance_id = 'sched-1'") == 0;
         i++)
        tp_sleep_ms(100);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM engine_strategies WHERE instance_id = "
                                  "'sched-1' AND state = 'running'"),
                     1);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM schedules WHERE last_fired_at IS NOT NULL"),
                     1);
    eh_fini(&h);
}
END_TEST

START_TEST(a_scheduled_job_does_not_fire_on_a_holiday)
{
    eng_harness h;
    eh_prepare(&h, "2024-02-09 09:30"); /* 설날 연휴: KRX closed */
    add_start_job(&h, h.start);
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    tp_sleep_ms(4000); /* four simulated minutes: past 09:32 */
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM engine_strategies"), 0);
    char next[64];
    eh_value(&h,
             "SELECT to_char(next_fire_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') "
             "FROM schedules",
             next, sizeof next);
    ck_assert_str_eq(next, "2024-02-13 09:32"); /* the next trading day */
    eh_fini(&h);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("engine_rules");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, eh_base_open, eh_base_close);
    tcase_add_test(tc, the_daily_loss_stop_halts_the_account);
    tcase_add_test(tc, a_kill_switch_on_all_trading_survives_a_restart);
    tcase_add_test(tc, a_scheduled_job_fires_on_a_trading_day);
    tcase_add_test(tc, a_scheduled_job_does_not_fire_on_a_holiday);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(rules_suite());
}

#else

int main(void)
{
    puts("engine rules test skipped: stom-engine or stom-broker-sim is not built");
    return 0;
}

#endif
