/*
 * trading_cli.h - what the live-trading commands share: `stom trade`,
 * `orders`, `order`, `positions`, `accounts`, `kill`, `resume`, `schedule`,
 * `surge` and `risk`, each a client of the gateway's trading routes
 * (docs/engine.md, "Interfaces") with the login of `stom login`.
 *
 * One flag parser for all of them (each command names the flags it takes,
 * anything else is a usage error naming the flag), the gateway's rows read
 * by field name (a row may name a field as the journal's column or as the
 * protobuf message does: "limit_price" or "price"), and the formats a
 * Korean trader reads: won with thousands separators, KST times, 매수/매도,
 * order and strategy states in Korean.
 *
 * Money stays integer won from the JSON to the screen: amounts are read
 * with json_integer_value, never through a double.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_TRADING_CLI_H
#define STOM_CLI_TRADING_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "gateway_client.h"

#define TRADING_POSITIONAL_MAX 16 /* `stom risk set` takes a KEY=VALUE each */
#define TRADING_PARAMS_MAX     64
#define TRADING_QTY_MAX        100000000ULL     /* shares in one order */
#define TRADING_WON_MAX        1000000000000ULL /* won: a price or an order's amount */

/* Every flag of the trading commands; a command accepts the ones it names. */
typedef struct trading_options {
    const char *command; /* "order buy", for messages; borrowed */
    bool json, help, open, liquidate, disabled;
    const char *url, *account, *price, *reason, *limit, *strategy_id, *symbols, *timeframe, *id,
        *when, *days, *action, *args, *qty, *amount, *file;
    const char *params[TRADING_PARAMS_MAX]; /* "NAME=VALUE" of each --param */
    size_t n_params;
    const char *pos[TRADING_POSITIONAL_MAX]; /* arguments that are not flags */
    size_t n_pos;
} trading_options;

/*
 * Parses argv[first..argc) into *o (zeroed first; o->command = command).
 * allowed lists the flags the command takes besides --json, --url and
 * --help, space-separated ("--account --price"). A flag not allowed, a
 * missing value or more than max_pos positional arguments is a usage error
 * saying so (and where help is). With -h or --help, usage(stdout) is printed
 * and o->help set: the command is done. Returns EXIT_OK or EXIT_USAGE. Borrows.
 */
int trading_parse(int argc, char **argv, int first, const char *allowed, size_t max_pos,
                  const char *command, void (*usage)(FILE *out), trading_options *o);

/* A whole number 1..max from a flag or an argument ("10,000" accepted); EXIT_USAGE naming what. */
int trading_whole(const char *what, const char *s, uint64_t max, int64_t *out);

/* ---- the gateway (trading_call.c) ------------------------------------------------ */

/* Opens a client for o->url with the stored login (gateway_client_open). Returns an exit code. */
int trading_open(const trading_options *o, gateway_client **g);

/*
 * The account a command acts on: o->account, else the caller's only
 * account (GET /accounts). Several accounts and no --account is a usage
 * error listing them; none says how to get one. *out is owned (free()).
 */
int trading_account(gateway_client *g, const trading_options *o, char **out);

/* Appends "?account=A" (percent-encoded) to path when o->account is set; EXIT_USAGE (said why)
 * when it does not fit. */
int trading_query_account(char *path, size_t len, const trading_options *o);

/* How a command prints an answer as text; returns an exit code. Borrows answer. */
typedef int (*trading_print_fn)(const json_t *answer);

/*
 * Prints the gateway's answer: with --json as it came (an empty answer as
 * {}), else through print_text (may be NULL: nothing). Takes answer. Returns
 * print_text's exit code, or EXIT_OK.
 */
int trading_show(const trading_options *o, json_t *answer, trading_print_fn print_text);

/*
 * method path (under /api/v1) with body (borrowed, may be NULL) on g, and
 * the answer shown as trading_show shows it. The gateway's errors are
 * printed; a 422 (the engine or the broker refused) exits 1, other 4xx 2.
 */
int trading_call(gateway_client *g, const trading_options *o, const char *method, const char *path,
                 const json_t *body, trading_print_fn print_text);
