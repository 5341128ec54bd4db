/*
 * test_gateway_cli.c - `stom` through the real stom-gateway: register and
 * log in (the credentials file gets mode 0600), run an optimisation with
 * --json (the same report shape as --local) and list the jobs.
 *
 * It starts a coordinator and a worker like tests/services/harness.h, then
 * the gateway against the test services. Built only where the gateway
 * exists (STOM_GATEWAY_BIN); elsewhere the program reports nothing to run.
 */
#include <check.h>
#include <stdio.h>

#include "test_support.h"

#ifdef STOM_GATEWAY_BIN

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* The backtester harness: this test uses its process helpers, not its job helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "harness.h"

static harness h;
static pid_t gateway;
static int port;
static char config_dir[96];

static bool port_open(int p)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)p);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* Flags as gw_config names them (services/gateway/gw.h); dev mode for a fixed secret. */
static void start_gateway(void)
{
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    const char *redis = getenv("STOM_TEST_REDIS_URL");
    char log[160];
    snprintf(log, sizeof log, "%s/gateway.log", h.dir);
    gateway = fork();
    ck_assert_int_ge(gateway, 0);
    if (gateway == 0) {
        FILE *f = freopen(log, "a", stderr);
        (void)f;
        execl(STOM_GATEWAY_BIN, "stom-gateway", "--dev", "--bind", "127.0.0.1", "--port", port_text,
              "--database", h.db, "--redis", redis ? redis : "", "--coordinator", h.listen,
              "--coordinator-events", h.publish, (char *)NULL);
        _exit(127);
    }
    for (int k = 0; k < 200 && !port_open(port); k++)
        h_sleep_ms(50);
    if (!port_open(port))
        h_show_log(&h, "gateway");
    ck_assert_msg(port_open(port), "the gateway did not listen on %d", port);
}

static void up(void)
{
    h_init(&h, "cli");
    h_import(&h, "005930", 20, 7);
    h_start_coordinator(&h);
    h_start_worker(&h, "w1");
    port = 20000 + (int)(getpid() % 20000);
    snprintf(config_dir, sizeof config_dir, "%s/config", h.dir);
    setenv("XDG_CONFIG_HOME", config_dir, 1);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("STOM_URL", url, 1);
    start_gateway();
}

static void down(void)
{
    h_end(&gateway, SIGTERM);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", config_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", config_dir);
    h_fini(&h);
}

typedef struct result {
    int status;
    char out[1 << 18];
} result;

/* Runs `stom <args>` with input (a line, or NULL) on stdin; stdout captured, stderr shown. */
static void stom_in(result *r, const char *input, const char *args)
{
    char cmd[2048];
    /* popen runs /bin/sh: a password goes through a pipe, never on stom's command line. */
    if (input)
        snprintf(cmd, sizeof cmd, "printf '%%s\\n' '%s' | %s %s", input, STOM_BIN, args);
    else
        snprintf(cmd, sizeof cmd, "%s %s </dev/null", STOM_BIN, args);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(r->out, 1, sizeof r->out - 1, p);
    r->out[n] = '\0';
    int st = pclose(p);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void stom(result *r, const char *args)
{
    stom_in(r, NULL, args);
}

START_TEST(register_login_optimize_and_list_jobs_through_the_gateway)
{
    static result r;
    stom_in(&r, "correct horse battery",
            "register --username kim --email kim@example.com --password-stdin");
    ck_assert_msg(r.status == 0, "register exit %d", r.status);
    stom_in(&r, "correct horse battery", "login --username kim --password-stdin");
    ck_assert_msg(r.status == 0, "login exit %d", r.status);
    char path[160];
    snprintf(path, sizeof path, "%s/stom/credentials.json", config_dir);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    stom(&r, "whoami --json");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"kim\""));

    stom(&r, "optimize --strategy sma_cross --data 005930 --timeframe 1m "
             "--period 2024-01-02:2024-01-31 --param fast=3:5:1 --param slow=20 --json");
    ck_assert_msg(r.status == 0, "optimize exit %d: %s", r.status, r.out);
    json_t *j = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "state")), "done");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "evaluated")), 3);
    ck_assert_int_eq((int)json_array_size(json_object_get(j, "results")), 3);
    ck_assert_ptr_nonnull(
        json_object_get(json_array_get(json_object_get(j, "results"), 0), "metrics"));
    json_decref(j);

    stom(&r, "jobs list --json");
    ck_assert_int_eq(r.status, 0);
    j = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_ge((int)json_array_size(json_object_get(j, "jobs")), 1);
    json_decref(j);

    stom(&r, "logout");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_ne(stat(path, &st), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_gateway");
    TCase *tc = tcase_create("through the gateway");
    tcase_add_checked_fixture(tc, up, down);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, register_login_optimize_and_list_jobs_through_the_gateway);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}

#else

int main(void)
{
    puts("no stom-gateway in this build: nothing to test");
    return 0;
}

#endif
