/*
 * surge_json.c - the detector's configuration from JSON (see docs/surge.md).
 *
 * Maps the document onto stom_surge_config: known keys only, integers where
 * numbers are expected (basis points and won are whole), then hands the
 * result to stom_surge_config_check for the ranges. Messages name the field
 * by its path and quote the value, e.g. `rules[0].window_ms: "60s" is not an
 * integer`.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/surge.h"

#define PATH_MAX_LEN 64

/*
 * Writes a field's path into buf, cut to fit (paths here are short: at most
 * "rules[63].all[7].metric"); a function so that the truncation is deliberate.
 */
__attribute__((format(printf, 3, 4))) static void path_printf(char *buf, size_t len,
                                                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* Returns err after writing "path: <value> what" into eb. */
static int field_error(stom_errbuf *eb, int err, const char *path, const json_t *v,
                       const char *what)
{
    char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    int rc = stom_errorf(eb, err, "%s: %.60s%s%s", path, text ? text : "", text ? " " : "", what);
    free(text);
    return rc;
}

/* Refuses keys of obj that are not in the NULL-terminated list `known`. */
static int keys_check(const json_t *obj, const char *prefix, const char *const *known,
                      stom_errbuf *eb)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (known[i] == NULL) {
            char path[PATH_MAX_LEN * 2];
            path_printf(path, sizeof path, "%s%s%.60s", prefix, *prefix ? "." : "", key);
            return field_error(eb, STOM_EFORMAT, path, NULL, "is not a known key");
        }
    }
    return STOM_OK;
}

