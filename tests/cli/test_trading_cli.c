/*
 * test_trading_cli.c - the live-trading commands (`stom trade`, `orders`,
 * `order`, `positions`, `accounts`, `kill`, `resume`, `schedule`, `surge`)
 * as a user runs them.
 *
 * First without a gateway: every command's --help, and the usage errors
 * that name the bad flag or value (exit 2) before anything is sent. Then
 * through the real stom-gateway (gateway_fixture.h) on a fresh database: a
 * trader's account, positions, orders, strategy instances, halts and surge
 * alerts are rows the engine writes, inserted here as the engine would
 * (no engine runs), and read back through the gateway as tables with
 * Korean labels, won with separators and KST times, and as --json; schedules
 * go through the gateway into the scheduler's table and back; the commands
 * that need the engine say to run `make up` and exit 1. Last, with the real
 * stom-engine and stom-broker-sim (on a simulated session morning, where
 * they exist): manual orders fill and rest, a resting one is cancelled, the
 * kill switch halts the account and resume lifts it, and a strategy instance
 * is started, paused, resumed and stopped, all from the command line.
 *
 * Ports 18660-18699. Built only where the gateway exists (STOM_GATEWAY_BIN).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_support.h"

#ifdef STOM_GATEWAY_BIN

#define GF_PORT_BASE  18660
#define GF_PORT_COUNT 40
#include "gateway_fixture.h"

/* v with thousands separators, written independently of the CLI's formatter. */
static const char *grouped(int64_t v, char *buf, size_t len)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%" PRIu64, (uint64_t)(v < 0 ? -v : v));
    size_t n = strlen(digits), at = 0;
    if (v < 0)
        buf[at++] = '-';
    for (size_t k = 0; k < n && at + 2 < len; k++) {
        if (k > 0 && (n - k) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[k];
    }
    buf[at] = '\0';
    return buf;
}

/* Runs one SQL statement (an INSERT ... RETURNING) on the test database with one text argument. */
/* ---- without a gateway ---------------------------------------------------------------- */

START_TEST(every_trading_command_explains_itself_with_help)
{
    static result r;
    static const char *const commands[][2] = {
        {"trade --help", "Usage: stom trade start"},
        {"trade stop --help", "Usage: stom trade start"},
        {"orders --help", "Usage: stom orders"},
        {"order --help", "Usage: stom order buy|sell"},
        {"order cancel --help", "Usage: stom order buy|sell"},
        {"positions --help", "Usage: stom positions"},
        {"accounts --help", "Usage: stom accounts"},
        {"kill --help", "Usage: stom kill"},
        {"resume --help", "Usage: stom resume"},
        {"schedule --help", "Usage: stom schedule list"},
        {"schedule add --help", "Usage: stom schedule list"},
        {"surge --help", "Usage: stom surge"},
        {"--help", "  trade        strategies on the engine"},
    };
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        stom(&r, commands[k][0]);
        EXPECT_EXIT(&r, 0);
        EXPECT_OUT(&r, commands[k][1]);
    }
}
END_TEST

