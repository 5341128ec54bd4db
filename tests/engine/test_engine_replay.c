/*
 * test_engine_replay.c - a replay of stored bars through stom-broker-sim
 * and stom-engine trades exactly as a backtest of the same bars with the
 * same fill model: the strategy decides on a completed bar, the order
 * carries the bar's end as its decision time, and the simulated broker
 * fills it at the first replayed trade from then on, the next bar's open,
 * as the backtest's next-open fill does. Same quantities, same prices, same
 * sides, in the same order, however loaded the machine: the engine lost no
 * trade (md_gaps 0, the replay starts once it listens) and the comparison
 * waits until the engine has taken every trade, not only the sim sent them.
 */
#include <stdio.h>

#if defined(STOM_ENGINE_BIN) && defined(STOM_BROKER_SIM_BIN)

#include "engine_harness.h"
#include "stom/backtest.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define DAY  20240103
#define BARS 370 /* 09:00 .. 15:09: every decision inside the continuous session */

/* A seeded random walk of 1-minute bars on the 10-won grid through one session. */
static void make_bars(stom_bars *b)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "005930", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    int64_t t0 = stom_midnight_utc(DAY, STOM_KST_OFFSET_MINUTES) + 9 * 3600;
    int64_t px = 70000;
    uint64_t x = 7;
    for (int m = 0; m < BARS; m++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t open = px + (int64_t)((x >> 29) % 5 - 2) * 100;
        int64_t close = open + (int64_t)((x >> 33) % 9 - 4) * 100;
        int64_t hi = (open > close ? open : close) + 100, lo = (open < close ? open : close) - 100;
        stom_bars_push(b, t0 + m * 60, open, hi, lo, close, 1000 + (int64_t)((x >> 40) % 5000));
        px = close;
    }
}

typedef struct fill_row {
    int side;
    int64_t qty, price;
} fill_row;

/* The backtest's fills: each trade's entry, and its exit unless the run's end closed it. */
static size_t backtest_fills(const stom_bars *b, fill_row *out, size_t cap)
{
    const stom_strategy_def *def = stom_strategy_find("sma_cross");
    stom_params p;
    stom_params_default(def, &p);
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_params_set(def, &p, "fast=2", &eb), 0);
    ck_assert_int_eq(stom_params_set(def, &p, "slow=5", &eb), 0);
    stom_backtest_config cfg;
    stom_backtest_config_default(&cfg);
    cfg.exchange.fill = STOM_FILL_NEXT_OPEN;
    cfg.exchange.sizing.kind = STOM_SIZE_QTY;
    cfg.exchange.sizing.value = 10;
    stom_backtest_result res;
    ck_assert_msg(stom_backtest_run(def, &p, b, 1, &cfg, &res, &eb) == 0, "%s", eb.msg);
    size_t n = 0;
    for (size_t i = 0; i < res.n_trades && n + 2 <= cap; i++) {
        const stom_trade *t = &res.trades[i];
        out[n++] = (fill_row){t->side, t->qty, t->entry_price};
        if (!t->open_at_end)
            out[n++] = (fill_row){-t->side, t->qty, t->exit_price};
    }
    stom_backtest_result_free(&res);
    return n;
}

/*
 * Waits until the engine has taken the replayed trades up to last_ns, the last bar's open
 * (its clock is the latest trade's: --market-clock), with no order open, and returns the
 * market data it lost (EngineStatus.md_gaps). Then every bar before the last has been shown
 * to the strategy and every order it made is settled: a bar waits for its market order's
 * fill, so no bar is left unseen while no order is open. The engine may trail the sim by
 * seconds on a loaded machine: the sim's "replay finished" does not say the engine is done.
 */
static uint64_t wait_engine_done(eng_harness *h, int64_t last_ns)
{
    int64_t seen = 0, open = -1;
    for (int i = 0; i < 1200; i++, tp_sleep_ms(100)) {
        stom_bus_received r;
        Stom__V1__EngineStatus *st =
            eh_command(h, STOM__V1__ENGINE_ACTION__ENGINE_ACTION_STATUS, NULL, NULL, &r);
        seen = st->ts_ns;
        open = st->open_orders;
        uint64_t gaps = st->md_gaps;
        stom_bus_received_free(&r);
        if (seen >= last_ns && open == 0)
            return gaps;
    }
    tp_show_log(h->dir, "engine");
    ck_abort_msg("the engine did not finish within 120 s: its clock at %lld ns (the last bar "
                 "opens at %lld), %lld orders open",
                 (long long)seen, (long long)last_ns, (long long)open);
    return 0;
}

