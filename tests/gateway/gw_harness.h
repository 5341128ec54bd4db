/*
 * gw_harness.h - the gateway integration tests' scaffolding: the real
 * stom-gateway process (and, where needed, a real stom-backtester
 * coordinator and worker) against a fresh test database and the test Redis,
 * plus libcurl and raw-socket clients.
 *
 * Usage (each test, in fork mode):
 *
 *   gw_harness h;
 *   gw_h_init(&h, 18100);              // fresh migrated database, temp dir, URLs
 *   gw_h_start(&h, NULL, NULL);         // stom-gateway; waits for /healthz
 *   gw_http_reply r;
 *   gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
 *   ck_assert_int_eq(r.status, 200);    // r.json is the parsed body when JSON
 *   gw_http_reply_free(&r);
 *   gw_h_fini(&h);                      // stops everything by pid, drops the database
 *
 * The gateway gets STOM_JWT_SECRET=GW_TEST_JWT_SECRET (so tests may sign
 * their own tokens), STOM_DATABASE_URL, STOM_REDIS_URL and coordinator URLs
 * (ipc:// in the temp dir) that gw_h_start_coordinator serves. Each
 * process's stderr goes to DIR/<name>.log (or to the test's stderr with
 * STOM_TEST_VERBOSE set) and is shown when the process fails to start or
 * stop. Every helper fails the test (ck_assert) on errors; nothing here
 * sleeps to wait for a server: it polls with a deadline.
 *
 * Helpers are static inline (unused ones cost nothing): include this header once per test program.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_GW_HARNESS_H
#define STOM_TEST_GW_HARNESS_H

#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <dirent.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_db.h"
#include "test_proc.h"

#define GW_TEST_JWT_SECRET "gateway-test-secret-0123456789abcdef-0123456789"
#define GW_H_START_S       30 /* deadline for a process to come up (ASan, busy machine) */
#define GW_H_MAX_ENV       16

typedef struct gw_harness {
    char db[512];            /* the fresh database's conninfo */
    char dir[64];            /* temp dir: logs and ipc sockets */
    int port;                /* the gateway's port */
    char base[64];           /* "http://127.0.0.1:<port>" */
    char coordinator[128];   /* the coordinator's REQ URL the gateway dials */
    char events[128];        /* the coordinator's PUB URL */
    char engine[128];        /* the engine's REQ URL the gateway dials (nothing serves it unless
                                a test starts an engine) */
    char engine_events[128]; /* the engine's PUB URL */
    pid_t gateway, coord, worker;
} gw_harness;

/* An answer: status, body (NUL-terminated, owned), body parsed when JSON, raw headers. */
typedef struct gw_http_reply {
    long status;
    char *body;
    size_t len;
    json_t *json;       /* owned; NULL when the body is not JSON */
    char headers[8192]; /* "Name: value\r\n" lines of the final response */
} gw_http_reply;

