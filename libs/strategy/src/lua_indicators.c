/*
 * lua_indicators.c - the indicator series behind sma(), rsi(), day_high ...
 * of Lua strategies, computed by the streaming C indicators
 * (stom/indicators.h).
 *
 * A series is one (kind, parameters) of one state, whichever name (English
 * or Korean) asked for it. It feeds the bars to its streaming indicator in
 * order and keeps the values of a sliding range of bars, lo..hi-1, in a
 * buffer the Lua side reads directly: `keep` values behind the newest bar a
 * strategy asked for (the largest `back` seen) plus a chunk ahead, as far
 * as the data goes. So sma(20) evaluated every bar costs one O(1) update
 * per bar, done in C 256 bars at a time, and a read of one double. Values
 * ahead of the strategy's bar are computed but never shown before their
 * bar; in live trading the data ends at the current bar anyway.
 *
 * Inputs are the raw integer columns (price and quantity units) and the
 * outputs are divided by the scale once, so averages of prices are the
 * exact quotient of an exact integer sum, as in the C built-ins. sma and
 * avg_volume keep that sum as an int64 running sum over the column itself
 * (the history is the window): the same numbers stom_sma gives for integer
 * inputs (its compensated sum is exact there), at a fraction of the cost,
 * which matters because an average is the most common thing a strategy
 * asks for on every bar.
 *
 * Memory: each series' buffer and indicator window count against the
 * state's memory limit (the window at a bound of 24 bytes per period).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua_internal.h"
#include "stom/alloc.h"
#include "stom/indicators.h"

#define CHUNK 256 /* values computed ahead per refill */

/* sma over an integer column: an exact running sum of the last period values. */
typedef struct int_sma {
    int64_t sum;
} int_sma;

typedef struct day_state {
    int64_t day;
    bool started;
    double open, high, low, value, last_close, prev_close;
} day_state;

typedef struct stom__lua_ind {
    stom__lua_ind_head h; /* first: the Lua side sees this part */
    int kind;
    int period, p2, p3;
    double width;
    size_t keep, cap; /* values kept behind on a slide; buffer capacity */
    size_t bytes;     /* counted against the memory limit */
    union {
        int_sma isma;
        stom_highest highest;
        stom_lowest lowest;
        stom_ema ema;
        stom_rsi rsi;
        stom_atr atr;
        stom_bollinger bb;
        stom_macd macd;
        stom_cci cci;
        stom_mfi mfi;
        stom_williams_r willr;
        stom_adx adx;
        stom_obv obv;
        day_state day;
    } u;
} stom__lua_ind;

static int stream_init(stom__lua_ind *e)
{
    memset(&e->u, 0, sizeof e->u);
    switch (e->kind) {
    case STOM__IND_HIGHEST:
        return stom_highest_init(&e->u.highest, e->period);
    case STOM__IND_LOWEST:
        return stom_lowest_init(&e->u.lowest, e->period);
    case STOM__IND_EMA:
        return stom_ema_init(&e->u.ema, e->period);
    case STOM__IND_RSI:
        return stom_rsi_init(&e->u.rsi, e->period);
    case STOM__IND_ATR:
        return stom_atr_init(&e->u.atr, e->period);
    case STOM__IND_BB_UPPER:
    case STOM__IND_BB_LOWER:
        return stom_bollinger_init(&e->u.bb, e->period, e->width);
    case STOM__IND_MACD:
    case STOM__IND_MACD_SIGNAL:
        return stom_macd_init(&e->u.macd, e->period, e->p2, e->p3);
    case STOM__IND_CCI:
        return stom_cci_init(&e->u.cci, e->period);
    case STOM__IND_MFI:
        return stom_mfi_init(&e->u.mfi, e->period);
    case STOM__IND_WILLR:
        return stom_williams_r_init(&e->u.willr, e->period);
    case STOM__IND_ADX:
        return stom_adx_init(&e->u.adx, e->period);
    case STOM__IND_OBV:
        stom_obv_init(&e->u.obv);
        return STOM_OK;
    default:
        return STOM_OK; /* sma and the day kinds start zeroed */
    }
}

