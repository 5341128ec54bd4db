/*
 * stom/surge.h - the surge detector (급등주): configurable rules over trades.
 *
 * The detector is fed trades, one at a time, each carrying its own time; it
 * has no clock and does no I/O. For every symbol it keeps, per window length
 * of the configured rules (per lookback too for the ratio rules), a sliding
 * window of the trades of the last window_ms (a ring buffer with running
 * sums and a monotonic deque of the lowest price) and, when a rule needs it,
 * the volume and value of the `lookback` aligned windows before the current
 * one. Each trade updates those windows in O(1) amortised and evaluates
 * every rule; a rule whose conditions all hold, inside its session and
 * outside its cooldown, calls the alert callback. Memory grows only when a
 * symbol is first seen or a window holds more trades than ever before; the
 * steady state allocates nothing.
 *
 * Units. Prices are integers in the instrument's price units (KRW stocks:
 * won); a trade's value is price * qty, in cash units for KRW stocks (won,
 * exact, int64). Every ratio is an integer in basis points (10000 = 100%,
 * 30000 = 3x); thresholds are compared exactly (cross-multiplied in 128
 * bits), so 299.99 bp never passes a 300 bp minimum. Reported ratios are
 * truncated toward zero.
 *
 * Time. ts_ns is UTC nanoseconds. A trade at t is inside the window at now
 * when now - window < t <= now. Trades of one symbol are expected in time
 * order; one older than the symbol's latest trade is counted as if it
 * happened at that latest time (ts clamped, `late` counted in the stats),
 * so sums stay exact and windows never run backwards. Equal timestamps are
 * normal (several prints in one instant) and all count. Duplicate prints
 * (the same trade sent twice) are not recognised: drop them upstream.
 *
 * Thread-safety: a stom_surge is used by one thread at a time; distinct
 * detectors are independent. Configuration functions are pure.
 */
#ifndef STOM_SURGE_H
#define STOM_SURGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"

#define STOM_SURGE_MAX_RULES       64
#define STOM_SURGE_MAX_CONDS       8
#define STOM_SURGE_NAME_MAX        64 /* a rule name, with its NUL */
#define STOM_SURGE_SYMBOL_MAX      16 /* a symbol, with its NUL */
#define STOM_SURGE_MAX_WINDOW_MS   86400000LL
#define STOM_SURGE_MAX_LOOKBACK    1000
#define STOM_SURGE_MAX_COOLDOWN_MS 86400000LL

/* What an alert is about; the values match stom.v1.SurgeKind. */
typedef enum stom_surge_kind {
    STOM_SURGE_KIND_PRICE = 1,
    STOM_SURGE_KIND_VALUE = 2,
    STOM_SURGE_KIND_STRENGTH = 3,
    STOM_SURGE_KIND_VOLUME = 4
} stom_surge_kind;

/* The quantities a condition can test; see docs/surge.md for each formula. */
typedef enum stom_surge_metric {
    STOM_SURGE_CHANGE_BP,        /* (price - prev_close) / prev_close: 등락률 */
    STOM_SURGE_WINDOW_CHANGE_BP, /* from the oldest trade in the window */
    STOM_SURGE_WINDOW_RISE_BP,   /* from the lowest price in the window */
    STOM_SURGE_WINDOW_VALUE,     /* sum of price * qty in the window, cash units */
    STOM_SURGE_WINDOW_VOLUME,    /* sum of qty in the window */
    STOM_SURGE_VOLUME_RATIO_BP,  /* window volume / average of the lookback windows */
    STOM_SURGE_VALUE_RATIO_BP,   /* window value / average of the lookback windows */
    STOM_SURGE_METRIC_COUNT
} stom_surge_metric;

/* One condition: metric >= min (when has_min) and metric <= max (when has_max). */
typedef struct stom_surge_cond {
    stom_surge_metric metric;
    bool has_min, has_max;
    int64_t min, max;
} stom_surge_cond;

/*
 * A rule: all of its conditions must hold. A session limits evaluation to
 * [session_start_s, session_end_s) seconds of the KST day; trades outside it
 * still fill the windows. lookback (windows) is needed only by the ratio
 * metrics and must be 0 otherwise.
 */
