/*
 * support.h - what the bench programs share: a clock, the generated bars
 * they all measure on, and writing and timing a CSV of them.
 *
 * Thread-safety: single-threaded benchmark code (the generator keeps state).
 */
#ifndef STOM_BENCH_SUPPORT_H
#define STOM_BENCH_SUPPORT_H

#include <stddef.h>

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

#endif
