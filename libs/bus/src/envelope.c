/*
 * envelope.c - building envelopes and the rules every envelope must meet.
 *
 * The header rules live in one function, stom__bus_envelope_check, used by
 * the encoder (a sender learns at once that its message would be refused)
 * and by the decoder (a receiver refuses what a foreign or broken sender
 * wrote). Bodies are found through protobuf-c's descriptors rather than a
 * switch over every body type, so adding a body to envelope.proto needs no
 * change here: the oneof's members share one union, hence one offset, and
 * each member's descriptor names its message type.
 */
#include <inttypes.h>
#include <string.h>

#include "bus_internal.h"

int stom_bus_sender_init(stom_bus_sender *s, const char *name, stom_errbuf *eb)
{
    size_t len = name ? stom__bus_strlen_max(name, STOM_BUS_SENDER_MAX + 1) : 0;
    int rc = stom__bus_name_check("sender", name, len, STOM_BUS_SENDER_MAX, true, eb);
    if (rc != STOM_OK)
        return STOM_EINVAL;
    memcpy(s->name, name, len);
    s->name[len] = '\0';
    s->last_seq = 0;
    return STOM_OK;
}

uint64_t stom_bus_sender_next_seq(stom_bus_sender *s)
{
    return ++s->last_seq;
}

void stom_bus_envelope_init(Stom__V1__Envelope *env, stom_bus_sender *s, int64_t ts_ns)
{
    stom__v1__envelope__init(env);
    env->has_version = 1;
    env->version = STOM_BUS_VERSION;
    env->sender = s->name;
    env->has_seq = 1;
    env->seq = stom_bus_sender_next_seq(s);
    env->has_ts_ns = 1;
    env->ts_ns = ts_ns;
}

const ProtobufCFieldDescriptor *stom__bus_body_field(stom_bus_body body)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&stom__v1__envelope__descriptor, (unsigned)body);
    if (f == NULL || (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0)
        return NULL;
    return f;
}

/* The body pointer lives in the oneof's union at f->offset; memcpy reads
 * and writes it without type-punning through a ProtobufCMessage **. */
static ProtobufCMessage *body_get(const Stom__V1__Envelope *env, const ProtobufCFieldDescriptor *f)
{
    ProtobufCMessage *body;
    memcpy(&body, (const char *)env + f->offset, sizeof body);
    return body;
}

static void body_put(Stom__V1__Envelope *env, const ProtobufCFieldDescriptor *f,
                     ProtobufCMessage *body)
{
    memcpy((char *)env + f->offset, &body, sizeof body);
}

int stom_bus_envelope_set_body(Stom__V1__Envelope *env, ProtobufCMessage *body, stom_errbuf *eb)
{
    if (body == NULL)
        return stom_errorf(eb, STOM_EINVAL, "no body given");
    const ProtobufCMessageDescriptor *d = &stom__v1__envelope__descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && f->descriptor == body->descriptor) {
            body_put(env, f, body);
            env->body_case = (stom_bus_body)f->id;
            return STOM_OK;
        }
    }
    return stom_errorf(eb, STOM_EINVAL, "a %s cannot be an envelope body", body->descriptor->name);
}

const ProtobufCMessage *stom_bus_envelope_body(const Stom__V1__Envelope *env)
{
    const ProtobufCFieldDescriptor *f = stom__bus_body_field(env->body_case);
    if (f == NULL)
        return NULL;
    return body_get(env, f);
}

const char *stom_bus_body_name(stom_bus_body body)
{
    if (body == STOM__V1__ENVELOPE__BODY__NOT_SET)
        return "none";
    const ProtobufCFieldDescriptor *f = stom__bus_body_field(body);
    return f ? f->name : "unknown";
}

static int header_check(const Stom__V1__Envelope *env, stom_errbuf *eb)
{
    if (!env->has_version)
        return stom_errorf(eb, STOM_EFORMAT, "envelope has no version");
    if (env->version != STOM_BUS_VERSION)
        return stom_errorf(eb, STOM_ERANGE,
                           "envelope version %" PRIu32 " is not supported (this build reads %d)",
                           env->version, STOM_BUS_VERSION);
    size_t len = env->sender ? stom__bus_strlen_max(env->sender, STOM_BUS_SENDER_MAX + 1) : 0;
    int rc =
        stom__bus_name_check("envelope sender", env->sender, len, STOM_BUS_SENDER_MAX, true, eb);
    if (rc != STOM_OK)
        return STOM_EFORMAT;
    if (!env->has_seq || env->seq == 0)
        return stom_errorf(eb, STOM_EFORMAT, "envelope from '%s' has no seq (sequences start at 1)",
                           env->sender);
    if (!env->has_ts_ns)
        return stom_errorf(eb, STOM_EFORMAT, "envelope from '%s' seq %" PRIu64 " has no ts_ns",
                           env->sender, env->seq);
    return STOM_OK;
}

/* Names an unknown body: the first unknown field's number, which a newer
 * sender's body (or a foreign message's field) would have. */
static int unknown_body(const Stom__V1__Envelope *env, stom_errbuf *eb)
{
    return stom_errorf(eb, STOM_ETYPE,
                       "envelope from '%s' seq %" PRIu64
                       " carries a body this build does not know (field %" PRIu32 ")",
                       env->sender, env->seq, env->base.unknown_fields[0].tag);
}

int stom__bus_envelope_check(const Stom__V1__Envelope *env, stom_errbuf *eb)
{
    int rc = header_check(env, eb);
    if (rc != STOM_OK)
        return rc;
    if (env->body_case == STOM__V1__ENVELOPE__BODY__NOT_SET) {
        if (env->base.n_unknown_fields > 0)
            return unknown_body(env, eb);
        return stom_errorf(eb, STOM_EEMPTY, "envelope from '%s' seq %" PRIu64 " has no body",
                           env->sender, env->seq);
    }
    const ProtobufCFieldDescriptor *f = stom__bus_body_field(env->body_case);
    if (f == NULL)
        return stom_errorf(eb, STOM_EINVAL, "envelope body_case %d is not a body",
                           (int)env->body_case);
    const ProtobufCMessage *body = body_get(env, f);
    if (body == NULL)
        return stom_errorf(eb, STOM_EINVAL, "envelope body_case says %s but the body is NULL",
                           f->name);
    if (body->descriptor != f->descriptor)
        return stom_errorf(eb, STOM_EINVAL, "envelope body_case says %s but the body is a %s",
                           f->name, body->descriptor->name);
    return STOM_OK;
}
