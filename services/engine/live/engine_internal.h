/*
 * engine_internal.h - the engine's state and what its files share
 * (engine.c: process and loop; symbols.c: market data; instance.c:
 * strategy instances; instance_json.c: instances from JSON; orders.c: the order path; control.c:
 * rpc.engine; publish.c: eng.* events and their rows; restore.c: the start-up reconciliation;
 * schedule.c: scheduled jobs; record.c: record_bars jobs; backtest_submit.h: run_backtest jobs).
 *
 * Thread-safety: everything here belongs to the engine's thread; the two
 * receiving threads only push into the inbox.
 */
#ifndef STOM_ENGINE_INTERNAL_H
#define STOM_ENGINE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bar_builder.h"
#include "engine.h"
#include "inbox.h"
#include "oms.h"
#include "stom/broker_client.h"
#include "stom/bus_nng.h"
#include "stom/db_pipe.h"
#include "stom/lua_strategy.h"
#include "stom/risk.h"
#include "stom/schedule.h"
#include "stom/schedule_args.h"
#include "stom/store.h"
#include "stom/strategy.h"
#include "stom/surge.h"

#define ENG_MAX_SYMBOLS    256
#define ENG_MAX_INSTANCES  64
#define ENG_MAX_SLOTS      32   /* symbols of one instance */
#define ENG_MAX_ORDERS     1024 /* orders working at once */
#define ENG_MAX_CHANGED    256  /* positions changed, waiting for the broker's figures */
#define ENG_MAX_TICKETS    1100 /* broker requests travelling at once: places and a few more */
#define ENG_FILL_WAIT_MS   2000
#define ENG_ID_MAX         OMS_TEXT_MAX /* the journal's strategy column keeps the id */
#define ENG_MAX_RECORDINGS 16           /* record_bars jobs running at once */

typedef struct eng_recording eng_recording; /* record.c */
struct eng_backtests;                       /* backtest_submit.h */

typedef struct eng_symbol {
    char code[STOM_SYMBOL_MAX];
    stom_instrument inst;
    int64_t last_price;
    int64_t last_ns;
    int64_t open_price; /* the day's first trade */
    int64_t ref_price;  /* 기준가 from the broker, of ref_day (KST days since 1970) */
    int64_t ref_day;
} eng_symbol;

/* One symbol of one instance: its bars so far and the strategy's view. */
typedef struct eng_slot {
    int sym; /* index in engine.symbols */
    stom_bars bars;
    stom_strategy_ctx ctx;
    size_t next_bar;       /* the first bar the strategy has not seen yet */
    int market_pending;    /* its market orders not settled yet */
    int64_t waiting_since; /* monotonic ns since a bar waits for them; 0: none waits */
    bool in_bar; /* on_bar runs (an order it sends may settle at once), or a fill is asked for */
} eng_slot;

typedef struct eng_instance {
    char id[ENG_ID_MAX];
    int64_t user_id;
    char account[OMS_TEXT_MAX];
    char strategy_name[128];
    int64_t strategy_id; /* stored strategy, 0 for a built-in */
    int32_t strategy_version;
    stom_lua_strategy *lua; /* owned, NULL for a built-in */
    const stom_strategy_def *def;
    stom_params params;
    int64_t timeframe_s;
    char timeframe[8];
    bar_builder *builder;
    eng_slot slots[ENG_MAX_SLOTS];
    size_t n_slots;
    unsigned char *states; /* n_slots blocks of def->state_size */
    stom_errbuf eb;        /* a failing strategy's reason */
    Stom__V1__StrategyState state;
    char message[256];
    int64_t order_qty, order_amount; /* sizing of entries: fixed quantity, or won */
    int64_t realized_pnl;
    bool dirty; /* its row and status are behind (flushed by eng_flush_changes) */
    struct engine *engine;
} eng_instance;

/* An order the engine placed that is not final yet. */
typedef struct eng_order {
    oms_order o;
    eng_instance *owner; /* NULL for a manual order */
    int slot;
    bool in_use;
    char (*fill_ids)[OMS_ID_MAX]; /* owned: the fills recorded, to drop a fill reported again */
    size_t n_fill_ids;
} eng_order;

