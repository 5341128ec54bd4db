/*
 * gw_password.c - password hashes: libsodium argon2id with the interactive
 * limits (crypto_pwhash_str, the whole encoded string is stored), and the
 * dummy verification that makes a login for an unknown user cost the same
 * time as one with a wrong password.
 *
 * Thread-safety: gw_auth_init once before threads start; the rest is
 * reentrant (the dummy hash is made once, under pthread_once, by
 * gw_auth_init or the first burn).
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "gw_auth.h"

#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES == 128, "gw_auth.h's hash buffers are 128 bytes");

static char dummy_hash[crypto_pwhash_STRBYTES];
static bool dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    dummy_ok = crypto_pwhash_str(dummy_hash, "stom-dummy-password", 19, OPS, MEM) == 0;
}

int gw_auth_init(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "stom-gateway: libsodium cannot initialise\n");
        return STOM_EIO;
    }
    pthread_once(&dummy_once, make_dummy);
    return STOM_OK;
}

int gw_password_hash(const char *password, char out[128])
{
    if (crypto_pwhash_str(out, password, strlen(password), OPS, MEM) != 0)
        return STOM_ENOMEM; /* argon2 fails only when it cannot allocate its memory */
    return STOM_OK;
}

bool gw_password_verify(const char *hash, const char *password, bool *rehash)
{
    *rehash = false;
    if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
        return false;
    /* 1: other parameters, -1: not an argon2id string; both deserve a new hash. */
    *rehash = crypto_pwhash_str_needs_rehash(hash, OPS, MEM) != 0;
    return true;
}

void gw_password_burn(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    /* The answer is meaningless; only the time spent matters. */
    if (dummy_ok && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
        return;
}
