/*
 * test_broker_sim_restart.c - stom-broker-sim with --database, SIGKILLed
 * and started again on the same database: the account, positions (with
 * their reservations), open orders and fills are what they were; a place
 * repeated with a client order id the sim already has gets the first
 * answer (an ack, or a refusal), another order under that id is refused,
 * and nothing new is placed; open orders keep working (cancel) and new
 * orders and fills continue the numbering. Bad settings are refused by
 * name before anything stored is touched: a run that does not list a symbol
 * the account holds, replay flags without a database, of an unknown symbol
 * or timeframe, or with the range backwards.
 */
#include <stdio.h>

#ifdef STOM_BROKER_SIM_BIN

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_harness.h"
#include "test_db.h"
#include "test_support.h"

#define REP "tcp://127.0.0.1:18602"
#define PUB "tcp://127.0.0.1:18603"

static char dir[64], db_url[512];
static pid_t sim;
static sim_conn conn;

static void spawn(void)
{
    const char *argv[] = {
        "stom-broker-sim",  "--rep",     REP,    "--pub",      PUB,        "--start",
        "2024-01-02 10:00", "--step-ms", "20",   "--cash",     "10000000", "--symbols",
        "005930:70000",     "--depth",   "3:10", "--database", db_url,     NULL};
    sim = tp_spawn(dir, "sim", STOM_BROKER_SIM_BIN, argv, NULL);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-simk-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    stom_test_db_create(db_url, sizeof db_url);
    spawn();
    const char *symbols[] = {"005930", NULL};
    sim_conn_open(&conn, dir, &sim, REP, PUB, symbols);
}

static void teardown(void)
{
    sim_conn_close(&conn);
    int st = tp_end(&sim, SIGTERM);
    if (st)
        tp_show_log(dir, "sim");
    tp_remove_dir(dir);
    stom_test_db_drop(db_url);
}

/* What the sim says about the account, as text: cash, positions, open orders and fills (the
 * fields a restart must keep; prices that move with the path are left out). */
static void snapshot(char *out, size_t len)
{
    stom_broker_reply r = {0};
    size_t n = 0;
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT, &r);
    n += (size_t)snprintf(out + n, len - n, "cash %lld\n", (long long)r.reply->account->cash);
    stom_broker_reply_free(&r);
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS, &r);
    for (size_t k = 0; k < r.reply->positions->n_positions; k++) {
        const Stom__V1__Position *p = r.reply->positions->positions[k];
        n += (size_t)snprintf(out + n, len - n, "position %s %lld at %lld\n", p->symbol,
                              (long long)p->qty, (long long)p->avg_price);
    }
    stom_broker_reply_free(&r);
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS, &r);
    for (size_t k = 0; k < r.reply->open_orders->n_orders; k++) {
        const Stom__V1__OpenOrder *o = r.reply->open_orders->orders[k];
        n += (size_t)snprintf(out + n, len - n, "open %s %s %lld/%lld at %lld since %lld\n",
                              o->order->client_order_id, o->broker_order_no, (long long)o->cum_qty,
                              (long long)o->remaining_qty, (long long)o->order->price,
                              (long long)o->accepted_ns);
    }
    stom_broker_reply_free(&r);
    sim_ask(&conn, STOM__V1__BROKER_REQUEST__REQUEST_FILLS, &r);
    for (size_t k = 0; k < r.reply->fills->n_fills; k++) {
        const Stom__V1__OrderEvent *f = r.reply->fills->fills[k];
        n += (size_t)snprintf(out + n, len - n, "fill %s %s %s %lld at %lld fees %lld ts %lld\n",
                              f->fill_id, f->client_order_id, f->broker_order_no,
                              (long long)f->fill_qty, (long long)f->fill_price, (long long)f->fees,
                              (long long)f->ts_ns);
    }
    stom_broker_reply_free(&r);
}

