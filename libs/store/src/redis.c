/*
 * redis.c - the Redis helpers of stom/store_redis.h over hiredis 0.14.
 *
 * hiredis reports an I/O failure by returning no reply and leaving the
 * context dead until redisReconnect; a Redis error ("WRONGTYPE ...") is an
 * ordinary reply. Every command here therefore retries once on a fresh
 * connection after an I/O failure (the commands are idempotent: PING, SET,
 * GET, DEL, TTL; INCR is not, and stom_redis_incr_expire says so), and
 * turns error replies into STOM_EIO with Redis's text.
 */
#include "stom/store_redis.h"

#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

#define TIMEOUT_SECONDS 2
#define DEFAULT_PORT    6379

struct stom_redis {
    redisContext *ctx;
    char host[256];
    int port;
};

/* "redis://HOST[:PORT][/]": no user, password, database or TLS (hiredis 0.14). */
static int parse_url(const char *url, stom_redis *r, stom_errbuf *eb)
{
    static const char scheme[] = "redis://";
    const char *p = url + (strncmp(url, scheme, sizeof scheme - 1) == 0 ? sizeof scheme - 1 : 0);
    size_t host_len = strcspn(p, ":/@");
    long port = DEFAULT_PORT;
    const char *rest = p + host_len;
    if (*rest == ':') {
        char *end;
        port = strtol(rest + 1, &end, 10);
        rest = end == rest + 1 ? "?" : end;
    }
    bool ok = p != url && host_len > 0 && host_len < sizeof r->host && port > 0 && port < 65536 &&
              (strcmp(rest, "") == 0 || strcmp(rest, "/") == 0);
    if (!ok)
        return stom_errorf(eb, STOM_EINVAL, "Redis URL '%s' is not redis://HOST[:PORT]", url);
    memcpy(r->host, p, host_len);
    r->host[host_len] = '\0';
    r->port = (int)port;
    return STOM_OK;
}

static int connect_ctx(stom_redis *r, stom_errbuf *eb)
{
    struct timeval tv = {TIMEOUT_SECONDS, 0};
    redisContext *ctx = redisConnectWithTimeout(r->host, r->port, tv);
    if (ctx == NULL)
        return stom_errorf(eb, STOM_ENOMEM, "out of memory connecting to Redis");
    if (ctx->err != 0 || redisSetTimeout(ctx, tv) != REDIS_OK) {
        stom_errorf(eb, STOM_EIO, "cannot connect to Redis at %s:%d: %s", r->host, r->port,
                    ctx->errstr[0] ? ctx->errstr : "cannot set the timeout");
        redisFree(ctx);
        return STOM_EIO;
    }
    redisFree(r->ctx);
    r->ctx = ctx;
    return STOM_OK;
}

int stom_redis_connect(stom_redis **out, const char *url, stom_errbuf *eb)
{
    if (url == NULL) {
        const char *env = getenv("STOM_REDIS_URL");
        url = env != NULL && env[0] != '\0' ? env : STOM_REDIS_URL_DEFAULT;
    }
    stom_redis *r = stom_xcalloc(1, sizeof *r);
    int rc = parse_url(url, r, eb);
    if (rc == STOM_OK)
        rc = connect_ctx(r, eb);
    if (rc != STOM_OK) {
        free(r);
        return rc;
    }
    *out = r;
    return STOM_OK;
}

void stom_redis_close(stom_redis *r)
{
    if (r == NULL)
        return;
    redisFree(r->ctx);
    free(r);
}

/*
 * Runs one command; after an I/O failure reconnects and runs it once more.
 * Returns the reply (owned, freeReplyObject) or NULL with eb set; an error
 * reply is freed and reported as NULL too.
 */
static redisReply *command(stom_redis *r, stom_errbuf *eb, const char *fmt, ...)
{
    redisReply *reply = NULL;
    for (int attempt = 0; attempt < 2 && reply == NULL; attempt++) {
        if (attempt > 0 && connect_ctx(r, eb) != STOM_OK)
            return NULL;
        va_list ap;
        va_start(ap, fmt);
        reply = redisvCommand(r->ctx, fmt, ap);
        va_end(ap);
    }
    if (reply == NULL) {
        stom_errorf(eb, STOM_EIO, "Redis at %s:%d: %s", r->host, r->port,
                    r->ctx->errstr[0] ? r->ctx->errstr : "no reply");
        return NULL;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        stom_errorf(eb, STOM_EIO, "Redis at %s:%d refused: %s", r->host, r->port, reply->str);
        freeReplyObject(reply);
        return NULL;
    }
    return reply;
}

