/*
 * surge.c - the surge detector: symbols, rules and alerts (see stom/surge.h).
 *
 * Rules that share a window length share one track per symbol (ratio rules
 * need the same lookback too): the detector numbers the tracks at creation
 * and each symbol holds one stom__surge_track per track plus the time of
 * each rule's last alert. Symbols live in an open-addressing hash table (linear
 * probing, at most half full) and are created on their first trade.
 *
 * A condition compares an exact fraction num/den, scaled by 10000 for the
 * basis-point metrics, with its thresholds by cross-multiplying in 128 bits,
 * so no rounding ever moves a boundary.
 */
#include "stom/surge.h"

#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/timeutil.h"
#include "surge_track.h"

__extension__ typedef __int128 surge_i128;

#define NS_PER_MS  1000000LL
#define NS_PER_SEC 1000000000LL
#define BP         10000

typedef struct surge_symbol {
    char name[STOM_SURGE_SYMBOL_MAX];
    size_t len;
    int64_t last_ts;
    stom__surge_track *tracks; /* one per distinct (window, lookback) */
    int64_t *last_alert;       /* per rule; INT64_MIN: never */
} surge_symbol;

struct stom_surge {
    stom_surge_config cfg;
    size_t ntracks;
    int64_t track_window_ns[STOM_SURGE_MAX_RULES];
    int32_t track_lookback[STOM_SURGE_MAX_RULES];
    size_t rule_track[STOM_SURGE_MAX_RULES];
    bool any_session;
    stom_surge_alert_fn on_alert;
    void *arg;
    surge_symbol **table; /* capacity table_mask + 1 */
    size_t table_mask, nsymbols;
    stom_surge_stats stats;
};

/* A metric as an exact fraction; den == 0 means "not measurable now". */
typedef struct surge_fraction {
    int64_t num, den, scale;
} surge_fraction;

static bool metric_is_ratio(stom_surge_metric m)
{
    return m == STOM_SURGE_VOLUME_RATIO_BP || m == STOM_SURGE_VALUE_RATIO_BP;
}

/* The lookback a rule's track needs: 0 unless a condition is a ratio. */
static int32_t rule_track_lookback(const stom_surge_rule *r)
{
    for (size_t i = 0; i < r->ncond; i++)
        if (metric_is_ratio(r->cond[i].metric))
            return r->lookback;
    return 0;
}

/*
 * The track for rule r: one with the same window and, for a ratio rule, the
 * same lookback; a rule without ratios takes any track of its window (the
 * history it does not read costs nothing per trade). Creates it if needed.
 */
static size_t track_for(stom_surge *d, size_t r)
{
    const stom_surge_rule *rule = &d->cfg.rules[r];
    int64_t w = rule->window_ms * NS_PER_MS;
    int32_t lb = rule_track_lookback(rule);
    size_t k = 0;
    while (k < d->ntracks &&
           (d->track_window_ns[k] != w || (lb != 0 && d->track_lookback[k] != lb)))
        k++;
    if (k == d->ntracks) {
        d->track_window_ns[k] = w;
        d->track_lookback[k] = lb;
        d->ntracks++;
    }
    return k;
}

/*
 * Maps each rule to a track: ratio rules first, so that the rules without
 * ratios share their windows instead of keeping a second ring of the same
 * trades.
 */
static void assign_tracks(stom_surge *d)
{
    for (int ratio = 1; ratio >= 0; ratio--)
        for (size_t r = 0; r < d->cfg.nrules; r++)
            if ((rule_track_lookback(&d->cfg.rules[r]) != 0) == ratio)
                d->rule_track[r] = track_for(d, r);
    for (size_t r = 0; r < d->cfg.nrules; r++)
        d->any_session |= d->cfg.rules[r].has_session;
}

int stom_surge_create(stom_surge **out, const stom_surge_config *cfg, stom_surge_alert_fn on_alert,
                      void *arg, stom_errbuf *eb)
{
    int rc = stom_surge_config_check(cfg, eb);
    if (rc != STOM_OK)
        return rc;
    if (on_alert == NULL)
        return stom_errorf(eb, STOM_EINVAL, "surge: no alert callback");
    stom_surge *d = stom_xcalloc(1, sizeof *d);
    d->cfg = *cfg;
    d->on_alert = on_alert;
    d->arg = arg;
    assign_tracks(d);
    d->table_mask = 63;
    d->table = stom_xcalloc(d->table_mask + 1, sizeof *d->table);
    *out = d;
    return STOM_OK;
}

