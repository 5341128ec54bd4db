/*
 * cli.h - shared pieces of the `stom` command line.
 *
 * Exit codes (every command): 0 success, 1 internal failure (and for
 * backtest: a Lua strategy that stopped the run with its error or a sandbox
 * limit), 2 usage error (unknown flag, strategy or parameter, value out of
 * range: the message lists the valid choices; a Lua strategy file that does
 * not load), 3 data error (unreadable or malformed input).
 *
 * Thread-safety: single-threaded program, except the threads of
 * `stom optimize --local` (optimize_local.h), which touch only what their
 * pool hands them.
 */
#ifndef STOM_CLI_H
#define STOM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stom/backtest.h"
#include "stom/lua_strategy.h"

enum { EXIT_OK = 0, EXIT_INTERNAL = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_SIGINT = 130 };

/* Ctrl-C while waiting (interrupt.c): after cli_catch_sigint the first one
 * only makes cli_interrupted true (and ends a cli_sleep_ms early), a second
 * one kills. */
void cli_catch_sigint(void);
bool cli_interrupted(void);
void cli_sleep_ms(int ms);

/* Prints "stom: <message>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when arg is flag, alone or as "flag=value". */
bool cli_flag_is(const char *arg, const char *flag);
/*
 * The value of the flag at argv[*i]: after '=' or the next argument (then
 * *i moves past it). NULL, after "<flag> needs a value (see stom <command>
 * --help)", when missing.
 */
const char *cli_flag_value(int argc, char **argv, int *i, const char *flag, const char *command);

/* A flag that takes a value, and where the value goes: offset of a const char * in the
 * options struct. */
typedef struct cli_value_flag {
    const char *flag;
    size_t offset;
} cli_value_flag;
/*
 * Takes the value of whichever of flags[0..n) argv[*i] is into that flag's slot of opts.
 * Returns 1 when taken, 0 when argv[*i] is none of them, -1 (after cli_flag_value said
 * so) when its value is missing.
 */
int cli_take_value(int argc, char **argv, int *i, const cli_value_flag *flags, size_t n, void *opts,
                   const char *command);

/*
 * Reads path whole into *out (owned, NUL-terminated; *len without the NUL).
 * A file over max bytes is refused with "... is larger than max bytes;
 * <limit_hint>". Returns EXIT_OK or EXIT_DATA after printing why. (read_file.c)
 */
int cli_read_file(const char *path, size_t max, const char *limit_hint, char **out, size_t *len);

/* `stom backtest ...` and `stom strategies ...`; argv[0] is the command name. */
int cli_backtest(int argc, char **argv);
int cli_strategies(int argc, char **argv);
/* `stom strategy <verb> ...` (cmd_strategy.c); argv[0] is "strategy". */
int cli_strategy(int argc, char **argv);
/* `stom strategy import-stom ...` (cmd_strategy_import.c); argv[0] is "import-stom". */
int cli_strategy_import(int argc, char **argv);
/* `stom optimize ...` (cmd_optimize.c) and `stom jobs ...` (cmd_jobs.c), clients of the
 * backtest coordinator; argv[0] is "optimize" / "jobs". */
int cli_optimize(int argc, char **argv);
int cli_jobs(int argc, char **argv);
/* `stom db ...` (cmd_db.c) and `stom data ...` (cmd_data.c); argv[0] is "db" / "data". */
int cli_db(int argc, char **argv);
/* `stom login|logout|register|whoami` (cmd_auth.c); argv[0] is the command name. */
int cli_auth(int argc, char **argv);
int cli_data(int argc, char **argv);

typedef struct stom_db stom_db;
/*
 * Connects to database (NULL: STOM_DATABASE_URL, else the local services)
 * and, when need_schema, checks that it is migrated. On failure prints what
 * to do (start the services, run `stom db migrate`) and returns
 * EXIT_INTERNAL; on success *out is owned by the caller (stom_db_close).
 * (cmd_db.c)
 */
int cli_db_open(const char *database, bool need_schema, stom_db **out);

/* ---- CSV bars of local runs (csv_bars.c) ------------------------------------ */

