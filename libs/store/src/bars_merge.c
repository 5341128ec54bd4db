/*
 * bars_merge.c - writing an import's bars into bar blocks, merged with the
 * blocks already stored.
 *
 * The incoming bars (validated, in ts order) are cut into groups, one per
 * block they fall in, and one query fetches the stored blocks with those
 * block starts. Then, per group:
 *   - no stored block: the group becomes a new block, all its bars new;
 *   - a stored block: the incoming bars whose ts it lacks are counted. None
 *     (a re-import) leaves the block as it is; otherwise the two are merged
 *     - a stored bar wins over an incoming bar with the same ts, as ON
 *     CONFLICT DO NOTHING did for rows - and the block is replaced.
 * Replaced blocks are deleted in one statement, then every block to write
 * goes into bar_blocks through one binary COPY, so a first import is that
 * COPY alone. The caller holds the series' advisory lock inside its
 * transaction: no other import changes these blocks between read and write.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "bar_block.h"
#include "stom/alloc.h"

typedef struct block_group {
    int64_t block_start;
    size_t first, count; /* incoming bars [first, first + count) */
    int stored;          /* row of the stored block in the fetched result, or -1 */
    size_t added;        /* incoming bars new to the block */
} block_group;

typedef struct group_list {
    block_group *g;
    size_t n, cap;
} group_list;

/* One group per block the bars fall in, in order. All bars new until matched. */
static void cut_groups(const stom_bars *b, int64_t span, group_list *out)
{
    for (size_t i = 0; i < b->len; i++) {
        block_group *last = out->n > 0 ? &out->g[out->n - 1] : NULL;
        /*
         * ts is sorted: a bar less than span after its group's start belongs
         * to it. Unsigned, the difference of ts >= start cannot overflow.
         */
        if (last != NULL && (uint64_t)b->ts[i] - (uint64_t)last->block_start < (uint64_t)span) {
            last->count++;
            last->added++;
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap < 64 ? 64 : 2 * out->cap;
            out->g = stom_xrealloc(out->g, out->cap * sizeof *out->g);
        }
        out->g[out->n++] = (block_group){stom__block_start(b->ts[i], span), i, 1, -1, 1};
    }
}

/* "{s1,s2,...}": the block starts of the groups (only the replaced ones when asked). Owned. */
static char *start_array(const group_list *gl, bool replaced_only)
{
    char *text = stom_xmalloc(gl->n * 22 + 3);
    size_t len = 0;
    text[len++] = '{';
    for (size_t k = 0; k < gl->n; k++) {
        const block_group *g = &gl->g[k];
        if (replaced_only && (g->stored < 0 || g->added == 0))
            continue;
        len += (size_t)sprintf(text + len, "%s%lld", len > 1 ? "," : "", (long long)g->block_start);
    }
    text[len++] = '}';
    text[len] = '\0';
    return text;
}

static int fetch_stored(stom_db *db, const char *symbol, const char *timeframe,
                        const group_list *gl, PGresult **out, stom_errbuf *eb)
{
    char *starts = start_array(gl, false);
    const char *params[] = {symbol, timeframe, starts};
    int rc = stom__db_query_binary(db,
                                   "SELECT " STOM_BLOCK_SELECT " FROM bar_blocks"
                                   " WHERE symbol = $1 AND timeframe = $2"
                                   " AND block_start = ANY ($3::bigint[]) ORDER BY block_start",
                                   3, params, "reading the stored bar blocks", out, eb);
    free(starts);
    return rc;
}

/* The incoming bars of g whose ts the stored block s lacks (both lists are sorted). */
static size_t count_added(const stom_bars *b, const block_group *g, const stom_block_row *s)
{
    size_t added = 0, k = 0;
    for (size_t i = g->first; i < g->first + g->count; i++) {
        while (k < s->n && stom__block_value(s->data, s->n, 0, k) < b->ts[i])
            k++;
        if (k == s->n || stom__block_value(s->data, s->n, 0, k) != b->ts[i])
            added++;
    }
    return added;
}

static int too_many(int64_t block_start, size_t n, stom_errbuf *eb)
{
    return stom_errorf(eb, STOM_EINVAL,
                       "the block starting at ts %lld would hold %zu bars, more than %d: "
                       "are these bars of the right timeframe?",
                       (long long)block_start, n, STOM_BLOCK_MAX_BARS);
}

