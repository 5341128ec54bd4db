/*
 * gw_config.c - stom-gateway's settings: defaults, then the environment,
 * then flags. Every number is range-checked and an error names the flag or
 * variable. The JWT secret is checked for length but never printed.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_config.h"
#include "stom/alloc.h"

#define DEFAULT_COORDINATOR   "tcp://127.0.0.1:5560"
#define DEFAULT_EVENTS        "tcp://127.0.0.1:5561" /* stom-backtester's --publish default */
#define DEFAULT_ENGINE        "tcp://127.0.0.1:5580" /* stom-engine's --listen default */
#define DEFAULT_ENGINE_EVENTS "tcp://127.0.0.1:5581" /* stom-engine's --publish default */
#define DEFAULT_MARKET        "tcp://127.0.0.1:5571" /* stom-broker-sim's --pub default */

void gw_config_usage(FILE *f)
{
    fputs(
        "usage: stom-gateway [options]\n"
        "       stom-gateway create-user --username NAME --email ADDRESS [--role ROLE] < password\n"
        "\n"
        "The platform's REST API and WebSocket on one HTTP/1.1 port.\n"
        "\n"
        "options (environment variable in brackets; flags win):\n"
        "  --port N               listening port (8080) [STOM_GATEWAY_PORT]\n"
        "  --bind ADDR            interface address (127.0.0.1) [STOM_GATEWAY_BIND]\n"
        "  --dev                  development mode: without STOM_JWT_SECRET a random\n"
        "                         secret of this process is used (tokens die with it)\n"
        "  --database CONNINFO    PostgreSQL [STOM_DATABASE_URL]\n"
        "  --redis URL            redis://host:port [STOM_REDIS_URL]\n"
        "  --coordinator URL      backtest coordinator's requests (" DEFAULT_COORDINATOR ")\n"
        "                         [STOM_COORDINATOR_URL]\n"
        "  --events URL           coordinator's events (" DEFAULT_EVENTS ")\n"
        "                         [STOM_COORDINATOR_EVENTS_URL]\n"
        "  --engine URL           live engine's requests (" DEFAULT_ENGINE ")\n"
        "                         [STOM_ENGINE_URL]\n"
        "  --engine-events URL    live engine's events (" DEFAULT_ENGINE_EVENTS ")\n"
        "                         [STOM_ENGINE_EVENTS_URL]\n"
        "  --market URLS          brokers' market data, comma-separated, at "
        "most " GW_MARKET_URLS_MAX_TEXT "\n"
        "                         (" DEFAULT_MARKET "): market.<symbol> on the WebSocket\n"
        "                         [STOM_MARKET_URL]\n"
        "  --cors LIST            comma-separated allowed origins, at most 8\n"
        "                         [STOM_CORS_ORIGINS]\n"
        "  --threads N            worker threads (4) [STOM_GATEWAY_THREADS]\n"
        "  --body-max BYTES       request body limit (1048576) [STOM_GATEWAY_BODY_MAX]\n"
        "  --upload-max BYTES     CSV upload limit (67108864) [STOM_GATEWAY_UPLOAD_MAX]\n"
        "  --rate-auth N          auth requests per IP per minute (20)\n"
        "                         [STOM_RATE_AUTH_PER_MIN]\n"
        "  --rate-user N          requests per user per minute (600)\n"
        "                         [STOM_RATE_USER_PER_MIN]\n"
        "  --static-dir DIR       Swagger UI (DIR/swagger-ui) and web UI (DIR/web) files,\n"
        "                         instead of the build's [STOM_GATEWAY_STATIC_DIR]\n"
        "  --help                 this text\n"
        "\n"
        "STOM_JWT_SECRET (required, at least 32 bytes) signs access tokens; create one with\n"
        "  export STOM_JWT_SECRET=$(openssl rand -hex 32)\n"
        "SIGINT or SIGTERM stops the gateway.\n",
        f);
}

