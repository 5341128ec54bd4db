/*
 * stom/surge_pb.h - a surge alert as the stom.v1.SurgeAlert message that the
 * engine publishes on eng.surge.
 *
 * Thread-safety: pure functions, safe from any thread.
 */
#ifndef STOM_SURGE_PB_H
#define STOM_SURGE_PB_H

#include <stddef.h>

#include "stom/surge.h"
#include "stom/v1/engine.pb-c.h"

/*
 * Fills *msg (initialised here) from alert a: symbol, kind, ts_ns, price,
 * change_bp, window_ms, window_change_bp, window_value and, when a
 * condition measures it, value_ratio_bp; basis points beyond int32 are
 * saturated. message becomes text: the rule and every condition, e.g.
 * "jump_1m: window_change_bp 312 (min 300), window_value 612000000 (min
 * 500000000)", cut to fit text_len (> 0). name, strength_bp, day_value and
 * score are left unset: the detector does not know them.
 * Borrows a; msg borrows a->symbol and text, so pack it while both live
 * (inside the alert callback).
 */
void stom_surge_alert_to_pb(const stom_surge_alert *a, Stom__V1__SurgeAlert *msg, char *text,
                            size_t text_len);

#endif
