/*
 * risk.c - the risk manager object: accounts and their strategy scopes,
 * setting limits, and the text helpers the messages share.
 *
 * Scopes are found by name with a linear search: an engine runs a handful of
 * accounts and strategies (at most STOM_RISK_MAX_SCOPES each), and a check
 * touches two of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk_internal.h"
#include "risk_limits.h"
#include "stom/alloc.h"
#include "stom/fixed.h"

void stom_risk_limits_init(stom_risk_limits *l)
{
    for (size_t i = 0; i < stom__risk_nfields; i++)
        *stom__risk_field_ptr(l, &stom__risk_fields[i]) = STOM_RISK_UNSET;
}

int stom_risk_create(stom_risk **out)
{
    stom_risk *r = stom_xcalloc(1, sizeof *r);
    *out = r;
    return STOM_OK;
}

static void scope_free(stom__risk_scope *s)
{
    free(s->pos);
}

void stom_risk_destroy(stom_risk *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->naccounts; i++) {
        stom__risk_account *a = r->accounts[i];
        for (size_t j = 0; j < a->nstrategies; j++) {
            scope_free(a->strategies[j]);
            free(a->strategies[j]);
        }
        free(a->strategies);
        scope_free(&a->s);
        free(a);
    }
    free(r->accounts);
    free(r);
}

void stom_risk_on_event(stom_risk *r, stom_risk_event_fn fn, void *arg)
{
    r->event_fn = fn;
    r->event_arg = arg;
}

stom__risk_account *stom__risk_account_find(stom_risk *r, const char *name)
{
    for (size_t i = 0; name && i < r->naccounts; i++)
        if (strcmp(r->accounts[i]->s.name, name) == 0)
            return r->accounts[i];
    return NULL;
}

stom__risk_scope *stom__risk_strategy_find(stom__risk_account *a, const char *name)
{
    for (size_t i = 0; name && i < a->nstrategies; i++)
        if (strcmp(a->strategies[i]->name, name) == 0)
            return a->strategies[i];
    return NULL;
}

static void scope_init(stom__risk_scope *s, const char *name)
{
    snprintf(s->name, sizeof s->name, "%s", name);
    stom_risk_limits_init(&s->limits);
}

stom__risk_scope *stom__risk_strategy_get(stom__risk_account *a, const char *name)
{
    stom__risk_scope *s = stom__risk_strategy_find(a, name);
    if (s || a->nstrategies >= STOM_RISK_MAX_SCOPES || strlen(name) >= STOM_RISK_NAME_MAX)
        return s;
    s = stom_xcalloc(1, sizeof *s);
    scope_init(s, name);
    s->configured = true;
    a->strategies = stom_xrealloc(a->strategies, (a->nstrategies + 1) * sizeof *a->strategies);
    a->strategies[a->nstrategies++] = s;
    return s;
}

stom__risk_account *stom__risk_account_add(stom_risk *r, const char *name)
{
    stom__risk_account *a = stom_xcalloc(1, sizeof *a);
    scope_init(&a->s, name);
    r->accounts = stom_xrealloc(r->accounts, (r->naccounts + 1) * sizeof *r->accounts);
    r->accounts[r->naccounts++] = a;
    return a;
}

static int name_check(const char *name, const char *what, stom_errbuf *eb)
{
    if (!name || !*name || strlen(name) >= STOM_RISK_NAME_MAX)
        return stom_errorf(eb, STOM_EINVAL, "risk: %s name must be 1 to %d bytes", what,
                           STOM_RISK_NAME_MAX - 1);
    return STOM_OK;
}

int stom_risk_set_limits(stom_risk *r, const char *account, const char *strategy,
                         const stom_risk_limits *l, stom_errbuf *eb)
{
    char prefix[160];
    int rc = name_check(account, "account", eb);
    if (rc == 0 && strategy)
        rc = name_check(strategy, "strategy", eb);
    if (rc)
        return rc;
    stom__risk_account *a = stom__risk_account_find(r, account);
    if (strategy)
        snprintf(prefix, sizeof prefix, "risk.accounts.%s.strategies.%s", account, strategy);
    else
        snprintf(prefix, sizeof prefix, "risk.accounts.%s", account);
    if ((rc = stom__risk_limits_validate(l, prefix, eb)) != 0)
        return rc;
    int64_t account_capital = strategy && a ? a->s.limits.capital : STOM_RISK_UNSET;
    if ((rc = stom__risk_capital_check(l, account_capital, prefix, eb)) != 0)
        return rc;
    if (strategy && !a)
        return stom_errorf(eb, STOM_ENOTFOUND, "%s: account %s is not configured", prefix, account);
    if (!a && r->naccounts >= STOM_RISK_MAX_SCOPES)
        return stom_errorf(eb, STOM_ETOOBIG, "%s: over %d accounts", prefix, STOM_RISK_MAX_SCOPES);
    if (!a)
        a = stom__risk_account_add(r, account);
    stom__risk_scope *s = strategy ? stom__risk_strategy_get(a, strategy) : &a->s;
    if (!s)
        return stom_errorf(eb, STOM_ETOOBIG, "%s: over %d strategies", prefix,
                           STOM_RISK_MAX_SCOPES);
    s->limits = *l;
    s->configured = true;
    return STOM_OK;
}

int stom_risk_set_capital(stom_risk *r, const char *account, int64_t capital)
{
    stom__risk_account *a = stom__risk_account_find(r, account);
    if (!a)
        return STOM_ENOTFOUND;
    if (capital <= 0)
        return STOM_EINVAL;
    a->s.limits.capital = capital;
    return STOM_OK;
}

const char *stom__risk_won(int64_t v, char *buf, size_t len)
{
    stom_fixed_format(v, 0, true, buf, len);
    return buf;
}

const char *stom__risk_pct(int64_t bp, char *buf, size_t len)
{
    /* bp / 100 with two decimals: 325 bp is "3.25%". */
    size_t n = stom_fixed_format(bp, 2, true, buf, len);
    if (n + 1 < len) {
        buf[n] = '%';
        buf[n + 1] = '\0';
    }
    return buf;
}

const char *stom__risk_scope_name(const stom__risk_account *a, const stom__risk_scope *st,
                                  char *buf, size_t len)
{
    if (st)
        snprintf(buf, len, "strategy %s (account %s)", st->name, a->s.name);
    else
        snprintf(buf, len, "account %s", a->s.name);
    return buf;
}
