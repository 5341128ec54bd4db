/*
 * gateway_client.c - requests to stom-gateway with the stored tokens, the
 * one refresh on 401, and the gateway's errors as one line each
 * (gateway_client.h).
 *
 * Tokens stored for another URL than the one in use are not sent: a token
 * belongs to the gateway that issued it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gateway_client.h"
#include "stom/alloc.h"
#include "stom/net_http.h"
#include "stom/timeutil.h"

#define RETRY_AFTER_MAX_S 5
#define API_PATH_MAX      4096

struct gateway_client {
    char *url;          /* owned, no trailing slash */
    char store[4096];   /* the credentials file's path ("" when unknown) */
    bool logged_in;     /* creds hold tokens for url */
    bool quiet_404;     /* a 404 is the caller's to explain */
    bool quiet_400;     /* a 400 is the caller's to explain (last_error) */
    bool quiet_503;     /* a 503 too (a service that is down is the answer) */
    json_t *last_error; /* owned: the "error" object of the last 400 kept while quiet_400 */
    auth_credentials creds;
};

static char *normalized(const char *url)
{
    char *u = stom_xstrdup(url);
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/')
        u[--n] = '\0';
    return u;
}

/* Loads the stored credentials; a refused file is fatal, a missing one is not. */
static int load_credentials(gateway_client *g)
{
    stom_errbuf eb = {{0}};
    if (auth_store_path(g->store, sizeof g->store, &eb) != STOM_OK) {
        g->store[0] = '\0';
        return EXIT_OK;
    }
    int rc = auth_store_load(g->store, &g->creds, &eb);
    if (rc == STOM_ENOTFOUND)
        return EXIT_OK;
    if (rc != STOM_OK) {
        cli_error("%s", eb.msg);
        return EXIT_USAGE;
    }
    g->logged_in = true;
    return EXIT_OK;
}

static const char *choose_url(const gateway_client *g, const char *url_flag)
{
    const char *env = getenv("STOM_URL");
    if (url_flag && *url_flag)
        return url_flag;
    if (env && *env)
        return env;
    if (g->logged_in)
        return g->creds.url;
    return GATEWAY_URL_DEFAULT;
}

int gateway_client_open(gateway_client **out, const char *url_flag, bool need_login)
{
    gateway_client *g = stom_xcalloc(1, sizeof *g);
    int rc = load_credentials(g);
    if (rc != EXIT_OK) {
        gateway_client_close(g);
        return rc;
    }
    g->url = normalized(choose_url(g, url_flag));
    if (g->logged_in && strcmp(g->creds.url, g->url) != 0) {
        if (need_login)
            cli_error("logged in to %s, not %s: run `stom login --url %s`", g->creds.url, g->url,
                      g->url);
        g->logged_in = false;
    }
    if (need_login && !g->logged_in) {
        if (g->creds.url == NULL)
            cli_error("not logged in to %s: run `stom login` (or use --local)", g->url);
        gateway_client_close(g);
        return EXIT_USAGE;
    }
    *out = g;
    return EXIT_OK;
}

void gateway_client_close(gateway_client *g)
{
    if (!g)
        return;
    free(g->url);
    json_decref(g->last_error);
    auth_credentials_free(&g->creds);
    free(g);
}

const char *gateway_client_url(const gateway_client *g)
{
    return g->url;
}

const auth_credentials *gateway_client_credentials(const gateway_client *g)
{
    return g->logged_in ? &g->creds : NULL;
}

/* ---- errors ------------------------------------------------------------------------ */

/* The first entry of the error's fields, or NULL. */
static const char *first_field(const json_t *error)
{
    const json_t *fields = json_object_get(error, "fields");
    void *it = json_is_object(fields) ? json_object_iter((json_t *)fields) : NULL;
    return it ? json_object_iter_key(it) : NULL;
}

/* A 401 of /auth/login is about the password typed, not about stored tokens. */
static void report_login_refused(const char *message)
{
    if (message && strstr(message, "disabled"))
        cli_error("%s: ask an administrator to enable it", message);
    else
        cli_error("wrong username or password: check both and try again (stom register creates "
                  "an account)");
}

