/*
 * gw_json_out.c - see gw_json_out.h. The formats follow jansson 2.14's
 * dump.c: integers with %lld, reals with %.17g plus ".0" when that reads
 * as an integer and the exponent without '+' or leading zeros, strings
 * with \" \\ \b \f \n \r \t, other control characters and (ASCII only)
 * every code point above U+007F as \uXXXX (upper-case hex, surrogate pairs
 * above U+FFFF). Objects keep jansson's insertion order.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_json_out.h"
#include "stom/alloc.h"

typedef struct out {
    char *p;
    size_t len, cap;
} out;

static void reserve(out *o, size_t more)
{
    if (o->len + more + 1 <= o->cap)
        return;
    while (o->len + more + 1 > o->cap)
        o->cap = o->cap ? o->cap * 2 : 256;
    o->p = stom_xrealloc(o->p, o->cap);
}

static void put(out *o, const char *s, size_t n)
{
    reserve(o, n);
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_char(out *o, char c)
{
    reserve(o, 1);
    o->p[o->len++] = c;
}

static void put_u16(out *o, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[6] = {'\\', 'u', hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
    put(o, e, sizeof e);
}

/* Decodes the UTF-8 sequence at s (jansson strings are valid UTF-8); returns its length. */
static size_t utf8_decode(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0xE0) {
        *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
          (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return 4;
}

static void put_string(out *o, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    put_char(o, '"');
    while (s < end) {
        const unsigned char *run = s;
        while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        put(o, (const char *)run, (size_t)(s - run));
        if (s == end)
            break;
        switch (*s) {
        case '"':
            put(o, "\\\"", 2);
            break;
        case '\\':
            put(o, "\\\\", 2);
            break;
        case '\b':
            put(o, "\\b", 2);
            break;
        case '\f':
            put(o, "\\f", 2);
            break;
        case '\n':
            put(o, "\\n", 2);
            break;
        case '\r':
            put(o, "\\r", 2);
            break;
        case '\t':
            put(o, "\\t", 2);
            break;
        default:
            if (*s < 0x80) {
                put_u16(o, *s);
            } else {
                unsigned cp;
                s += utf8_decode(s, &cp) - 1;
                if (cp < 0x10000) {
                    put_u16(o, cp);
                } else {
                    cp -= 0x10000;
                    put_u16(o, 0xD800 | (cp >> 10));
                    put_u16(o, 0xDC00 | (cp & 0x3FF));
                }
            }
        }
        s++;
    }
    put_char(o, '"');
}

static void put_real(out *o, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.17g", v);
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *digits;
        if (*start == '-')
            start++;
        digits = *start == '+' ? start + 1 : start;
        while (*digits == '0' && digits[1] != '\0')
            digits++;
        memmove(start, digits, strlen(digits) + 1);
        n = (int)strlen(buf);
    }
    put(o, buf, (size_t)n);
}

static bool put_value(out *o, const json_t *v, int depth)
{
    if (depth > GW_JSON_OUT_MAX_DEPTH)
        return false;
    char num[24];
    switch (json_typeof(v)) {
    case JSON_NULL:
        put(o, "null", 4);
        return true;
    case JSON_TRUE:
        put(o, "true", 4);
        return true;
    case JSON_FALSE:
        put(o, "false", 5);
        return true;
    case JSON_INTEGER:
        put(o, num,
            (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)));
        return true;
    case JSON_REAL:
        put_real(o, json_real_value(v));
        return true;
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        return true;
    case JSON_ARRAY:
        put_char(o, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                put_char(o, ',');
            if (!put_value(o, json_array_get(v, i), depth + 1))
                return false;
        }
        put_char(o, ']');
        return true;
    case JSON_OBJECT: {
        put_char(o, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                put_char(o, ',');
            first = false;
            put_string(o, json_object_iter_key(it), json_object_iter_key_len(it));
            put_char(o, ':');
            if (!put_value(o, json_object_iter_value(it), depth + 1))
                return false;
        }
        put_char(o, '}');
        return true;
    }
    }
    return false;
}

char *gw_json_out(const json_t *v, size_t *len)
{
    if (!v)
        return NULL;
    out o = {0};
    reserve(&o, 0);
    if (!put_value(&o, v, 0)) {
        free(o.p);
        return NULL;
    }
    o.p[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.p;
}
