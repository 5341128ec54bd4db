// report/tradepnl.ts - each closed trade's P&L as a bar (gains red, losses blue, in
// exit order) with the cumulative P&L as a line on its own axis.

import { won } from '../format';
import { strings, t } from '../i18n';
import type { Trade } from './types';
import { alpha, axis, compactWon, bars, plot } from './uplot';

strings({
  ko: { 'report.tp.trade': '거래 #', 'report.tp.win': '이익', 'report.tp.loss': '손실', 'report.tp.cum': '누적 손익' },
  en: {
    'report.tp.trade': 'Trade #',
    'report.tp.win': 'Gain',
    'report.tp.loss': 'Loss',
    'report.tp.cum': 'Cumulative P&L',
  },
});

export function tradePnlChart(box: HTMLElement, trades: Trade[]): () => void {
  const xs = trades.map((_, i) => i + 1);
  const gains = trades.map((tr) => (tr.pnl > 0 ? tr.pnl : null));
  const losses = trades.map((tr) => (tr.pnl <= 0 ? tr.pnl : null));
  let acc = 0;
  const cum = trades.map((tr) => (acc += tr.pnl));
  const wonFmt = (_u: unknown, v: number | null) => (v === null ? '–' : won(v));
  return plot(
    box,
    (c) => ({
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, cum: {} },
      axes: [
        axis(c, { values: (_u, v) => v.map((x) => (Number.isInteger(x) ? String(x) : '')) }),
        axis(c, { size: 60, values: (_u, v) => v.map((x) => compactWon(x)) }),
        axis(c, {
          scale: 'cum',
          side: 1,
          size: 60,
          grid: { show: false },
          values: (_u, v) => v.map((x) => compactWon(x)),
        }),
      ],
      series: [
        { label: t('report.tp.trade'), value: (_u, v) => (v === null ? '–' : String(v)) },
        {
          label: t('report.tp.win'),
          stroke: c.up,
          fill: alpha(c.up, 0.75),
          paths: bars(),
          points: { show: false },
          value: wonFmt,
        },
        {
          label: t('report.tp.loss'),
          stroke: c.down,
          fill: alpha(c.down, 0.75),
          paths: bars(),
          points: { show: false },
          value: wonFmt,
        },
        { label: t('report.tp.cum'), scale: 'cum', stroke: c.accent, width: 2, value: wonFmt },
      ],
    }),
    [xs, gains, losses, cum],
  );
}
