/*
 * coord_writes.h - the coordinator's write-behind queue.
 *
 * A worker's pull is answered from memory; the rows it implies (the
 * result, the task's run, the next lease, the job's counters) are queued
 * here and written later, several pulls per transaction, so that no worker
 * waits for PostgreSQL between two tasks.
 *
 * A flush writes every queued item in queue order in one transaction. When
 * the database is unreachable the items stay queued and the flush may be
 * retried after COORD_WRITES_RETRY_MS; when it is reachable but refuses the
 * batch, the items are written one by one and one it still refuses is
 * logged and dropped (it would otherwise block the queue for good). A crash loses only unflushed
 * items; their tasks are not done in the database, so a restarted coordinator plans them again and
 * each result is still stored once.
 *
 * Thread-safety: the coordinator's thread.
 */
#ifndef STOM_BT_COORD_WRITES_H
#define STOM_BT_COORD_WRITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/store.h"

#define COORD_WRITES_MAX_PARAMS 24
#define COORD_WRITES_DELAY_MS   100  /* longest an item waits when the queue is short */
#define COORD_WRITES_BATCH      256  /* items that make a flush due at once */
#define COORD_WRITES_RETRY_MS   1000 /* wait after a failed flush */

/* One queued statement or COPY (private to coord_writes.c). */
typedef struct coord_write coord_write;

typedef struct coord_writes {
    coord_write *items;
    size_t n, cap;
    int64_t oldest_ms; /* when the first queued item arrived */
    int64_t retry_ms;  /* no flush before this after a failure */
} coord_writes;

/*
 * Queues a parameterised statement. sql and what are borrowed and must
 * outlive the queue (string literals); values (NULL for SQL NULL) are copied.
 */
void coord_writes_query(coord_writes *q, const char *sql, int n, const char *const *values,
                        const char *what);
/* Queues COPY sql FROM STDIN with data (len bytes of COPY text), which the queue takes. */
void coord_writes_copy(coord_writes *q, const char *sql, char *data, size_t len, const char *what);

/* Whether a flush is due at now_ms: items are old or many enough, and no failure is recent. */
bool coord_writes_due(const coord_writes *q, int64_t now_ms);
/* Milliseconds until a flush is due (-1 when the queue is empty). */
int coord_writes_wait_ms(const coord_writes *q, int64_t now_ms);

/* Writes everything queued in one transaction. 0 (queue emptied) or STOM_EIO (queue kept). */
int coord_writes_flush(coord_writes *q, stom_db *db, int64_t now_ms, stom_errbuf *eb);

/* Drops what is queued and releases the queue. */
void coord_writes_free(coord_writes *q);

#endif
