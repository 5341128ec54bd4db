/*
 * stom/bus.h - the framing of every message on the stom bus.
 *
 * Every nng message is `topic bytes, 0x00, Envelope bytes`: the topic first
 * so that SUB sockets filter by byte prefix without decoding; the 0x00 so
 * that a subscriber can ask for one exact topic by subscribing to the topic
 * plus its separator ("md.ls.005930\0" does not match "md.ls.0059301").
 * The Envelope (proto/stom/v1/envelope.proto) carries a version, the
 * sender's name, the sender's sequence number, a UTC timestamp and exactly
 * one body.
 *
 * The codec is strict because protobuf-c is not: empty bytes or another
 * message's bytes unpack "successfully" into an empty Envelope. A message is
 * accepted only when the topic is well formed, the envelope's header is
 * complete (version, sender, seq >= 1, ts_ns) and its oneof names a body this
 * build knows. Sizes are bounded before use: the whole message by the
 * caller's max_len before anything is parsed, and the unpacked envelope by a
 * memory budget (STOM_BUS_UNPACK_FACTOR times the wire size plus
 * STOM_BUS_UNPACK_SLACK), because protobuf-c has no limit of its own.
 * Every refusal returns a negative STOM_E* value and, in the caller's
 * stom_errbuf, a sentence saying what was wrong.
 *
 * Also here: the topic builders (md.<broker>.<symbol>, ord.<broker>.<account>,
 * eng.<kind>, bt.<job>, and rpc.<service> for REQ/REP), a per-sender sequence counter that fills
 * the envelope header, and a gap detector for receivers. Sockets are not here: the codec works on
 * plain buffers and uses nothing outside C11 and protobuf-c, so it also builds for 32-bit Windows
 * (mingw-w64).
 *
 * Thread-safety: every function is reentrant. A stom_bus_sender and a
 * stom_bus_seq belong to one thread (the one that sends, or receives, on
 * the socket they describe); a decoded stom_bus_msg may be handed to another
 * thread, together with the buffer its topic points into.
 */
#ifndef STOM_BUS_H
#define STOM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"
#include "stom/v1/envelope.pb-c.h"

/* The Envelope version this build writes and the only one it reads. */
#define STOM_BUS_VERSION 1
/* Longest topic in bytes, without the 0x00 separator. */
#define STOM_BUS_TOPIC_MAX 128
/* Longest sender name in bytes. */
#define STOM_BUS_SENDER_MAX 64
/* A sensible max_len for stom_bus_decode (and NNG_OPT_RECVMAXSZ): 4 MiB. */
#define STOM_BUS_MSG_MAX_DEFAULT ((size_t)4 * 1024 * 1024)
/* An envelope may use at most FACTOR * wire bytes + SLACK bytes unpacked. */
#define STOM_BUS_UNPACK_FACTOR 32
#define STOM_BUS_UNPACK_SLACK  ((size_t)256 * 1024)

/* The kinds of eng.<kind> topics. */
#define STOM_BUS_ENG_ORDERS    "orders"
#define STOM_BUS_ENG_POSITIONS "positions"
#define STOM_BUS_ENG_STRATEGY  "strategy"
#define STOM_BUS_ENG_RISK      "risk"
#define STOM_BUS_ENG_SURGE     "surge"

/* Which body an Envelope carries (STOM__V1__ENVELOPE__BODY_TRADE ...). */
typedef Stom__V1__Envelope__BodyCase stom_bus_body;

/* ---- topics ----------------------------------------------------------- */

/* A built topic: len bytes in str, NUL-terminated for convenience. */
typedef struct stom_bus_topic {
    size_t len;
    char str[STOM_BUS_TOPIC_MAX + 1];
} stom_bus_topic;

/*
 * Checks the len bytes at topic (need not be NUL-terminated): 1 to
 * STOM_BUS_TOPIC_MAX bytes of printable ASCII (0x21-0x7e) in non-empty
 * dot-separated segments. Returns 0, STOM_EEMPTY, STOM_ETOOBIG or
 * STOM_EFORMAT. Borrows topic.
 */
int stom_bus_topic_check(const char *topic, size_t len, stom_errbuf *eb);

