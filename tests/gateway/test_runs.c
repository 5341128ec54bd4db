/*
 * test_runs.c - the backtest, optimization and analytics routes against a
 * real PostgreSQL, a real coordinator and a real worker: submitting,
 * polling, reading reports and ranked results, ownership (another user's
 * run is a 404 everywhere), field-naming 400s, deleting, and a stopped
 * coordinator (503, nothing stored).
 *
 * The processes are started once per test case (an unchecked fixture in
 * the parent); each test runs in its own forked child.
 */
#include <check.h>
#include <math.h>

#include "run_harness.h"
#include "test_support.h"

static run_harness H;

static const char *BACKTEST_BODY =
    "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
    " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"},"
    " \"params\": {\"fast\": 5, \"slow\": 20}, \"initial_cash\": 10000000,"
    " \"costs\": {\"commission_bp\": 1.5}}";

static const char *GRID_BODY =
    "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
    " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"},"
    " \"search\": {\"fast\": {\"start\": 3, \"end\": 4, \"step\": 1},"
    "              \"slow\": {\"start\": 20, \"end\": 30, \"step\": 5}},"
    " \"method\": \"grid\", \"objective\": \"TG\", \"constraints\": [\"mdd<=90\"]}";

static void setup(void)
{
    rh_start(&H);
}

static void teardown(void)
{
    rh_stop(&H);
}

static void open_ctx(void)
{
    rh_open(&H);
}

static void close_ctx(void)
{
    rh_close(&H);
}

static gw_handler route(const char *method, const char *pattern)
{
    return rh_route(gw_routes_runs, method, pattern);
}

static gw_handler analytics(const char *pattern)
{
    return rh_route(gw_routes_analytics, "GET", pattern);
}

/* POSTs body to base ("/api/v1/backtests") as alice; returns the new id (static storage). */
static const char *submit(const char *base, const char *body)
{
    static char id[64];
    rh_answer a = rh_call(&H, route("POST", base), &H.alice, "POST", NULL, NULL, body);
    ck_assert_msg(a.status == 202, "POST %s answered %d", base, a.status);
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(a.body, "id")));
    ck_assert_str_eq(json_string_value(json_object_get(a.body, "kind")),
                     strstr(base, "optim") ? "optimization" : "backtest");
    char want[160];
    snprintf(want, sizeof want, "%s/%s", base, id);
    ck_assert_str_eq(a.location, want);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a.body, "links"), "status")),
                     strcat(want, "/status"));
    json_decref(a.body);
    return id;
}

/* Polls GET .../status until the run ends; returns its final state. */
static void wait_done(const char *base, const char *id)
{
    char pattern[96];
    snprintf(pattern, sizeof pattern, "%s/{id}/status", base);
    for (int i = 0; i < 1200; i++) {
        rh_answer a = rh_call(&H, route("GET", pattern), &H.alice, "GET", id, NULL, NULL);
        ck_assert_int_eq(a.status, 200);
        const char *state = json_string_value(json_object_get(a.body, "state"));
        bool ended = strcmp(state, "queued") && strcmp(state, "running");
        if (ended) {
            if (strcmp(state, "done")) {
                tp_show_log(H.dir, "coordinator");
                tp_show_log(H.dir, "worker");
            }
            ck_assert_str_eq(state, "done");
            ck_assert_int_eq(json_integer_value(json_object_get(a.body, "done")),
                             json_integer_value(json_object_get(a.body, "total")));
            json_decref(a.body);
            return;
        }
        json_decref(a.body);
        tp_sleep_ms(100);
    }
    ck_abort_msg("run %s did not end within 120 s", id);
}

/* The field a 400 names (borrowed from a.body). */
static const char *bad_field(rh_answer a)
{
    ck_assert_msg(a.status == 400, "answered %d, not 400", a.status);
    json_t *fields = json_object_get(json_object_get(a.body, "error"), "fields");
    const char *key = NULL;
    json_t *v;
    json_object_foreach(fields, key, v)
    {
        return key;
    }
    return "";
}

