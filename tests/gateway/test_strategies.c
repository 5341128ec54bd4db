/*
 * test_strategies.c - the gateway's strategy routes, called directly as
 * the router calls them (req->user filled) against a fresh database:
 * create, read, update with versions, diff, delete; one user never sees
 * another's strategies; duplicates and bad fields; the check and the
 * built-ins; and the unified diff itself.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "test_db.h"
#include "test_support.h"
#include "text_diff.h"
#include "route_lookup.h"

#define SMA_CODE                                                                                   \
    "params = {\n"                                                                                 \
    "    fast = {type = \"int\", default = 10, min = 1, max = 1000, step = 1},\n"                  \
    "    slow = {type = \"int\", default = 30, min = 2, max = 5000, step = 1},\n"                  \
    "}\n"                                                                                          \
    "function on_bar()\n"                                                                          \
    "    if crossover(sma(params.fast), sma(params.slow), sma(params.fast, 1), "                   \
    "sma(params.slow, 1)) then\n"                                                                  \
    "        buy()\n"                                                                              \
    "    end\n"                                                                                    \
    "end\n"

/* The same strategy with the slow default changed on line 3 and a sell added. */
#define SMA_CODE_V2                                                                                \
    "params = {\n"                                                                                 \
    "    fast = {type = \"int\", default = 10, min = 1, max = 1000, step = 1},\n"                  \
    "    slow = {type = \"int\", default = 50, min = 2, max = 5000, step = 1},\n"                  \
    "}\n"                                                                                          \
    "function on_bar()\n"                                                                          \
    "    if crossover(sma(params.fast), sma(params.slow), sma(params.fast, 1), "                   \
    "sma(params.slow, 1)) then\n"                                                                  \
    "        buy()\n"                                                                              \
    "    else\n"                                                                                   \
    "        sell()\n"                                                                             \
    "    end\n"                                                                                    \
    "end\n"

/* A syntax error on line 4 (tests/fixtures/lua/check_syntax.lua without its comment). */
#define SYNTAX_ERROR_CODE                                                                          \
    "function on_bar()\n"                                                                          \
    "    if close > open then\n"                                                                   \
    "        buy()\n"                                                                              \
    "    elseif close < then\n"                                                                    \
    "        sell()\n"                                                                             \
    "    end\n"                                                                                    \
    "end\n"

static char url[512];
static stom_db *db;
static gw_config cfg;
static gw_ctx ctx;
static int64_t alice, bob;

