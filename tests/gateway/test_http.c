/*
 * test_http.c - the gateway's HTTP core against the real stom-gateway
 * process: routing errors, size limits, security and CORS headers, metrics,
 * the OpenAPI document, readiness with and without a coordinator,
 * keep-alive, concurrency and connections that vanish mid-request.
 */
#include "gw_harness.h"
#include "test_support.h"

static gw_harness h;

static void start(int port)
{
    gw_h_init(&h, port);
    const char *args[] = {"--cors", "http://allowed.example", NULL};
    gw_h_start(&h, args, NULL);
}

static void finish(void)
{
    gw_h_stop(&h);
    gw_h_fini(&h);
}

static bool has_header(const gw_http_reply *r, const char *name, const char *want)
{
    char v[512];
    return gw_http_header(r, name, v, sizeof v) && (!want || !strcmp(v, want));
}

START_TEST(healthz_answers_ok_with_security_headers)
{
    start(18100);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
    ck_assert(has_header(&r, "Content-Type", "application/json"));
    ck_assert(has_header(&r, "Content-Length", "15"));
    ck_assert(has_header(&r, "X-Content-Type-Options", "nosniff"));
    ck_assert(has_header(&r, "X-Frame-Options", "DENY"));
    ck_assert(has_header(&r, "Referrer-Policy", "no-referrer"));
    ck_assert(has_header(&r, "Cache-Control", "no-store"));
    ck_assert(
        has_header(&r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));
    ck_assert(!has_header(&r, "Access-Control-Allow-Origin", NULL));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

/* Whether /proc/net/<table> has a listening socket on port whose local address is addr_hex
 * (as the kernel prints it: "0100007F" for 127.0.0.1; NULL: any address). */
static bool listening(const char *table, int port, const char *addr_hex)
{
    char path[64], line[512], want_port[8];
    snprintf(path, sizeof path, "/proc/net/%s", table);
    snprintf(want_port, sizeof want_port, "%04X", port);
    FILE *f = fopen(path, "r");
    bool found = false;
    while (f && fgets(line, sizeof line, f)) {
        char local[64], remote[64], state[8];
        if (sscanf(line, "%*s %63s %63s %7s", local, remote, state) != 3)
            continue;
        char *colon = strrchr(local, ':');
        if (!colon || strcmp(colon + 1, want_port) || strcmp(state, "0A"))
            continue;
        *colon = '\0';
        found = found || !addr_hex || !strcmp(local, addr_hex);
    }
    if (f)
        fclose(f);
    return found;
}

START_TEST(the_gateway_listens_only_on_its_bind_address)
{
    start(18115); /* --bind defaults to 127.0.0.1 */
    ck_assert_msg(listening("tcp", 18115, "0100007F"), "no listener on 127.0.0.1:18115");
    ck_assert_msg(!listening("tcp", 18115, "00000000"), "listening on 0.0.0.0");
    ck_assert_msg(!listening("tcp6", 18115, NULL), "listening on an IPv6 socket (all addresses)");
    finish();
}
END_TEST

START_TEST(unknown_route_is_404_and_wrong_method_405_in_the_error_shape)
{
    start(18101);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/api/v1/nothing-here", NULL, NULL, 0, NULL, &r), 404);
    ck_assert_str_eq(gw_http_error_code(&r), "not_found");
    ck_assert(json_is_string(json_object_get(json_object_get(r.json, "error"), "message")));
    ck_assert(json_is_object(json_object_get(json_object_get(r.json, "error"), "fields")));
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "DELETE", "/healthz", NULL, NULL, 0, NULL, &r), 405);
    ck_assert_str_eq(gw_http_error_code(&r), "method_not_allowed");
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "POST", "/metrics", NULL, "{}", 2, "application/json", &r), 405);
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(a_chunked_body_is_refused_with_411)
{
    start(18102);
    int fd = gw_raw_connect(&h);
    const char req[] = "POST /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                       "Content-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    gw_raw_send(fd, req, sizeof req - 1);
    char out[4096];
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 411);
    ck_assert_ptr_nonnull(strstr(out, "\"length_required\""));
    close(fd);
    fd = gw_raw_connect(&h);
    const char no_len[] = "PUT /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    gw_raw_send(fd, no_len, sizeof no_len - 1);
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 411);
    close(fd);
    finish();
}
END_TEST

