/*
 * test_contracts.c - the rules of proto/stom/v1, checked on the generated
 * descriptors of every message reachable from the Envelope, and a round
 * trip of every body type with every field set.
 *
 * The filler below walks a message's descriptor and sets every field
 * (scalars, enums, strings, bytes, nested and repeated messages, the first
 * member of each oneof), so a field added to a .proto is exercised here
 * without editing this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/bus.h"
#include "test_support.h"

#define MAX_MESSAGES 128

/* ---- walking the schema -------------------------------------------------- */

typedef struct schema {
    const ProtobufCMessageDescriptor *msgs[MAX_MESSAGES];
    size_t n;
} schema;

static void schema_add(schema *s, const ProtobufCMessageDescriptor *d)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->msgs[i] == d)
            return;
    }
    ck_assert_uint_lt(s->n, MAX_MESSAGES);
    s->msgs[s->n++] = d;
    for (unsigned i = 0; i < d->n_fields; i++) {
        if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
            schema_add(s, d->fields[i].descriptor);
    }
}

static void schema_load(schema *s)
{
    s->n = 0;
    schema_add(s, &stom__v1__envelope__descriptor);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- filling a message --------------------------------------------------- */

static size_t elem_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return 8;
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    default:
        return 4; /* int32, sint32, sfixed32, uint32, fixed32, float, enum */
    }
}

static ProtobufCMessage *new_filled(const ProtobufCMessageDescriptor *d, unsigned *counter);

/* Writes one value of field f, distinct per call through *counter. */
static void fill_value(const ProtobufCFieldDescriptor *f, void *dst, unsigned *counter)
{
    unsigned k = ++*counter;
    int64_t i64 = -(int64_t)k * 1000003; /* negative and wide: exercises varint lengths */
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        char *s = malloc(32);
        snprintf(s, 32, "값-%u", k);
        memcpy(dst, &s, sizeof s);
        break;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData b = {3, malloc(3)};
        memcpy(b.data, "\x00\x01\x02", 3);
        memcpy(dst, &b, sizeof b);
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        ProtobufCMessage *m = new_filled(f->descriptor, counter);
        memcpy(dst, &m, sizeof m);
        break;
    }
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *e = f->descriptor;
        int v = e->values[e->n_values - 1].value;
        memcpy(dst, &v, sizeof v);
        break;
    }
    case PROTOBUF_C_TYPE_DOUBLE: {
        double v = k + 0.25;
        memcpy(dst, &v, sizeof v);
        break;
    }
    case PROTOBUF_C_TYPE_BOOL: {
        protobuf_c_boolean v = 1;
        memcpy(dst, &v, sizeof v);
        break;
    }
    default:
        if (elem_size(f->type) == 8) {
            memcpy(dst, &i64, sizeof i64);
        } else {
            int32_t v = f->type == PROTOBUF_C_TYPE_UINT32 ? (int32_t)k : -(int32_t)k;
            memcpy(dst, &v, sizeof v);
        }
    }
}

static void fill_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, unsigned *counter)
{
    char *base = (char *)m;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = 2, size = elem_size(f->type);
        char *arr = calloc(n, size);
        for (size_t i = 0; i < n; i++)
            fill_value(f, arr + i * size, counter);
        memcpy(base + f->offset, &arr, sizeof arr);
        memcpy(base + f->quantifier_offset, &n, sizeof n);
        return;
    }
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        uint32_t which;
        memcpy(&which, base + f->quantifier_offset, sizeof which);
        if (which != 0)
            return; /* another member of this oneof is already set */
        memcpy(base + f->quantifier_offset, &f->id, sizeof f->id);
    } else if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) {
        protobuf_c_boolean has = 1;
        memcpy(base + f->quantifier_offset, &has, sizeof has);
    }
    fill_value(f, base + f->offset, counter);
}

static ProtobufCMessage *new_filled(const ProtobufCMessageDescriptor *d, unsigned *counter)
{
    ProtobufCMessage *m = malloc(d->sizeof_message);
    protobuf_c_message_init(d, m);
    for (unsigned i = 0; i < d->n_fields; i++)
        fill_field(m, &d->fields[i], counter);
    return m;
}