START_TEST(a_backtest_runs_and_reports_metrics_trades_and_equity)
{
    const char *id = submit("/api/v1/backtests", BACKTEST_BODY);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", id);
    wait_done("/api/v1/backtests", saved);

    rh_answer a =
        rh_call(&H, route("GET", "/api/v1/backtests/{id}"), &H.alice, "GET", saved, NULL, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(a.body, "state")), "done");
    json_t *m = json_object_get(a.body, "metrics");
    json_t *standard = json_object_get(m, "standard"), *stom = json_object_get(m, "stom");
    ck_assert_int_eq(json_integer_value(json_object_get(standard, "initial_cash")), 10000000);
    ck_assert(json_is_integer(json_object_get(stom, "TG")));
    ck_assert_int_eq(json_integer_value(json_object_get(stom, "TG")),
                     json_integer_value(json_object_get(standard, "net_profit")));
    json_t *trades = json_object_get(a.body, "trades");
    ck_assert_int_gt(json_array_size(trades), 0);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(a.body, "trades_page"), "total")),
        json_integer_value(json_object_get(standard, "trades")));
    json_t *equity = json_object_get(a.body, "equity");
    ck_assert_int_eq(json_array_size(equity), 20); /* one point per session */
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "drawdown")), 20);
    int64_t last = json_integer_value(json_object_get(json_array_get(equity, 19), "equity"));
    ck_assert_int_eq(last, json_integer_value(json_object_get(standard, "final_equity")));
    for (size_t i = 0; i < 20; i++) {
        double dd = json_real_value(json_object_get(
            json_array_get(json_object_get(a.body, "drawdown"), i), "drawdown_pct"));
        ck_assert(dd <= 0.0);
    }
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(json_array_get(equity, 0), "t")), "+09:00"));
    ck_assert(json_is_array(json_object_get(a.body, "monthly_returns")));
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(a.body, "request"), "strategy")),
        "sma_cross");
    json_decref(a.body);

    /* Paging the equity. */
    a = rh_call(&H, route("GET", "/api/v1/backtests/{id}"), &H.alice, "GET", saved,
                "equity_limit=5&equity_offset=18", NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "equity")), 2);
    json_decref(a.body);

    /* The caller's list. */
    a = rh_call(&H, route("GET", "/api/v1/backtests"), &H.alice, "GET", NULL, NULL, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(a.body, "total")), 1);
    ck_assert_str_eq(json_string_value(
                         json_object_get(json_array_get(json_object_get(a.body, "runs"), 0), "id")),
                     saved);
    json_decref(a.body);

    /* Analytics. */
    char q[128];
    snprintf(q, sizeof q, "id=%s", saved);
    a = rh_call(&H, analytics("/api/v1/analytics/metrics"), &H.alice, "GET", NULL, q, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert(json_is_object(json_object_get(json_object_get(a.body, "metrics"), "stom")));
    json_decref(a.body);
    snprintf(q, sizeof q, "id=%s&series=equity,drawdown,price", saved);
    a = rh_call(&H, analytics("/api/v1/analytics/chart"), &H.alice, "GET", NULL, q, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "equity")), 20);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "drawdown")), 20);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "price")), 20);
    json_decref(a.body);
    snprintf(q, sizeof q, "id=%s&series=volume", saved);
    a = rh_call(&H, analytics("/api/v1/analytics/chart"), &H.alice, "GET", NULL, q, NULL);
    ck_assert_str_eq(bad_field(a), "series");
    json_decref(a.body);
}
END_TEST

