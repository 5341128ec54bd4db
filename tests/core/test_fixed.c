/*
 * test_fixed.c - exact decimal parsing, formatting and the 64-bit muldiv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/error.h"
#include "stom/fixed.h"
#include "test_support.h"

/* Parses the NUL-terminated s at `decimals` places; returns the status, value in *out. */
static int parse(const char *s, int decimals, int64_t *out)
{
    *out = -12345; /* a sentinel: a failed parse must not be mistaken for a value */
    return stom_fixed_parse(s, strlen(s), decimals, out);
}

static void expect_value(const char *s, int decimals, int64_t want)
{
    int64_t v;
    int rc = parse(s, decimals, &v);
    ck_assert_msg(rc == STOM_OK, "\"%s\" at %d decimals: rc %d", s, decimals, rc);
    ck_assert_msg(v == want, "\"%s\" at %d decimals: got %lld, want %lld", s, decimals,
                  (long long)v, (long long)want);
}

static void expect_error(const char *s, int decimals, int want)
{
    int64_t v;
    int rc = parse(s, decimals, &v);
    ck_assert_msg(rc == want, "\"%s\" at %d decimals: rc %d, want %d", s, decimals, rc, want);
    ck_assert_msg(v == -12345, "\"%s\": *out was written on failure", s);
}

static const char *format(int64_t v, int decimals, bool thousands)
{
    static char buf[64];
    stom_fixed_format(v, decimals, thousands, buf, sizeof buf);
    return buf;
}

START_TEST(powers_of_ten_cover_zero_to_eighteen)
{
    ck_assert_int_eq(stom_pow10(0), 1);
    ck_assert_int_eq(stom_pow10(2), 100);
    ck_assert_int_eq(stom_pow10(12), 1000000000000LL);
    ck_assert_int_eq(stom_pow10(18), 1000000000000000000LL);
}
END_TEST

START_TEST(plain_numbers_parse_exactly_at_the_instrument_scale)
{
    expect_value("187500", 0, 187500);
    expect_value("187500.0", 0, 187500);
    expect_value("100.34", 2, 10034);
    expect_value("100", 2, 10000);
    expect_value("0.5", 8, 50000000);
    expect_value("+42", 0, 42);
    expect_value(".25", 2, 25);
    expect_value("7.", 1, 70);
    expect_value("0", 0, 0);
    expect_value("000123", 0, 123);
}
END_TEST

START_TEST(extra_digits_round_half_away_from_zero)
{
    expect_value("100.339996", 2, 10034);
    expect_value("100.335", 2, 10034);
    expect_value("100.334999", 2, 10033);
    expect_value("185999.5", 0, 186000);
    expect_value("185999.49", 0, 185999);
    expect_value("-2.5", 0, -3);
    expect_value("-2.49", 0, -2);
    expect_value("0.4", 0, 0);
    expect_value("0.0049", 2, 0);
    expect_value("0.005", 2, 1);
    expect_value("-0.005", 2, -1);
    expect_value("9.999", 2, 1000);
}
END_TEST

START_TEST(trailing_zeros_beyond_the_scale_cost_nothing)
{
    expect_value("186500.000", 0, 186500);
    expect_value("-1.10", 1, -11);
    expect_value("1.50", 1, 15);
    expect_value("123456789012345678", 0, 123456789012345678LL);
    expect_value("1234567890123456789", 0, 1234567890123456789LL);
    expect_value("12345678901234567.80", 1, 123456789012345678LL);
}
END_TEST

/*
 * Plain "[-]digits[.digits]" take a one-pass fast path; an "e0" suffix
 * forces the general path. Both must agree on every input.
 */
START_TEST(the_fast_and_general_paths_agree)
{
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 20000; i++) {
        char plain[48], general[52];
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x & 1)
            plain[n++] = '-';
        int ndig = 1 + (int)((x >> 8) % 20), point = (int)((x >> 16) % (uint64_t)(ndig + 2));
        for (int k = 0; k < ndig; k++) {
            if (k == point)
                plain[n++] = '.';
            plain[n++] = (char)('0' + (x >> (20 + k * 2)) % 10 * ((x >> 60) % 3 != 0));
        }
        plain[n] = '\0';
        snprintf(general, sizeof general, "%se0", plain);
        int dec = (int)((x >> 24) % 13);
        int64_t a = 0, b = 0;
        int ra = stom_fixed_parse(plain, n, dec, &a),
            rb = stom_fixed_parse(general, n + 2, dec, &b);
        ck_assert_msg(ra == rb && a == b, "%s at %d: %d/%lld vs %d/%lld", plain, dec, ra,
                      (long long)a, rb, (long long)b);
    }
}
END_TEST