static void defaults(gw_config *c)
{
    memset(c, 0, sizeof *c);
    c->port = 8080;
    c->bind = "127.0.0.1";
    c->issuer = GW_ISSUER_DEFAULT;
    c->audience = GW_AUDIENCE_DEFAULT;
    c->access_ttl_s = 900;
    c->refresh_ttl_s = 30 * 24 * 3600;
    c->coordinator = DEFAULT_COORDINATOR;
    c->coordinator_events = DEFAULT_EVENTS;
    c->engine = DEFAULT_ENGINE;
    c->engine_events = DEFAULT_ENGINE_EVENTS;
    c->market = DEFAULT_MARKET;
    c->body_max = (size_t)1 << 20;
    c->upload_max = (size_t)64 << 20;
    c->json_depth_max = 32;
    c->auth_per_min = 20;
    c->user_per_min = 600;
    c->threads = 4;
}

/* Parses text as an integer in [min, max]; name is the flag or variable for the message. */
static int parse_num(const char *name, const char *text, long long min, long long max,
                     long long *out, stom_errbuf *eb)
{
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return stom_errorf(eb, STOM_EINVAL, "%s: '%.40s' is not an integer from %lld to %lld", name,
                           text, min, max);
    *out = v;
    return 0;
}

typedef enum opt_kind { OPT_STR, OPT_INT, OPT_SIZE } opt_kind;

typedef struct opt {
    const char *flag, *env;
    opt_kind kind;
    size_t offset; /* in gw_config */
    long long min, max;
} opt;

#define OFF(f) offsetof(gw_config, f)
static const opt options[] = {
    {"--port", "STOM_GATEWAY_PORT", OPT_INT, OFF(port), 1, 65535},
    {"--bind", "STOM_GATEWAY_BIND", OPT_STR, OFF(bind), 0, 0},
    {"--database", "STOM_DATABASE_URL", OPT_STR, OFF(database), 0, 0},
    {"--redis", "STOM_REDIS_URL", OPT_STR, OFF(redis), 0, 0},
    {"--coordinator", "STOM_COORDINATOR_URL", OPT_STR, OFF(coordinator), 0, 0},
    {"--events", "STOM_COORDINATOR_EVENTS_URL", OPT_STR, OFF(coordinator_events), 0, 0},
    {"--engine", "STOM_ENGINE_URL", OPT_STR, OFF(engine), 0, 0},
    {"--engine-events", "STOM_ENGINE_EVENTS_URL", OPT_STR, OFF(engine_events), 0, 0},
    {"--market", "STOM_MARKET_URL", OPT_STR, OFF(market), 0, 0},
    {"--threads", "STOM_GATEWAY_THREADS", OPT_INT, OFF(threads), 1, 64},
    {"--body-max", "STOM_GATEWAY_BODY_MAX", OPT_SIZE, OFF(body_max), 1024, (long long)1 << 30},
    {"--upload-max", "STOM_GATEWAY_UPLOAD_MAX", OPT_SIZE, OFF(upload_max), 1024,
     (long long)4 << 30},
    {"--rate-auth", "STOM_RATE_AUTH_PER_MIN", OPT_INT, OFF(auth_per_min), 1, 1000000},
    {"--rate-user", "STOM_RATE_USER_PER_MIN", OPT_INT, OFF(user_per_min), 1, 1000000},
    {"--static-dir", "STOM_GATEWAY_STATIC_DIR", OPT_STR, OFF(static_dir), 0, 0},
    {NULL, NULL, OPT_STR, 0, 0, 0},
};

static int apply(gw_config *c, const opt *o, const char *name, const char *value, stom_errbuf *eb)
{
    char *field = (char *)c + o->offset;
    long long v = 0;
    if (o->kind == OPT_STR) {
        if (!*value)
            return stom_errorf(eb, STOM_EINVAL, "%s must not be empty", name);
        memcpy(field, &value, sizeof value);
        return 0;
    }
    int rc = parse_num(name, value, o->min, o->max, &v, eb);
    if (rc)
        return rc;
    if (o->kind == OPT_INT) {
        int i = (int)v;
        memcpy(field, &i, sizeof i);
    } else {
        size_t z = (size_t)v;
        memcpy(field, &z, sizeof z);
    }
    return 0;
}

