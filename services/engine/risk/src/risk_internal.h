/*
 * risk_internal.h - what the risk manager's files share: the scopes
 * (account or strategy), their positions and windows, and the object.
 *
 * A scope's equity is capital + realised + unrealised; pnl_today is that
 * sum minus its value when the KST day began, so a new day needs no walk
 * over positions. An account's positions are the sum of its strategies'
 * (every fill is booked in both).
 *
 * Thread-safety: as stom_risk.
 */
#ifndef STOM_RISK_INTERNAL_H
#define STOM_RISK_INTERNAL_H

#include "stom/risk.h"

typedef struct stom__risk_position {
    char symbol[STOM_SYMBOL_MAX];
    int qty_decimals;
    int64_t qty;     /* signed quantity units */
    int64_t cost;    /* won paid for qty (signed like qty) */
    int64_t mark;    /* last price, price units */
    int64_t working; /* signed quantity of allowed entries not yet filled or released */
} stom__risk_position;

typedef struct stom__risk_scope {
    char name[STOM_RISK_NAME_MAX];
    stom_risk_limits limits;
    bool configured; /* false: an account left out of the configuration */
    stom__risk_position *pos;
    size_t npos, cappos;
    int64_t realised;                 /* since the state began, fees deducted */
    int64_t unrealised;               /* sum over positions of mark value - cost */
    int64_t pnl_day_start;            /* realised + unrealised when the day began */
    int64_t peak;                     /* highest equity seen, won (0: none yet) */
    bool stops_disarmed;              /* a trader resumed today: daily stops off until tomorrow */
    int64_t rate[STOM_RISK_RATE_MAX]; /* ring of allowed orders' now_ns */
    size_t rate_head, rate_n;
    bool halted;
    stom_risk_kind halt_kind;
    char halt_reason[320];
} stom__risk_scope;

typedef struct stom__risk_account {
    stom__risk_scope s;
    stom__risk_scope **strategies;
    size_t nstrategies;
} stom__risk_account;

struct stom_risk {
    stom__risk_account **accounts;
    size_t naccounts;
    int32_t day; /* KST YYYYMMDD of the latest now; 0 before the first */
    bool halted_all;
    char halt_all_reason[320];
    stom_risk_event_fn event_fn;
    void *event_arg;
};

/* Finds an account / a strategy of it; NULL when absent. */
stom__risk_account *stom__risk_account_find(stom_risk *r, const char *name);
stom__risk_scope *stom__risk_strategy_find(stom__risk_account *a, const char *name);
/* Finds or creates the strategy scope (unconfigured strategies trade on the account's limits). */
stom__risk_scope *stom__risk_strategy_get(stom__risk_account *a, const char *name);
/* Creates an account scope. */
stom__risk_account *stom__risk_account_add(stom_risk *r, const char *name);

/* Rolls daily figures when now falls on a new KST day. */
void stom__risk_roll_day(stom_risk *r, int64_t now_ns);
/* The position of scope s in symbol, or NULL. */
const stom__risk_position *stom__risk_position_find(const stom__risk_scope *s, const char *symbol);
/* Reserves an allowed entry of side * qty in inst's symbol as working quantity of s. */
void stom__risk_reserve(stom__risk_scope *s, const stom_instrument *inst, int side, int64_t qty);
/* Won value of qty units at price (price * qty / 10^qty_decimals). 0 or STOM_ERANGE. */
int stom__risk_value(int64_t price, int64_t qty, int qty_decimals, int64_t *out);
/* Equity and today's P&L of a scope over capital (capital unset: 0). */
int64_t stom__risk_equity(const stom__risk_scope *s, int64_t capital);
int64_t stom__risk_pnl_today(const stom__risk_scope *s);
/* The capital the percentage rules of strategy scope st (or the account when st NULL) use. */
int64_t stom__risk_capital(const stom__risk_account *a, const stom__risk_scope *st);

/* Evaluates daily stops and drawdown of a and its strategies; halts raise events. */
void stom__risk_evaluate(stom_risk *r, stom__risk_account *a);
/* Halts scope s (of account a; s == &a->s for the account) and raises the event v. */
void stom__risk_halt_scope(stom_risk *r, stom__risk_scope *s, stom_risk_verdict *v);

/*
 * The effective end time and liquidation of strategy st (NULL: the account
 * alone): the earlier end time; the strategy's liquidate_at_end, else the
 * account's.
 */
void stom__risk_end_time(const stom__risk_account *a, const stom__risk_scope *st, int64_t *end,
                         int64_t *liquidate);
/* The tighter of a strategy's and its account's limit (UNSET when both are). */
int64_t stom__risk_narrow(int64_t strategy_limit, int64_t account_limit);

/* "12,500,000" into buf. Returns buf. */
const char *stom__risk_won(int64_t v, char *buf, size_t len);
/* "3.25%" for bp into buf. Returns buf. */
const char *stom__risk_pct(int64_t bp, char *buf, size_t len);
/* "account A" or "strategy S (account A)" into buf. Returns buf. */
const char *stom__risk_scope_name(const stom__risk_account *a, const stom__risk_scope *st,
                                  char *buf, size_t len);
/* Validates one set of limits; the error names prefix.<field>. */
int stom__risk_limits_validate(const stom_risk_limits *l, const char *prefix, stom_errbuf *eb);

#endif