START_TEST(usage_errors_name_the_bad_flag_or_value_and_exit_2)
{
    static result r;
    static const char *const cases[][2] = {
        {"order buy 005930", "needs SYMBOL and QTY"},
        {"order buy 005930 0", "QTY '0' must be a whole number from 1"},
        {"order sell 005930 10 --price abc", "--price 'abc' must be a whole number"},
        {"order buy 005930 10 --limit 5", "--limit is not an option of stom order buy"},
        {"order", "stom order needs buy, sell or cancel"},
        {"order cancel", "needs the order's ID"},
        {"orders --limit 0", "--limit '0' must be a whole number"},
        {"orders --price 5", "--price is not an option of stom orders"},
        {"orders --account", "--account needs a value"},
        {"positions extra", "unexpected argument 'extra'"},
        {"accounts --account x", "--account is not an option of stom accounts"},
        {"trade", "stom trade needs start, stop, pause, resume or status"},
        {"trade start sma_cross", "needs --symbols"},
        {"trade start --symbols 005930", "needs a STRATEGY name or --strategy-id"},
        {"trade start sma_cross --symbols 005930 --id 'bad id!'", "--id 'bad id!' must be"},
        {"trade start sma_cross --symbols 005930,,000660", "has an empty item"},
        {"trade start sma_cross --symbols 005930 --param fast",
         "--param 'fast' must be NAME=VALUE"},
        {"trade start sma_cross --symbols 005930 --timeframe 5m", "--timeframe '5m' must be 1m"},
        {"trade start sma_cross --symbols 005930 --qty 1 --amount 100", "not both"},
        {"trade start sma_cross --symbols 005930 --amount 0", "--amount '0' must be"},
        {"trade stop", "needs the INSTANCE id"},
        {"trade pause s1 --liquidate", "--liquidate is not an option of stom trade pause"},
        {"kill --account sim-1", "needs --reason"},
        {"resume --reason x", "--reason is not an option of stom resume"},
        {"schedule", "stom schedule needs list, add or rm"},
        {"schedule add x --when 25:00 --action liquidate", "when: 25:00 is not a time of day"},
        {"schedule add x --when open --action liquidate --days mon,sat", "days: sat"},
        {"schedule add x --when open --action dance", "action"},
        {"schedule add x --when open --action liquidate --args '[1]'", "--args must be a JSON"},
        {"schedule add x --when open --action start_strategy", "args.strategy"},
        {"schedule add --when open --action liquidate", "needs the job's NAME"},
        {"schedule add x --action liquidate", "needs --when"},
        {"schedule rm abc", "ID 'abc' must be a whole number"},
        {"surge --limit 5000", "--limit '5000' must be a whole number from 1 to 1000"},
        {"trades", "unknown command 'trades'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        stom(&r, cases[k][0]);
        EXPECT_EXIT(&r, 2);
        EXPECT_ERR(&r, cases[k][1]);
        ck_assert_msg(r.out[0] == '\0', "stom %s printed on stdout: %s", cases[k][0], r.out);
    }
}
END_TEST

START_TEST(a_trading_command_without_a_login_says_to_log_in)
{
    static result r;
    static const char *const commands[] = {
        "accounts", "orders --open", "positions",          "trade status",
        "surge",    "schedule list", "kill --reason test", "order buy 005930 1"};
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        stom(&r, commands[k]);
        EXPECT_EXIT(&r, 2);
        EXPECT_ERR(&r, "not logged in to http://127.0.0.1:18699: run `stom login --url");
    }
}
END_TEST

/* ---- through the gateway ---------------------------------------------------------------- */

