/*
 * test_auth.c - gateway accounts and authentication against the real test
 * PostgreSQL and Redis: the auth and admin routes called as the router
 * calls them (rate limit, gw_authenticate, handler), access tokens that must
 * be refused, refresh-token rotation and reuse, disabled users, roles, the
 * rate limit and password rehashing.
 */
#include <jwt.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gw_auth.h"
#include "gw_users.h"
#include "test_db.h"
#include "test_support.h"

#define SECRET "test-secret-of-more-than-thirty-two-bytes!"

static char conninfo[512];
static char client_ip[48];
static gw_config cfg;
static gw_ctx ctx;

static void setup(void)
{
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(gw_auth_init(), STOM_OK);
    stom_test_db_create(conninfo, sizeof conninfo);
    cfg = (gw_config){.jwt_secret = SECRET,
                      .issuer = GW_ISSUER_DEFAULT,
                      .audience = GW_AUDIENCE_DEFAULT,
                      .access_ttl_s = 900,
                      .refresh_ttl_s = 30 * 86400,
                      .body_max = 1 << 20,
                      .json_depth_max = 32,
                      .auth_per_min = 1000,
                      .user_per_min = 1000};
    ctx = (gw_ctx){.cfg = &cfg};
    /* Rate-limit buckets are per IP and live in the shared Redis: one per test process. */
    snprintf(client_ip, sizeof client_ip, "127.%d.%d.1", (int)(getpid() / 250 % 250),
             (int)(getpid() % 250));
    ck_assert_msg(stom_db_connect(&ctx.db, conninfo, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_msg(stom_redis_connect(&ctx.redis, stom_test_redis_url(), &eb) == STOM_OK, "%s",
                  eb.msg);
}

static void teardown(void)
{
    stom_db_close(ctx.db);
    stom_redis_close(ctx.redis);
    stom_test_db_drop(conninfo);
}

/* ---- a small router: what the gateway's does, over gw_routes_auth ------ */

typedef struct reply {
    int status;
    json_t *body; /* NULL when none */
    int retry_after_s;
    char location[128];
} reply;

/* Whether pattern matches path, collecting {param} segments into req. */
static bool match(const char *pattern, const char *path, gw_request *req, char segs[][32])
{
    req->n_params = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            size_t n = strcspn(path, "/");
            ck_assert_uint_lt(n, 32);
            memcpy(segs[req->n_params], path, n);
            segs[req->n_params][n] = '\0';
            req->params[req->n_params] = segs[req->n_params];
            req->n_params++;
            pattern = strchr(pattern, '}') + 1;
            path += n;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static bool limit_ok(const gw_route *route, gw_request *req, gw_response *res)
{
    char bucket[96];
    if (route->limit == GW_LIMIT_AUTH_IP) {
        snprintf(bucket, sizeof bucket, "auth:%s", req->client_ip);
        return gw_rate_allow(&ctx, bucket, cfg.auth_per_min, res);
    }
    if (route->limit == GW_LIMIT_USER) {
        snprintf(bucket, sizeof bucket, "user:%lld", (long long)req->user.id);
        return gw_rate_allow(&ctx, bucket, cfg.user_per_min, res);
    }
    return true;
}

static reply call(const char *method, const char *path, const char *body, const char *token)
{
    char auth[4200] = "", segs[GW_MAX_PARAMS][32], target[256];
    if (token)
        snprintf(auth, sizeof auth, "Bearer %s", token);
    /* "path?query" is split as the HTTP core splits it. */
    snprintf(target, sizeof target, "%s", path);
    char *query = strchr(target, '?');
    if (query)
        *query++ = '\0';
    path = target;
    gw_request req = {.path = path,
                      .query = query ? query : "",
                      .body = body,
                      .body_len = body ? strlen(body) : 0,
                      .authorization = token ? auth : NULL,
                      .content_type = "application/json"};
    snprintf(req.method, sizeof req.method, "%s", method);
    snprintf(req.client_ip, sizeof req.client_ip, "%s", client_ip);
    const gw_route *route = gw_routes_auth;
    while (route->method &&
           !(strcmp(route->method, method) == 0 && match(route->pattern, path, &req, segs)))
        route++;
    ck_assert_msg(route->method != NULL, "no route %s %s", method, path);
    req.route = route->pattern;
    gw_response res = {0};
    bool ok = route->limit != GW_LIMIT_AUTH_IP || limit_ok(route, &req, &res);
    ok = ok && gw_authenticate(&ctx, &req, route->access, &res);
    ok = ok && (route->limit != GW_LIMIT_USER || limit_ok(route, &req, &res));
    if (ok)
        route->handler(&ctx, &req, &res);
    reply r = {.status = res.status, .retry_after_s = res.retry_after_s};
    snprintf(r.location, sizeof r.location, "%s", res.location);
    if (res.body) {
        r.body = json_loadb(res.body, res.body_len, 0, NULL);
        ck_assert_msg(r.body != NULL, "the reply is not JSON: %s", res.body);
    }
    free(res.body);
    return r;
}

static const char *str_at(const reply *r, const char *a, const char *b)
{
    json_t *v = json_object_get(r->body, a);
    if (b)
        v = json_object_get(v, b);
    return json_string_value(v) ? json_string_value(v) : "";
}

static const char *error_code(const reply *r)
{
    return str_at(r, "error", "code");
}

static const char *error_message(const reply *r)
{
    return str_at(r, "error", "message");
}

/* The message the error's fields give for field, "" when none. */
static const char *field_error(const reply *r, const char *field)
{
    json_t *fields = json_object_get(json_object_get(r->body, "error"), "fields");
    const char *m = json_string_value(json_object_get(fields, field));
    return m ? m : "";
}

static void expect(reply *r, int status)
{
    ck_assert_msg(r->status == status, "status %d (wanted %d): %s", r->status, status,
                  r->body ? json_dumps(r->body, JSON_COMPACT) : "(no body)");
}

static void drop(reply *r)
{
    json_decref(r->body);
    r->body = NULL;
}

static int64_t register_user(const char *name, const char *email, const char *password)
{
    char body[512];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"%s\"}", name,
             email, password);
    reply r = call("POST", "/api/v1/auth/register", body, NULL);
    expect(&r, 201);
    int64_t id = json_integer_value(json_object_get(r.body, "id"));
    ck_assert_int_gt(id, 0);
    drop(&r);
    return id;
}

/* Logs in; copies the tokens (either may be NULL). Returns the status. */
static int login(const char *name, const char *password, char *access, char *refresh)
{
    char body[512];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
    reply r = call("POST", "/api/v1/auth/login", body, NULL);
    if (r.status == 200) {
        if (access)
            snprintf(access, 4096, "%s", str_at(&r, "access_token", NULL));
        if (refresh)
            snprintf(refresh, GW_REFRESH_TOKEN_LEN, "%s", str_at(&r, "refresh_token", NULL));
    }
    int status = r.status;
    drop(&r);
    return status;
}

static reply refresh_call(const char *path, const char *token)
{
    char body[256];
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", token);
    return call("POST", path, body, NULL);
}

/* ---- happy paths --------------------------------------------------------- */

START_TEST(register_login_me_refresh_and_logout_work_end_to_end)
{
    char body[] = "{\"username\":\"Alice.K-1\",\"email\":\"alice@example.com\","
                  "\"password\":\"correct horse\"}";
    reply r = call("POST", "/api/v1/auth/register", body, NULL);
    expect(&r, 201);
    ck_assert_str_eq(str_at(&r, "username", NULL), "Alice.K-1");
    ck_assert_str_eq(str_at(&r, "email", NULL), "alice@example.com");
    ck_assert_str_eq(str_at(&r, "role", NULL), "user");
    ck_assert_ptr_nonnull(strstr(str_at(&r, "created_at", NULL), "+09:00"));
    ck_assert_ptr_null(json_object_get(r.body, "password_hash"));
    ck_assert_str_eq(r.location, "/api/v1/auth/me");
    drop(&r);

    r = call("POST", "/api/v1/auth/login",
             "{\"email\":\"ALICE@example.com\",\"password\":\"correct horse\"}", NULL);
    expect(&r, 200);
    ck_assert_str_eq(str_at(&r, "token_type", NULL), "bearer");
    ck_assert_int_eq(json_integer_value(json_object_get(r.body, "expires_in")), 900);
    char access[4096], refresh[GW_REFRESH_TOKEN_LEN];
    snprintf(access, sizeof access, "%s", str_at(&r, "access_token", NULL));
    snprintf(refresh, sizeof refresh, "%s", str_at(&r, "refresh_token", NULL));
    ck_assert_uint_eq(strlen(refresh), 43);
    drop(&r);

    r = call("GET", "/api/v1/auth/me", NULL, access);
    expect(&r, 200);
    ck_assert_str_eq(str_at(&r, "username", NULL), "Alice.K-1");
    drop(&r);

    r = refresh_call("/api/v1/auth/refresh", refresh);
    expect(&r, 200);
    ck_assert_str_ne(str_at(&r, "refresh_token", NULL), refresh);
    char access2[4096], refresh2[GW_REFRESH_TOKEN_LEN];
    snprintf(access2, sizeof access2, "%s", str_at(&r, "access_token", NULL));
    snprintf(refresh2, sizeof refresh2, "%s", str_at(&r, "refresh_token", NULL));
    drop(&r);
    r = call("GET", "/api/v1/auth/me", NULL, access2);
    expect(&r, 200);
    drop(&r);

    r = refresh_call("/api/v1/auth/logout", refresh2);
    expect(&r, 204);
    ck_assert_ptr_null(r.body);
    r = refresh_call("/api/v1/auth/refresh", refresh2);
    expect(&r, 401);
    drop(&r);

    /* last_login_at was recorded, and only hashes of refresh tokens are stored. */
    PGresult *res = NULL;
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_query(ctx.db,
                                   "SELECT (SELECT last_login_at IS NOT NULL FROM users), "
                                   "(SELECT count(*) FROM refresh_tokens), "
                                   "(SELECT bool_and(length(token_hash) = 32) FROM refresh_tokens)",
                                   0, NULL, PGRES_TUPLES_OK, "check", &res, &eb),
                     STOM_OK);
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "t");
    ck_assert_str_eq(PQgetvalue(res, 0, 1), "2");
    ck_assert_str_eq(PQgetvalue(res, 0, 2), "t");
    PQclear(res);
}
END_TEST

