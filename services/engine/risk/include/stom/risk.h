/*
 * stom/risk.h - the live engine's risk manager: limits per account and per
 * strategy, checked before every order, and kill switches.
 *
 * Rules (docs/risk.md has each rule, its configuration key and its effect):
 * STOM's session rules (max concurrent positions, capital per trade, daily
 * loss and profit stops in basis points of capital, strategy end time with
 * optional liquidation), a drawdown kill switch, and pre-trade checks (KRX
 * tick grid and +-30% band, max order value, max position value, orders per
 * second in a sliding 1 s window, fat-finger distance from the last price).
 *
 * Invariants:
 * - Money is integer won (price units of the instrument); ratios are basis
 *   points. No floating point anywhere.
 * - STOM_RISK_UNSET in a limit means "no limit". A strategy's limit narrows
 *   its account's: the effective limit is the tighter of the two, and the
 *   account's own limit is also applied to the account's totals.
 * - Order limits block when the value is *over* the limit (at the limit is
 *   allowed); stops (daily loss, daily profit, drawdown) fire when the value
 *   *reaches* the limit.
 * - A halt (kill switch, daily stop, drawdown, operator) lasts until a trader
 *   resumes it; a new KST trading day resets daily figures, never a halt.
 * - The library has no clock: every call that depends on time takes `now` in
 *   UTC nanoseconds; the KRX trading day of the latest `now` (in KST; a weekend
 *   or holiday counts as the next trading day) decides the day.
 *
 * Ownership: a stom_risk owns its configuration and state; strings passed in
 * are borrowed (copied when kept).
 * Thread-safety: a stom_risk belongs to one thread (the engine's loop); the
 * functions are not reentrant from the event callback.
 */
#ifndef STOM_RISK_H
#define STOM_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/instrument.h"
#include "stom/v1/engine.pb-c.h"

#define STOM_RISK_UNSET      INT64_C(-1)
#define STOM_RISK_NAME_MAX   64   /* account and strategy names, NUL included */
#define STOM_RISK_RATE_MAX   1000 /* highest max_orders_per_second */
#define STOM_RISK_MAX_SCOPES 256  /* accounts, and strategies per account */

typedef Stom__V1__RiskKind stom_risk_kind;
typedef Stom__V1__RiskAction stom_risk_action;

/* Limits of one account or strategy; every field STOM_RISK_UNSET or a positive value. */
typedef struct stom_risk_limits {
    int64_t capital;            /* won: base of the percentage rules (account: required by them) */
    int64_t max_positions;      /* 최대매수종목수: symbols held at once */
    int64_t capital_per_trade;  /* 투자금: won of one entry order */
    int64_t daily_loss_stop_bp; /* 손실중지: today's loss, bp of capital, halts */
    int64_t daily_profit_stop_bp; /* 수익중지: today's profit, bp of capital, halts */
    int64_t end_time_s;       /* 전략종료시간: KST seconds after midnight; no entries after */
    int64_t liquidate_at_end; /* 잔고청산: 1 liquidate at the end time, 0 not, or unset */
    int64_t max_drawdown_bp;  /* equity below its peak, bp of the peak, halts */
    int64_t max_order_value;  /* won of any one order */
    int64_t max_position_value;    /* won held in one symbol after an entry */
    int64_t max_orders_per_second; /* orders in any 1 s window */
    int64_t fat_finger_bp;         /* limit price's distance from the last price, bp */
} stom_risk_limits;

/* Sets every limit of *l to STOM_RISK_UNSET. */
void stom_risk_limits_init(stom_risk_limits *l);

/* An order about to be sent. Strings and the instrument are borrowed. */
typedef struct stom_risk_order {
    const char *account;
    const char *strategy; /* instance id; NULL for an order outside any strategy */
    const stom_instrument *inst;
    int side;            /* +1 buy, -1 sell */
    int64_t qty;         /* quantity units, > 0 */
    int64_t limit_price; /* price units; 0 = market order */
    int64_t last_price;  /* last trade, price units; 0 = unknown */
    int64_t ref_price;   /* KRX reference price (previous close) for the band; 0 = unknown */
    bool liquidation;    /* an exit ordered by the engine or a trader (end time, kill switch) */
    int64_t now_ns;      /* UTC nanoseconds */
} stom_risk_order;

/* The answer of a check, or an event raised by an update. */
typedef struct stom_risk_verdict {
    bool allowed;
    stom_risk_kind kind;
    stom_risk_action action; /* BLOCK_ORDER, HALT_STRATEGY or HALT_TRADING */
    const char *rule;        /* static: the configuration key ("max_order_value") */
    int64_t limit, value;    /* in the rule's unit (won, bp, count, seconds) */
    bool liquidate;          /* end time passed and the strategy is to be liquidated */
    char account[STOM_RISK_NAME_MAX];
    char strategy[STOM_RISK_NAME_MAX]; /* "" for account-wide */
    char symbol[STOM_SYMBOL_MAX];      /* the order's symbol; "" for halts */
    char message[320];                 /* names the rule, the limit and the value */
} stom_risk_verdict;

typedef struct stom_risk stom_risk;

/* Called for every halt an update or an operator raises. Must not call into r. */
typedef void (*stom_risk_event_fn)(void *arg, const stom_risk_verdict *ev);

/* Creates a risk manager with no accounts (every order is blocked until one is set). */
int stom_risk_create(stom_risk **out);
/* Releases r. NULL is a no-op. */
void stom_risk_destroy(stom_risk *r);
/* Registers the callback for halts (fn may be NULL). arg is borrowed. */
void stom_risk_on_event(stom_risk *r, stom_risk_event_fn fn, void *arg);

