/*
 * risk_event.c - a verdict as the stom.v1.RiskEvent the engine publishes on
 * eng.risk. Pure: no allocation; the message borrows the verdict's strings.
 */
#include "risk_internal.h"

/* Protobuf-c's char * fields for a string the message only reads. */
static char *borrowed(const char *s)
{
    return (char *)s;
}

void stom_risk_event_init(Stom__V1__RiskEvent *ev, const stom_risk_verdict *v,
                          const char *client_order_id, int64_t now_ns)
{
    stom__v1__risk_event__init(ev);
    ev->has_kind = ev->has_action = ev->has_limit = ev->has_value = ev->has_ts_ns = 1;
    ev->kind = v->kind;
    ev->action = v->action;
    ev->limit = v->limit;
    ev->value = v->value;
    ev->ts_ns = now_ns;
    ev->rule = borrowed(v->rule);
    ev->account = borrowed(v->account);
    ev->message = borrowed(v->message);
    if (v->symbol[0])
        ev->symbol = borrowed(v->symbol);
    if (v->strategy[0])
        ev->instance_id = borrowed(v->strategy);
    if (client_order_id)
        ev->client_order_id = borrowed(client_order_id);
}