/* ---- registration -------------------------------------------------------- */

START_TEST(a_duplicate_username_or_email_is_a_409_naming_it_whatever_the_case)
{
    register_user("bob", "bob@example.com", "password1");
    reply r = call(
        "POST", "/api/v1/auth/register",
        "{\"username\":\"BOB\",\"email\":\"other@example.com\",\"password\":\"password1\"}", NULL);
    expect(&r, 409);
    ck_assert_str_eq(error_code(&r), "conflict");
    ck_assert_str_ne(field_error(&r, "username"), "");
    drop(&r);
    r = call("POST", "/api/v1/auth/register",
             "{\"username\":\"bobby\",\"email\":\"Bob@Example.com\",\"password\":\"password1\"}",
             NULL);
    expect(&r, 409);
    ck_assert_str_ne(field_error(&r, "email"), "");
    drop(&r);

    int64_t id = 0;
    stom_errbuf eb;
    ck_assert_int_eq(
        gw_user_create(&ctx, "carol", "BOB@example.com", "password1", GW_ROLE_ADMIN, &id, &eb),
        STOM_ESTATE);
    ck_assert_str_eq(eb.msg, "email is already taken");
    ck_assert_int_eq(
        gw_user_create(&ctx, "carol", "carol@example.com", "password1", GW_ROLE_NONE, &id, &eb),
        STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "role"));
}
END_TEST