START_TEST(an_optimization_ranks_its_grid)
{
    const char *id = submit("/api/v1/optimizations", GRID_BODY);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", id);
    wait_done("/api/v1/optimizations", saved);
    rh_answer a =
        rh_call(&H, route("GET", "/api/v1/optimizations/{id}"), &H.alice, "GET", saved, NULL, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(a.body, "evaluated")), 6);
    json_t *results = json_object_get(a.body, "results");
    ck_assert_int_eq(json_array_size(results), 6);
    double prev = INFINITY;
    for (size_t i = 0; i < 6; i++) {
        json_t *r = json_array_get(results, i);
        double obj = json_number_value(json_object_get(r, "objective"));
        ck_assert(obj <= prev);
        prev = obj;
        json_t *params = json_object_get(r, "params");
        int64_t fast = json_integer_value(json_object_get(params, "fast"));
        int64_t slow = json_integer_value(json_object_get(params, "slow"));
        ck_assert(fast == 3 || fast == 4);
        ck_assert(slow == 20 || slow == 25 || slow == 30);
        ck_assert(json_is_object(json_object_get(r, "metrics")));
    }
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "best_per_fold")), 1);
    ck_assert(json_is_null(json_object_get(a.body, "walkforward")));
    json_decref(a.body);

    a = rh_call(&H, route("GET", "/api/v1/optimizations/{id}"), &H.alice, "GET", saved,
                "limit=2&offset=4", NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "results")), 2);
    json_decref(a.body);

    /* An optimization is not a backtest: the other kind's routes do not show it. */
    a = rh_call(&H, route("GET", "/api/v1/backtests/{id}"), &H.alice, "GET", saved, NULL, NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.body);
}
END_TEST

START_TEST(another_user_gets_404_for_every_route_and_an_empty_list)
{
    const char *id = submit("/api/v1/backtests", BACKTEST_BODY);
    char saved[64], q[128];
    snprintf(saved, sizeof saved, "%s", id);
    wait_done("/api/v1/backtests", saved);
    const char *patterns[][2] = {{"GET", "/api/v1/backtests/{id}"},
                                 {"GET", "/api/v1/backtests/{id}/status"},
                                 {"DELETE", "/api/v1/backtests/{id}"}};
    for (size_t i = 0; i < 3; i++) {
        rh_answer a = rh_call(&H, route(patterns[i][0], patterns[i][1]), &H.bob, patterns[i][0],
                              saved, NULL, NULL);
        ck_assert_msg(a.status == 404, "%s %s answered %d", patterns[i][0], patterns[i][1],
                      a.status);
        json_decref(a.body);
    }
    snprintf(q, sizeof q, "id=%s", saved);
    const char *an[] = {"/api/v1/analytics/metrics", "/api/v1/analytics/chart"};
    for (size_t i = 0; i < 2; i++) {
        rh_answer a = rh_call(&H, analytics(an[i]), &H.bob, "GET", NULL, q, NULL);
        ck_assert_int_eq(a.status, 404);
        json_decref(a.body);
    }
    /* compare: one id that is not bob's spoils the whole answer. */
    snprintf(q, sizeof q, "ids=%s", saved);
    rh_answer a = rh_call(&H, analytics("/api/v1/analytics/compare"), &H.bob, "GET", NULL, q, NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.body);
    a = rh_call(&H, analytics("/api/v1/analytics/compare"), &H.alice, "GET", NULL, q, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "runs")), 1);
    json_decref(a.body);
    a = rh_call(&H, route("GET", "/api/v1/backtests"), &H.bob, "GET", NULL, NULL, NULL);
    ck_assert_int_eq(a.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(a.body, "total")), 0);
    ck_assert_int_eq(json_array_size(json_object_get(a.body, "runs")), 0);
    json_decref(a.body);
    /* Still there for alice: bob's DELETE did nothing. */
    a = rh_call(&H, route("GET", "/api/v1/backtests/{id}/status"), &H.alice, "GET", saved, NULL,
                NULL);
    ck_assert_int_eq(a.status, 200);
    json_decref(a.body);
}
END_TEST

/* POSTs body as alice to base and checks the 400 names field. */
static void expect_bad(const char *base, const char *body, const char *field)
{
    rh_answer a = rh_call(&H, route("POST", base), &H.alice, "POST", NULL, NULL, body);
    ck_assert_msg(a.status == 400, "%s answered %d, not 400", body, a.status);
    ck_assert_str_eq(bad_field(a), field);
    json_decref(a.body);
}