/* Pairs each stored block with its group and counts what the group adds to it. */
static int match_stored(const stom_bars *b, PGresult *res, group_list *gl, stom_errbuf *eb)
{
    size_t k = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        stom_block_row s;
        int rc = stom__block_row(res, r, &s, eb);
        if (rc != STOM_OK)
            return rc;
        while (k < gl->n && gl->g[k].block_start < s.block_start)
            k++;
        if (k == gl->n || gl->g[k].block_start != s.block_start)
            return stom_errorf(eb, STOM_EIO,
                               "reading the stored bar blocks: block %lld is not one "
                               "of those asked for",
                               (long long)s.block_start);
        gl->g[k].stored = r;
        gl->g[k].added = count_added(b, &gl->g[k], &s);
        if (s.n + gl->g[k].added > STOM_BLOCK_MAX_BARS)
            return too_many(s.block_start, s.n + gl->g[k].added, eb);
    }
    return STOM_OK;
}

static int delete_replaced(stom_db *db, const char *symbol, const char *timeframe,
                           const group_list *gl, stom_errbuf *eb)
{
    char *starts = start_array(gl, true);
    const char *params[] = {symbol, timeframe, starts};
    int rc = STOM_OK;
    if (starts[1] != '}') /* not "{}" */
        rc =
            stom_db_query(db,
                          "DELETE FROM bar_blocks WHERE symbol = $1 AND timeframe = $2"
                          " AND block_start = ANY ($3::bigint[])",
                          3, params, PGRES_COMMAND_OK, "replacing the stored bar blocks", NULL, eb);
    free(starts);
    return rc;
}

static void append(stom_bars *out, const stom_bars *from, size_t i)
{
    stom_bars_push(out, from->ts[i], from->open[i], from->high[i], from->low[i], from->close[i],
                   from->volume[i]);
}

/* The stored block s and the bars of g in ts order into *out; the stored bar wins a tie. */
static void merge_block(const stom_bars *b, const block_group *g, const stom_block_row *s,
                        stom_bars *stored, stom_bars *out)
{
    stored->len = 0;
    stom_bars_reserve(stored, s->n);
    stom__block_decode(s->data, s->n, 0, s->n, stored);
    out->len = 0;
    stom_bars_reserve(out, s->n + g->added);
    size_t i = g->first, end = g->first + g->count, k = 0;
    while (i < end || k < stored->len) {
        if (i < end && (k == stored->len || b->ts[i] < stored->ts[k])) {
            append(out, b, i++);
            continue;
        }
        if (i < end && b->ts[i] == stored->ts[k])
            i++;
        append(out, stored, k++);
    }
}

static int write_groups(stom_db *db, const stom_bars *b, const char *timeframe, PGresult *res,
                        const group_list *gl, stom_errbuf *eb)
{
    stom_block_copy *copy = NULL;
    int rc = stom__block_copy_begin(db, b->inst.symbol, timeframe, &copy, eb);
    if (rc != STOM_OK)
        return rc;
    stom_bars stored, merged;
    stom_bars_init(&stored, &b->inst);
    stom_bars_init(&merged, &b->inst);
    for (size_t k = 0; k < gl->n; k++) {
        const block_group *g = &gl->g[k];
        if (g->added == 0)
            continue;
        if (g->stored < 0) {
            stom__block_copy_put(copy, g->block_start, b, g->first, g->count);
            continue;
        }
        stom_block_row s;
        stom__block_row(res, g->stored, &s, NULL); /* checked by match_stored */
        merge_block(b, g, &s, &stored, &merged);
        stom__block_copy_put(copy, g->block_start, &merged, 0, merged.len);
    }
    stom_bars_free(&stored);
    stom_bars_free(&merged);
    return stom__block_copy_end(copy, eb);
}

static size_t total_added(const group_list *gl)
{
    size_t added = 0;
    for (size_t k = 0; k < gl->n; k++)
        added += gl->g[k].added;
    return added;
}

static int check_group_sizes(const group_list *gl, stom_errbuf *eb)
{
    for (size_t k = 0; k < gl->n; k++) {
        if (gl->g[k].count > STOM_BLOCK_MAX_BARS)
            return too_many(gl->g[k].block_start, gl->g[k].count, eb);
    }
    return STOM_OK;
}

int stom__bars_write_blocks(stom_db *db, const stom_bars *b, const char *timeframe,
                            size_t *inserted, stom_errbuf *eb)
{
    group_list gl = {NULL, 0, 0};
    cut_groups(b, stom__block_span(timeframe), &gl);
    PGresult *stored = NULL;
    int rc = check_group_sizes(&gl, eb);
    if (rc == STOM_OK)
        rc = fetch_stored(db, b->inst.symbol, timeframe, &gl, &stored, eb);
    if (rc == STOM_OK)
        rc = match_stored(b, stored, &gl, eb);
    if (rc == STOM_OK)
        rc = delete_replaced(db, b->inst.symbol, timeframe, &gl, eb);
    *inserted = total_added(&gl);
    if (rc == STOM_OK && *inserted > 0)
        rc = write_groups(db, b, timeframe, stored, &gl, eb);
    PQclear(stored);
    free(gl.g);
    return rc;
}
