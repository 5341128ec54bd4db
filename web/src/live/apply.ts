// live/apply.ts - brings a chart's candle and volume series up to a BarBuilder with at
// most one update() per call: setData when the chart is more than one bar behind (it
// was off-screen or hidden), the previous bar first when it changed after it was last
// shown (the next call then shows the new one), else the last bar.

import type { CandlestickData, HistogramData, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import type { Bar, BarBuilder } from './bars';
import { themeColors } from '../theme';

export interface Shown {
  /** Time and rev of the last bar given to the chart; -1 when it has nothing. */
  time: number;
  rev: number;
  /** Bars the series holds (update() appends; setData past the cap trims it). */
  count: number;
}

export function candleOf(b: Bar): CandlestickData<UTCTimestamp> {
  return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
}

export function volumeOf(b: Bar, up: string, down: string): HistogramData<UTCTimestamp> {
  return { time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? up : down };
}

/** Returns 'none' | 'update' | 'full', and whether more is left to show ('more'). */
export function applyBars(
  builder: BarBuilder,
  shown: Shown,
  candle: ISeriesApi<'Candlestick'>,
  vol: ISeriesApi<'Histogram'> | null,
  colors: { up: string; down: string },
): { did: 'none' | 'update' | 'full'; more: boolean } {
  const bars = builder.bars;
  const n = bars.length;
  if (n === 0) return { did: 'none', more: false };
  const last = bars[n - 1];
  if (last.time === shown.time && last.rev === shown.rev) return { did: 'none', more: false };
  const prev = n > 1 ? bars[n - 2] : null;
  const upDown = { up: fade(colors.up), down: fade(colors.down) };
  const grows = shown.time !== last.time;
  if (grows && shown.count >= builder.cap + 50) shown.time = -1; /* trim: setData below */
  if (shown.time === last.time || (prev && prev.time === shown.time && prev.rev === shown.rev)) {
    if (grows) shown.count += 1;
    candle.update(candleOf(last));
    vol?.update(volumeOf(last, upDown.up, upDown.down));
    shown.time = last.time;
    shown.rev = last.rev;
    return { did: 'update', more: false };
  }
  if (prev && prev.time === shown.time) {
    candle.update(candleOf(prev));
    vol?.update(volumeOf(prev, upDown.up, upDown.down));
    shown.rev = prev.rev;
    return { did: 'update', more: true };
  }
  candle.setData(bars.map(candleOf));
  vol?.setData(bars.map((b) => volumeOf(b, upDown.up, upDown.down)));
  shown.time = last.time;
  shown.rev = last.rev;
  shown.count = n;
  return { did: 'full', more: false };
}

const fadeCache = new Map<string, string>();
/** A theme colour (#rrggbb) at half opacity for volume bars; other forms as they are. */
export function fade(c: string): string {
  let f = fadeCache.get(c);
  if (!f) {
    f = /^#[0-9a-f]{6}$/i.test(c) ? `${c}80` : c;
    fadeCache.set(c, f);
  }
  return f;
}

export function colorsNow(): { up: string; down: string } {
  const c = themeColors();
  return { up: c.up, down: c.down };
}

const intFmt = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });
/** Prices on the charts' axes: integer won with thousands separators. */
export const priceText = (p: number): string => intFmt.format(p);
export const WON_FORMAT = { type: 'price' as const, precision: 0, minMove: 1 };