START_TEST(accounts_and_positions_read_in_won_with_a_total_line)
{
    static result r;
    gf_trader_with_account("kim");
    gf_sql("INSERT INTO account_balances (account, cash, buying_power, equity, realized_pnl, "
           "updated_at) VALUES ($1, 10000000, 9500000, 12345678, 250000, '2026-11-20 06:40:00+00') "
           "RETURNING account",
           "sim-kim");
    stom(&r, "accounts");
    EXPECT_EXIT(&r, 0);
    char a[32], b[32];
    EXPECT_OUT(&r, "예수금 cash");
    EXPECT_OUT(&r, "sim-kim");
    EXPECT_OUT(&r, grouped(10000000, a, sizeof a));
    EXPECT_OUT(&r, grouped(12345678, a, sizeof a));
    EXPECT_OUT(&r, "모의 paper");
    EXPECT_OUT(&r, "2026-11-20 15:40:00"); /* 06:40 UTC in KST */

    /* Two positions as the engine books them: the total line adds them up. */
    const int64_t value[] = {715000, 354000}, pnl[] = {13000, -7000}, cost[] = {700105, 360054};
    gf_sql(
        "INSERT INTO engine_positions (account, symbol, qty, avg_price, last_price, market_value, "
        "cost, unrealized_pnl, realized_pnl, fees, taxes, updated_at) VALUES ($1, '005930', 10, "
        "70000, 71500, 715000, 700105, 13000, 0, 105, 0, now()), ($1, '000660', 3, 120000, "
        "118000, 354000, 360054, -7000, 1500, 54, 0, now()) RETURNING symbol",
        "sim-kim");
    stom(&r, "positions");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "평균단가 avg");
    EXPECT_OUT(&r, "평가손익 P&L");
    EXPECT_OUT(&r, "005930");
    EXPECT_OUT(&r, grouped(70000, a, sizeof a));
    EXPECT_OUT(&r, "합계 total");
    EXPECT_OUT(&r, grouped(value[0] + value[1], a, sizeof a));
    EXPECT_OUT(&r, grouped(pnl[0] + pnl[1], b, sizeof b));
    /* 수익률 of the first row: 평가손익 / 매입금액 in basis points, rounded. */
    int64_t bp = (pnl[0] * 10000 + cost[0] / 2) / cost[0];
    snprintf(a, sizeof a, "+%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
    EXPECT_OUT(&r, a);

    stom(&r, "positions --account sim-kim --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    json_t *rows = json_object_get(j, "positions");
    ck_assert_int_eq((int)json_array_size(rows), 2);
    ck_assert_int_eq((int)json_integer_value(json_object_get(json_array_get(rows, 0), "qty")) +
                         (int)json_integer_value(json_object_get(json_array_get(rows, 1), "qty")),
                     13);
    json_decref(j);
}
END_TEST

START_TEST(orders_are_listed_newest_first_in_kst_and_open_ones_alone)
{
    static result r;
    gf_trader_with_account("park");
    gf_sql("INSERT INTO order_journal (client_order_id, broker, account, symbol, side, order_type, "
           "qty, limit_price, state, filled_qty, filled_value, created_at, updated_at) VALUES "
           "('m-first', 'sim', $1, '005930', 1, 'market', 10, NULL, 'filled', 10, 715000, "
           "'2026-11-20 00:05:03+00', '2026-11-20 00:05:04+00'), ('m-second', 'sim', $1, '000660', "
           "-1, 'limit', 3, 121000, 'accepted', 0, 0, '2026-11-20 00:10:00+00', '2026-11-20 "
           "00:10:00+00') RETURNING client_order_id",
           "sim-park");
    stom(&r, "orders");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "주문번호 id");
    EXPECT_OUT(&r, "2026-11-20 09:05:03");
    EXPECT_OUT(&r, "매수");
    EXPECT_OUT(&r, "매도");
    EXPECT_OUT(&r, "지정가");
    EXPECT_OUT(&r, "121,000");
    EXPECT_OUT(&r, "71,500"); /* the average fill: 715,000 / 10 */
    EXPECT_OUT(&r, "체결 filled");
    EXPECT_OUT(&r, "접수 accepted");
    ck_assert_msg(strstr(r.out, "m-second") < strstr(r.out, "m-first"), "not newest first:\n%s",
                  r.out);

    stom(&r, "orders --open");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "m-second");
    ck_assert_msg(strstr(r.out, "m-first") == NULL, "a filled order listed as open:\n%s", r.out);

    stom(&r, "orders --json --limit 1");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "orders")), 1);
    json_decref(j);

    /* Another trader sees none of them, and cannot cancel them. */
    gf_trader_with_account("seo");
    stom(&r, "orders");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "no orders");
    stom(&r, "order cancel m-second");
    EXPECT_EXIT(&r, 2);
    EXPECT_ERR(&r, "no order m-second");
}
END_TEST

START_TEST(trade_status_shows_halted_accounts_and_instances_with_their_pnl)
{
    static result r;
    gf_trader_with_account("choi");
    gf_sql("INSERT INTO engine_strategies (instance_id, user_id, account, strategy_name, symbols, "
           "timeframe, state, realized_pnl, open_orders, positions, started_at) SELECT 'sma-1', "
           "user_id, account, 'sma_cross', '{005930,000660}', '1m', 'running', 1234567, 1, 2, "
           "'2026-11-20 00:01:00+00' FROM broker_accounts WHERE account = $1 RETURNING instance_id",
           "sim-choi");
    stom(&r, "trade status");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "sma-1");
    EXPECT_OUT(&r, "실행 running");
    EXPECT_OUT(&r, "005930,000660");
    char a[32];
    EXPECT_OUT(&r, grouped(1234567, a, sizeof a));
    EXPECT_OUT(&r, "2026-11-20 09:01:00");
    /* No engine runs: the status says so, and the rest still shows. */
    EXPECT_OUT(&r, "엔진 engine: 응답 없음 not answering — the engine is not running");
    ck_assert_msg(strstr(r.out, "halted") == NULL, "no halt yet:\n%s", r.out);

    /* The kill switch as the engine records it: the halt, and the risk event saying why. */
    gf_sql("INSERT INTO risk_halts (account, kind, reason) VALUES ($1, 'kill_switch', 'test') "
           "RETURNING account",
           "sim-choi");
    gf_sql(
        "INSERT INTO risk_events (account, kind, action, message, at) VALUES ($1, 'kill_switch', "
        "'halt_trading', 'kill switch: prices look wrong', '2026-11-20 01:00:00+00') RETURNING id",
        "sim-choi");
    stom(&r, "trade status");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "계좌 sim-choi: 거래 중지 halted — kill switch: prices look wrong "
                   "(2026-11-20 10:00:00)");

    stom(&r, "trade status --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    json_t *first = json_array_get(json_object_get(j, "strategies"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "instance_id")), "sma-1");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "realized_pnl")), 1234567);
    ck_assert(
        json_is_true(json_object_get(json_array_get(json_object_get(j, "accounts"), 0), "halted")));
    ck_assert_ptr_nonnull(json_object_get(json_object_get(j, "engine"), "error"));
    json_decref(j);

    stom(&r, "trade stop nope");
    EXPECT_EXIT(&r, 2);
    EXPECT_ERR(&r, "no strategy instance nope");
}
END_TEST

