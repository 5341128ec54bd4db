/*
 * main.c - `stom-backtester`: one binary, two roles (--coordinator,
 * --worker). Configuration comes from flags, then the environment, then
 * the defaults of a local `make up`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "coordinator.h"
#include "worker.h"

#define DEFAULT_URL    "tcp://127.0.0.1:5560"
#define DEFAULT_EVENTS "tcp://127.0.0.1:5561"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *out)
{
    fputs("stom-backtester - distributed backtests and optimisation\n"
          "\n"
          "Usage:\n"
          "  stom-backtester --coordinator [--listen URL] [--publish URL] [--database CONNINFO]\n"
          "                  [--lease-ms N] [--park-ms N]\n"
          "  stom-backtester --worker [--connect URL] [--database CONNINFO] [--id NAME]\n"
          "                  [--cache-mb N] [--max-tasks N] [--nice N]\n"
          "\n"
          "Coordinator: accepts jobs (stom optimize, the gateway), stores them in PostgreSQL,\n"
          "leases tasks to workers and publishes progress on bt.<job>.\n"
          "  --listen URL     requests and worker pulls (default $STOM_COORDINATOR_URL or\n"
          "                   " DEFAULT_URL ")\n"
          "  --publish URL    progress events (default $STOM_COORDINATOR_EVENTS_URL or\n"
          "                   " DEFAULT_EVENTS ")\n"
          "  --lease-ms N     a task is issued again when its worker is silent this long\n"
          "                   (default 30000)\n"
          "  --park-ms N      a pull without work waits this long for one (default 1000)\n"
          "Worker: pulls tasks from the coordinator and runs them; scale by starting more.\n"
          "  --connect URL    the coordinator (default $STOM_COORDINATOR_URL or " DEFAULT_URL ")\n"
          "  --id NAME        worker name in logs and task runs (default w-<host>-<pid>)\n"
          "  --cache-mb N     memory for cached bars (default 1024)\n"
          "  --max-tasks N    exit after N tasks (default: run until SIGTERM)\n"
          "  --nice N         run at this lower priority, 0..19 (default 10), so the\n"
          "                   coordinator and services on the same machine stay prompt\n"
          "Both: --database CONNINFO (default $STOM_DATABASE_URL or the local server).\n"
          "SIGTERM or SIGINT: finish the current task (and one already handed out), hand the\n"
          "results over, exit.\n",
          out);
}

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && v[0] ? v : def;
}

static int parse_int(const char *flag, const char *v, long max, long *out)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : -1;
    if (!v || *end || n < 0 || n > max) {
        fprintf(stderr, "stom-backtester: %s needs a number 0..%ld\n", flag, max);
        return 2;
    }
    *out = n;
    return 0;
}

int main(int argc, char **argv)
{
    bt_coordinator_config cc = {0};
    bt_worker_config wc = {0};
    int role = 0; /* 1 coordinator, 2 worker */
    cc.listen = env_or("STOM_COORDINATOR_URL", DEFAULT_URL);
    cc.publish = env_or("STOM_COORDINATOR_EVENTS_URL", DEFAULT_EVENTS);
    wc.coordinator = cc.listen;
    wc.nice = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n = 0;
        int rc = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--coordinator"))
            role = 1;
        else if (!strcmp(a, "--worker"))
            role = 2;
        else if (v && !strcmp(a, "--listen"))
            cc.listen = argv[++i];
        else if (v && !strcmp(a, "--publish"))
            cc.publish = argv[++i];
        else if (v && !strcmp(a, "--connect"))
            wc.coordinator = argv[++i];
        else if (v && !strcmp(a, "--database"))
            cc.database = wc.database = argv[++i];
        else if (v && !strcmp(a, "--id"))
            wc.worker_id = argv[++i];
        else if (!strcmp(a, "--lease-ms") && !(rc = parse_int(a, argv[++i], 86400000, &n)))
            cc.lease_ms = (int)n;
        else if (!strcmp(a, "--park-ms") && !(rc = parse_int(a, argv[++i], 60000, &n)))
            cc.park_ms = (int)n;
        else if (!strcmp(a, "--cache-mb") && !(rc = parse_int(a, argv[++i], 1 << 20, &n)))
            wc.cache_bytes = (size_t)n << 20;
        else if (!strcmp(a, "--max-tasks") && !(rc = parse_int(a, argv[++i], 1L << 30, &n)))
            wc.max_tasks = (size_t)n;
        else if (!strcmp(a, "--nice") && !(rc = parse_int(a, argv[++i], 19, &n)))
            wc.nice = (int)n;
        else if (!rc) {
            fprintf(stderr, "stom-backtester: unknown or incomplete option '%s' (see --help)\n", a);
            return 2;
        }
        if (rc)
            return rc;
    }
    if (!role) {
        usage(stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    cc.stop = wc.stop = &stop_flag;
    if (role == 1) {
        bt_log_role("coordinator");
        return bt_coordinator_run(&cc);
    }
    bt_log_role(wc.worker_id ? wc.worker_id : "worker");
    return bt_worker_run(&wc);
}