static int64_t add_user(const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO users (username, email, password_hash) VALUES ('%s', '%s@example.com', "
             "'x') RETURNING id",
             name, name);
    PGresult *res = PQexec(stom_db_conn(db), sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return id;
}

static void setup(void)
{
    stom_test_db_create(url, sizeof url);
    stom_errbuf eb = {{0}};
    ck_assert_msg(stom_db_connect(&db, url, &eb) == STOM_OK, "%s", eb.msg);
    memset(&cfg, 0, sizeof cfg);
    cfg.json_depth_max = 32;
    cfg.body_max = 1 << 20;
    ctx = (gw_ctx){.cfg = &cfg, .db = db};
    alice = add_user("alice");
    bob = add_user("bob");
}

static void teardown(void)
{
    stom_db_close(db);
    stom_test_db_drop(url);
}

/*
 * Calls the handler of method pattern as user with path parameters p0, p1,
 * query and body. Returns the parsed body (NULL when empty); *status the status.
 */
static json_t *call(const char *method, const char *pattern, int64_t user, const char *p0,
                    const char *p1, const char *query, const char *body, int *status)
{
    const gw_route *r = test_route(gw_routes_strategies, method, pattern);
    gw_request req;
    memset(&req, 0, sizeof req);
    snprintf(req.method, sizeof req.method, "%s", method);
    req.path = pattern;
    req.route = pattern;
    req.query = query ? query : "";
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.content_type = body ? "application/json" : NULL;
    req.params[0] = p0;
    req.params[1] = p1;
    req.n_params = p1 ? 2 : p0 ? 1 : 0;
    req.user.id = user;
    req.user.role = GW_ROLE_USER;
    gw_response res;
    memset(&res, 0, sizeof res);
    r->handler(&ctx, &req, &res);
    *status = res.status;
    json_t *j = NULL;
    if (res.body) {
        json_error_t err;
        j = json_loadb(res.body, res.body_len, 0, &err);
        ck_assert_msg(j != NULL, "response is not JSON: %s", res.body);
    }
    free(res.body);
    return j;
}

/* Asserts j is an error of status code naming field (NULL: no field needed); releases j. */
static void expect_error(json_t *j, int status, int want, const char *code, const char *field)
{
    ck_assert_msg(status == want, "status %d, wanted %d: %s", status, want,
                  j ? json_dumps(j, 0) : "(no body)");
    json_t *e = json_object_get(j, "error");
    ck_assert_str_eq(json_string_value(json_object_get(e, "code")), code);
    if (field)
        ck_assert_msg(json_object_get(json_object_get(e, "fields"), field) != NULL,
                      "fields lacks %s: %s", field, json_dumps(j, 0));
    json_decref(j);
}

/* j as JSON text (owned); takes j. */
static char *text_of(json_t *j)
{
    char *text = json_dumps(j, 0);
    json_decref(j);
    return text;
}

/* Creates a strategy named name for user; returns its id as text in buf. */
static const char *create(int64_t user, const char *name, char *buf, size_t len)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:{s:i}}", "name", name, "code", SMA_CODE,
                             "description", "a crossover", "params", "fast", 5);
    char *text = json_dumps(body, 0);
    int status;
    json_t *j = call("POST", "/api/v1/strategies", user, NULL, NULL, NULL, text, &status);
    ck_assert_msg(status == 201, "create: %d %s", status, j ? json_dumps(j, 0) : "");
    snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(j, "id")));
    json_decref(j);
    json_decref(body);
    free(text);
    return buf;
}

static json_t *update(int64_t user, const char *id, const char *code, const char *message,
                      int *status)
{
    json_t *body = json_pack("{s:s, s:s}", "code", code, "message", message);
    char *text = json_dumps(body, 0);
    json_t *j = call("PUT", "/api/v1/strategies/{id}", user, id, NULL, NULL, text, status);
    json_decref(body);
    free(text);
    return j;
}

START_TEST(a_created_strategy_reads_back_with_its_code_and_params)
{
    char id[24];
    int status;
    json_t *body = json_pack("{s:s, s:s, s:s, s:{s:i}}", "name", "Cross", "code", SMA_CODE,
                             "description", "a crossover", "params", "fast", 5);
    char *text = json_dumps(body, 0);
    json_t *j = call("POST", "/api/v1/strategies", alice, NULL, NULL, NULL, text, &status);
    ck_assert_int_eq(status, 201);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 1);
    snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(j, "id")));
    json_decref(j);
    json_decref(body);
    free(text);

    j = call("GET", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(j, "name")), "Cross");
    ck_assert_str_eq(json_string_value(json_object_get(j, "code")), SMA_CODE);
    ck_assert_str_eq(json_string_value(json_object_get(j, "description")), "a crossover");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "params"), "fast")), 5);
    const char *created = json_string_value(json_object_get(j, "created_at"));
    ck_assert_msg(created && strlen(created) == 25 && !strcmp(created + 19, "+09:00"), "%s",
                  created);
    json_decref(j);

    j = call("GET", "/api/v1/strategies", alice, NULL, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    json_t *list = json_object_get(j, "strategies");
    ck_assert_int_eq(json_array_size(list), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "name")), "Cross");
    ck_assert_ptr_null(json_object_get(json_array_get(list, 0), "code"));
    json_decref(j);
}
END_TEST