START_TEST(negative_numbers_and_negative_zero_parse)
{
    expect_value("-1234.5", 1, -12345);
    expect_value("-0", 0, 0);
    expect_value("-0.001", 2, 0);
}
END_TEST

START_TEST(exponents_shift_the_point_both_ways)
{
    expect_value("1e5", 0, 100000);
    expect_value("1.5E3", 0, 1500);
    expect_value("2.5e-1", 2, 25);
    expect_value("1.23456e2", 2, 12346);
    expect_value("-4e+2", 0, -400);
    expect_value("5e-1", 0, 1);
    expect_value("1e-30", 2, 0);
    expect_value("0e999999999", 0, 0);
    expect_value("123e-2", 0, 1);
}
END_TEST

START_TEST(thousands_separators_are_accepted_in_groups_of_three)
{
    expect_value("1,234", 0, 1234);
    expect_value("-1,234,567.89", 2, -123456789);
    expect_value("12,345.5", 0, 12346);
    expect_error("1,23", 0, STOM_EFORMAT);
    expect_error("1234,567", 0, STOM_EFORMAT);
    expect_error(",123", 0, STOM_EFORMAT);
    expect_error("1,,234", 0, STOM_EFORMAT);
    expect_error("1,234,", 0, STOM_EFORMAT);
    expect_error("1.234,5", 0, STOM_EFORMAT);
}
END_TEST

START_TEST(the_int64_limits_parse_and_one_more_is_out_of_range)
{
    expect_value("9223372036854775807", 0, INT64_MAX);
    expect_value("-9223372036854775808", 0, INT64_MIN);
    expect_error("9223372036854775808", 0, STOM_ERANGE);
    expect_error("-9223372036854775809", 0, STOM_ERANGE);
    expect_error("92233720368547758.08", 2, STOM_ERANGE);
    expect_error("9223372036854775807.5", 0, STOM_ERANGE);
    expect_error("1e19", 0, STOM_ERANGE);
    expect_error("1e999999999999", 0, STOM_ERANGE);
    expect_error("100000000", 12, STOM_ERANGE);
    expect_value("1000000", 12, 1000000000000000000LL);
}
END_TEST

START_TEST(garbage_is_not_a_number)
{
    const char *bad[] = {"",   "-",  "+",    ".",   "abc", "1.2.3", "1e",   "1e+", "e5",    " 1",
                         "1 ", "1x", "0x10", "inf", "nan", "--1",   "1e5.", "1.e", "1_000", "١٢٣"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_error(bad[i], 2, STOM_EFORMAT);
}
END_TEST

START_TEST(parsing_reads_only_the_given_bytes)
{
    int64_t v;
    ck_assert_int_eq(stom_fixed_parse("12345", 3, 0, &v), 0);
    ck_assert_int_eq(v, 123);
    ck_assert_int_eq(stom_fixed_parse("9,9", 1, 0, &v), 0);
    ck_assert_int_eq(v, 9);
}
END_TEST

START_TEST(a_scale_outside_zero_to_eighteen_is_an_invalid_argument)
{
    int64_t v;
    ck_assert_int_eq(stom_fixed_parse("1", 1, -1, &v), STOM_EINVAL);
    ck_assert_int_eq(stom_fixed_parse("1", 1, 19, &v), STOM_EINVAL);
}
END_TEST

START_TEST(formatting_keeps_trailing_zeros_and_groups_thousands)
{
    ck_assert_str_eq(format(123456789, 2, true), "1,234,567.89");
    ck_assert_str_eq(format(123456789, 2, false), "1234567.89");
    ck_assert_str_eq(format(-123456789, 2, true), "-1,234,567.89");
    ck_assert_str_eq(format(150, 2, false), "1.50");
    ck_assert_str_eq(format(5, 2, false), "0.05");
    ck_assert_str_eq(format(-5, 2, false), "-0.05");
    ck_assert_str_eq(format(0, 0, true), "0");
    ck_assert_str_eq(format(999, 0, true), "999");
    ck_assert_str_eq(format(1000, 0, true), "1,000");
    ck_assert_str_eq(format(71500, 0, true), "71,500");
    ck_assert_str_eq(format(50000000, 8, false), "0.50000000");
}
END_TEST

START_TEST(formatting_the_int64_extremes_does_not_overflow)
{
    ck_assert_str_eq(format(INT64_MAX, 0, true), "9,223,372,036,854,775,807");
    ck_assert_str_eq(format(INT64_MIN, 0, true), "-9,223,372,036,854,775,808");
    ck_assert_str_eq(format(INT64_MIN, 2, false), "-92233720368547758.08");
    ck_assert_str_eq(format(INT64_MAX, 18, false), "9.223372036854775807");
}
END_TEST

START_TEST(formatting_truncates_like_snprintf_and_reports_the_needed_length)
{
    char buf[6];
    ck_assert_uint_eq(stom_fixed_format(-123456789, 2, true, buf, sizeof buf), 13);
    ck_assert_str_eq(buf, "-1,23");
    ck_assert_uint_eq(stom_fixed_format(7, 0, false, NULL, 0), 1);
}
END_TEST

START_TEST(format_and_parse_round_trip)
{
    const int64_t values[] = {0, 1, -1, 999, 1000, -1001, 123456789, INT64_MAX, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int dec = 0; dec <= 12; dec += 3) {
            char buf[64];
            int64_t back;
            stom_fixed_format(values[i], dec, true, buf, sizeof buf);
            ck_assert_int_eq(stom_fixed_parse(buf, strlen(buf), dec, &back), 0);
            ck_assert_int_eq(back, values[i]);
        }
    }
}
END_TEST

