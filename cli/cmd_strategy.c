/*
 * cmd_strategy.c - `stom strategy <verb>`:
 *   check FILE [--json]            STOM's "code test" for a Lua strategy
 *   import-stom ...                a STOM (Python) strategy to Lua (cmd_strategy_import.c)
 *   vocabulary [--markdown|--json] the names strategies may use, from the registry
 *
 *   push, list, versions, diff     strategies stored in the gateway (cmd_strategy_gateway.c)
 *
 * `check` prints "FILE:LINE: error: message" lines and a summary; it exits
 * 1 when there are errors, 0 otherwise (warnings alone pass), 2 on usage
 * errors and 3 when the file cannot be read. `vocabulary --markdown` is the
 * table embedded in docs/strategy-language.md (scripts/gen-strategy-docs.sh
 * writes it there; a CLI test fails when the two differ).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/strategy_check.h"
#include "stom/vocabulary.h"

static void usage(FILE *out)
{
    fputs("Usage: stom strategy <verb> [options]\n"
          "\n"
          "Verbs:\n"
          "  check FILE [--json]             check a Lua strategy without running it: syntax,\n"
          "                                  unknown or sandboxed names, argument counts, the\n"
          "                                  params schema, on_bar (STOM's code test)\n"
          "  import-stom ...                 translate a STOM (Python) strategy into Lua\n"
          "                                  (stom strategy import-stom --help)\n"
          "  vocabulary [--markdown|--json]  the names strategies may use (English and 한국어)\n"
          "\n"
          "Through the gateway (after stom login; --url URL, else $STOM_URL or the login's):\n"
          "  push FILE [--name N] [--description D] [--message M] [--json]\n"
          "                                  store a strategy: a new name creates it, an\n"
          "                                  existing one gets a new version (code that fails\n"
          "                                  the check is refused with FILE:LINE errors)\n"
          "  list [--json]                   your stored strategies\n"
          "  versions NAME [--json]          the versions of strategy NAME\n"
          "  diff NAME [A B]                 unified diff from version A to B (default: the\n"
          "                                  latest against the one before)\n"
          "\n"
          "check exits 0 when there are no errors (warnings allowed), 1 when there are,\n"
          "2 on a usage error and 3 when the file cannot be read.\n"
          "The language is described in docs/strategy-language.md.\n",
          out);
}

/* --- check --- */

/* `check` found errors: the same status as EXIT_INTERNAL, named for what it means here. */
enum { EXIT_CHECK_ERRORS = 1 };

static const char *plural(size_t n, const char *word, char *buf, size_t len)
{
    snprintf(buf, len, "%zu %s%s", n, word, n == 1 ? "" : "s");
    return buf;
}

static void print_check_text(const char *file, const stom_check_report *r)
{
    char line[1024], a[32], b[32];
    for (size_t i = 0; i < r->n_issues; i++) {
        stom_check_issue_format(file, &r->issues[i], line, sizeof line);
        puts(line);
    }
    if (r->errors + r->warnings > r->n_issues)
        printf("(only the first %zu problems are listed)\n", r->n_issues);
    if (r->errors + r->warnings == 0)
        puts("ok: no problems");
    else
        printf("%s, %s\n", plural(r->errors, "error", a, sizeof a),
               plural(r->warnings, "warning", b, sizeof b));
}

static json_t *params_json(const stom_check_report *r)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->n_params; i++) {
        const stom_param_spec *s = &r->params[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(s->name));
        json_object_set_new(j, "type", json_string(stom_param_type_name(s->type)));
        json_object_set_new(j, "default", json_real(s->def));
        json_object_set_new(j, "min", json_real(s->min));
        json_object_set_new(j, "max", json_real(s->max));
        json_object_set_new(j, "step", json_real(s->step));
        json_object_set_new(j, "help", json_string(s->help));
        json_array_append_new(list, j);
    }
    return list;
}

