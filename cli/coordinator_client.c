/*
 * coordinator_client.c - requests to the backtest coordinator, with the
 * messages a user needs when it is not there.
 *
 * Before the REQ socket is opened, a connection checks that something
 * listens at the URL: a REQ socket dials without blocking and would only
 * say "no answer" after a request's full timeout, while the check refuses
 * at once when the port is closed. Over tcp the check is a plain stream
 * connection with a deadline (COORDINATOR_CONNECT_MS), so a host that drops
 * packets does not hang the command for the kernel's two minutes. Over ipc
 * it is a throwaway REQ socket's blocking dial, which completes nng's
 * handshake: nng 1.5's ipc listener stops accepting after a peer that
 * connects and leaves without the handshake, so a bare stream there would
 * break the coordinator it checks. (ipc is local: refusals are immediate.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

#include "cli.h"
#include "coordinator_client.h"
#include "stom/alloc.h"

#define COORDINATOR_CONNECT_MS 3000

struct coordinator_client {
    const char *url;
    nng_socket sock;
    stom_bus_sender sender;
};

const char *coordinator_url(const char *flag)
{
    if (flag != NULL)
        return flag;
    const char *env = getenv(COORDINATOR_URL_ENV);
    return env != NULL && env[0] != '\0' ? env : COORDINATOR_URL_DEFAULT;
}

void coordinator_report_unreachable(const coordinator_client *c)
{
    cli_error("no answer from the coordinator at %s: start it with `make up`, or point "
              "--coordinator / %s at a running one",
              c->url, COORDINATOR_URL_ENV);
}

/* Dials url with a REQ socket, completing the SP handshake, and closes it. nng's rv. */
static int probe_ipc(const char *url)
{
    nng_socket s;
    int rv = nng_req0_open(&s);
    if (rv != 0)
        return rv;
    rv = nng_dial(s, url, NULL, 0);
    nng_close(s);
    return rv;
}

/* Connects a plain stream to url and closes it: nng's rv (0: something listens). */
static int probe(const char *url)
{
    if (strncmp(url, "ipc://", 6) == 0)
        return probe_ipc(url);
    nng_stream_dialer *d = NULL;
    nng_aio *aio = NULL;
    int rv = nng_stream_dialer_alloc(&d, url);
    if (rv != 0)
        return rv;
    rv = nng_aio_alloc(&aio, NULL, NULL);
    if (rv == 0) {
        nng_aio_set_timeout(aio, COORDINATOR_CONNECT_MS);
        nng_stream_dialer_dial(d, aio);
        nng_aio_wait(aio);
        rv = nng_aio_result(aio);
        if (rv == 0)
            nng_stream_free(nng_aio_get_output(aio, 0));
        nng_aio_free(aio);
    }
    nng_stream_dialer_free(d);
    return rv;
}

/* Whether a failed probe means "nobody there" (rather than a URL nng cannot use). */
static bool unreachable(int rv)
{
    return rv == NNG_ECONNREFUSED || rv == NNG_ETIMEDOUT || rv == NNG_ENOENT ||
           rv == NNG_EUNREACHABLE || rv == NNG_ECONNRESET || rv == NNG_ECONNSHUT ||
           rv == NNG_ECONNABORTED || rv == NNG_ECLOSED || rv == NNG_EPEERAUTH ||
           rv == NNG_ECRYPTO || (rv & NNG_ESYSERR) != 0;
}

static int check_reachable(coordinator_client *c)
{
    stom_bus_endpoint ep;
    stom_errbuf eb = {{0}};
    if (stom_bus_endpoint_parse(c->url, false, &ep, &eb) != STOM_OK || ep.listen) {
        cli_error("--coordinator '%s' is not a URL to dial such as %s", c->url,
                  COORDINATOR_URL_DEFAULT);
        return EXIT_USAGE;
    }
    int rv = probe(ep.url);
    if (rv == 0)
        return EXIT_OK;
    if (unreachable(rv)) {
        coordinator_report_unreachable(c);
        return EXIT_INTERNAL;
    }
    cli_error("cannot dial the coordinator at %s: %s (use tcp://HOST:PORT or ipc:///PATH)", c->url,
              nng_strerror(rv));
    return EXIT_USAGE;
}

