// pages/optimization.ts - #/optimization/:id: an optimization's ranked parameter sets,
// a two-parameter heatmap, the walk-forward in-sample vs out-of-sample chart, the best
// set per fold, and a link that opens the best set as a new backtest.

import { api, qs } from '../api';
import { h, replace } from '../dom';
import { dec, kstDay, num } from '../format';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { dataTable, errorNotice, loading, notice, panel, type Column } from '../ui';
import { contextList } from '../report/context';
import { paramHeatmap } from '../report/paramheat';
import { paramNames, rank, rankedTable } from '../report/optrank';
import { isFinal, stateText, watchProgress } from '../report/states';
import { paramText, type FoldBest, type OptimizationDetail, type OptResult } from '../report/types';
import { walkforwardChart, walkforwardTable } from '../report/walkforward';

strings({
  ko: {
    'opt.title': '최적화 결과',
    'opt.back': '← 실행 목록',
    'opt.search': '탐색 범위',
    'opt.context': '실행 조건',
    'opt.summary': '평가 {n}건 · 방법 {method} · 목표 {objective} · 분할 {split}',
    'opt.best': '최고 목표값 {v} ({params})',
    'opt.open_best': '최고 파라미터로 백테스트',
    'opt.ranked': '파라미터 순위',
    'opt.heatmap': '파라미터 히트맵',
    'opt.heatmap.note': '칸 = 나머지 파라미터 중 최고 목표값',
    'opt.heatmap.one': '파라미터가 하나뿐이라 한 줄로 표시합니다.',
    'opt.wf': '워크포워드: 학습 vs 검증',
    'opt.wf.none': '워크포워드 실행이 아닙니다 (분할: {split}).',
    'opt.folds': '구간별 최고 파라미터',
    'opt.fold.fold': '구간',
    'opt.fold.train': '학습',
    'opt.fold.valid': '검증',
    'opt.fold.test': '테스트',
    'opt.fold.params': '파라미터',
    'opt.fold.objective': '목표값',
    'opt.fold.test_objective': '테스트 목표값',
    'opt.capped': '결과 {total}건 중 처음 {n}건만 불러왔습니다.',
    'opt.failed': '최적화 실패: {e}',
    'opt.state': '상태: {s}',
    'opt.no_results': '평가된 결과가 없습니다.',
    'opt.failed_units': '실패한 평가 {n}건',
  },
  en: {
    'opt.title': 'Optimization results',
    'opt.back': '← Runs',
    'opt.search': 'Search space',
    'opt.context': 'Run settings',
    'opt.summary': '{n} evaluated · method {method} · objective {objective} · split {split}',
    'opt.best': 'Best objective {v} ({params})',
    'opt.open_best': 'Backtest the best parameters',
    'opt.ranked': 'Ranked parameter sets',
    'opt.heatmap': 'Parameter heatmap',
    'opt.heatmap.note': 'cell = best objective over the other parameters',
    'opt.heatmap.one': 'Only one parameter: shown as one row.',
    'opt.wf': 'Walk-forward: in-sample vs out-of-sample',
    'opt.wf.none': 'Not a walk-forward run (split: {split}).',
    'opt.folds': 'Best parameters per fold',
    'opt.fold.fold': 'Fold',
    'opt.fold.train': 'Train',
    'opt.fold.valid': 'Valid',
    'opt.fold.test': 'Test',
    'opt.fold.params': 'Parameters',
    'opt.fold.objective': 'Objective',
    'opt.fold.test_objective': 'Test objective',
    'opt.capped': 'Loaded the first {n} of {total} results.',
    'opt.failed': 'Optimization failed: {e}',
    'opt.state': 'State: {s}',
    'opt.no_results': 'No results evaluated.',
    'opt.failed_units': '{n} evaluations failed',
  },
});

const CAP = 5000;
const PAGE = 500;

async function fetchAll(
  id: string,
  signal: AbortSignal,
): Promise<{ run: OptimizationDetail; results: OptResult[]; capped: boolean }> {
  const path = `/optimizations/${encodeURIComponent(id)}`;
  const run = await api.get<OptimizationDetail>(`${path}${qs({ limit: PAGE, offset: 0 })}`, signal);
  const results = [...(run.results ?? [])];
  let last = results.length;
  while (last === PAGE && results.length < CAP) {
    const more = await api.get<OptimizationDetail>(`${path}${qs({ limit: PAGE, offset: results.length })}`, signal);
    last = more.results?.length ?? 0;
    results.push(...(more.results ?? []));
  }
  return { run, results: results.slice(0, CAP), capped: results.length >= CAP && last === PAGE };
}

/** #/runs/new with the best set (the new-run form reads these). */
function bestLink(run: OptimizationDetail, params: Record<string, unknown>): string {
  const req = run.request;
  const q: Record<string, string | number | undefined> = {
    params: JSON.stringify(params),
    symbols: (req.symbols ?? []).join(','),
    timeframe: req.timeframe,
    from: req.period?.from,
    to: req.period?.to,
    initial_cash: req.initial_cash,
    bet_amount: req.bet_amount,
  };
  if (typeof req.strategy === 'string') q.builtin = req.strategy;
  else {
    q.strategy = req.strategy.id;
    q.version = req.strategy.version;
  }
  return `#/runs/new${qs(q)}`;
}

function searchText(s: Record<string, unknown>): string {
  return Object.entries(s)
    .map(([k, v]) => {
      const r = v as { start?: number; end?: number; step?: number; values?: unknown[] };
      if (Array.isArray(r.values)) return `${k} ∈ {${r.values.join(', ')}}`;
      return `${k} ${r.start}~${r.end}${r.step ? ` (${r.step})` : ''}`;
    })
    .join(' · ');
}

