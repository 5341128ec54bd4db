/*
 * optimize.h - what `stom optimize` and `stom jobs` share: the parsed
 * optimize command line (a JobSpec ready to submit), the reports of a
 * job's results, the live progress line, and the text tables and number
 * formats those print.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_OPTIMIZE_H
#define STOM_CLI_OPTIMIZE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "coordinator_client.h"
#include "stom/lua_strategy.h"
#include "stom/optimize.h"
#include "stom/v1/envelope.pb-c.h"

/* Results shown unless --top says otherwise. */
#define OPTIMIZE_TOP_DEFAULT 20

/* ---- the optimize command line (optimize_options.c) ------------------------ */

typedef struct optimize_options {
    bool help, json, no_wait, dry_run;
    bool local;              /* --local without --coordinator: run here on CSV files */
    const char *url;         /* borrowed: --url (the gateway), or NULL */
    uint32_t top;            /* results shown; 0: all */
    const char *coordinator; /* borrowed: --coordinator (straight to it), or NULL */
    uint32_t jobs;           /* --local: threads (0: one per core) */
    char **files;            /* --local: the CSV files of --data (owned) */
    size_t n_files;
    Stom__V1__JobSpec *spec;      /* owned (heap; free_unpacked); job_id not set */
    const stom_strategy_def *def; /* the built-in, or lua's def */
    stom_lua_strategy *lua;       /* owned: --strategy-file, or NULL */
    stored_strategy stored;       /* owned: --strategy-id or a stored --strategy NAME (gateway) */
    uint64_t space_size;          /* parameter sets in the search space (1: single run) */
} optimize_options;

/*
 * Parses `stom optimize` flags (argv[0] is "optimize") into *o: the JobSpec
 * to submit, checked here as far as the schema, the period and the
 * validation windows allow, so that mistakes are told before anything is
 * sent. Reads --strategy-file and --vars. On a usage error prints why and
 * returns EXIT_USAGE (EXIT_DATA for an unreadable file). Release *o with
 * optimize_options_free whatever the return.
 */
int optimize_parse(int argc, char **argv, optimize_options *o);
void optimize_options_free(optimize_options *o);
void optimize_usage(FILE *out); /* (optimize_usage.c) */

/* "TG", "sharpe" ... for the proto objective (never NULL). Static storage. */
const char *objective_pb_name(Stom__V1__Objective o);
/* "grid", "random", "genetic", "single" ... (never NULL). Static storage. */
const char *method_pb_name(Stom__V1__OptimizeMethod m);
/* "완료 done", "실행 running" ... (never NULL). Static storage. */
const char *job_state_label(Stom__V1__JobState s);
/* "done", "running" ... for JSON (never NULL). Static storage. */
const char *job_state_name(Stom__V1__JobState s);

/* ---- local runs (optimize_local*.c) ------------------------------------------ */

/*
 * Runs the parsed job here (`stom optimize --local`): loads o->files,
 * plans the job with the coordinator's planner, runs its tasks on o->jobs
 * threads with the workers' task code, and prints the results as the
 * platform path does. EXIT_OK, EXIT_DATA (a file), EXIT_INTERNAL (every run
 * failed), EXIT_SIGINT (Ctrl-C). Borrows o.
 */
int optimize_local(const optimize_options *o);

/* ---- reports (report_optimize.c, report_optimize_json.c) ------------------ */

/* A job's results as the coordinator returned them. Every pointer borrowed. */
typedef struct optimize_report {
    const Stom__V1__JobSpec *spec;     /* NULL when unknown */
    const Stom__V1__JobStatus *status; /* NULL when unknown */
    const Stom__V1__ResultsPage *page;
    size_t top; /* results shown; 0: all in the page */
} optimize_report;

/* The header, the ranked table and the best-per-fold table. */
void optimize_report_text(const optimize_report *r, FILE *out);
/* The --json object (see docs/cli.md). Returns a new reference or NULL. */
json_t *optimize_report_json(const optimize_report *r);
/* A job's spec as a few lines: strategy, method, objective, data, period, split. */
void optimize_print_spec(const Stom__V1__JobSpec *spec, FILE *out);
/* How long the job ran: the progress' elapsed time, else finished minus started. False
 * when neither is known. */