static int open_socket(coordinator_client *c)
{
    char name[32];
    stom_errbuf eb = {{0}};
    snprintf(name, sizeof name, "cli-%ld", (long)getpid());
    stom_bus_sender_init(&c->sender, name, NULL);
    stom_bus_socket_options opt;
    stom_bus_socket_options_default(&opt);
    opt.max_msg = COORDINATOR_REPLY_MAX;
    char spec[STOM_BUS_URL_MAX + 8];
    snprintf(spec, sizeof spec, "dial:%s", c->url);
    if (stom_bus_socket_open(&c->sock, STOM_BUS_REQ, spec, &opt, &eb) != STOM_OK) {
        cli_error("cannot open a socket to the coordinator: %s", eb.msg);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

int coordinator_open(coordinator_client **out, const char *url)
{
    coordinator_client *c = stom_xcalloc(1, sizeof *c);
    c->url = url;
    int rc = check_reachable(c);
    if (rc == EXIT_OK)
        rc = open_socket(c);
    if (rc != EXIT_OK) {
        free(c);
        return rc;
    }
    *out = c;
    return EXIT_OK;
}

void coordinator_close(coordinator_client *c)
{
    if (c == NULL)
        return;
    nng_close(c->sock);
    free(c);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Checks the reply's body: the kind asked for, or an Error to print. */
static int check_reply(const stom_bus_received *r, stom_bus_body want)
{
    const Stom__V1__Envelope *env = r->msg.env;
    if (env->body_case == want)
        return STOM_OK;
    if (env->body_case == STOM__V1__ENVELOPE__BODY_ERROR) {
        const char *m = env->error && env->error->message ? env->error->message : "no reason given";
        cli_error("the coordinator refused the request: %s", m);
    } else {
        cli_error("the coordinator answered with %s instead of %s (a different version?)",
                  stom_bus_body_name(env->body_case), stom_bus_body_name(want));
    }
    return STOM_EIO;
}

int coordinator_try_call(coordinator_client *c, ProtobufCMessage *body, stom_bus_body want,
                         stom_bus_received *reply)
{
    Stom__V1__Envelope env;
    stom_errbuf eb = {{0}};
    memset(reply, 0, sizeof *reply);
    stom_bus_envelope_init(&env, &c->sender, now_ns());
    if (stom_bus_envelope_set_body(&env, body, &eb) != STOM_OK) {
        cli_error("internal: %s", eb.msg);
        return STOM_EINVAL;
    }
    int rc = stom_bus_request(c->sock, COORDINATOR_TOPIC, &env, COORDINATOR_TIMEOUT_MS, reply, &eb);
    if (rc == STOM_ETIMEDOUT)
        return rc;
    if (rc != STOM_OK) {
        cli_error("the request to the coordinator at %s failed: %s", c->url,
                  eb.msg[0] ? eb.msg : stom_strerror(rc));
        return STOM_EIO;
    }
    if (check_reply(reply, want) != STOM_OK) {
        stom_bus_received_free(reply);
        memset(reply, 0, sizeof *reply);
        return STOM_EIO;
    }
    return STOM_OK;
}

int coordinator_call(coordinator_client *c, ProtobufCMessage *body, stom_bus_body want,
                     stom_bus_received *reply)
{
    int rc = coordinator_try_call(c, body, want, reply);
    if (rc == STOM_ETIMEDOUT)
        coordinator_report_unreachable(c);
    return rc == STOM_OK ? EXIT_OK : EXIT_INTERNAL;
}

int coordinator_job_control(coordinator_client *c, const char *id, Stom__V1__JobAction action,
                            stom_bus_received *reply)
{
    Stom__V1__JobControl jc = STOM__V1__JOB_CONTROL__INIT;
    jc.job_id = (char *)id;
    jc.has_action = true;
    jc.action = action;
    return coordinator_call(c, &jc.base, STOM__V1__ENVELOPE__BODY_JOB_STATUS, reply);
}
