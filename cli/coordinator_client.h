/*
 * coordinator_client.h - the CLI's side of the backtest coordinator's
 * REQ/REP protocol (`stom optimize`, `stom jobs`).
 *
 * One REQ socket dials the coordinator. Every request travels under topic
 * "rpc.backtester" as an Envelope from sender "cli-<pid>" and waits at most
 * COORDINATOR_TIMEOUT_MS for its reply. The functions here print their own
 * messages ("stom: no answer from the coordinator at ...") and return the
 * command's exit code, so that a command's handlers stay linear: call,
 * and on anything but EXIT_OK return it.
 *
 * Thread-safety: a coordinator_client belongs to one thread.
 */
#ifndef STOM_CLI_COORDINATOR_CLIENT_H
#define STOM_CLI_COORDINATOR_CLIENT_H

#include "stom/bus_nng.h"

#define COORDINATOR_URL_DEFAULT "tcp://127.0.0.1:5560"
#define COORDINATOR_URL_ENV     "STOM_COORDINATOR_URL"
#define COORDINATOR_TOPIC       "rpc.backtester"
#define COORDINATOR_TIMEOUT_MS  10000
/* Replies (a results page of a large job) may be far bigger than bus messages usually are. */
#define COORDINATOR_REPLY_MAX ((size_t)64 * 1024 * 1024)

typedef struct coordinator_client coordinator_client;

/* The coordinator's URL: flag when given, else $STOM_COORDINATOR_URL, else the
 * default. Returns flag, the environment's string or a static one. */
const char *coordinator_url(const char *flag);

/*
 * Opens a REQ socket dialing url and checks that something listens there,
 * so that a coordinator that is not running is reported at once rather than
 * after a request's timeout. Sets *out only on success. Returns EXIT_OK,
 * EXIT_USAGE (url is not one nng can dial) or EXIT_INTERNAL (nobody
 * answers; the message says how to start the coordinator). Borrows url
 * (which must outlive the client).
 */
int coordinator_open(coordinator_client **out, const char *url);

/* Closes the socket and frees c. NULL: no-op. */
void coordinator_close(coordinator_client *c);

/*
 * Sends body (a stom.v1 message such as &spec->base) and waits for the
 * reply, which must carry a body of kind want; on EXIT_OK *reply is owned
 * by the caller (release with stom_bus_received_free). A reply whose body is
 * an Error (the coordinator refused the request before understanding it),
 * a timeout, a dropped connection or a reply of another kind print why and
 * return EXIT_INTERNAL (*reply zeroed). Borrows body.
 */
int coordinator_call(coordinator_client *c, ProtobufCMessage *body, stom_bus_body want,
                     stom_bus_received *reply);

/*
 * As coordinator_call, but returns the bus's STOM_E* value (0 on success)
 * without printing a timeout: for callers that retry. Any other failure is
 * printed as by coordinator_call and returns STOM_EIO.
 */
int coordinator_try_call(coordinator_client *c, ProtobufCMessage *body, stom_bus_body want,
                         stom_bus_received *reply);

/* coordinator_call with a job_control {id, action}; the JobStatus stays in *reply. */
int coordinator_job_control(coordinator_client *c, const char *id, Stom__V1__JobAction action,
                            stom_bus_received *reply);

/* Prints the "no answer from the coordinator" message for c. */
void coordinator_report_unreachable(const coordinator_client *c);

#endif
