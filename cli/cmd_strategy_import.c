/*
 * cmd_strategy_import.c - `stom strategy import-stom FILE.py [-o FILE.lua]`:
 * translates a STOM (Python) strategy into a stom Lua strategy
 * (stom/stom_import.h, docs/stom-import.md).
 *
 * The Lua goes to stdout, or to -o FILE, which is written only when the
 * whole translation succeeded. A refusal is printed as the importer words
 * it, "FILE:LINE: cannot translate ...", without a prefix so that editors
 * can jump to the line. Exit codes, as `stom strategy check`: 0 translated,
 * 1 the strategy cannot be translated (syntax, a construct outside the
 * subset, an unknown name, a bad range, too large, not UTF-8: the message
 * says where and why), 2 usage error, 3 a file cannot be read or written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stom/stom_import.h"

enum { EXIT_UNTRANSLATABLE = 1 };

static void usage(FILE *out)
{
    fputs("Usage: stom strategy import-stom FILE.py [-o FILE.lua]\n"
          "\n"
          "Translates a STOM strategy (Python) into a stom Lua strategy.\n"
          "\n"
          "FILE.py holds:\n"
          "  self.vars[n] = [[start, end, step], best] lines (optional; they become\n"
          "                 the Lua params var<n>, best is the default)\n"
          "  # 매수전략      then the buy code (runs while flat)\n"
          "  # 매도전략      then the sell code (runs while holding)\n"
          "A file without the two marker lines is all buy code.\n"
          "\n"
          "Accepted: assignments, if/elif/else, and/or/not, comparisons (chained too),\n"
          "+ - * / // % **, numbers, True/False/None, vocabulary names and calls\n"
          "(stom strategy vocabulary), abs/min/max, self.Buy(), self.Sell(),\n"
          "self.vars[n], pass, comments. Anything else is refused with its line.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE  write the Lua to FILE instead of stdout\n"
          "  -h, --help         this help\n"
          "\n"
          "Example:\n"
          "  stom strategy import-stom 눌림목.py -o 눌림목.lua\n"
          "  stom strategy check 눌림목.lua\n"
          "\n"
          "Exit codes: 0 translated, 1 cannot be translated (the message gives\n"
          "FILE:LINE and the reason), 2 usage error, 3 a file cannot be read or written.\n"
          "Details: docs/stom-import.md\n",
          out);
}

typedef struct import_options {
    const char *input, *output;
} import_options;

/* Parses argv (argv[0] is "import-stom"); returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, import_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc) {
                cli_error("import-stom: %s needs a file name", a);
                return EXIT_USAGE;
            }
            o->output = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' for import-stom (use -o FILE or --help)", a);
            return EXIT_USAGE;
        } else if (o->input) {
            cli_error("import-stom takes one FILE.py (got '%s' and '%s')", o->input, a);
            return EXIT_USAGE;
        } else {
            o->input = a;
        }
    }
    if (!o->input) {
        cli_error("import-stom needs a FILE.py (see stom strategy import-stom --help)");
        return EXIT_USAGE;
    }
    return -1;
}

static int write_output(const char *path, const char *lua, size_t len)
{
    if (!path || !strcmp(path, "-")) {
        bool ok = fwrite(lua, 1, len, stdout) == len && fflush(stdout) == 0;
        return ok ? EXIT_OK : EXIT_DATA;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        return EXIT_DATA;
    }
    bool ok = fwrite(lua, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        cli_error("cannot write %s", path);
        return EXIT_DATA;
    }
    return EXIT_OK;
}

int cli_strategy_import(int argc, char **argv)
{
    import_options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char *lua = NULL;
    size_t len = 0;
    stom_errbuf eb = {{0}};
    rc = stom_import_stom_file(o.input, &lua, &len, &eb);
    if (rc) {
        if (rc == STOM_EIO) {
            cli_error("cannot read %s", eb.msg[0] ? eb.msg : o.input);
            return EXIT_DATA;
        }
        fprintf(stderr, "%s\n", eb.msg[0] ? eb.msg : stom_strerror(rc));
        return EXIT_UNTRANSLATABLE;
    }
    rc = write_output(o.output, lua, len);
    free(lua);
    return rc;
}
