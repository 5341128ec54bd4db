/*
 * test_json_out.c - gw_json_out writes exactly what jansson's json_dumps
 * (compact, ASCII) writes, for every kind of value the API answers with,
 * and the token cache only ever answers for a token verified under the
 * same configuration.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_json_out.h"
#include "gw_token_cache.h"
#include "test_support.h"

static void assert_same_as_jansson(json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    size_t len = 0;
    char *got = gw_json_out(v, &len);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(len, strlen(want));
    free(want);
    free(got);
    json_decref(v);
}

START_TEST(scalars_match_jansson)
{
    assert_same_as_jansson(json_null());
    assert_same_as_jansson(json_true());
    assert_same_as_jansson(json_false());
    const json_int_t ints[] = {0, 1, -1, 1234567890123LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        assert_same_as_jansson(json_integer(ints[i]));
    const double reals[] = {0.0,
                            -0.0,
                            1.0,
                            -2.5,
                            0.1,
                            1e20,
                            1e21,
                            1e-5,
                            1.5e-7,
                            1e100,
                            -1e-100,
                            DBL_MAX,
                            DBL_MIN,
                            5e-324,
                            1e17,
                            123456.0,
                            3.14159265358979,
                            100.0};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        assert_same_as_jansson(json_real(reals[i]));
}
END_TEST

START_TEST(strings_escape_like_jansson)
{
    const char *texts[] = {"",
                           "plain",
                           "quote \" backslash \\ slash /",
                           "\b\f\n\r\t\x01\x1f\x7f",
                           "삼성전자 005930",
                           "emoji \xF0\x9F\x93\x88 and \xE2\x82\xA9",
                           "\xC3\xA9t\xC3\xA9"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_same_as_jansson(json_string(texts[i]));
    assert_same_as_jansson(json_stringn("nul\0inside", 10));
}
END_TEST

START_TEST(containers_keep_order_and_nesting)
{
    assert_same_as_jansson(json_array());
    assert_same_as_jansson(json_object());
    assert_same_as_jansson(json_pack("{s:i, s:s, s:[f, n, b], s:{s:{}}, s:[]}", "zeta", 1,
                                     "\xEC\xA2\x85\xEB\xAA\xA9 \"name\"", "x", "alpha", 2.5, 1,
                                     "nested", "deep", "empty"));
    /* Random trees, seeded: every shape the encoder has. */
    srand(7);
    for (int round = 0; round < 200; round++) {
        json_t *root = json_object();
        for (int k = 0; k < 1 + rand() % 8; k++) {
            char key[16];
            snprintf(key, sizeof key, "k%d\t%d", k, rand() % 100);
            json_t *v;
            switch (rand() % 5) {
            case 0:
                v = json_integer(rand() - RAND_MAX / 2);
                break;
            case 1:
                v = json_real((rand() - RAND_MAX / 2) / 1000.0);
                break;
            case 2:
                v = json_string(k % 2 ? "\xEA\xB0\x80\xEB\x82\x98" : "ab\"c");
                break;
            case 3:
                v = json_pack("[i, s, {s:n}]", k, "x", "y");
                break;
            default:
                v = json_object();
                break;
            }
            json_object_set_new(root, key, v);
        }
        assert_same_as_jansson(root);
    }
}
END_TEST

START_TEST(too_deep_and_null_are_refused)
{
    json_t *root = json_array(), *at = root;
    for (int i = 0; i < GW_JSON_OUT_MAX_DEPTH + 5; i++) {
        json_t *inner = json_array();
        json_array_append_new(at, inner);
        at = inner;
    }
    ck_assert_ptr_null(gw_json_out(root, NULL));
    json_decref(root);
    ck_assert_ptr_null(gw_json_out(NULL, NULL));
}
END_TEST

START_TEST(the_token_cache_answers_only_under_the_same_configuration)
{
    gw_config a = {.jwt_secret = "a-secret-of-at-least-thirty-two-bytes!!",
                   .issuer = "stom",
                   .audience = "stom-api"};
    gw_config b = a;
    b.jwt_secret = "another-secret-of-at-least-thirty-two-bytes";
    gw_config c = a;
    c.audience = "other-api";
    gw_user u = {.id = 42, .role = GW_ROLE_TRADER}, got = {0};
    snprintf(u.username, sizeof u.username, "kim");
    int64_t now = (int64_t)time(NULL);
    gw_token_cache_put(&a, "token-one", &u, now + 60);
    ck_assert(gw_token_cache_get(&a, "token-one", now, &got));
    ck_assert_int_eq(got.id, 42);
    ck_assert_str_eq(got.username, "kim");
    ck_assert(!gw_token_cache_get(&b, "token-one", now, &got));
    ck_assert(!gw_token_cache_get(&c, "token-one", now, &got));
    ck_assert(!gw_token_cache_get(&a, "token-two", now, &got));
    ck_assert(!gw_token_cache_get(&a, "token-one", now + 60, &got)); /* at exp: expired */

    /* Through gw_access_verify: a cached token still stops passing once it expires. */
    gw_config live = a;
    live.access_ttl_s = 900;
    char *token = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(gw_access_issue(&live, &u, &token, &eb), STOM_OK);
    ck_assert_int_eq(gw_access_verify(&live, token, &got, &eb), STOM_OK);
    ck_assert_int_eq(gw_access_verify(&live, token, &got, &eb), STOM_OK); /* from the cache */
    ck_assert_int_eq(got.id, 42);
    ck_assert_int_ne(gw_access_verify(&b, token, &got, &eb), STOM_OK); /* other secret */
    free(token);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_json_out");
    TCase *tc = tcase_create("json_out");
    tcase_add_test(tc, scalars_match_jansson);
    tcase_add_test(tc, strings_escape_like_jansson);
    tcase_add_test(tc, containers_keep_order_and_nesting);
    tcase_add_test(tc, too_deep_and_null_are_refused);
    tcase_add_test(tc, the_token_cache_answers_only_under_the_same_configuration);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
