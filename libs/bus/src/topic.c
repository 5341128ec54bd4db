/*
 * topic.c - topic validation and the topic builders.
 *
 * A topic is 1..STOM_BUS_TOPIC_MAX bytes of printable ASCII (0x21-0x7e) in
 * non-empty segments separated by '.': "md.ls.005930". The first segment is
 * the family (md, ord, eng, bt, rpc); the builders make sure no part smuggles in
 * a '.', a space, a control byte or the 0x00 that ends the topic on the
 * wire, so that prefix subscriptions mean what they say.
 */
#include <string.h>

#include "bus_internal.h"

size_t stom__bus_strlen_max(const char *s, size_t limit)
{
    size_t n = 0;
    while (n < limit && s[n] != '\0')
        n++;
    return n;
}

int stom__bus_name_check(const char *what, const char *s, size_t len, size_t max, bool allow_dot,
                         stom_errbuf *eb)
{
    if (s == NULL || len == 0)
        return stom_errorf(eb, STOM_EEMPTY, "%s is empty", what);
    if (len > max)
        return stom_errorf(eb, STOM_ETOOBIG, "%s is longer than %zu bytes", what, max);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x21 || c > 0x7e)
            return stom_errorf(eb, STOM_EFORMAT,
                               "%s byte %zu is 0x%02x: only printable ASCII without spaces is "
                               "allowed",
                               what, i, c);
        if (c == '.' && !allow_dot)
            return stom_errorf(eb, STOM_EFORMAT, "%s '%.*s' contains a '.'", what, (int)len, s);
    }
    return STOM_OK;
}

static bool has_empty_segment(const char *topic, size_t len)
{
    if (topic[0] == '.' || topic[len - 1] == '.')
        return true;
    for (size_t i = 1; i < len; i++) {
        if (topic[i] == '.' && topic[i - 1] == '.')
            return true;
    }
    return false;
}

int stom_bus_topic_check(const char *topic, size_t len, stom_errbuf *eb)
{
    int rc = stom__bus_name_check("topic", topic, len, STOM_BUS_TOPIC_MAX, true, eb);
    if (rc != STOM_OK)
        return rc;
    /* "md..x", ".md" or "md." would be a second spelling of some stream and
     * would make prefix subscriptions match what they should not. */
    if (has_empty_segment(topic, len))
        return stom_errorf(eb, STOM_EFORMAT, "topic '%.*s' has an empty segment", (int)len, topic);
    return STOM_OK;
}

/*
 * Joins family and the n parts with '.' into *out after checking each part.
 * *out changes only on success.
 */
static int topic_join(stom_bus_topic *out, const char *family, const char *const *names,
                      const char *const *parts, size_t n, stom_errbuf *eb)
{
    stom_bus_topic t;
    t.len = strlen(family);
    memcpy(t.str, family, t.len);
    for (size_t i = 0; i < n; i++) {
        size_t len = parts[i] ? stom__bus_strlen_max(parts[i], STOM_BUS_TOPIC_MAX + 1) : 0;
        int rc = stom__bus_name_check(names[i], parts[i], len, STOM_BUS_TOPIC_MAX, false, eb);
        if (rc != STOM_OK)
            return rc == STOM_ETOOBIG ? rc : STOM_EINVAL;
        if (t.len + 1 + len > STOM_BUS_TOPIC_MAX)
            return stom_errorf(eb, STOM_ETOOBIG, "the %s topic would exceed %d bytes", family,
                               STOM_BUS_TOPIC_MAX);
        t.str[t.len++] = '.';
        memcpy(t.str + t.len, parts[i], len);
        t.len += len;
    }
    t.str[t.len] = '\0';
    *out = t;
    return STOM_OK;
}

int stom_bus_topic_md(stom_bus_topic *out, const char *broker, const char *symbol, stom_errbuf *eb)
{
    const char *names[] = {"broker", "symbol"};
    const char *parts[] = {broker, symbol};
    return topic_join(out, "md", names, parts, 2, eb);
}

int stom_bus_topic_ord(stom_bus_topic *out, const char *broker, const char *account,
                       stom_errbuf *eb)
{
    const char *names[] = {"broker", "account"};
    const char *parts[] = {broker, account};
    return topic_join(out, "ord", names, parts, 2, eb);
}

int stom_bus_topic_eng(stom_bus_topic *out, const char *kind, stom_errbuf *eb)
{
    const char *names[] = {"engine event kind"};
    const char *parts[] = {kind};
    return topic_join(out, "eng", names, parts, 1, eb);
}

int stom_bus_topic_bt(stom_bus_topic *out, const char *job_id, stom_errbuf *eb)
{
    const char *names[] = {"job id"};
    const char *parts[] = {job_id};
    return topic_join(out, "bt", names, parts, 1, eb);
}

int stom_bus_topic_rpc(stom_bus_topic *out, const char *service, stom_errbuf *eb)
{
    const char *names[] = {"service"};
    const char *parts[] = {service};
    return topic_join(out, "rpc", names, parts, 1, eb);
}
