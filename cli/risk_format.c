/*
 * risk_format.c - `stom risk`'s settings and events as a trader reads them
 * (risk_cli.h): the keys with their STOM names, won with thousands
 * separators, basis points as percents, events with Korean kinds and
 * actions and KST times.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "risk_cli.h"
#include "trading_cli.h"

typedef enum risk_unit { UNIT_WON, UNIT_COUNT, UNIT_BP, UNIT_TIME, UNIT_BOOL } risk_unit;

static const struct risk_key {
    const char *key, *label;
    risk_unit unit;
} keys[] = {
    {"capital", "투자원금 capital", UNIT_WON},
    {"max_order_value", "주문한도 max order value", UNIT_WON},
    {"capital_per_trade", "투자금 per entry", UNIT_WON},
    {"max_position_value", "종목당 한도 per symbol", UNIT_WON},
    {"max_positions", "최대매수종목수 max positions", UNIT_COUNT},
    {"max_orders_per_second", "초당 주문수 orders/s", UNIT_COUNT},
    {"daily_loss_stop_bp", "손실중지 daily loss stop", UNIT_BP},
    {"daily_profit_stop_bp", "수익중지 daily profit stop", UNIT_BP},
    {"max_drawdown_bp", "최대낙폭 max drawdown", UNIT_BP},
    {"fat_finger_bp", "가격괴리 fat finger", UNIT_BP},
    {"end_time", "매수종료 end time (KST)", UNIT_TIME},
    {"liquidate_at_end", "장마감 청산 liquidate at end", UNIT_BOOL},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static const struct risk_key *find_key(const char *name, size_t n)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (strlen(keys[k].key) == n && !strncmp(keys[k].key, name, n))
            return &keys[k];
    return NULL;
}

/* A whole number 1..max ("5,000,000" accepted), without printing anything. */
static bool whole(const char *v, uint64_t max, int64_t *out)
{
    uint64_t n = 0;
    if (!parse_whole_number(v, max, &n) || n == 0)
        return false;
    *out = (int64_t)n;
    return true;
}

/* "3%" / "2.5%" -> 300 / 250 bp; "300" -> 300. */
static bool parse_bp(const char *v, int64_t *out)
{
    size_t n = strlen(v);
    if (n == 0 || v[n - 1] != '%')
        return whole(v, 10000, out);
    char *end;
    double pct = strtod(v, &end);
    if (end != v + n - 1 || !(pct > 0) || pct > 100 || pct * 100 != (double)(int64_t)(pct * 100))
        return false;
    *out = (int64_t)(pct * 100);
    return true;
}

static json_t *value_of(const struct risk_key *k, const char *v)
{
    int64_t n = 0;
    switch (k->unit) {
    case UNIT_WON:
        return whole(v, TRADING_WON_MAX, &n) ? json_integer(n) : NULL;
    case UNIT_COUNT:
        return whole(v, 10000, &n) ? json_integer(n) : NULL;
    case UNIT_BP:
        return parse_bp(v, &n) ? json_integer(n) : NULL;
    case UNIT_TIME:
        return strlen(v) == 5 || strlen(v) == 8 ? json_string(v) : NULL;
    case UNIT_BOOL:
        return !strcmp(v, "true") ? json_true() : !strcmp(v, "false") ? json_false() : NULL;
    }
    return NULL;
}

static const char *const unit_hint[] = {
    [UNIT_WON] = "a whole number of won such as 5,000,000",
    [UNIT_COUNT] = "a whole count",
    [UNIT_BP] = "a percent such as 3% or basis points such as 300",
    [UNIT_TIME] = "a KST time HH:MM or HH:MM:SS",
    [UNIT_BOOL] = "true or false",
};

int risk_apply_setting(json_t *limits, const char *setting)
{
    const char *eq = strchr(setting, '=');
    const struct risk_key *k = eq ? find_key(setting, (size_t)(eq - setting)) : NULL;
    if (!k) {
        cli_error("'%s' is not KEY=VALUE with a key of docs/risk.md (capital, max_order_value, "
                  "daily_loss_stop_bp, ... see stom risk --help)",
                  setting);
        return EXIT_USAGE;
    }
    if (!strcmp(eq + 1, "none")) {
        json_object_del(limits, k->key);
        return EXIT_OK;
    }
    json_t *v = value_of(k, eq + 1);
    if (!v) {
        cli_error("%s: '%s' is not %s (or none to remove the limit)", k->key, eq + 1,
                  unit_hint[k->unit]);
        return EXIT_USAGE;
    }
    json_object_set_new(limits, k->key, v);
    return EXIT_OK;
}

/* One setting's value as shown: "10,000,000원", "3.00% (300 bp)", "15:10", "예 yes". */
static const char *shown(const struct risk_key *k, const json_t *v, char *buf, size_t len)
{
    int64_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    char num[32];
    if (k && k->unit == UNIT_WON && json_is_integer(v))
        snprintf(buf, len, "%s원", trading_number(n, num, sizeof num));
    else if (k && k->unit == UNIT_BP && json_is_integer(v))
        snprintf(buf, len, "%" PRId64 ".%02" PRId64 "%% (%" PRId64 " bp)", n / 100, n % 100, n);
    else if (json_is_boolean(v))
        snprintf(buf, len, "%s", json_is_true(v) ? "예 yes" : "아니오 no");
    else if (json_is_integer(v))
        trading_number(n, buf, len);
    else if (json_is_string(v))
        snprintf(buf, len, "%s", json_string_value(v));
    else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(buf, len, "%s", text ? text : "?");
        free(text);
    }
    return buf;
}

