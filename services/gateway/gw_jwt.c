/*
 * gw_jwt.c - access tokens: JWT HS256 over libjwt 1.10.2.
 *
 * libjwt 1.10 checks only the signature, and only when given a key (with a
 * NULL key it accepts alg "none"), so verification always passes the key,
 * then requires alg HS256 (a token signed with HS512 and the same secret
 * passes libjwt), and checks every claim here: iss, aud, exp (present and in
 * the future), nbf when present, sub (a positive user id) and role. When
 * libjwt refuses a token, its header is decoded only to say why (alg none,
 * a bad signature or garbage); nothing from an unverified token is used.
 *
 * A token that passed is remembered (gw_token_cache.h) until its exp, so
 * the checks run once per token, not once per request.
 *
 * Tokens are never logged: they are credentials.
 *
 * Thread-safety: reentrant.
 */
#include <errno.h>
#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gw_auth.h"
#include "gw_token_cache.h"
#include "gw_users.h"

#define SECRET_MIN 32
#define TOKEN_MAX  4096

static int secret_of(const gw_config *cfg, size_t *len, stom_errbuf *eb)
{
    *len = cfg->jwt_secret ? strlen(cfg->jwt_secret) : 0;
    if (*len < SECRET_MIN)
        return stom_errorf(eb, STOM_EINVAL, "the JWT secret is shorter than %d bytes", SECRET_MIN);
    return STOM_OK;
}

/* Adds the claims; false when libjwt could not (out of memory). */
static bool add_claims(jwt_t *jwt, const gw_config *cfg, const gw_user *user)
{
    unsigned char id[16];
    char jti[sizeof id * 2 + 1], sub[24];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(jti, sizeof jti, id, sizeof id);
    snprintf(sub, sizeof sub, "%lld", (long long)user->id);
    long now = (long)time(NULL);
    return jwt_add_grant(jwt, "iss", cfg->issuer) == 0 &&
           jwt_add_grant(jwt, "aud", cfg->audience) == 0 && jwt_add_grant(jwt, "sub", sub) == 0 &&
           jwt_add_grant(jwt, "name", user->username) == 0 &&
           jwt_add_grant(jwt, "role", gw_role_name(user->role)) == 0 &&
           jwt_add_grant_int(jwt, "iat", now) == 0 &&
           jwt_add_grant_int(jwt, "exp", now + cfg->access_ttl_s) == 0 &&
           jwt_add_grant(jwt, "jti", jti) == 0;
}

int gw_access_issue(const gw_config *cfg, const gw_user *user, char **out, stom_errbuf *eb)
{
    size_t key_len;
    int rc = secret_of(cfg, &key_len, eb);
    if (rc != STOM_OK)
        return rc;
    jwt_t *jwt = NULL;
    if (jwt_new(&jwt) != 0)
        return stom_errorf(eb, STOM_EIO, "cannot create a JWT");
    char *token = NULL;
    if (jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)cfg->jwt_secret, (int)key_len) ==
            0 &&
        add_claims(jwt, cfg, user))
        token = jwt_encode_str(jwt);
    jwt_free(jwt);
    if (!token)
        return stom_errorf(eb, STOM_EIO, "cannot sign the access token");
    *out = token;
    return STOM_OK;
}