const spanText = (s: { from: string; to: string } | null) => (s ? `${kstDay(s.from)} ~ ${kstDay(s.to)}` : '–');

function foldsTable(folds: FoldBest[], id: string): HTMLElement {
  const cols: Column<FoldBest>[] = [
    { key: 'fold', label: t('opt.fold.fold'), num: true },
    { key: 'train', label: t('opt.fold.train'), value: (f) => spanText(f.train) },
    { key: 'valid', label: t('opt.fold.valid'), value: (f) => spanText(f.valid) },
    { key: 'test', label: t('opt.fold.test'), value: (f) => spanText(f.test) },
    { key: 'params', label: t('opt.fold.params'), value: (f) => paramText(f.params) },
    {
      key: 'objective',
      label: t('opt.fold.objective'),
      num: true,
      cell: (f) => (f.objective === null ? '–' : dec(f.objective, 4)),
    },
    {
      key: 'test_objective',
      label: t('opt.fold.test_objective'),
      num: true,
      cell: (f) => (f.test_objective === null ? '–' : dec(f.test_objective, 4)),
    },
  ];
  return dataTable(cols, folds, { id: 'opt-folds', csv: `folds-${id}.csv` });
}

export default async function page(root: HTMLElement, ctx: PageContext): Promise<() => void> {
  const id = ctx.params.id;
  const cleanups: (() => void)[] = [];
  const body = h('div', { id: 'optimization' }, loading());
  root.appendChild(
    h(
      'div',
      { class: 'opt-page' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, `${t('opt.title')} `, h('code', { class: 'run-id' }, id)),
        h('a', { href: '#/runs' }, t('opt.back')),
      ),
      body,
    ),
  );
  const dispose = () => {
    while (cleanups.length) cleanups.pop()!();
  };

  const load = async () => {
    dispose();
    let got: Awaited<ReturnType<typeof fetchAll>>;
    try {
      got = await fetchAll(id, ctx.signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      replace(body, errorNotice(e));
      return;
    }
    const { run, results, capped } = got;
    const req = run.request;
    const split = req.split?.kind ?? 'none';
    const ctxPanel = panel(
      t('opt.context'),
      h(
        'p',
        null,
        t('opt.summary', {
          n: num(run.evaluated ?? results.length),
          method: req.method ?? 'grid',
          objective: req.objective ?? '–',
          split,
        }),
      ),
      req.search ? h('p', { id: 'opt-search' }, `${t('opt.search')}: `, searchText(req.search)) : null,
      contextList({ ...req, params: undefined }, run),
    );
    if (!isFinal(run.state)) {
      const [el, stop] = watchProgress(id, 'optimizations', run, () => void load());
      cleanups.push(stop);
      replace(body, notice('info', t('opt.state', { s: stateText(run.state) })), el, ctxPanel);
      return;
    }
    if (run.state !== 'done' || (run.error && !results.length)) {
      replace(body, notice('error', t('opt.failed', { e: run.error ?? stateText(run.state) })), ctxPanel);
      return;
    }
    if (!results.length) {
      replace(body, notice('info', t('opt.no_results')), ctxPanel);
      return;
    }
    const ranked = rank(results);
    const params = paramNames(results);
    // The run's best (the gateway's, which holds even when the results were capped).
    let best: Pick<OptResult, 'objective' | 'params'> = ranked[0];
    if (run.best_objective !== null && run.best_objective !== undefined && best.objective !== run.best_objective) {
      const fold = (run.best_per_fold ?? []).find((f) => f.objective === run.best_objective);
      best = { objective: run.best_objective, params: fold?.params ?? best.params };
    }
    const folds = new Set(results.map((r) => r.fold)).size > 1;
    const wf = run.walkforward ?? [];
    const wfBox = h('div', { class: 'chart-box uplot-box', id: 'opt-wf-chart', 'data-testid': 'chart-box' });
    const failed = results.filter((r) => r.error).length;

    replace(
      body,
      ctxPanel,
      h(
        'div',
        { class: 'actions' },
        best.objective !== null
          ? h(
              'strong',
              { id: 'opt-best' },
              t('opt.best', { v: dec(best.objective, 4), params: paramText(best.params) }),
            )
          : null,
        h(
          'a',
          {
            href: bestLink(run, { ...(req.params ?? {}), ...best.params }),
            id: 'opt-open-best',
            class: 'button primary',
          },
          t('opt.open_best'),
        ),
      ),
      capped ? notice('warn', t('opt.capped', { n: num(results.length), total: num(run.evaluated) })) : null,
      failed ? notice('warn', t('opt.failed_units', { n: failed })) : null,
      h(
        'div',
        { class: wf.length ? 'split' : null },
        panel(
          t('opt.heatmap'),
          h('p', { class: 'muted small' }, t('opt.heatmap.note')),
          params.length < 2 ? h('p', { class: 'muted small' }, t('opt.heatmap.one')) : null,
          paramHeatmap(results, params),
        ),
        panel(t('opt.wf'), wf.length ? [wfBox, walkforwardTable(wf, id)] : notice('info', t('opt.wf.none', { split }))),
      ),
      panel(
        t('opt.ranked'),
        h('div', { class: 'tall-table' }, rankedTable(ranked, params, req.objective ?? '', id, folds)),
      ),
      run.best_per_fold?.length ? panel(t('opt.folds'), foldsTable(run.best_per_fold, id)) : null,
    );
    if (wf.length) cleanups.push(walkforwardChart(wfBox, wf));
  };

  await load();
  return dispose;
}