/* Prints the gateway's error answer to path; returns the exit code for its status. */
static int report_error(const gateway_client *g, const char *path, long status, const char *body,
                        size_t len)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    const json_t *error = json_object_get(root, "error");
    const char *message = json_string_value(json_object_get(error, "message"));
    const char *field = first_field(error);
    char fallback[96];
    if (!message) {
        snprintf(fallback, sizeof fallback, "the gateway at %s answered HTTP %ld", g->url, status);
        message = fallback;
    }
    if (status == 401 && !strcmp(path, "/auth/login"))
        report_login_refused(json_string_value(json_object_get(error, "message")));
    else if (status == 401)
        cli_error("%s: run `stom login`", message);
    else if (field && !strstr(message, field))
        cli_error("%s (%s)", message, field);
    else
        cli_error("%s", message);
    /* A strategy that does not compile comes with its errors, one per line. */
    const json_t *errors = json_object_get(error, "errors");
    if (!errors)
        errors = json_object_get(root, "errors");
    for (size_t k = 0; json_is_array(errors) && k < json_array_size(errors); k++) {
        const json_t *e = json_array_get(errors, k);
        const char *what = json_string_value(json_object_get(e, "message"));
        fprintf(stderr, "  line %lld: %s\n",
                (long long)json_integer_value(json_object_get(e, "line")), what ? what : "");
    }
    json_decref(root);
    return status >= 500 ? EXIT_INTERNAL : EXIT_USAGE;
}

/* ---- requests ---------------------------------------------------------------------- */

typedef struct call {
    const char *method, *path, *body, *content_type;
    size_t len;
} call;

static int exchange(gateway_client *g, const call *c, stom_http_response *res)
{
    char url[API_PATH_MAX + 600];
    snprintf(url, sizeof url, "%s%s%s", g->url, GATEWAY_API, c->path);
    stom_http_request req = {0};
    req.method = c->method;
    req.url = url;
    req.bearer = g->logged_in ? g->creds.access_token : NULL;
    req.body = c->body;
    req.body_len = c->len;
    req.content_type = c->content_type;
    stom_errbuf eb = {{0}};
    int rc = stom_http_request_do(&req, res, &eb);
    if (rc == STOM_OK)
        return EXIT_OK;
    if (rc == STOM_EIO && strstr(eb.msg, "connection refused"))
        cli_error("cannot reach the gateway at %s: connection refused — start it with `make up` "
                  "or set STOM_URL",
                  g->url);
    else
        cli_error("%s (the gateway at %s; set STOM_URL or --url to use another)", eb.msg, g->url);
    return EXIT_INTERNAL;
}

static void sleep_s(int s)
{
    struct timespec ts = {s, 0};
    nanosleep(&ts, NULL);
}

/* POST /auth/refresh with the stored refresh token; true when a new pair was stored. */
static bool refresh(gateway_client *g)
{
    if (!g->logged_in || !g->creds.refresh_token)
        return false;
    json_t *body = json_pack("{s:s}", "refresh_token", g->creds.refresh_token);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    call c = {"POST", "/auth/refresh", text, NULL, strlen(text)};
    stom_http_response res;
    bool ok = false;
    if (exchange(g, &c, &res) == EXIT_OK) {
        json_t *tokens = res.status == 200 ? json_loadb(res.body, res.body_len, 0, NULL) : NULL;
        ok = tokens && gateway_client_store_tokens(g, g->creds.username, tokens) == EXIT_OK;
        json_decref(tokens);
        stom_http_response_free(&res);
    }
    free(text);
    return ok;
}

