/*
 * stom_import.c - `stom strategy import-stom`: STOM Python strategy -> Lua.
 *
 * The input is one file. Lines `# 매수전략` and `# 매도전략` (a comment at
 * column 0 holding just that word) start the buy and the sell code; what
 * comes before the first marker may hold only `self.vars[n] = [[start, end,
 * step], best]` lines and comments. A file without markers is all buy code,
 * and may also begin with self.vars lines. Each section is tokenized,
 * parsed, checked and emitted on its own (stom_import_internal.h); the
 * self.vars ranges become the `params` table and on_bar dispatches to the
 * buy code while flat and to the sell code while holding, which is when
 * STOM runs each.
 *
 * Input limits: STOM_IMPORT_MAX_BYTES, valid UTF-8 without NUL bytes,
 * nesting up to STOM_IMPORT_MAX_DEPTH, at most STOM_MAX_PARAMS ranges.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/stom_import.h"
#include "stom_import_internal.h"

enum { SEC_PRE = 0, SEC_BUY, SEC_SELL, N_SECTIONS };

static const char *const marker_words[N_SECTIONS] = {NULL, "매수전략", "매도전략"};

/* A stretch of the source that is translated as a unit. */
typedef struct span {
    bool present;
    size_t start, end; /* byte offsets */
    int first_line, marker_line;
} span;

/* The line number (1-based) of the first invalid byte, or 0 when src is clean UTF-8. */
static int bad_utf8_line(const unsigned char *s, size_t len)
{
    int line = 1;
    for (size_t i = 0; i < len;) {
        unsigned char b = s[i];
        size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (b == 0 || n == 0 || i + n > len)
            return line;
        unsigned cp = n == 1 ? b : b & (0x7f >> n);
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return line;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const unsigned min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return line;
        line += b == '\n';
        i += n;
    }
    return 0;
}

/* Which section a line [p, p+n) starts (SEC_BUY/SEC_SELL), or -1. */
static int marker_of(const char *p, size_t n)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (!n || p[0] != '#')
        return -1;
    size_t k = 1;
    while (k < n && (p[k] == ' ' || p[k] == '\t'))
        k++;
    for (int sec = SEC_BUY; sec < N_SECTIONS; sec++) {
        size_t w = strlen(marker_words[sec]);
        if (n - k == w && memcmp(p + k, marker_words[sec], w) == 0)
            return sec;
    }
    return -1;
}

/* Splits src into the preamble and the marked sections; 0 or the error. */
static int split_sections(stom__imp_ctx *c, const char *src, size_t len, span *sp)
{
    int cur = SEC_PRE, line = 1;
    sp[SEC_PRE] = (span){.present = true, .start = 0, .first_line = 1};
    for (size_t pos = 0; pos < len; line++) {
        const char *nl = memchr(src + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - src) : len, next = nl ? end + 1 : len;
        int sec = marker_of(src + pos, end - pos);
        if (sec > 0) {
            if (sp[sec].present)
                return stom__imp_fail(c, line, STOM_EFORMAT,
                                      "a second # %s section (the first starts at line %d)",
                                      marker_words[sec], sp[sec].marker_line);
            sp[cur].end = pos;
            sp[sec] = (span){true, next, len, line + 1, line};
            cur = sec;
        }
        pos = next;
    }
    sp[cur].end = len;
    if (!sp[SEC_BUY].present && !sp[SEC_SELL].present) {
        /* No markers: everything is buy code, self.vars lines included. */
        sp[SEC_BUY] = sp[SEC_PRE];
        sp[SEC_PRE].present = false;
    }
    return 0;
}

/* Checks one range and records it as the parameter var<n>. */
static int declare_var(stom__imp_ctx *c, const stom__imp_stmt *st, int *count)
{
    const stom__imp_var *v = &st->var;
    stom__imp_var *slot = &c->vars[st->var_index];
    int n = st->var_index;
    if (slot->declared)
        return stom__imp_fail(c, st->line, STOM_EINVAL, "self.vars[%d] is declared twice (line %d)",
                              n, slot->line);
    if (++*count > STOM_MAX_PARAMS)
        return stom__imp_fail(c, st->line, STOM_ETOOBIG, "more than %d self.vars ranges",
                              STOM_MAX_PARAMS);
    double lo = v->start < v->end ? v->start : v->end, hi = v->start < v->end ? v->end : v->start;
    if (v->start != v->end && v->step == 0)
        return stom__imp_fail(c, st->line, STOM_EINVAL,
                              "self.vars[%d]: step 0 needs start = end (a fixed value)", n);
    if (v->start != v->end && (v->end - v->start) * v->step < 0)
        return stom__imp_fail(c, st->line, STOM_EINVAL,
                              "self.vars[%d]: step %g does not lead from %g to %g", n, v->step,
                              v->start, v->end);
    if (v->best < lo || v->best > hi)
        return stom__imp_fail(c, st->line, STOM_EINVAL,
                              "self.vars[%d]: best %g is outside [%g, %g]", n, v->best, lo, hi);
    *slot = *v;
    slot->declared = true;
    slot->comment = st->comment;
    return 0;
}

