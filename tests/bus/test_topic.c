/*
 * test_topic.c - topic builders and topic validation.
 */
#include <string.h>

#include "stom/bus.h"
#include "test_support.h"

START_TEST(the_builders_make_the_four_topic_families_and_rpc)
{
    stom_errbuf eb = {{0}};
    stom_bus_topic t;
    ck_assert_int_eq(stom_bus_topic_md(&t, "ls", "005930", &eb), 0);
    ck_assert_str_eq(t.str, "md.ls.005930");
    ck_assert_uint_eq(t.len, 12);
    ck_assert_int_eq(stom_bus_topic_ord(&t, "kiwoom", "55501234-01", &eb), 0);
    ck_assert_str_eq(t.str, "ord.kiwoom.55501234-01");
    ck_assert_int_eq(stom_bus_topic_eng(&t, STOM_BUS_ENG_POSITIONS, &eb), 0);
    ck_assert_str_eq(t.str, "eng.positions");
    ck_assert_int_eq(stom_bus_topic_bt(&t, "job-42", &eb), 0);
    ck_assert_str_eq(t.str, "bt.job-42");
    ck_assert_int_eq(stom_bus_topic_rpc(&t, "broker-ls", &eb), 0);
    ck_assert_str_eq(t.str, "rpc.broker-ls");
    ck_assert_int_eq(stom_bus_topic_check(t.str, t.len, &eb), 0);
}
END_TEST

START_TEST(a_part_with_a_dot_space_or_control_byte_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_bus_topic t = {3, "old"};
    ck_assert_int_eq(stom_bus_topic_md(&t, "ls", "005.930", &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "symbol '005.930' contains a '.'");
    ck_assert_int_eq(stom_bus_topic_md(&t, "l s", "005930", &eb), STOM_EINVAL);
    ck_assert_ptr_nonnull(strstr(eb.msg, "broker byte 1 is 0x20"));
    ck_assert_int_eq(stom_bus_topic_ord(&t, "ls", "acc\x01", &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_topic_md(&t, "ls", "삼성", &eb), STOM_EINVAL);
    ck_assert_str_eq(t.str, "old"); /* untouched on failure */
}
END_TEST

START_TEST(an_empty_or_missing_part_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_bus_topic t;
    ck_assert_int_eq(stom_bus_topic_md(&t, "ls", "", &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "symbol is empty");
    ck_assert_int_eq(stom_bus_topic_eng(&t, NULL, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "engine event kind is empty");
}
END_TEST

START_TEST(a_topic_longer_than_the_limit_is_refused)
{
    stom_errbuf eb = {{0}};
    stom_bus_topic t;
    char job[STOM_BUS_TOPIC_MAX + 8];
    memset(job, 'j', sizeof job - 1);
    job[sizeof job - 1] = '\0';
    ck_assert_int_eq(stom_bus_topic_bt(&t, job, &eb), STOM_ETOOBIG);
    /* "bt." + 125 bytes is exactly the limit. */
    job[STOM_BUS_TOPIC_MAX - 3] = '\0';
    ck_assert_int_eq(stom_bus_topic_bt(&t, job, &eb), 0);
    ck_assert_uint_eq(t.len, STOM_BUS_TOPIC_MAX);
    job[STOM_BUS_TOPIC_MAX - 2] = 'j';
    job[STOM_BUS_TOPIC_MAX - 3] = 'j';
    job[STOM_BUS_TOPIC_MAX - 2] = '\0';
    ck_assert_int_eq(stom_bus_topic_bt(&t, job, &eb), STOM_ETOOBIG);
}
END_TEST

START_TEST(topic_check_refuses_empty_segments_and_non_ascii)
{
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_bus_topic_check("md.ls.005930", 12, &eb), 0);
    ck_assert_int_eq(stom_bus_topic_check("", 0, &eb), STOM_EEMPTY);
    ck_assert_int_eq(stom_bus_topic_check(".md", 3, &eb), STOM_EFORMAT);
    ck_assert_int_eq(stom_bus_topic_check("md.", 3, &eb), STOM_EFORMAT);
    ck_assert_int_eq(stom_bus_topic_check("md..x", 5, &eb), STOM_EFORMAT);
    ck_assert_str_eq(eb.msg, "topic 'md..x' has an empty segment");
    ck_assert_int_eq(stom_bus_topic_check("md.\xea\xb0\x80", 6, &eb), STOM_EFORMAT);
    /* Only len bytes are read: what follows does not matter. */
    ck_assert_int_eq(stom_bus_topic_check("md.ls garbage", 5, &eb), 0);
}
END_TEST

static Suite *topic_suite(void)
{
    Suite *s = suite_create("bus_topic");
    TCase *tc = tcase_create("topic");
    tcase_add_test(tc, the_builders_make_the_four_topic_families_and_rpc);
    tcase_add_test(tc, a_part_with_a_dot_space_or_control_byte_is_refused);
    tcase_add_test(tc, an_empty_or_missing_part_is_refused);
    tcase_add_test(tc, a_topic_longer_than_the_limit_is_refused);
    tcase_add_test(tc, topic_check_refuses_empty_segments_and_non_ascii);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = topic_suite();
    return stom_test_run(s);
}
