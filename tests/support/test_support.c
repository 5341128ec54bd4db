/*
 * test_support.c - Check runner, data-path and file helpers for tests.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int stom_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

bool stom_test_shared_path(const char *rel, char *buf, size_t len)
{
    const char *root = getenv("STOM_SHARED_DATA");
    if (root == NULL)
        root = STOM_SHARED_DATA;
    snprintf(buf, len, "%s/%s", root, rel);
    return access(buf, R_OK) == 0;
}

void stom_test_fixture_path(const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", STOM_TEST_FIXTURES, rel);
}

void stom_test_slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}
