/*
 * test_broker_sim_replay.c - stom-broker-sim replaying bars stored in the
 * test PostgreSQL: its trades, in time order across two symbols, rebuild
 * every stored bar exactly (the engine's bar builder); an order placed
 * before its trade waits for it, and one arriving after the replay passed
 * its decision time fills at the first trade at or after that time, at the
 * price a next-open backtest would give, within the day's limits from the
 * day before's last close; a replay SIGKILLed halfway resumes
 * where it was, and an order it had keeps working and fills at its trade.
 */
#include <stdio.h>

#ifdef STOM_BROKER_SIM_BIN

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bar_builder.h"
#include "sim_harness.h"
#include "sim_replay.h"
#include "stom/krx.h"
#include "stom/store_bars.h"
#include "test_db.h"
#include "test_support.h"

#define REP "tcp://127.0.0.1:18600"
#define NS  1000000000LL
#define N   2 /* symbols */

static char dir[64], db_url[512];
static pid_t sim;
static sim_conn conn;
static stom_bars bars[N];
static const char *codes[N + 1] = {"005930", "000660", NULL};

static void spawn(void)
{
    const char *argv[] = {"stom-broker-sim",
                          "--rep",
                          REP,
                          "--pub",
                          "dial:tcp://127.0.0.1:18601",
                          "--database",
                          db_url,
                          "--replay",
                          "005930,000660",
                          "--timeframe",
                          "1m",
                          "--from",
                          "2024-01-02",
                          "--to",
                          "2024-01-04",
                          "--speed",
                          "30000",
                          NULL};
    sim = tp_spawn(dir, "sim", STOM_BROKER_SIM_BIN, argv, NULL);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-simr-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    stom_test_db_create(db_url, sizeof db_url);
    stom_db *db = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, db_url, &eb) == STOM_OK, "%s", eb.msg);
    for (int s = 0; s < N; s++) {
        tp_synthetic_bars(&bars[s], codes[s], 2, 11 + (uint64_t)s); /* 2024-01-02 and -03 */
        ck_assert_msg(stom_store_import_bars(db, &bars[s], "1m", NULL, &eb) == STOM_OK, "%s",
                      eb.msg);
    }
    stom_db_close(db);
    /* The sim dials the test's feed, so the feed is connected before the replay's first
     * trade (the replay begins with the sim's first request). */
    sim_conn_open(&conn, dir, &sim, REP, "listen:tcp://127.0.0.1:18601", codes);
    spawn();
}

static void teardown(void)
{
    sim_conn_close(&conn);
    int st = tp_end(&sim, SIGTERM);
    if (st)
        tp_show_log(dir, "sim");
    tp_remove_dir(dir);
    stom_test_db_drop(db_url);
    for (int s = 0; s < N; s++)
        stom_bars_free(&bars[s]);
}

typedef struct rebuilt {
    eng_bar bars[N][800];
    size_t n[N];
} rebuilt;

static void sink(void *arg, const eng_bar *bar)
{
    rebuilt *r = arg;
    ck_assert_uint_lt(r->n[bar->symbol], 800);
    r->bars[bar->symbol][r->n[bar->symbol]++] = *bar;
}

static int symbol_of(const char *code)
{
    for (int s = 0; s < N; s++)
        if (!strcmp(codes[s], code))
            return s;
    ck_abort_msg("a trade of %s, which is not replayed", code);
    return -1;
}

/* Receives every replayed trade (the count the bars make), in time order and without gaps,
 * handing each to b when it is not NULL; order events are left aside. */
static void receive_all(bar_builder *b)
{
    size_t want = 0;
    for (int s = 0; s < N; s++)
        for (size_t k = 0; k < bars[s].len; k++) {
            sim_replay_trade t[SIM_REPLAY_POINTS];
            want += sim_replay_bar_trades(&bars[s], k, 60, t);
        }
    int64_t last_ts = 0;
    stom_errbuf eb = {{0}};
    for (size_t got = 0; got < want;) {
        stom_broker_event e;
        int rc = stom_broker_feed_recv(conn.feed, 5000, &e, &eb);
        if (rc != STOM_OK)
            tp_show_log(dir, "sim");
        ck_assert_msg(rc == STOM_OK, "%zu of %zu trades: %s", got, want, eb.msg);
        const Stom__V1__Envelope *env = e.rx.msg.env;
        if (env->body_case == STOM__V1__ENVELOPE__BODY_TRADE) {
            const Stom__V1__Trade *t = env->trade;
            ck_assert_int_eq(e.status, STOM_BUS_SEQ_OK);
            ck_assert_int_ge(t->ts_ns, last_ts);
            last_ts = t->ts_ns;
            if (b)
                ck_assert_int_eq(
                    bar_builder_trade(b, symbol_of(t->symbol), t->ts_ns, t->price, t->qty, &eb),
                    STOM_OK);
            got++;
        }
        stom_broker_event_free(&e);
    }
}

