/*
 * test_web.c - the gateway serving the browser UI (routes_web.c) from
 * --static-dir DIR's web directory, which each test writes into the
 * harness's temp dir: the page with its Content-Security-Policy, hashed
 * assets cached for good, names that try to leave the directory, and the
 * 503 page of a build without the UI.
 */
#include <sys/stat.h>

#include "gw_harness.h"
#include "test_support.h"

#define WEB_CSP                                                                                    \
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "                    \
    "img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self' data:; "             \
    "frame-ancestors 'none'; base-uri 'none'"
#define INDEX_HTML  "<!DOCTYPE html><html><head><title>stom</title></head><body></body></html>\n"
#define BIG_ASSET_N 100000               /* more than one 16 KiB write of the server */
#define SECRET      "must-not-be-served" /* the content of files outside the assets */

static gw_harness h;

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Makes h.dir/static/web (with index.html unless without_index) and its assets; returns the
 * --static-dir in static_dir. */
static void make_web_dir(char *static_dir, size_t len, bool without_index)
{
    char path[256];
    snprintf(static_dir, len, "%s/static", h.dir);
    ck_assert_int_eq(mkdir(static_dir, 0700), 0);
    snprintf(path, sizeof path, "%s/web", static_dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/web/assets", static_dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    if (!without_index) {
        snprintf(path, sizeof path, "%s/web/index.html", static_dir);
        write_file(path, INDEX_HTML, strlen(INDEX_HTML));
    }
    snprintf(path, sizeof path, "%s/web/assets/index-Bx3_k9.js", static_dir);
    char *big = malloc(BIG_ASSET_N);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < BIG_ASSET_N; i++)
        big[i] = (char)('a' + i % 26);
    write_file(path, big, BIG_ASSET_N);
    free(big);
    snprintf(path, sizeof path, "%s/web/assets/logo.svg", static_dir);
    write_file(path, "<svg/>", 6);
    snprintf(path, sizeof path, "%s/web/assets/.hidden", static_dir);
    write_file(path, SECRET, strlen(SECRET));
    snprintf(path, sizeof path, "%s/web/secret.txt", static_dir);
    write_file(path, SECRET, strlen(SECRET));
}

static void start(int port, bool without_index)
{
    gw_h_init(&h, port);
    char static_dir[160];
    make_web_dir(static_dir, sizeof static_dir, without_index);
    const char *args[] = {"--static-dir", static_dir, NULL};
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

/* Sends "GET path" as written (curl would resolve "..") and returns the answer's status. */
static int raw_get(const char *path)
{
    int fd = gw_raw_connect(&h);
    char req[512], out[8192];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
    gw_raw_send(fd, req, strlen(req));
    int status = gw_raw_response(fd, out, sizeof out);
    close(fd);
    ck_assert_ptr_null(strstr(out, SECRET));
    return status;
}

START_TEST(the_page_is_served_with_its_policy_and_revalidated)
{
    start(18800, false);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_str_eq(r.body, INDEX_HTML);
    ck_assert(has_header(&r, "Content-Type", "text/html; charset=utf-8"));
    ck_assert(has_header(&r, "Cache-Control", "no-cache"));
    ck_assert(has_header(&r, "Content-Security-Policy", WEB_CSP));
    ck_assert(has_header(&r, "X-Content-Type-Options", "nosniff"));
    gw_http_reply_free(&r);
    /* The API keeps its own headers beside the page's. */
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    ck_assert(has_header(&r, "Cache-Control", "no-store"));
    ck_assert(
        has_header(&r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(assets_are_served_with_their_type_and_cached_for_good)
{
    start(18801, false);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/assets/index-Bx3_k9.js", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_uint_eq(r.len, BIG_ASSET_N);
    ck_assert_int_eq(r.body[BIG_ASSET_N - 1], 'a' + (BIG_ASSET_N - 1) % 26);
    ck_assert(has_header(&r, "Content-Type", "text/javascript; charset=utf-8"));
    ck_assert(has_header(&r, "Cache-Control", "public, max-age=31536000, immutable"));
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "GET", "/assets/logo.svg", NULL, NULL, 0, NULL, &r), 200);
    ck_assert(has_header(&r, "Content-Type", "image/svg+xml"));
    gw_http_reply_free(&r);
    /* A missing asset is a 404 that nothing caches. */
    ck_assert_int_eq(gw_http(&h, "GET", "/assets/index-nothere.js", NULL, NULL, 0, NULL, &r), 404);
    ck_assert_str_eq(gw_http_error_code(&r), "not_found");
    ck_assert(has_header(&r, "Cache-Control", "no-store"));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(no_name_reaches_outside_the_assets_directory)
{
    start(18802, false);
    const char *paths[] = {"/assets/.hidden",
                           "/assets/%2ehidden",
                           "/assets/../secret.txt",
                           "/assets/../x",
                           "/assets/..%2fsecret.txt",
                           "/assets/",
                           "/assets",
                           "/secret.txt",
                           "/assets/a/b.js"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int st = raw_get(paths[i]);
        ck_assert_msg(st == 404 || st == 400 || st == 403, "%s gave %d", paths[i], st);
    }
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/assets/.hidden", NULL, NULL, 0, NULL, &r), 404);
    gw_http_reply_free(&r);
    /* libwebsockets resolves "/assets/.." (decoded) to "/": the page, nothing else. */
    ck_assert_int_eq(gw_http(&h, "GET", "/assets/%2e%2e", NULL, NULL, 0, NULL, &r), 200);
    ck_assert_str_eq(r.body, INDEX_HTML);
    gw_http_reply_free(&r);
    /* Other paths outside the API are still unknown. */
    ck_assert_int_eq(gw_http(&h, "GET", "/dashboard", NULL, NULL, 0, NULL, &r), 404);
    ck_assert_str_eq(gw_http_error_code(&r), "not_found");
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "POST", "/", NULL, "{}", 2, "application/json", &r), 405);
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(without_a_build_the_page_says_how_to_make_one)
{
    start(18803, true);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/", NULL, NULL, 0, NULL, &r), 503);
    ck_assert(has_header(&r, "Content-Type", "text/html; charset=utf-8"));
    ck_assert(has_header(&r, "Content-Security-Policy", WEB_CSP));
    ck_assert_ptr_nonnull(strstr(r.body, "not built"));
    ck_assert_ptr_nonnull(strstr(r.body, "make build"));
    ck_assert_ptr_nonnull(strstr(r.body, "npm"));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

START_TEST(the_openapi_document_leaves_the_ui_out)
{
    start(18804, false);
    gw_http_reply r;
    ck_assert_int_eq(gw_http(&h, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r), 200);
    json_t *paths = json_object_get(r.json, "paths");
    ck_assert_ptr_nonnull(json_object_get(paths, "/healthz"));
    ck_assert_ptr_null(json_object_get(paths, "/"));
    ck_assert_ptr_null(json_object_get(paths, "/assets/{file}"));
    gw_http_reply_free(&r);
    finish();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_web");
    TCase *tc = tcase_create("web");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_page_is_served_with_its_policy_and_revalidated);
    tcase_add_test(tc, assets_are_served_with_their_type_and_cached_for_good);
    tcase_add_test(tc, no_name_reaches_outside_the_assets_directory);
    tcase_add_test(tc, without_a_build_the_page_says_how_to_make_one);
    tcase_add_test(tc, the_openapi_document_leaves_the_ui_out);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
