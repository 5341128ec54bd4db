/*
 * gw_token_cache.c - see gw_token_cache.h.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "gw_token_cache.h"

typedef struct entry {
    unsigned char digest[crypto_generichash_BYTES];
    gw_user user;
    int64_t exp_s; /* 0: empty */
} entry;

static entry slots[GW_TOKEN_CACHE_SLOTS];
static unsigned char key[crypto_generichash_KEYBYTES];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void make_key(void)
{
    randombytes_buf(key, sizeof key);
}

static void update_with(crypto_generichash_state *st, const char *s)
{
    /* The terminating NUL separates the fields. */
    crypto_generichash_update(st, (const unsigned char *)(s ? s : ""), strlen(s ? s : "") + 1);
}

static void digest_of(const gw_config *cfg, const char *token,
                      unsigned char out[crypto_generichash_BYTES])
{
    pthread_once(&key_once, make_key);
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, sizeof key, crypto_generichash_BYTES);
    update_with(&st, cfg->jwt_secret);
    update_with(&st, cfg->issuer);
    update_with(&st, cfg->audience);
    update_with(&st, token);
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

static entry *slot_of(const unsigned char *digest)
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    return &slots[h % GW_TOKEN_CACHE_SLOTS];
}

bool gw_token_cache_get(const gw_config *cfg, const char *token, int64_t now_s, gw_user *user)
{
    unsigned char d[crypto_generichash_BYTES];
    digest_of(cfg, token, d);
    pthread_mutex_lock(&lock);
    const entry *e = slot_of(d);
    bool hit = e->exp_s > now_s && sodium_memcmp(e->digest, d, sizeof d) == 0;
    if (hit)
        *user = e->user;
    pthread_mutex_unlock(&lock);
    return hit;
}

void gw_token_cache_put(const gw_config *cfg, const char *token, const gw_user *user, int64_t exp_s)
{
    entry e = {.user = *user, .exp_s = exp_s};
    digest_of(cfg, token, e.digest);
    pthread_mutex_lock(&lock);
    *slot_of(e.digest) = e;
    pthread_mutex_unlock(&lock);
}