/* Reads obj[key] as an integer into *out when present; *present says whether it was. */
static int int_field(const json_t *obj, const char *prefix, const char *key, int64_t *out,
                     bool *present, stom_errbuf *eb)
{
    json_t *v = json_object_get(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return STOM_OK;
    char path[PATH_MAX_LEN];
    path_printf(path, sizeof path, "%s.%s", prefix, key);
    if (!json_is_integer(v))
        return field_error(eb, STOM_EFORMAT, path, v, "is not an integer");
    *out = (int64_t)json_integer_value(v);
    return STOM_OK;
}

static int cond_parse(const json_t *obj, const char *prefix, stom_surge_cond *c, stom_errbuf *eb)
{
    static const char *const known[] = {"metric", "min", "max", NULL};
    if (!json_is_object(obj))
        return field_error(eb, STOM_EFORMAT, prefix, obj, "is not an object");
    int rc = keys_check(obj, prefix, known, eb);
    if (rc != STOM_OK)
        return rc;
    char path[PATH_MAX_LEN];
    path_printf(path, sizeof path, "%s.metric", prefix);
    json_t *m = json_object_get(obj, "metric");
    int index = -1;
    for (int i = 0; i < STOM_SURGE_METRIC_COUNT && json_is_string(m); i++)
        if (strcmp(stom_surge_metric_name((stom_surge_metric)i), json_string_value(m)) == 0)
            index = i;
    if (index < 0)
        return field_error(eb, STOM_EFORMAT, path, m, m ? "is not a metric" : "is missing");
    c->metric = (stom_surge_metric)index;
    rc = int_field(obj, prefix, "min", &c->min, &c->has_min, eb);
    if (rc == STOM_OK)
        rc = int_field(obj, prefix, "max", &c->max, &c->has_max, eb);
    return rc;
}

/* Parses "HH:MM" or "HH:MM:SS" (up to 24:00) into seconds of the day. */
static int clock_parse(const json_t *v, const char *path, int32_t *out, stom_errbuf *eb)
{
    int h = -1, m = -1, s = 0, used = 0;
    const char *text = json_string_value(v);
    if (text == NULL ||
        (sscanf(text, "%2d:%2d%n:%2d%n", &h, &m, &used, &s, &used) < 2 || text[used] != '\0') ||
        h < 0 || m < 0 || m > 59 || s < 0 || s > 59 || h * 3600 + m * 60 + s > 86400)
        return field_error(eb, STOM_EFORMAT, path, v,
                           v ? "is not a time \"HH:MM[:SS]\" (KST)" : "is missing");
    *out = h * 3600 + m * 60 + s;
    return STOM_OK;
}

static int session_parse(const json_t *obj, const char *prefix, stom_surge_rule *rule,
                         stom_errbuf *eb)
{
    static const char *const known[] = {"start", "end", NULL};
    char path[PATH_MAX_LEN];
    path_printf(path, sizeof path, "%s.session", prefix);
    if (!json_is_object(obj))
        return field_error(eb, STOM_EFORMAT, path, obj, "is not an object");
    int rc = keys_check(obj, path, known, eb);
    if (rc != STOM_OK)
        return rc;
    char field[PATH_MAX_LEN + 8];
    path_printf(field, sizeof field, "%s.start", path);
    rc = clock_parse(json_object_get(obj, "start"), field, &rule->session_start_s, eb);
    if (rc != STOM_OK)
        return rc;
    path_printf(field, sizeof field, "%s.end", path);
    rule->has_session = true;
    return clock_parse(json_object_get(obj, "end"), field, &rule->session_end_s, eb);
}

static int conds_parse(const json_t *all, const char *prefix, stom_surge_rule *rule,
                       stom_errbuf *eb)
{
    char path[PATH_MAX_LEN];
    path_printf(path, sizeof path, "%s.all", prefix);
    if (!json_is_array(all) || json_array_size(all) < 1 ||
        json_array_size(all) > STOM_SURGE_MAX_CONDS)
        return field_error(eb, STOM_EFORMAT, path, all,
                           all ? "is not an array of 1 to 8 conditions" : "is missing");
    rule->ncond = json_array_size(all);
    for (size_t i = 0; i < rule->ncond; i++) {
        char item[PATH_MAX_LEN];
        path_printf(item, sizeof item, "%s[%zu]", path, i);
        int rc = cond_parse(json_array_get(all, i), item, &rule->cond[i], eb);
        if (rc != STOM_OK)
            return rc;
    }
    return STOM_OK;
}

/* The kind a rule reports when it names none: from its first condition's metric. */
static stom_surge_kind default_kind(stom_surge_metric m)
{
    if (m == STOM_SURGE_WINDOW_VALUE || m == STOM_SURGE_VALUE_RATIO_BP)
        return STOM_SURGE_KIND_VALUE;
    if (m == STOM_SURGE_WINDOW_VOLUME || m == STOM_SURGE_VOLUME_RATIO_BP)
        return STOM_SURGE_KIND_VOLUME;
    return STOM_SURGE_KIND_PRICE;
}

static int name_kind_parse(const json_t *obj, const char *prefix, stom_surge_rule *rule,
                           stom_errbuf *eb)
{
    char path[PATH_MAX_LEN];
    json_t *name = json_object_get(obj, "name");
    path_printf(path, sizeof path, "%s.name", prefix);
    if (!json_is_string(name) || json_string_length(name) >= STOM_SURGE_NAME_MAX ||
        memchr(json_string_value(name), '\0', json_string_length(name)))
        return field_error(eb, STOM_EFORMAT, path, name,
                           name ? "is not a string of 1..63 bytes" : "is missing");
    memcpy(rule->name, json_string_value(name), json_string_length(name) + 1);
    json_t *kind = json_object_get(obj, "kind");
    rule->kind = default_kind(rule->cond[0].metric);
    if (kind == NULL)
        return STOM_OK;
    path_printf(path, sizeof path, "%s.kind", prefix);
    int k = STOM_SURGE_KIND_PRICE;
    while (json_is_string(kind) && stom_surge_kind_name((stom_surge_kind)k) &&
           strcmp(stom_surge_kind_name((stom_surge_kind)k), json_string_value(kind)) != 0)
        k++;
    if (!json_is_string(kind) || stom_surge_kind_name((stom_surge_kind)k) == NULL)
        return field_error(eb, STOM_EFORMAT, path, kind,
                           "is not one of price, value, strength, volume");
    rule->kind = (stom_surge_kind)k;
    return STOM_OK;
}

static int rule_parse(const json_t *obj, size_t r, stom_surge_rule *rule, stom_errbuf *eb)
{
    static const char *const known[] = {"name",     "kind",    "window_ms", "cooldown_ms",
                                        "lookback", "session", "all",       NULL};
    char prefix[PATH_MAX_LEN];
    path_printf(prefix, sizeof prefix, "rules[%zu]", r);
    if (!json_is_object(obj))
        return field_error(eb, STOM_EFORMAT, prefix, obj, "is not an object");
    int rc = keys_check(obj, prefix, known, eb);
    if (rc == STOM_OK)
        rc = conds_parse(json_object_get(obj, "all"), prefix, rule, eb);
    if (rc == STOM_OK)
        rc = name_kind_parse(obj, prefix, rule, eb);
    bool present;
    if (rc == STOM_OK)
        rc = int_field(obj, prefix, "window_ms", &rule->window_ms, &present, eb);
    if (rc == STOM_OK && !present)
        rc = stom_errorf(eb, STOM_EFORMAT, "%s.window_ms: is missing", prefix);
    rule->cooldown_ms = rule->window_ms; /* the default: one window */
    if (rc == STOM_OK)
        rc = int_field(obj, prefix, "cooldown_ms", &rule->cooldown_ms, &present, eb);
    int64_t lookback = 0;
    if (rc == STOM_OK)
        rc = int_field(obj, prefix, "lookback", &lookback, &present, eb);
    if (rc == STOM_OK && (lookback < 0 || lookback > STOM_SURGE_MAX_LOOKBACK))
        rc = stom_errorf(eb, STOM_EINVAL, "%s.lookback: %lld is not in 0..%d", prefix,
                         (long long)lookback, STOM_SURGE_MAX_LOOKBACK);
    rule->lookback = (int32_t)lookback;
    json_t *session = json_object_get(obj, "session");
    if (rc == STOM_OK && session)
        rc = session_parse(session, prefix, rule, eb);
    return rc;
}

int stom_surge_config_parse(const char *json, size_t len, stom_surge_config *cfg, stom_errbuf *eb)
{
    static const char *const known[] = {"rules", NULL};
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return stom_errorf(eb, STOM_EFORMAT, "line %d column %d: %s", jerr.line, jerr.column,
                           jerr.text);
    memset(cfg, 0, sizeof *cfg);
    int rc = json_is_object(root)
                 ? keys_check(root, "", known, eb)
                 : field_error(eb, STOM_EFORMAT, "(top)", NULL, "is not an object");
    json_t *rules = json_object_get(root, "rules");
    if (rc == STOM_OK && (!json_is_array(rules) || json_array_size(rules) < 1 ||
                          json_array_size(rules) > STOM_SURGE_MAX_RULES))
        rc = field_error(eb, STOM_EFORMAT, "rules", rules,
                         rules ? "is not an array of 1 to 64 rules" : "is missing");
    for (size_t r = 0; rc == STOM_OK && r < json_array_size(rules); r++)
        rc = rule_parse(json_array_get(rules, r), r, &cfg->rules[r], eb);
    if (rc == STOM_OK) {
        cfg->nrules = json_array_size(rules);
        rc = stom_surge_config_check(cfg, eb);
    }
    json_decref(root);
    return rc;
}
