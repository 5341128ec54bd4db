/*
 * optimize_local_data.c - what --data means for `stom optimize --local`:
 * CSV files, read as `stom backtest --local` reads them (csv_bars.c). Each
 * file's name is its symbol, and those names become the JobSpec's symbols,
 * so the spec is the one the platform would run on the same bars stored
 * under those symbols.
 *
 * Thread-safety: the CLI's main thread, before any run starts.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "optimize_internal.h"
#include "stom/alloc.h"

#define MAX_FILES      64
#define MAX_SYMBOL_LEN (STOM_SYMBOL_MAX - 1) /* what an instrument holds */

static const char how_to_fix[] =
    "--local runs here on CSV files of bars: --data FILE.csv[,FILE.csv...] (each file's name "
    "is its symbol, e.g. 005930.csv); for the symbols stored on the platform drop --local "
    "(after `stom login`)";

/* A token that names no file and has neither a directory nor an extension: a symbol. */
static bool looks_like_symbol(const char *tok)
{
    struct stat st;
    return stat(tok, &st) != 0 && strchr(tok, '/') == NULL && strchr(tok, '.') == NULL;
}

static int add_file(optimize_options *o, const char *path)
{
    Stom__V1__JobSpec *s = o->spec;
    char symbol[256];
    cli_csv_symbol(path, symbol, sizeof symbol);
    if (symbol[0] == '\0' || strlen(symbol) > MAX_SYMBOL_LEN) {
        cli_error("--data %s: the file's name must give a symbol of 1 to %d characters "
                  "(e.g. 005930.csv)",
                  path, MAX_SYMBOL_LEN);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < s->n_symbols; k++)
        if (!strcmp(s->symbols[k], symbol)) {
            cli_error("--data: %s and %s are both symbol %s (a symbol's bars come from one "
                      "file)",
                      o->files[k], path, symbol);
            return EXIT_USAGE;
        }
    o->files = stom_xrealloc(o->files, (o->n_files + 1) * sizeof *o->files);
    o->files[o->n_files++] = stom_xstrdup(path);
    s->symbols = stom_xrealloc(s->symbols, (s->n_symbols + 1) * sizeof *s->symbols);
    s->symbols[s->n_symbols++] = stom_xstrdup(symbol);
    return EXIT_OK;
}

int optimize__apply_local_data(optimize_parse_state *ps, optimize_options *o)
{
    if (ps->f.data == NULL) {
        cli_error("--local needs --data: %s", how_to_fix);
        return EXIT_USAGE;
    }
    char *copy = stom_xstrdup(ps->f.data);
    int rc = EXIT_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && rc == EXIT_OK;
         tok = strtok_r(NULL, ",", &save)) {
        if (looks_like_symbol(tok)) {
            cli_error("--data %s looks like a symbol, not a file. %s", tok, how_to_fix);
            rc = EXIT_USAGE;
        } else if (o->n_files >= MAX_FILES) {
            cli_error("--data: at most %d files", MAX_FILES);
            rc = EXIT_USAGE;
        } else {
            rc = add_file(o, tok);
        }
    }
    free(copy);
    if (rc == EXIT_OK && o->n_files == 0) {
        cli_error("--data needs at least one file: %s", how_to_fix);
        rc = EXIT_USAGE;
    }
    return rc;
}