START_TEST(an_update_adds_a_version_and_the_old_one_stays_readable)
{
    char id[24];
    int status;
    create(alice, "Cross", id, sizeof id);
    json_t *j = update(alice, id, SMA_CODE_V2, "slower", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(j, "code")), SMA_CODE_V2);
    /* params were not given: the new version keeps the previous defaults. */
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "params"), "fast")), 5);
    json_decref(j);

    j = call("GET", "/api/v1/strategies/{id}/versions", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    json_t *versions = json_object_get(j, "versions");
    ck_assert_int_eq(json_array_size(versions), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(versions, 0), "version")),
                     2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(versions, 0), "message")),
                     "slower");
    json_decref(j);

    j = call("GET", "/api/v1/strategies/{id}/versions/{v}", alice, id, "1", NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(j, "code")), SMA_CODE);
    json_decref(j);
    j = call("GET", "/api/v1/strategies/{id}/versions/{v}", alice, id, "3", NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
}
END_TEST

START_TEST(the_diff_compares_the_previous_version_with_the_latest_by_default)
{
    char id[24];
    int status;
    create(alice, "Cross", id, sizeof id);
    json_decref(update(alice, id, SMA_CODE_V2, "slower", &status));
    json_t *j = call("GET", "/api/v1/strategies/{id}/diff", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "from")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "to")), 2);
    const char *diff = json_string_value(json_object_get(j, "diff"));
    ck_assert_msg(strstr(diff, "--- v1\n+++ v2\n@@ -1,9 +1,11 @@\n") == diff, "%s", diff);
    ck_assert_ptr_nonnull(strstr(diff, "\n-    slow = {type = \"int\", default = 30"));
    ck_assert_ptr_nonnull(strstr(diff, "\n+    slow = {type = \"int\", default = 50"));
    ck_assert_ptr_nonnull(strstr(diff, "\n+    else\n+        sell()\n"));
    json_decref(j);

    j = call("GET", "/api/v1/strategies/{id}/diff", alice, id, NULL, "from=2&to=1", NULL, &status);
    ck_assert_int_eq(status, 200);
    diff = json_string_value(json_object_get(j, "diff"));
    ck_assert_msg(strstr(diff, "--- v2\n+++ v1\n") == diff, "%s", diff);
    ck_assert_ptr_nonnull(strstr(diff, "\n-        sell()\n"));
    json_decref(j);

    j = call("GET", "/api/v1/strategies/{id}/diff", alice, id, NULL, "from=2&to=2", NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(j, "diff")), "");
    json_decref(j);

    j = call("GET", "/api/v1/strategies/{id}/diff", alice, id, NULL, "from=x", NULL, &status);
    expect_error(j, status, 400, "invalid_field", "from");
    j = call("GET", "/api/v1/strategies/{id}/diff", alice, id, NULL, "to=9", NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
}
END_TEST

START_TEST(a_deleted_strategy_is_gone_with_its_versions)
{
    char id[24];
    int status;
    create(alice, "Cross", id, sizeof id);
    json_t *j = call("DELETE", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 204);
    ck_assert_ptr_null(j);
    j = call("GET", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("GET", "/api/v1/strategies/{id}/versions", alice, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("DELETE", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    PGresult *res = PQexec(stom_db_conn(db), "SELECT count(*) FROM strategy_versions");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
}
END_TEST

START_TEST(another_users_strategy_answers_404_like_a_missing_one)
{
    char id[24];
    int status;
    create(alice, "Cross", id, sizeof id);
    json_decref(update(alice, id, SMA_CODE_V2, "slower", &status));

    json_t *j = call("GET", "/api/v1/strategies/{id}", bob, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = update(bob, id, SMA_CODE, "mine now", &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("DELETE", "/api/v1/strategies/{id}", bob, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("GET", "/api/v1/strategies/{id}/versions", bob, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("GET", "/api/v1/strategies/{id}/versions/{v}", bob, id, "1", NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);
    j = call("GET", "/api/v1/strategies/{id}/diff", bob, id, NULL, NULL, NULL, &status);
    expect_error(j, status, 404, "not_found", NULL);

    /* The same answer, word for word, as for an id nobody has. */
    json_t *mine = call("GET", "/api/v1/strategies/{id}", bob, id, NULL, NULL, NULL, &status);
    char missing[24];
    snprintf(missing, sizeof missing, "%lld", atoll(id) + 1000);
    json_t *none = call("GET", "/api/v1/strategies/{id}", bob, missing, NULL, NULL, NULL, &status);
    char want[64];
    snprintf(want, sizeof want, "no strategy %s", id);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(mine, "error"), "message")),
                     want);
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(json_object_get(none, "error"), "message")),
               "no strategy "));
    json_decref(mine);
    json_decref(none);

    j = call("GET", "/api/v1/strategies", bob, NULL, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "strategies")), 0);
    json_decref(j);

    /* Alice's strategy is untouched by all of that. */
    j = call("GET", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 2);
    json_decref(j);
}
END_TEST