static int parse_answer(const stom_http_response *res, json_t **out)
{
    if (!out)
        return EXIT_OK;
    *out = NULL;
    if (res->body_len == 0)
        return EXIT_OK;
    json_error_t err;
    *out = json_loadb(res->body, res->body_len, JSON_REJECT_DUPLICATES, &err);
    if (*out == NULL) {
        cli_error("the gateway's answer is not JSON (line %d: %s)", err.line, err.text);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* Login and refresh answer 401 for what they were given: no refresh and retry then. */
static bool uses_tokens(const char *path)
{
    return strcmp(path, "/auth/refresh") != 0 && strcmp(path, "/auth/login") != 0;
}

/* Keeps a 400's "error" object (or an empty one) for the caller; EXIT_USAGE. */
static int keep_error(gateway_client *g, const stom_http_response *res)
{
    json_t *root = json_loadb(res->body, res->body_len, 0, NULL);
    json_t *error = json_object_get(root, "error");
    json_decref(g->last_error);
    g->last_error = json_is_object(error) ? json_incref(error) : json_object();
    json_decref(root);
    return EXIT_USAGE;
}

static int perform(gateway_client *g, const call *c, json_t **out, long *status)
{
    stom_http_response res;
    bool refreshed = false, waited = false;
    for (;;) {
        if (status)
            *status = 0;
        int rc = exchange(g, c, &res);
        if (rc != EXIT_OK)
            return rc;
        if (status)
            *status = res.status;
        bool busy = res.status == 429 || res.status == 503;
        if (res.status == 401 && !refreshed && uses_tokens(c->path) && g->logged_in) {
            refreshed = true;
            stom_http_response_free(&res);
            if (refresh(g))
                continue;
            return report_error(g, c->path, 401, "", 0);
        }
        if (busy && !waited && res.retry_after_s > 0 && res.retry_after_s <= RETRY_AFTER_MAX_S) {
            waited = true;
            sleep_s(res.retry_after_s);
            stom_http_response_free(&res);
            continue;
        }
        if (res.status >= 200 && res.status < 300)
            rc = parse_answer(&res, out);
        else if (res.status == 404 && g->quiet_404)
            rc = EXIT_USAGE;
        else if ((res.status == 400 && g->quiet_400) || (res.status == 503 && g->quiet_503))
            rc = keep_error(g, &res);
        else
            rc = report_error(g, c->path, res.status, res.body, res.body_len);
        stom_http_response_free(&res);
        return rc;
    }
}

int gateway_call(gateway_client *g, const char *method, const char *path, const json_t *body,
                 json_t **out, long *status)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    call c = {method, path, text, NULL, text ? strlen(text) : 0};
    int rc = perform(g, &c, out, status);
    free(text);
    return rc;
}

int gateway_call_raw(gateway_client *g, const char *method, const char *path, const char *body,
                     size_t len, const char *content_type, json_t **out, long *status)
{
    call c = {method, path, body, content_type, len};
    return perform(g, &c, out, status);
}

int gateway_client_store_tokens(gateway_client *g, const char *username, const json_t *tokens)
{
    const char *access = json_string_value(json_object_get(tokens, "access_token"));
    const char *refresh_token = json_string_value(json_object_get(tokens, "refresh_token"));
    if (!access) {
        cli_error("the gateway's login answer has no access_token");
        return EXIT_INTERNAL;
    }
    auth_credentials c = {stom_xstrdup(g->url), stom_xstrdup(username ? username : ""),
                          stom_xstrdup(access), refresh_token ? stom_xstrdup(refresh_token) : NULL};
    stom_errbuf eb = {{0}};
    int rc = g->store[0] ? auth_store_save(g->store, &c, &eb)
                         : stom_errorf(&eb, STOM_ENOTFOUND, "set HOME or XDG_CONFIG_HOME");
    if (rc != STOM_OK) {
        cli_error("cannot store the credentials: %s", eb.msg);
        auth_credentials_free(&c);
        return EXIT_INTERNAL;
    }
    auth_credentials_free(&g->creds);
    g->creds = c;
    g->logged_in = true;
    return EXIT_OK;
}

char *gateway_client_ws_url(const gateway_client *g)
{
    const char *rest = g->url;
    if (!strncmp(rest, "http://", 7))
        rest += 7;
    char *url = stom_xmalloc(strlen(rest) + 4096 + 64);
    sprintf(url, "ws://%s%s/ws", rest, GATEWAY_API);
    if (g->logged_in) {
        strcat(url, "?token=");
        stom_http_query_escape(url, strlen(rest) + 4096 + 64, g->creds.access_token);
    }
    return url;
}

bool gateway_query_add(char *path, size_t len, const char *name, const char *value)
{
    size_t used = strlen(path);
    int n = snprintf(path + used, len - used, "%c%s=", strchr(path, '?') ? '&' : '?', name);
    if (n < 0 || (size_t)n >= len - used) {
        path[used] = '\0';
        return false;
    }
    if (!stom_http_query_escape(path, len, value)) {
        path[used] = '\0';
        return false;
    }
    return true;
}

const char *json_str(const json_t *obj, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : fallback;
}

void json_copy_key(json_t *o, const json_t *j, const char *from, const char *to)
{
    json_t *v = json_object_get(j, from);
    if (v && !json_is_null(v))
        json_object_set(o, to, v);
}

void gateway_client_quiet_404(gateway_client *g, bool quiet)
{
    g->quiet_404 = quiet;
}

void gateway_client_quiet_400(gateway_client *g, bool quiet)
{
    g->quiet_400 = quiet;
}

void gateway_client_quiet_503(gateway_client *g, bool quiet)
{
    g->quiet_503 = quiet;
}

const json_t *gateway_client_last_error(const gateway_client *g)
{
    return g->last_error;
}

bool gateway_time_parse(const char *s, int64_t *out)
{
    int32_t date;
    int h, m, sec, oh = 0, om = 0, used = 0;
    if (!s || strlen(s) < 20 || stom_parse_date(s, 10, &date) != STOM_OK || s[10] != 'T' ||
        sscanf(s + 11, "%2d:%2d:%2d%n", &h, &m, &sec, &used) != 3)
        return false;
    const char *zone = s + 11 + used;
    while (*zone == '.' || (*zone >= '0' && *zone <= '9'))
        zone++; /* fractions of a second: bars start on whole seconds */
    int sign = *zone == '-' ? -1 : 1;
    if (*zone != 'Z' && sscanf(zone + 1, "%2d:%2d", &oh, &om) != 2)
        return false;
    *out = stom_midnight_utc(date, sign * (oh * 60 + om)) + h * 3600 + m * 60 + sec;
    return true;
}