/* Places o and copies the answer: "ack S1 ORDER_STATUS_FILLED ts ..." or "error 7 <message>". */
static void answer(Stom__V1__OrderRequest *o, char *out, size_t len)
{
    stom_broker_reply r = {0};
    sim_place(&conn, o, &r);
    if (r.reply->error)
        snprintf(out, len, "error %d %s", r.reply->error->code, r.reply->error->message);
    else
        snprintf(out, len, "ack %s %s ts %lld", r.reply->placed->broker_order_no,
                 protobuf_c_enum_descriptor_get_value(&stom__v1__order_status__descriptor,
                                                      (int)r.reply->placed->status)
                     ->name,
                 (long long)r.reply->placed->ts_ns);
    stom_broker_reply_free(&r);
}

static void kill_and_restart(void)
{
    tp_end(&sim, SIGKILL);
    spawn();
}

START_TEST(a_killed_sim_restarts_with_its_account_and_answers_repeats_as_the_first_time)
{
    Stom__V1__OrderRequest buy =
        sim_order("buy-1", "005930", STOM__V1__SIDE__SIDE_BUY, false, 0, 15);
    Stom__V1__OrderRequest rest =
        sim_order("rest-1", "005930", STOM__V1__SIDE__SIDE_BUY, true, 60000, 3);
    Stom__V1__OrderRequest sell =
        sim_order("sell-1", "005930", STOM__V1__SIDE__SIDE_SELL, true, 90000, 5);
    Stom__V1__OrderRequest bad =
        sim_order("bad-1", "005930", STOM__V1__SIDE__SIDE_BUY, true, 70050, 1);
    char first_buy[256], first_bad[256], again[256];
    answer(&buy, first_buy, sizeof first_buy);
    ck_assert_msg(strstr(first_buy, "ack S1 ORDER_STATUS_FILLED"), "%s", first_buy);
    answer(&rest, again, sizeof again);
    ck_assert_msg(strstr(again, "ack S2 ORDER_STATUS_OPEN"), "%s", again);
    answer(&sell, again, sizeof again);
    ck_assert_msg(strstr(again, "ack S3 ORDER_STATUS_OPEN"), "%s", again);
    answer(&bad, first_bad, sizeof first_bad);
    ck_assert_msg(strstr(first_bad, "tick grid"), "%s", first_bad);
    static char before[8192], after[8192];
    snapshot(before, sizeof before);
    ck_assert_ptr_nonnull(strstr(before, "position 005930 15 at"));
    ck_assert_ptr_nonnull(strstr(before, "open rest-1 S2 0/3"));
    ck_assert_ptr_nonnull(strstr(before, "fill F2 buy-1 S1 5 at"));

    kill_and_restart();
    snapshot(after, sizeof after);
    ck_assert_str_eq(after, before);
    /* Repeats get the first answers, whatever the sim's clock says now. */
    answer(&buy, again, sizeof again);
    ck_assert_str_eq(again, first_buy);
    answer(&bad, again, sizeof again);
    ck_assert_str_eq(again, first_bad);
    Stom__V1__OrderRequest other =
        sim_order("buy-1", "005930", STOM__V1__SIDE__SIDE_BUY, false, 0, 16);
    answer(&other, again, sizeof again);
    ck_assert_msg(strstr(again, "already used"), "%s", again);
    snapshot(after, sizeof after);
    ck_assert_str_eq(after, before);
    /* sell-1 still holds 5 of the 15 shares: 11 more cannot be sold. */
    Stom__V1__OrderRequest sell_more =
        sim_order("sell-2", "005930", STOM__V1__SIDE__SIDE_SELL, false, 0, 11);
    answer(&sell_more, again, sizeof again);
    ck_assert_msg(strstr(again, "not enough shares"), "%s", again);
}
END_TEST

