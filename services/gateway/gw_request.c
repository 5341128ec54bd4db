/*
 * gw_request.c - reading a gw_request: the JSON body within its limits,
 * query and path parameters, and typed JSON fields with 400s that name the
 * field.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <strings.h>

#include "gw.h"

/* The deepest nesting of objects and arrays in text (strings skipped). */
static int json_depth(const char *text, size_t len)
{
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > deepest)
                deepest = depth;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return deepest;
}

static bool is_json_type(const char *content_type)
{
    if (!content_type || !*content_type)
        return true; /* clients that send JSON without saying so (curl -d) */
    return strncasecmp(content_type, "application/json", 16) == 0;
}

json_t *gw_body_json(const gw_ctx *ctx, const gw_request *req, gw_response *res)
{
    if (!is_json_type(req->content_type)) {
        gw_reply_error(res, 415, "unsupported_media_type", NULL,
                       "the body must be application/json, not %.64s", req->content_type);
        return NULL;
    }
    if (!req->body || req->body_len == 0) {
        gw_reply_error(res, 400, "invalid_json", NULL, "a JSON object body is required");
        return NULL;
    }
    int depth = json_depth(req->body, req->body_len);
    if (depth > ctx->cfg->json_depth_max) {
        gw_reply_error(res, 400, "invalid_json", NULL,
                       "the JSON body nests %d levels deep; at most %d are allowed", depth,
                       ctx->cfg->json_depth_max);
        return NULL;
    }
    json_error_t err;
    json_t *root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        gw_reply_error(res, 400, "invalid_json", NULL, "malformed JSON at line %d, column %d: %s",
                       err.line, err.column, err.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        gw_reply_error(res, 400, "invalid_json", NULL, "the JSON body must be an object");
        return NULL;
    }
    return root;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes src[0..len) into out (cap bytes with the NUL); false when it does not fit. */
static bool url_decode(const char *src, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < len) {
            int hi = hex_value(src[i + 1]), lo = hex_value(src[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (char)(hi * 16 + lo);
                i += 2;
            }
        }
        if (o + 1 >= cap)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

bool gw_query(const gw_request *req, const char *name, char *out, size_t len)
{
    size_t name_len = strlen(name);
    for (const char *p = req->query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t part = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', part);
        size_t key_len = eq ? (size_t)(eq - p) : part;
        if (key_len == name_len && memcmp(p, name, name_len) == 0) {
            const char *v = eq ? eq + 1 : p + part;
            return url_decode(v, (size_t)(p + part - v), out, len);
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

bool gw_param_id(const gw_request *req, size_t i, int64_t *id)
{
    if (i >= req->n_params || !req->params[i] || !isdigit((unsigned char)req->params[i][0]))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(req->params[i], &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

bool gw_json_string(const json_t *obj, const char *name, bool required, size_t max_len,
                    const char **out, gw_response *res)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        *out = NULL;
        if (required)
            gw_reply_error(res, 400, "invalid_field", name, "%s is required", name);
        return !required;
    }
    if (!json_is_string(v)) {
        gw_reply_error(res, 400, "invalid_field", name, "%s must be a string", name);
        return false;
    }
    if (json_string_length(v) > max_len) {
        gw_reply_error(res, 400, "invalid_field", name, "%s is longer than %zu bytes", name,
                       max_len);
        return false;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        gw_reply_error(res, 400, "invalid_field", name, "%s contains a NUL character", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

bool gw_json_int(const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
                 int64_t *out, gw_response *res)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        if (required)
            gw_reply_error(res, 400, "invalid_field", name, "%s is required", name);
        return !required;
    }
    if (!json_is_integer(v)) {
        gw_reply_error(res, 400, "invalid_field", name, "%s must be an integer", name);
        return false;
    }
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        gw_reply_error(res, 400, "invalid_field", name, "%s must be between %lld and %lld", name,
                       (long long)min, (long long)max);
        return false;
    }
    *out = x;
    return true;
}

bool gw_json_only(const json_t *obj, const char *const *fields, gw_response *res)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t k = 0;
        while (fields[k] && strcmp(fields[k], key))
            k++;
        if (fields[k])
            continue;
        char list[256] = "";
        for (k = 0; fields[k]; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                     fields[k]);
        gw_reply_error(res, 400, "invalid_field", key, "unknown field '%.64s' (fields: %s)", key,
                       list);
        return false;
    }
    return true;
}

bool gw_random_id(char prefix, size_t n, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char bytes[64];
    if (n > sizeof bytes || getrandom(bytes, n, 0) != (ssize_t)n)
        return false;
    out[0] = prefix;
    for (size_t i = 0; i < n; i++)
        out[i + 1] = alphabet[bytes[i] & 63];
    out[n + 1] = '\0';
    return true;
}
