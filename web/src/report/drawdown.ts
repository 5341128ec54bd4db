// report/drawdown.ts - the underwater curve: drawdown % from the running peak (≤ 0).

import { pct } from '../format';
import { strings, t } from '../i18n';
import { sec, type Point } from './types';
import { alpha, axis, kstTz, plot, timeX } from './uplot';

strings({ ko: { 'report.dd.series': '낙폭' }, en: { 'report.dd.series': 'Drawdown' } });

export function drawdownChart(box: HTMLElement, dd: Point[]): () => void {
  const xs = dd.map(([ts]) => sec(ts));
  const ys = dd.map(([, v]) => (v > 0 ? -v : v));
  return plot(
    box,
    (c) => ({
      tzDate: kstTz,
      scales: { y: { range: (_u, min) => [Math.min(min * 1.1, -0.01), 0] } },
      axes: [axis(c), axis(c, { size: 60, values: (_u, v) => v.map((x) => pct(x, 1)) })],
      series: [
        timeX(),
        {
          label: t('report.dd.series'),
          stroke: c.down,
          width: 1.5,
          fill: alpha(c.down, 0.3),
          points: { show: false },
          value: (_u, v) => pct(v),
        },
      ],
    }),
    [xs, ys],
  );
}
