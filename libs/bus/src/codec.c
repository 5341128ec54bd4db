/*
 * codec.c - encode and decode `topic, 0x00, Envelope`.
 *
 * Decoding checks cheapest first and never lets input size memory before
 * it is bounded: the length against max_len, then the topic (found within
 * its first STOM_BUS_TOPIC_MAX + 1 bytes, so a separator-less megabyte is
 * not scanned), then a top-level walk of the envelope's wire bytes (which
 * tells truncation from garbage), then protobuf-c's unpack under a memory
 * budget, then the envelope rules shared with the encoder. Unpacking is the
 * only step that allocates; a refused message leaves nothing behind.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bus_internal.h"
#include "stom/alloc.h"

/* ---- encoding --------------------------------------------------------- */

size_t stom_bus_encoded_size(size_t topic_len, const Stom__V1__Envelope *env)
{
    return topic_len + 1 + stom__v1__envelope__get_packed_size(env);
}

static int encode_check(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                        stom_errbuf *eb)
{
    int rc = stom_bus_topic_check(topic, topic_len, eb);
    if (rc != STOM_OK)
        return rc;
    if (env == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no envelope given");
    return stom__bus_envelope_check(env, eb);
}

/* Writes the frame into buf, which holds at least topic_len + 1 + env_size. */
static void frame_write(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                        uint8_t *buf)
{
    memcpy(buf, topic, topic_len);
    buf[topic_len] = 0x00;
    stom__v1__envelope__pack(env, buf + topic_len + 1);
}

int stom_bus_encode_into(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                         uint8_t *buf, size_t cap, size_t *out_len, stom_errbuf *eb)
{
    int rc = encode_check(topic, topic_len, env, eb);
    if (rc != STOM_OK)
        return rc;
    size_t need = stom_bus_encoded_size(topic_len, env);
    if (buf == NULL || need > cap)
        return stom_errorf(eb, STOM_ETOOBIG, "message needs %zu bytes, the buffer holds %zu", need,
                           buf ? cap : 0);
    frame_write(topic, topic_len, env, buf);
    *out_len = need;
    return STOM_OK;
}

int stom_bus_encode(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                    uint8_t **out, size_t *out_len, stom_errbuf *eb)
{
    int rc = encode_check(topic, topic_len, env, eb);
    if (rc != STOM_OK)
        return rc;
    size_t need = stom_bus_encoded_size(topic_len, env);
    uint8_t *buf = stom_xmalloc(need);
    frame_write(topic, topic_len, env, buf);
    *out = buf;
    *out_len = need;
    return STOM_OK;
}

/* ---- decoding --------------------------------------------------------- */

/* protobuf-c allocates through this while unpacking one envelope: it
 * refuses (and protobuf-c then fails cleanly) once the budget is spent. */
typedef struct unpack_budget {
    size_t left;
    bool exceeded;
} unpack_budget;

static void *budget_alloc(void *data, size_t size)
{
    unpack_budget *b = data;
    if (size > b->left) {
        b->exceeded = true;
        return NULL;
    }
    b->left -= size;
    return stom_xmalloc(size);
}

static void budget_free(void *data, void *p)
{
    (void)data;
    free(p);
}

static void *plain_alloc(void *data, size_t size)
{
    (void)data;
    return stom_xmalloc(size);
}

/* Releases what budget_alloc gave out. Passing our own free (instead of
 * protobuf-c's default) keeps malloc and free in one C runtime even where
 * libprotobuf-c is a DLL with another one (mingw). protobuf-c only reads it. */
static ProtobufCAllocator release_allocator = {plain_alloc, budget_free, NULL};

/* Finds the topic at the start of buf; sets *topic_len. */
static int split_topic(const uint8_t *buf, size_t len, size_t *topic_len, stom_errbuf *eb)
{
    size_t window = len < STOM_BUS_TOPIC_MAX + 1 ? len : STOM_BUS_TOPIC_MAX + 1;
    const uint8_t *sep = memchr(buf, 0x00, window);
    if (sep == NULL && len > STOM_BUS_TOPIC_MAX)
        return stom_errorf(eb, STOM_EFORMAT,
                           "no 0x00 separator in the first %d bytes: the topic is missing its "
                           "separator or longer than %d bytes",
                           STOM_BUS_TOPIC_MAX + 1, STOM_BUS_TOPIC_MAX);
    if (sep == NULL)
        return stom_errorf(eb, STOM_EFORMAT,
                           "no 0x00 separator between topic and envelope (%zu bytes without one)",
                           len);
    *topic_len = (size_t)(sep - buf);
    if (*topic_len == 0)
        return stom_errorf(eb, STOM_EFORMAT, "empty topic: the message starts with the separator");
    return stom_bus_topic_check((const char *)buf, *topic_len, eb);
}

/* The unpacked-memory budget for len wire bytes, saturating instead of
 * wrapping (a 32-bit size_t overflows at a 128 MiB max_len). */
static size_t budget_for(size_t len)
{
    if (len > (SIZE_MAX - STOM_BUS_UNPACK_SLACK) / STOM_BUS_UNPACK_FACTOR)
        return SIZE_MAX;
    return STOM_BUS_UNPACK_FACTOR * len + STOM_BUS_UNPACK_SLACK;
}

/* Unpacks the envelope bytes under the memory budget into *out. */
static int unpack_envelope(const uint8_t *p, size_t len, Stom__V1__Envelope **out, stom_errbuf *eb)
{
    int rc = stom__bus_wire_scan(p, len, eb);
    if (rc != STOM_OK)
        return rc;
    unpack_budget budget = {budget_for(len), false};
    ProtobufCAllocator alloc = {budget_alloc, budget_free, &budget};
    Stom__V1__Envelope *env = stom__v1__envelope__unpack(&alloc, len, p);
    if (env == NULL && budget.exceeded)
        return stom_errorf(eb, STOM_ETOOBIG,
                           "envelope of %zu bytes needs more than %zu bytes of memory unpacked",
                           len, budget_for(len));
    if (env == NULL)
        return stom_errorf(eb, STOM_EFORMAT,
                           "envelope of %zu bytes is not a stom.v1.Envelope (a field has the "
                           "wrong wire type or a nested message is malformed)",
                           len);
    *out = env;
    return STOM_OK;
}

int stom_bus_decode(const uint8_t *buf, size_t len, size_t max_len, stom_bus_msg *out,
                    stom_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    if (max_len == 0)
        max_len = STOM_BUS_MSG_MAX_DEFAULT;
    if (len == 0)
        return stom_errorf(eb, STOM_EEMPTY, "empty message (0 bytes)");
    if (buf == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no buffer given for %zu bytes", len);
    if (len > max_len)
        return stom_errorf(eb, STOM_ETOOBIG, "message of %zu bytes exceeds the limit of %zu bytes",
                           len, max_len);
    size_t topic_len = 0;
    int rc = split_topic(buf, len, &topic_len, eb);
    if (rc != STOM_OK)
        return rc;
    size_t env_len = len - topic_len - 1;
    if (env_len == 0)
        return stom_errorf(eb, STOM_EEMPTY, "topic '%.*s' is followed by an empty envelope",
                           (int)topic_len, (const char *)buf);
    Stom__V1__Envelope *env = NULL;
    rc = unpack_envelope(buf + topic_len + 1, env_len, &env, eb);
    if (rc == STOM_OK)
        rc = stom__bus_envelope_check(env, eb);
    if (rc != STOM_OK) {
        stom__v1__envelope__free_unpacked(env, &release_allocator);
        return rc;
    }
    out->topic = (const char *)buf;
    out->topic_len = topic_len;
    out->env = env;
    return STOM_OK;
}

int stom_bus_expect(const stom_bus_msg *msg, stom_bus_body want, stom_errbuf *eb)
{
    if (msg == NULL || msg->env == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no decoded message given");
    if (msg->env->body_case == want)
        return STOM_OK;
    return stom_errorf(eb, STOM_ETYPE, "expected a %s body, got %s (from '%s' seq %" PRIu64 ")",
                       stom_bus_body_name(want), stom_bus_body_name(msg->env->body_case),
                       msg->env->sender, msg->env->seq);
}

void stom_bus_msg_free(stom_bus_msg *msg)
{
    if (msg == NULL)
        return;
    if (msg->env != NULL)
        stom__v1__envelope__free_unpacked(msg->env, &release_allocator);
    memset(msg, 0, sizeof *msg);
}
