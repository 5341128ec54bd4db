/*
 * gateway_fixture.h - the scaffolding of the tests that run `stom` through
 * the real stom-gateway: a fresh database with 20 days of synthetic minute
 * bars of 005930, a coordinator and a worker (tests/services/harness.h),
 * the gateway on a free loopback port of the including test's range
 * (GF_PORT_BASE, GF_PORT_COUNT ports, default 50), a private credentials
 * directory, and `stom` run as a user runs it with its stdout, stderr and
 * exit code captured. The gateway is pointed at a live engine address in the
 * test's own directory where nothing listens (STOM_ENGINE_URL), so no test
 * reaches an engine someone else runs on the default port.
 *
 * Helpers are static: each test program includes this header once, after
 * defining GF_PORT_BASE when it needs another port range than 18300-18349.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_CLI_GATEWAY_FIXTURE_H
#define STOM_TEST_CLI_GATEWAY_FIXTURE_H

#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "test_support.h"

/* The backtester harness: these tests use its process helpers, not its job helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "harness.h"

#ifndef GF_PORT_BASE
#define GF_PORT_BASE 18300
#endif
#ifndef GF_PORT_COUNT
#define GF_PORT_COUNT 50
#endif

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

/*
 * Flags as gw_config names them (services/gateway/gw.h); dev mode for a
 * fixed secret. The tests log in many accounts from one address within a
 * minute, and the auth limit's counters live in the shared test Redis:
 * --rate-auth is raised so that one test program cannot starve the next.
 */
static void start_gateway(void)
{
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    const char *redis = getenv("STOM_TEST_REDIS_URL");
    const char *argv[] = {
        "stom-gateway",  "--dev",  "--bind",   "127.0.0.1",        "--port",      port_text,
        "--database",    h.db,     "--redis",  redis ? redis : "", "--rate-auth", "1000",
        "--coordinator", h.listen, "--events", h.publish,          NULL};
    gateway = tp_spawn(h.dir, "gateway", STOM_GATEWAY_BIN, argv, NULL);
    /* Poll until it listens, or stop early when it has exited (a bad flag, a taken port). */
    int st;
    for (int k = 0; k < 200 && !port_open(port) && !tp_exited(&gateway, &st); k++)
        tp_sleep_ms(50);
    if (!port_open(port))
        tp_show_log(h.dir, "gateway");
    ck_assert_msg(port_open(port), "the gateway did not listen on %d", port);
}

/* The first free port of GF_PORT_BASE..+GF_PORT_COUNT-1 from a pid-chosen start. */
static int free_port(void)
{
    int start = (int)(getpid() % GF_PORT_COUNT);
    for (int k = 0; k < GF_PORT_COUNT; k++) {
        int p = GF_PORT_BASE + (start + k) % GF_PORT_COUNT;
        if (!port_open(p))
            return p;
    }
    ck_abort_msg("no free port in %d-%d for the gateway", GF_PORT_BASE,
                 GF_PORT_BASE + GF_PORT_COUNT - 1);
    return 0;
}

static void up(void)
{
    h_init(&h, "cli");
    h_import(&h, "005930", 20, 7);
    h_start_coordinator(&h);
    h_start_worker(&h, "w1");
    port = free_port();
    snprintf(config_dir, sizeof config_dir, "%s/config", h.dir);
    setenv("XDG_CONFIG_HOME", config_dir, 1);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("STOM_URL", url, 1);
    char engine[160];
    snprintf(engine, sizeof engine, "ipc://%s/engine-rpc", h.dir);
    setenv("STOM_ENGINE_URL", engine, 1);
    snprintf(engine, sizeof engine, "ipc://%s/engine-events", h.dir);
    setenv("STOM_ENGINE_EVENTS_URL", engine, 1);
    snprintf(engine, sizeof engine, "ipc://%s/market", h.dir); /* never a running sim's */
    setenv("STOM_MARKET_URL", engine, 1);
    start_gateway();
}