/*
 * Takes the self.vars declarations off the front of *list (comments may sit
 * between them). With only_vars (the preamble) nothing else may follow.
 */
static int take_vars(stom__imp_ctx *c, stom__imp_stmt **list, bool only_vars, int *count)
{
    stom__imp_stmt **link = list;
    while (*link) {
        stom__imp_stmt *st = *link;
        if (st->kind == STOM__S_COMMENT) {
            link = &st->next;
            continue;
        }
        if (st->kind != STOM__S_VARS) {
            if (!only_vars)
                return 0;
            return stom__imp_fail(c, st->line, STOM_ETYPE,
                                  "cannot translate code before # 매수전략 (only self.vars "
                                  "ranges and comments may come first)");
        }
        int rc = declare_var(c, st, count);
        if (rc)
            return rc;
        *link = st->next;
    }
    return 0;
}

/* Tokenizes and parses one span into *body. */
static int parse_span(stom__imp_ctx *c, const char *src, const span *sp, stom__imp_stmt **body)
{
    size_t n;
    stom__imp_tok *toks =
        stom__imp_lex(c, src + sp->start, sp->end - sp->start, sp->first_line, &n);
    if (!toks)
        return c->rc;
    *body = stom__imp_parse(c, toks, n);
    return c->rc;
}

static bool has_code(const stom__imp_stmt *st)
{
    for (; st; st = st->next)
        if (st->kind != STOM__S_COMMENT)
            return true;
    return false;
}

static void emit_header(const char *name, const stom__imp_stmt *preamble, stom__imp_buf *out)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    stom__imp_buf_printf(out,
                         "-- Translated from %s by `stom strategy import-stom` "
                         "(docs/stom-import.md).\n"
                         "-- As in STOM, the buy code runs while flat and the sell code while "
                         "holding.\n"
                         "-- self.Buy()/self.Sell() are buy()/sell(): 매수/매도 are the "
                         "strategy's own flags here.\n",
                         base);
    for (const stom__imp_stmt *st = preamble; st; st = st->next) {
        stom__imp_buf_puts(out, "--");
        if (st->comment.n && st->comment.p[0] != ' ')
            stom__imp_buf_putn(out, " ", 1);
        stom__imp_buf_putn(out, st->comment.p, st->comment.n);
        stom__imp_buf_putn(out, "\n", 1);
    }
    stom__imp_buf_putn(out, "\n", 1);
}

static void emit_var(const stom__imp_var *v, int n, stom__imp_buf *out)
{
    bool up = v->start <= v->end;
    double step = v->start == v->end ? 1 : v->step < 0 ? -v->step : v->step;
    stom__imp_buf_printf(out, "    var%d = {type = \"%s\", default = ", n,
                         v->is_float ? "float" : "int");
    const double values[] = {v->best, up ? v->start : v->end, up ? v->end : v->start, step};
    const char *const sep[] = {", min = ", ", max = ", ", step = ", "},"};
    for (int k = 0; k < 4; k++) {
        stom__imp_emit_number(out, values[k]);
        stom__imp_buf_puts(out, sep[k]);
    }
    /* "-- <the line's comment> (self.vars[n] = [[...], best])" */
    stom__imp_buf_puts(out, " --");
    if (v->comment.n) {
        stom__imp_buf_putn(out, " ", v->comment.p[0] != ' ');
        stom__imp_buf_putn(out, v->comment.p, v->comment.n);
        stom__imp_buf_puts(out, " (");
    } else {
        stom__imp_buf_putn(out, " ", 1);
    }
    stom__imp_buf_printf(out, "self.vars[%d] = [[", n);
    const double range[] = {v->start, v->end, v->step, v->best};
    for (int k = 0; k < 4; k++) {
        stom__imp_emit_number(out, range[k]);
        stom__imp_buf_puts(out, k == 0 || k == 1 ? ", " : k == 2 ? "], " : "]");
    }
    stom__imp_buf_puts(out, v->comment.n ? ")\n" : "\n");
}

static void emit_params(const stom__imp_ctx *c, stom__imp_buf *out)
{
    bool any = false;
    for (int n = 0; n <= STOM__IMP_MAX_VAR; n++) {
        if (!c->vars[n].declared)
            continue;
        if (!any)
            stom__imp_buf_puts(out, "params = {\n");
        any = true;
        emit_var(&c->vars[n], n, out);
    }
    stom__imp_buf_puts(out, any ? "}\n\n" : "params = {}\n\n");
}

