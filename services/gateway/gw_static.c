/*
 * gw_static.c - the static-file helpers of the /docs and web UI routes:
 * the directory to serve, the plain-name check that keeps requests inside
 * it, content types by extension and reading a file into an answer.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gw_static.h"
#include "stom/alloc.h"

#define NAME_MAX_LEN 100

void gw_static_dir(const gw_config *cfg, const char *sub, const char *built, char *out, size_t len)
{
    if (cfg->static_dir)
        snprintf(out, len, "%s/%s", cfg->static_dir, sub);
    else
        snprintf(out, len, "%s", built ? built : "");
}

bool gw_static_exists(const char *dir, const char *name)
{
    char path[768];
    struct stat st;
    if (!dir[0] || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return false;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool gw_static_plain_name(const char *name)
{
    size_t n = strlen(name);
    if (!n || name[0] == '.' || n > NAME_MAX_LEN)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

const char *gw_static_type(const char *name)
{
    static const char *const types[][2] = {
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

void gw_static_send(gw_response *res, const char *dir, const char *name, const char *shown)
{
    char path[768];
    FILE *f = NULL;
    struct stat st;
    if (gw_static_plain_name(name) && dir[0] &&
        snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path)
        f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > GW_STATIC_FILE_MAX) {
        if (f)
            fclose(f);
        gw_reply_error(res, 404, "not_found", NULL, "no file %.200s", shown);
        return;
    }
    char *data = stom_xmalloc((size_t)st.st_size + 1);
    size_t n = fread(data, 1, (size_t)st.st_size, f);
    fclose(f);
    gw_reply_empty(res, 200);
    res->body = data;
    res->body_len = n;
    res->content_type = gw_static_type(name);
}

void gw_static_reply_text(gw_response *res, int status, const char *type, const char *text)
{
    gw_reply_empty(res, status);
    res->body = stom_xstrdup(text);
    res->body_len = strlen(text);
    res->content_type = type;
}
