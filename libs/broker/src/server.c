/*
 * server.c - the broker protocol server an adapter links: the serve loop,
 * request validation, idempotency and the dispatch to the adapter's
 * handlers. Publishing is in publish.c.
 *
 * One request at a time: _serve_once takes a request from libs/bus's REP
 * server, builds the reply on the stack and in the call's memory, sends it
 * and frees the call. Requests that arrive meanwhile wait in libs/bus's
 * contexts, which is also what makes a REQ resend harmless: the resend is
 * taken after the first answer was recorded, and is answered from the table.
 *
 * The request and reply kinds share field numbers (place = 16 -> placed =
 * 16, ...), so the request body and the reply slot are found from the
 * generated descriptors by that number; only the handler call is a switch,
 * because the handlers are typed.
 *
 * Invariants: the REP side (bus, reply_sender, dedupe) belongs to the serve
 * thread; the PUB side, stop and stats are guarded by mtx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"
#include "stom/alloc.h"

#define STOP_POLL_MS 100

/* ---- refusing ------------------------------------------------------------ */

/* Answers c with INVALID_ARGUMENT (or code) and counts the refusal. */
static void refuse(stom_broker_server *s, stom_broker_call *c, Stom__V1__ErrorCode code,
                   const char *what)
{
    stom_broker_call_fail(c, code, false, NULL, "%s", what);
    nng_mtx_lock(s->mtx);
    s->stats.refused++;
    nng_mtx_unlock(s->mtx);
}

/* Checks an id field: present, 1 to STOM_BROKER_ID_MAX printable ASCII bytes.
 * Writes the complaint into why (size n) and returns false when it is not. */
static bool id_ok(const char *kind, const char *field, const char *id, char *why, size_t n)
{
    if (id == NULL || id[0] == '\0') {
        snprintf(why, n, "%s.%s is missing", kind, field);
        return false;
    }
    size_t len = strlen(id);
    if (len > STOM_BROKER_ID_MAX) {
        snprintf(why, n, "%s.%s is %zu bytes, more than %d", kind, field, len, STOM_BROKER_ID_MAX);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e) {
            snprintf(why, n, "%s.%s has a byte that is not printable ASCII", kind, field);
            return false;
        }
    }
    return true;
}

/* The ids of a place, modify or cancel. */
typedef struct order_ids {
    const char *kind;
    const char *client_order_id;
    const char *account;
    const char *orig_client_order_id;
    const char *broker_order_no;
    bool names_order; /* modify and cancel must name the order they change */
} order_ids;

static bool order_ids_of(int kind, const ProtobufCMessage *body, order_ids *out)
{
    memset(out, 0, sizeof *out);
    if (kind == STOM__V1__BROKER_REQUEST__REQUEST_PLACE) {
        const Stom__V1__OrderRequest *r = (const Stom__V1__OrderRequest *)body;
        *out = (order_ids){"place", r->client_order_id, r->account, NULL, NULL, false};
    } else if (kind == STOM__V1__BROKER_REQUEST__REQUEST_MODIFY) {
        const Stom__V1__ModifyOrder *r = (const Stom__V1__ModifyOrder *)body;
        *out = (order_ids){"modify",           r->client_order_id,
                           r->account,         r->orig_client_order_id,
                           r->broker_order_no, true};
    } else if (kind == STOM__V1__BROKER_REQUEST__REQUEST_CANCEL) {
        const Stom__V1__CancelOrder *r = (const Stom__V1__CancelOrder *)body;
        *out = (order_ids){"cancel",           r->client_order_id,
                           r->account,         r->orig_client_order_id,
                           r->broker_order_no, true};
    } else {
        return false;
    }
    return true;
}

/* Validates ids; on failure writes why. */
static bool order_ids_valid(const order_ids *ids, char *why, size_t n)
{
    if (!id_ok(ids->kind, "client_order_id", ids->client_order_id, why, n))
        return false;
    if (ids->account != NULL && !id_ok(ids->kind, "account", ids->account, why, n))
        return false;
    if (ids->names_order && ids->orig_client_order_id == NULL && ids->broker_order_no == NULL) {
        snprintf(why, n, "%s names no order: set orig_client_order_id or broker_order_no",
                 ids->kind);
        return false;
    }
    return true;
}

/* ---- dispatch ------------------------------------------------------------ */

static int unimplemented(stom_broker_call *c, const char *kind)
{
    return stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_UNIMPLEMENTED, false, NULL,
                                 "this adapter does not offer %s", kind);
}

