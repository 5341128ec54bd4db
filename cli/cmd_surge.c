/*
 * cmd_surge.c - `stom surge`: the engine's surge alerts (급등주), newest
 * first, over GET /surge (docs/engine.md, "Interfaces"; the rules are in
 * docs/surge.md). Market-wide: every trader sees the same alerts.
 *
 * Ratios arrive in basis points and are shown as traders read them:
 * 등락율 and the window's change as signed percents, the traded value
 * against its average as a multiple ("3.20x"), 체결강도 as a percent.
 *
 * Thread-safety: single-threaded program.
 */
#include <inttypes.h>
#include <string.h>

#include "optimize.h"
#include "trading_cli.h"

#define SURGE_LIMIT_DEFAULT 30
#define SURGE_LIMIT_MAX     1000

static void surge_usage(FILE *out)
{
    fputs("Usage: stom surge [--limit N] [--json]\n"
          "\n"
          "The latest surge alerts (급등주) of the live engine, newest first: time (KST),\n"
          "종목, 종류 (가격급등 price, 거래대금급증 value, 체결강도급등 strength, 거래량급증\n"
          "volume), 현재가, 등락율 for the day, the change over the detector's window,\n"
          "거래대금 against its average, 체결강도, 당일거래대금 and the detector's score.\n"
          "\n"
          "  --limit N   at most N alerts (default 30)\n"
          "  --json      the gateway's JSON\n"
          "  --url URL   the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Exit codes: 0 success, 1 the gateway failed, 2 usage error or not logged in.\n",
          out);
}

static const char *kind_label(const char *kind, char *buf, size_t len)
{
    static const char *const names[][2] = {{"price", "가격급등"},
                                           {"value", "거래대금급증"},
                                           {"strength", "체결강도급등"},
                                           {"volume", "거래량급증"}};
    return trading_label(kind, names, sizeof names / sizeof names[0], buf, len);
}

/* A signed percent of a basis-point field, or "-". */
static char *bp_field(const json_t *a, const char *key, char *buf, size_t len)
{
    int64_t v;
    if (!trading_int(a, TRADING_KEYS(key), &v))
        return strcpy(buf, "-");
    return trading_bp(v, buf, len);
}

/* bp / 100 with two places, no sign: 15000 -> "150.00" (체결강도), 32000 -> "3.20x" (ratio). */
static char *bp_plain(const json_t *a, const char *key, int64_t per_unit, const char *suffix,
                      char *buf, size_t len)
{
    int64_t v;
    if (!trading_int(a, TRADING_KEYS(key), &v) || v < 0)
        return strcpy(buf, "-");
    snprintf(buf, len, "%" PRId64 ".%02" PRId64 "%s", v / per_unit, v % per_unit * 100 / per_unit,
             suffix);
    return buf;
}

static void alert_row(text_table *t, const json_t *a, void *ctx)
{
    (void)ctx;
    char when[32], kind[48], price[32], change[24], window[48], ratio[24], strength[24], value[32],
        score[24], move[24];
    int64_t ms = 0;
    if (trading_int(a, TRADING_KEYS("window_ms"), &ms) && ms > 0)
        snprintf(window, sizeof window, "%s/%" PRId64 "s",
                 bp_field(a, "window_change_bp", move, sizeof move), (ms + 500) / 1000);
    else
        bp_field(a, "window_change_bp", window, sizeof window);
    const json_t *s = json_object_get(a, "score");
    const char *row[] = {
        trading_kst(a, TRADING_KEYS("at", "ts_ns"), when, sizeof when),
        json_str(a, "symbol", "-"),
        kind_label(json_str(a, "kind", "-"), kind, sizeof kind),
        trading_won(a, TRADING_KEYS("price"), price, sizeof price),
        bp_field(a, "change_bp", change, sizeof change),
        window,
        bp_plain(a, "value_ratio_bp", 10000, "x", ratio, sizeof ratio),
        bp_plain(a, "strength_bp", 100, "", strength, sizeof strength),
        trading_won(a, TRADING_KEYS("day_value"), value, sizeof value),
        json_is_number(s) ? format_number(json_number_value(s), 2, score, sizeof score) : "-"};
    text_table_add(t, row);
}

static int print_alerts(const json_t *answer)
{
    const char *heads[] = {"시각 time (KST)",  "종목 symbol",       "종류 kind",
                           "현재가 price",     "등락율 day",        "구간 window",
                           "거래대금비 value", "체결강도 strength", "당일거래대금 day value",
                           "점수 score"};
    return trading_table_print(trading_table(
        answer, "alerts", "no surge alerts yet (the engine raises them while the market trades)",
        10, heads, "lllrrrrrrr", alert_row, NULL));
}

int cli_surge(int argc, char **argv)
{
    trading_options o;
    int rc = trading_parse(argc, argv, 1, "--limit", 0, "surge", surge_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    int64_t limit = SURGE_LIMIT_DEFAULT;
    if (o.limit && trading_whole("--limit", o.limit, SURGE_LIMIT_MAX, &limit) != EXIT_OK)
        return EXIT_USAGE;
    char path[64];
    snprintf(path, sizeof path, "/surge?limit=%lld", (long long)limit);
    return trading_request(&o, "GET", path, NULL, print_alerts);
}
