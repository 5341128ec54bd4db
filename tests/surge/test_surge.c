/*
 * test_surge.c - the surge detector: each metric at its boundary, windows
 * sliding, cooldowns, sessions, symbols apart, late prints, and every
 * measured value against a brute-force recomputation over random trades.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/error.h"
#include "stom/surge.h"
#include "stom/timeutil.h"
#include "surge_test.h"
#include "test_support.h"

#define SEC        1000000000LL
#define MS         1000000LL
#define MAX_ALERTS 4096

static stom_surge_alert alerts[MAX_ALERTS];
static size_t nalerts;

static void collect(const stom_surge_alert *a, void *arg)
{
    (void)arg;
    ck_assert_uint_lt(nalerts, MAX_ALERTS);
    alerts[nalerts++] = *a;
}

/* A detector for the JSON configuration `json`; alerts go to alerts[]. */
static stom_surge *detector(const char *json)
{
    nalerts = 0;
    return surge_test_detector(json, collect);
}

/* Feeds one trade and returns how many alerts it raised. */
static size_t feed(stom_surge *d, const char *sym, int64_t ts, int64_t price, int64_t qty,
                   int64_t prev_close)
{
    size_t before = nalerts;
    stom_surge_trade t = {sym, strlen(sym), ts, price, qty, prev_close};
    ck_assert_int_eq(stom_surge_feed(d, &t), STOM_OK);
    return nalerts - before;
}

#define ONE_RULE(window_ms, cooldown_ms, cond)                                                     \
    "{\"rules\":[{\"name\":\"r\",\"window_ms\":" #window_ms ",\"cooldown_ms\":" #cooldown_ms       \
    ",\"all\":[" cond "]}]}"

