/*
 * trading_json.c - reading the gateway's trading rows (trading_cli.h).
 *
 * The rows come from PostgreSQL (journal columns) or from the engine's
 * protobuf replies turned into JSON (message field names), so a field is
 * looked up under the names it may have, first found wins. Integers stay
 * integers: a won amount is never read through a double unless the JSON
 * itself holds a real.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trading_cli.h"

const json_t *trading_rows(const json_t *answer, const char *key)
{
    if (json_is_array(answer))
        return answer;
    const json_t *rows = json_object_get(answer, key);
    if (json_is_array(rows))
        return rows;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)answer, k, v)
    {
        if (json_is_array(v))
            return v;
    }
    return NULL;
}

const json_t *trading_field(const json_t *row, const char *const *keys)
{
    for (size_t k = 0; keys[k]; k++) {
        const json_t *v = json_object_get(row, keys[k]);
        if (v && !json_is_null(v))
            return v;
    }
    return NULL;
}

const char *trading_text(const json_t *row, const char *const *keys, char *buf, size_t len,
                         const char *fallback)
{
    const json_t *v = trading_field(row, keys);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, len, "%" PRId64, (int64_t)json_integer_value(v));
        return buf;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return fallback;
}

bool trading_int(const json_t *row, const char *const *keys, int64_t *out)
{
    const json_t *v = trading_field(row, keys);
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
        fabs(json_real_value(v)) < 9e18) {
        *out = (int64_t)json_real_value(v);
        return true;
    }
    if (json_is_string(v) && *json_string_value(v)) {
        /* Large uint64 values arrive as decimal strings (stom/pb_json.h). */
        char *end = NULL;
        errno = 0;
        long long n = strtoll(json_string_value(v), &end, 10);
        if (errno == 0 && *end == '\0') {
            *out = n;
            return true;
        }
    }
    return false;
}
