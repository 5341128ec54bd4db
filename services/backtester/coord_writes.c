/*
 * coord_writes.c - the write-behind queue (coord_writes.h).
 */
#include "coord_writes.h"

#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "stom/alloc.h"

struct coord_write {
    const char *sql, *what;
    int n;                                 /* parameters; -1 for a COPY */
    char *values[COORD_WRITES_MAX_PARAMS]; /* owned */
    char *data;                            /* COPY text, owned */
    size_t len;
};

static coord_write *push(coord_writes *q, int64_t now_ms)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->items = stom_xrealloc(q->items, q->cap * sizeof *q->items);
    }
    if (q->n == 0)
        q->oldest_ms = now_ms;
    coord_write *w = &q->items[q->n++];
    memset(w, 0, sizeof *w);
    return w;
}

void coord_writes_query(coord_writes *q, const char *sql, int n, const char *const *values,
                        const char *what)
{
    if (n > COORD_WRITES_MAX_PARAMS)
        abort(); /* a programming error: the statements are ours */
    coord_write *w = push(q, bt_mono_ms());
    w->sql = sql;
    w->what = what;
    w->n = n;
    for (int i = 0; i < n; i++)
        w->values[i] = values[i] ? stom_xstrdup(values[i]) : NULL;
}

void coord_writes_copy(coord_writes *q, const char *sql, char *data, size_t len, const char *what)
{
    coord_write *w = push(q, bt_mono_ms());
    w->sql = sql;
    w->what = what;
    w->n = -1;
    w->data = data;
    w->len = len;
}

bool coord_writes_due(const coord_writes *q, int64_t now_ms)
{
    return coord_writes_wait_ms(q, now_ms) == 0;
}

int coord_writes_wait_ms(const coord_writes *q, int64_t now_ms)
{
    if (q->n == 0)
        return -1;
    int64_t at = q->n >= COORD_WRITES_BATCH ? now_ms : q->oldest_ms + COORD_WRITES_DELAY_MS;
    if (at < q->retry_ms)
        at = q->retry_ms;
    return at <= now_ms ? 0 : (int)(at - now_ms);
}

static int write_one(stom_db *db, const coord_write *w, stom_errbuf *eb)
{
    if (w->n >= 0) /* the same few statements over and over: parsed and planned once */
        return stom_db_query_prepared(db, w->sql, w->n, (const char *const *)w->values,
                                      PGRES_COMMAND_OK, w->what, NULL, eb);
    int rc = stom_db_copy_begin(db, w->sql, w->what, eb);
    if (rc)
        return rc;
    bool sent = w->len == 0 || PQputCopyData(stom_db_conn(db), w->data, (int)w->len) == 1;
    return stom_db_copy_end(db, sent, w->what, eb);
}

static int write_all(stom_db *db, const coord_write *items, size_t n, stom_errbuf *eb)
{
    int rc = stom_db_begin(db, eb);
    for (size_t i = 0; !rc && i < n; i++)
        rc = write_one(db, &items[i], eb);
    if (!rc)
        rc = stom_db_commit(db, eb);
    if (rc)
        stom_db_rollback(db);
    return rc;
}

static void free_item(coord_write *w)
{
    for (int k = 0; k < w->n; k++)
        free(w->values[k]);
    free(w->data);
}

/*
 * The server refused a batch while the connection is fine: some item is
 * wrong, not the database. Each item then goes alone and one that still
 * fails is logged and dropped, so that it cannot hold up the others. When
 * the connection goes meanwhile, what is left stays queued: STOM_EIO.
 */
static int write_each(coord_writes *q, stom_db *db, stom_errbuf *eb)
{
    size_t i = 0;
    for (; i < q->n; i++) {
        if (write_all(db, &q->items[i], 1, eb) == 0) {
            free_item(&q->items[i]);
            continue;
        }
        if (PQstatus(stom_db_conn(db)) != CONNECTION_OK)
            break;
        bt_log("dropping a queued write that the database refuses: %s", eb->msg);
        free_item(&q->items[i]);
    }
    memmove(q->items, q->items + i, (q->n - i) * sizeof *q->items);
    q->n -= i;
    return q->n ? STOM_EIO : 0;
}

int coord_writes_flush(coord_writes *q, stom_db *db, int64_t now_ms, stom_errbuf *eb)
{
    if (q->n == 0)
        return 0;
    int rc = write_all(db, q->items, q->n, eb);
    if (rc && PQstatus(stom_db_conn(db)) == CONNECTION_OK)
        rc = write_each(q, db, eb);
    if (rc) {
        q->retry_ms = now_ms + COORD_WRITES_RETRY_MS;
        return rc;
    }
    for (size_t i = 0; i < q->n; i++)
        free_item(&q->items[i]);
    q->n = 0;
    q->retry_ms = 0;
    return 0;
}

void coord_writes_free(coord_writes *q)
{
    for (size_t i = 0; i < q->n; i++)
        free_item(&q->items[i]);
    free(q->items);
    memset(q, 0, sizeof *q);
}
