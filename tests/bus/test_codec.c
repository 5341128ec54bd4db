/*
 * test_codec.c - the bus framing refuses every kind of bad input with its
 * own error value and a message naming what was wrong, and the encoder
 * refuses to write what a receiver would refuse.
 */
#include <stdlib.h>
#include <string.h>

#include "bus_fixtures.h"

/* ---- helpers ------------------------------------------------------------ */

/* Packs a hand-made envelope after topic + 0x00, bypassing the encoder's
 * checks, so that tests can send what a broken sender would. */
static uint8_t *frame_raw(const char *topic, const Stom__V1__Envelope *env, size_t *len)
{
    size_t tl = strlen(topic);
    size_t n = stom__v1__envelope__get_packed_size(env);
    uint8_t *buf = malloc(tl + 1 + n + 1);
    memcpy(buf, topic, tl);
    buf[tl] = 0;
    stom__v1__envelope__pack(env, buf + tl + 1);
    *len = tl + 1 + n;
    return buf;
}

/* A header with everything a receiver requires, and no body. */
static void header_only(Stom__V1__Envelope *env)
{
    stom__v1__envelope__init(env);
    env->has_version = 1;
    env->version = STOM_BUS_VERSION;
    env->sender = "raw-sender";
    env->has_seq = 1;
    env->seq = 7;
    env->has_ts_ns = 1;
    env->ts_ns = TS_NS;
}

/* Decodes buf expecting failure rc with a message containing needle. */
static void assert_refused(const uint8_t *buf, size_t len, size_t max_len, int rc,
                           const char *needle)
{
    stom_errbuf eb = {{0}};
    stom_bus_msg msg;
    int got = stom_bus_decode(buf, len, max_len, &msg, &eb);
    ck_assert_msg(got == rc, "expected %s, got %s (%s)", stom_strerror(rc), stom_strerror(got),
                  eb.msg);
    ck_assert_msg(strstr(eb.msg, needle) != NULL, "message '%s' does not mention '%s'", eb.msg,
                  needle);
    ck_assert_ptr_null(msg.env);
}

/* ---- refusals ------------------------------------------------------------ */

START_TEST(garbage_after_the_topic_is_refused_as_not_protobuf)
{
    const char msg[] = "md.ls.005930\0this is not protobuf";
    assert_refused((const uint8_t *)msg, sizeof msg - 1, 0, STOM_EFORMAT, "not protobuf");
}
END_TEST

START_TEST(garbage_bytes_in_the_topic_are_refused)
{
    const uint8_t msg[] = {0xff, 0xfe, 0x81, 0x00, 0x08, 0x01};
    assert_refused(msg, sizeof msg, 0, STOM_EFORMAT, "topic byte 0 is 0xff");
}
END_TEST

START_TEST(an_empty_message_is_refused)
{
    const uint8_t none[1] = {0};
    assert_refused(none, 0, 0, STOM_EEMPTY, "empty message");
    assert_refused(NULL, 0, 0, STOM_EEMPTY, "empty message");
}
END_TEST

START_TEST(a_message_without_the_separator_is_refused)
{
    const char msg[] = "md.ls.005930";
    assert_refused((const uint8_t *)msg, sizeof msg - 1, 0, STOM_EFORMAT, "no 0x00 separator");
    /* A long run without a 0x00 is refused after the topic's bytes, not scanned to the end. */
    size_t n = 1 << 20;
    uint8_t *big = malloc(n);
    memset(big, 'a', n);
    assert_refused(big, n, 0, STOM_EFORMAT, "longer than 128 bytes");
    free(big);
}
END_TEST

START_TEST(a_message_with_an_empty_topic_is_refused)
{
    Stom__V1__Trade t;
    make_trade(&t);
    size_t len = 0;
    uint8_t *buf = encode_body(TOPIC, &t.base, &len);
    size_t tl = strlen(TOPIC);
    /* Drop the topic, keep the separator and the valid envelope. */
    assert_refused(buf + tl, len - tl, 0, STOM_EFORMAT, "empty topic");
    free(buf);
}
END_TEST

