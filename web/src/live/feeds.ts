// live/feeds.ts - one WebSocket subscription per symbol (market.<symbol>), feeding a
// SymbolFeed with both bar timeframes. Handlers only store: drawing happens in the
// pages' animation-frame loops. The bars outlive a page (a module-level store of at most
// KEEP symbols), so the full chart opened from the grid starts with the grid's history,
// and the grid has it again on the way back; only subscribed symbols receive trades.

import { subscribe } from '../ws';
import { parseTrade, SymbolFeed } from './bars';

export const TIMEFRAMES = [5, 60];
export const CAP = 500;
const KEEP = 48;

const store = new Map<string, SymbolFeed>();

function feedOf(symbol: string, cap: number): SymbolFeed {
  let f = store.get(symbol);
  if (f && f.tf[TIMEFRAMES[0]].cap !== cap) f = undefined; /* another cap: start over */
  if (f) {
    store.delete(symbol); /* most recently used last */
  } else {
    f = new SymbolFeed(symbol, TIMEFRAMES, cap);
  }
  store.set(symbol, f);
  while (store.size > KEEP) store.delete(store.keys().next().value as string);
  return f;
}

export class Feeds {
  readonly map = new Map<string, SymbolFeed>();
  private readonly subs = new Map<string, () => void>();

  /** cap: bars kept per symbol and timeframe (the grid's ?cap=, for the bench). */
  constructor(
    private readonly onTrade: (tsNs: number) => void,
    private readonly cap = CAP,
  ) {}

  /** Subscribes exactly the given symbols (the others are unsubscribed). */
  want(symbols: Iterable<string>): void {
    const set = new Set(symbols);
    for (const [s, off] of this.subs) {
      if (!set.has(s)) {
        off();
        this.subs.delete(s);
        this.map.delete(s);
      }
    }
    for (const s of set) {
      if (this.subs.has(s)) continue;
      const feed = feedOf(s, this.cap);
      this.map.set(s, feed);
      this.subs.set(
        s,
        subscribe(`market.${s}`, (e) => {
          const tr = parseTrade(e.data);
          if (!tr) return;
          feed.add(tr);
          this.onTrade(tr.tsNs);
        }),
      );
    }
  }

  close(): void {
    for (const off of this.subs.values()) off();
    this.subs.clear();
    this.map.clear();
  }
}