static uint8_t *packed(const ProtobufCMessage *m, size_t *len)
{
    *len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(*len + 1);
    protobuf_c_message_pack(m, buf);
    return buf;
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(no_field_anywhere_is_required)
{
    schema s;
    schema_load(&s);
    ck_assert_uint_gt(s.n, 40);
    for (size_t i = 0; i < s.n; i++) {
        for (unsigned j = 0; j < s.msgs[i]->n_fields; j++) {
            const ProtobufCFieldDescriptor *f = &s.msgs[i]->fields[j];
            ck_assert_msg(f->label == PROTOBUF_C_LABEL_OPTIONAL ||
                              f->label == PROTOBUF_C_LABEL_REPEATED,
                          "%s.%s is not optional", s.msgs[i]->name, f->name);
        }
    }
}
END_TEST

/* Fields named like money, prices or quantities. */
static bool is_money_name(const char *name)
{
    static const char *const suffixes[] = {
        "price", "qty",    "value", "cash",       "fees",         "taxes", "equity",
        "pnl",   "amount", "_cost", "market_cap", "buying_power", "_d2",   "_limit",
    };
    if (strcmp(name, "cost") == 0)
        return true;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (ends_with(name, suffixes[i]))
            return true;
    }
    return false;
}

START_TEST(money_prices_and_quantities_are_int64_everywhere)
{
    schema s;
    schema_load(&s);
    for (size_t i = 0; i < s.n; i++) {
        const ProtobufCMessageDescriptor *d = s.msgs[i];
        for (unsigned j = 0; j < d->n_fields; j++) {
            const ProtobufCFieldDescriptor *f = &d->fields[j];
            /* A Param's value is a strategy setting, and a ParamRange a
             * search space: neither is money. */
            if (strcmp(d->name, "stom.v1.Param") == 0 ||
                strcmp(d->name, "stom.v1.ParamRange") == 0 ||
                strcmp(d->name, "stom.v1.Constraint") == 0)
                continue;
            if (!is_money_name(f->name) || f->type == PROTOBUF_C_TYPE_MESSAGE)
                continue;
            ck_assert_msg(f->type == PROTOBUF_C_TYPE_INT64,
                          "%s.%s looks like money but is not int64", d->name, f->name);
        }
    }
}
END_TEST

/* Messages whose doubles are statistics, scores or strategy settings. */
static bool doubles_allowed(const char *msg)
{
    static const char *const names[] = {
        "stom.v1.Param",     "stom.v1.ParamRange",    "stom.v1.Constraint",  "stom.v1.Validation",
        "stom.v1.Metrics",   "stom.v1.MonthlyReturn", "stom.v1.TaskResult",  "stom.v1.Progress",
        "stom.v1.JobResult", "stom.v1.SurgeAlert",    "stom.v1.TradeRecord", "stom.v1.FoldBest",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(msg, names[i]) == 0)
            return true;
    }
    return false;
}

START_TEST(market_order_and_broker_messages_carry_no_floating_point)
{
    schema s;
    schema_load(&s);
    for (size_t i = 0; i < s.n; i++) {
        const ProtobufCMessageDescriptor *d = s.msgs[i];
        for (unsigned j = 0; j < d->n_fields; j++) {
            ProtobufCType t = d->fields[j].type;
            ck_assert_msg(t != PROTOBUF_C_TYPE_FLOAT, "%s.%s is a float", d->name,
                          d->fields[j].name);
            if (t == PROTOBUF_C_TYPE_DOUBLE)
                ck_assert_msg(doubles_allowed(d->name), "%s.%s is a double outside statistics",
                              d->name, d->fields[j].name);
        }
    }
}
END_TEST

START_TEST(every_enum_starts_with_an_unspecified_zero)
{
    schema s;
    schema_load(&s);
    for (size_t i = 0; i < s.n; i++) {
        for (unsigned j = 0; j < s.msgs[i]->n_fields; j++) {
            const ProtobufCFieldDescriptor *f = &s.msgs[i]->fields[j];
            if (f->type != PROTOBUF_C_TYPE_ENUM)
                continue;
            const ProtobufCEnumDescriptor *e = f->descriptor;
            const ProtobufCEnumValue *zero = protobuf_c_enum_descriptor_get_value(e, 0);
            ck_assert_msg(zero != NULL && ends_with(zero->name, "_UNSPECIFIED"),
                          "%s has no *_UNSPECIFIED = 0", e->name);
        }
    }
}
END_TEST