START_TEST(a_truncated_envelope_is_refused)
{
    Stom__V1__Trade t;
    make_trade(&t);
    size_t len = 0;
    uint8_t *buf = encode_body(TOPIC, &t.base, &len);
    assert_refused(buf, len - 1, 0, STOM_ETRUNC, "truncated");
    assert_refused(buf, len - 20, 0, STOM_ETRUNC, "truncated");
    free(buf);
}
END_TEST

START_TEST(an_envelope_without_a_body_is_refused)
{
    Stom__V1__Envelope env;
    header_only(&env);
    size_t len = 0;
    uint8_t *buf = frame_raw(TOPIC, &env, &len);
    assert_refused(buf, len, 0, STOM_EEMPTY, "has no body");
    free(buf);
    /* Nothing at all after the separator is the same mistake. */
    const char bare[] = "md.ls.005930";
    assert_refused((const uint8_t *)bare, sizeof bare, 0, STOM_EEMPTY, "empty envelope");
    /* And the encoder refuses to produce either. */
    stom_errbuf eb = {{0}};
    uint8_t *out = NULL;
    ck_assert_int_eq(stom_bus_encode(TOPIC, strlen(TOPIC), &env, &out, &len, &eb), STOM_EEMPTY);
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(another_messages_bytes_are_refused_as_an_envelope)
{
    /* protobuf-c unpacks a Trade's bytes "successfully" as an Envelope (or
     * fails on a wire type); either way it must not come out as a message. */
    Stom__V1__Trade t;
    make_trade(&t);
    size_t n = stom__v1__trade__get_packed_size(&t);
    size_t tl = strlen(TOPIC);
    uint8_t *buf = malloc(tl + 1 + n);
    memcpy(buf, TOPIC, tl + 1);
    stom__v1__trade__pack(&t, buf + tl + 1);
    stom_errbuf eb = {{0}};
    stom_bus_msg msg;
    int rc = stom_bus_decode(buf, tl + 1 + n, 0, &msg, &eb);
    ck_assert_msg(rc == STOM_EFORMAT, "got %s: %s", stom_strerror(rc), eb.msg);
    ck_assert_ptr_null(msg.env);
    free(buf);
}
END_TEST

START_TEST(an_envelope_with_a_body_from_a_newer_version_is_refused_as_unknown)
{
    Stom__V1__Envelope env;
    header_only(&env);
    size_t len = 0;
    uint8_t *buf = frame_raw(TOPIC, &env, &len);
    /* Append field 120, length-delimited, 2 bytes: a body this build lacks. */
    const uint8_t unknown[] = {0xc2, 0x07, 0x02, 0x08, 0x01};
    buf = realloc(buf, len + sizeof unknown);
    memcpy(buf + len, unknown, sizeof unknown);
    assert_refused(buf, len + sizeof unknown, 0, STOM_ETYPE, "does not know (field 120)");
    free(buf);
}
END_TEST

START_TEST(a_body_of_the_wrong_type_is_refused_by_expect)
{
    Stom__V1__Trade t;
    make_trade(&t);
    size_t len = 0;
    uint8_t *buf = encode_body(TOPIC, &t.base, &len);
    stom_errbuf eb = {{0}};
    stom_bus_msg msg;
    ck_assert_int_eq(stom_bus_decode(buf, len, 0, &msg, &eb), 0);
    ck_assert_int_eq(stom_bus_expect(&msg, STOM__V1__ENVELOPE__BODY_QUOTE, &eb), STOM_ETYPE);
    ck_assert_str_eq(eb.msg, "expected a quote body, got trade (from 'test-sender' seq 1)");
    ck_assert_int_eq(stom_bus_expect(&msg, STOM__V1__ENVELOPE__BODY_TRADE, &eb), 0);
    stom_bus_msg_free(&msg);
    free(buf);
}
END_TEST

START_TEST(an_oversized_message_is_refused_before_it_is_parsed)
{
    Stom__V1__Trade t;
    make_trade(&t);
    size_t len = 0;
    uint8_t *buf = encode_body(TOPIC, &t.base, &len);
    assert_refused(buf, len, len - 1, STOM_ETOOBIG, "exceeds the limit");
    /* The size is checked first: bytes that are not even a topic still
     * report the size. */
    size_t n = 64 * 1024;
    uint8_t *junk = calloc(1, n);
    assert_refused(junk, n, 1024, STOM_ETOOBIG, "65536 bytes exceeds the limit of 1024 bytes");
    free(junk);
    free(buf);
}
END_TEST

START_TEST(an_envelope_that_unpacks_beyond_its_memory_budget_is_refused)
{
    /* 40,000 empty bars are 2 bytes each on the wire and far more in memory. */
    size_t n = 40000;
    Stom__V1__Bar empty;
    stom__v1__bar__init(&empty);
    Stom__V1__Bar **bars = malloc(n * sizeof *bars);
    for (size_t i = 0; i < n; i++)
        bars[i] = &empty;
    Stom__V1__BarsReply br;
    stom__v1__bars_reply__init(&br);
    br.n_bars = n;
    br.bars = bars;
    Stom__V1__BrokerReply r;
    stom__v1__broker_reply__init(&r);
    r.reply_case = STOM__V1__BROKER_REPLY__REPLY_BARS;
    r.bars = &br;
    size_t len = 0;
    uint8_t *buf = encode_body("rpc.broker-ls", &r.base, &len);
    ck_assert_uint_lt(len, 100 * 1000);
    assert_refused(buf, len, 0, STOM_ETOOBIG, "bytes of memory unpacked");
    free(buf);
    free(bars);
}
END_TEST

START_TEST(an_envelope_of_another_version_is_refused)
{
    Stom__V1__Trade t;
    make_trade(&t);
    Stom__V1__Envelope env;
    header_only(&env);
    env.version = 2;
    env.body_case = STOM__V1__ENVELOPE__BODY_TRADE;
    env.trade = &t;
    size_t len = 0;
    uint8_t *buf = frame_raw(TOPIC, &env, &len);
    assert_refused(buf, len, 0, STOM_ERANGE, "version 2 is not supported");
    free(buf);
    env.has_version = 0;
    buf = frame_raw(TOPIC, &env, &len);
    assert_refused(buf, len, 0, STOM_EFORMAT, "has no version");
    free(buf);
}
END_TEST

START_TEST(an_envelope_without_sender_or_seq_is_refused)
{
    Stom__V1__Trade t;
    make_trade(&t);
    Stom__V1__Envelope env;
    header_only(&env);
    env.body_case = STOM__V1__ENVELOPE__BODY_TRADE;
    env.trade = &t;
    env.sender = NULL;
    size_t len = 0;
    uint8_t *buf = frame_raw(TOPIC, &env, &len);
    assert_refused(buf, len, 0, STOM_EFORMAT, "envelope sender is empty");
    free(buf);
    env.sender = "raw-sender";
    env.seq = 0;
    buf = frame_raw(TOPIC, &env, &len);
    assert_refused(buf, len, 0, STOM_EFORMAT, "has no seq");
    free(buf);
}
END_TEST

/* ---- encoding ------------------------------------------------------------ */

START_TEST(encoding_into_a_buffer_needs_exactly_the_encoded_size)
{
    stom_errbuf eb = {{0}};
    stom_bus_sender s;
    stom_bus_sender_init(&s, "test-sender", &eb);
    Stom__V1__Trade t;
    make_trade(&t);
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &s, TS_NS);
    stom_bus_envelope_set_body(&env, &t.base, &eb);
    size_t need = stom_bus_encoded_size(strlen(TOPIC), &env);
    uint8_t *buf = malloc(need);
    size_t len = 0;
    ck_assert_int_eq(stom_bus_encode_into(TOPIC, strlen(TOPIC), &env, buf, need - 1, &len, &eb),
                     STOM_ETOOBIG);
    ck_assert_int_eq(stom_bus_encode_into(TOPIC, strlen(TOPIC), &env, buf, need, &len, &eb), 0);
    ck_assert_uint_eq(len, need);
    ck_assert_int_eq(buf[strlen(TOPIC)], 0x00);
    free(buf);
}
END_TEST

