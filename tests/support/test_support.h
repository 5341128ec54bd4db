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

/* Writes "<STOM_TEST_FIXTURES>/<rel>" into buf. */
void stom_test_fixture_path(const char *rel, char *buf, size_t len);

#endif
