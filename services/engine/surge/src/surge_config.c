/*
 * surge_config.c - the detector's configuration: JSON parsing and checks.
 *
 * The parser only maps JSON onto stom_surge_config (types, known keys);
 * stom_surge_config_check then judges the values, so a configuration built
 * in code is held to the same rules. Every message starts with the field's
 * path ("rules[2].all[0].min: ...") and quotes the offending value.
 */
#include "stom/surge.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const METRIC_NAMES[STOM_SURGE_METRIC_COUNT] = {
    "change_bp",     "window_change_bp", "window_rise_bp", "window_value",
    "window_volume", "volume_ratio_bp",  "value_ratio_bp",
};

static const char *const KIND_NAMES[] = {NULL, "price", "value", "strength", "volume"};

const char *stom_surge_metric_name(stom_surge_metric m)
{
    return (unsigned)m < STOM_SURGE_METRIC_COUNT ? METRIC_NAMES[m] : NULL;
}

const char *stom_surge_kind_name(stom_surge_kind k)
{
    return k >= STOM_SURGE_KIND_PRICE && k <= STOM_SURGE_KIND_VOLUME ? KIND_NAMES[k] : NULL;
}

/* ---- checks ---- */

static bool metric_is_ratio(stom_surge_metric m)
{
    return m == STOM_SURGE_VOLUME_RATIO_BP || m == STOM_SURGE_VALUE_RATIO_BP;
}

/* Metrics that cannot be negative: amounts and ratios. */
static bool metric_is_nonnegative(stom_surge_metric m)
{
    return m == STOM_SURGE_WINDOW_VALUE || m == STOM_SURGE_WINDOW_VOLUME || metric_is_ratio(m);
}

static int cond_check(const stom_surge_cond *c, size_t r, size_t i, stom_errbuf *eb)
{
    if (stom_surge_metric_name(c->metric) == NULL)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].all[%zu].metric: %d is not a metric", r, i,
                           (int)c->metric);
    if (!c->has_min && !c->has_max)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].all[%zu]: neither min nor max", r, i);
    if (c->has_min && c->min < 0 && metric_is_nonnegative(c->metric))
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].all[%zu].min: %" PRId64 " is negative", r,
                           i, c->min);
    if (c->has_max && c->max < 0 && metric_is_nonnegative(c->metric))
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].all[%zu].max: %" PRId64 " is negative", r,
                           i, c->max);
    if (c->has_min && c->has_max && c->min > c->max)
        return stom_errorf(eb, STOM_EINVAL,
                           "rules[%zu].all[%zu].max: %" PRId64 " is below min %" PRId64, r, i,
                           c->max, c->min);
    return STOM_OK;
}

static int lookback_check(const stom_surge_rule *rule, size_t r, stom_errbuf *eb)
{
    bool ratio = false;
    for (size_t i = 0; i < rule->ncond; i++)
        ratio |= metric_is_ratio(rule->cond[i].metric);
    if (ratio && (rule->lookback < 1 || rule->lookback > STOM_SURGE_MAX_LOOKBACK))
        return stom_errorf(eb, STOM_EINVAL,
                           "rules[%zu].lookback: %d is not in 1..%d (a ratio metric needs it)", r,
                           (int)rule->lookback, STOM_SURGE_MAX_LOOKBACK);
    if (!ratio && rule->lookback != 0)
        return stom_errorf(eb, STOM_EINVAL,
                           "rules[%zu].lookback: %d but no condition is a ratio metric", r,
                           (int)rule->lookback);
    return STOM_OK;
}

static int rule_check(const stom_surge_config *cfg, size_t r, stom_errbuf *eb)
{
    const stom_surge_rule *rule = &cfg->rules[r];
    size_t len = strnlen(rule->name, STOM_SURGE_NAME_MAX);
    if (len == 0 || len == STOM_SURGE_NAME_MAX)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].name: must be 1..%d bytes", r,
                           STOM_SURGE_NAME_MAX - 1);
    for (size_t o = 0; o < r; o++)
        if (strcmp(cfg->rules[o].name, rule->name) == 0)
            return stom_errorf(eb, STOM_EINVAL, "rules[%zu].name: \"%s\" repeats rules[%zu]", r,
                               rule->name, o);
    if (stom_surge_kind_name(rule->kind) == NULL)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].kind: %d is not a kind", r,
                           (int)rule->kind);
    if (rule->window_ms < 1 || rule->window_ms > STOM_SURGE_MAX_WINDOW_MS)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].window_ms: %" PRId64 " is not in 1..%lld",
                           r, rule->window_ms, STOM_SURGE_MAX_WINDOW_MS);
    if (rule->cooldown_ms < 0 || rule->cooldown_ms > STOM_SURGE_MAX_COOLDOWN_MS)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].cooldown_ms: %" PRId64 " is not in 0..%lld",
                           r, rule->cooldown_ms, STOM_SURGE_MAX_COOLDOWN_MS);
    if (rule->has_session && (rule->session_start_s < 0 || rule->session_end_s > 86400 ||
                              rule->session_start_s >= rule->session_end_s))
        return stom_errorf(eb, STOM_EINVAL,
                           "rules[%zu].session: start %d s is not before end %d s within a day", r,
                           (int)rule->session_start_s, (int)rule->session_end_s);
    if (rule->ncond < 1 || rule->ncond > STOM_SURGE_MAX_CONDS)
        return stom_errorf(eb, STOM_EINVAL, "rules[%zu].all: %zu conditions, want 1..%d", r,
                           rule->ncond, STOM_SURGE_MAX_CONDS);
    for (size_t i = 0; i < rule->ncond; i++) {
        int rc = cond_check(&rule->cond[i], r, i, eb);
        if (rc != STOM_OK)
            return rc;
    }
    return lookback_check(rule, r, eb);
}

int stom_surge_config_check(const stom_surge_config *cfg, stom_errbuf *eb)
{
    if (cfg->nrules < 1 || cfg->nrules > STOM_SURGE_MAX_RULES)
        return stom_errorf(eb, STOM_EINVAL, "rules: %zu rules, want 1..%d", cfg->nrules,
                           STOM_SURGE_MAX_RULES);
    for (size_t r = 0; r < cfg->nrules; r++) {
        int rc = rule_check(cfg, r, eb);
        if (rc != STOM_OK)
            return rc;
    }
    return STOM_OK;
}