START_TEST(each_body_type_appears_once_in_the_envelope)
{
    /* stom_bus_envelope_set_body finds the body field by the message type. */
    const ProtobufCMessageDescriptor *d = &stom__v1__envelope__descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        for (unsigned j = i + 1; j < d->n_fields; j++) {
            if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
                ck_assert_msg(d->fields[i].descriptor != d->fields[j].descriptor,
                              "%s and %s have the same type", d->fields[i].name, d->fields[j].name);
        }
    }
}
END_TEST

START_TEST(every_body_type_round_trips_with_every_field_set)
{
    const ProtobufCMessageDescriptor *d = &stom__v1__envelope__descriptor;
    unsigned bodies = 0;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0)
            continue;
        unsigned counter = 0;
        ProtobufCMessage *body = new_filled(f->descriptor, &counter);
        stom_errbuf eb = {{0}};
        stom_bus_sender s;
        stom_bus_sender_init(&s, "contract-test", &eb);
        Stom__V1__Envelope env;
        stom_bus_envelope_init(&env, &s, 1);
        ck_assert_int_eq(stom_bus_envelope_set_body(&env, body, &eb), 0);
        ck_assert_int_eq((int)env.body_case, (int)f->id);
        ck_assert_str_eq(stom_bus_body_name(env.body_case), f->name);
        uint8_t *buf = NULL;
        size_t len = 0;
        ck_assert_msg(stom_bus_encode("t.x", 3, &env, &buf, &len, &eb) == 0, "%s", eb.msg);
        stom_bus_msg msg;
        ck_assert_msg(stom_bus_decode(buf, len, 0, &msg, &eb) == 0, "%s: %s", f->name, eb.msg);
        ck_assert_int_eq(stom_bus_expect(&msg, (stom_bus_body)f->id, &eb), 0);
        size_t la, lb;
        uint8_t *a = packed(body, &la), *b = packed(stom_bus_envelope_body(msg.env), &lb);
        ck_assert_msg(la == lb && memcmp(a, b, la) == 0, "%s changed in the round trip", f->name);
        free(a);
        free(b);
        stom_bus_msg_free(&msg);
        free(buf);
        protobuf_c_message_free_unpacked(body, NULL);
        bodies++;
    }
    ck_assert_uint_eq(bodies, 29);
}
END_TEST

START_TEST(body_names_are_the_envelope_field_names)
{
    ck_assert_str_eq(stom_bus_body_name(STOM__V1__ENVELOPE__BODY_TRADE), "trade");
    ck_assert_str_eq(stom_bus_body_name(STOM__V1__ENVELOPE__BODY_BROKER_REPLY), "broker_reply");
    ck_assert_str_eq(stom_bus_body_name(STOM__V1__ENVELOPE__BODY__NOT_SET), "none");
    ck_assert_str_eq(stom_bus_body_name((stom_bus_body)3), "unknown"); /* seq, not a body */
    ck_assert_str_eq(stom_bus_body_name((stom_bus_body)999), "unknown");
}
END_TEST

static Suite *contracts_suite(void)
{
    Suite *s = suite_create("bus_contracts");
    TCase *tc = tcase_create("schema");
    tcase_add_test(tc, no_field_anywhere_is_required);
    tcase_add_test(tc, money_prices_and_quantities_are_int64_everywhere);
    tcase_add_test(tc, market_order_and_broker_messages_carry_no_floating_point);
    tcase_add_test(tc, every_enum_starts_with_an_unspecified_zero);
    tcase_add_test(tc, each_body_type_appears_once_in_the_envelope);
    tcase_add_test(tc, every_body_type_round_trips_with_every_field_set);
    tcase_add_test(tc, body_names_are_the_envelope_field_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Suite *s = contracts_suite();
    return stom_test_run(s);
}