typedef enum eng_ticket_kind {
    ENG_TICKET_PLACE = 0, /* key: the client order id */
    ENG_TICKET_POSITIONS, /* key: the account */
    ENG_TICKET_BALANCES,  /* key: the account */
    ENG_TICKET_QUOTE      /* key: the symbol (its reference price) */
} eng_ticket_kind;

/* A broker request sent without waiting, until its answer is handled (broker_async.c). */
typedef struct eng_ticket {
    eng_ticket_kind kind;
    stom_broker_inflight *call;
    char key[OMS_ID_MAX];
    struct engine *engine;
    bool in_use;
} eng_ticket;

typedef struct engine {
    const eng_config *cfg;
    stom_db *db;        /* reads, and the start-up reconciliation */
    stom_db_pipe *pipe; /* every other write, the journal's included: never waited for */
    stom_broker_client *broker;
    stom_broker_feed *feed;
    stom_bus_server *srv;
    nng_socket pub;
    stom_bus_publisher *publisher; /* eng.* go out from its thread, off the loop */
    stom_bus_sender senders[5];    /* one sequence per eng.* topic */
    eng_inbox inbox;
    pthread_t feed_thread, control_thread;
    volatile int threads_stop;
    stom_risk *risk;
    stom_surge *surge;
    eng_symbol symbols[ENG_MAX_SYMBOLS];
    size_t n_symbols;
    eng_instance *instances[ENG_MAX_INSTANCES];
    size_t n_instances;
    eng_order orders[ENG_MAX_ORDERS];
    eng_ticket tickets[ENG_MAX_TICKETS];
    char accounts[16][OMS_TEXT_MAX]; /* accounts whose order events are subscribed */
    size_t n_accounts;
    bool broker_up;
    bool reconciled;      /* strategies may run */
    int halt_kind;        /* while set, halts raised are published with this RiskKind */
    bool restoring_halts; /* halts raised now come from risk_halts: not stored again */
    int64_t broker_checked_ns;
    int64_t reconcile_tried_ns; /* the last reconciliation the timer started */
    int64_t schedules_ns;       /* when the scheduler last looked for due jobs */
    uint64_t order_counter;
    /* Wall-clock ms at start, never the (simulated) engine clock: the prefix of this run's
     * client order ids, unique across restarts of an engine started at the same market time. */
    int64_t id_base_ms;
    int64_t mono_start_ns;
    int64_t market_ns; /* the latest trade's time */
    /* Positions filled since the last flush, refreshed from the broker off the order path. */
    struct {
        char account[OMS_TEXT_MAX], symbol[OMS_TEXT_MAX];
        bool asked; /* its account's positions are asked for: the answer publishes it */
    } changed[ENG_MAX_CHANGED];
    size_t n_changed;
    eng_recording *recordings[ENG_MAX_RECORDINGS]; /* record_bars jobs running */
    size_t n_recordings;
    struct eng_backtests *backtests; /* run_backtest jobs' submitter */
} engine;

/* ---- engine.c ---- */
int64_t eng_now_ns(const engine *e);
void eng_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- symbols.c ---- */
/* The symbol's index, adding (and subscribing) it when new; -1 when full or invalid. */
int eng_symbol_index(engine *e, const char *code);
/* Subscribes the feed to the symbols of the instances the start-up restores, before the first
 * broker request: a replaying broker starts with it (docs/broker-sim.md, "Clock"), and a trade
 * it published before the subscription would be lost to the instance's first bars. */
void eng_symbols_listen(engine *e);
/* Asks for the reference price of every symbol that has none today, without waiting (once the
 * broker answers: symbols subscribed before are asked here). */
void eng_symbols_prefetch(engine *e);
/* The symbol's reference price today, asked of the broker once a day (without waiting when
 * the symbol is subscribed; waiting only when a new day's is needed before it was asked); 0
 * when unknown. */
int64_t eng_symbol_ref_price(engine *e, int k);
/* The broker's answer to a reference price asked without waiting. */
void eng_quote_answered(engine *e, const char *code, int rc, const stom_broker_reply *rep,
                        const char *why);
/* A market data message from the feed. */
void eng_on_market(engine *e, const Stom__V1__Envelope *env);

/* ---- instance.c ---- */
int eng_instance_start(engine *e, const Stom__V1__StrategyControl *sc, bool restoring,
                       eng_instance **out, stom_errbuf *eb);
