/*
 * test_support.c - Check runner, data-path and file helpers for tests.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

int stom_test_command(const char *bin, const char *input, const char *args, char *out,
                      size_t out_len, char *err, size_t err_len)
{
    const char *tmp = getenv("TMPDIR");
    char err_path[512];
    snprintf(err_path, sizeof err_path, "%s/stom-test-stderr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(err_path);
    ck_assert_msg(fd >= 0, "mkstemp %s", err_path);
    close(fd);
    size_t cap = strlen(bin) + strlen(args) + (input ? strlen(input) : 0) + sizeof err_path + 64;
    char *cmd = malloc(cap);
    ck_assert_ptr_nonnull(cmd);
    /* A line of input goes through a pipe, never onto the command line of the program. */
    if (input)
        snprintf(cmd, cap, "printf '%%s\\n' '%s' | %s %s 2>%s", input, bin, args, err_path);
    else
        snprintf(cmd, cap, "%s %s </dev/null 2>%s", bin, args, err_path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = 0;
    for (size_t k; n + 1 < out_len && (k = fread(out + n, 1, out_len - 1 - n, p)) > 0;)
        n += k;
    out[n] = '\0';
    char drain[4096];
    while (fread(drain, 1, sizeof drain, p) > 0) /* the rest, so the program never blocks */
        ;
    int st = pclose(p);
    free(cmd);
    stom_test_slurp(err_path, err, err_len);
    unlink(err_path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void stom_test_slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}
