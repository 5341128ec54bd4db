/*
 * test_pb_json.c - protobuf-c messages as JSON: fields in number order,
 * unset fields left out, enums by name, the chosen oneof member only,
 * non-finite reals as null, large uint64 as strings, bytes as base64, and
 * the same text for equal messages.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stom/bus.h"
#include "stom/pb_json.h"
#include "test_support.h"

/* Checks that m converts to exactly want, and frees the text. */
static void assert_json(const ProtobufCMessage *m, const char *want)
{
    char *got = stom_pb_to_json_text(m);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

static void param_int(Stom__V1__Param *p, const char *name, int64_t v)
{
    stom__v1__param__init(p);
    p->name = (char *)name;
    p->value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
    p->int_value = v;
}

START_TEST(a_small_message_converts_to_exact_compact_text)
{
    Stom__V1__Param p;
    param_int(&p, "fast", 5);
    assert_json(&p.base, "{\"name\":\"fast\",\"int_value\":5}");
    Stom__V1__Period empty = STOM__V1__PERIOD__INIT;
    assert_json(&empty.base, "{}");
}
END_TEST

START_TEST(only_the_chosen_oneof_member_appears)
{
    Stom__V1__Param p = STOM__V1__PARAM__INIT;
    p.name = "k";
    p.int_value = 7; /* shares the union with the others; the case decides */
    p.value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
    p.real_value = 0.25;
    assert_json(&p.base, "{\"name\":\"k\",\"real_value\":0.25}");
    p.value_case = STOM__V1__PARAM__VALUE_TEXT_VALUE;
    p.text_value = "close";
    assert_json(&p.base, "{\"name\":\"k\",\"text_value\":\"close\"}");
    p.value_case = STOM__V1__PARAM__VALUE_BOOL_VALUE;
    p.bool_value = 0;
    assert_json(&p.base, "{\"name\":\"k\",\"bool_value\":false}");
    p.value_case = STOM__V1__PARAM__VALUE__NOT_SET;
    assert_json(&p.base, "{\"name\":\"k\"}");
}
END_TEST

/* A JobStatus with a nested Progress, repeated Params of every kind, enums
 * and fields left unset (error, started_ns, finished_ns, spec). */
static void make_status(Stom__V1__JobStatus *st, Stom__V1__Progress *pr, Stom__V1__Param *ps,
                        Stom__V1__Param **pp)
{
    stom__v1__progress__init(pr);
    pr->job_id = "j1";
    pr->has_state = 1;
    pr->state = STOM__V1__JOB_STATE__JOB_STATE_DONE;
    pr->has_done = pr->has_total = pr->has_failed = 1;
    pr->done = pr->total = 10;
    pr->failed = 0;
    pr->has_best_objective = 1;
    pr->best_objective = 1.5;
    param_int(&ps[0], "fast", 5);
    param_int(&ps[1], "ratio", 0);
    ps[1].value_case = STOM__V1__PARAM__VALUE_REAL_VALUE;
    ps[1].real_value = 0.25;
    param_int(&ps[2], "on", 0);
    ps[2].value_case = STOM__V1__PARAM__VALUE_BOOL_VALUE;
    ps[2].bool_value = 1;
    for (int i = 0; i < 3; i++)
        pp[i] = &ps[i];
    pr->n_best_params = 3;
    pr->best_params = pp;
    stom__v1__job_status__init(st);
    st->job_id = "j1";
    st->has_state = 1;
    st->state = STOM__V1__JOB_STATE__JOB_STATE_DONE;
    st->progress = pr;
    st->has_submitted_ns = 1;
    st->submitted_ns = 1718582400123456789LL;
    st->events_topic = "bt.j1";
}

#define STATUS_JSON                                                                                \
    "{\"job_id\":\"j1\",\"state\":\"JOB_STATE_DONE\",\"progress\":{\"job_id\":\"j1\","             \
    "\"state\":\"JOB_STATE_DONE\",\"done\":10,\"total\":10,\"failed\":0,\"best_objective\":1.5,"   \
    "\"best_params\":[{\"name\":\"fast\",\"int_value\":5},{\"name\":\"ratio\","                    \
    "\"real_value\":0.25},{\"name\":\"on\",\"bool_value\":true}]},"                                \
    "\"submitted_ns\":1718582400123456789,\"events_topic\":\"bt.j1\"}"

START_TEST(a_job_status_nests_repeats_names_enums_and_omits_unset_fields)
{
    Stom__V1__JobStatus st;
    Stom__V1__Progress pr;
    Stom__V1__Param ps[3], *pp[3];
    make_status(&st, &pr, ps, pp);
    assert_json(&st.base, STATUS_JSON);
}
END_TEST

START_TEST(a_message_from_the_wire_converts_as_the_one_that_was_packed)
{
    Stom__V1__JobStatus st;
    Stom__V1__Progress pr;
    Stom__V1__Param ps[3], *pp[3];
    make_status(&st, &pr, ps, pp);
    size_t len = stom__v1__job_status__get_packed_size(&st);
    uint8_t *buf = malloc(len);
    stom__v1__job_status__pack(&st, buf);
    Stom__V1__JobStatus *back = stom__v1__job_status__unpack(NULL, len, buf);
    ck_assert_ptr_nonnull(back);
    assert_json(&back->base, STATUS_JSON);
    stom__v1__job_status__free_unpacked(back, NULL);
    free(buf);
}
END_TEST

START_TEST(non_finite_reals_are_null_and_large_uint64_is_a_string)
{
    Stom__V1__MonthlyReturn jan = STOM__V1__MONTHLY_RETURN__INIT, *months[1] = {&jan};
    jan.has_year = jan.has_month = jan.has_return_pct = 1;
    jan.year = 2024;
    jan.month = 1;
    jan.return_pct = 2.0;
    Stom__V1__Metrics m = STOM__V1__METRICS__INIT;
    m.has_return_pct = 1;
    m.return_pct = -12.5;
    m.has_sharpe = m.has_sortino = m.has_profit_factor = 1;
    m.sharpe = NAN;
    m.sortino = -INFINITY;
    m.profit_factor = INFINITY;
    m.has_trades = m.has_wins = 1;
    m.trades = UINT64_MAX;
    m.wins = (uint64_t)INT64_MAX;
    m.n_monthly = 1;
    m.monthly = months;
    assert_json(&m.base, "{\"return_pct\":-12.5,\"sharpe\":null,\"sortino\":null,"
                         "\"trades\":\"18446744073709551615\",\"wins\":9223372036854775807,"
                         "\"profit_factor\":null,\"monthly\":[{\"year\":2024,\"month\":1,"
                         "\"return_pct\":2.0}]}");
}
END_TEST

START_TEST(a_task_result_keeps_repeated_strings_and_nested_empty_messages)
{
    Stom__V1__Metrics empty = STOM__V1__METRICS__INIT;
    char *violated[] = {"mdd<=10", "wr>=50"};
    Stom__V1__TaskResult r = STOM__V1__TASK_RESULT__INIT;
    r.job_id = "j1";
    r.has_task_id = 1;
    r.task_id = 42;
    r.has_status = 1;
    r.status = STOM__V1__TASK_STATUS__TASK_STATUS_OK;
    r.metrics = &empty;
    r.has_objective = 1;
    r.objective = -INFINITY;
    r.has_constraints_met = 1;
    r.constraints_met = 0;
    r.has_phase = 1;
    r.phase = STOM__V1__TASK_PHASE__TASK_PHASE_TEST;
    r.n_violated = 2;
    r.violated = violated;
    assert_json(&r.base, "{\"job_id\":\"j1\",\"task_id\":42,\"status\":\"TASK_STATUS_OK\","
                         "\"metrics\":{},\"objective\":null,\"constraints_met\":false,"
                         "\"phase\":\"TASK_PHASE_TEST\",\"violated\":[\"mdd<=10\",\"wr>=50\"]}");
}
END_TEST

START_TEST(an_enum_value_the_descriptor_does_not_know_is_its_number)
{
    Stom__V1__JobStatus st = STOM__V1__JOB_STATUS__INIT;
    st.has_state = 1;
    st.state = (Stom__V1__JobState)99;
    assert_json(&st.base, "{\"state\":99}");
}
END_TEST

START_TEST(an_envelope_shows_its_header_and_the_body_it_carries)
{
    stom_bus_sender s;
    stom_bus_sender_init(&s, "bt-coordinator", NULL);
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &s, 1718582400123456789LL);
    Stom__V1__NoWork nw = STOM__V1__NO_WORK__INIT;
    nw.has_retry_after_ms = 1;
    nw.retry_after_ms = 500;
    ck_assert_int_eq(stom_bus_envelope_set_body(&env, &nw.base, NULL), 0);
    assert_json(&env.base, "{\"version\":1,\"sender\":\"bt-coordinator\",\"seq\":1,"
                           "\"ts_ns\":1718582400123456789,\"no_work\":{\"retry_after_ms\":500}}");
}
END_TEST

