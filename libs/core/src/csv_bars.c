/*
 * csv_bars.c - OHLCV bars from CSV text (see stom/bars.h, docs/data-formats.md).
 *
 * The whole file is read into memory in one go and parsed in place: lines are
 * cut with memchr, fields are split by hand (a double-quoted field may hold
 * commas, as in "1,234"), numbers go through stom_fixed_parse (exact, no
 * double, no sscanf) and the columns are reserved once from a line count, so
 * a million-row file costs one pass and no reallocation.
 *
 * The header names the columns; only the date (and an optional time),
 * open, high, low, close and volume columns are looked at, wherever they
 * are. Every row is validated before it is kept and the first bad row
 * refuses the whole file: the bars go into a private series that replaces
 * *out only when the last row has passed, so a caller never sees half a file.
 *
 * Two kinds of real-data quirk are tolerated rather than refused, both
 * documented in docs/data-formats.md:
 *   - trading-halt / calendar-filler rows (open = high = low = volume = 0)
 *     are skipped and counted in stats->skipped_halt;
 *   - an open or close at most 1% outside [low, high] (rounding left by
 *     split adjustment in FinanceDataReader/pykrx exports) widens the range
 *     to include it; anything further out is an error.
 */
#include "stom/bars.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stom/alloc.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

#define DEFAULT_MAX_LINE_BYTES 4096
#define DEFAULT_MAX_ROWS       100000000
#define MAX_HEADER_COLUMNS     100000
#define MAX_OFFSET_MINUTES     (18 * 60)
/* How far (1/n of the bound) an open or close may stray outside [low, high]. */
#define RANGE_TOLERANCE_DIVISOR 100
/* Bytes of a bad field quoted back in an error message. */
#define QUOTE_MAX 40

enum column_role {
    ROLE_DATE,
    ROLE_TIME,
    ROLE_OPEN,
    ROLE_HIGH,
    ROLE_LOW,
    ROLE_CLOSE,
    ROLE_VOLUME,
    ROLE_COUNT
};

static const char *const ROLE_NAMES[ROLE_COUNT] = {"date", "time",  "open",  "high",
                                                   "low",  "close", "volume"};

/* Header spellings of each role, compared ASCII-case-insensitively. */
static const char *const ROLE_SPELLINGS[ROLE_COUNT][5] = {
    [ROLE_DATE] = {"date", "datetime", "일자", "날짜", NULL},
    [ROLE_TIME] = {"time", "시간", NULL},
    [ROLE_OPEN] = {"open", "시가", NULL},
    [ROLE_HIGH] = {"high", "고가", NULL},
    [ROLE_LOW] = {"low", "저가", NULL},
    [ROLE_CLOSE] = {"close", "종가", NULL},
    [ROLE_VOLUME] = {"volume", "거래량", NULL},
};

/* A borrowed slice of the input. */
typedef struct csv_text {
    const char *p;
    size_t n;
} csv_text;

/* Everything one parse needs; lives on the caller's stack. */
typedef struct csv_loader {
    const char *name;
    size_t line; /* 1-based number of the line being read */
    stom_errbuf *eb;
    int utc_offset_min;
    size_t max_line, max_rows;
    int price_dec, qty_dec;
    int col[ROLE_COUNT];   /* column index of each role, -1 when absent */
    int order[ROLE_COUNT]; /* the present roles by increasing column */
    int nroles;
    int min_fields; /* last needed column + 1 */
    /* The last date parsed: intraday files repeat it for hundreds of rows. */
    char cached_date[10];
    size_t cached_date_n;
    int64_t cached_days;
    /* The previous row's timestamp and its text (pointing into the input). */
    bool have_prev;
    int64_t prev_ts;
    size_t prev_line;
    csv_text prev_date, prev_time;
    size_t rows_seen, halts;
} csv_loader;