typedef struct stom_surge_rule {
    char name[STOM_SURGE_NAME_MAX];
    stom_surge_kind kind;
    int64_t window_ms;
    int64_t cooldown_ms; /* per (rule, symbol), from the alert's time */
    int32_t lookback;
    bool has_session;
    int32_t session_start_s, session_end_s;
    size_t ncond;
    stom_surge_cond cond[STOM_SURGE_MAX_CONDS];
} stom_surge_rule;

typedef struct stom_surge_config {
    size_t nrules;
    stom_surge_rule rules[STOM_SURGE_MAX_RULES];
} stom_surge_config;

/* One trade; symbol is borrowed for the call (at most 15 bytes, not NUL-terminated). */
typedef struct stom_surge_trade {
    const char *symbol;
    size_t symbol_len;
    int64_t ts_ns;
    int64_t price;      /* > 0 */
    int64_t qty;        /* > 0 */
    int64_t prev_close; /* 기준가 / previous close, > 0 */
} stom_surge_trade;

/* A measured condition inside an alert. */
typedef struct stom_surge_measure {
    stom_surge_cond cond; /* the thresholds */
    int64_t value;        /* the measured value in the metric's unit */
} stom_surge_measure;

/* An alert; valid only during the callback (rule is borrowed from the detector). */
typedef struct stom_surge_alert {
    const stom_surge_rule *rule;
    stom_surge_kind kind;
    char symbol[STOM_SURGE_SYMBOL_MAX];
    int64_t ts_ns;
    int64_t price;
    int64_t window_ms;
    int64_t change_bp;        /* 등락률, always measured */
    int64_t window_change_bp; /* always measured */
    int64_t window_value;     /* always measured */
    int64_t window_volume;    /* always measured */
    size_t nmeasure;
    stom_surge_measure measure[STOM_SURGE_MAX_CONDS]; /* one per condition, in order */
} stom_surge_alert;

typedef void (*stom_surge_alert_fn)(const stom_surge_alert *alert, void *arg);

typedef struct stom_surge_stats {
    uint64_t trades, alerts, suppressed, late, symbols;
} stom_surge_stats;

typedef struct stom_surge stom_surge;

/*
 * Parses a JSON configuration (see docs/surge.md) of len bytes into *cfg and
 * checks it. Returns 0, STOM_EFORMAT (not JSON, wrong type, unknown key) or
 * STOM_EINVAL (a value out of range), with a message naming the field, e.g.
 * "rules[0].all[1].min: -5 is negative". Borrows json; fills the
 * caller-owned cfg.
 */
int stom_surge_config_parse(const char *json, size_t len, stom_surge_config *cfg, stom_errbuf *eb);

/* Checks a configuration built in code, like the parser does. Borrows cfg. */
int stom_surge_config_check(const stom_surge_config *cfg, stom_errbuf *eb);

/* The configuration name of a metric ("window_change_bp"), or NULL. */
const char *stom_surge_metric_name(stom_surge_metric m);
/* The configuration name of a kind ("price"), or NULL. */
const char *stom_surge_kind_name(stom_surge_kind k);

/*
 * Creates a detector for cfg (copied) that calls on_alert(alert, arg) from
 * within stom_surge_feed. Returns 0 and sets *out, or the check's error.
 * Returns owned *out; keeps arg.
 */
int stom_surge_create(stom_surge **out, const stom_surge_config *cfg, stom_surge_alert_fn on_alert,
                      void *arg, stom_errbuf *eb);

/* Frees d and every symbol's state; NULL is a no-op. Takes d. */
void stom_surge_destroy(stom_surge *d);

/*
 * Feeds one trade: updates its symbol's windows and evaluates every rule,
 * calling the alert callback for each rule that fires. Returns 0, or
 * STOM_EINVAL (nothing changed) for an empty or too long symbol, a price,
 * qty or prev_close that is not positive, a negative ts_ns, or a price * qty
 * beyond int64. Borrows t.
 */
int stom_surge_feed(stom_surge *d, const stom_surge_trade *t);

/* Counters since creation. Borrows d. */
stom_surge_stats stom_surge_get_stats(const stom_surge *d);

#endif
