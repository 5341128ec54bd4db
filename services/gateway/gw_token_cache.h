/*
 * gw_token_cache.h - access tokens already verified, so that a client
 * sending the same token on every request pays for the JWT checks once.
 *
 * An entry is found by a keyed BLAKE2b-256 digest of the token together
 * with the secret, issuer and audience it was verified under (the key is
 * random per process), so a token verified under one configuration never
 * passes under another, and nothing but a verified token can hit. Entries
 * end at the token's exp; a hit is still checked against the current time.
 * A direct-mapped table: a colliding token simply replaces the entry.
 * Nothing of the token itself is kept.
 *
 * Thread-safety: every function may be called from any thread (one mutex).
 */
#ifndef STOM_GW_TOKEN_CACHE_H
#define STOM_GW_TOKEN_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "gw.h"

#define GW_TOKEN_CACHE_SLOTS 2048

/* Fills *user from token's verified claims when cached under cfg and unexpired at now_s. */
bool gw_token_cache_get(const gw_config *cfg, const char *token, int64_t now_s, gw_user *user);
/* Remembers that token verified under cfg with these claims until exp_s (its exp). */
void gw_token_cache_put(const gw_config *cfg, const char *token, const gw_user *user,
                        int64_t exp_s);

#endif