/* Prints the last lines of DIR/name.log to stderr. */
/* A fresh migrated database, a temp dir and the URLs; nothing started. port: 18100-18149. */
static inline void gw_h_init(gw_harness *h, int port)
{
    memset(h, 0, sizeof *h);
    stom_test_db_create(h->db, sizeof h->db);
    snprintf(h->dir, sizeof h->dir, "/tmp/stom-gw-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(h->dir));
    h->port = port;
    snprintf(h->base, sizeof h->base, "http://127.0.0.1:%d", port);
    snprintf(h->coordinator, sizeof h->coordinator, "ipc://%s/rpc", h->dir);
    snprintf(h->events, sizeof h->events, "ipc://%s/events", h->dir);
    snprintf(h->engine, sizeof h->engine, "ipc://%s/engine", h->dir);
    snprintf(h->engine_events, sizeof h->engine_events, "ipc://%s/engine-events", h->dir);
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline size_t gw_h_collect(char *data, size_t size, size_t n, void *arg)
{
    gw_http_reply *r = arg;
    size_t add = size * n;
    char *grown = realloc(r->body, r->len + add + 1);
    ck_assert_ptr_nonnull(grown);
    memcpy(grown + r->len, data, add);
    r->body = grown;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

static inline size_t gw_h_header(char *data, size_t size, size_t n, void *arg)
{
    gw_http_reply *r = arg;
    size_t add = size * n, used = strlen(r->headers);
    if (add >= 5 && !strncmp(data, "HTTP/", 5))
        used = 0; /* a new response (after 100 Continue): keep only the final one */
    if (used + add < sizeof r->headers) {
        memcpy(r->headers + used, data, add);
        r->headers[used + add] = '\0';
    }
    return add;
}

/*
 * Sends one request to the gateway: method and path (with query), an
 * optional bearer token, an optional body of body_len bytes with
 * content_type, and extra header lines ("Origin: ...", NULL-terminated, may
 * be NULL). Fills *out (release with gw_http_reply_free) and returns its
 * status; 0 when no answer came (connection refused or closed: out->body
 * says why).
 */
static inline long gw_http_ex(const gw_harness *h, const char *method, const char *path,
                              const char *bearer, const char *body, size_t body_len,
                              const char *content_type, const char *const *extra,
                              gw_http_reply *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    ck_assert_ptr_nonnull(c);
    char url[1024], auth[2048], type[256];
    snprintf(url, sizeof url, "%s%s", h->base, path);
    struct curl_slist *hdrs = NULL;
    if (bearer) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
        hdrs = curl_slist_append(hdrs, auth);
    }
    if (content_type) {
        snprintf(type, sizeof type, "Content-Type: %s", content_type);
        hdrs = curl_slist_append(hdrs, type);
    }
    for (size_t i = 0; extra && extra[i]; i++)
        hdrs = curl_slist_append(hdrs, extra[i]);
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else if (!strcmp(method, "GET") || !strcmp(method, "DELETE") || !strcmp(method, "OPTIONS")) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    } else {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gw_h_collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, gw_h_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    else {
        free(out->body);
        out->body = strdup(curl_easy_strerror(rc));
        out->len = strlen(out->body);
        /* No answer at all: the gateway's own words say why (a crash, a sanitizer report). */
        fprintf(stderr, "%s %s: %s\n", method, path, out->body);
        tp_show_log(h->dir, "gateway");
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    if (out->status && out->body)
        out->json = json_loadb(out->body, out->len, JSON_REJECT_DUPLICATES, NULL);
    return out->status;
}

/* gw_http_ex without extra headers. */
static inline long gw_http(const gw_harness *h, const char *method, const char *path,
                           const char *bearer, const char *body, size_t body_len,
                           const char *content_type, gw_http_reply *out)
{
    return gw_http_ex(h, method, path, bearer, body, body_len, content_type, NULL, out);
}

/* The value of header name in r (case-insensitive) copied into out, or NULL when absent. */
static inline const char *gw_http_header(const gw_http_reply *r, const char *name, char *out,
                                         size_t len)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if (!strncasecmp(line, name, n) && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(out, len, "%.*s", (int)(eol - v), v);
            return out;
        }
        line = eol + 2;
    }
    return NULL;
}

static inline void gw_http_reply_free(gw_http_reply *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* The error code of an error-shaped JSON answer ("" when it has none). */
static inline const char *gw_http_error_code(const gw_http_reply *r)
{
    const char *code =
        json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
    return code ? code : "";
}

/* Fails the test showing the gateway's log. */
static inline void gw_h_failed(gw_harness *h, const char *what)
{
    tp_show_log(h->dir, "gateway");
    ck_abort_msg("%s", what);
}

/*
 * Starts stom-gateway on h->port with the harness's environment plus env
 * ("NAME=VALUE", overriding; may be NULL) and argv additions args (may be
 * NULL); returns when /healthz answers 200 (fails the test after
 * GW_H_START_S seconds or when the process exits).
 */
static inline void gw_h_start(gw_harness *h, const char *const *args, const char *const *env)
{
    static char e_secret[128], e_db[600], e_redis[256], e_coord[160], e_events[160], e_engine[160],
        e_engine_events[160], e_market[160], port[16];
    snprintf(e_secret, sizeof e_secret, "STOM_JWT_SECRET=%s", GW_TEST_JWT_SECRET);
    snprintf(e_db, sizeof e_db, "STOM_DATABASE_URL=%s", h->db);
    snprintf(e_redis, sizeof e_redis, "STOM_REDIS_URL=%s", stom_test_redis_url());
    snprintf(e_coord, sizeof e_coord, "STOM_COORDINATOR_URL=%s", h->coordinator);
    snprintf(e_events, sizeof e_events, "STOM_COORDINATOR_EVENTS_URL=%s", h->events);
    snprintf(e_engine, sizeof e_engine, "STOM_ENGINE_URL=%s", h->engine);
    snprintf(e_engine_events, sizeof e_engine_events, "STOM_ENGINE_EVENTS_URL=%s",
             h->engine_events);
    /* No broker's market data: never the default, a running sim's (tests stay to themselves). */
    snprintf(e_market, sizeof e_market, "STOM_MARKET_URL=ipc://%s/market", h->dir);
    snprintf(port, sizeof port, "%d", h->port);
    const char *all_env[GW_H_MAX_ENV * 2] = {e_secret, e_db,     e_redis,         e_coord,
                                             e_events, e_engine, e_engine_events, e_market};
    size_t n_env = 8;
    for (size_t i = 0; env && env[i] && n_env + 1 < GW_H_MAX_ENV * 2; i++)
        all_env[n_env++] = env[i];
    all_env[n_env] = NULL;
    const char *argv[32] = {"stom-gateway", "--port", port, "--threads", "4"};
    size_t n = 5;
    for (size_t i = 0; args && args[i] && n + 1 < 32; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    h->gateway = tp_spawn(h->dir, "gateway", STOM_GATEWAY_BIN, argv, all_env);
    for (int64_t end = stom_mono_ms() + GW_H_START_S * 1000; stom_mono_ms() < end;
         tp_sleep_ms(20)) {
        int st = 0;
        if (tp_exited(&h->gateway, &st))
            gw_h_failed(h, "stom-gateway exited while starting");
        gw_http_reply r;
        long status = gw_http(h, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
        gw_http_reply_free(&r);
        if (status == 200)
            return;
    }
    gw_h_failed(h, "stom-gateway did not answer /healthz in time");
}

/* Stops the gateway with SIGTERM and fails the test unless it exits cleanly (status 0). */
static inline void gw_h_stop(gw_harness *h)
{
    int st = tp_end(&h->gateway, SIGTERM);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char what[96];
        snprintf(what, sizeof what, "stom-gateway did not stop cleanly (%s %d)",
                 WIFSIGNALED(st) ? "signal" : "status",
                 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        gw_h_failed(h, what);
    }
}

/* Starts a real coordinator (stom-backtester --coordinator) on h's URLs and database. */
static inline void gw_h_start_coordinator(gw_harness *h)
{
    const char *argv[] = {"stom-backtester", "--coordinator", "--listen",
                          h->coordinator,    "--publish",     h->events,
                          "--database",      h->db,           NULL};
    h->coord = tp_spawn(h->dir, "coordinator", STOM_BACKTESTER_BIN, argv, NULL);
}

/* Starts one backtest worker connected to the coordinator. */
static inline void gw_h_start_worker(gw_harness *h, const char *id)
{
    const char *argv[] = {"stom-backtester",
                          "--worker",
                          "--connect",
                          h->coordinator,
                          "--database",
                          h->db,
                          "--id",
                          id,
                          NULL};
    h->worker = tp_spawn(h->dir, id, STOM_BACKTESTER_BIN, argv, NULL);
}

/* Stops everything still running (by pid), drops the database, removes the temp dir. */
static inline void gw_h_fini(gw_harness *h)
{
    tp_end(&h->gateway, SIGTERM);
    tp_end(&h->worker, SIGTERM);
    tp_end(&h->coord, SIGTERM);
    stom_test_db_drop(h->db);
    tp_remove_dir(h->dir);
    curl_global_cleanup();
}

/* A TCP connection to the gateway (fails the test when refused); 5 s receive timeout. */
static inline int gw_raw_connect(const gw_harness *h)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Sends len bytes on fd (all of them, or as many as the peer takes before closing). */
static inline void gw_raw_send(int fd, const void *data, size_t len)
{
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, (const char *)data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}

/* The first case-insensitive occurrence of needle in hay, or NULL. */
static inline const char *gw_h_find_nocase(const char *hay, const char *needle)
{
    for (size_t n = strlen(needle); *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return hay;
    return NULL;
}

/*
 * Reads one HTTP response from fd into out (cap bytes, NUL-terminated): the
 * headers and Content-Length bytes of body. Returns its status, or 0 when
 * the connection closed or timed out first.
 */
static inline int gw_raw_response(int fd, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    while (used + 1 < cap) {
        char *end = strstr(out, "\r\n\r\n");
        if (end) {
            const char *cl = gw_h_find_nocase(out, "content-length:");
            size_t body = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
            if (used >= (size_t)(end + 4 - out) + body)
                break;
        }
        ssize_t n = recv(fd, out + used, cap - 1 - used, 0);
        if (n <= 0)
            return 0;
        used += (size_t)n;
        out[used] = '\0';
    }
    int status = 0;
    return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : 0;
}

#endif