START_TEST(replayed_trades_rebuild_every_stored_bar_exactly)
{
    static rebuilt out;
    memset(&out, 0, sizeof out);
    bar_builder *b = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(bar_builder_create(&b, 60, N, sink, &out, &eb), STOM_OK);
    stom_broker_reply r = {0};
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT, &r); /* starts the replay */
    stom_broker_reply_free(&r);
    receive_all(b);
    bar_builder_advance(b, (bars[0].ts[bars[0].len - 1] + 86400) * NS);
    for (int s = 0; s < N; s++) {
        ck_assert_uint_eq(out.n[s], bars[s].len);
        for (size_t k = 0; k < bars[s].len; k++) {
            const eng_bar *g = &out.bars[s][k];
            ck_assert_int_eq(g->start_s, bars[s].ts[k]);
            ck_assert_int_eq(g->open, bars[s].open[k]);
            ck_assert_int_eq(g->high, bars[s].high[k]);
            ck_assert_int_eq(g->low, bars[s].low[k]);
            ck_assert_int_eq(g->close, bars[s].close[k]);
            ck_assert_int_eq(g->volume, bars[s].volume[k]);
        }
    }
    bar_builder_destroy(b);
    /* The replay has ended; the sim still answers, quoting the last close. */
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__QuoteRequest q = STOM__V1__QUOTE_REQUEST__INIT;
    q.symbol = (char *)"000660";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_QUOTE;
    req.quote = &q;
    sim_call(&conn, &req, &r);
    ck_assert_int_eq(r.reply->quote->last->price, bars[1].close[bars[1].len - 1]);
    stom_broker_reply_free(&r);
}
END_TEST

/* The bar of 005930 starting at KST date and hh:mm. */
static size_t bar_at(int32_t date, int hh, int mm)
{
    int64_t ts = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + hh * 3600 + mm * 60;
    for (size_t k = 0; k < bars[0].len; k++)
        if (bars[0].ts[k] == ts)
            return k;
    ck_abort_msg("no bar at %d %02d:%02d", date, hh, mm);
    return 0;
}

/* A market or limit buy of 005930 decided at bar k's start; returns the ack's status. */
static Stom__V1__OrderStatus buy_at(const char *id, size_t k, int64_t limit, int64_t qty)
{
    Stom__V1__OrderRequest o =
        sim_order(id, "005930", STOM__V1__SIDE__SIDE_BUY, limit > 0, limit, qty);
    o.has_ts_ns = true;
    o.ts_ns = bars[0].ts[k] * NS;
    stom_broker_reply r = {0};
    sim_place(&conn, &o, &r);
    ck_assert_msg(!r.reply->error, "%s", r.reply->error ? r.reply->error->message : "");
    Stom__V1__OrderStatus st = r.reply->placed->status;
    stom_broker_reply_free(&r);
    return st;
}

/* The fill of client order id in the sim's fills (NULL when none), copied into *out. */
static bool fill_of(const char *id, Stom__V1__OrderEvent *out)
{
    stom_broker_reply r = {0};
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_FILLS, &r);
    bool found = false;
    for (size_t k = 0; k < r.reply->fills->n_fills && !found; k++)
        if (!strcmp(r.reply->fills->fills[k]->client_order_id, id)) {
            *out = *r.reply->fills->fills[k];
            found = true;
        }
    stom_broker_reply_free(&r);
    return found;
}

