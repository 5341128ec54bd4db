/*
 * gw_server.c - the libwebsockets side of stom-gateway.
 *
 * A connection's session (lws per-session data, reused across keep-alive
 * requests) goes through: reading headers (LWS_CALLBACK_HTTP) -> reading the
 * body (HTTP_BODY, up to its Content-Length) -> in flight on a worker ->
 * answering (one lws_write per HTTP_WRITEABLE: headers, then body chunks)
 * -> lws_http_transaction_completed, ready for the next request.
 *
 * Answers come back from the workers through the pool's done queue and
 * lws_cancel_service (EVENT_WAIT_CANCELLED). A connection that closes while
 * its job runs marks the job orphaned; the answer is then discarded when it
 * returns, never written to a session that no longer exists. Only the
 * service thread reads or writes sessions and the orphaned flag.
 *
 * Invariant: session->job is NULL, or a job this session is reading (owned
 * here), or one in the pool whose conn is this session.
 */
#include <arpa/inet.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gw_metrics.h"
#include "gw_pool.h"
#include "gw_router.h"
#include "gw_server.h"
#include "gw_ws.h"
#include "stom/alloc.h"
#include "stom/timeutil.h"

#define QUEUE_MAX   1024  /* jobs waiting for a worker before 503 */
#define HEADER_MAX  8192  /* request header bytes; more and lws refuses the connection */
#define CHUNK       16384 /* body bytes per lws_write */
#define HEADERS_MAX 2048  /* answer header bytes */
#define TIMEOUT_S   120   /* a request in flight longer than this closes its connection */
#define UPLOAD_PATH "/api/v1/data/import"
#define CSP_API     "default-src 'none'; frame-ancestors 'none'" /* pages set their own (csp) */

#define CORS_METHODS "GET, POST, PUT, PATCH, DELETE, OPTIONS"
#define CORS_HEADERS "Authorization, Content-Type"

struct gw_server {
    const gw_config *cfg;
    struct lws_context *context;
    gw_ws_hub *hub;
    gw_pool *pool;
    volatile sig_atomic_t stop;
};

typedef struct session {
    struct lws *wsi;
    gw_job *job;
    bool in_flight;   /* job is in the pool */
    size_t body_want; /* the Content-Length being read */
    /* the answer being written */
    bool answering, headers_sent, close_after;
    int status;
    char *out; /* owned body */
    size_t out_len, out_pos;
    const char *content_type;
    const char *cache_control, *csp; /* the handler's static overrides, or NULL */
    int retry_after_s;
    char location[128];
    char origin[256]; /* the request's Origin when it is allowed, else "" */
    char allow_preflight;
    char peer[48]; /* the client's address, kept for the connection's life */
} session;

static gw_server *server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* Drops the request and answer of s; an in-flight job is orphaned (freed when it returns). */
static void session_reset(session *s)
{
    if (s->job) {
        if (s->in_flight)
            s->job->orphaned = true;
        else
            gw_job_free(s->job);
    }
    free(s->out);
    struct lws *wsi = s->wsi;
    char peer[sizeof s->peer];
    memcpy(peer, s->peer, sizeof peer);
    memset(s, 0, sizeof *s);
    s->wsi = wsi;
    memcpy(s->peer, peer, sizeof peer);
}

/* ---- answering ---------------------------------------------------------- */

static void answer(session *s, int status, char *body, size_t len, const char *type)
{
    free(s->out);
    s->answering = true;
    s->status = status;
    s->out = body;
    s->out_len = len;
    s->out_pos = 0;
    s->content_type = type ? type : "application/json";
    lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0);
    lws_callback_on_writable(s->wsi);
}

/* Answers with the standard error shape at once from the service thread. */
static void answer_error(session *s, int status, const char *code, const char *message,
                         bool close_after)
{
    gw_response res = {0};
    gw_reply_error(&res, status, code, NULL, "%s", message);
    s->close_after = close_after;
    if (status == 503)
        s->retry_after_s = 1;
    answer(s, status, res.body, res.body_len, res.content_type);
    gw_metrics_request(NULL, s->job ? s->job->req.method : "-", status, 0);
}