/* The same with a client of its own for o (trading_open), closed before it returns. */
int trading_request(const trading_options *o, const char *method, const char *path,
                    const json_t *body, trading_print_fn print_text);

/* ---- the gateway's rows (trading_json.c) ----------------------------------------- */

/* The array of rows in answer: answer itself, or its member key, or its first array member. */
const json_t *trading_rows(const json_t *answer, const char *key);
/* The first of keys (a NULL-terminated list) present and not null in row, or NULL. Borrows. */
const json_t *trading_field(const json_t *row, const char *const *keys);
/* The field's text: a string as is, a number as decimal; fallback when absent. */
const char *trading_text(const json_t *row, const char *const *keys, char *buf, size_t len,
                         const char *fallback);
/* An integer field into *out (a whole JSON real or a decimal string too); false when absent. */
bool trading_int(const json_t *row, const char *const *keys, int64_t *out);

#define TRADING_KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- tables and formats (trading_format.c) --------------------------------------- */

typedef struct text_table text_table; /* optimize.h */
/* Adds row's cells to t; ctx is the caller's (a running total). Borrows. */
typedef void (*trading_row_fn)(text_table *t, const json_t *row, void *ctx);

/*
 * The rows of answer (trading_rows with key) as a table of n_cols columns
 * with heads and align (text_table_new), each added by add_row. With no
 * rows prints empty on stdout and returns NULL. Returns owned: print it with
 * trading_table_print.
 */
text_table *trading_table(const json_t *answer, const char *key, const char *empty, size_t n_cols,
                          const char *const *heads, const char *align, trading_row_fn add_row,
                          void *ctx);
/* Prints t on stdout and frees it (NULL: nothing). Returns EXIT_OK. */
int trading_table_print(text_table *t);

/* Won with thousands separators ("-1,250,000"), or "-" when the field is absent. */
char *trading_won(const json_t *row, const char *const *keys, char *buf, size_t len);
/* An integer with thousands separators. */
char *trading_number(int64_t v, char *buf, size_t len);
/* Basis points as a signed percent with two places ("+3.25%"). */
char *trading_bp(int64_t bp, char *buf, size_t len);
/*
 * A time field as KST "2026-11-20 09:05:03": an API time text
 * ("...T00:05:03Z", "+09:00") or UTC nanoseconds; "-" when absent, the text
 * as is when it is neither.
 */
char *trading_kst(const json_t *row, const char *const *keys, char *buf, size_t len);

/* 매수 / 매도 from "buy", "sell", "SIDE_BUY", 1 or -1; the value as is otherwise. */
const char *trading_side_label(const json_t *row, char *buf, size_t len);
/* An order's state (journal "partially_filled" or event kind "ORDER_EVENT_KIND_FILLED") in Korean
 * with the English word: "부분체결 partially_filled". */
const char *trading_order_state_label(const char *state, char *buf, size_t len);
/* A strategy instance's state ("running", "STRATEGY_STATE_PAUSED") in Korean with the English. */
const char *trading_strategy_state_label(const char *state, char *buf, size_t len);
/* The lower-case name after an enum's prefix: "STRATEGY_STATE_RUNNING" -> "running". */
const char *trading_short_name(const char *s, char *buf, size_t len);
/* "한글 name": s's short name with its Korean label from table (n pairs of name, label), or the
 * name alone when the table lacks it. Into buf (len bytes), returned. */
const char *trading_label(const char *s, const char *const (*table)[2], size_t n, char *buf,
                          size_t len);

/* ---- the commands (cmd_*.c); argv[0] is the command's name ---------------------- */

int cli_trade(int argc, char **argv);
int cli_orders(int argc, char **argv);
int cli_order(int argc, char **argv);
int cli_positions(int argc, char **argv);
int cli_accounts(int argc, char **argv);
int cli_kill(int argc, char **argv);
int cli_resume(int argc, char **argv);
int cli_schedule(int argc, char **argv);
int cli_surge(int argc, char **argv);
int cli_risk(int argc, char **argv);

#endif
