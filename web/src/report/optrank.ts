// report/optrank.ts - an optimization's evaluated parameter sets ranked by objective:
// parameters as columns, objective and key metrics, sortable, CSV.

import { h } from '../dom';
import { dec, signClass } from '../format';
import { strings, t } from '../i18n';
import { dataTable, type Column } from '../ui';
import { fmtMetric, metricDef, metricName } from './names';
import type { OptResult } from './types';

strings({
  ko: {
    'opt.col.rank': '순위',
    'opt.col.fold': '구간',
    'opt.col.objective': '목표값 ({name})',
    'opt.col.error': '오류',
    'opt.col.ok': '제약',
  },
  en: {
    'opt.col.rank': 'Rank',
    'opt.col.fold': 'Fold',
    'opt.col.objective': 'Objective ({name})',
    'opt.col.error': 'Error',
    'opt.col.ok': 'Constraints',
  },
});

export interface Ranked extends OptResult {
  rank: number;
}

/** Ranks results by objective, best first (a missing objective ranks last). */
export function rank(results: OptResult[]): Ranked[] {
  return [...results]
    .sort((a, b) => (b.objective ?? -Infinity) - (a.objective ?? -Infinity))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

const KEY_METRICS = [
  'net_profit',
  'return_pct',
  'sharpe',
  'max_drawdown_pct',
  'win_rate_pct',
  'profit_factor',
  'trades',
];

export function paramNames(results: OptResult[]): string[] {
  const names = new Set<string>();
  for (const r of results.slice(0, 200)) for (const k of Object.keys(r.params ?? {})) names.add(k);
  return [...names];
}

export function rankedTable(
  rows: Ranked[],
  params: string[],
  objective: string,
  runId: string,
  folds: boolean,
): HTMLElement {
  const cols: Column<Ranked>[] = [
    { key: 'rank', label: t('opt.col.rank'), num: true },
    ...(folds ? [{ key: 'fold', label: t('opt.col.fold'), num: true } as Column<Ranked>] : []),
    ...params.map((p) => ({ key: `p.${p}`, label: p, num: true, value: (r: Ranked) => r.params?.[p] as number })),
    {
      key: 'objective',
      label: t('opt.col.objective', { name: objective }),
      num: true,
      cell: (r) => h('strong', null, r.objective === null ? '–' : dec(r.objective, 4)),
      value: (r) => r.objective,
    },
    ...KEY_METRICS.map((k) => {
      const d = metricDef(k)!;
      return {
        key: k,
        label: metricName(d),
        num: true,
        value: (r: Ranked) => (r.metrics?.[k] as number | undefined) ?? null,
        cell: (r: Ranked) => (r.metrics ? fmtMetric(k, r.metrics[k], r.metrics) : '–'),
        cls: (r: Ranked) => (k === 'net_profit' || k === 'return_pct' ? signClass(r.metrics?.[k] as number) : ''),
      } as Column<Ranked>;
    }),
    { key: 'error', label: t('opt.col.error'), value: (r) => r.error ?? (r.constraints_met === false ? '✕' : '') },
  ];
  return dataTable(cols, rows, {
    id: 'opt-ranked',
    csv: `optimization-${runId}.csv`,
    sort: { key: 'rank', desc: false },
  });
}