static bool origin_allowed(const gw_config *cfg, const char *origin)
{
    for (size_t i = 0; i < cfg->n_cors; i++)
        if (!strcmp(cfg->cors[i], origin))
            return true;
    return false;
}

static int add(struct lws *wsi, const char *name, const char *value, unsigned char **p,
               unsigned char *end)
{
    return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                       (const unsigned char *)value, (int)strlen(value), p, end);
}

static int add_security(struct lws *wsi, const session *s, unsigned char **p, unsigned char *end)
{
    int rc = add(wsi, "X-Content-Type-Options:", "nosniff", p, end) ||
             add(wsi, "X-Frame-Options:", "DENY", p, end) ||
             add(wsi, "Referrer-Policy:", "no-referrer", p, end) ||
             add(wsi, "Cache-Control:", s->cache_control ? s->cache_control : "no-store", p, end) ||
             add(wsi, "Content-Security-Policy:", s->csp ? s->csp : CSP_API, p, end);
    if (!rc && s->origin[0])
        rc = add(wsi, "Access-Control-Allow-Origin:", s->origin, p, end) ||
             add(wsi, "Vary:", "Origin", p, end);
    if (!rc && s->allow_preflight)
        rc = add(wsi, "Access-Control-Allow-Methods:", CORS_METHODS, p, end) ||
             add(wsi, "Access-Control-Allow-Headers:", CORS_HEADERS, p, end) ||
             add(wsi, "Access-Control-Max-Age:", "600", p, end);
    return rc;
}

static int add_optional(struct lws *wsi, const session *s, unsigned char **p, unsigned char *end)
{
    char n[16];
    snprintf(n, sizeof n, "%d", s->retry_after_s);
    int rc = s->retry_after_s > 0 ? add(wsi, "Retry-After:", n, p, end) : 0;
    if (!rc && s->location[0])
        rc = add(wsi, "Location:", s->location, p, end);
    if (!rc && s->close_after)
        rc = add(wsi, "Connection:", "close", p, end);
    if (!rc && s->out_len)
        rc = add(wsi, "Content-Type:", s->content_type, p, end);
    return rc;
}

/* The headers, and with them the whole body when it fits (one send for most answers). */
static int write_headers(session *s)
{
    unsigned char buf[LWS_PRE + HEADERS_MAX + CHUNK], *start = buf + LWS_PRE, *p = start,
                                                      *end = start + HEADERS_MAX - 1;
    if (lws_add_http_header_status(s->wsi, (unsigned int)s->status, &p, end) ||
        add_security(s->wsi, s, &p, end) || add_optional(s->wsi, s, &p, end) ||
        lws_add_http_header_content_length(s->wsi, s->out_len, &p, end) ||
        lws_finalize_http_header(s->wsi, &p, end))
        return -1;
    s->headers_sent = true;
    if (s->out_len && s->out_len <= CHUNK) {
        memcpy(p, s->out, s->out_len);
        p += s->out_len;
        s->out_pos = s->out_len;
    }
    int n = lws_write(s->wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS);
    return n < 0 ? -1 : 0;
}

static int write_chunk(session *s)
{
    unsigned char buf[LWS_PRE + CHUNK];
    size_t n = s->out_len - s->out_pos;
    if (n > CHUNK)
        n = CHUNK;
    memcpy(buf + LWS_PRE, s->out + s->out_pos, n);
    s->out_pos += n;
    bool last = s->out_pos == s->out_len;
    int rc = lws_write(s->wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP);
    return rc < 0 ? -1 : 0;
}

/* One lws_write per call; when everything is written, ends the transaction. */
static int on_writeable(session *s)
{
    if (!s->answering)
        return 0;
    int rc = s->headers_sent ? write_chunk(s) : write_headers(s);
    if (rc)
        return -1;
    if (s->out_pos < s->out_len) {
        lws_callback_on_writable(s->wsi);
        return 0;
    }
    bool close_after = s->close_after;
    session_reset(s);
    if (close_after)
        return -1;
    return lws_http_transaction_completed(s->wsi) ? -1 : 0;
}