static void expect_field_400(const char *body, const char *field)
{
    reply r = call("POST", "/api/v1/auth/register", body, NULL);
    expect(&r, 400);
    ck_assert_msg(strcmp(field_error(&r, field), "") != 0, "no fields.%s in %s", field,
                  json_dumps(r.body, JSON_COMPACT));
    drop(&r);
}

START_TEST(bad_registration_fields_are_400s_naming_the_field)
{
    expect_field_400("{\"username\":\"ab\",\"email\":\"a@b.co\",\"password\":\"password1\"}",
                     "username");
    expect_field_400("{\"username\":\"a b c\",\"email\":\"a@b.co\",\"password\":\"password1\"}",
                     "username");
    expect_field_400(
        "{\"username\":\"h\\u00e9llo\",\"email\":\"a@b.co\",\"password\":\"pass1234\"}",
        "username");
    expect_field_400("{\"username\":\"abcdefghijklmnopqrstuvwxyz0123456\",\"email\":\"a@b.co\","
                     "\"password\":\"password1\"}",
                     "username");
    expect_field_400("{\"username\":12,\"email\":\"a@b.co\",\"password\":\"password1\"}",
                     "username");
    expect_field_400("{\"username\":\"dave\",\"email\":\"nope\",\"password\":\"password1\"}",
                     "email");
    expect_field_400("{\"username\":\"dave\",\"email\":\"a@b\",\"password\":\"password1\"}",
                     "email");
    expect_field_400("{\"username\":\"dave\",\"email\":\"a @b.co\",\"password\":\"password1\"}",
                     "email");
    expect_field_400("{\"username\":\"dave\",\"email\":\"a@b.co\",\"password\":\"short\"}",
                     "password");
    expect_field_400("{\"username\":\"dave\",\"email\":\"a@b.co\"}", "password");
    char body[400];
    snprintf(body, sizeof body,
             "{\"username\":\"dave\",\"email\":\"a@b.co\",\"password\":\"%0129d\"}", 0);
    expect_field_400(body, "password");

    reply r = call("POST", "/api/v1/auth/register", "{\"username\":", NULL);
    expect(&r, 400);
    ck_assert_str_eq(error_code(&r), "invalid_json");
    drop(&r);
    r = call("POST", "/api/v1/auth/register",
             "{\"username\":\"dave\",\"username\":\"eve\",\"email\":\"a@b.co\","
             "\"password\":\"password1\"}",
             NULL);
    expect(&r, 400);
    drop(&r);
}
END_TEST

/* ---- login --------------------------------------------------------------- */