#define CALL(fn, name, in_t, out_t)                                                                \
    (h->fn != NULL ? h->fn(a, c, (const in_t *)in, (out_t *)out) : unimplemented(c, name))

/* Calls the handler for kind with the request body in and the reply body out. */
static int dispatch(stom_broker_server *s, stom_broker_call *c, int kind,
                    const ProtobufCMessage *in, ProtobufCMessage *out)
{
    const stom_broker_handlers *h = &s->handlers;
    void *a = s->adapter;
    switch (kind) {
    case STOM__V1__BROKER_REQUEST__REQUEST_PLACE:
        return CALL(place, "place", Stom__V1__OrderRequest, Stom__V1__OrderAck);
    case STOM__V1__BROKER_REQUEST__REQUEST_MODIFY:
        return CALL(modify, "modify", Stom__V1__ModifyOrder, Stom__V1__OrderAck);
    case STOM__V1__BROKER_REQUEST__REQUEST_CANCEL:
        return CALL(cancel, "cancel", Stom__V1__CancelOrder, Stom__V1__OrderAck);
    case STOM__V1__BROKER_REQUEST__REQUEST_QUOTE:
        return CALL(quote, "quote", Stom__V1__QuoteRequest, Stom__V1__QuoteReply);
    case STOM__V1__BROKER_REQUEST__REQUEST_BARS:
        return CALL(bars, "bars", Stom__V1__BarsRequest, Stom__V1__BarsReply);
    case STOM__V1__BROKER_REQUEST__REQUEST_ACCOUNT:
        return CALL(account, "account", Stom__V1__AccountRequest, Stom__V1__Account);
    case STOM__V1__BROKER_REQUEST__REQUEST_POSITIONS:
        return CALL(positions, "positions", Stom__V1__PositionsRequest, Stom__V1__Positions);
    case STOM__V1__BROKER_REQUEST__REQUEST_OPEN_ORDERS:
        return CALL(open_orders, "open_orders", Stom__V1__OpenOrdersRequest, Stom__V1__OpenOrders);
    case STOM__V1__BROKER_REQUEST__REQUEST_FILLS:
        return CALL(fills, "fills", Stom__V1__FillsRequest, Stom__V1__Fills);
    case STOM__V1__BROKER_REQUEST__REQUEST_SUBSCRIBE:
        return CALL(subscribe, "subscribe", Stom__V1__Subscribe, Stom__V1__SubscribeReply);
    case STOM__V1__BROKER_REQUEST__REQUEST_UNSUBSCRIBE:
        return CALL(unsubscribe, "unsubscribe", Stom__V1__Subscribe, Stom__V1__SubscribeReply);
    default:
        return unimplemented(c, "this request kind");
    }
}

#undef CALL

/* Makes a fresh reply body for kind in the call's memory and sets it as the
 * reply's oneof; returns it, or NULL when the reply has no such field. */
static ProtobufCMessage *reply_body_new(stom_broker_call *c, Stom__V1__BrokerReply *reply, int kind)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &stom__v1__broker_reply__descriptor, (unsigned)kind);
    if (f == NULL) /* a request kind without a reply of the same number */
        return NULL;
    const ProtobufCMessageDescriptor *d = f->descriptor;
    ProtobufCMessage *body = stom_broker_call_alloc(c, d->sizeof_message);
    protobuf_c_message_init(d, body);
    *(ProtobufCMessage **)((char *)reply + f->offset) = body;
    reply->reply_case = (Stom__V1__BrokerReply__ReplyCase)kind;
    return body;
}

/* The request body of kind, from the generated descriptor. */
static const ProtobufCMessage *request_body(const Stom__V1__BrokerRequest *req, int kind)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &stom__v1__broker_request__descriptor, (unsigned)kind);
    return *(ProtobufCMessage *const *)((const char *)req + f->offset);
}

/* Runs the handler and turns its outcome into the reply. */
static void run_handler(stom_broker_server *s, stom_broker_call *c, Stom__V1__BrokerReply *reply,
                        int kind, const ProtobufCMessage *in)
{
    ProtobufCMessage *out = reply_body_new(c, reply, kind);
    int rc = out != NULL ? dispatch(s, c, kind, in, out) : unimplemented(c, "this request kind");
    nng_mtx_lock(s->mtx);
    s->stats.handled++;
    nng_mtx_unlock(s->mtx);
    if (rc != 0 && !c->failed)
        stom_broker_call_fail(c, STOM__V1__ERROR_CODE__ERROR_CODE_INTERNAL, false, NULL,
                              "the adapter's handler failed (%s)", stom_strerror(rc));
    if (c->failed) { /* remember() packs the reply as the client will see it */
        reply->reply_case = STOM__V1__BROKER_REPLY__REPLY__NOT_SET;
        reply->error = &c->error;
    }
}

