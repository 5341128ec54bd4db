/*
 * surge_pb.c - stom_surge_alert to stom.v1.SurgeAlert (see stom/surge_pb.h).
 *
 * The message's basis-point fields are int32; the detector's are int64, so
 * they are saturated (a change beyond +-214,748 % cannot be a real trade).
 */
#include "stom/surge_pb.h"

#include <inttypes.h>
#include <stdio.h>

static int32_t saturate_int32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    return v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* Writes "rule: metric value (min m, max n), ..." into text, cut to fit. */
static void alert_text(const stom_surge_alert *a, char *text, size_t len)
{
    size_t used = (size_t)snprintf(text, len, "%s:", a->rule->name);
    for (size_t i = 0; i < a->nmeasure && used < len; i++) {
        const stom_surge_measure *m = &a->measure[i];
        used += (size_t)snprintf(text + used, len - used, "%s %s %" PRId64 " (", i ? "," : "",
                                 stom_surge_metric_name(m->cond.metric), m->value);
        if (m->cond.has_min && used < len)
            used += (size_t)snprintf(text + used, len - used, "min %" PRId64 "%s", m->cond.min,
                                     m->cond.has_max ? ", " : "");
        if (m->cond.has_max && used < len)
            used += (size_t)snprintf(text + used, len - used, "max %" PRId64, m->cond.max);
        if (used < len)
            used += (size_t)snprintf(text + used, len - used, ")");
    }
}

void stom_surge_alert_to_pb(const stom_surge_alert *a, Stom__V1__SurgeAlert *msg, char *text,
                            size_t text_len)
{
    stom__v1__surge_alert__init(msg);
    msg->symbol = (char *)a->symbol;
    msg->has_kind = 1;
    msg->kind = (Stom__V1__SurgeKind)a->kind;
    msg->has_ts_ns = msg->has_price = msg->has_change_bp = 1;
    msg->ts_ns = a->ts_ns;
    msg->price = a->price;
    msg->change_bp = saturate_int32(a->change_bp);
    msg->has_window_ms = msg->has_window_change_bp = msg->has_window_value = 1;
    msg->window_ms = a->window_ms;
    msg->window_change_bp = saturate_int32(a->window_change_bp);
    msg->window_value = a->window_value;
    for (size_t i = 0; i < a->nmeasure; i++) {
        if (a->measure[i].cond.metric == STOM_SURGE_VALUE_RATIO_BP) {
            msg->has_value_ratio_bp = 1;
            msg->value_ratio_bp = saturate_int32(a->measure[i].value);
        }
    }
    alert_text(a, text, text_len);
    msg->message = text;
}
