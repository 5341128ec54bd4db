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

/* Bytes of a timestamp parameter's text (stom__schedule_timestamp). */
#define SCHEDULE_TS_TEXT 40

/*
 * UTC ns >= 0 as a timestamptz parameter's text in buf ("2024-03-05
 * 00:00:00.000000+00", microseconds, truncated), or NULL (SQL NULL) for 0.
 * Returns buf or NULL.
 */
const char *stom__schedule_timestamp(int64_t ns, char *buf, size_t len);

/* Reads row of res (SCHEDULE_COLUMNS) into *job (args owned). 0 or STOM_EFORMAT. */
int stom__schedule_job_from_row(PGresult *res, int row, stom_schedule_job *job, stom_errbuf *eb);

#endif