START_TEST(a_replay_through_the_engine_trades_as_the_backtest)
{
    eng_harness h;
    eh_prepare(&h, "2024-01-03 09:00");
    h.market_clock = true;
    stom_bars b;
    make_bars(&b);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_store_import_bars(h.conn, &b, "1m", NULL, &eb) == 0, "%s", eb.msg);
    fill_row want[512];
    size_t n_want = backtest_fills(&b, want, 512);
    ck_assert_int_ge(n_want, 10); /* the walk crosses often enough to mean something */

    /* The strategy instance is in place before the engine starts: it runs from the first bar. */
    eh_sql(&h, "INSERT INTO engine_strategies (instance_id, user_id, account, strategy_name, "
               "params, symbols, timeframe, order_qty, state) VALUES ('replay', 1, 'paper', "
               "'sma_cross', '{\"fast\": 2, \"slow\": 5}', '{005930}', '1m', 10, 'running')");
    const char *sim[] = {
        "stom-broker-sim", "--rep",   EH_SIM_REP,    "--pub", EH_SIM_PUB, "--database", h.db,
        "--replay",        "005930",  "--timeframe", "1m",    "--from",   "2024-01-03", "--to",
        "2024-01-04",      "--speed", "1200",        NULL};
    h.sim = tp_spawn(h.dir, "sim", STOM_BROKER_SIM_BIN, sim, NULL);
    eh_start_engine(&h);
    eh_wait_ready(&h);
    /* 370 bars at 1,200x: about 20 s of replay. The sim says when it has replayed all. */
    char log[128];
    static char text[65536];
    snprintf(log, sizeof log, "%s/sim.log", h.dir);
    bool finished = false;
    for (int i = 0; i < 1200 && !finished; i++, tp_sleep_ms(100)) {
        stom_test_slurp(log, text, sizeof text);
        finished = strstr(text, "replay finished") != NULL;
    }
    ck_assert_msg(finished, "the sim did not finish its replay within 120 s");
    ck_assert_int_eq(wait_engine_done(&h, b.ts[b.len - 1] * 1000000000LL), 0);
    PGresult *res = NULL;
    ck_assert_int_eq(stom_db_query(h.conn,
                                   "SELECT j.side, ev.qty, ev.price FROM order_journal_events ev "
                                   "JOIN order_journal j USING (client_order_id) WHERE ev.kind = "
                                   "'fill' ORDER BY ev.at, j.created_at, ev.seq",
                                   0, NULL, PGRES_TUPLES_OK, "fills", &res, &eb),
                     0);
    size_t n_got = (size_t)PQntuples(res);
    if (n_got != n_want)
        tp_show_log(h.dir, "engine");
    /* The first fill that differs says more than the counts: compare in order first. */
    for (size_t i = 0; i < n_got && i < n_want; i++) {
        fill_row g = {atoi(PQgetvalue(res, (int)i, 0)), atoll(PQgetvalue(res, (int)i, 1)),
                      atoll(PQgetvalue(res, (int)i, 2))};
        ck_assert_msg(g.side == want[i].side && g.qty == want[i].qty && g.price == want[i].price,
                      "fill %zu: replay %+d %lld @ %lld, backtest %+d %lld @ %lld", i, g.side,
                      (long long)g.qty, (long long)g.price, want[i].side, (long long)want[i].qty,
                      (long long)want[i].price);
    }
    ck_assert_msg(n_got == n_want, "the replay filled %zu times, the backtest %zu", n_got, n_want);
    PQclear(res);
    printf("replay and backtest agree on all %zu fills\n", n_got);
    stom_bars_free(&b);
    eh_fini(&h);
}
END_TEST

static Suite *replay_suite(void)
{
    Suite *s = suite_create("engine_replay");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 180);
    tcase_add_unchecked_fixture(tc, eh_base_open, eh_base_close);
    tcase_add_test(tc, a_replay_through_the_engine_trades_as_the_backtest);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(replay_suite());
}

#else

int main(void)
{
    puts("engine replay test skipped: stom-engine or stom-broker-sim is not built");
    return 0;
}

#endif
