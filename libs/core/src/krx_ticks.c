/*
 * krx_ticks.c - KRX tick grids (호가가격단위) and daily price limits
 * (see stom/krx.h and docs/krx-rules.md).
 *
 * A grid is a const table of bands {below, tick}: a price under `below` and
 * at or above the previous band's `below` moves in steps of `tick`. Which
 * table applies depends on the board and the date (the unified table since
 * 2023-01-25, the 2010-era KOSPI and KOSDAQ tables before, a flat 5 won for
 * ETF/ETN at all dates).
 *
 * Invariant the arithmetic relies on: every band's lower bound is a multiple
 * of its own tick and of the previous band's tick. So the grid is the union
 * of each band's tick multiples inside the band, flooring or ceiling inside
 * a band never leaves the grid, and the neighbours of a grid price p are
 * p + tick(p) above and p - tick(p - 1) below. The smallest grid price is
 * the first band's tick; nothing here returns less.
 *
 * All arithmetic is exact in int64; results that would pass INT64_MAX stop
 * at the highest grid price instead.
 */
#include <stddef.h>

#include "stom/krx.h"

typedef struct krx_band {
    int64_t below; /* first price of the next band */
    int64_t tick;
} krx_band;

typedef struct krx_grid {
    const krx_band *bands;
    size_t n;
} krx_grid;

/* The unified KOSPI/KOSDAQ/KONEX table takes effect on this trading date. */
#define KRX_UNIFIED_TICKS_SINCE 20230125

static const krx_band unified_bands[] = {
    {2000, 1}, {5000, 5}, {20000, 10}, {50000, 50}, {200000, 100}, {500000, 500}, {INT64_MAX, 1000},
};

/* KOSPI before 2023-01-25. */
static const krx_band kospi_2010_bands[] = {
    {1000, 1}, {5000, 5}, {10000, 10}, {50000, 50}, {100000, 100}, {500000, 500}, {INT64_MAX, 1000},
};

/* KOSDAQ (and KONEX) before 2023-01-25: 100 won from 50,000 up. */
static const krx_band kosdaq_2010_bands[] = {
    {1000, 1}, {5000, 5}, {10000, 10}, {50000, 50}, {INT64_MAX, 100},
};

/* ETF and ETN (and ELW): 5 won at every price and date. */
static const krx_band flat5_bands[] = {{INT64_MAX, 5}};

#define KRX_GRID(b) ((krx_grid){(b), sizeof(b) / sizeof((b)[0])})

/* A board that is not a KRX listing (STOM_BOARD_NONE) gets the stock table. */
static krx_grid grid_for(stom_board board, int32_t date)
{
    if (board == STOM_BOARD_ETF || board == STOM_BOARD_ETN)
        return KRX_GRID(flat5_bands);
    if (date >= KRX_UNIFIED_TICKS_SINCE)
        return KRX_GRID(unified_bands);
    if (board == STOM_BOARD_KOSDAQ || board == STOM_BOARD_KONEX)
        return KRX_GRID(kosdaq_2010_bands);
    return KRX_GRID(kospi_2010_bands);
}

/* Index of the band holding price (the first band when price <= 0). */
static size_t band_of(krx_grid g, int64_t price)
{
    size_t i = 0;
    while (i + 1 < g.n && price >= g.bands[i].below)
        i++;
    return i;
}

static int64_t min_price(krx_grid g)
{
    return g.bands[0].tick;
}

/* The highest grid price <= p, but at least the smallest grid price. */
static int64_t grid_down(krx_grid g, int64_t p)
{
    if (p <= min_price(g))
        return min_price(g);
    int64_t tick = g.bands[band_of(g, p)].tick;
    return p - p % tick;
}

/* The lowest grid price >= p (the highest grid price if none fits in int64). */
static int64_t grid_up(krx_grid g, int64_t p)
{
    if (p <= min_price(g))
        return min_price(g);
    int64_t tick = g.bands[band_of(g, p)].tick;
    int64_t floor = p - p % tick;
    if (floor == p || floor > INT64_MAX - tick)
        return floor;
    return floor + tick;
}

/*
 * k steps up from grid price p, a band at a time: inside a band the steps
 * are all the band's tick, and the band's top is itself a grid price.
 */
static int64_t step_up(krx_grid g, int64_t p, int64_t k)
{
    while (k > 0) {
        size_t i = band_of(g, p);
        int64_t tick = g.bands[i].tick;
        int64_t room = (g.bands[i].below - p) / tick;
        if (k <= room)
            return p + k * tick;
        if (i + 1 == g.n)
            return p + room * tick; /* the top of int64 */
        p += room * tick;
        k -= room;
    }
    return p;
}

/* k steps down from grid price p; the band below a step is the band of p - 1. */
static int64_t step_down(krx_grid g, int64_t p, int64_t k)
{
    while (k > 0 && p > min_price(g)) {
        size_t i = band_of(g, p - 1);
        int64_t tick = g.bands[i].tick;
        int64_t bottom = i > 0 ? g.bands[i - 1].below : min_price(g);
        int64_t room = (p - bottom) / tick;
        if (k <= room)
            return p - k * tick;
        p = bottom;
        k -= room;
    }
    return p;
}

int64_t stom_krx_tick_size(int64_t price, stom_board board, int32_t date)
{
    krx_grid g = grid_for(board, date);
    return g.bands[band_of(g, price)].tick;
}

bool stom_krx_on_tick(int64_t price, stom_board board, int32_t date)
{
    krx_grid g = grid_for(board, date);
    return price >= min_price(g) && price % g.bands[band_of(g, price)].tick == 0;
}

int64_t stom_krx_round_to_tick(int64_t price, stom_board board, int32_t date, int dir)
{
    krx_grid g = grid_for(board, date);
    int64_t down = grid_down(g, price);
    /* On the grid already, or below the smallest tick (down is then above price). */
    if (dir < 0 || down >= price)
        return down;
    int64_t up = grid_up(g, price);
    if (dir > 0)
        return up;
    return price - down < up - price ? down : up; /* ties go up */
}

int64_t stom_krx_step_ticks(int64_t price, int n, stom_board board, int32_t date)
{
    krx_grid g = grid_for(board, date);
    if (n > 0)
        return step_up(g, grid_up(g, price), n);
    if (n < 0)
        return step_down(g, grid_down(g, price), -(int64_t)n);
    return stom_krx_round_to_tick(price, board, date, 0);
}

void stom_krx_price_limits(int64_t ref, stom_board board, int32_t date, int64_t *lower,
                           int64_t *upper)
{
    krx_grid g = grid_for(board, date);
    /* KONEX moves at most 15% a day; KOSPI, KOSDAQ, ETFs and ETNs 30%. */
    int64_t pct = board == STOM_BOARD_KONEX ? 15 : 30;
    /*
     * floor(ref * (100 + pct) / 100) and ceil(ref * (100 - pct) / 100) with
     * ref = 100q + r, so the products stay small; a grid price is an integer,
     * so the highest grid price <= ref * 1.3 is the highest one <= its floor
     * (likewise the ceiling below).
     */
    int64_t q = ref / 100, r = ref % 100;
    int64_t cap =
        q > (INT64_MAX - 200) / (100 + pct) ? INT64_MAX : q * (100 + pct) + r * (100 + pct) / 100;
    int64_t floor_price = q * (100 - pct) + (r * (100 - pct) + 99) / 100;
    if (upper)
        *upper = grid_down(g, cap);
    if (lower)
        *lower = grid_up(g, floor_price);
}
