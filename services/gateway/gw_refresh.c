/*
 * gw_refresh.c - refresh-token families in refresh_tokens (migration 0005).
 *
 * A token is 32 random bytes in base64url (43 characters); only its SHA-256
 * is stored. A login starts a family (a new uuid). Rotation runs in one
 * transaction that locks the token's row (SELECT ... FOR UPDATE): of two
 * concurrent refreshes with one token the second waits, then sees used_at
 * set and is treated as a reuse, so both can never succeed. A reuse (a used
 * or revoked token presented again) revokes every token of the family: a
 * stolen token that was already rotated is then worth nothing, and neither
 * is the thief's or the owner's successor.
 *
 * Tokens are never logged: they are credentials.
 *
 * Thread-safety: reentrant; the gw_ctx belongs to the calling thread.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_auth.h"

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43                                 /* base64url of 32 bytes, no padding */
#define HASH_TEXT   (crypto_hash_sha256_BYTES * 2 + 3) /* "\x" + hex + NUL */

_Static_assert(TOKEN_CHARS < GW_REFRESH_TOKEN_LEN, "a token fits its buffer");

/* The stored form of token: "\x<hex of SHA-256>", bytea text input. */
static void token_hash(const char *token, char out[HASH_TEXT])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, HASH_TEXT - 2, digest, sizeof digest);
}

static void new_token(char out[GW_REFRESH_TOKEN_LEN])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, GW_REFRESH_TOKEN_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* Inserts a fresh token of family (NULL: a new family) for user_id. */
static int insert_token(gw_ctx *ctx, const char *family, const char *user_id,
                        char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    char hash[HASH_TEXT], ttl[16];
    new_token(out);
    token_hash(out, hash);
    snprintf(ttl, sizeof ttl, "%d", ctx->cfg->refresh_ttl_s);
    const char *params[] = {hash, family, user_id, ttl};
    return stom_db_query(ctx->db,
                         "INSERT INTO refresh_tokens (token_hash, family, user_id, expires_at) "
                         "VALUES ($1::bytea, coalesce($2::uuid, gen_random_uuid()), $3, "
                         "now() + make_interval(secs => $4::int))",
                         4, params, PGRES_COMMAND_OK, "insert refresh token", NULL, eb);
}

int gw_refresh_start(gw_ctx *ctx, int64_t user_id, char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)user_id);
    return insert_token(ctx, NULL, id, out, eb);
}

static bool plausible(const char *token)
{
    return token && strlen(token) == TOKEN_CHARS;
}

static int revoke_family(gw_ctx *ctx, const char *family, stom_errbuf *eb)
{
    const char *params[] = {family};
    return stom_db_query(ctx->db,
                         "UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) "
                         "WHERE family = $1",
                         1, params, PGRES_COMMAND_OK, "revoke refresh family", NULL, eb);
}

/*
 * Inside the transaction: the locked row decides. On success the old token
 * is marked used and out holds its successor.
 */
static int rotate_locked(gw_ctx *ctx, const char *hash, int64_t *user_id,
                         char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    const char *params[] = {hash};
    PGresult *res = NULL;
    int rc = stom_db_query(ctx->db,
                           "SELECT user_id, family, used_at IS NOT NULL, revoked_at IS NOT NULL, "
                           "expires_at <= now() FROM refresh_tokens WHERE token_hash = $1::bytea "
                           "FOR UPDATE",
                           1, params, PGRES_TUPLES_OK, "refresh token", &res, eb);
    if (rc != STOM_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return stom_errorf(eb, STOM_ENOTFOUND, "unknown refresh token");
    }
    char uid[24], family[40];
    snprintf(uid, sizeof uid, "%s", PQgetvalue(res, 0, 0));
    snprintf(family, sizeof family, "%s", PQgetvalue(res, 0, 1));
    bool used = *PQgetvalue(res, 0, 2) == 't', revoked = *PQgetvalue(res, 0, 3) == 't';
    bool expired = *PQgetvalue(res, 0, 4) == 't';
    PQclear(res);
    if (used || revoked) {
        rc = revoke_family(ctx, family, eb);
        return rc != STOM_OK ? rc
                             : stom_errorf(eb, STOM_ESTATE,
                                           used ? "refresh token was already used; its login "
                                                  "is revoked"
                                                : "refresh token was revoked");
    }
    if (expired)
        return stom_errorf(eb, STOM_ENOTFOUND, "refresh token expired");
    rc = stom_db_query(ctx->db, "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1",
                       1, params, PGRES_COMMAND_OK, "use refresh token", NULL, eb);
    if (rc == STOM_OK)
        rc = insert_token(ctx, family, uid, out, eb);
    if (rc == STOM_OK)
        *user_id = strtoll(uid, NULL, 10);
    return rc;
}

int gw_refresh_rotate(gw_ctx *ctx, const char *token, int64_t *user_id,
                      char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb)
{
    if (!plausible(token))
        return stom_errorf(eb, STOM_ENOTFOUND, "unknown refresh token");
    char hash[HASH_TEXT];
    token_hash(token, hash);
    int rc = stom_db_begin(ctx->db, eb);
    if (rc != STOM_OK)
        return rc;
    rc = rotate_locked(ctx, hash, user_id, out, eb);
    /* A reuse commits too: the family's revocation must stick. */
    if (rc == STOM_OK || rc == STOM_ESTATE) {
        stom_errbuf commit_eb;
        int crc = stom_db_commit(ctx->db, &commit_eb);
        if (crc != STOM_OK)
            return stom_errorf(eb, crc, "%s", commit_eb.msg);
    } else {
        stom_db_rollback(ctx->db);
    }
    return rc;
}

int gw_refresh_revoke(gw_ctx *ctx, const char *token, stom_errbuf *eb)
{
    if (!plausible(token))
        return STOM_OK;
    char hash[HASH_TEXT];
    token_hash(token, hash);
    const char *params[] = {hash};
    return stom_db_query(ctx->db,
                         "UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) "
                         "WHERE family = (SELECT family FROM refresh_tokens "
                         "WHERE token_hash = $1::bytea)",
                         1, params, PGRES_COMMAND_OK, "revoke refresh token", NULL, eb);
}

int gw_refresh_revoke_user(gw_ctx *ctx, int64_t user_id, stom_errbuf *eb)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)user_id);
    const char *params[] = {id};
    return stom_db_query(ctx->db,
                         "UPDATE refresh_tokens SET revoked_at = now() "
                         "WHERE user_id = $1 AND revoked_at IS NULL",
                         1, params, PGRES_COMMAND_OK, "revoke user's refresh tokens", NULL, eb);
}
