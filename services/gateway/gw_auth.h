/*
 * gw_auth.h - passwords, access tokens and refresh-token families.
 *
 * Passwords: libsodium argon2id (crypto_pwhash_str, interactive limits),
 * rehashed on login when the parameters changed. Verifying against a dummy
 * hash when the user does not exist keeps login timing the same.
 *
 * Access tokens: JWT HS256 signed with cfg->jwt_secret, claims iss, aud,
 * sub (user id), name, role, iat, exp (cfg->access_ttl_s) and jti.
 * Verification passes the key to libjwt (libjwt 1.10 accepts alg "none"
 * without one), then requires alg == HS256 and checks iss, aud and exp
 * itself.
 *
 * Refresh tokens: 32 random bytes, base64url; only their SHA-256 is stored
 * (refresh_tokens). Each login starts a family; a refresh marks the token
 * used and issues the next of the family; presenting a used (or revoked)
 * token revokes the whole family.
 *
 * Thread-safety: gw_auth_init once before any thread starts; everything
 * else is reentrant (the gw_ctx given belongs to the calling thread).
 */
#ifndef STOM_GW_AUTH_H
#define STOM_GW_AUTH_H

#include "gw.h"

#define GW_REFRESH_TOKEN_LEN 64 /* buffer for a refresh token (43 chars + NUL) */

/* sodium_init; 0 or STOM_EIO. Call once at start. */
int gw_auth_init(void);

/* Hashes password into out (crypto_pwhash_STRBYTES = 128). 0 or STOM_ENOMEM. */
int gw_password_hash(const char *password, char out[128]);
/* Whether password matches hash; *rehash says the hash should be renewed. */
bool gw_password_verify(const char *hash, const char *password, bool *rehash);
/* Spends the time of one verification (for users that do not exist). */
void gw_password_burn(const char *password);

/* Issues an access token for user (owned, free()). 0 or STOM_EIO. */
int gw_access_issue(const gw_config *cfg, const gw_user *user, char **out, stom_errbuf *eb);
/*
 * Verifies token (signature with cfg's secret, alg HS256, iss, aud, exp)
 * and fills *user from its claims. 0, or STOM_EINVAL with the reason in eb
 * ("expired", "wrong audience", "algorithm none refused", ...).
 */
int gw_access_verify(const gw_config *cfg, const char *token, gw_user *user, stom_errbuf *eb);

/*
 * Starts a new family for user_id and writes its first token to out.
 * 0 or STOM_EIO (database).
 */
int gw_refresh_start(gw_ctx *ctx, int64_t user_id, char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb);
/*
 * Rotates token: on success *user_id is its user and out the next token.
 * STOM_ENOTFOUND: unknown or expired; STOM_ESTATE: already used or revoked
 * (its family is now revoked); STOM_EIO: database.
 */
int gw_refresh_rotate(gw_ctx *ctx, const char *token, int64_t *user_id,
                      char out[GW_REFRESH_TOKEN_LEN], stom_errbuf *eb);
/* Revokes token's family (logout). Unknown tokens are fine. 0 or STOM_EIO. */
int gw_refresh_revoke(gw_ctx *ctx, const char *token, stom_errbuf *eb);
/* Revokes every family of user_id (disabled user). 0 or STOM_EIO. */
int gw_refresh_revoke_user(gw_ctx *ctx, int64_t user_id, stom_errbuf *eb);

/*
 * The router's check for a route needing access: reads the Bearer token,
 * verifies it, reloads the user's role and disabled flag from PostgreSQL
 * and fills req->user. Returns true, or false with res set (401 missing or
 * invalid token, 403 role too low, 503 database down).
 */
bool gw_authenticate(gw_ctx *ctx, gw_request *req, gw_access need, gw_response *res);

/*
 * Rate limit: counts one hit in bucket (a Redis key suffix such as
 * "auth:127.0.0.1") in a fixed one-minute window. Returns true when under
 * per_min; false with res set to 429 and Retry-After when over. When Redis
 * is down the request passes (logged once): limits protect, they must not
 * take the API down.
 */
bool gw_rate_allow(gw_ctx *ctx, const char *bucket, int per_min, gw_response *res);

#endif