START_TEST(a_duplicate_name_is_a_conflict_for_the_same_user_only)
{
    char id[24], other[24];
    create(alice, "Cross", id, sizeof id);
    int status;
    char *text = text_of(json_pack("{s:s, s:s}", "name", "cross", "code", SMA_CODE));
    json_t *j = call("POST", "/api/v1/strategies", alice, NULL, NULL, NULL, text, &status);
    expect_error(j, status, 409, "conflict", "name");
    free(text);
    create(bob, "Cross", other, sizeof other);

    /* Renaming onto an existing name is a conflict too. */
    create(alice, "Other", other, sizeof other);
    j = call("PUT", "/api/v1/strategies/{id}", alice, other, NULL, NULL, "{\"name\": \"CROSS\"}",
             &status);
    expect_error(j, status, 409, "conflict", "name");
}
END_TEST

/* POSTs body to create as alice and expects a 400 naming field. */
static void expect_create_refused(const char *body, const char *field)
{
    int status;
    json_t *j = call("POST", "/api/v1/strategies", alice, NULL, NULL, NULL, body, &status);
    expect_error(j, status, 400, "invalid_field", field);
}

START_TEST(bad_fields_are_refused_naming_the_field)
{
    char long_name[80], *long_desc = malloc(1100), body[2048];
    memset(long_name, 'n', 65);
    long_name[65] = '\0';
    memset(long_desc, 'd', 1001);
    long_desc[1001] = '\0';
    expect_create_refused("{\"code\": \"function on_bar() end\"}", "name");
    expect_create_refused("{\"name\": \"x\"}", "code");
    expect_create_refused("{\"name\": \"\", \"code\": \"function on_bar() end\"}", "name");
    expect_create_refused("{\"name\": 5, \"code\": \"function on_bar() end\"}", "name");
    snprintf(body, sizeof body, "{\"name\": \"%s\", \"code\": \"function on_bar() end\"}",
             long_name);
    expect_create_refused(body, "name");
    snprintf(body, sizeof body,
             "{\"name\": \"x\", \"code\": \"function on_bar() end\", \"description\": \"%s\"}",
             long_desc);
    expect_create_refused(body, "description");
    expect_create_refused("{\"name\": \"x\", \"code\": \"function on_bar() end\", \"params\": 3}",
                          "params");
    expect_create_refused(
        "{\"name\": \"x\", \"code\": \"function on_bar() end\", \"params\": {\"nope\": 1}}",
        "params.nope");
    expect_create_refused("{\"name\": \"x\", \"code\": \"function on_bar() end\", \"colour\": 1}",
                          "colour");
    free(long_desc);

    /* Code over 256 KiB. */
    size_t big = 256 * 1024 + 100;
    char *huge = malloc(big + 64);
    int n = snprintf(huge, 64, "{\"name\": \"x\", \"code\": \"");
    memset(huge + n, '-', big);
    strcpy(huge + n + big, "\"}");
    expect_create_refused(huge, "code");
    free(huge);

    /* Nothing of it was stored. */
    PGresult *res = PQexec(stom_db_conn(db), "SELECT count(*) FROM strategies");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
}
END_TEST