static void down(void)
{
    tp_end(&gateway, SIGTERM);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", config_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", config_dir);
    h_fini(&h);
}

typedef struct result {
    int status;
    char out[1 << 18];
    char err[1 << 14];
} result;

/* Assertions on a result, quoting what the command printed. */
#define EXPECT_OUT(r, text)                                                                        \
    ck_assert_msg(strstr((r)->out, (text)) != NULL, "stdout lacks '%s':\n%s", (text), (r)->out)
#define EXPECT_NO_OUT(r, text)                                                                     \
    ck_assert_msg(strstr((r)->out, (text)) == NULL, "stdout has '%s':\n%s", (text), (r)->out)
#define EXPECT_ERR(r, text)                                                                        \
    ck_assert_msg(strstr((r)->err, (text)) != NULL, "stderr lacks '%s':\n%s", (text), (r)->err)
#define EXPECT_EXIT(r, code)                                                                       \
    ck_assert_msg((r)->status == (code), "exit %d, not %d:\n%s%s", (r)->status, (code), (r)->out,  \
                  (r)->err)

/* Runs `stom <args>` with input (a line, or NULL) on stdin; stdout and stderr captured. */
static void stom_in(result *r, const char *input, const char *args)
{
    r->status =
        stom_test_command(STOM_BIN, input, args, r->out, sizeof r->out, r->err, sizeof r->err);
    if (r->err[0])
        fprintf(stderr, "stom %s:\n%s", args, r->err);
}

static void stom(result *r, const char *args)
{
    stom_in(r, NULL, args);
}

#define PASSWORD "correct horse battery"

static json_t *json_out(const result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->out);
    return j;
}

static void register_and_login(const char *user)
{
    static result r;
    char args[256];
    snprintf(args, sizeof args, "register --username %s --email %s@example.com --password-stdin",
             user, user);
    stom_in(&r, PASSWORD, args);
    ck_assert_msg(r.status == 0, "register exit %d", r.status);
    snprintf(args, sizeof args, "login --username %s --password-stdin", user);
    stom_in(&r, PASSWORD, args);
    ck_assert_msg(r.status == 0, "login exit %d", r.status);
}

/* Writes text to DIR/name and its path into path. */
static void write_file(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* An account of role with the gateway's own subcommand, the password from a file. */
static void create_user(const char *user, const char *role)
{
    char pw[160], cmd[1024];
    write_file("password", PASSWORD "\n", pw, sizeof pw);
    snprintf(cmd, sizeof cmd,
             "%s create-user --username %s --email %s@example.com --role %s --database '%s' "
             "<%s >/dev/null",
             STOM_GATEWAY_BIN, user, user, role, h.db, pw);
    ck_assert_int_eq(system(cmd), 0);
    unlink(pw);
}

/* Runs statement with one parameter on the gateway's database (the result is not wanted). */
static inline void gf_sql(const char *statement, const char *arg)
{
    char out[256];
    h_sql(&h, statement, arg, out, sizeof out);
}

/* A trader logged in, with the paper broker account sim-<user>. */
static inline void gf_trader_with_account(const char *user)
{
    static result r;
    create_user(user, "trader");
    char args[160];
    snprintf(args, sizeof args, "login --username %s --password-stdin", user);
    stom_in(&r, PASSWORD, args);
    EXPECT_EXIT(&r, 0);
    gf_sql("INSERT INTO broker_accounts (account, broker, user_id, name, paper) SELECT 'sim-' || "
           "username, 'sim', id, '모의계좌', true FROM users WHERE username = $1 RETURNING account",
           user);
}

/* No stored login and a gateway URL nobody listens on: commands must stop at their own
 * checks. */
static inline void gf_no_gateway(void)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", GF_PORT_BASE + GF_PORT_COUNT - 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent-stom-test-config", 1);
    setenv("STOM_URL", url, 1);
}

#endif