START_TEST(orders_fill_at_the_first_trade_at_or_after_their_decision_early_or_late)
{
    /* Decided at 10:30 of the first day (which opens at 10:00), placed before the replay
     * begins: it waits for its trade. */
    size_t early = bar_at(20240102, 10, 30);
    ck_assert_int_eq(buy_at("early-1", early, 0, 10), STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN);
    receive_all(NULL);
    /* Decided at 14:00 of the second day, placed after the replay ended: the 14:00 open. */
    size_t late = bar_at(20240103, 14, 0);
    ck_assert_int_eq(buy_at("late-1", late, 0, 20), STOM__V1__ORDER_STATUS__ORDER_STATUS_FILLED);
    /* A limit three ticks under the 14:30 open: as a next-open backtest fills it (a gap
     * through the limit at the open, else the limit when a low reaches it), or not at all. */
    size_t from = bar_at(20240103, 14, 30);
    int64_t limit = bars[0].open[from] - 30, want = 0, want_ts = 0;
    for (size_t k = from; k < bars[0].len && !want; k++) {
        if (bars[0].open[k] <= limit)
            want = bars[0].open[k], want_ts = bars[0].ts[k] * NS;
        else if (bars[0].low[k] <= limit)
            want = limit, want_ts = 0; /* inside the bar: the low's trade */
    }
    buy_at("limit-1", from, limit, 5);
    Stom__V1__OrderEvent f;
    ck_assert(fill_of("early-1", &f));
    ck_assert_int_eq(f.fill_price, bars[0].open[early]);
    ck_assert_int_eq(f.fill_qty, 10);
    ck_assert_int_eq(f.ts_ns, bars[0].ts[early] * NS);
    ck_assert(fill_of("late-1", &f));
    ck_assert_int_eq(f.fill_price, bars[0].open[late]);
    ck_assert_int_eq(f.fill_qty, 20);
    ck_assert_int_eq(f.ts_ns, bars[0].ts[late] * NS);
    ck_assert_int_eq(f.fees, bars[0].open[late] * 20 * 15 / 100000); /* 0.015%, truncated */
    if (want) {
        ck_assert(fill_of("limit-1", &f));
        ck_assert_int_eq(f.fill_price, want);
        if (want_ts)
            ck_assert_int_eq(f.ts_ns, want_ts);
    } else {
        ck_assert(!fill_of("limit-1", &f));
    }
    /* The second day's limits are +-30% of the first day's last close, on the grid. */
    int64_t lo, hi;
    stom_krx_price_limits(bars[0].close[bar_at(20240102, 15, 20)], STOM_BOARD_KOSPI, 20240103, &lo,
                          &hi);
    size_t at_15 = bar_at(20240103, 15, 0);
    Stom__V1__OrderRequest over =
        sim_order("over-1", "005930", STOM__V1__SIDE__SIDE_BUY, true, hi + 10, 1);
    over.has_ts_ns = true;
    over.ts_ns = bars[0].ts[at_15] * NS;
    stom_broker_reply r = {0};
    sim_place(&conn, &over, &r);
    ck_assert_ptr_nonnull(r.reply->error);
    ck_assert_msg(strstr(r.reply->error->message, "outside today's limits"), "%s",
                  r.reply->error->message);
    stom_broker_reply_free(&r);
    ck_assert_int_eq(buy_at("at-limit-1", at_15, hi, 1),
                     STOM__V1__ORDER_STATUS__ORDER_STATUS_FILLED); /* at the 15:00 open */
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS, &r);
    ck_assert_uint_eq(r.reply->positions->n_positions, 1);
    ck_assert_int_eq(r.reply->positions->positions[0]->qty, want ? 36 : 31);
    stom_broker_reply_free(&r);
}
END_TEST

/* The next message of the feed, owned by *e; a sim that started again restarts its
 * sequences, which is no gap. */
static const Stom__V1__Envelope *next_message(stom_broker_event *e)
{
    stom_errbuf eb = {{0}};
    int rc = stom_broker_feed_recv(conn.feed, 5000, e, &eb);
    if (rc != STOM_OK)
        tp_show_log(dir, "sim");
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
    ck_assert_int_ne(e->status, STOM_BUS_SEQ_GAP);
    return e->rx.msg.env;
}

START_TEST(a_killed_replay_resumes_where_it_was_and_its_orders_keep_working)
{
    size_t k = bar_at(20240103, 14, 0);
    ck_assert_int_eq(buy_at("wait-1", k, 0, 7), STOM__V1__ORDER_STATUS__ORDER_STATUS_OPEN);
    /* Kill it once the second day has begun. */
    int64_t day2 = stom_midnight_utc(20240103, STOM_KST_OFFSET_MINUTES) * NS;
    for (bool seen = false; !seen;) {
        stom_broker_event e;
        const Stom__V1__Envelope *env = next_message(&e);
        seen = env->body_case == STOM__V1__ENVELOPE__BODY_TRADE && env->trade->ts_ns >= day2;
        stom_broker_event_free(&e);
    }
    tp_end(&sim, SIGKILL);
    spawn();
    stom_broker_reply r = {0};
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS, &r); /* resumes the replay */
    ck_assert_uint_eq(r.reply->open_orders->n_orders, 1);
    ck_assert_str_eq(r.reply->open_orders->orders[0]->order->client_order_id, "wait-1");
    stom_broker_reply_free(&r);
    /* The first trade after the restart is from where the replay was, not its beginning. */
    int64_t first = 0;
    while (!first) {
        stom_broker_event e;
        const Stom__V1__Envelope *env = next_message(&e);
        if (env->body_case == STOM__V1__ENVELOPE__BODY_TRADE)
            first = env->trade->ts_ns;
        stom_broker_event_free(&e);
    }
    ck_assert_int_gt(first, bars[0].ts[60] * NS);
    /* wait-1 fills at the 14:00 open of the second day. */
    Stom__V1__OrderEvent f;
    for (int64_t end = stom_mono_ms() + 10000; !fill_of("wait-1", &f); tp_sleep_ms(20))
        ck_assert_msg(stom_mono_ms() < end, "wait-1 did not fill");
    ck_assert_int_eq(f.fill_qty, 7);
    ck_assert_int_eq(f.fill_price, bars[0].open[k]);
    ck_assert_int_eq(f.ts_ns, bars[0].ts[k] * NS);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("broker_sim_replay");
    TCase *tc = tcase_create("replay");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, replayed_trades_rebuild_every_stored_bar_exactly);
    tcase_add_test(tc, orders_fill_at_the_first_trade_at_or_after_their_decision_early_or_late);
    tcase_add_test(tc, a_killed_replay_resumes_where_it_was_and_its_orders_keep_working);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}

#else

int main(void)
{
    puts("no stom-broker-sim in this build: nothing to test");
    return 0;
}

#endif
