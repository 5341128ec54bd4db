/*
 * test_redis.c - the Redis helpers against the test server: PING, binary
 * values, absent keys, time to live and expiry, and the URL and
 * connection errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stom/store_redis.h"
#include "test_db.h"
#include "test_support.h"

static stom_redis *open_redis(void)
{
    stom_redis *r = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_redis_connect(&r, stom_test_redis_url(), &eb) == STOM_OK, "%s", eb.msg);
    return r;
}

/* Keys are per process: tests run in parallel against one server. */
static const char *key(const char *name)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "stom-test:%ld:%s", (long)getpid(), name);
    return buf;
}

START_TEST(ping_answers)
{
    stom_redis *r = open_redis();
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_redis_ping(r, &eb), STOM_OK);
    stom_redis_close(r);
    stom_redis_close(NULL);
}
END_TEST

START_TEST(a_value_comes_back_byte_for_byte_and_is_gone_after_del)
{
    stom_redis *r = open_redis();
    stom_errbuf eb = {{0}};
    static const char value[] = "bytes\0with a NUL and 한글";
    const char *k = key("value with spaces");
    ck_assert_int_eq(stom_redis_set(r, k, value, sizeof value, 0, &eb), STOM_OK);
    char *got = NULL;
    size_t len = 0;
    ck_assert_int_eq(stom_redis_get(r, k, &got, &len, &eb), STOM_OK);
    ck_assert_uint_eq(len, sizeof value);
    ck_assert_int_eq(memcmp(got, value, len), 0);
    ck_assert_int_eq(got[len], '\0');
    free(got);
    ck_assert_int_eq(stom_redis_del(r, k, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_get(r, k, &got, &len, &eb), STOM_ENOTFOUND);
    ck_assert_int_eq(stom_redis_del(r, k, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_set(r, k, "", 0, 0, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_get(r, k, &got, &len, &eb), STOM_OK);
    ck_assert_uint_eq(len, 0);
    free(got);
    stom_redis_del(r, k, &eb);
    stom_redis_close(r);
}
END_TEST

START_TEST(a_time_to_live_is_kept_and_zero_means_forever)
{
    stom_redis *r = open_redis();
    stom_errbuf eb = {{0}};
    const char *k = key("ttl");
    int ttl = -1;
    ck_assert_int_eq(stom_redis_set(r, k, "x", 1, 100, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_ttl(r, k, &ttl, &eb), STOM_OK);
    ck_assert_int_gt(ttl, 90);
    ck_assert_int_le(ttl, 100);
    ck_assert_int_eq(stom_redis_set(r, k, "y", 1, 0, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_ttl(r, k, &ttl, &eb), STOM_OK);
    ck_assert_int_eq(ttl, 0);
    ck_assert_int_eq(stom_redis_set(r, k, "z", 1, -1, &eb), STOM_EINVAL);
    stom_redis_del(r, k, &eb);
    ck_assert_int_eq(stom_redis_ttl(r, k, &ttl, &eb), STOM_ENOTFOUND);
    stom_redis_close(r);
}
END_TEST

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(a_key_expires_after_its_time_to_live)
{
    stom_redis *r = open_redis();
    stom_errbuf eb = {{0}};
    const char *k = key("expiring");
    ck_assert_int_eq(stom_redis_set(r, k, "x", 1, 1, &eb), STOM_OK);
    /* Poll with a deadline: expiry takes a second, give it three. */
    double deadline = now_seconds() + 3;
    int rc;
    char *got = NULL;
    size_t len;
    while ((rc = stom_redis_get(r, k, &got, &len, &eb)) == STOM_OK && now_seconds() < deadline) {
        free(got);
        got = NULL;
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    }
    ck_assert_int_eq(rc, STOM_ENOTFOUND);
    stom_redis_close(r);
}
END_TEST

START_TEST(incr_expire_counts_and_sets_the_ttl_only_when_it_creates_the_key)
{
    stom_redis *r = open_redis();
    stom_errbuf eb = {{0}};
    char k[128], other[128]; /* key() returns one static buffer */
    snprintf(k, sizeof k, "%s", key("counter"));
    snprintf(other, sizeof other, "%s", key("other"));
    ck_assert_int_eq(stom_redis_del(r, k, &eb), STOM_OK);
    long long n = 0;
    ck_assert_int_eq(stom_redis_incr_expire(r, k, 100, &n, &eb), STOM_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(stom_redis_set(r, other, "x", 1, 0, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_incr_expire(r, k, 5000, &n, &eb), STOM_OK);
    ck_assert_int_eq(n, 2);
    int ttl = -1;
    ck_assert_int_eq(stom_redis_ttl(r, k, &ttl, &eb), STOM_OK);
    ck_assert_int_gt(ttl, 90);
    ck_assert_int_le(ttl, 100);
    ck_assert_int_eq(stom_redis_incr_expire(r, k, 0, &n, &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "not positive"));
    ck_assert_int_eq(stom_redis_incr_expire(r, other, 10, &n, &eb), STOM_EIO);
    ck_assert_int_eq(stom_redis_del(r, k, &eb), STOM_OK);
    ck_assert_int_eq(stom_redis_del(r, other, &eb), STOM_OK);
    stom_redis_close(r);
}
END_TEST

START_TEST(a_url_that_is_not_redis_host_port_is_refused)
{
    static const char *const bad[] = {
        "http://127.0.0.1:6379", "redis://",         "redis://h:port", "redis://h:0",
        "redis://h:70000",       "redis://u:pw@h:1", "127.0.0.1:6379", "redis://h:1/2"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        stom_redis *r = NULL;
        stom_errbuf eb = {{0}};
        ck_assert_msg(stom_redis_connect(&r, bad[k], &eb) == STOM_EINVAL, "%s accepted", bad[k]);
        ck_assert_ptr_null(r);
        ck_assert_msg(strstr(eb.msg, "redis://HOST[:PORT]") != NULL, "%s", eb.msg);
    }
}
END_TEST

START_TEST(an_unreachable_server_is_an_io_error_naming_it)
{
    stom_redis *r = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_redis_connect(&r, "redis://127.0.0.1:1", &eb), STOM_EIO);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(eb.msg, "127.0.0.1:1") != NULL, "%s", eb.msg);
}
END_TEST

START_TEST(without_a_url_the_environment_is_used)
{
    setenv("STOM_REDIS_URL", stom_test_redis_url(), 1);
    stom_redis *r = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_redis_connect(&r, NULL, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(stom_redis_ping(r, &eb), STOM_OK);
    stom_redis_close(r);
    setenv("STOM_REDIS_URL", "redis://127.0.0.1:1", 1);
    ck_assert_int_eq(stom_redis_connect(&r, NULL, &eb), STOM_EIO);
}
END_TEST

static Suite *redis_suite(void)
{
    Suite *s = suite_create("redis");
    TCase *tc = tcase_create("redis");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, ping_answers);
    tcase_add_test(tc, a_value_comes_back_byte_for_byte_and_is_gone_after_del);
    tcase_add_test(tc, a_time_to_live_is_kept_and_zero_means_forever);
    tcase_add_test(tc, a_key_expires_after_its_time_to_live);
    tcase_add_test(tc, incr_expire_counts_and_sets_the_ttl_only_when_it_creates_the_key);
    tcase_add_test(tc, a_url_that_is_not_redis_host_port_is_refused);
    tcase_add_test(tc, an_unreachable_server_is_an_io_error_naming_it);
    tcase_add_test(tc, without_a_url_the_environment_is_used);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(redis_suite());
}