/*
 * Build "md.<broker>.<symbol>", "ord.<broker>.<account>", "eng.<kind>",
 * "bt.<job_id>" and "rpc.<service>" (the topic of REQ/REP messages, naming
 * the service addressed: "rpc.broker-ls", "rpc.engine") into *out. Each part is a NUL-terminated
 * string of printable ASCII without '.', and the topic must fit STOM_BUS_TOPIC_MAX. Return 0 or
 * STOM_EINVAL / STOM_ETOOBIG (eb names the bad part); *out is set only on success. Borrow their
 * arguments.
 */
int stom_bus_topic_md(stom_bus_topic *out, const char *broker, const char *symbol, stom_errbuf *eb);
int stom_bus_topic_ord(stom_bus_topic *out, const char *broker, const char *account,
                       stom_errbuf *eb);
int stom_bus_topic_eng(stom_bus_topic *out, const char *kind, stom_errbuf *eb);
int stom_bus_topic_bt(stom_bus_topic *out, const char *job_id, stom_errbuf *eb);
int stom_bus_topic_rpc(stom_bus_topic *out, const char *service, stom_errbuf *eb);

/* ---- building envelopes ----------------------------------------------- */

/* One sender's identity and sequence counter. A plain value; see
 * Thread-safety above for why it is not shared between threads. */
typedef struct stom_bus_sender {
    char name[STOM_BUS_SENDER_MAX + 1];
    uint64_t last_seq; /* 0 before the first message */
} stom_bus_sender;

/*
 * Makes *s a sender called name (printable ASCII, 1 to STOM_BUS_SENDER_MAX
 * bytes, e.g. "broker-ls" or "bt-worker-3") whose first seq will be 1.
 * Returns 0 or STOM_EINVAL. Borrows name (copied).
 */
int stom_bus_sender_init(stom_bus_sender *s, const char *name, stom_errbuf *eb);

/* Returns the sender's next sequence number: 1, 2, 3 ... */
uint64_t stom_bus_sender_next_seq(stom_bus_sender *s);

/*
 * Initialises *env as an Envelope from s with no body: version
 * STOM_BUS_VERSION, sender s->name, seq stom_bus_sender_next_seq(s) and
 * ts_ns (UTC nanoseconds, taken from the caller's clock). env keeps a
 * pointer to s->name: s must outlive env. Set the body next.
 */
void stom_bus_envelope_init(Stom__V1__Envelope *env, stom_bus_sender *s, int64_t ts_ns);

/*
 * Makes body (a stom.v1 message such as &trade.base) the body of env and
 * sets body_case to match, found from body's type. Returns 0, or
 * STOM_EINVAL when no body of that type exists (env is then unchanged).
 * env keeps body: body must outlive env's use, and stays the caller's.
 */
int stom_bus_envelope_set_body(Stom__V1__Envelope *env, ProtobufCMessage *body, stom_errbuf *eb);

/* Returns env's body, or NULL when none is set. Borrows env. */
const ProtobufCMessage *stom_bus_envelope_body(const Stom__V1__Envelope *env);

/* Returns the body's field name ("trade", "broker_reply"), "none" for
 * BODY__NOT_SET and "unknown" otherwise. Static storage. */
const char *stom_bus_body_name(stom_bus_body body);

/* ---- encoding --------------------------------------------------------- */

/*
 * The exact number of bytes stom_bus_encode_into writes for topic_len and
 * env. Borrows env.
 */
size_t stom_bus_encoded_size(size_t topic_len, const Stom__V1__Envelope *env);

/*
 * Writes topic, 0x00 and the packed env into buf (cap bytes) and sets
 * *out_len. Refuses (STOM_EINVAL, STOM_EFORMAT, STOM_ERANGE, STOM_EEMPTY)
 * an invalid topic or an envelope a receiver would refuse, and returns
 * STOM_ETOOBIG when cap is too small. Borrows topic, env and buf.
 */
int stom_bus_encode_into(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                         uint8_t *buf, size_t cap, size_t *out_len, stom_errbuf *eb);

/*
 * As stom_bus_encode_into, into a new buffer: on success *out is owned by
 * the caller (release with free()) and *out_len its size; on failure *out
 * is left untouched. Borrows topic and env.
 */