#define BT  "/api/v1/backtests"
#define OPT "/api/v1/optimizations"

/* sma_cross on 005930's January 2024 one-minute bars: a request's first fields. */
#define SMA_JAN                                                                                    \
    "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","              \
    " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"}"

/* Requests refused before the coordinator sees them, and the field each 400 names. */
static const struct {
    const char *base, *body, *field;
} bad_requests[] = {
    {BT,
     "{\"strategy\": \"no_such\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
     " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"}}",
     "strategy"},
    {BT,
     "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
     " \"period\": {\"from\": \"2024-13-02\", \"to\": \"2024-01-31\"}}",
     "period.from"},
    {BT,
     "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
     " \"period\": {\"from\": \"2024-02-02\", \"to\": \"2024-01-31\"}}",
     "period.to"},
    {OPT, SMA_JAN ", \"search\": {\"fast\": {\"start\": 3, \"end\": 9, \"step\": 0}}}",
     "search.fast.step"},
    {OPT, SMA_JAN ", \"search\": {\"fast\": {\"start\": 3, \"end\": 9}}, \"objective\": \"luck\"}",
     "objective"},
    {OPT,
     SMA_JAN ", \"search\": {\"fast\": {\"start\": 3, \"end\": 9}}, \"constraints\": [\"x<1\"]}",
     "constraints[0]"},
    {OPT,
     SMA_JAN ", \"search\": {\"fast\": {\"start\": 3, \"end\": 9}},"
             " \"split\": {\"kind\": \"walkforward\", \"train_weeks\": 8, \"test_weeks\": 4}}",
     "split"},
    {BT, SMA_JAN ", \"search\": {\"fast\": {\"start\": 3, \"end\": 9}}}", "search"},
    {BT,
     "{\"strategy\": \"sma_cross\", \"symbols\": [\"005930\"], \"timeframe\": \"5m\","
     " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"}}",
     "timeframe"},
    {BT, SMA_JAN ", \"params\": {\"fats\": 5}}", "params.fats"},
    {BT, SMA_JAN ", \"cash\": 5}", "cash"},
    {BT, "{\"strategy\": \"sma_cross\", \"symbols\": [], \"timeframe\": \"1m\"}", "symbols"},
    /* A grid over the evaluation bound. */
    {OPT,
     SMA_JAN ", \"search\": {\"fast\": {\"start\": 1, \"end\": 2000, \"step\": 1},"
             " \"slow\": {\"start\": 1, \"end\": 2000, \"step\": 1}}}",
     "search"},
};

START_TEST(bad_requests_are_400s_naming_the_field)
{
    for (size_t i = 0; i < sizeof bad_requests / sizeof bad_requests[0]; i++)
        expect_bad(bad_requests[i].base, bad_requests[i].body, bad_requests[i].field);
}
END_TEST

START_TEST(refused_submissions_store_no_run)
{
    /* The coordinator's own refusal (no bars of that symbol) is a 400 too, and stores nothing. */
    rh_answer a =
        rh_call(&H, route("POST", BT), &H.alice, "POST", NULL, NULL,
                "{\"strategy\": \"sma_cross\", \"symbols\": [\"000660\"], \"timeframe\":"
                " \"1m\", \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"}}");
    ck_assert_int_eq(a.status, 400);
    ck_assert_ptr_nonnull(strstr(
        json_string_value(json_object_get(json_object_get(a.body, "error"), "message")), "000660"));
    json_decref(a.body);
    /* A stored strategy of another user is a 404. */
    char sid[32];
    rh_sql(&H,
           "WITH s AS (INSERT INTO strategies (user_id, name) SELECT id, 'mine' FROM users WHERE "
           "username = $1 RETURNING id) INSERT INTO strategy_versions (strategy_id, version, code) "
           "SELECT id, 1, 'function on_bar() end' FROM s RETURNING strategy_id",
           "bob", sid, sizeof sid);
    char body[512];
    snprintf(body, sizeof body,
             "{\"strategy\": {\"id\": %s}, \"symbols\": [\"005930\"], \"timeframe\": \"1m\","
             " \"period\": {\"from\": \"2024-01-02\", \"to\": \"2024-01-31\"}}",
             sid);
    a = rh_call(&H, route("POST", BT), &H.alice, "POST", NULL, NULL, body);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.body);
    char n[32];
    rh_sql(&H, "SELECT count(*) FROM runs", NULL, n, sizeof n);
    ck_assert_str_eq(n, "0");
}
END_TEST