START_TEST(code_that_fails_the_check_is_refused_with_its_lines)
{
    int status;
    char *text = text_of(json_pack("{s:s, s:s}", "name", "broken", "code", SYNTAX_ERROR_CODE));
    json_t *j = call("POST", "/api/v1/strategies", alice, NULL, NULL, NULL, text, &status);
    free(text);
    ck_assert_int_eq(status, 400);
    json_t *e = json_object_get(j, "error");
    ck_assert_ptr_nonnull(json_object_get(json_object_get(e, "fields"), "code"));
    json_t *first = json_array_get(json_object_get(e, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "line")), 4);
    json_decref(j);

    char id[24];
    create(alice, "Cross", id, sizeof id);
    j = update(alice, id, SYNTAX_ERROR_CODE, "oops", &status);
    expect_error(j, status, 400, "invalid_field", "code");
    /* A default outside the schema's range is refused against the stored code. */
    j = call("PUT", "/api/v1/strategies/{id}", alice, id, NULL, NULL,
             "{\"params\": {\"fast\": 5000}}", &status);
    expect_error(j, status, 400, "invalid_field", "params.fast");
    j = call("GET", "/api/v1/strategies/{id}", alice, id, NULL, NULL, NULL, &status);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 1);
    json_decref(j);
}
END_TEST

START_TEST(the_check_reports_a_syntax_error_at_its_line)
{
    int status;
    char *text = text_of(json_pack("{s:s}", "code", SYNTAX_ERROR_CODE));
    json_t *j = call("POST", "/api/v1/strategies/check", alice, NULL, NULL, NULL, text, &status);
    free(text);
    ck_assert_int_eq(status, 200);
    ck_assert(json_is_false(json_object_get(j, "ok")));
    json_t *first = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "line")), 4);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(first, "message")));
    json_decref(j);

    text = text_of(json_pack("{s:s}", "code", SMA_CODE));
    j = call("POST", "/api/v1/strategies/check", alice, NULL, NULL, NULL, text, &status);
    free(text);
    ck_assert_int_eq(status, 200);
    ck_assert(json_is_true(json_object_get(j, "ok")));
    ck_assert_int_eq(json_array_size(json_object_get(j, "errors")), 0);
    json_t *params = json_object_get(j, "params");
    ck_assert_int_eq(json_array_size(params), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(params, 0), "name")), "fast");
    json_decref(j);

    j = call("POST", "/api/v1/strategies/check", alice, NULL, NULL, NULL, "{}", &status);
    expect_error(j, status, 400, "invalid_field", "code");
}
END_TEST

START_TEST(the_builtins_list_sma_cross_with_its_parameters)
{
    int status;
    json_t *j = call("GET", "/api/v1/strategies/builtin", alice, NULL, NULL, NULL, NULL, &status);
    ck_assert_int_eq(status, 200);
    json_t *list = json_object_get(j, "strategies"), *sma = NULL;
    for (size_t i = 0; i < json_array_size(list); i++) {
        if (!strcmp(json_string_value(json_object_get(json_array_get(list, i), "name")),
                    "sma_cross"))
            sma = json_array_get(list, i);
    }
    ck_assert_ptr_nonnull(sma);
    json_t *params = json_object_get(sma, "params");
    ck_assert_int_ge(json_array_size(params), 2);
    json_t *fast = json_array_get(params, 0);
    ck_assert_str_eq(json_string_value(json_object_get(fast, "name")), "fast");
    ck_assert_str_eq(json_string_value(json_object_get(fast, "type")), "int");
    ck_assert(json_is_integer(json_object_get(fast, "default")));
    ck_assert(json_is_integer(json_object_get(fast, "min")));
    json_decref(j);
}
END_TEST