START_TEST(schedules_are_added_listed_and_removed)
{
    static result r;
    gf_trader_with_account("jung");
    stom(&r, "schedule list");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "no scheduled jobs");
    stom(&r, "schedule add morning --when open+5 --action start_strategy --days mon,wed "
             "--args '{\"strategy\": \"sma_cross\"}' --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    ck_assert_int_gt(id, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "when")), "open+5");
    json_decref(j);

    stom(&r, "schedule add close-out --when close-10 --action liquidate --disabled");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "'close-out' added: close-10, liquidate; switched off");

    stom(&r, "schedule list");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "morning");
    EXPECT_OUT(&r, "open+5");
    EXPECT_OUT(&r, "mon,wed");
    EXPECT_OUT(&r, "전략 시작 start_strategy");
    EXPECT_OUT(&r, "{\"strategy\":\"sma_cross\"}");
    EXPECT_OUT(&r, "close-10");
    EXPECT_OUT(&r, "꺼짐 off");

    char args[64];
    snprintf(args, sizeof args, "schedule rm %" PRId64, id);
    stom(&r, args);
    EXPECT_EXIT(&r, 0);
    stom(&r, "schedule list --json");
    EXPECT_EXIT(&r, 0);
    j = json_out(&r);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "schedules")), 1);
    json_decref(j);
    stom(&r, args);
    EXPECT_EXIT(&r, 2);
}
END_TEST

START_TEST(surge_alerts_read_as_percents_and_won)
{
    static result r;
    gf_trader_with_account("yoon");
    gf_sql(
        "INSERT INTO surge_alerts (symbol, kind, price, change_bp, window_ms, window_change_bp, "
        "value_ratio_bp, strength_bp, day_value, score, message, at) VALUES ($1, 'price', 71500, "
        "325, 60000, 120, 32000, 15000, 1234567890, 8.5, 'test', '2026-11-20 00:30:00+00') "
        "RETURNING symbol",
        "005930");
    stom(&r, "surge");
    EXPECT_EXIT(&r, 0);
    char a[32];
    EXPECT_OUT(&r, "2026-11-20 09:30:00");
    EXPECT_OUT(&r, "가격급등 price");
    EXPECT_OUT(&r, "+3.25%");
    EXPECT_OUT(&r, "+1.20%/60s");
    EXPECT_OUT(&r, "3.20x");
    EXPECT_OUT(&r, "150.00");
    EXPECT_OUT(&r, grouped(1234567890, a, sizeof a));
    stom(&r, "surge --json --limit 1");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(j, "alerts"), 0), "value_ratio_bp")),
                     32000);
    json_decref(j);
}
END_TEST

START_TEST(commands_that_need_the_engine_say_to_run_make_up)
{
    static result r;
    gf_trader_with_account("han");
    /* The only account is chosen without --account; no engine answers at the gateway's URL. */
    stom(&r, "order buy 005930 10 --price 70,000");
    EXPECT_EXIT(&r, 1);
    EXPECT_ERR(&r, "make up");
    stom(&r, "trade start sma_cross --symbols 005930 --param fast=5");
    EXPECT_EXIT(&r, 1);
    EXPECT_ERR(&r, "make up");
    /* All trading is an admin's to halt; this is refused before the engine is asked. */
    stom(&r, "kill --reason test");
    EXPECT_EXIT(&r, 2);
    EXPECT_ERR(&r, "admin");
    stom(&r, "order cancel m-unknown");
    EXPECT_EXIT(&r, 2);
    EXPECT_ERR(&r, "no order m-unknown");
}
END_TEST

