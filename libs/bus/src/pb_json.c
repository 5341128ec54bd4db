/*
 * pb_json.c - protobuf-c messages to JSON by walking their descriptors.
 *
 * A field's value lives at `(char *)message + field->offset`; its presence
 * at `quantifier_offset` (the has_ flag of a proto2 scalar, the case of a
 * oneof, the element count of a repeated field). Presence follows the rules
 * protobuf-c's packer uses, so a field appears in JSON exactly when it
 * would appear on the wire. Values are read through pointers of their own
 * C type (memcpy for the generic element walk), never by punning.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"
#include "stom/pb_json.h"

static json_t *message_to_json(const ProtobufCMessage *m, int depth);

/* ---- scalars ------------------------------------------------------------- */

static json_t *uint64_to_json(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    char text[24];
    snprintf(text, sizeof text, "%" PRIu64, v);
    return json_string(text);
}

static json_t *real_to_json(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *enum_to_json(const ProtobufCEnumDescriptor *d, int v)
{
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
    return ev != NULL ? json_string(ev->name) : json_integer(v);
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when s does not
 * start one: a stray continuation byte, an overlong form, a surrogate, a
 * code point above U+10FFFF, or a sequence cut by the terminating NUL. */
static size_t utf8_sequence_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (c < 0xc2 || c > 0xf4)
        return 0;
    uint32_t cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* s with every byte that does not start valid UTF-8 replaced by U+FFFD. */
static json_t *string_repaired(const char *s)
{
    size_t len = strlen(s);
    char *out = stom_xmalloc(len * 3 + 1);
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
        size_t n = utf8_sequence_len(p);
        if (n == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    json_t *j = json_stringn(out, o);
    free(out);
    return j;
}

static json_t *string_to_json(const char *s)
{
    json_t *j = json_string(s); /* NULL when s is not valid UTF-8 */
    return j != NULL ? j : string_repaired(s);
}

static json_t *bytes_to_json(const ProtobufCBinaryData *b)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = b->len;
    char *out = stom_xmalloc((n + 2) / 3 * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)b->data[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)b->data[i + 1] << 8;
        if (i + 2 < n)
            v |= b->data[i + 2];
        out[o++] = alphabet[(v >> 18) & 0x3f];
        out[o++] = alphabet[(v >> 12) & 0x3f];
        out[o++] = i + 1 < n ? alphabet[(v >> 6) & 0x3f] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 0x3f] : '=';
    }
    json_t *j = json_stringn(out, o);
    free(out);
    return j;
}

/* ---- fields -------------------------------------------------------------- */

/* The JSON for the one value of field f stored at p. */
static json_t *value_to_json(const ProtobufCFieldDescriptor *f, const void *p, int depth)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer(*(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return json_integer(*(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return json_integer(*(const int64_t *)p);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return uint64_to_json(*(const uint64_t *)p);
    case PROTOBUF_C_TYPE_FLOAT:
        return real_to_json(*(const float *)p);
    case PROTOBUF_C_TYPE_DOUBLE:
        return real_to_json(*(const double *)p);
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)p);
    case PROTOBUF_C_TYPE_ENUM:
        return enum_to_json(f->descriptor, *(const int *)p);
    case PROTOBUF_C_TYPE_STRING:
        return string_to_json(*(char *const *)p);
    case PROTOBUF_C_TYPE_BYTES:
        return bytes_to_json(p);
    case PROTOBUF_C_TYPE_MESSAGE:
        return message_to_json(*(ProtobufCMessage *const *)p, depth + 1);
    }
    return NULL;
}

size_t stom_pb_element_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_ENUM:
        return sizeof(int);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    default:
        return 4; /* the 32-bit integers and float */
    }
}

static json_t *repeated_to_json(const ProtobufCFieldDescriptor *f, const char *base, int depth)
{
    size_t n;
    memcpy(&n, base + f->quantifier_offset, sizeof n);
    const char *items;
    memcpy(&items, base + f->offset, sizeof items);
    size_t size = stom_pb_element_size(f->type);
    json_t *array = json_array();
    for (size_t i = 0; array != NULL && i < n; i++) {
        if (json_array_append_new(array, value_to_json(f, items + i * size, depth)) != 0) {
            json_decref(array);
            array = NULL;
        }
    }
    return array;
}

/* Whether field f of the message at base would be packed (see the top). */
static bool field_present(const ProtobufCFieldDescriptor *f, const char *base)
{
    const char *value = base + f->offset;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n;
        memcpy(&n, base + f->quantifier_offset, sizeof n);
        return n > 0;
    }
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        uint32_t which;
        memcpy(&which, base + f->quantifier_offset, sizeof which);
        if (which != f->id)
            return false;
    } else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
               f->type != PROTOBUF_C_TYPE_MESSAGE) {
        protobuf_c_boolean has;
        memcpy(&has, base + f->quantifier_offset, sizeof has);
        return has != 0;
    }
    if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const void *ptr;
        memcpy(&ptr, value, sizeof ptr);
        /* A string equal to the default's pointer is how protobuf-c marks "unset". */
        return ptr != NULL && ptr != f->default_value;
    }
    return true;
}

static json_t *message_to_json(const ProtobufCMessage *m, int depth)
{
    if (m == NULL || depth > STOM_PB_JSON_DEPTH_MAX)
        return NULL;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    const char *base = (const char *)m;
    json_t *object = json_object();
    for (unsigned i = 0; object != NULL && i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (!field_present(f, base))
            continue;
        json_t *v = f->label == PROTOBUF_C_LABEL_REPEATED
                        ? repeated_to_json(f, base, depth)
                        : value_to_json(f, base + f->offset, depth);
        /* json_object_set_new refuses (and releases nothing for) a NULL value. */
        if (v == NULL || json_object_set_new(object, f->name, v) != 0) {
            json_decref(object);
            object = NULL;
        }
    }
    return object;
}

/* ---- public -------------------------------------------------------------- */

json_t *stom_pb_to_json(const ProtobufCMessage *m)
{
    return message_to_json(m, 1);
}

char *stom_pb_to_json_text(const ProtobufCMessage *m)
{
    const size_t flags = JSON_PRESERVE_ORDER | JSON_COMPACT;
    json_t *j = stom_pb_to_json(m);
    if (j == NULL)
        return NULL;
    /* Dumped into our own buffer so that the caller frees with free(),
     * whatever allocator jansson was given. */
    size_t n = json_dumpb(j, NULL, 0, flags);
    char *text = NULL;
    if (n > 0) {
        text = stom_xmalloc(n + 1);
        json_dumpb(j, text, n, flags);
        text[n] = '\0';
    }
    json_decref(j);
    return text;
}
