/*
 * support.c - shared pieces of the bench programs (see support.h).
 */
#include "support.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stom/krx.h"
#include "stom/timeutil.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

/* xorshift64: -3..+3 ticks per bar. */
static int64_t next_step(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % 7) - 3;
}

static int32_t next_weekday(int32_t date)
{
    do
        date = stom_date_from_days(stom_days_of_date(date) + 1);
    while (stom_weekday_from_days(stom_days_of_date(date)) >= 5);
    return date;
}

void bench_make_bars(stom_bars *b, size_t n)
{
    stom_instrument inst;
    stom_instrument_init(&inst, "BENCH", STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    stom_bars_reserve(b, n);
    int32_t date = 20150105;
    int minute = 0;
    int64_t price = 50000;
    for (size_t i = 0; i < n; i++) {
        int64_t ts = stom_midnight_utc(date, STOM_KST_OFFSET_MINUTES) + 9 * 3600 + minute * 60;
        int64_t tick = stom_krx_tick_size(price, STOM_BOARD_KOSPI, date);
        int64_t open = price, close = price + next_step() * tick;
        if (close < 1000)
            close = 1000;
        int64_t high = (open > close ? open : close) + tick;
        int64_t low = (open < close ? open : close) - tick;
        stom_bars_push(b, ts, open, high, low, close, 1000 + (int64_t)(rng % 5000));
        price = close;
        if (++minute == 381) {
            minute = 0;
            date = next_weekday(date);
        }
    }
}

void bench_temp_path(char *buf, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/stom-bench-XXXXXX", dir ? dir : "/tmp");
    int fd = mkstemp(buf);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
}

long bench_write_csv(const stom_bars *b, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fputs("Date,Time,Open,High,Low,Close,Volume\n", f);
    for (size_t i = 0; i < b->len; i++) {
        char day[16];
        int32_t sod = stom_seconds_of_day(b->ts[i], STOM_KST_OFFSET_MINUTES);
        stom_format_time(b->ts[i], STOM_KST_OFFSET_MINUTES, true, day, sizeof day);
        fprintf(f, "%s,%02d:%02d,%lld,%lld,%lld,%lld,%lld\n", day, sod / 3600, sod / 60 % 60,
                (long long)b->open[i], (long long)b->high[i], (long long)b->low[i],
                (long long)b->close[i], (long long)b->volume[i]);
    }
    long size = ftell(f);
    fclose(f);
    return size;
}

double bench_best_load(const char *path, const stom_instrument *inst, int runs)
{
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        stom_bars b;
        stom_bars_init(&b, inst);
        stom_csv_options opt;
        stom_csv_options_default(&opt);
        stom_errbuf eb;
        double t0 = bench_now();
        if (stom_bars_load_csv(&b, path, &opt, NULL, &eb) != 0) {
            fprintf(stderr, "load failed: %s\n", eb.msg);
            exit(1);
        }
        double t = bench_now() - t0;
        best = t < best ? t : best;
        stom_bars_free(&b);
    }
    return best;
}

void bench_self_dir(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    buf[n > 0 ? n : 0] = 0;
    char *slash = strrchr(buf, '/');
    *(slash ? slash : buf) = 0;
}

#define MAX_CHILDREN 16

static pid_t children[MAX_CHILDREN];
static int n_children;

pid_t bench_spawn(const char *path, const char *const *argv, bool keep_stderr)
{
    if (n_children == MAX_CHILDREN)
        return -1;
    if (n_children == 0)
        atexit(bench_end_children);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        if (!keep_stderr) {
            FILE *f = freopen("/dev/null", "w", stderr);
            (void)f;
        }
        execv(path, (char *const *)argv);
        _exit(127);
    }
    if (pid > 0)
        children[n_children++] = pid;
    return pid;
}

/* SIGTERM, then up to STOP_GRACE_MS for pid to end; SIGKILL after that. */
#define STOP_GRACE_MS 10000

static bool end_child(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int waited = 0; waited < STOP_GRACE_MS; waited += 10) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return true;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return false;
}

bool bench_stop(pid_t pid)
{
    bool clean = true;
    for (int i = 0; i < n_children; i++)
        if (children[i] == pid && pid > 0) {
            clean = end_child(pid);
            children[i] = 0;
            if (!clean)
                fprintf(stderr, "bench: child %d did not end within %d ms of SIGTERM: killed\n",
                        (int)pid, STOP_GRACE_MS);
        }
    return clean;
}

void bench_end_children(void)
{
    for (int i = 0; i < n_children; i++)
        bench_stop(children[i]);
}

double bench_cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    unsigned long long ut = 0, st = 0;
    /* After the command: state and fields 4..13, then utime and stime. */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}
