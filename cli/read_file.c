/*
 * read_file.c - a file the user names, read whole into memory with a bound
 * checked while reading (cli.h: cli_read_file). The bound is the size the
 * consumer accepts (a strategy's 1 MiB, the gateway's 64 MiB CSV upload),
 * so an oversized file is refused before anything is sent or parsed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stom/alloc.h"

/* Reads f in chunks into a growing buffer; over max is refused without reading further. */
static int read_all(FILE *f, size_t max, char **out, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = stom_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            buf = stom_xrealloc(buf, cap + 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > max || got == 0)
            break;
    }
    if (ferror(f) || n > max) {
        free(buf);
        return ferror(f) ? -1 : 1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int cli_read_file(const char *path, size_t max, const char *limit_hint, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return EXIT_DATA;
    }
    int rc = read_all(f, max, out, len);
    fclose(f);
    if (rc < 0)
        cli_error("cannot read %s", path);
    else if (rc > 0)
        cli_error("%s is larger than %zu bytes; %s", path, max, limit_hint);
    return rc == 0 ? EXIT_OK : EXIT_DATA;
}