bool job_elapsed_ms(const Stom__V1__JobStatus *st, int64_t *ms);
/* "fast=5 slow=20" into buf. Borrows params. */
char *format_params(Stom__V1__Param *const *params, size_t n, char *buf, size_t len);
/* An objective value: TG as whole won with separators, others with 2 decimals;
 * -inf as "−∞", NaN as "n/a". */
char *format_objective(Stom__V1__Objective o, double v, char *buf, size_t len);

/* ---- shared by cmd_optimize.c and cmd_jobs.c --------------------------------- */

/*
 * results_query {id, offset 0, limit top (0: all)}: on EXIT_OK *reply holds
 * the ResultsPage (release with stom_bus_received_free). A page carrying an
 * error is printed and returns EXIT_USAGE (unknown job) or EXIT_INTERNAL.
 */
int optimize_fetch_results(coordinator_client *c, const char *id, uint32_t top,
                           stom_bus_received *reply);
/* A whole number of at most max into *out; "10,000,000" and "10_000_000" are accepted. */
bool parse_whole_number(const char *s, uint64_t max, uint64_t *out);
/* Prints j indented on stdout and takes it. EXIT_OK, or EXIT_INTERNAL when j is NULL. */
int print_json(json_t *j);

/* ---- progress (progress.c) -------------------------------------------------- */

typedef struct progress_line {
    bool tty;   /* draw the live bar on stderr */
    bool drawn; /* a bar is on the screen (erase before other output) */
    Stom__V1__Objective objective;
} progress_line;

/* Starts a progress line; the bar is drawn only when stderr is a terminal. */
void progress_init(progress_line *p, Stom__V1__Objective objective);
/* Redraws the bar from a JobStatus's progress (no-op off a terminal). Borrows st. */
void progress_update(progress_line *p, const Stom__V1__JobStatus *st);
/* Erases the bar (no-op when none is drawn). */
void progress_clear(progress_line *p);
/* The final one-line summary on stderr: evaluated, failed, elapsed, best. */
void progress_summary(progress_line *p, const Stom__V1__JobStatus *st);

/* (optimize_finish.c) What the finished job id's state means: after the
 * progress summary, EXIT_OK when it is done (show its results), else prints
 * that it failed (and why) or was cancelled and returns EXIT_INTERNAL. Used
 * by optimize and backtest alike. */
int job_ended(const char *id, progress_line *pl, const Stom__V1__JobStatus *st);
/* Prints a done job's results page (text or --json); EXIT_INTERNAL when every run failed. */
int optimize_show_results(const optimize_options *o, const Stom__V1__JobStatus *st,
                          const Stom__V1__ResultsPage *page);

/* ---- text tables and numbers (text_table.c) --------------------------------- */

typedef struct text_table text_table;

/*
 * A table of n_cols columns with these headers; align holds one letter per
 * column, 'l' or 'r'. Cells are copied. Widths count display columns (a
 * Hangul syllable is two), so Korean headers line up.
 */
text_table *text_table_new(size_t n_cols, const char *const *headers, const char *align);
/* Hides (or shows again) column col when printing: rows keep every column's cell. */
void text_table_hide(text_table *t, size_t col, bool hide);
/* Appends a row of n_cols cells (NULL is an empty cell). Borrows cells. */
void text_table_add(text_table *t, const char *const *cells);
/* Prints the header, a rule and the rows, each line starting with indent. */
void text_table_print(const text_table *t, FILE *out, const char *indent);
void text_table_free(text_table *t);

/* Display columns of a UTF-8 string (wide East Asian characters count 2). */
size_t text_width(const char *s);
/* v with thousands separators and `decimals` places ("1,234.50"). */
char *format_number(double v, int decimals, char *buf, size_t len);
/* A KST date "2024-01-31" (date_only) or "2024-01-31 14:05" of a UTC ns instant. */
char *format_kst(int64_t ns, bool date_only, char *buf, size_t len);
/* A duration in ms as "4.2 s" (under 10 s), "0:12", "12:03" or "1:02:03". */
char *format_duration(int64_t ms, char *buf, size_t len);
/* A half-open ns period as inclusive KST dates "2024-01-01~2024-03-31". */
char *format_period(const Stom__V1__Period *p, char *buf, size_t len);

#endif
