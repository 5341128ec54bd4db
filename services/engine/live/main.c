/*
 * main.c - `stom-engine`: flags, then the environment, then the defaults
 * of a local `make up` (docs/engine.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "stom/timeutil.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *out)
{
    fputs(
        "stom-engine - the live trading engine\n"
        "\n"
        "Usage: stom-engine [options]\n"
        "  --listen URL          requests on rpc.engine (default $STOM_ENGINE_URL or\n"
        "                        tcp://127.0.0.1:5580)\n"
        "  --publish URL         eng.orders, eng.positions, eng.risk, eng.strategy, eng.surge\n"
        "                        (default $STOM_ENGINE_EVENTS_URL or tcp://127.0.0.1:5581)\n"
        "  --broker NAME         the adapter's topic name (default sim)\n"
        "  --broker-service NAME its sender name, for rpc.<name> (default broker-sim)\n"
        "  --broker-req URL      the adapter's requests (default tcp://127.0.0.1:5570)\n"
        "  --broker-pub URL      its market data and order events (default tcp://127.0.0.1:5571)\n"
        "  --broker-timeout-ms N one broker request (default 2000)\n"
        "  --database CONNINFO   default $STOM_DATABASE_URL or the local server\n"
        "  --coordinator URL     the backtest coordinator, for run_backtest jobs (default\n"
        "                        $STOM_COORDINATOR_URL or tcp://127.0.0.1:5560)\n"
        "  --surge FILE          급등주 rules as JSON (docs/surge.md; default: one 1-minute\n"
        "                        +3% rule in the regular session)\n"
        "  --start 'YYYY-MM-DD HH:MM'  run on a simulated KST clock from this moment, as the\n"
        "                        simulated broker does (default: the real clock)\n"
        "  --speed N             simulated seconds per real second with --start (default 1)\n"
        "  --market-clock        the time is the latest trade's: for a broker replaying stored\n"
        "                        bars at any speed (bars complete when the next one starts)\n"
        "SIGTERM or SIGINT: stop; running strategies restart with the next start.\n",
        out);
}

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && v[0] ? v : def;
}

static int number(const char *flag, const char *v, long min, long max, long *out)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || n < min || n > max) {
        fprintf(stderr, "stom-engine: %s needs a number %ld..%ld\n", flag, min, max);
        return 2;
    }
    *out = n;
    return 0;
}

int main(int argc, char **argv)
{
    eng_config c = {.listen = env_or("STOM_ENGINE_URL", "tcp://127.0.0.1:5580"),
                    .publish = env_or("STOM_ENGINE_EVENTS_URL", "tcp://127.0.0.1:5581"),
                    .coordinator = env_or("STOM_COORDINATOR_URL", "tcp://127.0.0.1:5560"),
                    .broker = "sim",
                    .broker_service = "broker-sim",
                    .broker_req = "tcp://127.0.0.1:5570",
                    .broker_pub = "tcp://127.0.0.1:5571",
                    .broker_timeout_ms = 2000,
                    .fault = getenv("STOM_ENGINE_FAULT"),
                    .clock_speed = 1,
                    .stop = &stop_flag};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n = 0;
        int rc = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--market-clock")) {
            c.market_clock = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "stom-engine: unknown or incomplete option '%s' (see --help)\n", a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--listen"))
            c.listen = v;
        else if (!strcmp(a, "--publish"))
            c.publish = v;
        else if (!strcmp(a, "--broker"))
            c.broker = v;
        else if (!strcmp(a, "--broker-service"))
            c.broker_service = v;
        else if (!strcmp(a, "--broker-req"))
            c.broker_req = v;
        else if (!strcmp(a, "--broker-pub"))
            c.broker_pub = v;
        else if (!strcmp(a, "--database"))
            c.database = v;
        else if (!strcmp(a, "--coordinator"))
            c.coordinator = v;
        else if (!strcmp(a, "--surge"))
            c.surge_config = v;
        else if (!strcmp(a, "--broker-timeout-ms") && !(rc = number(a, v, 10, 60000, &n)))
            c.broker_timeout_ms = (int)n;
        else if (!strcmp(a, "--speed") && !(rc = number(a, v, 1, 100000, &n)))
            c.clock_speed = n;
        else if (!strcmp(a, "--start")) {
            if (stom_parse_minute(v, STOM_KST_OFFSET_MINUTES, &c.clock_start_ns) != 0) {
                fprintf(stderr, "stom-engine: --start needs 'YYYY-MM-DD HH:MM' (KST), not '%s'\n",
                        v);
                return 2;
            }
        } else if (!rc) {
            fprintf(stderr, "stom-engine: unknown option '%s' (see --help)\n", a);
            return 2;
        }
        if (rc)
            return rc;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    return eng_run(&c);
}
