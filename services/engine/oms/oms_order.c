/*
 * oms_order.c - the order state machine (see oms.h).
 */
#include <stdio.h>
#include <string.h>

#include "oms.h"

static const char *const state_names[] = {"pending", "sent",      "accepted", "partially_filled",
                                          "filled",  "cancelled", "rejected"};
static const char *const event_names[] = {"sent", "accepted", "rejected", "fill", "cancelled"};

#define N_STATES (sizeof state_names / sizeof state_names[0])
#define N_EVENTS (sizeof event_names / sizeof event_names[0])

const char *oms_state_name(oms_state s)
{
    return (size_t)s < N_STATES ? state_names[s] : "?";
}

bool oms_state_parse(const char *name, oms_state *out)
{
    for (size_t k = 0; k < N_STATES; k++)
        if (!strcmp(name, state_names[k])) {
            *out = (oms_state)k;
            return true;
        }
    return false;
}

const char *oms_event_name(oms_event_kind k)
{
    return (size_t)k < N_EVENTS ? event_names[k] : "?";
}

bool oms_event_parse(const char *name, oms_event_kind *out)
{
    for (size_t k = 0; k < N_EVENTS; k++)
        if (!strcmp(name, event_names[k])) {
            *out = (oms_event_kind)k;
            return true;
        }
    return false;
}

bool oms_state_final(oms_state s)
{
    return s == OMS_FILLED || s == OMS_CANCELLED || s == OMS_REJECTED;
}

int oms_order_check(const oms_order *o, stom_errbuf *eb)
{
    if (!o->client_order_id[0])
        return stom_errorf(eb, STOM_EINVAL, "client_order_id: must not be empty");
    if (!o->broker[0] || !o->account[0] || !o->symbol[0])
        return stom_errorf(eb, STOM_EINVAL, "%s: must not be empty",
                           !o->broker[0]    ? "broker"
                           : !o->account[0] ? "account"
                                            : "symbol");
    if (o->side != 1 && o->side != -1)
        return stom_errorf(eb, STOM_EINVAL, "side: %d is neither +1 (buy) nor -1 (sell)", o->side);
    if (o->qty <= 0)
        return stom_errorf(eb, STOM_EINVAL, "qty: %lld must be above 0", (long long)o->qty);
    if (o->limit ? o->limit_price <= 0 : o->limit_price != 0)
        return stom_errorf(eb, STOM_EINVAL, "limit_price: %lld %s", (long long)o->limit_price,
                           o->limit ? "must be above 0 for a limit order"
                                    : "must be 0 for a market order");
    return STOM_OK;
}

/* Whether kind may happen to an order in state s. */
static bool allowed(oms_state s, oms_event_kind kind)
{
    switch (kind) {
    case OMS_EV_SENT:
        return s == OMS_PENDING;
    case OMS_EV_ACCEPTED: /* late, after a first fill: takes the broker's id only */
        return s == OMS_PENDING || s == OMS_SENT || s == OMS_PARTIALLY_FILLED;
    case OMS_EV_REJECTED:
        return s == OMS_PENDING || s == OMS_SENT || s == OMS_ACCEPTED;
    case OMS_EV_FILL:
    case OMS_EV_CANCELLED:
        return s == OMS_SENT || s == OMS_ACCEPTED || s == OMS_PARTIALLY_FILLED;
    }
    return false;
}

static int apply_fill(oms_order *o, const oms_event *e, stom_errbuf *eb)
{
    if (e->qty <= 0 || e->price <= 0 || !e->fill_id[0])
        return stom_errorf(eb, STOM_EINVAL,
                           "fill of order %s: needs a fill id, a quantity and a price above 0 "
                           "(got '%s', %lld at %lld)",
                           o->client_order_id, e->fill_id, (long long)e->qty, (long long)e->price);
    if (e->qty > o->qty - o->filled_qty)
        return stom_errorf(eb, STOM_EINVAL,
                           "fill %s of order %s: %lld is over the %lld still open (of %lld)",
                           e->fill_id, o->client_order_id, (long long)e->qty,
                           (long long)(o->qty - o->filled_qty), (long long)o->qty);
    o->filled_qty += e->qty;
    o->filled_value += e->qty * e->price;
    o->state = o->filled_qty == o->qty ? OMS_FILLED : OMS_PARTIALLY_FILLED;
    return STOM_OK;
}

int oms_apply(oms_order *o, const oms_event *e, stom_errbuf *eb)
{
    if (!allowed(o->state, e->kind))
        return stom_errorf(eb, STOM_ESTATE, "%s of order %s, which is %s", oms_event_name(e->kind),
                           o->client_order_id, oms_state_name(o->state));
    oms_order next = *o;
    switch (e->kind) {
    case OMS_EV_SENT:
        next.state = OMS_SENT;
        break;
    case OMS_EV_ACCEPTED:
        if (next.state != OMS_PARTIALLY_FILLED)
            next.state = OMS_ACCEPTED;
        snprintf(next.broker_order_id, sizeof next.broker_order_id, "%s", e->broker_order_id);
        break;
    case OMS_EV_REJECTED:
        next.state = OMS_REJECTED;
        snprintf(next.reason, sizeof next.reason, "%s", e->reason);
        break;
    case OMS_EV_CANCELLED:
        next.state = OMS_CANCELLED;
        snprintf(next.reason, sizeof next.reason, "%s", e->reason);
        break;
    case OMS_EV_FILL: {
        int rc = apply_fill(&next, e, eb);
        if (rc != STOM_OK)
            return rc;
        break;
    }
    }
    next.events++;
    *o = next;
    return STOM_OK;
}