/* Splits list (comma-separated origins) into c->cors; keeps *copy (owned). */
static int set_cors(gw_settings *s, const char *list, stom_errbuf *eb)
{
    free(s->cors_copy);
    s->cors_copy = stom_xstrdup(list);
    s->cfg.n_cors = 0;
    for (char *save = NULL, *tok = strtok_r(s->cors_copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (s->cfg.n_cors == GW_MAX_CORS)
            return stom_errorf(eb, STOM_EINVAL, "CORS origins: at most %d are allowed",
                               GW_MAX_CORS);
        if (strncmp(tok, "http://", 7) && strncmp(tok, "https://", 8))
            return stom_errorf(eb, STOM_EINVAL,
                               "CORS origin '%.80s' must start with http:// or https://", tok);
        s->cfg.cors[s->cfg.n_cors++] = tok;
    }
    return 0;
}

static int load_env(gw_settings *s, stom_errbuf *eb)
{
    for (const opt *o = options; o->flag; o++) {
        const char *v = getenv(o->env);
        int rc = v ? apply(&s->cfg, o, o->env, v, eb) : 0;
        if (rc)
            return rc;
    }
    const char *cors = getenv("STOM_CORS_ORIGINS");
    return cors ? set_cors(s, cors, eb) : 0;
}

static int load_flags(gw_settings *s, int argc, char **argv, stom_errbuf *eb)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            s->help = true;
            continue;
        }
        if (!strcmp(a, "--dev")) {
            s->cfg.dev = true;
            continue;
        }
        if (i + 1 >= argc)
            return stom_errorf(eb, STOM_EINVAL,
                               "%.40s: unknown option or missing value (see --help)", a);
        int rc;
        if (!strcmp(a, "--cors")) {
            rc = set_cors(s, argv[++i], eb);
        } else {
            const opt *o = options;
            while (o->flag && strcmp(o->flag, a))
                o++;
            if (!o->flag)
                return stom_errorf(eb, STOM_EINVAL, "unknown option %.40s (see --help)", a);
            rc = apply(&s->cfg, o, a, argv[++i], eb);
        }
        if (rc)
            return rc;
    }
    return 0;
}

static int load_secret(gw_settings *s, stom_errbuf *eb)
{
    const char *secret = getenv("STOM_JWT_SECRET");
    if (secret && strlen(secret) >= GW_SECRET_MIN) {
        s->cfg.jwt_secret = secret;
        return 0;
    }
    if (!s->cfg.dev)
        return stom_errorf(eb, STOM_EINVAL,
                           "STOM_JWT_SECRET %s: set it to at least %d random bytes, e.g. "
                           "export STOM_JWT_SECRET=$(openssl rand -hex 32), or run with --dev",
                           secret ? "is too short" : "is not set", GW_SECRET_MIN);
    if (sodium_init() < 0)
        return stom_errorf(eb, STOM_EINVAL, "libsodium could not be initialised");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->dev_secret, sizeof s->dev_secret, raw, sizeof raw);
    s->cfg.jwt_secret = s->dev_secret;
    fprintf(stderr, "stom-gateway: WARNING: --dev without STOM_JWT_SECRET: using a random secret "
                    "of this process; tokens stop working when it exits\n");
    return 0;
}

int gw_settings_load(gw_settings *s, int argc, char **argv, stom_errbuf *eb)
{
    memset(s, 0, sizeof *s);
    defaults(&s->cfg);
    int rc = load_env(s, eb);
    if (!rc)
        rc = load_flags(s, argc, argv, eb);
    if (!rc && !s->help)
        rc = load_secret(s, eb);
    if (rc)
        gw_settings_free(s);
    return rc;
}

void gw_settings_free(gw_settings *s)
{
    free(s->cors_copy);
    s->cors_copy = NULL;
    s->cfg.n_cors = 0;
}
