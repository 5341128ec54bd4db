// report/walkforward.ts - walk-forward windows: in-sample vs out-of-sample return (%)
// and objective per window, as grouped bars, plus the windows' table.

import { dec, kstDay, pct, signClass } from '../format';
import { strings, t } from '../i18n';
import { dataTable, type Column } from '../ui';
import { paramText, type WalkWindow } from './types';
import { alpha, axis, plot } from './uplot';
import uPlot from 'uplot';

strings({
  ko: {
    'opt.wf.window': '구간',
    'opt.wf.is': '학습 구간 수익률',
    'opt.wf.oos': '검증 구간 수익률',
    'opt.wf.train': '학습 기간',
    'opt.wf.test': '검증 기간',
    'opt.wf.params': '선택된 파라미터',
    'opt.wf.is_obj': '학습 목표값',
    'opt.wf.oos_obj': '검증 목표값',
  },
  en: {
    'opt.wf.window': 'Window',
    'opt.wf.is': 'In-sample return',
    'opt.wf.oos': 'Out-of-sample return',
    'opt.wf.train': 'Train period',
    'opt.wf.test': 'Test period',
    'opt.wf.params': 'Chosen parameters',
    'opt.wf.is_obj': 'IS objective',
    'opt.wf.oos_obj': 'OOS objective',
  },
});

function groupBars(side: -1 | 1): uPlot.Series.PathBuilder {
  return uPlot.paths.bars!({ size: [0.35, 40], align: side });
}

export function walkforwardChart(box: HTMLElement, windows: WalkWindow[]): () => void {
  const xs = windows.map((w) => w.window);
  const is = windows.map((w) => w.in_sample_return_pct);
  const oos = windows.map((w) => w.out_of_sample_return_pct);
  const fmt = (_u: unknown, v: number | null) => (v === null ? '–' : pct(v, 2, true));
  return plot(
    box,
    (c) => ({
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] } },
      axes: [
        axis(c, { splits: () => xs, values: (_u, v) => v.map((x) => `#${x}`) }),
        axis(c, { size: 60, values: (_u, v) => v.map((x) => pct(x, 1)) }),
      ],
      series: [
        { label: t('opt.wf.window'), value: (_u, v) => (v === null ? '–' : `#${v}`) },
        {
          label: t('opt.wf.is'),
          stroke: c.accent2,
          fill: alpha(c.accent2, 0.7),
          paths: groupBars(-1),
          points: { show: false },
          value: fmt,
        },
        {
          label: t('opt.wf.oos'),
          stroke: c.accent,
          fill: alpha(c.accent, 0.7),
          paths: groupBars(1),
          points: { show: false },
          value: fmt,
        },
      ],
    }),
    [xs, is, oos],
  );
}

const span = (s: { from: string; to: string } | null) => (s ? `${kstDay(s.from)} ~ ${kstDay(s.to)}` : '–');

export function walkforwardTable(windows: WalkWindow[], runId: string): HTMLElement {
  const cols: Column<WalkWindow>[] = [
    { key: 'window', label: t('opt.wf.window'), num: true },
    { key: 'train', label: t('opt.wf.train'), value: (w) => span(w.train) },
    { key: 'test', label: t('opt.wf.test'), value: (w) => span(w.test) },
    { key: 'params', label: t('opt.wf.params'), value: (w) => paramText(w.params) },
    {
      key: 'objective',
      label: t('opt.wf.is_obj'),
      num: true,
      cell: (w) => (w.objective === null ? '–' : dec(w.objective, 4)),
    },
    {
      key: 'test_objective',
      label: t('opt.wf.oos_obj'),
      num: true,
      cell: (w) => (w.test_objective === null ? '–' : dec(w.test_objective, 4)),
    },
    {
      key: 'in_sample_return_pct',
      label: t('opt.wf.is'),
      num: true,
      cell: (w) => pct(w.in_sample_return_pct, 2, true),
      cls: (w) => signClass(w.in_sample_return_pct),
    },
    {
      key: 'out_of_sample_return_pct',
      label: t('opt.wf.oos'),
      num: true,
      cell: (w) => pct(w.out_of_sample_return_pct, 2, true),
      cls: (w) => signClass(w.out_of_sample_return_pct),
    },
  ];
  return dataTable(cols, windows, { id: 'opt-walkforward', csv: `walkforward-${runId}.csv` });
}
