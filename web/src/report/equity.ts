// report/equity.ts - the equity curve against buying and holding the first symbol (its
// price series scaled to the initial cash), in KST.

import { won } from '../format';
import { strings, t } from '../i18n';
import { sec, type Point } from './types';
import { alpha, axis, compactWon, kstTz, plot, timeX } from './uplot';

strings({
  ko: { 'report.eq.equity': '전략 자산', 'report.eq.bh': '보유 ({sym})' },
  en: { 'report.eq.equity': 'Strategy equity', 'report.eq.bh': 'Buy & hold ({sym})' },
});

export function equityChart(
  box: HTMLElement,
  equity: Point[],
  price: Point[],
  initialCash: number,
  symbol: string,
): () => void {
  const xs = equity.map(([ts]) => sec(ts));
  const eq = equity.map(([, v]) => v);
  const priceAt = new Map(price.map(([ts, v]) => [sec(ts), v]));
  const first = price.find(([, v]) => v > 0)?.[1] ?? 0;
  let last: number | null = null;
  const bh = xs.map((x) => {
    const p = priceAt.get(x);
    if (p !== undefined) last = p;
    return first && last !== null ? Math.round((initialCash * last) / first) : null;
  });
  return plot(
    box,
    (c) => ({
      tzDate: kstTz,
      scales: { x: { time: true } },
      axes: [axis(c), axis(c, { size: 60, values: (_u, v) => v.map((x) => compactWon(x)) })],
      series: [
        timeX(),
        {
          label: t('report.eq.equity'),
          stroke: c.accent,
          width: 2,
          fill: alpha(c.accent, 0.08),
          points: { show: false },
          value: (_u, v) => won(v),
        },
        {
          label: t('report.eq.bh', { sym: symbol }),
          stroke: c.muted,
          width: 1.5,
          dash: [6, 4],
          points: { show: false },
          value: (_u, v) => won(v),
        },
      ],
    }),
    [xs, eq, bh],
  );
}