/* Frees reply; STOM_OK when it was the status `want`. */
static int expect_status(stom_redis *r, redisReply *reply, const char *want, stom_errbuf *eb)
{
    if (reply == NULL)
        return STOM_EIO;
    bool ok = reply->type == REDIS_REPLY_STATUS && strcmp(reply->str, want) == 0;
    freeReplyObject(reply);
    if (ok)
        return STOM_OK;
    return stom_errorf(eb, STOM_EIO, "Redis at %s:%d: unexpected reply (wanted %s)", r->host,
                       r->port, want);
}

int stom_redis_ping(stom_redis *r, stom_errbuf *eb)
{
    return expect_status(r, command(r, eb, "PING"), "PONG", eb);
}

int stom_redis_set(stom_redis *r, const char *key, const void *value, size_t len, int ttl_s,
                   stom_errbuf *eb)
{
    if (ttl_s < 0)
        return stom_errorf(eb, STOM_EINVAL, "Redis SET %s: negative time to live %d", key, ttl_s);
    redisReply *reply = ttl_s > 0 ? command(r, eb, "SET %s %b EX %d", key, value, len, ttl_s)
                                  : command(r, eb, "SET %s %b", key, value, len);
    return expect_status(r, reply, "OK", eb);
}

int stom_redis_get(stom_redis *r, const char *key, char **out, size_t *len, stom_errbuf *eb)
{
    redisReply *reply = command(r, eb, "GET %s", key);
    if (reply == NULL)
        return STOM_EIO;
    int rc = STOM_OK;
    if (reply->type == REDIS_REPLY_NIL) {
        rc = stom_errorf(eb, STOM_ENOTFOUND, "Redis has no key %s", key);
    } else if (reply->type != REDIS_REPLY_STRING) {
        rc = stom_errorf(eb, STOM_EIO, "Redis GET %s: not a string", key);
    } else {
        *out = stom_xmalloc(reply->len + 1);
        memcpy(*out, reply->str, reply->len);
        (*out)[reply->len] = '\0';
        *len = reply->len;
    }
    freeReplyObject(reply);
    return rc;
}

int stom_redis_del(stom_redis *r, const char *key, stom_errbuf *eb)
{
    redisReply *reply = command(r, eb, "DEL %s", key);
    if (reply == NULL)
        return STOM_EIO;
    freeReplyObject(reply);
    return STOM_OK;
}

int stom_redis_ttl(stom_redis *r, const char *key, int *ttl_s, stom_errbuf *eb)
{
    redisReply *reply = command(r, eb, "TTL %s", key);
    if (reply == NULL)
        return STOM_EIO;
    long long v = reply->type == REDIS_REPLY_INTEGER ? reply->integer : -3;
    freeReplyObject(reply);
    if (v == -2)
        return stom_errorf(eb, STOM_ENOTFOUND, "Redis has no key %s", key);
    if (v < -1)
        return stom_errorf(eb, STOM_EIO, "Redis TTL %s: not an integer", key);
    *ttl_s = v == -1 ? 0 : (int)v;
    return STOM_OK;
}

/* INCRBY, then EXPIRE only on creation: later hits must not extend the window. */
static const char incr_expire_script[] =
    "local n = redis.call('INCRBY', KEYS[1], ARGV[2]) "
    "if n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end "
    "return n";

int stom_redis_incr_expire(stom_redis *r, const char *key, int ttl_s, long long *count,
                           stom_errbuf *eb)
{
    return stom_redis_incrby_expire(r, key, 1, ttl_s, count, eb);
}

int stom_redis_incrby_expire(stom_redis *r, const char *key, int by, int ttl_s, long long *count,
                             stom_errbuf *eb)
{
    if (ttl_s <= 0 || by <= 0)
        return stom_errorf(eb, STOM_EINVAL,
                           "Redis INCRBY %s: increment %d or time to live %d is not positive", key,
                           by, ttl_s);
    redisReply *reply = command(r, eb, "EVAL %s 1 %s %d %d", incr_expire_script, key, ttl_s, by);
    if (reply == NULL)
        return STOM_EIO;
    bool ok = reply->type == REDIS_REPLY_INTEGER;
    if (ok)
        *count = reply->integer;
    freeReplyObject(reply);
    if (!ok)
        return stom_errorf(eb, STOM_EIO, "Redis INCR %s: not an integer", key);
    return STOM_OK;
}