START_TEST(muldiv_truncates_toward_zero)
{
    /* 1,234,567 won at 0.015% (rate 15 per 100,000) = 185.185 -> 185. */
    ck_assert_int_eq(stom_muldiv_trunc(1234567, 15, 100000), 185);
    ck_assert_int_eq(stom_muldiv_trunc(-1234567, 15, 100000), -185);
    ck_assert_int_eq(stom_muldiv_trunc(7, 1, 2), 3);
    ck_assert_int_eq(stom_muldiv_trunc(-7, 1, 2), -3);
    ck_assert_int_eq(stom_muldiv_trunc(0, 1000000000, 1), 0);
}
END_TEST

START_TEST(muldiv_is_exact_where_the_product_exceeds_64_bits)
{
    /* (2^62 - 1) * 10^9 / 10^9 needs 92 bits in the middle. */
    int64_t a = ((int64_t)1 << 62) - 1;
    ck_assert_int_eq(stom_muldiv_trunc(a, 1000000000, 1000000000), a);
    ck_assert_int_eq(stom_muldiv_trunc(-a, 1000000000, 1000000000), -a);
    /* 10^15 * 999,999,999 / 10^9 = 999,999,999,000,000 exactly. */
    ck_assert_int_eq(stom_muldiv_trunc(1000000000000000LL, 999999999, 1000000000),
                     999999999000000LL);
    /* (2^62 - 1) * 3 / 7: 4611686018427387903 * 3 = 13835058055282163709; / 7 =
     * 1976436865040309101.28 */
    ck_assert_int_eq(stom_muldiv_trunc(a, 3, 7), 1976436865040309101LL);
    ck_assert_int_eq(stom_muldiv_trunc(-a, 3, 7), -1976436865040309101LL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fixed");
    TCase *tc = tcase_create("fixed");
    tcase_add_test(tc, powers_of_ten_cover_zero_to_eighteen);
    tcase_add_test(tc, plain_numbers_parse_exactly_at_the_instrument_scale);
    tcase_add_test(tc, extra_digits_round_half_away_from_zero);
    tcase_add_test(tc, trailing_zeros_beyond_the_scale_cost_nothing);
    tcase_add_test(tc, the_fast_and_general_paths_agree);
    tcase_add_test(tc, negative_numbers_and_negative_zero_parse);
    tcase_add_test(tc, exponents_shift_the_point_both_ways);
    tcase_add_test(tc, thousands_separators_are_accepted_in_groups_of_three);
    tcase_add_test(tc, the_int64_limits_parse_and_one_more_is_out_of_range);
    tcase_add_test(tc, garbage_is_not_a_number);
    tcase_add_test(tc, parsing_reads_only_the_given_bytes);
    tcase_add_test(tc, a_scale_outside_zero_to_eighteen_is_an_invalid_argument);
    tcase_add_test(tc, formatting_keeps_trailing_zeros_and_groups_thousands);
    tcase_add_test(tc, formatting_the_int64_extremes_does_not_overflow);
    tcase_add_test(tc, formatting_truncates_like_snprintf_and_reports_the_needed_length);
    tcase_add_test(tc, format_and_parse_round_trip);
    tcase_add_test(tc, muldiv_truncates_toward_zero);
    tcase_add_test(tc, muldiv_is_exact_where_the_product_exceeds_64_bits);
    suite_add_tcase(s, tc);
    return stom_test_run(s);
}