START_TEST(a_wrong_password_and_an_unknown_user_get_the_same_401)
{
    register_user("erin", "erin@example.com", "password1");
    reply wrong = call("POST", "/api/v1/auth/login",
                       "{\"username\":\"erin\",\"password\":\"password2\"}", NULL);
    reply unknown = call("POST", "/api/v1/auth/login",
                         "{\"username\":\"nobody\",\"password\":\"password1\"}", NULL);
    expect(&wrong, 401);
    expect(&unknown, 401);
    ck_assert_str_eq(error_message(&wrong), "invalid username or password");
    ck_assert_str_eq(error_message(&unknown), error_message(&wrong));
    ck_assert_str_eq(error_code(&unknown), error_code(&wrong));
    drop(&wrong);
    drop(&unknown);
    reply r = call("POST", "/api/v1/auth/login", "{\"password\":\"password1\"}", NULL);
    expect(&r, 400);
    ck_assert_str_ne(field_error(&r, "username"), "");
    drop(&r);
    ck_assert_int_eq(login("ERIN", "password1", NULL, NULL), 200);
}
END_TEST

/* ---- access tokens --------------------------------------------------------- */

static char *issue(const gw_config *c, int64_t id, gw_role role)
{
    gw_user u = {.id = id, .role = role};
    snprintf(u.username, sizeof u.username, "user%lld", (long long)id);
    char *token = NULL;
    stom_errbuf eb;
    ck_assert_msg(gw_access_issue(c, &u, &token, &eb) == STOM_OK, "%s", eb.msg);
    return token;
}

/* gw_access_verify must refuse token with a reason containing why. */
static void expect_refused(const char *token, const char *why)
{
    gw_user u = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(gw_access_verify(&cfg, token, &u, &eb), STOM_EINVAL);
    ck_assert_msg(strstr(eb.msg, why) != NULL, "reason '%s', wanted '%s'", eb.msg, why);
    ck_assert_int_eq(u.id, 0);
}

static char *b64url(const char *text)
{
    size_t cap = sodium_base64_ENCODED_LEN(strlen(text), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);
    sodium_bin2base64(out, cap, (const unsigned char *)text, strlen(text),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* A token signed by libjwt with alg and key, with claims given as JSON. */
static char *sign(jwt_alg_t alg, const char *key, const char *claims)
{
    jwt_t *jwt = NULL;
    ck_assert_int_eq(jwt_new(&jwt), 0);
    ck_assert_int_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key, (int)strlen(key)), 0);
    ck_assert_int_eq(jwt_add_grants_json(jwt, claims), 0);
    char *token = jwt_encode_str(jwt);
    jwt_free(jwt);
    ck_assert_ptr_nonnull(token);
    return token;
}

static char good_claims[512];

static const char *claims_with_exp(long exp)
{
    snprintf(good_claims, sizeof good_claims,
             "{\"iss\":\"stom\",\"aud\":\"stom-api\",\"sub\":\"7\",\"name\":\"x\","
             "\"role\":\"admin\",\"exp\":%ld}",
             exp);
    return good_claims;
}

