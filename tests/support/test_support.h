/*
 * test_support.h - shared helpers for the Check test executables.
 *
 * Thread-safety: single-threaded test code.
 */
#ifndef STOM_TEST_SUPPORT_H
#define STOM_TEST_SUPPORT_H

#include <check.h>
#include <stdbool.h>

/*
 * Runs suite s in fork mode and returns the process exit status: 0 when
 * every test passed, 1 otherwise. Takes s.
 */
int stom_test_run(Suite *s);

/*
 * Writes "<STOM_SHARED_DATA>/<rel>" into buf and returns true when that file
 * exists. Tests that need real market data call this and skip when false.
 */
bool stom_test_shared_path(const char *rel, char *buf, size_t len);

/* Reads path (at most len - 1 bytes) into buf, NUL-terminated; "" when it is missing. */
void stom_test_slurp(const char *path, char *buf, size_t len);

/*
 * Runs `bin args` through /bin/sh with input (one line, or NULL: /dev/null)
 * on stdin, and captures stdout into out (at most out_len - 1 bytes) and
 * stderr into err (through a temporary file in $TMPDIR, else /tmp, removed
 * after). Returns the exit status, or -1 when the command did not exit.
 */
int stom_test_command(const char *bin, const char *input, const char *args, char *out,
                      size_t out_len, char *err, size_t err_len);

/* Writes "<STOM_TEST_FIXTURES>/<rel>" into buf. */
void stom_test_fixture_path(const char *rel, char *buf, size_t len);

#endif
