/*
 * auth_store.c - reading and writing the credentials file (auth_store.h).
 *
 * The mode is checked on the open descriptor (fstat), not on the path, so
 * the file checked is the file read. Writing goes to "<path>.tmp-<pid>"
 * created with O_EXCL and mode 0600 (the umask can only remove bits), then
 * fsync and rename over the old file.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth_store.h"
#include "stom/alloc.h"

int auth_store_path(char *buf, size_t len, stom_errbuf *eb)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/stom/credentials.json", xdg);
    else if (home && home[0] == '/')
        n = snprintf(buf, len, "%s/.config/stom/credentials.json", home);
    else
        return stom_errorf(eb, STOM_ENOTFOUND,
                           "neither XDG_CONFIG_HOME nor HOME names a directory for the "
                           "credentials file; set one of them");
    if (n < 0 || (size_t)n >= len)
        return stom_errorf(eb, STOM_ERANGE, "the credentials file's path is too long");
    return STOM_OK;
}

/* Refuses a file others could read or write, or that someone else owns. */
static int check_mode(int fd, const char *path, stom_errbuf *eb)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return stom_errorf(eb, STOM_EIO, "cannot stat %s: %s", path, strerror(errno));
    if (st.st_uid != geteuid())
        return stom_errorf(eb, STOM_ESTATE,
                           "%s belongs to another user; remove it and run `stom login` again",
                           path);
    if (st.st_mode & 077)
        return stom_errorf(eb, STOM_ESTATE,
                           "%s is readable by others (mode %03o), so its tokens may have leaked; "
                           "fix it with: chmod 600 %s (and run `stom login` again if others "
                           "could read it)",
                           path, (unsigned)(st.st_mode & 0777), path);
    if (st.st_size > (off_t)AUTH_FILE_MAX)
        return stom_errorf(eb, STOM_ETOOBIG, "%s is larger than %u bytes: not a credentials file",
                           path, AUTH_FILE_MAX);
    return STOM_OK;
}

static char *dup_field(const json_t *root, const char *name)
{
    const char *s = json_string_value(json_object_get(root, name));
    return s ? stom_xstrdup(s) : NULL;
}

static int parse(const char *text, size_t len, const char *path, auth_credentials *out,
                 stom_errbuf *eb)
{
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(root)) {
        json_decref(root);
        return stom_errorf(eb, STOM_EFORMAT,
                           "%s is not a credentials file (line %d: %s); remove it and run "
                           "`stom login`",
                           path, err.line, err.text);
    }
    auth_credentials c = {dup_field(root, "url"), dup_field(root, "username"),
                          dup_field(root, "access_token"), dup_field(root, "refresh_token")};
    json_decref(root);
    if (!c.url || !c.access_token) {
        auth_credentials_free(&c);
        return stom_errorf(eb, STOM_EFORMAT,
                           "%s lacks the url or access_token; run `stom login` again", path);
    }
    *out = c;
    return STOM_OK;
}

int auth_store_load(const char *path, auth_credentials *out, stom_errbuf *eb)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return stom_errorf(eb, STOM_ENOTFOUND, "not logged in (no %s): run `stom login`", path);
    if (fd < 0)
        return stom_errorf(eb, STOM_EIO, "cannot open %s: %s", path, strerror(errno));
    int rc = check_mode(fd, path, eb);
    char *buf = NULL;
    ssize_t n = 0;
    if (rc == STOM_OK) {
        buf = stom_xmalloc(AUTH_FILE_MAX + 1);
        n = read(fd, buf, AUTH_FILE_MAX);
        if (n < 0)
            rc = stom_errorf(eb, STOM_EIO, "cannot read %s: %s", path, strerror(errno));
    }
    if (rc == STOM_OK)
        rc = parse(buf, (size_t)n, path, out, eb);
    free(buf);
    close(fd);
    return rc;
}

/* mkdir with mode 0700 unless it exists. */
static int make_dir(const char *dir, stom_errbuf *eb)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return STOM_OK;
    return stom_errorf(eb, STOM_EIO, "cannot create %s: %s", dir, strerror(errno));
}

/* Creates the file's directory and its parent (the config directory). */
static int make_dirs(const char *path, stom_errbuf *eb)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return STOM_OK;
    *slash = '\0';
    char *parent = strrchr(dir, '/');
    int rc = STOM_OK;
    if (parent && parent != dir) {
        *parent = '\0';
        rc = make_dir(dir, eb);
        *parent = '/';
    }
    return rc == STOM_OK ? make_dir(dir, eb) : rc;
}

static char *to_text(const auth_credentials *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "url", json_string(c->url ? c->url : ""));
    json_object_set_new(o, "username", json_string(c->username ? c->username : ""));
    json_object_set_new(o, "access_token", json_string(c->access_token ? c->access_token : ""));
    if (c->refresh_token)
        json_object_set_new(o, "refresh_token", json_string(c->refresh_token));
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    return text;
}

static int write_file(const char *tmp, const char *text, stom_errbuf *eb)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return stom_errorf(eb, STOM_EIO, "cannot create %s: %s", tmp, strerror(errno));
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    int err = errno;
    close(fd);
    if (!ok) {
        unlink(tmp);
        return stom_errorf(eb, STOM_EIO, "cannot write %s: %s", tmp, strerror(err));
    }
    return STOM_OK;
}

int auth_store_save(const char *path, const auth_credentials *c, stom_errbuf *eb)
{
    int rc = make_dirs(path, eb);
    if (rc != STOM_OK)
        return rc;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    unlink(tmp); /* a leftover of a crashed run with the same pid */
    char *text = to_text(c);
    if (!text)
        return stom_errorf(eb, STOM_EIO, "cannot encode the credentials");
    rc = write_file(tmp, text, eb);
    free(text);
    if (rc == STOM_OK && rename(tmp, path) != 0) {
        rc = stom_errorf(eb, STOM_EIO, "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    return rc;
}

int auth_store_remove(const char *path, stom_errbuf *eb)
{
    if (unlink(path) == 0)
        return STOM_OK;
    if (errno == ENOENT)
        return stom_errorf(eb, STOM_ENOTFOUND, "not logged in (no %s)", path);
    return stom_errorf(eb, STOM_EIO, "cannot remove %s: %s", path, strerror(errno));
}

void auth_credentials_free(auth_credentials *c)
{
    free(c->url);
    free(c->username);
    free(c->access_token);
    free(c->refresh_token);
    memset(c, 0, sizeof *c);
}
