// live/feeds.ts - one WebSocket subscription per symbol (market.<symbol>), feeding a
// SymbolFeed with both bar timeframes. Handlers only store: drawing happens in the
// page's animation-frame loop.

import { subscribe } from '../ws';
import { parseTrade, SymbolFeed } from './bars';

export const TIMEFRAMES = [5, 60];

export class Feeds {
  readonly map = new Map<string, SymbolFeed>();
  private readonly subs = new Map<string, () => void>();

  constructor(
    private readonly onTrade: (tsNs: number) => void,
    private readonly cap = 500,
  ) {}

  /** Subscribes exactly the given symbols (drops the others and their bars). */
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
      const feed = new SymbolFeed(s, TIMEFRAMES, this.cap);
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
