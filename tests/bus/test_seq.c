/*
 * test_seq.c - sender sequence numbers and receiver gap detection.
 */
#include <string.h>

#include "stom/bus.h"
#include "test_support.h"

START_TEST(a_sender_counts_from_one_and_fills_the_envelope_header)
{
    stom_errbuf eb = {{0}};
    stom_bus_sender s;
    ck_assert_int_eq(stom_bus_sender_init(&s, "broker-ls", &eb), 0);
    Stom__V1__Envelope a, b;
    stom_bus_envelope_init(&a, &s, 111);
    stom_bus_envelope_init(&b, &s, 222);
    ck_assert_uint_eq(a.version, STOM_BUS_VERSION);
    ck_assert_str_eq(a.sender, "broker-ls");
    ck_assert_uint_eq(a.seq, 1);
    ck_assert_uint_eq(b.seq, 2);
    ck_assert_int_eq(b.ts_ns, 222);
    ck_assert_int_eq(b.body_case, STOM__V1__ENVELOPE__BODY__NOT_SET);
}
END_TEST

START_TEST(a_sender_name_must_be_short_printable_ascii)
{
    stom_errbuf eb = {{0}};
    stom_bus_sender s;
    char long_name[STOM_BUS_SENDER_MAX + 2];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    ck_assert_int_eq(stom_bus_sender_init(&s, long_name, &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_sender_init(&s, "", &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_sender_init(&s, "bt worker", &eb), STOM_EINVAL);
    ck_assert_int_eq(stom_bus_sender_init(&s, "bt-worker.3", &eb), 0);
}
END_TEST

START_TEST(messages_in_order_report_no_gap)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    uint64_t gap = 99;
    for (uint64_t seq = 1; seq <= 5; seq++) {
        ck_assert_int_eq(stom_bus_seq_check(&t, seq, &gap), STOM_BUS_SEQ_OK);
        ck_assert_uint_eq(gap, 0);
    }
    ck_assert_uint_eq(t.received, 5);
    ck_assert_uint_eq(t.missing, 0);
}
END_TEST

START_TEST(a_jump_in_seq_reports_the_number_of_lost_messages)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    uint64_t gap = 0;
    ck_assert_int_eq(stom_bus_seq_check(&t, 1, &gap), STOM_BUS_SEQ_OK);
    ck_assert_int_eq(stom_bus_seq_check(&t, 2, &gap), STOM_BUS_SEQ_OK);
    ck_assert_int_eq(stom_bus_seq_check(&t, 6, &gap), STOM_BUS_SEQ_GAP);
    ck_assert_uint_eq(gap, 3);
    ck_assert_int_eq(stom_bus_seq_check(&t, 7, &gap), STOM_BUS_SEQ_OK);
    ck_assert_int_eq(stom_bus_seq_check(&t, 9, NULL), STOM_BUS_SEQ_GAP);
    ck_assert_uint_eq(t.missing, 4);
    ck_assert_uint_eq(t.received, 5);
}
END_TEST

START_TEST(a_restart_after_one_message_is_told_from_a_repeat_by_its_time)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    uint64_t gap = 0;
    ck_assert_int_eq(stom_bus_seq_check_at(&t, 1, 1000, &gap), STOM_BUS_SEQ_OK);
    /* The same first message again: a duplicate. */
    ck_assert_int_eq(stom_bus_seq_check_at(&t, 1, 1000, &gap), STOM_BUS_SEQ_DUPLICATE);
    /* A new incarnation's first message, sent later: a restart, not lost. */
    ck_assert_int_eq(stom_bus_seq_check_at(&t, 1, 2000, &gap), STOM_BUS_SEQ_RESTART);
    ck_assert_int_eq(stom_bus_seq_check_at(&t, 2, 2001, &gap), STOM_BUS_SEQ_OK);
    ck_assert_uint_eq(t.restarts, 1);
    ck_assert_uint_eq(t.duplicates, 1);
    /* Without times the numbers alone decide, as before: a duplicate. */
    stom_bus_seq_init(&t);
    stom_bus_seq_check(&t, 1, &gap);
    ck_assert_int_eq(stom_bus_seq_check(&t, 1, &gap), STOM_BUS_SEQ_DUPLICATE);
}
END_TEST

START_TEST(a_repeated_or_older_seq_is_a_duplicate)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    uint64_t gap = 0;
    for (uint64_t seq = 1; seq <= 4; seq++)
        stom_bus_seq_check(&t, seq, &gap);
    ck_assert_int_eq(stom_bus_seq_check(&t, 4, &gap), STOM_BUS_SEQ_DUPLICATE);
    ck_assert_int_eq(stom_bus_seq_check(&t, 2, &gap), STOM_BUS_SEQ_DUPLICATE);
    ck_assert_uint_eq(gap, 0);
    ck_assert_uint_eq(t.duplicates, 2);
    /* The duplicates do not move the expectation. */
    ck_assert_int_eq(stom_bus_seq_check(&t, 5, &gap), STOM_BUS_SEQ_OK);
}
END_TEST

START_TEST(seq_one_after_later_numbers_is_a_sender_restart)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    for (uint64_t seq = 1; seq <= 10; seq++)
        stom_bus_seq_check(&t, seq, NULL);
    ck_assert_int_eq(stom_bus_seq_check(&t, 1, NULL), STOM_BUS_SEQ_RESTART);
    ck_assert_int_eq(stom_bus_seq_check(&t, 2, NULL), STOM_BUS_SEQ_OK);
    ck_assert_uint_eq(t.restarts, 1);
    ck_assert_uint_eq(t.missing, 0);
}
END_TEST

START_TEST(a_late_subscriber_starts_from_the_first_seq_it_sees)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    uint64_t gap = 7;
    ck_assert_int_eq(stom_bus_seq_check(&t, 5000, &gap), STOM_BUS_SEQ_OK);
    ck_assert_uint_eq(gap, 0);
    ck_assert_int_eq(stom_bus_seq_check(&t, 5001, &gap), STOM_BUS_SEQ_OK);
    ck_assert_uint_eq(t.missing, 0);
}
END_TEST

START_TEST(seq_zero_is_invalid_and_changes_nothing)
{
    stom_bus_seq t;
    stom_bus_seq_init(&t);
    ck_assert_int_eq(stom_bus_seq_check(&t, 0, NULL), STOM_BUS_SEQ_INVALID);
    ck_assert(!t.started);
    ck_assert_uint_eq(t.received, 0);
}
END_TEST

static Suite *seq_suite(void)
{
    Suite *s = suite_create("bus_seq");
    TCase *tc = tcase_create("seq");
    tcase_add_test(tc, a_sender_counts_from_one_and_fills_the_envelope_header);
    tcase_add_test(tc, a_sender_name_must_be_short_printable_ascii);
    tcase_add_test(tc, messages_in_order_report_no_gap);
    tcase_add_test(tc, a_jump_in_seq_reports_the_number_of_lost_messages);
    tcase_add_test(tc, a_repeated_or_older_seq_is_a_duplicate);
    tcase_add_test(tc, a_restart_after_one_message_is_told_from_a_repeat_by_its_time);
    tcase_add_test(tc, seq_one_after_later_numbers_is_a_sender_restart);
    tcase_add_test(tc, a_late_subscriber_starts_from_the_first_seq_it_sees);
    tcase_add_test(tc, seq_zero_is_invalid_and_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = seq_suite();
    return stom_test_run(s);
}
