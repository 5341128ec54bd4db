// live/bars.ts - candles built in the browser from the broker's trades on the exchange
// time (ts_ns). The gateway conflates market topics to the latest message, so a bar's
// volume comes from differences of the day's cumulative volume (cum_qty) when the feed
// carries it, else from the prints' qty. History is capped (oldest bars dropped).

export interface Trade {
  symbol: string;
  /** Exchange time, ns since the epoch. */
  tsNs: number;
  price: number;
  qty: number;
  /** 1 buyer lifted the ask, -1 seller hit the bid, 0 unknown. */
  side: 1 | -1 | 0;
  cumQty: number | null;
}

export interface Bar {
  /** Bar start, seconds since the epoch (lightweight-charts UTCTimestamp). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Buy-aggressor and sell-aggressor volume in the bar (for 체결강도). */
  buyVol: number;
  sellVol: number;
  /** Bumped on every change, so a chart knows whether it has shown the latest. */
  rev: number;
}

/** A Trade from a WebSocket event's data (the Trade protobuf as JSON), or null. */
export function parseTrade(d: unknown): Trade | null {
  const o = d as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return null;
  const price = Number(o.price);
  const ts = Number(o.ts_ns);
  if (!Number.isFinite(price) || !Number.isFinite(ts) || price <= 0) return null;
  const a = o.aggressor;
  const side = a === 1 || a === 'SIDE_BUY' || a === 'BUY' ? 1 : a === 2 || a === 'SIDE_SELL' || a === 'SELL' ? -1 : 0;
  const cum = o.cum_qty === undefined || o.cum_qty === null ? null : Number(o.cum_qty);
  return {
    symbol: String(o.symbol ?? ''),
    tsNs: ts,
    price,
    qty: Number(o.qty) || 0,
    side,
    cumQty: Number.isFinite(cum) ? cum : null,
  };
}

export class BarBuilder {
  readonly bars: Bar[] = [];
  private lastCum: number | null = null;
  private lastPrice = 0;
  private lastSide: 1 | -1 = 1;

  constructor(
    readonly seconds: number,
    readonly cap = 500,
  ) {}

  clear(): void {
    this.bars.length = 0;
    this.lastCum = null;
    this.lastPrice = 0;
  }

  /** Adds a trade; returns false when it is older than the last bar (ignored). */
  add(tr: Trade): boolean {
    const sec = Math.floor(tr.tsNs / 1e9);
    const time = sec - (sec % this.seconds);
    let vol = tr.qty;
    if (tr.cumQty !== null) {
      vol =
        this.lastCum !== null && tr.cumQty >= this.lastCum
          ? tr.cumQty - this.lastCum
          : this.lastCum === null
            ? tr.qty
            : 0;
      this.lastCum = tr.cumQty;
    }
    // Without the aggressor, the tick rule: up-tick a buy, down-tick a sell, else as before.
    let side = tr.side;
    if (side === 0) side = tr.price > this.lastPrice ? 1 : tr.price < this.lastPrice ? -1 : this.lastSide;
    if (this.lastPrice === 0 && tr.side === 0) side = 1;
    this.lastSide = side;
    this.lastPrice = tr.price;
    const last = this.bars[this.bars.length - 1];
    if (last && time < last.time) return false;
    if (last && time === last.time) {
      last.high = Math.max(last.high, tr.price);
      last.low = Math.min(last.low, tr.price);
      last.close = tr.price;
      last.volume += vol;
      if (side > 0) last.buyVol += vol;
      else last.sellVol += vol;
      last.rev += 1;
    } else {
      this.bars.push({
        time,
        open: tr.price,
        high: tr.price,
        low: tr.price,
        close: tr.price,
        volume: vol,
        buyVol: side > 0 ? vol : 0,
        sellVol: side > 0 ? 0 : vol,
        rev: 1,
      });
      if (this.bars.length > this.cap) this.bars.splice(0, this.bars.length - this.cap);
    }
    return true;
  }
}

const RESTART_NS = 60e9;

/** Per symbol: the trades' bars in both timeframes, the first and last price. */
export class SymbolFeed {
  readonly tf: Record<number, BarBuilder>;
  first: number | null = null;
  last: number | null = null;
  lastTsNs = 0;
  /** Bumped on every trade. */
  version = 0;

  constructor(
    readonly symbol: string,
    timeframes: number[],
    cap = 500,
  ) {
    this.tf = {};
    for (const s of timeframes) this.tf[s] = new BarBuilder(s, cap);
  }

  add(tr: Trade): void {
    // A clock more than a minute back is a new session (a restarted feed or a new day):
    // its bars start over rather than freeze until the time passes the old last bar.
    if (this.lastTsNs && tr.tsNs < this.lastTsNs - RESTART_NS) {
      for (const b of Object.values(this.tf)) b.clear();
      this.first = null;
    }
    if (this.first === null) this.first = tr.price;
    this.last = tr.price;
    this.lastTsNs = tr.tsNs;
    for (const b of Object.values(this.tf)) b.add(tr);
    this.version += 1;
  }
}