START_TEST(invalid_utf8_in_a_string_is_replaced_and_valid_text_kept)
{
    Stom__V1__Param p;
    param_int(&p, "x\xed\xa0\x80y\xff", 1);
    assert_json(&p.base, "{\"name\":\"x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy\xef\xbf\xbd\","
                         "\"int_value\":1}");
    param_int(&p, "\xc0\x80", 1); /* an overlong NUL */
    assert_json(&p.base, "{\"name\":\"\xef\xbf\xbd\xef\xbf\xbd\",\"int_value\":1}");
    param_int(&p, "삼성전자 \"q\"", 1);
    assert_json(&p.base, "{\"name\":\"삼성전자 \\\"q\\\"\",\"int_value\":1}");
}
END_TEST

START_TEST(equal_messages_give_equal_text_that_parses_back)
{
    Stom__V1__JobStatus a, b;
    Stom__V1__Progress pa, pb;
    Stom__V1__Param psa[3], psb[3], *ppa[3], *ppb[3];
    make_status(&a, &pa, psa, ppa);
    make_status(&b, &pb, psb, ppb);
    char *ta = stom_pb_to_json_text(&a.base);
    char *tb = stom_pb_to_json_text(&b.base);
    ck_assert_str_eq(ta, tb);
    json_error_t err;
    json_t *parsed = json_loads(ta, JSON_REJECT_DUPLICATES, &err);
    ck_assert_msg(parsed != NULL, "%s", err.text);
    json_t *direct = stom_pb_to_json(&a.base);
    ck_assert(json_equal(parsed, direct));
    ck_assert_str_eq(json_string_value(json_object_get(direct, "state")), "JOB_STATE_DONE");
    json_decref(direct);
    json_decref(parsed);
    free(ta);
    free(tb);
    ck_assert_ptr_null(stom_pb_to_json(NULL));
    ck_assert_ptr_null(stom_pb_to_json_text(NULL));
}
END_TEST

