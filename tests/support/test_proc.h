/*
 * test_proc.h - the real processes of integration tests: started with
 * their stderr kept in a log file of the test's temp dir (or on the test's
 * stderr when STOM_TEST_VERBOSE is set), ended by pid, their log shown on
 * failure; and the synthetic one-minute bars those tests import.
 *
 * Helpers are static inline: include this header from a test's harness.
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_PROC_H
#define STOM_TEST_PROC_H

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stom/bars.h"
#include "stom/timeutil.h"

static inline void tp_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/*
 * Starts bin with argv (and env, "NAME=VALUE" entries set in the child, or
 * NULL); its stderr goes to dir/name.log. Returns its pid.
 */
static inline pid_t tp_spawn(const char *dir, const char *name, const char *bin,
                             const char *const *argv, const char *const *env)
{
    char log[256];
    snprintf(log, sizeof log, "%s/%s.log", dir, name);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        for (size_t i = 0; env && env[i]; i++) {
            char var[128];
            const char *eq = strchr(env[i], '=');
            snprintf(var, sizeof var, "%.*s", eq ? (int)(eq - env[i]) : 0, env[i]);
            if (eq)
                setenv(var, eq + 1, 1);
        }
        if (!getenv("STOM_TEST_VERBOSE")) {
            FILE *f = freopen(log, "a", stderr);
            (void)f;
        }
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    char pids[256];
    snprintf(pids, sizeof pids, "%s/pids", dir);
    FILE *f = fopen(pids, "a"); /* for tp_reap_dirs, should the test fail before ending it */
    if (f) {
        fprintf(f, "%d %s\n", (int)pid, argv[0]);
        fclose(f);
    }
    return pid;
}

/* Whether *pid has exited (then reaped: *pid set to 0, *status filled). */
static inline bool tp_exited(pid_t *pid, int *status)
{
    if (*pid <= 0)
        return true;
    if (waitpid(*pid, status, WNOHANG) != *pid)
        return false;
    *pid = 0;
    return true;
}

/* Sends sig to *pid and reaps it (SIGKILL after 20 s); returns its wait status. */
static inline int tp_end(pid_t *pid, int sig)
{
    int st = 0;
    if (*pid <= 0)
        return 0;
    kill(*pid, sig);
    for (int64_t end = stom_mono_ms() + 20000; stom_mono_ms() < end; tp_sleep_ms(20))
        if (tp_exited(pid, &st))
            return st;
    kill(*pid, SIGKILL);
    waitpid(*pid, &st, 0);
    *pid = 0;
    return st;
}

/* Prints the last 40 lines of dir/name.log to stderr. */
static inline void tp_show_log(const char *dir, const char *name)
{
    char path[256], line[1024];
    snprintf(path, sizeof path, "%s/%s.log", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    enum { KEEP = 40 };
    static char tail[KEEP][1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f))
        snprintf(tail[n++ % KEEP], sizeof tail[0], "%s", line);
    fclose(f);
    fprintf(stderr, "--- last lines of %s.log ---\n", name);
    for (size_t i = n > KEEP ? n - KEEP : 0; i < n; i++)
        fputs(tail[i % KEEP], stderr);
}

/* Removes dir and everything in it (logs, ipc sockets, dirs of them). */
static inline void tp_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && unlink(path) != 0)
            tp_remove_dir(path); /* a directory (EISDIR) */
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/*
 * Ends what failed tests left under base (a Check test that fails exits at once, before its
 * clean-up): every process a directory's pids file lists that still runs the program it names
 * is SIGKILLed, and base is removed with everything in it. For an unchecked fixture's teardown,
 * which runs in the runner's process after the tests.
 */
static inline void tp_reap_dirs(const char *base)
{
    DIR *d = opendir(base);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[512], name[128], cmd[256];
        snprintf(path, sizeof path, "%s/%s/pids", base, e->d_name);
        FILE *f = e->d_name[0] != '.' ? fopen(path, "r") : NULL;
        for (int pid; f && fscanf(f, "%d %127s", &pid, name) == 2;) {
            snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
            FILE *c = fopen(path, "r");
            size_t n = c ? fread(cmd, 1, sizeof cmd - 1, c) : 0;
            cmd[n] = 0;
            if (c)
                fclose(c);
            if (n && !strcmp(cmd, name)) /* still the program it started, not a reused pid */
                kill(pid, SIGKILL);
        }
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    tp_remove_dir(base);
}

/*
 * days KRX-like sessions (from 2024-01-02, weekdays) of 381 one-minute
 * bars of symbol on the 10-won grid, a random walk from seed, into *b
 * (initialised here; release with stom_bars_free).
 */
static inline void tp_synthetic_bars(stom_bars *b, const char *symbol, int days, uint64_t seed)
{
    stom_instrument inst;
    stom_instrument_init(&inst, symbol, STOM_MARKET_KRX, STOM_BOARD_KOSPI);
    stom_bars_init(b, &inst);
    int64_t day0 = stom_midnight_utc(20240102, STOM_KST_OFFSET_MINUTES);
    int64_t px = 10000;
    uint64_t x = seed;
    for (int d = 0, cal = 0; d < days; cal++) {
        int64_t midnight = day0 + (int64_t)cal * 86400;
        int wd = stom_weekday_from_days(midnight / 86400 + 1);
        if (wd == 0 || wd == 6)
            continue;
        for (int m = 0; m < 381; m++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            int64_t step = (int64_t)((x >> 33) % 7) - 3;
            int64_t open = px, close = px + step * 10;
            close = close < 6000 ? 6000 : close > 19000 ? 19000 : close;
            int64_t hi = (open > close ? open : close) + 10,
                    lo = (open < close ? open : close) - 10;
            stom_bars_push(b, midnight + 9 * 3600 + m * 60, open, hi, lo, close,
                           1000 + (int64_t)((x >> 40) % 5000));
            px = close;
        }
        d++;
    }
}

#endif
