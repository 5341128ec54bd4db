/*
 * test_auth_store.c - the credentials file of `stom login` (cli/auth_store.c):
 * created with mode 0600 in a 0700 directory, read back whole, refused when
 * others may read it (with the chmod that fixes it), and its path from
 * XDG_CONFIG_HOME or HOME.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth_store.h"
#include "test_support.h"

static char dir[64];
static char path[128];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/stom-auth-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/stom/credentials.json", dir);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static auth_credentials sample(void)
{
    auth_credentials c = {"http://127.0.0.1:8080", "kim", "access.jwt.sig", "refresh-1"};
    return c;
}

START_TEST(a_saved_file_has_mode_0600_in_a_0700_directory_and_reads_back)
{
    auth_credentials c = sample(), back = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(auth_store_save(path, &c, &eb), STOM_OK);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    char sub[128];
    snprintf(sub, sizeof sub, "%s/stom", dir);
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_OK);
    ck_assert_str_eq(back.url, c.url);
    ck_assert_str_eq(back.username, "kim");
    ck_assert_str_eq(back.access_token, "access.jwt.sig");
    ck_assert_str_eq(back.refresh_token, "refresh-1");
    auth_credentials_free(&back);
}
END_TEST

START_TEST(saving_again_replaces_the_tokens_and_keeps_mode_0600)
{
    auth_credentials c = sample(), back = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(auth_store_save(path, &c, &eb), STOM_OK);
    c.access_token = "access-2";
    c.refresh_token = NULL;
    ck_assert_int_eq(auth_store_save(path, &c, &eb), STOM_OK);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_OK);
    ck_assert_str_eq(back.access_token, "access-2");
    ck_assert_ptr_null(back.refresh_token);
    auth_credentials_free(&back);
}
END_TEST

START_TEST(a_file_readable_by_others_is_refused_with_the_chmod_that_fixes_it)
{
    auth_credentials c = sample(), back = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(auth_store_save(path, &c, &eb), STOM_OK);
    ck_assert_int_eq(chmod(path, 0644), 0);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_ESTATE);
    ck_assert_ptr_nonnull(strstr(eb.msg, "chmod 600"));
    ck_assert_ptr_nonnull(strstr(eb.msg, path));
    ck_assert_ptr_null(back.access_token);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_ESTATE);
    ck_assert_int_eq(chmod(path, 0600), 0);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_OK);
    auth_credentials_free(&back);
}
END_TEST

START_TEST(no_file_means_not_logged_in_and_says_run_stom_login)
{
    auth_credentials back = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(eb.msg, "stom login"));
    ck_assert_int_eq(auth_store_remove(path, &eb), STOM_ENOTFOUND);
}
END_TEST

START_TEST(a_file_that_is_not_credentials_is_refused)
{
    auth_credentials c = sample(), back = {0};
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(auth_store_save(path, &c, &eb), STOM_OK);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"url\": 1}", f);
    fclose(f);
    ck_assert_int_eq(auth_store_load(path, &back, &eb), STOM_EFORMAT);
}
END_TEST

START_TEST(the_path_comes_from_xdg_config_home_else_home)
{
    char buf[256];
    stom_errbuf eb = {{0}};
    setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
    ck_assert_int_eq(auth_store_path(buf, sizeof buf, &eb), STOM_OK);
    ck_assert_str_eq(buf, "/x/cfg/stom/credentials.json");
    setenv("XDG_CONFIG_HOME", "relative", 1); /* not absolute: ignored, as the spec says */
    setenv("HOME", "/home/kim", 1);
    ck_assert_int_eq(auth_store_path(buf, sizeof buf, &eb), STOM_OK);
    ck_assert_str_eq(buf, "/home/kim/.config/stom/credentials.json");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    ck_assert_int_eq(auth_store_path(buf, sizeof buf, &eb), STOM_ENOTFOUND);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_auth_store");
    TCase *tc = tcase_create("credentials file");
    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, a_saved_file_has_mode_0600_in_a_0700_directory_and_reads_back);
    tcase_add_test(tc, saving_again_replaces_the_tokens_and_keeps_mode_0600);
    tcase_add_test(tc, a_file_readable_by_others_is_refused_with_the_chmod_that_fixes_it);
    tcase_add_test(tc, no_file_means_not_logged_in_and_says_run_stom_login);
    tcase_add_test(tc, a_file_that_is_not_credentials_is_refused);
    tcase_add_test(tc, the_path_comes_from_xdg_config_home_else_home);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(suite());
}