/* ---- reading requests --------------------------------------------------- */

static const struct {
    enum lws_token_indexes token;
    const char *name;
} methods[] = {
    {WSI_TOKEN_GET_URI, "GET"},       {WSI_TOKEN_POST_URI, "POST"},
    {WSI_TOKEN_PUT_URI, "PUT"},       {WSI_TOKEN_PATCH_URI, "PATCH"},
    {WSI_TOKEN_DELETE_URI, "DELETE"}, {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
    {WSI_TOKEN_HEAD_URI, "HEAD"},
};

static const char *method_of(struct lws *wsi)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (lws_hdr_total_length(wsi, methods[i].token) > 0)
            return methods[i].name;
    return NULL;
}

/* A copy of header token into the arena at *at (NULL when absent). */
static const char *copy_header(struct lws *wsi, enum lws_token_indexes token, char *arena,
                               size_t *at, size_t cap)
{
    int len = lws_hdr_total_length(wsi, token);
    if (len <= 0 || *at + (size_t)len + 1 > cap)
        return NULL;
    char *dst = arena + *at;
    int n = lws_hdr_copy(wsi, dst, (int)(cap - *at), token);
    if (n < 0)
        return NULL;
    *at += (size_t)n + 1;
    return dst;
}

/*
 * Appends frag percent-encoded where it matters to dst: lws splits the query
 * at '&' and then percent-decodes each part (and turns '+' into ' '), while
 * gw_query expects the raw form, so "b=1%262" must reach it as such, not as
 * "b=1&2". The first '=' stays the name/value separator.
 */
static size_t encode_fragment(char *dst, const char *frag, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    bool seen_eq = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)frag[i];
        bool plain = c > 0x20 && c < 0x7f && c != '%' && c != '&' && c != '+' && c != '#' &&
                     (c != '=' || !seen_eq);
        seen_eq = seen_eq || c == '=';
        if (plain) {
            dst[o++] = (char)c;
        } else {
            dst[o++] = '%';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        }
    }
    return o;
}

/* The query string, rebuilt from lws's decoded fragments (see encode_fragment). */
static const char *copy_query(struct lws *wsi, char *arena, size_t *at, size_t cap)
{
    char *dst = arena + *at;
    size_t used = 0;
    for (int i = 0;; i++) {
        char frag[HEADER_MAX];
        int n = lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n < 0 || *at + used + 3 * (size_t)n + 2 > cap)
            break;
        if (used)
            dst[used++] = '&';
        used += encode_fragment(dst + used, frag, (size_t)n);
    }
    dst[used] = '\0';
    *at += used + 1;
    return dst;
}

/* Bytes header token takes (0 when absent). */
static size_t header_len(struct lws *wsi, enum lws_token_indexes token)
{
    int n = lws_hdr_total_length(wsi, token);
    return n > 0 ? (size_t)n : 0;
}

/* A new job from the request's headers; path is lws's decoded URI path, peer the client's
 * address. */
static gw_job *job_from_headers(struct lws *wsi, const char *method, const char *path,
                                const char *peer)
{
    gw_job *j = stom_xcalloc(1, sizeof *j);
    /* The path, the query (a byte may become three, see encode_fragment, and fragments gain
     * '&' between them) and two headers, each NUL-terminated. */
    size_t cap = strlen(path) + 4 * header_len(wsi, WSI_TOKEN_HTTP_URI_ARGS) +
                 header_len(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) +
                 header_len(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE) + 8,
           at = 0;
    j->buf = stom_xmalloc(cap);
    snprintf(j->req.method, sizeof j->req.method, "%s", method);
    memcpy(j->buf, path, strlen(path) + 1);
    j->req.path = j->buf;
    at = strlen(path) + 1;
    j->req.query = copy_query(wsi, j->buf, &at, cap);
    j->req.authorization = copy_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, j->buf, &at, cap);
    j->req.content_type = copy_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, j->buf, &at, cap);
    snprintf(j->req.client_ip, sizeof j->req.client_ip, "%s", peer);
    return j;
}