int stom_bus_encode(const char *topic, size_t topic_len, const Stom__V1__Envelope *env,
                    uint8_t **out, size_t *out_len, stom_errbuf *eb);

/* ---- decoding --------------------------------------------------------- */

/* A decoded message. topic points into the decoded buffer (not
 * NUL-terminated); env is owned by the message. */
typedef struct stom_bus_msg {
    const char *topic;
    size_t topic_len;
    Stom__V1__Envelope *env;
} stom_bus_msg;

/*
 * Decodes the len bytes at buf. max_len bounds len before anything is read
 * (0 means STOM_BUS_MSG_MAX_DEFAULT). On success fills *out: out->topic
 * borrows buf (keep buf alive while using it) and out->env is owned (release
 * with stom_bus_msg_free). On failure *out is zeroed and the return says why:
 *   STOM_EEMPTY   empty input, empty envelope, or an envelope without a body
 *   STOM_ETOOBIG  len > max_len, or the envelope unpacks beyond its budget
 *   STOM_EFORMAT  no 0x00 separator, empty or malformed topic, bytes that
 *                 are not a stom.v1.Envelope, incomplete header
 *   STOM_ETRUNC   the envelope ends inside a field
 *   STOM_ERANGE   a version this build does not read
 *   STOM_ETYPE    a body this build does not know (a newer sender)
 */
int stom_bus_decode(const uint8_t *buf, size_t len, size_t max_len, stom_bus_msg *out,
                    stom_errbuf *eb);

/*
 * Returns 0 when msg carries a body of kind want, otherwise STOM_ETYPE with
 * eb saying which body was expected and which came. Borrows msg.
 */
int stom_bus_expect(const stom_bus_msg *msg, stom_bus_body want, stom_errbuf *eb);

/* Releases msg's envelope and zeroes *msg. NULL or a zeroed msg is a no-op.
 * Does not touch the decoded buffer. */
void stom_bus_msg_free(stom_bus_msg *msg);

/* ---- sequence gaps ---------------------------------------------------- */

typedef enum stom_bus_seq_status {
    STOM_BUS_SEQ_OK = 0,    /* the expected next message, or the first one seen */
    STOM_BUS_SEQ_GAP,       /* *gap messages before this one were lost */
    STOM_BUS_SEQ_DUPLICATE, /* already seen or older than the last: drop it */
    STOM_BUS_SEQ_RESTART,   /* seq 1 after later numbers: the sender restarted */
    STOM_BUS_SEQ_INVALID    /* seq 0, which no sender sends */
} stom_bus_seq_status;

/* The receiving side of one sender's sequence. Zero-initialise it (or call
 * stom_bus_seq_init); keep one per sender name. */
typedef struct stom_bus_seq {
    bool started;
    uint64_t next;       /* the seq expected next */
    uint64_t received;   /* messages passed as OK, GAP or RESTART */
    uint64_t missing;    /* messages lost in gaps, summed */
    uint64_t duplicates; /* messages reported as DUPLICATE */
    uint64_t restarts;   /* RESTARTs seen */
    int64_t first_ts_ns; /* the envelope time of the last seq 1 (0: unknown) */
} stom_bus_seq;

/* Resets *t to "nothing seen yet". */
void stom_bus_seq_init(stom_bus_seq *t);

/*
 * Records seq and says how it relates to what came before. The first seq
 * seen is OK whatever its value (a late subscriber has not lost the
 * messages sent before it joined). *gap (may be NULL) is set to the number
 * of lost messages for GAP and to 0 otherwise.
 */
stom_bus_seq_status stom_bus_seq_check(stom_bus_seq *t, uint64_t seq, uint64_t *gap);
/*
 * The same with the envelope's ts_ns, which tells the one case the numbers
 * cannot: a seq 1 right after a seq 1 is a restart when its time differs (a
 * new incarnation's first message), a duplicate when it is the same (the
 * same bytes again). ts_ns 0: unknown, taken as a duplicate.
 */
stom_bus_seq_status stom_bus_seq_check_at(stom_bus_seq *t, uint64_t seq, int64_t ts_ns,
                                          uint64_t *gap);

#endif
