// report/timeofday.ts - P&L summed (and trades counted) by the KST hour and by the
// weekday of each trade's exit.

import { won } from '../format';
import { lang, strings, t } from '../i18n';
import type { Trade } from './types';
import { alpha, axis, compactWon, bars, plot } from './uplot';

strings({
  ko: {
    'report.tod.gain': '이익 합계',
    'report.tod.loss': '손실 합계',
    'report.tod.count': '거래 수',
    'report.tod.hour': '시 (KST)',
    'report.tod.day': '요일',
  },
  en: {
    'report.tod.gain': 'Net gain',
    'report.tod.loss': 'Net loss',
    'report.tod.count': 'Trades',
    'report.tod.hour': 'Hour (KST)',
    'report.tod.day': 'Weekday',
  },
});

const KO_DAYS = ['일', '월', '화', '수', '목', '금', '토'];
const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const KST_MS = 9 * 3600 * 1000;

function kstParts(ts: string): { hour: number; day: number } {
  const d = new Date(Date.parse(ts) + KST_MS);
  return { hour: d.getUTCHours(), day: d.getUTCDay() };
}

export interface Bucket {
  key: number;
  label: string;
  pnl: number;
  count: number;
}

/** Sums by KST hour of exit (only hours that have trades, plus 09–15 of the session). */
export function byHour(trades: Trade[]): Bucket[] {
  const m = new Map<number, Bucket>();
  for (let hr = 9; hr <= 15; hr++) m.set(hr, { key: hr, label: `${String(hr).padStart(2, '0')}`, pnl: 0, count: 0 });
  for (const tr of trades) {
    const { hour } = kstParts(tr.exit_time);
    const b = m.get(hour) ?? { key: hour, label: String(hour).padStart(2, '0'), pnl: 0, count: 0 };
    b.pnl += tr.pnl;
    b.count += 1;
    m.set(hour, b);
  }
  return [...m.values()].sort((a, b) => a.key - b.key);
}

/** Sums by weekday of exit: 월–금, and 토/일 only when a trade closed then. */
export function byWeekday(trades: Trade[]): Bucket[] {
  const names = lang() === 'en' ? EN_DAYS : KO_DAYS;
  const m = new Map<number, Bucket>();
  for (let d = 1; d <= 5; d++) m.set(d, { key: d, label: names[d], pnl: 0, count: 0 });
  for (const tr of trades) {
    const { day } = kstParts(tr.exit_time);
    const b = m.get(day) ?? { key: day, label: names[day], pnl: 0, count: 0 };
    b.pnl += tr.pnl;
    b.count += 1;
    m.set(day, b);
  }
  const order = (d: number) => (d === 0 ? 7 : d);
  return [...m.values()].sort((a, b) => order(a.key) - order(b.key));
}

export function bucketChart(box: HTMLElement, buckets: Bucket[], xLabel: 'hour' | 'day'): () => void {
  const xs = buckets.map((_, i) => i);
  const gain = buckets.map((b) => (b.pnl > 0 ? b.pnl : null));
  const loss = buckets.map((b) => (b.pnl < 0 ? b.pnl : null));
  const count = buckets.map((b) => b.count);
  const wonFmt = (_u: unknown, v: number | null) => (v === null ? '–' : won(v));
  box.setAttribute('aria-label', buckets.map((b) => `${b.label}: ${won(b.pnl)} (${b.count})`).join(', '));
  return plot(
    box,
    (c) => ({
      scales: {
        x: { time: false, range: () => [-0.5, buckets.length - 0.5] },
        n: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.2] },
      },
      axes: [
        axis(c, { splits: () => xs, values: (_u, v) => v.map((i) => buckets[i]?.label ?? '') }),
        axis(c, { size: 60, values: (_u, v) => v.map((x) => compactWon(x)) }),
        axis(c, { scale: 'n', side: 1, size: 40, grid: { show: false } }),
      ],
      series: [
        {
          label: t(xLabel === 'hour' ? 'report.tod.hour' : 'report.tod.day'),
          value: (_u, i) => (i === null ? '–' : (buckets[i]?.label ?? '')),
        },
        {
          label: t('report.tod.gain'),
          stroke: c.up,
          fill: alpha(c.up, 0.75),
          paths: bars(),
          points: { show: false },
          value: wonFmt,
        },
        {
          label: t('report.tod.loss'),
          stroke: c.down,
          fill: alpha(c.down, 0.75),
          paths: bars(),
          points: { show: false },
          value: wonFmt,
        },
        {
          label: t('report.tod.count'),
          scale: 'n',
          stroke: c.accent2,
          width: 0,
          points: { show: true, size: 7, fill: c.accent2 },
          value: (_u, v) => (v === null ? '–' : String(v)),
        },
      ],
    }),
    [xs, gain, loss, count],
  );
}
