/*
 * risk_json.c - the risk configuration as JSON, as the gateway stores it and
 * the CLI edits it:
 *
 *   {"accounts": {"A": {"capital": 100000000, "max_order_value": 10000000,
 *                       "end_time": "15:10", "liquidate_at_end": true, ...,
 *                       "strategies": {"S": {"max_order_value": 5000000}}}}}
 *
 * A key left out or null is "no limit"; unknown keys are refused (a typo
 * must not silently drop a limit). The whole document is loaded into a
 * scratch stom_risk first (which validates every value with the same words
 * as stom_risk_set_limits) and only then copied onto the live one.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "risk_internal.h"
#include "risk_limits.h"

#define JSON_MAX_BYTES (1 << 20)

/* "HH:MM" or "HH:MM:SS" into seconds after midnight; -1 when malformed. */
static int64_t parse_time(const char *s)
{
    int h, m, sec = 0, n = 0;
    size_t len = strlen(s);
    if (len == 5 && sscanf(s, "%2d:%2d%n", &h, &m, &n) == 2 && n == 5)
        ;
    else if (len == 8 && sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) == 3 && n == 8)
        ;
    else
        return -1;
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return -1;
    return h * 3600 + m * 60 + sec;
}

/* A JSON value as text for an error message ("-5", "\"ten\"", "true"). */
static void show(const json_t *v, char *buf, size_t len)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, len, "%.60s", s ? s : "?");
    free(s);
}

static int field_value(const stom__risk_field *f, const json_t *v, int64_t *out)
{
    if (json_is_null(v)) {
        *out = STOM_RISK_UNSET;
        return STOM_OK;
    }
    if (f->unit == STOM__RISK_BOOL && json_is_boolean(v)) {
        *out = json_is_true(v) ? 1 : 0;
        return STOM_OK;
    }
    if (f->unit == STOM__RISK_TIME && json_is_string(v)) {
        *out = parse_time(json_string_value(v));
        return *out < 0 ? STOM_EINVAL : STOM_OK;
    }
    /* Won, counts and basis points are JSON integers: 1.5 won or 2.5 bp is not a limit. */
    if (f->unit != STOM__RISK_BOOL && f->unit != STOM__RISK_TIME && json_is_integer(v) &&
        json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return STOM_OK;
    }
    return STOM_EINVAL;
}

static int limits_from(const json_t *obj, const char *prefix, bool account, stom_risk_limits *l,
                       stom_errbuf *eb)
{
    const char *key;
    json_t *v;
    char shown[64];
    stom_risk_limits_init(l);
    if (!json_is_object(obj))
        return stom_errorf(eb, STOM_EFORMAT, "%s: must be an object", prefix);
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i = 0;
        if (account && strcmp(key, "strategies") == 0)
            continue;
        while (i < stom__risk_nfields && strcmp(stom__risk_fields[i].key, key) != 0)
            i++;
        if (i == stom__risk_nfields)
            return stom_errorf(eb, STOM_EINVAL, "%s.%s: unknown key", prefix, key);
        const stom__risk_field *f = &stom__risk_fields[i];
        int64_t value;
        show(v, shown, sizeof shown);
        if (field_value(f, v, &value))
            return stom_errorf(eb, STOM_EINVAL, "%s.%s: %s, not %s", prefix, key,
                               stom__risk_field_expect(f), shown);
        int rc = stom__risk_field_check(f, value, prefix, eb);
        if (rc)
            return rc;
        *stom__risk_field_ptr(l, f) = value;
    }
    return STOM_OK;
}

static int load_account(stom_risk *scratch, const char *name, const json_t *obj, stom_errbuf *eb)
{
    char prefix[160], sprefix[240];
    stom_risk_limits l;
    const char *sname;
    json_t *sobj;
    snprintf(prefix, sizeof prefix, "risk.accounts.%s", name);
    int rc = limits_from(obj, prefix, true, &l, eb);
    if (rc == 0)
        rc = stom_risk_set_limits(scratch, name, NULL, &l, eb);
    if (rc)
        return rc;
    json_t *strategies = json_object_get(obj, "strategies");
    if (strategies && !json_is_object(strategies))
        return stom_errorf(eb, STOM_EFORMAT, "%s.strategies: must be an object", prefix);
    json_object_foreach(strategies, sname, sobj)
    {
        snprintf(sprefix, sizeof sprefix, "%s.strategies.%s", prefix, sname);
        if ((rc = limits_from(sobj, sprefix, false, &l, eb)) != 0 ||
            (rc = stom_risk_set_limits(scratch, name, sname, &l, eb)) != 0)
            return rc;
    }
    return STOM_OK;
}

static int load_document(stom_risk *scratch, const json_t *root, stom_errbuf *eb)
{
    const char *key, *name;
    json_t *v, *obj;
    if (!json_is_object(root))
        return stom_errorf(eb, STOM_EFORMAT, "risk: must be an object");
    json_object_foreach((json_t *)root, key, v)
    {
        if (strcmp(key, "accounts") != 0)
            return stom_errorf(eb, STOM_EINVAL, "risk.%s: unknown key", key);
    }
    json_t *accounts = json_object_get(root, "accounts");
    if (!json_is_object(accounts))
        return stom_errorf(eb, STOM_EFORMAT, "risk.accounts: must be an object");
    json_object_foreach(accounts, name, obj)
    {
        int rc = load_account(scratch, name, obj, eb);
        if (rc)
            return rc;
    }
    return STOM_OK;
}

/* Copies the scratch configuration onto r: limits replaced, state kept. */
static void apply(stom_risk *r, stom_risk *scratch)
{
    for (size_t i = 0; i < r->naccounts; i++) {
        stom__risk_account *a = r->accounts[i];
        a->s.configured = false;
        stom_risk_limits_init(&a->s.limits);
        for (size_t j = 0; j < a->nstrategies; j++)
            stom_risk_limits_init(&a->strategies[j]->limits);
    }
    for (size_t i = 0; i < scratch->naccounts; i++) {
        stom__risk_account *from = scratch->accounts[i];
        /* Validated already: these calls cannot fail. */
        stom_risk_set_limits(r, from->s.name, NULL, &from->s.limits, NULL);
        for (size_t j = 0; j < from->nstrategies; j++)
            stom_risk_set_limits(r, from->s.name, from->strategies[j]->name,
                                 &from->strategies[j]->limits, NULL);
    }
}

int stom_risk_load_json(stom_risk *r, const char *text, size_t len, stom_errbuf *eb)
{
    json_error_t err;
    stom_risk *scratch = NULL;
    if (len > JSON_MAX_BYTES)
        return stom_errorf(eb, STOM_ETOOBIG, "risk: configuration over %d bytes", JSON_MAX_BYTES);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return stom_errorf(eb, STOM_EFORMAT, "risk: line %d: %s", err.line, err.text);
    stom_risk_create(&scratch);
    int rc = load_document(scratch, root, eb);
    if (rc == 0)
        apply(r, scratch);
    stom_risk_destroy(scratch);
    json_decref(root);
    return rc;
}
