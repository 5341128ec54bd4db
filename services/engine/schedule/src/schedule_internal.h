/*
 * schedule_internal.h - what schedule_store.c and schedule_claim.c share:
 * the columns of a job row and the conversions of instants.
 *
 * Thread-safety: as stom/schedule_store.h.
 */
#ifndef STOM_SCHEDULE_INTERNAL_H
#define STOM_SCHEDULE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "stom/schedule_store.h"

/* The columns stom__schedule_job_from_row reads, in its order. */
#define SCHEDULE_COLUMNS                                                                           \
    "id, user_id, name, when_spec, days, action, args::text, enabled, "                            \
    "(extract(epoch FROM last_fired_at) * 1000000)::bigint, "                                      \
    "(extract(epoch FROM next_fire_at) * 1000000)::bigint"

/* Parameter $n as an instant: to_timestamp of the microseconds' text. */
#define AT(n) "to_timestamp($" #n "::float8 / 1000000)"

/* The microseconds' text of ns in buf, or NULL (SQL NULL) for 0. Returns buf or NULL. */
const char *stom__schedule_micros(int64_t ns, char *buf, size_t len);

/* Reads row of res (SCHEDULE_COLUMNS) into *job (args owned). 0 or STOM_EFORMAT. */
int stom__schedule_job_from_row(PGresult *res, int row, stom_schedule_job *job, stom_errbuf *eb);

#endif