START_TEST(an_order_needs_account_when_the_trader_has_several)
{
    static result r;
    gf_trader_with_account("lim");
    gf_sql("INSERT INTO broker_accounts (account, broker, user_id) SELECT 'sim-lim-2', 'sim', id "
           "FROM users WHERE username = $1 RETURNING account",
           "lim");
    stom(&r, "order sell 005930 1");
    EXPECT_EXIT(&r, 2);
    EXPECT_ERR(&r, "you have 2 accounts: choose one with --account (sim-lim, sim-lim-2)");
}
END_TEST

/* ---- with the real engine ----------------------------------------------------------------- */

#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN)

static pid_t sim, engine;

/* The simulated broker holding account and the engine trading it, on a session morning at 60x,
 * on the addresses the gateway was given (STOM_ENGINE_URL); returns when the broker is up. */
static void start_engine(const char *account)
{
    char sim_rep[160], sim_pub[160];
    snprintf(sim_rep, sizeof sim_rep, "ipc://%s/sim-rpc", h.dir);
    snprintf(sim_pub, sizeof sim_pub, "ipc://%s/sim-events", h.dir);
    const char *sim_argv[] = {"stom-broker-sim",
                              "--rep",
                              sim_rep,
                              "--pub",
                              sim_pub,
                              "--account",
                              account,
                              "--start",
                              "2024-01-03 09:30",
                              "--speed",
                              "60",
                              "--step-ms",
                              "50",
                              "--symbols",
                              "005930:70000",
                              NULL};
    sim = tp_spawn(h.dir, "sim", STOM_BROKER_SIM_BIN, sim_argv, NULL);
    const char *engine_argv[] = {"stom-engine",
                                 "--listen",
                                 getenv("STOM_ENGINE_URL"),
                                 "--publish",
                                 getenv("STOM_ENGINE_EVENTS_URL"),
                                 "--broker-req",
                                 sim_rep,
                                 "--broker-pub",
                                 sim_pub,
                                 "--database",
                                 h.db,
                                 "--start",
                                 "2024-01-03 09:30",
                                 "--speed",
                                 "60",
                                 "--broker-timeout-ms",
                                 "500",
                                 NULL};
    engine = tp_spawn(h.dir, "engine", STOM_ENGINE_BIN, engine_argv, NULL);
    /* `stom resume` of a halt-free account changes nothing and answers the engine's status. */
    static result r;
    char args[128];
    snprintf(args, sizeof args, "resume --account %s --json", account);
    for (int k = 0; k < 50; k++) {
        stom(&r, args);
        json_t *j = r.status == 0 ? json_loads(r.out, 0, NULL) : NULL;
        bool up = json_is_true(json_object_get(json_object_get(j, "engine"), "broker_up"));
        json_decref(j);
        if (up)
            return;
        tp_sleep_ms(200);
    }
    tp_show_log(h.dir, "engine");
    ck_abort_msg("the engine never reported its broker up");
}

static void stop_engine(void)
{
    if (tp_end(&engine, SIGTERM))
        tp_show_log(h.dir, "engine");
    tp_end(&sim, SIGTERM);
    down();
}

/* Runs args until stdout has (want true) or lacks (want false) text, for up to 5 s. */
static void stom_until(result *r, const char *args, const char *text, bool want)
{
    for (int k = 0; k < 50; k++) {
        stom(r, args);
        if (r->status == 0 && (strstr(r->out, text) != NULL) == want)
            return;
        tp_sleep_ms(100);
    }
    ck_abort_msg("stom %s: '%s' %s within 5 s:\n%s", args, text, want ? "never came" : "stayed",
                 r->out);
}