START_TEST(a_good_token_verifies_and_gives_its_claims)
{
    char *token = issue(&cfg, 42, GW_ROLE_TRADER);
    gw_user u = {0};
    stom_errbuf eb;
    ck_assert_msg(gw_access_verify(&cfg, token, &u, &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_int_eq(u.id, 42);
    ck_assert_int_eq(u.role, GW_ROLE_TRADER);
    ck_assert_str_eq(u.username, "user42");
    char *same = sign(JWT_ALG_HS256, SECRET, claims_with_exp((long)time(NULL) + 60));
    ck_assert_int_eq(gw_access_verify(&cfg, same, &u, &eb), STOM_OK);
    ck_assert_int_eq(u.id, 7);
    /* Two tokens for one user differ (jti). */
    char *again = issue(&cfg, 42, GW_ROLE_TRADER);
    ck_assert_str_ne(token, again);
    free(token);
    free(same);
    free(again);
}
END_TEST

START_TEST(forged_expired_none_other_alg_wrong_aud_iss_and_garbage_tokens_are_refused)
{
    long later = (long)time(NULL) + 600;
    char *token = issue(&cfg, 1, GW_ROLE_USER);
    /* A forged signature: one character in the middle of it changed. */
    char *forged = strdup(token);
    char *sig = strrchr(forged, '.') + 10;
    *sig = *sig == 'A' ? 'B' : 'A';
    expect_refused(forged, "bad signature");
    gw_config other = cfg;
    other.jwt_secret = "another-secret-of-more-than-thirty-two-bytes";
    char *foreign = issue(&other, 1, GW_ROLE_USER);
    expect_refused(foreign, "bad signature");

    other = cfg;
    other.access_ttl_s = -5;
    char *expired = issue(&other, 1, GW_ROLE_USER);
    expect_refused(expired, "expired");

    /* alg none, built by hand: header.payload. with an empty signature. */
    char *h = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}"), *p = b64url(claims_with_exp(later));
    char none[1024];
    snprintf(none, sizeof none, "%s.%s.", h, p);
    expect_refused(none, "algorithm none refused");
    char *hs512 = sign(JWT_ALG_HS512, SECRET, claims_with_exp(later));
    expect_refused(hs512, "algorithm HS512 refused");

    other = cfg;
    other.audience = "someone-else";
    char *wrong_aud = issue(&other, 1, GW_ROLE_USER);
    expect_refused(wrong_aud, "wrong audience");
    other = cfg;
    other.issuer = "evil";
    char *wrong_iss = issue(&other, 1, GW_ROLE_USER);
    expect_refused(wrong_iss, "wrong issuer");

    char *no_exp = sign(JWT_ALG_HS256, SECRET,
                        "{\"iss\":\"stom\",\"aud\":\"stom-api\",\"sub\":\"7\",\"name\":\"x\","
                        "\"role\":\"admin\"}");
    expect_refused(no_exp, "no expiry");
    char *bad_sub = sign(JWT_ALG_HS256, SECRET,
                         "{\"iss\":\"stom\",\"aud\":\"stom-api\",\"sub\":\"-3\",\"name\":\"x\","
                         "\"role\":\"admin\",\"exp\":9999999999}");
    expect_refused(bad_sub, "sub");
    char *bad_role = sign(JWT_ALG_HS256, SECRET,
                          "{\"iss\":\"stom\",\"aud\":\"stom-api\",\"sub\":\"7\",\"name\":\"x\","
                          "\"role\":\"root\",\"exp\":9999999999}");
    expect_refused(bad_role, "role");

    expect_refused("garbage", "malformed");
    expect_refused("a.b.c", "malformed");
    expect_refused("", "empty");

    /* Through gw_authenticate every one of them is a 401 that says why. */
    gw_request req = {.authorization = NULL};
    gw_response res = {0};
    char header[1200];
    snprintf(header, sizeof header, "Bearer %s", none);
    req.authorization = header;
    ck_assert(!gw_authenticate(&ctx, &req, GW_USER, &res));
    ck_assert_int_eq(res.status, 401);
    ck_assert_ptr_nonnull(strstr(res.body, "algorithm none refused"));
    free(res.body);
    free(token), free(forged), free(foreign), free(expired), free(h), free(p), free(hs512);
    free(wrong_aud), free(wrong_iss), free(no_exp), free(bad_sub), free(bad_role);
}
END_TEST

static void expect_header_401(const char *header, const char *why)
{
    gw_request req = {.authorization = header};
    gw_response res = {0};
    ck_assert(!gw_authenticate(&ctx, &req, GW_USER, &res));
    ck_assert_int_eq(res.status, 401);
    ck_assert_msg(strstr(res.body, why) != NULL, "%s lacks %s", res.body, why);
    free(res.body);
}

START_TEST(a_missing_or_malformed_authorization_header_is_a_401_saying_so)
{
    expect_header_401(NULL, "missing Authorization header");
    expect_header_401("", "missing Authorization header");
    expect_header_401("Basic dXNlcjpwYXNz", "must be 'Bearer <access token>'");
    expect_header_401("Bearer ", "empty");
    expect_header_401("Bearer    ", "empty");
    expect_header_401("Bearer x.y.z", "invalid access token");
    /* A valid token of a user that does not exist (deleted) is refused too. */
    char *token = issue(&cfg, 999, GW_ROLE_ADMIN);
    char header[1200];
    snprintf(header, sizeof header, "bearer %s", token);
    expect_header_401(header, "no longer exists");
    free(token);
    /* Public routes need nothing. */
    gw_request req = {0};
    gw_response res = {0};
    ck_assert(gw_authenticate(&ctx, &req, GW_PUBLIC, &res));
    ck_assert_ptr_null(res.body);
}
END_TEST

/* ---- refresh tokens ------------------------------------------------------ */

START_TEST(a_spent_refresh_token_fails_and_revokes_its_whole_family)
{
    register_user("frank", "frank@example.com", "password1");
    char r1[GW_REFRESH_TOKEN_LEN], r2[GW_REFRESH_TOKEN_LEN], other[GW_REFRESH_TOKEN_LEN];
    ck_assert_int_eq(login("frank", "password1", NULL, r1), 200);
    ck_assert_int_eq(login("frank", "password1", NULL, other), 200); /* a second login */
    reply r = refresh_call("/api/v1/auth/refresh", r1);
    expect(&r, 200);
    snprintf(r2, sizeof r2, "%s", str_at(&r, "refresh_token", NULL));
    drop(&r);
    ck_assert_str_ne(r1, r2);

    r = refresh_call("/api/v1/auth/refresh", r1);
    expect(&r, 401);
    ck_assert_str_eq(error_code(&r), "token_reused");
    drop(&r);
    r = refresh_call("/api/v1/auth/refresh", r2);
    expect(&r, 401); /* the successor went with the family */
    ck_assert_str_eq(error_code(&r), "token_reused");
    drop(&r);
    r = refresh_call("/api/v1/auth/refresh", other);
    expect(&r, 200); /* the other login's family is untouched */
    drop(&r);

    r = refresh_call("/api/v1/auth/refresh", "not-a-token");
    expect(&r, 401);
    ck_assert_str_eq(error_code(&r), "unauthorized");
    drop(&r);
    r = call("POST", "/api/v1/auth/refresh", "{}", NULL);
    expect(&r, 400);
    ck_assert_str_ne(field_error(&r, "refresh_token"), "");
    drop(&r);
}
END_TEST

START_TEST(an_expired_refresh_token_is_not_found)
{
    int64_t id = register_user("gina", "gina@example.com", "password1");
    char token[GW_REFRESH_TOKEN_LEN], next[GW_REFRESH_TOKEN_LEN];
    stom_errbuf eb;
    ck_assert_int_eq(gw_refresh_start(&ctx, id, token, &eb), STOM_OK);
    ck_assert_int_eq(stom_db_exec(ctx.db, "UPDATE refresh_tokens SET expires_at = now()", &eb),
                     STOM_OK);
    int64_t uid = 0;
    ck_assert_int_eq(gw_refresh_rotate(&ctx, token, &uid, next, &eb), STOM_ENOTFOUND);
    ck_assert_str_eq(eb.msg, "refresh token expired");
    ck_assert_int_eq(gw_refresh_revoke(&ctx, "unknown", &eb), STOM_OK);
}
END_TEST

typedef struct racer {
    const char *token;
    int rc;
} racer;

static void *race_rotate(void *arg)
{
    racer *r = arg;
    gw_ctx mine = {.cfg = &cfg};
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_connect(&mine.db, conninfo, &eb), STOM_OK);
    char next[GW_REFRESH_TOKEN_LEN];
    int64_t uid;
    r->rc = gw_refresh_rotate(&mine, r->token, &uid, next, &eb);
    stom_db_close(mine.db);
    return NULL;
}

