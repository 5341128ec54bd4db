/*
 * net_http.c - stom_http_request_do: one libcurl easy handle per request,
 * with both timeouts set, the body collected into a bounded buffer and the
 * Retry-After and Location headers picked out of the answer.
 *
 * curl errors are translated here: the message names the URL and what
 * failed in words a user can act on; the caller adds how to fix it.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stom/alloc.h"
#include "stom/net_http.h"

typedef struct body_sink {
    char *data;
    size_t len, cap, max;
    bool too_big;
} body_sink;

int stom_net_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? STOM_OK : STOM_EIO;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *user)
{
    body_sink *s = user;
    size_t n = size * nmemb;
    if (s->len + n > s->max) {
        s->too_big = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        s->data = stom_xrealloc(s->data, cap);
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    s->data[s->len] = '\0';
    return n;
}

/* Copies the value of header line `name: value` (without CRLF) into out when it matches. */
static bool header_value(const char *line, size_t n, const char *name, char *out, size_t len)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
        return false;
    const char *v = line + k + 1;
    const char *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && isspace((unsigned char)end[-1]))
        end--;
    size_t vl = (size_t)(end - v) < len - 1 ? (size_t)(end - v) : len - 1;
    memcpy(out, v, vl);
    out[vl] = '\0';
    return true;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *user)
{
    stom_http_response *res = user;
    size_t n = size * nmemb;
    char value[32];
    if (header_value(ptr, n, "Retry-After", value, sizeof value))
        res->retry_after_s = atoi(value);
    else
        header_value(ptr, n, "Location", res->location, sizeof res->location);
    return n;
}

/* A curl failure as an error value and a message naming the URL. */
static int translate(CURLcode c, const char *url, const body_sink *sink, stom_errbuf *eb)
{
    if (sink->too_big)
        return stom_errorf(eb, STOM_ETOOBIG, "the answer from %s is larger than %zu bytes", url,
                           sink->max);
    switch (c) {
    case CURLE_COULDNT_CONNECT:
        return stom_errorf(eb, STOM_EIO, "cannot reach %s: connection refused", url);
    case CURLE_COULDNT_RESOLVE_HOST:
        return stom_errorf(eb, STOM_EIO, "cannot reach %s: unknown host", url);
    case CURLE_OPERATION_TIMEDOUT:
        return stom_errorf(eb, STOM_ETIMEDOUT, "no answer from %s in time", url);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return stom_errorf(eb, STOM_EINVAL, "'%s' is not an http:// URL", url);
    default:
        return stom_errorf(eb, STOM_EIO, "cannot reach %s: %s", url, curl_easy_strerror(c));
    }
}

static struct curl_slist *build_headers(const stom_http_request *req)
{
    struct curl_slist *h = NULL;
    char line[8192];
    if (req->bearer) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", req->bearer);
        h = curl_slist_append(h, line);
    }
    if (req->body) {
        snprintf(line, sizeof line, "Content-Type: %s",
                 req->content_type ? req->content_type : "application/json");
        h = curl_slist_append(h, line);
    }
    h = curl_slist_append(h, "Accept: application/json");
    /* The gateway answers at once; curl's 1 s wait for "100 Continue" only slows uploads. */
    return curl_slist_append(h, "Expect:");
}

static void set_options(CURL *c, const stom_http_request *req, struct curl_slist *headers)
{
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                                                 : (long)STOM_HTTP_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     req->timeout_ms > 0 ? req->timeout_ms : (long)STOM_HTTP_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "stom-cli/0.1");
    if (req->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    } else if (!strcmp(req->method, "GET")) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
}

int stom_http_request_do(const stom_http_request *req, stom_http_response *res, stom_errbuf *eb)
{
    if (!req || !req->method || !req->url || !res)
        return stom_errorf(eb, STOM_EINVAL, "an HTTP request needs a method and a URL");
    memset(res, 0, sizeof *res);
    CURL *c = curl_easy_init();
    if (!c)
        return stom_errorf(eb, STOM_EIO, "cannot start an HTTP request (libcurl)");
    body_sink sink = {NULL, 0, 0, req->max_body ? req->max_body : STOM_HTTP_BODY_MAX, false};
    struct curl_slist *headers = build_headers(req);
    set_options(c, req, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
    CURLcode cc = curl_easy_perform(c);
    int rc = STOM_OK;
    if (cc != CURLE_OK) {
        rc = translate(cc, req->url, &sink, eb);
        free(sink.data);
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
        res->body = sink.data ? sink.data : stom_xstrdup("");
        res->body_len = sink.len;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return rc;
}

void stom_http_response_free(stom_http_response *res)
{
    if (!res)
        return;
    free(res->body);
    res->body = NULL;
    res->body_len = 0;
}

bool stom_http_query_escape(char *buf, size_t len, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t used = strlen(buf), start = used;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        bool plain = isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~';
        if (used + (plain ? 1 : 3) >= len) {
            buf[start] = '\0';
            return false;
        }
        if (plain) {
            buf[used++] = (char)ch;
        } else {
            buf[used++] = '%';
            buf[used++] = hex[ch >> 4];
            buf[used++] = hex[ch & 15];
        }
    }
    buf[used] = '\0';
    return true;
}
