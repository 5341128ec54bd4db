/*
 * sim_replay.h - stored bars replayed as trades: the market stom-broker-sim
 * serves with --replay (docs/broker-sim.md).
 *
 * Each bar becomes up to four trades inside its interval whose first price
 * is the open, last the close, maximum the high and minimum the low, and
 * whose quantities add up to the bar's volume, so that a bar builder
 * rebuilds the stored bar exactly:
 *   prices  open, low, high, close when close >= open, else open, high,
 *           low, close; a price equal to the one before is dropped;
 *   times   trade k of n at start + k * len / n (ns), where the interval is
 *           [ts, ts + timeframe) for intraday bars and the continuous
 *           session 09:00-15:20 KST of the bar's day for daily bars;
 *   volume  volume / n each, the remainder on the first trade. A bar with
 *           volume 0 is not replayed (nothing traded); a bar with fewer
 *           shares than price points gets one share a point (its volume then
 *           reads n).
 * The symbols' trades are merged in time order (ties: symbol order). The
 * reference price of each symbol's day (the day's price limits) is the last
 * close of its previous day in the replay, and for the first day its first
 * open; it comes with the day's first trade.
 *
 * Thread-safety: one thread per replay.
 */
#ifndef STOM_SIM_REPLAY_H
#define STOM_SIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_market.h"
#include "stom/bars.h"
#include "stom/store.h"

#define SIM_REPLAY_POINTS 4

typedef struct sim_replay_trade {
    int symbol;
    int64_t ts_ns, price, qty;
    bool opens_bar;
    int64_t ref_price; /* > 0 on the first trade of a symbol's day: that day's reference */
} sim_replay_trade;

/*
 * The trades of bar k of b (timeframe_s: 60 for 1m bars, 86400 for 1d) into
 * out; returns how many (0 for a bar without volume). Pure.
 */
size_t sim_replay_bar_trades(const stom_bars *b, size_t k, int64_t timeframe_s,
                             sim_replay_trade out[SIM_REPLAY_POINTS]);

typedef struct sim_replay sim_replay;

/*
 * Loads the bars of codes (n of them) of timeframe ("1m" or "1d") with
 * from_s <= ts < to_s from the database and fills syms[0..n) (code, board
 * from the stored instrument, reference = the first open). 0, or
 * STOM_EINVAL / STOM_ENOTFOUND / STOM_EEMPTY / STOM_EIO with eb naming the
 * symbol and what was wrong. Borrows db and codes.
 */
int sim_replay_load(sim_replay **out, stom_db *db, const char *const *codes, int n,
                    const char *timeframe, int64_t from_s, int64_t to_s, sim_symbol *syms,
                    stom_errbuf *eb);
void sim_replay_destroy(sim_replay *r);

/* The next trade in time order into *out; false when the replay has ended. */
bool sim_replay_peek(sim_replay *r, sim_replay_trade *out);
/* Moves past the trade _peek gave. */
void sim_replay_pop(sim_replay *r);
/* Trades replayed so far (popped). */
uint64_t sim_replay_count(const sim_replay *r);

#endif
