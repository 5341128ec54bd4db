/*
 * broker_async.c - broker requests the engine's loop sends without waiting
 * (places of strategies' orders, positions after fills, the balances that
 * double as the broker's health check, symbols' reference prices). Each is a ticket in the engine's
 * table until its answer is handled: nng's callback pushes the ticket into
 * the inbox's first lane, and the loop hands the answer to the part that
 * asked (eng_place_answered, eng_positions_answered,
 * eng_balances_answered, eng_quote_answered).
 */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "stom/alloc.h"

static void ticket_ready(void *arg)
{
    eng_ticket *t = arg;
    eng_item *it = stom_xcalloc(1, sizeof *it);
    it->kind = ENG_ITEM_REPLY;
    it->ticket = t;
    eng_inbox_push(&t->engine->inbox, it, true);
}

int eng_ticket_start(engine *e, eng_ticket_kind kind, const char *key, Stom__V1__BrokerRequest *br,
                     stom_errbuf *eb)
{
    eng_ticket *t = NULL;
    for (size_t i = 0; !t && i < ENG_MAX_TICKETS; i++)
        if (!e->tickets[i].in_use)
            t = &e->tickets[i];
    if (!t)
        return stom_errorf(eb, STOM_ETOOBIG, "%d broker requests are travelling already",
                           ENG_MAX_TICKETS);
    t->engine = e;
    t->kind = kind;
    snprintf(t->key, sizeof t->key, "%s", key);
    /* The answer may be in before this returns: the loop, this thread, handles it later. */
    int rc = stom_broker_client_start(e->broker, br, ticket_ready, t, &t->call, eb);
    if (rc == 0)
        t->in_use = true;
    return rc;
}

bool eng_ticket_pending(const engine *e, eng_ticket_kind kind, const char *key)
{
    for (size_t i = 0; i < ENG_MAX_TICKETS; i++)
        if (e->tickets[i].in_use && e->tickets[i].kind == kind && !strcmp(e->tickets[i].key, key))
            return true;
    return false;
}

void eng_on_ticket(engine *e, eng_ticket *t)
{
    stom_broker_reply rep;
    stom_errbuf eb = {0};
    int rc = stom_broker_client_finish(t->call, &rep, &eb);
    char key[sizeof t->key];
    snprintf(key, sizeof key, "%s", t->key);
    eng_ticket_kind kind = t->kind;
    t->in_use = false;
    t->call = NULL;
    if (kind == ENG_TICKET_PLACE)
        eng_place_answered(e, key, rc, &rep, eb.msg);
    else if (kind == ENG_TICKET_POSITIONS)
        eng_positions_answered(e, key, rc, &rep, eb.msg);
    else if (kind == ENG_TICKET_QUOTE)
        eng_quote_answered(e, key, rc, &rep, eb.msg);
    else
        eng_balances_answered(e, key, rc, &rep, eb.msg);
    stom_broker_reply_free(&rep);
}

void eng_tickets_abandon(engine *e)
{
    for (size_t i = 0; i < ENG_MAX_TICKETS; i++)
        if (e->tickets[i].in_use) {
            stom_broker_client_abandon(e->tickets[i].call);
            e->tickets[i].in_use = false;
        }
}