static int print_check_json(const char *file, const stom_check_report *r)
{
    json_t *j = json_object(), *problems = json_array();
    for (size_t i = 0; i < r->n_issues; i++) {
        const stom_check_issue *is = &r->issues[i];
        json_t *p = json_object();
        json_object_set_new(p, "line", json_integer(is->line));
        json_object_set_new(p, "severity", json_string(stom_check_severity_name(is->severity)));
        json_object_set_new(p, "message", json_string(is->message));
        json_array_append_new(problems, p);
    }
    json_object_set_new(j, "file", json_string(file));
    json_object_set_new(j, "ok", json_boolean(r->errors == 0));
    json_object_set_new(j, "errors", json_integer((json_int_t)r->errors));
    json_object_set_new(j, "warnings", json_integer((json_int_t)r->warnings));
    json_object_set_new(j, "needs", json_string(r->needs_snapshot ? "snapshot" : "bars"));
    json_object_set_new(j, "params", params_json(r));
    json_object_set_new(j, "problems", problems);
    int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(j);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

static int cmd_check(int argc, char **argv)
{
    const char *file = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            puts("Usage: stom strategy check FILE [--json]\n\nChecks a Lua strategy without "
                 "running it and prints FILE:LINE: error: message lines.\nExit 0 without errors, "
                 "1 with errors, 2 on usage errors, 3 when FILE cannot be read.");
            return EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_error("unknown option '%s' for strategy check (use --json or --help)", argv[i]);
            return EXIT_USAGE;
        } else if (file) {
            cli_error("strategy check takes one FILE (got '%s' and '%s')", file, argv[i]);
            return EXIT_USAGE;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        cli_error("strategy check needs a FILE (stom strategy check FILE [--json])");
        return EXIT_USAGE;
    }
    char *code;
    size_t len;
    int rc =
        cli_read_file(file, STOM_CHECK_MAX_BYTES, "a strategy must be at most 1 MiB", &code, &len);
    if (rc != EXIT_OK)
        return rc;
    stom_check_report r;
    rc = stom_strategy_check(file, code, len, &r);
    free(code);
    if (rc != STOM_OK && rc != STOM_ETOOBIG) {
        cli_error("cannot check %s: %s", file, stom_strerror(rc));
        return EXIT_INTERNAL;
    }
    int out = json ? print_check_json(file, &r) : (print_check_text(file, &r), EXIT_OK);
    rc = out != EXIT_OK ? out : r.errors ? EXIT_CHECK_ERRORS : EXIT_OK;
    stom_check_report_free(&r);
    return rc;
}

/* --- vocabulary --- */

/* Section titles of the Markdown table, by stom_vocab_kind. */
static const char *const kind_titles[] = {"Fields of the current bar · 현재 봉의 값",
                                          "Look-back: a field k bars ago · 과거 봉의 값",
                                          "Windows over the last n bars · 구간 함수",
                                          "Indicators · 보조지표",
                                          "Position of this symbol (0 when flat) · 보유 포지션",
                                          "Account · 계좌",
                                          "Actions (orders) · 주문",
                                          "Helpers · 도우미 함수"};

static const char *needs_name(stom_vocab_data d)
{
    return d == STOM_DATA_SNAPSHOT ? "snapshot" : "bars";
}

/* Text for a Markdown table cell: a '|' would end the cell. */
static void md_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static void md_row(const stom_vocab_entry *e)
{
    printf("| `%s` | ", e->english);
    if (e->korean)
        printf("`%s`", e->korean);
    else
        fputs("—", stdout);
    fputs(" | ", stdout);
    if (e->args[0])
        printf("`%s`", e->args);
    else
        fputs("—", stdout);
    printf(" | %s | ", needs_name(e->needs));
    md_cell(e->help);
    fputs(" | ", stdout);
    md_cell(e->help_ko);
    puts(" |");
}