START_TEST(deleting_a_finished_run_gives_204_and_then_404)
{
    const char *id = submit("/api/v1/backtests", BACKTEST_BODY);
    char saved[64], n[32];
    snprintf(saved, sizeof saved, "%s", id);
    wait_done("/api/v1/backtests", saved);
    rh_answer a = rh_call(&H, route("DELETE", "/api/v1/backtests/{id}"), &H.alice, "DELETE", saved,
                          NULL, NULL);
    ck_assert_int_eq(a.status, 204);
    json_decref(a.body);
    a = rh_call(&H, route("GET", "/api/v1/backtests/{id}"), &H.alice, "GET", saved, NULL, NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.body);
    a = rh_call(&H, route("DELETE", "/api/v1/backtests/{id}"), &H.alice, "DELETE", saved, NULL,
                NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.body);
    rh_sql(&H, "SELECT count(*) FROM jobs WHERE id = $1", saved, n, sizeof n);
    ck_assert_str_eq(n, "0");
    rh_sql(&H, "SELECT count(*) FROM results WHERE job_id = $1", saved, n, sizeof n);
    ck_assert_str_eq(n, "0");
    rh_sql(&H, "SELECT count(*) FROM equity_points WHERE job_id = $1", saved, n, sizeof n);
    ck_assert_str_eq(n, "0");
}
END_TEST

START_TEST(a_stopped_coordinator_gives_503_and_stores_nothing)
{
    /* This child is not the coordinator's parent: end it, then wait until it is gone. */
    kill(H.coordinator, SIGTERM);
    for (int i = 0; i < 100 && kill(H.coordinator, 0) == 0; i++) {
        FILE *f = NULL;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)H.coordinator);
        if ((f = fopen(path, "r"))) {
            char line[256] = "";
            char *got = fgets(line, sizeof line, f);
            fclose(f);
            if (got && strstr(line, ") Z "))
                break; /* exited; the parent reaps it */
        }
        tp_sleep_ms(50);
    }
    rh_answer a = rh_call(&H, route("POST", "/api/v1/backtests"), &H.alice, "POST", NULL, NULL,
                          BACKTEST_BODY);
    ck_assert_int_eq(a.status, 503);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a.body, "error"), "code")),
                     "unavailable");
    json_decref(a.body);
    char n[32];
    rh_sql(&H, "SELECT count(*) FROM runs", NULL, n, sizeof n);
    ck_assert_str_eq(n, "0");
}
END_TEST

static Suite *runs_suite(void)
{
    Suite *s = suite_create("gateway runs");
    TCase *tc = tcase_create("runs");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_checked_fixture(tc, open_ctx, close_ctx);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, bad_requests_are_400s_naming_the_field);
    tcase_add_test(tc, refused_submissions_store_no_run);
    tcase_add_test(tc, a_backtest_runs_and_reports_metrics_trades_and_equity);
    tcase_add_test(tc, an_optimization_ranks_its_grid);
    tcase_add_test(tc, another_user_gets_404_for_every_route_and_an_empty_list);
    tcase_add_test(tc, deleting_a_finished_run_gives_204_and_then_404);
    suite_add_tcase(s, tc);
    TCase *down = tcase_create("coordinator down");
    tcase_add_unchecked_fixture(down, setup, teardown);
    tcase_add_checked_fixture(down, open_ctx, close_ctx);
    tcase_set_timeout(down, 120);
    tcase_add_test(down, a_stopped_coordinator_gives_503_and_stores_nothing);
    suite_add_tcase(s, down);
    return s;
}

int main(void)
{
    return stom_test_run(runs_suite());
}