START_TEST(two_concurrent_refreshes_of_one_token_cannot_both_succeed)
{
    int64_t id = register_user("hank", "hank@example.com", "password1");
    for (int round = 0; round < 5; round++) {
        char token[GW_REFRESH_TOKEN_LEN];
        stom_errbuf eb;
        ck_assert_int_eq(gw_refresh_start(&ctx, id, token, &eb), STOM_OK);
        racer a = {token, 1}, b = {token, 1};
        pthread_t ta, tb;
        pthread_create(&ta, NULL, race_rotate, &a);
        pthread_create(&tb, NULL, race_rotate, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        ck_assert_msg((a.rc == STOM_OK) != (b.rc == STOM_OK), "rc %d and %d", a.rc, b.rc);
        ck_assert_int_eq(a.rc + b.rc, STOM_ESTATE);
    }
}
END_TEST

/* ---- disabled users and roles -------------------------------------------- */

static int64_t make_admin(char *access)
{
    int64_t id = 0;
    stom_errbuf eb;
    ck_assert_msg(gw_user_create(&ctx, "root.admin", "root@example.com", "admin-password",
                                 GW_ROLE_ADMIN, &id, &eb) == STOM_OK,
                  "%s", eb.msg);
    ck_assert_int_eq(login("root.admin", "admin-password", access, NULL), 200);
    return id;
}

static reply patch_user(int64_t id, const char *body, const char *token)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/users/%lld", (long long)id);
    return call("PATCH", path, body, token);
}

START_TEST(a_disabled_user_is_refused_and_cannot_refresh_or_log_in)
{
    char admin[4096], access[4096], refresh[GW_REFRESH_TOKEN_LEN];
    make_admin(admin);
    int64_t id = register_user("ivan", "ivan@example.com", "password1");
    ck_assert_int_eq(login("ivan", "password1", access, refresh), 200);
    reply r = patch_user(id, "{\"disabled\":true}", admin);
    expect(&r, 200);
    ck_assert(json_is_true(json_object_get(r.body, "disabled")));
    drop(&r);

    r = call("GET", "/api/v1/auth/me", NULL, access);
    expect(&r, 401);
    ck_assert_str_eq(error_message(&r), "account disabled");
    drop(&r);
    r = refresh_call("/api/v1/auth/refresh", refresh);
    expect(&r, 401);
    drop(&r);
    ck_assert_int_eq(login("ivan", "password1", NULL, NULL), 401);

    /* Disabled behind the gateway's back (SQL): refreshing still fails. */
    r = patch_user(id, "{\"disabled\":false}", admin);
    expect(&r, 200);
    drop(&r);
    ck_assert_int_eq(login("ivan", "password1", NULL, refresh), 200);
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_exec(ctx.db, "UPDATE users SET disabled = true", &eb), STOM_OK);
    r = refresh_call("/api/v1/auth/refresh", refresh);
    expect(&r, 401);
    ck_assert_str_eq(error_message(&r), "account disabled");
    drop(&r);
}
END_TEST

