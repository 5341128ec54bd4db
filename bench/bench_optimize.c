/*
 * bench_optimize.c - the distributed optimiser end to end, as a user runs
 * it: 1,000,000 one-minute bars stored in PostgreSQL, the real coordinator
 * and workers (stom-backtester from this build), a grid job submitted over
 * nng, timed from submission to the job's result on its bt.<job> event
 * stream (what a client waiting for the job sees; a slow status query
 * covers a missed event).
 *
 * Prints: the 100-set sma_cross grid with 2 workers (seconds, peak RSS per
 * worker), and the 1,000-set grid with 1 and with 2 workers (seconds, the
 * workers' CPU seconds and the ratio) in alternating rounds, then the
 * medians. Needs STOM_DATABASE_URL (`make up` starts a server); without
 * it the program says so and exits 0.
 *
 * Usage: bench_optimize [bars [rounds]]   (default 1000000 bars, 3 rounds)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stom/bus_nng.h"
#include "stom/store.h"
#include "stom/store_bars.h"
#include "support.h"

static char backtester[600], db_url[512], rpc_url[128], events_url[128];
static nng_socket req, events;
static stom_bus_sender sender;
static int64_t from_ns, to_ns;

#define MAX_ROUNDS 9

static pid_t spawn(const char *const *argv)
{
    return bench_spawn(backtester, argv, false);
}

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

/* The median of v[0..n) (sorts v). */
static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
            double x = v[k];
            v[k] = v[k - 1];
            v[k - 1] = x;
        }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const Stom__V1__Envelope *ask(ProtobufCMessage *body, stom_bus_received *r)
{
    for (int i = 0; i < 200; i++) {
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &sender, 1);
        stom_bus_envelope_set_body(&env, body, NULL);
        if (stom_bus_request(req, "rpc.backtester", &env, 5000, r, NULL) == 0)
            return r->msg.env;
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "bench_optimize: the coordinator does not answer\n");
    exit(1);
}

/* The job's state after its next event, or after a status query when none came for 250 ms. */
static Stom__V1__JobState wait_event(const char *id)
{
    stom_bus_received r = {0};
    Stom__V1__JobState s = STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
    if (stom_bus_recv(events, 0, &r, NULL) == 0) {
        if (r.msg.env->body_case == STOM__V1__ENVELOPE__BODY_JOB_RESULT)
            s = r.msg.env->job_result->state;
        stom_bus_received_free(&r);
        return s;
    }
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = (char *)id;
    jc.has_action = 1;
    jc.action = STOM__V1__JOB_ACTION__JOB_ACTION_QUERY;
    s = ask(&jc.base, &r)->job_status->state;
    stom_bus_received_free(&r);
    return s;
}

/* Submits an sma_cross grid of fast 5..14 x slow 20..(19 + slow_n); returns seconds to done. */
static double run_grid(const char *id, int slow_n)
{
    Stom__V1__JobSpec spec = STOM__V1__JOB_SPEC__INIT;
    Stom__V1__Period period = STOM__V1__PERIOD__INIT;
    Stom__V1__ParamRange fast = STOM__V1__PARAM_RANGE__INIT, slow = STOM__V1__PARAM_RANGE__INIT;
    Stom__V1__ParamRange *ranges[] = {&fast, &slow};
    char *symbols[] = {"BENCH"};
    fast.name = "fast";
    fast.min_value = 5;
    fast.max_value = 14;
    slow.name = "slow";
    slow.min_value = 20;
    slow.max_value = 19 + slow_n;
    fast.has_step = slow.has_step = 1;
    fast.has_min_value = fast.has_max_value = slow.has_min_value = slow.has_max_value = 1;
    fast.step = slow.step = 1;
    period.has_from_ns = period.has_to_ns = 1;
    period.from_ns = from_ns;
    period.to_ns = to_ns;
    spec.job_id = (char *)id;
    spec.strategy_name = "sma_cross";
    spec.n_symbols = 1;
    spec.symbols = symbols;
    spec.has_timeframe = spec.has_method = 1;
    spec.timeframe = STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1;
    spec.method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
    spec.period = &period;
    spec.n_search = 2;
    spec.search = ranges;
    char topic[96];
    int len = snprintf(topic, sizeof topic, "bt.%s", id);
    stom_bus_subscribe(events, topic, (size_t)len + 1, NULL);
    double t0 = bench_now();
    stom_bus_received r = {0};
    const Stom__V1__Envelope *env = ask(&spec.base, &r);
    if (env->body_case != STOM__V1__ENVELOPE__BODY_JOB_STATUS || env->job_status->error) {
        fprintf(stderr, "bench_optimize: job refused: %s\n",
                env->body_case == STOM__V1__ENVELOPE__BODY_JOB_STATUS
                    ? env->job_status->error->message
                    : "unexpected reply");
        exit(1);
    }
    stom_bus_received_free(&r);
    for (;;) {
        Stom__V1__JobState s = wait_event(id);
        if (s == STOM__V1__JOB_STATE__JOB_STATE_DONE)
            return bench_now() - t0;
        if (s == STOM__V1__JOB_STATE__JOB_STATE_FAILED ||
            s == STOM__V1__JOB_STATE__JOB_STATE_CANCELLED) {
            fprintf(stderr, "bench_optimize: job %s failed\n", id);
            exit(1);
        }
    }
}

