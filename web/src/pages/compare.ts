// pages/compare.ts - #/compare?ids=a,b,c: equity curves of 2–5 backtests overlaid and
// their metrics side by side.

import { api, qs } from '../api';
import { field, h, replace } from '../dom';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { errorNotice, loading, notice, panel } from '../ui';
import { compareChart, compareTable, type CmpRun } from '../report/compareview';
import { paramText, strategyText, type BacktestDetail, type Point } from '../report/types';

strings({
  ko: {
    'cmp.title': '결과 비교',
    'cmp.back': '← 실행 목록',
    'cmp.need': '비교할 백테스트를 2–5개 고르세요 (실행 목록에서 선택 후 "비교").',
    'cmp.equity': '자산 곡선 겹쳐 보기',
    'cmp.metrics': '지표 나란히 보기',
    'cmp.mode': '표시',
    'cmp.mode.won': '자산 (원)',
    'cmp.mode.pct': '수익률 (%)',
  },
  en: {
    'cmp.title': 'Compare runs',
    'cmp.back': '← Runs',
    'cmp.need': 'Pick 2–5 backtests to compare (select them in the runs list, then "Compare").',
    'cmp.equity': 'Equity curves overlaid',
    'cmp.metrics': 'Metrics side by side',
    'cmp.mode': 'Show',
    'cmp.mode.won': 'Equity (₩)',
    'cmp.mode.pct': 'Return (%)',
  },
});

interface CompareAnswer {
  runs: {
    id: string;
    metrics: { standard?: Record<string, unknown> } | Record<string, unknown> | null;
    equity: Point[];
  }[];
}

export default async function page(root: HTMLElement, ctx: PageContext): Promise<() => void> {
  const ids = (ctx.query.get('ids') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 5);
  const body = h('div', { id: 'compare' }, loading());
  root.appendChild(
    h(
      'div',
      { class: 'compare-page' },
      h('div', { class: 'page-head' }, h('h1', null, t('cmp.title')), h('a', { href: '#/runs' }, t('cmp.back'))),
      body,
    ),
  );
  let stop: (() => void) | null = null;
  if (ids.length < 2) {
    replace(body, notice('info', t('cmp.need')));
    return () => {};
  }
  let ans: CompareAnswer;
  let details: (BacktestDetail | null)[];
  try {
    [ans, details] = await Promise.all([
      api.get<CompareAnswer>(`/analytics/compare${qs({ ids: ids.join(',') })}`, ctx.signal),
      Promise.all(
        ids.map((id) =>
          api
            .get<BacktestDetail>(
              `/backtests/${encodeURIComponent(id)}${qs({ trades_limit: 1, equity_limit: 1 })}`,
              ctx.signal,
            )
            .catch(() => null),
        ),
      ),
    ]);
  } catch (e) {
    if ((e as Error).name !== 'AbortError') replace(body, errorNotice(e));
    return () => {};
  }
  const runs: CmpRun[] = ans.runs.map((r) => {
    const d = details[ids.indexOf(r.id)];
    const m = (r.metrics && 'standard' in r.metrics ? r.metrics.standard : r.metrics) ?? {};
    const label = d
      ? `${d.strategy || strategyText(d.request?.strategy)} (${paramText(d.request?.params)}) · ${r.id.slice(0, 6)}`
      : r.id;
    return { id: r.id, label, metrics: m as Record<string, unknown>, equity: r.equity ?? [] };
  });
  const box = h('div', {
    class: 'chart-box uplot-box tall',
    id: 'compare-equity',
    'data-testid': 'chart-box',
    'data-height': '360',
  });
  const mode = h(
    'select',
    { id: 'compare-mode' },
    h('option', { value: 'won' }, t('cmp.mode.won')),
    h('option', { value: 'pct' }, t('cmp.mode.pct')),
  );
  const draw = () => {
    stop?.();
    box.replaceChildren();
    stop = compareChart(box, runs, mode.value as 'won' | 'pct');
  };
  mode.addEventListener('change', draw);
  replace(
    body,
    panel(t('cmp.equity'), h('div', { class: 'opt-controls' }, field(t('cmp.mode'), mode)), box),
    panel(t('cmp.metrics'), compareTable(runs)),
  );
  draw();
  return () => stop?.();
}