/* Why libjwt refused token: its header's alg, read without trusting it. */
static int refused_reason(const char *token, stom_errbuf *eb)
{
    const char *dot = strchr(token, '.');
    unsigned char header[512];
    size_t len = 0;
    if (!dot || sodium_base642bin(header, sizeof header - 1, token, (size_t)(dot - token), NULL,
                                  &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return stom_errorf(eb, STOM_EINVAL, "malformed token");
    json_t *h = json_loadb((const char *)header, len, 0, NULL);
    const char *alg = json_string_value(json_object_get(h, "alg"));
    if (alg && strcasecmp(alg, "none") == 0)
        stom_errorf(eb, STOM_EINVAL, "algorithm none refused");
    else if (alg)
        stom_errorf(eb, STOM_EINVAL, "bad signature");
    else
        stom_errorf(eb, STOM_EINVAL, "malformed token");
    json_decref(h);
    return STOM_EINVAL;
}

static int check_string_claim(json_t *claims, const char *name, const char *want, const char *wrong,
                              stom_errbuf *eb)
{
    const char *got = json_string_value(json_object_get(claims, name));
    if (!got || strcmp(got, want) != 0)
        return stom_errorf(eb, STOM_EINVAL, "%s", wrong);
    return STOM_OK;
}

/* exp (into *exp_s) and nbf against the current time. */
static int check_times(json_t *claims, int64_t *exp_s, stom_errbuf *eb)
{
    json_t *exp = json_object_get(claims, "exp");
    json_t *nbf = json_object_get(claims, "nbf");
    json_int_t now = (json_int_t)time(NULL);
    if (!json_is_integer(exp))
        return stom_errorf(eb, STOM_EINVAL, "no expiry (exp)");
    if (json_integer_value(exp) <= now)
        return stom_errorf(eb, STOM_EINVAL, "expired");
    if (nbf && (!json_is_integer(nbf) || json_integer_value(nbf) > now))
        return stom_errorf(eb, STOM_EINVAL, "not valid yet (nbf)");
    *exp_s = (int64_t)json_integer_value(exp);
    return STOM_OK;
}

/* sub, name and role into *user. */
static int read_subject(json_t *claims, gw_user *user, stom_errbuf *eb)
{
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *name = json_string_value(json_object_get(claims, "name"));
    const char *role = json_string_value(json_object_get(claims, "role"));
    char *end = NULL;
    errno = 0;
    long long id = sub && *sub >= '1' && *sub <= '9' ? strtoll(sub, &end, 10) : 0;
    if (id <= 0 || errno || *end)
        return stom_errorf(eb, STOM_EINVAL, "subject (sub) is not a user id");
    if (!name || strlen(name) >= sizeof user->username)
        return stom_errorf(eb, STOM_EINVAL, "no valid name claim");
    if (gw_role_parse(role) == GW_ROLE_NONE)
        return stom_errorf(eb, STOM_EINVAL, "unknown role");
    user->id = id;
    snprintf(user->username, sizeof user->username, "%s", name);
    user->role = gw_role_parse(role);
    return STOM_OK;
}

static int check_claims(const gw_config *cfg, jwt_t *jwt, gw_user *user, int64_t *exp_s,
                        stom_errbuf *eb)
{
    char *text = jwt_get_grants_json(jwt, NULL);
    json_t *claims = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(text);
    int rc = json_is_object(claims) ? STOM_OK : stom_errorf(eb, STOM_EINVAL, "no claims");
    if (rc == STOM_OK)
        rc = check_string_claim(claims, "iss", cfg->issuer, "wrong issuer", eb);
    if (rc == STOM_OK)
        rc = check_string_claim(claims, "aud", cfg->audience, "wrong audience", eb);
    if (rc == STOM_OK)
        rc = check_times(claims, exp_s, eb);
    if (rc == STOM_OK)
        rc = read_subject(claims, user, eb);
    json_decref(claims);
    return rc;
}

int gw_access_verify(const gw_config *cfg, const char *token, gw_user *user, stom_errbuf *eb)
{
    size_t key_len;
    int rc = secret_of(cfg, &key_len, eb);
    if (rc != STOM_OK)
        return rc;
    if (!token || !*token)
        return stom_errorf(eb, STOM_EINVAL, "empty token");
    if (strlen(token) > TOKEN_MAX)
        return stom_errorf(eb, STOM_EINVAL, "token longer than %d bytes", TOKEN_MAX);
    if (gw_token_cache_get(cfg, token, (int64_t)time(NULL), user))
        return STOM_OK;
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, (const unsigned char *)cfg->jwt_secret, (int)key_len) != 0)
        return refused_reason(token, eb);
    int64_t exp_s = 0;
    jwt_alg_t alg = jwt_get_alg(jwt);
    if (alg != JWT_ALG_HS256)
        rc = stom_errorf(eb, STOM_EINVAL, "algorithm %s refused (only HS256)", jwt_alg_str(alg));
    else
        rc = check_claims(cfg, jwt, user, &exp_s, eb);
    jwt_free(jwt);
    if (rc == STOM_OK)
        gw_token_cache_put(cfg, token, user, exp_s);
    return rc;
}
