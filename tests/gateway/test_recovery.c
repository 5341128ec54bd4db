/*
 * test_recovery.c - the gateway while PostgreSQL is down: 503 with
 * Retry-After (and /readyz naming it), then back by itself once the
 * database returns, without a restart.
 *
 * The test runs its own PostgreSQL and Redis (scripts/services.sh in its
 * temp dir, ports 18121 and 18122): stopping the shared test servers would
 * break the tests running beside it. Gateway port 18120.
 */
#include <sys/stat.h>

#include "gw_harness.h"
#include "stom/store.h"
#include "test_support.h"

#define GW_PORT    18120
#define PG_PORT    18121
#define REDIS_PORT 18122
#define SERVICES   STOM_TEST_FIXTURES "/../../scripts/services.sh"

static void services(const gw_harness *h, const char *verb)
{
    char cmd[768];
    snprintf(cmd, sizeof cmd,
             "%s %s --dir %s/svc --pg-port %d --redis-port %d >>%s/services.log 2>&1", SERVICES,
             verb, h->dir, PG_PORT, REDIS_PORT, h->dir);
    if (system(cmd) != 0) {
        tp_show_log(h->dir, "services");
        ck_abort_msg("scripts/services.sh %s failed", verb);
    }
}

static const char *private_db(void)
{
    static char url[128];
    snprintf(url, sizeof url, "host=127.0.0.1 port=%d dbname=stom user=stom", PG_PORT);
    return url;
}

static void migrate(void)
{
    stom_db *db = NULL;
    stom_errbuf eb = {0};
    int applied = 0, version = 0;
    ck_assert_msg(stom_db_connect(&db, private_db(), &eb) == STOM_OK, "%s", eb.msg);
    ck_assert_msg(stom_db_migrate(db, &applied, &version, &eb) == STOM_OK, "%s", eb.msg);
    stom_db_close(db);
}

/* A login for a user that does not exist: 401 while the database answers, 503 when not. */
static long login(gw_harness *h, gw_http_reply *r)
{
    static const char body[] = "{\"username\": \"nobody\", \"password\": \"password1\"}";
    return gw_http(h, "POST", "/api/v1/auth/login", NULL, body, sizeof body - 1, "application/json",
                   r);
}

START_TEST(postgres_down_gives_503_and_the_gateway_recovers_by_itself)
{
    gw_harness h;
    gw_h_init(&h, GW_PORT);
    chmod(h.dir, 0755); /* the postgres user must reach DIR/svc/pg */
    services(&h, "start");
    migrate();
    char e_db[160], e_redis[64];
    snprintf(e_db, sizeof e_db, "STOM_DATABASE_URL=%s", private_db());
    snprintf(e_redis, sizeof e_redis, "STOM_REDIS_URL=redis://127.0.0.1:%d", REDIS_PORT);
    const char *env[] = {e_db, e_redis, "STOM_RATE_AUTH_PER_MIN=100000", NULL};
    gw_h_start(&h, NULL, env);

    gw_http_reply r;
    ck_assert_int_eq(login(&h, &r), 401);
    gw_http_reply_free(&r);

    services(&h, "stop");
    ck_assert_int_eq(login(&h, &r), 503);
    ck_assert_str_eq(gw_http_error_code(&r), "unavailable");
    char retry[16];
    ck_assert_ptr_nonnull(gw_http_header(&r, "Retry-After", retry, sizeof retry));
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "GET", "/readyz", NULL, NULL, 0, NULL, &r), 503);
    ck_assert_ptr_nonnull(strstr(r.body, "postgres"));
    gw_http_reply_free(&r);
    ck_assert_int_eq(gw_http(&h, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 200);
    gw_http_reply_free(&r);

    services(&h, "start");
    long status = 0;
    for (int64_t end = stom_mono_ms() + 30000; stom_mono_ms() < end && status != 401;
         tp_sleep_ms(100)) {
        status = login(&h, &r);
        gw_http_reply_free(&r);
    }
    ck_assert_msg(status == 401, "the gateway still answers %ld after PostgreSQL came back",
                  status);

    gw_h_stop(&h);
    services(&h, "stop");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s/svc", h.dir);
    ck_assert_int_eq(system(cmd), 0);
    gw_h_fini(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gateway recovery");
    TCase *tc = tcase_create("recovery");
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, postgres_down_gives_503_and_the_gateway_recovers_by_itself);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
