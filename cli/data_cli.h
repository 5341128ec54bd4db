/*
 * data_cli.h - what the two paths of `stom data` share: the parsed command
 * line, and the text and JSON reports that both the direct PostgreSQL path
 * (cmd_data.c, --local) and the gateway path (cmd_data_gateway.c) print,
 * so that a script sees the same shapes whichever way the bars went.
 *
 * Thread-safety: single-threaded program.
 */
#ifndef STOM_CLI_DATA_CLI_H
#define STOM_CLI_DATA_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "stom/store_bars.h"

/* The upload limit of POST /data/import (docs/gateway-api.md). */
#define DATA_UPLOAD_MAX ((size_t)64 << 20)

/* `stom data` options; the strings are borrowed from argv. --database implies local. */
typedef struct data_options {
    const char *file, *symbol, *timeframe, *market, *database, *url;
    bool json, help, local;
} data_options;

/* What one import did, whichever path stored it. Strings borrowed. */
typedef struct data_import_summary {
    const char *file, *symbol, *timeframe, *market;
    int64_t rows, added, existing, skipped_halt;
} data_import_summary;

/* Prints the import report (text, or JSON when json). Returns EXIT_OK or EXIT_INTERNAL. */
int data_print_import(const data_import_summary *s, bool json);
/* Prints the stored series, one line each, or how to import when n is 0. Borrows sets. */
void data_print_list_text(const stom_data_set *sets, size_t n);
/* Prints the stored series as a JSON array. Returns EXIT_OK or EXIT_INTERNAL. Borrows sets. */
int data_print_list_json(const stom_data_set *sets, size_t n);

/*
 * `stom data import` and `stom data list` through the gateway
 * (cmd_data_gateway.c); o is already checked. Return an exit code after
 * printing why on failure. Borrow o.
 */
int data_import_via_gateway(const data_options *o);
int data_list_via_gateway(const data_options *o);

#endif
