/*
 * pb_from_json.c - JSON into protobuf-c messages by walking descriptors
 * (pb_from_json.h).
 *
 * The message is built exactly as protobuf-c's unpacker would build it:
 * every string, repeated array and sub-message is its own malloc'd block,
 * so protobuf_c_message_free_unpacked(m, NULL) releases it all.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_from_json.h"
#include "stom/alloc.h"
#include "stom/pb_json.h"
#include "stom/v1/common.pb-c.h"

static ProtobufCMessage *build(const ProtobufCMessageDescriptor *d, const json_t *j, int depth);

/* A JSON number (or decimal string) as a double; false when v is neither. */
static bool number_of(const json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    char *end = NULL;
    if (s && *s) {
        *out = strtod(s, &end);
        return *end == '\0';
    }
    return false;
}

/* An integer value: exact for JSON integers and decimal strings. */
static bool int_of(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    double d = 0;
    if (!number_of(v, &d) || !isfinite(d))
        return false;
    *out = (int64_t)d;
    return true;
}

/* "done" matches JOB_STATE_DONE: the value's name ends in "_" + the text, in any case. */
static bool enum_of(const ProtobufCEnumDescriptor *e, const json_t *v, int *out)
{
    int64_t n = 0;
    if (json_is_integer(v) && int_of(v, &n)) {
        *out = (int)n;
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || !*s)
        return false;
    size_t sl = strlen(s);
    for (unsigned k = 0; k < e->n_values; k++) {
        const char *name = e->values[k].name;
        size_t nl = strlen(name);
        bool whole = !strcasecmp(name, s);
        bool tail = nl > sl && name[nl - sl - 1] == '_' && !strcasecmp(name + nl - sl, s);
        if (whole || tail) {
            *out = e->values[k].value;
            return true;
        }
    }
    return false;
}

/* Stores one value of field f at dst. False when v has the wrong type (dst untouched). */
static bool set_value(const ProtobufCFieldDescriptor *f, void *dst, const json_t *v, int depth)
{
    int64_t i = 0;
    double d = 0;
    int e = 0;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (!int_of(v, &i))
            return false;
        *(int32_t *)dst = (int32_t)i;
        return true;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if (!int_of(v, &i))
            return false;
        *(int64_t *)dst = i;
        return true;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (json_is_string(v)) {
            *(uint64_t *)dst = strtoull(json_string_value(v), NULL, 10);
            return true;
        }
        if (!int_of(v, &i))
            return false;
        *(uint64_t *)dst = (uint64_t)i;
        return true;
    case PROTOBUF_C_TYPE_FLOAT:
        if (!json_is_null(v) && !number_of(v, &d))
            return false;
        *(float *)dst = json_is_null(v) ? NAN : (float)d;
        return true;
    case PROTOBUF_C_TYPE_DOUBLE:
        if (!json_is_null(v) && !number_of(v, &d))
            return false;
        *(double *)dst = json_is_null(v) ? NAN : d;
        return true;
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v))
            return false;
        *(protobuf_c_boolean *)dst = json_is_true(v);
        return true;
    case PROTOBUF_C_TYPE_ENUM:
        if (!enum_of(f->descriptor, v, &e))
            return false;
        *(int *)dst = e;
        return true;
    case PROTOBUF_C_TYPE_STRING:
        if (!json_is_string(v))
            return false;
        *(char **)dst = stom_xstrdup(json_string_value(v));
        return true;
    case PROTOBUF_C_TYPE_MESSAGE:
        if (!json_is_object(v) || depth >= STOM_PB_JSON_DEPTH_MAX)
            return false;
        *(ProtobufCMessage **)dst = build(f->descriptor, v, depth + 1);
        return true;
    default:
        return false; /* bytes: nothing the CLI reads */
    }
}

static void set_repeated(const ProtobufCFieldDescriptor *f, char *m, const json_t *arr, int depth)
{
    size_t n = json_array_size(arr), used = 0, size = stom_pb_element_size(f->type);
    if (n == 0)
        return;
    char *values = stom_xcalloc(n, size);
    for (size_t k = 0; k < n; k++)
        if (set_value(f, values + used * size, json_array_get(arr, k), depth))
            used++;
    *(size_t *)(m + f->quantifier_offset) = used;
    *(void **)(m + f->offset) = values;
}

static void set_field(const ProtobufCFieldDescriptor *f, char *m, const json_t *v, int depth)
{
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        json_t *params = NULL;
        /* A descriptor's name is the full "stom.v1.Param": compare the descriptor itself. */
        if (json_is_object(v) && f->descriptor == &stom__v1__param__descriptor)
            v = params = pb_params_array(v);
        if (json_is_array(v))
            set_repeated(f, m, v, depth);
        json_decref(params);
        return;
    }
    if (!set_value(f, m + f->offset, v, depth))
        return;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *(uint32_t *)(m + f->quantifier_offset) = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
             f->type != PROTOBUF_C_TYPE_MESSAGE)
        *(protobuf_c_boolean *)(m + f->quantifier_offset) = 1;
}

static ProtobufCMessage *build(const ProtobufCMessageDescriptor *d, const json_t *j, int depth)
{
    ProtobufCMessage *m = stom_xcalloc(1, d->sizeof_message);
    protobuf_c_message_init(d, m);
    for (unsigned k = 0; json_is_object(j) && k < d->n_fields; k++) {
        const ProtobufCFieldDescriptor *f = &d->fields[k];
        const json_t *v = json_object_get(j, f->name);
        /* A oneof keeps the first member present, as a decoder keeps one. */
        bool taken = (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
                     *(uint32_t *)((char *)m + f->quantifier_offset) != 0;
        if (v && !taken)
            set_field(f, (char *)m, v, depth);
    }
    return m;
}

ProtobufCMessage *pb_from_json(const ProtobufCMessageDescriptor *d, const json_t *j)
{
    return build(d, j, 0);
}

static json_t *param_json(const char *name, const json_t *v)
{
    json_t *p = json_pack("{s:s}", "name", name);
    if (json_is_integer(v))
        json_object_set(p, "int_value", (json_t *)v);
    else if (json_is_real(v) || json_is_null(v))
        json_object_set_new(p, "real_value",
                            json_is_null(v) ? json_null() : json_copy((json_t *)v));
    else if (json_is_boolean(v))
        json_object_set(p, "bool_value", (json_t *)v);
    else if (json_is_string(v))
        json_object_set(p, "text_value", (json_t *)v);
    return p;
}

json_t *pb_params_array(const json_t *params)
{
    if (json_is_array(params))
        return json_incref((json_t *)params);
    json_t *arr = json_array();
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)params, name, v) json_array_append_new(arr, param_json(name, v));
    return arr;
}