static void dispatch(gw_server *srv, session *s)
{
    s->job->started_ns = stom_mono_ns();
    s->job->conn = s;
    if (gw_pool_submit(srv->pool, s->job)) {
        answer_error(s, 503, "unavailable", "the gateway is overloaded; try again shortly", false);
        gw_job_free(s->job);
        s->job = NULL;
        return;
    }
    s->in_flight = true;
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_HTTP_CONTENT, TIMEOUT_S);
}

/* CORS preflight: 204 with the allowed methods and headers, 403 for other origins. */
static void preflight(session *s)
{
    if (!s->origin[0]) {
        answer_error(s, 403, "forbidden", "CORS preflight from an origin that is not allowed",
                     false);
        return;
    }
    s->allow_preflight = 1;
    answer(s, 204, NULL, 0, NULL);
    gw_metrics_request(NULL, "OPTIONS", 204, 0);
}

static bool body_method(const char *m)
{
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH");
}

/* Content-Length as a number; false when absent or not a number. */
static bool content_length(struct lws *wsi, unsigned long long *out)
{
    char v[32];
    if (lws_hdr_copy(wsi, v, sizeof v, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
        return false;
    char *end;
    *out = strtoull(v, &end, 10);
    return *end == '\0' && v[0] >= '0' && v[0] <= '9';
}

/* Starts reading the body, or refuses it (411/413); dispatches a request without one. */
static void start_body(gw_server *srv, session *s, struct lws *wsi)
{
    unsigned long long len = 0;
    bool has_len = content_length(wsi, &len);
    bool chunked = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
    if (chunked || (body_method(s->job->req.method) && !has_len)) {
        answer_error(s, 411, "length_required",
                     "a request body needs a Content-Length header (chunked bodies are not "
                     "accepted)",
                     true);
        return;
    }
    bool upload = !strcmp(s->job->req.method, "POST") && !strcmp(s->job->req.path, UPLOAD_PATH);
    size_t limit = upload ? srv->cfg->upload_max : srv->cfg->body_max;
    if (len > limit) {
        char msg[128];
        snprintf(msg, sizeof msg, "the body is %llu bytes; at most %zu are accepted here", len,
                 limit);
        answer_error(s, 413, "too_large", msg, true);
        return;
    }
    if (len == 0) {
        dispatch(srv, s);
        return;
    }
    s->body_want = (size_t)len;
    s->job->body = stom_xmalloc(s->body_want);
    s->job->req.body = s->job->body;
}

static int on_http(gw_server *srv, session *s, struct lws *wsi, const char *path)
{
    session_reset(s);
    s->wsi = wsi;
    char origin[256];
    if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) > 0 &&
        origin_allowed(srv->cfg, origin))
        snprintf(s->origin, sizeof s->origin, "%s", origin);
    const char *method = method_of(wsi);
    if (!method) {
        answer_error(s, 405, "method_not_allowed", "this method is not supported", true);
        return 0;
    }
    if (!strcmp(method, "OPTIONS")) {
        preflight(s);
        return 0;
    }
    if (!s->peer[0]) /* once per connection: keep-alive requests come from the same peer */
        lws_get_peer_simple(wsi, s->peer, sizeof s->peer);
    s->job = job_from_headers(wsi, method, path, s->peer);
    start_body(srv, s, wsi);
    return 0;
}

static int on_body(session *s, const void *in, size_t len)
{
    if (!s->job || s->in_flight || s->answering)
        return 0; /* a body we already refused: ignored until the connection closes */
    gw_job *j = s->job;
    if (j->req.body_len + len > s->body_want) {
        answer_error(s, 400, "invalid_body", "the body is longer than its Content-Length", true);
        return 0;
    }
    memcpy(j->body + j->req.body_len, in, len);
    j->req.body_len += len;
    return 0;
}

static void on_body_complete(gw_server *srv, session *s)
{
    if (s->job && !s->in_flight && !s->answering)
        dispatch(srv, s);
}

