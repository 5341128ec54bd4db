/*
 * support.h - what the bench programs share: a clock, the generated bars
 * they all measure on, writing and timing a CSV of them, and the child
 * processes (services of this build) a bench starts and must end.
 *
 * Thread-safety: the bench's main thread only (the generator and the list
 * of children keep state); bench_now may be called from any thread.
 */
#ifndef STOM_BENCH_SUPPORT_H
#define STOM_BENCH_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "stom/bars.h"

/* Monotonic seconds. */
double bench_now(void);

/*
 * Fills *b (initialised here) with n one-minute bars of a seeded random walk
 * on the KRX tick grid, 381 bars per weekday session from 09:00 KST, so every
 * run of every bench measures the same data.
 */
void bench_make_bars(stom_bars *b, size_t n);

/* Creates an empty temporary file and writes its path into buf; exits on failure. */
void bench_temp_path(char *buf, size_t len);

/* Writes b as Date,Time,Open,High,Low,Close,Volume to path; returns the bytes written. */
long bench_write_csv(const stom_bars *b, const char *path);

/* The best time of runs loads of path with stom_bars_load_csv; exits on failure. */
double bench_best_load(const char *path, const stom_instrument *inst, int runs);

/* Writes the directory of this bench's executable (the build's bin directory) into buf. */
void bench_self_dir(char *buf, size_t len);

/*
 * Starts path with argv (argv[0] the name) as a child this bench ends at exit
 * (bench_end_children is registered with atexit on the first call). Its
 * stderr goes to /dev/null unless keep_stderr. Returns the pid, or -1.
 */
pid_t bench_spawn(const char *path, const char *const *argv, bool keep_stderr);

/* SIGTERM to pid (a child from bench_spawn) and waits for it, 10 s at most: then SIGKILL, a
 * line on stderr, and false. */
bool bench_stop(pid_t pid);

/* Ends every child still running: SIGTERM, then waits. */
void bench_end_children(void);

/* CPU seconds (user + system) pid has used so far; -1 when unknown. */
double bench_cpu_seconds(pid_t pid);

#endif