/*
 * Sets the limits of account (strategy NULL) or of one of its strategies,
 * keeping their state. An account must be set before its strategies.
 * Returns 0, STOM_EINVAL (bad limit or name, message in eb), STOM_ENOTFOUND
 * (strategy of an unknown account) or STOM_ETOOBIG (too many scopes).
 */
int stom_risk_set_limits(stom_risk *r, const char *account, const char *strategy,
                         const stom_risk_limits *l, stom_errbuf *eb);

/*
 * Replaces the whole configuration with the JSON object text[0..len)
 * ({"accounts": {"A": {..., "strategies": {"S": {...}}}}}, docs/risk.md).
 * Validated completely before anything changes; an error names the field
 * and the value ("risk.accounts.A.max_order_value: must be a positive
 * amount of won, not -5"). Accounts left out lose their limits (their
 * orders are blocked); state (positions, P&L, halts) is kept. 0 or
 * STOM_EFORMAT / STOM_EINVAL / STOM_ETOOBIG. Borrows text.
 */
int stom_risk_load_json(stom_risk *r, const char *text, size_t len, stom_errbuf *eb);

/*
 * Checks order o against every rule, first breach wins. An allowed order is
 * counted in the orders-per-second windows (so call once per order sent).
 * An allowed entry (an order that opens or adds to a position) is reserved
 * as working quantity until fills or stom_risk_release take it off, so that
 * orders in flight count toward max_positions and max_position_value.
 * Fills *v; returns v->allowed. Liquidations (o->liquidation) are checked
 * only against the tick grid and the price band: they are the way out of a
 * halt or an end time, and are not counted in the rate.
 */
bool stom_risk_check(stom_risk *r, const stom_risk_order *o, stom_risk_verdict *v);

/* A fill of an order (qty > 0 units at price; fees = commission + tax, won). */
typedef struct stom_risk_fill {
    const char *account;
    const char *strategy; /* NULL: outside any strategy */
    const stom_instrument *inst;
    int side;
    int64_t qty, price, fees;
    int64_t now_ns;
} stom_risk_fill;

/*
 * Books a fill into the account's and the strategy's positions and P&L,
 * then evaluates the daily stops and the drawdown switch (halts go to the
 * event callback). 0, STOM_ENOTFOUND (unknown account), STOM_EINVAL, or
 * STOM_ERANGE when a value overflows.
 */
int stom_risk_fill_apply(stom_risk *r, const stom_risk_fill *f);

/*
 * An order the check allowed will not fill for qty more units (cancelled,
 * rejected, expired, or never sent): releases that much of its working
 * quantity. 0, STOM_ENOTFOUND or STOM_EINVAL.
 */
int stom_risk_release(stom_risk *r, const char *account, const char *strategy, const char *symbol,
                      int side, int64_t qty);

/* Marks every position in symbol at price and evaluates the stops as above. */
void stom_risk_mark(stom_risk *r, const char *symbol, int64_t price, int64_t now_ns);

/* Updates an account's capital (e.g. the broker's deposit). 0 or STOM_ENOTFOUND / STOM_EINVAL. */
int stom_risk_set_capital(stom_risk *r, const char *account, int64_t capital);

/*
 * True when the strategy's end time has passed at now (KST); *liquidate
 * tells whether its positions are to be liquidated. The engine asks on
 * its timer so that it liquidates without waiting for an order.
 */
bool stom_risk_end_due(stom_risk *r, const char *account, const char *strategy, int64_t now_ns,
                       bool *liquidate);

/* Figures of one scope (strategy NULL: the account), for status and tests. */
typedef struct stom_risk_figures {
    int64_t positions;   /* symbols held or with working entries */
    int64_t pnl_today;   /* realised + unrealised since the day began, won */
    int64_t pnl_total;   /* realised + unrealised since the state began, won */
    int64_t equity_peak; /* won */
    int32_t day;         /* KST YYYYMMDD of the figures */
} stom_risk_figures;

/*
 * Fills the protobuf event ev (initialised here) from v for publishing on
 * eng.risk: kind, action, rule, account, symbol, instance id (the strategy),
 * limit, value, message, ts_ns = now_ns, and client_order_id when not NULL.
 * ev's strings point into v and client_order_id: both must outlive ev.
 */
void stom_risk_event_init(Stom__V1__RiskEvent *ev, const stom_risk_verdict *v,
                          const char *client_order_id, int64_t now_ns);

/* Fills *out. 0 or STOM_ENOTFOUND. */
int stom_risk_figures_get(stom_risk *r, const char *account, const char *strategy,
                          stom_risk_figures *out);

/*
 * Kill switch. Halts a strategy (strategy != NULL), an account (strategy
 * NULL) or, with account NULL, all trading; raises the event with the
 * operator's reason. 0 or STOM_ENOTFOUND.
 */
int stom_risk_halt(stom_risk *r, const char *account, const char *strategy, const char *reason,
                   int64_t now_ns);

/*
 * A trader resumes what stom_risk_halt or a rule halted (same scoping).
 * trader must be non-empty. It also disarms the scope's daily stops until
 * the next trading day and restarts the drawdown peak at today's equity,
 * so the breach that halted it does not halt it again at the next mark.
 * 0, STOM_EINVAL or STOM_ENOTFOUND.
 */
int stom_risk_resume(stom_risk *r, const char *account, const char *strategy, const char *trader,
                     int64_t now_ns);

/*
 * True when the scope is halted (by itself, its account or halt-all); the
 * reason goes to reason[0..len) when not NULL.
 */
bool stom_risk_halted(stom_risk *r, const char *account, const char *strategy, char *reason,
                      size_t len);

#endif