START_TEST(encoding_refuses_a_bad_topic_or_a_mismatched_body)
{
    stom_errbuf eb = {{0}};
    stom_bus_sender s;
    stom_bus_sender_init(&s, "test-sender", &eb);
    Stom__V1__Trade t;
    make_trade(&t);
    Stom__V1__Quote q;
    stom__v1__quote__init(&q);
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &s, TS_NS);
    stom_bus_envelope_set_body(&env, &t.base, &eb);
    uint8_t *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(stom_bus_encode("md.ls 005930", 12, &env, &out, &len, &eb), STOM_EFORMAT);
    ck_assert_int_eq(stom_bus_encode("md..005930", 10, &env, &out, &len, &eb), STOM_EFORMAT);
    ck_assert_ptr_nonnull(strstr(eb.msg, "empty segment"));
    env.quote = &q; /* the union now holds a Quote while body_case says trade */
    ck_assert_int_eq(stom_bus_encode(TOPIC, strlen(TOPIC), &env, &out, &len, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "envelope body_case says trade but the body is a stom.v1.Quote");
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(a_message_that_is_not_a_body_cannot_be_set_as_one)
{
    stom_errbuf eb = {{0}};
    Stom__V1__Envelope env;
    stom__v1__envelope__init(&env);
    Stom__V1__PriceLevel level;
    stom__v1__price_level__init(&level);
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &level.base, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, "a stom.v1.PriceLevel cannot be an envelope body");
    ck_assert_int_eq(env.body_case, STOM__V1__ENVELOPE__BODY__NOT_SET);
}
END_TEST