/* ---- idempotency --------------------------------------------------------- */

/* The table key: account, 0x1f, client_order_id. */
static size_t dedupe_key(const order_ids *ids, char *key, size_t cap)
{
    int n = snprintf(key, cap, "%s\x1f%s", ids->account ? ids->account : "", ids->client_order_id);
    return (size_t)n;
}

static uint64_t body_hash(stom_broker_call *c, const ProtobufCMessage *in)
{
    size_t n = protobuf_c_message_get_packed_size(in);
    uint8_t *buf = stom_broker_call_alloc(c, n);
    protobuf_c_message_pack(in, buf);
    return stom__broker_hash(buf, n);
}

/* Remembers reply under key unless its error says a retry may succeed. */
static void remember(stom_broker_server *s, const char *key, size_t key_len, int kind,
                     uint64_t hash, const Stom__V1__BrokerReply *reply)
{
    if (reply->error != NULL && reply->error->has_retryable && reply->error->retryable)
        return;
    size_t n = protobuf_c_message_get_packed_size(&reply->base);
    uint8_t *buf = stom_xmalloc(n > 0 ? n : 1);
    protobuf_c_message_pack(&reply->base, buf);
    stom__broker_dedupe_put(s->dedupe, key, key_len, kind, hash, stom__broker_now_ns(), buf, n);
    free(buf);
    nng_mtx_lock(s->mtx);
    s->stats.dedupe_entries = stom__broker_dedupe_count(s->dedupe);
    nng_mtx_unlock(s->mtx);
}

/*
 * A place, modify or cancel: validated, answered from the table when it was
 * seen, else handled and remembered. *replayed is set to an unpacked
 * remembered reply (owned by the caller) when there was one.
 */
static void handle_order(stom_broker_server *s, stom_broker_call *c, Stom__V1__BrokerReply *reply,
                         int kind, const ProtobufCMessage *in, Stom__V1__BrokerReply **replayed)
{
    order_ids ids;
    char why[256];
    order_ids_of(kind, in, &ids);
    if (!order_ids_valid(&ids, why, sizeof why)) {
        refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, why);
        return;
    }
    char key[2 * STOM_BROKER_ID_MAX + 2];
    size_t key_len = dedupe_key(&ids, key, sizeof key);
    uint64_t hash = body_hash(c, in);
    const uint8_t *stored = NULL;
    size_t stored_len = 0;
    switch (stom__broker_dedupe_get(s->dedupe, key, key_len, kind, hash, stom__broker_now_ns(),
                                    &stored, &stored_len)) {
    case STOM__BROKER_DEDUPE_REPLAY:
        *replayed = stom__v1__broker_reply__unpack(NULL, stored_len, stored);
        if (*replayed == NULL) {
            refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_INTERNAL,
                   "a remembered reply is unreadable");
            return;
        }
        nng_mtx_lock(s->mtx);
        s->stats.replayed++;
        nng_mtx_unlock(s->mtx);
        return;
    case STOM__BROKER_DEDUPE_CONFLICT:
        snprintf(why, sizeof why, "client_order_id %s was already used for another request",
                 ids.client_order_id);
        refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_ALREADY_EXISTS, why);
        return;
    default:
        break;
    }
    run_handler(s, c, reply, kind, in);
    remember(s, key, key_len, kind, hash, reply);
}

/* ---- one request --------------------------------------------------------- */

/* Fills reply (or *replayed) for the decoded request m. */
static void handle(stom_broker_server *s, stom_broker_call *c, const stom_bus_msg *m,
                   Stom__V1__BrokerReply *reply, Stom__V1__BrokerReply **replayed)
{
    char why[256];
    if (m->env->body_case != STOM__V1__ENVELOPE__BODY_BROKER_REQUEST) {
        snprintf(why, sizeof why, "expected a broker_request, got %s",
                 stom_bus_body_name(m->env->body_case));
        refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT, why);
        return;
    }
    const Stom__V1__BrokerRequest *req = m->env->broker_request;
    int kind = (int)req->request_case;
    if (kind == STOM__V1__BROKER_REQUEST__REQUEST__NOT_SET) {
        /* A kind from a newer protocol unpacks as an unknown field. */
        if (req->base.n_unknown_fields > 0)
            refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_UNIMPLEMENTED,
                   "unknown request kind (field number not in this protocol version)");
        else
            refuse(s, c, STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT,
                   "broker_request sets no request kind");
        return;
    }
    const ProtobufCMessage *in = request_body(req, kind);
    if (kind == STOM__V1__BROKER_REQUEST__REQUEST_PLACE ||
        kind == STOM__V1__BROKER_REQUEST__REQUEST_MODIFY ||
        kind == STOM__V1__BROKER_REQUEST__REQUEST_CANCEL)
        handle_order(s, c, reply, kind, in, replayed);
    else
        run_handler(s, c, reply, kind, in);
}

