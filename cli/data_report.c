/*
 * data_report.c - the reports of `stom data import` and `stom data list`
 * (data_cli.h): counts with thousands separators, times in KST. The same
 * functions print for the local and the gateway path.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "data_cli.h"
#include "stom/timeutil.h"

/* A count with thousands separators: 1234567 -> "1,234,567". */
static char *format_count(int64_t v, char *buf, size_t len)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t k = 0;
    if (v < 0 && k + 1 < len)
        buf[k++] = '-';
    for (int i = 0; i < n && k + 1 < len; i++) {
        buf[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n && k + 1 < len)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

static int print_import_json(const data_import_summary *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "file", json_string(s->file));
    json_object_set_new(j, "symbol", json_string(s->symbol));
    json_object_set_new(j, "timeframe", json_string(s->timeframe));
    json_object_set_new(j, "market", json_string(s->market));
    json_object_set_new(j, "rows", json_integer((json_int_t)s->rows));
    json_object_set_new(j, "new", json_integer((json_int_t)s->added));
    json_object_set_new(j, "already_stored", json_integer((json_int_t)s->existing));
    json_object_set_new(j, "skipped_halt_rows", json_integer((json_int_t)s->skipped_halt));
    int rc = json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

int data_print_import(const data_import_summary *s, bool json)
{
    if (json)
        return print_import_json(s);
    char rows[32], added[32], kept[32];
    printf("imported %s %s from %s: %s rows, %s new, %s already stored\n", s->symbol, s->timeframe,
           s->file, format_count(s->rows, rows, sizeof rows),
           format_count(s->added, added, sizeof added),
           format_count(s->existing, kept, sizeof kept));
    if (s->skipped_halt > 0)
        printf("(%lld trading-halt rows with no prices were skipped)\n",
               (long long)s->skipped_halt);
    return EXIT_OK;
}

/* "YYYY-MM-DD HH:MM" in KST. */
static char *format_minute(int64_t ts, char *buf, size_t len)
{
    char full[32];
    stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, full, sizeof full);
    snprintf(buf, len, "%.16s", full);
    return buf;
}

static const char *set_market(const stom_data_set *d)
{
    if (!strcmp(d->market, "krx"))
        return d->board;
    return !strcmp(d->market, "us") ? "US" : "CRYPTO";
}

void data_print_list_text(const stom_data_set *sets, size_t n)
{
    if (n == 0) {
        puts("no bars stored yet; import some with: stom data import FILE --symbol CODE "
             "--timeframe 1d");
        return;
    }
    int w_sym = 6, w_rows = 4;
    char buf[32];
    for (size_t k = 0; k < n; k++) {
        int s = (int)strlen(sets[k].symbol),
            r = (int)strlen(format_count(sets[k].rows, buf, sizeof buf));
        w_sym = s > w_sym ? s : w_sym;
        w_rows = r > w_rows ? r : w_rows;
    }
    printf("%-*s  %-9s  %-6s  %-16s  %-16s  %*s\n", w_sym, "SYMBOL", "TIMEFRAME", "MARKET",
           "FIRST (KST)", "LAST (KST)", w_rows, "ROWS");
    for (size_t k = 0; k < n; k++) {
        char first[32], last[32];
        printf("%-*s  %-9s  %-6s  %-16s  %-16s  %*s\n", w_sym, sets[k].symbol, sets[k].timeframe,
               set_market(&sets[k]), format_minute(sets[k].first_ts, first, sizeof first),
               format_minute(sets[k].last_ts, last, sizeof last), w_rows,
               format_count(sets[k].rows, buf, sizeof buf));
    }
}

/* ISO 8601 in KST: "2024-01-02T09:00:00+09:00". */
static json_t *iso_kst(int64_t ts)
{
    char full[32], iso[40];
    stom_format_time(ts, STOM_KST_OFFSET_MINUTES, false, full, sizeof full);
    full[10] = 'T';
    snprintf(iso, sizeof iso, "%s+09:00", full);
    return json_string(iso);
}

int data_print_list_json(const stom_data_set *sets, size_t n)
{
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *j = json_object();
        json_object_set_new(j, "symbol", json_string(sets[k].symbol));
        json_object_set_new(j, "timeframe", json_string(sets[k].timeframe));
        json_object_set_new(j, "market", json_string(set_market(&sets[k])));
        json_object_set_new(j, "first", iso_kst(sets[k].first_ts));
        json_object_set_new(j, "last", iso_kst(sets[k].last_ts));
        json_object_set_new(j, "first_ts", json_integer(sets[k].first_ts));
        json_object_set_new(j, "last_ts", json_integer(sets[k].last_ts));
        json_object_set_new(j, "rows", json_integer(sets[k].rows));
        json_array_append_new(list, j);
    }
    int rc = json_dumpf(list, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(list);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}
