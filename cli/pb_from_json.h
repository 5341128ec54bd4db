/*
 * pb_from_json.h - the reverse of stom/pb_json.h for the gateway's answers:
 * a JSON object becomes a heap protobuf-c message, so that the report code
 * written for the coordinator's messages prints the gateway's JSON too.
 *
 * Fields are matched by their .proto names; unknown keys and values of the
 * wrong JSON type are skipped (the gateway may add fields). Enums are read
 * from their full name ("JOB_STATE_DONE"), the name's last part in any case
 * ("done"), or their number. Numbers may be integers, reals or (for 64-bit
 * integers) decimal strings; null for a double is NaN. Params given as an
 * object ({"fast": 5}) become repeated stom.v1.Param. Nesting is bounded by
 * STOM_PB_JSON_DEPTH_MAX.
 *
 * Thread-safety: reentrant.
 */
#ifndef STOM_CLI_PB_FROM_JSON_H
#define STOM_CLI_PB_FROM_JSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/*
 * A new message of descriptor d filled from j (a JSON object; anything
 * else gives an empty message). Returns owned: release with
 * protobuf_c_message_free_unpacked(m, NULL). Borrows d and j.
 */
ProtobufCMessage *pb_from_json(const ProtobufCMessageDescriptor *d, const json_t *j);

/* {"fast": 5, "k": 1.5} as a new JSON array of stom.v1.Param objects; an array is
 * returned as a new reference unchanged. Returns owned. */
json_t *pb_params_array(const json_t *params);

#endif
