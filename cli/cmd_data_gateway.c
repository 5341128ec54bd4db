/*
 * cmd_data_gateway.c - `stom data import` and `stom data list` through the
 * gateway (POST /data/import with the CSV as the body, GET /data/symbols;
 * docs/gateway-api.md). The reports are data_report.c's, as for --local.
 *
 * The file is read here (bounded by the gateway's 64 MiB upload limit) and
 * checked there: a malformed file is a 400 whose fields.file says
 * "line N: ...", printed as "stom: FILE: line N: ..." with the exit code of
 * a malformed file on the local path (3). The gateway's times are RFC 3339
 * in KST and are read back into seconds so that the list prints the same
 * columns and JSON fields as the local one.
 *
 * Thread-safety: single-threaded program.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "data_cli.h"
#include "gateway_client.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

/* The import's query: symbol, timeframe and market, percent-encoded. */
static bool import_path(const data_options *o, char *path, size_t len)
{
    snprintf(path, len, "/data/import");
    return gateway_query_add(path, len, "symbol", o->symbol) &&
           gateway_query_add(path, len, "timeframe", o->timeframe) &&
           (!o->market || gateway_query_add(path, len, "market", o->market));
}

/*
 * A 400 of the import: fields.file or fields.market are about the data
 * (exit 3, as the local path), anything else about the command line.
 */
static int report_refusal(const data_options *o, const json_t *error)
{
    const json_t *fields = json_object_get(error, "fields");
    const char *file = json_string_value(json_object_get(fields, "file"));
    const char *market = json_string_value(json_object_get(fields, "market"));
    if (file) {
        cli_error("%s: %s", o->file, file);
        return EXIT_DATA;
    }
    cli_error("%s", market ? market : json_str(error, "message", "the gateway refused the file"));
    return market && strstr(market, " is stored as ") ? EXIT_DATA : EXIT_USAGE;
}

static int print_imported(const data_options *o, const json_t *a)
{
    data_import_summary s = {o->file,
                             json_str(a, "symbol", o->symbol),
                             json_str(a, "timeframe", o->timeframe),
                             json_str(a, "market", o->market ? o->market : "KOSPI"),
                             (int64_t)json_integer_value(json_object_get(a, "rows")),
                             (int64_t)json_integer_value(json_object_get(a, "added")),
                             (int64_t)json_integer_value(json_object_get(a, "existing")),
                             (int64_t)json_integer_value(json_object_get(a, "skipped_halt"))};
    return data_print_import(&s, o->json);
}

/* Uploads body (borrowed) to g; prints the result or why it was refused. */
static int upload(gateway_client *g, const data_options *o, const char *body, size_t len)
{
    char path[512];
    if (!import_path(o, path, sizeof path)) {
        cli_error("--symbol, --timeframe or --market is too long");
        return EXIT_USAGE;
    }
    json_t *answer = NULL;
    long status = 0;
    gateway_client_quiet_400(g, true);
    int rc = gateway_call_raw(g, "POST", path, body, len, "text/csv", &answer, &status);
    if (rc == EXIT_OK)
        rc = print_imported(o, answer);
    else if (status == 400 && gateway_client_last_error(g))
        rc = report_refusal(o, gateway_client_last_error(g));
    else if (status == 403)
        fprintf(stderr, "(importing needs the trader or admin role: ask an administrator, or "
                        "import into your own database with --local)\n");
    else if (status == 413)
        rc = EXIT_DATA;
    json_decref(answer);
    return rc;
}

int data_import_via_gateway(const data_options *o)
{
    char *body = NULL;
    size_t len = 0;
    int rc =
        cli_read_file(o->file, DATA_UPLOAD_MAX,
                      "the gateway takes up to 64 MiB: split the file or use --local", &body, &len);
    if (rc != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    rc = gateway_client_open(&g, o->url, true);
    if (rc == EXIT_OK)
        rc = upload(g, o, body, len);
    gateway_client_close(g);
    free(body);
    return rc;
}

/* ---- list --------------------------------------------------------------------------------- */

/* One entry of /data/symbols as the store's stom_data_set; false when a field is missing. */
static bool data_set_from_json(const json_t *j, stom_data_set *d)
{
    memset(d, 0, sizeof *d);
    const char *market = json_str(j, "market", "");
    snprintf(d->symbol, sizeof d->symbol, "%s", json_str(j, "symbol", ""));
    snprintf(d->timeframe, sizeof d->timeframe, "%s", json_str(j, "timeframe", ""));
    bool other = !strcmp(market, "US") || !strcmp(market, "CRYPTO");
    snprintf(d->market, sizeof d->market, "%s",
             !other             ? "krx"
             : market[0] == 'U' ? "us"
                                : "crypto");
    snprintf(d->board, sizeof d->board, "%s", other ? "NONE" : market);
    d->rows = (int64_t)json_integer_value(json_object_get(j, "rows"));
    return d->symbol[0] && gateway_time_parse(json_str(j, "first", NULL), &d->first_ts) &&
           gateway_time_parse(json_str(j, "last", NULL), &d->last_ts);
}

static int print_symbols(const data_options *o, const json_t *list)
{
    size_t n = json_array_size(list);
    stom_data_set *sets = stom_xcalloc(n ? n : 1, sizeof *sets);
    for (size_t k = 0; k < n; k++) {
        if (!data_set_from_json(json_array_get(list, k), &sets[k])) {
            cli_error("the gateway's data list has an entry without symbol, first or last");
            free(sets);
            return EXIT_INTERNAL;
        }
    }
    int rc = EXIT_OK;
    if (o->json)
        rc = data_print_list_json(sets, n);
    else
        data_print_list_text(sets, n);
    free(sets);
    return rc;
}

int data_list_via_gateway(const data_options *o)
{
    gateway_client *g = NULL;
    int rc = gateway_client_open(&g, o->url, true);
    json_t *answer = NULL;
    if (rc == EXIT_OK)
        rc = gateway_call(g, "GET", "/data/symbols", NULL, &answer, NULL);
    const json_t *list = json_object_get(answer, "symbols");
    if (rc == EXIT_OK && !json_is_array(list)) {
        cli_error("the gateway's data list has no \"symbols\" array");
        rc = EXIT_INTERNAL;
    } else if (rc == EXIT_OK) {
        rc = print_symbols(o, list);
    }
    json_decref(answer);
    gateway_client_close(g);
    return rc;
}