/* Sends reply to p: an envelope from the reply sender, reply_to the request's seq. */
static void send_reply(stom_broker_server *s, stom_bus_pending *p, const stom_bus_msg *m,
                       Stom__V1__BrokerReply *reply)
{
    reply->has_request_id = 0; /* a replayed reply carries the first request's */
    if (m->env->body_case == STOM__V1__ENVELOPE__BODY_BROKER_REQUEST &&
        m->env->broker_request->has_request_id) {
        reply->has_request_id = 1;
        reply->request_id = m->env->broker_request->request_id;
    }
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &s->reply_sender, stom__broker_now_ns());
    env.has_reply_to = 1;
    env.reply_to = m->env->seq;
    env.body_case = STOM__V1__ENVELOPE__BODY_BROKER_REPLY;
    env.broker_reply = reply;
    /* An encode failure drops p: the client times out, and libs/bus counts it. */
    stom_bus_server_reply(s->bus, p, s->rpc_topic.str, &env, NULL);
}

int stom_broker_server_serve_once(stom_broker_server *s, int timeout_ms)
{
    stom_bus_pending *p = NULL;
    int rc = stom_bus_server_next(s->bus, timeout_ms, &p);
    if (rc != STOM_OK)
        return rc;
    const stom_bus_msg *m = stom_bus_pending_msg(p);
    nng_mtx_lock(s->mtx);
    s->stats.requests++;
    nng_mtx_unlock(s->mtx);
    stom_broker_call c;
    stom__broker_call_init(&c, m->env->sender);
    Stom__V1__BrokerReply reply = STOM__V1__BROKER_REPLY__INIT;
    Stom__V1__BrokerReply *replayed = NULL;
    handle(s, &c, m, &reply, &replayed);
    if (c.failed) {
        reply.reply_case = STOM__V1__BROKER_REPLY__REPLY__NOT_SET;
        reply.error = &c.error;
    }
    send_reply(s, p, m, replayed != NULL ? replayed : &reply);
    stom__v1__broker_reply__free_unpacked(replayed, NULL);
    stom__broker_call_release(&c);
    return STOM_OK;
}

int stom_broker_server_run(stom_broker_server *s)
{
    for (;;) {
        nng_mtx_lock(s->mtx);
        bool stop = s->stop;
        nng_mtx_unlock(s->mtx);
        if (stop)
            return STOM_OK;
        stom_broker_server_serve_once(s, STOP_POLL_MS);
    }
}

void stom_broker_server_stop(stom_broker_server *s)
{
    nng_mtx_lock(s->mtx);
    s->stop = true;
    nng_mtx_unlock(s->mtx);
}

/* The pipes (connected peers) of socket s, from nng's statistics; 0 when they cannot be read. */
static uint64_t pipes_of(nng_socket s)
{
    nng_stat *all = NULL;
    if (nng_stats_get(&all) != 0)
        return 0;
    uint64_t n = 0;
    for (nng_stat *st = nng_stat_child(all); st; st = nng_stat_next(st)) {
        nng_stat *id = nng_stat_find(st, "id");
        nng_stat *pipes = nng_stat_find(st, "pipes");
        if (id && pipes && nng_stat_value(id) == (uint64_t)nng_socket_id(s))
            n = nng_stat_value(pipes);
    }
    nng_stats_free(all);
    return n;
}

void stom_broker_server_get_stats(stom_broker_server *s, stom_broker_server_stats *out)
{
    stom_bus_server_stats bus;
    stom_bus_server_get_stats(s->bus, &bus);
    nng_mtx_lock(s->mtx);
    *out = s->stats;
    nng_mtx_unlock(s->mtx);
    out->malformed = bus.malformed;
    out->subscribers = s->has_pub ? pipes_of(s->pub) : 0;
}