START_TEST(roles_are_checked_and_admins_cannot_lock_themselves_out)
{
    char admin[4096], access[4096];
    int64_t admin_id = make_admin(admin);
    int64_t id = register_user("judy", "judy@example.com", "password1");
    ck_assert_int_eq(login("judy", "password1", access, NULL), 200);
    reply r = call("GET", "/api/v1/admin/users", NULL, access);
    expect(&r, 403);
    ck_assert_str_eq(error_code(&r), "forbidden");
    drop(&r);
    r = patch_user(id, "{\"role\":\"admin\"}", access);
    expect(&r, 403);
    drop(&r);

    r = call("GET", "/api/v1/admin/users", NULL, admin);
    expect(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.body, "users")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.body, "total")), 2);
    drop(&r);
    /* Paged in id order: the second page of one holds judy; past the end is empty. */
    r = call("GET", "/api/v1/admin/users?limit=1&offset=1", NULL, admin);
    expect(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.body, "users")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r.body, "users"), 0), "username")),
                     "judy");
    ck_assert_int_eq(json_integer_value(json_object_get(r.body, "total")), 2);
    drop(&r);
    r = call("GET", "/api/v1/admin/users?offset=5", NULL, admin);
    expect(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.body, "users")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.body, "total")), 2);
    drop(&r);
    const char *bad_pages[] = {"limit=0", "limit=1001", "limit=x", "offset=-1", "limit="};
    for (size_t i = 0; i < sizeof bad_pages / sizeof bad_pages[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/admin/users?%s", bad_pages[i]);
        r = call("GET", path, NULL, admin);
        expect(&r, 400);
        ck_assert_str_eq(error_code(&r), "invalid_field");
        drop(&r);
    }

    r = patch_user(admin_id, "{\"disabled\":true}", admin);
    expect(&r, 400);
    ck_assert_str_ne(field_error(&r, "disabled"), "");
    drop(&r);
    r = patch_user(admin_id, "{\"role\":\"user\"}", admin);
    expect(&r, 400);
    ck_assert_str_ne(field_error(&r, "role"), "");
    drop(&r);
    r = patch_user(id, "{\"role\":\"god\"}", admin);
    expect(&r, 400);
    drop(&r);
    r = patch_user(id, "{\"disabled\":\"yes\"}", admin);
    expect(&r, 400);
    ck_assert_str_ne(field_error(&r, "disabled"), "");
    drop(&r);
    r = patch_user(id, "{}", admin);
    expect(&r, 400);
    drop(&r);
    r = patch_user(id + 100, "{\"role\":\"trader\"}", admin);
    expect(&r, 404);
    drop(&r);

    /* A promotion takes effect on the user's very next request, same token. */
    r = patch_user(id, "{\"role\":\"trader\"}", admin);
    expect(&r, 200);
    ck_assert_str_eq(str_at(&r, "role", NULL), "trader");
    drop(&r);
    gw_request req = {.authorization = NULL};
    char header[4200];
    snprintf(header, sizeof header, "Bearer %s", access);
    req.authorization = header;
    gw_response res = {0};
    ck_assert(gw_authenticate(&ctx, &req, GW_TRADER, &res));
    ck_assert_int_eq(req.user.role, GW_ROLE_TRADER);
    ck_assert(!gw_authenticate(&ctx, &req, GW_ADMIN, &res));
    ck_assert_int_eq(res.status, 403);
    free(res.body);
}
END_TEST

/* ---- rate limit and rehash --------------------------------------------------- */

START_TEST(the_fourth_login_in_a_minute_from_one_ip_is_rate_limited)
{
    register_user("kate", "kate@example.com", "password1");
    cfg.auth_per_min = 3;
    /* A window boundary between the hits resets the count: then try once more. */
    for (int attempt = 0; attempt < 2; attempt++) {
        time_t start = time(NULL) / 60;
        snprintf(client_ip, sizeof client_ip, "10.%d.%d.%d", (int)(getpid() % 250), attempt,
                 (int)(time(NULL) % 250));
        for (int i = 0; i < 3; i++)
            ck_assert_int_eq(login("kate", "password1", NULL, NULL), 200);
        reply r = call("POST", "/api/v1/auth/login",
                       "{\"username\":\"kate\",\"password\":\"password1\"}", NULL);
        if (time(NULL) / 60 != start) {
            drop(&r);
            continue;
        }
        expect(&r, 429);
        ck_assert_str_eq(error_code(&r), "rate_limited");
        ck_assert_int_gt(r.retry_after_s, 0);
        ck_assert_int_le(r.retry_after_s, 60);
        drop(&r);
        return;
    }
    ck_abort_msg("two minute boundaries in a row");
}
END_TEST