START_TEST(open_orders_keep_working_and_new_ones_continue_the_numbering_after_a_restart)
{
    Stom__V1__OrderRequest rest =
        sim_order("rest-1", "005930", STOM__V1__SIDE__SIDE_BUY, true, 60000, 3);
    Stom__V1__OrderRequest buy =
        sim_order("buy-1", "005930", STOM__V1__SIDE__SIDE_BUY, false, 0, 5);
    char text[256];
    answer(&rest, text, sizeof text);
    answer(&buy, text, sizeof text);
    kill_and_restart();
    Stom__V1__BrokerRequest req = STOM__V1__BROKER_REQUEST__INIT;
    Stom__V1__CancelOrder cx = STOM__V1__CANCEL_ORDER__INIT;
    cx.client_order_id = (char *)"cancel-1";
    cx.orig_client_order_id = (char *)"rest-1";
    cx.account = (char *)"paper";
    req.request_case = STOM__V1__BROKER_REQUEST__REQUEST_CANCEL;
    req.cancel = &cx;
    stom_broker_reply r = {0};
    sim_call(&conn, &req, &r);
    ck_assert_msg(!r.reply->error, "%s", r.reply->error ? r.reply->error->message : "");
    ck_assert_int_eq(r.reply->cancelled->status, STOM__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED);
    stom_broker_reply_free(&r);
    Stom__V1__OrderRequest buy2 =
        sim_order("buy-2", "005930", STOM__V1__SIDE__SIDE_BUY, false, 0, 5);
    answer(&buy2, text, sizeof text);
    ck_assert_msg(strstr(text, "ack S3 ORDER_STATUS_FILLED"), "%s", text);
    static char before[8192], after[8192];
    snapshot(before, sizeof before);
    ck_assert_ptr_null(strstr(before, "open rest-1"));
    ck_assert_ptr_nonnull(strstr(before, "fill F1 buy-1"));
    ck_assert_ptr_nonnull(strstr(before, "fill F2 buy-2"));
    ck_assert_ptr_nonnull(strstr(before, "position 005930 10 at"));
    kill_and_restart(); /* the cancel and buy-2 were kept too */
    snapshot(after, sizeof after);
    ck_assert_str_eq(after, before);
}
END_TEST

/* Runs the sim with args; expects exit status want and words in its stderr. */
static void refused_run(const char *args, int want, const char *words)
{
    static char out[4096], err[4096];
    int st = stom_test_command(STOM_BROKER_SIM_BIN, NULL, args, out, sizeof out, err, sizeof err);
    ck_assert_msg(st == want, "%s: exit %d, not %d (%s)", args, st, want, err);
    ck_assert_msg(strstr(err, words), "%s: '%s' lacks '%s'", args, err, words);
}

START_TEST(bad_settings_are_refused_by_name_and_the_stored_account_stays)
{
    Stom__V1__OrderRequest buy =
        sim_order("buy-1", "005930", STOM__V1__SIDE__SIDE_BUY, false, 0, 15);
    char text[256], args[1024];
    answer(&buy, text, sizeof text);
    static char before[8192], after[8192];
    snapshot(before, sizeof before);
    /* Another run on the same account that does not list 005930: refused before its sockets. */
    snprintf(args, sizeof args,
             "--rep tcp://127.0.0.1:18604 --symbols 000660:100000 "
             "--database '%s'",
             db_url);
    refused_run(args, 1, "holds 15 of 005930, which this run does not list");
    snprintf(args, sizeof args,
             "--replay 999999 --from 2024-01-02 --to 2024-01-04 "
             "--database '%s'",
             db_url);
    refused_run(args, 1, "999999");
    refused_run("--replay 005930 --from 2024-01-02 --to 2024-01-04", 2, "--database");
    refused_run("--replay 005930 --from 2024-01-04 --to 2024-01-02 --database x", 2,
                "--from before --to");
    refused_run("--replay 005930 --timeframe 5m", 2, "--timeframe '5m'");
    refused_run("--replay 005930 --from 2024-13-01", 2, "--from '2024-13-01'");
    snapshot(after, sizeof after);
    ck_assert_str_eq(after, before);
    kill_and_restart();
    snapshot(after, sizeof after);
    ck_assert_str_eq(after, before);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("broker_sim_restart");
    TCase *tc = tcase_create("restart");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc,
                   a_killed_sim_restarts_with_its_account_and_answers_repeats_as_the_first_time);
    tcase_add_test(tc,
                   open_orders_keep_working_and_new_ones_continue_the_numbering_after_a_restart);
    tcase_add_test(tc, bad_settings_are_refused_by_name_and_the_stored_account_stays);
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