/* The rows of one scope's limits: the known keys in order, then any other. */
static void add_scope(text_table *t, const char *scope, const json_t *limits)
{
    char value[96];
    for (size_t k = 0; k < N_KEYS; k++) {
        const json_t *v = json_object_get(limits, keys[k].key);
        if (v && !json_is_null(v)) {
            const char *row[] = {scope, keys[k].label, shown(&keys[k], v, value, sizeof value)};
            text_table_add(t, row);
        }
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)limits, key, v)
    {
        if (find_key(key, strlen(key)) || !strcmp(key, "strategies"))
            continue;
        const char *row[] = {scope, key, shown(NULL, v, value, sizeof value)};
        text_table_add(t, row);
    }
}

int risk_print_settings(const json_t *answer)
{
    const char *account = json_str(answer, "account", "?");
    const json_t *limits = json_object_get(answer, "limits");
    if (!json_is_object(limits) || json_object_size(limits) == 0) {
        printf("계좌 %s: 위험 설정 없음 no risk settings — the engine blocks every order of "
               "this account until they are set (stom risk set --account %s capital=...)\n",
               account, account);
        return EXIT_OK;
    }
    char when[32];
    printf("계좌 %s 위험 설정 risk settings (수정 updated %s)\n", account,
           trading_kst(answer, TRADING_KEYS("updated_at"), when, sizeof when));
    const char *heads[] = {"범위 scope", "항목 setting", "값 value"};
    text_table *t = text_table_new(3, heads, "llr");
    add_scope(t, "계좌 account", limits);
    const char *id;
    const json_t *s;
    json_object_foreach(json_object_get(limits, "strategies"), id, s)
    {
        char scope[96];
        snprintf(scope, sizeof scope, "전략 %s", id);
        add_scope(t, scope, s);
    }
    return trading_table_print(t);
}

int risk_print_stored(const json_t *answer)
{
    const char *message = json_str(answer, "message", NULL);
    if (message && *message)
        printf("%s\n", message);
    return risk_print_settings(answer);
}

/* 손실중지 daily_loss from "daily_loss" or "RISK_KIND_DAILY_LOSS". */
static const char *kind_label(const char *kind, char *buf, size_t len)
{
    static const char *const names[][2] = {{"order_size", "주문한도"},
                                           {"position_limit", "보유한도"},
                                           {"daily_loss", "손실중지"},
                                           {"order_rate", "주문빈도"},
                                           {"price_band", "가격범위"},
                                           {"market_closed", "장종료"},
                                           {"reconcile_mismatch", "대사불일치"},
                                           {"broker_disconnected", "증권사 끊김"},
                                           {"kill_switch", "긴급정지"},
                                           {"daily_profit", "수익중지"},
                                           {"drawdown", "최대낙폭"},
                                           {"session", "운영규칙"},
                                           {"journal", "주문기록 실패"}};
    return trading_label(kind, names, sizeof names / sizeof names[0], buf, len);
}

static const char *action_label(const char *action, char *buf, size_t len)
{
    static const char *const names[][2] = {{"block_order", "주문차단"},
                                           {"halt_strategy", "전략중지"},
                                           {"halt_trading", "거래중지"},
                                           {"warn", "경고"}};
    return trading_label(action, names, sizeof names / sizeof names[0], buf, len);
}

/* An event's limit or value in its rule's unit: a percent for the _bp rules, else a number. */
static const char *event_amount(const json_t *e, const char *key, char *buf, size_t len)
{
    const char *rule = json_str(e, "rule", "");
    size_t n = strlen(rule);
    int64_t v;
    if (n < 3 || strcmp(rule + n - 3, "_bp") != 0 || !trading_int(e, TRADING_KEYS(key), &v))
        return trading_won(e, TRADING_KEYS(key), buf, len);
    int64_t a = v < 0 ? -v : v;
    snprintf(buf, len, "%s%" PRId64 ".%02" PRId64 "%%", v < 0 ? "-" : "", a / 100, a % 100);
    return buf;
}

static void event_row(text_table *t, const json_t *e, void *ctx)
{
    (void)ctx;
    char when[32], kind[64], action[64], limit[32], value[32];
    const char *row[] = {trading_kst(e, TRADING_KEYS("at", "ts_ns"), when, sizeof when),
                         *json_str(e, "account", "") ? json_str(e, "account", "") : "(전체 all)",
                         *json_str(e, "instance_id", "") ? json_str(e, "instance_id", "") : "-",
                         kind_label(json_str(e, "kind", "-"), kind, sizeof kind),
                         action_label(json_str(e, "action", "-"), action, sizeof action),
                         *json_str(e, "rule", "") ? json_str(e, "rule", "") : "-",
                         *json_str(e, "symbol", "") ? json_str(e, "symbol", "") : "-",
                         event_amount(e, "limit", limit, sizeof limit),
                         event_amount(e, "value", value, sizeof value),
                         json_str(e, "message", "")};
    text_table_add(t, row);
}

int risk_print_events(const json_t *answer)
{
    const char *heads[] = {"시각 time (KST)", "계좌 account", "전략 instance", "종류 kind",
                           "조치 action",     "규칙 rule",    "종목 symbol",   "한도 limit",
                           "값 value",        "내용 message"};
    return trading_table_print(trading_table(answer, "events",
                                             "no risk events (the engine raises them when a rule "
                                             "blocks an order or halts trading)",
                                             10, heads, "lllllllrrl", event_row, NULL));
}