/* A generous limit is leased from Redis in blocks, and still stops at the limit. */
START_TEST(a_leased_rate_limit_admits_exactly_the_limit)
{
    char bucket[64];
    snprintf(bucket, sizeof bucket, "lease-test:%ld", (long)getpid());
    int allowed = 0;
    time_t window = time(NULL) / 60;
    for (int i = 0; i < 260; i++) {
        gw_response res = {0};
        if (gw_rate_allow(&ctx, bucket, 200, &res))
            allowed++;
        else
            ck_assert_int_eq(res.status, 429);
        free(res.body);
    }
    if (time(NULL) / 60 == window) { /* a new minute inside the loop starts a new window */
        ck_assert_int_eq(allowed, 200);
        /* Once the window is known used up, refusals cost no Redis command: the count stays. */
        char key[160], *before = NULL, *after = NULL;
        size_t len;
        stom_errbuf eb;
        snprintf(key, sizeof key, "stom:rl:%s:%lld", bucket, (long long)window);
        ck_assert_int_eq(stom_redis_get(ctx.redis, key, &before, &len, &eb), STOM_OK);
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            gw_response res = {0};
            refused += !gw_rate_allow(&ctx, bucket, 200, &res);
            free(res.body);
        }
        ck_assert_int_eq(stom_redis_get(ctx.redis, key, &after, &len, &eb), STOM_OK);
        if (time(NULL) / 60 == window) {
            ck_assert_int_eq(refused, 50);
            ck_assert_str_eq(after, before);
        }
        free(before);
        free(after);
    }
}
END_TEST

START_TEST(without_redis_requests_pass_the_rate_limit)
{
    stom_redis_close(ctx.redis);
    ctx.redis = NULL;
    gw_response res = {0};
    for (int i = 0; i < 3; i++)
        ck_assert(gw_rate_allow(&ctx, "auth:192.0.2.1", 1, &res));
    ck_assert_ptr_null(res.body);
}
END_TEST

START_TEST(a_hash_with_weaker_parameters_is_replaced_at_login)
{
    int64_t id = register_user("liam", "liam@example.com", "password1");
    char weak[crypto_pwhash_STRBYTES];
    ck_assert_int_eq(crypto_pwhash_str(weak, "password1", 9, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN),
                     0);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    const char *params[] = {weak, id_text};
    stom_errbuf eb;
    ck_assert_int_eq(stom_db_query(ctx.db, "UPDATE users SET password_hash = $1 WHERE id = $2", 2,
                                   params, PGRES_COMMAND_OK, "weaken", NULL, &eb),
                     STOM_OK);
    ck_assert_int_eq(login("liam", "password1", NULL, NULL), 200);
    PGresult *res = NULL;
    ck_assert_int_eq(stom_db_query(ctx.db, "SELECT password_hash FROM users WHERE id = $1", 1,
                                   params + 1, PGRES_TUPLES_OK, "hash", &res, &eb),
                     STOM_OK);
    const char *now = PQgetvalue(res, 0, 0);
    ck_assert_str_ne(now, weak);
    ck_assert_int_eq(crypto_pwhash_str_needs_rehash(now, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE),
                     0);
    bool rehash = true;
    ck_assert(gw_password_verify(now, "password1", &rehash));
    ck_assert(!rehash);
    PQclear(res);
    ck_assert_int_eq(login("liam", "password1", NULL, NULL), 200);
}
END_TEST

static Suite *auth_suite(void)
{
    Suite *s = suite_create("gateway auth");
    TCase *tc = tcase_create("auth");
    tcase_add_checked_fixture(tc, setup, teardown);
    /* argon2id costs ~0.1 s a hash, more under ASan on busy cores. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, register_login_me_refresh_and_logout_work_end_to_end);
    tcase_add_test(tc, a_duplicate_username_or_email_is_a_409_naming_it_whatever_the_case);
    tcase_add_test(tc, bad_registration_fields_are_400s_naming_the_field);
    tcase_add_test(tc, a_wrong_password_and_an_unknown_user_get_the_same_401);
    tcase_add_test(tc, a_good_token_verifies_and_gives_its_claims);
    tcase_add_test(tc, forged_expired_none_other_alg_wrong_aud_iss_and_garbage_tokens_are_refused);
    tcase_add_test(tc, a_missing_or_malformed_authorization_header_is_a_401_saying_so);
    tcase_add_test(tc, a_spent_refresh_token_fails_and_revokes_its_whole_family);
    tcase_add_test(tc, an_expired_refresh_token_is_not_found);
    tcase_add_test(tc, two_concurrent_refreshes_of_one_token_cannot_both_succeed);
    tcase_add_test(tc, a_disabled_user_is_refused_and_cannot_refresh_or_log_in);
    tcase_add_test(tc, roles_are_checked_and_admins_cannot_lock_themselves_out);
    tcase_add_test(tc, the_fourth_login_in_a_minute_from_one_ip_is_rate_limited);
    tcase_add_test(tc, a_leased_rate_limit_admits_exactly_the_limit);
    tcase_add_test(tc, without_redis_requests_pass_the_rate_limit);
    tcase_add_test(tc, a_hash_with_weaker_parameters_is_replaced_at_login);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(auth_suite());
}