START_TEST(a_body_over_the_limit_is_refused_with_413_and_the_server_keeps_serving)
{
    start(18103);
    int fd = gw_raw_connect(&h);
    const char req[] = "POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 104857600\r\n"
                       "Content-Type: application/json\r\n\r\n{\"a\":";
    gw_raw_send(fd, req, sizeof req - 1);
    char out[4096];
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 413);
    ck_assert_ptr_nonnull(strstr(out, "\"too_large\""));
    close(fd);
    /* Just over the 1 MiB default, sent in full by curl. */
    size_t len = ((size_t)1 << 20) + 1;
    char *body = calloc(1, len);
    memset(body, 'x', len);
    gw_http_reply r;
    long st = gw_http(&h, "POST", "/healthz", NULL, body, len, "application/json", &r);
    ck_assert_msg(st == 413 || st == 0, "status %ld", st); /* 0: closed while curl still sent */
    gw_http_reply_free(&r);
    free(body);
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(huge_headers_are_refused_and_the_server_keeps_serving)
{
    start(18104);
    size_t big = 64 * 1024;
    char *req = malloc(big + 128);
    int n = snprintf(req, 128, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ");
    memset(req + n, 'a', big);
    memcpy(req + n + big, "\r\n\r\n", 4);
    int fd = gw_raw_connect(&h);
    gw_raw_send(fd, req, (size_t)n + big + 4);
    char out[4096];
    int st = gw_raw_response(fd, out, sizeof out);
    ck_assert_msg(st == 0 || st >= 400, "a 64 KiB header got %d", st);
    close(fd);
    free(req);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(cors_headers_only_for_allowed_origins_and_preflight)
{
    start(18105);
    gw_http_reply r;
    const char *ok[] = {"Origin: http://allowed.example", NULL};
    const char *bad[] = {"Origin: http://evil.example", NULL};
    ck_assert_int_eq(gw_http_ex(&h, "GET", "/healthz", NULL, NULL, 0, NULL, ok, &r), 200);
    ck_assert(has_header(&r, "Access-Control-Allow-Origin", "http://allowed.example"));
    ck_assert(has_header(&r, "Vary", "Origin"));
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http_ex(&h, "GET", "/healthz", NULL, NULL, 0, NULL, bad, &r), 200);
    ck_assert(!has_header(&r, "Access-Control-Allow-Origin", NULL));
    gw_http_reply_free(&r);
    const char *pre_ok[] = {"Origin: http://allowed.example", "Access-Control-Request-Method: POST",
                            "Access-Control-Request-Headers: authorization, content-type", NULL};
    ck_assert_int_eq(
        gw_http_ex(&h, "OPTIONS", "/api/v1/strategies", NULL, NULL, 0, NULL, pre_ok, &r), 204);
    char v[256];
    ck_assert_ptr_nonnull(gw_http_header(&r, "Access-Control-Allow-Methods", v, sizeof v));
    ck_assert_ptr_nonnull(strstr(v, "POST"));
    ck_assert_ptr_nonnull(gw_http_header(&r, "Access-Control-Allow-Headers", v, sizeof v));
    ck_assert_ptr_nonnull(strstr(v, "Authorization"));
    ck_assert_ptr_nonnull(strstr(v, "Content-Type"));
    ck_assert(has_header(&r, "Access-Control-Allow-Origin", "http://allowed.example"));
    gw_http_reply_free(&r);
    const char *pre_bad[] = {"Origin: http://evil.example", "Access-Control-Request-Method: POST",
                             NULL};
    ck_assert_int_eq(
        gw_http_ex(&h, "OPTIONS", "/api/v1/strategies", NULL, NULL, 0, NULL, pre_bad, &r), 403);
    ck_assert(!has_header(&r, "Access-Control-Allow-Origin", NULL));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

/* The value of the sample line starting with series in the metrics text, or -1. */
static long metric(const char *text, const char *series)
{
    const char *p = strstr(text, series);
    return p ? strtol(p + strlen(series), NULL, 10) : -1;
}

START_TEST(metrics_count_requests_by_route_method_and_status)
{
    start(18106);
    gw_http_reply r;
    for (int i = 0; i < 3; i++) {
        gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
        gw_http_reply_free(&r);
    }
    gw_http(&h, "GET", "/no/such", NULL, NULL, 0, NULL, &r);
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "GET", "/metrics", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.headers, "text/plain"));
    /* start() polled /healthz at least once before the three */
    long ok = metric(
        r.body, "stom_gateway_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} ");
    ck_assert_int_ge(ok, 4);
    ck_assert_int_eq(
        metric(r.body,
               "stom_gateway_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} "),
        1);
    ck_assert_int_eq(metric(r.body, "stom_gateway_request_seconds_count{route=\"/healthz\"} "), ok);
    ck_assert_ptr_nonnull(
        strstr(r.body, "stom_gateway_request_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"));
    ck_assert_ptr_nonnull(strstr(r.body, "stom_gateway_queue_depth "));
    ck_assert_ptr_nonnull(strstr(r.body, "stom_gateway_in_flight "));
    ck_assert_ptr_nonnull(strstr(r.body, "stom_gateway_ws_clients "));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(openapi_document_lists_every_route_with_errors_and_security)
{
    start(18107);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_ptr_nonnull(r.json);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "openapi")), "3.0.3");
    json_t *paths = json_object_get(r.json, "paths");
    json_t *get = json_object_get(json_object_get(paths, "/healthz"), "get");
    ck_assert_ptr_nonnull(get);
    ck_assert(json_string_length(json_object_get(get, "summary")) > 0);
    ck_assert_ptr_nonnull(json_object_get(json_object_get(get, "responses"), "503"));
    json_t *file = json_object_get(json_object_get(paths, "/docs/{file}"), "get");
    json_t *param = json_array_get(json_object_get(file, "parameters"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(param, "name")), "file");
    ck_assert_str_eq(json_string_value(json_object_get(param, "in")), "path");
    json_t *comp = json_object_get(r.json, "components");
    ck_assert_ptr_nonnull(json_object_get(json_object_get(comp, "schemas"), "Error"));
    ck_assert_ptr_nonnull(json_object_get(json_object_get(comp, "securitySchemes"), "bearerAuth"));
    ck_assert_ptr_nonnull(json_object_get(paths, "/api/v1/openapi.json"));
    /* Query parameters are listed with their type and whether they are required. */
    json_t *hist = json_object_get(json_object_get(paths, "/api/v1/data/historical"), "get");
    json_t *params = json_object_get(hist, "parameters");
    bool symbol_required = false, limit_integer = false;
    for (size_t i = 0; i < json_array_size(params); i++) {
        json_t *p = json_array_get(params, i);
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *type = json_string_value(json_object_get(json_object_get(p, "schema"), "type"));
        ck_assert_str_eq(json_string_value(json_object_get(p, "in")), "query");
        if (!strcmp(name, "symbol"))
            symbol_required = json_is_true(json_object_get(p, "required"));
        if (!strcmp(name, "limit"))
            limit_integer =
                !strcmp(type, "integer") && json_is_false(json_object_get(p, "required"));
    }
    ck_assert_uint_eq(json_array_size(params), 6);
    ck_assert(symbol_required);
    ck_assert(limit_integer);
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(docs_serve_swagger_ui_or_say_why_not_and_never_leave_their_directory)
{
    start(18108);
    gw_http_reply r;
    long st = gw_http(&h, "GET", "/docs", NULL, NULL, 0, NULL, &r);
    ck_assert_msg(st == 200 || st == 503, "status %ld", st);
    ck_assert_ptr_nonnull(strstr(r.headers, "text/html"));
    char csp[512];
    ck_assert_ptr_nonnull(gw_http_header(&r, "Content-Security-Policy", csp, sizeof csp));
    ck_assert_ptr_nonnull(strstr(csp, "script-src 'self'"));
    if (st == 503)
        ck_assert_ptr_nonnull(strstr(r.body, "not fetched"));
    else
        ck_assert_ptr_nonnull(strstr(r.body, "swagger-ui-bundle.js"));
    gw_http_reply_free(&r);
    if (st == 200) {
        ck_assert_int_eq(gw_http(&h, "GET", "/docs/swagger-ui.css", NULL, NULL, 0, NULL, &r), 200);
        ck_assert_ptr_nonnull(strstr(r.headers, "text/css"));
        gw_http_reply_free(&r);
    }
    ck_assert_int_eq(gw_http(&h, "GET", "/docs/stom-init.js", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.body, "/api/v1/openapi.json"));
    gw_http_reply_free(&r);
    const char *escapes[] = {"/docs/..%2f..%2f..%2fetc%2fpasswd", "/docs/%2e%2e", "/docs/.hidden",
                             "/docs/../../etc/passwd"};
    for (size_t i = 0; i < 4; i++) {
        long s = gw_http(&h, "GET", escapes[i], NULL, NULL, 0, NULL, &r);
        /* "/docs/%2e%2e" resolves to "/": the web UI's page (503 when the UI is not built). */
        bool ui_page = i == 1 && (s == 200 || s == 503) && strstr(r.headers, "text/html");
        ck_assert_msg(s == 404 || s == 400 || s == 403 || ui_page, "%s gave %ld", escapes[i], s);
        ck_assert_ptr_null(strstr(r.body ? r.body : "", "root:"));
        gw_http_reply_free(&r);
    }
    finish();
}
END_TEST

