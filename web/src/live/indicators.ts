// live/indicators.ts - the full chart's lines from bars: simple moving averages of the
// close and 체결강도 (buy-aggressor volume / sell-aggressor volume × 100 over the last
// `window` bars), each as a point per bar; `last*` give the newest point only.

import type { LineData, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { Bar } from './bars';

type Point = LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;

export function smaAt(bars: Bar[], i: number, n: number): Point {
  const time = bars[i].time as UTCTimestamp;
  if (i + 1 < n) return { time };
  let s = 0;
  for (let k = i - n + 1; k <= i; k++) s += bars[k].close;
  return { time, value: s / n };
}

export function strengthAt(bars: Bar[], i: number, window: number): Point {
  const time = bars[i].time as UTCTimestamp;
  let buy = 0;
  let sell = 0;
  for (let k = Math.max(0, i - window + 1); k <= i; k++) {
    buy += bars[k].buyVol;
    sell += bars[k].sellVol;
  }
  if (buy + sell === 0) return { time };
  // All buys: capped at 500 so one quiet window does not flatten the scale.
  return { time, value: sell > 0 ? Math.min(500, (buy / sell) * 100) : 500 };
}

export function series(bars: Bar[], f: (bars: Bar[], i: number) => Point): Point[] {
  return bars.map((_, i) => f(bars, i));
}