/* The symbol a CSV file stands for: its name without directories and extension. */
void cli_csv_symbol(const char *path, char *out, size_t len);
/*
 * Loads path's bars as an instrument of market and board (the symbol from
 * the file name) into *out, which it initialises (release with
 * stom_bars_free whatever the return), and keeps the bars with
 * from <= ts < to (UTC seconds) unless from >= to. EXIT_OK, or EXIT_DATA
 * after printing why (the loader's file:line, or no bars in the period).
 */
int cli_csv_load(const char *path, stom_market market, stom_board board, int64_t from, int64_t to,
                 stom_bars *out);

/* A strategy stored in the gateway, its code loaded here (gateway_strategy.c). */
typedef struct stored_strategy {
    int64_t id;             /* 0: none */
    int32_t version;        /* the version loaded: a run names it */
    char *name;             /* owned */
    stom_lua_strategy *lua; /* owned: the code with its params schema */
} stored_strategy;
/* Releases what s holds and zeroes it; a zeroed s is fine. (gateway_strategy.c) */
void stored_strategy_free(stored_strategy *s);

/*
 * Everything a backtest run needs, parsed from the command line: with
 * --local CSV files run here, else stored symbols run through the gateway
 * (the strategy may then be a stored one, found and loaded later).
 */
typedef struct backtest_options {
    bool local, json, help;
    char **data_files; /* --local: CSV files; else stored symbols */
    size_t n_data;
    const char *url;          /* borrowed: --url (the gateway), or NULL */
    const char *timeframe;    /* borrowed: --timeframe (the gateway's stored bars) */
    const char *stored_name;  /* borrowed: --strategy that is not a built-in (gateway) */
    int64_t strategy_id;      /* --strategy-id (gateway), or 0 */
    stored_strategy stored;   /* owned: the stored strategy, once loaded */
    const char **param_texts; /* owned array of borrowed "NAME=VALUE" texts */
    size_t n_param_texts;
    const stom_strategy_def *strategy; /* a built-in, or lua's def */
    stom_lua_strategy *lua;            /* owned: --strategy-file, or NULL */
    stom_params params;
    bool has_period;
    int32_t from_date, to_date; /* inclusive, KST dates */
    stom_market market;
    stom_board board;
    stom_backtest_config config;
    const char *trades_csv, *equity_csv;
} backtest_options;

/*
 * Parses argv into *o; on a usage error prints why and returns EXIT_USAGE.
 * A flag of the other path (a CSV file flag without --local, a gateway
 * flag with it) is a usage error naming the flag. Release *o with
 * backtest_options_free whatever the return.
 */
int backtest_parse(int argc, char **argv, backtest_options *o);
/* Sets o->params from the strategy's defaults and o->param_texts (after a stored strategy is
 * loaded). EXIT_OK or EXIT_USAGE after printing why. */
int backtest_apply_params(backtest_options *o);
/* Releases what backtest_parse allocated. */
void backtest_options_free(backtest_options *o);
/* Prints the backtest help text. */
void backtest_usage(FILE *out);

/* A run's inputs and outputs, for the writers below. */
typedef struct backtest_report {
    const backtest_options *opt;
    const stom_bars *series;
    size_t n_series;
    const stom_backtest_result *res;
    double elapsed_seconds;
} backtest_report;

void report_print_text(const backtest_report *r, FILE *out);

/* How the text report writes money: the cash unit's decimals, and " 원" after KRW amounts. */
typedef struct report_units {
    int cash_decimals;
    bool won;
} report_units;
/* "stom backtest - NAME (a=1, b=2)" and a newline. Borrows. */
void report_print_title(FILE *out, const stom_strategy_def *def, const stom_params *p);
/* "  label    value": the label padded to 30 display columns (Hangul counts 2). */
void report_row(FILE *out, const char *label, const char *value);
/* The report's body: period, returns, trade statistics and monthly returns of m. Borrows. */
void report_print_metrics(const stom_metrics *m, const report_units *u, FILE *out);
/* Writes the JSON report. Returns 0 or EXIT_INTERNAL. */
int report_print_json(const backtest_report *r, FILE *out);
/* Write the trades / equity CSV files. Return 0 or EXIT_DATA (cannot write; message printed). */
int report_write_trades_csv(const backtest_report *r, const char *path);
int report_write_equity_csv(const backtest_report *r, const char *path);

/* Money as text with thousands separators in the report's cash decimals. */
char *format_money(const backtest_report *r, int64_t v, char *buf, size_t len);

#endif