START_TEST(readyz_is_503_naming_the_coordinator_when_none_runs)
{
    start(18109);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/readyz", NULL, NULL, 0, NULL, &r), 503);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "postgres")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "redis")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "coordinator")), "down");
    ck_assert_str_eq(gw_http_error_code(&r), "unavailable");
    ck_assert(has_header(&r, "Retry-After", "1"));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(readyz_is_200_when_postgres_redis_and_the_coordinator_answer)
{
    start(18110);
    gw_h_start_coordinator(&h);
    gw_http_reply r;
    long st = 0;
    for (int64_t end = stom_mono_ms() + GW_H_START_S * 1000; st != 200 && stom_mono_ms() < end;) {
        st = gw_http(&h, "GET", "/readyz", NULL, NULL, 0, NULL, &r);
        if (st != 200)
            gw_http_reply_free(&r);
    }
    if (st != 200) {
        tp_show_log(h.dir, "coordinator");
        ck_abort_msg("readyz never became 200");
    }
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "postgres")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "redis")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "coordinator")), "ok");
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(keep_alive_serves_two_requests_on_one_connection)
{
    start(18111);
    int fd = gw_raw_connect(&h);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    char out[4096];
    gw_raw_send(fd, req, sizeof req - 1);
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 200);
    const char second[] = "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n";
    gw_raw_send(fd, second, sizeof second - 1);
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 404);
    gw_raw_send(fd, req, sizeof req - 1);
    ck_assert_int_eq(gw_raw_response(fd, out, sizeof out), 200);
    close(fd);
    finish();
}
END_TEST