static void stream_free(stom__lua_ind *e)
{
    switch (e->kind) {
    case STOM__IND_HIGHEST:
        stom_highest_free(&e->u.highest);
        break;
    case STOM__IND_LOWEST:
        stom_lowest_free(&e->u.lowest);
        break;
    case STOM__IND_BB_UPPER:
    case STOM__IND_BB_LOWER:
        stom_bollinger_free(&e->u.bb);
        break;
    case STOM__IND_CCI:
        stom_cci_free(&e->u.cci);
        break;
    case STOM__IND_MFI:
        stom_mfi_free(&e->u.mfi);
        break;
    case STOM__IND_WILLR:
        stom_williams_r_free(&e->u.willr);
        break;
    default:
        break;
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Today's open/high/low/value and the previous day's close, bar by bar. */
static double day_step(stom__lua_ind *e, const stom__lua_view *v, size_t t)
{
    day_state *d = &e->u.day;
    int64_t day = floor_div(v->ts[t] + (int64_t)v->utc_offset, 86400);
    double o = (double)v->open[t], h = (double)v->high[t], l = (double)v->low[t];
    double c = (double)v->close[t];
    if (!d->started || day != d->day) {
        d->prev_close = d->started ? d->last_close : NAN;
        d->started = true;
        d->day = day;
        d->open = o, d->high = h, d->low = l, d->value = 0;
    }
    d->high = h > d->high ? h : d->high;
    d->low = l < d->low ? l : d->low;
    d->value += c * (double)v->volume[t];
    d->last_close = c;
    switch (e->kind) {
    case STOM__IND_DAY_OPEN:
        return d->open / v->price_scale;
    case STOM__IND_DAY_HIGH:
        return d->high / v->price_scale;
    case STOM__IND_DAY_LOW:
        return d->low / v->price_scale;
    case STOM__IND_DAY_VALUE:
        return d->value / (v->price_scale * v->qty_scale);
    default:
        return d->prev_close / v->price_scale;
    }
}

/*
 * sma over bars from..to-1 of an integer column, values to out (or dropped).
 * sum / (n * scale) is the exact quotient rounded once, so equal averages
 * compare equal, as the built-ins' integer comparisons do.
 */
static void int_sma_run(stom__lua_ind *e, const int64_t *col, double scale, size_t from, size_t to,
                        double *out)
{
    size_t n = (size_t)e->period, t = from;
    int64_t sum = e->u.isma.sum;
    double denom = (double)n * scale;
    for (; t < to && t < n; t++) { /* warming up: the window is not full yet */
        sum += col[t];
        if (out)
            out[t - from] = t + 1 == n ? (double)sum / denom : NAN;
    }
    for (; t < to; t++) {
        sum += col[t] - col[t - n];
        if (out)
            out[t - from] = (double)sum / denom;
    }
    e->u.isma.sum = sum;
}

/* Feeds bar t and returns the series' value at t (every kind but sma). */
static double stream_step(stom__lua_ind *e, const stom__lua_view *v, size_t t)
{
    double c = (double)v->close[t], h = (double)v->high[t], l = (double)v->low[t];
    double vol = (double)v->volume[t], ps = v->price_scale, qs = v->qty_scale;
    switch (e->kind) {
    case STOM__IND_HIGHEST:
        return stom_highest_update(&e->u.highest, c) / ps;
    case STOM__IND_LOWEST:
        return stom_lowest_update(&e->u.lowest, c) / ps;
    case STOM__IND_EMA:
        return stom_ema_update(&e->u.ema, c) / ps;
    case STOM__IND_RSI:
        return stom_rsi_update(&e->u.rsi, c);
    case STOM__IND_ATR:
        return stom_atr_update(&e->u.atr, h, l, c) / ps;
    case STOM__IND_BB_UPPER:
        return stom_bollinger_update(&e->u.bb, c).upper / ps;
    case STOM__IND_BB_LOWER:
        return stom_bollinger_update(&e->u.bb, c).lower / ps;
    case STOM__IND_MACD:
        return stom_macd_update(&e->u.macd, c).macd / ps;
    case STOM__IND_MACD_SIGNAL:
        return stom_macd_update(&e->u.macd, c).signal / ps;
    case STOM__IND_CCI:
        return stom_cci_update(&e->u.cci, h, l, c);
    case STOM__IND_MFI:
        return stom_mfi_update(&e->u.mfi, h, l, c, vol);
    case STOM__IND_WILLR:
        return stom_williams_r_update(&e->u.willr, h, l, c);
    case STOM__IND_ADX:
        return stom_adx_update(&e->u.adx, h, l, c).adx;
    case STOM__IND_OBV:
        return stom_obv_update(&e->u.obv, c, vol) / qs;
    default:
        return day_step(e, v, t);
    }
}

/* Feeds bars from..to-1, writing their values to out unless it is NULL. */
static void feed(stom__lua_ind *e, const stom__lua_view *v, size_t from, size_t to, double *out)
{
    if (e->kind == STOM__IND_SMA) {
        int_sma_run(e, v->close, v->price_scale, from, to, out);
    } else if (e->kind == STOM__IND_AVG_VOLUME) {
        int_sma_run(e, v->volume, v->qty_scale, from, to, out);
    } else {
        for (size_t t = from; t < to; t++) {
            double x = stream_step(e, v, t);
            if (out)
                out[t - from] = x;
        }
    }
}

/* Adds bytes to the state's account; false (and the flag set) when over the limit. */
static bool charge(stom__lua_sym *sym, size_t bytes)
{
    stom__lua_alloc *a = &sym->alloc;
    if (a->limit && a->used + bytes > a->limit) {
        sym->view->mem_hit = 1;
        return false;
    }
    a->used += bytes;
    return true;
}

static bool valid_params(int kind, double a, double b, double c)
{
    bool period_ok = a >= 1 && a <= STOM_IND_MAX_PERIOD && a == floor(a);
    if (kind == STOM__IND_OBV || kind >= STOM__IND_DAY_OPEN)
        return kind < STOM__IND_COUNT;
    if (kind == STOM__IND_MACD || kind == STOM__IND_MACD_SIGNAL)
        return period_ok && b > a && b <= STOM_IND_MAX_PERIOD && b == floor(b) && c >= 1 &&
               c <= STOM_IND_MAX_PERIOD && c == floor(c);
    if (kind == STOM__IND_BB_UPPER || kind == STOM__IND_BB_LOWER)
        return period_ok && b >= 0 && b <= 100;
    return kind >= STOM__IND_SMA && period_ok;
}

stom__lua_ind_head *stom__lua_ind_new(stom__lua_sym *sym, int kind, double a, double b, double c)
{
    if (sym->n_inds == STOM__LUA_MAX_INDS || !valid_params(kind, a, b, c))
        return NULL;
    int period = a >= 1 ? (int)a : 1;
    size_t bytes = sizeof(stom__lua_ind) + CHUNK * sizeof(double) + (size_t)period * 24;
    if (!charge(sym, bytes))
        return NULL;
    stom__lua_ind *e = stom_xcalloc(1, sizeof *e);
    e->kind = kind;
    e->period = period;
    e->p2 = (int)b;
    e->p3 = (int)c;
    e->width = b;
    e->bytes = bytes;
    e->cap = CHUNK;
    e->h.buf = stom_xmalloc(e->cap * sizeof(double));
    if (stream_init(e) != STOM_OK) {
        free(e->h.buf);
        free(e);
        sym->alloc.used -= bytes;
        return NULL;
    }
    e->h.id = (double)sym->n_inds;
    sym->inds[sym->n_inds++] = e;
    return &e->h;
}

/* Makes room to keep `back` values behind the newest one asked for. */
static bool grow_keep(stom__lua_sym *sym, stom__lua_ind *e, size_t back)
{
    if (back <= e->keep)
        return true;
    size_t cap = back + CHUNK;
    if (!charge(sym, (cap - e->cap) * sizeof(double)))
        return false;
    e->bytes += (cap - e->cap) * sizeof(double);
    e->h.buf = stom_xrealloc(e->h.buf, cap * sizeof(double));
    e->cap = cap;
    e->keep = back;
    return true;
}

int32_t stom__lua_ind_fill(stom__lua_view *v, double id, double jd, double backd)
{
    stom__lua_sym *sym = v->owner;
    if (!(id >= 0 && id < (double)sym->n_inds) || !(jd >= 0 && jd < v->len) ||
        !(backd >= 0 && backd <= STOM_IND_MAX_PERIOD))
        return -1;
    stom__lua_ind *e = sym->inds[(size_t)id];
    size_t j = (size_t)jd, len = (size_t)v->len;
    if (!grow_keep(sym, e, (size_t)backd))
        return -1;
    size_t lo = (size_t)e->h.lo, hi = (size_t)e->h.hi;
    if (j < lo) { /* asked further back than was kept: start again from bar 0 */
        stream_free(e);
        stream_init(e);
        lo = hi = 0;
    }
    size_t first = j >= e->keep ? j - e->keep : 0;
    if (hi < first) { /* bars nobody will ask for: feed, do not keep */
        feed(e, v, hi, first, NULL);
        hi = first;
    }
    size_t new_lo = lo > first ? lo : first;
    if (new_lo > hi)
        new_lo = hi;
    memmove(e->h.buf, e->h.buf + (new_lo - lo), (hi - new_lo) * sizeof(double));
    lo = new_lo;
    size_t end = lo + e->cap < len ? lo + e->cap : len;
    feed(e, v, hi, end, e->h.buf + (hi - lo));
    hi = end;
    e->h.lo = (double)lo;
    e->h.hi = (double)hi;
    return 0;
}

void stom__lua_ind_free_all(stom__lua_sym *sym)
{
    for (size_t k = 0; k < sym->n_inds; k++) {
        stream_free(sym->inds[k]);
        free(sym->inds[k]->h.buf);
        free(sym->inds[k]);
    }
    sym->n_inds = 0;
}