START_TEST(freeing_a_zeroed_or_null_message_does_nothing)
{
    stom_bus_msg msg;
    memset(&msg, 0, sizeof msg);
    stom_bus_msg_free(&msg);
    stom_bus_msg_free(NULL);
}
END_TEST

static Suite *codec_suite(void)
{
    Suite *s = suite_create("bus_codec");
    TCase *bad = tcase_create("refusals");
    tcase_add_test(bad, garbage_after_the_topic_is_refused_as_not_protobuf);
    tcase_add_test(bad, garbage_bytes_in_the_topic_are_refused);
    tcase_add_test(bad, an_empty_message_is_refused);
    tcase_add_test(bad, a_message_without_the_separator_is_refused);
    tcase_add_test(bad, a_message_with_an_empty_topic_is_refused);
    tcase_add_test(bad, a_truncated_envelope_is_refused);
    tcase_add_test(bad, an_envelope_without_a_body_is_refused);
    tcase_add_test(bad, another_messages_bytes_are_refused_as_an_envelope);
    tcase_add_test(bad, an_envelope_with_a_body_from_a_newer_version_is_refused_as_unknown);
    tcase_add_test(bad, a_body_of_the_wrong_type_is_refused_by_expect);
    tcase_add_test(bad, an_oversized_message_is_refused_before_it_is_parsed);
    tcase_add_test(bad, an_envelope_that_unpacks_beyond_its_memory_budget_is_refused);
    tcase_add_test(bad, an_envelope_of_another_version_is_refused);
    tcase_add_test(bad, an_envelope_without_sender_or_seq_is_refused);
    suite_add_tcase(s, bad);

    TCase *enc = tcase_create("encoding");
    tcase_add_test(enc, encoding_into_a_buffer_needs_exactly_the_encoded_size);
    tcase_add_test(enc, encoding_refuses_a_bad_topic_or_a_mismatched_body);
    tcase_add_test(enc, a_message_that_is_not_a_body_cannot_be_set_as_one);
    tcase_add_test(enc, freeing_a_zeroed_or_null_message_does_nothing);
    suite_add_tcase(s, enc);
    return s;
}

int main(void)
{
    Suite *s = codec_suite();
    return stom_test_run(s);
}