START_TEST(a_hundred_concurrent_requests_are_all_answered)
{
    start(18112);
    enum { N = 100 };
    CURLM *m = curl_multi_init();
    CURL *e[N];
    gw_http_reply r[N];
    char url[128];
    snprintf(url, sizeof url, "%s/healthz", h.base);
    for (int i = 0; i < N; i++) {
        memset(&r[i], 0, sizeof r[i]);
        e[i] = curl_easy_init();
        curl_easy_setopt(e[i], CURLOPT_URL, url);
        curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, gw_h_collect);
        curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &r[i]);
        curl_easy_setopt(e[i], CURLOPT_TIMEOUT_MS, 60000L);
        curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
        curl_multi_add_handle(m, e[i]);
    }
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        if (running)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        long st = 0;
        curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &st);
        ok += st == 200 && r[i].body && strstr(r[i].body, "\"ok\"");
        curl_multi_remove_handle(m, e[i]);
        curl_easy_cleanup(e[i]);
        free(r[i].body);
    }
    curl_multi_cleanup(m);
    ck_assert_int_eq(ok, N);
    finish();
}
END_TEST

START_TEST(a_connection_closed_while_its_request_runs_is_dropped_safely)
{
    start(18113);
    /* readyz waits for the absent coordinator (seconds): close long before it answers. */
    for (int i = 0; i < 3; i++) {
        int fd = gw_raw_connect(&h);
        const char req[] = "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n";
        gw_raw_send(fd, req, sizeof req - 1);
        close(fd);
    }
    gw_http_reply r;
    long done = 0;
    for (int64_t end = stom_mono_ms() + 60000; done < 3 && stom_mono_ms() < end; tp_sleep_ms(20)) {
        gw_http(&h, "GET", "/metrics", NULL, NULL, 0, NULL, &r);
        done =
            metric(r.body ? r.body : "",
                   "stom_gateway_requests_total{route=\"/readyz\",method=\"GET\",status=\"503\"} ");
        gw_http_reply_free(&r);
    }
    ck_assert_int_eq(done, 3);
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    gw_http_reply_free(&r);
    finish(); /* exits cleanly: ASan would fail it on a use after free or a leak */
}
END_TEST

