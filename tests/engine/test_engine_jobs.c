/*
 * test_engine_jobs.c - the engine carries out record_bars and run_backtest
 * jobs: the real stom-engine and stom-broker-sim on a simulated KST clock
 * (60x: a real second is a minute), PostgreSQL, and for run_backtest the
 * real coordinator and a worker (stom-backtester). A job does not fire on a
 * KRX holiday (its next fire is the next trading day). Jobs whose args are bad
 * or whose coordinator is down are logged with the reason and the engine
 * goes on.
 */
#include <check.h>

#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN) && defined(STOM_BACKTESTER_BIN)

#include "engine_harness.h"
#include "stom/schedule_store.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

/* Adds job (JSON) for user 1 as of the harness's start. */
static void add_job(eng_harness *h, const char *json)
{
    stom_schedule_job job;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_schedule_job_from_json(json, strlen(json), &job, &eb) == 0, "%s", eb.msg);
    job.owner = 1;
    int64_t now;
    ck_assert_int_eq(stom_parse_minute(h->start, STOM_KST_OFFSET_MINUTES, &now), 0);
    ck_assert_msg(stom_schedule_add(h->conn, &job, now, &eb) == 0, "%s", eb.msg);
    stom_schedule_job_clear(&job);
}

static int64_t kst_minute(const char *when)
{
    int64_t ns;
    ck_assert_int_eq(stom_parse_minute(when, STOM_KST_OFFSET_MINUTES, &ns), 0);
    return ns / 1000000000LL;
}

/* The sim's trades of one minute, as the test saw them on its feed. */
typedef struct minute_bar {
    int64_t open, high, low, close, volume;
} minute_bar;

static void add_trade(minute_bar *b, int64_t price, int64_t qty)
{
    if (b->volume == 0)
        b->open = b->high = b->low = price;
    b->high = price > b->high ? price : b->high;
    b->low = price < b->low ? price : b->low;
    b->close = price;
    b->volume += qty;
}

START_TEST(a_record_bars_job_stores_the_bars_of_the_sims_trades)
{
    eng_harness h;
    eh_prepare(&h, EH_START); /* 09:30 */
    add_job(&h, "{\"name\": \"봉 기록\", \"when\": \"09:31\", \"action\": \"record_bars\", "
                "\"args\": {\"symbols\": [\"005930\"], \"timeframe\": \"1m\", \"until\": "
                "\"09:35\"}}");
    nng_socket md;
    stom_bus_socket_options o;
    stom_bus_socket_options_default(&o);
    o.recv_timeout_ms = 20;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_socket_open(&md, STOM_BUS_SUB, "dial:" EH_SIM_PUB, &o, &eb), 0);
    ck_assert_int_eq(stom_bus_subscribe(md, "md.sim.005930", 13, &eb), 0);
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    /* The trades of 09:32..09:34, the minutes the recording saw whole. */
    minute_bar want[3] = {{0}};
    int64_t t0 = kst_minute("2024-01-03 09:32");
    for (int64_t end = stom_mono_ms() + 30000;
         stom_mono_ms() < end && !eh_log_has(&h, "recording of job 1 (봉 기록) ended");) {
        stom_bus_received r;
        if (stom_bus_recv(md, 0, &r, NULL) != 0)
            continue;
        const Stom__V1__Trade *t =
            r.msg.env->body_case == STOM__V1__ENVELOPE__BODY_TRADE ? r.msg.env->trade : NULL;
        int64_t s = t && t->has_ts_ns ? t->ts_ns / 1000000000LL : 0;
        if (s >= t0 && s < t0 + 180)
            add_trade(&want[(s - t0) / 60], t->price, t->qty);
        stom_bus_received_free(&r);
    }
    nng_close(md);
    /* 09:31 began before the recording did (its first trades unseen): left out. */
    eh_wait_log(&h, "recording of job 1 (봉 기록) ended: 3 1m bar(s) of 1 symbol(s) stored, 0 lost",
                1000);
    stom_bars got;
    ck_assert_msg(stom_store_load_bars(h.conn, "005930", "1m", kst_minute("2024-01-03 09:00"),
                                       kst_minute("2024-01-03 10:00"), &got, &eb) == 0,
                  "%s", eb.msg);
    ck_assert_uint_eq(got.len, 3); /* 09:32 to 09:34: until 09:35 */
    for (int k = 0; k < 3; k++) {
        size_t i = (size_t)k;
        ck_assert_int_eq(got.ts[i], t0 + k * 60);
        ck_assert_int_gt(want[k].volume, 0);
        ck_assert_int_eq(got.open[i], want[k].open);
        ck_assert_int_eq(got.high[i], want[k].high);
        ck_assert_int_eq(got.low[i], want[k].low);
        ck_assert_int_eq(got.close[i], want[k].close);
        ck_assert_int_eq(got.volume[i], want[k].volume);
    }
    stom_bars_free(&got);
    eh_fini(&h);
}
END_TEST