static void print_vocab_markdown(void)
{
    size_t n;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    bool first = true;
    for (int k = STOM_VOCAB_FIELD; k <= STOM_VOCAB_HELPER; k++) {
        bool any = false;
        for (size_t i = 0; i < n && !any; i++)
            any = all[i].kind == (stom_vocab_kind)k;
        if (!any)
            continue;
        printf("%s### %s\n\n", first ? "" : "\n", kind_titles[k]);
        puts("| English | 한국어 | arguments | needs | description | 설명 |");
        puts("|---|---|---|---|---|---|");
        for (size_t i = 0; i < n; i++) {
            if (all[i].kind == (stom_vocab_kind)k)
                md_row(&all[i]);
        }
        first = false;
    }
}

/* Terminal columns of UTF-8 text: Hangul and other wide scripts take two. */
static int display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE1 ? 2 : 1; /* U+1100 and above: Hangul jamo, syllables, CJK */
    }
    return w;
}

static void print_vocab_text(void)
{
    size_t n;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    printf("%-16s %-12s %-10s %-32s %-8s %s\n", "english", "korean", "kind", "arguments", "needs",
           "description");
    for (size_t i = 0; i < n; i++) {
        const stom_vocab_entry *e = &all[i];
        /* printf pads by bytes; Korean is padded by its width on screen. */
        const char *ko = e->korean ? e->korean : "-";
        int pad = 12 - display_width(ko);
        printf("%-16s %s%*s %-10s %-32s %-8s %s\n", e->english, ko, pad > 0 ? pad : 0, "",
               stom_vocab_kind_name(e->kind), e->args[0] ? e->args : "-", needs_name(e->needs),
               e->help);
    }
}

static int print_vocab_json(void)
{
    size_t n;
    const stom_vocab_entry *all = stom_vocab_all(&n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const stom_vocab_entry *e = &all[i];
        json_t *j = json_object();
        json_object_set_new(j, "english", json_string(e->english));
        json_object_set_new(j, "korean", e->korean ? json_string(e->korean) : json_null());
        json_object_set_new(j, "kind", json_string(stom_vocab_kind_name(e->kind)));
        json_object_set_new(j, "min_args", json_integer(e->min_args));
        json_object_set_new(j, "max_args", json_integer(e->max_args));
        json_object_set_new(j, "args", json_string(e->args));
        json_object_set_new(j, "needs", json_string(needs_name(e->needs)));
        json_object_set_new(j, "help", json_string(e->help));
        json_object_set_new(j, "help_ko", json_string(e->help_ko));
        json_array_append_new(list, j);
    }
    int rc = json_dumpf(list, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(list);
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

static int cmd_vocabulary(int argc, char **argv)
{
    enum { TEXT, MARKDOWN, JSON } format = TEXT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            format = MARKDOWN;
        } else if (!strcmp(argv[i], "--json")) {
            format = JSON;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            puts("Usage: stom strategy vocabulary [--markdown|--json]\n\nThe names a strategy "
                 "may use, in English and Korean, with their arguments and data needs.");
            return EXIT_OK;
        } else {
            cli_error("unknown option '%s' for strategy vocabulary (use --markdown or --json)",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    if (format == JSON)
        return print_vocab_json();
    if (format == MARKDOWN)
        print_vocab_markdown();
    else
        print_vocab_text();
    return EXIT_OK;
}

int cli_strategy(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help") || !strcmp(verb, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(verb, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(verb, "import-stom"))
        return cli_strategy_import(argc - 1, argv + 1);
    if (!strcmp(verb, "vocabulary"))
        return cmd_vocabulary(argc - 1, argv + 1);
    if (strategy_verb_is_remote(verb))
        return strategy_via_gateway(argc - 1, argv + 1);
    cli_error("unknown strategy verb '%s' (verbs: check, import-stom, vocabulary, push, list, "
              "versions, diff; see stom strategy --help)",
              verb);
    return EXIT_USAGE;
}