static void start_workers(pid_t *pids, int n)
{
    for (int i = 0; i < n; i++) {
        const char *argv[] = {"stom-backtester", "--worker", "--connect", rpc_url,
                              "--database",      db_url,     NULL};
        pids[i] = spawn(argv);
    }
}

static void import_bars(size_t n)
{
    stom_db *db = NULL;
    stom_errbuf eb = {0};
    stom_bars b;
    bench_make_bars(&b, n);
    from_ns = b.ts[0] * 1000000000LL;
    to_ns = (b.ts[b.len - 1] + 60) * 1000000000LL;
    int64_t rows = 0;
    if (stom_db_connect(&db, db_url, &eb) || stom_db_migrate(db, NULL, NULL, &eb) ||
        stom_store_count_bars(db, "BENCH", "1m", b.ts[0], b.ts[b.len - 1] + 60, &rows, &eb)) {
        fprintf(stderr, "bench_optimize: %s\n", eb.msg);
        exit(1);
    }
    if ((size_t)rows != n) {
        stom_import_stats st;
        double t0 = bench_now();
        if (stom_store_import_bars(db, &b, "1m", &st, &eb)) {
            fprintf(stderr, "bench_optimize: %s\n", eb.msg);
            exit(1);
        }
        printf("imported %zu bars in %.2f s\n", st.inserted, bench_now() - t0);
    }
    stom_db_close(db);
    stom_bars_free(&b);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    if (n < 1000 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: bench_optimize [bars >= 1000 [rounds 1..%d]]\n", MAX_ROUNDS);
        return 2;
    }
    const char *url = getenv("STOM_DATABASE_URL");
    if (!url || !url[0]) {
        puts("bench_optimize: skipped (set STOM_DATABASE_URL; `make up` starts a server)");
        return 0;
    }
    snprintf(db_url, sizeof db_url, "%s", url);
    char self[512];
    bench_self_dir(self, sizeof self);
    snprintf(backtester, sizeof backtester, "%s/stom-backtester", self);
    snprintf(rpc_url, sizeof rpc_url, "ipc:///tmp/bench-optimize-%d-rpc", (int)getpid());
    snprintf(events_url, sizeof events_url, "ipc:///tmp/bench-optimize-%d-ev", (int)getpid());
    setvbuf(stdout, NULL, _IOLBF, 0);
    import_bars(n);
    const char *cargv[] = {"stom-backtester", "--coordinator", "--listen", rpc_url, "--publish",
                           events_url,        "--database",    db_url,     NULL};
    pid_t coord = spawn(cargv);
    char spec[160];
    snprintf(spec, sizeof spec, "dial:%s", rpc_url);
    stom_bus_socket_open(&req, STOM_BUS_REQ, spec, NULL, NULL);
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    opt.recv_timeout_ms = 250;
    snprintf(spec, sizeof spec, "dial:%s", events_url);
    stom_bus_socket_open(&events, STOM_BUS_SUB, spec, &opt, NULL);
    stom_bus_sender_init(&sender, "bench", NULL);
    char id[64];
    pid_t w[2];
    start_workers(w, 2);
    snprintf(id, sizeof id, "bench-100-%d", (int)getpid());
    double t100 = run_grid(id, 10);
    long rss0 = peak_rss_kb(w[0]), rss1 = peak_rss_kb(w[1]);
    bench_stop(w[0]);
    bench_stop(w[1]);
    printf("100-set sma_cross grid, %zu bars, 2 workers: %.2f s end to end; worker peak RSS "
           "%.0f MB and %.0f MB\n",
           n, t100, rss0 / 1024.0, rss1 / 1024.0);
    /* Rounds alternate 1 and 2 workers, so that a slower spell of a shared
     * machine hits both sides; the medians are compared. */
    double t1[MAX_ROUNDS], t2[MAX_ROUNDS], ratio[MAX_ROUNDS];
    for (int k = 0; k < rounds; k++) {
        start_workers(w, 1);
        snprintf(id, sizeof id, "bench-1000a-%d-%d", (int)getpid(), k);
        t1[k] = run_grid(id, 100);
        double cpu1 = bench_cpu_seconds(w[0]);
        bench_stop(w[0]);
        start_workers(w, 2);
        snprintf(id, sizeof id, "bench-1000b-%d-%d", (int)getpid(), k);
        t2[k] = run_grid(id, 100);
        double cpu2 = bench_cpu_seconds(w[0]) + bench_cpu_seconds(w[1]);
        bench_stop(w[0]);
        bench_stop(w[1]);
        ratio[k] = t2[k] / t1[k];
        printf("round %d, 1,000-set grid: 1 worker %.2f s (CPU %.2f s), 2 workers %.2f s (CPU "
               "%.2f s): ratio %.2f\n",
               k + 1, t1[k], cpu1, t2[k], cpu2, ratio[k]);
    }
    printf("1,000-set grid, median of %d rounds: 1 worker %.2f s, 2 workers %.2f s: ratio %.2f "
           "(target <= 0.60)\n",
           rounds, median(t1, rounds), median(t2, rounds), median(ratio, rounds));
    printf("coordinator CPU over all the jobs: %.2f s\n", bench_cpu_seconds(coord));
    nng_close(req);
    nng_close(events);
    bench_stop(coord);
    return 0;
}