START_TEST(a_record_bars_job_does_not_fire_on_a_holiday)
{
    eng_harness h;
    eh_prepare(&h, "2024-02-09 09:30"); /* 설날 연휴: KRX closed */
    add_job(&h, "{\"name\": \"봉 기록\", \"when\": \"09:31\", \"action\": \"record_bars\", "
                "\"args\": {\"symbols\": [\"005930\"], \"timeframe\": \"1m\"}}");
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    tp_sleep_ms(3000); /* three simulated minutes: past 09:31 */
    ck_assert(!eh_log_has(&h, "fired: record_bars"));
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM bar_blocks"), 0);
    char next[64];
    eh_value(&h,
             "SELECT to_char(next_fire_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') "
             "FROM schedules",
             next, sizeof next);
    ck_assert_str_eq(next, "2024-02-13 09:31"); /* the next trading day */
    eh_fini(&h);
}
END_TEST

/* The real coordinator and one worker on ipc:// sockets in the harness's dir. */
typedef struct backtester {
    char listen[128], publish[128];
    pid_t coordinator, worker;
} backtester;

static void start_backtester(eng_harness *h, backtester *b)
{
    snprintf(b->listen, sizeof b->listen, "ipc://%s/coord", h->dir);
    snprintf(b->publish, sizeof b->publish, "ipc://%s/coord-events", h->dir);
    const char *coord[] = {"stom-backtester", "--coordinator", "--listen",   b->listen,
                           "--publish",       b->publish,      "--database", h->db,
                           "--park-ms",       "200",           NULL};
    b->coordinator = tp_spawn(h->dir, "coordinator", STOM_BACKTESTER_BIN, coord, NULL);
    const char *worker[] = {"stom-backtester",
                            "--worker",
                            "--connect",
                            b->listen,
                            "--database",
                            h->db,
                            "--id",
                            "w1",
                            NULL};
    b->worker = tp_spawn(h->dir, "worker", STOM_BACKTESTER_BIN, worker, NULL);
}

/* A job's state in the jobs table, waiting (at most timeout_ms) for want. */
static void wait_job_state(eng_harness *h, const char *sql, const char *want, int timeout_ms)
{
    char state[32] = "";
    for (int64_t end = stom_mono_ms() + timeout_ms; stom_mono_ms() < end; tp_sleep_ms(100)) {
        eh_value(h, sql, state, sizeof state);
        if (!strcmp(state, want))
            return;
    }
    tp_show_log(h->dir, "coordinator");
    tp_show_log(h->dir, "worker");
    tp_show_log(h->dir, "engine");
    ck_abort_msg("%s: '%s', not '%s'", sql, state, want);
}

/* The saved run: a backtest of sma_cross on 000660 submitted by user 1 ("trader"). */
static void save_run(eng_harness *h, backtester *b, int64_t from_s, int64_t to_s)
{
    Stom__V1__JobSpec spec = STOM__V1__JOB_SPEC__INIT;
    Stom__V1__Period period = STOM__V1__PERIOD__INIT;
    char *symbols[] = {"000660"};
    spec.job_id = "saved-1";
    spec.owner = "trader";
    spec.strategy_name = "sma_cross";
    spec.n_symbols = 1;
    spec.symbols = symbols;
    spec.has_timeframe = spec.has_method = 1;
    spec.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1;
    spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE;
    period.has_from_ns = period.has_to_ns = 1;
    period.from_ns = from_s * 1000000000LL;
    period.to_ns = to_s * 1000000000LL;
    spec.period = &period;
    nng_socket req;
    stom_errbuf eb = {{0}};
    char url[160];
    snprintf(url, sizeof url, "dial:%s", b->listen);
    ck_assert_int_eq(stom_bus_socket_open(&req, STOM_BUS_REQ, url, NULL, &eb), 0);
    int rc = -1;
    for (int i = 0; i < 100 && rc != 0; i++) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &h->sender, 1);
        stom_bus_envelope_set_body(&env, &spec.base, NULL);
        stom_bus_received r;
        if ((rc = stom_bus_request(req, "rpc.backtester", &env, 2000, &r, &eb)) == 0) {
            ck_assert_int_eq(r.msg.env->body_case, STOM__V1__ENVELOPE__BODY_JOB_STATUS);
            ck_assert_ptr_null(r.msg.env->job_status->error);
            stom_bus_received_free(&r);
        } else {
            tp_sleep_ms(100);
        }
    }
    nng_close(req);
    ck_assert_msg(rc == 0, "the coordinator never answered: %s", eb.msg);
    eh_sql(h, "INSERT INTO runs (job_id, user_id, kind, strategy_name, request) VALUES "
              "('saved-1', 1, 'backtest', 'sma_cross', '{\"strategy\": \"sma_cross\"}')");
    wait_job_state(h, "SELECT state FROM jobs WHERE id = 'saved-1'", "done", 60000);
}