static void symbol_free(const stom_surge *d, surge_symbol *s)
{
    for (size_t k = 0; k < d->ntracks; k++)
        stom__surge_track_free(&s->tracks[k]);
    free(s->tracks);
    free(s->last_alert);
    free(s);
}

void stom_surge_destroy(stom_surge *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i <= d->table_mask; i++)
        if (d->table[i])
            symbol_free(d, d->table[i]);
    free(d->table);
    free(d);
}

stom_surge_stats stom_surge_get_stats(const stom_surge *d)
{
    stom_surge_stats s = d->stats;
    s.symbols = d->nsymbols;
    return s;
}

/* FNV-1a over the symbol's bytes. */
static size_t symbol_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)h;
}

/* The slot holding symbol s, or the empty slot where it belongs. */
static size_t table_slot(surge_symbol **table, size_t mask, const char *s, size_t n)
{
    size_t i = symbol_hash(s, n) & mask;
    while (table[i] && (table[i]->len != n || memcmp(table[i]->name, s, n) != 0))
        i = (i + 1) & mask;
    return i;
}

static void table_grow(stom_surge *d)
{
    size_t mask = d->table_mask * 2 + 1;
    surge_symbol **table = stom_xcalloc(mask + 1, sizeof *table);
    for (size_t i = 0; i <= d->table_mask; i++) {
        surge_symbol *s = d->table[i];
        if (s)
            table[table_slot(table, mask, s->name, s->len)] = s;
    }
    free(d->table);
    d->table = table;
    d->table_mask = mask;
}

static surge_symbol *symbol_new(const stom_surge *d, const char *name, size_t n)
{
    surge_symbol *s = stom_xcalloc(1, sizeof *s);
    memcpy(s->name, name, n);
    s->len = n;
    s->last_ts = INT64_MIN;
    s->tracks = stom_xcalloc(d->ntracks, sizeof *s->tracks);
    for (size_t k = 0; k < d->ntracks; k++)
        stom__surge_track_init(&s->tracks[k], d->track_lookback[k]);
    s->last_alert = stom_xmalloc(d->cfg.nrules * sizeof *s->last_alert);
    for (size_t r = 0; r < d->cfg.nrules; r++)
        s->last_alert[r] = INT64_MIN;
    return s;
}

static surge_symbol *symbol_get(stom_surge *d, const char *name, size_t n)
{
    size_t i = table_slot(d->table, d->table_mask, name, n);
    if (d->table[i])
        return d->table[i];
    if ((d->nsymbols + 1) * 2 > d->table_mask + 1) {
        table_grow(d);
        i = table_slot(d->table, d->table_mask, name, n);
    }
    d->table[i] = symbol_new(d, name, n);
    d->nsymbols++;
    return d->table[i];
}

/* The exact fraction for metric m on track t after trade x. */
static surge_fraction metric_fraction(stom_surge_metric m, const stom__surge_track *t,
                                      const stom_surge_trade *x)
{
    switch (m) {
    case STOM_SURGE_CHANGE_BP:
        return (surge_fraction){x->price - x->prev_close, x->prev_close, BP};
    case STOM_SURGE_WINDOW_CHANGE_BP: {
        int64_t first = stom__surge_track_first_price(t);
        return (surge_fraction){x->price - first, first, BP};
    }
    case STOM_SURGE_WINDOW_RISE_BP: {
        int64_t low = stom__surge_track_low_price(t);
        return (surge_fraction){x->price - low, low, BP};
    }
    case STOM_SURGE_WINDOW_VALUE:
        return (surge_fraction){t->sum_value, 1, 1};
    case STOM_SURGE_WINDOW_VOLUME:
        return (surge_fraction){t->sum_qty, 1, 1};
    case STOM_SURGE_VOLUME_RATIO_BP:
        if (!stom__surge_track_has_history(t))
            return (surge_fraction){0, 0, BP};
        return (surge_fraction){t->sum_qty * t->lookback, t->hist_sum_qty, BP};
    case STOM_SURGE_VALUE_RATIO_BP:
        if (!stom__surge_track_has_history(t))
            return (surge_fraction){0, 0, BP};
        return (surge_fraction){t->sum_value * t->lookback, t->hist_sum_value, BP};
    default:
        return (surge_fraction){0, 0, 1};
    }
}

