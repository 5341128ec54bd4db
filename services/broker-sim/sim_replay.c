/*
 * sim_replay.c - see sim_replay.h. Each symbol has a cursor over its bars
 * and the trades of its current bar; _peek merges the cursors by time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_replay.h"
#include "stom/alloc.h"
#include "stom/store_bars.h"
#include "stom/timeutil.h"

#define NS                   1000000000LL
#define SESSION_OPEN_S       (9 * 3600)        /* 09:00 KST */
#define SESSION_CONTINUOUS_S (6 * 3600 + 1200) /* to 15:20 */

typedef struct cursor {
    stom_bars bars;
    size_t bar; /* the next bar to expand */
    sim_replay_trade pending[SIM_REPLAY_POINTS];
    size_t n_pending, next;
    int32_t day;        /* KST date of the last bar expanded (0: none yet) */
    int64_t last_close; /* its close */
    int64_t ref;        /* a new day's reference, for the next trade out */
} cursor;

struct sim_replay {
    cursor *cursors;
    int n;
    int64_t timeframe_s;
    uint64_t count;
};

size_t sim_replay_bar_trades(const stom_bars *b, size_t k, int64_t timeframe_s,
                             sim_replay_trade out[SIM_REPLAY_POINTS])
{
    int64_t volume = b->volume[k];
    if (volume <= 0)
        return 0;
    bool up = b->close[k] >= b->open[k];
    int64_t points[SIM_REPLAY_POINTS] = {b->open[k], up ? b->low[k] : b->high[k],
                                         up ? b->high[k] : b->low[k], b->close[k]};
    int64_t prices[SIM_REPLAY_POINTS];
    size_t n = 0;
    for (size_t i = 0; i < SIM_REPLAY_POINTS; i++)
        if (n == 0 || points[i] != prices[n - 1])
            prices[n++] = points[i];
    int64_t start_s = b->ts[k], len_s = timeframe_s;
    if (timeframe_s >= 86400) { /* a daily bar trades in its day's continuous session */
        int32_t day = stom_date_of(b->ts[k], STOM_KST_OFFSET_MINUTES);
        start_s = stom_midnight_utc(day, STOM_KST_OFFSET_MINUTES) + SESSION_OPEN_S;
        len_s = SESSION_CONTINUOUS_S;
    }
    int64_t each = volume >= (int64_t)n ? volume / (int64_t)n : 1;
    int64_t first = volume >= (int64_t)n ? volume - each * (int64_t)(n - 1) : 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (sim_replay_trade){.ts_ns = start_s * NS + (int64_t)i * len_s * NS / (int64_t)n,
                                    .price = prices[i],
                                    .qty = i == 0 ? first : each,
                                    .opens_bar = i == 0};
    return n;
}

/* Expands bars of cursor s until it has a trade to give or none are left. */
static void refill(sim_replay *r, int s)
{
    cursor *c = &r->cursors[s];
    while (c->next == c->n_pending && c->bar < c->bars.len) {
        size_t k = c->bar++;
        int32_t day = stom_date_of(c->bars.ts[k], STOM_KST_OFFSET_MINUTES);
        if (day != c->day)
            c->ref = c->day ? c->last_close : c->bars.open[k];
        c->day = day;
        c->last_close = c->bars.close[k];
        c->n_pending = sim_replay_bar_trades(&c->bars, k, r->timeframe_s, c->pending);
        c->next = 0;
        for (size_t i = 0; i < c->n_pending; i++)
            c->pending[i].symbol = s;
    }
}

/* The cursor whose next trade is the earliest, or -1. */
static int earliest(sim_replay *r)
{
    int best = -1;
    for (int s = 0; s < r->n; s++) {
        refill(r, s);
        const cursor *c = &r->cursors[s];
        if (c->next < c->n_pending &&
            (best < 0 ||
             c->pending[c->next].ts_ns < r->cursors[best].pending[r->cursors[best].next].ts_ns))
            best = s;
    }
    return best;
}

bool sim_replay_peek(sim_replay *r, sim_replay_trade *out)
{
    int s = earliest(r);
    if (s < 0)
        return false;
    cursor *c = &r->cursors[s];
    *out = c->pending[c->next];
    out->ref_price = c->ref;
    return true;
}

void sim_replay_pop(sim_replay *r)
{
    int s = earliest(r);
    if (s < 0)
        return;
    r->cursors[s].next++;
    r->cursors[s].ref = 0;
    r->count++;
}

uint64_t sim_replay_count(const sim_replay *r)
{
    return r->count;
}

static int timeframe_seconds(const char *tf, int64_t *out, stom_errbuf *eb)
{
    if (!strcmp(tf, "1m"))
        *out = 60;
    else if (!strcmp(tf, "1d"))
        *out = 86400;
    else
        return stom_errorf(eb, STOM_EINVAL, "timeframe '%s': replay takes 1m or 1d", tf);
    return STOM_OK;
}

/* Loads cursor s's bars and describes its symbol in *sym. */
static int load_symbol(sim_replay *r, stom_db *db, const char *code, const char *tf, int64_t from_s,
                       int64_t to_s, sim_symbol *sym, stom_errbuf *eb)
{
    cursor *c = &r->cursors[r->n];
    int rc = stom_store_load_bars(db, code, tf, from_s, to_s, &c->bars, eb);
    if (rc != STOM_OK)
        return rc;
    r->n++; /* owned from here: destroy frees it */
    if (c->bars.inst.market != STOM_MARKET_KRX)
        return stom_errorf(eb, STOM_EINVAL,
                           "symbol %s is stored as a %s instrument: the sim "
                           "replays KRX instruments only",
                           code, stom_market_name(c->bars.inst.market));
    memset(sym, 0, sizeof *sym);
    snprintf(sym->code, sizeof sym->code, "%s", code);
    sym->board = c->bars.inst.board;
    sym->ref_price = c->bars.open[0];
    return STOM_OK;
}

int sim_replay_load(sim_replay **out, stom_db *db, const char *const *codes, int n,
                    const char *timeframe, int64_t from_s, int64_t to_s, sim_symbol *syms,
                    stom_errbuf *eb)
{
    int64_t tf_s;
    int rc = timeframe_seconds(timeframe, &tf_s, eb);
    if (rc != STOM_OK)
        return rc;
    if (n < 1 || from_s >= to_s)
        return stom_errorf(eb, STOM_EINVAL,
                           "replay: %d symbols from %lld to %lld s: need at "
                           "least one symbol and from before to",
                           n, (long long)from_s, (long long)to_s);
    sim_replay *r = stom_xcalloc(1, sizeof *r);
    r->cursors = stom_xcalloc((size_t)n, sizeof *r->cursors);
    r->timeframe_s = tf_s;
    for (int s = 0; s < n && rc == STOM_OK; s++)
        rc = load_symbol(r, db, codes[s], timeframe, from_s, to_s, &syms[s], eb);
    if (rc != STOM_OK) {
        sim_replay_destroy(r);
        return rc;
    }
    *out = r;
    return STOM_OK;
}

void sim_replay_destroy(sim_replay *r)
{
    if (!r)
        return;
    for (int s = 0; s < r->n; s++)
        stom_bars_free(&r->cursors[s].bars);
    free(r->cursors);
    free(r);
}