START_TEST(a_run_backtest_job_reruns_a_saved_backtest_through_the_coordinator)
{
    eng_harness h;
    eh_prepare(&h, EH_START);
    stom_bars bars;
    tp_synthetic_bars(&bars, "000660", 3, 11);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_import_bars(h.conn, &bars, "1m", NULL, &eb) == 0, "%s", eb.msg);
    backtester b;
    start_backtester(&h, &b);
    save_run(&h, &b, bars.ts[0], bars.ts[bars.len - 1] + 60);
    stom_bars_free(&bars);
    add_job(&h, "{\"name\": \"장후 백테스트\", \"when\": \"09:31\", \"action\": \"run_backtest\", "
                "\"args\": {\"run\": \"saved-1\"}}");
    h.coordinator = b.listen;
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    eh_wait_log(&h, "run_backtest submitted run s", 20000);
    wait_job_state(&h,
                   "SELECT j.state FROM runs r JOIN jobs j ON j.id = r.job_id WHERE r.user_id = 1 "
                   "AND r.job_id <> 'saved-1' AND j.owner = 'trader'",
                   "done", 60000);
    /* The same spec on the same bars: the same result. */
    ck_assert_int_eq(eh_count(&h, "SELECT count(DISTINCT metrics::text) FROM results"), 1);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM results"), 2);
    eh_fini(&h);
    tp_end(&b.worker, SIGTERM);
    tp_end(&b.coordinator, SIGTERM);
}
END_TEST

START_TEST(bad_jobs_are_logged_with_the_field_named_and_the_engine_goes_on)
{
    eng_harness h;
    eh_prepare(&h, EH_START);
    char down[128];
    snprintf(down, sizeof down, "ipc://%s/no-coordinator", h.dir);
    h.coordinator = down;
    add_job(&h, "{\"name\": \"bad bars\", \"when\": \"09:31\", \"action\": \"record_bars\", "
                "\"args\": {\"symbols\": [\"005930\"], \"timeframe\": \"1m\"}}");
    /* Stored by hand past the library's check, as an older engine's row could be. */
    eh_sql(&h, "UPDATE schedules SET args = '{\"symbols\": [\"005930\"], \"timeframe\": "
               "\"5m\"}' WHERE name = 'bad bars'");
    add_job(&h, "{\"name\": \"late bars\", \"when\": \"09:31\", \"action\": \"record_bars\", "
                "\"args\": {\"symbols\": [\"005930\"], \"timeframe\": \"1m\", \"until\": "
                "\"09:00\"}}");
    add_job(&h, "{\"name\": \"daily\", \"when\": \"09:31\", \"action\": \"record_bars\", "
                "\"args\": {\"symbols\": [\"005930\"], \"timeframe\": \"1d\"}}");
    add_job(&h, "{\"name\": \"no run\", \"when\": \"09:31\", \"action\": \"run_backtest\", "
                "\"args\": {\"run\": \"nope\"}}");
    add_job(&h, "{\"name\": \"down\", \"when\": \"09:31\", \"action\": \"run_backtest\", "
                "\"args\": {\"run\": \"saved-1\"}}");
    eh_sql(&h, "INSERT INTO jobs (id, owner, strategy, method, spec) VALUES ('saved-1', "
               "'trader', 'sma_cross', 'single', ''::bytea)");
    eh_sql(&h, "INSERT INTO runs (job_id, user_id, kind, strategy_name, request) VALUES "
               "('saved-1', 1, 'backtest', 'sma_cross', '{}')");
    eh_start_sim(&h);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    eh_wait_log(&h, "(bad bars, record_bars) failed: args.timeframe: 5m is not one of 1s, 1m, 1d",
                10000);
    eh_wait_log(&h, "(late bars, record_bars) failed: args.until: 09:00 has already passed", 1000);
    eh_wait_log(&h,
                "(daily, record_bars) failed: args.timeframe: a 1d recording must start before "
                "pre_open",
                1000);
    eh_wait_log(&h,
                "(no run) failed: run_backtest of 'nope': args.run: the owner (user 1) has "
                "no saved run 'nope'",
                5000);
    eh_wait_log(&h,
                "(down) failed: run_backtest of 'saved-1': the backtest coordinator did not "
                "answer",
                15000);
    ck_assert_int_eq(eh_count(&h, "SELECT count(*) FROM runs"), 1); /* rolled back */
    eh_wait_ready(&h);
    eh_fini(&h);
}
END_TEST

static Suite *jobs_suite(void)
{
    Suite *s = suite_create("engine_jobs");
    TCase *tc = tcase_create("jobs");
    tcase_set_timeout(tc, 150);
    tcase_add_unchecked_fixture(tc, eh_base_open, eh_base_close);
    tcase_add_test(tc, a_record_bars_job_stores_the_bars_of_the_sims_trades);
    tcase_add_test(tc, a_record_bars_job_does_not_fire_on_a_holiday);
    tcase_add_test(tc, a_run_backtest_job_reruns_a_saved_backtest_through_the_coordinator);
    tcase_add_test(tc, bad_jobs_are_logged_with_the_field_named_and_the_engine_goes_on);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(jobs_suite());
}

#else

#include <stdio.h>

int main(void)
{
    puts("engine jobs test skipped: stom-engine, stom-broker-sim or stom-backtester is not built");
    return 0;
}

#endif
