/*
 * stom/pb_json.h - any protobuf-c message as JSON, for people and browsers
 * (the gateway's REST and WebSocket answers, the CLI's --json output).
 *
 * The conversion walks the message's descriptors, so every stom.v1 message
 * (and any other protobuf-c message) converts without code of its own:
 * - fields in descriptor order (field number order), named as in the
 *   .proto file ("max_drawdown_pct");
 * - a field that is not set is left out: a proto2 has_ flag that is false, a
 *   NULL string or message, a oneof member other than the one chosen, an
 *   empty repeated field. Absent therefore means unset (or empty), and 0 is
 *   a real 0;
 * - repeated fields are arrays, messages objects;
 * - integers are JSON integers, except a uint64 above INT64_MAX, which is
 *   a decimal string (readers using doubles, as browsers do, lose precision
 *   above 2^53: nanosecond timestamps do not survive JSON.parse exactly);
 * - double and float are JSON reals, non-finite values (NaN, +-inf) null;
 * - bool is true/false, strings are strings (invalid UTF-8 replaced by
 *   U+FFFD), bytes are standard base64 with padding;
 * - an enum is its value's name ("JOB_STATE_DONE"), or its number when the
 *   value is not in the descriptor (a newer sender's value).
 * Equal messages give equal output.
 *
 * Thread-safety: every function is reentrant; a message may be converted
 * from several threads at once.
 */
#ifndef STOM_PB_JSON_H
#define STOM_PB_JSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/* Messages nested deeper than this do not convert (protobuf-c sets no depth limit). */
#define STOM_PB_JSON_DEPTH_MAX 64

/*
 * Returns m as a new JSON object (a new reference: json_decref it), or
 * NULL when m is NULL, nests deeper than STOM_PB_JSON_DEPTH_MAX or jansson
 * runs out of memory. Borrows m.
 */
json_t *stom_pb_to_json(const ProtobufCMessage *m);

/*
 * Returns m as compact JSON text (no spaces or newlines), owned by the
 * caller (release with free()), or NULL as stom_pb_to_json. Borrows m.
 */
char *stom_pb_to_json_text(const ProtobufCMessage *m);

/* The size in bytes of one element of a repeated field of type t, as protobuf-c lays it out. */
size_t stom_pb_element_size(ProtobufCType t);

#endif