START_TEST(the_gateway_refuses_to_start_without_a_jwt_secret)
{
    gw_h_init(&h, 18114);
    const char *argv[] = {"stom-gateway", "--port", "18114", NULL};
    const char *env[] = {"STOM_JWT_SECRET=", NULL};
    h.gateway = tp_spawn(h.dir, "gateway", STOM_GATEWAY_BIN, argv, env);
    int st = tp_end(&h.gateway, 0); /* signal 0: only waits for it to exit */
    ck_assert(WIFEXITED(st));
    ck_assert_int_eq(WEXITSTATUS(st), 2);
    char log[160], line[1024] = "";
    snprintf(log, sizeof log, "%s/gateway.log", h.dir);
    FILE *f = fopen(log, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(line, "STOM_JWT_SECRET"));
    ck_assert_ptr_nonnull(strstr(line, "--dev"));
    gw_h_fini(&h);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_http");
    TCase *tc = tcase_create("http");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, healthz_answers_ok_with_security_headers);
    tcase_add_test(tc, the_gateway_listens_only_on_its_bind_address);
    tcase_add_test(tc, unknown_route_is_404_and_wrong_method_405_in_the_error_shape);
    tcase_add_test(tc, a_chunked_body_is_refused_with_411);
    tcase_add_test(tc, a_body_over_the_limit_is_refused_with_413_and_the_server_keeps_serving);
    tcase_add_test(tc, huge_headers_are_refused_and_the_server_keeps_serving);
    tcase_add_test(tc, cors_headers_only_for_allowed_origins_and_preflight);
    tcase_add_test(tc, metrics_count_requests_by_route_method_and_status);
    tcase_add_test(tc, openapi_document_lists_every_route_with_errors_and_security);
    tcase_add_test(tc, docs_serve_swagger_ui_or_say_why_not_and_never_leave_their_directory);
    tcase_add_test(tc, readyz_is_503_naming_the_coordinator_when_none_runs);
    tcase_add_test(tc, readyz_is_200_when_postgres_redis_and_the_coordinator_answer);
    tcase_add_test(tc, keep_alive_serves_two_requests_on_one_connection);
    tcase_add_test(tc, a_hundred_concurrent_requests_are_all_answered);
    tcase_add_test(tc, a_connection_closed_while_its_request_runs_is_dropped_safely);
    tcase_add_test(tc, the_gateway_refuses_to_start_without_a_jwt_secret);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