/* num * scale / den truncated toward zero, saturated to int64; 0 when den is 0. */
static int64_t fraction_value(surge_fraction f)
{
    if (f.den == 0)
        return 0;
    surge_i128 v = (surge_i128)f.num * f.scale / f.den;
    if (v > INT64_MAX)
        return INT64_MAX;
    return v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

/* min <= num*scale/den <= max, exactly (den > 0 by construction). */
static bool cond_holds(const stom_surge_cond *c, surge_fraction f)
{
    if (f.den <= 0)
        return false;
    surge_i128 scaled = (surge_i128)f.num * f.scale;
    if (c->has_min && scaled < (surge_i128)c->min * f.den)
        return false;
    return !(c->has_max && scaled > (surge_i128)c->max * f.den);
}

static bool in_session(const stom_surge_rule *r, int32_t second_of_day)
{
    return !r->has_session ||
           (second_of_day >= r->session_start_s && second_of_day < r->session_end_s);
}

static void alert_emit(stom_surge *d, size_t r, const surge_symbol *s, const stom__surge_track *t,
                       const stom_surge_trade *x, int64_t ts)
{
    const stom_surge_rule *rule = &d->cfg.rules[r];
    stom_surge_alert a;
    memset(&a, 0, sizeof a);
    a.rule = rule;
    a.kind = rule->kind;
    memcpy(a.symbol, s->name, s->len);
    a.ts_ns = ts;
    a.price = x->price;
    a.window_ms = rule->window_ms;
    a.change_bp = fraction_value(metric_fraction(STOM_SURGE_CHANGE_BP, t, x));
    a.window_change_bp = fraction_value(metric_fraction(STOM_SURGE_WINDOW_CHANGE_BP, t, x));
    a.window_value = t->sum_value;
    a.window_volume = t->sum_qty;
    a.nmeasure = rule->ncond;
    for (size_t i = 0; i < rule->ncond; i++) {
        a.measure[i].cond = rule->cond[i];
        a.measure[i].value = fraction_value(metric_fraction(rule->cond[i].metric, t, x));
    }
    d->stats.alerts++;
    d->on_alert(&a, d->arg);
}

/* Evaluates rule r for symbol s after trade x (at the clamped time ts). */
static void rule_evaluate(stom_surge *d, size_t r, surge_symbol *s, const stom_surge_trade *x,
                          int64_t ts, int32_t second_of_day)
{
    const stom_surge_rule *rule = &d->cfg.rules[r];
    if (!in_session(rule, second_of_day))
        return;
    const stom__surge_track *t = &s->tracks[d->rule_track[r]];
    for (size_t i = 0; i < rule->ncond; i++)
        if (!cond_holds(&rule->cond[i], metric_fraction(rule->cond[i].metric, t, x)))
            return;
    /* The cooldown is checked last so that `suppressed` counts real repeats only. */
    if (s->last_alert[r] != INT64_MIN && ts - s->last_alert[r] < rule->cooldown_ms * NS_PER_MS) {
        d->stats.suppressed++;
        return;
    }
    s->last_alert[r] = ts;
    alert_emit(d, r, s, t, x, ts);
}

int stom_surge_feed(stom_surge *d, const stom_surge_trade *x)
{
    if (x->symbol == NULL || x->symbol_len == 0 || x->symbol_len >= STOM_SURGE_SYMBOL_MAX)
        return STOM_EINVAL;
    int64_t value;
    if (x->price <= 0 || x->qty <= 0 || x->prev_close <= 0 || x->ts_ns < 0 ||
        __builtin_mul_overflow(x->price, x->qty, &value))
        return STOM_EINVAL;
    surge_symbol *s = symbol_get(d, x->symbol, x->symbol_len);
    int64_t ts = x->ts_ns;
    if (ts < s->last_ts) {
        ts = s->last_ts; /* late print: counted at the symbol's latest time */
        d->stats.late++;
    }
    s->last_ts = ts;
    d->stats.trades++;
    for (size_t k = 0; k < d->ntracks; k++)
        stom__surge_track_add(&s->tracks[k], d->track_window_ns[k], ts, x->price, x->qty);
    int32_t second_of_day = 0;
    if (d->any_session) {
        int64_t sec = ts / NS_PER_SEC;
        second_of_day = stom_seconds_of_day(sec, STOM_KST_OFFSET_MINUTES);
    }
    for (size_t r = 0; r < d->cfg.nrules; r++)
        rule_evaluate(d, r, s, x, ts, second_of_day);
    return STOM_OK;
}