/* The same from a JSON object (instance_json.c: scheduled jobs and stored instances) for
 * owner (users.id). */
int eng_instance_start_json(engine *e, int64_t owner, const char *json, bool restoring,
                            eng_instance **out, stom_errbuf *eb);
/* "1m" -> TIMEFRAME_MINUTE_1; UNSPECIFIED for a name the engine does not build. */
Stom__V1__Timeframe eng_timeframe_parse(const char *name);
eng_instance *eng_instance_find(engine *e, const char *id);
/* STOP: cancels its open orders, liquidates when asked, removes it. */
void eng_instance_stop(engine *e, eng_instance *in, bool liquidate, const char *why);
/* Frees in without touching its row or its orders (the process stops). */
void eng_instance_free(eng_instance *in);
void eng_instance_set_state(engine *e, eng_instance *in, Stom__V1__StrategyState st,
                            const char *message);
/*
 * Shows slot k's new bars to the strategy. While a market order of the slot is unsettled
 * the next bar waits for its fill, as a backtest fills it before the strategy sees that bar:
 * otherwise a fill queued behind the next bar's trades would reach the strategy late and a
 * replay would trade differently from its backtest. On the engine's own clock the wait lasts
 * at most ENG_FILL_WAIT_MS; on the market's clock (--market-clock, a replay) it lasts until
 * the order is settled, asking the broker for its fills every ENG_FILL_WAIT_MS.
 */
void eng_slot_run(eng_instance *in, size_t k);
/* Trades of sym feed the bar builders of the instances that watch it. */
void eng_instances_trade(engine *e, int sym, int64_t ts_ns, int64_t price, int64_t qty);
/* The clock passed now: complete bars, check end times. */
void eng_instances_tick(engine *e, int64_t now_ns);
void eng_instance_status(const eng_instance *in, Stom__V1__StrategyStatus *st);

/* ---- orders.c ---- */
typedef struct eng_order_request {
    eng_instance *owner; /* NULL: manual */
    int slot;
    const char *account;
    const char *client_order_id; /* NULL: the engine makes one */
    int sym;
    int side;
    int64_t qty;
    int64_t limit_price; /* 0: market */
    bool liquidation;
    int64_t decided_ns;
} eng_order_request;
/*
 * The whole path of one order: risk check, journal, broker. Fills *result
 * with the order as the journal has it afterwards (REJECTED with the
 * reason when a rule or the broker refused it). 0, or STOM_E* when the
 * journal could not be written (nothing was sent).
 */
int eng_order_send(engine *e, const eng_order_request *r, oms_order *result, stom_errbuf *eb);
int eng_order_cancel(engine *e, const char *client_order_id, stom_errbuf *eb);
/* Cancels every working order of owner (slot >= 0: of that symbol only; owner NULL: of
 * account; both NULL: all). Returns how many cancels were sent. */
size_t eng_orders_cancel_all(engine *e, const eng_instance *owner, int slot, const char *account);
/* in is going away: its working orders carry on without an owner. */
void eng_orders_disown(engine *e, const eng_instance *in);
/* An order event from the broker's feed. */
void eng_on_order_event(engine *e, const Stom__V1__OrderEvent *ev);
eng_order *eng_order_find(engine *e, const char *client_order_id);
/* A broker request failed: orders are blocked until it answers and is reconciled (a
 * BROKER_DISCONNECTED risk event the first time). */
void eng_broker_down(engine *e, const char *why);
/* One request to the broker whose reply must be want. 0 with *rep (release it); STOM_EFORMAT
 * when the broker refused (eb quotes it); the call's error when it did not answer. */
int eng_broker_ask(engine *e, Stom__V1__BrokerRequest *br, Stom__V1__BrokerReply__ReplyCase want,
                   stom_broker_reply *rep, stom_errbuf *eb);
size_t eng_orders_open(const engine *e, const eng_instance *owner);
/* The broker's answer to a place sent without waiting (rc: the call's outcome, rep valid when
 * 0, why its error otherwise). */
void eng_place_answered(engine *e, const char *client_order_id, int rc,
                        const stom_broker_reply *rep, const char *why);
