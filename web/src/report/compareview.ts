// report/compareview.ts - compare runs: overlaid equity curves (won or % return) and
// the metrics side by side with the best value per row marked.

import { h } from '../dom';
import { pct, won } from '../format';
import { strings, t } from '../i18n';
import { fmtMetric, METRICS, metricLabel, type Metrics } from './names';
import { sec, type Point } from './types';
import { axis, compactWon, kstTz, plot, type Colors, timeX } from './uplot';

strings({
  ko: { 'cmp.metric': '지표 (STOM / 표준)', 'cmp.best': '최고값', 'cmp.caption': '지표 비교' },
  en: { 'cmp.metric': 'Metric (STOM / standard)', 'cmp.best': 'best', 'cmp.caption': 'Metrics side by side' },
});

export interface CmpRun {
  id: string;
  label: string;
  metrics: Metrics;
  equity: Point[];
}

export function palette(c: Colors): string[] {
  return [c.accent, c.accent2, c.up, c.down, c.fg];
}

/** Overlaid equity curves; `mode` 'won' or 'pct' (return from each run's initial cash). */
export function compareChart(box: HTMLElement, runs: CmpRun[], mode: 'won' | 'pct'): () => void {
  const xsSet = new Set<number>();
  for (const r of runs) for (const [ts] of r.equity) xsSet.add(sec(ts));
  const xs = [...xsSet].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = runs.map((r) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    const base = Number(r.metrics.initial_cash ?? r.equity[0]?.[1] ?? 1) || 1;
    for (const [ts, v] of r.equity) col[index.get(sec(ts))!] = mode === 'pct' ? (v / base - 1) * 100 : v;
    return col;
  });
  const fmt = (_u: unknown, v: number | null) => (v === null ? '–' : mode === 'pct' ? pct(v, 2, true) : won(v));
  return plot(
    box,
    (c) => {
      const pal = palette(c);
      return {
        tzDate: kstTz,
        axes: [
          axis(c),
          axis(c, { size: 64, values: (_u, v) => v.map((x) => (mode === 'pct' ? pct(x, 1) : compactWon(x))) }),
        ],
        series: [
          timeX(),
          ...runs.map((r, i) => ({
            label: r.label,
            stroke: pal[i % pal.length],
            width: 2,
            spanGaps: true,
            points: { show: false },
            value: fmt,
          })),
        ],
      };
    },
    [xs, ...ys],
  );
}

export function compareTable(runs: CmpRun[]): HTMLElement {
  const rows = METRICS.filter((d) => runs.some((r) => typeof r.metrics[d.key] === 'number'));
  return h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'data compare-table', id: 'compare-metrics' },
      h('caption', { class: 'sr-only' }, t('cmp.caption')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('cmp.metric')),
          runs.map((r) =>
            h('th', { scope: 'col', class: 'num' }, h('a', { href: `#/report/${encodeURIComponent(r.id)}` }, r.label)),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((d) => {
          const vals = runs.map((r) => (typeof r.metrics[d.key] === 'number' ? (r.metrics[d.key] as number) : null));
          const present = vals.filter((v): v is number => v !== null);
          const best =
            d.better && present.length > 1 ? (d.better === 'high' ? Math.max(...present) : Math.min(...present)) : null;
          const allSame = present.every((v) => v === present[0]);
          return h(
            'tr',
            { 'data-key': d.key },
            h('th', { scope: 'row' }, metricLabel(d)),
            vals.map((v, i) => {
              const isBest = best !== null && !allSame && v === best;
              return h(
                'td',
                { class: `num${isBest ? ' best-cell' : ''}`, title: isBest ? t('cmp.best') : null },
                v === null ? '–' : fmtMetric(d.key, v, runs[i].metrics),
              );
            }),
          );
        }),
      ),
    ),
  );
}