START_TEST(manual_orders_fill_rest_and_cancel_through_the_engine)
{
    static result r;
    gf_trader_with_account("kang");
    start_engine("sim-kang");
    stom(&r, "order buy 005930 5 --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    char id[64];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(j, "client_order_id")));
    ck_assert_msg(!strncmp(id, "m-", 2), "order id %s", id);
    json_decref(j);
    stom_until(&r, "orders", id, true);
    EXPECT_OUT(&r, "매수");
    EXPECT_OUT(&r, "시장가");
    stom_until(&r, "positions", "005930", true);
    EXPECT_OUT(&r, "합계 total");

    /* A limit far below the market rests; its cancel is a request, and it leaves the open list. */
    stom(&r, "order buy 005930 1 --price 60,000");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "접수 accepted: m-");
    EXPECT_OUT(&r, "매수 005930 1주 @ 60,000원");
    snprintf(id, sizeof id, "%.*s", (int)strcspn(strstr(r.out, "m-"), " "), strstr(r.out, "m-"));
    stom(&r, "orders --open");
    EXPECT_OUT(&r, id);
    char args[96];
    snprintf(args, sizeof args, "order cancel %s", id);
    stom(&r, args);
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "취소요청 cancel_requested");
    stom_until(&r, "orders --open", id, false);
}
END_TEST

START_TEST(the_kill_switch_halts_the_account_until_resumed)
{
    static result r;
    gf_trader_with_account("ohsu");
    start_engine("sim-ohsu");
    stom(&r, "kill --account sim-ohsu --reason \"cli test\"");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "거래 trading: 중지 halted");
    stom(&r, "order buy 005930 1");
    EXPECT_EXIT(&r, 1);
    stom(&r, "trade status");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "엔진 engine: 증권사 broker 연결 up, 대사 reconciled 완료 yes, 거래 trading "
                   "가능 allowed, 시세 누락 md gaps ");
    EXPECT_OUT(&r, "계좌 sim-ohsu: 거래 중지 halted — ");
    EXPECT_OUT(&r, "cli test");
    stom(&r, "resume --account sim-ohsu");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "거래 trading: 가능 allowed");
    stom(&r, "order buy 005930 1");
    EXPECT_EXIT(&r, 0);
}
END_TEST

START_TEST(a_strategy_instance_is_started_paused_resumed_and_stopped)
{
    static result r;
    gf_trader_with_account("ryu");
    start_engine("sim-ryu");
    stom(&r, "trade start sma_cross --symbols 005930 --param fast=2 --param slow=3 --qty 10 "
             "--id cli-sma");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "cli-sma: 실행 running");
    stom(&r, "trade status");
    EXPECT_OUT(&r, "cli-sma");
    EXPECT_OUT(&r, "sma_cross");
    stom(&r, "trade pause cli-sma");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "cli-sma: 일시정지 paused");
    stom(&r, "trade resume cli-sma");
    EXPECT_EXIT(&r, 0);
    EXPECT_OUT(&r, "cli-sma: 실행 running");
    stom(&r, "trade stop cli-sma --liquidate --json");
    EXPECT_EXIT(&r, 0);
    json_t *j = json_out(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "stopped");
    json_decref(j);
    stom_until(&r, "trade status", "정지 stopped", true);
}
END_TEST

#endif

static Suite *suite(void)
{
    Suite *s = suite_create("cli_trading");
    TCase *tc = tcase_create("without a gateway");
    tcase_add_checked_fixture(tc, gf_no_gateway, NULL);
    tcase_add_test(tc, every_trading_command_explains_itself_with_help);
    tcase_add_test(tc, usage_errors_name_the_bad_flag_or_value_and_exit_2);
    tcase_add_test(tc, a_trading_command_without_a_login_says_to_log_in);
    suite_add_tcase(s, tc);
    tc = tcase_create("through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, accounts_and_positions_read_in_won_with_a_total_line);
    tcase_add_test(tc, orders_are_listed_newest_first_in_kst_and_open_ones_alone);
    tcase_add_test(tc, trade_status_shows_halted_accounts_and_instances_with_their_pnl);
    tcase_add_test(tc, schedules_are_added_listed_and_removed);
    tcase_add_test(tc, surge_alerts_read_as_percents_and_won);
    tcase_add_test(tc, commands_that_need_the_engine_say_to_run_make_up);
    tcase_add_test(tc, an_order_needs_account_when_the_trader_has_several);
    suite_add_tcase(s, tc);
#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN)
    tc = tcase_create("with the engine");
    tcase_add_checked_fixture(tc, up, stop_engine);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, manual_orders_fill_rest_and_cancel_through_the_engine);
    tcase_add_test(tc, the_kill_switch_halts_the_account_until_resumed);
    tcase_add_test(tc, a_strategy_instance_is_started_paused_resumed_and_stopped);
    suite_add_tcase(s, tc);
#endif
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}

#else

int main(void)
{
    puts("no stom-gateway in this build: nothing to test");
    return 0;
}

#endif