/* Collects finished jobs and starts writing their answers. */
static void collect(gw_server *srv)
{
    for (gw_job *j; (j = gw_pool_take_done(srv->pool));) {
        if (j->orphaned) {
            gw_job_free(j);
            continue;
        }
        session *s = j->conn;
        s->job = NULL;
        s->in_flight = false;
        s->retry_after_s = j->res.retry_after_s;
        snprintf(s->location, sizeof s->location, "%s", j->res.location);
        s->cache_control = j->res.cache_control;
        s->csp = j->res.csp;
        answer(s, j->res.status, j->res.body, j->res.body_len, j->res.content_type);
        j->res.body = NULL;
        gw_job_free(j);
    }
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                         size_t len)
{
    session *s = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return on_http(server_of(wsi), s, wsi, in ? (const char *)in : "/");
    case LWS_CALLBACK_HTTP_BODY:
        return on_body(s, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        on_body_complete(server_of(wsi), s);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return s ? on_writeable(s) : 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        collect(server_of(wsi));
        return 0;
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (s)
            session_reset(s);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

/* ---- the server --------------------------------------------------------- */

/* HTTP first (plain requests), then the WebSocket hub; gw_ws_protocol is
 * not a constant expression, so the table is filled at start. */
static struct lws_protocols protocols[3];
/* Upgrades that name no subprotocol go to the hub. */
static const struct lws_protocol_vhost_options ws_default = {NULL, NULL, "default", "1"};
static const struct lws_protocol_vhost_options ws_options = {NULL, &ws_default, "stom.v1", ""};

static void wake(void *arg)
{
    gw_server *srv = arg;
    lws_cancel_service(srv->context);
}

int gw_server_create(gw_server **out, const gw_config *cfg, stom_errbuf *eb)
{
    gw_server *srv = stom_xcalloc(1, sizeof *srv);
    srv->cfg = cfg;
    protocols[0] = (struct lws_protocols){"http", callback_http, sizeof(session), 0, 0, NULL, 0};
    protocols[1] = gw_ws_protocol;
    if (gw_ws_hub_start(&srv->hub, cfg, eb)) {
        free(srv);
        return STOM_EIO;
    }
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = cfg->port;
    info.iface = cfg->bind;
    info.protocols = protocols;
    info.pvo = &ws_options;
    info.user = srv;
    info.max_http_header_data = HEADER_MAX;
    info.max_http_header_pool = 1024;
    info.count_threads = 1;
    info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
    /* libwebsockets 4.1 binds an IPv6 socket to every address when given an IPv4 one
     * (warmcat/libwebsockets#2290): an IPv4 bind address must turn IPv6 off to hold. */
    struct in_addr v4;
    if (cfg->bind && inet_pton(AF_INET, cfg->bind, &v4) == 1)
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.vhost_name = "stom-gateway";
    lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    srv->context = lws_create_context(&info);
    if (!srv->context) {
        gw_ws_hub_stop(srv->hub);
        free(srv);
        return stom_errorf(eb, STOM_EIO, "cannot listen on %s:%d (in use or not an address here?)",
                           cfg->bind, cfg->port);
    }
    gw_ws_hub_attach(srv->hub, srv->context);
    if (gw_pool_start(&srv->pool, cfg, QUEUE_MAX, wake, srv, eb)) {
        lws_context_destroy(srv->context);
        gw_ws_hub_stop(srv->hub);
        free(srv);
        return STOM_EIO;
    }
    *out = srv;
    return 0;
}

int gw_server_run(gw_server *s)
{
    while (!s->stop)
        if (lws_service(s->context, 0) < 0)
            break;
    return 0;
}

void gw_server_stop(gw_server *s)
{
    s->stop = 1;
    lws_cancel_service(s->context);
}

void gw_server_destroy(gw_server *s)
{
    if (!s)
        return;
    /* Workers first (they wake the context), then their answers go back to their sessions
     * so that closing the connections does not touch jobs the pool frees. */
    gw_pool_stop(s->pool);
    for (gw_job *j; (j = gw_pool_take_done(s->pool));) {
        if (!j->orphaned)
            ((session *)j->conn)->job = NULL;
        gw_job_free(j);
    }
    lws_context_destroy(s->context);
    gw_pool_destroy(s->pool);
    gw_ws_hub_stop(s->hub); /* after the context (its sessions) and the routes that read it */
    free(s);
}
