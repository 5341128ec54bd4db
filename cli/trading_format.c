/*
 * trading_format.c - how the live-trading tables write won, times and
 * states (trading_cli.h): "1,250,000", KST "2026-11-20 09:05:03", 매수 /
 * 매도, an order's and a strategy's state in Korean followed by the API's
 * own word, so that a trader reads the first and a script greps the second.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"
#include "trading_cli.h"

char *trading_number(int64_t v, char *buf, size_t len)
{
    stom_fixed_format(v, 0, true, buf, len);
    return buf;
}

char *trading_won(const json_t *row, const char *const *keys, char *buf, size_t len)
{
    int64_t v;
    if (!trading_int(row, keys, &v)) {
        snprintf(buf, len, "-");
        return buf;
    }
    return trading_number(v, buf, len);
}

char *trading_bp(int64_t bp, char *buf, size_t len)
{
    int64_t a = bp < 0 ? -bp : bp;
    snprintf(buf, len, "%s%" PRId64 ".%02" PRId64 "%%",
             bp < 0   ? "-"
             : bp > 0 ? "+"
                      : "",
             a / 100, a % 100);
    return buf;
}

char *trading_kst(const json_t *row, const char *const *keys, char *buf, size_t len)
{
    const json_t *v = trading_field(row, keys);
    int64_t s = 0;
    bool ok = false;
    if (json_is_string(v))
        ok = gateway_time_parse(json_string_value(v), &s);
    else if (json_is_integer(v)) {
        s = (int64_t)json_integer_value(v) / 1000000000; /* ns_ fields of the messages */
        ok = s > 0;
    }
    if (ok)
        stom_format_time(s, STOM_KST_OFFSET_MINUTES, false, buf, len);
    else
        snprintf(buf, len, "%s", json_is_string(v) ? json_string_value(v) : "-");
    return buf;
}

const char *trading_short_name(const char *s, char *buf, size_t len)
{
    static const char *const prefixes[] = {"order_event_kind_", "strategy_state_", "order_type_",
                                           "surge_kind_",       "side_",           "risk_kind_",
                                           "risk_action_"};
    size_t n = 0;
    for (; s[n] && n + 1 < len; n++)
        buf[n] = (char)tolower((unsigned char)s[n]);
    buf[n] = '\0';
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t p = strlen(prefixes[k]);
        if (!strncmp(buf, prefixes[k], p) && buf[p])
            return buf + p;
    }
    return buf;
}

const char *trading_label(const char *s, const char *const (*table)[2], size_t n, char *buf,
                          size_t len)
{
    char name[48];
    const char *k = trading_short_name(s, name, sizeof name);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(k, table[i][0])) {
            snprintf(buf, len, "%s %s", table[i][1], k);
            return buf;
        }
    snprintf(buf, len, "%s", k);
    return buf;
}

const char *trading_side_label(const json_t *row, char *buf, size_t len)
{
    const json_t *v = trading_field(row, TRADING_KEYS("side"));
    char name[32];
    if (json_is_integer(v))
        return json_integer_value(v) == 1 ? "매수" : "매도"; /* journal -1, protobuf SIDE_SELL 2 */
    const char *s =
        trading_short_name(json_is_string(v) ? json_string_value(v) : "-", name, sizeof name);
    if (!strcmp(s, "buy"))
        return "매수";
    if (!strcmp(s, "sell"))
        return "매도";
    snprintf(buf, len, "%s", s);
    return buf;
}

typedef struct label {
    const char *name, *korean;
} label;

static const char *labelled(const label *labels, size_t n, const char *state, char *buf, size_t len)
{
    char name[64];
    const char *s = trading_short_name(state ? state : "-", name, sizeof name);
    for (size_t k = 0; k < n; k++)
        if (!strcmp(s, labels[k].name)) {
            snprintf(buf, len, "%s %s", labels[k].korean, s);
            return buf;
        }
    snprintf(buf, len, "%s", s);
    return buf;
}

const char *trading_order_state_label(const char *state, char *buf, size_t len)
{
    static const label labels[] = {
        {"pending", "대기"},   {"sent", "전송"},
        {"accepted", "접수"},  {"filled", "체결"},
        {"cancelled", "취소"}, {"partially_filled", "부분체결"},
        {"rejected", "거부"},  {"modified", "정정"},
        {"expired", "만료"},   {"cancel_requested", "취소요청"},
    };
    return labelled(labels, sizeof labels / sizeof labels[0], state, buf, len);
}

const char *trading_strategy_state_label(const char *state, char *buf, size_t len)
{
    static const label labels[] = {
        {"running", "실행"}, {"paused", "일시정지"}, {"stopped", "정지"},
        {"failed", "실패"},  {"starting", "시작중"}, {"stopping", "정지중"},
    };
    return labelled(labels, sizeof labels / sizeof labels[0], state, buf, len);
}

text_table *trading_table(const json_t *answer, const char *key, const char *empty, size_t n_cols,
                          const char *const *heads, const char *align, trading_row_fn add_row,
                          void *ctx)
{
    const json_t *rows = trading_rows(answer, key);
    if (json_array_size(rows) == 0) {
        puts(empty);
        return NULL;
    }
    text_table *t = text_table_new(n_cols, heads, align);
    size_t k;
    const json_t *row;
    json_array_foreach(rows, k, row) add_row(t, row, ctx);
    return t;
}

int trading_table_print(text_table *t)
{
    if (t) {
        text_table_print(t, stdout, "");
        text_table_free(t);
    }
    return EXIT_OK;
}