static void emit_on_bar(bool buy, bool sell, stom__imp_buf *out)
{
    stom__imp_buf_puts(out, "function on_bar()\n");
    stom__imp_buf_puts(out, sell && !buy ? "    if 보유수량 ~= 0 then\n"
                                         : "    if 보유수량 == 0 then\n");
    stom__imp_buf_puts(out, buy ? "        매수전략()\n" : "        매도전략()\n");
    if (buy && sell)
        stom__imp_buf_puts(out, "    else\n        매도전략()\n");
    stom__imp_buf_puts(out, "    end\nend\n");
}

static const char truthy_helper[] =
    "-- Python truthiness: 0, False and None are false (in Lua only false and nil are).\n"
    "local function truthy(x)\n"
    "    return x ~= nil and x ~= false and x ~= 0\n"
    "end\n\n";

/* Checks and emits the buy and sell sections, then assembles the file into out. */
static int emit_file(stom__imp_ctx *c, stom__imp_stmt **bodies, const span *sp, stom__imp_buf *out)
{
    stom__imp_buf code = {0};
    stom__imp_section *secs = stom__imp_alloc(&c->arena, 2 * sizeof *secs);
    for (int k = 0; k < 2; k++) {
        stom__imp_section *s = &secs[k];
        if (!sp[SEC_BUY + k].present)
            continue;
        s->label = marker_words[SEC_BUY + k];
        s->body = bodies[SEC_BUY + k];
        if (stom__imp_check(c, s)) {
            free(code.p);
            return c->rc;
        }
        stom__imp_emit_section(c, s, &code);
        stom__imp_buf_putn(&code, "\n", 1);
    }
    emit_header(c->name, bodies[SEC_PRE], out);
    emit_params(c, out);
    if (c->uses_truthy)
        stom__imp_buf_puts(out, truthy_helper);
    if (code.len)
        stom__imp_buf_putn(out, code.p, code.len);
    free(code.p);
    emit_on_bar(sp[SEC_BUY].present, sp[SEC_SELL].present, out);
    return 0;
}

static int translate(stom__imp_ctx *c, const char *src, size_t len, stom__imp_buf *out)
{
    span sp[N_SECTIONS] = {{0}};
    stom__imp_stmt *bodies[N_SECTIONS] = {0};
    int rc = split_sections(c, src, len, sp);
    for (int sec = 0; sec < N_SECTIONS && !rc; sec++)
        if (sp[sec].present)
            rc = parse_span(c, src, &sp[sec], &bodies[sec]);
    int count = 0;
    for (int sec = 0; sec < N_SECTIONS && !rc; sec++)
        if (sp[sec].present)
            rc = take_vars(c, &bodies[sec], sec == SEC_PRE, &count);
    if (rc)
        return rc;
    if (!has_code(bodies[SEC_BUY]) && !has_code(bodies[SEC_SELL]))
        return stom__imp_fail(c, 0, STOM_EEMPTY,
                              "no buy or sell code to translate (write it after # 매수전략 and "
                              "# 매도전략)");
    return emit_file(c, bodies, sp, out);
}

int stom_import_stom(const char *name, const char *src, size_t len, char **out_lua, size_t *out_len,
                     stom_errbuf *eb)
{
    stom__imp_ctx c = {.name = name, .eb = eb};
    if (len > STOM_IMPORT_MAX_BYTES)
        return stom__imp_fail(&c, 0, STOM_ETOOBIG, "larger than %d bytes", STOM_IMPORT_MAX_BYTES);
    int bad = bad_utf8_line((const unsigned char *)src, len);
    if (bad)
        return stom__imp_fail(
            &c, bad, STOM_EFORMAT,
            "not UTF-8 text or holds a NUL byte (save the file as UTF-8, not CP949)");
    if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
        src += 3;
        len -= 3;
    }
    c.vars = stom__imp_alloc(&c.arena, (STOM__IMP_MAX_VAR + 1) * sizeof *c.vars);
    stom__imp_buf out = {0};
    int rc = translate(&c, src, len, &out);
    stom__imp_arena_free(&c.arena);
    if (rc) {
        free(out.p);
        return rc;
    }
    *out_lua = out.p;
    if (out_len)
        *out_len = out.len;
    return 0;
}

int stom_import_stom_file(const char *path, char **out_lua, size_t *out_len, stom_errbuf *eb)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return stom_errorf(eb, STOM_EIO, "%s: %s", path, strerror(errno));
    char *data = stom_xmalloc(STOM_IMPORT_MAX_BYTES + 1);
    size_t len = fread(data, 1, STOM_IMPORT_MAX_BYTES + 1, f);
    int failed = ferror(f);
    fclose(f);
    int rc;
    if (failed)
        rc = stom_errorf(eb, STOM_EIO, "%s: read error", path);
    else if (len > STOM_IMPORT_MAX_BYTES)
        rc = stom_errorf(eb, STOM_ETOOBIG, "%s: larger than %d bytes", path, STOM_IMPORT_MAX_BYTES);
    else
        rc = stom_import_stom(path, data, len, out_lua, out_len, eb);
    free(data);
    return rc;
}