static int fail(csv_loader *ld, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "<name>:<line>: <what>" into the error buffer and returns err. */
static int fail(csv_loader *ld, int err, const char *fmt, ...)
{
    char what[sizeof ld->eb->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return stom_errorf(ld->eb, err, "%s:%zu: %s", ld->name, ld->line, what);
}

/* printf precision that quotes at most QUOTE_MAX bytes of t. */
static int quoted_len(csv_text t)
{
    return (int)(t.n < QUOTE_MAX ? t.n : QUOTE_MAX);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- lines and fields ------------------------------------------------------------------- */

/* Cuts the next line off *pp (without its LF or CRLF) and counts it. */
static int next_line(csv_loader *ld, const char **pp, const char *end, csv_text *line)
{
    const char *p = *pp;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl != NULL ? nl : end;
    *pp = nl != NULL ? nl + 1 : end;
    ld->line++;
    if (stop > p && stop[-1] == '\r')
        stop--;
    line->p = p;
    line->n = (size_t)(stop - p);
    if (line->n > ld->max_line)
        return fail(ld, STOM_EFORMAT, "line is longer than %zu bytes", ld->max_line);
    return STOM_OK;
}

/* A double-quoted field: "" stands for one quote; only blanks may follow the closing quote. */
static bool quoted_field(const char **pp, const char *end, csv_text *f)
{
    const char *p = *pp + 1;
    f->p = p;
    for (;; p++) {
        if (p == end)
            return false;
        if (*p != '"')
            continue;
        if (p + 1 < end && p[1] == '"')
            p++;
        else
            break;
    }
    f->n = (size_t)(p - f->p);
    for (p++; p < end && is_blank(*p); p++)
        ;
    *pp = p;
    return p == end || *p == ',';
}

/*
 * Reads the field at *pp, blanks around it dropped, and moves *pp past its
 * comma. *more says whether another field follows. False for a broken quote.
 */
static bool next_field(const char **pp, const char *end, csv_text *f, bool *more)
{
    const char *p = *pp;
    while (p < end && is_blank(*p))
        p++;
    if (p < end && *p == '"') {
        if (!quoted_field(&p, end, f))
            return false;
    } else {
        const char *start = p;
        while (p < end && *p != ',')
            p++;
        const char *stop = p;
        while (stop > start && is_blank(stop[-1]))
            stop--;
        f->p = start;
        f->n = (size_t)(stop - start);
    }
    *more = p < end;
    *pp = *more ? p + 1 : p;
    return true;
}

/* ---- header ----------------------------------------------------------------------------- */

static bool name_equals(csv_text f, const char *name)
{
    size_t n = strlen(name);
    if (f.n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = f.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

static int role_of_name(csv_text f)
{
    for (int role = 0; role < ROLE_COUNT; role++)
        for (int k = 0; ROLE_SPELLINGS[role][k] != NULL; k++)
            if (name_equals(f, ROLE_SPELLINGS[role][k]))
                return role;
    return -1;
}

/* Orders the present roles by column so a row is split in one left-to-right pass. */
static void order_roles(csv_loader *ld)
{
    ld->nroles = 0;
    ld->min_fields = 0;
    for (int role = 0; role < ROLE_COUNT; role++) {
        if (ld->col[role] < 0)
            continue;
        int k = ld->nroles++;
        while (k > 0 && ld->col[ld->order[k - 1]] > ld->col[role]) {
            ld->order[k] = ld->order[k - 1];
            k--;
        }
        ld->order[k] = role;
        if (ld->col[role] + 1 > ld->min_fields)
            ld->min_fields = ld->col[role] + 1;
    }
}

/* Maps header names to roles; the first column of a role wins, unknown names are ignored. */
static int read_header(csv_loader *ld, csv_text line)
{
    const char *p = line.p, *end = line.p + line.n;
    bool more = true;
    for (int role = 0; role < ROLE_COUNT; role++)
        ld->col[role] = -1;
    for (int j = 0; more; j++) {
        csv_text f;
        if (j == MAX_HEADER_COLUMNS)
            return fail(ld, STOM_EFORMAT, "more than %d columns", MAX_HEADER_COLUMNS);
        if (!next_field(&p, end, &f, &more))
            return fail(ld, STOM_EFORMAT, "unterminated quote in the header");
        int role = role_of_name(f);
        if (role >= 0 && ld->col[role] < 0)
            ld->col[role] = j;
    }
    for (int role = 0; role < ROLE_COUNT; role++)
        if (role != ROLE_TIME && ld->col[role] < 0)
            return fail(ld, STOM_EFORMAT, "missing column %s", ROLE_NAMES[role]);
    order_roles(ld);
    return STOM_OK;
}

/* ---- timestamps ------------------------------------------------------------------------- */

/* The two digits at p as a number, or -1. The caller guarantees two readable bytes. */
static int two_digits(const char *p)
{
    if (!is_digit(p[0]) || !is_digit(p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static bool clock_valid(int h, int m, int s)
{
    return h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 59;
}

/* "HH:MM" or "HH:MM:SS" with an optional ".fraction" (dropped). Returns bytes used or 0. */
static size_t parse_clock(const char *s, size_t n, int32_t *sod)
{
    if (n < 5 || s[2] != ':')
        return 0;
    int h = two_digits(s), m = two_digits(s + 3), sec = 0;
    size_t i = 5;
    if (n >= 8 && s[5] == ':') {
        sec = two_digits(s + 6);
        i = 8;
        if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1]))
            for (i++; i < n && is_digit(s[i]); i++)
                ;
    }
    if (!clock_valid(h, m, sec))
        return 0;
    *sod = h * 3600 + m * 60 + sec;
    return i;
}

/* Nothing (keep *offset), "Z", or +HH, +HHMM, +HH:MM (either sign), after an optional space. */
static bool parse_offset(const char *s, size_t n, int *offset)
{
    if (n > 1 && s[0] == ' ') {
        s++;
        n--;
    }
    if (n == 0)
        return true;
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *offset = 0;
        return true;
    }
    if (s[0] != '+' && s[0] != '-')
        return false;
    int h, m = 0;
    if (n == 3) {
        h = two_digits(s + 1);
    } else if (n == 5) {
        h = two_digits(s + 1);
        m = two_digits(s + 3);
    } else if (n == 6 && s[3] == ':') {
        h = two_digits(s + 1);
        m = two_digits(s + 4);
    } else {
        return false;
    }
    if (h < 0 || m < 0 || m > 59 || h * 60 + m > MAX_OFFSET_MINUTES)
        return false;
    *offset = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

/* Compact times as brokers write them: HMM, HHMM, HMMSS, HHMMSS. */
static bool parse_compact_time(const char *s, size_t n, int32_t *sod)
{
    if (n < 3 || n > 6)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    int h = n <= 4 ? v / 100 : v / 10000;
    int m = n <= 4 ? v % 100 : v / 100 % 100;
    int sec = n <= 4 ? 0 : v % 100;
    if (!clock_valid(h, m, sec))
        return false;
    *sod = h * 3600 + m * 60 + sec;
    return true;
}

/* A separate time column: "H:MM", "HH:MM", "HH:MM:SS" or the compact forms. */
static bool parse_time_of_day(csv_text t, int32_t *sod)
{
    if (memchr(t.p, ':', t.n) == NULL)
        return parse_compact_time(t.p, t.n, sod);
    if (t.n >= 4 && t.p[1] == ':') {
        /* One-digit hour: "9:05" reads as "09:05". */
        char padded[16];
        if (t.n + 1 > sizeof padded)
            return false;
        padded[0] = '0';
        memcpy(padded + 1, t.p, t.n);
        return parse_clock(padded, t.n + 1, sod) == t.n + 1;
    }
    return parse_clock(t.p, t.n, sod) == t.n;
}

static int bad_date(csv_loader *ld, csv_text d)
{
    return fail(ld, STOM_EFORMAT, "invalid date \"%.*s\"", quoted_len(d), d.p);
}

/* Days since the epoch of the date at the start of d (10 bytes "YYYY-MM-DD" or 8 "YYYYMMDD"). */
static int parse_day(csv_loader *ld, csv_text d, size_t dn, int64_t *days)
{
    if (dn == ld->cached_date_n && memcmp(d.p, ld->cached_date, dn) == 0) {
        *days = ld->cached_days;
        return STOM_OK;
    }
    int32_t ymd;
    if (stom_parse_date(d.p, dn, &ymd) != STOM_OK)
        return bad_date(ld, d);
    *days = stom_days_of_date(ymd);
    memcpy(ld->cached_date, d.p, dn);
    ld->cached_date_n = dn;
    ld->cached_days = *days;
    return STOM_OK;
}

/*
 * UTC seconds of the bar start: the date, plus the time (from the date
 * field itself or from the time column), minus the UTC offset (the field's
 * own, else the loader's).
 */
static int parse_when(csv_loader *ld, csv_text d, const csv_text *t, int64_t *ts)
{
    if (d.n == 0)
        return fail(ld, STOM_EFORMAT, "empty date");
    if (t != NULL && t->n == 0)
        return fail(ld, STOM_EFORMAT, "empty time");
    size_t dn = d.n >= 10 && d.p[4] == '-' ? 10 : 8;
    if (d.n < dn)
        return bad_date(ld, d);
    int64_t days = 0;
    int rc = parse_day(ld, d, dn, &days);
    if (rc != STOM_OK)
        return rc;
    int32_t sod = 0;
    int offset = ld->utc_offset_min;
    if (d.n > dn) {
        if (t != NULL)
            return fail(ld, STOM_EFORMAT, "date \"%.*s\" has a time but there is a time column",
                        quoted_len(d), d.p);
        const char *s = d.p + dn + 1;
        size_t n = d.n - dn - 1, used;
        if ((d.p[dn] != ' ' && d.p[dn] != 'T') || (used = parse_clock(s, n, &sod)) == 0 ||
            !parse_offset(s + used, n - used, &offset))
            return fail(ld, STOM_EFORMAT, "invalid timestamp \"%.*s\"", quoted_len(d), d.p);
    } else if (t != NULL && !parse_time_of_day(*t, &sod)) {
        return fail(ld, STOM_EFORMAT, "invalid time \"%.*s\"", quoted_len(*t), t->p);
    }
    *ts = days * 86400 + sod - (int64_t)offset * 60;
    return STOM_OK;
}

/* ---- rows ------------------------------------------------------------------------------- */

/* Picks the needed fields of a row out in one pass; extra fields are ignored. */
static int split_row(csv_loader *ld, csv_text line, csv_text f[ROLE_COUNT])
{
    const char *p = line.p, *end = line.p + line.n;
    bool more = true;
    int k = 0;
    for (int j = 0; k < ld->nroles; j++) {
        csv_text field;
        if (!more)
            return fail(ld, STOM_EFORMAT, "expected at least %d fields, got %d", ld->min_fields, j);
        if (!next_field(&p, end, &field, &more))
            return fail(ld, STOM_EFORMAT, "unterminated quote in field %d", j + 1);
        if (j == ld->col[ld->order[k]])
            f[ld->order[k++]] = field;
    }
    return STOM_OK;
}

static int parse_number(csv_loader *ld, int role, csv_text f, int64_t *out)
{
    if (f.n == 0)
        return fail(ld, STOM_EFORMAT, "empty %s", ROLE_NAMES[role]);
    int decimals = role == ROLE_VOLUME ? ld->qty_dec : ld->price_dec;
    int rc = stom_fixed_parse(f.p, f.n, decimals, out);
    if (rc == STOM_ERANGE)
        return fail(ld, STOM_EFORMAT, "%s \"%.*s\" is out of range", ROLE_NAMES[role],
                    quoted_len(f), f.p);
    if (rc != STOM_OK)
        return fail(ld, STOM_EFORMAT, "%s \"%.*s\" is not a number", ROLE_NAMES[role],
                    quoted_len(f), f.p);
    if (*out < 0)
        return fail(ld, STOM_EFORMAT, "negative %s %.*s", ROLE_NAMES[role], quoted_len(f), f.p);
    return STOM_OK;
}

static const char *price_text(const csv_loader *ld, int64_t v, char *buf, size_t len)
{
    stom_fixed_format(v, ld->price_dec, false, buf, len);
    return buf;
}

/*
 * Brings v[role] (open or close) inside [low, high]: a value at most 1% of
 * the bound outside widens the range (adjustment rounding), further is an
 * error.
 */
static int fit_in_range(csv_loader *ld, int role, int64_t v[ROLE_COUNT])
{
    int64_t x = v[role], hi = v[ROLE_HIGH], lo = v[ROLE_LOW];
    char a[32], b[32];
    if (x > hi) {
        if (x - hi > hi / RANGE_TOLERANCE_DIVISOR)
            return fail(ld, STOM_EFORMAT, "%s %s is above high %s", ROLE_NAMES[role],
                        price_text(ld, x, a, sizeof a), price_text(ld, hi, b, sizeof b));
        v[ROLE_HIGH] = x;
    } else if (x < lo) {
        if (lo - x > lo / RANGE_TOLERANCE_DIVISOR)
            return fail(ld, STOM_EFORMAT, "%s %s is below low %s", ROLE_NAMES[role],
                        price_text(ld, x, a, sizeof a), price_text(ld, lo, b, sizeof b));
        v[ROLE_LOW] = x;
    }
    return STOM_OK;
}

static int check_prices(csv_loader *ld, int64_t v[ROLE_COUNT])
{
    if (v[ROLE_HIGH] < v[ROLE_LOW]) {
        char a[32], b[32];
        return fail(ld, STOM_EFORMAT, "high %s is below low %s",
                    price_text(ld, v[ROLE_HIGH], a, sizeof a),
                    price_text(ld, v[ROLE_LOW], b, sizeof b));
    }
    int rc = fit_in_range(ld, ROLE_OPEN, v);
    return rc != STOM_OK ? rc : fit_in_range(ld, ROLE_CLOSE, v);
}

/* Timestamps must strictly increase; the message quotes both rows' own text. */
static int check_order(csv_loader *ld, int64_t ts, const csv_text f[ROLE_COUNT])
{
    bool has_time = ld->col[ROLE_TIME] >= 0;
    csv_text d = f[ROLE_DATE], t = has_time ? f[ROLE_TIME] : (csv_text){"", 0};
    if (ld->have_prev && ts == ld->prev_ts)
        return fail(ld, STOM_EFORMAT, "duplicate timestamp %.*s%s%.*s (same as line %zu)",
                    quoted_len(d), d.p, has_time ? " " : "", quoted_len(t), t.p, ld->prev_line);
    if (ld->have_prev && ts < ld->prev_ts)
        return fail(ld, STOM_EFORMAT, "timestamp %.*s%s%.*s is earlier than %.*s%s%.*s on line %zu",
                    quoted_len(d), d.p, has_time ? " " : "", quoted_len(t), t.p,
                    quoted_len(ld->prev_date), ld->prev_date.p, has_time ? " " : "",
                    quoted_len(ld->prev_time), ld->prev_time.p, ld->prev_line);
    ld->have_prev = true;
    ld->prev_ts = ts;
    ld->prev_line = ld->line;
    ld->prev_date = d;
    ld->prev_time = t;
    return STOM_OK;
}

/* Parses and validates one data line; keeps it in b unless it is a halt row. */
static int parse_row(csv_loader *ld, stom_bars *b, csv_text line)
{
    csv_text f[ROLE_COUNT];
    int64_t v[ROLE_COUNT], ts = 0;
    int rc = split_row(ld, line, f);
    if (rc == STOM_OK)
        rc = parse_when(ld, f[ROLE_DATE], ld->col[ROLE_TIME] >= 0 ? &f[ROLE_TIME] : NULL, &ts);
    for (int role = ROLE_OPEN; role <= ROLE_VOLUME && rc == STOM_OK; role++)
        rc = parse_number(ld, role, f[role], &v[role]);
    if (rc != STOM_OK)
        return rc;
    /* Halt and calendar-filler rows carry no trade: skip them, but keep the clock honest. */
    bool halt = v[ROLE_OPEN] == 0 && v[ROLE_HIGH] == 0 && v[ROLE_LOW] == 0 && v[ROLE_VOLUME] == 0;
    if (!halt && (rc = check_prices(ld, v)) != STOM_OK)
        return rc;
    if ((rc = check_order(ld, ts, f)) != STOM_OK)
        return rc;
    if (halt) {
        ld->halts++;
        return STOM_OK;
    }
    stom_bars_push(b, ts, v[ROLE_OPEN], v[ROLE_HIGH], v[ROLE_LOW], v[ROLE_CLOSE], v[ROLE_VOLUME]);
    return STOM_OK;
}

/* ---- whole text ------------------------------------------------------------------------- */

static size_t count_lines(const char *p, const char *end)
{
    size_t n = 1;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL && ++p < end)
        n++;
    return n;
}

/* Finds the header (the first non-blank line) and reads it. */
static int parse_header(csv_loader *ld, const char **pp, const char *end)
{
    static const char BOM[3] = {'\xEF', '\xBB', '\xBF'};
    if (end - *pp >= 3 && memcmp(*pp, BOM, 3) == 0)
        *pp += 3;
    csv_text line = {NULL, 0};
    while (*pp < end && line.n == 0) {
        int rc = next_line(ld, pp, end, &line);
        if (rc != STOM_OK)
            return rc;
    }
    if (line.n == 0) {
        ld->line = ld->line > 0 ? ld->line : 1;
        return fail(ld, STOM_EEMPTY, "empty file");
    }
    return read_header(ld, line);
}

static int parse_text(csv_loader *ld, stom_bars *b, const char *p, const char *end)
{
    int rc = parse_header(ld, &p, end);
    if (rc != STOM_OK)
        return rc;
    if (p < end) {
        size_t lines = count_lines(p, end);
        stom_bars_reserve(b, lines < ld->max_rows ? lines : ld->max_rows);
    }
    while (p < end) {
        csv_text line;
        if ((rc = next_line(ld, &p, end, &line)) != STOM_OK)
            return rc;
        if (line.n == 0)
            continue;
        if (++ld->rows_seen > ld->max_rows)
            return fail(ld, STOM_ETOOBIG, "more than %zu rows", ld->max_rows);
        if ((rc = parse_row(ld, b, line)) != STOM_OK)
            return rc;
    }
    if (ld->rows_seen == 0)
        return fail(ld, STOM_EEMPTY, "no data rows after the header");
    if (b->len == 0)
        return fail(ld, STOM_EEMPTY, "all %zu rows are trading halts", ld->halts);
    return STOM_OK;
}

void stom_csv_options_default(stom_csv_options *opt)
{
    opt->utc_offset_minutes = STOM_KST_OFFSET_MINUTES;
    opt->max_line_bytes = DEFAULT_MAX_LINE_BYTES;
    opt->max_rows = DEFAULT_MAX_ROWS;
}

/* Fills the loader's limits from opt (NULL or zero fields mean the defaults). */
static int loader_init(csv_loader *ld, const stom_bars *out, const char *name,
                       const stom_csv_options *opt, stom_errbuf *eb)
{
    stom_csv_options def;
    stom_csv_options_default(&def);
    memset(ld, 0, sizeof *ld);
    ld->name = name != NULL ? name : "<csv>";
    ld->eb = eb;
    ld->utc_offset_min = opt != NULL ? opt->utc_offset_minutes : def.utc_offset_minutes;
    ld->max_line =
        opt != NULL && opt->max_line_bytes > 0 ? opt->max_line_bytes : def.max_line_bytes;
    ld->max_rows = opt != NULL && opt->max_rows > 0 ? opt->max_rows : def.max_rows;
    ld->price_dec = out->inst.price_decimals;
    ld->qty_dec = out->inst.qty_decimals;
    if (ld->utc_offset_min < -MAX_OFFSET_MINUTES || ld->utc_offset_min > MAX_OFFSET_MINUTES)
        return stom_errorf(eb, STOM_EINVAL, "%s: UTC offset %d minutes is out of range", ld->name,
                           ld->utc_offset_min);
    if (ld->price_dec < 0 || ld->price_dec > STOM_FIXED_MAX_DECIMALS || ld->qty_dec < 0 ||
        ld->qty_dec > STOM_FIXED_MAX_DECIMALS)
        return stom_errorf(eb, STOM_EINVAL, "%s: instrument scales %d/%d are out of range",
                           ld->name, ld->price_dec, ld->qty_dec);
    return STOM_OK;
}

int stom_bars_parse_csv(stom_bars *out, const char *data, size_t len, const char *name,
                        const stom_csv_options *opt, stom_csv_stats *stats, stom_errbuf *eb)
{
    if (stats != NULL)
        memset(stats, 0, sizeof *stats);
    if (out == NULL || (data == NULL && len > 0))
        return stom_errorf(eb, STOM_EINVAL, "stom_bars_parse_csv: NULL argument");
    stom_bars_free(out);
    csv_loader ld;
    int rc = loader_init(&ld, out, name, opt, eb);
    if (rc != STOM_OK)
        return rc;
    stom_bars tmp;
    stom_bars_init(&tmp, &out->inst);
    const char *text = data != NULL ? data : "";
    rc = parse_text(&ld, &tmp, text, text + len);
    if (rc != STOM_OK) {
        stom_bars_free(&tmp);
        return rc;
    }
    *out = tmp;
    if (stats != NULL) {
        stats->rows = tmp.len;
        stats->skipped_halt = ld.halts;
    }
    return STOM_OK;
}

/* (a + 1) * (b + 2), saturating: the largest file the row and line limits allow. */
static size_t file_limit(size_t rows, size_t line)
{
    size_t a = rows + 1, b = line + 2;
    if (a < rows || b < line || a > SIZE_MAX / b)
        return SIZE_MAX;
    return a * b;
}

/*
 * Reads the whole file into an owned buffer in one fread when its size is
 * known (regular files); pipes and the like are read in growing chunks.
 */
static int read_file(const char *path, size_t limit, char **data, size_t *len, stom_errbuf *eb)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return stom_errorf(eb, STOM_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    size_t cap = 65536, n = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
        if ((unsigned long long)st.st_size > limit) {
            fclose(f);
            return stom_errorf(eb, STOM_ETOOBIG, "%s: %lld bytes is more than the %zu allowed",
                               path, (long long)st.st_size, limit);
        }
        cap = (size_t)st.st_size + 1;
    }
    char *buf = stom_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n > limit)
            break;
        if (n == cap)
            buf = stom_xrealloc(buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed || n > limit) {
        free(buf);
        return stom_errorf(eb, failed ? STOM_EIO : STOM_ETOOBIG, "%s: %s", path,
                           failed ? "read error" : "file is larger than the row limits allow");
    }
    *data = buf;
    *len = n;
    return STOM_OK;
}

int stom_bars_load_csv(stom_bars *out, const char *path, const stom_csv_options *opt,
                       stom_csv_stats *stats, stom_errbuf *eb)
{
    if (stats != NULL)
        memset(stats, 0, sizeof *stats);
    if (out == NULL || path == NULL)
        return stom_errorf(eb, STOM_EINVAL, "stom_bars_load_csv: NULL argument");
    stom_bars_free(out);
    stom_csv_options o;
    stom_csv_options_default(&o);
    if (opt != NULL && opt->max_line_bytes > 0)
        o.max_line_bytes = opt->max_line_bytes;
    if (opt != NULL && opt->max_rows > 0)
        o.max_rows = opt->max_rows;
    char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, file_limit(o.max_rows, o.max_line_bytes), &data, &len, eb);
    if (rc != STOM_OK)
        return rc;
    rc = stom_bars_parse_csv(out, data, len, path, opt, stats, eb);
    free(data);
    return rc;
}