/* Remembers that w's fill fill_id is recorded; whether it was already. */
bool eng_order_fill_seen(eng_order *w, const char *fill_id, bool remember);
/* Frees w's slot (the order is final, or forgotten). */
void eng_order_release(eng_order *w);
/* Waits until every write handed to the pipe is done, before reading what they wrote. */
void eng_db_settle(engine *e);
/* Applies one journal event to the in-memory order and everything it feeds. */
void eng_order_apply(engine *e, eng_order *w, const oms_event *ev, int64_t fees, int64_t taxes,
                     int64_t at_ns);

/* ---- broker_async.c ---- */
/* Sends br without waiting; its answer reaches the part that asked, by kind, through the
 * inbox. 0, or the error of the send (nothing travels). */
int eng_ticket_start(engine *e, eng_ticket_kind kind, const char *key, Stom__V1__BrokerRequest *br,
                     stom_errbuf *eb);
/* Whether a request of kind for key is travelling. */
bool eng_ticket_pending(const engine *e, eng_ticket_kind kind, const char *key);
/* An ENG_ITEM_REPLY: finishes t's call and hands its answer on. */
void eng_on_ticket(engine *e, eng_ticket *t);
/* Abandons the requests still travelling (the process stops). */
void eng_tickets_abandon(engine *e);

/* ---- schedule.c ---- */
void eng_schedule_fire(engine *e, const stom_schedule_job *job);

/* ---- record.c ---- */
/* Starts recording job's bars (its args: stom_record_args). 0, or STOM_E* naming the field. */
int eng_recording_start(engine *e, const stom_schedule_job *job, stom_errbuf *eb);
/* A trade of symbol sym for the recordings that watch it. */
void eng_recordings_trade(engine *e, int sym, int64_t ts_ns, int64_t price, int64_t qty);
/* The clock passed now: complete bars, store them (at most once a second), end at until. */
void eng_recordings_tick(engine *e, int64_t now_ns);
/* The engine stops: stores the complete bars and ends every recording. */
void eng_recordings_stop(engine *e);

/* ---- control.c ---- */
void eng_on_request(engine *e, stom_bus_pending *p);

/* ---- publish.c ---- */
/* A statement the engine writes and goes on without (through the pipe): a failure is logged. */
void eng_db_exec(engine *e, const char *sql, int n, const char *const *args, const char *what);
void eng_publish_order(engine *e, const oms_order *o, Stom__V1__OrderEventKind kind,
                       const oms_event *ev, int64_t fees, int64_t taxes, int64_t at_ns);
/* The broker's answer to the positions of account asked by eng_flush_changes: the
 * engine_positions rows, and eng.positions for the symbols that changed. */
void eng_positions_answered(engine *e, const char *account, int rc, const stom_broker_reply *rep,
                            const char *why);
/* The answer to an account's balances (eng_save_balances): the row, and the broker's health. */
void eng_balances_answered(engine *e, const char *account, int rc, const stom_broker_reply *rep,
                           const char *why);
/* A fill moved account's position in symbol: remembered for eng_flush_changes. */
void eng_position_changed(engine *e, const char *account, const char *symbol);
/* What the order path leaves for later: positions from the broker, instance rows. Called
 * when the inbox is empty and on every tick. */
void eng_flush_changes(engine *e);
void eng_publish_strategy(engine *e, const eng_instance *in);
void eng_publish_risk(engine *e, const stom_risk_verdict *v, const char *client_order_id,
                      int64_t at_ns);
void eng_publish_surge(engine *e, const stom_surge_alert *a);
/* Keeps a halt across restarts (account "" is all trading, strategy "" the account). */
void eng_store_halt(engine *e, const char *account, const char *strategy, const char *kind,
                    const char *reason);
/* Asks the broker for every account's balances, without waiting (also its health check). */
void eng_save_balances(engine *e);
/* The same, waiting for each answer (the start-up, before the reconciliation). */
void eng_save_balances_now(engine *e);

/* ---- restore.c ---- */
/* Replays journaled fills into the risk manager, restores halts, reconciles
 * with the broker, then restarts the instances that were running. */
int eng_restore(engine *e, stom_errbuf *eb);
/* Reconciles the journal with the broker (after a broker outage too). */
int eng_reconcile(engine *e, stom_errbuf *eb);
int eng_load_risk(engine *e, stom_errbuf *eb);

#endif
