/*
 * call_internal.h - the inside of a stom_broker_call, shared by call.c and
 * server.c.
 *
 * Thread-safety: a call belongs to the serve thread for one request.
 */
#ifndef STOM_BROKER_CALL_INTERNAL_H
#define STOM_BROKER_CALL_INTERNAL_H

#include <stdbool.h>

#include "stom/broker.h"

struct stom_broker_call {
    void *blocks; /* call_block list, see call.c */
    const char *sender;
    bool failed;
    Stom__V1__Error error;
    char message[512];
    char detail_code[64];
};

/* Starts a call for a request from sender (borrowed). */
void stom__broker_call_init(stom_broker_call *c, const char *sender);
/* Frees the call's memory; the reply must have been encoded. */
void stom__broker_call_release(stom_broker_call *c);

#endif