/* ---- bytes and float: no stom.v1 message has them, so a hand-made one ---- */

typedef struct blob {
    ProtobufCMessage base;
    protobuf_c_boolean has_data;
    ProtobufCBinaryData data;
    protobuf_c_boolean has_ratio;
    float ratio;
    size_t n_chunks;
    ProtobufCBinaryData *chunks;
} blob;

static const ProtobufCFieldDescriptor blob_fields[] = {
    {.name = "data",
     .id = 1,
     .label = PROTOBUF_C_LABEL_OPTIONAL,
     .type = PROTOBUF_C_TYPE_BYTES,
     .quantifier_offset = offsetof(blob, has_data),
     .offset = offsetof(blob, data)},
    {.name = "ratio",
     .id = 2,
     .label = PROTOBUF_C_LABEL_OPTIONAL,
     .type = PROTOBUF_C_TYPE_FLOAT,
     .quantifier_offset = offsetof(blob, has_ratio),
     .offset = offsetof(blob, ratio)},
    {.name = "chunks",
     .id = 3,
     .label = PROTOBUF_C_LABEL_REPEATED,
     .type = PROTOBUF_C_TYPE_BYTES,
     .quantifier_offset = offsetof(blob, n_chunks),
     .offset = offsetof(blob, chunks)},
};

static const ProtobufCMessageDescriptor blob_descriptor = {
    .magic = PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
    .name = "test.Blob",
    .short_name = "Blob",
    .c_name = "Blob",
    .package_name = "test",
    .sizeof_message = sizeof(blob),
    .n_fields = 3,
    .fields = blob_fields,
};

static ProtobufCBinaryData bin(const char *s)
{
    return (ProtobufCBinaryData){.len = strlen(s), .data = (uint8_t *)s};
}

START_TEST(bytes_are_base64_with_padding_and_floats_are_reals)
{
    ProtobufCBinaryData chunks[4] = {bin(""), bin("h"), bin("hi"), bin("hi!")};
    blob b = {.base = {.descriptor = &blob_descriptor}};
    b.has_data = 1;
    b.data = bin("\xff\xfe\x00");
    b.data.len = 3;
    b.has_ratio = 1;
    b.ratio = 0.5f;
    b.n_chunks = 4;
    b.chunks = chunks;
    assert_json(&b.base,
                "{\"data\":\"//4A\",\"ratio\":0.5,\"chunks\":[\"\",\"aA==\",\"aGk=\",\"aGkh\"]}");
    b.ratio = NAN;
    b.has_data = 0;
    b.n_chunks = 0;
    assert_json(&b.base, "{\"ratio\":null}");
}
END_TEST

static Suite *pb_json_suite(void)
{
    Suite *s = suite_create("busnet_pb_json");
    TCase *tc = tcase_create("pb_json");
    tcase_add_test(tc, a_small_message_converts_to_exact_compact_text);
    tcase_add_test(tc, only_the_chosen_oneof_member_appears);
    tcase_add_test(tc, a_job_status_nests_repeats_names_enums_and_omits_unset_fields);
    tcase_add_test(tc, a_message_from_the_wire_converts_as_the_one_that_was_packed);
    tcase_add_test(tc, non_finite_reals_are_null_and_large_uint64_is_a_string);
    tcase_add_test(tc, a_task_result_keeps_repeated_strings_and_nested_empty_messages);
    tcase_add_test(tc, an_enum_value_the_descriptor_does_not_know_is_its_number);
    tcase_add_test(tc, an_envelope_shows_its_header_and_the_body_it_carries);
    tcase_add_test(tc, invalid_utf8_in_a_string_is_replaced_and_valid_text_kept);
    tcase_add_test(tc, equal_messages_give_equal_text_that_parses_back);
    tcase_add_test(tc, bytes_are_base64_with_padding_and_floats_are_reals);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return stom_test_run(pb_json_suite());
}