START_TEST(window_change_fires_exactly_at_its_threshold)
{
    stom_surge *d = detector(ONE_RULE(60000, 0, "{\"metric\":\"window_change_bp\",\"min\":300}"));
    ck_assert_uint_eq(feed(d, "005930", 1 * SEC, 30001, 1, 30000), 0);
    /* +900 on 30001 is 299.99 bp: below; +901 is 300.32 bp: at or above. */
    ck_assert_uint_eq(feed(d, "005930", 2 * SEC, 30901, 1, 30000), 0);
    ck_assert_uint_eq(feed(d, "005930", 3 * SEC, 30902, 1, 30000), 1);
    const stom_surge_alert *a = &alerts[0];
    ck_assert_str_eq(a->symbol, "005930");
    ck_assert_str_eq(a->rule->name, "r");
    ck_assert_int_eq(a->kind, STOM_SURGE_KIND_PRICE);
    ck_assert_int_eq(a->ts_ns, 3 * SEC);
    ck_assert_int_eq(a->price, 30902);
    ck_assert_int_eq(a->window_ms, 60000);
    ck_assert_uint_eq(a->nmeasure, 1);
    ck_assert_int_eq(a->measure[0].value, (30902 - 30001) * 10000 / 30001);
    ck_assert_int_eq(a->measure[0].cond.min, 300);
    ck_assert_int_eq(a->window_change_bp, a->measure[0].value);
    ck_assert_int_eq(a->window_volume, 3);
    ck_assert_int_eq(a->window_value, 30001 + 30901 + 30902);
    ck_assert_int_eq(a->change_bp, (30902 - 30000) * 10000 / 30000);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(a_trade_leaves_the_window_exactly_one_window_later)
{
    stom_surge *d = detector(ONE_RULE(60000, 0, "{\"metric\":\"window_change_bp\",\"min\":300}"));
    /* A: the base is 60 s old when the rise comes, so it has left: (now - W, now]. */
    feed(d, "A", 10 * SEC, 10000, 1, 10000);
    ck_assert_uint_eq(feed(d, "A", 70 * SEC, 10300, 1, 10000), 0);
    /* B: one nanosecond earlier the base is still inside. */
    feed(d, "B", 10 * SEC, 10000, 1, 10000);
    ck_assert_uint_eq(feed(d, "B", 70 * SEC - 1, 10300, 1, 10000), 1);
    ck_assert_str_eq(alerts[0].symbol, "B");
    stom_surge_destroy(d);
}
END_TEST

START_TEST(window_rise_measures_from_the_lowest_price_still_inside)
{
    stom_surge *d = detector(ONE_RULE(10000, 0, "{\"metric\":\"window_rise_bp\",\"min\":300}"));
    feed(d, "A", 1 * SEC, 10000, 1, 10000);
    feed(d, "A", 2 * SEC, 9700, 1, 10000);
    ck_assert_uint_eq(feed(d, "A", 3 * SEC, 9990, 1, 10000), 0); /* 298 bp */
    ck_assert_uint_eq(feed(d, "A", 4 * SEC, 9991, 1, 10000), 1); /* 300.0 bp */
    ck_assert_int_eq(alerts[0].measure[0].value, (9991 - 9700) * 10000 / 9700);
    ck_assert_int_eq(alerts[0].window_change_bp, (9991 - 10000) * 10000 / 10000);
    /* At 12 s the low of 2 s has left; the low is now 9990 (3 s). */
    ck_assert_uint_eq(feed(d, "A", 12 * SEC + 1, 10200, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "A", 12 * SEC + 2, 10290, 1, 10000), 1);
    ck_assert_int_eq(alerts[1].measure[0].value, (10290 - 9990) * 10000 / 9990);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(day_change_is_measured_from_the_previous_close)
{
    stom_surge *d = detector(ONE_RULE(1000, 0, "{\"metric\":\"change_bp\",\"min\":2900}"));
    ck_assert_uint_eq(feed(d, "A", 1 * SEC, 12899, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "A", 2 * SEC, 12900, 1, 10000), 1);
    ck_assert_int_eq(alerts[0].change_bp, 2900);
    stom_surge_destroy(d);
    /* A maximum alone catches falls. */
    d = detector(ONE_RULE(1000, 0, "{\"metric\":\"change_bp\",\"max\":-500}"));
    ck_assert_uint_eq(feed(d, "A", 1 * SEC, 9501, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "A", 2 * SEC, 9500, 1, 10000), 1);
    ck_assert_int_eq(alerts[0].measure[0].value, -500);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(traded_value_counts_won_inside_the_window_only)
{
    stom_surge *d =
        detector(ONE_RULE(10000, 0, "{\"metric\":\"window_value\",\"min\":1000000000}"));
    ck_assert_uint_eq(feed(d, "A", 1 * SEC, 50000, 10000, 50000), 0); /* 500,000,000 */
    ck_assert_uint_eq(feed(d, "A", 2 * SEC, 50000, 9999, 50000), 0);  /* 999,950,000 */
    ck_assert_uint_eq(feed(d, "A", 3 * SEC, 50000, 1, 50000), 1);     /* 1,000,000,000 */
    ck_assert_int_eq(alerts[0].measure[0].value, 1000000000);
    ck_assert_int_eq(alerts[0].window_value, 1000000000);
    ck_assert_int_eq(alerts[0].kind, STOM_SURGE_KIND_VALUE);
    /* 11 s: the first 500,000,000 has left the window. */
    ck_assert_uint_eq(feed(d, "A", 11 * SEC, 50000, 1, 50000), 0);
    ck_assert_uint_eq(feed(d, "A", 11 * SEC + SEC / 2, 50000, 10000, 50000), 1);
    ck_assert_int_eq(alerts[1].window_value, 50000LL * (9999 + 1 + 1 + 10000));
    stom_surge_destroy(d);
}
END_TEST

#define RATIO_RULE                                                                                 \
    "{\"rules\":[{\"name\":\"spike\",\"window_ms\":1000,\"cooldown_ms\":0,\"lookback\":5,"         \
    "\"all\":[{\"metric\":\"volume_ratio_bp\",\"min\":30000}]}]}"

START_TEST(volume_spike_compares_with_the_average_of_past_windows)
{
    stom_surge *d = detector(RATIO_RULE);
    /* 100 shares in the middle of each second, 0.5 s .. 6.5 s: an average of 100. */
    for (int k = 0; k <= 6; k++)
        ck_assert_uint_eq(feed(d, "A", k * SEC + SEC / 2, 1000, 100, 1000), 0);
    ck_assert_uint_eq(feed(d, "A", 7 * SEC + 500 * MS, 1000, 100, 1000), 0);
    ck_assert_uint_eq(feed(d, "A", 7 * SEC + 600 * MS, 1000, 100, 1000), 0); /* 2x */
    ck_assert_uint_eq(feed(d, "A", 7 * SEC + 700 * MS, 1000, 99, 1000), 0);  /* 2.99x */
    ck_assert_uint_eq(feed(d, "A", 7 * SEC + 800 * MS, 1000, 1, 1000), 1);   /* 3x */
    ck_assert_int_eq(alerts[0].measure[0].value, 30000);
    ck_assert_int_eq(alerts[0].kind, STOM_SURGE_KIND_VOLUME);
    ck_assert_int_eq(alerts[0].window_volume, 300);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(volume_spike_needs_a_full_lookback_and_counts_quiet_windows_as_zero)
{
    stom_surge *d = detector(RATIO_RULE);
    /* Seen first at 0.5 s (a partial window): complete windows are 1..5 s by 6 s. */
    feed(d, "A", SEC / 2, 1000, 100, 1000);
    for (int k = 1; k <= 5; k++)
        ck_assert_uint_eq(feed(d, "A", k * SEC + SEC / 2, 1000, 100000, 1000), 0);
    /* From 6 s the lookback is full: windows 1..5 each hold 100,000. */
    ck_assert_uint_eq(feed(d, "A", 6 * SEC + SEC / 2, 1000, 299999, 1000), 0);
    ck_assert_uint_eq(feed(d, "A", 6 * SEC + SEC / 2 + 1, 1000, 1, 1000), 1);
    /* After 4 quiet seconds (7..10 s) the average over 6..10 s is 300,000 / 5. */
    ck_assert_uint_eq(feed(d, "A", 11 * SEC + 1, 1000, 179999, 1000), 0);
    ck_assert_uint_eq(feed(d, "A", 11 * SEC + 2, 1000, 1, 1000), 1);
    ck_assert_int_eq(alerts[1].measure[0].value, 30000);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(the_cooldown_suppresses_repeats_and_then_expires)
{
    stom_surge *d = detector(ONE_RULE(1000, 10000, "{\"metric\":\"change_bp\",\"min\":1000}"));
    ck_assert_uint_eq(feed(d, "A", 1 * SEC, 11000, 1, 10000), 1);
    ck_assert_uint_eq(feed(d, "A", 2 * SEC, 11500, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "A", 11 * SEC - 1, 11500, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "B", 5 * SEC, 11000, 1, 10000), 1); /* per symbol */
    ck_assert_uint_eq(feed(d, "A", 11 * SEC, 11500, 1, 10000), 1);
    ck_assert_uint_eq(feed(d, "A", 12 * SEC, 11500, 1, 10000), 0);
    stom_surge_stats st = stom_surge_get_stats(d);
    ck_assert_uint_eq(st.alerts, 3);
    ck_assert_uint_eq(st.suppressed, 3);
    ck_assert_uint_eq(st.symbols, 2);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(a_session_limits_the_rule_to_kst_hours)
{
    stom_surge *d = detector("{\"rules\":[{\"name\":\"s\",\"window_ms\":1000,\"cooldown_ms\":0,"
                             "\"session\":{\"start\":\"09:00\",\"end\":\"15:20\"},"
                             "\"all\":[{\"metric\":\"change_bp\",\"min\":100}]}]}");
    int64_t midnight = stom_midnight_utc(20261123, STOM_KST_OFFSET_MINUTES) * SEC;
    int64_t at_9 = midnight + 9 * 3600 * SEC, at_1520 = midnight + (15 * 3600 + 20 * 60) * SEC;
    ck_assert_uint_eq(feed(d, "A", at_9 - 1, 11000, 1, 10000), 0);
    ck_assert_uint_eq(feed(d, "A", at_9, 11000, 1, 10000), 1);
    ck_assert_uint_eq(feed(d, "A", at_1520 - 1, 11000, 1, 10000), 1);
    ck_assert_uint_eq(feed(d, "A", at_1520, 11000, 1, 10000), 0);
    ck_assert_int_eq(alerts[0].ts_ns, at_9);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(all_conditions_of_a_rule_must_hold)
{
    stom_surge *d = detector(ONE_RULE(60000, 0,
                                      "{\"metric\":\"window_change_bp\",\"min\":300},"
                                      "{\"metric\":\"window_value\",\"min\":100000000}"));
    feed(d, "A", 1 * SEC, 10000, 1, 10000);
    ck_assert_uint_eq(feed(d, "A", 2 * SEC, 10300, 1, 10000), 0);     /* price yes, value no */
    ck_assert_uint_eq(feed(d, "A", 3 * SEC, 10200, 10000, 10000), 0); /* value yes, 200 bp */
    ck_assert_uint_eq(feed(d, "A", 4 * SEC, 10300, 1, 10000), 1);
    ck_assert_uint_eq(alerts[0].nmeasure, 2);
    ck_assert_int_eq(alerts[0].measure[1].value, 10000 + 10300 + 10200LL * 10000 + 10300);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(symbols_keep_their_own_windows)
{
    stom_surge *d = detector(ONE_RULE(60000, 0, "{\"metric\":\"window_change_bp\",\"min\":300}"));
    for (int i = 0; i < 100; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "%06d", i);
        feed(d, sym, 1 * SEC, 10000 + i, 7, 10000);
    }
    for (int i = 0; i < 100; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "%06d", i);
        /* Only the even symbols rise by 3%; each is measured from its own first trade. */
        int64_t price = i % 2 == 0 ? (10000 + i) * 103 / 100 + 1 : 10000 + i;
        ck_assert_uint_eq(feed(d, sym, 2 * SEC, price, 7, 10000), i % 2 == 0 ? 1 : 0);
        if (i % 2 == 0)
            ck_assert_int_eq(alerts[nalerts - 1].window_volume, 14);
    }
    ck_assert_uint_eq(stom_surge_get_stats(d).symbols, 100);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(a_late_print_counts_at_the_latest_time_and_equal_times_all_count)
{
    stom_surge *d = detector(ONE_RULE(10000, 0, "{\"metric\":\"window_volume\",\"min\":0}"));
    feed(d, "A", 20 * SEC, 1000, 1, 1000);
    feed(d, "A", 20 * SEC, 1000, 2, 1000); /* the same instant */
    ck_assert_int_eq(alerts[nalerts - 1].window_volume, 3);
    feed(d, "A", 5 * SEC, 1000, 4, 1000); /* late: counted as at 20 s */
    ck_assert_int_eq(alerts[nalerts - 1].window_volume, 7);
    ck_assert_int_eq(alerts[nalerts - 1].ts_ns, 20 * SEC);
    ck_assert_uint_eq(stom_surge_get_stats(d).late, 1);
    /* At 30 s - 1 all three are inside; at 30 s all have left. */
    feed(d, "A", 30 * SEC - 1, 1000, 8, 1000);
    ck_assert_int_eq(alerts[nalerts - 1].window_volume, 15);
    feed(d, "A", 30 * SEC, 1000, 16, 1000);
    ck_assert_int_eq(alerts[nalerts - 1].window_volume, 24);
    stom_surge_destroy(d);
}
END_TEST

START_TEST(a_bad_trade_is_refused_and_changes_nothing)
{
    stom_surge *d = detector(ONE_RULE(1000, 0, "{\"metric\":\"window_volume\",\"min\":0}"));
    stom_surge_trade bad[] = {
        {"A", 1, SEC, 0, 1, 1000},
        {"A", 1, SEC, 1000, 0, 1000},
        {"A", 1, SEC, 1000, 1, 0},
        {"A", 1, -1, 1000, 1, 1000},
        {"", 0, SEC, 1000, 1, 1000},
        {"0123456789ABCDEF", 16, SEC, 1000, 1, 1000},
        {"A", 1, SEC, INT64_MAX / 2, 3, 1000},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(stom_surge_feed(d, &bad[i]), STOM_EINVAL);
    stom_surge_stats st = stom_surge_get_stats(d);
    ck_assert_uint_eq(st.trades, 0);
    ck_assert_uint_eq(st.symbols, 0);
    ck_assert_uint_eq(nalerts, 0);
    stom_surge_destroy(d);
}
END_TEST

/* ---- every measure against a brute-force recomputation ---- */

#define NTRADES 3000

typedef struct naive_trade {
    int64_t ts, price, qty;
} naive_trade;

static naive_trade history[NTRADES];
static size_t nhistory;

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Checks one alert's measures against the trades fed so far. */
static void check_naive(const stom_surge_alert *a, int64_t window_ns, int lookback)
{
    int64_t now = history[nhistory - 1].ts, price = history[nhistory - 1].price;
    int64_t vol = 0, value = 0, first = 0, low = INT64_MAX;
    for (size_t i = 0; i < nhistory; i++) {
        if (history[i].ts <= now - window_ns)
            continue;
        first = first ? first : history[i].price;
        low = history[i].price < low ? history[i].price : low;
        vol += history[i].qty;
        value += history[i].price * history[i].qty;
    }
    ck_assert_int_eq(a->window_volume, vol);
    ck_assert_int_eq(a->window_value, value);
    ck_assert_int_eq(a->window_change_bp, (price - first) * 10000 / first);
    for (size_t m = 0; m < a->nmeasure; m++) {
        if (a->measure[m].cond.metric == STOM_SURGE_WINDOW_RISE_BP)
            ck_assert_int_eq(a->measure[m].value, (price - low) * 10000 / low);
        if (a->measure[m].cond.metric != STOM_SURGE_VOLUME_RATIO_BP)
            continue;
        int64_t b = floor_div(now, window_ns), b0 = floor_div(history[0].ts, window_ns);
        ck_assert_int_ge(b - b0, lookback + 1); /* only with a full history */
        int64_t past = 0;
        for (size_t i = 0; i < nhistory; i++) {
            int64_t tb = floor_div(history[i].ts, window_ns);
            past += tb >= b - lookback && tb < b ? history[i].qty : 0;
        }
        ck_assert_int_gt(past, 0);
        ck_assert_int_eq(a->measure[m].value, vol * lookback * 10000 / past);
    }
}

static const char *const RULE_NAMES[] = {"all", "plain", "ratio", "ratio5"};
static size_t checked_by_rule[4];

static void check_alert(const stom_surge_alert *a, void *arg)
{
    (void)arg;
    check_naive(a, a->window_ms * MS, a->rule->lookback);
    for (size_t i = 0; i < 4; i++)
        checked_by_rule[i] += strcmp(a->rule->name, RULE_NAMES[i]) == 0;
}

START_TEST(every_measure_matches_a_brute_force_recomputation)
{
    const char *json = "{\"rules\":["
                       "{\"name\":\"all\",\"window_ms\":700,\"cooldown_ms\":0,"
                       "\"all\":[{\"metric\":\"window_volume\",\"min\":0},"
                       "{\"metric\":\"window_rise_bp\",\"min\":0}]},"
                       "{\"name\":\"plain\",\"window_ms\":300,\"cooldown_ms\":0,"
                       "\"all\":[{\"metric\":\"window_rise_bp\",\"min\":0}]},"
                       "{\"name\":\"ratio\",\"window_ms\":300,\"cooldown_ms\":0,\"lookback\":3,"
                       "\"all\":[{\"metric\":\"volume_ratio_bp\",\"min\":0}]},"
                       "{\"name\":\"ratio5\",\"window_ms\":300,\"cooldown_ms\":0,\"lookback\":5,"
                       "\"all\":[{\"metric\":\"volume_ratio_bp\",\"min\":0}]}]}";
    stom_surge *d = surge_test_detector(json, check_alert);
    srand(20261122);
    int64_t ts = 5 * SEC + 123;
    nhistory = 0;
    memset(checked_by_rule, 0, sizeof checked_by_rule);
    for (int i = 0; i < NTRADES; i++) {
        /* Gaps of 0 (equal times) to ~1.2 s, sometimes a burst of many prints. */
        int r = rand() % 100;
        ts += r < 20 ? 0 : r < 90 ? (rand() % 50) * MS : (rand() % 1200) * MS;
        naive_trade t = {ts, 1000 + rand() % 200, 1 + rand() % 500};
        history[nhistory++] = t;
        stom_surge_trade x = {"A", 1, t.ts, t.price, t.qty, 1100};
        ck_assert_int_eq(stom_surge_feed(d, &x), STOM_OK);
    }
    /* "all" and "plain" (which shares the 300 ms window of the ratio rules) fire on every
     * trade; "ratio" and "ratio5" when their history holds volume. */
    ck_assert_uint_eq(checked_by_rule[0], NTRADES);
    ck_assert_uint_eq(checked_by_rule[1], NTRADES);
    ck_assert_uint_gt(checked_by_rule[2], NTRADES / 4);
    ck_assert_uint_gt(checked_by_rule[3], NTRADES / 4);
    stom_surge_destroy(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("surge");
    TCase *tc = tcase_create("detector");
    tcase_add_test(tc, window_change_fires_exactly_at_its_threshold);
    tcase_add_test(tc, a_trade_leaves_the_window_exactly_one_window_later);
    tcase_add_test(tc, window_rise_measures_from_the_lowest_price_still_inside);
    tcase_add_test(tc, day_change_is_measured_from_the_previous_close);
    tcase_add_test(tc, traded_value_counts_won_inside_the_window_only);
    tcase_add_test(tc, volume_spike_compares_with_the_average_of_past_windows);
    tcase_add_test(tc, volume_spike_needs_a_full_lookback_and_counts_quiet_windows_as_zero);
    tcase_add_test(tc, the_cooldown_suppresses_repeats_and_then_expires);
    tcase_add_test(tc, a_session_limits_the_rule_to_kst_hours);
    tcase_add_test(tc, all_conditions_of_a_rule_must_hold);
    tcase_add_test(tc, symbols_keep_their_own_windows);
    tcase_add_test(tc, a_late_print_counts_at_the_latest_time_and_equal_times_all_count);
    tcase_add_test(tc, a_bad_trade_is_refused_and_changes_nothing);
    tcase_add_test(tc, every_measure_matches_a_brute_force_recomputation);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