START_TEST(every_strategy_route_needs_a_user_and_counts_against_the_user_limit)
{
    size_t n = 0;
    for (const gw_route *r = gw_routes_strategies; r->method; r++, n++) {
        ck_assert_int_eq(r->access, GW_USER);
        ck_assert_int_eq(r->limit, GW_LIMIT_USER);
        ck_assert_ptr_nonnull(r->summary);
    }
    ck_assert_uint_eq(n, 10);
}
END_TEST

static char *diff(const char *a, const char *b)
{
    char *out = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(gw_text_diff(a, strlen(a), b, strlen(b), "a", "b", &out, &eb), STOM_OK);
    return out;
}

START_TEST(the_unified_diff_matches_what_diff_prints)
{
    char *d = diff("a\nb\nc\n", "a\nx\nc\n");
    ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");
    free(d);
    d = diff("same\n", "same\n");
    ck_assert_str_eq(d, "");
    free(d);
    d = diff("", "new\n");
    ck_assert_str_eq(d, "--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n");
    free(d);
    d = diff("x\n", "x");
    ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n");
    free(d);
    /* Changes far apart make two hunks with three lines of context each. */
    d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n");
    ck_assert_str_eq(d, "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
                        "@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n");
    free(d);
}
END_TEST

START_TEST(texts_over_the_line_limit_are_refused)
{
    size_t n = GW_DIFF_MAX_LINES + 1;
    char *big = malloc(2 * n);
    for (size_t i = 0; i < n; i++)
        big[2 * i] = 'x', big[2 * i + 1] = '\n';
    char *out = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(gw_text_diff(big, 2 * n, "x\n", 2, "v1", "v2", &out, &eb), STOM_ETOOBIG);
    ck_assert_ptr_nonnull(strstr(eb.msg, "v1"));
    ck_assert_ptr_null(out);
    free(big);
}
END_TEST

START_TEST(a_large_rewrite_still_gives_a_correct_diff)
{
    /* More differing lines than the Myers bound: the diff falls back to one replacement. */
    size_t n = 3000;
    char *a = malloc(n * 8), *b = malloc(n * 8);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        la += (size_t)sprintf(a + la, "a%zu\n", i);
        lb += (size_t)sprintf(b + lb, "b%zu\n", i);
    }
    char *out = NULL;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(gw_text_diff(a, la, b, lb, "v1", "v2", &out, &eb), STOM_OK);
    ck_assert_ptr_nonnull(strstr(out, "@@ -1,3000 +1,3000 @@\n-a0\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n+b2999\n"));
    free(out);
    free(a);
    free(b);
}
END_TEST

static Suite *strategies_suite(void)
{
    Suite *s = suite_create("gateway_strategies");
    TCase *tc = tcase_create("routes");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_created_strategy_reads_back_with_its_code_and_params);
    tcase_add_test(tc, an_update_adds_a_version_and_the_old_one_stays_readable);
    tcase_add_test(tc, the_diff_compares_the_previous_version_with_the_latest_by_default);
    tcase_add_test(tc, a_deleted_strategy_is_gone_with_its_versions);
    tcase_add_test(tc, another_users_strategy_answers_404_like_a_missing_one);
    tcase_add_test(tc, a_duplicate_name_is_a_conflict_for_the_same_user_only);
    tcase_add_test(tc, bad_fields_are_refused_naming_the_field);
    tcase_add_test(tc, code_that_fails_the_check_is_refused_with_its_lines);
    tcase_add_test(tc, the_check_reports_a_syntax_error_at_its_line);
    tcase_add_test(tc, the_builtins_list_sma_cross_with_its_parameters);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables_and_diff");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_strategy_route_needs_a_user_and_counts_against_the_user_limit);
    tcase_add_test(tc, the_unified_diff_matches_what_diff_prints);
    tcase_add_test(tc, texts_over_the_line_limit_are_refused);
    tcase_add_test(tc, a_large_rewrite_still_gives_a_correct_diff);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(strategies_suite());
}
